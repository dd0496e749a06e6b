package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
)

var t0 = time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC)

func msg(id string) notify.Message {
	return notify.Message{
		ID: id, AlarmID: "mejean~level:alerte~3", Operator: "alice", Channel: notify.ChannelEmail,
		To: "alice@vigie.test", AckURL: "https://vigie.test/ack?t=SECRETTOKEN",
	}
}

var (
	errTemp = errors.New("451 try again later")
	errPerm = errors.New("550 mailbox unavailable")
)

// step is one scripted answer of the fake notifier.
type step struct {
	retry bool
	err   error
}

var ok = step{}

// script is a notifier answering its steps in turn (the last one forever) and noting the clock's
// time of each call.
type script struct {
	clock *notifytest.Clock
	mu    sync.Mutex
	steps []step
	calls []time.Time
}

func (s *script) Notify(ctx context.Context, m notify.Message) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, s.clock.Now())
	st := s.steps[min(len(s.calls), len(s.steps))-1]
	return st.retry, st.err
}

func (s *script) callOffsets() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Duration
	for _, c := range s.calls {
		out = append(out, c.Sub(t0))
	}
	return out
}

type result struct {
	o   notify.Outcome
	err error
}

// drive runs send, advancing the fake clock to each wait the pipeline starts, and returns the
// waits and the result.
func drive(t *testing.T, clock *notifytest.Clock, send func() (notify.Outcome, error)) ([]time.Duration, notify.Outcome, error) {
	t.Helper()
	done := make(chan result, 1)
	go func() {
		o, err := send()
		done <- result{o, err}
	}()
	var waits []time.Duration
	for {
		n, added := clock.Pending()
		if n > 0 {
			d, _ := clock.NextWait()
			waits = append(waits, d)
			clock.Advance(d)
			continue
		}
		select {
		case r := <-done:
			return waits, r.o, r.err
		case <-added:
		case <-time.After(10 * time.Second):
			t.Fatal("Send neither returned nor waited on the clock within 10 s")
		}
	}
}

type fixture struct {
	clock *notifytest.Clock
	log   *notify.MemoryLog
	logs  *notifytest.LogBuffer
	p     *notify.Pipeline
}

func newFixture(t *testing.T, n notify.Notifier, cfg notify.PipelineConfig, random float64) fixture {
	t.Helper()
	f := fixture{clock: notifytest.NewClock(t0), log: notify.NewMemoryLog(), logs: &notifytest.LogBuffer{}}
	if s, isScript := n.(*script); isScript {
		s.clock = f.clock
	}
	p, err := notify.NewPipeline(n, cfg, notify.Deps{
		Log: f.log, Recorder: f.log, Logger: f.logs.Logger(), Clock: f.clock,
		Random: func() float64 { return random },
	})
	if err != nil {
		t.Fatalf("NewPipeline: %v", err)
	}
	f.p = p
	return f
}

