package projections_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/domain/setup"
)

var update = flag.Bool("update", false, "rewrite testdata/storm.events.jsonl and the golden files")

// referenceDams are the dams of the reference customer (../shared/reference/dams.yaml), written
// out here so that the test does not depend on the configuration format.
func referenceDams(t testing.TB) []dam.Dam {
	t.Helper()
	type def struct {
		id         dam.ID
		name       string
		capacity   float64
		dyke       float64
		a, b       float64
		crest      float64
		plausible  [2]float64
		thresholds [3]float64
	}
	defs := []def{
		{"mejean", "Barrage de Méjean", 52000, 10, 520, 2.0, 9.0, [2]float64{-0.2, 11}, [3]float64{3, 6, 8.5}},
		{"bassin-nord", "Bassin Nord", 75000, 0, 3000, 1.6, 7.5, [2]float64{-0.2, 9}, [3]float64{2.5, 5, 7}},
		{"barrage-est", "Barrage Est", 23000, 0, 900, 1.8, 6.0, [2]float64{-0.2, 7.5}, [3]float64{2, 4, 5.5}},
	}
	var out []dam.Dam
	for _, d := range defs {
		curve, err := dam.NewPowerCurve(d.a, d.b)
		if err != nil {
			t.Fatal(err)
		}
		x := dam.Dam{
			ID: d.id, Name: d.name, Capacity: d.capacity, DykeHeight: d.dyke, SpillwayCrest: d.crest, Curve: curve,
			Sensors: []sensor.Spec{{
				ID: sensor.ID(string(d.id) + ".level"), Kind: "water_level", Unit: "m",
				PlausibleMin: d.plausible[0], PlausibleMax: d.plausible[1], SuspectRate: 6, Period: 5 * time.Minute,
			}},
			Thresholds: []dam.Threshold{
				{Name: "vigilance", Level: d.thresholds[0], Severity: dam.SeverityLow},
				{Name: "alerte", Level: d.thresholds[1], Severity: dam.SeverityHigh},
				{Name: "crise", Level: d.thresholds[2], Severity: dam.SeverityCritical},
			},
		}
		if err := x.Validate(); err != nil {
			t.Fatalf("dam %s: %v", d.id, err)
		}
		out = append(out, x)
	}
	return out
}

func newCodec(t testing.TB) *eventstore.Codec {
	t.Helper()
	c, err := eventstore.NewCodec(catalog.Events(), nil, catalog.Upcasters())
	if err != nil {
		t.Fatalf("NewCodec: %v", err)
	}
	return c
}

