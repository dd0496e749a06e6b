package readstore_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

// BucketWidth is what the conformance suite states (readstoretest.BucketStep, written apart), and
// its grain divides the width.
func TestBucketWidthAgreesWithTheSuite(t *testing.T) {
	t.Parallel()
	steps := []time.Duration{0, time.Nanosecond, time.Second, 59 * time.Second, time.Minute, 61 * time.Second,
		90 * time.Minute, time.Hour, 9*time.Hour + 17*time.Minute, 86399 * time.Second, 24 * time.Hour, 31557600 * time.Second}
	for _, step := range steps {
		secs, grain := readstore.BucketWidth(step)
		if got, want := time.Duration(secs)*time.Second, readstoretest.BucketStep(step); got != want {
			t.Errorf("BucketWidth(%s) = %s, want %s", step, got, want)
		}
		if grain != 0 && secs%grain != 0 {
			t.Errorf("BucketWidth(%s) = %d s, not a whole number of its grain %d s", step, secs, grain)
		}
	}
}

func TestFloorDivAndBucketOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ a, b, want int64 }{{7, 2, 3}, {-7, 2, -4}, {-8, 2, -4}, {0, 5, 0}, {7, -2, -4}, {-1, 60, -1}}
	for _, tc := range tests {
		if got := readstore.FloorDiv(tc.a, tc.b); got != tc.want {
			t.Errorf("FloorDiv(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := readstore.BucketOf(-1, 60); got != -60 { // a nanosecond before 1970
		t.Errorf("BucketOf(-1 ns, 60 s) = %d, want -60", got)
	}
	if got := readstore.BucketOf(int64(3599*time.Second+time.Nanosecond), 3600); got != 0 {
		t.Errorf("BucketOf(3599 s, 3600 s) = %d, want 0", got)
	}
}

// Cover's segments follow each other without gap or overlap over the whole range, whole roll-up
// buckets in the middle, samples at the ragged ends.
func TestCoverTilesTheRange(t *testing.T) {
	t.Parallel()
	levels := []int64{86400, 3600, 60}
	s, day := int64(time.Second), int64(86400*time.Second)
	tests := []struct {
		name     string
		from, to int64
		want     []readstore.Segment
	}{
		{"empty", 10, 10, nil},
		{"under a minute", 5 * s, 50 * s, []readstore.Segment{{0, 5 * s, 50 * s}}},
		{"whole day", 0, day, []readstore.Segment{{86400, 0, 86400}}},
		{"ragged", -30 * s, day + 61*s + 7, []readstore.Segment{
			{0, -30 * s, 0}, {86400, 0, 86400}, {60, 86400, 86460}, {0, day + 60*s, day + 61*s + 7}}},
		{"end of time", math.MaxInt64 - 90*s, math.MaxInt64, nil}, // checked for tiling only
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := readstore.Cover(tc.from, tc.to, levels)
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Cover = %+v, want %+v", got, tc.want)
			}
			at := tc.from
			for _, seg := range got {
				from, to := seg.From, seg.To
				if seg.Level > 0 {
					from, to = seg.From*s, seg.To*s
					if seg.From%seg.Level != 0 || seg.To%seg.Level != 0 {
						t.Errorf("segment %+v is not whole buckets", seg)
					}
				}
				if from != at || to <= from {
					t.Fatalf("segment %+v after %d: gap, overlap or empty (segments %+v)", seg, at, got)
				}
				at = to
			}
			if tc.from < tc.to && at != tc.to {
				t.Errorf("segments end at %d, want %d", at, tc.to)
			}
		})
	}
}

func TestPoints(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 10, 6, 1, 2, 3, 0, time.UTC)
	if got, want := readstore.RawPoint(at, 2.5, "suspect", false), (readstore.Point{Time: at, Min: 2.5, Max: 2.5, Avg: 2.5, Last: 2.5, Count: 1, Quality: "suspect"}); got != want {
		t.Errorf("RawPoint(usable) = %+v, want %+v", got, want)
	}
	if got := readstore.RawPoint(at, 9, "implausible", true); got.Count != 0 || got.Implausible != 1 || got.Last != 9 {
		t.Errorf("RawPoint(implausible) = %+v, want Count 0, Implausible 1 and the value kept", got)
	}
	a := readstore.Aggregate{N: 4, Bad: 1, Min: 1, Max: 5, Sum: 11, LastT: 40, Last: 3}
	if got, want := a.Point(3600), (readstore.Point{Time: time.Unix(3600, 0).UTC(), Min: 1, Max: 5, Avg: 2.75, Last: 3, Count: 4, Implausible: 1}); got != want {
		t.Errorf("Point = %+v, want %+v", got, want)
	}
	bad := readstore.Aggregate{Bad: 2, Min: 7, Max: 8, Last: 8} // what a store may read back for a bucket of implausible readings
	if got, want := bad.Point(-60), (readstore.Point{Time: time.Unix(-60, 0).UTC(), Implausible: 2}); got != want {
		t.Errorf("Point of implausible readings = %+v, want %+v", got, want)
	}
}

