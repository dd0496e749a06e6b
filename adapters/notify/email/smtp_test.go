package email_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/email"
	"github.com/vigie/vigie/adapters/notify/notifytest"
)

const (
	smtpUser     = "vigie"
	smtpPassword = "mailpit-Pa55-never-logged"
	sender       = "Vigie astreinte <astreinte@vigie.test>"
)

// authFlags let Mailpit take any credentials over a clear loopback connection.
var authFlags = []string{"--smtp-auth-accept-any", "--smtp-auth-allow-insecure"}

func splitAddr(t testing.TB, addr string) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

// smtpConfig is a configuration for a clear, authenticated loopback connection.
func smtpConfig(host string, port int) email.SMTPConfig {
	return email.SMTPConfig{
		Host: host, Port: port, Security: email.SecurityNone,
		Username: smtpUser, Password: smtpPassword, From: sender, Timeout: 15 * time.Second,
	}
}

func newSMTP(t testing.TB, cfg email.SMTPConfig, log *slog.Logger) *email.SMTP {
	t.Helper()
	n, err := email.NewSMTP(cfg, log)
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	return n
}

func TestSMTPConformance(t *testing.T) {
	t.Parallel()
	working := startMailpit(t, authFlags...)
	refusing := startMailpit(t, append(authFlags, "--smtp-allowed-recipients", `@nowhere\.invalid$`)...)
	busy := startMailpit(t, append(authFlags, "--chaos-triggers", "Recipient:451:100")...)
	notifytest.Run(t, notifytest.Harness{
		Channel: notify.ChannelEmail, Subject: true, HTML: true, AckLink: true,
		Secrets:   []string{smtpPassword},
		Recipient: func(n int) string { return fmt.Sprintf("operateur%d@vigie.test", n) },
		Start: func(t *testing.T, s notifytest.State, log *slog.Logger) notifytest.Peer {
			var (
				host string
				port int
				peer notifytest.Peer
			)
			switch s {
			case notifytest.Working:
				host, port = working.Host, working.Port
				peer.Received = working.received
			case notifytest.Refusing:
				host, port = refusing.Host, refusing.Port
			case notifytest.Busy:
				host, port = busy.Host, busy.Port
			case notifytest.Down:
				host, port = splitAddr(t, notifytest.ClosedAddr(t))
			case notifytest.Stalled:
				bh := notifytest.NewBlackhole(t, []byte("220 stalled.vigie.test ESMTP\r\n"))
				host, port = splitAddr(t, bh.Addr)
				peer.Connected = bh.Connected()
			}
			peer.Notifier = newSMTP(t, smtpConfig(host, port), log)
			return peer
		},
	})
}

// message is a rendered (no Subject/Text) alarm notification.
func message(id, to string) notify.Message {
	return notify.Message{
		ID: id, AlarmID: "mejean~level:alerte~3", Operator: "alice", Channel: notify.ChannelEmail, To: to,
		Alarm: notify.Alarm{
			Dam: "mejean", DamName: "Barrage de Méjean", Condition: "level:alerte", Severity: "alerte",
			Level: 5.92, Fill: 87.46, TimeToSpill: 135 * time.Minute,
			At:  time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC),
			URL: "https://vigie.test/alarms/mejean~level:alerte~3",
		},
	}
}

