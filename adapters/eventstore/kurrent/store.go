// Package kurrent is the KurrentDB (formerly EventStoreDB) adapter of the event store port, built
// on the official Go client github.com/kurrent-io/KurrentDB-Client-Go.
//
// Mapping (see docs/deploy.md for the reasoning):
//   - a port stream is a KurrentDB stream of the same name (prefixed by Options.Namespace);
//   - Any, NoStream and At(r) become the client's Any{}, NoStream{} and Revision(r); a wrong
//     expected version is eventstore.ErrConflict;
//   - the global log is $all without system events: a catch-up subscription to $all with a
//     server-side filter (stream prefix = the namespace, or event types not starting with '$');
//   - a record's global position is its commit position in the transaction file. Every event
//     written through gRPC is its own implicit commit, so its commit and prepare positions are
//     equal and unique; an event whose two positions differ (written by a legacy TCP explicit
//     transaction) is refused rather than given an order that is not the server's.
//   - positions are byte offsets: they increase in commit order but are far from gapless;
//   - an imported log (Import, import.go) keeps its own positions and recorded times, carried in
//     each event's user metadata.
package kurrent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Options tune the adapter. The zero value is usable.
type Options struct {
	// Namespace prefixes every stream name in KurrentDB ("vigie-nimes/"), so that several
	// deployments, or tests, share one cluster. The global log is then the namespace's events
	// only. It must not start with '$' (system streams).
	Namespace string
	// MaxBatch bounds the events given to one call of a subscriber's fn. Default 256.
	MaxBatch int
	// ReadPage is how many $all events one read asks for. Default 512.
	ReadPage int
	// MaxResubscribeDelay caps the back-off between attempts to resume a dropped subscription.
	// Default 5 s.
	MaxResubscribeDelay time.Duration
}

func (o Options) withDefaults() Options {
	if o.MaxBatch == 0 {
		o.MaxBatch = 256
	}
	if o.ReadPage == 0 {
		o.ReadPage = 512
	}
	if o.MaxResubscribeDelay == 0 {
		o.MaxResubscribeDelay = 5 * time.Second
	}
	return o
}

// Validate reports every problem at once.
func (o Options) Validate() error {
	var errs []error
	if strings.HasPrefix(o.Namespace, "$") {
		errs = append(errs, fmt.Errorf("namespace %q starts with '$', which KurrentDB reserves for system streams", o.Namespace))
	}
	if o.MaxBatch < 0 {
		errs = append(errs, fmt.Errorf("max batch %d is negative", o.MaxBatch))
	}
	if o.ReadPage < 0 {
		errs = append(errs, fmt.Errorf("read page %d is negative", o.ReadPage))
	}
	if o.MaxResubscribeDelay < 0 {
		errs = append(errs, fmt.Errorf("max resubscribe delay %v is negative", o.MaxResubscribeDelay))
	}
	return errors.Join(errs...)
}

// ParseURL checks a KurrentDB connection string (esdb://, esdb+discover://, kurrentdb://,
// kurrentdb+discover://) without connecting. Its errors never repeat the string, which may hold a
// password.
func ParseURL(url string) (*kurrentdb.Configuration, error) {
	if url == "" {
		return nil, errors.New("kurrentdb url: empty")
	}
	config, err := kurrentdb.ParseConnectionString(url)
	if err != nil {
		return nil, fmt.Errorf("kurrentdb url: %s", redact(err.Error(), url))
	}
	if err := config.Validate(); err != nil {
		return nil, fmt.Errorf("kurrentdb url: %s", redact(err.Error(), url))
	}
	// Reads must see what was just appended (Append reads its events back; a command reloads
	// the stream it appended to), which only the leader promises.
	if config.NodePreference != kurrentdb.NodePreferenceLeader {
		return nil, fmt.Errorf("kurrentdb url: nodePreference=%s: the store reads its own writes and needs the leader", config.NodePreference)
	}
	return config, nil
}

