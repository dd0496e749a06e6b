package postgres_test

// The classic trap of an event log on a SQL database, shown on a naive store (test-only code):
// positions from a sequence are handed out in allocation order, transactions commit in another
// order, and a reader that asks for "position > last seen" skips an event whose transaction
// commits late. The tests below show that the naive store loses an event, that the conformance
// suite catches it, and that this package's store, which gives positions under the head row's
// lock, cannot.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/eventstoretest"
	"github.com/vigie/vigie/adapters/eventstore/postgres"
)

// naiveStore is what one writes first: a bigserial position, one transaction per append that
// locks its stream only, the expected revision checked against the stream's last row (and
// enforced by the unique constraint), and readers asking for "position > after". It is right in
// everything but the order in which positions become visible.
type naiveStore struct {
	pool   *pgxpool.Pool
	events string
	done   chan struct{}
	closed atomic.Bool
}

func openNaive(ctx context.Context, dsn, schema string) (*naiveStore, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 20
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &naiveStore{pool: pool, events: pgx.Identifier{schema, "naive_events"}.Sanitize(), done: make(chan struct{})}
	for _, q := range []string{
		`CREATE SCHEMA IF NOT EXISTS ` + pgx.Identifier{schema}.Sanitize(),
		`CREATE TABLE IF NOT EXISTS ` + s.events + ` (
			position    bigserial PRIMARY KEY,
			stream      text NOT NULL,
			revision    bigint NOT NULL,
			type        text NOT NULL,
			data        bytea NOT NULL,
			recorded_at timestamptz NOT NULL DEFAULT now(),
			UNIQUE (stream, revision))`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			pool.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *naiveStore) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	if stream == "" || expected < eventstore.Any || len(events) == 0 {
		return eventstore.AppendResult{}, errors.New("invalid append")
	}
	for _, e := range events {
		if e.Type == "" {
			return eventstore.AppendResult{}, errors.New("invalid append")
		}
	}
	if s.closed.Load() {
		return eventstore.AppendResult{}, eventstore.ErrClosed
	}
	var res eventstore.AppendResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Appends to one stream queue on a lock of that stream only: appends to different
		// streams run, and commit, concurrently.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, stream); err != nil {
			return err
		}
		var last *int64
		if err := tx.QueryRow(ctx, `SELECT max(revision) FROM `+s.events+` WHERE stream = $1`, stream).Scan(&last); err != nil {
			return err
		}
		switch {
		case expected == eventstore.NoStream && last != nil,
			expected >= 0 && (last == nil || *last != int64(expected)):
			return eventstore.ErrConflict
		}
		rev := int64(0)
		if last != nil {
			rev = *last + 1
		}
		for i, e := range events {
			var pos int64
			if err := tx.QueryRow(ctx, `INSERT INTO `+s.events+` (stream, revision, type, data) VALUES ($1, $2, $3, $4) RETURNING position`,
				stream, rev, e.Type, []byte(e.Data)).Scan(&pos); err != nil {
				return err
			}
			if i == 0 {
				res.FirstPosition = uint64(pos)
			}
			res.LastPosition, res.Revision = uint64(pos), uint64(rev)
			rev++
		}
		return nil
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		err = eventstore.ErrConflict
	}
	return res, err
}

func (s *naiveStore) read(ctx context.Context, sql string, args ...any) ([]eventstore.Record, error) {
	if s.closed.Load() {
		return nil, eventstore.ErrClosed
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (eventstore.Record, error) {
		var r eventstore.Record
		var pos, rev int64
		var data []byte
		err := row.Scan(&pos, &r.Stream, &rev, &r.Type, &data, &r.RecordedAt)
		r.Position, r.Revision, r.Data = uint64(pos), uint64(rev), json.RawMessage(data)
		return r, err
	})
}

func (s *naiveStore) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	if limit <= 0 {
		return nil, errors.New("limit must be positive")
	}
	return s.read(ctx, `SELECT position, stream, revision, type, data, recorded_at FROM `+s.events+
		` WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`, stream, int64(from), limit)
}

func (s *naiveStore) ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	if limit <= 0 {
		return nil, errors.New("limit must be positive")
	}
	return s.read(ctx, `SELECT position, stream, revision, type, data, recorded_at FROM `+s.events+
		` WHERE position > $1 ORDER BY position LIMIT $2`, int64(after), limit)
}

// Subscribe polls ReadAll from the last position it delivered.
func (s *naiveStore) Subscribe(ctx context.Context, after uint64, fn func([]eventstore.Record) error) error {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		batch, err := s.ReadAll(ctx, after, 100)
		if err := ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			return err
		}
		if len(batch) > 0 {
			if err := fn(batch); err != nil {
				return err
			}
			after = batch[len(batch)-1].Position
			continue
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return eventstore.ErrClosed
		}
	}
}

