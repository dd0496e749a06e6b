package projections_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// appendReadings appends events of perEvent one-minute readings each, round-robin over sensors.
func appendReadings(b *testing.B, e *env, sensors []sensor.ID, events, perEvent int) {
	b.Helper()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	next := map[sensor.ID]int{}
	for i := range events {
		id := sensors[i%len(sensors)]
		ev := gauge.ReadingsRecorded{Sensor: id, Dam: "d"}
		for range perEvent {
			at := start.Add(time.Duration(next[id]) * time.Minute)
			ev.Readings = append(ev.Readings, gauge.Sample{T: at, V: 3 + 2*math.Sin(float64(next[id])/500), Q: sensor.Good})
			next[id]++
		}
		enc, err := e.codec.Encode(ev, eventstore.Metadata{Actor: "apikey:gw"})
		if err != nil {
			b.Fatal(err)
		}
		e.clock = ev.Readings[len(ev.Readings)-1].T.Add(5 * time.Second)
		if _, err := e.events.Append(context.Background(), "sensor-"+string(id), eventstore.Any, enc); err != nil {
			b.Fatal(err)
		}
	}
}

// report adds the rates of b's loop: events and readings per second of wall time, and per second
// of the process's CPU time spent in the loop (the machine is shared: the wall clock measures the
// neighbours too).
func report(b *testing.B, events, perEvent int, cpu time.Duration) {
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*events)/secs, "events/s")
	b.ReportMetric(float64(b.N*events*perEvent)/secs, "readings/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N*events)/cpu.Seconds(), "events/cpu-s")
		b.ReportMetric(float64(b.N*events*perEvent)/cpu.Seconds(), "readings/cpu-s")
	}
}

// BenchmarkRebuild replays a log of readings through the levels and timeline projections into the
// embedded read store, as `vigie rebuild` does: events of one reading (a gateway posting each) and
// of 100 (a gateway flushing its buffer), and a longer log of single readings, where the read
// store's file outgrows its caches and WAL checkpoints.
func BenchmarkRebuild(b *testing.B) {
	for _, tc := range []struct {
		name             string
		events, perEvent int
	}{
		{"readings-per-event=1", 20000, 1},
		{"readings-per-event=100", 2000, 100},
		{"long/readings-per-event=1", 500000, 1},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e := newEnv(b, 1000)
			appendReadings(b, e, []sensor.ID{"mejean.level", "bassin-nord.level", "barrage-est.level"}, tc.events, tc.perEvent)
			r := e.runner(b)
			b.ResetTimer()
			cpu := cpuTime()
			for range b.N {
				rep, err := r.Rebuild(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if rep.Head != uint64(tc.events) {
					b.Fatalf("rebuilt to %d, want %d", rep.Head, tc.events)
				}
			}
			report(b, tc.events, tc.perEvent, cpuTime()-cpu)
		})
	}
}

// BenchmarkFollow is the live side: Run follows a log of single readings from 200 sensors, handed
// out by the subscription in batches of 1000 (the embedded event store's most) or 100 (a lightly
// loaded server commits smaller ones), each batch committed by each projection. It is what the
// projections sustain behind the ingestion.
func BenchmarkFollow(b *testing.B) {
	sensors := make([]sensor.ID, 200)
	for i := range sensors {
		sensors[i] = sensor.ID(fmt.Sprintf("s%03d.level", i))
	}
	const events = 20000
	for _, batch := range []int{1000, 100} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			e := newEnv(b, batch)
			appendReadings(b, e, sensors, events, 1)
			b.ResetTimer()
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				fresh := newEnv(b, batch) // empty views, the same log
				fresh.events = e.events
				r := fresh.runner(b)
				b.StartTimer()
				c := cpuTime()
				stop := start(b, r)
				waitFor(b, r, events)
				stop()
				cpu += cpuTime() - c
			}
			report(b, events, 1, cpu)
		})
	}
}
