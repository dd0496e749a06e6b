package commands_test

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/examples"
)

// referenceStorm is the reference 8-hour storm, one reading a minute per sensor.
const referenceStorm = "../../shared/reference/flood-2025-10-10.csv"

// alarmWorld is the alarm engine on the embedded store, configured from examples/nimes.yaml, with
// a fake clock.
type alarmWorld struct {
	t      testing.TB
	dir    string
	cfg    *config.Config
	store  *embedded.Store
	codec  *eventstore.Codec
	clock  *clock
	ing    *commands.Ingester
	engine *commands.ConditionEngine
	cmds   *commands.AlarmCommands
	stop   func()
	// wrap, when set, wraps the store the engine writes through (failure injection).
	wrap func(eventstore.Store) eventstore.Store
	// checkpoints, when set, keeps the engine's checkpoint.
	checkpoints commands.Checkpoints
}

func nimesConfig(tb testing.TB) *config.Config {
	tb.Helper()
	cfg, err := config.Parse("examples/nimes.yaml", examples.Nimes())
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// rulesOf converts the configuration as cmd/vigie does.
func rulesOf(cfg *config.Config) []commands.DamRules {
	var out []commands.DamRules
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
		out = append(out, r)
	}
	return out
}

func newAlarmWorld(tb testing.TB, dir string, now time.Time, opts ...func(*alarmWorld)) *alarmWorld {
	tb.Helper()
	w := &alarmWorld{t: tb, dir: dir, cfg: nimesConfig(tb), clock: &clock{t: now}}
	for _, o := range opts {
		o(w)
	}
	w.open()
	return w
}

// open opens the store and starts the engine (again, after close: a restart).
func (w *alarmWorld) open() {
	tb := w.t
	tb.Helper()
	store, err := embedded.Open(w.dir, embedded.Options{Now: w.clock.Now}, discard())
	if err != nil {
		tb.Fatal(err)
	}
	w.store = store
	if w.codec, err = eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters()); err != nil {
		tb.Fatal(err)
	}
	if w.ing, err = commands.NewIngester(store, w.codec, w.cfg.GaugePolicies(), w.clock.Now, discard()); err != nil {
		tb.Fatal(err)
	}
	if err := w.ing.Configure(context.Background(), "config:test"); err != nil {
		tb.Fatal(err)
	}
	flood := alarm.FloodRule{Window: 10 * time.Minute}
	var engineStore eventstore.Store = store
	if w.wrap != nil {
		engineStore = w.wrap(store)
	}
	w.engine, err = commands.NewConditionEngine(engineStore, w.codec, commands.EngineConfig{
		Dams: rulesOf(w.cfg), LateAfter: w.cfg.Ingestion().LateAfter, Flood: flood, Checkpoints: w.checkpoints, CheckpointEvery: 50,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}, w.clock.Now, discard())
	if err != nil {
		tb.Fatal(err)
	}
	if w.cmds, err = commands.NewAlarmCommands(store, w.codec, w.cfg.Dams(), flood, w.clock.Now); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := w.engine.Run(ctx); err != nil {
			tb.Error(err)
		}
	})
	w.stop = func() { cancel(); wg.Wait() }
	tb.Cleanup(w.close)
}

func (w *alarmWorld) close() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
		w.store.Close()
	}
}

// sync waits until the engine has handled the whole log, including what it appended itself.
func (w *alarmWorld) sync() {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		head, err := w.store.Head(ctx)
		if err != nil {
			w.t.Fatal(err)
		}
		if err := w.engine.WaitFor(ctx, head); err != nil {
			w.t.Fatal(err)
		}
		if again, _ := w.store.Head(ctx); again == head {
			return
		}
	}
}

func (w *alarmWorld) ingest(items ...commands.Item) commands.IngestResult {
	w.t.Helper()
	res, err := w.ing.Handle(context.Background(), commands.IngestReadings{Items: items, Actor: "apikey:test"})
	if err != nil {
		w.t.Fatal(err)
	}
	return res
}

func (w *alarmWorld) records(stream string) []eventstore.Record {
	w.t.Helper()
	recs, err := w.store.ReadStream(context.Background(), stream, 0, 1<<20)
	if err != nil {
		w.t.Fatal(err)
	}
	return recs
}

