// Package notifytest is the conformance suite of the notification channels: every channel's tests
// call Run against a real peer (Mailpit, Kannel, baresip...) or a local receiver of the provider's
// documented API, so adding a channel means adding a package that passes it. It also holds the
// fake Clock the pipeline's tests use, and helpers for the peer states (Blackhole, ClosedAddr) and
// for capturing logs (LogBuffer).
//
// What the suite pins down beyond the port's comments:
//   - a delivered message reaches its recipient with its subject, text, HTML (where the channel
//     carries them) and, when Subject and Text are empty, a rendering that names the dam and carries
//     the acknowledgement link;
//   - concurrent Notify calls on one notifier are safe;
//   - a peer refusing the message gives retry=false; a peer answering a temporary failure, a peer
//     down (nothing listening) and a peer that never answers give retry=true;
//   - Notify returns promptly once ctx is cancelled or its deadline passes, with an error that wraps
//     ctx.Err(), and sends nothing when ctx is done before it starts;
//   - neither an error nor a log line (at debug level) carries a configured secret or the token of
//     the acknowledgement link.
package notifytest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
)

// State is the state a harness starts its peer in.
type State int

const (
	// Working: the peer accepts and keeps what it receives.
	Working State = iota
	// Refusing: the peer refuses every message for good (SMTP 5xx, HTTP 400, invalid number).
	Refusing
	// Busy: the peer answers a temporary failure (SMTP 451, HTTP 429/503).
	Busy
	// Down: nothing listens at the peer's address (ClosedAddr).
	Down
	// Stalled: the peer accepts connections and stops answering (Blackhole): after its greeting,
	// if its protocol has one.
	Stalled
)

func (s State) String() string {
	return [...]string{"working", "refusing", "busy", "down", "stalled"}[s]
}

// Delivery is one message as the peer received it.
type Delivery struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// ID is the notification's idempotency key as the peer saw it; "" when the channel cannot carry
	// one.
	ID string
}

// Peer is a notifier wired to a peer in a given state.
type Peer struct {
	Notifier notify.Notifier
	// Received returns what a Working peer has received so far (the suite polls it).
	Received func(t *testing.T) []Delivery
	// Connected, for a Stalled peer, is closed once the peer has received bytes from the notifier:
	// the notifier is past connecting and waits for an answer (Blackhole.Connected).
	Connected <-chan struct{}
}

// Harness is what a channel gives the suite.
type Harness struct {
	Channel notify.Channel
	// Start returns a notifier configured with Secrets, logging to logger, and wired to a peer in
	// state s; the peer stops at t's cleanup. Working peers may be shared between calls: the suite
	// tells deliveries apart by recipient. A notifier's own timeouts must be long (≥ 10 s), so that
	// the ctx tests measure ctx, not the timeout.
	Start func(t *testing.T, s State, logger *slog.Logger) Peer
	// Recipient returns a valid address on the channel, distinct for each n.
	Recipient func(n int) string
	// Secrets the notifier is configured with (password, API key): none may leak.
	Secrets []string
	// What the channel carries.
	Subject bool
	HTML    bool
	AckLink bool
}

var recipients atomic.Int64

// Run runs the conformance suite. Subtests run in parallel.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.Start == nil || h.Recipient == nil {
		t.Fatal("notifytest: Harness.Start and Harness.Recipient are required")
	}
	tests := []struct {
		name string
		run  func(t *testing.T, h Harness)
	}{
		{"Delivers", testDelivers},
		{"RendersFromAlarmWhenNoText", testRenders},
		{"RefusedIsNotRetryable", testRefused},
		{"BusyIsRetryable", testBusy},
		{"DownIsRetryable", testDown},
		{"CancelStopsPromptly", testCancel},
		{"DeadlineStopsPromptly", testDeadline},
		{"DoneContextSendsNothing", testDoneContext},
		{"NoSecretInErrorsOrLogs", testNoSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, h)
		})
	}
}

