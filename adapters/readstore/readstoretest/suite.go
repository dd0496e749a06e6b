// Package readstoretest is the conformance suite of the read-store port: every adapter (embedded,
// PostgreSQL, ClickHouse) runs Run from its own tests, so they all answer the API alike.
package readstoretest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// Run checks a read store against the port's contract, the alarm views (readstore.AlarmViews,
// which every store must implement) included. open returns an empty store; it is called once per
// subtest and registers its own cleanup with t.
func Run(t *testing.T, open func(t *testing.T) readstore.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s readstore.Store)
	}{
		{"CheckpointStartsAtZero", checkpointStartsAtZero},
		{"CommitMovesCheckpoint", commitMovesCheckpoint},
		{"BatchAtOldPositionIsNoOp", batchAtOldPositionIsNoOp},
		{"BatchWrittenTwiceEqualsOnce", batchWrittenTwiceEqualsOnce},
		{"SameRowsAtNewPositionCountOnce", sameRowsAtNewPositionCountOnce},
		{"LateSamplesLandInTimeOrder", lateSamplesLandInTimeOrder},
		{"PartlyStoredBatchRollsUpTheNewOnes", partlyStoredBatch},
		{"BatchesOfLateReadingsInterleaved", batchesOfLateReadingsInterleaved},
		{"ImplausibleExcludedButCounted", implausibleExcludedButCounted},
		{"StateUpsertKeepsNewestTime", stateUpsertKeepsNewestTime},
		{"StateRoundTrips", stateRoundTrips},
		{"SeriesMatchesModelAtEveryLevel", seriesMatchesModelAtEveryLevel},
		{"SeriesBoundsAreFromInclusiveToExclusive", seriesBounds},
		{"SeriesStepIsRoundedToWholeRollups", seriesStepRounded},
		{"RecentSamples", recentSamples},
		{"TimelineFilters", timelineFilters},
		{"ResetDropsOneProjection", resetDropsOneProjection},
		{"ResetOfTheOnlyProjection", resetOfTheOnlyProjection},
		{"UnknownSensor", unknownSensor},
		{"ConcurrentCommitsAndQueries", concurrentCommitsAndQueries},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
	for _, tc := range alarmTests { // alarms.go
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			tc.run(t, s, alarmViews(t, s))
		})
	}
}

// t0 is a Monday at 00:00 UTC, so day, hour and minute buckets all start on it.
var t0 = time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)

