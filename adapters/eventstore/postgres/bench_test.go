package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/postgres"
)

// Figures reported next to wall-clock throughput, because the machine is shared: cpu-µs/event is
// the CPU time of this process (callers, writer, pgx), pg-cpu-µs/event that of the PostgreSQL
// backends serving this benchmark's connections (found by their application_name), both per event.

// reading is a ~200-byte event, the size of one sensor reading with its envelope.
func reading(i int) eventstore.Event {
	data, _ := json.Marshal(map[string]any{
		"sensor": "mejean.level", "value": 12.3456 + float64(i%1000)/1000, "unit": "m",
		"quality": "good", "at": time.Date(2026, 11, 4, 3, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
		"source": "opcua:ns=2;s=Barrage.Mejean.Niveau", "seq": i,
	})
	return eventstore.Event{Type: "sensor.reading_recorded", Schema: 1, Data: data,
		Meta: eventstore.Metadata{CorrelationID: "req-0123456789", Actor: "apikey:gw-nord"}}
}

// benchStore opens a store whose connections carry an application_name of their own.
func benchStore(b *testing.B, opts postgres.Options) (*postgres.Store, string) {
	b.Helper()
	schema := newSchema(b)
	app := "vigie_bench_" + strings.TrimPrefix(schema, "vigie_test_")
	dsn := testDSN()
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	opts.Schema = schema
	if opts.MaxConns == 0 {
		opts.MaxConns = 8
	}
	s, err := postgres.Open(context.Background(), dsn+sep+"application_name="+app, opts, testLogger(b))
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s, app
}

type cpuMeter struct {
	b         *testing.B
	app       string
	self, srv time.Duration
	pids      map[int]time.Duration
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendCPU sums the CPU time of the server processes serving connections named app, per pid.
// It reads /proc, so it counts only when the server runs on this machine.
func backendCPU(b *testing.B, app string) map[int]time.Duration {
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
	out := map[int]time.Duration{}
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue // another machine's server, or gone
		}
		// Fields after the command name (which may hold spaces): utime and stime are the 12th
		// and 13th, in clock ticks (100 a second on Linux).
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		out[int(pid)] = time.Duration(ut+st) * 10 * time.Millisecond
	}
	return out
}

func startCPU(b *testing.B, app string) *cpuMeter {
	return &cpuMeter{b: b, app: app, self: processCPU(), pids: backendCPU(b, app)}
}

func (m *cpuMeter) report(events int) {
	self := processCPU() - m.self
	var srv time.Duration
	for pid, t := range backendCPU(m.b, m.app) {
		srv += t - m.pids[pid]
	}
	m.b.ReportMetric(float64(events)/m.b.Elapsed().Seconds(), "events/s")
	m.b.ReportMetric(float64(self.Nanoseconds())/1e3/float64(events), "cpu-µs/event")
	m.b.ReportMetric(float64(srv.Nanoseconds())/1e3/float64(events), "pg-cpu-µs/event")
}