// redact removes the connection string, and any password in it, from a client error message.
func redact(msg, url string) string {
	msg = strings.ReplaceAll(msg, url, "<url>")
	if at := strings.LastIndex(url, "@"); at > 0 {
		if scheme := strings.Index(url, "://"); scheme >= 0 && scheme+3 < at {
			userinfo := url[scheme+3 : at]
			if colon := strings.Index(userinfo, ":"); colon >= 0 && colon+1 < len(userinfo) {
				msg = strings.ReplaceAll(msg, userinfo[colon+1:], "<password>")
			}
		}
	}
	return msg
}

// Store is the KurrentDB event store. It is safe for concurrent use.
type Store struct {
	opts    Options
	ns      string
	logger  *slog.Logger
	clients *clients
	// floor is a position before which the store ignores the log (tests on a shared server).
	floor uint64

	// importMu makes Import calls one at a time.
	importMu sync.Mutex
	// mu guards marks and indexEvents: the imported events' positions (import.go).
	mu          sync.Mutex
	marks       []mark
	indexEvents uint64

	closeOnce sync.Once
	done      chan struct{}
}

var _ eventstore.Store = (*Store)(nil)

// Open connects to KurrentDB at url (see ParseURL) and checks that $all can be read, so that a
// wrong address or missing permission is reported at start-up, not at the first append.
func Open(ctx context.Context, url string, opts Options, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		return nil, errors.New("open kurrentdb store: nil logger")
	}
	config, urlErr := ParseURL(url)
	if err := errors.Join(urlErr, opts.Validate()); err != nil {
		return nil, fmt.Errorf("open kurrentdb store: %w", err)
	}
	config.Logger = clientLogger(logger)
	opts = opts.withDefaults()
	cs, err := newClients(config, logger)
	if err != nil {
		return nil, fmt.Errorf("open kurrentdb store: %w", err)
	}
	s := &Store{opts: opts, ns: opts.Namespace, logger: logger, clients: cs, done: make(chan struct{})}
	if _, err := s.Head(ctx); err != nil {
		s.clients.close()
		return nil, fmt.Errorf("open kurrentdb store: read the head of $all: %w", err)
	}
	if err := s.loadMarks(ctx); err != nil {
		s.clients.close()
		return nil, fmt.Errorf("open kurrentdb store: %w", err)
	}
	return s, nil
}

// clientLogger sends the client's own messages to slog at debug level, apart from errors, which
// are warnings: the store reports what matters itself, with context.
func clientLogger(logger *slog.Logger) kurrentdb.LoggingFunc {
	return func(level kurrentdb.LogLevel, format string, args ...any) {
		lvl := slog.LevelDebug
		if level == kurrentdb.LogError || level == kurrentdb.LogWarn {
			lvl = slog.LevelWarn
		}
		logger.Log(context.Background(), lvl, "kurrentdb client: "+fmt.Sprintf(format, args...))
	}
}

func errClosed() error { return eventstore.ErrClosed }

func (s *Store) isClosed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// check returns ErrClosed or the context's error, in that order.
func (s *Store) check(ctx context.Context) error {
	if s.isClosed() {
		return eventstore.ErrClosed
	}
	return ctx.Err()
}