func ctxFor(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func sample(sensor string, at time.Time, v float64, q string, pos uint64, idx int) readstore.Sample {
	return readstore.Sample{
		Sensor: sensor, Dam: "dam-" + sensor, Time: at, Value: v, Quality: q,
		RecordedAt: at.Add(5 * time.Second), Position: pos, Index: idx,
	}
}

func commit(t *testing.T, s readstore.Store, proj string, pos uint64, b readstore.Batch) {
	t.Helper()
	if err := s.Commit(ctxFor(t), proj, pos, b); err != nil {
		t.Fatalf("Commit(%s, %d): %v", proj, pos, err)
	}
}

func checkpoint(t *testing.T, s readstore.Store, proj string) uint64 {
	t.Helper()
	cp, err := s.Checkpoint(ctxFor(t), proj)
	if err != nil {
		t.Fatalf("Checkpoint(%s): %v", proj, err)
	}
	return cp
}

func series(t *testing.T, s readstore.Store, q readstore.SeriesQuery) []readstore.Point {
	t.Helper()
	pts, err := s.Series(ctxFor(t), q)
	if err != nil {
		t.Fatalf("Series(%+v): %v", q, err)
	}
	return pts
}

func checkpointStartsAtZero(t *testing.T, s readstore.Store) {
	if got := checkpoint(t, s, "levels.v1"); got != 0 {
		t.Errorf("Checkpoint of a new projection = %d, want 0", got)
	}
}

func commitMovesCheckpoint(t *testing.T, s readstore.Store) {
	commit(t, s, "a.v1", 5, readstore.Batch{})
	if got := checkpoint(t, s, "a.v1"); got != 5 {
		t.Errorf("after an empty batch at 5: checkpoint = %d, want 5", got)
	}
	commit(t, s, "a.v1", 9, readstore.Batch{Samples: []readstore.Sample{sample("s1", t0, 1, "good", 9, 0)}})
	if got := checkpoint(t, s, "a.v1"); got != 9 {
		t.Errorf("after a batch at 9: checkpoint = %d, want 9", got)
	}
	if got := checkpoint(t, s, "b.v1"); got != 0 {
		t.Errorf("another projection's checkpoint = %d, want 0", got)
	}
}

func batchAtOldPositionIsNoOp(t *testing.T, s readstore.Store) {
	first := readstore.Batch{
		Samples:  []readstore.Sample{sample("s1", t0, 1, "good", 5, 0)},
		States:   []readstore.SensorState{state("s1", t0, 1, 5)},
		Timeline: []readstore.TimelineEntry{entry(5, "x.happened", "d1", t0)},
	}
	commit(t, s, "p.v1", 5, first)
	want := snapshot(t, s, "s1")
	// What a crashed runner would send again, and a stale batch with other content: neither may
	// change anything, whatever it holds.
	other := readstore.Batch{
		Samples:  []readstore.Sample{sample("s1", t0.Add(time.Minute), 2, "good", 4, 0)},
		States:   []readstore.SensorState{state("s1", t0.Add(time.Hour), 2, 4)},
		Timeline: []readstore.TimelineEntry{entry(4, "x.happened", "d1", t0)},
	}
	for _, pos := range []uint64{5, 4, 1} {
		commit(t, s, "p.v1", pos, other)
		if got := snapshot(t, s, "s1"); got != want {
			t.Errorf("batch at old position %d changed the store:\n got %s\nwant %s", pos, got, want)
		}
		if got := checkpoint(t, s, "p.v1"); got != 5 {
			t.Errorf("batch at old position %d: checkpoint = %d, want 5", pos, got)
		}
	}
}

// stormBatch is a varied batch: two sensors, in and out of order, one implausible reading, states
// and timeline entries.
func stormBatch(pos uint64) readstore.Batch {
	var b readstore.Batch
	for i := range 150 {
		q := "good"
		v := 1 + float64(i)*0.01
		if i == 70 {
			q, v = "implausible", 99
		}
		at := t0.Add(time.Duration(149-i) * 37 * time.Second) // newest first
		b.Samples = append(b.Samples, sample("s1", at, v, q, pos, i), sample("s2", at, -v, "suspect", pos, i+150))
	}
	b.States = []readstore.SensorState{state("s1", t0.Add(time.Hour), 2.4, pos), state("s2", t0.Add(time.Hour), -2.4, pos)}
	b.Timeline = []readstore.TimelineEntry{entry(pos, "sensor.readings_recorded", "dam-s1", t0), entry(pos, "sensor.threshold_crossed", "dam-s2", t0)}
	return b
}

func batchWrittenTwiceEqualsOnce(t *testing.T, s readstore.Store) {
	commit(t, s, "p.v1", 7, stormBatch(7))
	once := snapshot(t, s, "s1", "s2")
	commit(t, s, "p.v1", 7, stormBatch(7))
	if got := snapshot(t, s, "s1", "s2"); got != once {
		t.Errorf("a batch written twice differs from once:\n got %s\nwant %s", got, once)
	}
}

// sameRowsAtNewPositionCountOnce: readings are keyed by (sensor, time), so rows that reach the
// store again under a later checkpoint (a projection version that re-emits, an engine without
// transactions replaying) are neither stored nor rolled up twice; the first write keeps its
// position.
func sameRowsAtNewPositionCountOnce(t *testing.T, s readstore.Store) {
	commit(t, s, "p.v1", 7, stormBatch(7))
	once := snapshot(t, s, "s1", "s2")
	b := stormBatch(7)
	b.States, b.Timeline = nil, nil
	commit(t, s, "p.v1", 8, b)
	if got := snapshot(t, s, "s1", "s2"); got != once {
		t.Errorf("rows written again at a new position changed the views:\n got %s\nwant %s", got, once)
	}
}

func lateSamplesLandInTimeOrder(t *testing.T, s readstore.Store) {
	var all []readstore.Sample
	var onTime, late []readstore.Sample
	for i := range 120 {
		x := sample("s1", t0.Add(time.Duration(i)*time.Minute), float64(i%17), "good", 0, i)
		if i%5 == 3 {
			x.Position, x.Late = 2, true
			late = append(late, x)
		} else {
			x.Position = 1
			onTime = append(onTime, x)
		}
		all = append(all, x)
	}
	// Late readings arrive newest first: the store must order them by sensor time.
	for i, j := 0, len(late)-1; i < j; i, j = i+1, j-1 {
		late[i], late[j] = late[j], late[i]
	}
	commit(t, s, "p.v1", 1, readstore.Batch{Samples: onTime})
	commit(t, s, "p.v1", 2, readstore.Batch{Samples: late})
	from, to := t0, t0.Add(3*time.Hour)
	raw := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: from, To: to})
	if len(raw) != len(all) {
		t.Fatalf("raw series has %d points, want %d", len(raw), len(all))
	}
	for i, p := range raw {
		if !p.Time.Equal(all[i].Time) || p.Last != all[i].Value {
			t.Fatalf("raw point %d = %v %g, want %v %g (time order)", i, p.Time, p.Last, all[i].Time, all[i].Value)
		}
	}
	for _, step := range []time.Duration{time.Minute, 10 * time.Minute, time.Hour, 24 * time.Hour} {
		got := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: from, To: to, Step: step})
		want := ModelSeries(all, "s1", from, to, step)
		if d := diffPoints(got, want); d != "" {
			t.Errorf("step %s after late readings: %s", step, d)
		}
	}
}

