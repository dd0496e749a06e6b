// Package postgres is the event store on PostgreSQL (pgx/v5): the log of a deployment whose Vigie
// processes share one database.
//
// # Positions in commit order
//
// A database sequence hands out positions in allocation order, not commit order: a transaction
// that took position 11 may commit after the one that took 12, and a reader that saw 12 and asks
// for "position > 12" never sees 11. This store gives positions in commit order instead. Every
// append transaction first locks the one row of the head table (SELECT ... FOR UPDATE), reads the
// last position there, writes its events after it and moves the head, then commits. The lock is
// held until the commit, and PostgreSQL makes a transaction visible before it releases its locks,
// so the next appender cannot take a position before the previous one is visible: whatever a
// reader's snapshot holds is a prefix of the log. Positions are gapless too, since a transaction
// that rolls back leaves the head where it was.
//
// The price is that appends to the log are serialised, commit included (one WAL flush at a time).
// Each Store therefore group-commits: one writer goroutine takes every Append waiting, checks each
// expected revision against the stream heads read under the lock, and writes all accepted events
// in one transaction, so the busier the store the more events one flush carries. Several Vigie
// processes on one database queue on the head row, each with its own group.
//
// # Following the log
//
// Subscribe reads what is stored, then waits for a notification: the append transaction sends
// NOTIFY on the schema's channel (delivered only once it is committed), one listening connection
// per Store relays it to every subscription, and an in-process append wakes them directly. A
// subscription also polls every Options.PollInterval, in case a notification was lost while the
// listening connection was being re-established. Since every snapshot holds a prefix of the log,
// "read after the last position seen" never skips and never repeats an event.
//
// # Durability
//
// Append returns once PostgreSQL has committed, which with synchronous_commit on (the default)
// means flushed to its WAL. A session or server set to synchronous_commit=off is overridden for the
// append transactions; fsync=off on the server cannot be, and is logged as a warning at Open.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vigie/vigie/adapters/eventstore"
)

var (
	_ eventstore.Store         = (*Store)(nil)
	_ eventstore.MultiAppender = (*Store)(nil)
)

// Options tune the store. The zero value gives the defaults.
type Options struct {
	// Schema is the PostgreSQL schema holding the log; it is created if missing. Default "vigie".
	Schema string
	// Now stamps each event's RecordedAt, kept to the nanosecond. Default: the database
	// server's clock (microseconds), read under the head lock, so that RecordedAt never
	// decreases along the log whichever process appended.
	Now func() time.Time
	// MaxConns caps the connection pool (the writer takes one, reads and subscriptions share the
	// rest, and the listening connection comes on top). Default: the DSN's pool_max_conns, else
	// pgxpool's default.
	MaxConns int32
	// MaxBatch is the most events committed by one transaction. A single append larger than this
	// is still committed, alone. Default 4096.
	MaxBatch int
	// ReadBatch is the most events a subscription hands to fn at once. Default 1000.
	ReadBatch int
	// QueueLength is how many append requests may wait for the writer before Append blocks.
	// Default 4096.
	QueueLength int
	// PollInterval is how often a live subscription reads the log without having been notified.
	// Default 1 s.
	PollInterval time.Duration
}

const (
	defaultSchema       = "vigie"
	defaultMaxBatch     = 4096
	defaultReadBatch    = 1000
	defaultQueueLength  = 4096
	defaultPollInterval = time.Second
	// maxSchemaLen keeps the notification channel, "<schema>.events", within PostgreSQL's 63
	// bytes for identifiers.
	maxSchemaLen = 50
)

