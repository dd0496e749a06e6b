package bustest

import (
	"context"
	"errors"
	"sync"

	"github.com/vigie/vigie/adapters/eventstore"
)

// memLog is the smallest event store a Forwarder can follow: a fixed log of records, delivered by
// Subscribe in batches and then waited on. The suite cannot use a real adapter (adapters do not
// import each other); adapters/bus's own tests run the forwarder on the embedded store.
type memLog struct {
	mu    sync.Mutex
	recs  []eventstore.Record
	batch int
}

var _ eventstore.Store = (*memLog)(nil)

var errNotInMemLog = errors.New("not implemented by the suite's in-memory log")

func (l *memLog) Append(context.Context, string, eventstore.Revision, ...eventstore.Event) (eventstore.AppendResult, error) {
	return eventstore.AppendResult{}, errNotInMemLog
}

func (l *memLog) ReadStream(context.Context, string, uint64, int) ([]eventstore.Record, error) {
	return nil, errNotInMemLog
}

func (l *memLog) ReadAll(_ context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []eventstore.Record
	for _, r := range l.recs {
		if r.Position > after && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (l *memLog) Subscribe(ctx context.Context, after uint64, fn func([]eventstore.Record) error) error {
	for {
		page, _ := l.ReadAll(ctx, after, l.batch)
		if len(page) == 0 {
			<-ctx.Done() // no live phase: the log is fixed
			return ctx.Err()
		}
		if err := fn(page); err != nil {
			return err
		}
		after = page[len(page)-1].Position
	}
}

func (l *memLog) Head(context.Context) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.recs) == 0 {
		return 0, nil
	}
	return l.recs[len(l.recs)-1].Position, nil
}

func (l *memLog) Close() error { return nil }