// batchesOfLateReadingsInterleaved: many batches over three sensors, each a random mix of new
// readings, late ones (some in batches holding nothing newer) and duplicates, with times on and
// off whole seconds; the series at every level and the recent samples must match the model after
// each few batches. A store that tracks the newest stored time of a series must not let a batch
// of late readings move it back (the next batch's readings, older than what is stored but newer
// than the late ones, would then be taken for new).
func batchesOfLateReadingsInterleaved(t *testing.T, s readstore.Store) {
	sensors := []string{"a", "b", "c"}
	var all []readstore.Sample
	seen := map[string]bool{}
	// A fixed pseudo-random sequence (a linear congruential generator): the same cases on every
	// adapter and run.
	state := uint64(12345)
	next := func(n int) int {
		state = state*6364136223846793005 + 1442695040888963407
		return int(state>>33) % n
	}
	const batches = 60
	for pos := uint64(1); pos <= batches; pos++ {
		var b readstore.Batch
		lateOnly := pos%4 == 0
		for k := range 1 + next(25) {
			sensor := sensors[next(len(sensors))]
			secs := int(pos)*120 + next(240) // mostly ahead of the previous batches
			if lateOnly || next(3) == 0 {
				secs = next(int(pos)*120 + 1) // anywhere before: late
			}
			at := t0.Add(time.Duration(secs)*time.Second + time.Duration(next(3))*time.Millisecond)
			q := []string{"good", "good", "suspect", "implausible"}[next(4)]
			x := sample(sensor, at, float64(next(1000))/100, q, pos, k)
			x.Late = secs < int(pos)*120
			b.Samples = append(b.Samples, x)
			key := sensor + at.String()
			if !seen[key] { // the first write of a (sensor, time) wins
				seen[key] = true
				all = append(all, x)
			}
		}
		commit(t, s, "p.v1", pos, b)
		if pos%15 != 0 {
			continue
		}
		from, to := t0.Add(-time.Hour), t0.Add(time.Duration(batches*120+400)*time.Second)
		for _, sensor := range sensors {
			for _, step := range []time.Duration{0, time.Minute, 10 * time.Minute, time.Hour, 24 * time.Hour} {
				got := series(t, s, readstore.SeriesQuery{Sensor: sensor, From: from, To: to, Step: step})
				if d := diffPoints(got, ModelSeries(all, sensor, from, to, step)); d != "" {
					t.Fatalf("after batch %d, %s at step %s: %s", pos, sensor, step, d)
				}
			}
			at := t0.Add(time.Duration(pos*60) * time.Second)
			got, err := s.RecentSamples(ctxFor(t), sensor, at, 7)
			if err != nil {
				t.Fatalf("RecentSamples(%s): %v", sensor, err)
			}
			var want []readstore.Sample
			for _, x := range all {
				if x.Sensor == sensor && !x.Time.After(at) && x.Quality != "implausible" {
					want = append(want, x)
				}
			}
			slices.SortFunc(want, func(a, b readstore.Sample) int { return a.Time.Compare(b.Time) })
			want = want[max(0, len(want)-7):]
			if len(got) != len(want) {
				t.Fatalf("after batch %d, RecentSamples(%s) gave %d samples, want %d", pos, sensor, len(got), len(want))
			}
			for i := range got {
				if !got[i].Time.Equal(want[i].Time) || got[i].Value != want[i].Value || got[i].Position != want[i].Position {
					t.Fatalf("after batch %d, RecentSamples(%s)[%d] = %v %g @%d, want %v %g @%d", pos, sensor, i,
						got[i].Time, got[i].Value, got[i].Position, want[i].Time, want[i].Value, want[i].Position)
				}
			}
		}
	}
}

// partlyStoredBatch: a batch mixing readings already stored (by an earlier batch) with new ones,
// some of them late, in the same buckets, with duplicates inside the batch too. The roll-ups,
// merged per bucket and batch, must count each reading once, the first write winning, and move a
// bucket's last value only to a newer reading.
func partlyStoredBatch(t *testing.T, s readstore.Store) {
	var first, second, all []readstore.Sample
	seen := map[time.Time]bool{}
	keep := func(x readstore.Sample) {
		if !seen[x.Time] {
			seen[x.Time] = true
			all = append(all, x)
		}
	}
	for i := range 200 {
		at := t0.Add(time.Duration(i) * 47 * time.Second)
		q := "good"
		if i%23 == 4 {
			q = "implausible"
		}
		x := sample("s1", at, float64(i%31)/3, q, 1, i)
		if i%3 == 0 {
			first = append(first, x)
			keep(x)
		}
	}
	for i := 199; i >= 0; i-- { // newest first: the store orders them
		at := t0.Add(time.Duration(i) * 47 * time.Second)
		x := sample("s1", at, 100+float64(i%7), "suspect", 2, 199-i) // another value: must not replace a stored one
		x.Late = i < 150
		second = append(second, x, x) // and twice in the batch
	}
	for _, x := range second {
		keep(x)
	}
	commit(t, s, "p.v1", 1, readstore.Batch{Samples: first})
	commit(t, s, "p.v1", 2, readstore.Batch{Samples: second})
	from, to := t0.Add(-time.Hour), t0.Add(4*time.Hour)
	for _, step := range []time.Duration{0, time.Minute, 7 * time.Minute, time.Hour, 3 * time.Hour, 24 * time.Hour} {
		got := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: from, To: to, Step: step})
		if d := diffPoints(got, ModelSeries(all, "s1", from, to, step)); d != "" {
			t.Errorf("step %s: %s", step, d)
		}
	}
}

