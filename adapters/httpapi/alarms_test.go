package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
)

// fakeAlarms answers like the alarm engine: alarm "mejean~level:alerte~1" exists; others are not
// raised; refuse makes every command fail with that error.
type fakeAlarms struct {
	mu       sync.Mutex
	refuse   error
	calls    []any
	lastList readstore.AlarmQuery
	lastKPI  readstore.AlarmKPIQuery
}

const knownAlarm = "mejean~level:alerte~1"

func (f *fakeAlarms) record(c any) (commands.AlarmResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	if f.refuse != nil {
		return commands.AlarmResult{}, f.refuse
	}
	return commands.AlarmResult{Position: 7, Recorded: 1}, nil
}

func (f *fakeAlarms) last() any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		return nil
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeAlarms) Alarms(_ context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	f.mu.Lock()
	f.lastList = q
	f.mu.Unlock()
	return []readstore.AlarmView{{ID: knownAlarm, Dam: "mejean", State: "unack_active"}}, nil
}

func (f *fakeAlarms) Alarm(_ context.Context, id string) (readstore.AlarmView, error) {
	if id != knownAlarm {
		return readstore.AlarmView{}, fmt.Errorf("alarm %s: %w", id, readstore.ErrNotFound)
	}
	return readstore.AlarmView{ID: id, Dam: "mejean", State: "ack_active"}, nil
}

func (f *fakeAlarms) AlarmHistory(_ context.Context, id string) ([]readstore.AlarmHistoryEntry, error) {
	return []readstore.AlarmHistoryEntry{{AlarmID: id, Type: "alarm.raised", Summary: "levée"}}, nil
}

func (f *fakeAlarms) AlarmKPIs(_ context.Context, q readstore.AlarmKPIQuery) (readstore.AlarmKPIs, error) {
	f.mu.Lock()
	f.lastKPI = q
	f.mu.Unlock()
	return readstore.AlarmKPIs{From: q.From, To: q.To, Dam: q.Dam}, nil
}

func (f *fakeAlarms) WaitForAlarms(context.Context, uint64) error { return nil }

func (f *fakeAlarms) Acknowledge(_ context.Context, c commands.AcknowledgeAlarm) (commands.AlarmResult, error) {
	return f.record(c)
}

func (f *fakeAlarms) Comment(_ context.Context, c commands.CommentAlarm) (commands.AlarmResult, error) {
	return f.record(c)
}

func (f *fakeAlarms) Shelve(_ context.Context, c commands.ShelveAlarm) (commands.AlarmResult, error) {
	return f.record(c)
}

func (f *fakeAlarms) Unshelve(_ context.Context, c commands.UnshelveAlarm) (commands.AlarmResult, error) {
	return f.record(c)
}

func (f *fakeAlarms) Close(_ context.Context, c commands.CloseAlarm) (commands.AlarmResult, error) {
	return f.record(c)
}

func (f *fakeAlarms) RemoveFromService(_ context.Context, c commands.RemoveFromService) (commands.MaintenanceResult, error) {
	_, err := f.record(c)
	return commands.MaintenanceResult{Dam: "mejean", Alarms: []alarm.ID{knownAlarm}, Position: 9}, err
}

func (f *fakeAlarms) ReturnToService(_ context.Context, c commands.ReturnToService) (commands.MaintenanceResult, error) {
	_, err := f.record(c)
	return commands.MaintenanceResult{Dam: "mejean", Position: 10}, err
}

func alarmEnv(t testing.TB, f *fakeAlarms) *env {
	return newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) { d.Alarms = f })
}

