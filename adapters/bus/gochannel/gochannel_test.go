package gochannel_test

import (
	"log/slog"
	"sync"
	"testing"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/bustest"
	"github.com/vigie/vigie/adapters/bus/gochannel"
)

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

// harness gives each test one broker, shared by the buses the test makes (as processes share a
// RabbitMQ), and closes it when the test ends.
func harness() bustest.Harness {
	var mu sync.Mutex
	brokers := map[testing.TB]*gochannel.Broker{}
	return bustest.Harness{New: func(t testing.TB) bus.Bus {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		b, ok := brokers[t]
		if !ok {
			var err error
			if b, err = gochannel.NewBroker(testLogger(t)); err != nil {
				t.Fatalf("new broker: %v", err)
			}
			brokers[t] = b
			t.Cleanup(func() { _ = b.Close() })
		}
		w, err := b.Bus(testLogger(t))
		if err != nil {
			t.Fatalf("new bus: %v", err)
		}
		return w
	}}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	bustest.Run(t, bustest.Features{Ordered: true}, harness())
}

func BenchmarkPublish(b *testing.B)        { bustest.BenchPublish(b, harness(), 1) }
func BenchmarkPublishBatches(b *testing.B) { bustest.BenchPublishBatches(b, harness(), 100) }
func BenchmarkPublishConsume(b *testing.B) { bustest.BenchPublishConsume(b, harness()) }
