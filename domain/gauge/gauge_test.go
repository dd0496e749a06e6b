package gauge_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

var t0 = time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)

func at(min float64) time.Time { return t0.Add(time.Duration(min * float64(time.Minute))) }

func policy(ths ...dam.Threshold) gauge.Policy {
	return gauge.Policy{
		Spec: sensor.Spec{ID: "mejean.level", Kind: "water_level", Unit: "m", PlausibleMin: -0.2, PlausibleMax: 11,
			MaxRate: 120, SuspectRate: 60, Period: 5 * time.Minute},
		Dam: "mejean", Thresholds: ths, LateAfter: 5 * time.Minute, MaxFuture: 2 * time.Minute,
	}
}

var alerte = dam.Threshold{Name: "alerte", Level: 6, Severity: dam.SeverityHigh, Deadband: 0.1}

func newGauge(t *testing.T, p gauge.Policy) *gauge.Gauge {
	t.Helper()
	g, err := gauge.New(p)
	if err != nil {
		t.Fatal(err)
	}
	g.Configure("test", t0)
	return g
}

func readings(vals ...float64) []sensor.Reading {
	out := make([]sensor.Reading, len(vals))
	for i, v := range vals {
		out[i] = sensor.Reading{Time: at(float64(i)), Value: v}
	}
	return out
}

func crossings(es []event.Event) []gauge.ThresholdCrossed {
	var out []gauge.ThresholdCrossed
	for _, e := range es {
		if c, ok := e.(gauge.ThresholdCrossed); ok {
			out = append(out, c)
		}
	}
	return out
}

func TestThresholdCrossings(t *testing.T) {
	t.Parallel()
	onDelay := alerte
	onDelay.OnDelay = 2 * time.Minute
	tests := []struct {
		name      string
		threshold dam.Threshold
		values    []float64
		want      []gauge.Direction
		wantAt    []float64 // minutes
	}{
		{"up once", alerte, []float64{5.9, 6.0, 6.2}, []gauge.Direction{gauge.Up}, []float64{1}},
		{"hovering inside the deadband crosses once", alerte, []float64{5.95, 6.01, 5.95, 6.02, 5.91, 6.0}, []gauge.Direction{gauge.Up}, []float64{1}},
		{"down only under level minus deadband", alerte, []float64{6.1, 5.91, 5.89}, []gauge.Direction{gauge.Up, gauge.Down}, []float64{0, 2}},
		{"on-delay not reached", onDelay, []float64{6.1, 6.1, 5.0}, nil, nil},
		{"on-delay reached exactly", onDelay, []float64{6.1, 6.1, 6.1}, []gauge.Direction{gauge.Up}, []float64{2}},
		{"implausible spike crosses nothing", alerte, []float64{1, 99, 1.01}, nil, nil},
		{"physically impossible jump is implausible", alerte, []float64{1, 9, 1.01}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGauge(t, policy(tt.threshold))
			g.Record(readings(tt.values...), at(float64(len(tt.values))))
			got := crossings(g.Changes())
			if len(got) != len(tt.want) {
				t.Fatalf("got %d crossings %+v, want %v", len(got), got, tt.want)
			}
			for i, c := range got {
				if c.Direction != tt.want[i] || !c.At.Equal(at(tt.wantAt[i])) {
					t.Errorf("crossing %d: got %s at %s, want %s at %s", i, c.Direction, c.At, tt.want[i], at(tt.wantAt[i]))
				}
			}
		})
	}
}

func TestDuplicatesAndConflicts(t *testing.T) {
	t.Parallel()
	g := newGauge(t, policy(alerte))
	g.Record(readings(1, 2), at(2))
	out := g.Record([]sensor.Reading{{Time: at(0), Value: 1}, {Time: at(1), Value: 2.5}, {Time: at(2), Value: 3}, {Time: at(2), Value: 3}}, at(3))
	want := []gauge.Status{gauge.Duplicate, gauge.Rejected, gauge.Accepted, gauge.Duplicate}
	for i, o := range out {
		if o.Status != want[i] {
			t.Errorf("item %d: got %s (%s), want %s", i, o.Status, o.Reason, want[i])
		}
	}
}

func TestLateReadingsAreStoredNotEvaluated(t *testing.T) {
	t.Parallel()
	g := newGauge(t, policy(alerte))
	g.Record([]sensor.Reading{{Time: at(10), Value: 2}}, at(10))
	out := g.Record([]sensor.Reading{{Time: at(5), Value: 7}}, at(11))
	if out[0].Status != gauge.Accepted {
		t.Fatalf("late reading: %+v", out[0])
	}
	if c := crossings(g.Changes()); len(c) != 0 {
		t.Fatalf("late reading crossed %+v", c)
	}
}

func TestFlushedBufferCrossingsAreMarkedLate(t *testing.T) {
	t.Parallel()
	g := newGauge(t, policy(alerte))
	// A gateway flushes 20 minutes of buffer at minute 30.
	g.Record(readings(5, 6.5, 6.6, 5.5), at(30))
	cs := crossings(g.Changes())
	if len(cs) != 2 || !cs[0].Late || !cs[1].Late {
		t.Fatalf("got %+v, want an up and a down crossing, both late", cs)
	}
}