// Validate reports every invalid option at once. Zero means "default".
func (o Options) Validate() error {
	var errs []error
	if len(o.Schema) > maxSchemaLen || !validText(o.Schema) {
		errs = append(errs, fmt.Errorf("Schema %q: must be at most %d bytes of UTF-8 without NUL", o.Schema, maxSchemaLen))
	}
	if o.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("MaxConns %d: must not be negative", o.MaxConns))
	}
	if o.MaxBatch < 0 {
		errs = append(errs, fmt.Errorf("MaxBatch %d: must not be negative", o.MaxBatch))
	}
	if o.ReadBatch < 0 {
		errs = append(errs, fmt.Errorf("ReadBatch %d: must not be negative", o.ReadBatch))
	}
	if o.QueueLength < 0 {
		errs = append(errs, fmt.Errorf("QueueLength %d: must not be negative", o.QueueLength))
	}
	if o.PollInterval < 0 {
		errs = append(errs, fmt.Errorf("PollInterval %s: must not be negative", o.PollInterval))
	}
	return errors.Join(errs...)
}

func (o Options) withDefaults() Options {
	if o.Schema == "" {
		o.Schema = defaultSchema
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = defaultMaxBatch
	}
	if o.ReadBatch == 0 {
		o.ReadBatch = defaultReadBatch
	}
	if o.QueueLength == 0 {
		o.QueueLength = defaultQueueLength
	}
	if o.PollInterval == 0 {
		o.PollInterval = defaultPollInterval
	}
	return o
}

// Store is the PostgreSQL event store. It is safe for concurrent use, and any number of Stores, in
// any number of processes, may share one schema.
type Store struct {
	pool   *pgxpool.Pool
	t      tables
	opts   Options
	logger *slog.Logger
	// forceSync is set when the server's synchronous_commit is off: append transactions then
	// turn it on for themselves.
	forceSync bool

	// mu guards closed. Every query and every hand-off of a request to the writer holds it
	// shared, so Close, holding it exclusively, knows that none is in flight once it has it.
	mu     sync.RWMutex
	closed bool
	// done is closed by Close: it ends live subscriptions and the listener.
	done chan struct{}

	requests   chan *appendRequest
	writerDone chan struct{}

	stopListener context.CancelFunc
	listenerDone chan struct{}

	// wakeMu guards wake, which is closed and replaced whenever the log may have grown.
	wakeMu sync.Mutex
	wake   chan struct{}
}

// Open connects to the database at dsn (a postgres:// URL or a key=value string, as pgx reads
// it), creates the schema and tables if missing, and starts the writer and the listener.
func Open(ctx context.Context, dsn string, opts Options, logger *slog.Logger) (*Store, error) {
	var errs []error
	if dsn == "" {
		errs = append(errs, errors.New("dsn is empty"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if err := opts.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("open event store: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the DSN, password included: keep only the kind of mistake.
		return nil, fmt.Errorf("open event store: parse the dsn: %w", redact(err, dsn))
	}
	if opts.Schema, err = schemaFromDSN(cfg, opts.Schema); err != nil {
		return nil, fmt.Errorf("open event store: %w", err)
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("open event store: %w", err)
	}
	opts = opts.withDefaults()
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	where := fmt.Sprintf("schema %s on %s:%d/%s", opts.Schema, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open event store (%s): %w", where, err)
	}
	s := &Store{
		pool:       pool,
		t:          newTables(opts.Schema),
		opts:       opts,
		logger:     logger,
		done:       make(chan struct{}),
		requests:   make(chan *appendRequest, opts.QueueLength),
		writerDone: make(chan struct{}),
		wake:       make(chan struct{}),
	}
	if err := s.checkServer(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open event store (%s): %w", where, err)
	}
	if err := migrate(ctx, pool, s.t); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open event store (%s): %w", where, err)
	}
	listenCtx, stop := context.WithCancel(context.Background())
	s.stopListener, s.listenerDone = stop, make(chan struct{})
	ready := make(chan error, 1)
	go s.listen(listenCtx, cfg.ConnConfig, ready)
	select {
	case err = <-ready:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		stop()
		<-s.listenerDone
		pool.Close()
		return nil, fmt.Errorf("open event store (%s): listen for appends: %w", where, err)
	}
	w := &writer{store: s}
	go w.run()
	head, _ := s.Head(ctx)
	logger.Info("event store opened", "where", where, "head", head)
	return s, nil
}

// schemaFromDSN takes Vigie's own "schema" parameter out of a parsed DSN
// (postgres://host/db?schema=vigie_nimes, or schema=vigie_nimes in key=value form), so that one
// flag or variable can name both the database and the schema. It must agree with Options.Schema
// when both are given.
func schemaFromDSN(cfg *pgxpool.Config, schema string) (string, error) {
	fromDSN, ok := cfg.ConnConfig.RuntimeParams["schema"]
	if !ok {
		return schema, nil
	}
	delete(cfg.ConnConfig.RuntimeParams, "schema")
	if schema != "" && schema != fromDSN {
		return "", fmt.Errorf("the dsn names schema %q and Options.Schema %q", fromDSN, schema)
	}
	return fromDSN, nil
}

// checkServer reads the settings that decide durability.
func (s *Store) checkServer(ctx context.Context) error {
	var syncCommit, fsync string
	if err := s.pool.QueryRow(ctx, `SELECT current_setting('synchronous_commit'), current_setting('fsync')`).Scan(&syncCommit, &fsync); err != nil {
		return fmt.Errorf("read server settings: %w", err)
	}
	if syncCommit == "off" {
		s.forceSync = true
		s.logger.Info("synchronous_commit is off: append transactions turn it on for themselves")
	}
	if fsync != "on" {
		s.logger.Warn("the PostgreSQL server runs with fsync off: acknowledged appends may be lost in a crash of the server's machine")
	}
	return nil
}

// redact removes the DSN from an error message.
func redact(err error, dsn string) error {
	msg := err.Error()
	if strings.Contains(msg, dsn) {
		msg = strings.ReplaceAll(msg, dsn, "<dsn>")
	}
	return errors.New(msg)
}

// Append adds events to stream if it is at expected. It returns once they are committed.
//
// An empty append is refused. If ctx ends while the request is queued, nothing is written; if it
// ends while the transaction runs, Append returns ctx's error and the outcome is unknown.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	req, err := newRequest(ctx, stream, expected, events)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %d events to %s at %s: %w", len(events), stream, expected, err)
	}
	if err := ctx.Err(); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %d events to %s at %s: %w", len(events), stream, expected, err)
	}
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

