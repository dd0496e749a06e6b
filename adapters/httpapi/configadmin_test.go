package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/httpapi"
)

// fakeConfig reports a problem for any document containing "bad", records the rest.
type fakeConfig struct {
	applied  []string
	readOnly bool
}

func (f *fakeConfig) Current(context.Context) (httpapi.ConfigSnapshot, error) {
	return httpapi.ConfigSnapshot{Source: "file:/etc/vigie.yaml", YAML: "version: 1\n", Document: []byte(`{}`), Editable: !f.readOnly}, nil
}

func (f *fakeConfig) Check(_ context.Context, y []byte) (httpapi.ConfigCheck, error) {
	if strings.Contains(string(y), "bad") {
		return httpapi.ConfigCheck{Problems: []httpapi.ConfigProblem{{Line: 3, Column: 5, Path: "dams[0].capacity_m3", Message: "must be positive"}}}, nil
	}
	return httpapi.ConfigCheck{Valid: true, Changes: []string{"dam mejean: capacity 52000 -> 53000"}}, nil
}

func (f *fakeConfig) Apply(ctx context.Context, actor string, y []byte) (httpapi.ConfigCheck, error) {
	if f.readOnly {
		return httpapi.ConfigCheck{}, httpapi.ErrConfigReadOnly
	}
	c, _ := f.Check(ctx, y)
	if len(c.Problems) == 0 {
		f.applied = append(f.applied, actor)
		c.Applied = true
	}
	return c, nil
}

func (f *fakeConfig) APIKeys(context.Context) ([]httpapi.APIKeyInfo, error) {
	return []httpapi.APIKeyInfo{{ID: "k1", Name: "gw-nord", Role: "gateway", Sensors: "bassin-nord.*"}}, nil
}

func TestConfigScreenIsForAdministrators(t *testing.T) {
	t.Parallel()
	fc := &fakeConfig{}
	e := newWebEnv(t, httpapi.Config{PublicRead: true}, func(d *httpapi.Deps) { d.ConfigAdmin = fc })
	op, _ := e.login(t, "durand")
	admin, csrf := e.login(t, "chef")
	for _, tc := range []struct {
		name    string
		headers []string
		want    int
	}{{"anonymous", nil, http.StatusForbidden}, {"operator", []string{op}, http.StatusForbidden}, {"admin", []string{admin}, http.StatusOK}, {"admin key", []string{bearer(tokAdmin)}, http.StatusOK}} {
		if rec := e.do(t, http.MethodGet, "/api/v1/config", nil, tc.headers...); rec.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.want)
		}
	}
	m := decodeJSON(t, e.do(t, http.MethodGet, "/api/v1/config", nil, admin))
	if keys, _ := m["api_keys"].([]any); len(keys) != 1 || m["yaml"] != "version: 1\n" {
		t.Errorf("config answer %v", m)
	}

	rec := e.do(t, http.MethodPost, "/api/v1/config/check", strings.NewReader("bad"), admin, httpapi.CSRFHeader+": "+csrf)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"line":3`) || !strings.Contains(rec.Body.String(), `"valid":false`) {
		t.Fatalf("check: status %d, body %s", rec.Code, rec.Body)
	}
	rec = e.do(t, http.MethodPut, "/api/v1/config", strings.NewReader("bad"), admin, httpapi.CSRFHeader+": "+csrf)
	if rec.Code != http.StatusUnprocessableEntity || len(fc.applied) != 0 {
		t.Fatalf("apply a bad one: status %d, applied %v", rec.Code, fc.applied)
	}
	rec = e.do(t, http.MethodPut, "/api/v1/config", strings.NewReader("good"), admin, httpapi.CSRFHeader+": "+csrf)
	if rec.Code != http.StatusOK || len(fc.applied) != 1 || fc.applied[0] != "user:chef" {
		t.Fatalf("apply: status %d, body %s, applied by %v; want recorded as user:chef", rec.Code, rec.Body, fc.applied)
	}
	fc.readOnly = true
	if rec := e.do(t, http.MethodPut, "/api/v1/config", strings.NewReader("good"), admin, httpapi.CSRFHeader+": "+csrf); rec.Code != http.StatusConflict {
		t.Fatalf("read-only: status %d, want 409", rec.Code)
	}
}
