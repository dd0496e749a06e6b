package mqtt_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/mqtt"
	"github.com/vigie/vigie/domain/sensor"
)

// FuzzParseMQTTPayload: any payload either parses into valid readings that survive a JSON
// round trip, or is refused with a *PayloadError; never a panic.
func FuzzParseMQTTPayload(f *testing.F) {
	for _, seed := range []string{
		"4.52", " -0.25\n", "NaN", "1e999", "0x10", "",
		`{"time":"2025-10-10T02:00:00Z","value":4.5}`,
		`{"sensor":"mejean.level","time":"2025-10-10T04:00:00+02:00","value":4}`,
		`[{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1},{"sensor":"b","time":"2025-10-10T02:05:00.5Z","value":-2e-3}]`,
		`[{"time":"2025-10-10T02:00:00Z","value":"1"}]`, `{"value":null}`, `[[[[`, `{"sensor":"\ud800","time":"2025-10-10T02:00:00Z","value":1}`,
	} {
		f.Add([]byte(seed), true)
		f.Add([]byte(seed), false)
	}
	const topic = sensor.ID("mejean.level")
	f.Fuzz(func(t *testing.T, payload []byte, named bool) {
		var ts sensor.ID
		if named {
			ts = topic
		}
		items, err := mqtt.ParsePayload(payload, ts, received, 50)
		if err != nil {
			var pe *mqtt.PayloadError
			if !errors.As(err, &pe) || pe.Reason == "" || pe.Index < -1 || pe.Index >= 50 {
				t.Fatalf("error %#v is not a located *PayloadError", err)
			}
			if items != nil {
				t.Fatalf("readings %v returned with an error", items)
			}
			return
		}
		if len(items) == 0 || len(items) > 50 {
			t.Fatalf("got %d readings", len(items))
		}
		type wire struct {
			Sensor string  `json:"sensor"`
			Time   string  `json:"time"`
			Value  float64 `json:"value"`
		}
		var again []wire
		for i, it := range items {
			if it.Sensor == "" || ts != "" && it.Sensor != ts {
				t.Fatalf("reading %d: sensor %q with topic sensor %q", i, it.Sensor, ts)
			}
			if math.IsNaN(it.Value) || math.IsInf(it.Value, 0) {
				t.Fatalf("reading %d: value %v", i, it.Value)
			}
			if y := it.Time.Year(); y < 1900 || y > 2261 {
				t.Fatalf("reading %d: time %v", i, it.Time)
			}
			again = append(again, wire{string(it.Sensor), it.Time.Format(time.RFC3339Nano), it.Value})
		}
		b, err := json.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		round, err := mqtt.ParsePayload(b, ts, received, 50)
		if err != nil {
			t.Fatalf("re-encoded %s does not parse: %v", b, err)
		}
		for i := range items {
			if round[i].Sensor != items[i].Sensor || !round[i].Time.Equal(items[i].Time) || round[i].Value != items[i].Value {
				t.Fatalf("round trip of reading %d: got %+v, want %+v", i, round[i], items[i])
			}
		}
	})
}
