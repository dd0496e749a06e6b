package projections_test

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/projections"
)

// noViews is a read store that knows nothing yet: every gauge starts fresh.
type noViews struct{}

func (noViews) State(context.Context, string) (readstore.SensorState, error) {
	return readstore.SensorState{}, readstore.ErrNotFound
}

func (noViews) RecentSamples(context.Context, string, time.Time, int) ([]readstore.Sample, error) {
	return nil, nil
}

var t0 = time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)

func minute(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

// readings returns readings of mejean.level from minute `from` to `to`, at level(m).
func readings(from, to int, level func(m int) float64) gauge.ReadingsRecorded {
	e := gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean"}
	for m := from; m <= to; m++ {
		e.Readings = append(e.Readings, gauge.Sample{T: minute(m), V: level(m), Q: sensor.Good})
	}
	return e
}

func decoded(es ...event.Event) []projections.Decoded {
	var out []projections.Decoded
	for i, e := range es {
		out = append(out, projections.Decoded{
			Record: eventstore.Record{Position: uint64(i + 1), Stream: "sensor-mejean.level", Type: e.EventType(), RecordedAt: t0.Add(time.Hour)},
			Event:  e,
		})
	}
	return out
}

func crossed(name string, level float64, dir gauge.Direction) gauge.ThresholdCrossed {
	return gauge.ThresholdCrossed{Sensor: "mejean.level", Dam: "mejean", Threshold: name, Level: level, Direction: dir, At: minute(0)}
}

func TestLevelsState(t *testing.T) {
	t.Parallel()
	dams := projections.DamsBySensor(referenceDams(t))
	tests := []struct {
		name   string
		events []event.Event
		want   func(st readstore.SensorState) string // "" when right
	}{
		{
			name:   "steady rise gives its slope, volume and time to spill",
			events: []event.Event{readings(0, 20, func(m int) float64 { return 7 + float64(m)/60 })}, // 1 m/h
			want: func(st readstore.SensorState) string {
				level := 7 + 20.0/60
				d := referenceDams(t)[0].StateAt(level)
				tts := time.Duration((9 - level) * float64(time.Hour))
				switch {
				case math.Abs(st.Trend-1) > 1e-9 || !st.TrendKnown:
					return "trend is not a known 1 m/h"
				case st.Value != level || st.Volume != d.Volume || st.FillPct != d.FillPercent || st.Spilling:
					return "value, volume or fill wrong"
				case st.TimeToSpill == nil || math.Abs(float64(time.Duration(*st.TimeToSpill)-tts)) > float64(time.Millisecond):
					return "time to spill is not (9 - level) h"
				}
				return ""
			},
		},
		{
			name:   "no trend from readings spanning less than half the window",
			events: []event.Event{readings(0, 5, func(m int) float64 { return 2 + float64(m) })},
			want: func(st readstore.SensorState) string {
				if st.Trend != 0 || st.TrendKnown || st.TimeToSpill != nil {
					return "a trend from 5 minutes of readings"
				}
				return ""
			},
		},
		{
			name:   "only the last 15 minutes count",
			events: []event.Event{readings(0, 40, func(m int) float64 { return math.Max(3, 3+float64(m-25)/60) })},
			want: func(st readstore.SensorState) string {
				if math.Abs(st.Trend-1) > 1e-9 {
					return "the flat start leaked into the trend"
				}
				return ""
			},
		},
		{
			name: "an implausible newest reading shows, but volume and trend come from usable ones",
			events: []event.Event{
				readings(0, 20, func(int) float64 { return 4 }),
				gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean", Readings: []gauge.Sample{{T: minute(21), V: 99, Q: sensor.Implausible}}},
			},
			want: func(st readstore.SensorState) string {
				d := referenceDams(t)[0].StateAt(4)
				if st.Value != 99 || st.Quality != "implausible" || !st.Time.Equal(minute(21)) {
					return "the newest reading is not the state's value"
				}
				if st.Volume != d.Volume || st.Spilling || st.Trend != 0 {
					return "the glitch leaked into volume, spilling or trend"
				}
				return ""
			},
		},
		{
			name: "a late reading changes the trend, not the state's time",
			events: []event.Event{
				readings(0, 20, func(m int) float64 { return 5 }),
				gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean", Readings: []gauge.Sample{{T: minute(10).Add(30 * time.Second), V: 4, Q: sensor.Good, Late: true}}},
			},
			want: func(st readstore.SensorState) string {
				if !st.Time.Equal(minute(20)) || st.Value != 5 || st.Position != 2 {
					return "the late reading moved the state"
				}
				if !(st.Trend > 0) {
					return "the late low reading should tilt the trend up"
				}
				return ""
			},
		},
		{
			name: "thresholds above, lowest first, and configuration removing one",
			events: []event.Event{
				readings(0, 1, func(int) float64 { return 6.5 }),
				crossed("alerte", 6, gauge.Up),
				crossed("vigilance", 3, gauge.Up),
				crossed("crise", 8.5, gauge.Up),
				crossed("crise", 8.5, gauge.Down),
				gauge.Configured{Sensor: "mejean.level", Dam: "mejean", Thresholds: []dam.Threshold{{Name: "alerte", Level: 6}}},
			},
			want: func(st readstore.SensorState) string {
				if !reflect.DeepEqual(st.Above, []string{"alerte"}) || st.Position != 6 {
					return "above should be [alerte] at position 6"
				}
				return ""
			},
		},
		{
			name:   "spilling over the crest",
			events: []event.Event{readings(0, 20, func(int) float64 { return 9.2 })},
			want: func(st readstore.SensorState) string {
				if !st.Spilling || st.TimeToSpill != nil {
					return "not spilling"
				}
				if st.Trend != 0 || !st.TrendKnown {
					return "a level holding steady should have a known trend of 0"
				}
				return ""
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := projections.NewLevels(noViews{}, dams)
			if err != nil {
				t.Fatal(err)
			}
			b, err := l.Handle(context.Background(), decoded(tc.events...))
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if len(b.States) != 1 {
				t.Fatalf("%d states, want 1", len(b.States))
			}
			if msg := tc.want(b.States[0]); msg != "" {
				t.Errorf("%s: %+v", msg, b.States[0])
			}
		})
	}
}

func TestLevelsSamples(t *testing.T) {
	t.Parallel()
	l, err := projections.NewLevels(noViews{}, func(sensor.ID) (dam.Dam, bool) { return dam.Dam{}, false })
	if err != nil {
		t.Fatal(err)
	}
	ev := readings(0, 2, func(m int) float64 { return float64(m) })
	ev.Readings[1].Q, ev.Readings[1].Late = sensor.Suspect, true
	b, err := l.Handle(context.Background(), decoded(ev))
	if err != nil {
		t.Fatal(err)
	}
	want := []readstore.Sample{
		{Sensor: "mejean.level", Dam: "mejean", Time: minute(0), Value: 0, Quality: "good", RecordedAt: t0.Add(time.Hour), Position: 1, Index: 0},
		{Sensor: "mejean.level", Dam: "mejean", Time: minute(1), Value: 1, Quality: "suspect", Late: true, RecordedAt: t0.Add(time.Hour), Position: 1, Index: 1},
		{Sensor: "mejean.level", Dam: "mejean", Time: minute(2), Value: 2, Quality: "good", RecordedAt: t0.Add(time.Hour), Position: 1, Index: 2},
	}
	if !reflect.DeepEqual(b.Samples, want) {
		t.Errorf("samples:\n got %+v\nwant %+v", b.Samples, want)
	}
	// Without a dam, a state still has its level and trend.
	if len(b.States) != 1 || b.States[0].Volume != 0 || b.States[0].TimeToSpill != nil || b.States[0].Value != 2 {
		t.Errorf("state without a dam = %+v", b.States)
	}
}

func TestNewLevelsRefusesNil(t *testing.T) {
	t.Parallel()
	if _, err := projections.NewLevels(nil, nil); err == nil || !strings.Contains(err.Error(), "views are nil") || !strings.Contains(err.Error(), "dam lookup is nil") {
		t.Errorf("NewLevels(nil, nil) = %v, want both refusals", err)
	}
	dams := projections.DamsBySensor(referenceDams(t))
	for _, o := range []projections.LevelsOption{nil, projections.WithTrendWindow(0), projections.WithTrendWindow(-time.Minute)} {
		if _, err := projections.NewLevels(noViews{}, dams, o); err == nil {
			t.Errorf("NewLevels accepted a bad option")
		}
	}
}

// TestLevelsTrendWindow: the window is an option; a trend needs readings over half of it.
func TestLevelsTrendWindow(t *testing.T) {
	t.Parallel()
	dams := projections.DamsBySensor(referenceDams(t))
	rise := readings(0, 5, func(m int) float64 { return 2 + float64(m)/60 }) // 1 m/h over 5 minutes
	tests := []struct {
		name      string
		window    time.Duration
		wantKnown bool
	}{
		{"default 15 min: 5 minutes are not enough", projections.DefaultTrendWindow, false},
		{"10 min: 5 minutes are half of it", 10 * time.Minute, true},
		{"2 min: only the last 2 minutes count", 2 * time.Minute, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := projections.NewLevels(noViews{}, dams, projections.WithTrendWindow(tc.window))
			if err != nil {
				t.Fatal(err)
			}
			b, err := l.Handle(context.Background(), decoded(rise))
			if err != nil {
				t.Fatal(err)
			}
			st := b.States[0]
			if st.TrendKnown != tc.wantKnown {
				t.Fatalf("trend known = %v, want %v (%+v)", st.TrendKnown, tc.wantKnown, st)
			}
			if tc.wantKnown && math.Abs(st.Trend-1) > 1e-9 {
				t.Errorf("trend = %g m/h, want 1", st.Trend)
			}
			if !tc.wantKnown && st.Trend != 0 {
				t.Errorf("unknown trend = %g, want 0", st.Trend)
			}
		})
	}
}
