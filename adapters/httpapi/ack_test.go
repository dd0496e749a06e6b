package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/notify/email"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/alarm"
)

// linkVerifier adapts the real signer, email.AckLinks, as the wiring does.
type linkVerifier struct{ links *email.AckLinks }

func (v linkVerifier) VerifyAckLink(token string) (string, string, error) {
	a, o, err := v.links.Verify(token)
	switch {
	case errors.Is(err, email.ErrAckExpired):
		return "", "", httpapi.ErrAckLinkExpired
	case err != nil:
		return "", "", httpapi.ErrAckLinkInvalid
	}
	return a, o, nil
}

// linkAcker records the acknowledgements; refuse makes them fail.
type linkAcker struct {
	mu     sync.Mutex
	refuse error
	calls  []string
}

func (a *linkAcker) AckByLink(_ context.Context, alarmID, operator string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, alarmID+" by "+operator)
	return a.refuse
}

func (a *linkAcker) got() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

// ackedAlarms is the alarm engine with its one alarm already acknowledged.
type ackedAlarms struct{ *fakeAlarms }

func (f ackedAlarms) Alarm(ctx context.Context, id string) (readstore.AlarmView, error) {
	v, err := f.fakeAlarms.Alarm(ctx, id)
	v.Acknowledged = true
	return v, err
}

// describedAlarms is the alarm engine with a full view of its one alarm.
type describedAlarms struct{ *fakeAlarms }

func (f describedAlarms) Alarm(ctx context.Context, id string) (readstore.AlarmView, error) {
	v, err := f.fakeAlarms.Alarm(ctx, id)
	v.Condition, v.Severity, v.Summary = "level:alerte", "high", "Niveau 6,12 m au-dessus du seuil alerte (6 m)"
	return v, err
}

type ackEnv struct {
	*env
	links *email.AckLinks
	acker *linkAcker
}

func newAckEnv(t testing.TB, alarms httpapi.AlarmService) ackEnv {
	t.Helper()
	links, err := email.NewAckLinks(email.AckConfig{BaseURL: "https://vigie.example.org/ack", Secret: []byte(strings.Repeat("k", 32)),
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	acker := &linkAcker{}
	e := newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) {
		d.AckLinks, d.LinkAck = linkVerifier{links}, acker
		if alarms != nil {
			d.Alarms = alarms
		}
	})
	return ackEnv{env: e, links: links, acker: acker}
}

func (e ackEnv) token(alarmID string, expiry time.Time) string {
	return e.links.Token(alarmID, "op-durand", expiry)
}

func TestAckPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		alarms     httpapi.AlarmService
		query      func(e ackEnv) string
		headers    []string
		wantStatus int
		want       []string
		notWant    []string
	}{
		{"valid link shows the button, in French", &fakeAlarms{}, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(time.Hour)) }, nil,
			http.StatusOK, []string{`<html lang="fr">`, "<h1>Acquitter l&#39;alarme</h1>", `<form method="post" action="ack">`, `<button type="submit">Acquitter</button>`,
				"Barrage de Méjean", "<strong>op-durand</strong>", "il faut appuyer sur le bouton"}, nil},
		{"names the alarm", describedAlarms{&fakeAlarms{}}, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(time.Hour)) }, nil,
			http.StatusOK, []string{"<dt>Barrage</dt><dd>Barrage de Méjean</dd>", "<dt>Condition</dt><dd>level:alerte</dd>", "<dt>Gravité</dt><dd>haute</dd>",
				"<p>Niveau 6,12 m au-dessus du seuil alerte (6 m)</p>"}, nil},
		{"English when preferred", &fakeAlarms{}, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(time.Hour)) },
			[]string{"Accept-Language: de-DE, en-GB;q=0.8, fr;q=0.5"},
			http.StatusOK, []string{`<html lang="en">`, `<button type="submit">Acknowledge</button>`, "<dt>Dam</dt><dd>Barrage de Méjean</dd>"}, []string{"Acquitter"}},
		{"French preferred to English", nil, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(time.Hour)) },
			[]string{"Accept-Language: en;q=0.5, fr-FR"}, http.StatusOK, []string{`<html lang="fr">`}, nil},
		{"without the alarm engine the page still works", nil, func(e ackEnv) string { return "t=" + e.token("x~y~1", now.Add(time.Hour)) }, nil,
			http.StatusOK, []string{`<button type="submit">Acquitter</button>`}, []string{"<dl>"}},
		{"alarm not in the views", &fakeAlarms{}, func(e ackEnv) string { return "t=" + e.token("unknown~alarm~1", now.Add(time.Hour)) }, nil,
			http.StatusOK, []string{`<button type="submit">Acquitter</button>`}, []string{"<dl>"}},
		{"already acknowledged: no button", ackedAlarms{&fakeAlarms{}}, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(time.Hour)) }, nil,
			http.StatusOK, []string{"Alarme déjà acquittée", "Barrage de Méjean"}, []string{"<button"}},
		{"expired link", nil, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(-time.Second)) }, nil,
			http.StatusGone, []string{"<h1>Lien expiré</h1>", "répondant au SMS"}, []string{"<button", "<form"}},
		{"expired link, in English", nil, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(-time.Second)) }, []string{"Accept-Language: en"},
			http.StatusGone, []string{"<h1>Link expired</h1>"}, nil},
		{"tampered link", nil, func(e ackEnv) string { return "t=" + e.token(knownAlarm, now.Add(time.Hour)) + "A" }, nil,
			http.StatusBadRequest, []string{"<h1>Lien invalide</h1>"}, []string{"<button"}},
		{"link signed with another secret", nil, func(ackEnv) string {
			other, _ := email.NewAckLinks(email.AckConfig{BaseURL: "https://x/ack", Secret: []byte(strings.Repeat("z", 32))})
			return "t=" + other.Token(knownAlarm, "op-durand", now.Add(time.Hour))
		}, nil, http.StatusBadRequest, []string{"<h1>Lien invalide</h1>"}, nil},
		{"no token", nil, func(ackEnv) string { return "" }, nil, http.StatusBadRequest, []string{"<h1>Lien invalide</h1>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newAckEnv(t, tt.alarms)
			q := tt.query(e)
			rec := e.do(t, http.MethodGet, "/ack?"+q, nil, tt.headers...)
			body := rec.Body.String()
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.wantStatus, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("the page has %q:\n%s", w, body)
				}
			}
			if got := e.acker.got(); len(got) != 0 {
				t.Errorf("a GET acknowledged %v: mail scanners follow links", got)
			}
			h := rec.Header()
			for k, v := range map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
				"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
				if h.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, h.Get(k), v)
				}
			}
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			if h.Get("Set-Cookie") != "" {
				t.Errorf("the page sets a cookie: %q", h.Get("Set-Cookie"))
			}
			if tok, _ := url.ParseQuery(q); tok.Get("t") != "" && strings.Contains(e.logs.String(), tok.Get("t")) {
				t.Errorf("the token is in the log:\n%s", e.logs.String())
			}
		})
	}
}

