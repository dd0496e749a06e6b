package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// IngestReadings stores readings from one source (an HTTP request, an MQTT message, an OPC-UA
// data change). Every item is validated before anything is stored: either the whole command is
// refused with an *InvalidReadingsError, or each item gets an outcome.
type IngestReadings struct {
	Items []Item
	// Actor is who submitted them ("apikey:gw-nord", "mqtt:gw-3", "opcua:plc-est").
	Actor string
	// CorrelationID ties the stored events to the request (logged and kept in event metadata).
	CorrelationID string
	// Allowed reports whether the actor may write to a sensor (API-key scope); nil allows all.
	Allowed func(sensor.ID) bool
}

// Item is one submitted reading.
type Item struct {
	Sensor sensor.ID
	Time   time.Time
	Value  float64
	// Uncertain: the source doubts the value (OPC-UA status Uncertain). The reading is stored
	// suspect (unless the domain finds it implausible): it still counts for thresholds, as a
	// suspect reading does, and is shown flagged. HTTP and MQTT readings leave it false.
	Uncertain bool
}

// IngestResult answers an IngestReadings, item by item in submission order. Every accepted item
// is durable when Handle returns.
type IngestResult struct {
	Outcomes []gauge.Outcome
	// LastPosition is the global position of the last event appended (0 if nothing was), so a
	// caller can wait for projections to reach it ("read your writes").
	LastPosition uint64
}

// Counts sums the outcomes by status.
func (r IngestResult) Counts() (accepted, duplicate, rejected int) {
	for _, o := range r.Outcomes {
		switch o.Status {
		case gauge.Accepted:
			accepted++
		case gauge.Duplicate:
			duplicate++
		default:
			rejected++
		}
	}
	return
}

// Reasons of item problems a caller may act on (the API counts them against the client).
const (
	ReasonUnknownSensor   = "unknown sensor"
	ReasonForbiddenSensor = "this key may not write to this sensor"
)

// ItemProblem says what is wrong with one submitted item.
type ItemProblem struct {
	Index  int       `json:"index"`
	Sensor sensor.ID `json:"sensor,omitempty"`
	Reason string    `json:"reason"`
}

// InvalidReadingsError refuses a whole command: nothing of it was stored.
type InvalidReadingsError struct {
	Problems []ItemProblem
	// Forbidden is true when every problem is a sensor outside the actor's scope.
	Forbidden bool
}

func (e *InvalidReadingsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d invalid reading(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-5)
			break
		}
		fmt.Fprintf(&b, "; item %d (%s): %s", p.Index, p.Sensor, p.Reason)
	}
	return b.String()
}