// message returns a message with a unique recipient and nonce.
func message(h Harness) (notify.Message, string) {
	n := recipients.Add(1)
	nonce := fmt.Sprintf("n%d-%d", n, time.Now().UnixNano()%1e6)
	return notify.Message{
		ID:       "mejean~level:alerte~3/step-1/" + nonce,
		AlarmID:  "mejean~level:alerte~3",
		Operator: "op-" + nonce,
		Channel:  h.Channel,
		To:       h.Recipient(int(n)),
		Language: "fr",
		Subject:  "Vigie essai " + nonce + " : Méjean en alerte",
		Text:     "Barrage de Méjean : seuil d'alerte franchi, niveau 5,92 m. " + nonce,
		HTML:     "<p>Barrage de <b>Méjean</b> : seuil d'alerte franchi. " + nonce + "</p>",
		AckURL:   "https://vigie.test/ack?t=" + ackToken(nonce),
		Alarm: notify.Alarm{
			Dam: "mejean", DamName: "Barrage de Méjean", Condition: "level:alerte", Severity: "alerte",
			Level: 5.92, Fill: 87.5, TimeToSpill: 135 * time.Minute,
			At:  time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC),
			URL: "https://vigie.test/alarms/mejean~level:alerte~3",
		},
	}, nonce
}

func ackToken(nonce string) string { return "acktoken-" + strings.ReplaceAll(nonce, "-", "") }

func start(t *testing.T, h Harness, s State) (Peer, *LogBuffer) {
	t.Helper()
	logs := &LogBuffer{}
	p := h.Start(t, s, logs.Logger())
	if p.Notifier == nil {
		t.Fatalf("harness: Start(%v) returned no notifier", s)
	}
	return p, logs
}

// waitFor polls the peer until it has received a message for each recipient, or fails after 10 s.
func waitFor(t *testing.T, p Peer, to ...string) map[string][]Delivery {
	t.Helper()
	if p.Received == nil {
		t.Fatal("harness: a Working peer must have Received")
	}
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		got := map[string][]Delivery{}
		for _, d := range p.Received(t) {
			got[strings.ToLower(d.To)] = append(got[strings.ToLower(d.To)], d)
		}
		missing := 0
		for _, r := range to {
			if len(got[strings.ToLower(r)]) == 0 {
				missing++
			}
		}
		if missing == 0 {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("peer received nothing for %d of %d recipients after 10 s", missing, len(to))
		}
		<-tick.C
	}
}

func normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Join(strings.Fields(s), " ")
}

func testDelivers(t *testing.T, h Harness) {
	p, logs := start(t, h, Working)
	const n = 4
	msgs := make([]notify.Message, n)
	for i := range msgs {
		msgs[i], _ = message(h)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	retries := make([]bool, n)
	for i := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			retries[i], errs[i] = p.Notifier.Notify(context.Background(), msgs[i])
		}()
	}
	wg.Wait()
	to := make([]string, n)
	for i, m := range msgs {
		if errs[i] != nil {
			t.Fatalf("Notify(%s) = retry %v, %v; want delivered", m.To, retries[i], errs[i])
		}
		to[i] = m.To
	}
	got := waitFor(t, p, to...)
	for _, m := range msgs {
		ds := got[strings.ToLower(m.To)]
		if len(ds) != 1 {
			t.Errorf("%s received %d messages, want 1", m.To, len(ds))
			continue
		}
		d := ds[0]
		if h.Subject && !strings.Contains(d.Subject, m.Subject) {
			t.Errorf("%s: subject %q, want it to contain %q", m.To, d.Subject, m.Subject)
		}
		if !strings.Contains(normalize(d.Text), normalize(m.Text)) {
			t.Errorf("%s: text %q, want it to contain %q", m.To, d.Text, m.Text)
		}
		if h.HTML && !strings.Contains(d.HTML, "<b>Méjean</b>") {
			t.Errorf("%s: HTML %q, want it to contain the message's HTML %q", m.To, d.HTML, m.HTML)
		}
		if d.ID != "" && d.ID != m.ID {
			t.Errorf("%s: idempotency key %q, want %q", m.To, d.ID, m.ID)
		}
	}
	checkNoSecret(t, h, logs, nil, msgs...)
}

