package projections_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// memStore is a test double of the event store port, in memory: what the projections need of a
// store (ordered global log, catch-up then live subscription), not a product adapter. Positions
// are gapless from 1; RecordedAt comes from now.
type memStore struct {
	now       func() time.Time
	batchSize int // most records handed to a subscriber at once

	mu      sync.Mutex
	log     []eventstore.Record
	streams map[string]uint64 // stream -> number of events
	changed chan struct{}     // closed and replaced on every append
	closed  bool
	// failHead makes Head fail, to test the runner's reports.
	failHead error
}

var _ eventstore.Store = (*memStore)(nil)

func newMemStore(now func() time.Time, batchSize int) *memStore {
	return &memStore{now: now, batchSize: batchSize, streams: map[string]uint64{}, changed: make(chan struct{})}
}

func (m *memStore) Append(_ context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return eventstore.AppendResult{}, eventstore.ErrClosed
	}
	n, exists := m.streams[stream]
	switch {
	case expected == eventstore.Any:
	case expected == eventstore.NoStream && exists:
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: %w", stream, eventstore.ErrConflict)
	case expected >= 0 && (!exists || uint64(expected) != n-1):
		return eventstore.AppendResult{}, fmt.Errorf("append to %s at %s: %w", stream, expected, eventstore.ErrConflict)
	}
	if len(events) == 0 {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: no events", stream)
	}
	at := m.now()
	res := eventstore.AppendResult{FirstPosition: uint64(len(m.log)) + 1}
	for _, e := range events {
		m.log = append(m.log, eventstore.Record{
			Position: uint64(len(m.log)) + 1, Stream: stream, Revision: n, Type: e.Type, Schema: e.Schema,
			Data: slices.Clone(e.Data), Meta: e.Meta, RecordedAt: at,
		})
		n++
	}
	m.streams[stream] = n
	res.LastPosition, res.Revision = uint64(len(m.log)), n-1
	close(m.changed)
	m.changed = make(chan struct{})
	return res, nil
}

func (m *memStore) ReadStream(_ context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []eventstore.Record
	for _, r := range m.log {
		if r.Stream == stream && r.Revision >= from && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) ReadAll(_ context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if after >= uint64(len(m.log)) {
		return nil, nil
	}
	end := min(uint64(len(m.log)), after+uint64(limit))
	return slices.Clone(m.log[after:end]), nil
}

// Subscribe hands out what is stored after after, then waits for appends.
func (m *memStore) Subscribe(ctx context.Context, after uint64, fn func(batch []eventstore.Record) error) error {
	for {
		m.mu.Lock()
		if m.closed {
			m.mu.Unlock()
			return eventstore.ErrClosed
		}
		var batch []eventstore.Record
		if after < uint64(len(m.log)) {
			end := min(uint64(len(m.log)), after+uint64(m.batchSize))
			batch = slices.Clone(m.log[after:end])
		}
		changed := m.changed
		m.mu.Unlock()
		if len(batch) > 0 {
			if err := fn(batch); err != nil {
				return err
			}
			after = batch[len(batch)-1].Position
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

func (m *memStore) Head(context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failHead != nil {
		return 0, m.failHead
	}
	return uint64(len(m.log)), nil
}

func (m *memStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}
