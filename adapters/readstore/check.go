package readstore

import (
	"fmt"
	"math"
	"time"
)

// What every store refuses in a batch, whatever its engine: what the roll-ups could not fold (a
// value that is not finite), what it could not key (an empty sensor or alarm id) and what it
// could not order (a time outside the span it keeps). Each store adds its own limits (positions
// beyond int64, indexes beyond int32) to these.

// Check returns the samples, states and timeline entries of b that no store can keep, one error
// each, in batch order; the alarm views are checked apart (AlarmBatch.Check). inRange tells
// whether the store can keep a time; a sample's time must also be set.
func (b Batch) Check(inRange func(time.Time) bool) []error {
	var errs []error
	for i, x := range b.Samples {
		if x.Sensor == "" {
			errs = append(errs, fmt.Errorf("sample %d: sensor is empty", i))
		}
		if !finite(x.Value) {
			errs = append(errs, fmt.Errorf("sample %d (%s): value %g is not finite", i, x.Sensor, x.Value))
		}
		if x.Time.IsZero() || !inRange(x.Time) {
			errs = append(errs, fmt.Errorf("sample %d (%s): time %s is outside 1678..2262", i, x.Sensor, x.Time))
		}
		if !inRange(x.RecordedAt) {
			errs = append(errs, fmt.Errorf("sample %d (%s): recorded-at %s is outside 1678..2262", i, x.Sensor, x.RecordedAt))
		}
	}
	for i, x := range b.States {
		if x.Sensor == "" {
			errs = append(errs, fmt.Errorf("state %d: sensor is empty", i))
		}
		if !finite(x.Value) || !finite(x.Trend) || !finite(x.Volume) || !finite(x.FillPct) {
			errs = append(errs, fmt.Errorf("state %d (%s): value, trend, volume and fill must be finite", i, x.Sensor))
		}
		if !inRange(x.Time) || !inRange(x.RecordedAt) {
			errs = append(errs, fmt.Errorf("state %d (%s): times must be within 1678..2262", i, x.Sensor))
		}
	}
	for i, x := range b.Timeline {
		if !inRange(x.Time) || !inRange(x.RecordedAt) {
			errs = append(errs, fmt.Errorf("timeline entry %d (position %d): times must be within 1678..2262", i, x.Position))
		}
	}
	return errs
}

// Check returns the alarm views, history entries and activations of b that no store can key or
// order, one error each; inRange tells whether the store can keep a time. An activation's time
// must also be set.
func (b AlarmBatch) Check(inRange func(time.Time) bool) []error {
	var errs []error
	for i, v := range b.Views {
		if v.ID == "" {
			errs = append(errs, fmt.Errorf("alarm view %d: id is empty", i))
		}
		if !inRange(v.RaisedAt) {
			errs = append(errs, fmt.Errorf("alarm view %s: raised-at %s is outside 1678..2262", v.ID, v.RaisedAt))
		}
	}
	for i, h := range b.History {
		if h.AlarmID == "" {
			errs = append(errs, fmt.Errorf("alarm history entry %d: alarm id is empty", i))
		}
	}
	for i, a := range b.Activations {
		if a.AlarmID == "" {
			errs = append(errs, fmt.Errorf("alarm activation %d: alarm id is empty", i))
		}
		if a.At.IsZero() || !inRange(a.At) {
			errs = append(errs, fmt.Errorf("alarm activation %s@%d: time %s is outside 1678..2262", a.AlarmID, a.Position, a.At))
		}
	}
	return errs
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
