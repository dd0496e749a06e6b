package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/domain/cascade"
)

// Sender sends one notification and records its outcome (notify.Dispatcher). It returns an error
// when no outcome is known.
type Sender interface {
	Send(ctx context.Context, n cascade.NotificationRequested) error
}

// WorkerConfig tunes a Worker.
type WorkerConfig struct {
	// MaxAttempts is how many deliveries of a job end without an outcome before it is poisoned;
	// default 5.
	MaxAttempts int
	// Backoff is the pause before a failed job goes back to the broker, doubled at each attempt
	// up to 30 s; default 1 s.
	Backoff time.Duration
}

// Worker takes jobs from the bus and sends them.
type Worker struct {
	bus    bus.Bus
	cfg    WorkerConfig
	record func(context.Context, cascade.Outcome) error
	logger *slog.Logger

	mu       sync.Mutex
	attempts map[string]int // notification id -> deliveries that ended without an outcome
}

// NewWorker refuses nil dependencies and negative settings. record writes an outcome in the log
// (the cascade engine's RecordOutcome): the worker's own, for a poisoned job.
func NewWorker(b bus.Bus, cfg WorkerConfig, record func(context.Context, cascade.Outcome) error, logger *slog.Logger) (*Worker, error) {
	var errs []error
	if b == nil {
		errs = append(errs, errors.New("nil bus"))
	}
	if record == nil {
		errs = append(errs, errors.New("nil outcome recorder"))
	}
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	if cfg.MaxAttempts < 0 || cfg.Backoff < 0 {
		errs = append(errs, fmt.Errorf("max attempts %d and backoff %s must be ≥ 0", cfg.MaxAttempts, cfg.Backoff))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new notification worker: %w", err)
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Second
	}
	return &Worker{bus: b, cfg: cfg, record: record, logger: logger, attempts: map[string]int{}}, nil
}

// Start subscribes to the jobs and sends each through s until ctx ends.
func (w *Worker) Start(ctx context.Context, s Sender) (*bus.Subscription, error) {
	if s == nil {
		return nil, errors.New("notification worker: nil sender")
	}
	sub, err := w.bus.Subscribe(ctx, JobsTopic, WorkersGroup, func(ctx context.Context, m bus.Message) error {
		return w.handle(ctx, s, m)
	})
	if err != nil {
		return nil, fmt.Errorf("notification worker: %w", err)
	}
	return sub, nil
}

func (w *Worker) handle(ctx context.Context, s Sender, m bus.Message) error {
	n, err := decodeJob(m)
	if err != nil {
		return w.poison(ctx, m, "", 1, err)
	}
	err = s.Send(ctx, n)
	if err == nil {
		w.mu.Lock()
		delete(w.attempts, n.NotificationID)
		w.mu.Unlock()
		w.logger.Info("notification job done", "notification", n.NotificationID, "channel", n.Channel)
		return nil
	}
	if ctx.Err() != nil {
		return err // shutting down: the broker gives the job to another worker
	}
	w.mu.Lock()
	w.attempts[n.NotificationID]++
	k := w.attempts[n.NotificationID]
	if k >= w.cfg.MaxAttempts {
		delete(w.attempts, n.NotificationID)
	}
	w.mu.Unlock()
	if k >= w.cfg.MaxAttempts {
		return w.poison(ctx, m, n.NotificationID, k, err)
	}
	pause := min(w.cfg.Backoff<<(k-1), 30*time.Second)
	w.logger.Warn("notification job failed without an outcome; it goes back to the queue", "notification", n.NotificationID, "attempt", k, "of", w.cfg.MaxAttempts, "in", pause, "err", err)
	t := time.NewTimer(pause)
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
	}
	return err
}

// poison sets a job aside on the poison topic, with why, and records the notification failed for
// good so the cascade falls back to the recipient's next channel.
func (w *Worker) poison(ctx context.Context, m bus.Message, nid string, attempts int, why error) error {
	p := bus.Message{ID: m.ID, Metadata: map[string]string{}, Payload: m.Payload}
	for k, v := range m.Metadata {
		p.Metadata[k] = v
	}
	p.Metadata[MetaAttempts] = strconv.Itoa(attempts)
	p.Metadata[MetaError] = why.Error()
	if err := publish(ctx, w.bus, PoisonTopic, p, w.logger); err != nil {
		return fmt.Errorf("poison job %s: %w", m.ID, err)
	}
	w.logger.Error("notification job poisoned", "message", m.ID, "notification", nid, "attempts", attempts, "topic", PoisonTopic, "err", why)
	if nid == "" {
		return nil
	}
	return w.record(ctx, cascade.Outcome{
		NotificationID: nid, Status: cascade.OutcomeFailed,
		Reason: fmt.Sprintf("set aside after %d attempts without an outcome: %v", attempts, why),
	})
}