func TestAckPost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		refuse     error
		token      func(e ackEnv) string
		inQuery    bool
		headers    []string
		wantStatus int
		wantCalls  int
		want       []string
	}{
		{"acknowledges", nil, func(e ackEnv) string { return e.token(knownAlarm, now.Add(time.Hour)) }, false, nil,
			http.StatusOK, 1, []string{"<h1>Alarme acquittée</h1>", "Barrage de Méjean"}},
		{"acknowledges, in English", nil, func(e ackEnv) string { return e.token(knownAlarm, now.Add(time.Hour)) }, false, []string{"Accept-Language: en-US,en;q=0.9"},
			http.StatusOK, 1, []string{"<h1>Alarm acknowledged</h1>"}},
		{"token in the query", nil, func(e ackEnv) string { return e.token(knownAlarm, now.Add(time.Hour)) }, true, nil,
			http.StatusOK, 1, []string{"<h1>Alarme acquittée</h1>"}},
		{"expired", nil, func(e ackEnv) string { return e.token(knownAlarm, now.Add(-time.Minute)) }, false, nil,
			http.StatusGone, 0, []string{"<h1>Lien expiré</h1>"}},
		{"forged", nil, func(e ackEnv) string { return "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, false, nil,
			http.StatusBadRequest, 0, []string{"<h1>Lien invalide</h1>"}},
		{"no token", nil, func(e ackEnv) string { return "" }, false, nil, http.StatusBadRequest, 0, []string{"<h1>Lien invalide</h1>"}},
		{"shelved alarm", fmt.Errorf("acknowledge: %w", alarm.ErrShelved), func(e ackEnv) string { return e.token(knownAlarm, now.Add(time.Hour)) }, false, nil,
			http.StatusConflict, 1, []string{"<h1>Acquittement refusé</h1>", "mise de côté"}},
		{"alarm unknown to the engine", fmt.Errorf("alarm x: %w", readstore.ErrNotFound), func(e ackEnv) string { return e.token("x~y~1", now.Add(time.Hour)) }, false, nil,
			http.StatusNotFound, 1, []string{"<h1>Lien invalide</h1>"}},
		{"engine failing", errors.New("event store down"), func(e ackEnv) string { return e.token(knownAlarm, now.Add(time.Hour)) }, false, nil,
			http.StatusInternalServerError, 1, []string{"<h1>Acquittement impossible</h1>", "Réessayez"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newAckEnv(t, &fakeAlarms{})
			e.acker.refuse = tt.refuse
			tok := tt.token(e)
			target, body := "/ack", url.Values{"t": {tok}}.Encode()
			if tt.inQuery {
				target, body = "/ack?t="+tok, ""
			}
			rec := e.do(t, http.MethodPost, target, strings.NewReader(body), append(tt.headers, "Content-Type: application/x-www-form-urlencoded")...)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("the page lacks %q:\n%s", w, rec.Body.String())
				}
			}
			calls := e.acker.got()
			if len(calls) != tt.wantCalls {
				t.Fatalf("AckByLink called %d times (%v), want %d", len(calls), calls, tt.wantCalls)
			}
			if tt.wantCalls == 1 && !strings.HasSuffix(calls[0], " by op-durand") {
				t.Errorf("AckByLink(%s), want the operator of the link", calls[0])
			}
			if tok != "" && strings.Contains(e.logs.String(), tok) {
				t.Errorf("the token is in the log:\n%s", e.logs.String())
			}
			if tt.wantStatus >= 500 && !strings.Contains(e.logs.String(), "event store down") {
				t.Errorf("the cause of a 500 is not logged:\n%s", e.logs.String())
			}
		})
	}
}

// TestAckPostTwice: the button pressed twice acknowledges twice, which the alarm ignores; both
// answers say it is done.
func TestAckPostTwice(t *testing.T) {
	t.Parallel()
	e := newAckEnv(t, nil)
	form := url.Values{"t": {e.token(knownAlarm, now.Add(time.Hour))}}.Encode()
	for i := range 2 {
		rec := e.do(t, http.MethodPost, "/ack", strings.NewReader(form), "Content-Type: application/x-www-form-urlencoded")
		if rec.Code != http.StatusOK {
			t.Fatalf("post %d: status %d", i+1, rec.Code)
		}
	}
	if n := len(e.acker.got()); n != 2 {
		t.Errorf("AckByLink called %d times, want 2", n)
	}
}

func TestAckPostBodyTooLarge(t *testing.T) {
	t.Parallel()
	e := newAckEnv(t, nil)
	body := "t=" + strings.Repeat("A", 20<<10)
	rec := e.do(t, http.MethodPost, "/ack", strings.NewReader(body), "Content-Type: application/x-www-form-urlencoded")
	if rec.Code != http.StatusBadRequest || len(e.acker.got()) != 0 {
		t.Errorf("status %d, %d acknowledgements; want 400 and none", rec.Code, len(e.acker.got()))
	}
}

// TestAckNotServedWithoutLinks: without a verifier and an acknowledger the routes do not exist,
// and giving only one of the two is a wiring mistake.
func TestAckNotServedWithoutLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	if rec := e.do(t, http.MethodGet, "/ack?t=x", nil); rec.Code != http.StatusNotFound {
		t.Errorf("GET /ack without links: status %d, want 404", rec.Code)
	}
	if rec := e.do(t, http.MethodPost, "/ack", strings.NewReader("t=x"), "Content-Type: application/x-www-form-urlencoded"); rec.Code != http.StatusNotFound {
		t.Errorf("POST /ack without links: status %d, want 404", rec.Code)
	}
	deps := httpapi.Deps{LinkAck: &linkAcker{}}
	if _, err := httpapi.New(httpapi.Config{}, deps, nil); err == nil || !strings.Contains(err.Error(), "acknowledgement links need both") {
		t.Errorf("New with an acknowledger and no verifier: %v", err)
	}
}