func implausibleExcludedButCounted(t *testing.T, s readstore.Store) {
	at := func(m int) time.Time { return t0.Add(10*time.Hour + time.Duration(m)*time.Minute) }
	b := readstore.Batch{Samples: []readstore.Sample{
		sample("s1", at(0), 1, "good", 1, 0),
		sample("s1", at(1), 2, "suspect", 1, 1),
		sample("s1", at(2), 3, "good", 1, 2),
		sample("s1", at(3), 99, "implausible", 1, 3),  // last in time, yet not the bucket's last
		sample("s1", at(70), -5, "implausible", 1, 4), // alone in its hour
	}}
	commit(t, s, "p.v1", 1, b)
	got := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: t0, To: t0.Add(24 * time.Hour), Step: time.Hour})
	want := []readstore.Point{
		{Time: at(0), Min: 1, Max: 3, Avg: 2, Last: 3, Count: 3, Implausible: 1},
		{Time: at(60), Implausible: 1},
	}
	if d := diffPoints(got, want); d != "" {
		t.Errorf("hourly buckets with implausible readings: %s", d)
	}
	for _, step := range []time.Duration{time.Minute, 24 * time.Hour} {
		got := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: t0, To: t0.Add(24 * time.Hour), Step: step})
		if d := diffPoints(got, ModelSeries(b.Samples, "s1", t0, t0.Add(24*time.Hour), step)); d != "" {
			t.Errorf("step %s: %s", step, d)
		}
	}
	raw := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: at(3), To: at(4)})
	wantRaw := []readstore.Point{{Time: at(3), Min: 99, Max: 99, Avg: 99, Last: 99, Implausible: 1, Quality: "implausible"}}
	if d := diffPoints(raw, wantRaw); d != "" {
		t.Errorf("raw implausible point: %s", d)
	}
}

func state(sensor string, at time.Time, v float64, pos uint64) readstore.SensorState {
	return readstore.SensorState{
		Sensor: sensor, Dam: "dam-" + sensor, Time: at, Value: v, Quality: "good",
		RecordedAt: at.Add(3 * time.Second), Above: []string{}, Position: pos,
	}
}

func stateRoundTrips(t *testing.T, s readstore.Store) {
	tts := readstore.Duration(95*time.Minute + 7*time.Second + 11)
	full := readstore.SensorState{
		Sensor: "mejean.level", Dam: "mejean", Time: t0.Add(123456789), Value: 6.03, Quality: "suspect",
		RecordedAt: t0.Add(time.Minute + 1), Trend: 0.4125, TrendKnown: true, Volume: 18907.268, FillPct: 36.36, Spilling: true,
		TimeToSpill: &tts, Above: []string{"vigilance", "alerte"}, Position: 42,
	}
	bare := readstore.SensorState{Sensor: "a.level", Dam: "a", Time: t0, Quality: "good", Above: []string{}, Position: 3}
	commit(t, s, "p.v1", 42, readstore.Batch{States: []readstore.SensorState{full, bare}})
	got, err := s.State(ctxFor(t), "mejean.level")
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	if d := diffJSON(got, full); d != "" {
		t.Errorf("State: %s", d)
	}
	all, err := s.States(ctxFor(t))
	if err != nil {
		t.Fatalf("States: %v", err)
	}
	if d := diffJSON(all, []readstore.SensorState{bare, full}); d != "" {
		t.Errorf("States (by sensor name): %s", d)
	}
	if !got.Time.Equal(full.Time) || got.Time.Location() != time.UTC {
		t.Errorf("state time = %v, want %v in UTC", got.Time, full.Time)
	}
}

