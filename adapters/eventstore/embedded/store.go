// Package embedded is the event store that runs inside the Vigie process, on Pebble: no server to
// operate at a dam, and an append is acknowledged only once it is on disk.
//
// One writer goroutine group-commits: concurrent Append calls queue requests, the writer takes
// everything pending, checks each expected revision against the stream heads it keeps in memory,
// gives the events gapless global positions in commit order, writes one Pebble batch, fsyncs it
// and only then answers every request. A conflicting request is answered ErrConflict without
// holding back the others. Readers never see past the last acknowledged position, so a subscriber
// cannot act on an event that a crash would then take back.
package embedded

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/vigie/vigie/adapters/eventstore"
)

var (
	_ eventstore.Store         = (*Store)(nil)
	_ eventstore.MultiAppender = (*Store)(nil)
)

// Options tune the store. The zero value gives the defaults.
type Options struct {
	// Now stamps each event's RecordedAt. Default time.Now.
	Now func() time.Time
	// MaxBatch is the most events committed by one fsync. A single append larger than this is
	// still committed, alone. Default 4096.
	MaxBatch int
	// MaxBatchBytes is the most encoded bytes committed by one fsync, with the same exception.
	// Default 16 MiB.
	MaxBatchBytes int
	// ReadBatch is the most events a subscription hands to fn at once. Default 4096.
	ReadBatch int
	// QueueLength is how many append requests may wait for the writer before Append blocks.
	// Default 4096.
	QueueLength int
	// Scratch makes a throw-away store (a replay's, docs/replay.md): appends are not synced to
	// disk, so Append returning no longer means durable; a crash may lose or cut the log. Never
	// for a log that matters.
	Scratch bool
	// TailRecords and TailBytes bound the latest records kept in memory for the subscribers
	// following the head (see tail). Defaults 16,384 records and 8 MiB of event data; -1 keeps
	// none (every read goes to Pebble).
	TailRecords, TailBytes int

	// fs replaces the operating system's file system in tests that simulate a power cut
	// (Pebble's crashable in-memory file system keeps only what was synced).
	fs vfs.FS
}

const (
	defaultMaxBatch      = 4096
	defaultMaxBatchBytes = 16 << 20
	defaultReadBatch     = 4096
	defaultQueueLength   = 4096
	defaultTailRecords   = 16384
	defaultTailBytes     = 8 << 20
)

// Validate reports every invalid option at once. Zero means "default".
func (o Options) Validate() error {
	var errs []error
	if o.MaxBatch < 0 {
		errs = append(errs, fmt.Errorf("MaxBatch %d: must not be negative", o.MaxBatch))
	}
	if o.MaxBatchBytes < 0 {
		errs = append(errs, fmt.Errorf("MaxBatchBytes %d: must not be negative", o.MaxBatchBytes))
	}
	if o.ReadBatch < 0 {
		errs = append(errs, fmt.Errorf("ReadBatch %d: must not be negative", o.ReadBatch))
	}
	if o.QueueLength < 0 {
		errs = append(errs, fmt.Errorf("QueueLength %d: must not be negative", o.QueueLength))
	}
	if o.TailRecords < -1 {
		errs = append(errs, fmt.Errorf("TailRecords %d: must be -1 (none), 0 (default) or positive", o.TailRecords))
	}
	if o.TailBytes < -1 {
		errs = append(errs, fmt.Errorf("TailBytes %d: must be -1 (none), 0 (default) or positive", o.TailBytes))
	}
	return errors.Join(errs...)
}

// syncMode is how appends are committed: synced, unless the store is a scratch one.
func (o Options) syncMode() *pebble.WriteOptions {
	if o.Scratch {
		return pebble.NoSync
	}
	return pebble.Sync
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = defaultMaxBatch
	}
	if o.MaxBatchBytes == 0 {
		o.MaxBatchBytes = defaultMaxBatchBytes
	}
	if o.ReadBatch == 0 {
		o.ReadBatch = defaultReadBatch
	}
	if o.QueueLength == 0 {
		o.QueueLength = defaultQueueLength
	}
	if o.TailRecords == 0 {
		o.TailRecords = defaultTailRecords
	}
	if o.TailBytes == 0 {
		o.TailBytes = defaultTailBytes
	}
	return o
}

