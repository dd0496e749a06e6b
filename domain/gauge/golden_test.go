package gauge_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The JSON of each event is the contract with every stored event: these files pin it. To change
// a payload, bump its schema, add an upcaster and a new fixture; never edit an old one.
func TestEventGoldens(t *testing.T) {
	at := time.Date(2025, 10, 10, 3, 42, 10, 0, time.UTC)
	tests := []struct {
		file string
		ev   event.Event
	}{
		{"configured.v1.json", gauge.Configured{Sensor: "mejean.level", Dam: "mejean", Actor: "config:file:/etc/vigie/nimes.yaml", At: at,
			Thresholds: []dam.Threshold{{Name: "alerte", Level: 6, Severity: dam.SeverityHigh, Deadband: 0.05, OnDelay: time.Minute}}}},
		{"readings_recorded.v1.json", gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean", Readings: []gauge.Sample{
			{T: at, V: 6.02, Q: sensor.Good},
			{T: at.Add(time.Minute), V: 99, Q: sensor.Implausible, Why: "99 m is outside the plausible range [-0.2, 11]"},
			{T: at.Add(-time.Hour), V: 1.5, Q: sensor.Good, Late: true},
		}}},
		{"threshold_crossed.v1.json", gauge.ThresholdCrossed{Sensor: "mejean.level", Dam: "mejean", Threshold: "alerte", Severity: dam.SeverityHigh,
			Direction: gauge.Up, Level: 6, Value: 6.02, At: at, Since: at.Add(-time.Minute), Late: true}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := json.MarshalIndent(tt.ev, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Fatalf("%s changed:\ngot  %s\nwant %s", tt.file, got, want)
			}
			back := reflect.New(reflect.TypeOf(tt.ev))
			if err := json.Unmarshal(want, back.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Elem().Interface(), tt.ev) {
				t.Fatalf("round trip: got %+v, want %+v", back.Elem().Interface(), tt.ev)
			}
		})
	}
}