func TestPipelineRetries(t *testing.T) {
	t.Parallel()
	s := time.Second
	tests := []struct {
		name      string
		steps     []step
		backoff   notify.Backoff
		random    float64
		deadline  time.Duration
		wantWaits []time.Duration
		want      notify.Outcome // Status, Attempts, Retryable, Reason
	}{
		{
			name: "FirstAttemptDelivers", steps: []step{ok}, deadline: time.Minute,
			want: notify.Outcome{Status: notify.StatusSent, Attempts: 1},
		},
		{
			name: "ExponentialBackoffUntilDelivered", steps: []step{{true, errTemp}, {true, errTemp}, ok},
			backoff: notify.Backoff{Initial: s, Multiplier: 2, Max: time.Minute}, deadline: time.Minute,
			wantWaits: []time.Duration{s, 2 * s},
			want:      notify.Outcome{Status: notify.StatusSent, Attempts: 3},
		},
		{
			name: "PermanentFailureStopsAtOnce", steps: []step{{false, errPerm}}, deadline: time.Minute,
			want: notify.Outcome{Status: notify.StatusFailed, Attempts: 1, Reason: errPerm.Error()},
		},
		{
			name: "TemporaryFailuresUntilTheDeadline", steps: []step{{true, errTemp}},
			backoff: notify.Backoff{Initial: s, Multiplier: 2, Max: 4 * s}, deadline: 10 * s,
			// attempts at 0, 1, 3, 7 s; the next would be at 11 s, past the deadline.
			wantWaits: []time.Duration{s, 2 * s, 4 * s},
			want:      notify.Outcome{Status: notify.StatusFailed, Attempts: 4, Retryable: true, Reason: errTemp.Error()},
		},
		{
			name: "MaxCapsTheWait", steps: []step{{true, errTemp}},
			backoff: notify.Backoff{Initial: s, Multiplier: 10, Max: 5 * s}, deadline: 20 * s,
			wantWaits: []time.Duration{s, 5 * s, 5 * s, 5 * s},
			want:      notify.Outcome{Status: notify.StatusFailed, Attempts: 5, Retryable: true, Reason: errTemp.Error()},
		},
		{
			name: "JitterShortensWaits", steps: []step{{true, errTemp}, {true, errTemp}, ok},
			backoff: notify.Backoff{Initial: s, Multiplier: 2, Max: time.Minute, Jitter: 0.2}, random: 0.5,
			deadline:  time.Minute,
			wantWaits: []time.Duration{900 * time.Millisecond, 1800 * time.Millisecond},
			want:      notify.Outcome{Status: notify.StatusSent, Attempts: 3},
		},
		{
			name: "DeadlineAlreadyPassed", steps: []step{ok}, deadline: 0,
			want: notify.Outcome{Status: notify.StatusFailed, Retryable: true, Reason: "deadline passed before the first attempt"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := &script{steps: tt.steps}
			f := newFixture(t, sc, notify.PipelineConfig{Backoff: tt.backoff}, tt.random)
			m := msg("n1")
			waits, o, err := drive(t, f.clock, func() (notify.Outcome, error) { return f.p.Send(context.Background(), m, t0.Add(tt.deadline)) })
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if fmt.Sprint(waits) != fmt.Sprint(tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
			got := notify.Outcome{Status: o.Status, Attempts: o.Attempts, Retryable: o.Retryable, Reason: o.Reason}
			if got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
			if len(sc.calls) != tt.want.Attempts {
				t.Errorf("notifier called %d times, want %d", len(sc.calls), tt.want.Attempts)
			}
			if o.MessageID != m.ID || o.AlarmID != m.AlarmID || o.Operator != m.Operator || o.Channel != m.Channel || o.To != m.To {
				t.Errorf("outcome does not identify the message: %+v", o)
			}
			rec := f.log.Outcomes()
			if len(rec) != 1 || rec[0] != o {
				t.Errorf("recorded %+v, want exactly the outcome %+v", rec, o)
			}
		})
	}
}

func TestPipelineDedup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		first      []step
		wantSecond notify.Status
		wantCalls  int
	}{
		{"SentIsNotSentAgain", []step{ok}, notify.StatusDuplicate, 1},
		{"FailedIsTriedAgain", []step{{false, errPerm}, ok}, notify.StatusSent, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := &script{steps: tt.first}
			f := newFixture(t, sc, notify.PipelineConfig{}, 0)
			m := msg("n1")
			if _, err := f.p.Send(context.Background(), m, t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			o, err := f.p.Send(context.Background(), m, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != tt.wantSecond || len(sc.calls) != tt.wantCalls {
				t.Errorf("second Send: status %s after %d calls, want %s after %d", o.Status, len(sc.calls), tt.wantSecond, tt.wantCalls)
			}
			if o.Status == notify.StatusDuplicate && len(f.log.Outcomes()) != 1 {
				t.Errorf("a duplicate was recorded: %+v", f.log.Outcomes())
			}
		})
	}
}

func TestPipelineLogSaysSent(t *testing.T) {
	t.Parallel()
	sc := &script{steps: []step{ok}}
	f := newFixture(t, sc, notify.PipelineConfig{}, 0)
	if err := f.log.Record(context.Background(), notify.Outcome{MessageID: "n1", Status: notify.StatusSent}); err != nil {
		t.Fatal(err)
	}
	o, err := f.p.Send(context.Background(), msg("n1"), t0.Add(time.Minute))
	if err != nil || o.Status != notify.StatusDuplicate || len(sc.calls) != 0 {
		t.Errorf("Send of a logged ID = %+v, %v after %d calls; want duplicate, no call", o, err, len(sc.calls))
	}
}

