package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
)

// fakeReplays records the requests it got; block, when set, holds each replay until it is
// closed or the context ends.
type fakeReplays struct {
	mu      sync.Mutex
	got     []httpapi.ReplayRequest
	err     error
	block   chan struct{}
	started chan struct{}
}

func (f *fakeReplays) Replay(ctx context.Context, q httpapi.ReplayRequest) (httpapi.ReplayResult, error) {
	f.mu.Lock()
	f.got = append(f.got, q)
	err, block, started := f.err, f.block, f.started
	f.mu.Unlock()
	if started != nil {
		started <- struct{}{}
	}
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return httpapi.ReplayResult{}, fmt.Errorf("replay stopped: %w", ctx.Err())
		}
	}
	if err != nil {
		return httpapi.ReplayResult{}, err
	}
	earlier := -600.0
	raised := q.From.Add(time.Hour)
	return httpapi.ReplayResult{
		Config: "api:" + q.Actor, From: q.From, To: q.To, Readings: 42,
		Alarms: []httpapi.ReplayRow{
			{ID: "mejean~level:alerte~1", ShiftSeconds: &earlier,
				Recorded: &httpapi.ReplayAlarm{Dam: "mejean", Condition: "level:alerte", Severity: "alerte", Raised: raised.Add(10 * time.Minute)},
				Replayed: &httpapi.ReplayAlarm{Dam: "mejean", Condition: "level:alerte", Severity: "alerte", Raised: raised,
					Calls: []httpapi.ReplayCall{{At: raised, Step: 1, Operator: "op-durand", Channel: "sms"}}}},
			{ID: "mejean~level:crise~1", Replayed: &httpapi.ReplayAlarm{Dam: "mejean", Condition: "level:crise", Severity: "crise", Raised: raised}},
		},
		DifferingStreams: 2, Differences: []string{"alarm-mejean~level:alerte~1: raised 10m0s earlier"},
	}, nil
}

func (f *fakeReplays) requests() []httpapi.ReplayRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]httpapi.ReplayRequest(nil), f.got...)
}

func (f *fakeReplays) last() httpapi.ReplayRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.got[len(f.got)-1]
	f.got = f.got[:0] // the fuzzer runs it many times: keep it small
	return q
}

