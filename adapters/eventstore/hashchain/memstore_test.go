package hashchain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// memStore is the test double: a log in a slice that a test can alter field by field, as someone
// with access to the storage could. It reads in position order like a key-value store, whatever
// the alterations did to positions. Subscribe is not needed by the chain and not implemented.
type memStore struct {
	mu     sync.Mutex
	recs   []eventstore.Record
	clock  time.Time
	closed bool
}

var _ eventstore.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{clock: time.Date(2026, 11, 4, 3, 0, 0, 123456789, time.UTC)}
}

func (m *memStore) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	if err := ctx.Err(); err != nil {
		return eventstore.AppendResult{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return eventstore.AppendResult{}, eventstore.ErrClosed
	}
	if stream == "" || len(events) == 0 {
		return eventstore.AppendResult{}, errors.New("empty stream name or no events")
	}
	next, exists := uint64(0), false
	for _, r := range m.recs {
		if r.Stream == stream {
			next, exists = r.Revision+1, true
		}
	}
	switch {
	case expected == eventstore.NoStream && exists,
		expected >= 0 && (!exists || uint64(expected) != next-1):
		return eventstore.AppendResult{}, fmt.Errorf("stream %s at %d: %w", stream, next, eventstore.ErrConflict)
	}
	m.clock = m.clock.Add(1357 * time.Millisecond)
	res := eventstore.AppendResult{FirstPosition: m.head() + 1}
	for _, e := range events {
		m.recs = append(m.recs, eventstore.Record{
			Position: m.head() + 1, Stream: stream, Revision: next, Type: e.Type, Schema: e.Schema,
			Data: slices.Clone(e.Data), Meta: e.Meta, RecordedAt: m.clock,
		})
		next++
	}
	res.LastPosition, res.Revision = m.head(), next-1
	return res, nil
}

func (m *memStore) head() uint64 {
	if len(m.recs) == 0 {
		return 0
	}
	return m.recs[len(m.recs)-1].Position
}

func (m *memStore) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []eventstore.Record
	for _, r := range m.recs {
		if r.Stream == stream && r.Revision >= from && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []eventstore.Record
	for _, r := range m.recs {
		if r.Position > after && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) Subscribe(context.Context, uint64, func([]eventstore.Record) error) error {
	return errors.New("memStore: Subscribe is not implemented")
}

func (m *memStore) Head(ctx context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.head(), nil
}

func (m *memStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return eventstore.ErrClosed
	}
	m.closed = true
	return nil
}

// clone gives an independent copy, for a test that alters one copy per case.
func (m *memStore) clone() *memStore {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := &memStore{clock: m.clock, recs: make([]eventstore.Record, len(m.recs))}
	for i, r := range m.recs {
		r.Data = slices.Clone(r.Data)
		c.recs[i] = r
	}
	return c
}

// alter changes the i-th stored record, then puts the log back in position order.
func (m *memStore) alter(i int, f func(r *eventstore.Record)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f(&m.recs[i])
	slices.SortStableFunc(m.recs, func(a, b eventstore.Record) int {
		switch {
		case a.Position < b.Position:
			return -1
		case a.Position > b.Position:
			return 1
		}
		return 0
	})
}

// remove deletes the i-th stored record.
func (m *memStore) remove(i int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = slices.Delete(m.recs, i, i+1)
}

func (m *memStore) records() []eventstore.Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.recs)
}
