package projections_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/domain/setup"
	"github.com/vigie/vigie/projections"
)

func TestTimelineSummaries(t *testing.T) {
	t.Parallel()
	batch := gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean"}
	for m := range 12 {
		s := gauge.Sample{T: minute(m), V: 2 + float64(m)/100, Q: sensor.Good}
		if m == 5 {
			s.V, s.Q = 99, sensor.Implausible
		}
		batch.Readings = append(batch.Readings, s)
	}
	mixed := gauge.ReadingsRecorded{Sensor: "bassin-nord.level", Dam: "bassin-nord", Readings: []gauge.Sample{
		{T: minute(1), V: 1, Q: sensor.Suspect, Late: true},
		{T: minute(2), V: 1, Q: sensor.Suspect, Late: true},
		{T: minute(3), V: 99, Q: sensor.Implausible, Late: true},
	}}
	one := gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean", Readings: []gauge.Sample{{T: minute(0), V: 1, Q: sensor.Suspect, Why: "jump"}}}
	up := gauge.ThresholdCrossed{Sensor: "mejean.level", Dam: "mejean", Threshold: "alerte", Severity: dam.SeverityHigh,
		Direction: gauge.Up, Level: 6, Value: 6.03, At: minute(3), Since: minute(3)}
	down := gauge.ThresholdCrossed{Sensor: "mejean.level", Dam: "mejean", Threshold: "crise", Direction: gauge.Down,
		Level: 8.5, Value: 8.499, At: minute(9), Late: true}
	configured := gauge.Configured{Sensor: "mejean.level", Dam: "mejean", Actor: "config:nimes.yaml", At: minute(0),
		Thresholds: []dam.Threshold{{Name: "vigilance", Level: 3}, {Name: "alerte", Level: 6}}}
	bare := gauge.Configured{Sensor: "mejean.level", Dam: "mejean", At: minute(0)}
	applied := setup.ConfigApplied{Source: "file:/etc/vigie/nimes.yaml", Digest: "sha256:ab", Actor: "user:durand", At: minute(0),
		Changes: []string{"seuil alerte de mejean : 6.2 m -> 6.0 m", "capteur est.level ajouté"}, Document: json.RawMessage(`{}`)}

	tests := []struct {
		name   string
		e      event.Event
		fr, en string
		time   time.Time
	}{
		{"readings batch", batch, "12 lectures de mejean.level (1 implausible)", "12 readings of mejean.level (1 implausible)", minute(11)},
		{"one suspect reading", one, "1 lecture de mejean.level (1 suspecte)", "1 reading of mejean.level (1 suspect)", minute(0)},
		{"late, suspect and implausible", mixed, "3 lectures de bassin-nord.level (2 suspectes, 1 implausible, 3 en retard)",
			"3 readings of bassin-nord.level (2 suspect, 1 implausible, 3 late)", minute(3)},
		{"crossing up", up, "mejean.level a franchi le seuil alerte (6.00 m) à la hausse : 6.03 m",
			"mejean.level crossed the alerte threshold (6.00 m) upwards: 6.03 m", minute(3)},
		{"crossing down, learnt late", down, "mejean.level a franchi le seuil crise (8.50 m) à la baisse : 8.499 m (appris en retard)",
			"mejean.level crossed the crise threshold (8.50 m) downwards: 8.499 m (learnt late)", minute(9)},
		{"gauge configured", configured, "mejean.level configuré : seuils vigilance 3.00 m, alerte 6.00 m",
			"mejean.level configured: thresholds vigilance 3.00 m, alerte 6.00 m", minute(0)},
		{"gauge without thresholds", bare, "mejean.level configuré : aucun seuil", "mejean.level configured: no threshold", minute(0)},
		{"configuration applied", applied,
			"configuration appliquée (file:/etc/vigie/nimes.yaml) : seuil alerte de mejean : 6.2 m -> 6.0 m; capteur est.level ajouté",
			"configuration applied (file:/etc/vigie/nimes.yaml): seuil alerte de mejean : 6.2 m -> 6.0 m; capteur est.level ajouté", minute(0)},
	}
	for _, lang := range []projections.Language{projections.French, projections.English} {
		tl, err := projections.NewTimeline(lang, projections.DefaultSummarizers())
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			t.Run(string(lang)+"/"+tc.name, func(t *testing.T) {
				b, err := tl.Handle(context.Background(), decoded(tc.e))
				if err != nil {
					t.Fatalf("Handle: %v", err)
				}
				if len(b.Timeline) != 1 {
					t.Fatalf("%d entries, want 1", len(b.Timeline))
				}
				want := tc.fr
				if lang == projections.English {
					want = tc.en
				}
				e := b.Timeline[0]
				if e.Summary != want {
					t.Errorf("summary\n got %q\nwant %q", e.Summary, want)
				}
				if !e.Time.Equal(tc.time) || e.Position != 1 || e.Type != tc.e.EventType() || !json.Valid(e.Data) {
					t.Errorf("entry = %+v, want time %v, position 1, type %s, JSON data", e, tc.time, tc.e.EventType())
				}
			})
		}
	}
}

