package httpapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

type ingestResponse struct {
	Accepted        int    `json:"accepted"`
	Duplicates      int    `json:"duplicates"`
	Rejected        int    `json:"rejected"`
	LastPosition    uint64 `json:"last_position"`
	ResultsComplete bool   `json:"results_complete"`
	Results         []struct {
		Index   int    `json:"index"`
		Status  string `json:"status"`
		Quality string `json:"quality"`
		Reason  string `json:"reason"`
	} `json:"results"`
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPostReadingsAccepted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        []commands.Item
	}{
		{
			name: "JSON array, fields in any order, offsets", body: fixture(t, "readings.json"), contentType: "application/json",
			want: []commands.Item{
				{Sensor: "mejean.level", Time: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), Value: 0.001},
				{Sensor: "bassin-nord.level", Time: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), Value: 0.002},
				{Sensor: "barrage-est.level", Time: time.Date(2025, 10, 10, 0, 1, 0, 0, time.UTC), Value: 0.0015},
			},
		},
		{
			name: "single object, no content type", body: []byte(`{"sensor":"mejean.level","time":"2025-10-10T02:00:00.5Z","value":-0.1}`),
			want: []commands.Item{{Sensor: "mejean.level", Time: time.Date(2025, 10, 10, 2, 0, 0, 5e8, time.UTC), Value: -0.1}},
		},
		{
			name: "CSV header in another order with an extra column, CRLF", body: fixture(t, "reordered.csv"), contentType: "text/csv; charset=utf-8",
			want: []commands.Item{
				{Sensor: "mejean.level", Time: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), Value: 0.001},
				{Sensor: "bassin-nord.level", Time: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), Value: 0.002},
			},
		},
		{
			name: "JSON with escapes", body: []byte(`[{"sensor":"mejean\u002elevel","time":"2025-10-10T02:00:00Z","value":1E1}]`), contentType: "application/json; charset=utf-8",
			want: []commands.Item{{Sensor: "mejean.level", Time: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), Value: 10}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, httpapi.Config{})
			headers := []string{bearer(tokGatewayAll), "X-Request-ID: req-1"}
			if tt.contentType != "" {
				headers = append(headers, "Content-Type: "+tt.contentType)
			}
			rec := e.do(t, http.MethodPost, "/api/v1/readings", bytes.NewReader(tt.body), headers...)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, body %s", rec.Code, rec.Body.String())
			}
			got := decode[ingestResponse](t, rec)
			if got.Accepted != len(tt.want) || got.Duplicates != 0 || got.Rejected != 0 || got.LastPosition != 42 || !got.ResultsComplete || len(got.Results) != len(tt.want) {
				t.Errorf("response = %+v", got)
			}
			for i, r := range got.Results {
				if r.Index != i || r.Status != "accepted" || r.Quality != "good" {
					t.Errorf("result %d = %+v", i, r)
				}
			}
			calls := e.ingester.Calls()
			if len(calls) != 1 {
				t.Fatalf("ingester called %d times, want 1", len(calls))
			}
			c := calls[0]
			if c.Actor != "apikey:gw-all" || c.CorrelationID != "req-1" || c.Allowed != nil {
				t.Errorf("command actor %q, correlation %q, allowed nil %v", c.Actor, c.CorrelationID, c.Allowed == nil)
			}
			if len(c.Items) != len(tt.want) {
				t.Fatalf("items = %+v, want %+v", c.Items, tt.want)
			}
			for i := range tt.want {
				if g, w := c.Items[i], tt.want[i]; g.Sensor != w.Sensor || !g.Time.Equal(w.Time) || g.Value != w.Value {
					t.Errorf("item %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestPostReadingsOutcomes(t *testing.T) {
	t.Parallel()
	body := `[` + strings.Repeat(`{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1},`, 4) + `{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1}]`
	outcome := func(i int, _ commands.Item) gauge.Outcome {
		switch i {
		case 1:
			return gauge.Outcome{Status: gauge.Duplicate}
		case 3:
			return gauge.Outcome{Status: gauge.Rejected, Reason: "time 2030 is ahead \"of\" the clock"}
		}
		return gauge.Outcome{Status: gauge.Accepted, Quality: sensor.Suspect, Reason: "fast rise"}
	}
	tests := []struct {
		name        string
		fullUpTo    int
		wantIndexes []int
		complete    bool
	}{
		{name: "small batch lists every reading", fullUpTo: 1000, wantIndexes: []int{0, 1, 2, 3, 4}, complete: true},
		{name: "large batch lists only readings not accepted", fullUpTo: 2, wantIndexes: []int{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, httpapi.Config{FullResultsUpTo: tt.fullUpTo})
			e.ingester.outcome = outcome
			rec := e.do(t, http.MethodPost, "/api/v1/readings", strings.NewReader(body), bearer(tokOperator))
			got := decode[ingestResponse](t, rec)
			if got.Accepted != 3 || got.Duplicates != 1 || got.Rejected != 1 || got.ResultsComplete != tt.complete {
				t.Errorf("counts = %+v", got)
			}
			var idx []int
			for _, r := range got.Results {
				idx = append(idx, r.Index)
				if r.Index == 3 && (r.Status != "rejected" || r.Reason != `time 2030 is ahead "of" the clock`) {
					t.Errorf("result 3 = %+v", r)
				}
			}
			if fmt.Sprint(idx) != fmt.Sprint(tt.wantIndexes) {
				t.Errorf("listed indexes %v, want %v", idx, tt.wantIndexes)
			}
		})
	}
}

func TestPostReadingsRefused(t *testing.T) {
	t.Parallel()
	one := `{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1}`
	tests := []struct {
		name        string
		cfg         httpapi.Config
		body        string
		headers     []string
		ingesterErr error
		status      int
		typ         string
		// violations the problem must list, as "index/field" (index -1: none)
		violations []string
		// wantLine/wantColumn locate a syntax error
		wantLine, wantColumn int
	}{
		{name: "no credentials", body: one, status: 401, typ: "about:blank"},
		{name: "other scheme", body: one, headers: []string{"Authorization: Basic Zm9vOmJhcg=="}, status: 401, typ: "about:blank"},
		{name: "invalid key", body: one, headers: []string{bearer("vg_nope")}, status: 401, typ: "about:blank"},
		{name: "empty bearer", body: one, headers: []string{"Authorization: Bearer "}, status: 401, typ: "about:blank"},
		{name: "key store failing", body: one, headers: []string{bearer(tokBroken)}, status: 500, typ: "about:blank"},
		{name: "viewer may not write", body: one, headers: []string{bearer(tokViewer)}, status: 403, typ: "about:blank"},
		{name: "malformed JSON", body: "[\n" + one + ",\n {\"sensor\": \"x\" \"time\": 1}]", headers: []string{bearer(tokGatewayAll)}, status: 400, typ: "urn:vigie:problem:malformed-body", violations: []string{"1/"}, wantLine: 3, wantColumn: 17},
		{name: "truncated JSON", body: "[" + one, headers: []string{bearer(tokGatewayAll)}, status: 400, typ: "urn:vigie:problem:malformed-body"},
		{name: "trailing data", body: one + " x", headers: []string{bearer(tokGatewayAll)}, status: 400, typ: "urn:vigie:problem:malformed-body"},
		{name: "not an object", body: `[1]`, headers: []string{bearer(tokGatewayAll)}, status: 400, typ: "urn:vigie:problem:malformed-body", violations: []string{"0/"}},
		{name: "empty body", body: ``, headers: []string{bearer(tokGatewayAll)}, status: 400, typ: "urn:vigie:problem:malformed-body"},
		{name: "empty array", body: `[]`, headers: []string{bearer(tokGatewayAll)}, status: 422, typ: "urn:vigie:problem:invalid-readings"},
		{
			name: "every bad item listed", body: string(fixture(t, "invalid.json")), headers: []string{bearer(tokGatewayAll)}, status: 422, typ: "urn:vigie:problem:invalid-readings",
			violations: []string{"1/value", "2/time", "3/time", "4/value", "5/unit"},
		},
		{name: "CSV field count", body: "time,sensor,value\n2025-10-10T02:00:00Z,mejean.level,1\n2025-10-10T02:01:00Z,mejean.level\n", headers: []string{bearer(tokGatewayAll), "Content-Type: text/csv"}, status: 400, typ: "urn:vigie:problem:malformed-body", violations: []string{"1/"}, wantLine: 3},
		{name: "CSV without header", body: "2025-10-10T02:00:00Z,mejean.level,1\n", headers: []string{bearer(tokGatewayAll), "Content-Type: text/csv"}, status: 400, typ: "urn:vigie:problem:malformed-body", wantLine: 1},
		{name: "CSV bad values", body: "time,sensor,value\n2025-10-10T02:00:00Z,mejean.level,NaN\nyesterday,mejean.level,1\n2025-10-10T02:00:00Z,,0x1p3\n", headers: []string{bearer(tokGatewayAll), "Content-Type: text/csv"}, status: 422, typ: "urn:vigie:problem:invalid-readings", violations: []string{"0/value", "1/time", "2/sensor", "2/value"}},
		{name: "unknown sensor", body: `[{"sensor":"nowhere.level","time":"2025-10-10T02:00:00Z","value":1}]`, headers: []string{bearer(tokGatewayAll)}, status: 422, typ: "urn:vigie:problem:invalid-readings", violations: []string{"0/"}},
		{name: "sensor outside the key's scope", body: one, headers: []string{bearer(tokGatewayNord)}, status: 403, typ: "urn:vigie:problem:forbidden-sensors", violations: []string{"0/"}},
		{name: "body over the limit (Content-Length)", cfg: httpapi.Config{MaxBodyBytes: 100}, body: "[" + one + "," + one + "]", headers: []string{bearer(tokGatewayAll)}, status: 413, typ: "urn:vigie:problem:too-large"},
		{name: "CSV body over the limit", cfg: httpapi.Config{MaxBodyBytes: 100}, body: "time,sensor,value\n" + strings.Repeat("2025-10-10T02:00:00Z,mejean.level,1\n", 10), headers: []string{bearer(tokGatewayAll), "Content-Type: text/csv"}, status: 413, typ: "urn:vigie:problem:too-large"},
		{name: "too many readings", cfg: httpapi.Config{MaxBatch: 2}, body: "[" + one + "," + one + "," + one + "]", headers: []string{bearer(tokGatewayAll)}, status: 413, typ: "urn:vigie:problem:too-large"},
		{name: "too many CSV rows", cfg: httpapi.Config{MaxBatch: 1}, body: "time,sensor,value\n2025-10-10T02:00:00Z,mejean.level,1\n2025-10-10T02:00:00Z,mejean.level,1\n", headers: []string{bearer(tokGatewayAll), "Content-Type: text/csv"}, status: 413, typ: "urn:vigie:problem:too-large"},
		{name: "unsupported media type", body: one, headers: []string{bearer(tokGatewayAll), "Content-Type: application/x-www-form-urlencoded"}, status: 415, typ: "urn:vigie:problem:unsupported-media-type"},
		{name: "concurrent writer", body: one, headers: []string{bearer(tokGatewayAll)}, ingesterErr: fmt.Errorf("append: %w", eventstore.ErrConflict), status: 409, typ: "about:blank"},
		{name: "store failure", body: one, headers: []string{bearer(tokGatewayAll)}, ingesterErr: errors.New("pebble: disk full at /var/lib/vigie"), status: 500, typ: "about:blank"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tt.cfg)
			e.ingester.err = tt.ingesterErr
			rec := e.do(t, http.MethodPost, "/api/v1/readings", strings.NewReader(tt.body), tt.headers...)
			p := problem(t, rec, tt.status)
			if p.Type != tt.typ {
				t.Errorf("type = %q, want %q", p.Type, tt.typ)
			}
			var got []string
			for _, v := range p.Errors {
				i := -1
				if v.Index != nil {
					i = *v.Index
				}
				got = append(got, fmt.Sprintf("%d/%s", i, v.Field))
				if v.Detail == "" {
					t.Errorf("violation %+v has no detail", v)
				}
			}
			if tt.violations != nil && fmt.Sprint(got) != fmt.Sprint(tt.violations) {
				t.Errorf("violations = %v, want %v (%s)", got, tt.violations, rec.Body.String())
			}
			if tt.wantLine != 0 && (len(p.Errors) != 1 || p.Errors[0].Line != tt.wantLine || tt.wantColumn != 0 && p.Errors[0].Column != tt.wantColumn) {
				t.Errorf("location = %+v, want line %d column %d", p.Errors, tt.wantLine, tt.wantColumn)
			}
			switch tt.status {
			case 401:
				if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
				}
			case 500:
				if strings.Contains(rec.Body.String(), "disk") || strings.Contains(rec.Body.String(), "secret") {
					t.Errorf("500 body shows the cause: %s", rec.Body.String())
				}
				if !strings.Contains(e.logs.String(), strings.TrimPrefix(p.Instance, "urn:vigie:request:")) {
					t.Errorf("cause not logged under the request id %s:\n%s", p.Instance, e.logs.String())
				}
			}
			// Nothing is stored when the request is refused: the parser's refusals never reach
			// the ingester, whose own refusals store nothing by contract.
			reaches := tt.ingesterErr != nil || tt.typ == "urn:vigie:problem:forbidden-sensors" || tt.name == "unknown sensor"
			if n := len(e.ingester.Calls()); !reaches && n != 0 {
				t.Errorf("ingester called %d times for a request refused by the API", n)
			}
		})
	}
}