type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(q float64) float64 { return float64(s[int(q*float64(len(s)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

func BenchmarkAppendSingle(b *testing.B) {
	s, app := benchStore(b, postgres.Options{})
	ctx := context.Background()
	lat := make(latencies, b.N)
	expected := eventstore.NoStream
	ev := reading(0)
	cpu := startCPU(b, app)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := s.Append(ctx, "sensor-mejean.level", expected, ev)
		lat[i] = time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		expected = eventstore.At(res.Revision)
	}
	b.StopTimer()
	cpu.report(b.N)
	lat.report(b)
}

// BenchmarkAppendConcurrent runs exactly `clients` goroutines, each appending one event at a time
// to its own stream, as HTTP clients sending single readings would.
func BenchmarkAppendConcurrent(b *testing.B) {
	for _, clients := range []int{16, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			s, app := benchStore(b, postgres.Options{})
			ctx := context.Background()
			lat := make(latencies, b.N)
			var next atomic.Int64
			ev := reading(0)
			cpu := startCPU(b, app)
			b.ResetTimer()
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					stream := fmt.Sprintf("sensor-%d", c)
					expected := eventstore.NoStream
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						start := time.Now()
						res, err := s.Append(ctx, stream, expected, ev)
						lat[i] = time.Since(start)
						if err != nil {
							b.Error(err)
							return
						}
						expected = eventstore.At(res.Revision)
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			cpu.report(b.N)
			lat.report(b)
		})
	}
}

// BenchmarkAppendBatch100: one append of 100 events per transaction (a gateway flushing its
// buffer, a flat-combined lane).
func BenchmarkAppendBatch100(b *testing.B) {
	s, app := benchStore(b, postgres.Options{})
	ctx := context.Background()
	events := make([]eventstore.Event, 100)
	for i := range events {
		events[i] = reading(i)
	}
	cpu := startCPU(b, app)
	b.ResetTimer()
	for range b.N {
		if _, err := s.Append(ctx, "sensor-mejean.level", eventstore.Any, events...); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu.report(b.N * len(events))
}

// fill appends n reading events in appends of 1000.
func fill(b *testing.B, s *postgres.Store, n int) {
	b.Helper()
	events := make([]eventstore.Event, 1000)
	for i := range events {
		events[i] = reading(i)
	}
	for done := 0; done < n; done += len(events) {
		k := min(len(events), n-done)
		if _, err := s.Append(context.Background(), fmt.Sprintf("sensor-%d", done%97), eventstore.Any, events[:k]...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAll reads a log of 200,000 events in pages of 1000, as a projection rebuild does.
func BenchmarkReadAll(b *testing.B) {
	const n = 200_000
	s, app := benchStore(b, postgres.Options{})
	fill(b, s, n)
	ctx := context.Background()
	cpu := startCPU(b, app)
	b.ResetTimer()
	for range b.N {
		var after uint64
		read := 0
		for {
			page, err := s.ReadAll(ctx, after, 1000)
			if err != nil {
				b.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			read += len(page)
			after = page[len(page)-1].Position
		}
		if read != n {
			b.Fatalf("read %d events, want %d", read, n)
		}
	}
	b.StopTimer()
	cpu.report(b.N * n)
}

// BenchmarkSubscribe: a subscription's catch-up over 200,000 stored events, then live delivery of
// appends made by 16 concurrent writers.
func BenchmarkSubscribe(b *testing.B) {
	b.Run("catch-up", func(b *testing.B) {
		const n = 200_000
		s, app := benchStore(b, postgres.Options{})
		fill(b, s, n)
		cpu := startCPU(b, app)
		b.ResetTimer()
		for range b.N {
			ctx, cancel := context.WithCancel(context.Background())
			got := 0
			_ = s.Subscribe(ctx, 0, func(batch []eventstore.Record) error {
				got += len(batch)
				if got >= n {
					cancel()
				}
				return nil
			})
			cancel()
			if got != n {
				b.Fatalf("delivered %d events, want %d", got, n)
			}
		}
		b.StopTimer()
		cpu.report(b.N * n)
	})
	b.Run("live/writers=16", func(b *testing.B) {
		s, app := benchStore(b, postgres.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		delivered := make(chan struct{})
		var got int
		go func() {
			_ = s.Subscribe(ctx, 0, func(batch []eventstore.Record) error {
				got += len(batch)
				if got >= b.N {
					close(delivered)
					return context.Canceled
				}
				return nil
			})
		}()
		cpu := startCPU(b, app)
		b.ResetTimer()
		var next atomic.Int64
		var wg sync.WaitGroup
		for c := range 16 {
			wg.Go(func() {
				for next.Add(1) <= int64(b.N) {
					if _, err := s.Append(ctx, fmt.Sprintf("sensor-%d", c), eventstore.Any, reading(c)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		select {
		case <-delivered:
		case <-time.After(time.Minute):
			b.Fatal("the subscription did not deliver every append")
		}
		b.StopTimer()
		cpu.report(b.N)
	})
}

// BenchmarkNaiveAppendConcurrent measures the naive layout of trap_test.go (a sequence, one
// transaction per append, appends to different streams committing concurrently): what giving up
// commit order would buy in write throughput, for comparison with BenchmarkAppendConcurrent.
func BenchmarkNaiveAppendConcurrent(b *testing.B) {
	for _, clients := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			s, err := openNaive(context.Background(), testDSN(), newSchema(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = s.Close() })
			ctx := context.Background()
			var next atomic.Int64
			ev := reading(0)
			cpu := processCPU()
			b.ResetTimer()
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					stream := fmt.Sprintf("sensor-%d", c)
					for next.Add(1) <= int64(b.N) {
						if _, err := s.Append(ctx, stream, eventstore.Any, ev); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64((processCPU()-cpu).Nanoseconds())/1e3/float64(b.N), "cpu-µs/event")
		})
	}
}

// BenchmarkAppendTwoStores: two Stores on one schema, as two Vigie processes on one database,
// each with half the clients. Their groups take turns on the head lock.
func BenchmarkAppendTwoStores(b *testing.B) {
	for _, clients := range []int{16, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			a, app := benchStore(b, postgres.Options{})
			schema := strings.Replace(app, "vigie_bench_", "vigie_test_", 1)
			dsn := testDSN()
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			other, err := postgres.Open(context.Background(), dsn+sep+"application_name="+app, postgres.Options{Schema: schema, MaxConns: 8}, testLogger(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = other.Close() })
			stores := []*postgres.Store{a, other}
			ctx := context.Background()
			var next atomic.Int64
			ev := reading(0)
			cpu := startCPU(b, app)
			b.ResetTimer()
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					s := stores[c%2]
					stream := fmt.Sprintf("sensor-%d", c)
					expected := eventstore.NoStream
					for next.Add(1) <= int64(b.N) {
						res, err := s.Append(ctx, stream, expected, ev)
						if err != nil {
							b.Error(err)
							return
						}
						expected = eventstore.At(res.Revision)
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			cpu.report(b.N)
		})
	}
}