func TestSMTPSecurity(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSigned(t)
	tlsFlags := []string{"--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile}
	tests := []struct {
		name      string
		flags     []string
		security  email.Security
		trust     *x509.CertPool
		wantErr   string // "" = delivered
		wantRetry bool
	}{
		{"StartTLSRequiredByServer", append(tlsFlags, "--smtp-require-starttls", "--smtp-auth-accept-any"), email.SecurityStartTLS, pool, "", false},
		{"ImplicitTLS", append(tlsFlags, "--smtp-require-tls", "--smtp-auth-accept-any"), email.SecurityTLS, pool, "", false},
		{"NoneOnLoopback", authFlags, email.SecurityNone, nil, "", false},
		{"StartTLSMissingIsPermanent", authFlags, email.SecurityStartTLS, pool, "STARTTLS", false},
		{"UnknownCertificateIsPermanent", append(tlsFlags, "--smtp-require-tls", "--smtp-auth-accept-any"), email.SecurityTLS, x509.NewCertPool(), "certificate", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mp := startMailpit(t, tt.flags...)
			cfg := smtpConfig(mp.Host, mp.Port)
			cfg.Security = tt.security
			cfg.TLS = tlsTrusting(tt.trust)
			logs := &notifytest.LogBuffer{}
			n := newSMTP(t, cfg, logs.Logger())
			to := "securite@vigie.test"
			retry, err := n.Notify(context.Background(), message("sec-1", to))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Notify = retry %v, %v; want delivered", retry, err)
				}
				if got := mp.to(t, to, 1)[0]; got.Username != smtpUser {
					t.Errorf("Mailpit saw user %q, want %q (authenticated)", got.Username, smtpUser)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) || retry != tt.wantRetry {
				t.Fatalf("Notify = retry %v, %v; want retry %v and an error about %s", retry, err, tt.wantRetry, tt.wantErr)
			}
			if strings.Contains(logs.String(), smtpPassword) || (err != nil && strings.Contains(err.Error(), smtpPassword)) {
				t.Error("the password leaked")
			}
		})
	}
}

func TestSMTPMessage(t *testing.T) {
	t.Parallel()
	mp := startMailpit(t, authFlags...)
	now := time.Date(2026, 11, 29, 14, 6, 0, 0, time.UTC)
	links, err := email.NewAckLinks(email.AckConfig{
		BaseURL: "https://vigie.test/ack", Secret: []byte(strings.Repeat("k", 32)), Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := smtpConfig(mp.Host, mp.Port)
	cfg.Content = email.Content{Links: links, AckTTL: 12 * time.Hour, Now: func() time.Time { return now }}
	n := newSMTP(t, cfg, slog.New(slog.DiscardHandler))
	to := "alice@vigie.test"
	m := message("mejean~level:alerte~3/1/alice/email", to)
	for range 2 { // the same notification twice (a duplicate the pipeline did not catch)
		if _, err := n.Notify(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	got := mp.to(t, to, 2)
	d := got[0]
	if got[0].MessageID != got[1].MessageID || got[0].MessageID == "" {
		t.Errorf("Message-IDs %q and %q: want one stable ID per notification", got[0].MessageID, got[1].MessageID)
	}
	for _, want := range []string{"[Vigie] ALERTE", "Barrage de Méjean", "seuil « alerte » franchi", "5,92 m", "87,5\u00a0%", "2 h 15 min"} {
		if !strings.Contains(d.Subject, want) {
			t.Errorf("subject %q lacks %q", d.Subject, want)
		}
	}
	for _, want := range []string{"Niveau : 5,92 m", "Remplissage : 87,5\u00a0%", "Déversement prévu dans : 2 h 15 min",
		"29/11/2026 à 15:05 CET", "https://vigie.test/alarms/mejean~level:alerte~3", "30/11/2026 à 03:06 CET"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, d.Text)
		}
	}
	if !strings.Contains(d.HTML, "<strong>5,92 m</strong>") || !strings.Contains(d.HTML, `lang="fr"`) {
		t.Errorf("HTML part lacks the facts:\n%s", d.HTML)
	}
	for h, want := range map[string]string{
		email.HeaderNotificationID: m.ID, email.HeaderAlarmID: m.AlarmID, "Content-Language": "fr",
		"Auto-Submitted": "auto-generated",
	} {
		if v := d.Headers[h]; len(v) != 1 || v[0] != want {
			t.Errorf("header %s = %q, want %q", h, v, want)
		}
	}
	if ct := strings.Join(d.Headers["Content-Type"], ""); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("Content-Type %q, want multipart/alternative (text + HTML)", ct)
	}
	// The link in the mail acknowledges this alarm as this operator.
	i := strings.Index(d.Text, "https://vigie.test/ack?t=")
	if i < 0 {
		t.Fatalf("no acknowledgement link in:\n%s", d.Text)
	}
	token := strings.Fields(d.Text[i+len("https://vigie.test/ack?t="):])[0]
	if alarm, op, err := links.Verify(token); err != nil || alarm != m.AlarmID || op != m.Operator {
		t.Errorf("Verify(link in the mail) = %q, %q, %v; want %q, %q", alarm, op, err, m.AlarmID, m.Operator)
	}
	if !strings.Contains(d.HTML, token) {
		t.Error("the HTML part lacks the acknowledgement link")
	}
}

func TestSMTPConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  email.SMTPConfig
		want []string
	}{
		{"Valid", email.SMTPConfig{Host: "smtp.example", From: sender}, nil},
		{"Everything", email.SMTPConfig{Port: 70000, Security: "ssl", Auth: "NTLM", Password: "x", From: "nope", Content: email.Content{Language: "de"}},
			[]string{"host is empty", "port 70000", `security "ssl"`, `auth "NTLM"`, "password given without a username", `from "nope"`, `language "de"`}},
		{"ClearPasswordToARemoteHost", email.SMTPConfig{Host: "smtp.example", Security: email.SecurityNone, Username: "u", Password: "p", From: sender},
			[]string{"in clear"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err == nil) != (tt.want == nil) {
				t.Fatalf("Validate() = %v, want errors %v", err, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, want it to mention %q", err, w)
				}
			}
		})
	}
}

