package postgres_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/postgres"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
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

// newSchema returns the name of a schema of the test's own, dropped when the test ends.
func newSchema(tb testing.TB) string {
	tb.Helper()
	return readstoretest.TempName(tb, "schema", func(ctx context.Context, schema string) error {
		conn, err := pgx.Connect(ctx, testDSN())
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
		return err
	})
}

func discard() *slog.Logger { return readstoretest.Discard() }

// openIn opens a store in schema, closed when the test ends.
func openIn(tb testing.TB, schema string, logger *slog.Logger) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), testDSN(), postgres.Options{Schema: schema, MaxConns: 4}, logger)
	if err != nil {
		tb.Fatalf("open read store in schema %s (set VIGIE_TEST_POSTGRES to reach another server): %v", schema, err)
	}
	readstoretest.CloseAtEnd(tb, s)
	return s
}

func open(tb testing.TB) *postgres.Store { return openIn(tb, newSchema(tb), discard()) }

func TestConformance(t *testing.T) {
	t.Parallel()
	readstoretest.Run(t, func(t *testing.T) readstore.Store { return open(t) })
}

// TestSeriesBelongToOneProjection: a second projection writing a sensor's series would count its
// readings twice in the roll-ups and lose them on the other's Reset; it is refused instead.
func TestSeriesBelongToOneProjection(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	b := readstore.Batch{Samples: []readstore.Sample{{Sensor: "mejean.level", Dam: "mejean", Time: at, Value: 1, Quality: "good", Position: 1}}}
	if err := s.Commit(ctx, "levels.v1", 1, b); err != nil {
		t.Fatal(err)
	}
	err := s.Commit(ctx, "other.v1", 1, b)
	if err == nil || !strings.Contains(err.Error(), "belongs to projection levels.v1") {
		t.Fatalf("second owner's commit = %v, want a refusal naming levels.v1", err)
	}
	if cp, err := s.Checkpoint(ctx, "other.v1"); err != nil || cp != 0 {
		t.Errorf("refused commit moved the checkpoint to %d (%v)", cp, err)
	}
	if err := s.Reset(ctx, "levels.v1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, "other.v1", 1, b); err != nil {
		t.Errorf("commit after the owner's reset: %v", err)
	}
}