func TestReplayEqualsLive(t *testing.T) {
	t.Parallel()
	p := policy(alerte, dam.Threshold{Name: "crise", Level: 8.5, Severity: dam.SeverityCritical, Deadband: 0.05, OffDelay: time.Minute})
	live := newGauge(t, p)
	var history []event.Event
	vals := []float64{1, 3, 6.2, 5.95, 8.6, 8.4, 8.3, 5, 99, 4}
	for i, v := range vals {
		live.Record([]sensor.Reading{{Time: at(float64(i)), Value: v}}, at(float64(i)))
		history = append(history, live.Changes()...)
		live.ClearChanges(uint64(len(history) - 1))
	}
	replayed, _ := gauge.New(p)
	replayed.Load(uint64(len(history)-1), history)
	next := []sensor.Reading{{Time: at(20), Value: 9}}
	live.Record(next, at(20))
	replayed.Record(next, at(20))
	if !reflect.DeepEqual(live.Changes(), replayed.Changes()) {
		t.Fatalf("live decided %+v, replayed decided %+v", live.Changes(), replayed.Changes())
	}
}

func TestConfigureRecordsOnlyChanges(t *testing.T) {
	t.Parallel()
	g := newGauge(t, policy(alerte))
	g.ClearChanges(0)
	g.Configure("test", t0)
	if n := len(g.Changes()); n != 0 {
		t.Fatalf("unchanged thresholds recorded %d events", n)
	}
}

// TestDuplicatesInsideOneBatch: readings of one request at one time are judged against the first
// accepted of them, in sensor-time order, whatever lies between them in the request.
func TestDuplicatesInsideOneBatch(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		name string
		in   []sensor.Reading
		want []gauge.Status
	}{
		{"same value twice", []sensor.Reading{{Time: at(1), Value: 2}, {Time: at(1), Value: 2}},
			[]gauge.Status{gauge.Accepted, gauge.Duplicate}},
		{"other value", []sensor.Reading{{Time: at(1), Value: 2}, {Time: at(1), Value: 3}},
			[]gauge.Status{gauge.Accepted, gauge.Rejected}},
		{"rejected first, then accepted, then duplicate", []sensor.Reading{{Time: at(1), Value: nan}, {Time: at(1), Value: 2}, {Time: at(1), Value: 2}},
			[]gauge.Status{gauge.Rejected, gauge.Accepted, gauge.Duplicate}},
		{"out of order with a duplicate", []sensor.Reading{{Time: at(3), Value: 4}, {Time: at(1), Value: 2}, {Time: at(2), Value: 3}, {Time: at(1), Value: 2}, {Time: at(3), Value: 5}},
			[]gauge.Status{gauge.Accepted, gauge.Accepted, gauge.Accepted, gauge.Duplicate, gauge.Rejected}},
		{"stored before, then twice in the batch", []sensor.Reading{{Time: at(0), Value: 1}, {Time: at(0), Value: 1}, {Time: at(0), Value: 9}},
			[]gauge.Status{gauge.Duplicate, gauge.Duplicate, gauge.Rejected}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := newGauge(t, policy(alerte))
			g.Record([]sensor.Reading{{Time: at(0), Value: 1}}, at(0))
			out := g.Record(tc.in, at(5))
			for i, o := range out {
				if o.Status != tc.want[i] {
					t.Errorf("item %d: got %s (%s), want %s", i, o.Status, o.Reason, tc.want[i])
				}
			}
		})
	}
}

// BenchmarkRecord: a batch of 500 one-second readings of one gauge with three thresholds, the
// aggregate's share of a batch of 1,000 over two sensors (commands' BenchmarkIngestBatch1000),
// with readings that all pass and with readings that change too fast (each one suspect, with a
// reason to write).
func BenchmarkRecord(b *testing.B) {
	p := policy(alerte,
		dam.Threshold{Name: "vigilance", Level: 4, Severity: dam.SeverityLow, Deadband: 0.1},
		dam.Threshold{Name: "crise", Level: 8.5, Severity: dam.SeverityCritical, Deadband: 0.05, OffDelay: time.Minute})
	for _, tc := range []struct {
		name string
		step float64
	}{{"good", 0.001}, {"suspect", 0.03}} {
		b.Run(tc.name, func(b *testing.B) {
			g, err := gauge.New(p)
			if err != nil {
				b.Fatal(err)
			}
			g.Configure("bench", t0)
			batch := make([]sensor.Reading, 500)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				for j := range batch {
					k := i*len(batch) + j
					batch[j] = sensor.Reading{Time: t0.Add(time.Duration(k) * time.Second), Value: 3 + tc.step*float64(k%7)}
				}
				out := g.Record(batch, batch[len(batch)-1].Time)
				if out[0].Status != gauge.Accepted {
					b.Fatalf("first reading: %+v", out[0])
				}
				g.ClearChanges(uint64(i + 1))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/reading")
		})
	}
}
