package twilio_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/sms"
	"github.com/vigie/vigie/adapters/notify/sms/twilio"
)

// Twilio's published example of a signed request.
func TestSignatureKnownVector(t *testing.T) {
	t.Parallel()
	form := url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"},
	}
	const u, want = "https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="
	if got := twilio.Signature("12345", u, form); got != want {
		t.Fatalf("Signature = %q, want %q", got, want)
	}
	tests := []struct {
		name  string
		token string
		url   string
		form  url.Values
		sig   string
		want  bool
	}{
		{"as published", "12345", u, form, want, true},
		{"with the default port", "12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", form, want, true},
		{"other token", "54321", u, form, want, false},
		{"tampered value", "12345", u, with(form, "Digits", "9999"), want, false},
		{"extra field", "12345", u, with(form, "Body", "OK"), want, false},
		{"other query", "12345", "https://mycompany.com/myapp.php?foo=1&bar=3", form, want, false},
		{"other host", "12345", "https://evil.example/myapp.php?foo=1&bar=2", form, want, false},
		{"http instead of https", "12345", "http://mycompany.com/myapp.php?foo=1&bar=2", form, want, false},
		{"empty signature", "12345", u, form, "", false},
		{"empty token", "", u, form, want, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := twilio.ValidSignature(tt.token, tt.url, tt.form, tt.sig); got != tt.want {
				t.Errorf("ValidSignature = %v, want %v", got, tt.want)
			}
		})
	}
}

func with(v url.Values, k, val string) url.Values {
	c := url.Values{}
	for key, vs := range v {
		c[key] = append([]string(nil), vs...)
	}
	c.Set(k, val)
	return c
}

type call struct{ kind, id, reason, from, text string }

type sink struct {
	mu    sync.Mutex
	calls []call
	at    []time.Time
	err   error
}

func (s *sink) Delivered(_ context.Context, id string) error {
	return s.add(call{kind: "delivered", id: id}, time.Time{})
}

func (s *sink) Failed(_ context.Context, id, reason string) error {
	return s.add(call{kind: "failed", id: id, reason: reason}, time.Time{})
}

func (s *sink) Reply(_ context.Context, from, text string, at time.Time) error {
	return s.add(call{kind: "reply", from: from, text: text}, at)
}

func (s *sink) add(c call, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.calls = append(s.calls, c)
	s.at = append(s.at, at)
	return nil
}

func (s *sink) got() []call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]call(nil), s.calls...)
}

var (
	_ sms.Receipts = (*sink)(nil)
	_ sms.Replies  = (*sink)(nil)
)

const publicBase = "https://vigie.example.fr"

// post sends form to h as the gateway would at publicBase+path, signed with token (unsigned when
// token is "").
func post(h http.Handler, path string, form url.Values, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set(twilio.SignatureHeader, twilio.Signature(token, publicBase+path, form))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func webhookNotifier(t *testing.T, logs *notifytest.LogBuffer, now time.Time) *twilio.Notifier {
	t.Helper()
	cfg := config("https://api.twilio.com")
	cfg.WebhookBaseURL = publicBase
	n, err := twilio.New(cfg, logs.Logger(), twilio.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStatusWebhook(t *testing.T) {
	t.Parallel()
	const path = "/api/v1/webhooks/sms/status"
	sid := "SM0123456789abcdef0123456789abcdef"
	tests := []struct {
		name       string
		form       url.Values
		token      string
		sinkErr    error
		wantStatus int
		want       []call
	}{
		{"delivered", url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}, "AccountSid": {accountSID}}, authToken, nil,
			204, []call{{kind: "delivered", id: sid}}},
		{"undelivered with code", url.Values{"MessageSid": {sid}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}}, authToken, nil,
			204, []call{{kind: "failed", id: sid, reason: "undelivered (error 30003: unreachable destination handset)"}}},
		{"failed", url.Values{"MessageSid": {sid}, "MessageStatus": {"failed"}}, authToken, nil,
			204, []call{{kind: "failed", id: sid, reason: "failed"}}},
		{"legacy field names", url.Values{"SmsSid": {sid}, "SmsStatus": {"delivered"}}, authToken, nil,
			204, []call{{kind: "delivered", id: sid}}},
		{"intermediate status ignored", url.Values{"MessageSid": {sid}, "MessageStatus": {"sent"}}, authToken, nil, 204, nil},
		{"unsigned", url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}}, "", nil, 403, nil},
		{"signed with another token", url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}}, "not-the-token", nil, 403, nil},
		{"missing sid", url.Values{"MessageStatus": {"delivered"}}, authToken, nil, 400, nil},
		{"receipts down", url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}}, authToken, errors.New("event store down"), 500, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logs := &notifytest.LogBuffer{}
			s := &sink{err: tt.sinkErr}
			h := webhookNotifier(t, logs, time.Time{}).StatusHandler(s)
			w := post(h, path, tt.form, tt.token)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.wantStatus)
			}
			if got := s.got(); !equalCalls(got, tt.want) {
				t.Errorf("calls %+v, want %+v", got, tt.want)
			}
			if strings.Contains(logs.String(), authToken) {
				t.Errorf("logs leak the auth token:\n%s", logs)
			}
		})
	}
}