// Store is the embedded event store. It is safe for concurrent use; only one Store (one process)
// may have a directory open at a time.
type Store struct {
	db     *pebble.DB
	dir    string
	opts   Options
	logger *slog.Logger

	// mu guards closed. Every Pebble read and every hand-off of a request to the writer holds it
	// shared, so Close, holding it exclusively, knows that none is in flight once it has it.
	mu     sync.RWMutex
	closed bool
	// done is closed by Close: it ends live subscriptions.
	done chan struct{}

	requests   chan *appendRequest
	writerDone chan struct{}

	// notifyMu guards head and notify together, so a subscriber that finds nothing new after
	// reading head waits on the channel of that very head and cannot miss the next commit.
	notifyMu sync.Mutex
	// head is the position of the last acknowledged event. Reads stop there: Pebble makes a
	// batch visible to readers before its fsync has completed.
	head atomic.Uint64
	// notify is closed and replaced after every commit.
	notify chan struct{}

	w writer
	// tail serves the latest records to the subscribers at the head; nil when disabled.
	tail *tail
}

// Open opens, or creates, the store in dir.
func Open(dir string, opts Options, logger *slog.Logger) (*Store, error) {
	var errs []error
	if dir == "" {
		errs = append(errs, errors.New("dir is empty"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if err := opts.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("open event store %q: %w", dir, err)
	}
	opts = opts.withDefaults()

	db, err := pebble.Open(dir, &pebble.Options{
		Logger:             pebbleLogger{logger: logger.With("component", "pebble")},
		FormatMajorVersion: pebble.FormatNewest,
		// A larger memtable than the 4 MiB default means fewer flushes under a steady stream
		// of appends; it costs memory only while it fills.
		MemTableSize: 64 << 20,
		FS:           opts.fs, // nil: the operating system's
	})
	if err != nil {
		return nil, fmt.Errorf("open event store %q: %w", dir, err)
	}
	s := &Store{
		db:         db,
		dir:        dir,
		opts:       opts,
		logger:     logger,
		done:       make(chan struct{}),
		requests:   make(chan *appendRequest, opts.QueueLength),
		writerDone: make(chan struct{}),
		notify:     make(chan struct{}),
	}
	if opts.TailRecords > 0 && opts.TailBytes > 0 {
		s.tail = newTail(opts.TailRecords, opts.TailBytes)
	}
	if err := s.recover(); err != nil {
		return nil, errors.Join(fmt.Errorf("open event store %q: %w", dir, err), db.Close())
	}
	s.w.store = s
	go s.w.run()
	logger.Info("event store opened", "dir", dir, "head", s.head.Load(), "streams", len(s.w.heads))
	return s, nil
}

// recover rebuilds the writer's counters from the data itself: the global head is the last key of
// the log and each stream's head was written in the same batch as its events, so both are exactly
// what the last fsynced batch left, whatever happened to the process before.
func (s *Store) recover() error {
	format, closer, err := s.db.Get([]byte(formatKey))
	switch {
	case errors.Is(err, pebble.ErrNotFound):
		format = nil
	case err != nil:
		return fmt.Errorf("read format: %w", err)
	default:
		format = append([]byte(nil), format...)
		if err := closer.Close(); err != nil {
			return fmt.Errorf("read format: %w", err)
		}
	}

	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixLog}, UpperBound: []byte{prefixLog + 1}})
	if err != nil {
		return fmt.Errorf("find the last position: %w", err)
	}
	var head uint64
	if it.Last() {
		k := it.Key()
		if len(k) != 9 {
			return errors.Join(fmt.Errorf("find the last position: log key %x: %w", k, errCorrupt), it.Close())
		}
		head = binary.BigEndian.Uint64(k[1:])
		if _, err := decodeRecord(head, it.Value()); err != nil {
			return errors.Join(fmt.Errorf("check the last event: %w", err), it.Close())
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return fmt.Errorf("find the last position: %w", err)
	}

	switch {
	case format == nil && head != 0:
		return fmt.Errorf("directory holds events but no format tag: not written by this store")
	case format == nil:
		if err := s.db.Set([]byte(formatKey), []byte(formatTag), pebble.Sync); err != nil {
			return fmt.Errorf("write format tag: %w", err)
		}
	case string(format) != formatTag:
		return fmt.Errorf("directory format %q, want %q", format, formatTag)
	}

	heads := map[string]uint64{}
	it, err = s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixHead}, UpperBound: []byte{prefixHead + 1}})
	if err != nil {
		return fmt.Errorf("load stream heads: %w", err)
	}
	for ok := it.First(); ok; ok = it.Next() {
		v := it.Value()
		if len(v) != 8 {
			return errors.Join(fmt.Errorf("load stream heads: head of %q is %x: %w", it.Key()[1:], v, errCorrupt), it.Close())
		}
		heads[string(it.Key()[1:])] = binary.BigEndian.Uint64(v)
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return fmt.Errorf("load stream heads: %w", err)
	}
	s.head.Store(head)
	s.w.heads = heads
	s.w.next = head + 1
	return nil
}

