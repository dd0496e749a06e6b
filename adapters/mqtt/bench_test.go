package mqtt_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/mqtt"
)

func BenchmarkParsePayload(b *testing.B) {
	var array strings.Builder
	array.WriteString("[")
	for i := range 100 {
		if i > 0 {
			array.WriteString(",")
		}
		fmt.Fprintf(&array, `{"sensor":"mejean.level","time":"2025-10-10T02:%02d:%02dZ","value":4.%d}`, i/60, i%60, i)
	}
	array.WriteString("]")
	for _, bb := range []struct{ name, payload, sensor string }{
		{"plain", "4.52", "mejean.level"},
		{"object", `{"time":"2025-10-10T02:00:00Z","value":4.52}`, "mejean.level"},
		{"array100", array.String(), ""},
	} {
		b.Run(bb.name, func(b *testing.B) {
			p := []byte(bb.payload)
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mqtt.ParsePayload(p, "mejean.level", received, 1000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkThroughput publishes QoS 1 readings to the machine's Mosquitto and waits until every
// one has been stored and acknowledged: the subscriber's cost per message, broker included.
func BenchmarkThroughput(b *testing.B) {
	addr := sharedBroker(b)
	cfg, prefix := testConfig(b, addr)
	rec := newRecorder()
	r := run(b, cfg, rec)
	connected(b, r.sub)
	pub := newPublisher(b, addr)
	base := time.Date(2025, 10, 10, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := range b.N {
		topic := fmt.Sprintf("%s/dams/d%d/level", prefix, i%8) // 8 sensors: stored by several workers
		pub.publishAsync(topic, fmt.Sprintf(`{"time":"%s","value":%d}`, base.Add(time.Duration(i)*time.Second).Format(time.RFC3339), i))
	}
	waitFor(b, time.Minute, "every reading", func() bool { return rec.count() == b.N })
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
