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
// (the width of a chart), and a few other shapes of query.
func BenchmarkSeriesYear(b *testing.B) {
	s := open(b)
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const perBatch = 10000
	total := 365 * 24 * 60
	for i, pos := 0, uint64(1); i < total; i, pos = i+perBatch, pos+1 {
		n := min(perBatch, total-i)
		batch := readstore.Batch{Samples: minuteSamples([]string{"mejean.level"}, start.Add(time.Duration(i)*time.Minute), n, pos)}
		if err := s.Commit(ctx, "levels.v1", pos, batch); err != nil {
			b.Fatal(err)
		}
	}
	year := 365 * 24 * time.Hour
	tests := []struct {
		name     string
		from     time.Time
		span     time.Duration
		step     time.Duration
		minPoint int
	}{
		{"year/1000points", start, year, year / 1000, 900},
		{"year/ragged/1000points", start.Add(13*time.Hour + 7*time.Minute + 5*time.Second), year - 26*time.Hour, year / 1000, 900},
		{"month/1h", start.Add(90 * 24 * time.Hour), 30 * 24 * time.Hour, time.Hour, 700},
		{"day/raw", start.Add(200 * 24 * time.Hour), 24 * time.Hour, 0, 1440},
	}
	for _, tc := range tests {
		b.Run(tc.name, func(b *testing.B) {
			q := readstore.SeriesQuery{Sensor: "mejean.level", From: tc.from, To: tc.from.Add(tc.span), Step: tc.step}
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