func stateUpsertKeepsNewestTime(t *testing.T, s readstore.Store) {
	steps := []struct {
		name  string
		state readstore.SensorState
		want  float64
	}{
		{"first", state("s1", t0.Add(10*time.Minute), 1, 1), 1},
		{"older time ignored", state("s1", t0.Add(5*time.Minute), 2, 2), 1},
		{"same time replaces", state("s1", t0.Add(10*time.Minute), 3, 3), 3},
		{"newer time replaces", state("s1", t0.Add(11*time.Minute), 4, 4), 4},
	}
	for i, st := range steps {
		commit(t, s, "p.v1", uint64(i+1), readstore.Batch{States: []readstore.SensorState{st.state}})
		got, err := s.State(ctxFor(t), "s1")
		if err != nil {
			t.Fatalf("%s: State: %v", st.name, err)
		}
		if got.Value != st.want {
			t.Errorf("%s: value = %g, want %g", st.name, got.Value, st.want)
		}
	}
	// Within one batch too, an older state does not win because it comes later.
	commit(t, s, "p.v1", 10, readstore.Batch{States: []readstore.SensorState{
		state("s2", t0.Add(time.Hour), 7, 10), state("s2", t0, 8, 10),
	}})
	if got, err := s.State(ctxFor(t), "s2"); err != nil || got.Value != 7 {
		t.Errorf("older state later in the batch: got %g, %v; want 7", got.Value, err)
	}
}

// seriesSamples spreads readings every 7 min 13 s over three days, every 17th implausible.
func seriesSamples(sensor string, pos uint64) []readstore.Sample {
	var out []readstore.Sample
	for i := 0; ; i++ {
		at := t0.Add(time.Duration(i) * (7*time.Minute + 13*time.Second))
		if at.After(t0.Add(72 * time.Hour)) {
			return out
		}
		q, v := "good", 3+math.Sin(float64(i)/9)
		if i%17 == 5 {
			q, v = "implausible", 50
		}
		out = append(out, sample(sensor, at, v, q, pos, i))
	}
}

func seriesMatchesModelAtEveryLevel(t *testing.T, s readstore.Store) {
	all := seriesSamples("s1", 1)
	// Committed in several batches, out of order, to exercise merging into stored roll-ups.
	for k := range 3 {
		var part []readstore.Sample
		for i := k; i < len(all); i += 3 {
			part = append(part, all[i])
		}
		commit(t, s, "p.v1", uint64(k+1), readstore.Batch{Samples: part})
	}
	ranges := []struct{ from, to time.Time }{
		{t0, t0.Add(72 * time.Hour)},
		{t0.Add(5*time.Hour + 37*time.Minute + 30*time.Second), t0.Add(53*time.Hour + 12*time.Minute + 7*time.Second)},
		{t0.Add(-48 * time.Hour), t0.Add(100 * time.Hour)},
		{t0.Add(23*time.Hour + 59*time.Minute + 59*time.Second), t0.Add(24*time.Hour + time.Second)},
	}
	steps := []time.Duration{
		30 * time.Second, time.Minute, 5 * time.Minute, 10 * time.Minute, time.Hour,
		6 * time.Hour, 24 * time.Hour, 48 * time.Hour,
	}
	for _, r := range ranges {
		for _, step := range steps {
			got := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: r.from, To: r.to, Step: step})
			if d := diffPoints(got, ModelSeries(all, "s1", r.from, r.to, step)); d != "" {
				t.Errorf("[%s, %s) step %s: %s", r.from.Format(time.RFC3339), r.to.Format(time.RFC3339), step, d)
			}
			if limit := int(r.to.Sub(r.from)/step) + 2; len(got) > limit {
				t.Errorf("[%s, %s) step %s: %d points, want at most %d", r.from, r.to, step, len(got), limit)
			}
		}
	}
}

func seriesBounds(t *testing.T, s readstore.Store) {
	var b readstore.Batch
	for i := range 5 {
		b.Samples = append(b.Samples, sample("s1", t0.Add(time.Duration(i)*time.Hour), float64(i), "good", 1, i))
	}
	commit(t, s, "p.v1", 1, b)
	from, to := t0.Add(time.Hour), t0.Add(3*time.Hour) // readings at 1 h and 2 h, not at 3 h
	for _, step := range []time.Duration{0, time.Minute, time.Hour, 24 * time.Hour} {
		pts := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: from, To: to, Step: step})
		n, sum := 0, 0.0
		for _, p := range pts {
			n += p.Count
			sum += p.Avg * float64(p.Count)
		}
		if n != 2 || sum != 3 {
			t.Errorf("step %s: %d readings summing to %g in [1h, 3h), want 2 summing to 3 (%+v)", step, n, sum, pts)
		}
	}
	if pts := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: to, To: from, Step: time.Hour}); len(pts) != 0 {
		t.Errorf("From after To: %d points, want none", len(pts))
	}
}