// validText: PostgreSQL's text holds UTF-8 without NUL; anything else would fail the whole group
// of appends it is committed with, so it is refused up front.
func validText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func newRequest(ctx context.Context, stream string, expected eventstore.Revision, events []eventstore.Event) (*appendRequest, error) {
	p, err := newPart(stream, expected, events)
	return &appendRequest{ctx: ctx, parts: []part{p}, count: len(events), reply: make(chan appendReply, 1)}, err
}

// newPart checks one stream's events and encodes their metadata.
func newPart(stream string, expected eventstore.Revision, events []eventstore.Event) (part, error) {
	var errs []error
	if stream == "" {
		errs = append(errs, errors.New("stream name is empty"))
	} else if !validText(stream) {
		errs = append(errs, errors.New("stream name is not UTF-8 without NUL"))
	}
	if expected < eventstore.Any {
		errs = append(errs, fmt.Errorf("expected revision %d is neither a revision, Any nor NoStream", int64(expected)))
	}
	if len(events) == 0 {
		errs = append(errs, errors.New("no events"))
	}
	p := part{stream: stream, expected: expected, events: events, meta: make([][]byte, len(events))}
	for i, e := range events {
		if e.Type == "" {
			errs = append(errs, fmt.Errorf("event %d: type is empty", i))
		} else if !validText(e.Type) {
			errs = append(errs, fmt.Errorf("event %d: type is not UTF-8 without NUL", i))
		}
		if e.Schema < math.MinInt32 || e.Schema > math.MaxInt32 {
			errs = append(errs, fmt.Errorf("event %d (%s): schema %d does not fit 32 bits", i, e.Type, e.Schema))
		}
		// Records are served as JSON (Record.Data is a json.RawMessage): refuse now what could
		// not be served later.
		if len(e.Data) > 0 && !e.JSONChecked && !json.Valid(e.Data) {
			errs = append(errs, fmt.Errorf("event %d (%s): data is not valid JSON", i, e.Type))
		}
		m := e.Meta
		if !validText(m.CorrelationID) || !validText(m.CausationID) || !validText(m.Actor) {
			errs = append(errs, fmt.Errorf("event %d (%s): metadata is not UTF-8 without NUL", i, e.Type))
			continue
		}
		meta, err := json.Marshal(m)
		if err != nil {
			errs = append(errs, fmt.Errorf("event %d (%s): encode metadata: %w", i, e.Type, err))
		}
		p.meta[i] = meta
	}
	return p, errors.Join(errs...)
}

