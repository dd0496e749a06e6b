package embedded

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/vigie/vigie/adapters/eventstore"
)

// appendRequest is one Append (stream, expected, events) or one AppendMulti (parts): the writer
// commits either whole, in one batch.
type appendRequest struct {
	ctx      context.Context
	stream   string
	expected eventstore.Revision
	events   []eventstore.Event
	// parts, when not nil, replaces stream, expected and events: an AppendMulti.
	parts []eventstore.StreamAppend
	count int              // events, of every part
	size  int              // bound of the encoded size, to cap batches
	reply chan appendReply // buffered: the writer never waits for an Append that gave up
}

type appendReply struct {
	result eventstore.AppendResult
	// results are an AppendMulti's, one per part.
	results []eventstore.AppendResult
	err     error
}

// writer is the only goroutine that writes. Everything below is owned by it; the store reads none
// of it after Open.
type writer struct {
	store *Store
	// heads holds the revision of the last event of every stream that exists.
	heads map[string]uint64
	// next is the position the next event will get.
	next uint64
	// failed is set when a commit failed: what is on disk is then unknown, so every later append
	// fails too until the store is reopened and recovers from the disk itself.
	failed error

	group   []*appendRequest
	replies []appendReply
	// written are the records of the batch being committed, for the tail.
	written []eventstore.Record
	staged  map[string]uint64
	// partHeads is the state the earlier parts of the AppendMulti being checked leave each of
	// their streams in, so that two parts on one stream chain.
	partHeads map[string]uint64
	key       []byte
	value     []byte
}

func (w *writer) run() {
	defer close(w.store.writerDone)
	w.staged = map[string]uint64{}
	w.partHeads = map[string]uint64{}
	maxEvents, maxBytes := w.store.opts.MaxBatch, w.store.opts.MaxBatchBytes
	var carry *appendRequest
	for {
		if carry == nil {
			r, ok := <-w.store.requests
			if !ok {
				return // closed by Close once no sender remains: everything queued was committed
			}
			carry = r
		}
		// Group commit: take everything already waiting. Requests queue up while the previous
		// batch is being fsynced, so the busier the store, the more one fsync carries.
		w.group = append(w.group[:0], carry)
		events, size := carry.count, carry.size
		carry = nil
	drain:
		for events < maxEvents && size < maxBytes {
			select {
			case r, ok := <-w.store.requests:
				if !ok {
					break drain
				}
				if events+r.count > maxEvents || size+r.size > maxBytes {
					carry = r
					break drain
				}
				w.group = append(w.group, r)
				events += r.count
				size += r.size
			default:
				break drain
			}
		}
		w.commit(size)
		clear(w.group) // drop references to the callers' events
	}
}

// commit writes the group as one batch, fsyncs it and answers every request.
func (w *writer) commit(size int) {
	w.replies = w.replies[:0]
	if w.failed != nil {
		for range w.group {
			w.replies = append(w.replies, appendReply{err: fmt.Errorf("store failed earlier, reopen it: %w", w.failed)})
		}
		w.answer()
		return
	}

	batch := w.store.db.NewBatchWithSize(size)
	defer batch.Close()
	clear(w.staged)
	next := w.next
	// One timestamp per fsync: the events of a batch are recorded at the same instant. It is
	// kept to the microsecond, the port's precision (PostgreSQL's timestamptz keeps no more), so
	// a log moves between adapters with its times, and its hash chain, intact.
	at := w.store.opts.Now().Truncate(time.Microsecond)
	written := false
	w.written = w.written[:0]
	for _, r := range w.group {
		if err := r.ctx.Err(); err != nil {
			// The caller gave up before its events were written: do not write them, so the
			// only unknown outcome left is a cancellation during the fsync itself.
			w.replies = append(w.replies, appendReply{err: err})
			continue
		}
		if r.parts != nil {
			results, err := w.checkParts(r.parts)
			if err == nil {
				for i, p := range r.parts {
					results[i] = w.stage(batch, &next, at, p.Stream, results[i].Revision, p.Events)
				}
				written = true
			}
			w.replies = append(w.replies, appendReply{results: results, err: err})
			continue
		}
		last, exists := w.head(r.stream)
		rev, err := nextRevision(r.expected, last, exists)
		if err != nil {
			w.replies = append(w.replies, appendReply{err: err})
			continue
		}
		written = true
		w.replies = append(w.replies, appendReply{result: w.stage(batch, &next, at, r.stream, rev, r.events)})
	}
	if !written {
		w.answer()
		return
	}
	for stream, rev := range w.staged {
		w.key = append(w.key[:0], prefixHead)
		w.key = append(w.key, stream...)
		w.value = binary.BigEndian.AppendUint64(w.value[:0], rev)
		_ = batch.Set(w.key, w.value, nil) // Set fails only on a committed or closed batch
	}

	start := time.Now()
	if err := batch.Commit(w.store.opts.syncMode()); err != nil {
		w.failed = err
		w.store.logger.Error("event store commit failed; appends refused until reopened", "err", err, "events", next-w.next)
		for i := range w.replies {
			if w.replies[i].err == nil {
				w.replies[i] = appendReply{err: fmt.Errorf("commit: %w", err)}
			}
		}
		w.answer()
		return
	}
	if d := time.Since(start); d > time.Second {
		w.store.logger.Warn("slow event store commit", "duration", d, "events", next-w.next)
	}
	for stream, rev := range w.staged {
		w.heads[stream] = rev
	}
	w.next = next
	// Before publish: a subscriber woken by it finds the records in the tail.
	w.keepInTail()
	w.store.publish(next - 1)
	w.answer()
}