// alarmEvents returns every alarm event of the log, decoded, in log order, with its record.
func (w *alarmWorld) alarmEvents() []loggedEvent {
	w.t.Helper()
	recs, err := w.store.ReadAll(context.Background(), 0, 1<<22)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []loggedEvent
	for _, r := range recs {
		if !strings.HasPrefix(r.Stream, alarm.Category+"-") && !strings.HasPrefix(r.Stream, alarm.BoardCategory+"-") {
			continue
		}
		e, err := w.codec.Decode(r)
		if err != nil {
			w.t.Fatal(err)
		}
		out = append(out, loggedEvent{r, e})
	}
	return out
}

type loggedEvent struct {
	rec eventstore.Record
	ev  event.Event
}

// raised lists the alarm.Raised events of the log.
func (w *alarmWorld) raised() []alarm.Raised {
	var out []alarm.Raised
	for _, e := range w.alarmEvents() {
		if r, ok := e.ev.(alarm.Raised); ok {
			out = append(out, r)
		}
	}
	return out
}

func (w *alarmWorld) status(id alarm.ID) alarm.Status {
	w.t.Helper()
	recs := w.records("alarm-" + string(id))
	a := alarm.New(id)
	var history []event.Event
	for _, r := range recs {
		e, err := w.codec.Decode(r)
		if err != nil {
			w.t.Fatal(err)
		}
		history = append(history, e)
	}
	if len(recs) > 0 {
		a.Load(recs[len(recs)-1].Revision, history)
	}
	return a.Status()
}

type stormRow struct {
	sensor   sensor.ID
	t        time.Time
	v        float64
	injected string
}

func readStorm(tb testing.TB) []stormRow {
	tb.Helper()
	f, err := os.Open(referenceStorm)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []stormRow
	for _, r := range recs[1:] {
		t, err := time.Parse(time.RFC3339, r[0])
		if err != nil {
			tb.Fatal(err)
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, stormRow{sensor.ID(r[1]), t, v, r[3]})
	}
	return out
}

func items(rows []stormRow) []commands.Item {
	out := make([]commands.Item, len(rows))
	for i, r := range rows {
		out[i] = commands.Item{Sensor: r.sensor, Time: r.t, Value: r.v}
	}
	return out
}

func at(hhmm string) time.Time {
	t, err := time.Parse(time.RFC3339, "2025-10-10T"+hhmm+":00Z")
	if err != nil {
		panic(err)
	}
	return t
}

// streams gives each alarm and board stream's events as "type data", to compare two logs whose
// positions differ.
func (w *alarmWorld) streams() map[string][]string {
	out := map[string][]string{}
	for _, e := range w.alarmEvents() {
		out[e.rec.Stream] = append(out[e.rec.Stream], e.rec.Type+" "+string(e.rec.Data))
	}
	return out
}

// flaky fails one append to an alarm or board stream: the n-th, before storing it, or after
// (stored, but the caller hears of a failure, as after a timeout).
type flaky struct {
	eventstore.Store
	mu    sync.Mutex
	n     int
	fail  int
	after bool
}

var errInjected = errors.New("injected failure")

func (f *flaky) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	if !strings.HasPrefix(stream, alarm.Category+"-") && !strings.HasPrefix(stream, alarm.BoardCategory+"-") {
		return f.Store.Append(ctx, stream, expected, events...)
	}
	f.mu.Lock()
	f.n++
	fail := f.n == f.fail
	f.mu.Unlock()
	if fail && !f.after {
		return eventstore.AppendResult{}, errInjected
	}
	res, err := f.Store.Append(ctx, stream, expected, events...)
	if fail && err == nil {
		return eventstore.AppendResult{}, errInjected
	}
	return res, err
}

// memCheckpoints keeps the engine's checkpoint in memory.
type memCheckpoints struct {
	mu  sync.Mutex
	pos uint64
}

func (m *memCheckpoints) Checkpoint(context.Context, string) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pos, nil
}

func (m *memCheckpoints) Commit(_ context.Context, _ string, pos uint64, _ readstore.Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pos = max(m.pos, pos)
	return nil
}
