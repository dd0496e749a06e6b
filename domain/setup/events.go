// Package setup records configuration changes: who applied which configuration, when.
package setup

import (
	"encoding/json"
	"time"

	"github.com/vigie/vigie/domain/event"
)

// Stream holds every configuration change of the installation.
const Stream = "config-vigie"

// ConfigApplied is recorded when a configuration that differs from the last applied one takes
// effect. Document is the normalised configuration, so an auditor can see exactly what was in
// force and diff two versions.
type ConfigApplied struct {
	Source   string          `json:"source"` // "file:/etc/vigie/nimes.yaml", "ui"
	Digest   string          `json:"digest"` // sha256 of Document
	Actor    string          `json:"actor"`
	At       time.Time       `json:"at"`
	Changes  []string        `json:"changes,omitempty"` // human-readable summary against the previous one
	Document json.RawMessage `json:"document"`
}

func (ConfigApplied) EventType() string { return "config.applied" }

// Events lists a prototype of every event of this package, for the codec.
func Events() []event.Event { return []event.Event{ConfigApplied{}} }