func testRenders(t *testing.T, h Harness) {
	p, logs := start(t, h, Working)
	m, _ := message(h)
	m.Subject, m.Text, m.HTML = "", "", ""
	if retry, err := p.Notifier.Notify(context.Background(), m); err != nil {
		t.Fatalf("Notify = retry %v, %v; want delivered", retry, err)
	}
	d := waitFor(t, p, m.To)[strings.ToLower(m.To)][0]
	body := d.Text
	if h.Subject {
		body = d.Subject + "\n" + body
	}
	if !strings.Contains(body, "Méjean") {
		t.Errorf("rendered message does not name the dam:\n%s", body)
	}
	if h.AckLink && !strings.Contains(d.Text, m.AckURL) {
		t.Errorf("rendered text does not carry the acknowledgement link %q:\n%s", m.AckURL, d.Text)
	}
	if h.HTML && d.HTML == "" {
		t.Error("rendered message has no HTML part")
	}
	checkNoSecret(t, h, logs, nil, m)
}

// notifyOnce sends one message to a peer in state s with a 20 s guard.
func notifyOnce(t *testing.T, h Harness, s State) (bool, error, *LogBuffer, notify.Message, time.Duration) {
	t.Helper()
	p, logs := start(t, h, s)
	m, _ := message(h)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	began := time.Now()
	retry, err := p.Notifier.Notify(ctx, m)
	return retry, err, logs, m, time.Since(began)
}

func testRefused(t *testing.T, h Harness) {
	retry, err, logs, m, _ := notifyOnce(t, h, Refusing)
	if err == nil || retry {
		t.Fatalf("refusing peer: Notify = retry %v, err %v; want retry false and an error", retry, err)
	}
	checkNoSecret(t, h, logs, err, m)
}

func testBusy(t *testing.T, h Harness) {
	retry, err, logs, m, _ := notifyOnce(t, h, Busy)
	if err == nil || !retry {
		t.Fatalf("busy peer: Notify = retry %v, err %v; want retry true and an error", retry, err)
	}
	checkNoSecret(t, h, logs, err, m)
}

func testDown(t *testing.T, h Harness) {
	retry, err, logs, m, took := notifyOnce(t, h, Down)
	if err == nil || !retry {
		t.Fatalf("peer down: Notify = retry %v, err %v; want retry true and an error", retry, err)
	}
	if took > 5*time.Second {
		t.Errorf("peer down: Notify took %v, want a prompt answer (connection refused)", took)
	}
	checkNoSecret(t, h, logs, err, m)
}

// promptly is how soon Notify must return once its ctx is done.
const promptly = 2 * time.Second

func testCancel(t *testing.T, h Harness) {
	p, logs := start(t, h, Stalled)
	if p.Connected == nil {
		t.Fatal("harness: a Stalled peer must have Connected")
	}
	m, _ := message(h)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		retry bool
		err   error
	}
	done := make(chan result, 1)
	go func() {
		r, err := p.Notifier.Notify(ctx, m)
		done <- result{r, err}
	}()
	select {
	case <-p.Connected:
	case r := <-done:
		t.Fatalf("stalled peer: Notify returned before being cancelled: retry %v, %v", r.retry, r.err)
	case <-time.After(10 * time.Second):
		t.Fatal("stalled peer: the notifier did not connect within 10 s")
	}
	cancel()
	cancelled := time.Now()
	select {
	case r := <-done:
		if !errors.Is(r.err, context.Canceled) || !r.retry {
			t.Errorf("cancelled: Notify = retry %v, %v; want retry true and an error wrapping context.Canceled", r.retry, r.err)
		}
		if took := time.Since(cancelled); took > promptly {
			t.Errorf("cancelled: Notify returned %v after the cancel, want < %v", took, promptly)
		}
		checkNoSecret(t, h, logs, r.err, m)
	case <-time.After(10 * time.Second):
		t.Fatal("cancelled: Notify still running 10 s after its ctx was cancelled")
	}
}