func seriesStepRounded(t *testing.T, s readstore.Store) {
	var b readstore.Batch
	for i := range 24 * 6 {
		b.Samples = append(b.Samples, sample("s1", t0.Add(time.Duration(i)*10*time.Minute), 1, "good", 1, i))
	}
	commit(t, s, "p.v1", 1, b)
	tests := []struct {
		step, want time.Duration
	}{
		{90 * time.Minute, 2 * time.Hour},    // over 1 h roll-ups
		{150 * time.Second, 3 * time.Minute}, // over 1 min roll-ups
		{36 * time.Hour, 48 * time.Hour},     // over 1 day roll-ups
		{20 * time.Second, 20 * time.Second},
	}
	for _, tc := range tests {
		pts := series(t, s, readstore.SeriesQuery{Sensor: "s1", From: t0, To: t0.Add(24 * time.Hour), Step: tc.step})
		for i := 1; i < len(pts); i++ {
			if gap := pts[i].Time.Sub(pts[i-1].Time); gap%tc.want != 0 {
				t.Errorf("step %s: points %s apart, want multiples of %s", tc.step, gap, tc.want)
				break
			}
		}
		if d := diffPoints(pts, ModelSeries(b.Samples, "s1", t0, t0.Add(24*time.Hour), tc.step)); d != "" {
			t.Errorf("step %s: %s", tc.step, d)
		}
	}
}

func recentSamples(t *testing.T, s readstore.Store) {
	var b readstore.Batch
	for i := range 10 {
		q := "good"
		if i == 7 {
			q = "implausible"
		}
		b.Samples = append(b.Samples, sample("s1", t0.Add(time.Duration(i)*time.Minute), float64(i), q, 1, i))
	}
	commit(t, s, "p.v1", 1, b)
	tests := []struct {
		name string
		at   time.Time
		n    int
		want []float64
	}{
		{"last three before 8 min, implausible skipped", t0.Add(8 * time.Minute), 3, []float64{5, 6, 8}},
		{"at or before, inclusive", t0.Add(2 * time.Minute), 5, []float64{0, 1, 2}},
		{"before every sample", t0.Add(-time.Minute), 5, []float64{}},
		{"n zero", t0.Add(time.Hour), 0, []float64{}},
	}
	for _, tc := range tests {
		got, err := s.RecentSamples(ctxFor(t), "s1", tc.at, tc.n)
		if err != nil {
			t.Fatalf("%s: RecentSamples: %v", tc.name, err)
		}
		vals := []float64{}
		for _, x := range got {
			vals = append(vals, x.Value)
		}
		if !reflect.DeepEqual(vals, tc.want) {
			t.Errorf("%s: values %v, want %v", tc.name, vals, tc.want)
		}
	}
	got, err := s.RecentSamples(ctxFor(t), "s1", t0.Add(time.Hour), 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("RecentSamples(1): %v, %v", got, err)
	}
	if d := diffJSON(got[0], b.Samples[9]); d != "" || got[0].Index != 9 {
		t.Errorf("RecentSamples round trip: %s (index %d, want 9)", d, got[0].Index)
	}
}

func entry(pos uint64, typ, dam string, at time.Time) readstore.TimelineEntry {
	return readstore.TimelineEntry{
		Position: pos, Stream: "sensor-" + dam, Type: typ, Dam: dam, Sensor: dam + ".level", Time: at,
		RecordedAt: at.Add(time.Second), Actor: "system:test", Summary: fmt.Sprintf("%s #%d", typ, pos),
		Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, pos)),
	}
}

func timelineFilters(t *testing.T, s readstore.Store) {
	var es []readstore.TimelineEntry
	types := []string{"sensor.readings_recorded", "sensor.threshold_crossed", "config.applied"}
	dams := []string{"mejean", "bassin-nord"}
	for i := range 30 {
		es = append(es, entry(uint64(i+1), types[i%3], dams[i%2], t0.Add(time.Duration(i)*time.Minute)))
	}
	es[29].Data, es[29].Dam, es[29].Actor = nil, "", "" // optional fields stay empty
	commit(t, s, "timeline.v1", 15, readstore.Batch{Timeline: es[:15]})
	commit(t, s, "timeline.v1", 30, readstore.Batch{Timeline: es[15:]})
	pick := func(keep func(e readstore.TimelineEntry) bool) []readstore.TimelineEntry {
		out := []readstore.TimelineEntry{}
		for _, e := range es {
			if keep(e) {
				out = append(out, e)
			}
		}
		return out
	}
	tests := []struct {
		name string
		q    readstore.TimelineQuery
		want []readstore.TimelineEntry
	}{
		{"all", readstore.TimelineQuery{}, es},
		{"dam", readstore.TimelineQuery{Dam: "mejean"}, pick(func(e readstore.TimelineEntry) bool { return e.Dam == "mejean" })},
		{"types", readstore.TimelineQuery{Types: types[1:]}, pick(func(e readstore.TimelineEntry) bool { return e.Type != types[0] })},
		{"from/to", readstore.TimelineQuery{From: t0.Add(10 * time.Minute), To: t0.Add(20 * time.Minute)}, es[10:20]},
		{"after", readstore.TimelineQuery{After: 25}, es[25:]},
		{"limit", readstore.TimelineQuery{Limit: 4}, es[:4]},
		{"after and limit: paging", readstore.TimelineQuery{After: 12, Limit: 3}, es[12:15]},
		{"combined", readstore.TimelineQuery{Dam: "bassin-nord", Types: []string{"config.applied"}, After: 3, Limit: 2},
			pick(func(e readstore.TimelineEntry) bool {
				return e.Dam == "bassin-nord" && e.Type == "config.applied" && e.Position > 3
			})[:2]},
		{"nothing", readstore.TimelineQuery{Dam: "nowhere"}, []readstore.TimelineEntry{}},
	}
	for _, tc := range tests {
		got, err := s.Timeline(ctxFor(t), tc.q)
		if err != nil {
			t.Fatalf("%s: Timeline: %v", tc.name, err)
		}
		if d := diffJSON(got, tc.want); d != "" {
			t.Errorf("%s: %s", tc.name, d)
		}
	}
}