func TestAlarmEndpoints(t *testing.T) {
	t.Parallel()
	until := now.Add(time.Hour).Format(time.RFC3339)
	tests := []struct {
		name, method, target, token, body string
		refuse                            error
		status                            int
		problem                           string
		want                              any // the command the service received
	}{
		{name: "list", method: "GET", target: "/api/v1/alarms?state=unack_active,shelved&dam=mejean&severity=high&class=process&from=-24h", token: tokViewer, status: 200},
		{name: "list with an unknown state", method: "GET", target: "/api/v1/alarms?state=ringing", token: tokViewer, status: 400, problem: "urn:vigie:problem:invalid-parameter"},
		{name: "list without a key", method: "GET", target: "/api/v1/alarms", status: 401},
		{name: "one alarm", method: "GET", target: "/api/v1/alarms/" + knownAlarm, token: tokViewer, status: 200},
		{name: "one alarm, escaped", method: "GET", target: "/api/v1/alarms/mejean~level%3Aalerte~1", token: tokViewer, status: 200},
		{name: "unknown alarm", method: "GET", target: "/api/v1/alarms/mejean~level:crise~4", token: tokViewer, status: 404},
		{name: "KPIs", method: "GET", target: "/api/v1/alarms/kpis?from=2025-10-10T00:00:00Z&to=2025-10-11T00:00:00Z&dam=mejean", token: tokViewer, status: 200},
		{name: "KPIs over an empty period", method: "GET", target: "/api/v1/alarms/kpis?from=2025-10-11T00:00:00Z&to=2025-10-10T00:00:00Z", token: tokViewer, status: 400},
		{name: "acknowledge", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/ack", token: tokOperator, body: `{"comment":"vu"}`, status: 200,
			want: commands.AcknowledgeAlarm{AlarmID: knownAlarm, By: "apikey:op", Via: alarm.ViaAPI, Comment: "vu"}},
		{name: "acknowledge from the web, no body", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/ack", token: tokAdmin, body: `{"via":"web"}`, status: 200,
			want: commands.AcknowledgeAlarm{AlarmID: knownAlarm, By: "apikey:admin", Via: alarm.ViaWeb}},
		{name: "a viewer may not acknowledge", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/ack", token: tokViewer, status: 403},
		{name: "a gateway may not acknowledge", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/ack", token: tokGatewayAll, status: 403},
		{name: "acknowledge a shelved alarm", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/ack", token: tokOperator,
			refuse: fmt.Errorf("acknowledge alarm x (shelved): %w", alarm.ErrShelved), status: 409, problem: "urn:vigie:problem:alarm-state"},
		{name: "acknowledge an alarm never raised", method: "POST", target: "/api/v1/alarms/x~level:y~1/ack", token: tokOperator,
			refuse: fmt.Errorf("acknowledge alarm x: %w", alarm.ErrNotRaised), status: 404},
		{name: "comment from the console", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/comment", token: tokOperator, body: `{"comment":"vanne ouverte"}`, status: 200,
			want: commands.CommentAlarm{AlarmID: knownAlarm, By: "apikey:op", Text: "vanne ouverte"}},
		{name: "comment, empty", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/comment", token: tokOperator, body: `{"text":""}`,
			refuse: alarm.ErrCommentRequired, status: 422, problem: "urn:vigie:problem:invalid-command"},
		{name: "a misspelt field", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/comment", token: tokOperator, body: `{"txet":"x"}`, status: 400, problem: "urn:vigie:problem:malformed-body"},
		{name: "not JSON", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/shelve", token: tokOperator, body: `reason=x`, status: 400},
		{name: "shelve", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/shelve", token: tokOperator, body: `{"reason":"travaux","until":"` + until + `"}`, status: 200,
			want: commands.ShelveAlarm{AlarmID: knownAlarm, By: "apikey:op", Reason: "travaux", Until: now.Add(time.Hour)}},
		{name: "shelve too long", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/shelve", token: tokOperator, body: `{"reason":"x","until":"` + until + `"}`,
			refuse: alarm.ErrShelveTooLong, status: 422},
		{name: "unshelve", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/unshelve", token: tokOperator, status: 200,
			want: commands.UnshelveAlarm{AlarmID: knownAlarm, By: "apikey:op"}},
		{name: "close an active alarm", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/close", token: tokOperator, body: `{"reason":"x"}`,
			refuse: alarm.ErrStillActive, status: 409, problem: "urn:vigie:problem:alarm-state"},
		{name: "a dam out of service", method: "POST", target: "/api/v1/dams/mejean/out-of-service", token: tokOperator, body: `{"reason":"vidange"}`, status: 200,
			want: commands.RemoveFromService{Dam: "mejean", By: "apikey:op", Reason: "vidange"}},
		{name: "a sensor back in service", method: "POST", target: "/api/v1/sensors/mejean.level/in-service", token: tokOperator, status: 200,
			want: commands.ReturnToService{Sensor: "mejean.level", By: "apikey:op"}},
		{name: "an unknown sensor", method: "POST", target: "/api/v1/sensors/x/out-of-service", token: tokOperator, body: `{"reason":"r"}`,
			refuse: commands.ErrUnknownScope, status: 404},
		{name: "the store fails", method: "POST", target: "/api/v1/alarms/" + knownAlarm + "/ack", token: tokOperator,
			refuse: fmt.Errorf("append: %w", context.DeadlineExceeded), status: 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeAlarms{refuse: tt.refuse}
			e := alarmEnv(t, f)
			var headers []string
			if tt.token != "" {
				headers = append(headers, bearer(tt.token))
			}
			rec := e.do(t, tt.method, tt.target, strings.NewReader(tt.body), append(headers, "Content-Type: application/json")...)
			if tt.status >= 400 {
				p := problem(t, rec, tt.status)
				if tt.problem != "" && p.Type != tt.problem {
					t.Errorf("problem type %s, want %s", p.Type, tt.problem)
				}
				if tt.status == 409 && !strings.Contains(p.Detail, ":") {
					t.Errorf("409 without a clear detail: %q", p.Detail)
				}
				return
			}
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("body is not JSON: %s", rec.Body)
			}
			if tt.want != nil {
				got := f.last()
				// The correlation id is the request's: not part of what the test fixes.
				if s := fmt.Sprintf("%+v", got); !strings.HasPrefix(s, strings.TrimSuffix(fmt.Sprintf("%+v", tt.want), " CorrelationID:}")) {
					t.Errorf("command\n got %s\nwant %+v", s, tt.want)
				}
			}
		})
	}
}

func TestAlarmListFilters(t *testing.T) {
	t.Parallel()
	f := &fakeAlarms{}
	e := alarmEnv(t, f)
	rec := e.do(t, "GET", "/api/v1/alarms?state=shelved&state=closed&dam=mejean,est&from=2025-10-10T00:00:00Z&to=-1h&limit=3", nil, bearer(tokViewer))
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	q := f.lastList
	if strings.Join(q.States, ",") != "shelved,closed" || strings.Join(q.Dams, ",") != "mejean,est" || q.Limit != 3 ||
		!q.From.Equal(time.Date(2025, 10, 10, 0, 0, 0, 0, time.UTC)) || !q.To.Equal(now.Add(-time.Hour)) {
		t.Errorf("query %+v", q)
	}
	var body struct {
		Alarms []readstore.AlarmView
		Count  int
	}
	json.Unmarshal(rec.Body.Bytes(), &body)
	if body.Count != 1 || len(body.Alarms) != 1 {
		t.Errorf("body %s", rec.Body)
	}
	// KPIs default to the last 24 h.
	e.do(t, "GET", "/api/v1/alarms/kpis", nil, bearer(tokViewer))
	if !f.lastKPI.To.Equal(now) || !f.lastKPI.From.Equal(now.Add(-24*time.Hour)) {
		t.Errorf("default KPI period %+v", f.lastKPI)
	}
}

func TestAlarmEndpointsWithoutTheEngine(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	for _, target := range []string{"/api/v1/alarms", "/api/v1/alarms/" + knownAlarm} {
		p := problem(t, e.do(t, "GET", target, nil, bearer(tokViewer)), http.StatusNotImplemented)
		if p.Type != "urn:vigie:problem:no-alarm-engine" {
			t.Errorf("%s: %+v", target, p)
		}
	}
}

// FuzzAlarmCommandBody: whatever an operator's client sends, the answer is a success or a 4xx
// problem, never a 500 or a panic.
func FuzzAlarmCommandBody(f *testing.F) {
	f.Add("ack", `{"comment":"vu"}`)
	f.Add("shelve", `{"reason":"r","until":"2025-10-10T11:00:00Z"}`)
	f.Add("comment", `{"text":"x","comment":"y"}`)
	f.Add("close", `{"reason":`)
	f.Add("out-of-service", `[]`)
	f.Add("shelve", `{"until":"yesterday"}`)
	f.Add("ack", "\x00\xff")
	e := alarmEnv(f, &fakeAlarms{})
	f.Fuzz(func(t *testing.T, action, body string) {
		target := "/api/v1/alarms/" + knownAlarm + "/" + url.PathEscape(action)
		if action == "out-of-service" || action == "in-service" {
			target = "/api/v1/dams/mejean/" + action
		}
		rec := e.do(t, "POST", target, strings.NewReader(body), bearer(tokOperator), "Content-Type: application/json")
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q: %d %s", target, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("POST %s %q: %d without a problem", target, body, rec.Code)
		}
	})
}

// cascadeAlarms is fakeAlarms whose alarm carries a cascade with these notifications.
type cascadeAlarms struct {
	*fakeAlarms
	notifications []readstore.AlarmNotification
}

func (f cascadeAlarms) view() readstore.AlarmView {
	return readstore.AlarmView{ID: knownAlarm, Dam: "mejean", State: "unack_active",
		Cascade: &readstore.AlarmCascade{Running: true, Step: 1, Notifications: f.notifications}}
}

func (f cascadeAlarms) Alarms(context.Context, readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	return []readstore.AlarmView{f.view()}, nil
}

func (f cascadeAlarms) Alarm(context.Context, string) (readstore.AlarmView, error) {
	return f.view(), nil
}

// TestAlarmConsoleNamesPeopleAndCodesFailures: the cascade of an alarm names the people paged
// (from the configuration, through WebConfig.OperatorNames) and codes the failure reasons the
// server recognises, keeping the recorded text; an unknown reason keeps its text alone.
func TestAlarmConsoleNamesPeopleAndCodesFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		reason     string
		wantCode   string
		wantParams []string
		wantCause  string
	}{
		{"no sms channel is configured (see notifications in the configuration)", "channel_not_configured", []string{"sms"}, ""},
		{"gave up after 3 attempt(s): busy: SIP 486 Busy Here", "gave_up", []string{"3", "busy: SIP 486 Busy Here"}, "call_busy"},
		{"gave up after 2 attempt(s): smtp: connection refused", "gave_up", []string{"2", "smtp: connection refused"}, ""},
		{"rate limit: the recipient's next slot (in 2m0s) is past the deadline", "rate_limited", []string{"2m0s"}, ""},
		{"deadline passed before the first attempt", "deadline_passed", nil, ""},
		{"no answer", "call_no_answer", []string{""}, ""},
		{"answered but silent (voicemail suspected): message played 2 time(s), nothing heard back", "call_silent", []string{"message played 2 time(s), nothing heard back"}, ""},
		{"undelivered (error 30003: unreachable destination handset)", "sms_undelivered", []string{"30003"}, ""},
		{"failed", "sms_failed", []string{""}, ""},
		{"the modem caught fire", "", nil, ""},
	}
	var ns []readstore.AlarmNotification
	for i, tt := range tests {
		ns = append(ns, readstore.AlarmNotification{ID: fmt.Sprint(i), Operator: "op-durand", Channel: "sms", Status: "failed", Reason: tt.reason, At: now})
	}
	ns = append(ns, readstore.AlarmNotification{ID: "x", Operator: "op-inconnu", Channel: "voice", Status: "sent", At: now})
	web, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: t.TempDir(), OperatorNames: map[string]string{"op-durand": "C. Durand"}})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) {
		d.Alarms = cascadeAlarms{fakeAlarms: &fakeAlarms{}, notifications: ns}
		d.Web = web
	})
	type note struct {
		Operator     string   `json:"operator"`
		OperatorName string   `json:"operator_name"`
		Reason       string   `json:"reason"`
		ReasonCode   string   `json:"reason_code"`
		ReasonParams []string `json:"reason_params"`
		ReasonCause  *struct {
			Code   string   `json:"code"`
			Params []string `json:"params"`
		} `json:"reason_cause"`
	}
	type view struct {
		ID      string `json:"id"`
		Cascade struct {
			Running       bool   `json:"running"`
			Notifications []note `json:"notifications"`
		} `json:"cascade"`
	}
	list := decode[struct {
		Alarms []view `json:"alarms"`
	}](t, e.do(t, http.MethodGet, "/api/v1/alarms", nil, bearer(tokViewer)))
	one := decode[view](t, e.do(t, http.MethodGet, "/api/v1/alarms/"+url.PathEscape(knownAlarm), nil, bearer(tokViewer)))
	for name, v := range map[string]view{"list": list.Alarms[0], "one": one} {
		got := v.Cascade.Notifications
		if !v.Cascade.Running || len(got) != len(tests)+1 {
			t.Fatalf("%s: cascade %+v: want running with %d notifications", name, v.Cascade, len(tests)+1)
		}
		for i, tt := range tests {
			g := got[i]
			if g.Operator != "op-durand" || g.OperatorName != "C. Durand" || g.Reason != tt.reason {
				t.Errorf("%s: notification %d = %+v: want op-durand named C. Durand, reason kept", name, i, g)
			}
			if g.ReasonCode != tt.wantCode || fmt.Sprint(g.ReasonParams) != fmt.Sprint(tt.wantParams) {
				t.Errorf("%s: %q coded %q %q, want %q %q", name, tt.reason, g.ReasonCode, g.ReasonParams, tt.wantCode, tt.wantParams)
			}
			if cause := ""; g.ReasonCause != nil || tt.wantCause != "" {
				if g.ReasonCause != nil {
					cause = g.ReasonCause.Code
				}
				if cause != tt.wantCause {
					t.Errorf("%s: %q has cause %q, want %q", name, tt.reason, cause, tt.wantCause)
				}
			}
		}
		if last := got[len(got)-1]; last.OperatorName != "" || last.Operator != "op-inconnu" {
			t.Errorf("%s: unknown operator = %+v: want the id alone", name, last)
		}
	}
}

// TestEveryFailureReasonIsTranslated keeps the UI's translations of failure reasons in step
// with the codes the API gives.
func TestEveryFailureReasonIsTranslated(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fr", "en"} {
		path := "../../ui/src/app/core/i18n/failure-reasons." + lang + ".json"
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]string
		if err := json.Unmarshal(raw, &texts); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		codes := httpapi.FailureReasonCodes()
		for _, code := range codes {
			if strings.TrimSpace(texts[code]) == "" {
				t.Errorf("%s: no translation for failure reason %q", path, code)
			}
		}
		for code := range texts {
			if !slices.Contains(codes, code) {
				t.Errorf("%s: translation for %q, a code the API does not give", path, code)
			}
		}
	}
}