type replayAnswer struct {
	Config string    `json:"config"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Alarms []struct {
		ID       string   `json:"id"`
		Shift    *float64 `json:"shift_s"`
		Recorded *struct {
			Raised time.Time `json:"raised"`
		} `json:"recorded"`
		Replayed *struct {
			Calls []struct {
				Operator string `json:"operator"`
			} `json:"calls"`
		} `json:"replayed"`
	} `json:"alarms"`
	Same        bool     `json:"same_decisions"`
	Differing   int      `json:"differing_streams"`
	Differences []string `json:"differences"`
	Skipped     []string `json:"skipped"`
}

func TestReplayEndpoint(t *testing.T) {
	t.Parallel()
	replays := &fakeReplays{}
	e := newEnv(t, httpapi.Config{Replay: httpapi.ReplayLimits{MaxPeriod: 31 * 24 * time.Hour}}, func(d *httpapi.Deps) { d.Replays = replays })
	tests := []struct {
		name, token, body string
		status            int
		contains          string
	}{
		{"admin, last 24 h by default", tokAdmin, `{}`, 200, `"from":"2025-10-09T10:00:00Z","to":"2025-10-10T10:00:00Z"`},
		{"admin, empty body", tokAdmin, ``, 200, `"config":"api:`},
		{"a period and a configuration", tokAdmin, `{"from":"2025-10-01T00:00:00Z","to":"2025-10-03T00:00:00Z","config":"site: {}","cascade":"off"}`, 200, `"from":"2025-10-01T00:00:00Z"`},
		{"relative times", tokAdmin, `{"from":"-7d","to":"now"}`, 200, `"from":"2025-10-03T10:00:00Z"`},
		{"only from: a day", tokAdmin, `{"from":"2025-10-01T00:00:00Z"}`, 200, `"to":"2025-10-02T00:00:00Z"`},
		{"viewer", tokViewer, `{}`, 403, "auditor or an administrator"},
		{"operator", tokOperator, `{}`, 403, "auditor or an administrator"},
		{"gateway", tokGatewayAll, `{}`, 403, ""},
		{"period too long", tokAdmin, `{"from":"2025-08-01T00:00:00Z","to":"2025-10-01T00:00:00Z"}`, 400, "at most"},
		{"backwards period", tokAdmin, `{"from":"2025-10-05T00:00:00Z","to":"2025-10-01T00:00:00Z"}`, 400, "after from"},
		{"bad time", tokAdmin, `{"from":"yesterday"}`, 400, "from"},
		{"bad cascade", tokAdmin, `{"cascade":"maybe"}`, 400, "cascade"},
		{"unknown field", tokAdmin, `{"thresholds":[]}`, 400, "malformed-body"},
		{"not JSON", tokAdmin, `dams: []`, 400, "malformed-body"},
	}
	for _, tc := range tests {
		rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(tc.body), bearer(tc.token), "Content-Type: application/json")
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.contains) {
			t.Errorf("%s: %d %s, want %d containing %q", tc.name, rec.Code, rec.Body, tc.status, tc.contains)
		}
		if rec.Code != 200 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: content type %q", tc.name, rec.Header().Get("Content-Type"))
		}
	}
	if rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`)); rec.Code != http.StatusUnauthorized {
		t.Errorf("without a key: %d", rec.Code)
	}
	got := replays.requests()
	if len(got) != 5 {
		t.Fatalf("%d replays run, want 5 (the refused ones must not run)", len(got))
	}
	if q := got[2]; string(q.YAML) != "site: {}" || q.Cascade != "off" || q.Actor == "" {
		t.Errorf("request passed on as %+v", q)
	}
	if got[0].Cascade != "auto" {
		t.Errorf("default cascade %q, want auto", got[0].Cascade)
	}

	// The answer, as the UI reads it.
	rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), bearer(tokAdmin))
	a := decode[replayAnswer](t, rec)
	if len(a.Alarms) != 2 || a.Alarms[0].Shift == nil || *a.Alarms[0].Shift != -600 || a.Alarms[1].Recorded != nil || a.Alarms[1].Shift != nil {
		t.Errorf("alarms %+v", a.Alarms)
	}
	if len(a.Alarms[0].Replayed.Calls) != 1 || a.Alarms[1].Replayed.Calls == nil {
		t.Errorf("calls: %s", rec.Body)
	}
	if a.Same || a.Differing != 2 || a.Skipped == nil {
		t.Errorf("summary: %s", rec.Body)
	}
}

func TestReplayEndpointErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		status   int
		contains []string
	}{
		{"located YAML problems", &httpapi.ReplayConfigError{Problems: []httpapi.ConfigProblem{
			{Line: 3, Column: 5, Path: "dams[0].thresholds[1].level_m", Code: "threshold.order", Params: []string{"6.00", "5.50"},
				Message: "must be above the previous threshold"}}},
			422, []string{"urn:vigie:problem:invalid-config", `"line":3`, `"column":5`, `"field":"dams[0].thresholds[1].level_m"`,
				`"code":"threshold.order"`, `"params":["6.00","5.50"]`, "must be above"}},
		{"nothing to replay with", fmt.Errorf("%w: the log records no configuration", httpapi.ErrInvalidReplay),
			422, []string{"urn:vigie:problem:invalid-replay", "records no configuration"}},
		{"a failure", fmt.Errorf("disk on fire"), 500, []string{"Internal Server Error"}},
	}
	for _, tc := range tests {
		replays := &fakeReplays{err: tc.err}
		e := newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) { d.Replays = replays })
		rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{"config":"x"}`), bearer(tokAdmin))
		if rec.Code != tc.status {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body)
		}
		for _, c := range tc.contains {
			if !strings.Contains(rec.Body.String(), c) {
				t.Errorf("%s: %s lacks %q", tc.name, rec.Body, c)
			}
		}
		if strings.Contains(rec.Body.String(), "disk on fire") {
			t.Errorf("%s: the cause of a 500 leaks: %s", tc.name, rec.Body)
		}
	}
	none := newEnv(t, httpapi.Config{})
	if rec := none.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), bearer(tokAdmin)); rec.Code != http.StatusNotImplemented {
		t.Errorf("without replays: %d", rec.Code)
	}
}

