package readstoretest

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// The benchmarks every adapter runs, from its own BenchmarkCommitSamples and BenchmarkSeriesYear,
// so that their figures compare: the same data, the same queries, the same metrics.

// BenchStore is a store under benchmark, with how to read the CPU time of the server it runs in.
type BenchStore struct {
	Store readstore.Store
	// ServerCPU returns the CPU time the server has spent so far on this store's connections (nil
	// for a store in this process). Server names it in the metrics: "pg" gives "pg-cpu-ms/op".
	ServerCPU func(tb testing.TB) time.Duration
	Server    string
}

// CPU returns the process's and the server's CPU time so far, for ReportQuery.
func (bs BenchStore) CPU(tb testing.TB) (proc, server time.Duration) {
	proc = ProcessCPU()
	if bs.ServerCPU != nil {
		server = bs.ServerCPU(tb)
	}
	return proc, server
}

// ReportQuery reports the figures of a query benchmark that returned n points, given the CPU
// times taken (by CPU) before its loop: wall and CPU milliseconds per query, the server's
// too, and the number of points.
func (bs BenchStore) ReportQuery(b *testing.B, n int, cpu, server time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64((ProcessCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	if bs.ServerCPU != nil {
		b.ReportMetric(float64((bs.ServerCPU(b)-server).Microseconds())/1000/float64(b.N), bs.Server+"-cpu-ms/op")
	}
	b.ReportMetric(float64(n), "points")
}

// ProcCPU reads the CPU time (user and system) of a process of this machine from /proc/<pid>/stat;
// ok is false when it cannot be read.
func ProcCPU(pid string) (cpu time.Duration, ok bool) {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command name, which is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 || i+2 > len(stat) {
		return 0, false
	}
	f := strings.Fields(string(stat[i+2:]))
	if len(f) < 13 {
		return 0, false
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond, true // clock ticks of 10 ms
}

// MinuteSamples returns n one-minute readings per sensor from start, as one batch at pos; every
// thousandth is implausible.
func MinuteSamples(sensors []string, start time.Time, n int, pos uint64) []readstore.Sample {
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

// BenchCommitSamples measures write throughput: batches of readings of 10 sensors, each
// committed with its checkpoint, the roll-ups included. open returns an empty store; it is called
// once per batch size.
func BenchCommitSamples(b *testing.B, open func(b *testing.B) BenchStore) {
	sensors := make([]string, 10)
	for i := range sensors {
		sensors[i] = fmt.Sprintf("dam%d.level", i)
	}
	for _, perSensor := range []int{1, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("batch=%d", perSensor*len(sensors)), func(b *testing.B) {
			bs := open(b)
			ctx := context.Background()
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			batches := make([]readstore.Batch, b.N)
			for i := range batches {
				batches[i].Samples = MinuteSamples(sensors, start.Add(time.Duration(i*perSensor)*time.Minute), perSensor, uint64(i+1))
			}
			if err := bs.Store.Commit(ctx, "levels.v1", 0, readstore.Batch{}); err != nil { // warm the pool
				b.Fatal(err)
			}
			cpu, srv := bs.CPU(b)
			b.ResetTimer()
			for i := range b.N {
				if err := bs.Store.Commit(ctx, "levels.v1", uint64(i+1), batches[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			n := float64(b.N * perSensor * len(sensors))
			b.ReportMetric(n/b.Elapsed().Seconds(), "samples/s")
			if cpu := ProcessCPU() - cpu; cpu > 0 {
				b.ReportMetric(n/cpu.Seconds(), "samples/cpu-s")
			}
			if bs.ServerCPU != nil {
				if srv := bs.ServerCPU(b) - srv; srv > 0 {
					b.ReportMetric(n/srv.Seconds(), "samples/"+bs.Server+"-cpu-s")
				}
			}
		})
	}
}

// SeriesYearStart is where BenchSeriesYear's readings start.
func SeriesYearStart() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }

// SeriesYearSensor is the sensor with a year of one-minute readings that BenchSeriesYear loads.
const SeriesYearSensor = "mejean.level"

// BenchSeriesYear loads a year of one-minute readings of one sensor (SeriesYearSensor, 525,600
// rows) and 8 days of a sensor reporting every 5 s, the fastest a gauge reports, in commits of
// perBatch readings. Then it asks for about 1000 points of the year (the width of a chart) and the
// other spans a chart shows, with the step the API picks by default (week: 10 min, day: 2 min,
// 6 h: raw); the week and day also of the 5 s sensor, whose minute-sized buckets may be computed
// from the samples: the worst case of reading them.
func BenchSeriesYear(b *testing.B, bs BenchStore, perBatch int) {
	s := bs.Store
	ctx := context.Background()
	start := SeriesYearStart()
	pos := uint64(1)
	load := func(sensor string, total int, every time.Duration) {
		for i := 0; i < total; i += perBatch {
			n := min(perBatch, total-i)
			batch := readstore.Batch{Samples: MinuteSamples([]string{sensor}, start.Add(time.Duration(i)*every), n, pos)}
			for k := range batch.Samples {
				batch.Samples[k].Time = start.Add(time.Duration(i+k) * every)
			}
			if err := s.Commit(ctx, "levels.v1", pos, batch); err != nil {
				b.Fatal(err)
			}
			pos++
		}
	}
	load(SeriesYearSensor, 365*24*60, time.Minute)
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
		{"year/1000points", SeriesYearSensor, start, year, year / 1000, 900},
		{"year/ragged/1000points", SeriesYearSensor, start.Add(13*time.Hour + 7*time.Minute + 5*time.Second), year - 26*time.Hour, year / 1000, 900},
		{"year/1d", SeriesYearSensor, start, year, day, 365},
		{"month/1h", SeriesYearSensor, start.Add(90 * day), 30 * day, time.Hour, 700},
		{"week/10min", SeriesYearSensor, start.Add(100*day + 7*time.Minute), week, 10 * time.Minute, 1000},
		{"day/2min", SeriesYearSensor, start.Add(200*day + 3*time.Minute), day, 2 * time.Minute, 700},
		{"day/raw", SeriesYearSensor, start.Add(200 * day), day, 0, 1440},
		{"5s/week/10min", "fast.level", start.Add(day + 7*time.Minute), week, 10 * time.Minute, 1000},
		{"5s/day/2min", "fast.level", start.Add(3*day + 3*time.Minute), day, 2 * time.Minute, 700},
		{"5s/6h/raw", "fast.level", start.Add(3 * day), 6 * time.Hour, 0, 4320},
	}
	for _, tc := range tests {
		b.Run(tc.name, func(b *testing.B) {
			q := readstore.SeriesQuery{Sensor: tc.sensor, From: tc.from, To: tc.from.Add(tc.span), Step: tc.step}
			var n int
			cpu, srv := bs.CPU(b)
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
			bs.ReportQuery(b, n, cpu, srv)
		})
	}
}
