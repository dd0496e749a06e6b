package clickhouse_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/clickhouse"
)

// Figures reported next to wall-clock ones, because the machine is shared: the CPU time of this
// process and that of the ClickHouse server (the whole server, found in /proc: it counts only
// when the server runs on this machine, and only while nothing else uses it).

func benchStore(b *testing.B) (*clickhouse.Store, string) {
	b.Helper()
	db := newDatabase(b)
	s, err := clickhouse.Open(context.Background(), testDSN(), clickhouse.Options{Database: db, MaxConns: 4}, discard())
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s, db
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU is the CPU time of the clickhouse-server processes of this machine (0 if none).
func serverCPU() time.Duration {
	var total time.Duration
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(d + "/comm")
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(comm)), "clickhouse-serv") {
			continue
		}
		stat, err := os.ReadFile(d + "/stat")
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
// committed with its checkpoint, the three roll-ups included (the materialized views run in the
// same INSERT). As the PostgreSQL and embedded stores' benchmark, so that the figures compare.
func BenchmarkCommitSamples(b *testing.B) {
	sensors := make([]string, 10)
	for i := range sensors {
		sensors[i] = fmt.Sprintf("dam%d.level", i)
	}
	for _, perSensor := range []int{1, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("batch=%d", perSensor*len(sensors)), func(b *testing.B) {
			s, _ := benchStore(b)
			ctx := context.Background()
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			batches := make([]readstore.Batch, b.N)
			for i := range batches {
				batches[i].Samples = minuteSamples(sensors, start.Add(time.Duration(i*perSensor)*time.Minute), perSensor, uint64(i+1))
			}
			if err := s.Commit(ctx, "levels.v1", 0, readstore.Batch{}); err != nil { // warm the pool
				b.Fatal(err)
			}
			cpu, srv := processCPU(), serverCPU()
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
			if srv := serverCPU() - srv; srv > 0 {
				b.ReportMetric(n/srv.Seconds(), "samples/ch-cpu-s")
			}
		})
	}
}

// BenchmarkSeriesYear: a year of one-minute readings of one sensor, asked for about 1000 points
// (the width of a chart), and the other spans a chart shows, as the other stores' benchmark; the
// week and day also of a sensor reporting every 5 s. The "query-time" cases compute the same
// year from the raw samples with no roll-up, to measure what the roll-ups buy.
func BenchmarkSeriesYear(b *testing.B) {
	s, db := benchStore(b)
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	pos := uint64(1)
	load := func(sensor string, total int, every time.Duration) {
		const perBatch = 50000
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
	conn, err := ch.Open(&ch.Options{Addr: []string{chAddr()}})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
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
		{"year/1d", "mejean.level", start, year, day, 365},
		{"month/1h", "mejean.level", start.Add(90 * day), 30 * day, time.Hour, 700},
		{"week/10min", "mejean.level", start.Add(100*day + 7*time.Minute), week, 10 * time.Minute, 1000},
		{"day/2min", "mejean.level", start.Add(200*day + 3*time.Minute), day, 2 * time.Minute, 700},
		{"day/raw", "mejean.level", start.Add(200 * day), day, 0, 1440},
		{"5s/week/10min", "fast.level", start.Add(day + 7*time.Minute), week, 10 * time.Minute, 1000},
		{"5s/day/2min", "fast.level", start.Add(3*day + 3*time.Minute), day, 2 * time.Minute, 700},
		{"5s/6h/raw", "fast.level", start.Add(3 * day), 6 * time.Hour, 0, 4320},
	}
	report := func(b *testing.B, n int, cpu, srv time.Duration) {
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		b.ReportMetric(float64((serverCPU()-srv).Microseconds())/1000/float64(b.N), "ch-cpu-ms/op")
		b.ReportMetric(float64(n), "points")
	}
	for _, tc := range tests {
		b.Run(tc.name, func(b *testing.B) {
			q := readstore.SeriesQuery{Sensor: tc.sensor, From: tc.from, To: tc.from.Add(tc.span), Step: tc.step}
			var n int
			cpu, srv := processCPU(), serverCPU()
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
			report(b, n, cpu, srv)
		})
	}
	// The same year buckets computed at query time from the 525,600 raw samples: what a store
	// without roll-ups would do.
	for _, step := range []time.Duration{year / 1000, day} {
		b.Run(fmt.Sprintf("query-time/year/%s", step.Round(time.Second)), func(b *testing.B) {
			secs := int64(readstoreStep(step) / time.Second)
			query := fmt.Sprintf(`SELECT intDiv(intDiv(t, 1000000000), %d) * %d AS bucket,
					countIf(q != 'implausible'), countIf(q = 'implausible'), minIf(v, q != 'implausible'), maxIf(v, q != 'implausible'),
					sumIf(v, q != 'implausible'), argMaxIf(v, t, q != 'implausible')
				FROM %s.samples WHERE sensor = ? AND t >= ? AND t < ? GROUP BY bucket ORDER BY bucket`, secs, secs, db)
			var n int
			cpu, srv := processCPU(), serverCPU()
			for b.Loop() {
				rows, err := conn.Query(ctx, query, "mejean.level", start.UnixNano(), start.Add(year).UnixNano())
				if err != nil {
					b.Fatal(err)
				}
				n = 0
				for rows.Next() {
					n++
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
			report(b, n, cpu, srv)
		})
	}
}

// readstoreStep is the bucket width Series uses for a step over whole roll-ups (see
// readstoretest.BucketStep), so that the query-time figures are for the same buckets.
func readstoreStep(step time.Duration) time.Duration {
	secs := max(1, int64((step+time.Second-1)/time.Second))
	for _, level := range []int64{86400, 3600, 60} {
		if level <= secs {
			secs = (secs + level - 1) / level * level
			break
		}
	}
	return time.Duration(secs) * time.Second
}
