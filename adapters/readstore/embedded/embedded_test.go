package embedded_test

import (
	"context"
	"database/sql"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/embedded"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

func open(tb testing.TB) *embedded.Store {
	tb.Helper()
	s, err := embedded.Open(filepath.Join(tb.TempDir(), "read.db"), readstoretest.Discard())
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	readstoretest.CloseAtEnd(tb, s)
	return s
}

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
	// Once the owner is reset, the series is free.
	if err := s.Reset(ctx, "levels.v1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, "other.v1", 1, b); err != nil {
		t.Errorf("commit after the owner's reset: %v", err)
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
	path := filepath.Join(t.TempDir(), "read.db")
	logger := readstoretest.Discard()
	s, err := embedded.Open(path, logger)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	if err := s.Commit(ctx, "levels.v1", 7, readstore.Batch{
		Samples: []readstore.Sample{{Sensor: "a", Dam: "d", Time: at, Value: 2, Quality: "odd-new-quality", Position: 7}},
		States:  []readstore.SensorState{{Sensor: "a", Dam: "d", Time: at, Value: 2, Quality: "good", Above: []string{}}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = embedded.Open(path, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if cp, err := s.Checkpoint(ctx, "levels.v1"); err != nil || cp != 7 {
		t.Errorf("checkpoint after reopening = %d, %v; want 7", cp, err)
	}
	pts, err := s.Series(ctx, readstore.SeriesQuery{Sensor: "a", From: at, To: at.Add(time.Minute)})
	if err != nil || len(pts) != 1 || pts[0].Quality != "odd-new-quality" {
		t.Errorf("series after reopening = %+v, %v", pts, err)
	}
	// The caches were reloaded: the sensor keeps its owner and number.
	if err := s.Commit(ctx, "levels.v1", 8, readstore.Batch{
		Samples: []readstore.Sample{{Sensor: "a", Dam: "d", Time: at.Add(time.Minute), Value: 3, Quality: "odd-new-quality", Position: 8}},
	}); err != nil {
		t.Errorf("commit after reopening: %v", err)
	}
}

// TestOtherLayoutIsDroppedNotMisread: a file written with another schema version is emptied, so
// every checkpoint reads 0 and the projections rebuild it from the log.
func TestOtherLayoutIsDroppedNotMisread(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "read.db")
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	s, err := embedded.Open(path, logger)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Commit(ctx, "levels.v1", 7, readstore.Batch{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path) // the driver embedded registers
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = embedded.Open(path, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if cp, err := s.Checkpoint(ctx, "levels.v1"); err != nil || cp != 0 {
		t.Errorf("checkpoint after a layout change = %d, %v; want 0", cp, err)
	}
	if !strings.Contains(logs.String(), "dropping every view") {
		t.Errorf("no warning logged: %q", logs.String())
	}
}

func TestOpenValidates(t *testing.T) {
	t.Parallel()
	if _, err := embedded.Open("", readstoretest.Discard()); err == nil {
		t.Error("Open accepted an empty path")
	}
	if _, err := embedded.Open(filepath.Join(t.TempDir(), "x.db"), nil); err == nil {
		t.Error("Open accepted a nil logger")
	}
	if _, err := embedded.Open(filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"), readstoretest.Discard()); err == nil {
		t.Error("Open accepted a path in a missing folder")
	}
}
