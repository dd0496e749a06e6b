package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/gochannel"
	"github.com/vigie/vigie/adapters/notify/jobs"
	"github.com/vigie/vigie/domain/cascade"
)

func logger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

// twoNodes returns two buses on one broker: the engine's node and a worker's.
func twoNodes(t *testing.T) (engine, worker bus.Bus) {
	t.Helper()
	broker, err := gochannel.NewBroker(logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = broker.Close() })
	a, _ := broker.Bus(logger(t))
	b, _ := broker.Bus(logger(t))
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	return a, b
}

// recorder is the log, written by the worker's engine (RecordOutcome) and read by the leader's,
// which tells the queue (Settled).
type recorder struct {
	mu      sync.Mutex
	got     []cascade.Outcome
	settled func(string)
}

func (r *recorder) record(_ context.Context, o cascade.Outcome) error {
	r.mu.Lock()
	r.got = append(r.got, o)
	r.mu.Unlock()
	r.settled(o.NotificationID)
	return nil
}

func (r *recorder) outcomes() []cascade.Outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]cascade.Outcome(nil), r.got...)
}

type senderFunc func(ctx context.Context, n cascade.NotificationRequested) error

func (f senderFunc) Send(ctx context.Context, n cascade.NotificationRequested) error {
	return f(ctx, n)
}

func job(id string) cascade.NotificationRequested {
	return cascade.NotificationRequested{NotificationID: id, AlarmID: "mejean~level:alerte~1", Channel: "sms", Address: "+33600000001", Text: "Méjean 6.02 m"}
}

// start subscribes, and stops the subscription at the end of the test.
func start(t *testing.T, sub func(ctx context.Context) (*bus.Subscription, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := sub(ctx)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = s.Wait() })
}