// gate is a notifier that blocks until released and counts its calls.
type gate struct {
	calls   atomic.Int32
	started chan struct{}
	release chan struct{}
}

func (g *gate) Notify(ctx context.Context, m notify.Message) (bool, error) {
	if g.calls.Add(1) == 1 {
		close(g.started)
	}
	select {
	case <-g.release:
		return false, nil
	case <-ctx.Done():
		return true, ctx.Err()
	}
}

func TestPipelineConcurrentSendsOfOneIDDeliverOnce(t *testing.T) {
	t.Parallel()
	g := &gate{started: make(chan struct{}), release: make(chan struct{})}
	f := newFixture(t, g, notify.PipelineConfig{}, 0)
	const n = 8
	results := make(chan result, n)
	for range n {
		go func() {
			o, err := f.p.Send(context.Background(), msg("same"), t0.Add(time.Minute))
			results <- result{o, err}
		}()
	}
	<-g.started
	close(g.release)
	count := map[notify.Status]int{}
	for range n {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		count[r.o.Status]++
	}
	if g.calls.Load() != 1 || count[notify.StatusSent] != 1 || count[notify.StatusDuplicate] != n-1 {
		t.Errorf("%d calls, statuses %v; want 1 call, 1 sent, %d duplicates", g.calls.Load(), count, n-1)
	}
}