// fail wraps err with what was being done, and reports ErrClosed or the context's error instead
// when they are the real cause.
func (s *Store) fail(ctx context.Context, what string, err error) error {
	if s.isClosed() {
		return fmt.Errorf("%s: %w", what, eventstore.ErrClosed)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	return fmt.Errorf("%s: %w", what, err)
}

// meta is what the adapter stores in an event's user metadata.
type meta struct {
	Schema        int    `json:"schema"`
	CorrelationID string `json:"correlation_id,omitempty"`
	CausationID   string `json:"causation_id,omitempty"`
	Actor         string `json:"actor,omitempty"`
	// Position and RecordedAt (RFC 3339, UTC, nanoseconds) are an imported event's own (Import).
	Position   uint64 `json:"position,omitempty"`
	RecordedAt string `json:"recorded_at,omitempty"`
}

func streamState(r eventstore.Revision) kurrentdb.StreamState {
	switch r {
	case eventstore.Any:
		return kurrentdb.Any{}
	case eventstore.NoStream:
		return kurrentdb.NoStream{}
	}
	return kurrentdb.Revision(uint64(r))
}

func validStream(stream string) error {
	switch {
	case stream == "":
		return errors.New("empty stream name")
	case strings.HasPrefix(stream, "$"):
		return fmt.Errorf("stream name %q starts with '$', which KurrentDB reserves for system streams", stream)
	case stream == importIndexStream:
		return fmt.Errorf("stream name %q is the store's own (the index of imported events)", stream)
	}
	return nil
}

// Append writes events to stream in one KurrentDB append (atomic), then reads them back to learn
// their positions: the append response carries one position for the whole write, and the port
// reports the first and the last.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	what := fmt.Sprintf("append %d events to %s at %s", len(events), stream, expected)
	var errs []error
	if err := validStream(stream); err != nil {
		errs = append(errs, err)
	}
	if expected < eventstore.Any {
		errs = append(errs, fmt.Errorf("expected revision %d is below any (-2)", int64(expected)))
	}
	if len(events) == 0 {
		errs = append(errs, errors.New("no events"))
	}
	data := make([]kurrentdb.EventData, len(events))
	for i, e := range events {
		if e.Type == "" {
			errs = append(errs, fmt.Errorf("event %d has no type", i))
		} else if strings.HasPrefix(e.Type, "$") {
			errs = append(errs, fmt.Errorf("event %d: type %q starts with '$', which the global log filters out", i, e.Type))
		}
		schema := e.Schema
		if schema < 1 {
			schema = 1
		}
		m, err := json.Marshal(meta{Schema: schema, CorrelationID: e.Meta.CorrelationID, CausationID: e.Meta.CausationID, Actor: e.Meta.Actor})
		if err != nil {
			errs = append(errs, fmt.Errorf("event %d: metadata: %w", i, err))
		}
		ct := kurrentdb.ContentTypeBinary
		if json.Valid(e.Data) {
			ct = kurrentdb.ContentTypeJson
		}
		// The id is fixed before the first attempt, so that a retry after the client was
		// recreated is deduplicated by the server instead of appended twice.
		data[i] = kurrentdb.EventData{EventID: uuid.New(), EventType: e.Type, ContentType: ct, Data: e.Data, Metadata: m}
	}
	if err := errors.Join(errs...); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("%s: %w", what, err)
	}
	if err := s.check(ctx); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("%s: %w", what, err)
	}
	wr, err := withClient(s, func(c *kurrentdb.Client) (*kurrentdb.WriteResult, error) {
		return c.AppendToStream(ctx, s.ns+stream, kurrentdb.AppendToStreamOptions{StreamState: streamState(expected)}, data...)
	})
	if err != nil {
		if hasCode(err, kurrentdb.ErrorCodeWrongExpectedVersion) || hasCode(err, kurrentdb.ErrorCodeStreamRevisionConflict) {
			return eventstore.AppendResult{}, fmt.Errorf("%s: %w (%v)", what, eventstore.ErrConflict, err)
		}
		return eventstore.AppendResult{}, s.fail(ctx, what, err)
	}
	last := wr.NextExpectedVersion
	n := uint64(len(events))
	if last+1 < n {
		return eventstore.AppendResult{}, fmt.Errorf("%s: server reports revision %d after appending %d events", what, last, n)
	}
	recs, err := s.readStream(ctx, stream, last+1-n, len(events))
	if err != nil {
		return eventstore.AppendResult{}, s.fail(ctx, what+": read the appended events back", err)
	}
	if len(recs) != len(events) {
		return eventstore.AppendResult{}, fmt.Errorf("%s: read back %d events at revisions %d..%d, want %d", what, len(recs), last+1-n, last, n)
	}
	return eventstore.AppendResult{FirstPosition: recs[0].Position, LastPosition: recs[len(recs)-1].Position, Revision: last}, nil
}

