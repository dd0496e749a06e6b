package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vigie/vigie/adapters/eventstore"
)

// maxBatchBytes caps the data one transaction carries, whatever MaxBatch says: PostgreSQL refuses
// a message of more than 1 GiB, and a huge group would hold the head lock for long.
const maxBatchBytes = 16 << 20

// part is one stream's share of a request: an Append has one, an AppendMulti several.
type part struct {
	stream   string
	expected eventstore.Revision
	events   []eventstore.Event
	meta     [][]byte // each event's metadata, encoded
}

// appendRequest is one Append or one AppendMulti: the writer commits it whole or not at all.
type appendRequest struct {
	ctx   context.Context
	parts []part
	multi bool             // an AppendMulti: the reply carries one result per part
	count int              // events, of every part
	reply chan appendReply // buffered: the writer never waits for an Append that gave up
}

func (r *appendRequest) size() int {
	n := 0
	for _, p := range r.parts {
		for i, e := range p.events {
			n += len(p.stream) + len(e.Type) + len(e.Data) + len(p.meta[i]) + 64
		}
	}
	return n
}

type appendReply struct {
	result  eventstore.AppendResult   // an Append's
	results []eventstore.AppendResult // an AppendMulti's, one per part
	err     error
}

// writer is the only goroutine of a Store that appends. It keeps no state between groups: the
// stream heads and the log's head are read from the database under the head lock every time, so
// other processes may append to the same schema.
type writer struct {
	store *Store

	// group is the group being committed, events and size its totals; carry is a request taken
	// from the queue that did not fit in it.
	group        []*appendRequest
	events, size int
	carry        *appendRequest
	// columns of the rows of one group, for INSERT ... SELECT FROM unnest(...)
	positions, revisions  []int64
	streams, types, metas []string
	schemas               []int32
	datas                 [][]byte
}

func (w *writer) run() {
	defer close(w.store.writerDone)
	for {
		if w.carry == nil {
			r, ok := <-w.store.requests
			if !ok {
				return // closed by Close once no sender remains: everything queued was committed
			}
			w.carry = r
		}
		// Group commit: take everything already waiting. Requests queue up while the previous
		// group is being committed, so the busier the store, the more one commit carries.
		w.group, w.events, w.size = w.group[:0], 0, 0
		w.add(w.carry)
		w.carry = nil
		w.drain()
		replies, alone := w.commit(w.group, true)
		if alone {
			// The server refused a row of the group (a stream written by a process that does not
			// take the head lock, or data it would not store): commit each append on its own, so
			// that one bad append fails alone.
			for i, r := range w.group {
				if replies[i].err != nil {
					continue
				}
				rep, _ := w.commit([]*appendRequest{r}, false)
				replies[i] = rep[0]
			}
		}
		for i, r := range w.group {
			r.reply <- replies[i]
		}
		clear(w.group) // drop references to the callers' events
	}
}

func (w *writer) add(r *appendRequest) {
	w.group = append(w.group, r)
	w.events += r.count
	w.size += r.size()
}

// drain adds to the group the requests waiting in the queue, up to the group's bounds.
func (w *writer) drain() {
	for w.carry == nil && w.events < w.store.opts.MaxBatch && w.size < maxBatchBytes {
		select {
		case r, ok := <-w.store.requests:
			if !ok {
				return
			}
			if w.events+r.count > w.store.opts.MaxBatch || w.size+r.size() > maxBatchBytes {
				w.carry = r
				return
			}
			w.add(r)
		default:
			return
		}
	}
}