func TestNewestStates(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)
	st := func(sensor string, at time.Time, v float64) readstore.SensorState {
		return readstore.SensorState{Sensor: sensor, Time: at, Value: v}
	}
	in := []readstore.SensorState{
		st("b", t0.Add(time.Minute), 1), st("a", time.Time{}, 2), st("b", t0, 3), st("a", t0, 4),
		st("b", t0.Add(time.Minute), 5), // equal time replaces
		st("a", time.Time{}, 6),         // no time gives way, never takes over
		st("c", time.Time{}, 7), st("c", time.Time{}, 8),
	}
	want := []readstore.SensorState{st("b", t0.Add(time.Minute), 5), st("a", t0, 4), st("c", time.Time{}, 8)}
	if got := readstore.NewestStates(in); !reflect.DeepEqual(got, want) {
		t.Errorf("NewestStates = %+v, want %+v", got, want)
	}
}

// Every mistake of a batch is reported, each naming what and where.
func TestBatchCheck(t *testing.T) {
	t.Parallel()
	limit := time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
	inRange := func(t time.Time) bool { return t.Before(limit) }
	at := time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)
	b := readstore.Batch{
		Samples:  []readstore.Sample{{Sensor: "ok", Time: at}, {Time: at, Value: math.NaN()}, {Sensor: "z"}, {Sensor: "r", Time: at, RecordedAt: limit}},
		States:   []readstore.SensorState{{Sensor: "s", Trend: math.Inf(1)}, {Time: limit}},
		Timeline: []readstore.TimelineEntry{{Position: 9, RecordedAt: limit}},
		Alarms: readstore.AlarmBatch{
			Views:       []readstore.AlarmView{{RaisedAt: limit}},
			History:     []readstore.AlarmHistoryEntry{{Position: 3}},
			Activations: []readstore.AlarmActivation{{AlarmID: "x", Position: 4}},
		},
	}
	want := []string{
		"sample 1: sensor is empty", "sample 1 (): value NaN is not finite", "sample 2 (z): time", "sample 3 (r): recorded-at",
		"state 0 (s): value, trend, volume and fill must be finite", "state 1: sensor is empty", "state 1 (): times must be within",
		"timeline entry 0 (position 9)",
	}
	wantAlarms := []string{"alarm view 0: id is empty", "alarm view : raised-at", "alarm history entry 0: alarm id is empty", "alarm activation x@4: time"}
	for _, c := range []struct {
		errs []error
		want []string
	}{{b.Check(inRange), want}, {b.Alarms.Check(inRange), wantAlarms}} {
		if len(c.errs) != len(c.want) {
			t.Errorf("%d errors, want %d: %v", len(c.errs), len(c.want), errors.Join(c.errs...))
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(c.errs[i].Error(), w) {
				t.Errorf("error %d = %q, want it to say %q", i, c.errs[i], w)
			}
		}
	}
	if errs := (readstore.Batch{Samples: b.Samples[:1]}).Check(inRange); len(errs) != 0 {
		t.Errorf("a good batch: %v", errs)
	}
}

func TestAppendJSON(t *testing.T) {
	t.Parallel()
	var out []readstore.AlarmCommentView
	add := readstore.AppendJSON(&out)
	for _, doc := range []string{`{"by":"ana","text":"a"}`, `{"by":"bo","text":"b"}`} {
		if err := add([]byte(doc)); err != nil {
			t.Fatal(err)
		}
	}
	if len(out) != 2 || out[0].By != "ana" || out[1].Text != "b" {
		t.Errorf("decoded %+v", out)
	}
	if err := add([]byte(`{`)); err == nil || len(out) != 2 {
		t.Errorf("a bad document: err %v, %d decoded; want an error and nothing appended", err, len(out))
	}
}

func TestClampNanos(t *testing.T) {
	t.Parallel()
	lo, hi := time.Unix(0, math.MinInt64+1), time.Unix(0, math.MaxInt64)
	at := time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want int64
	}{{time.Time{}, math.MinInt64 + 1}, {at, at.UnixNano()}, {time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64}, {lo, lo.UnixNano()}}
	for _, tc := range tests {
		if got := readstore.ClampNanos(tc.t, lo, hi); got != tc.want {
			t.Errorf("ClampNanos(%s) = %d, want %d", tc.t, got, tc.want)
		}
	}
}