// AppendMulti appends every part in one transaction, all or nothing: the writer checks every
// part, in order and each against the stream as the earlier parts leave it, under the head lock,
// before it writes any; a conflict refuses the whole call and no other append of the group. The
// parts' events take consecutive positions.
//
// If ctx ends while the request is queued or being written, AppendMulti returns ctx's error and
// the outcome is unknown, as for Append.
func (s *Store) AppendMulti(ctx context.Context, appends ...eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	if len(appends) == 0 {
		return nil, errors.New("append to several streams: no parts")
	}
	req := &appendRequest{ctx: ctx, multi: true, reply: make(chan appendReply, 1)}
	var errs []error
	var names strings.Builder
	for i, a := range appends {
		p, err := newPart(a.Stream, a.Expected, a.Events)
		if err != nil {
			errs = append(errs, fmt.Errorf("part %d (%s): %w", i+1, a.Stream, err))
		}
		req.parts = append(req.parts, p)
		req.count += len(a.Events)
		if i > 0 {
			names.WriteString(", ")
		}
		fmt.Fprintf(&names, "%s at %s", a.Stream, a.Expected)
	}
	what := fmt.Sprintf("append %d events to %s", req.count, names.String())
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := s.enqueue(ctx, req); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	select {
	case rep := <-req.reply:
		if rep.err != nil {
			return nil, fmt.Errorf("%s: %w", what, rep.err)
		}
		return rep.results, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: gave up waiting, outcome unknown: %w", what, ctx.Err())
	}
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

// begin starts a read: ErrClosed once closed, ctx's error if it has ended. end must be called.
func (s *Store) begin(ctx context.Context) (end func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, eventstore.ErrClosed
	}
	return s.mu.RUnlock, nil
}

// queryErr prefers ctx's error to the driver's when ctx has ended, so that callers can test it
// with errors.Is.
func queryErr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return err
}

const recordColumns = `position, stream, revision, type, schema_version, data, metadata, recorded_at, recorded_ns`

// ReadStream returns up to limit events of stream from revision from. limit must be positive.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("read %d events of %s from revision %d: limit must be positive", limit, stream, from)
	}
	if from > math.MaxInt64 {
		from = math.MaxInt64 // no revision is that high: reads as empty
	}
	recs, err := s.query(ctx, `SELECT `+recordColumns+` FROM `+s.t.events+
		` WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`, limit, stream, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("read %d events of %s from revision %d: %w", limit, stream, from, err)
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
	if after > math.MaxInt64 {
		after = math.MaxInt64
	}
	return s.query(ctx, `SELECT `+recordColumns+` FROM `+s.t.events+
		` WHERE position > $1 ORDER BY position LIMIT $2`, limit, int64(after), limit)
}

func (s *Store) query(ctx context.Context, sql string, limit int, args ...any) ([]eventstore.Record, error) {
	end, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, queryErr(ctx, err)
	}
	defer rows.Close()
	recs := make([]eventstore.Record, 0, min(limit, 1024))
	var pos, rev int64
	var schema int32
	var data, meta []byte
	var at time.Time
	var ns int16
	for rows.Next() {
		var r eventstore.Record
		if err := rows.Scan(&pos, &r.Stream, &rev, &r.Type, &schema, &data, &meta, &at, &ns); err != nil {
			return nil, queryErr(ctx, err)
		}
		r.Position, r.Revision, r.Schema = uint64(pos), uint64(rev), int(schema)
		r.RecordedAt = at.Add(time.Duration(ns)).UTC()
		if len(data) > 0 {
			r.Data = json.RawMessage(data)
		}
		if len(meta) > 2 { // "{}" is the empty metadata
			if err := json.Unmarshal(meta, &r.Meta); err != nil {
				return nil, fmt.Errorf("position %d: decode metadata %q: %w", pos, meta, err)
			}
		}
		data, meta = nil, nil // Scan allocates anew into nil slices: the record keeps its own
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr(ctx, err)
	}
	return recs, nil
}

