package modem_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/sms/modem"
	"github.com/vigie/vigie/domain/cascade"
)

const simPIN = "90817263"

type reply struct {
	from, text string
	at         time.Time
}

type replies struct {
	mu   sync.Mutex
	got  []reply
	fail error
}

func (r *replies) Reply(_ context.Context, from, text string, at time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.got = append(r.got, reply{from, text, at})
	return nil
}

func (r *replies) all() []reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]reply(nil), r.got...)
}

func (r *replies) setFail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = err
}

// run starts m.Run until t's cleanup, and waits for it to return then.
func run(t *testing.T, m *modem.Modem) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Run still running 15 s after its ctx was cancelled")
		}
	})
}

func newModem(t *testing.T, cfg modem.Config, logger *slog.Logger, opts ...modem.Option) *modem.Modem {
	t.Helper()
	m, err := modem.New(cfg, logger, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

func TestConformance(t *testing.T) {
	t.Parallel()
	requireSocat(t)
	notifytest.Run(t, notifytest.Harness{
		Channel: notify.ChannelSMS,
		Secrets: []string{simPIN},
		AckLink: true,
		Recipient: func(n int) string {
			return fmt.Sprintf("+336%08d", 20000000+n)
		},
		Start: func(t *testing.T, s notifytest.State, logger *slog.Logger) notifytest.Peer {
			dir := t.TempDir()
			cfg := modem.Config{Port: dir + "/absent", PIN: simPIN}
			var p notifytest.Peer
			if s != notifytest.Down {
				pty := startPTY(t, dir)
				fm := startModem(t, pty.Far, map[notifytest.State]mode{
					notifytest.Working: accept, notifytest.Refusing: refuse, notifytest.Busy: busy, notifytest.Stalled: stalled,
				}[s], simPIN)
				cfg.Port = pty.Near
				p.Received = fm.deliveries
				p.Connected = fm.connected
			}
			m := newModem(t, cfg, logger, modem.WithReplies(&replies{}))
			run(t, m)
			p.Notifier = m
			return p
		},
	})
}

// waitUntil polls cond every 10 ms and fails after 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s: %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline
	}
}

var (
	msgN  int
	msgMu sync.Mutex
)

func message(to, text string) notify.Message {
	msgMu.Lock()
	defer msgMu.Unlock()
	msgN++
	return notify.Message{ID: fmt.Sprintf("m%d", msgN), Channel: notify.ChannelSMS, To: to, Text: text}
}

func TestRepliesAreReadAndDeleted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pty := startPTY(t, dir)
	fm := startModem(t, pty.Far, accept, "")
	sent := time.Date(2026, 11, 29, 14, 6, 30, 0, time.FixedZone("SCTS", 3600))
	// One waiting in the SIM before Vigie starts, found by the sweep at connection.
	fm.push("+33611111111", "1", sent, true)
	r := &replies{}
	m := newModem(t, modem.Config{Port: pty.Near, PollInterval: -1}, slog.New(slog.DiscardHandler), modem.WithReplies(r))
	run(t, m)
	waitUntil(t, "the stored reply is read", func() bool { return len(r.all()) == 1 })

	tests := []struct{ from, text string }{
		{"+33612345678", "OK 4821"},
		{"+33612345679", "Oui, reçu. J'arrive au barrage dans 20 minutes, accès par la route de Méjean fermé ? Prévenez la gendarmerie."}, // UCS-2 (ç), 2 parts
		{"+33612345680", strings.Repeat("niveau monte ", 20)}, // GSM-7, 2 parts
	}
	for _, tt := range tests {
		fm.push(tt.from, tt.text, sent, false)
	}
	waitUntil(t, "every reply is handed over", func() bool { return len(r.all()) == 1+len(tests) })
	waitUntil(t, "the modem's storage is emptied", func() bool { return fm.inboxSize() == 0 })
	got := map[string]reply{}
	for _, g := range r.all() {
		got[g.from] = g
	}
	if g := got["+33611111111"]; g.text != "1" {
		t.Errorf("stored reply = %+v", g)
	}
	for _, tt := range tests {
		if g := got[tt.from]; g.text != tt.text || !g.at.Equal(sent) {
			t.Errorf("reply from %s = %+v, want text %q at %v", tt.from, g, tt.text, sent)
		}
	}
	// What the channel hands over is what the cascade's parser reads.
	if code, ack, err := cascade.ParseReply(got["+33612345678"].text); err != nil || !ack || code != "4821" {
		t.Errorf("cascade.ParseReply(%q) = %q, %v, %v; want an acknowledgement of 4821", got["+33612345678"].text, code, ack, err)
	}
	if fm.sent("AT+CMGR=") == 0 {
		t.Error("no AT+CMGR: +CMTI was not followed")
	}
}

