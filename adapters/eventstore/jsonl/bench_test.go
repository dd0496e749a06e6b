package jsonl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"syscall"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
)

//	go test -run '^$' -bench . ./adapters/eventstore/jsonl/

const benchEvents = 100_000

// benchLog is an embedded store of benchEvents ~200-byte reading events over 16 streams.
func benchLog(b *testing.B) *embedded.Store {
	b.Helper()
	s, err := embedded.Open(b.TempDir(), embedded.Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	batch := make([]eventstore.Event, 100)
	for i := 0; i < benchEvents; i += len(batch) {
		for j := range batch {
			data, _ := json.Marshal(map[string]any{
				"sensor": "mejean.level", "value": 12.3456 + float64((i+j)%1000)/1000, "unit": "m", "quality": "good",
				"at": time.Date(2026, 11, 4, 3, 0, 0, 0, time.UTC).Add(time.Duration(i+j) * time.Second), "source": "opcua:ns=2;s=Barrage.Mejean.Niveau",
			})
			batch[j] = eventstore.Event{Type: "sensor.reading_recorded", Schema: 1, Data: data,
				Meta: eventstore.Metadata{CorrelationID: "req-0123456789", Actor: "apikey:gw-nord"}}
		}
		if _, err := s.Append(context.Background(), fmt.Sprintf("sensor-%d", i/100%16), eventstore.Any, batch...); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func report(b *testing.B, events int, cpu time.Duration) {
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(events), "cpu-µs/event")
}

// BenchmarkExport: one op exports the whole log.
func BenchmarkExport(b *testing.B) {
	s := benchLog(b)
	ctx := context.Background()
	var n countingWriter
	b.ResetTimer()
	start := cpuTime(b)
	for b.Loop() {
		if err := jsonl.Export(ctx, s, &n, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	report(b, b.N*benchEvents, cpuTime(b)-start)
	b.ReportMetric(float64(n)/float64(b.N*benchEvents), "bytes/event")
}

type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkImport: one op imports the whole log into a new embedded store (durable writes).
func BenchmarkImport(b *testing.B) {
	var file bytes.Buffer
	if err := jsonl.Export(context.Background(), benchLog(b), &file, 0, 0); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		dst, err := embedded.Open(b.TempDir(), embedded.Options{}, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		start := cpuTime(b)
		b.StartTimer()
		if _, err := jsonl.Import(ctx, bytes.NewReader(file.Bytes()), dst); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime(b) - start
		_ = dst.Close()
		b.StartTimer()
	}
	b.StopTimer()
	report(b, b.N*benchEvents, cpu)
}
