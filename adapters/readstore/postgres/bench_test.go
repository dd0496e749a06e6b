package postgres_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/postgres"
)

// Figures reported next to wall-clock ones, because the machine is shared: the CPU time of this
// process and that of the PostgreSQL backends serving the benchmark's connections (found by their
// application_name), per unit of work.

func benchStore(b *testing.B) (*postgres.Store, string) {
	b.Helper()
	schema := newSchema(b)
	app := "vigie_bench_" + strings.TrimPrefix(schema, "vigie_test_")
	sep := "?"
	if strings.Contains(testDSN(), "?") {
		sep = "&"
	}
	s, err := postgres.Open(context.Background(), testDSN()+sep+"application_name="+app, postgres.Options{Schema: schema, MaxConns: 4}, discard())
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s, app
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendCPU sums the CPU time of the server processes serving connections named app (read from
// /proc: it counts only when the server runs on this machine).
func backendCPU(b *testing.B, app string) time.Duration {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		b.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, app)
	if err != nil {
		b.Fatalf("list backends: %v", err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		b.Fatalf("list backends: %v", err)
	}
	var total time.Duration
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(ut+st) * 10 * time.Millisecond // clock ticks of 10 ms
	}
	return total
}

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
			s, app := benchStore(b)
			ctx := context.Background()
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			batches := make([]readstore.Batch, b.N)
			for i := range batches {
				batches[i].Samples = minuteSamples(sensors, start.Add(time.Duration(i*perSensor)*time.Minute), perSensor, uint64(i+1))
			}
			if err := s.Commit(ctx, "levels.v1", 0, readstore.Batch{}); err != nil { // warm the pool
				b.Fatal(err)
			}
			cpu, srv := processCPU(), backendCPU(b, app)
			b.ResetTimer()
			for i := range b.N {
				if err := s.Commit(ctx, "levels.v1", uint64(i+1), batches[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			n := float64(b.N * perSensor * len(sensors))
			b.ReportMetric(n/b.Elapsed().Seconds(), "samples/s")
			if cpu := processCPU() - cpu; cpu > 0 {
				b.ReportMetric(n/cpu.Seconds(), "samples/cpu-s")
			}
			if srv := backendCPU(b, app) - srv; srv > 0 {
				b.ReportMetric(n/srv.Seconds(), "samples/pg-cpu-s")
			}
		})
	}
}

// BenchmarkSeriesYear: a year of one-minute readings of one sensor, asked for about 1000 points
// (the width of a chart), and the other spans a chart shows (as the embedded store's benchmark,
// so that the figures compare); the week and day also of a sensor reporting every 5 s.
func BenchmarkSeriesYear(b *testing.B) {
	s, app := benchStore(b)
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
			cpu, srv := processCPU(), backendCPU(b, app)
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
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64((backendCPU(b, app)-srv).Microseconds())/1000/float64(b.N), "pg-cpu-ms/op")
			b.ReportMetric(float64(n), "points")
		})
	}
}
