package embedded_test

import (
	"context"
	"database/sql"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
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

// TestChunkAppendsKeepEveryByte: readings of one hour committed one by one are appended to their
// chunk by SQL concatenation; values whose bits hold NUL bytes and invalid UTF-8 come back
// exact, and a late reading and a duplicate merged into the chunk afterwards keep it in order.
func TestChunkAppendsKeepEveryByte(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	bits := []uint64{0, 0x00ff80c000000001, 0xc0800000000000ff, 0x3ff0000000000000, 0x7fefffffffffffff, 0x00000000ffffff00}
	var want []readstore.Point
	pos := uint64(0)
	for i := 0; i < 60; i += 2 { // every other minute: room for late readings
		v := math.Float64frombits(bits[i%len(bits)])
		pos++
		if err := s.Commit(ctx, "levels.v1", pos, readstore.Batch{Samples: []readstore.Sample{{
			Sensor: "a", Dam: "d", Time: at.Add(time.Duration(i) * time.Minute), Value: v, Quality: "good",
			RecordedAt: at.Add(time.Duration(i)*time.Minute + time.Second), Position: pos,
		}}}); err != nil {
			t.Fatal(err)
		}
		want = append(want, readstore.RawPoint(at.Add(time.Duration(i)*time.Minute), v, "good", false))
	}
	late := readstore.Sample{Sensor: "a", Dam: "d", Time: at.Add(31 * time.Minute), Value: 7, Quality: "suspect", Late: true, Position: pos + 1}
	dup := readstore.Sample{Sensor: "a", Dam: "d", Time: at.Add(30 * time.Minute), Value: 99, Quality: "good", Position: pos + 1, Index: 1}
	if err := s.Commit(ctx, "levels.v1", pos+1, readstore.Batch{Samples: []readstore.Sample{late, dup}}); err != nil {
		t.Fatal(err)
	}
	want = append(want[:16], append([]readstore.Point{readstore.RawPoint(late.Time, 7, "suspect", false)}, want[16:]...)...)
	got, err := s.Series(ctx, readstore.SeriesQuery{Sensor: "a", From: at, To: at.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := readstoretest.DiffPoints(got, want); diff != "" {
		t.Errorf("raw series after appends and a merge: %s", diff)
	}
	for i := range got {
		if math.Float64bits(got[i].Last) != math.Float64bits(want[i].Last) {
			t.Errorf("point %d: value bits %x, want %x", i, math.Float64bits(got[i].Last), math.Float64bits(want[i].Last))
		}
	}
	recent, err := s.RecentSamples(ctx, "a", at.Add(time.Hour), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 3 || !recent[2].Time.Equal(at.Add(58*time.Minute)) || !recent[2].RecordedAt.Equal(at.Add(58*time.Minute+time.Second)) {
		t.Errorf("recent samples = %+v, want the three newest, the last at 03:58 recorded at 03:58:01", recent)
	}
}

// TestSegmentsOfAFastGauge: a gauge reporting every second fills many segments an hour. Batches
// that cross segment boundaries, then late readings landing in the first, a middle and the last
// segment (every other second was left out), and duplicates, must leave the series equal to the
// model's, raw and bucketed, and RecentSamples right.
func TestSegmentsOfAFastGauge(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	reading := func(sec int, pos uint64, k int) readstore.Sample {
		return readstore.Sample{Sensor: "fast", Dam: "d", Time: at.Add(time.Duration(sec) * time.Second), Value: float64(sec%97) / 10,
			Quality: "good", RecordedAt: at.Add(time.Duration(sec+1) * time.Second), Position: pos, Index: k}
	}
	var all []readstore.Sample
	pos := uint64(0)
	commitAll := func(b []readstore.Sample, fresh func(readstore.Sample) bool) {
		t.Helper()
		pos++
		for k := range b {
			b[k].Position, b[k].Index = pos, k
			if fresh(b[k]) {
				all = append(all, b[k])
			}
		}
		if err := s.Commit(ctx, "levels.v1", pos, readstore.Batch{Samples: b}); err != nil {
			t.Fatal(err)
		}
	}
	yes := func(readstore.Sample) bool { return true }
	// 1,000 even seconds (two hours' chunks, ~8 segments each), in batches of 37.
	for first := 0; first < 2000; first += 74 {
		var b []readstore.Sample
		for sec := first; sec < min(first+74, 2000); sec += 2 {
			b = append(b, reading(sec, 0, 0))
		}
		commitAll(b, yes)
	}
	// Late odd seconds in the first, a middle and the last segment of the first hour, and in the
	// last segment of the series; then the same again, which must change nothing.
	late := []int{1, 3, 5, 63, 301, 1501, 3597, 3599, 1999}
	var b []readstore.Sample
	for _, sec := range late {
		if sec < 2000 {
			b = append(b, reading(sec, 0, 0))
		}
	}
	commitAll(b, yes)
	dup := append([]readstore.Sample{}, b...)
	for k := range dup {
		dup[k].Value = 99 // a different value: the first write still wins
	}
	commitAll(dup, func(readstore.Sample) bool { return false })
	from, to := at, at.Add(2*time.Hour)
	for _, step := range []time.Duration{0, time.Minute, 10 * time.Minute, time.Hour} {
		got, err := s.Series(ctx, readstore.SeriesQuery{Sensor: "fast", From: from, To: to, Step: step})
		if err != nil {
			t.Fatal(err)
		}
		if d := readstoretest.DiffPoints(got, readstoretest.ModelSeries(all, "fast", from, to, step)); d != "" {
			t.Errorf("step %s: %s", step, d)
		}
	}
	recent, err := s.RecentSamples(ctx, "fast", at.Add(1999*time.Second), 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, x := range recent {
		got = append(got, int(x.Time.Sub(at)/time.Second))
	}
	if want := []int{1996, 1998, 1999}; !slices.Equal(got, want) {
		t.Errorf("recent samples at seconds %v, want %v", got, want)
	}
}
