package bustest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vigie/vigie/adapters/bus"
)

// benchPayload is the size of a typical log message: one reading event as JSON.
var benchPayload = []byte(`{"position":123456,"stream":"sensor-bassin-nord.level","revision":4242,"type":"sensor.readings_recorded","schema":1,"data":{"readings":[{"time":"2025-10-10T03:00:00Z","value":2.41,"quality":"good"}]}}`)

// BenchPublish measures publishing alone: b.N messages from publishers goroutines, one message per
// Publish call, to a topic with one subscribed group (so that a durable broker stores them).
// It reports msgs/s.
func BenchPublish(b *testing.B, h Harness, publishers int) {
	tp := topic(b, h, "g")
	pub := newBus(b, h)
	sub := newBus(b, h)
	var got atomic.Int64
	subscribe(b, b.Context(), sub, tp, "g", func(context.Context, bus.Message) error { got.Add(1); return nil })
	var next atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for range publishers {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				m := bus.Message{ID: fmt.Sprint("m", i), Payload: benchPayload}
				if err := pub.Publish(context.Background(), tp, m); err != nil {
					b.Errorf("publish: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchPublishBatches measures publishing alone in batches of size messages per Publish call, as
// the log forwarder does (one Subscribe batch of the event store per call). It reports msgs/s.
func BenchPublishBatches(b *testing.B, h Harness, size int) {
	tp := topic(b, h, "g")
	pub := newBus(b, h)
	sub := newBus(b, h)
	subscribe(b, b.Context(), sub, tp, "g", func(context.Context, bus.Message) error { return nil })
	b.ResetTimer()
	batch := make([]bus.Message, 0, size)
	for i := range b.N {
		batch = append(batch, bus.Message{ID: fmt.Sprint("m", i), Payload: benchPayload})
		if len(batch) == cap(batch) || i == b.N-1 {
			if err := pub.Publish(context.Background(), tp, batch...); err != nil {
				b.Fatalf("publish: %v", err)
			}
			batch = batch[:0]
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchPublishConsume measures the log path end to end: b.N messages published in batches of 100
// (as the forwarder does) and consumed by one subscriber; the clock stops when the last is
// acknowledged. It reports msgs/s.
func BenchPublishConsume(b *testing.B, h Harness) {
	tp := topic(b, h, "g")
	pub := newBus(b, h)
	sub := newBus(b, h)
	var got atomic.Int64
	all := make(chan struct{})
	var once sync.Once
	subscribe(b, b.Context(), sub, tp, "g", func(context.Context, bus.Message) error {
		if got.Add(1) >= int64(b.N) {
			once.Do(func() { close(all) })
		}
		return nil
	})
	b.ResetTimer()
	batch := make([]bus.Message, 0, 100)
	for i := range b.N {
		batch = append(batch, bus.Message{ID: fmt.Sprint("m", i), Payload: benchPayload})
		if len(batch) == cap(batch) || i == b.N-1 {
			if err := pub.Publish(context.Background(), tp, batch...); err != nil {
				b.Fatalf("publish: %v", err)
			}
			batch = batch[:0]
		}
	}
	<-all
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
