package report_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/projections"
	"github.com/vigie/vigie/projections/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// stormLog is the reference storm as the service with its cascade records it, made by the replay
// package's tests (commands/replay, -update): readings, alarms, cascades, deliveries, failures,
// acknowledgements, a shelve and an out-of-service period.
const stormLog = "../../commands/replay/testdata/storm.events.jsonl"

func loadStorm(t testing.TB) ([]projections.Decoded, string) {
	t.Helper()
	f, err := os.Open(stormLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		t.Fatal(err)
	}
	chain := hashchain.NewChain(hashchain.Head{})
	var out []projections.Decoded
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r eventstore.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if _, _, err := chain.Add(r); err != nil {
			t.Fatal(err)
		}
		e, err := codec.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, projections.Decoded{Record: r, Event: e})
	}
	return out, chain.Head().String()
}

func damsOf(doc json.RawMessage) ([]dam.Dam, error) {
	cfg, err := config.Parse("recorded configuration", doc)
	if err != nil {
		return nil, err
	}
	return cfg.Dams(), nil
}

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// StormOptions is the report of the storm's eight hours.
func stormOptions(t testing.TB, lang projections.Language, head string) report.Options {
	return report.Options{
		From: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), To: time.Date(2025, 10, 10, 10, 0, 0, 0, time.UTC),
		Language: lang, Location: paris(t), Site: "Bassins de rétention de Nîmes", DamsOf: damsOf, ChainHead: head,
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update and review the diff)", name)
	}
}

func TestStormReportGolden(t *testing.T) {
	t.Parallel()
	events, head := loadStorm(t)
	rep, err := report.Build(stormOptions(t, projections.French, head), events)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "storm.report.golden.json", append(got, '\n'))
}

// The report lists every alarm, notification and acknowledgement of the log with its times,
// checked against the events themselves rather than the golden file.
func TestStormReportHasEveryAlarmNotificationAndAck(t *testing.T) {
	t.Parallel()
	events, head := loadStorm(t)
	rep, err := report.Build(stormOptions(t, projections.French, head), events)
	if err != nil {
		t.Fatal(err)
	}
	alarms := map[string]report.AlarmReport{}
	for _, a := range rep.Alarms {
		alarms[a.ID] = a
	}
	notes := map[string]report.Notification{}
	for _, n := range rep.Notifications {
		notes[n.ID] = n
	}
	raised, requested, acks := 0, 0, 0
	for _, d := range events {
		switch e := d.Event.(type) {
		case alarm.Raised:
			raised++
			a, ok := alarms[string(e.AlarmID)]
			if !ok || !a.Raised.Equal(e.At) || !a.RaisedRecorded.Equal(d.RecordedAt) || a.Severity == "" {
				t.Errorf("alarm %s raised at %s: report has %+v", e.AlarmID, e.At, a)
			}
		case alarm.Acknowledged:
			acks++
			a := alarms[string(e.AlarmID)]
			if !slices.ContainsFunc(a.Acks, func(k report.Ack) bool {
				return k.At.Equal(e.At) && k.By == string(e.By) && k.Via == string(e.Via) && k.Seconds > 0
			}) {
				t.Errorf("ack of %s by %s at %s: report has %+v", e.AlarmID, e.By, e.At, a.Acks)
			}
		case cascade.NotificationRequested:
			requested++
			n, ok := notes[e.NotificationID]
			if !ok || !n.Requested.Equal(e.At) || n.Operator != string(e.Operator) || n.Channel != string(e.Channel) || n.Step != e.Step {
				t.Errorf("notification %s: report has %+v", e.NotificationID, n)
			}
		case cascade.NotificationDelivered:
			if n := notes[e.NotificationID]; n.Delivered == nil || !n.Delivered.Equal(e.At) || n.Status != "delivered" {
				t.Errorf("delivery of %s at %s: report has %+v", e.NotificationID, e.At, n)
			}
		case cascade.NotificationFailed:
			if n := notes[e.NotificationID]; n.Failed == nil || !n.Failed.Equal(e.At) || n.Reason != e.Reason {
				t.Errorf("failure of %s at %s: report has %+v", e.NotificationID, e.At, n)
			}
		}
	}
	if raised != len(rep.Alarms) || requested != len(rep.Notifications) || acks == 0 || requested == 0 {
		t.Errorf("report has %d alarms and %d notifications; the log %d and %d (%d acks)", len(rep.Alarms), len(rep.Notifications), raised, requested, acks)
	}
	if rep.KPIs.Overall.Acks != acks || rep.KPIs.Overall.Notifications != requested {
		t.Errorf("overall KPIs %+v", rep.KPIs.Overall)
	}
	if rep.Log.ChainHead != head || rep.Log.LastPosition != uint64(len(events)) {
		t.Errorf("log info %+v, want head %s at %d", rep.Log, head, len(events))
	}
}