func (s *naiveStore) Head(ctx context.Context) (uint64, error) {
	var h int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(position), 0) FROM `+s.events).Scan(&h)
	return uint64(h), err
}

func (s *naiveStore) Close() error {
	if s.closed.Swap(true) {
		return eventstore.ErrClosed
	}
	close(s.done)
	s.pool.Close()
	return nil
}

// TestTrapNaiveReaderSkipsALateCommit plays the trap step by step with two transactions on the
// naive layout: the one that took position 1 commits after the one that took position 2, and a
// reader that saw 2 never sees 1.
func TestTrapNaiveReaderSkipsALateCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	schema := newSchema(t)
	s, err := openNaive(ctx, testDSN(), schema)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	insert := `INSERT INTO ` + s.events + ` (stream, revision, type, data) VALUES ($1, 0, 't', '\x7b7d') RETURNING position`
	slow, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback(ctx)
	var p1, p2 int64
	if err := slow.QueryRow(ctx, insert, "slow").Scan(&p1); err != nil {
		t.Fatal(err)
	}
	fast, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := fast.QueryRow(ctx, insert, "fast").Scan(&p2); err != nil {
		t.Fatal(err)
	}
	if err := fast.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if p1 != 1 || p2 != 2 {
		t.Fatalf("positions %d and %d, want 1 and 2", p1, p2)
	}

	// A reader polls: it sees position 2 and moves past it.
	var seen []uint64
	after := uint64(0)
	poll := func() {
		recs, err := s.ReadAll(ctx, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			seen = append(seen, r.Position)
			after = r.Position
		}
	}
	poll()
	if err := slow.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	poll()
	all, err := s.ReadAll(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || fmt.Sprint(seen) != "[2]" {
		t.Fatalf("the log holds %d events and the reader saw positions %v: the trap did not show (want it to see [2] only)", len(all), seen)
	}
	t.Logf("naive store: the log holds positions 1 and 2, the reader saw %v and will never see 1", seen)
}

// TestTrapHeadLockMakesTheLateCommitWait plays the same scene on this package's layout: a
// transaction that took position 1 under the head lock and has not committed yet holds back every
// other append, so no reader can see position 2 before position 1.
func TestTrapHeadLockMakesTheLateCommitWait(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	schema := newSchema(t)
	s := openStore(t, schema, postgres.Options{})
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The slow appender, by hand, as the writer does it: lock the head, write after it, move it.
	slow, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback(ctx)
	head := pgx.Identifier{schema, "head"}.Sanitize()
	if _, err := slow.Exec(ctx, `SELECT position FROM `+head+` FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := slow.Exec(ctx, `INSERT INTO `+pgx.Identifier{schema, "events"}.Sanitize()+
		` (position, stream, revision, type, schema_version, data, metadata, recorded_at) VALUES (1, 'slow', 0, 't', 1, '\x7b7d', '{}', now())`); err != nil {
		t.Fatal(err)
	}
	if _, err := slow.Exec(ctx, `UPDATE `+head+` SET position = 1`); err != nil {
		t.Fatal(err)
	}

	// The fast appender is the store itself: it must wait for the head lock.
	fast := make(chan eventstore.AppendResult, 1)
	go func() {
		res, err := s.Append(ctx, "fast", eventstore.NoStream, event("fast"))
		if err != nil {
			t.Errorf("append: %v", err)
		}
		fast <- res
	}()
	readerConn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer readerConn.Close(ctx)
	waitForLockWaiter(t, readerConn, schema)
	if recs, err := s.ReadAll(ctx, 0, 100); err != nil || len(recs) != 0 {
		t.Fatalf("while position 1 is uncommitted a reader sees %d events (%v), want none", len(recs), err)
	}
	select {
	case res := <-fast:
		t.Fatalf("append committed at %+v while an earlier position was in flight", res)
	default:
	}
	if err := slow.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	res := <-fast
	if res.FirstPosition != 2 {
		t.Fatalf("the waiting append got position %d, want 2", res.FirstPosition)
	}
	recs, err := s.ReadAll(ctx, 0, 100)
	if err != nil || len(recs) != 2 || recs[0].Stream != "slow" || recs[1].Stream != "fast" {
		t.Fatalf("log %+v, %v; want slow at 1 then fast at 2", recs, err)
	}
}

// naiveChildEnv makes TestTrapSuiteCatchesNaiveStore's child process run the suite on the naive
// store.
const naiveChildEnv = "VIGIE_TEST_NAIVE_STORE_CHILD"

// TestTrapSuiteRunsOnNaiveStore is run only as TestTrapSuiteCatchesNaiveStore's child: it runs
// the conformance suite on the naive store, which is expected to fail.
func TestTrapSuiteRunsOnNaiveStore(t *testing.T) {
	if os.Getenv(naiveChildEnv) == "" {
		t.Skip("run by TestTrapSuiteCatchesNaiveStore in a child process: this one is meant to fail")
	}
	eventstoretest.Run(t, eventstoretest.Features{}, func(t *testing.T) eventstoretest.Opener {
		schema := newSchema(t)
		return func() (eventstore.Store, error) { return openNaive(context.Background(), testDSN(), schema) }
	})
}

// TestTrapSuiteCatchesNaiveStore runs the suite's NoEventSkippedWhenCommitsFinishOutOfOrder on
// the naive store in a child process and checks that it fails by a skipped event: the suite
// catches the trap, so an adapter that passes it does not fall into it.
func TestTrapSuiteCatchesNaiveStore(t *testing.T) {
	t.Parallel()
	if os.Getenv(naiveChildEnv) != "" {
		t.Skip("in the child process")
	}
	var outs []string
	for attempt := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestTrapSuiteRunsOnNaiveStore$/^NoEventSkippedWhenCommitsFinishOutOfOrder$", "-test.count=1")
		cmd.Env = append(os.Environ(), naiveChildEnv+"=1")
		out, err := cmd.CombinedOutput()
		cancel()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("run the child: %v\n%s", err, out)
		}
		if err != nil && strings.Contains(string(out), "skipped") && strings.Contains(string(out), "the log holds") {
			for _, line := range strings.Split(string(out), "\n") {
				if strings.Contains(line, "the log holds") {
					t.Logf("attempt %d, the suite on the naive store: %s", attempt+1, strings.TrimSpace(line))
				}
			}
			return
		}
		outs = append(outs, string(out))
	}
	t.Fatalf("the suite did not catch the naive store's skipped events in 3 runs:\n%s", strings.Join(outs, "\n----\n"))
}