func resetDropsOneProjection(t *testing.T, s readstore.Store) {
	a, b := stormBatch(3), stormBatch(4)
	for i := range b.Samples {
		b.Samples[i].Sensor = "other-" + b.Samples[i].Sensor
	}
	for i := range b.States {
		b.States[i].Sensor = "other-" + b.States[i].Sensor
	}
	commit(t, s, "b.v1", 4, b)
	keep := snapshot(t, s, "other-s1", "other-s2")
	commit(t, s, "a.v1", 3, a)
	if err := s.Reset(ctxFor(t), "a.v1"); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if got := checkpoint(t, s, "a.v1"); got != 0 {
		t.Errorf("checkpoint after Reset = %d, want 0", got)
	}
	for _, sensor := range []string{"s1", "s2"} {
		if _, err := s.State(ctxFor(t), sensor); !errors.Is(err, readstore.ErrNotFound) {
			t.Errorf("state of %s after Reset: err = %v, want ErrNotFound", sensor, err)
		}
		if pts := series(t, s, readstore.SeriesQuery{Sensor: sensor, From: t0.Add(-time.Hour), To: t0.Add(48 * time.Hour), Step: time.Hour}); len(pts) != 0 {
			t.Errorf("series of %s after Reset: %d points, want none", sensor, len(pts))
		}
	}
	tl, err := s.Timeline(ctxFor(t), readstore.TimelineQuery{})
	if err != nil {
		t.Fatalf("Timeline: %v", err)
	}
	for _, e := range tl {
		if e.Position == 3 {
			t.Errorf("timeline entry of the reset projection survived: %+v", e)
		}
	}
	// The other projection's rows are untouched (its timeline entries included: keep compares them).
	if got := snapshot(t, s, "other-s1", "other-s2"); got != keep {
		t.Errorf("Reset of a.v1 changed b.v1's views:\n got %s\nwant %s", got, keep)
	}
	// Rebuilding from zero is accepted and gives the same views again.
	commit(t, s, "a.v1", 3, a)
	if got := checkpoint(t, s, "a.v1"); got != 3 {
		t.Errorf("checkpoint after rebuilding = %d, want 3", got)
	}
	if err := s.Reset(ctxFor(t), "never-committed.v1"); err != nil {
		t.Errorf("Reset of an unknown projection: %v", err)
	}
}

// resetOfTheOnlyProjection: a store holding one projection's views (a rebuild's case) is emptied
// by Reset, and takes the same batches again.
func resetOfTheOnlyProjection(t *testing.T, s readstore.Store) {
	b := stormBatch(3)
	commit(t, s, "a.v1", 3, b)
	want := snapshot(t, s, "s1", "s2")
	if err := s.Reset(ctxFor(t), "a.v1"); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if got := checkpoint(t, s, "a.v1"); got != 0 {
		t.Errorf("checkpoint after Reset = %d, want 0", got)
	}
	empty := snapshot(t, s, "s1", "s2")
	for _, part := range []string{`"states":[]`, `"timeline":[]`, `"s1/0s":[]`, `"s1/1h0m0s":[]`, `"s2/24h0m0s":[]`, `"s1/recent":[]`} {
		if !strings.Contains(empty, part) {
			t.Errorf("after Reset, want %s in %s", part, empty)
		}
	}
	commit(t, s, "a.v1", 3, b)
	if got := snapshot(t, s, "s1", "s2"); got != want {
		t.Errorf("views rebuilt after Reset differ:\n got %s\nwant %s", got, want)
	}
}

func unknownSensor(t *testing.T, s readstore.Store) {
	commit(t, s, "p.v1", 1, stormBatch(1))
	if _, err := s.State(ctxFor(t), "nope"); !errors.Is(err, readstore.ErrNotFound) {
		t.Errorf("State of an unknown sensor: err = %v, want ErrNotFound", err)
	}
	for _, step := range []time.Duration{0, time.Hour} {
		pts, err := s.Series(ctxFor(t), readstore.SeriesQuery{Sensor: "nope", From: t0, To: t0.Add(time.Hour), Step: step})
		if err != nil || len(pts) != 0 {
			t.Errorf("Series of an unknown sensor (step %s) = %v, %v; want no points and no error", step, pts, err)
		}
	}
	if got, err := s.RecentSamples(ctxFor(t), "nope", t0, 5); err != nil || len(got) != 0 {
		t.Errorf("RecentSamples of an unknown sensor = %v, %v; want none and no error", got, err)
	}
}

