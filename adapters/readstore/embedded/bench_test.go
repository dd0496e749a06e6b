package embedded_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// minuteSamples returns n one-minute readings per sensor from start, as one batch at pos.
func minuteSamples(sensors []string, start time.Time, n int, pos uint64) []readstore.Sample {
	out := make([]readstore.Sample, 0, len(sensors)*n)
	for _, s := range sensors {
		for i := range n {
			at := start.Add(time.Duration(i) * time.Minute)
			q := "good"
			if i%1000 == 999 {
				q = "implausible"
			}
			out = append(out, readstore.Sample{
				Sensor: s, Dam: "d", Time: at, Value: 3 + math.Sin(float64(at.Unix())/86400), Quality: q,
				RecordedAt: at.Add(2 * time.Second), Position: pos, Index: i,
			})
		}
	}
	return out
}

// BenchmarkCommitSamples measures write throughput: batches of readings of 10 sensors, each
// committed with its checkpoint, including the three roll-ups.
func BenchmarkCommitSamples(b *testing.B) {
	sensors := make([]string, 10)
	for i := range sensors {
		sensors[i] = fmt.Sprintf("dam%d.level", i)
	}
	for _, perSensor := range []int{1, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("batch=%d", perSensor*len(sensors)), func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			batches := make([]readstore.Batch, b.N)
			for i := range batches {
				batches[i].Samples = minuteSamples(sensors, start.Add(time.Duration(i*perSensor)*time.Minute), perSensor, uint64(i+1))
			}
			b.ResetTimer()
			cpu := cpuTime()
			for i := range b.N {
				if err := s.Commit(ctx, "levels.v1", uint64(i+1), batches[i]); err != nil {
					b.Fatal(err)
				}
			}
			n := float64(b.N * perSensor * len(sensors))
			b.ReportMetric(n/b.Elapsed().Seconds(), "samples/s")
			if cpu := cpuTime() - cpu; cpu > 0 {
				b.ReportMetric(n/cpu.Seconds(), "samples/cpu-s")
			}
		})
	}
}

// BenchmarkSeriesYear: a year of one-minute readings of one sensor, asked for about 1000 points
// (the width of a chart), and the other spans a chart shows, with the step the API picks by
// default (week: 10 min, day: 2 min, 6 h: raw). The week and day are also asked of a sensor
// reporting every 5 s, the fastest a gauge reports: minute-sized buckets are computed from the
// samples, so that is the worst case of reading them.
func BenchmarkSeriesYear(b *testing.B) {
	s := open(b)
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	pos := uint64(1)
	load := func(sensor string, total int, every time.Duration) {
		const perBatch = 10000
		for i := 0; i < total; i += perBatch {
			n := min(perBatch, total-i)
			batch := readstore.Batch{Samples: minuteSamples([]string{sensor}, start.Add(time.Duration(i)*every), n, pos)}
			for k := range batch.Samples {
				batch.Samples[k].Time = start.Add(time.Duration(i+k) * every)
			}
			if err := s.Commit(ctx, "levels.v1", pos, batch); err != nil {
				b.Fatal(err)
			}
			pos++
		}
	}
	load("mejean.level", 365*24*60, time.Minute)
	load("fast.level", 8*24*720, 5*time.Second)
	year, week, day := 365*24*time.Hour, 7*24*time.Hour, 24*time.Hour
	tests := []struct {
		name     string
		sensor   string
		from     time.Time
		span     time.Duration
		step     time.Duration
		minPoint int
	}{
		{"year/1000points", "mejean.level", start, year, year / 1000, 900},
		{"year/ragged/1000points", "mejean.level", start.Add(13*time.Hour + 7*time.Minute + 5*time.Second), year - 26*time.Hour, year / 1000, 900},
		{"month/1h", "mejean.level", start.Add(90 * day), 30 * day, time.Hour, 700},
		{"week/10min", "mejean.level", start.Add(100*day + 7*time.Minute), week, 10 * time.Minute, 1000},
		{"day/2min", "mejean.level", start.Add(200*day + 3*time.Minute), day, 2 * time.Minute, 700},
		{"day/raw", "mejean.level", start.Add(200 * day), day, 0, 1440},
		{"5s/week/10min", "fast.level", start.Add(day + 7*time.Minute), week, 10 * time.Minute, 1000},
		{"5s/day/2min", "fast.level", start.Add(3*day + 3*time.Minute), day, 2 * time.Minute, 700},
		{"5s/6h/raw", "fast.level", start.Add(3 * day), 6 * time.Hour, 0, 4320},
	}
	for _, tc := range tests {
		b.Run(tc.name, func(b *testing.B) {
			q := readstore.SeriesQuery{Sensor: tc.sensor, From: tc.from, To: tc.from.Add(tc.span), Step: tc.step}
			var n int
			cpu := cpuTime()
			for b.Loop() {
				pts, err := s.Series(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				n = len(pts)
			}
			if n < tc.minPoint {
				b.Fatalf("%d points, want at least %d", n, tc.minPoint)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(n), "points")
		})
	}
}
