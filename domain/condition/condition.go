// Package condition holds the evaluators of the alarm conditions other than level thresholds
// (which the gauge aggregate decides): rate of rise, time to spill, stale, frozen and implausible
// sensors. Each is a small state machine fed with one sensor's samples in sensor-time order (and
// with "now" ticks for the time-based ones) that reports when its condition becomes active or
// inactive. It is pure: no I/O, and time is always a parameter.
//
// Delays follow the gauge's convention: a delay D is satisfied when the time elapsed is ≥ D, so a
// change confirmed exactly at the delay fires, one nanosecond before it does not.
package condition

import (
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// Kind names a condition. The alarm engine keys alarms by it (with a qualifier: the threshold or
// the sensor), and it decides whether an alarm is about the water or about the measuring chain.
type Kind string

const (
	// KindLevel is a level threshold crossing (decided by the gauge aggregate).
	KindLevel Kind = "level"
	// KindRateOfRise: the level rises faster than allowed.
	KindRateOfRise Kind = "rate_of_rise"
	// KindTimeToSpill: the spillway crest will be reached sooner than allowed.
	KindTimeToSpill Kind = "time_to_spill"
	// KindStale: a sensor stopped reporting.
	KindStale Kind = "stale"
	// KindFrozen: a sensor repeats the same value while the water moves.
	KindFrozen Kind = "frozen"
	// KindImplausible: a sensor sent a physically impossible value.
	KindImplausible Kind = "implausible"
	// KindUnknownSensor: a client keeps sending readings for a sensor nobody configured (decided by
	// ingestion, no evaluator here).
	KindUnknownSensor Kind = "unknown_sensor"
	// KindEndpointUnreachable: a data source (OPC-UA server, MQTT broker) cannot be reached
	// (decided by its adapter, no evaluator here).
	KindEndpointUnreachable Kind = "endpoint_unreachable"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	switch k {
	case KindLevel, KindRateOfRise, KindTimeToSpill, KindStale, KindFrozen, KindImplausible,
		KindUnknownSensor, KindEndpointUnreachable:
		return true
	}
	return false
}

// Process reports whether k is about the water (a process alarm, ISA-18.2) rather than about the
// measuring chain (a technical alarm). The two are kept apart so a dead gateway does not drown a
// rising dam.
func (k Kind) Process() bool {
	return k == KindLevel || k == KindRateOfRise || k == KindTimeToSpill
}

// LowerIsWorse reports whether a smaller value of k is more alarming: a shorter time to spill is
// worse, a higher level or rate is worse.
func (k Kind) LowerIsWorse() bool { return k == KindTimeToSpill }

// Change is a condition becoming active or inactive, with the values that decided it.
type Change struct {
	Kind     Kind
	Active   bool
	Severity dam.Severity
	// At is the sensor time of the sample that confirmed the change (the tick time for stale).
	At time.Time
	// Since is when the new state first held, before the delay confirmed it.
	Since time.Time
	// Value is what was compared with Limit, in Unit: a rate in m/h, a duration in seconds, a level
	// in metres.
	Value float64
	Limit float64
	Unit  string
	// Detail explains the change to an operator.
	Detail string
}

// Monitor is one condition of one sensor.
type Monitor interface {
	Kind() Kind
	// Observe feeds the next sample. Samples not newer than the newest observed, and samples the
	// gauge marked Late, are ignored: conditions are decided in sensor-time order, as thresholds are.
	Observe(s gauge.Sample) (Change, bool)
	// Tick tells the monitor the time is now; only time-based conditions change on it.
	Tick(now time.Time) (Change, bool)
	// Active reports the current state.
	Active() bool
}

// Units of Change values.
const (
	UnitMetre     = "m"
	UnitMetrePerH = "m/h"
	UnitSeconds   = "s"
)

// order keeps the newest sensor time a monitor saw, so it can ignore out-of-order samples.
type order struct{ newest time.Time }

// next reports whether s is in order (and records it), false for a sample to ignore.
func (o *order) next(s gauge.Sample) bool {
	if s.Late || s.T.IsZero() || (!o.newest.IsZero() && !s.T.After(o.newest)) {
		return false
	}
	o.newest = s.T
	return true
}

// usable reports whether a sample may be used in a trend: suspect readings are plausible and
// count (a flood is exactly when rises are unusual), implausible ones never do.
func usable(s gauge.Sample) bool { return s.Q != sensor.Implausible }

// debounce confirms a change of state once it has held for its delay, in sensor time.
type debounce struct {
	active bool
	// pending is the sensor time of the first sample of a change still waiting for its delay.
	pending time.Time
}

// step takes whether the sample at `at` is on the other side of the condition (the caller applies
// the deadband) and reports the confirmed change with the time it first held.
func (d *debounce) step(beyond bool, at time.Time, onDelay, offDelay time.Duration) (time.Time, bool) {
	if !beyond {
		d.pending = time.Time{}
		return time.Time{}, false
	}
	if d.pending.IsZero() {
		d.pending = at
	}
	delay := onDelay
	if d.active {
		delay = offDelay
	}
	if at.Sub(d.pending) < delay {
		return time.Time{}, false
	}
	since := d.pending
	d.active = !d.active
	d.pending = time.Time{}
	return since, true
}

// reset forgets a pending change: the evidence for it was interrupted.
func (d *debounce) reset() { d.pending = time.Time{} }