// Append adds events to stream if it is at expected. It returns once the events are on disk.
//
// An empty append is refused: it has no position to report, and a command that decides nothing
// has nothing to record. If ctx ends while the request is queued or being written, Append returns
// ctx's error and the outcome is unknown: the events may have been committed.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	size, err := validateAppend(stream, expected, events)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %d events to %s at %s: %w", len(events), stream, expected, err)
	}
	if err := ctx.Err(); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %d events to %s at %s: %w", len(events), stream, expected, err)
	}
	req := &appendRequest{ctx: ctx, stream: stream, expected: expected, events: events, count: len(events), size: size, reply: make(chan appendReply, 1)}
	if err := s.enqueue(ctx, req); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %d events to %s at %s: %w", len(events), stream, expected, err)
	}
	select {
	case rep := <-req.reply:
		if rep.err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("append %d events to %s at %s: %w", len(events), stream, expected, rep.err)
		}
		return rep.result, nil
	case <-ctx.Done():
		return eventstore.AppendResult{}, fmt.Errorf("append %d events to %s at %s: gave up waiting, outcome unknown: %w", len(events), stream, expected, ctx.Err())
	}
}

// AppendMulti appends every part in one batch, so in one fsync, all or nothing: a Pebble batch is
// atomic, on disk as for readers. The writer checks every part, in order and each against the
// stream as the earlier parts leave it, before it stages any; a conflict refuses the whole call
// and no other request committed with it. The parts' events take consecutive positions.
//
// If ctx ends while the request is queued or being written, AppendMulti returns ctx's error and
// the outcome is unknown, as for Append.
func (s *Store) AppendMulti(ctx context.Context, appends ...eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	if len(appends) == 0 {
		return nil, errors.New("append to several streams: no parts")
	}
	var errs []error
	size, count := 0, 0
	for i, p := range appends {
		n, err := validateAppend(p.Stream, p.Expected, p.Events)
		if err != nil {
			errs = append(errs, fmt.Errorf("part %d (%s): %w", i+1, p.Stream, err))
		}
		size += n
		count += len(p.Events)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("append %d events to %s: %w", count, describeParts(appends), err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("append %d events to %s: %w", count, describeParts(appends), err)
	}
	req := &appendRequest{ctx: ctx, parts: appends, count: count, size: size, reply: make(chan appendReply, 1)}
	if err := s.enqueue(ctx, req); err != nil {
		return nil, fmt.Errorf("append %d events to %s: %w", count, describeParts(appends), err)
	}
	select {
	case rep := <-req.reply:
		if rep.err != nil {
			return nil, fmt.Errorf("append %d events to %s: %w", count, describeParts(appends), rep.err)
		}
		return rep.results, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("append %d events to %s: gave up waiting, outcome unknown: %w", count, describeParts(appends), ctx.Err())
	}
}

// describeParts names the streams and expected revisions of an AppendMulti, for its errors:
// "alarmboard-d1 at 4, alarm-a1 at no-stream".
func describeParts(appends []eventstore.StreamAppend) string {
	var b strings.Builder
	for i, p := range appends {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s at %s", p.Stream, p.Expected)
	}
	return b.String()
}

func validateAppend(stream string, expected eventstore.Revision, events []eventstore.Event) (size int, err error) {
	var errs []error
	if stream == "" {
		errs = append(errs, errors.New("stream name is empty"))
	}
	if expected < eventstore.Any {
		errs = append(errs, fmt.Errorf("expected revision %d is neither a revision, Any nor NoStream", int64(expected)))
	}
	if len(events) == 0 {
		errs = append(errs, errors.New("no events"))
	}
	for i, e := range events {
		if e.Type == "" {
			errs = append(errs, fmt.Errorf("event %d: type is empty", i))
		}
		// Records are served as JSON (Record.Data is a json.RawMessage): refuse now what could
		// not be served later.
		if len(e.Data) > 0 && !e.JSONChecked && !json.Valid(e.Data) {
			errs = append(errs, fmt.Errorf("event %d (%s): data is not valid JSON", i, e.Type))
		}
		size += recordSize(stream, e) + 2*(1+binary.MaxVarintLen64+len(stream)+8)
	}
	return size, errors.Join(errs...)
}

// enqueue hands req to the writer unless the store is closed. Holding mu shared makes the check and
// the send one step as far as Close is concerned: Close cannot close the queue in between.
func (s *Store) enqueue(ctx context.Context, req *appendRequest) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return eventstore.ErrClosed
	}
	select {
	case s.requests <- req:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ReadStream returns up to limit events of stream from revision from. limit must be positive.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	recs, err := s.readStream(ctx, stream, from, limit)
	if err != nil {
		return nil, fmt.Errorf("read %d events of %s from revision %d: %w", limit, stream, from, err)
	}
	return recs, nil
}