func testDeadline(t *testing.T, h Harness) {
	p, logs := start(t, h, Stalled)
	m, _ := message(h)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan struct{})
	var (
		retry bool
		err   error
	)
	go func() {
		defer close(done)
		retry, err = p.Notifier.Notify(ctx, m)
	}()
	select {
	case <-done:
	case <-time.After(300*time.Millisecond + promptly):
		t.Fatalf("deadline: Notify still running %v after its ctx's deadline", promptly)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !retry {
		t.Errorf("deadline: Notify = retry %v, %v; want retry true and an error wrapping context.DeadlineExceeded", retry, err)
	}
	checkNoSecret(t, h, logs, err, m)
}

func testDoneContext(t *testing.T, h Harness) {
	p, logs := start(t, h, Working)
	m, _ := message(h)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	retry, err := p.Notifier.Notify(ctx, m)
	if !errors.Is(err, context.Canceled) || !retry {
		t.Errorf("done ctx: Notify = retry %v, %v; want retry true and an error wrapping context.Canceled", retry, err)
	}
	// A later message to another recipient proves the peer works; the cancelled one never arrives.
	m2, _ := message(h)
	if _, err := p.Notifier.Notify(context.Background(), m2); err != nil {
		t.Fatalf("Notify after the cancelled one: %v", err)
	}
	waitFor(t, p, m2.To)
	for _, d := range p.Received(t) {
		if strings.EqualFold(d.To, m.To) {
			t.Errorf("a message whose ctx was done before Notify was delivered: %+v", d)
		}
	}
	checkNoSecret(t, h, logs, err, m, m2)
}

func testNoSecret(t *testing.T, h Harness) {
	for _, s := range []State{Working, Refusing, Busy, Down, Stalled} {
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			p, logs := start(t, h, s)
			m, _ := message(h)
			m.Subject, m.Text, m.HTML = "", "", "" // rendered: the AckURL goes into the content
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := p.Notifier.Notify(ctx, m)
			checkNoSecret(t, h, logs, err, m)
		})
	}
}

// checkNoSecret fails if err or the logs carry a secret or an acknowledgement token.
func checkNoSecret(t *testing.T, h Harness, logs *LogBuffer, err error, msgs ...notify.Message) {
	t.Helper()
	var texts []string
	if err != nil {
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err.Error()))
	}
	texts = append(texts, logs.String())
	secrets := append([]string(nil), h.Secrets...)
	for _, m := range msgs {
		if i := strings.Index(m.AckURL, "?t="); i >= 0 {
			secrets = append(secrets, m.AckURL[i+3:])
		}
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, text := range texts {
			if strings.Contains(text, s) {
				t.Errorf("secret %q leaked in:\n%s", s, text)
			}
		}
	}
}

// LogBuffer captures the text output of a slog logger at debug level.
type LogBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

// Logger returns a logger writing into b.
func (b *LogBuffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was logged so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ClosedAddr returns a 127.0.0.1 address where nothing listens (a port the OS just gave and took
// back).
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	return addr
}

// Blackhole is a peer that accepts connections, writes an optional greeting, reads what the
// notifier sends and never answers.
type Blackhole struct {
	Addr      string
	connected chan struct{}
}

// NewBlackhole listens on 127.0.0.1:0 until t's cleanup. greeting is written to each connection
// (an SMTP server's "220 ..." line gets the client to its next command); nil for protocols where
// the client speaks first (HTTP).
func NewBlackhole(t testing.TB, greeting []byte) *Blackhole {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	b := &Blackhole{Addr: l.Addr().String(), connected: make(chan struct{})}
	var (
		mu    sync.Mutex
		conns []net.Conn
		once  sync.Once
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				if len(greeting) > 0 {
					if _, err := c.Write(greeting); err != nil {
						return
					}
				}
				buf := make([]byte, 4096)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
					once.Do(func() { close(b.connected) })
				}
			}()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return b
}

// Connected is closed once the blackhole has received bytes from a client: the client is past
// connecting and waits for an answer that never comes.
func (b *Blackhole) Connected() <-chan struct{} { return b.connected }