func TestWWWAuthenticateSaysWhetherTheTokenIsWrong(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	if got := e.do(t, http.MethodPost, "/api/v1/readings", nil).Header().Get("WWW-Authenticate"); got != `Bearer realm="vigie"` {
		t.Errorf("without credentials: %q", got)
	}
	if got := e.do(t, http.MethodPost, "/api/v1/readings", nil, bearer("vg_x")).Header().Get("WWW-Authenticate"); got != `Bearer realm="vigie", error="invalid_token"` {
		t.Errorf("with a wrong key: %q", got)
	}
}

func TestPostReadingsScopeIsPassedToTheIngester(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	rec := e.do(t, http.MethodPost, "/api/v1/readings", strings.NewReader(`{"sensor":"bassin-nord.level","time":"2025-10-10T02:00:00Z","value":1}`), bearer(tokGatewayNord))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	c := e.ingester.Calls()[0]
	if c.Allowed == nil || !c.Allowed("bassin-nord.level") || c.Allowed("mejean.level") {
		t.Fatal("the key's scope did not reach IngestReadings.Allowed")
	}
	if c.CorrelationID == "" || c.CorrelationID != rec.Header().Get("X-Request-ID") {
		t.Errorf("correlation id %q, X-Request-ID %q", c.CorrelationID, rec.Header().Get("X-Request-ID"))
	}
}

// A chunked body has no Content-Length: the limit applies while reading.
func TestPostReadingsChunkedBodyOverLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{MaxBodyBytes: 1000})
	body := io.MultiReader(strings.NewReader("["), strings.NewReader(strings.Repeat(`{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1},`, 100)))
	req, err := http.NewRequest(http.MethodPost, "/api/v1/readings", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tokGatewayAll)
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	problem(t, rec, http.StatusRequestEntityTooLarge)
	if len(e.ingester.Calls()) != 0 {
		t.Error("ingester called")
	}
}

func TestStormFileIngestsAsCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	rec := e.do(t, http.MethodPost, "/api/v1/readings", bytes.NewReader(fixture(t, "storm.csv")), bearer(tokGatewayAll), "Content-Type: text/csv")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	got := decode[ingestResponse](t, rec)
	lines := bytes.Count(fixture(t, "storm.csv"), []byte("\n")) - 1
	if got.Accepted != lines || got.ResultsComplete {
		t.Errorf("accepted %d of %d lines, results complete %v (over FullResultsUpTo)", got.Accepted, lines, got.ResultsComplete)
	}
}
