package commands_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

var t0 = time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func policies() map[sensor.ID]gauge.Policy {
	mk := func(id sensor.ID, d dam.ID) gauge.Policy {
		return gauge.Policy{
			Spec: sensor.Spec{ID: id, Kind: "water_level", Unit: "m", PlausibleMin: -0.2, PlausibleMax: 11, MaxRate: 120, SuspectRate: 60, Period: 5 * time.Minute},
			Dam:  d,
			Thresholds: []dam.Threshold{
				{Name: "vigilance", Level: 3, Severity: dam.SeverityLow, Deadband: 0.05},
				{Name: "alerte", Level: 6, Severity: dam.SeverityHigh, Deadband: 0.05},
			},
			LateAfter: 5 * time.Minute, MaxFuture: 2 * time.Minute,
		}
	}
	return map[sensor.ID]gauge.Policy{"mejean.level": mk("mejean.level", "mejean"), "est.level": mk("est.level", "est")}
}

type fixture struct {
	store eventstore.Store
	codec *eventstore.Codec
	ing   *commands.Ingester
	clock *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func newFixture(tb testing.TB, dir string) *fixture {
	tb.Helper()
	store, err := embedded.Open(dir, embedded.Options{}, discard())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	codec, err := eventstore.NewCodec(catalog.Events(), nil, catalog.Upcasters())
	if err != nil {
		tb.Fatal(err)
	}
	c := &clock{t: t0.Add(3 * time.Hour)}
	ing, err := commands.NewIngester(store, codec, policies(), c.Now, discard())
	if err != nil {
		tb.Fatal(err)
	}
	return &fixture{store: store, codec: codec, ing: ing, clock: c}
}

func (f *fixture) events(t *testing.T, typ string) []eventstore.Record {
	t.Helper()
	recs, err := f.store.ReadAll(context.Background(), 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var out []eventstore.Record
	for _, r := range recs {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func TestIngestOutcomesAndIdempotence(t *testing.T) {
	t.Parallel()
	f := newFixture(t, t.TempDir())
	ctx := context.Background()
	cmd := commands.IngestReadings{Actor: "apikey:gw", Items: []commands.Item{
		{Sensor: "mejean.level", Time: t0, Value: 1},
		{Sensor: "est.level", Time: t0, Value: 2},
		{Sensor: "mejean.level", Time: t0.Add(time.Minute), Value: 99},
	}}
	res, err := f.ing.Handle(ctx, cmd)
	if err != nil {
		t.Fatal(err)
	}
	if a, d, r := res.Counts(); a != 3 || d != 0 || r != 0 {
		t.Fatalf("first post: accepted %d, duplicates %d, rejected %d", a, d, r)
	}
	if q := res.Outcomes[2].Quality; q != sensor.Implausible {
		t.Fatalf("spike quality %s, want implausible", q)
	}
	if res.LastPosition == 0 {
		t.Fatal("no position returned")
	}
	res, err = f.ing.Handle(ctx, cmd) // a gateway retrying
	if err != nil {
		t.Fatal(err)
	}
	if a, d, _ := res.Counts(); a != 0 || d != 3 {
		t.Fatalf("retry: accepted %d, duplicates %d; want 0 and 3", a, d)
	}
	if n := len(f.events(t, gauge.ReadingsRecorded{}.EventType())); n != 2 {
		t.Fatalf("%d readings events, want 2 (one per sensor; the retry stores nothing)", n)
	}
	if n := len(f.events(t, gauge.Configured{}.EventType())); n != 2 {
		t.Fatalf("%d configured events, want 2", n)
	}
}

func TestIngestRefusesWholeCommand(t *testing.T) {
	t.Parallel()
	f := newFixture(t, t.TempDir())
	tests := []struct {
		name      string
		items     []commands.Item
		allowed   func(sensor.ID) bool
		forbidden bool
	}{
		{"unknown sensor", []commands.Item{{Sensor: "mejean.level", Time: t0, Value: 1}, {Sensor: "nope", Time: t0, Value: 1}}, nil, false},
		{"far future", []commands.Item{{Sensor: "mejean.level", Time: t0.Add(4 * time.Hour), Value: 1}}, nil, false},
		{"out of scope", []commands.Item{{Sensor: "est.level", Time: t0, Value: 1}}, func(s sensor.ID) bool { return s == "mejean.level" }, true},
		{"empty", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.ing.Handle(context.Background(), commands.IngestReadings{Items: tt.items, Allowed: tt.allowed})
			var inv *commands.InvalidReadingsError
			if !errors.As(err, &inv) {
				t.Fatalf("got %v, want *InvalidReadingsError", err)
			}
			if inv.Forbidden != tt.forbidden {
				t.Fatalf("forbidden %v, want %v", inv.Forbidden, tt.forbidden)
			}
		})
	}
	if n := len(f.events(t, gauge.ReadingsRecorded{}.EventType())); n != 0 {
		t.Fatalf("refused commands stored %d events", n)
	}
}

// 64 clients posting single readings to one sensor at once: every reading lands exactly once,
// crossings are decided in sensor-time order, whatever order the requests were served in.
func TestIngestConcurrentSingleReadings(t *testing.T) {
	t.Parallel()
	f := newFixture(t, t.TempDir())
	const n = 64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := 1 + 6*float64(i)/n // a slow rise crossing vigilance (3 m) once
			_, err := f.ing.Handle(context.Background(), commands.IngestReadings{Items: []commands.Item{{Sensor: "mejean.level", Time: t0.Add(time.Duration(i) * time.Minute), Value: v}}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for _, r := range f.events(t, gauge.ReadingsRecorded{}.EventType()) {
		e, err := f.codec.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		total += len(e.(gauge.ReadingsRecorded).Readings)
	}
	if total != n {
		t.Fatalf("%d readings stored, want %d", total, n)
	}
	ups := 0
	for _, r := range f.events(t, gauge.ThresholdCrossed{}.EventType()) {
		e, _ := f.codec.Decode(r)
		if c := e.(gauge.ThresholdCrossed); c.Threshold == "vigilance" && c.Direction == gauge.Up {
			ups++
		}
	}
	// Out-of-order arrival may mark some readings late, but vigilance is crossed at most once.
	if ups > 1 {
		t.Fatalf("vigilance crossed up %d times", ups)
	}
}

func TestIngestResumesAfterReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := newFixture(t, dir)
	ctx := context.Background()
	if _, err := f.ing.Handle(ctx, commands.IngestReadings{Items: []commands.Item{{Sensor: "mejean.level", Time: t0, Value: 6.5}}}); err != nil {
		t.Fatal(err)
	}
	f.store.Close()
	g := newFixture(t, dir)
	res, err := g.ing.Handle(ctx, commands.IngestReadings{Items: []commands.Item{
		{Sensor: "mejean.level", Time: t0, Value: 6.5},
		{Sensor: "mejean.level", Time: t0.Add(time.Minute), Value: 6.6},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcomes[0].Status != gauge.Duplicate || res.Outcomes[1].Status != gauge.Accepted {
		t.Fatalf("after reopen: %+v", res.Outcomes)
	}
	if n := len(g.events(t, gauge.ThresholdCrossed{}.EventType())); n != 2 {
		t.Fatalf("%d crossings, want 2 (vigilance and alerte, once)", n)
	}
}

// An OPC-UA value of status Uncertain is stored suspect, still counts for thresholds, and an
// implausible one stays implausible: the source's doubt never makes a reading better.
func TestIngestUncertainIsSuspect(t *testing.T) {
	t.Parallel()
	f := newFixture(t, t.TempDir())
	res, err := f.ing.Handle(context.Background(), commands.IngestReadings{Actor: "opcua:plc", Items: []commands.Item{
		{Sensor: "mejean.level", Time: t0, Value: 2.9},
		{Sensor: "mejean.level", Time: t0.Add(time.Minute), Value: 3.1, Uncertain: true},
		{Sensor: "mejean.level", Time: t0.Add(2 * time.Minute), Value: 50, Uncertain: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []sensor.Quality{sensor.Good, sensor.Suspect, sensor.Implausible}
	for i, o := range res.Outcomes {
		if o.Status != gauge.Accepted || o.Quality != want[i] {
			t.Errorf("item %d: %+v, want accepted %s", i, o, want[i])
		}
	}
	if got := len(f.events(t, (gauge.ThresholdCrossed{}).EventType())); got != 1 {
		t.Errorf("%d crossings, want the vigilance one from the uncertain reading", got)
	}
}