// ReadStream returns up to limit events of stream from revision from.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	what := fmt.Sprintf("read %s from revision %d", stream, from)
	if err := validStream(stream); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if limit <= 0 {
		return nil, fmt.Errorf("%s: limit %d must be positive", what, limit)
	}
	if err := s.check(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	recs, err := s.readStream(ctx, stream, from, limit)
	if err != nil {
		return nil, s.fail(ctx, what, err)
	}
	return recs, nil
}

func (s *Store) readStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	raw, err := s.readRaw(ctx, s.ns+stream, from, limit)
	if err != nil {
		return nil, err
	}
	var out []eventstore.Record
	for _, e := range raw {
		rec, ok, err := s.record(e)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, rec)
		}
	}
	return out, nil
}

// allFrom is where a forward $all read or subscription starts to see the events after position p.
func allFrom(p uint64) kurrentdb.AllPosition {
	if p == 0 {
		return kurrentdb.Start{}
	}
	return kurrentdb.Position{Commit: p, Prepare: p}
}

// readAllRaw reads up to count events of $all, system events included, from position from (a
// forward read is inclusive of from) or backwards from it.
func (s *Store) readAllRaw(ctx context.Context, dir kurrentdb.Direction, from kurrentdb.AllPosition, count int) ([]*kurrentdb.ResolvedEvent, error) {
	return withClient(s, func(c *kurrentdb.Client) ([]*kurrentdb.ResolvedEvent, error) {
		rs, err := c.ReadAll(ctx, kurrentdb.ReadAllOptions{Direction: dir, From: from}, uint64(count))
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		return drain(rs)
	})
}