// One replay at a time: a second one while the first runs is refused with 429 and Retry-After,
// and runs once the first is done.
func TestReplayOneAtATime(t *testing.T) {
	t.Parallel()
	replays := &fakeReplays{block: make(chan struct{}), started: make(chan struct{}, 1)}
	e := newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) { d.Replays = replays })
	first := make(chan *httptest.ResponseRecorder)
	go func() {
		first <- e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), bearer(tokAdmin))
	}()
	<-replays.started
	rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), bearer(tokAdmin))
	p := problem(t, rec, http.StatusTooManyRequests)
	if p.Type != "urn:vigie:problem:replay-busy" || rec.Header().Get("Retry-After") == "" {
		t.Errorf("busy answer %+v, Retry-After %q", p, rec.Header().Get("Retry-After"))
	}
	close(replays.block)
	if rec := <-first; rec.Code != 200 {
		t.Errorf("first replay: %d %s", rec.Code, rec.Body)
	}
	replays.mu.Lock()
	replays.started = nil
	replays.mu.Unlock()
	if rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), bearer(tokAdmin)); rec.Code != 200 {
		t.Errorf("after the first: %d %s", rec.Code, rec.Body)
	}
}

// A replay that outlives its time limit is abandoned (its context ends) and answered 503.
func TestReplayTimeout(t *testing.T) {
	t.Parallel()
	replays := &fakeReplays{block: make(chan struct{})}
	e := newEnv(t, httpapi.Config{Replay: httpapi.ReplayLimits{Timeout: 50 * time.Millisecond}}, func(d *httpapi.Deps) { d.Replays = replays })
	rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), bearer(tokAdmin))
	p := problem(t, rec, http.StatusServiceUnavailable)
	if p.Type != "urn:vigie:problem:replay-timeout" || !strings.Contains(p.Detail, "50ms") {
		t.Errorf("timeout answer %+v", p)
	}
	// The slot is free again.
	close(replays.block)
	if rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), bearer(tokAdmin)); rec.Code != 200 {
		t.Errorf("after the timeout: %d %s", rec.Code, rec.Body)
	}
}

// People: an auditor and an administrator may replay (with the session's CSRF token), a viewer
// and an operator may not.
func TestReplayBySession(t *testing.T) {
	t.Parallel()
	replays := &fakeReplays{}
	e := newWebEnv(t, httpapi.Config{}, func(d *httpapi.Deps) { d.Replays = replays })
	for user, want := range map[string]int{"audit": 200, "chef": 200, "martin": 403, "durand": 403} {
		cookie, csrf := e.login(t, user)
		rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), cookie, httpapi.CSRFHeader+": "+csrf, "Content-Type: application/json")
		if rec.Code != want {
			t.Errorf("%s: %d %s, want %d", user, rec.Code, rec.Body, want)
		}
		if user == "audit" {
			if rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(`{}`), cookie); rec.Code != http.StatusForbidden {
				t.Errorf("without the CSRF token: %d", rec.Code)
			}
		}
	}
	for _, q := range replays.requests() {
		if q.Actor != "user:audit" && q.Actor != "user:chef" {
			t.Errorf("replay run for %q", q.Actor)
		}
	}
}

// Whatever the body, the endpoint answers 200, 400 or 413 (never 500, never a panic), and a
// replay it runs covers a period in order and within the bound.
func FuzzReplayBody(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"from":"-7d","to":"now"}`, `{"from":"2025-10-01T00:00:00Z"}`,
		`{"to":"2025-10-01T00:00:00Z","cascade":"on","config":"site: {}"}`, `{"from":"-40d"}`, `[1]`, `{"from":1}`, `{"from":"+3d"}`} {
		f.Add(s)
	}
	replays := &fakeReplays{}
	e := newEnv(f, httpapi.Config{}, func(d *httpapi.Deps) { d.Replays = replays })
	f.Fuzz(func(t *testing.T, body string) {
		rec := e.do(t, http.MethodPost, "/api/v1/replay", strings.NewReader(body), bearer(tokAdmin))
		switch rec.Code {
		case 200, 400, 413:
		default:
			t.Fatalf("body %q: %d %s", body, rec.Code, rec.Body)
		}
		if rec.Code != 200 {
			return
		}
		q := replays.last()
		if !q.To.After(q.From) || q.To.Sub(q.From) > 31*24*time.Hour {
			t.Fatalf("body %q ran a replay over %s..%s", body, q.From, q.To)
		}
	})
}
