// Package sensor holds readings, their quality and the per-sensor aggregate that records them and
// decides threshold crossings. It is pure: no I/O, and time is always a parameter.
package sensor

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// ID names a sensor everywhere: "mejean.level".
type ID string

// Quality is the domain's verdict on a reading.
type Quality string

const (
	// Good readings are used for everything.
	Good Quality = "good"
	// Suspect readings are plausible but unusual (a very fast rise); they are used for thresholds
	// and shown flagged.
	Suspect Quality = "suspect"
	// Implausible readings are stored but never used to cross a threshold: out of the sensor's
	// plausible range, or a physically impossible jump.
	Implausible Quality = "implausible"
)

// Spec describes a sensor as configured.
type Spec struct {
	ID   ID
	Kind string // "water_level"
	Unit string // "m"
	// PlausibleMin and PlausibleMax bound what the sensor can physically read.
	PlausibleMin, PlausibleMax float64
	// MaxRate (m/h) is the fastest change physically possible between two consecutive readings;
	// faster is implausible. 0 disables the check.
	MaxRate float64
	// SuspectRate (m/h) flags a change that is possible but unusual. 0 disables the check.
	SuspectRate float64
	// Period is the normal reporting period in dry weather; the stale delay derives from it.
	Period time.Duration
}

// Validate reports every inconsistency at once.
func (s Spec) Validate() error {
	var errs []error
	if s.ID == "" {
		errs = append(errs, errors.New("id is empty"))
	}
	if math.IsNaN(s.PlausibleMin) || math.IsNaN(s.PlausibleMax) || !(s.PlausibleMin < s.PlausibleMax) {
		errs = append(errs, fmt.Errorf("plausible range [%g, %g] must have min < max", s.PlausibleMin, s.PlausibleMax))
	}
	if s.MaxRate < 0 || math.IsNaN(s.MaxRate) || s.SuspectRate < 0 || math.IsNaN(s.SuspectRate) {
		errs = append(errs, errors.New("rates must be ≥ 0"))
	}
	if s.MaxRate > 0 && s.SuspectRate > s.MaxRate {
		errs = append(errs, fmt.Errorf("suspect rate %g m/h is above the max rate %g m/h", s.SuspectRate, s.MaxRate))
	}
	if s.Period <= 0 {
		errs = append(errs, fmt.Errorf("reporting period %s must be positive", s.Period))
	}
	return errors.Join(errs...)
}

// Reading is one value from a sensor at sensor time.
type Reading struct {
	Time  time.Time
	Value float64
	// Uncertain: the source itself doubts the value (an OPC-UA status of severity Uncertain). A
	// reading Assess would judge good is then suspect: used, but shown flagged.
	Uncertain bool
}

// Assess decides a reading's quality from the sensor's spec and the last usable reading before it
// (prev is nil when there is none). A rate is computed over the time between the two, so a real
// step (after maintenance) becomes plausible again as time passes instead of being refused forever.
func (s Spec) Assess(r Reading, prev *Reading) (Quality, string) {
	if r.Value < s.PlausibleMin || r.Value > s.PlausibleMax {
		return Implausible, s.outsideRange(r.Value)
	}
	if prev == nil || !r.Time.After(prev.Time) {
		return r.sourceQuality()
	}
	hours := r.Time.Sub(prev.Time).Hours()
	rate := math.Abs(r.Value-prev.Value) / hours
	if s.MaxRate > 0 && rate > s.MaxRate {
		return Implausible, s.jump(r.Value-prev.Value, r.Time.Sub(prev.Time), rate)
	}
	if s.SuspectRate > 0 && rate > s.SuspectRate {
		return Suspect, s.fastChange(rate)
	}
	return r.sourceQuality()
}

// sourceQuality is the quality of a reading nothing in the spec objects to.
func (r Reading) sourceQuality() (Quality, string) {
	if r.Uncertain {
		return Suspect, "the source marks the value uncertain"
	}
	return Good, ""
}

// The reasons below are what fmt.Sprintf wrote with the verbs in their comments, byte for byte
// (TestReasonsMatchSprintf), built with strconv: Assess runs for every reading, and a storm makes
// many of them suspect; fmt cost ~5,000 instructions a reason.

// outsideRange: "%g %s is outside the plausible range [%g, %g]".
func (s Spec) outsideRange(v float64) string {
	b := make([]byte, 0, 64+len(s.Unit))
	b = appendQuantity(b, v, 'g', -1, s.Unit)
	b = append(b, " is outside the plausible range ["...)
	b = strconv.AppendFloat(b, s.PlausibleMin, 'g', -1, 64)
	b = append(b, ", "...)
	b = strconv.AppendFloat(b, s.PlausibleMax, 'g', -1, 64)
	return string(append(b, ']'))
}

// jump: "jump of %.3f %s in %s (%.0f %s/h) exceeds the physical limit of %g %s/h".
func (s Spec) jump(delta float64, d time.Duration, rate float64) string {
	b := make([]byte, 0, 96+3*len(s.Unit))
	b = append(b, "jump of "...)
	b = appendQuantity(b, delta, 'f', 3, s.Unit)
	b = append(b, " in "...)
	b = append(b, d.String()...)
	b = append(b, " ("...)
	b = appendQuantity(b, rate, 'f', 0, s.Unit)
	b = append(b, "/h) exceeds the physical limit of "...)
	b = appendQuantity(b, s.MaxRate, 'g', -1, s.Unit)
	return string(append(b, "/h"...))
}

// fastChange: "change of %.0f %s/h exceeds the usual %g %s/h".
func (s Spec) fastChange(rate float64) string {
	b := make([]byte, 0, 64+2*len(s.Unit))
	b = append(b, "change of "...)
	b = appendQuantity(b, rate, 'f', 0, s.Unit)
	b = append(b, "/h exceeds the usual "...)
	b = appendQuantity(b, s.SuspectRate, 'g', -1, s.Unit)
	return string(append(b, "/h"...))
}

// appendQuantity appends "v unit", v formatted as strconv.AppendFloat does with fmt and prec.
func appendQuantity(b []byte, v float64, fmt byte, prec int, unit string) []byte {
	b = strconv.AppendFloat(b, v, fmt, prec, 64)
	b = append(b, ' ')
	return append(b, unit...)
}