// TestTimelineLeavesRoutineReadingsOut: good readings on time are in the log and the series, not
// in the audit timeline; a batch with notable readings gets one line listing them.
func TestTimelineLeavesRoutineReadingsOut(t *testing.T) {
	t.Parallel()
	tl, err := projections.NewTimeline(projections.English, projections.DefaultSummarizers())
	if err != nil {
		t.Fatal(err)
	}
	routine := readings(0, 30, func(m int) float64 { return 2 + float64(m)/100 })
	flush := readings(0, 59, func(m int) float64 { return 2 })
	for i := range flush.Readings {
		flush.Readings[i].Late = true
	}
	flush.Readings[7].Q, flush.Readings[7].Why, flush.Readings[7].V = sensor.Implausible, "above the plausible range", 99
	b, err := tl.Handle(context.Background(), decoded(routine, gauge.ReadingsRecorded{Sensor: "mejean.level"}, flush))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Timeline) != 1 || b.Timeline[0].Position != 3 {
		t.Fatalf("timeline = %+v, want one line, for the flush", b.Timeline)
	}
	e := b.Timeline[0]
	if want := "60 readings of mejean.level (1 implausible, 60 late)"; e.Summary != want {
		t.Errorf("summary %q, want %q", e.Summary, want)
	}
	var data struct {
		Count   int            `json:"count"`
		Notable []gauge.Sample `json:"notable"`
	}
	if err := json.Unmarshal(e.Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.Count != 60 || len(data.Notable) != 20 || data.Notable[7].Why != "above the plausible range" || data.Notable[7].V != 99 {
		t.Errorf("detail = %+v, want the count and the first 20 notable readings, reasons included", data)
	}
}

func TestTimelineActor(t *testing.T) {
	t.Parallel()
	tl, err := projections.NewTimeline(projections.French, projections.DefaultSummarizers())
	if err != nil {
		t.Fatal(err)
	}
	ds := decoded(
		gauge.Configured{Sensor: "a.level", Dam: "a", Actor: "config:a.yaml"},
		gauge.ReadingsRecorded{Sensor: "a.level", Dam: "a", Readings: []gauge.Sample{{T: minute(0), V: 1, Q: sensor.Good, Late: true}}},
	)
	for i := range ds {
		ds[i].Meta.Actor = "apikey:gw-1"
	}
	b, err := tl.Handle(context.Background(), ds)
	if err != nil {
		t.Fatal(err)
	}
	if b.Timeline[0].Actor != "config:a.yaml" || b.Timeline[1].Actor != "apikey:gw-1" {
		t.Errorf("actors = %q, %q; want the event's own, then the metadata's", b.Timeline[0].Actor, b.Timeline[1].Actor)
	}
}

// raised stands for an event type another package adds later.
type raised struct {
	Sensor string `json:"sensor"`
}

func (raised) EventType() string { return "alarm.raised" }

func TestTimelineAddSummarizer(t *testing.T) {
	t.Parallel()
	sums := projections.DefaultSummarizers()
	sums["alarm.raised"] = func(d projections.Decoded, lang projections.Language) (projections.Summary, bool, error) {
		e := d.Event.(raised)
		if e.Sensor == "" {
			return projections.Summary{}, false, nil // left out
		}
		return projections.Summary{Sensor: e.Sensor, Text: map[projections.Language]string{
			projections.French: "alarme sur " + e.Sensor, projections.English: "alarm on " + e.Sensor,
		}[lang]}, true, nil
	}
	sums["alarm.failing"] = func(projections.Decoded, projections.Language) (projections.Summary, bool, error) {
		return projections.Summary{}, false, errors.New("broken summariser")
	}
	tl, err := projections.NewTimeline(projections.English, sums)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tl.Handle(context.Background(), decoded(raised{Sensor: "x.level"}, raised{}, setup.ConfigApplied{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Timeline) != 2 || b.Timeline[0].Summary != "alarm on x.level" || b.Timeline[1].Type != "config.applied" {
		t.Errorf("timeline = %+v", b.Timeline)
	}
	failing := decoded(raised{})
	failing[0].Type = "alarm.failing"
	if _, err := tl.Handle(context.Background(), failing); err == nil || !strings.Contains(err.Error(), "broken summariser") {
		t.Errorf("Handle with a failing summariser = %v, want its error", err)
	}
}

func TestNewTimelineValidates(t *testing.T) {
	t.Parallel()
	if _, err := projections.NewTimeline("de", nil); err == nil {
		t.Error("NewTimeline accepted German")
	}
	if _, err := projections.NewTimeline(projections.French, map[string]projections.Summarizer{"x": nil}); err == nil {
		t.Error("NewTimeline accepted a nil summariser")
	}
}

// FuzzSummaries feeds the summarisers events decoded from arbitrary JSON, as a corrupt or hostile
// log would hold: they may refuse, never panic, and what they keep is valid JSON.
func FuzzSummaries(f *testing.F) {
	codec := newCodec(f)
	for _, r := range loadStorm(f)[:8] {
		f.Add(r.Type, []byte(r.Data))
	}
	f.Add("sensor.readings_recorded", []byte(`{"readings":[]}`))
	f.Add("sensor.threshold_crossed", []byte(`{"level_m":1e308,"value_m":-0}`))
	f.Add("config.applied", []byte(`{"changes":null}`))
	tl, err := projections.NewTimeline(projections.French, projections.DefaultSummarizers())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		rec := eventstore.Record{Position: 1, Type: typ, Schema: 1, Data: data}
		e, err := codec.Decode(rec)
		if err != nil {
			return
		}
		b, err := tl.Handle(context.Background(), []projections.Decoded{{Record: rec, Event: e}})
		if err != nil {
			return
		}
		for _, x := range b.Timeline {
			if x.Data != nil && !json.Valid(x.Data) {
				t.Errorf("entry data is not JSON: %q", x.Data)
			}
		}
	})
}
