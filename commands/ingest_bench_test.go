package commands_test

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

func reportLatency(b *testing.B, lat []time.Duration) {
	b.Helper()
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkReadingToCrossing measures a reading that crosses a threshold, from the command to
// both the reading and its ThresholdCrossed being durable (one fsync'd append).
func BenchmarkReadingToCrossing(b *testing.B) {
	f := newFixture(b, b.TempDir())
	f.clock.Set(t0.Add(1000 * time.Hour))
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := 2.0
		if i%2 == 0 {
			v = 6.5 // alternately over and under both thresholds: every reading crosses
		}
		start := time.Now()
		res, err := f.ing.Handle(ctx, commands.IngestReadings{Items: []commands.Item{{Sensor: "mejean.level", Time: t0.Add(time.Duration(i) * time.Second), Value: v}}})
		lat = append(lat, time.Since(start))
		if err != nil || res.Outcomes[0].Status != gauge.Accepted {
			b.Fatal(err, res.Outcomes)
		}
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkIngestBatch1000 posts batches of 1,000 readings spread over both sensors.
func BenchmarkIngestBatch1000(b *testing.B) {
	f := newFixture(b, b.TempDir())
	f.clock.Set(t0.Add(100000 * time.Hour))
	ctx := context.Background()
	sensors := []sensor.ID{"mejean.level", "est.level"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		items := make([]commands.Item, 1000)
		for j := range items {
			items[j] = commands.Item{Sensor: sensors[j%2], Time: t0.Add(time.Duration(i*500+j/2) * time.Second), Value: 1 + float64(j%7)/100}
		}
		if _, err := f.ing.Handle(ctx, commands.IngestReadings{Items: items}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "readings/s")
}

// BenchmarkIngestSingleConcurrent: 256 clients each posting one reading per command.
func BenchmarkIngestSingleConcurrent(b *testing.B) {
	for _, clients := range []int{16, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			f := newFixture(b, b.TempDir())
			f.clock.Set(t0.Add(100000 * time.Hour))
			var seq atomic.Int64
			sensors := []sensor.ID{"mejean.level", "est.level"}
			b.SetParallelism(clients / 2) // RunParallel starts GOMAXPROCS×p goroutines (2 cores here)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := seq.Add(1)
					it := commands.Item{Sensor: sensors[n%2], Time: t0.Add(time.Duration(n) * time.Second), Value: 1}
					if _, err := f.ing.Handle(context.Background(), commands.IngestReadings{Items: []commands.Item{it}}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
		})
	}
}