// TestSensorMovesToItsNewDam: the dam a batch gives a known sensor replaces the stored one.
func TestSensorMovesToItsNewDam(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	for i, dam := range []string{"old", "new"} {
		b := readstore.Batch{Samples: []readstore.Sample{{Sensor: "a", Dam: dam, Time: at.Add(time.Duration(i) * time.Minute), Value: 1, Quality: "good", Position: uint64(i + 1)}}}
		if err := s.Commit(ctx, "p.v1", uint64(i+1), b); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.RecentSamples(ctx, "a", at.Add(time.Hour), 5)
	if err != nil || len(got) != 2 || got[0].Dam != "new" {
		t.Fatalf("recent samples %+v, %v; want two, of dam new", got, err)
	}
}

func TestCommitRefusesWhatItCannotStore(t *testing.T) {
	t.Parallel()
	s := open(t)
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		b    readstore.Batch
		want string
	}{
		{"NaN value", readstore.Batch{Samples: []readstore.Sample{{Sensor: "a", Time: at, Value: math.NaN()}}}, "not finite"},
		{"no sensor", readstore.Batch{Samples: []readstore.Sample{{Time: at}}}, "sensor is empty"},
		{"zero time", readstore.Batch{Samples: []readstore.Sample{{Sensor: "a"}}}, "outside 1678..2262"},
		{"year 3000", readstore.Batch{Samples: []readstore.Sample{{Sensor: "a", Time: at.AddDate(975, 0, 0)}}}, "outside 1678..2262"},
		{"infinite trend", readstore.Batch{States: []readstore.SensorState{{Sensor: "a", Time: at, Trend: math.Inf(1)}}}, "must be finite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Commit(context.Background(), "p.v1", 1, tc.b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Commit = %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := s.Series(context.Background(), readstore.SeriesQuery{Sensor: "a", From: at, To: at.Add(time.Hour), Step: -time.Second}); err == nil {
		t.Error("Series accepted a negative step")
	}
	if err := s.Commit(context.Background(), "", 1, readstore.Batch{}); err == nil {
		t.Error("Commit accepted an empty projection name")
	}
}

// TestReopenKeepsViews: the views and checkpoints survive a restart of the process.
func TestReopenKeepsViews(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := openIn(t, schema, discard())
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	if err := s.Commit(ctx, "levels.v1", 7, readstore.Batch{
		Samples: []readstore.Sample{{Sensor: "a", Dam: "d", Time: at, Value: 2, Quality: "odd-new-quality", Position: 7}},
		States:  []readstore.SensorState{{Sensor: "a", Dam: "d", Time: at, Value: 2, Quality: "good", Above: []string{`quo"te`, `back\slash`, "com,ma", "{brace}"}}},
	}); err != nil {
		t.Fatal(err)
	}
	s = openIn(t, schema, discard())
	if cp, err := s.Checkpoint(ctx, "levels.v1"); err != nil || cp != 7 {
		t.Errorf("checkpoint after reopening = %d, %v; want 7", cp, err)
	}
	pts, err := s.Series(ctx, readstore.SeriesQuery{Sensor: "a", From: at, To: at.Add(time.Minute)})
	if err != nil || len(pts) != 1 || pts[0].Quality != "odd-new-quality" {
		t.Errorf("series after reopening = %+v, %v", pts, err)
	}
	st, err := s.State(ctx, "a")
	if err != nil || strings.Join(st.Above, "|") != `quo"te|back\slash|com,ma|{brace}` {
		t.Errorf("state after reopening = %+v, %v", st, err)
	}
	if err := s.Commit(ctx, "levels.v1", 8, readstore.Batch{
		Samples: []readstore.Sample{{Sensor: "a", Dam: "d", Time: at.Add(time.Minute), Value: 3, Quality: "odd-new-quality", Position: 8}},
	}); err != nil {
		t.Errorf("commit after reopening: %v", err)
	}
}

// TestOtherLayoutIsDroppedNotMisread: a schema written with another layout version is emptied, so
// every checkpoint reads 0 and the projections rebuild it from the log.
func TestOtherLayoutIsDroppedNotMisread(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := openIn(t, schema, discard())
	ctx := context.Background()
	if err := s.Commit(ctx, "levels.v1", 7, readstore.Batch{}); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE `+pgx.Identifier{schema, "views_layout"}.Sanitize()+` SET version = 99`); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	s = openIn(t, schema, slog.New(slog.NewTextHandler(&logs, nil)))
	if cp, err := s.Checkpoint(ctx, "levels.v1"); err != nil || cp != 0 {
		t.Errorf("checkpoint after a layout change = %d, %v; want 0", cp, err)
	}
	if !strings.Contains(logs.String(), "dropping every view") {
		t.Errorf("no warning logged: %q", logs.String())
	}
}

// TestTwoProcessesCommitOneProjection: two stores (two processes) committing the same batches of
// one projection, as during a rolling restart, end with the views of one: the projection's row
// lock serialises them and the second finds the checkpoint already moved.
func TestTwoProcessesCommitOneProjection(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	a, b := openIn(t, schema, discard()), openIn(t, schema, discard())
	ctx := context.Background()
	t0 := time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)
	var all []readstore.Sample
	batches := make([]readstore.Batch, 20)
	for i := range batches {
		for k := range 30 {
			x := readstore.Sample{Sensor: "s", Dam: "d", Time: t0.Add(time.Duration(i*30+k) * time.Minute), Value: float64(k), Quality: "good", Position: uint64(i + 1), Index: k}
			batches[i].Samples = append(batches[i].Samples, x)
			all = append(all, x)
		}
	}
	errs := make(chan error, 2)
	for _, s := range []*postgres.Store{a, b} {
		go func() {
			for i, batch := range batches {
				if err := s.Commit(ctx, "levels.v1", uint64(i+1), batch); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	from, to := t0, t0.Add(24*time.Hour)
	for _, step := range []time.Duration{time.Minute, time.Hour, 24 * time.Hour} {
		got, err := a.Series(ctx, readstore.SeriesQuery{Sensor: "s", From: from, To: to, Step: step})
		if err != nil {
			t.Fatal(err)
		}
		if d := readstoretest.DiffPoints(got, readstoretest.ModelSeries(all, "s", from, to, step)); d != "" {
			t.Errorf("step %s: %s", step, d)
		}
	}
}

func TestOpenValidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, err := postgres.Open(ctx, "", postgres.Options{}, discard()); err == nil {
		t.Error("Open accepted an empty DSN")
	}
	if _, err := postgres.Open(ctx, testDSN(), postgres.Options{}, nil); err == nil {
		t.Error("Open accepted a nil logger")
	}
	if _, err := postgres.Open(ctx, testDSN(), postgres.Options{Schema: strings.Repeat("x", 64)}, discard()); err == nil {
		t.Error("Open accepted a schema name longer than PostgreSQL keeps")
	}
	_, err := postgres.Open(ctx, "postgres://u:secret@[::1", postgres.Options{}, discard())
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open of a bad DSN = %v, want an error without the password", err)
	}
	if err := (postgres.Options{MaxConns: -1, Schema: "a\x00"}).Validate(); err == nil || !strings.Contains(err.Error(), "MaxConns") || !strings.Contains(err.Error(), "Schema") {
		t.Errorf("Validate = %v, want both mistakes", err)
	}
}

// TestClosedStoreFails: queries after Close return an error, not a hang.
func TestClosedStoreFails(t *testing.T) {
	t.Parallel()
	s, err := postgres.Open(context.Background(), testDSN(), postgres.Options{Schema: newSchema(t), MaxConns: 2}, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Checkpoint(context.Background(), "p"); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("Checkpoint after Close = %v, want an error", err)
	}
}

// TestSchemaFromDSN: the DSN's schema parameter names the schema; it must agree with
// Options.Schema.
func TestSchemaFromDSN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	schema := newSchema(t)
	dsn := testDSN() + "?schema=" + schema
	if strings.Contains(testDSN(), "?") {
		dsn = testDSN() + "&schema=" + schema
	}
	s, err := postgres.Open(ctx, dsn, postgres.Options{MaxConns: 2}, discard())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Commit(ctx, "p.v1", 3, readstore.Batch{}); err != nil {
		t.Fatal(err)
	}
	// The same schema opened by name sees the checkpoint.
	if cp, err := openIn(t, schema, discard()).Checkpoint(ctx, "p.v1"); err != nil || cp != 3 {
		t.Fatalf("checkpoint through Options.Schema = %d, %v; want 3", cp, err)
	}
	if _, err := postgres.Open(ctx, dsn, postgres.Options{Schema: "other"}, discard()); err == nil || !strings.Contains(err.Error(), "other") {
		t.Fatalf("Open with two different schemas: %v, want an error naming both", err)
	}
}
