package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/hydro"
	"github.com/vigie/vigie/domain/sensor"
)

// demo feeds a simulated storm on every dam: the physics runs accelerated (Speed simulated
// seconds per real second), the readings carry the real clock, so what a new user sees is live.
type demo struct {
	dams   []dam.Dam
	ingest func(context.Context, commands.IngestReadings) (commands.IngestResult, error)
	speed  float64
	tick   time.Duration
	now    func() time.Time
	log    *slog.Logger
	seed   uint64
}

type demoBasin struct {
	basin  *hydro.Basin
	storm  hydro.Storm
	gauge  hydro.Gauge
	sensor sensor.ID
	delay  time.Duration // the storm reaches this dam later than the first
}

// calibrate finds the storm peak that lifts the basin just over its spillway crest: the demo
// must show every threshold fire, whatever the configured dams are.
func calibrate(d dam.Dam, ttp time.Duration) (hydro.Storm, error) {
	lo, hi := 0.1, 1000.0
	var storm hydro.Storm
	for i := 0; i < 40; i++ {
		mid := (lo + hi) / 2
		storm = hydro.Storm{Base: 0.02, Peak: mid, TimeToPk: ttp, Shape: 4}
		b, err := newBasin(d)
		if err != nil {
			return storm, err
		}
		peak := 0.0
		for t := time.Duration(0); t < 4*ttp; t += 30 * time.Second {
			b.Step(storm.Inflow(t), 30*time.Second)
			peak = max(peak, b.Level())
		}
		if peak < d.SpillwayCrest+0.25 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return storm, nil
}

func newBasin(d dam.Dam) (*hydro.Basin, error) {
	// Outlet and weir sized from the capacity so small and large basins behave alike.
	return hydro.NewBasin(d, d.Capacity/200000, 3+d.Capacity/4000)
}

func (dm *demo) run(ctx context.Context) error {
	rng := rand.New(rand.NewPCG(dm.seed, 42))
	var basins []*demoBasin
	for i, d := range dm.dams {
		var level *sensor.Spec
		for j := range d.Sensors {
			if d.Sensors[j].Kind == "water_level" || level == nil {
				level = &d.Sensors[j]
			}
		}
		if level == nil {
			continue
		}
		ttp := time.Duration(70+15*i) * time.Minute
		storm, err := calibrate(d, ttp)
		if err != nil {
			return fmt.Errorf("demo: dam %s: %w", d.ID, err)
		}
		b, err := newBasin(d)
		if err != nil {
			return fmt.Errorf("demo: dam %s: %w", d.ID, err)
		}
		basins = append(basins, &demoBasin{basin: b, storm: storm, sensor: level.ID,
			gauge: hydro.Gauge{Noise: 0.004, Rand: rng}, delay: time.Duration(i*10) * time.Minute})
	}
	if len(basins) == 0 {
		return fmt.Errorf("demo: no dam has a level sensor")
	}
	dm.log.Info("demo storm started", "dams", len(basins), "speed", dm.speed)
	simStep := time.Duration(float64(dm.tick) * dm.speed)
	elapsed := time.Duration(0)
	ticker := time.NewTicker(dm.tick)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
		elapsed += simStep
		now := dm.now().UTC().Truncate(time.Millisecond)
		items := make([]commands.Item, 0, len(basins))
		for _, b := range basins {
			b.basin.Step(b.storm.Inflow(elapsed-b.delay), simStep)
			items = append(items, commands.Item{Sensor: b.sensor, Time: now, Value: b.gauge.Read(b.basin.Level())})
		}
		if _, err := dm.ingest(ctx, commands.IngestReadings{Items: items, Actor: "demo"}); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			dm.log.Error("demo ingestion failed", "err", err)
		}
		if elapsed > 6*time.Hour { // the storm is over: the next one starts
			elapsed = 0
		}
	}
}