// commit writes the appends of group that pass their revision check in one transaction. It
// returns one reply per request; alone is set when the transaction was refused by the server
// (and so certainly rolled back) for a reason that committing the appends one by one may isolate,
// the replies of the appends that were in it being then meaningless.
//
// With extend, the requests that queued up while the transaction waited for the head lock join
// the group (w.group, which group then is): when several processes take turns on the lock, each
// turn then carries everything its process had waiting, not only what had arrived before the wait.
func (w *writer) commit(group []*appendRequest, extend bool) (replies []appendReply, alone bool) {
	s := w.store
	ctx := context.Background() // the callers may give up; the group is committed or not as a whole
	replies = make([]appendReply, len(group))
	if !checkCtx(group, replies) {
		return replies, false
	}
	fail := func(err error) ([]appendReply, bool) {
		for i := range replies {
			if replies[i].err == nil {
				replies[i].err = err
			}
		}
		return replies, false
	}

	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fail(fmt.Errorf("connect: %w", err))
	}
	// A connection left inside a transaction by an error is closed by Release, not reused.
	defer conn.Release()
	rollback := func() { _, _ = conn.Exec(ctx, `ROLLBACK`) }

	// Round trip 1: lock the head row, then read the heads of the streams concerned. The lock
	// comes first: every append of every process takes it before reading a stream's head, so
	// what is read cannot change until this transaction ends.
	names := make([]string, 0, len(group))
	seen := make(map[string]bool, len(group))
	for i, r := range group {
		if replies[i].err != nil {
			continue
		}
		for _, p := range r.parts {
			if !seen[p.stream] {
				seen[p.stream] = true
				names = append(names, p.stream)
			}
		}
	}
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	if s.forceSync {
		b.Queue(`SET LOCAL synchronous_commit = on`)
	}
	b.Queue(`SELECT position, clock_timestamp() FROM ` + s.t.head + ` FOR UPDATE`)
	b.Queue(s.headsQuery(), names)
	var head int64
	var now time.Time
	heads := make(map[string]int64, len(names))
	err = func() error {
		br := conn.SendBatch(ctx, b)
		defer br.Close()
		for range b.Len() - 2 {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		if err := br.QueryRow().Scan(&head, &now); err != nil {
			return fmt.Errorf("lock the head: %w", err)
		}
		rows, err := br.Query()
		if err != nil {
			return fmt.Errorf("read stream heads: %w", err)
		}
		if err := scanHeads(rows, heads); err != nil {
			return err
		}
		return br.Close()
	}()
	if err == nil && extend {
		n := len(group)
		w.drain()
		if len(w.group) > n {
			group = w.group
			replies = append(replies, make([]appendReply, len(group)-n)...)
			checkCtx(group[n:], replies[n:])
			err = w.readHeads(ctx, conn, group[n:], replies[n:], heads)
		}
	}
	if err != nil {
		rollback()
		return fail(err)
	}
	if s.opts.Now != nil {
		now = s.opts.Now()
	}

	// Decide, as the embedded store does, in request order; a request's parts all or none.
	w.reset()
	next := head + 1
	for i, r := range group {
		if replies[i].err != nil {
			continue
		}
		revs, err := checkParts(r, heads)
		if err != nil {
			replies[i].err = err
			continue
		}
		results := make([]eventstore.AppendResult, len(r.parts))
		for k, p := range r.parts {
			rev, first := revs[k], next
			for n, e := range p.events {
				data := []byte(e.Data)
				if data == nil {
					data = []byte{}
				}
				w.positions = append(w.positions, next)
				w.streams = append(w.streams, p.stream)
				w.revisions = append(w.revisions, rev)
				w.types = append(w.types, e.Type)
				w.schemas = append(w.schemas, int32(e.Schema))
				w.datas = append(w.datas, data)
				w.metas = append(w.metas, string(p.meta[n]))
				next++
				rev++
			}
			heads[p.stream] = rev - 1
			results[k] = eventstore.AppendResult{FirstPosition: uint64(first), LastPosition: uint64(next - 1), Revision: uint64(rev - 1)}
		}
		if r.multi {
			replies[i].results = results
		} else {
			replies[i].result = results[0]
		}
	}
	if len(w.positions) == 0 {
		rollback()
		return replies, false
	}

	// Round trip 2: write, move the head, notify, commit.
	b = &pgx.Batch{}
	b.Queue(`INSERT INTO `+s.t.events+` (`+recordColumns+`)
		SELECT p, s, r, ty, sv, d, m::jsonb, $8, $9 FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::integer[], $6::bytea[], $7::text[]) AS u(p, s, r, ty, sv, d, m)`,
		w.positions, w.streams, w.revisions, w.types, w.schemas, w.datas, w.metas, now, subMicro(now))
	b.Queue(`UPDATE `+s.t.head+` SET position = $1`, next-1)
	b.Queue(`SELECT pg_notify($1, $2)`, s.t.channel, strconv.FormatInt(next-1, 10))
	b.Queue(`COMMIT`)
	start := time.Now()
	var tag pgconn.CommandTag
	err = func() error {
		br := conn.SendBatch(ctx, b)
		defer br.Close()
		for range b.Len() - 1 {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		var err error
		if tag, err = br.Exec(); err != nil {
			return err
		}
		return br.Close()
	}()
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr):
		// The server answered: the transaction did not commit.
		rollback()
		if pgErr.Code == "23505" && len(group) == 1 { // unique_violation on (stream, revision)
			return fail(fmt.Errorf("%s: %w", pgErr.Message, eventstore.ErrConflict))
		}
		if len(group) > 1 {
			return replies, true
		}
		return fail(fmt.Errorf("write: %w", err))
	case err != nil:
		return fail(fmt.Errorf("commit, outcome unknown: %w", err))
	case tag.String() != "COMMIT":
		return fail(fmt.Errorf("commit: server answered %q", tag.String()))
	}
	if d := time.Since(start); d > time.Second {
		s.logger.Warn("slow event store commit", "duration", d, "events", len(w.positions))
	}
	s.wakeUp()
	return replies, false
}

