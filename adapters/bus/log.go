package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Metadata keys of a log message.
const (
	MetaPosition = "vigie_position" // the record's global position
	MetaPrev     = "vigie_prev"     // the position of the previous record on the topic (0: none)
	MetaStream   = "vigie_stream"
	MetaType     = "vigie_type"
)

// EncodeRecord makes the message that carries r on a log topic. prev is the position of the record
// published before it on the same topic: the chain lets a consumer tell a duplicate (position
// already applied) from a gap (an earlier record not delivered yet), whatever order the broker
// redelivers in. The id is derived from the position, so a republished record is the same message
// (NATS JetStream drops it within its duplicate window).
func EncodeRecord(r eventstore.Record, prev uint64) (Message, error) {
	if r.Position == 0 || prev >= r.Position {
		return Message{}, fmt.Errorf("encode record at position %d after %d: positions must increase from 1", r.Position, prev)
	}
	payload, err := json.Marshal(r)
	if err != nil {
		return Message{}, fmt.Errorf("encode record at position %d: %w", r.Position, err)
	}
	return Message{
		ID: "pos-" + strconv.FormatUint(r.Position, 10),
		Metadata: map[string]string{
			MetaPosition: strconv.FormatUint(r.Position, 10),
			MetaPrev:     strconv.FormatUint(prev, 10),
			MetaStream:   r.Stream,
			MetaType:     r.Type,
		},
		Payload: payload,
	}, nil
}

// DecodeRecord reads a log message; it checks that the metadata and the payload agree.
func DecodeRecord(m Message) (r eventstore.Record, prev uint64, err error) {
	pos, err := strconv.ParseUint(m.Metadata[MetaPosition], 10, 64)
	if err != nil {
		return eventstore.Record{}, 0, fmt.Errorf("decode log message %s: position: %w", m.ID, err)
	}
	prev, err = strconv.ParseUint(m.Metadata[MetaPrev], 10, 64)
	if err != nil {
		return eventstore.Record{}, 0, fmt.Errorf("decode log message %s: previous position: %w", m.ID, err)
	}
	if err := json.Unmarshal(m.Payload, &r); err != nil {
		return eventstore.Record{}, 0, fmt.Errorf("decode log message %s: payload: %w", m.ID, err)
	}
	if r.Position != pos || pos == 0 || prev >= pos {
		return eventstore.Record{}, 0, fmt.Errorf("decode log message %s: payload at position %d, metadata says %d after %d", m.ID, r.Position, pos, prev)
	}
	return r, prev, nil
}

// PublishRetrying publishes msgs to topic, trying again with a back-off doubling from 50 ms up to
// maxDelay while the broker refuses, until ctx ends or the bus is closed: what a forwarder or a
// job queue hands over must outlive a broker restart.
func PublishRetrying(ctx context.Context, b Bus, topic string, maxDelay time.Duration, logger *slog.Logger, msgs ...Message) error {
	delay := 50 * time.Millisecond
	for {
		err := b.Publish(ctx, topic, msgs...)
		if err == nil || ctx.Err() != nil || errors.Is(err, ErrClosed) {
			return err
		}
		logger.Warn("publish failed; retrying", "topic", topic, "messages", len(msgs), "in", delay, "err", err)
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		delay = min(2*delay, maxDelay)
	}
}

// Checkpoints remember how far a named reader has gone.
type Checkpoints interface {
	Load(ctx context.Context, name string) (uint64, error)
	Save(ctx context.Context, name string, position uint64) error
}

// MemoryCheckpoints keeps checkpoints in memory: for tests, and for a forwarder that may replay
// the log from the start after a restart (consumers deduplicate).
type MemoryCheckpoints struct {
	mu sync.Mutex
	m  map[string]uint64
}

func (c *MemoryCheckpoints) Load(_ context.Context, name string) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name], nil
}

func (c *MemoryCheckpoints) Save(_ context.Context, name string, position uint64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]uint64{}
	}
	c.m[name] = position
	return nil
}