// stormEvents replays the reference storm through the gauges, as the ingestion would: mejean's
// gateway posts every 12 readings, bassin-nord's each reading, barrage-est's every 5, and
// bassin-nord's readings of 03:30-03:39 reach the server only at 04:45 (a buffer flush), so they
// are late. Each post is recorded 7 s after its newest reading.
func stormEvents(t testing.TB) []eventstore.Record {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "flood-2025-10-10.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read storm: %v", err)
	}
	readings := map[sensor.ID][]sensor.Reading{}
	for i, row := range rows[1:] {
		at, err1 := time.Parse(time.RFC3339, row[0])
		v, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("storm line %d: %v %v", i+2, err1, err2)
		}
		readings[sensor.ID(row[1])] = append(readings[sensor.ID(row[1])], sensor.Reading{Time: at, Value: v})
	}
	type post struct {
		at       time.Time
		sensor   sensor.ID
		readings []sensor.Reading
	}
	var posts []post
	group := map[sensor.ID]int{"mejean.level": 12, "bassin-nord.level": 1, "barrage-est.level": 5}
	flushStart := time.Date(2025, 10, 10, 3, 30, 0, 0, time.UTC)
	flushAt := time.Date(2025, 10, 10, 4, 45, 0, 0, time.UTC)
	for id, rs := range readings {
		var buffered []sensor.Reading
		for i := 0; i < len(rs); i += group[id] {
			chunk := rs[i:min(i+group[id], len(rs))]
			if id == "bassin-nord.level" && !chunk[0].Time.Before(flushStart) && chunk[0].Time.Before(flushStart.Add(10*time.Minute)) {
				buffered = append(buffered, chunk...)
				continue
			}
			posts = append(posts, post{at: chunk[len(chunk)-1].Time.Add(7 * time.Second), sensor: id, readings: chunk})
		}
		if len(buffered) > 0 {
			posts = append(posts, post{at: flushAt, sensor: id, readings: buffered})
		}
	}
	slices.SortFunc(posts, func(a, b post) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.sensor, b.sensor)) })

	codec := newCodec(t)
	var out []eventstore.Record
	revisions := map[string]uint64{}
	add := func(stream string, at time.Time, actor string, es ...event.Event) {
		for _, e := range es {
			enc, err := codec.Encode(e, eventstore.Metadata{Actor: actor, CorrelationID: fmt.Sprintf("req-%d", len(out)+1)})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, eventstore.Record{
				Position: uint64(len(out)) + 1, Stream: stream, Revision: revisions[stream], Type: enc.Type,
				Schema: enc.Schema, Data: enc.Data, Meta: enc.Meta, RecordedAt: at,
			})
			revisions[stream]++
		}
	}
	setupAt := time.Date(2025, 10, 10, 1, 30, 0, 0, time.UTC)
	add(setup.Stream, setupAt, "user:admin", setup.ConfigApplied{
		Source: "file:examples/reference.yaml", Digest: "sha256:0f1e2d", Actor: "user:admin", At: setupAt,
		Changes:  []string{"barrage mejean ajouté", "bassin bassin-nord ajouté", "barrage barrage-est ajouté"},
		Document: json.RawMessage(`{"dams":3}`),
	})
	gauges := map[sensor.ID]*gauge.Gauge{}
	dams := referenceDams(t)
	for _, d := range dams {
		g, err := gauge.New(gauge.Policy{Spec: d.Sensors[0], Dam: d.ID, Thresholds: d.Thresholds, LateAfter: 10 * time.Minute, MaxFuture: 5 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		g.Configure("config:examples/reference.yaml", setupAt)
		add(gauge.Category+"-"+string(d.Sensors[0].ID), setupAt, "config:examples/reference.yaml", g.Changes()...)
		g.ClearChanges(uint64(len(g.Changes()) - 1))
		gauges[d.Sensors[0].ID] = g
	}
	for _, p := range posts {
		g := gauges[p.sensor]
		for i, o := range g.Record(p.readings, p.at) {
			if o.Status != gauge.Accepted {
				t.Fatalf("reading %d of %s at %s: %s %s", i, p.sensor, p.at, o.Status, o.Reason)
			}
		}
		stream := gauge.Category + "-" + string(p.sensor)
		add(stream, p.at, "apikey:gw-"+string(p.sensor), g.Changes()...)
		g.ClearChanges(revisions[stream] - 1)
	}
	return out
}

// loadStorm reads the storm's events from testdata, rewriting them first under -update. The
// projections are tested on this fixed log, so a change in the gauge does not show up as a
// projection failure.
func loadStorm(t testing.TB) []eventstore.Record {
	t.Helper()
	path := filepath.Join("testdata", "storm.events.jsonl")
	if *update {
		var buf bytes.Buffer
		for _, r := range stormEvents(t) {
			line, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(line)
			buf.WriteByte('\n')
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer f.Close()
	var out []eventstore.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r eventstore.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// appendAll writes records to the store in order, each at its recorded time.
func appendAll(t testing.TB, s *memStore, clock *time.Time, records []eventstore.Record) {
	t.Helper()
	for _, r := range records {
		*clock = r.RecordedAt
		res, err := s.Append(context.Background(), r.Stream, eventstore.Any, eventstore.Event{Type: r.Type, Schema: r.Schema, Data: r.Data, Meta: r.Meta})
		if err != nil {
			t.Fatalf("append %d: %v", r.Position, err)
		}
		if res.LastPosition != r.Position {
			t.Fatalf("event %d landed at %d: the store is not empty", r.Position, res.LastPosition)
		}
	}
}