// A reply that Vigie cannot record stays in the modem and is handed over by a later sweep.
func TestReplyKeptUntilHandled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pty := startPTY(t, dir)
	fm := startModem(t, pty.Far, accept, "")
	clock := notifytest.NewClock(time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC))
	r := &replies{fail: errors.New("event store down")}
	m := newModem(t, modem.Config{Port: pty.Near, PollInterval: time.Minute}, slog.New(slog.DiscardHandler), modem.WithReplies(r), modem.WithClock(clock))
	run(t, m)
	waitUntil(t, "connected", m.Connected)
	clock.WaitForWaiters(t, 1) // the sweep timer
	fm.push("+33612345678", "OK 4821", clock.Now(), false)
	waitUntil(t, "the reply is read", func() bool { return fm.sent("AT+CMGR=") == 1 })
	if fm.inboxSize() != 1 {
		t.Fatal("a reply that was not handled was deleted")
	}
	r.setFail(nil)
	clock.Advance(time.Minute)
	waitUntil(t, "the sweep hands the reply over", func() bool { return len(r.all()) == 1 })
	waitUntil(t, "and deletes it", func() bool { return fm.inboxSize() == 0 })
}

// Unplugging the modem: Notify fails with retry=true at once; the channel reopens the port once
// it is back (after the back-off, on the fake clock), and sends and receives again.
func TestUnplugAndReconnect(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pty := startPTY(t, dir)
	fm := startModem(t, pty.Far, accept, "")
	clock := notifytest.NewClock(time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC))
	r := &replies{}
	logs := &notifytest.LogBuffer{}
	m := newModem(t, modem.Config{Port: pty.Near, PollInterval: -1, ReconnectMin: 5 * time.Second, ReconnectMax: 20 * time.Second},
		logs.Logger(), modem.WithReplies(r), modem.WithClock(clock))
	run(t, m)
	ctx := context.Background()
	if retry, err := m.Notify(ctx, message("+33612345678", "avant")); err != nil {
		t.Fatalf("Notify before unplugging = retry %v, %v", retry, err)
	}

	fm.Close()
	pty.Unplug()
	clock.WaitForWaiters(t, 1) // the channel saw the port go and waits to reopen it
	if m.Connected() {
		t.Fatal("Connected after unplugging")
	}
	began := time.Now()
	retry, err := m.Notify(ctx, message("+33612345678", "pendant"))
	if err == nil || !retry {
		t.Fatalf("Notify while unplugged = retry %v, %v; want retry true and an error", retry, err)
	}
	if took := time.Since(began); took > time.Second {
		t.Errorf("Notify while unplugged took %v, want an immediate answer", took)
	}
	// Still unplugged at the first attempt: the wait doubles.
	clock.Advance(5 * time.Second)
	clock.WaitForWaiters(t, 1)
	if d, _ := clock.NextWait(); d != 10*time.Second {
		t.Errorf("second wait %v, want 10 s", d)
	}

	pty2 := startPTY(t, dir) // plugged back: same device name
	fm2 := startModem(t, pty2.Far, accept, "")
	clock.Advance(10 * time.Second)
	waitUntil(t, "reconnected", m.Connected)
	if retry, err := m.Notify(ctx, message("+33612345678", "après")); err != nil {
		t.Fatalf("Notify after reconnecting = retry %v, %v", retry, err)
	}
	if got := fm2.deliveries(t); len(got) != 1 || got[0].Text != "après" {
		t.Errorf("second modem received %+v", got)
	}
	fm2.push("+33612345678", "OK 4821", clock.Now(), false)
	waitUntil(t, "the reply reaches Vigie after reconnecting", func() bool { return len(r.all()) == 1 })
	if l := logs.String(); !strings.Contains(l, "modem lost") || !strings.Contains(l, "modem connected") {
		t.Errorf("logs do not tell the loss and the reconnection:\n%s", l)
	}
}

