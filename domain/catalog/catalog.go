// Package catalog lists every domain event type, their schema versions and upcasters: the input
// of the codec. docs/events.md describes each.
package catalog

import (
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/setup"
)

// Events returns a prototype of every event type.
func Events() []event.Event {
	var all []event.Event
	all = append(all, gauge.Events()...)
	all = append(all, setup.Events()...)
	all = append(all, alarm.Events()...)
	all = append(all, cascade.Events()...)
	return all
}

// Upcasters returns every upcaster from an old schema version to the next.
func Upcasters() []event.Upcaster {
	var all []event.Upcaster
	all = append(all, setup.Upcasters()...)
	return all
}

// Schemas returns the current schema version of every event type above version 1.
func Schemas() []event.Schema {
	var all []event.Schema
	all = append(all, setup.Schemas()...)
	return all
}
