package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"gopkg.in/yaml.v3"

	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/dam"
)

type openAPIDoc struct {
	OpenAPI string                                 `yaml:"openapi"`
	Paths   map[string]map[string]openAPIOperation `yaml:"paths"`
}

type openAPIOperation struct {
	OperationID string               `yaml:"operationId"`
	Responses   map[string]yaml.Node `yaml:"responses"`
}

func loadOpenAPI(t *testing.T) (openAPIDoc, []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "openapi.yaml"))
	if err != nil {
		t.Fatalf("read the OpenAPI document: %v", err)
	}
	var doc openAPIDoc
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("parse docs/openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Fatalf("openapi version %q, want 3.0.x", doc.OpenAPI)
	}
	return doc, raw
}

// Every route the router serves is documented with the same method and path, and the document
// describes no route the router lacks.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	doc, _ := loadOpenAPI(t)
	e := newEnv(t, httpapi.Config{}, withNotificationRoutes)

	var routes []string
	err := chi.Walk(e.srv.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, method+" "+route)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	ops := map[string]bool{}
	for path, item := range doc.Paths {
		for method, op := range item {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			if op.OperationID == "" || ops[op.OperationID] {
				t.Errorf("%s %s: operationId %q missing or used twice", method, path, op.OperationID)
			}
			ops[op.OperationID] = true
			ok := false
			for code := range op.Responses {
				ok = ok || strings.HasPrefix(code, "2")
			}
			if !ok {
				t.Errorf("%s %s documents no success response", method, path)
			}
		}
	}
	slices.Sort(routes)
	slices.Sort(documented)
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in docs/openapi.yaml", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("docs/openapi.yaml documents %s, which the router does not serve", d)
		}
	}
	if len(routes) < 13 {
		t.Errorf("walked only %d routes: %v", len(routes), routes)
	}
}

// Every $ref points at something the document defines.
func TestOpenAPIReferencesResolve(t *testing.T) {
	t.Parallel()
	_, raw := loadOpenAPI(t)
	var root map[string]any
	if err := yaml.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				if k == "$ref" {
					ref, _ := child.(string)
					if !resolves(root, ref) {
						t.Errorf("$ref %q does not resolve", ref)
					}
					continue
				}
				walk(child)
			}
		case []any:
			for _, child := range x {
				walk(child)
			}
		}
	}
	walk(root)
}

func resolves(root map[string]any, ref string) bool {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	var cur any = root
	for _, part := range strings.Split(rest, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// Every field the server writes in these answers is documented, with its place: the walk follows
// the answer's JSON into the operation's schema ($ref, allOf, items, properties) and reports a key
// the schema does not name. The answers are filled as far as the fakes allow (a cascade with coded
// failures and named operators, a located dam, coded configuration problems), so a field added to
// the Go types and forgotten in docs/openapi.yaml fails here.
func TestOpenAPIDescribesEveryResponseField(t *testing.T) {
	t.Parallel()
	_, raw := loadOpenAPI(t)
	var root map[string]any
	if err := yaml.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}

	site := testSite(t)
	site.Dams[0].Location = &dam.Location{Lat: 43.8735, Lon: 4.3305}
	next := now.Add(5 * time.Minute)
	alarms := fullCascadeAlarms{fakeAlarms: &fakeAlarms{}, cascade: readstore.AlarmCascade{
		Running: true, Run: 1, Policy: "crue", Step: 2, StopReason: "acknowledged", NextStepAt: &next,
		Notifications: []readstore.AlarmNotification{
			{ID: "n1", Operator: "op-durand", Channel: "voice", Step: 1, Repeat: 1, Fallback: true, Status: "failed",
				Reason: "gave up after 3 attempt(s): busy: SIP 486 Busy Here", At: now},
			{ID: "n2", Operator: "op-inconnu", Channel: "sms", Step: 2, Status: "sent", At: now},
		}}}
	web, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: t.TempDir(), OperatorNames: map[string]string{"op-durand": "Camille Durand"}})
	if err != nil {
		t.Fatal(err)
	}
	coded := []httpapi.ConfigProblem{{Line: 3, Column: 5, Path: "dams[0].capacity_m3", Code: "capacity_not_positive", Params: []string{"-5"},
		Message: "must be a volume above 0 m³ (got -5)"}}
	e := newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) {
		d.Site = httpapi.StaticSite(site)
		d.Alarms = alarms
		d.Web = web
		d.Replays = &fakeReplays{err: &httpapi.ReplayConfigError{Problems: coded}}
		d.ConfigAdmin = codedConfig{fakeConfig: &fakeConfig{}, problems: coded}
	})

	tests := []struct {
		method, route, target, body string
		status                      int
		want                        []string // keys the answer must have, so the walk covers them
	}{
		{"get", "/api/v1/dams", "/api/v1/dams", "", 200, []string{"location", "lat", "lon"}},
		{"get", "/api/v1/dams/{id}", "/api/v1/dams/mejean", "", 200, []string{"location", "storage_curve"}},
		{"get", "/api/v1/site", "/api/v1/site", "", 200, []string{"location"}},
		{"get", "/api/v1/alarms", "/api/v1/alarms", "", 200, []string{"cascade", "operator_name", "reason_code", "reason_params", "reason_cause", "next_step_at"}},
		{"get", "/api/v1/alarms/{id}", "/api/v1/alarms/" + knownAlarm, "", 200, []string{"cascade", "operator_name", "reason_code", "reason_params", "reason_cause"}},
		{"post", "/api/v1/replay", "/api/v1/replay", `{"config":"x"}`, 422, []string{"errors", "code", "params"}},
		{"post", "/api/v1/config/check", "/api/v1/config/check", "bad", 200, []string{"problems", "code", "params"}},
	}
	for _, tc := range tests {
		rec := e.do(t, strings.ToUpper(tc.method), tc.target, strings.NewReader(tc.body), bearer(tokAdmin))
		if rec.Code != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.target, rec.Code, rec.Body, tc.status)
			continue
		}
		var body any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.target, err)
		}
		schema := responseSchema(t, root, tc.route, tc.method, strconv.Itoa(tc.status), rec.Header().Get("Content-Type"))
		seen := map[string]bool{}
		for _, u := range undocumented(root, schema, body, "", seen) {
			t.Errorf("%s %s: %s is not in docs/openapi.yaml", tc.method, tc.route, u)
		}
		for _, k := range tc.want {
			if !seen[k] {
				t.Errorf("%s %s: the answer has no %q, so the test does not cover it: %s", tc.method, tc.target, k, rec.Body)
			}
		}
	}
}

