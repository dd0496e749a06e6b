package embedded

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Import writes records exactly as they are, positions, revisions and recorded times included:
// it is how a log moves from one store to another (see adapters/eventstore/jsonl), where Append
// would give new positions and stamp the time of the move.
//
// The records must continue the log: the first one at the position after the head, the next ones
// at consecutive positions (this store's positions have no gaps), each at the next revision of
// its stream. All of them or none are written, durably once Import returns. Appends wait while
// an import is written; subscribers see the imported events as they would appended ones.
func (s *Store) Import(ctx context.Context, records []eventstore.Record) error {
	if err := s.importRecords(ctx, records); err != nil {
		return eventstore.ImportFailed(records, err)
	}
	return nil
}

func (s *Store) importRecords(ctx context.Context, records []eventstore.Record) error {
	if len(records) == 0 {
		return errors.New("no records")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Holding mu exclusively keeps every reader and every new append out; drainWriter then waits
	// for the appends already handed over, after which the writer's state is ours to read and
	// change until mu is released.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return eventstore.ErrClosed
	}
	s.drainWriter()
	w := &s.w
	if w.failed != nil {
		return fmt.Errorf("store failed earlier, reopen it: %w", w.failed)
	}

	size := 0
	for _, r := range records {
		size += recordSize(r.Stream, eventstore.Event{Type: r.Type, Data: r.Data, Meta: r.Meta}) + 2*(1+binary.MaxVarintLen64+len(r.Stream)+8)
	}
	batch := s.db.NewBatchWithSize(size)
	defer batch.Close()
	staged := map[string]uint64{}
	next := w.next
	var key, value []byte
	for i, r := range records {
		if err := validateImport(r, next); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
		last, exists := staged[r.Stream]
		if !exists {
			last, exists = w.heads[r.Stream]
		}
		want := uint64(0)
		if exists {
			want = last + 1
		}
		if r.Revision != want {
			return fmt.Errorf("record %d (position %d): %s is at revision %d, not %d: %w", i, r.Position, r.Stream, want, r.Revision, eventstore.ErrConflict)
		}
		key = appendLogKey(key[:0], r.Position)
		value = appendRecord(value[:0], r.Stream, r.Revision, r.RecordedAt, eventstore.Event{Type: r.Type, Schema: r.Schema, Data: r.Data, Meta: r.Meta})
		_ = batch.Set(key, value, nil) // Set fails only on a committed or closed batch
		key = appendIndexKey(key[:0], r.Stream, r.Revision)
		value = binary.BigEndian.AppendUint64(value[:0], r.Position)
		_ = batch.Set(key, value, nil)
		staged[r.Stream] = r.Revision
		next++
	}
	for stream, rev := range staged {
		key = append(append(key[:0], prefixHead), stream...)
		value = binary.BigEndian.AppendUint64(value[:0], rev)
		_ = batch.Set(key, value, nil)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := batch.Commit(pebble.Sync); err != nil {
		// As for an append: what is on disk is unknown until the store is reopened.
		w.failed = err
		s.logger.Error("event store import failed; appends refused until reopened", "err", err)
		return fmt.Errorf("commit: %w", err)
	}
	for stream, rev := range staged {
		w.heads[stream] = rev
	}
	w.next = next
	s.publish(next - 1)
	return nil
}

func validateImport(r eventstore.Record, position uint64) error {
	var errs []error
	if r.Position != position {
		errs = append(errs, fmt.Errorf("position %d where the log continues at %d", r.Position, position))
	}
	if r.Stream == "" {
		errs = append(errs, errors.New("stream name is empty"))
	}
	if r.Type == "" {
		errs = append(errs, errors.New("type is empty"))
	}
	if len(r.Data) > 0 && !json.Valid(r.Data) {
		errs = append(errs, errors.New("data is not valid JSON"))
	}
	return errors.Join(errs...)
}

// drainWriter returns once the writer has answered every request handed to it before. It hands
// over a request whose context is already cancelled, which the writer answers without writing
// anything (see writer.commit) after everything queued before it: a barrier. The caller holds mu
// exclusively, so no request can follow it, and the writer is then idle on an empty queue; the
// channel hand-overs order the writer's past changes to its state before the caller's and the
// caller's before the writer's next ones.
func (s *Store) drainWriter() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := &appendRequest{ctx: ctx, expected: eventstore.Any, reply: make(chan appendReply, 1)}
	s.requests <- req
	<-req.reply
}