func TestPipelineRateLimitPerRecipient(t *testing.T) {
	t.Parallel()
	sc := &script{steps: []step{ok}}
	f := newFixture(t, sc, notify.PipelineConfig{RateLimit: notify.RateLimit{Burst: 2, Every: 10 * time.Second}}, 0)
	deadline := t0.Add(time.Hour)
	send := func(id, to string) ([]time.Duration, notify.Outcome) {
		m := msg(id)
		m.To = to
		waits, o, err := drive(t, f.clock, func() (notify.Outcome, error) { return f.p.Send(context.Background(), m, deadline) })
		if err != nil {
			t.Fatal(err)
		}
		return waits, o
	}
	for i, tt := range []struct {
		id, to    string
		wantWaits []time.Duration
	}{
		{"a1", "alice@vigie.test", nil},
		{"a2", "ALICE@vigie.test", nil}, // same recipient, whatever the case
		{"b1", "bob@vigie.test", nil},   // another recipient has its own bucket
		{"a3", "alice@vigie.test", []time.Duration{10 * time.Second}},
		{"a4", "alice@vigie.test", []time.Duration{10 * time.Second}},
	} {
		waits, o := send(tt.id, tt.to)
		if fmt.Sprint(waits) != fmt.Sprint(tt.wantWaits) || o.Status != notify.StatusSent {
			t.Errorf("message %d (%s): waits %v, status %s; want waits %v, sent", i, tt.id, waits, o.Status, tt.wantWaits)
		}
	}

	// A wait past the deadline fails at once, retryable, without an attempt nor a token taken.
	m := msg("a5")
	calls := len(sc.calls)
	o, err := f.p.Send(context.Background(), m, f.clock.Now().Add(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != notify.StatusFailed || !o.Retryable || o.Attempts != 0 || !strings.Contains(o.Reason, "rate limit") || len(sc.calls) != calls {
		t.Errorf("rate-limited past the deadline: %+v after %d new calls; want failed, retryable, no attempt", o, len(sc.calls)-calls)
	}
	f.clock.Advance(10 * time.Second)
	waits, o := send("a6", "alice@vigie.test")
	if len(waits) != 0 || o.Status != notify.StatusSent {
		t.Errorf("after a refill: waits %v, status %s; want no wait (the refused message took no token)", waits, o.Status)
	}
}

func TestPipelineCancelWhileWaitingRecordsNothing(t *testing.T) {
	t.Parallel()
	sc := &script{steps: []step{{true, errTemp}}}
	f := newFixture(t, sc, notify.PipelineConfig{}, 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		o, err := f.p.Send(ctx, msg("n1"), t0.Add(time.Hour))
		done <- result{o, err}
	}()
	f.clock.WaitForWaiters(t, 1)
	cancel()
	r := <-done
	if !errors.Is(r.err, context.Canceled) {
		t.Errorf("Send = %v, want an error wrapping context.Canceled", r.err)
	}
	if got := f.log.Outcomes(); len(got) != 0 {
		t.Errorf("recorded %+v after a cancel; want nothing (the notification is still due)", got)
	}
}

func TestPipelineRecordsADeliveryEvenIfCancelledMeanwhile(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	n := notify.NotifierFunc(func(context.Context, notify.Message) (bool, error) {
		cancel() // shutdown begins while the peer accepts the message
		return false, nil
	})
	f := newFixture(t, n, notify.PipelineConfig{}, 0)
	o, err := f.p.Send(ctx, msg("n1"), t0.Add(time.Minute))
	if err != nil || o.Status != notify.StatusSent {
		t.Fatalf("Send = %+v, %v; want sent", o, err)
	}
	if sent, _ := f.log.Sent(context.Background(), "n1"); !sent {
		t.Error("a delivered message was not recorded")
	}
}

func TestPipelineRecordFailureIsReturned(t *testing.T) {
	t.Parallel()
	clock := notifytest.NewClock(t0)
	broken := errors.New("event store unavailable")
	p, err := notify.NewPipeline(notify.NotifierFunc(func(context.Context, notify.Message) (bool, error) { return false, nil }),
		notify.PipelineConfig{}, notify.Deps{
			Log: notify.NewMemoryLog(), Logger: slog.New(slog.DiscardHandler), Clock: clock,
			Recorder: notify.RecorderFunc(func(context.Context, notify.Outcome) error { return broken }),
		})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.Send(context.Background(), msg("n1"), t0.Add(time.Minute))
	if !errors.Is(err, broken) || o.Status != notify.StatusSent {
		t.Errorf("Send = %+v, %v; want the sent outcome and the recorder's error", o, err)
	}
}

func TestPipelineKeepsSecretsOutOfLogsAndReasons(t *testing.T) {
	t.Parallel()
	leaky := errors.New(`POST "https://api.example/v3/send?key=APIKEY123": 451 busy`)
	sc := &script{steps: []step{{true, leaky}, {false, leaky}}}
	f := newFixture(t, sc, notify.PipelineConfig{}, 0)
	_, o, err := drive(t, f.clock, func() (notify.Outcome, error) {
		return f.p.Send(context.Background(), msg("n1"), t0.Add(time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"APIKEY123", "SECRETTOKEN"} {
		if strings.Contains(o.Reason, s) || strings.Contains(f.logs.String(), s) {
			t.Errorf("%q leaked: reason %q, logs:\n%s", s, o.Reason, f.logs.String())
		}
	}
	if !strings.Contains(f.logs.String(), "alice@vigie.test") {
		t.Errorf("logs do not identify the message:\n%s", f.logs.String())
	}
}

func TestPipelineRefusesInvalidMessagesAndConfig(t *testing.T) {
	t.Parallel()
	f := newFixture(t, &script{steps: []step{ok}}, notify.PipelineConfig{}, 0)
	_, err := f.p.Send(context.Background(), notify.Message{}, t0.Add(time.Minute))
	for _, want := range []string{"ID", "channel", "recipient"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Send(empty message) = %v, want an error naming %s", err, want)
		}
	}

	if _, err := f.p.Send(context.Background(), msg("n1"), time.Time{}); err == nil || !strings.Contains(err.Error(), "no deadline") {
		t.Errorf("Send without a deadline = %v, want an error", err)
	}

	_, err = notify.NewPipeline(nil, notify.PipelineConfig{
		Backoff:   notify.Backoff{Initial: time.Minute, Max: time.Second, Multiplier: 0.5, Jitter: 2},
		RateLimit: notify.RateLimit{Burst: -1},
	}, notify.Deps{})
	for _, want := range []string{"notifier", "log", "recorder", "logger", "max", "multiplier", "jitter", "burst"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewPipeline(bad) = %v, want every mistake listed, %q among them", err, want)
		}
	}
}

func TestFallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		steps     []step
		wantRetry bool
		wantErr   []string
		wantCalls int
	}{
		{"FirstDelivers", []step{ok, ok}, false, nil, 1},
		{"SecondDeliversAfterATemporaryFailure", []step{{true, errTemp}, ok}, false, nil, 2},
		{"SecondDeliversAfterAPermanentFailure", []step{{false, errPerm}, ok}, false, nil, 2},
		{"AllPermanent", []step{{false, errPerm}, {false, errPerm}}, false, []string{"notifier 1: 550", "notifier 2: 550"}, 2},
		{"AnyTemporaryMakesItRetryable", []step{{true, errTemp}, {false, errPerm}}, true, []string{"451", "550"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls int
			var ns []notify.Notifier
			for _, s := range tt.steps {
				ns = append(ns, notify.NotifierFunc(func(context.Context, notify.Message) (bool, error) {
					calls++
					return s.retry, s.err
				}))
			}
			retry, err := notify.Fallback(ns...).Notify(context.Background(), msg("n1"))
			if retry != tt.wantRetry || (err == nil) != (tt.wantErr == nil) || calls != tt.wantCalls {
				t.Fatalf("Fallback = retry %v, %v after %d calls; want retry %v, error %v, %d calls", retry, err, calls, tt.wantRetry, tt.wantErr != nil, tt.wantCalls)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestFallbackStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	second := false
	n := notify.Fallback(
		notify.NotifierFunc(func(ctx context.Context, _ notify.Message) (bool, error) { cancel(); return true, ctx.Err() }),
		notify.NotifierFunc(func(context.Context, notify.Message) (bool, error) { second = true; return false, nil }),
	)
	retry, err := n.Notify(ctx, msg("n1"))
	if !errors.Is(err, context.Canceled) || !retry || second {
		t.Errorf("Fallback after a cancel = retry %v, %v (second tried: %v); want retry, context.Canceled, second not tried", retry, err, second)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		secrets  []string
		want     string
	}{
		{"Secret", "auth failed for hunter2", []string{"hunter2", ""}, "auth failed for [REDACTED]"},
		{"QueryValues", `Post "https://h.example/ack?t=abc&x=1": EOF`, nil, `Post "https://h.example/ack?t=REDACTED&x=REDACTED": EOF`},
		{"Password", "dial smtp://u:pw@h.example:587 failed", nil, "dial smtp://u:REDACTED@h.example:587 failed"},
		{"Fragment", "see https://h.example/a#tok", nil, "see https://h.example/a#REDACTED"},
		{"PlainURLKept", "GET https://h.example/alarms/x~1 404", nil, "GET https://h.example/alarms/x~1 404"},
		{"NoURL", "550 mailbox unavailable", nil, "550 mailbox unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := notify.Redact(tt.in, tt.secrets...); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	err := notify.RedactError(fmt.Errorf("send with key K123: %w", context.DeadlineExceeded), "K123")
	if strings.Contains(err.Error(), "K123") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("RedactError = %q; want the key hidden and the chain kept", err)
	}
}

func TestMessageLogValueHidesTheAckLink(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("x", "m", msg("n1"))
	if strings.Contains(b.String(), "SECRETTOKEN") || !strings.Contains(b.String(), `"id":"n1"`) {
		t.Errorf("log line %s: want the id and no ack token", b.String())
	}
}

// BenchmarkPipelineOverhead is the cost of dedup, rate limit, retry loop and record around a
// notifier that does nothing: the pipeline's own overhead per message, with its info line written
// by a text handler (to io.Discard) and with logging off.
func BenchmarkPipelineOverhead(b *testing.B) {
	for _, bc := range []struct {
		name    string
		handler slog.Handler
	}{{"text-log", slog.NewTextHandler(io.Discard, nil)}, {"no-log", slog.DiscardHandler}} {
		b.Run(bc.name, func(b *testing.B) {
			noop := notify.NotifierFunc(func(context.Context, notify.Message) (bool, error) { return false, nil })
			log := notify.NewMemoryLog()
			p, err := notify.NewPipeline(noop, notify.PipelineConfig{RateLimit: notify.RateLimit{Burst: 1 << 30}},
				notify.Deps{Log: log, Recorder: log, Logger: slog.New(bc.handler)})
			if err != nil {
				b.Fatal(err)
			}
			m := msg("")
			deadline := time.Now().Add(time.Hour)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				m.ID = "n" + strconv.Itoa(i)
				if o, err := p.Send(context.Background(), m, deadline); err != nil || o.Status != notify.StatusSent {
					b.Fatal(o, err)
				}
			}
		})
	}
}