// Forwarder publishes the event store's global log to a topic, in order, each record with its
// position. The event store is the outbox: handlers never publish, they append, and the forwarder
// carries what was appended.
type Forwarder struct {
	store  eventstore.Store
	bus    Bus
	topic  string
	cps    Checkpoints
	logger *slog.Logger
	// MaxRetryDelay caps the back-off between attempts to publish a batch the broker refused.
	maxRetryDelay time.Duration
	// only, when set, keeps the records a topic carries (SetFilter).
	only func(eventstore.Record) bool
}

// SetFilter makes the forwarder publish only the records keep accepts: a topic for the notifier
// carries the alarm and cascade streams, not every reading. The chain of previous positions
// (MetaPrev) links the records of the topic, so consumers still tell a gap from a duplicate.
// Call it before Run.
func (f *Forwarder) SetFilter(keep func(eventstore.Record) bool) { f.only = keep }

// StreamPrefixes is a filter that keeps the records of streams starting with one of prefixes.
func StreamPrefixes(prefixes ...string) func(eventstore.Record) bool {
	return func(r eventstore.Record) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(r.Stream, p) {
				return true
			}
		}
		return false
	}
}

// NewForwarder refuses nil dependencies and a bad topic name.
func NewForwarder(store eventstore.Store, b Bus, topic string, cps Checkpoints, logger *slog.Logger) (*Forwarder, error) {
	var errs []error
	if store == nil {
		errs = append(errs, errors.New("nil event store"))
	}
	if b == nil {
		errs = append(errs, errors.New("nil bus"))
	}
	if cps == nil {
		errs = append(errs, errors.New("nil checkpoints"))
	}
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	errs = append(errs, ValidName("topic", topic))
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new log forwarder: %w", err)
	}
	return &Forwarder{store: store, bus: b, topic: topic, cps: cps, logger: logger, maxRetryDelay: 5 * time.Second}, nil
}

func (f *Forwarder) checkpointName() string { return "forwarder:" + f.topic }

// Run forwards from the checkpoint until ctx ends. Each batch is published (the broker has it)
// before the checkpoint moves: a crash in between publishes the batch again, which consumers
// recognise. A broker that refuses a batch is retried with a capped back-off, so a broker restart
// delays the log but loses nothing.
func (f *Forwarder) Run(ctx context.Context) error {
	after, err := f.cps.Load(ctx, f.checkpointName())
	if err != nil {
		return fmt.Errorf("log forwarder to %s: load checkpoint: %w", f.topic, err)
	}
	prev := after
	err = f.store.Subscribe(ctx, after, func(batch []eventstore.Record) error {
		msgs := make([]Message, 0, len(batch))
		p := prev
		for _, r := range batch {
			if f.only != nil && !f.only(r) {
				continue
			}
			m, err := EncodeRecord(r, p)
			if err != nil {
				return err
			}
			msgs, p = append(msgs, m), r.Position
		}
		if len(msgs) == 0 {
			// Nothing for this topic; the checkpoint moves with the next published batch (a
			// restart re-reads the skipped records and skips them again).
			return nil
		}
		if err := PublishRetrying(ctx, f.bus, f.topic, f.maxRetryDelay, f.logger.With("from", batch[0].Position), msgs...); err != nil {
			return err
		}
		prev = p
		return f.cps.Save(ctx, f.checkpointName(), p)
	})
	return fmt.Errorf("log forwarder to %s: %w", f.topic, err)
}

// Applier is the consuming side of the log: a projection in another process.
type Applier interface {
	// Position is the position of the last record applied, 0 if none: the applier keeps it with
	// its own state (rows and checkpoint in one transaction), so it survives a crash with them.
	Position(ctx context.Context) (uint64, error)
	// Apply applies one record and moves Position to it, atomically.
	Apply(ctx context.Context, r eventstore.Record) error
}

// LogReader fills gaps from the event store itself (eventstore.Store satisfies it).
type LogReader interface {
	ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error)
}

// ErrGap is the handler's answer to a message whose predecessor has not been applied: it is
// delivered again later, once the predecessor has come.
var ErrGap = errors.New("log message arrived before its predecessor")