func (s *Store) readStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	if limit <= 0 {
		return nil, errors.New("limit must be positive")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	head := s.head.Load()

	prefix := streamPrefix(stream)
	lower := binary.BigEndian.AppendUint64(append([]byte(nil), prefix...), from)
	// Every key of this stream is prefix + 8 bytes, so prefix + 9 bytes of 0xff is past them all
	// and, the name being length-prefixed, before any other stream's.
	upper := append(append([]byte(nil), prefix...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
	idx, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	log, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: []byte{prefixLog}, UpperBound: logKey(head + 1)})
	if err != nil {
		return nil, err
	}
	defer log.Close()

	var recs []eventstore.Record
	alloc := newPageAlloc()
	key := make([]byte, 0, 9)
	for ok := idx.First(); ok && len(recs) < limit; ok = idx.Next() {
		v := idx.Value()
		if len(v) != 8 {
			return nil, fmt.Errorf("index entry %x holds %x: %w", idx.Key(), v, errCorrupt)
		}
		pos := binary.BigEndian.Uint64(v)
		if pos > head {
			break // committed but not yet acknowledged
		}
		key = appendLogKey(key[:0], pos)
		if !log.SeekGE(key) || string(log.Key()) != string(key) {
			if err := log.Error(); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("index points to position %d, which is missing: %w", pos, errCorrupt)
		}
		r, err := alloc.decode(pos, log.Value())
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
		if len(recs)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if err := idx.Error(); err != nil {
		return nil, err
	}
	return recs, nil
}

// ReadAll returns up to limit events with a position greater than after. limit must be positive.
func (s *Store) ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	recs, err := s.readLog(ctx, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read %d events after position %d: %w", limit, after, err)
	}
	return recs, nil
}