// TestJobGoesToAWorkerAndItsOutcomeBack: the engine's Send returns once the worker's outcome is
// recorded, with the provider's reference.
func TestJobGoesToAWorkerAndItsOutcomeBack(t *testing.T) {
	t.Parallel()
	eb, wb := twoNodes(t)
	q, err := jobs.NewQueue(eb, jobs.QueueConfig{Settle: 20 * time.Second}, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{settled: q.Settled}
	w, err := jobs.NewWorker(wb, jobs.WorkerConfig{}, rec.record, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	var mu sync.Mutex
	start(t, func(ctx context.Context) (*bus.Subscription, error) {
		return w.Start(ctx, senderFunc(func(ctx context.Context, n cascade.NotificationRequested) error {
			mu.Lock()
			sent = append(sent, n.Address+" "+n.Text)
			mu.Unlock()
			return rec.record(ctx, cascade.Outcome{NotificationID: n.NotificationID, Status: cascade.OutcomeSent, ProviderRef: "SM1"})
		}))
	})
	if err := q.Send(t.Context(), job("a/1/1/0/durand/sms")); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := rec.outcomes()
	if len(got) != 1 || got[0].Status != cascade.OutcomeSent || got[0].ProviderRef != "SM1" || got[0].NotificationID != "a/1/1/0/durand/sms" {
		t.Fatalf("outcomes %+v", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 1 || sent[0] != "+33600000001 Méjean 6.02 m" {
		t.Fatalf("sent %v", sent)
	}
}

// TestJobThatKeepsFailingIsPoisonedAndRecordedFailed: after MaxAttempts deliveries without an
// outcome the job goes to the poison topic, with why, and the engine records it failed for good.
func TestJobThatKeepsFailingIsPoisonedAndRecordedFailed(t *testing.T) {
	t.Parallel()
	eb, wb := twoNodes(t)
	q, _ := jobs.NewQueue(eb, jobs.QueueConfig{Settle: 20 * time.Second}, logger(t))
	rec := &recorder{settled: q.Settled}
	poisoned := make(chan bus.Message, 1)
	sub, err := eb.Subscribe(t.Context(), jobs.PoisonTopic, "audit", func(_ context.Context, m bus.Message) error {
		poisoned <- m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = sub
	w, _ := jobs.NewWorker(wb, jobs.WorkerConfig{MaxAttempts: 3, Backoff: time.Millisecond}, rec.record, logger(t))
	var calls int
	var mu sync.Mutex
	start(t, func(ctx context.Context) (*bus.Subscription, error) {
		return w.Start(ctx, senderFunc(func(context.Context, cascade.NotificationRequested) error {
			mu.Lock()
			calls++
			mu.Unlock()
			return errors.New("gateway unreachable")
		}))
	})
	if err := q.Send(t.Context(), job("a/1/1/0/durand/sms")); err != nil {
		t.Fatalf("send: %v", err)
	}
	select {
	case m := <-poisoned:
		if m.Metadata[jobs.MetaAttempts] != "3" || !strings.Contains(m.Metadata[jobs.MetaError], "gateway unreachable") {
			t.Fatalf("poisoned %+v", m.Metadata)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing on the poison topic")
	}
	got := rec.outcomes()
	if len(got) != 1 || got[0].Status != cascade.OutcomeFailed || got[0].Retryable || !strings.Contains(got[0].Reason, "3 attempts") {
		t.Fatalf("outcomes %+v, want one failed for good", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 3 {
		t.Fatalf("%d attempts, want 3", calls)
	}
}

// TestSendWithoutWorkerReportsNoOutcome: with no worker, Send gives up after the settle time and
// the engine sends again later.
func TestSendWithoutWorkerReportsNoOutcome(t *testing.T) {
	t.Parallel()
	eb, _ := twoNodes(t)
	q, _ := jobs.NewQueue(eb, jobs.QueueConfig{Settle: 100 * time.Millisecond}, logger(t))
	if err := q.Send(t.Context(), job("a/1/1/0/durand/sms")); !errors.Is(err, jobs.ErrNoOutcome) {
		t.Fatalf("send: %v, want ErrNoOutcome", err)
	}
}

type target struct {
	mu  sync.Mutex
	got []string
}

func (t *target) add(s string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.got = append(t.got, s)
	if strings.Contains(s, "unknown") {
		return errUnknown
	}
	return nil
}

var errUnknown = errors.New("names no alarm")

func (t *target) Reply(_ context.Context, phone, text string, _ time.Time) error {
	return t.add("reply " + phone + " " + text)
}
func (t *target) AckByVoice(_ context.Context, a, o string) error {
	return t.add("voice " + a + " " + o)
}
func (t *target) AckByLink(_ context.Context, a, o string) error { return t.add("link " + a + " " + o) }
func (t *target) Delivered(_ context.Context, ref string) error  { return t.add("delivered " + ref) }
func (t *target) Failed(_ context.Context, ref, why string) error {
	return t.add("failed " + ref + " " + why)
}

// TestInboundAnswersReachTheLeader: answers taken by another node reach the leader's target;
// one it refuses for good is dropped, not redelivered forever.
func TestInboundAnswersReachTheLeader(t *testing.T) {
	t.Parallel()
	eb, nb := twoNodes(t)
	tg := &target{}
	start(t, func(ctx context.Context) (*bus.Subscription, error) {
		return jobs.StartInbound(ctx, eb, tg, func(err error) bool { return errors.Is(err, errUnknown) }, logger(t))
	})
	in, err := jobs.NewInbound(nb, time.Now, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, f := range []func() error{
		func() error { return in.Reply(ctx, "+33600000001", "unknown", time.Now()) },
		func() error { return in.Reply(ctx, "+33600000001", "OK 4821", time.Now()) },
		func() error { return in.AckByVoice(ctx, "a1", "durand") },
		func() error { return in.AckByLink(ctx, "a1", "martin") },
		func() error { return in.Delivered(ctx, "SM1") },
		func() error { return in.Failed(ctx, "SM2", "30003") },
	} {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"reply +33600000001 unknown", "reply +33600000001 OK 4821", "voice a1 durand", "link a1 martin", "delivered SM1", "failed SM2 30003"}
	deadline := time.Now().Add(10 * time.Second)
	for {
		tg.mu.Lock()
		got := strings.Join(tg.got, "|")
		tg.mu.Unlock()
		if got == strings.Join(want, "|") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("target got %q, want %q", got, strings.Join(want, "|"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConstructorsRefuseNil(t *testing.T) {
	t.Parallel()
	if _, err := jobs.NewQueue(nil, jobs.QueueConfig{Settle: -1}, nil); err == nil || !strings.Contains(err.Error(), "nil bus") || !strings.Contains(err.Error(), "negative") {
		t.Errorf("NewQueue: %v", err)
	}
	if _, err := jobs.NewWorker(nil, jobs.WorkerConfig{MaxAttempts: -1}, nil, nil); err == nil || !strings.Contains(err.Error(), "nil bus") || !strings.Contains(err.Error(), "nil outcome recorder") || !strings.Contains(err.Error(), "max attempts") {
		t.Errorf("NewWorker: %v", err)
	}
	if _, err := jobs.NewInbound(nil, nil, nil); err == nil {
		t.Error("NewInbound: nil error")
	}
}