// gapPause is how long the consumer holds a message that arrived before its predecessor.
const gapPause = 20 * time.Millisecond

// ConsumerStats count what a LogConsumer did.
type ConsumerStats struct {
	Applied, Duplicates, Gaps, Filled uint64
}

// LogConsumer applies a log topic to an Applier exactly once per position, in position order,
// over an at-least-once bus: a record at or below the applier's position is a duplicate and is
// acknowledged without effect; a record whose predecessor is missing is either filled from the
// event store (when a LogReader is given) or refused so that the broker delivers it again.
type LogConsumer struct {
	bus     Bus
	topic   string
	group   string
	applier Applier
	reader  LogReader // may be nil
	logger  *slog.Logger

	mu    sync.Mutex
	last  uint64
	stats ConsumerStats
}

// NewLogConsumer refuses nil dependencies and bad names; reader may be nil.
func NewLogConsumer(b Bus, topic, group string, a Applier, reader LogReader, logger *slog.Logger) (*LogConsumer, error) {
	var errs []error
	if b == nil {
		errs = append(errs, errors.New("nil bus"))
	}
	if a == nil {
		errs = append(errs, errors.New("nil applier"))
	}
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	errs = append(errs, ValidName("topic", topic), ValidName("group", group))
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new log consumer: %w", err)
	}
	return &LogConsumer{bus: b, topic: topic, group: group, applier: a, reader: reader, logger: logger}, nil
}

// Start subscribes; the subscription runs until ctx ends.
func (c *LogConsumer) Start(ctx context.Context) (*Subscription, error) {
	last, err := c.applier.Position(ctx)
	if err != nil {
		return nil, fmt.Errorf("log consumer %s on %s: load position: %w", c.group, c.topic, err)
	}
	c.mu.Lock()
	c.last = last
	c.mu.Unlock()
	return c.bus.Subscribe(ctx, c.topic, c.group, c.handle)
}

// Stats returns the counters so far.
func (c *LogConsumer) Stats() ConsumerStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

func (c *LogConsumer) handle(ctx context.Context, m Message) error {
	r, prev, err := DecodeRecord(m)
	if err != nil {
		// Skipping it would leave a hole in a projection of the audit log: refuse, loudly.
		c.logger.Error("log consumer: undecodable message; refused", "topic", c.topic, "group", c.group, "err", err)
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Position <= c.last {
		c.stats.Duplicates++
		return nil
	}
	if prev > c.last {
		if c.reader == nil {
			c.stats.Gaps++
			err := fmt.Errorf("position %d follows %d, last applied %d: %w", r.Position, prev, c.last, ErrGap)
			// A broker that requeues at the head (RabbitMQ) hands the same message back at
			// once: pause, so that a gap that lasts does not become a busy loop.
			c.mu.Unlock()
			t := time.NewTimer(gapPause)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
			c.mu.Lock()
			return err
		}
		if err := c.fill(ctx, prev); err != nil {
			c.stats.Gaps++
			return fmt.Errorf("position %d follows %d, last applied %d: fill from the event store: %w", r.Position, prev, c.last, err)
		}
	}
	if err := c.applier.Apply(ctx, r); err != nil {
		return fmt.Errorf("apply position %d: %w", r.Position, err)
	}
	c.last = r.Position
	c.stats.Applied++
	return nil
}

// fill applies the records after c.last up to upTo from the event store; c.mu is held.
func (c *LogConsumer) fill(ctx context.Context, upTo uint64) error {
	for c.last < upTo {
		page, err := c.reader.ReadAll(ctx, c.last, 256)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return fmt.Errorf("the event store has nothing after %d, the bus says %d exists", c.last, upTo)
		}
		for _, r := range page {
			if r.Position > upTo {
				return nil
			}
			if err := c.applier.Apply(ctx, r); err != nil {
				return fmt.Errorf("apply position %d: %w", r.Position, err)
			}
			c.last = r.Position
			c.stats.Filled++
		}
	}
	return nil
}