// A modem that stops answering (crashed firmware, far end closed while the port stays open):
// the unanswered AT+CMGS gives retry=true, the connection is dropped, and the channel initialises
// the modem again once it answers.
func TestSilentModemIsReinitialised(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pty := startPTY(t, dir)
	fm := startModem(t, pty.Far, accept, "")
	clock := notifytest.NewClock(time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC))
	m := newModem(t, modem.Config{Port: pty.Near, PollInterval: -1, CommandTimeout: 300 * time.Millisecond, SendTimeout: 300 * time.Millisecond, ReconnectMin: 5 * time.Second},
		slog.New(slog.DiscardHandler), modem.WithClock(clock))
	run(t, m)
	ctx := context.Background()
	if _, err := m.Notify(ctx, message("+33612345678", "un")); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	fm.Close() // the port stays open, nobody answers
	retry, err := m.Notify(ctx, message("+33612345678", "deux"))
	if err == nil || !retry || !strings.Contains(err.Error(), "no answer") {
		t.Fatalf("Notify to a silent modem = retry %v, %v; want retry true and no answer", retry, err)
	}
	clock.WaitForWaiters(t, 1)
	fm2 := startModem(t, pty.Far, accept, "")
	clock.Advance(5 * time.Second)
	waitUntil(t, "reconnected", m.Connected)
	if _, err := m.Notify(ctx, message("+33612345678", "trois")); err != nil {
		t.Fatalf("Notify after re-initialising: %v", err)
	}
	if got := fm2.deliveries(t); len(got) != 1 || got[0].Text != "trois" {
		t.Errorf("modem received %+v, want only the third message", got)
	}
	if fm2.sent("ATE0") != 1 {
		t.Error("the modem was not initialised again")
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		mode      mode
		to        string
		wantRetry bool
		wantInErr string
	}{
		{"unassigned number", refuse, "+33612345678", false, "+CMS ERROR: 1"},
		{"unknown error", busy, "+33612345678", true, "+CMS ERROR: 500"},
		{"not a number", accept, "06 12", false, "E.164"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pty := startPTY(t, t.TempDir())
			fm := startModem(t, pty.Far, tt.mode, "")
			m := newModem(t, modem.Config{Port: pty.Near}, slog.New(slog.DiscardHandler))
			run(t, m)
			retry, err := m.Notify(context.Background(), message(tt.to, "essai"))
			if err == nil || retry != tt.wantRetry || !strings.Contains(err.Error(), tt.wantInErr) {
				t.Fatalf("Notify = retry %v, %v; want retry %v and an error with %q", retry, err, tt.wantRetry, tt.wantInErr)
			}
			if len(fm.deliveries(t)) != 0 {
				t.Error("delivered anyway")
			}
		})
	}
}

func TestWrongPINIsNotRetried(t *testing.T) {
	t.Parallel()
	pty := startPTY(t, t.TempDir())
	fm := startModem(t, pty.Far, accept, "11112222")
	logs := &notifytest.LogBuffer{}
	m := newModem(t, modem.Config{Port: pty.Near, PIN: simPIN}, logs.Logger())
	run(t, m)
	waitUntil(t, "the connection fails", func() bool {
		retry, err := m.Notify(context.Background(), message("+33612345678", "x"))
		return err != nil && retry && strings.Contains(err.Error(), "refused the configured PIN")
	})
	if n := fm.sent("AT+CPIN="); n != 1 {
		t.Errorf("PIN entered %d times, want once (three wrong PINs lock the SIM)", n)
	}
	if strings.Contains(logs.String(), simPIN) {
		t.Errorf("logs carry the PIN:\n%s", logs)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  modem.Config
		want []string
	}{
		{"valid", modem.Config{Port: "/dev/ttyUSB2"}, nil},
		{"everything wrong", modem.Config{PIN: "12", SMSC: "0609", ReconnectMin: time.Minute, ReconnectMax: time.Second, MaxSegments: 20, CommandTimeout: -1},
			[]string{"port is empty", "pin must be", "smsc", "reconnect_max", "max_segments", "command_timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err == nil) != (len(tt.want) == 0) {
				t.Fatalf("Validate = %v, want errors %v", err, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate = %q, want it to mention %q", err, w)
				}
			}
			if err != nil && strings.Contains(err.Error(), "12\"") {
				t.Error("Validate shows the PIN")
			}
		})
	}
}

// One message (GSM-7, one part) through the pty and the scripted modem: the channel's own cost
// per SMS, without a network (a real modem takes 1–5 s per AT+CMGS).
func BenchmarkNotifyOverPTY(b *testing.B) {
	pty := startPTY(b, b.TempDir())
	fm := startModem(b, pty.Far, accept, "")
	m, err := modem.New(modem.Config{Port: pty.Near, PollInterval: -1}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	msg := message("+33612345678", "VIGIE ALERTE Barrage de Méjean : seuil d'alerte franchi. Niveau 5,92 m.")
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Notify(ctx, msg); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if got := len(fm.deliveries(nil)); got < b.N {
		b.Fatalf("modem received %d of %d", got, b.N)
	}
}