// headsQuery reads the revision of the last event of each stream named in $1 (NULL for a stream
// that does not exist), each through the (stream, revision) index.
func (s *Store) headsQuery() string {
	return `SELECT u.s, (SELECT max(e.revision) FROM ` + s.t.events + ` e WHERE e.stream = u.s) FROM unnest($1::text[]) AS u(s)`
}

func scanHeads(rows pgx.Rows, heads map[string]int64) error {
	defer rows.Close()
	for rows.Next() {
		var name string
		var rev *int64
		if err := rows.Scan(&name, &rev); err != nil {
			return fmt.Errorf("read stream heads: %w", err)
		}
		if rev != nil {
			heads[name] = *rev
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read stream heads: %w", err)
	}
	return nil
}

// subMicro is the part of t's nanoseconds that timestamptz, kept to the microsecond, drops
// (pgx truncates towards the past).
func subMicro(t time.Time) int16 { return int16(t.Nanosecond() % 1000) }

// checkCtx answers the requests whose caller gave up before their events were written: they are
// not written, so the only unknown outcome left is a cancellation during the commit itself. It
// reports whether any request is left.
func checkCtx(group []*appendRequest, replies []appendReply) bool {
	live := false
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			replies[i].err = err
			continue
		}
		live = true
	}
	return live
}

// readHeads adds to heads the revisions of the streams of group that it does not hold yet.
func (w *writer) readHeads(ctx context.Context, conn *pgxpool.Conn, group []*appendRequest, replies []appendReply, heads map[string]int64) error {
	var names []string
	seen := map[string]bool{}
	for i, r := range group {
		if replies[i].err != nil {
			continue
		}
		for _, p := range r.parts {
			if _, known := heads[p.stream]; !known && !seen[p.stream] {
				seen[p.stream] = true
				names = append(names, p.stream)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	rows, err := conn.Query(ctx, w.store.headsQuery(), names)
	if err != nil {
		return fmt.Errorf("read stream heads: %w", err)
	}
	return scanHeads(rows, heads)
}

func (w *writer) reset() {
	w.positions, w.revisions = w.positions[:0], w.revisions[:0]
	w.streams, w.types, w.metas = w.streams[:0], w.types[:0], w.metas[:0]
	w.schemas = w.schemas[:0]
	clear(w.datas)
	w.datas = w.datas[:0]
}

// checkParts checks every part of a request before any is written, each against its stream as
// the earlier parts leave it (two parts on one stream chain), without changing heads. It returns
// the revision each part's first event takes.
func checkParts(r *appendRequest, heads map[string]int64) ([]int64, error) {
	revs := make([]int64, len(r.parts))
	var after map[string]int64 // the heads the earlier parts leave, for a request of several
	for k, p := range r.parts {
		last, exists := after[p.stream]
		if !exists {
			last, exists = heads[p.stream]
		}
		if err := check(p.expected, last, exists); err != nil {
			if r.multi {
				return nil, fmt.Errorf("part %d (%s at %s): %w", k+1, p.stream, p.expected, err)
			}
			return nil, err
		}
		if exists {
			revs[k] = last + 1
		}
		if len(r.parts) > 1 {
			if after == nil {
				after = make(map[string]int64, len(r.parts))
			}
			after[p.stream] = revs[k] + int64(len(p.events)) - 1
		}
	}
	return revs, nil
}

// check compares the expected revision with the stream's state.
func check(expected eventstore.Revision, last int64, exists bool) error {
	switch {
	case expected == eventstore.Any:
		return nil
	case expected == eventstore.NoStream && exists:
		return fmt.Errorf("stream exists at revision %d: %w", last, eventstore.ErrConflict)
	case expected == eventstore.NoStream:
		return nil
	case !exists:
		return fmt.Errorf("stream does not exist: %w", eventstore.ErrConflict)
	case int64(expected) != last:
		return fmt.Errorf("stream is at revision %d: %w", last, eventstore.ErrConflict)
	}
	return nil
}
