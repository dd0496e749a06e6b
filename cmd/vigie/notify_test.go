package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/email"
	"github.com/vigie/vigie/adapters/notify/sms/modem"
	"github.com/vigie/vigie/adapters/notify/sms/twilio"
	"github.com/vigie/vigie/adapters/notify/voice"
)

const (
	smtpTwilioYAML    = "../../adapters/config/testdata/valid/notifications-smtp-twilio.yaml"
	sendgridModemYAML = "../../adapters/config/testdata/valid/notifications-sendgrid-modem.yaml"
	ackSecret         = "0123456789abcdef0123456789abcdef-ack"
)

// env is a fake environment: the variables the fixtures name.
func notifyEnv(overrides map[string]string) func(string) string {
	vars := map[string]string{
		"VIGIE_ACK_SECRET": ackSecret, "VIGIE_ACK_SECRET_OLD": strings.Repeat("o", 32),
		"VIGIE_SMTP_PASSWORD": "smtp-pass-xyz", "VIGIE_TWILIO_TOKEN": "twilio-token-xyz", "VIGIE_SIP_PASSWORD": "sip-pass",
		"VIGIE_SENDGRID_KEY": "SG.key-xyz", "VIGIE_SIM_PIN": "1234",
	}
	for k, v := range overrides {
		vars[k] = v
	}
	return func(name string) string { return vars[name] }
}

// notificationsFrom parses a fixture with edits (old, new pairs) applied.
func notificationsFrom(t *testing.T, path string, edits ...string) config.Notifications {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for i := 0; i+1 < len(edits); i += 2 {
		if strings.Count(text, edits[i]) != 1 {
			t.Fatalf("%q is not once in %s", edits[i], path)
		}
		text = strings.Replace(text, edits[i], edits[i+1], 1)
	}
	c, err := config.Parse(filepath.Base(path), []byte(text))
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return c.Notifications()
}

// cascadeFake records what the channels hand back, as the cascade engine would.
type cascadeFake struct {
	mu                sync.Mutex
	delivered, failed []string
	replies           []string
}

func (f *cascadeFake) Delivered(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delivered = append(f.delivered, id)
	return nil
}

func (f *cascadeFake) Failed(_ context.Context, id, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = append(f.failed, id+": "+reason)
	return nil
}

func (f *cascadeFake) Reply(_ context.Context, from, text string, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies = append(f.replies, from+" "+text)
	return nil
}

func (f *cascadeFake) AckByVoice(_ context.Context, alarmID, operator string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies = append(f.replies, "voice "+alarmID+" "+operator)
	return nil
}

func (f *cascadeFake) Acknowledge(ctx context.Context, a voice.Ack) error {
	return f.AckByVoice(ctx, a.AlarmID, a.Operator)
}

func (f *cascadeFake) deps() channelDeps {
	return channelDeps{Replies: f, Receipts: f, VoiceAcks: f}
}

func notifyLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func notifyMessage(ch notify.Channel, to string) notify.Message {
	return notify.Message{ID: "mejean~level:alerte~1/1/1/0/op-a/" + string(ch), AlarmID: "mejean~level:alerte~1", Operator: "op-a",
		Channel: ch, To: to, Language: "fr", Subject: "VIGIE ALARME", Text: "Barrage de Méjean : seuil alerte. Répondre OK 4821. {link}",
		AckURL: "https://vigie.example.org/ack?t=x"}
}

