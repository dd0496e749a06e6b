package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/eventstoretest"
	"github.com/vigie/vigie/adapters/eventstore/postgres"
)

// These tests need a PostgreSQL server: CI and the development machines run one (see
// scripts/setup.d/postgres.sh). They fail, rather than skip, when it cannot be reached.
const defaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

func testDSN() string {
	if dsn := os.Getenv("VIGIE_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return defaultDSN
}

// newSchema returns the name of a schema of the test's own, dropped when the test ends, so that
// tests run in parallel and leave nothing behind. The store creates it.
func newSchema(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "vigie_test_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, testDSN())
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// smallPool keeps the tests, which run in parallel beside other packages', well within the
// server's 100 connections.
const smallPool = 6

func openStore(tb testing.TB, schema string, opts postgres.Options) *postgres.Store {
	tb.Helper()
	opts.Schema = schema
	if opts.MaxConns == 0 {
		opts.MaxConns = smallPool
	}
	s, err := postgres.Open(context.Background(), testDSN(), opts, testLogger(tb))
	if err != nil {
		tb.Fatalf("open event store in schema %s (set VIGIE_TEST_POSTGRES to reach another server): %v", schema, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil && !errors.Is(err, eventstore.ErrClosed) {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts postgres.Options
	}{
		{"Defaults", postgres.Options{}},
		// Tiny bounds make every group split and every subscription page; a long poll interval
		// shows that live subscriptions follow notifications, not polling.
		{"TinyBatches", postgres.Options{MaxBatch: 2, ReadBatch: 3, QueueLength: 1, PollInterval: time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			eventstoretest.Run(t, eventstoretest.Features{Durable: true, GaplessPositions: true}, func(t *testing.T) eventstoretest.Opener {
				schema := newSchema(t)
				logger := testLogger(t)
				opts := tt.opts
				opts.Schema, opts.MaxConns = schema, smallPool
				return func() (eventstore.Store, error) {
					return postgres.Open(context.Background(), testDSN(), opts, logger)
				}
			})
		})
	}
}

// TestTwoStoresShareOneLog: two Stores on one schema, as two Vigie processes on one database,
// append concurrently; each one's subscription sees the other's appends, the log stays gapless
// and in one order, and optimistic concurrency holds across them.
func TestTwoStoresShareOneLog(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	a := openStore(t, schema, postgres.Options{PollInterval: time.Hour})
	b := openStore(t, schema, postgres.Options{PollInterval: time.Hour})
	ctx := context.Background()

	const perStore, writers = 60, 4
	total := 2*perStore*writers + 1 // and the contested stream's one event
	got := make(chan []eventstore.Record, 1)
	subCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	subErr := make(chan error, 1)
	go func() {
		var recs []eventstore.Record
		subErr <- b.Subscribe(subCtx, 0, func(batch []eventstore.Record) error {
			recs = append(recs, batch...)
			if len(recs) == total {
				got <- recs
			}
			return nil
		})
	}()

	var wg sync.WaitGroup
	for i, s := range []*postgres.Store{a, b} {
		for w := range writers {
			wg.Go(func() {
				stream := fmt.Sprintf("s%d-w%d", i, w)
				expected := eventstore.NoStream
				for k := range perStore {
					res, err := s.Append(ctx, stream, expected, event(fmt.Sprintf("%s/%d", stream, k)))
					if err != nil {
						t.Errorf("append to %s: %v", stream, err)
						return
					}
					expected = eventstore.At(res.Revision)
				}
			})
		}
	}
	// Both stores race for one new stream: exactly one wins.
	var wins, conflicts int
	var mu sync.Mutex
	for i, s := range []*postgres.Store{a, b, a, b} {
		wg.Go(func() {
			_, err := s.Append(ctx, "contested", eventstore.NoStream, event(fmt.Sprintf("racer/%d", i)))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, eventstore.ErrConflict):
				conflicts++
			default:
				t.Errorf("racer: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != 3 {
		t.Errorf("racing for one stream across stores: %d wins, %d conflicts; want 1 and 3", wins, conflicts)
	}
	select {
	case recs := <-got:
		for i, r := range recs {
			if r.Position != uint64(i+1) {
				t.Fatalf("record %d of the subscription at position %d", i, r.Position)
			}
		}
	case err := <-subErr:
		t.Fatalf("subscription ended: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("the other store's subscription did not see every append")
	}
	head, err := a.Head(ctx)
	if err != nil || head != uint64(total) {
		t.Fatalf("head %d, %v; want %d", head, err, total)
	}
}

func event(id string) eventstore.Event {
	data, _ := json.Marshal(map[string]string{"id": id})
	return eventstore.Event{Type: "test.happened", Schema: 1, Data: data}
}

// TestDataKeepsItsExactBytes: the log keeps the JSON as given (key order, spacing, duplicate keys,
// escapes), which jsonb would not: a hash chain over the log depends on it.
func TestDataKeepsItsExactBytes(t *testing.T) {
	t.Parallel()
	s := openStore(t, newSchema(t), postgres.Options{})
	ctx := context.Background()
	payloads := []string{
		`{"z":1,  "a":[1, 2.50, 1e3],"a":"dup","s":"\u00e9\u0000"}`,
		"{\n\t\"crue\": \"d'été ⚠\"\n}",
		`[]`, `"string"`, `12.000`, `null`,
	}
	for i, p := range payloads {
		if _, err := s.Append(ctx, "exact", eventstore.Any, eventstore.Event{Type: "t", Data: json.RawMessage(p)}); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	if _, err := s.Append(ctx, "empty", eventstore.NoStream, eventstore.Event{Type: "t"}); err != nil {
		t.Fatalf("append without data: %v", err)
	}
	recs, err := s.ReadStream(ctx, "exact", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if string(r.Data) != payloads[i] {
			t.Errorf("event %d: data %q, want %q", i, r.Data, payloads[i])
		}
	}
	recs, err = s.ReadStream(ctx, "empty", 0, 1)
	if err != nil || len(recs) != 1 || len(recs[0].Data) != 0 {
		t.Fatalf("event without data reads back as %+v, %v", recs, err)
	}
}

func TestRecordedAtComesFromTheClock(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CEST", 2*3600)
	times := []time.Time{
		time.Date(2026, 6, 1, 12, 30, 45, 123456789, paris),
		time.Date(2300, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1600, 1, 1, 0, 0, 0, 999999999, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC),
	}
	for _, at := range times {
		s := openStore(t, newSchema(t), postgres.Options{Now: func() time.Time { return at }})
		ctx := context.Background()
		if _, err := s.Append(ctx, "clock", eventstore.NoStream, event("x")); err != nil {
			t.Fatal(err)
		}
		recs, err := s.ReadAll(ctx, 0, 10)
		if err != nil || len(recs) != 1 {
			t.Fatalf("read: %+v, %v", recs, err)
		}
		if !recs[0].RecordedAt.Equal(at) || recs[0].RecordedAt.Location() != time.UTC {
			t.Errorf("RecordedAt %v, want %v in UTC (nanoseconds kept)", recs[0].RecordedAt, at)
		}
	}
}

// TestServerClockStampsInLogOrder: by default RecordedAt is read from the server under the head
// lock, so it never decreases along the log, whichever process appended.
func TestServerClockStampsInLogOrder(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	a, b := openStore(t, schema, postgres.Options{}), openStore(t, schema, postgres.Options{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, s := range []*postgres.Store{a, b, a, b} {
		wg.Go(func() {
			for k := range 25 {
				if _, err := s.Append(ctx, fmt.Sprintf("w%d", i), eventstore.Any, event(fmt.Sprint(k))); err != nil {
					t.Errorf("append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	recs, err := a.ReadAll(ctx, 0, 1000)
	if err != nil || len(recs) != 100 {
		t.Fatalf("read: %d records, %v", len(recs), err)
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].RecordedAt.Before(recs[i-1].RecordedAt) {
			t.Fatalf("position %d recorded at %v, before position %d at %v", recs[i].Position, recs[i].RecordedAt, recs[i-1].Position, recs[i-1].RecordedAt)
		}
	}
}

// TestAppendRefusesWhatPostgreSQLCannotStore: text with NUL or invalid UTF-8 would fail the whole
// group it is committed with; it is refused before, and the others land.
func TestAppendRefusesWhatPostgreSQLCannotStore(t *testing.T) {
	t.Parallel()
	s := openStore(t, newSchema(t), postgres.Options{})
	ctx := context.Background()
	tests := []struct {
		name   string
		stream string
		e      eventstore.Event
	}{
		{"NULInStream", "a\x00b", event("x")},
		{"InvalidUTF8Type", "s", eventstore.Event{Type: "t\xff", Data: json.RawMessage(`{}`)}},
		{"NULInActor", "s", eventstore.Event{Type: "t", Meta: eventstore.Metadata{Actor: "x\x00"}}},
		{"InvalidJSON", "s", eventstore.Event{Type: "t", Data: json.RawMessage(`{"truncated":`)}},
	}
	var wg sync.WaitGroup
	for _, tt := range tests {
		wg.Go(func() {
			if _, err := s.Append(ctx, tt.stream, eventstore.Any, tt.e); err == nil || errors.Is(err, eventstore.ErrConflict) {
				t.Errorf("%s: got %v, want an error other than ErrConflict", tt.name, err)
			}
		})
		wg.Go(func() {
			if _, err := s.Append(ctx, "good-"+tt.name, eventstore.NoStream, event("ok")); err != nil {
				t.Errorf("good append beside %s: %v", tt.name, err)
			}
		})
	}
	wg.Wait()
	if h, err := s.Head(ctx); err != nil || h != uint64(len(tests)) {
		t.Fatalf("head %d, %v; want %d", h, err, len(tests))
	}
}

// TestRowWrittenBehindTheStoresBackFailsAlone: a row the server refuses (here a revision that a
// process ignoring the head lock wrote first) fails its own append with ErrConflict; the appends
// committed in the same group still land.
func TestRowWrittenBehindTheStoresBackFailsAlone(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := openStore(t, schema, postgres.Options{})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// Hold the head lock so that the appends below queue up and are committed as one group, and
	// slip in a row at revision 0 of "taken" without moving the head (as a careless script would).
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := pgx.Identifier{schema, "events"}.Sanitize()
	if _, err := tx.Exec(ctx, `SELECT 1 FROM `+pgx.Identifier{schema, "head"}.Sanitize()+` FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+events+` (position, stream, revision, type, schema_version, data, metadata, recorded_at)
		VALUES (1000, 'taken', 0, 't', 1, '\x7b7d', '{}', now())`); err != nil {
		t.Fatal(err)
	}
	type result struct {
		stream string
		err    error
	}
	results := make(chan result, 9)
	for i := range 8 {
		go func() {
			stream := fmt.Sprintf("free%d", i)
			_, err := s.Append(ctx, stream, eventstore.NoStream, event("x"))
			results <- result{stream, err}
		}()
	}
	go func() {
		_, err := s.Append(ctx, "taken", eventstore.NoStream, event("x"))
		results <- result{"taken", err}
	}()
	// Let the writer block on the lock with the first append, then release it with the row.
	waitForLockWaiter(t, conn, schema)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for range 9 {
		r := <-results
		switch {
		case r.stream == "taken" && !errors.Is(r.err, eventstore.ErrConflict):
			t.Errorf("append to a stream written behind the store's back: %v, want ErrConflict", r.err)
		case r.stream != "taken" && r.err != nil:
			t.Errorf("append to %s failed with its group: %v", r.stream, r.err)
		}
	}
	// Undo the stray row, which breaks the head's invariant, before the schema is checked again.
	if _, err := conn.Exec(ctx, `DELETE FROM `+events+` WHERE position = 1000`); err != nil {
		t.Fatal(err)
	}
}

// waitForLockWaiter polls pg_locks until a session waits for a lock in schema.
func waitForLockWaiter(t *testing.T, conn *pgx.Conn, schema string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for ; ; <-tick.C {
		var n int
		err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND n.nspname = $1`, schema).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no append waited for the head lock")
		}
		// Row locks are waited on through the holder's transaction id, not the relation: ask
		// about those too.
		err = conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND query LIKE '%' || $1 || '%'`, schema).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
}

func TestOpenValidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	tests := []struct {
		name   string
		dsn    string
		opts   postgres.Options
		logger *slog.Logger
		want   string
	}{
		{"EmptyDSN", "", postgres.Options{}, logger, "dsn is empty"},
		{"NilLogger", testDSN(), postgres.Options{}, nil, "logger is nil"},
		{"NegativeMaxBatch", testDSN(), postgres.Options{MaxBatch: -1}, logger, "MaxBatch -1"},
		{"LongSchema", testDSN(), postgres.Options{Schema: strings.Repeat("s", 51)}, logger, "Schema"},
		{"BadDSN", "postgres://u:secret@[::1", postgres.Options{}, logger, "parse the dsn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := postgres.Open(ctx, tt.dsn, tt.opts, tt.logger)
			if err == nil {
				_ = s.Close()
				t.Fatal("Open: got nil error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestOptionsValidateReportsEveryMistake(t *testing.T) {
	t.Parallel()
	err := postgres.Options{MaxBatch: -1, ReadBatch: -2, PollInterval: -time.Second}.Validate()
	if err == nil {
		t.Fatal("got nil error")
	}
	for _, want := range []string{"MaxBatch -1", "ReadBatch -2", "PollInterval -1s"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// TestOtherLayoutIsRefused: a schema whose head row names another format is not misread.
func TestOtherLayoutIsRefused(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := openStore(t, schema, postgres.Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE `+pgx.Identifier{schema, "head"}.Sanitize()+` SET format = 'vigie-events/99'`); err != nil {
		t.Fatal(err)
	}
	s2, err := postgres.Open(ctx, testDSN(), postgres.Options{Schema: schema, MaxConns: smallPool}, testLogger(t))
	if err == nil {
		_ = s2.Close()
		t.Fatal("Open of another layout: got nil error")
	}
	if !strings.Contains(err.Error(), "vigie-events/99") {
		t.Errorf("error %q does not name the layout found", err)
	}
}

// TestSubscriptionSurvivesListenerLoss: when the listening connection is killed, subscriptions
// still get every event (by polling meanwhile, and a wake-up once it is back).
func TestSubscriptionSurvivesListenerLoss(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := openStore(t, schema, postgres.Options{PollInterval: 50 * time.Millisecond})
	other := openStore(t, schema, postgres.Options{PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := make(chan uint64, 100)
	go func() {
		_ = other.Subscribe(ctx, 0, func(batch []eventstore.Record) error {
			for _, r := range batch {
				seen <- r.Position
			}
			return nil
		})
	}()
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for i := range 5 {
		// Kill every listener on this schema's channel (the other store's included).
		if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE query LIKE 'LISTEN %' || $1 || '%' AND pid <> pg_backend_pid()`, schema); err != nil {
			t.Fatal(err)
		}
		res, err := s.Append(ctx, "x", eventstore.Any, event(fmt.Sprint(i)))
		if err != nil {
			t.Fatal(err)
		}
		select {
		case p := <-seen:
			if p != res.LastPosition {
				t.Fatalf("subscription got position %d, want %d", p, res.LastPosition)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("append %d not delivered after the listener was killed", i)
		}
	}
}

// withParam adds a query parameter to a postgres:// DSN.
func withParam(dsn, kv string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&" + kv
	}
	return dsn + "?" + kv
}

// TestSchemaFromDSN: the DSN's schema parameter names the schema, so that one flag can say where
// the log is; it must agree with Options.Schema.
func TestSchemaFromDSN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	schema := newSchema(t)
	s, err := postgres.Open(ctx, withParam(testDSN(), "schema="+schema), postgres.Options{MaxConns: 2}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Append(ctx, "x", eventstore.NoStream, event("x")); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{schema, "events"}.Sanitize()).Scan(&n); err != nil || n != 1 {
		t.Fatalf("events in schema %s: %d, %v; want 1", schema, n, err)
	}
	_, err = postgres.Open(ctx, withParam(testDSN(), "schema="+schema), postgres.Options{Schema: "other"}, testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "other") {
		t.Fatalf("Open with two different schemas: %v, want an error naming both", err)
	}
}
