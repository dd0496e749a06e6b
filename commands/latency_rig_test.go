//go:build unix

package commands_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// latencyRig is what the latency benchmarks share: a probe dam whose gauge crosses the alerte
// threshold (6 m), background gauges on another dam, the ingester, the condition engine and the
// alarm commands, on the embedded store (fsync'd appends).
type latencyRig struct {
	store     *embedded.Store
	codec     *eventstore.Codec
	ing       *commands.Ingester
	engine    *commands.ConditionEngine
	cmds      *commands.AlarmCommands
	probe, bg dam.Dam
}

// newLatencyRig builds the rig with background gauges; process gives them the process conditions
// too (rate of rise, time to spill), whose least-squares fits cost more as readings come in.
func newLatencyRig(b *testing.B, background int, process bool) *latencyRig {
	store, err := embedded.Open(b.TempDir(), embedded.Options{}, discard())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		b.Fatal(err)
	}
	spec := func(id sensor.ID) sensor.Spec {
		return sensor.Spec{ID: id, Kind: "water_level", Unit: "m", PlausibleMin: -0.2, PlausibleMax: 11, Period: time.Second}
	}
	thresholds := []dam.Threshold{{Name: "alerte", Level: 6, Severity: dam.SeverityHigh, Deadband: 0.05}}
	r := &latencyRig{store: store, codec: codec,
		probe: dam.Dam{ID: "probe", Name: "Probe", SpillwayCrest: 9, Sensors: []sensor.Spec{spec("probe.level")}, Thresholds: thresholds},
		bg:    dam.Dam{ID: "bg", SpillwayCrest: 9},
	}
	for i := range background {
		r.bg.Sensors = append(r.bg.Sensors, spec(sensor.ID(fmt.Sprintf("bg%04d.level", i))))
	}
	policies := map[sensor.ID]gauge.Policy{}
	var rules []commands.DamRules
	for _, d := range []dam.Dam{r.probe, r.bg} {
		dr := commands.DamRules{Dam: d}
		if process || d.ID == r.probe.ID {
			rr := commands.RateOfRiseRule(1, 15*time.Minute, dam.SeverityHigh)
			ts := commands.TimeToSpillRule(time.Hour, 15*time.Minute, dam.SeverityCritical)
			dr.RateOfRise, dr.TimeToSpill = &rr, &ts
		}
		for _, s := range d.Sensors {
			policies[s.ID] = gauge.Policy{Spec: s, Dam: d.ID, Thresholds: d.Thresholds, LateAfter: 5 * time.Minute, MaxFuture: time.Minute}
			dr.Sensors = append(dr.Sensors, commands.SensorRulesFor(s, time.Hour))
		}
		rules = append(rules, dr)
	}
	if r.ing, err = commands.NewIngester(store, codec, policies, time.Now, discard()); err != nil {
		b.Fatal(err)
	}
	flood := alarm.FloodRule{Window: 10 * time.Minute}
	if r.engine, err = commands.NewConditionEngine(store, codec, commands.EngineConfig{Dams: rules, LateAfter: 5 * time.Minute, Flood: flood}, time.Now, discard()); err != nil {
		b.Fatal(err)
	}
	if r.cmds, err = commands.NewAlarmCommands(store, codec, []dam.Dam{r.probe, r.bg}, flood, time.Now); err != nil {
		b.Fatal(err)
	}
	return r
}

// background posts 1,000 readings/s, 10 every 10 ms, round-robin over the background gauges,
// until ctx ends.
func (r *latencyRig) background(ctx context.Context, b *testing.B, wg *sync.WaitGroup) {
	n := len(r.bg.Sensors)
	if n == 0 {
		return
	}
	wg.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		i := 0
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				items := make([]commands.Item, 10)
				for k := range items {
					items[k] = commands.Item{Sensor: r.bg.Sensors[i%n].ID, Time: now.Add(time.Duration(k) * time.Microsecond), Value: 1 + float64(i%7)/1000}
					i++
				}
				if _, err := r.ing.Handle(ctx, commands.IngestReadings{Items: items}); err != nil && ctx.Err() == nil {
					b.Error(err)
					return
				}
			}
		}
	})
}

// post ingests one reading of the probe now and returns how long its durable append took.
func (r *latencyRig) post(ctx context.Context, b *testing.B, v float64) time.Duration {
	start := time.Now()
	if _, err := r.ing.Handle(ctx, commands.IngestReadings{Items: []commands.Item{{Sensor: "probe.level", Time: time.Now(), Value: v}}}); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