// Subscribe calls fn with every event after position after, in order, in batches of at most
// Options.ReadBatch: first what is stored, then each commit as it is notified. It returns ctx's
// error when ctx ends, fn's error (wrapped) when fn fails, ErrClosed when the store is closed, and
// a read's error if the database fails (the caller subscribes again from its last position).
func (s *Store) Subscribe(ctx context.Context, after uint64, fn func(batch []eventstore.Record) error) error {
	pos := after
	var poll *time.Timer
	defer func() {
		if poll != nil {
			poll.Stop()
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Take the wake-up channel before reading: a commit after the read closes it.
		wake := s.wakeChan()
		batch, err := s.readLog(ctx, pos, s.opts.ReadBatch)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, eventstore.ErrClosed):
			return fmt.Errorf("subscription after %d at position %d: %w", after, pos, eventstore.ErrClosed)
		case err != nil:
			return fmt.Errorf("subscription after %d: read after position %d: %w", after, pos, err)
		}
		if len(batch) > 0 {
			if err := fn(batch); err != nil {
				return fmt.Errorf("subscription after %d: handle events %d..%d: %w", after, batch[0].Position, batch[len(batch)-1].Position, err)
			}
			pos = batch[len(batch)-1].Position
			continue
		}
		if poll == nil {
			poll = time.NewTimer(s.opts.PollInterval)
		} else {
			poll.Reset(s.opts.PollInterval)
		}
		select {
		case <-wake:
		case <-poll.C:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return fmt.Errorf("subscription after %d at position %d: %w", after, pos, eventstore.ErrClosed)
		}
	}
}

// wakeChan returns the channel closed when the log may next have grown.
func (s *Store) wakeChan() <-chan struct{} {
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	return s.wake
}

// wakeUp wakes every subscription waiting for new events.
func (s *Store) wakeUp() {
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	close(s.wake)
	s.wake = make(chan struct{})
}

// Head is the position of the last committed event, 0 for an empty store.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	end, err := s.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("read head: %w", err)
	}
	defer end()
	var head int64
	if err := s.pool.QueryRow(ctx, `SELECT position FROM `+s.t.head).Scan(&head); err != nil {
		return 0, fmt.Errorf("read head: %w", queryErr(ctx, err))
	}
	return uint64(head), nil
}

// Close commits the appends already handed to the writer, ends subscriptions and the listener,
// and closes the connections. Appends not yet handed over get ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("close event store: %w", eventstore.ErrClosed)
	}
	s.closed = true
	close(s.done)
	s.mu.Unlock()

	// No sender holds mu any more and none can take it without seeing closed: the queue is ours.
	close(s.requests)
	<-s.writerDone
	s.stopListener()
	<-s.listenerDone
	s.pool.Close()
	s.logger.Info("event store closed", "schema", s.opts.Schema)
	return nil
}

// listen keeps one connection listening on the schema's channel and wakes subscriptions on every
// notification. When the connection fails it reconnects, and wakes everyone once it is back, since
// notifications sent meanwhile are lost. ready receives the first connection's outcome.
func (s *Store) listen(ctx context.Context, cfg *pgx.ConnConfig, ready chan<- error) {
	defer close(s.listenerDone)
	backoff := 50 * time.Millisecond
	first := true
	for {
		err := s.listenOnce(ctx, cfg, func() {
			if first {
				first = false
				ready <- nil
			}
			backoff = 50 * time.Millisecond
			s.wakeUp()
		})
		if ctx.Err() != nil {
			return
		}
		if first {
			ready <- err
			return
		}
		s.logger.Warn("event store: listening for appends failed; subscriptions poll until it is back", "err", err, "retry_in", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context, cfg *pgx.ConnConfig, listening func()) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{s.t.channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		s.wakeUp()
	}
}