// TestBuildChannelsTwilioAndSMTP: from the YAML, the SMS channel sends through the gateway with
// the token from the environment and asks for receipts at the public webhook; the webhooks,
// mounted where httpapi mounts them, take a signed receipt and a signed reply; the links sign
// and verify; SMTP is built from its block.
func TestBuildChannelsTwilioAndSMTP(t *testing.T) {
	t.Parallel()
	type call struct {
		path, user, pass string
		form             url.Values
	}
	calls := make(chan call, 4)
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		_ = r.ParseForm()
		calls <- call{r.URL.Path, u, p, r.PostForm}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"sid":"SM0123","status":"queued"}`)
	}))
	defer gw.Close()

	n := notificationsFrom(t, smtpTwilioYAML, "base_url: https://api.twilio.com", "base_url: "+gw.URL)
	fake := &cascadeFake{}
	var logs strings.Builder
	var logMu sync.Mutex
	ch, err := buildChannels(context.Background(), n, notifyEnv(nil), fake.deps(), notifyLogger(&notifyLogWriter{w: &logs, mu: &logMu}))
	if err != nil {
		t.Fatalf("buildChannels: %v", err)
	}
	defer ch.Close()

	if got := ch.Configured(); !slices.Equal(got, []string{"sms", "voice", "email"}) {
		t.Errorf("Configured() = %v, want [sms voice email]", got)
	}
	if _, ok := ch.Notifiers[notify.ChannelVoice].(*voice.Notifier); !ok {
		t.Errorf("voice notifier is %T, want *voice.Notifier", ch.Notifiers[notify.ChannelVoice])
	}
	if _, ok := ch.Notifiers[notify.ChannelEmail].(*email.SMTP); !ok {
		t.Errorf("email notifier is %T, want *email.SMTP", ch.Notifiers[notify.ChannelEmail])
	}
	sender, ok := ch.Notifiers[notify.ChannelSMS].(*twilio.Notifier)
	if !ok {
		t.Fatalf("sms notifier is %T, want *twilio.Notifier", ch.Notifiers[notify.ChannelSMS])
	}

	// Sending.
	m := notifyMessage(notify.ChannelSMS, "+33600000001")
	if ref, retry, err := sender.NotifyRef(context.Background(), m); err != nil || ref != "SM0123" {
		t.Fatalf("NotifyRef: ref %q, err %v (retry %v); want the SID receipts will name", ref, err, retry)
	}
	c := <-calls
	if c.path != "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json" || c.user != "AC0123456789abcdef0123456789abcdef" || c.pass != "twilio-token-xyz" {
		t.Errorf("gateway got %s as %s:%s", c.path, c.user, c.pass)
	}
	if got, want := c.form.Get("StatusCallback"), "https://vigie.example.org/api/v1/webhooks/sms/status"; got != want {
		t.Errorf("StatusCallback = %q, want %q", got, want)
	}
	if c.form.Get("From") != "+33600000099" || c.form.Get("To") != "+33600000001" || !strings.Contains(c.form.Get("Body"), "https://vigie.example.org/ack?t=x") {
		t.Errorf("gateway form %v", c.form)
	}

	// Webhooks, mounted as httpapi mounts them, signed with the token as the gateway signs.
	api := chi.NewRouter()
	api.Mount(httpapi.WebhooksPath, ch.Webhooks)
	post := func(path string, form url.Values, sign bool) int {
		req := httptest.NewRequest(http.MethodPost, "http://vigie.internal:8080"+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sign {
			req.Header.Set(twilio.SignatureHeader, twilio.Signature("twilio-token-xyz", n.PublicURL+path, form))
		}
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		return rec.Code
	}
	receipt := url.Values{"MessageSid": {"SM0123"}, "MessageStatus": {"delivered"}}
	if code := post(config.WebhookSMSStatusPath, receipt, false); code != http.StatusForbidden {
		t.Errorf("unsigned receipt: %d, want 403", code)
	}
	if code := post(config.WebhookSMSStatusPath, receipt, true); code != http.StatusNoContent {
		t.Errorf("signed receipt: %d, want 204", code)
	}
	if code := post(config.WebhookSMSInboundPath, url.Values{"From": {"+33600000001"}, "Body": {"OK 4821"}, "MessageSid": {"SM9"}}, true); code != http.StatusOK {
		t.Errorf("signed reply: %d, want 200", code)
	}
	fake.mu.Lock()
	if !slices.Equal(fake.delivered, []string{"SM0123"}) || !slices.Equal(fake.replies, []string{"+33600000001 OK 4821"}) {
		t.Errorf("receipts %v, replies %v", fake.delivered, fake.replies)
	}
	fake.mu.Unlock()

	// Links: signed with the secret from the environment, at the public URL, checked by the
	// verifier httpapi gets; a link of the previous secret still verifies.
	link := ch.AckLinks.Sign("mejean~level:alerte~1", "op-a", time.Now().Add(time.Hour))
	if !strings.HasPrefix(link, "https://vigie.example.org/ack?t=") {
		t.Errorf("link %s", link)
	}
	tok := strings.TrimPrefix(link, "https://vigie.example.org/ack?t=")
	if a, o, err := ch.AckVerifier.VerifyAckLink(tok); err != nil || a != "mejean~level:alerte~1" || o != "op-a" {
		t.Errorf("VerifyAckLink = %q, %q, %v", a, o, err)
	}
	old, _ := email.NewAckLinks(email.AckConfig{BaseURL: "https://x/ack", Secret: []byte(strings.Repeat("o", 32))})
	if _, _, err := ch.AckVerifier.VerifyAckLink(old.Token("a", "op-a", time.Now().Add(time.Hour))); err != nil {
		t.Errorf("a link of the previous secret: %v", err)
	}
	if _, _, err := ch.AckVerifier.VerifyAckLink(ch.AckLinks.Token("a", "op-a", time.Now().Add(-time.Second))); !errors.Is(err, httpapi.ErrAckLinkExpired) {
		t.Errorf("expired link: %v, want ErrAckLinkExpired", err)
	}
	if _, _, err := ch.AckVerifier.VerifyAckLink(tok + "x"); !errors.Is(err, httpapi.ErrAckLinkInvalid) {
		t.Errorf("altered link: %v, want ErrAckLinkInvalid", err)
	}

	// Delivery.
	if want := (notify.PipelineConfig{Backoff: notify.Backoff{Initial: time.Second, Max: 30 * time.Second}, RateLimit: notify.RateLimit{Burst: 5, Every: 10 * time.Second}}); ch.Pipeline != want {
		t.Errorf("Pipeline = %+v, want %+v", ch.Pipeline, want)
	}
	if d := ch.Dispatch; d.AttemptBudget != 90*time.Second || d.LinkTTL != 12*time.Hour || d.Links != notify.LinkSigner(ch.AckLinks) {
		t.Errorf("Dispatch = %+v", d)
	}
	if err := ch.Pipeline.Validate(); err != nil {
		t.Errorf("the pipeline configuration is refused: %v", err)
	}

	logMu.Lock()
	defer logMu.Unlock()
	for _, s := range []string{"twilio-token-xyz", "smtp-pass-xyz", ackSecret} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the log holds a secret:\n%s", logs.String())
		}
	}
}

// TestWebhookRoutesAreDocumented: the paths the webhooks answer are the ones docs/openapi.yaml
// documents (the httpapi test checks the document against a router with these paths).
func TestWebhookRoutesAreDocumented(t *testing.T) {
	t.Parallel()
	n := notificationsFrom(t, smtpTwilioYAML)
	fake := &cascadeFake{}
	ch, err := buildChannels(context.Background(), n, notifyEnv(nil), fake.deps(), notifyLogger(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	doc, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	err = chi.Walk(ch.Webhooks.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, method+" "+httpapi.WebhooksPath+route)
		if !strings.Contains(string(doc), "\n  "+httpapi.WebhooksPath+route+":\n    post:") {
			t.Errorf("%s %s is not documented in docs/openapi.yaml", method, httpapi.WebhooksPath+route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(routes)
	if want := []string{"POST " + config.WebhookSMSInboundPath, "POST " + config.WebhookSMSStatusPath}; !slices.Equal(routes, want) {
		t.Errorf("routes %v, want %v", routes, want)
	}
}

// TestBuildChannelsSendGridAndModem: SendGrid posts with the key from the environment to the
// configured base URL; the modem is built and runs in the background (its device is missing, so
// it answers retry=true at once) until Close, which returns promptly.
func TestBuildChannelsSendGridAndModem(t *testing.T) {
	t.Parallel()
	auth := make(chan string, 1)
	sg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth <- r.Method + " " + r.URL.Path + " " + r.Header.Get("Authorization")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer sg.Close()
	dev := filepath.Join(t.TempDir(), "ttyUSB-missing")
	n := notificationsFrom(t, sendgridModemYAML, "base_url: http://127.0.0.1:8025", "base_url: "+sg.URL,
		"device: /dev/serial/by-id/usb-Quectel_EC25-if02-port0", "device: "+dev)
	fake := &cascadeFake{}
	ch, err := buildChannels(context.Background(), n, notifyEnv(nil), fake.deps(), notifyLogger(io.Discard))
	if err != nil {
		t.Fatalf("buildChannels: %v", err)
	}
	if ch.Webhooks != nil || ch.AckLinks != nil || ch.AckVerifier != nil || ch.Dispatch.Links != nil {
		t.Errorf("webhooks %v, links %v, verifier %v: want none without twilio and ack_links", ch.Webhooks, ch.AckLinks, ch.AckVerifier)
	}
	if _, err := ch.Notifiers[notify.ChannelEmail].Notify(context.Background(), notifyMessage(notify.ChannelEmail, "a@example.org")); err != nil {
		t.Fatalf("SendGrid Notify: %v", err)
	}
	if got := <-auth; got != "POST /v3/mail/send Bearer SG.key-xyz" {
		t.Errorf("SendGrid got %q", got)
	}
	m, ok := ch.Notifiers[notify.ChannelSMS].(*modem.Modem)
	if !ok {
		t.Fatalf("sms notifier is %T, want *modem.Modem", ch.Notifiers[notify.ChannelSMS])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	retry, err := m.Notify(ctx, notifyMessage(notify.ChannelSMS, "+33600000001"))
	if err == nil || !retry {
		t.Errorf("Notify with the modem missing: retry %v, err %v; want a temporary failure", retry, err)
	}
	closed := make(chan error, 1)
	go func() { closed <- ch.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop the modem")
	}
	if err := ch.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestBuildChannelsNone: the demo's case, no channel at all.
func TestBuildChannelsNone(t *testing.T) {
	t.Parallel()
	c, err := config.Load("../../adapters/config/testdata/valid/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := buildChannels(context.Background(), c.Notifications(), notifyEnv(nil), channelDeps{}, notifyLogger(io.Discard))
	if err != nil {
		t.Fatalf("buildChannels: %v", err)
	}
	if len(ch.Notifiers) != 0 || ch.Webhooks != nil || ch.AckLinks != nil || ch.AckVerifier != nil || ch.Dispatch.Links != nil {
		t.Errorf("channels %+v, want none", ch)
	}
	if err := ch.Pipeline.Validate(); err != nil || ch.Dispatch.AttemptBudget != time.Minute || ch.Dispatch.LinkTTL != 24*time.Hour {
		t.Errorf("defaults: %v, dispatch %+v", err, ch.Dispatch)
	}
	if err := ch.Close(); err != nil {
		t.Error(err)
	}
}

// TestBuildChannelsRefuses: every missing secret is named with its key and variable, all at
// once, and no secret value appears in the error.
func TestBuildChannelsRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    string
		env     map[string]string
		deps    func(*cascadeFake) channelDeps
		want    []string
		notWant []string
	}{
		{"smtp password unset", smtpTwilioYAML, map[string]string{"VIGIE_SMTP_PASSWORD": ""}, nil,
			[]string{"notifications.email.smtp.password_env: the environment variable VIGIE_SMTP_PASSWORD is not set (or empty): it must hold the SMTP password"}, nil},
		{"twilio token unset", smtpTwilioYAML, map[string]string{"VIGIE_TWILIO_TOKEN": ""}, nil,
			[]string{"notifications.sms.twilio.auth_token_env: the environment variable VIGIE_TWILIO_TOKEN is not set"}, nil},
		{"ack secret unset", smtpTwilioYAML, map[string]string{"VIGIE_ACK_SECRET": ""}, nil,
			[]string{"notifications.ack_links.secret_env: the environment variable VIGIE_ACK_SECRET is not set"}, nil},
		{"ack secret too short", smtpTwilioYAML, map[string]string{"VIGIE_ACK_SECRET": "short-secret"}, nil,
			[]string{"notifications.ack_links.secret_env: the secret in VIGIE_ACK_SECRET has 12 bytes, want at least 32"}, []string{"short-secret"}},
		{"previous ack secret too short", smtpTwilioYAML, map[string]string{"VIGIE_ACK_SECRET_OLD": "old-one"}, nil,
			[]string{"notifications.ack_links.previous_secret_env: the secret in VIGIE_ACK_SECRET_OLD has 7 bytes"}, []string{"old-one"}},
		{"every secret unset at once", smtpTwilioYAML, map[string]string{"VIGIE_SMTP_PASSWORD": "", "VIGIE_TWILIO_TOKEN": "", "VIGIE_ACK_SECRET": ""}, nil,
			[]string{"VIGIE_SMTP_PASSWORD", "VIGIE_TWILIO_TOKEN", "VIGIE_ACK_SECRET"}, nil},
		{"sendgrid key unset", sendgridModemYAML, map[string]string{"VIGIE_SENDGRID_KEY": ""}, nil,
			[]string{"notifications.email.sendgrid.api_key_env: the environment variable VIGIE_SENDGRID_KEY is not set"}, nil},
		{"sim pin unset", sendgridModemYAML, map[string]string{"VIGIE_SIM_PIN": ""}, nil,
			[]string{"notifications.sms.modem.pin_env: the environment variable VIGIE_SIM_PIN is not set"}, nil},
		{"sim pin not digits", sendgridModemYAML, map[string]string{"VIGIE_SIM_PIN": "12ab"}, nil,
			[]string{"notifications.sms.modem: modem: pin must be 4 to 8 digits"}, []string{"12ab"}},
		{"twilio without the engine", smtpTwilioYAML, nil, func(*cascadeFake) channelDeps { return channelDeps{} },
			[]string{"notifications.sms.twilio: the webhooks need somewhere to hand receipts and replies"}, nil},
		{"sip password unset", smtpTwilioYAML, map[string]string{"VIGIE_SIP_PASSWORD": ""}, nil,
			[]string{"notifications.voice.sip.password_env: the environment variable VIGIE_SIP_PASSWORD is not set"}, nil},
		{"voice without the engine", smtpTwilioYAML, nil, func(*cascadeFake) channelDeps { return channelDeps{Replies: &cascadeFake{}, Receipts: &cascadeFake{}} },
			[]string{"notifications.voice.sip: the key 1 pressed during a call needs somewhere to go"}, nil},
		{"modem without replies", sendgridModemYAML, nil, func(*cascadeFake) channelDeps { return channelDeps{} },
			[]string{"notifications.sms.modem: the operators' replies need somewhere to go"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := notificationsFrom(t, tt.file)
			fake := &cascadeFake{}
			deps := fake.deps()
			if tt.deps != nil {
				deps = tt.deps(fake)
			}
			ch, err := buildChannels(context.Background(), n, notifyEnv(tt.env), deps, notifyLogger(io.Discard))
			if err == nil {
				ch.Close()
				t.Fatal("buildChannels accepted it")
			}
			if ch != nil {
				t.Errorf("channels returned with an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			for _, s := range append(tt.notWant, "smtp-pass-xyz", "twilio-token-xyz", "SG.key-xyz", ackSecret) {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error holds the secret %q:\n%v", s, err)
				}
			}
		})
	}
}

type notifyLogWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *notifyLogWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestLateCascade: replies and receipts fail until the engine is named, then reach it.
func TestLateCascade(t *testing.T) {
	t.Parallel()
	var late lateCascade
	ctx := context.Background()
	if err := late.Reply(ctx, "+33600000001", "OK 4821", time.Now()); !errors.Is(err, errCascadeNotReady) {
		t.Errorf("Reply before Set: %v", err)
	}
	if err := late.Delivered(ctx, "SM1"); !errors.Is(err, errCascadeNotReady) {
		t.Errorf("Delivered before Set: %v", err)
	}
	fake := &cascadeFake{}
	late.Set(fake)
	if err := errors.Join(late.Reply(ctx, "+33600000001", "OK 4821", time.Now()), late.Delivered(ctx, "SM1"), late.Failed(ctx, "SM2", "undelivered")); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.replies) != 1 || len(fake.delivered) != 1 || len(fake.failed) != 1 {
		t.Errorf("engine got replies %v, delivered %v, failed %v", fake.replies, fake.delivered, fake.failed)
	}
}
