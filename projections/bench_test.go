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

// BenchmarkRebuild replays a log of readings through the levels and timeline projections into the
// embedded read store, as `vigie rebuild` does: events of one reading (a gateway posting each) and
// of 100 (a gateway flushing its buffer).
func BenchmarkRebuild(b *testing.B) {
	for _, tc := range []struct{ events, perEvent int }{{20000, 1}, {2000, 100}} {
		b.Run(fmt.Sprintf("readings-per-event=%d", tc.perEvent), func(b *testing.B) {
			e := newEnv(b, 1000)
			codec := newCodec(b)
			sensors := []sensor.ID{"mejean.level", "bassin-nord.level", "barrage-est.level"}
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			next := map[sensor.ID]int{}
			for i := range tc.events {
				id := sensors[i%len(sensors)]
				ev := gauge.ReadingsRecorded{Sensor: id, Dam: "d"}
				for range tc.perEvent {
					at := start.Add(time.Duration(next[id]) * time.Minute)
					ev.Readings = append(ev.Readings, gauge.Sample{T: at, V: 3 + 2*math.Sin(float64(next[id])/500), Q: sensor.Good})
					next[id]++
				}
				enc, err := codec.Encode(ev, eventstore.Metadata{Actor: "apikey:gw"})
				if err != nil {
					b.Fatal(err)
				}
				e.clock = ev.Readings[len(ev.Readings)-1].T.Add(5 * time.Second)
				if _, err := e.events.Append(context.Background(), "sensor-"+string(id), eventstore.Any, enc); err != nil {
					b.Fatal(err)
				}
			}
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
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N*tc.events)/secs, "events/s")
			b.ReportMetric(float64(b.N*tc.events*tc.perEvent)/secs, "readings/s")
			if cpu := cpuTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(b.N*tc.events*tc.perEvent)/cpu.Seconds(), "readings/cpu-s")
			}
		})
	}
}
