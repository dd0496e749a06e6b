// Package jobs carries the cascade's notifications across processes on the bus: the cascade
// engine (one node, the notify leader) publishes each notification it requests as a job; workers
// on any notify node take the jobs (competing consumers), send them through their channels and
// record the outcomes in the log, where the engine reads them. A job that keeps failing without
// an outcome is set aside on a poison topic after MaxAttempts deliveries, and recorded failed, so
// the cascade falls back to the next channel instead of waiting on it. The operators' answers
// that reach a node other than the leader (SMS replies and receipts on the providers' webhooks,
// keypad acknowledgements, e-mail links) travel to the leader the same way (Inbound).
//
// Delivery is at least once everywhere. A worker records a notification sent in the log before
// it acknowledges the job, and the notify pipeline's dedup asks the log, so a job redelivered
// after a worker died pages again only if the worker died between the provider's answer and that
// record: the same window as in one process.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/domain/cascade"
)

// Topics and groups on the bus.
const (
	JobsTopic    = "notify-jobs"
	PoisonTopic  = "notify-jobs-poison"
	InboundTopic = "notify-inbound"
	// WorkersGroup shares the jobs between the notify nodes; EngineGroup is the engine's (the
	// leader's) subscription to the inbound answers and the alarm events.
	WorkersGroup = "notifiers"
	EngineGroup  = "cascade"
)

// Metadata of a poisoned job.
const (
	MetaAttempts = "vigie_attempts"
	MetaError    = "vigie_error"
)

func decodeJob(m bus.Message) (cascade.NotificationRequested, error) {
	var n cascade.NotificationRequested
	if err := json.Unmarshal(m.Payload, &n); err != nil {
		return n, fmt.Errorf("decode job %s: %w", m.ID, err)
	}
	if n.NotificationID == "" || n.Channel == "" {
		return n, fmt.Errorf("decode job %s: no notification id or channel", m.ID)
	}
	return n, nil
}

// publish hands m to the broker, trying again while it refuses: a job or a poisoned job must not
// be lost to a broker restart.
func publish(ctx context.Context, b bus.Bus, topic string, m bus.Message, logger *slog.Logger) error {
	return bus.PublishRetrying(ctx, b, topic, 5*time.Second, logger, m)
}

// QueueConfig tunes a Queue.
type QueueConfig struct {
	// Settle is how long Send waits for a job's outcome before it reports none: the engine then
	// sends the job again (a worker died with it). Default 3 min: longer than a pipeline's attempt
	// budget (1 min by default), so a slow channel is not mistaken for a lost job.
	Settle time.Duration
}

// Queue is the engine's side: its Sender (commands.Sender) publishes jobs and waits until the
// engine sees their outcome in the log (Settled).
type Queue struct {
	bus    bus.Bus
	cfg    QueueConfig
	logger *slog.Logger

	mu      sync.Mutex
	waiting map[string][]chan struct{}
	seq     uint64
}

// NewQueue refuses a nil bus or logger and a negative settle time.
func NewQueue(b bus.Bus, cfg QueueConfig, logger *slog.Logger) (*Queue, error) {
	var errs []error
	if b == nil {
		errs = append(errs, errors.New("nil bus"))
	}
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	if cfg.Settle < 0 {
		errs = append(errs, fmt.Errorf("settle time %s is negative", cfg.Settle))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new notification queue: %w", err)
	}
	if cfg.Settle == 0 {
		cfg.Settle = 3 * time.Minute
	}
	return &Queue{bus: b, cfg: cfg, logger: logger, waiting: map[string][]chan struct{}{}}, nil
}

// ErrNoOutcome: no worker reported an outcome in time; the engine sends the job again.
var ErrNoOutcome = errors.New("no outcome reported for the notification job")

// Send publishes n as a job and waits for its outcome (sent or failed), so the engine keeps it
// in flight meanwhile and does not publish it twice.
func (q *Queue) Send(ctx context.Context, n cascade.NotificationRequested) error {
	payload, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("encode job %s: %w", n.NotificationID, err)
	}
	settled := make(chan struct{})
	q.mu.Lock()
	q.waiting[n.NotificationID] = append(q.waiting[n.NotificationID], settled)
	q.seq++
	// Each send of a notification is its own message (a broker's duplicate window must not drop
	// the resend of a lost job); the workers' dedup recognises the notification.
	id := "job:" + n.NotificationID + "#" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatUint(q.seq, 36)
	q.mu.Unlock()
	defer q.forget(n.NotificationID, settled)
	m := bus.Message{ID: id, Metadata: map[string]string{"notification": n.NotificationID}, Payload: payload}
	if err := publish(ctx, q.bus, JobsTopic, m, q.logger); err != nil {
		return fmt.Errorf("publish job %s: %w", n.NotificationID, err)
	}
	t := time.NewTimer(q.cfg.Settle)
	defer t.Stop()
	select {
	case <-settled:
		return nil
	case <-t.C:
		return fmt.Errorf("job %s after %s: %w", n.NotificationID, q.cfg.Settle, ErrNoOutcome)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (q *Queue) forget(nid string, ch chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	ws := q.waiting[nid]
	for i, w := range ws {
		if w == ch {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(q.waiting, nid)
	} else {
		q.waiting[nid] = ws
	}
}

func (q *Queue) settle(nid string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, w := range q.waiting[nid] {
		close(w)
	}
	delete(q.waiting, nid)
}

// Settled ends the wait of the Send of notification nid: the engine saw its outcome in the log
// (commands.CascadeConfig.Settled).
func (q *Queue) Settled(nid string) { q.settle(nid) }
