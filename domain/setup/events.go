// Package setup records configuration changes: who applied which configuration, when, and what
// the service ran with.
package setup

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/vigie/vigie/domain/event"
)

// Stream holds every configuration change of the installation.
const Stream = "config-vigie"

// ConfigApplied is recorded when a configuration that differs from the last applied one takes
// effect. Document is the normalised configuration, so an auditor can see exactly what was in
// force and diff two versions.
//
// Schema 2 adds TimeScale and Pending, so that a replay can run the domain as the service did
// (docs/replay.md); v1 events upcast to TimeScale 1, Pending false.
type ConfigApplied struct {
	Source   string          `json:"source"` // "file:/etc/vigie/nimes.yaml", "ui"
	Digest   string          `json:"digest"` // sha256 of Document
	Actor    string          `json:"actor"`
	At       time.Time       `json:"at"`
	Changes  []string        `json:"changes,omitempty"` // human-readable summary against the previous one
	Document json.RawMessage `json:"document"`
	// TimeScale is how many sensor seconds the alarm rules and rate limits took for one second of
	// the clock: 1 for a real installation, --demo-speed (120 by default) for `vigie demo`, whose
	// storm runs faster than the clock its readings carry. It is not in Document (nor its digest):
	// it belongs to the run, not to the configuration.
	TimeScale float64 `json:"time_scale"`
	// Pending is true when the configuration was recorded while the service went on with the
	// previous one (the configuration editor): it takes effect at the next start, which records
	// it again, not pending.
	Pending bool `json:"pending,omitempty"`
}

func (ConfigApplied) EventType() string { return "config.applied" }

// Scale is TimeScale, 1 when unset.
func (c ConfigApplied) Scale() float64 {
	if !(c.TimeScale > 0) {
		return 1
	}
	return c.TimeScale
}

// Events lists a prototype of every event of this package, for the codec.
func Events() []event.Event { return []event.Event{ConfigApplied{}} }

// Schemas gives the current schema version of this package's events above version 1.
func Schemas() []event.Schema {
	return []event.Schema{{Type: ConfigApplied{}.EventType(), Version: 2}}
}

// Upcasters converts this package's events from their older schema versions.
func Upcasters() []event.Upcaster {
	return []event.Upcaster{{Type: ConfigApplied{}.EventType(), From: 1, Convert: configAppliedV1ToV2}}
}

// configAppliedV1ToV2: every configuration recorded before schema 2 ran at the clock's pace
// (the demo's speed was not recorded; such a log replays at scale 1) and was in force when
// recorded. Fields are kept byte for byte; only time_scale is added.
func configAppliedV1ToV2(data []byte) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, fmt.Errorf("config.applied v1: %w", err)
	}
	if fields == nil {
		return nil, fmt.Errorf("config.applied v1: not a JSON object")
	}
	if _, ok := fields["time_scale"]; !ok {
		fields["time_scale"] = json.RawMessage("1")
	}
	return json.Marshal(fields)
}
