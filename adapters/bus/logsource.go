package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/vigie/vigie/adapters/eventstore"
)

// LogSource follows the log as eventstore.Store.Subscribe does, for a reader in another process
// than the one that appends: it catches up from the event store, then takes the live records
// from a topic a Forwarder fills, in position order, each once. A record that comes before its
// predecessor (a broker redelivery, a consumer that started between two batches) is preceded by
// the missing records read from the event store, so the reader never skips one.
type LogSource struct {
	reader LogReader
	bus    Bus
	topic  string
	group  string
	logger *slog.Logger
	page   int
}

// NewLogSource refuses nil dependencies and bad names. group names the reader: the members of a
// group share the topic's messages, so a deployment gives one group to one reader (the notifier).
func NewLogSource(reader LogReader, b Bus, topic, group string, logger *slog.Logger) (*LogSource, error) {
	var errs []error
	if reader == nil {
		errs = append(errs, errors.New("nil log reader"))
	}
	if b == nil {
		errs = append(errs, errors.New("nil bus"))
	}
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	errs = append(errs, ValidName("topic", topic), ValidName("group", group))
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new log source: %w", err)
	}
	return &LogSource{reader: reader, bus: b, topic: topic, group: group, logger: logger, page: 512}, nil
}

// Subscribe calls fn with the records after position after, in order, until ctx ends or fn fails
// (its error is returned). Like the event store's, it returns only with an error.
func (s *LogSource) Subscribe(ctx context.Context, after uint64, fn func([]eventstore.Record) error) error {
	// Catch up from the store: the topic holds only what was published since the group exists.
	for {
		page, err := s.reader.ReadAll(ctx, after, s.page)
		if err != nil {
			return fmt.Errorf("log source %s: catch up after %d: %w", s.topic, after, err)
		}
		if len(page) == 0 {
			break
		}
		if err := fn(page); err != nil {
			return err
		}
		after = page[len(page)-1].Position
		if len(page) < s.page {
			break
		}
	}
	a := &fnApplier{last: after, fn: fn, failed: make(chan struct{})}
	c, err := NewLogConsumer(s.bus, s.topic, s.group, a, s.reader, s.logger)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sub, err := c.Start(sctx)
	if err != nil {
		return fmt.Errorf("log source %s: %w", s.topic, err)
	}
	select {
	case <-sub.Done():
		if err := a.failure(); err != nil {
			return err
		}
		if err := sub.Wait(); err != nil {
			return fmt.Errorf("log source %s: %w", s.topic, err)
		}
		return fmt.Errorf("log source %s: subscription ended", s.topic)
	case <-a.failed:
		cancel()
		<-sub.Done()
		return a.failure()
	case <-ctx.Done():
		cancel()
		<-sub.Done()
		return ctx.Err()
	}
}

// fnApplier applies records by calling a Subscribe callback. Its position lives in memory: the
// reader keeps its own checkpoint and subscribes again from it after a failure.
type fnApplier struct {
	last   uint64
	fn     func([]eventstore.Record) error
	failed chan struct{}
	err    error
}

func (a *fnApplier) Position(context.Context) (uint64, error) { return a.last, nil }

// Apply is called by one LogConsumer, one record at a time, under its lock.
func (a *fnApplier) Apply(_ context.Context, r eventstore.Record) error {
	if a.err != nil {
		return a.err
	}
	if err := a.fn([]eventstore.Record{r}); err != nil {
		// The reader failed: it resubscribes from its own checkpoint. Stop this subscription
		// rather than let the broker redeliver into a reader that gave up.
		a.err = err
		close(a.failed)
		return err
	}
	a.last = r.Position
	return nil
}

func (a *fnApplier) failure() error { return a.err }
