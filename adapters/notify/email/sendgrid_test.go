package email_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/email"
	"github.com/vigie/vigie/adapters/notify/notifytest"
)

const sendgridKey = "SG.vigie-test-key.never-logged"

// sendgridReceiver is a local stand-in for POST /v3/mail/send that checks requests against
// SendGrid's documented v3 contract (auth header, JSON shape, the documented validation rules) and
// answers as documented: 202 with an empty body, or 4xx/5xx with {"errors":[...]}. It is a contract
// test of what Vigie sends, not a claim of compatibility with the service.
type sendgridReceiver struct {
	*httptest.Server
	answer func() (int, string) // nil: 202 after validation

	mu         sync.Mutex
	got        []notifytest.Delivery
	bodies     []map[string]any
	violations []string
}

func newSendGridReceiver(t testing.TB, answer func() (int, string)) *sendgridReceiver {
	t.Helper()
	r := &sendgridReceiver{answer: answer}
	r.Server = httptest.NewServer(r) // listens on 127.0.0.1:0
	t.Cleanup(func() {
		r.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, v := range r.violations {
			t.Errorf("SendGrid contract violated: %s", v)
		}
	})
	return r
}

// Documented top-level fields of a v3 mail/send body.
var sgFields = map[string]bool{
	"personalizations": true, "from": true, "reply_to": true, "reply_to_list": true, "subject": true,
	"content": true, "attachments": true, "template_id": true, "headers": true, "categories": true,
	"custom_args": true, "send_at": true, "batch_id": true, "asm": true, "ip_pool_name": true,
	"mail_settings": true, "tracking_settings": true,
}

// Headers SendGrid refuses in "headers".
var sgReservedHeaders = []string{"x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
	"content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc"}

type sgAddress struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