func (s *Store) readLog(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	if limit <= 0 {
		return nil, errors.New("limit must be positive")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	head := s.head.Load()
	if after >= head {
		return nil, nil
	}
	n := head - after
	if n > uint64(limit) {
		n = uint64(limit)
	}
	if recs, ok := s.tail.read(after, int(n)); ok {
		return recs, nil
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: logKey(after + 1), UpperBound: logKey(after + n + 1)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	recs := make([]eventstore.Record, 0, n)
	alloc := newPageAlloc()
	for ok := it.First(); ok; ok = it.Next() {
		k := it.Key()
		if len(k) != 9 {
			return nil, fmt.Errorf("log key %x: %w", k, errCorrupt)
		}
		r, err := alloc.decode(binary.BigEndian.Uint64(k[1:]), it.Value())
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
		if len(recs)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	return recs, nil
}

// Subscribe calls fn with every event after position after, in order, in batches of at most
// Options.ReadBatch: first what is stored, then each commit as it is acknowledged. It returns
// ctx's error when ctx ends, fn's error (wrapped) when fn fails, and ErrClosed when the store is
// closed.
func (s *Store) Subscribe(ctx context.Context, after uint64, fn func(batch []eventstore.Record) error) error {
	pos := after
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		head, changed := s.watch()
		if pos >= head {
			select {
			case <-changed:
				continue
			case <-ctx.Done():
				return ctx.Err()
			case <-s.done:
				return fmt.Errorf("subscription after %d at position %d: %w", after, pos, eventstore.ErrClosed)
			}
		}
		batch, err := s.readLog(ctx, pos, s.opts.ReadBatch)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			return fmt.Errorf("subscription after %d: read after position %d: %w", after, pos, err)
		}
		if len(batch) == 0 {
			// head said there was more: a missing acknowledged event is corruption, not a wait.
			return fmt.Errorf("subscription after %d: no event after position %d below head %d: %w", after, pos, head, errCorrupt)
		}
		if err := fn(batch); err != nil {
			return fmt.Errorf("subscription after %d: handle events %d..%d: %w", after, batch[0].Position, batch[len(batch)-1].Position, err)
		}
		pos = batch[len(batch)-1].Position
	}
}

// watch returns the acknowledged head and the channel that will be closed when it next moves.
func (s *Store) watch() (uint64, <-chan struct{}) {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	return s.head.Load(), s.notify
}

// publish makes positions up to head visible to readers and wakes subscribers.
func (s *Store) publish(head uint64) {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	s.head.Store(head)
	close(s.notify)
	s.notify = make(chan struct{})
}

// Head is the position of the last acknowledged event, 0 for an empty store.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("read head: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return 0, fmt.Errorf("read head: %w", eventstore.ErrClosed)
	}
	return s.head.Load(), nil
}

// Close commits the appends already handed to the writer, ends subscriptions and closes the
// database. Appends not yet handed over get ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("close event store %q: %w", s.dir, eventstore.ErrClosed)
	}
	s.closed = true
	close(s.done)
	s.mu.Unlock()

	// No sender holds mu any more and none can take it without seeing closed: the queue is ours.
	close(s.requests)
	<-s.writerDone
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close event store %q: %w", s.dir, err)
	}
	s.logger.Info("event store closed", "dir", s.dir, "head", s.head.Load())
	return nil
}

// pebbleLogger sends Pebble's messages to slog. Pebble's routine chatter (flushes, compactions) goes
// to Debug.
type pebbleLogger struct{ logger *slog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) {
	l.logger.Debug(fmt.Sprintf(format, args...))
}

func (l pebbleLogger) Errorf(format string, args ...any) {
	l.logger.Error(fmt.Sprintf(format, args...))
}

// Fatalf must not return: Pebble calls it when continuing would corrupt the database.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.logger.Error(msg, "fatal", true)
	panic("pebble: " + msg)
}