// TestWebhooksMounted: the providers' callbacks are reached without an API key, with the path
// under /api/v1/webhooks as the gateway called it; without Webhooks nothing is there.
func TestWebhooksMounted(t *testing.T) {
	t.Parallel()
	var got []string
	var mu sync.Mutex
	hooks := chi.NewRouter()
	hooks.Post("/sms/status", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.RequestURI()+" auth="+r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	e := newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) { d.Webhooks = hooks })
	rec := e.do(t, http.MethodPost, httpapi.WebhooksPath+"/sms/status?x=1", strings.NewReader("MessageSid=SM1"), "Content-Type: application/x-www-form-urlencoded")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d, want 204: %s", rec.Code, rec.Body.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != "/api/v1/webhooks/sms/status?x=1 auth=" {
		t.Errorf("the handler saw %q", got)
	}
	if rec := e.do(t, http.MethodPost, httpapi.WebhooksPath+"/sms/nothing", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown webhook: status %d, want 404", rec.Code)
	}
	bare := newEnv(t, httpapi.Config{})
	if rec := bare.do(t, http.MethodPost, httpapi.WebhooksPath+"/sms/status", nil); rec.Code != http.StatusNotFound {
		t.Errorf("no webhooks configured: status %d, want 404", rec.Code)
	}
}

func TestAckLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct{ header, want string }{
		{"", "fr"}, {"en", "en"}, {"EN-us", "en"}, {"fr-FR,fr;q=0.9,en;q=0.8", "fr"}, {"en-GB,en;q=0.9,fr;q=0.8", "en"},
		{"de, es", "fr"}, {"de, en;q=0.1", "en"}, {"en;q=0, fr;q=0.1", "fr"}, {"en;q=0", "fr"}, {"fr;q=0.4, en;q=0.5", "en"},
		{"en;q=abc", "fr"}, {"en;q=2", "fr"}, {"*", "fr"}, {"en;q=0.5, fr;q=0.5", "en"}, {",,;;=", "fr"},
	}
	e := newAckEnv(t, nil)
	tok := e.token(knownAlarm, now.Add(time.Hour))
	for _, tt := range tests {
		rec := e.do(t, http.MethodGet, "/ack?t="+tok, nil, "Accept-Language: "+tt.header)
		if got := rec.Header().Get("Content-Language"); got != tt.want {
			t.Errorf("Accept-Language %q: page in %q, want %q", tt.header, got, tt.want)
		}
	}
}

// FuzzAckLanguage: whatever the Accept-Language header, the page is French or English.
func FuzzAckLanguage(f *testing.F) {
	for _, s := range []string{"", "en", "fr-FR,fr;q=0.9,en;q=0.8", "en;q=NaN", "en;q=1e400", ";;;,,,", "en;q=-0"} {
		f.Add(s)
	}
	e := newAckEnv(f, nil)
	tok := e.token(knownAlarm, now.Add(time.Hour))
	f.Fuzz(func(t *testing.T, header string) {
		req, err := http.NewRequest(http.MethodGet, "/ack?t="+tok, nil)
		if err != nil {
			t.Skip()
		}
		req.Header.Set("Accept-Language", header)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if lang := rec.Header().Get("Content-Language"); rec.Code != http.StatusOK || (lang != "fr" && lang != "en") {
			t.Fatalf("Accept-Language %q: status %d, language %q", header, rec.Code, lang)
		}
	})
}

// withNotificationRoutes serves every optional notification route, as `vigie serve` does with
// acknowledgement links and a Twilio-compatible gateway (cmd/vigie builds the same webhook paths).
func withNotificationRoutes(d *httpapi.Deps) {
	links, err := email.NewAckLinks(email.AckConfig{BaseURL: "https://vigie.example.org/ack", Secret: []byte(strings.Repeat("k", 32))})
	if err != nil {
		panic(err)
	}
	hooks := chi.NewRouter()
	hooks.Post("/sms/status", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	hooks.Post("/sms/inbound", func(w http.ResponseWriter, r *http.Request) {})
	d.AckLinks, d.LinkAck, d.Webhooks = linkVerifier{links}, &linkAcker{}, hooks
}