// Peaks and spillway spells agree with the readings: Méjean peaks over its crest (9 m) and
// spills; the volume and fill come from the recorded storage curve.
func TestStormReportPeaksAndSpillway(t *testing.T) {
	t.Parallel()
	events, head := loadStorm(t)
	rep, err := report.Build(stormOptions(t, projections.French, head), events)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Dams) != 3 {
		t.Fatalf("%d dams", len(rep.Dams))
	}
	for _, d := range rep.Dams {
		if d.Peak == nil || d.Peak.Level < d.Crest || len(d.Spill) == 0 || d.SpillSeconds <= 0 {
			t.Errorf("%s: peak %+v, crest %g, spill %+v: the reference storm spills every dam", d.ID, d.Peak, d.Crest, d.Spill)
			continue
		}
		if v, f := d.Peak.Volume, d.Peak.Fill; v == nil || f == nil || *v <= 0 || math.Abs(*f-100**v/d.Capacity) > 0.01 {
			t.Errorf("%s: peak volume %v fill %v: want the fill of the volume in %g m³", d.ID, v, f, d.Capacity)
		}
		for _, p := range d.Series {
			if p.Level > d.Peak.Level {
				t.Errorf("%s: reading %g at %s over the peak %g", d.ID, p.Level, p.T, d.Peak.Level)
			}
			if p.Quality == "implausible" {
				t.Errorf("%s: implausible reading in the curve at %s", d.ID, p.T)
			}
		}
		if len(d.Thresholds) != 3 {
			t.Errorf("%s: thresholds %+v", d.ID, d.Thresholds)
		}
	}
}

// The period and the dams filter what is reported; the English report tells the same story.
func TestReportFiltersAndLanguages(t *testing.T) {
	t.Parallel()
	events, head := loadStorm(t)
	o := stormOptions(t, projections.English, head)
	o.Dams = []dam.ID{"mejean"}
	o.From = time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)
	o.To = time.Date(2025, 10, 10, 4, 0, 0, 0, time.UTC)
	rep, err := report.Build(o, events)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Dams) != 1 || rep.Dams[0].ID != "mejean" {
		t.Fatalf("dams %+v", rep.Dams)
	}
	for _, a := range rep.Alarms {
		if a.Dam != "mejean" || a.Raised.Before(o.From) || a.Raised.After(o.To) {
			t.Errorf("alarm %s raised at %s is outside the filter", a.ID, a.Raised)
		}
	}
	for _, p := range rep.Dams[0].Series {
		if p.T.Before(o.From) || p.T.After(o.To) {
			t.Errorf("reading at %s outside the period", p.T)
		}
	}
	for _, l := range rep.Story {
		if l.Dam != "" && l.Dam != "mejean" {
			t.Errorf("story line of %s: %s", l.Dam, l.Text)
		}
	}
	if len(rep.Alarms) == 0 || len(rep.Story) == 0 {
		t.Fatal("nothing reported for Méjean 03:00-04:00")
	}
	if _, err := report.Build(report.Options{Language: "de"}, nil); err == nil {
		t.Error("German accepted")
	}
}