func TestInboundWebhook(t *testing.T) {
	t.Parallel()
	const path = "/api/v1/webhooks/sms/inbound"
	now := time.Date(2026, 11, 29, 14, 7, 0, 0, time.UTC)
	logs := &notifytest.LogBuffer{}
	s := &sink{}
	h := webhookNotifier(t, logs, now).InboundHandler(s)
	form := url.Values{"From": {"+33612345678"}, "To": {"+33700000001"}, "Body": {"OK 4821"}, "MessageSid": {"SM1"}, "AccountSid": {accountSID}}
	w := post(h, path, form, authToken)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<Response></Response>") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/xml") {
		t.Fatalf("answer %d %q %q, want 200 and an empty TwiML response", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	want := []call{{kind: "reply", from: "+33612345678", text: "OK 4821"}}
	if got := s.got(); !equalCalls(got, want) || !s.at[0].Equal(now) {
		t.Errorf("replies %+v at %v, want %+v at %v", got, s.at, want, now)
	}
	for _, tt := range []struct {
		name   string
		method string
		form   url.Values
		token  string
		want   int
	}{
		{"unsigned", http.MethodPost, form, "", 403},
		{"forged", http.MethodPost, with(form, "Body", "OK 9999"), "guess", 403},
		{"get", http.MethodGet, form, authToken, 405},
		{"no body field", http.MethodPost, url.Values{"From": {"+33612345678"}}, authToken, 400},
	} {
		var rec *httptest.ResponseRecorder
		if tt.method == http.MethodGet {
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		} else {
			rec = post(h, path, tt.form, tt.token)
		}
		if rec.Code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.want)
		}
	}
	if got := len(s.got()); got != 1 {
		t.Errorf("%d replies handed over, want only the signed one", got)
	}
}

// Without WebhookBaseURL the URL is rebuilt from the request, honouring X-Forwarded-Proto.
func TestWebhookURLFromRequest(t *testing.T) {
	t.Parallel()
	n := newNotifier(t, config("https://api.twilio.com"), slog.New(slog.DiscardHandler))
	s := &sink{}
	srv := httptest.NewServer(n.InboundHandler(s))
	t.Cleanup(srv.Close)
	form := url.Values{"From": {"+33612345678"}, "Body": {"1"}}
	for _, tt := range []struct {
		name, proto, signedURL string
		want                   int
	}{
		{"plain", "", srv.URL + "/in?x=1", 200},
		{"behind a TLS proxy", "https", strings.Replace(srv.URL, "http://", "https://", 1) + "/in?x=1", 200},
		{"query changed", "", srv.URL + "/in?x=2", 403},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/in?x=1", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(twilio.SignatureHeader, twilio.Signature(authToken, tt.signedURL, form))
		if tt.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
}

func equalCalls(a, b []call) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Whatever a client posts, the webhooks do not panic, and nothing unsigned reaches the callbacks.
func FuzzStatusWebhook(f *testing.F) {
	f.Add("MessageSid=SM1&MessageStatus=delivered", true)
	f.Add("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30003&ErrorMessage=x", true)
	f.Add("SmsSid=&SmsStatus=failed", false)
	f.Add("%zz=1&&=", true)
	f.Add(strings.Repeat("a=b&", 5000), true)
	n, err := twilio.New(twilio.Config{AccountSID: accountSID, AuthToken: authToken, From: "+33700000001", WebhookBaseURL: publicBase}, slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, signed bool) {
		s := &sink{}
		for _, h := range []http.Handler{n.StatusHandler(s), n.InboundHandler(s)} {
			req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if signed {
				if form, err := url.ParseQuery(body); err == nil {
					req.Header.Set(twilio.SignatureHeader, twilio.Signature(authToken, publicBase+"/hook", form))
				}
			} else {
				req.Header.Set(twilio.SignatureHeader, "AAAA")
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if !signed && (w.Code != http.StatusForbidden && w.Code != http.StatusBadRequest && w.Code != http.StatusRequestEntityTooLarge) {
				t.Fatalf("unsigned request answered %d", w.Code)
			}
		}
		if !signed && len(s.got()) > 0 {
			t.Fatalf("unsigned request reached the callbacks: %+v", s.got())
		}
		for _, c := range s.got() {
			if c.kind == "failed" && len(c.reason) > 300 {
				t.Errorf("reason of %d bytes", len(c.reason))
			}
		}
	})
}