// stage puts events into the batch at positions from *next and revisions from rev, keeps them for
// the tail and records the stream's new head in staged. The expected revision was checked.
func (w *writer) stage(batch *pebble.Batch, next *uint64, at time.Time, stream string, rev uint64, events []eventstore.Event) eventstore.AppendResult {
	first := *next
	for _, e := range events {
		w.put(batch, *next, stream, rev, at, e)
		if w.store.tail != nil {
			w.written = append(w.written, eventstore.Record{Position: *next, Stream: stream, Revision: rev,
				Type: e.Type, Schema: e.Schema, Data: e.Data, Meta: e.Meta, RecordedAt: at.UTC()})
		}
		*next++
		rev++
	}
	w.staged[stream] = rev - 1
	return eventstore.AppendResult{FirstPosition: first, LastPosition: *next - 1, Revision: rev - 1}
}

// checkParts checks every part of an AppendMulti before any is staged, so that a conflict on
// any part leaves the batch without the others: each part against the state the earlier parts
// leave its stream in, else the batch's, else the committed one. It returns one result per part
// holding only the revision of the part's first event (positions are given when staging).
func (w *writer) checkParts(parts []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	clear(w.partHeads)
	results := make([]eventstore.AppendResult, len(parts))
	for i, p := range parts {
		last, exists := w.partHeads[p.Stream]
		if !exists {
			last, exists = w.head(p.Stream)
		}
		rev, err := nextRevision(p.Expected, last, exists)
		if err != nil {
			return nil, fmt.Errorf("part %d (%s at %s): %w", i+1, p.Stream, p.Expected, err)
		}
		results[i].Revision = rev
		w.partHeads[p.Stream] = rev + uint64(len(p.Events)) - 1
	}
	return results, nil
}

func (w *writer) put(batch *pebble.Batch, pos uint64, stream string, rev uint64, at time.Time, e eventstore.Event) {
	w.key = appendLogKey(w.key[:0], pos)
	w.value = appendRecord(w.value[:0], stream, rev, at, e)
	_ = batch.Set(w.key, w.value, nil) // Set copies key and value into the batch
	w.key = appendIndexKey(w.key[:0], stream, rev)
	w.value = binary.BigEndian.AppendUint64(w.value[:0], pos)
	_ = batch.Set(w.key, w.value, nil)
}

// keepInTail hands the committed records to the tail, their data copied into one buffer: the
// callers own the slices they appended, and a record read back must be what was stored.
func (w *writer) keepInTail() {
	if w.store.tail == nil || len(w.written) == 0 {
		return
	}
	ownData(w.written)
	w.store.tail.add(w.written)
	clear(w.written) // the tail copied the records; drop the references
}

func (w *writer) answer() {
	for i, r := range w.group {
		r.reply <- w.replies[i]
	}
}

// head is the revision of a stream's last event as the batch being built leaves it: staged in
// it, else committed. exists is false for a stream with no event yet.
func (w *writer) head(stream string) (last uint64, exists bool) {
	if last, exists = w.staged[stream]; !exists {
		last, exists = w.heads[stream]
	}
	return last, exists
}

// nextRevision checks the expected revision against the stream's state and returns the revision
// its next event takes.
func nextRevision(expected eventstore.Revision, last uint64, exists bool) (uint64, error) {
	if err := check(expected, last, exists); err != nil {
		return 0, err
	}
	if exists {
		return last + 1, nil
	}
	return 0, nil
}

// check compares the expected revision with the stream's state.
func check(expected eventstore.Revision, last uint64, exists bool) error {
	switch {
	case expected == eventstore.Any:
		return nil
	case expected == eventstore.NoStream && exists:
		return fmt.Errorf("stream exists at revision %d: %w", last, eventstore.ErrConflict)
	case expected == eventstore.NoStream:
		return nil
	case !exists:
		return fmt.Errorf("stream does not exist: %w", eventstore.ErrConflict)
	case uint64(expected) != last:
		return fmt.Errorf("stream is at revision %d: %w", last, eventstore.ErrConflict)
	}
	return nil
}