type sgBody struct {
	Personalizations []struct {
		To      []sgAddress `json:"to"`
		Subject string      `json:"subject"`
	} `json:"personalizations"`
	From    *sgAddress `json:"from"`
	Subject string     `json:"subject"`
	Content []struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"content"`
	Headers          map[string]any `json:"headers"`
	CustomArgs       map[string]any `json:"custom_args"`
	Categories       []string       `json:"categories"`
	TrackingSettings *struct {
		ClickTracking *struct {
			Enable     *bool `json:"enable"`
			EnableText *bool `json:"enable_text"`
		} `json:"click_tracking"`
	} `json:"tracking_settings"`
}

func (r *sendgridReceiver) fail(w http.ResponseWriter, code int, field, msg string) {
	r.mu.Lock()
	r.violations = append(r.violations, fmt.Sprintf("%d %s: %s", code, field, msg))
	r.mu.Unlock()
	writeSGError(w, code, field, msg)
}

func writeSGError(w http.ResponseWriter, code int, field, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg, "field": field, "help": nil}}})
}

func (r *sendgridReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	switch {
	case req.URL.Path != "/v3/mail/send":
		r.fail(w, http.StatusNotFound, "", "unknown path "+req.URL.Path)
		return
	case req.Method != http.MethodPost:
		r.fail(w, http.StatusMethodNotAllowed, "", "method "+req.Method)
		return
	case req.Header.Get("Authorization") != "Bearer "+sendgridKey:
		r.fail(w, http.StatusUnauthorized, "", "The provided authorization grant is invalid, expired, or revoked")
		return
	}
	if mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		r.fail(w, http.StatusUnsupportedMediaType, "", "Content-Type "+req.Header.Get("Content-Type"))
		return
	}
	raw, err := io.ReadAll(io.LimitReader(req.Body, 30<<20))
	if err != nil {
		r.fail(w, http.StatusBadRequest, "", err.Error())
		return
	}
	var top map[string]json.RawMessage
	var body sgBody
	if err := json.Unmarshal(raw, &top); err != nil {
		r.fail(w, http.StatusBadRequest, "", "Bad Request: "+err.Error())
		return
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		r.fail(w, http.StatusBadRequest, "", "Bad Request: "+err.Error())
		return
	}
	var generic map[string]any
	_ = json.Unmarshal(raw, &generic)
	var problems [][2]string
	bad := func(field, msg string) { problems = append(problems, [2]string{field, msg}) }
	for k := range top {
		if !sgFields[k] {
			bad(k, "unknown field")
		}
	}
	if n := len(body.Personalizations); n < 1 || n > 1000 {
		bad("personalizations", "You must have at least one personalization (and at most 1000).")
	}
	seen := map[string]bool{}
	for i, p := range body.Personalizations {
		if len(p.To) == 0 {
			bad(fmt.Sprintf("personalizations.%d.to", i), "The to parameter is required for all personalization objects.")
		}
		for _, a := range p.To {
			if _, err := netmail.ParseAddress(a.Email); err != nil || strings.ContainsAny(a.Email, "<> ") {
				bad(fmt.Sprintf("personalizations.%d.to", i), "Does not contain a valid address.")
			}
			if seen[strings.ToLower(a.Email)] {
				bad(fmt.Sprintf("personalizations.%d.to", i), "Each email address in the personalization block should be unique.")
			}
			seen[strings.ToLower(a.Email)] = true
		}
		if body.Subject == "" && p.Subject == "" {
			bad("subject", "The subject is required.")
		}
	}
	if body.From == nil || body.From.Email == "" || strings.ContainsAny(body.From.Email, "<> ") {
		bad("from.email", "The from object must be provided for every email send.")
	}
	if len(body.Content) == 0 {
		bad("content", "Unless a valid template_id is provided, the content parameter is required.")
	}
	for i, c := range body.Content {
		if c.Type == "" || c.Value == "" {
			bad(fmt.Sprintf("content.%d", i), "The content value must be a string at least one character in length.")
		}
		if c.Type == "text/plain" && i != 0 {
			bad("content", "If present, text/plain must be first, followed by text/html, followed by any other content.")
		}
		if c.Type == "text/html" && i > 0 && body.Content[i-1].Type != "text/plain" {
			bad("content", "If present, text/plain must be first, followed by text/html, followed by any other content.")
		}
	}
	for k, v := range body.Headers {
		if _, ok := v.(string); !ok {
			bad("headers", "Invalid type. Expected: string")
		}
		for _, reserved := range sgReservedHeaders {
			if strings.EqualFold(k, reserved) {
				bad("headers", "The header "+k+" is reserved.")
			}
		}
	}
	argsSize := 0
	for k, v := range body.CustomArgs {
		s, ok := v.(string)
		if !ok {
			bad("custom_args", "Invalid type. Expected: string")
		}
		argsSize += len(k) + len(s)
	}
	if argsSize > 10000 {
		bad("custom_args", "custom_args may not exceed 10,000 bytes")
	}
	if len(body.Categories) > 10 {
		bad("categories", "You may not have more than 10 categories per request.")
	}
	if tr := body.TrackingSettings; tr == nil || tr.ClickTracking == nil || tr.ClickTracking.Enable == nil || *tr.ClickTracking.Enable {
		bad("tracking_settings.click_tracking", "Vigie must turn click tracking off (the acknowledgement link would go through the redirector)")
	}
	if len(problems) > 0 {
		r.mu.Lock()
		for _, p := range problems {
			r.violations = append(r.violations, p[0]+": "+p[1])
		}
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		var errs []map[string]any
		for _, p := range problems {
			errs = append(errs, map[string]any{"message": p[1], "field": p[0], "help": nil})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": errs})
		return
	}
	if r.answer != nil {
		if code, resp := r.answer(); code != http.StatusAccepted {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			_, _ = io.WriteString(w, resp)
			return
		}
	}
	d := notifytest.Delivery{To: body.Personalizations[0].To[0].Email, Subject: body.Subject}
	for _, c := range body.Content {
		switch c.Type {
		case "text/plain":
			d.Text = c.Value
		case "text/html":
			d.HTML = c.Value
		}
	}
	if id, ok := body.CustomArgs["vigie_notification_id"].(string); ok {
		d.ID = id
	}
	r.mu.Lock()
	r.got = append(r.got, d)
	r.bodies = append(r.bodies, generic)
	r.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (r *sendgridReceiver) received(*testing.T) []notifytest.Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notifytest.Delivery(nil), r.got...)
}

func newSendGrid(t testing.TB, baseURL string, log *slog.Logger) *email.SendGrid {
	t.Helper()
	n, err := email.NewSendGrid(email.SendGridConfig{APIKey: sendgridKey, BaseURL: baseURL, From: sender, Timeout: 15 * time.Second}, log)
	if err != nil {
		t.Fatalf("NewSendGrid: %v", err)
	}
	return n
}

func answer(code int, body string) func() (int, string) {
	return func() (int, string) { return code, body }
}

func TestSendGridConformance(t *testing.T) {
	t.Parallel()
	working := newSendGridReceiver(t, nil)
	refusing := newSendGridReceiver(t, answer(http.StatusBadRequest,
		`{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from","help":null}]}`))
	busy := newSendGridReceiver(t, answer(http.StatusServiceUnavailable, ""))
	notifytest.Run(t, notifytest.Harness{
		Channel: notify.ChannelEmail, Subject: true, HTML: true, AckLink: true,
		Secrets:   []string{sendgridKey},
		Recipient: func(n int) string { return fmt.Sprintf("operateur%d@vigie.test", n) },
		Start: func(t *testing.T, s notifytest.State, log *slog.Logger) notifytest.Peer {
			var peer notifytest.Peer
			var base string
			switch s {
			case notifytest.Working:
				base, peer.Received = working.URL, working.received
			case notifytest.Refusing:
				base = refusing.URL
			case notifytest.Busy:
				base = busy.URL
			case notifytest.Down:
				base = "http://" + notifytest.ClosedAddr(t)
			case notifytest.Stalled:
				bh := notifytest.NewBlackhole(t, nil)
				base, peer.Connected = "http://"+bh.Addr, bh.Connected()
			}
			peer.Notifier = newSendGrid(t, base, log)
			return peer
		},
	})
}

func TestSendGridStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int
		body      string
		headers   map[string]string
		wantRetry bool
		wantErr   []string
	}{
		{http.StatusAccepted, "", nil, false, nil},
		{http.StatusOK, "", nil, false, nil}, // sandbox mode
		{http.StatusBadRequest, `{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email","help":"..."}]}`, nil, false,
			[]string{"HTTP 400", "personalizations.0.to.0.email: Does not contain a valid address."}},
		{http.StatusUnauthorized, `{"errors":[{"message":"The provided authorization grant is invalid, expired, or revoked","field":null,"help":null}]}`, nil, false,
			[]string{"HTTP 401", "authorization grant is invalid"}},
		{http.StatusForbidden, `{"errors":[{"message":"access forbidden"}]}`, nil, false, []string{"HTTP 403"}},
		{http.StatusRequestEntityTooLarge, "", nil, false, []string{"HTTP 413"}},
		{http.StatusRequestTimeout, "", nil, true, []string{"HTTP 408"}},
		{http.StatusTooManyRequests, `{"errors":[{"message":"too many requests"}]}`, map[string]string{"X-RateLimit-Reset": "1764425400"}, true,
			[]string{"HTTP 429", "resets at 1764425400"}},
		{http.StatusInternalServerError, "<html>oops</html>", nil, true, []string{"HTTP 500", "oops"}},
		{http.StatusServiceUnavailable, "", nil, true, []string{"HTTP 503"}},
		// A body that echoes the key (a proxy's error page, say) must not carry it into the error.
		{http.StatusBadGateway, "upstream said: Bearer " + sendgridKey, nil, true, []string{"HTTP 502", "Bearer [REDACTED]"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.headers {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.code)
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			logs := &notifytest.LogBuffer{}
			retry, err := newSendGrid(t, srv.URL, logs.Logger()).Notify(context.Background(), message("n1", "alice@vigie.test"))
			if (err == nil) != (tt.wantErr == nil) || (err != nil && retry != tt.wantRetry) {
				t.Fatalf("Notify after %d = retry %v, %v; want retry %v, error %v", tt.code, retry, err, tt.wantRetry, tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if (err != nil && strings.Contains(err.Error(), sendgridKey)) || strings.Contains(logs.String(), sendgridKey) {
				t.Errorf("the API key leaked: %v\n%s", err, logs.String())
			}
		})
	}
}

func TestSendGridRequest(t *testing.T) {
	t.Parallel()
	r := newSendGridReceiver(t, nil)
	n := newSendGrid(t, r.URL+"/", slog.New(slog.DiscardHandler))
	m := message("mejean~level:alerte~3/1/alice/email", "alice@vigie.test")
	m.AckURL = "https://vigie.test/ack?t=tok"
	if _, err := n.Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	d := r.received(t)[0]
	if d.ID != m.ID || !strings.Contains(d.Subject, "Barrage de Méjean") || !strings.Contains(d.Text, "5,92 m") ||
		!strings.Contains(d.HTML, `href="https://vigie.test/ack?t=tok"`) {
		t.Errorf("delivery %+v lacks the notification's id or content", d)
	}
	body := r.bodies[0]
	hdrs, _ := body["headers"].(map[string]any)
	if hdrs[email.HeaderNotificationID] != m.ID || hdrs[email.HeaderAlarmID] != m.AlarmID {
		t.Errorf("headers %v, want the notification and alarm ids", hdrs)
	}
	from, _ := body["from"].(map[string]any)
	if from["email"] != "astreinte@vigie.test" || from["name"] != "Vigie astreinte" {
		t.Errorf("from %v, want the configured sender split into email and name", from)
	}
}

func TestSendGridConfigValidate(t *testing.T) {
	t.Parallel()
	err := email.SendGridConfig{BaseURL: "ftp://user:secretpw@h", From: "x"}.Validate()
	for _, want := range []string{"API key is empty", "base URL", `from "x"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "secretpw") {
		t.Errorf("Validate() leaks the URL's password: %v", err)
	}
	if err := (email.SendGridConfig{APIKey: "k", From: sender}).Validate(); err != nil {
		t.Errorf("Validate(defaults) = %v", err)
	}
}

// TestFallbackFromSMTPToSendGrid: the primary relay answers 451, the pipeline's Fallback sends
// through SendGrid at once instead of waiting for the relay.
func TestFallbackFromSMTPToSendGrid(t *testing.T) {
	t.Parallel()
	busy := startMailpit(t, append(authFlags, "--chaos-triggers", "Recipient:451:100")...)
	sg := newSendGridReceiver(t, nil)
	logs := &notifytest.LogBuffer{}
	n := notify.Fallback(newSMTP(t, smtpConfig(busy.Host, busy.Port), logs.Logger()), newSendGrid(t, sg.URL, logs.Logger()))
	log := notify.NewMemoryLog()
	clock := notifytest.NewClock(time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC))
	p, err := notify.NewPipeline(n, notify.PipelineConfig{}, notify.Deps{Log: log, Recorder: log, Logger: logs.Logger(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.Send(context.Background(), message("fb-1", "fallback@vigie.test"), clock.Now().Add(time.Minute))
	if err != nil || o.Status != notify.StatusSent || o.Attempts != 1 {
		t.Fatalf("Send = %+v, %v; want sent at the first attempt (through SendGrid)", o, err)
	}
	if got := sg.received(t); len(got) != 1 || got[0].To != "fallback@vigie.test" {
		t.Errorf("SendGrid received %+v, want the message", got)
	}
	if n := len(busy.messages(t)); n != 0 {
		t.Errorf("the busy relay holds %d messages", n)
	}
	// Both failing: the error names both, and is retryable since the relay's 451 is.
	down := newSendGrid(t, "http://"+notifytest.ClosedAddr(t), logs.Logger())
	retry, err := notify.Fallback(newSMTP(t, smtpConfig(busy.Host, busy.Port), logs.Logger()), down).
		Notify(context.Background(), message("fb-2", "fallback@vigie.test"))
	if err == nil || !retry || !strings.Contains(err.Error(), "smtp: ") || !strings.Contains(err.Error(), "sendgrid: ") || !strings.Contains(err.Error(), "451") {
		t.Errorf("Fallback with both down = retry %v, %v; want retryable, naming both", retry, err)
	}
	if bytes.Contains([]byte(logs.String()), []byte(sendgridKey)) || strings.Contains(logs.String(), smtpPassword) {
		t.Error("a secret leaked into the logs")
	}
}