// TestPipelineRetriesWhileMailpitAnswers451 runs the pipeline with a fake clock against Mailpit's
// failure injection: the first attempt gets 451, the retry after the back-off is delivered.
func TestPipelineRetriesWhileMailpitAnswers451(t *testing.T) {
	t.Parallel()
	mp := startMailpit(t, append(authFlags, "--enable-chaos")...)
	mp.setChaos(t, 451, 100)
	clock := notifytest.NewClock(time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC))
	log := notify.NewMemoryLog()
	p, err := notify.NewPipeline(newSMTP(t, smtpConfig(mp.Host, mp.Port), slog.New(slog.DiscardHandler)),
		notify.PipelineConfig{Backoff: notify.Backoff{Initial: 30 * time.Second}},
		notify.Deps{Log: log, Recorder: log, Logger: slog.New(slog.DiscardHandler), Clock: clock, Random: func() float64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	to := "retry@vigie.test"
	type result struct {
		o   notify.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		o, err := p.Send(context.Background(), message("retry-1", to), clock.Now().Add(5*time.Minute))
		done <- result{o, err}
	}()
	clock.WaitForWaiters(t, 1) // the first attempt failed, the pipeline waits to retry
	if wait, _ := clock.NextWait(); wait != 30*time.Second {
		t.Errorf("back-off %v, want 30s", wait)
	}
	if n := len(mp.messages(t)); n != 0 {
		t.Fatalf("Mailpit holds %d messages after a 451, want 0", n)
	}
	mp.setChaos(t, 451, 0)
	clock.Advance(30 * time.Second)
	r := <-done
	if r.err != nil || r.o.Status != notify.StatusSent || r.o.Attempts != 2 {
		t.Fatalf("Send = %+v, %v; want sent after 2 attempts", r.o, r.err)
	}
	mp.to(t, to, 1)
	if rec := log.Outcomes(); len(rec) != 1 || rec[0].Status != notify.StatusSent {
		t.Errorf("recorded %+v, want one sent outcome", rec)
	}
}

// TestPipelineGivesUpOnA550 checks the permanent path end to end: one attempt, recorded as failed,
// not retryable.
func TestPipelineGivesUpOnA550(t *testing.T) {
	t.Parallel()
	mp := startMailpit(t, append(authFlags, "--chaos-triggers", "Recipient:550:100")...)
	clock := notifytest.NewClock(time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC))
	log := notify.NewMemoryLog()
	p, err := notify.NewPipeline(newSMTP(t, smtpConfig(mp.Host, mp.Port), slog.New(slog.DiscardHandler)),
		notify.PipelineConfig{}, notify.Deps{Log: log, Recorder: log, Logger: slog.New(slog.DiscardHandler), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.Send(context.Background(), message("perm-1", "perm@vigie.test"), clock.Now().Add(5*time.Minute))
	if err != nil || o.Status != notify.StatusFailed || o.Retryable || o.Attempts != 1 || !strings.Contains(o.Reason, "550") {
		t.Fatalf("Send = %+v, %v; want failed after 1 attempt, not retryable, reason with 550", o, err)
	}
}
