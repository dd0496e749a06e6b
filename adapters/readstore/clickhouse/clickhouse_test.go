package clickhouse_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/clickhouse"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

// These tests need a ClickHouse server: CI starts Debian's 18.16 on 127.0.0.1:9000
// (scripts/setup.d/clickhouse.sh); VIGIE_TEST_CLICKHOUSE points them at another (host:port or
// clickhouse://host:port). They fail, rather than skip, when it cannot be reached.
const defaultAddr = "127.0.0.1:9000"

func testDSN() string {
	if dsn := os.Getenv("VIGIE_TEST_CLICKHOUSE"); dsn != "" {
		return dsn
	}
	return defaultAddr
}

// chAddr is the server's host:port, for a connection of the test's own.
func chAddr() string {
	addr := strings.TrimPrefix(testDSN(), "clickhouse://")
	if i := strings.LastIndex(addr, "@"); i >= 0 {
		addr = addr[i+1:]
	}
	addr, _, _ = strings.Cut(addr, "/")
	return addr
}

func discard() *slog.Logger { return readstoretest.Discard() }

// newDatabase returns the name of a database of the test's own, dropped when the test ends.
func newDatabase(tb testing.TB) string {
	tb.Helper()
	return readstoretest.TempName(tb, "database", func(ctx context.Context, db string) error {
		conn, err := ch.Open(&ch.Options{Addr: []string{chAddr()}})
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Exec(ctx, `DROP DATABASE IF EXISTS `+db)
	})
}

// openIn opens a store in database db, closed when the test ends.
func openIn(tb testing.TB, db string, logger *slog.Logger) *clickhouse.Store {
	tb.Helper()
	s, err := clickhouse.Open(context.Background(), testDSN(), clickhouse.Options{Database: db, MaxConns: 4}, logger)
	if err != nil {
		tb.Fatalf("open the ClickHouse read store in database %s (run scripts/setup.d/clickhouse.sh, or set VIGIE_TEST_CLICKHOUSE to reach another server): %v", db, err)
	}
	readstoretest.CloseAtEnd(tb, s)
	return s
}

func open(tb testing.TB) *clickhouse.Store { return openIn(tb, newDatabase(tb), discard()) }

func TestConformance(t *testing.T) {
	t.Parallel()
	readstoretest.Run(t, func(t *testing.T) readstore.Store { return open(t) })
}

func TestOpenRefusesBadArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		dsn    string
		opts   clickhouse.Options
		logger *slog.Logger
		want   []string
	}{
		{"every mistake at once", "", clickhouse.Options{Database: "no-dashes", MaxConns: -1, MutationTimeout: -time.Second}, nil,
			[]string{"dsn is empty", "logger is nil", `Database "no-dashes"`, "MaxConns -1", "MutationTimeout -1s"}},
		{"not host:port", "localhost", clickhouse.Options{}, discard(), []string{"want host:port"}},
		{"http is refused", "http://127.0.0.1:8123", clickhouse.Options{}, discard(), []string{"only the native protocol"}},
		{"database from the dsn is checked", "clickhouse://127.0.0.1:9000/bad-name", clickhouse.Options{}, discard(), []string{`Database "bad-name"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := clickhouse.Open(context.Background(), tc.dsn, tc.opts, tc.logger)
			if err == nil {
				_ = s.Close()
				t.Fatal("Open succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestPasswordNeverInErrors: a DSN that cannot be parsed may hold a password; the error must not
// repeat it.
func TestPasswordNeverInErrors(t *testing.T) {
	t.Parallel()
	_, err := clickhouse.Open(context.Background(), "clickhouse://u:s3cret@127.0.0.1:notaport/db?x=%zz", clickhouse.Options{}, discard())
	if err == nil {
		t.Fatal("Open succeeded")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the password: %v", err)
	}
}

// TestReopenKeepsViews: the views are in the server, so a new Store on the same database reads
// them, and its checkpoints outrank the first one's.
func TestReopenKeepsViews(t *testing.T) {
	t.Parallel()
	db := newDatabase(t)
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	s := openIn(t, db, discard())
	b := readstore.Batch{
		Samples: []readstore.Sample{{Sensor: "mejean.level", Dam: "mejean", Time: at, Value: 2.5, Quality: "good", Position: 4}},
		States:  []readstore.SensorState{{Sensor: "mejean.level", Dam: "mejean", Time: at, Value: 2.5, Quality: "good", Above: []string{}, Position: 4}},
	}
	if err := s.Commit(ctx, "levels.v1", 4, b); err != nil {
		t.Fatal(err)
	}
	again := openIn(t, db, discard())
	if cp, err := again.Checkpoint(ctx, "levels.v1"); err != nil || cp != 4 {
		t.Errorf("checkpoint after reopening = %d, %v; want 4", cp, err)
	}
	if st, err := again.State(ctx, "mejean.level"); err != nil || st.Value != 2.5 {
		t.Errorf("state after reopening = %+v, %v", st, err)
	}
	// A checkpoint written by the reopened store outranks the first store's.
	if err := again.Commit(ctx, "levels.v1", 5, readstore.Batch{}); err != nil {
		t.Fatal(err)
	}
	if cp, err := s.Checkpoint(ctx, "levels.v1"); err != nil || cp != 5 {
		t.Errorf("checkpoint seen by the first store = %d, %v; want 5", cp, err)
	}
}

// TestResetWaitsForItsDeletes: Reset returns once ClickHouse has applied its deletes, so that a
// query right after it sees none of the projection's rows.
func TestResetWaitsForItsDeletes(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	for round := range 3 {
		var b readstore.Batch
		for i := range 500 {
			b.Samples = append(b.Samples, readstore.Sample{Sensor: "s", Time: at.Add(time.Duration(i) * time.Minute), Value: float64(i), Quality: "good", Position: 1})
		}
		if err := s.Commit(ctx, "p.v1", 1, b); err != nil {
			t.Fatal(err)
		}
		if err := s.Reset(ctx, "p.v1"); err != nil {
			t.Fatal(err)
		}
		for _, step := range []time.Duration{0, time.Hour} {
			pts, err := s.Series(ctx, readstore.SeriesQuery{Sensor: "s", From: at, To: at.Add(24 * time.Hour), Step: step})
			if err != nil || len(pts) != 0 {
				t.Fatalf("round %d, step %s: %d points after Reset (%v), want none", round, step, len(pts), err)
			}
		}
	}
	if _, err := s.State(ctx, "s"); !errors.Is(err, readstore.ErrNotFound) {
		t.Errorf("state after Reset: %v", err)
	}
}

// TestReplayAfterLostCheckpoint: ClickHouse has no transaction, so a crash may leave a batch's
// rows without its checkpoint. The runner then commits the batch again; being keyed, the rows
// written twice must read as once (a reading rolled up once, one history entry, one view).
func TestReplayAfterLostCheckpoint(t *testing.T) {
	t.Parallel()
	db := newDatabase(t)
	s := openIn(t, db, discard())
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	var b readstore.Batch
	for i := range 300 {
		b.Samples = append(b.Samples, readstore.Sample{Sensor: "s", Dam: "d", Time: at.Add(time.Duration(i) * 17 * time.Second), Value: float64(i % 13), Quality: "good", Position: 7, Index: i})
	}
	b.States = []readstore.SensorState{{Sensor: "s", Dam: "d", Time: at.Add(time.Hour), Value: 3, Quality: "good", Above: []string{}, Position: 7}}
	b.Timeline = []readstore.TimelineEntry{{Position: 7, Stream: "sensor-s", Type: "sensor.readings_recorded", Time: at, Summary: "x"}}
	b.Alarms = readstore.AlarmBatch{
		Views:       []readstore.AlarmView{{ID: "d~c~1", Dam: "d", State: "unack_active", RaisedAt: at, Position: 7, Sources: []string{}, Comments: []readstore.AlarmCommentView{}}},
		History:     []readstore.AlarmHistoryEntry{{AlarmID: "d~c~1", Position: 7, Type: "alarm.raised", Data: []byte(`{}`)}},
		Activations: []readstore.AlarmActivation{{AlarmID: "d~c~1", Position: 7, Dam: "d", At: at}},
	}
	if err := s.Commit(ctx, "p.v1", 7, b); err != nil {
		t.Fatal(err)
	}
	snap := func() string {
		t.Helper()
		pts, err := s.Series(ctx, readstore.SeriesQuery{Sensor: "s", From: at, To: at.Add(24 * time.Hour), Step: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		tl, err := s.Timeline(ctx, readstore.TimelineQuery{})
		if err != nil {
			t.Fatal(err)
		}
		h, err := s.AlarmHistory(ctx, "d~c~1")
		if err != nil {
			t.Fatal(err)
		}
		acts, err := s.AlarmActivations(ctx, readstore.ActivationQuery{From: at, To: at.Add(time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		alarms, err := s.Alarms(ctx, readstore.AlarmQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v\n%+v\n%+v\n%+v\n%+v", pts, tl, h, acts, alarms)
	}
	once := snap()
	// The crash: the checkpoint write is lost. A newer checkpoint row saying 6 stands for it.
	conn, err := ch.Open(&ch.Options{Addr: []string{chAddr()}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	batch, err := conn.PrepareBatch(ctx, `INSERT INTO `+db+`.projections (name, position, ver)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.Append("p.v1", uint64(6), uint64(math.MaxUint64)/2); err != nil {
		t.Fatal(err)
	}
	if err := batch.Send(); err != nil {
		t.Fatal(err)
	}
	if cp, err := s.Checkpoint(ctx, "p.v1"); err != nil || cp != 6 {
		t.Fatalf("checkpoint after the simulated crash = %d, %v; want 6", cp, err)
	}
	reopened := openIn(t, db, discard()) // the restarted process
	if err := reopened.Commit(ctx, "p.v1", 7, b); err != nil {
		t.Fatal(err)
	}
	if cp, err := reopened.Checkpoint(ctx, "p.v1"); err != nil || cp != 7 {
		t.Errorf("checkpoint after the replay = %d, %v; want 7", cp, err)
	}
	if got := snap(); got != once {
		t.Errorf("the replayed batch changed the views:\n got %s\nwant %s", got, once)
	}
}

// TestOtherLayoutIsDroppedNotMisread: a database written with another layout version is emptied,
// so that the projections rebuild it, rather than read with the wrong columns.
func TestOtherLayoutIsDroppedNotMisread(t *testing.T) {
	t.Parallel()
	db := newDatabase(t)
	ctx := context.Background()
	s := openIn(t, db, discard())
	if err := s.Commit(ctx, "levels.v1", 9, readstore.Batch{}); err != nil {
		t.Fatal(err)
	}
	conn, err := ch.Open(&ch.Options{Addr: []string{chAddr()}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	batch, err := conn.PrepareBatch(ctx, `INSERT INTO `+db+`.views_layout (version)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.Append(uint32(99)); err != nil {
		t.Fatal(err)
	}
	if err := batch.Send(); err != nil {
		t.Fatal(err)
	}
	again := openIn(t, db, discard())
	if cp, err := again.Checkpoint(ctx, "levels.v1"); err != nil || cp != 0 {
		t.Errorf("checkpoint after a layout change = %d, %v; want 0", cp, err)
	}
	// And the layout is ours again: a third Open keeps what the second wrote.
	if err := again.Commit(ctx, "levels.v1", 3, readstore.Batch{}); err != nil {
		t.Fatal(err)
	}
	if cp, err := openIn(t, db, discard()).Checkpoint(ctx, "levels.v1"); err != nil || cp != 3 {
		t.Errorf("checkpoint after reopening the new layout = %d, %v; want 3", cp, err)
	}
}
