// Package gauge is the aggregate of one measuring point: it records readings in sensor-time order,
// judges their quality and decides level-threshold crossings. Its stream ("sensor-<id>") holds
// everything needed to rebuild it, including the thresholds in force, so a replay never depends on
// today's configuration file.
package gauge

import (
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/sensor"
)

// Category is the stream category of gauges: stream "sensor-<sensor id>".
const Category = "sensor"

// Sample is one recorded reading.
type Sample struct {
	T time.Time      `json:"t"`
	V float64        `json:"v"`
	Q sensor.Quality `json:"q"`
	// Why explains a quality other than good.
	Why string `json:"why,omitempty"`
	// Late marks a reading older than one already evaluated: stored and shown in the series, but
	// not used for thresholds, which are decided in sensor-time order.
	Late bool `json:"late,omitempty"`
}

// Configured is recorded when a gauge is first set up and whenever its configuration changes.
type Configured struct {
	Sensor     sensor.ID       `json:"sensor"`
	Dam        dam.ID          `json:"dam"`
	Thresholds []dam.Threshold `json:"thresholds"`
	// Actor is whoever changed the configuration ("config:examples/nimes.yaml", "user:admin").
	Actor string    `json:"actor,omitempty"`
	At    time.Time `json:"at"`
}

func (Configured) EventType() string { return "sensor.configured" }

// ReadingsRecorded holds the readings one ingestion accepted for one sensor, in sensor-time order.
type ReadingsRecorded struct {
	Sensor   sensor.ID `json:"sensor"`
	Dam      dam.ID    `json:"dam"`
	Readings []Sample  `json:"readings"`
}

func (ReadingsRecorded) EventType() string { return "sensor.readings_recorded" }

// Direction of a threshold crossing.
type Direction string

const (
	Up   Direction = "up"
	Down Direction = "down"
)

// ThresholdCrossed is recorded when a usable reading confirms a crossing. At is the sensor time of
// the confirming reading, Since the first reading beyond the threshold (they differ by the delay).
type ThresholdCrossed struct {
	Sensor    sensor.ID    `json:"sensor"`
	Dam       dam.ID       `json:"dam"`
	Threshold string       `json:"threshold"`
	Severity  dam.Severity `json:"severity"`
	Direction Direction    `json:"direction"`
	// Level is the threshold's level; Value the reading that confirmed the crossing.
	Level float64   `json:"level_m"`
	Value float64   `json:"value_m"`
	At    time.Time `json:"at"`
	Since time.Time `json:"since"`
	// Late is true when the crossing was learnt long after it happened (a gateway flushing its
	// buffer): it belongs to the record, and must not be presented as live.
	Late bool `json:"late,omitempty"`
}

func (ThresholdCrossed) EventType() string { return "sensor.threshold_crossed" }

// Events lists a prototype of every event of this package, for the codec.
func Events() []event.Event {
	return []event.Event{Configured{}, ReadingsRecorded{}, ThresholdCrossed{}}
}
