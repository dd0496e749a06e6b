package hashchain_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
)

// The figures that matter: what the decorator adds to an append (nothing on the path but a
// comparison; the sealer works beside it), at the product's load of 20,000 single-reading appends
// per second from 256 clients with p50 under 1 ms; and how fast a log is verified.
//
//	go test -run '^$' -bench . -benchtime 40000x ./adapters/eventstore/hashchain/

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

type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(q float64) float64 { return float64(s[int(q*float64(len(s)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// cpuTime is the CPU time of the whole process (callers, writer, sealer, Pebble), which survives
// a machine shared with other jobs where wall time does not.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportEvents(b *testing.B, events int, cpuStart time.Duration) {
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64((cpuTime(b)-cpuStart).Nanoseconds())/1e3/float64(events), "cpu-µs/event")
}

// variants opens the bare embedded store and the same wrapped with the sealer at its production
// setting (every second, or every 4096 events).
var variants = []struct {
	name string
	open func(b *testing.B) eventstore.Store
}{
	{"raw", func(b *testing.B) eventstore.Store {
		return benchEmbedded(b)
	}},
	{"sealed", func(b *testing.B) eventstore.Store {
		s, err := hashchain.Wrap(benchEmbedded(b), hashchain.Options{Interval: time.Second}, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		return s
	}},
}

func benchEmbedded(b *testing.B) *embedded.Store {
	b.Helper()
	s, err := embedded.Open(b.TempDir(), embedded.Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// BenchmarkDecorator is the decorator's own cost per append, over a store that does nothing:
// "wrapped" minus "direct".
func BenchmarkDecorator(b *testing.B) {
	wrapped, err := hashchain.Wrap(nopStore{}, hashchain.Options{Interval: time.Hour}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer wrapped.Close()
	for name, s := range map[string]eventstore.Store{"direct": nopStore{}, "wrapped": wrapped} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			ev := reading(0)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Append(ctx, "sensor-mejean.level", eventstore.Any, ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type nopStore struct{}

func (nopStore) Append(context.Context, string, eventstore.Revision, ...eventstore.Event) (eventstore.AppendResult, error) {
	return eventstore.AppendResult{FirstPosition: 1, LastPosition: 1}, nil
}
func (nopStore) ReadStream(context.Context, string, uint64, int) ([]eventstore.Record, error) {
	return nil, nil
}
func (nopStore) ReadAll(context.Context, uint64, int) ([]eventstore.Record, error) { return nil, nil }
func (nopStore) Subscribe(context.Context, uint64, func([]eventstore.Record) error) error {
	return nil
}
func (nopStore) Head(context.Context) (uint64, error) { return 0, nil }
func (nopStore) Close() error                         { return nil }

// BenchmarkAppendSingle: one client, one durable append at a time.
func BenchmarkAppendSingle(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s := v.open(b)
			ctx := context.Background()
			lat := make(latencies, b.N)
			ev := reading(0)
			b.ResetTimer()
			cpu := cpuTime(b)
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if _, err := s.Append(ctx, "sensor-mejean.level", eventstore.Any, ev); err != nil {
					b.Fatal(err)
				}
				lat[i] = time.Since(start)
			}
			b.StopTimer()
			reportEvents(b, b.N, cpu)
			lat.report(b)
		})
	}
}

// BenchmarkAppendPaced is the product's load: 256 clients together sending 20,000 single-reading
// appends per second, each at its own steady pace, with the sealer running.
func BenchmarkAppendPaced(b *testing.B) {
	const clients, rate = 256, 20_000
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s := v.open(b)
			ctx := context.Background()
			lat := make(latencies, b.N)
			var next atomic.Int64
			ev := reading(0)
			period := time.Duration(clients) * time.Second / rate
			b.ResetTimer()
			cpu := cpuTime(b)
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					stagger := time.NewTimer(period * time.Duration(c) / clients)
					<-stagger.C
					tick := time.NewTicker(period)
					defer tick.Stop()
					stream := fmt.Sprintf("sensor-%d", c)
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						start := time.Now()
						if _, err := s.Append(ctx, stream, eventstore.Any, ev); err != nil {
							b.Error(err)
							return
						}
						lat[i] = time.Since(start)
						<-tick.C
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			reportEvents(b, b.N, cpu)
			lat.report(b)
		})
	}
}

// fill appends n reading events in appends of 100 over 16 streams, sealing as production would
// (every 4096 events).
func fill(b *testing.B, n int) *hashchain.Store {
	b.Helper()
	s, err := hashchain.Wrap(benchEmbedded(b), hashchain.Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	batch := make([]eventstore.Event, 100)
	for i := 0; i < n; i += len(batch) {
		for j := range batch {
			batch[j] = reading(i + j)
		}
		if _, err := s.Append(ctx, fmt.Sprintf("sensor-%d", i/100%16), eventstore.Any, batch...); err != nil {
			b.Fatal(err)
		}
		if (i+len(batch))%4096 < len(batch) {
			if _, err := s.Seal(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := s.Seal(ctx); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkVerify: one op is a Verify of a sealed log of 100,000 reading events.
func BenchmarkVerify(b *testing.B) {
	const n = 100_000
	s := fill(b, n)
	ctx := context.Background()
	b.ResetTimer()
	cpu := cpuTime(b)
	var events uint64
	for b.Loop() {
		rep, err := hashchain.Verify(ctx, s)
		if err != nil || rep.FirstBroken != nil {
			b.Fatalf("verify: %+v, %v", rep, err)
		}
		events += rep.Events
	}
	b.StopTimer()
	reportEvents(b, int(events), cpu)
}

// BenchmarkSeal: the sealer's cost per event (read back and hash), what it takes from the
// append path's CPU.
func BenchmarkSeal(b *testing.B) {
	const n = 4096
	s, err := hashchain.Wrap(benchEmbedded(b), hashchain.Options{MaxSealEvents: n}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	batch := make([]eventstore.Event, 256)
	for i := range batch {
		batch[i] = reading(i)
	}
	b.ResetTimer()
	var cpuSealing time.Duration
	for b.Loop() {
		b.StopTimer()
		for range n / len(batch) {
			if _, err := s.Append(ctx, "sensor-mejean.level", eventstore.Any, batch...); err != nil {
				b.Fatal(err)
			}
		}
		cpu := cpuTime(b)
		b.StartTimer()
		if _, err := s.Seal(ctx); err != nil {
			b.Fatal(err)
		}
		cpuSealing += cpuTime(b) - cpu
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(cpuSealing.Nanoseconds())/1e3/float64(b.N*n), "cpu-µs/event")
}

// BenchmarkChain is the hashing alone, per ~200-byte event.
func BenchmarkChain(b *testing.B) {
	r := eventstore.Record{Stream: "sensor-mejean.level", Type: "sensor.reading_recorded", Schema: 1,
		Data: reading(0).Data, Meta: reading(0).Meta, RecordedAt: time.Now()}
	c := hashchain.NewChain(hashchain.Head{})
	b.SetBytes(int64(len(hashchain.AppendLeafInput(nil, r))))
	for b.Loop() {
		r.Position++
		if _, _, err := c.Add(r); err != nil {
			b.Fatal(err)
		}
	}
}