// fullCascadeAlarms is fakeAlarms whose alarm carries a cascade with every field set.
type fullCascadeAlarms struct {
	*fakeAlarms
	cascade readstore.AlarmCascade
}

func (f fullCascadeAlarms) view() readstore.AlarmView {
	c := f.cascade
	return readstore.AlarmView{ID: knownAlarm, Dam: "mejean", State: "unack_active", Cascade: &c}
}

func (f fullCascadeAlarms) Alarms(context.Context, readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	return []readstore.AlarmView{f.view()}, nil
}

func (f fullCascadeAlarms) Alarm(context.Context, string) (readstore.AlarmView, error) {
	return f.view(), nil
}

// codedConfig answers every check with the problems given, coded as adapters/config codes them.
type codedConfig struct {
	*fakeConfig
	problems []httpapi.ConfigProblem
}

func (c codedConfig) Check(context.Context, []byte) (httpapi.ConfigCheck, error) {
	return httpapi.ConfigCheck{Problems: c.problems}, nil
}

// responseSchema is the schema an operation documents for a status and content type, following
// a response $ref.
func responseSchema(t *testing.T, root map[string]any, route, method, status, contentType string) map[string]any {
	t.Helper()
	op, _ := dig(root, "paths", route, method).(map[string]any)
	if op == nil {
		t.Fatalf("%s %s is not documented", method, route)
	}
	resp, _ := resolve(root, dig(op, "responses", status)).(map[string]any)
	if resp == nil {
		t.Fatalf("%s %s documents no %s answer", method, route, status)
	}
	mediaType, _, _ := strings.Cut(contentType, ";")
	schema, _ := resolve(root, dig(resp, "content", strings.TrimSpace(mediaType), "schema")).(map[string]any)
	if schema == nil {
		t.Fatalf("%s %s documents no %s schema for %s", method, route, mediaType, status)
	}
	return schema
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// resolve follows $ref (within the document) until a schema or response that is not one.
func resolve(root map[string]any, v any) any {
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		v = dig(root, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
	}
	return nil
}

// undocumented lists the keys of v (paths like "dams[].location.lat") that schema does not
// describe; seen collects every key met. A free-form object (no properties) is not looked into.
func undocumented(root map[string]any, schema map[string]any, v any, at string, seen map[string]bool) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		items, _ := resolve(root, schema["items"]).(map[string]any)
		for _, item := range x {
			if items == nil {
				return []string{at + "[] (no items schema)"}
			}
			out = append(out, undocumented(root, items, item, at+"[]", seen)...)
		}
	case map[string]any:
		props := map[string]any{}
		parts := []any{schema}
		if all, ok := schema["allOf"].([]any); ok {
			parts = append(parts, all...)
		}
		for _, p := range parts {
			p, _ := resolve(root, p).(map[string]any)
			if ps, ok := p["properties"].(map[string]any); ok {
				for k, s := range ps {
					props[k] = s
				}
			}
		}
		if len(props) == 0 {
			return nil
		}
		for k, child := range x {
			seen[k] = true
			s, ok := resolve(root, props[k]).(map[string]any)
			if !ok {
				out = append(out, strings.TrimPrefix(at+"."+k, "."))
				continue
			}
			out = append(out, undocumented(root, s, child, strings.TrimPrefix(at+"."+k, "."), seen)...)
		}
	}
	return out
}