// concurrentCommitsAndQueries: projections commit from their own goroutines while the API reads.
func concurrentCommitsAndQueries(t *testing.T, s readstore.Store) {
	ctx := ctxFor(t)
	const batches = 20
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for _, proj := range []string{"a.v1", "b.v1"} {
		wg.Go(func() {
			for i := range batches {
				var b readstore.Batch
				for k := range 50 {
					at := t0.Add(time.Duration(i*50+k) * time.Minute)
					b.Samples = append(b.Samples, sample(proj+"-s", at, float64(k), "good", uint64(i+1), k))
				}
				b.States = []readstore.SensorState{state(proj+"-s", t0.Add(time.Duration(i)*time.Hour), float64(i), uint64(i+1))}
				b.Timeline = []readstore.TimelineEntry{entry(uint64(i+1), "x.happened", proj, t0)}
				if err := s.Commit(ctx, proj, uint64(i+1), b); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range batches {
			if _, err := s.States(ctx); err != nil {
				errs <- err
			}
			if _, err := s.Series(ctx, readstore.SeriesQuery{Sensor: "a.v1-s", From: t0, To: t0.Add(48 * time.Hour), Step: time.Hour}); err != nil {
				errs <- err
			}
			if _, err := s.Timeline(ctx, readstore.TimelineQuery{Limit: 10}); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	for _, proj := range []string{"a.v1", "b.v1"} {
		if cp := checkpoint(t, s, proj); cp != batches {
			t.Errorf("checkpoint of %s = %d, want %d", proj, cp, batches)
		}
		pts := series(t, s, readstore.SeriesQuery{Sensor: proj + "-s", From: t0, To: t0.Add(48 * time.Hour), Step: 24 * time.Hour})
		n := 0
		for _, p := range pts {
			n += p.Count
		}
		if n != batches*50 {
			t.Errorf("%s: %d readings in the daily roll-ups, want %d", proj, n, batches*50)
		}
	}
}

// snapshot renders what the API can see of some sensors, plus the whole timeline, as JSON.
func snapshot(t *testing.T, s readstore.Store, sensors ...string) string {
	t.Helper()
	ctx := ctxFor(t)
	view := map[string]any{}
	states, err := s.States(ctx)
	if err != nil {
		t.Fatalf("States: %v", err)
	}
	view["states"] = states
	tl, err := s.Timeline(ctx, readstore.TimelineQuery{})
	if err != nil {
		t.Fatalf("Timeline: %v", err)
	}
	view["timeline"] = tl
	for _, sensor := range sensors {
		for _, step := range []time.Duration{0, time.Minute, time.Hour, 24 * time.Hour} {
			view[fmt.Sprintf("%s/%s", sensor, step)] = series(t, s, readstore.SeriesQuery{
				Sensor: sensor, From: t0.Add(-48 * time.Hour), To: t0.Add(48 * time.Hour), Step: step,
			})
		}
		recent, err := s.RecentSamples(ctx, sensor, t0.Add(48*time.Hour), 1000)
		if err != nil {
			t.Fatalf("RecentSamples: %v", err)
		}
		view[sensor+"/recent"] = recent
	}
	out, err := json.Marshal(view)
	if err != nil {
		t.Fatalf("encode snapshot: %v", err)
	}
	return string(out)
}

func diffJSON(got, want any) string {
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err := errors.Join(err1, err2); err != nil {
		return err.Error()
	}
	if string(g) != string(w) {
		return fmt.Sprintf("\n got %s\nwant %s", g, w)
	}
	return ""
}

// DiffPoints describes how got differs from want, "" if it does not. Averages compare to a
// relative 1e-9: a sum merged in another order may differ in its last bits.
func DiffPoints(got, want []readstore.Point) string { return diffPoints(got, want) }

// diffPoints compares series, averages to a relative 1e-9: a sum merged in another order may
// differ in its last bits.
func diffPoints(got, want []readstore.Point) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d points, want %d\n got %+v\nwant %+v", len(got), len(want), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if math.Abs(g.Avg-w.Avg) <= 1e-9*math.Max(1, math.Abs(w.Avg)) {
			g.Avg = w.Avg
		}
		if !g.Time.Equal(w.Time) {
			return fmt.Sprintf("point %d at %v, want %v", i, g.Time, w.Time)
		}
		g.Time = w.Time
		if g != w {
			return fmt.Sprintf("point %d = %+v, want %+v", i, g, w)
		}
	}
	return ""
}