// drain reads a KurrentDB read to its end.
func drain(rs interface {
	Recv() (*kurrentdb.ResolvedEvent, error)
}) ([]*kurrentdb.ResolvedEvent, error) {
	var out []*kurrentdb.ResolvedEvent
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

// ReadAll returns up to limit events of the global log after position after.
//
// The Go client exposes server-side filters on subscriptions only, so a one-shot read pages through
// $all and drops system events (and other namespaces) here. Subscribe, which carries the bulk of
// the traffic, filters on the server.
func (s *Store) ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	what := fmt.Sprintf("read the global log after %d", after)
	if limit <= 0 {
		return nil, fmt.Errorf("%s: limit %d must be positive", what, limit)
	}
	if err := s.check(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	from := max(s.commitAfter(after), s.floor)
	var out []eventstore.Record
	for len(out) < limit {
		page, err := s.readAllRaw(ctx, kurrentdb.Forwards, allFrom(from), s.opts.ReadPage)
		if err != nil {
			// A position that is not an event's (one made up by the caller) is refused by the
			// server as invalid. Beyond the head, the port's answer is simply "nothing yet".
			if from > 0 && ctx.Err() == nil && !s.isClosed() {
				if head, herr := s.Head(ctx); herr == nil && from >= head {
					return nil, nil
				}
			}
			return nil, s.fail(ctx, what, err)
		}
		for _, e := range page {
			p, err := position(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			if p <= from {
				continue
			}
			rec, ok, err := s.record(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			if ok && rec.Position > after && len(out) < limit {
				out = append(out, rec)
			}
		}
		if len(page) < s.opts.ReadPage {
			break
		}
		last, err := position(page[len(page)-1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		from = last
	}
	return out, nil
}

// Head is the position of the last event of the global log: $all is read backwards, past system
// events (and other namespaces), to the first one that belongs here.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	if err := s.check(ctx); err != nil {
		return 0, fmt.Errorf("head: %w", err)
	}
	var from kurrentdb.AllPosition = kurrentdb.End{}
	seen := uint64(0) // the lowest position seen so far; 0 before the first page
	for {
		page, err := s.readAllRaw(ctx, kurrentdb.Backwards, from, s.opts.ReadPage)
		if err != nil {
			return 0, s.fail(ctx, "head", err)
		}
		for _, e := range page {
			p, err := position(e)
			if err != nil {
				return 0, fmt.Errorf("head: %w", err)
			}
			if seen != 0 && p >= seen {
				continue // a backward read from a position may include it
			}
			seen = p
			if p <= s.floor {
				return 0, nil
			}
			if rec, ok, err := s.record(e); err != nil {
				return 0, fmt.Errorf("head: %w", err)
			} else if ok {
				return rec.Position, nil
			}
		}
		if len(page) < s.opts.ReadPage || seen == 0 {
			return 0, nil
		}
		from = kurrentdb.Position{Commit: seen, Prepare: seen}
	}
}

// position maps an event of $all to the port's global position: its commit position.
func position(e *kurrentdb.ResolvedEvent) (uint64, error) {
	ev := e.Event
	if ev == nil {
		return 0, errors.New("$all returned an entry without an event")
	}
	if ev.Position.Commit != ev.Position.Prepare {
		return 0, fmt.Errorf("event %s@%d in %s has commit position %d and prepare position %d: written by an explicit transaction, whose events share one commit position and have no global position of their own here",
			ev.EventType, ev.EventNumber, ev.StreamID, ev.Position.Commit, ev.Position.Prepare)
	}
	return ev.Position.Commit, nil
}

// belongs reports whether an event of $all is part of this store's global log.
func (s *Store) belongs(ev *kurrentdb.RecordedEvent) bool {
	return !strings.HasPrefix(ev.StreamID, "$") && !strings.HasPrefix(ev.EventType, "$") && strings.HasPrefix(ev.StreamID, s.ns) &&
		ev.StreamID != s.ns+importIndexStream
}

// record converts an event read from KurrentDB. ok is false for an event outside the global log.
func (s *Store) record(e *kurrentdb.ResolvedEvent) (rec eventstore.Record, ok bool, err error) {
	if e == nil || e.Event == nil {
		return eventstore.Record{}, false, errors.New("kurrentdb returned an entry without an event")
	}
	ev := e.Event
	if !s.belongs(ev) {
		return eventstore.Record{}, false, nil
	}
	p, err := position(e)
	if err != nil {
		return eventstore.Record{}, false, err
	}
	m, err := decodeMeta(ev.UserMetadata)
	if err != nil {
		return eventstore.Record{}, false, fmt.Errorf("event %s@%d at position %d: %w", ev.StreamID, ev.EventNumber, p, err)
	}
	at := ev.CreatedDate.UTC()
	if m.RecordedAt != "" {
		if at, err = time.Parse(time.RFC3339Nano, m.RecordedAt); err != nil {
			return eventstore.Record{}, false, fmt.Errorf("event %s@%d at position %d: imported recorded time: %w", ev.StreamID, ev.EventNumber, p, err)
		}
		at = at.UTC()
	}
	if m.Position != 0 {
		p = m.Position // imported: the log's own position
	}
	return eventstore.Record{
		Position:   p,
		Stream:     strings.TrimPrefix(ev.StreamID, s.ns),
		Revision:   ev.EventNumber,
		Type:       ev.EventType,
		Schema:     m.Schema,
		Data:       json.RawMessage(append([]byte(nil), ev.Data...)),
		Meta:       eventstore.Metadata{CorrelationID: m.CorrelationID, CausationID: m.CausationID, Actor: m.Actor},
		RecordedAt: at,
	}, true, nil
}

// decodeMeta reads the user metadata the adapter wrote. An event written by another program without
// metadata is at schema 1; metadata that is not ours is an error, not a guess.
func decodeMeta(b []byte) (meta, error) {
	if len(b) == 0 {
		return meta{Schema: 1}, nil
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return meta{}, fmt.Errorf("user metadata is not Vigie's: %w", err)
	}
	if m.Schema < 1 {
		m.Schema = 1
	}
	return m, nil
}

// Close ends every subscription (they return ErrClosed) and closes the client.
func (s *Store) Close() error {
	closed := false
	s.closeOnce.Do(func() {
		close(s.done)
		s.clients.close()
		closed = true
	})
	if !closed {
		return eventstore.ErrClosed
	}
	return nil
}
