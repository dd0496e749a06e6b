package replay_test

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/commands/replay"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/domain/setup"
	"github.com/vigie/vigie/examples"
)

// referenceStorm is the reference 8-hour storm, one reading a minute per sensor.
const referenceStorm = "../../../shared/reference/flood-2025-10-10.csv"

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newCodec(tb testing.TB) *eventstore.Codec {
	tb.Helper()
	c, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func nimes(tb testing.TB) *config.Config {
	tb.Helper()
	cfg, err := config.Parse("examples/nimes.yaml", examples.Nimes())
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// setupOf converts the configuration as cmd/vigie does (replaySetup there).
func setupOf(tb testing.TB, cfg *config.Config, withCascade bool) replay.Setup {
	tb.Helper()
	var rules []commands.DamRules
	for _, dc := range cfg.DamConfigs() {
		r := commands.DamRules{Dam: dc.Dam()}
		for _, s := range dc.Sensors {
			r.Sensors = append(r.Sensors, commands.SensorRulesFor(s.Spec, s.StaleAfter))
		}
		a := dc.Alarms
		if a.RateOfRise.Enabled {
			c := commands.RateOfRiseRule(a.RateOfRise.RiseMPerH, a.RateOfRise.Window, a.RateOfRise.Severity)
			r.RateOfRise = &c
		}
		if a.TimeToSpill.Enabled {
			c := commands.TimeToSpillRule(a.TimeToSpill.Under, a.RateOfRise.Window, a.TimeToSpill.Severity)
			r.TimeToSpill = &c
		}
		if a.Frozen.Enabled {
			c := commands.FrozenRule(a.Frozen.After, a.Frozen.MinTrendMPerH, a.Frozen.Severity)
			r.Frozen = &c
		}
		rules = append(rules, r)
	}
	s := replay.Setup{
		Gauges: cfg.GaugePolicies(),
		Engine: commands.EngineConfig{Dams: rules, LateAfter: cfg.Ingestion().LateAfter, Flood: alarm.FloodRule{Window: 10 * time.Minute}},
		Dams:   cfg.Dams(),
		Actor:  "replay:test",
	}
	if withCascade {
		s.Cascade = replay.Saga(cascadeSetup(tb, cfg))
	}
	return s
}

func cascadeSetup(tb testing.TB, cfg *config.Config) cascade.Setup {
	tb.Helper()
	s, err := cfg.CascadeSetup()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

type row struct {
	sensor sensor.ID
	at     time.Time
	value  float64
}

func readStorm(tb testing.TB) []row {
	tb.Helper()
	f, err := os.Open(referenceStorm)
	if err != nil {
		tb.Fatalf("reference storm: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []row
	for _, r := range recs[1:] {
		at, err1 := time.Parse(time.RFC3339, r[0])
		v, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			tb.Fatalf("storm line %v: %v %v", r, err1, err2)
		}
		out = append(out, row{sensor.ID(r[1]), at, v})
	}
	return out
}

// scripted is an event of the source log other than readings: an operator's action or a
// provider's report, with the time it is recorded at.
type scripted struct {
	at     time.Time
	stream string
	e      event.Event
	actor  string
}

// sourceLog writes a log as a live service would have recorded the storm: the configuration,
// then each sensor's reading of each minute recorded 7 s after it was taken, with the scripted
// events interleaved at their times. Only what a replay reads is there (no decisions).
func sourceLog(tb testing.TB, dir string, cfg *config.Config, rows []row, script []scripted) *embedded.Store {
	tb.Helper()
	codec := newCodec(tb)
	type item struct {
		at     time.Time
		stream string
		e      event.Event
		actor  string
	}
	var items []item
	doc, digest := cfg.Document()
	start := rows[0].at.Add(-30 * time.Minute)
	items = append(items, item{start, setup.Stream, setup.ConfigApplied{Source: "file:examples/nimes.yaml", Digest: digest, Actor: "config:file:examples/nimes.yaml", At: start, Document: doc}, "config:file:examples/nimes.yaml"})
	for _, r := range rows {
		items = append(items, item{r.at.Add(7 * time.Second), eventstore.StreamName(gauge.Category, string(r.sensor)),
			gauge.ReadingsRecorded{Sensor: r.sensor, Readings: []gauge.Sample{{T: r.at, V: r.value}}}, "apikey:gw-" + string(r.sensor)})
	}
	for _, s := range script {
		items = append(items, item{s.at, s.stream, s.e, s.actor})
	}
	slices.SortStableFunc(items, func(a, b item) int { return a.at.Compare(b.at) })
	var recs []eventstore.Record
	revs := map[string]uint64{}
	for i, it := range items {
		enc, err := codec.Encode(it.e, eventstore.Metadata{Actor: it.actor, CorrelationID: "src-" + strconv.Itoa(i+1)})
		if err != nil {
			tb.Fatal(err)
		}
		recs = append(recs, eventstore.Record{Position: uint64(i + 1), Stream: it.stream, Revision: revs[it.stream], Type: enc.Type,
			Schema: enc.Schema, Data: enc.Data, Meta: enc.Meta, RecordedAt: it.at})
		revs[it.stream]++
	}
	st, err := embedded.Open(dir, embedded.Options{}, discard())
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.Import(context.Background(), recs); err != nil {
		tb.Fatal(err)
	}
	return st
}

// scratchIn opens scratch stores in dir (one per call: dir/1, dir/2...).
func scratchIn(dir string) func(now func() time.Time) (eventstore.Store, error) {
	n := 0
	return func(now func() time.Time) (eventstore.Store, error) {
		n++
		return embedded.Open(filepath.Join(dir, strconv.Itoa(n)), embedded.Options{Now: now, Scratch: true}, discard())
	}
}

func runReplay(tb testing.TB, src eventstore.Store, s replay.Setup, o replay.Options) *replay.Result {
	tb.Helper()
	res, err := replay.Run(context.Background(), src, newCodec(tb), s, o, discard())
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func dump(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

var _ = cmp.Compare[int]
