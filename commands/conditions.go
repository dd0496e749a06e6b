package commands

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// DamRules is what the condition engine watches on one dam: the conditions of its `alarms:`
// configuration block (each nil when not configured) and, per sensor, the technical conditions
// every sensor has (stale, implausible). Level thresholds are the gauges' (ThresholdCrossed).
type DamRules struct {
	// Dam gives the spillway crest and storage curve the time-to-spill forecast needs.
	Dam         dam.Dam
	Sensors     []SensorRules
	RateOfRise  *condition.RateOfRise
	TimeToSpill *condition.TimeToSpill
	Frozen      *condition.Frozen
}

// SensorRules are the technical conditions of one sensor.
type SensorRules struct {
	ID          sensor.ID
	Stale       condition.Stale
	Implausible condition.Implausible
}

// Defaults of the condition parameters the configuration does not expose. They are chosen so an
// alarm neither chatters on noise nor lingers once the water calmed down.
const (
	// DefaultTechnicalSeverity: a measuring chain at fault is shown, nobody is called at night
	// for it (escalation policies start at high).
	DefaultTechnicalSeverity = dam.SeverityMedium
	// DefaultImplausibleClearAfter: three usable readings in a row prove the sensor sane again.
	DefaultImplausibleClearAfter = 3
	// DefaultImplausibleClearDelay: or ten minutes without an implausible one.
	DefaultImplausibleClearDelay = 10 * time.Minute
	// DefaultSpillWindow: the time-to-spill forecast fits the volume over this much sensor time
	// when the rate-of-rise window is not configured.
	DefaultSpillWindow = 15 * time.Minute
	// DefaultWarmUp is the sensor time of readings replayed into the monitors after a restart.
	DefaultWarmUp = 6 * time.Hour
)

// RateOfRiseRule completes the configured rise (m/h), window and severity: the alarm ends once
// the rate has stayed under 3/4 of the rise for a third of the window.
func RateOfRiseRule(rise float64, window time.Duration, severity dam.Severity) condition.RateOfRise {
	return condition.RateOfRise{Rise: rise, Window: window, OffDelay: window / 3, Deadband: rise / 4, Severity: severity}
}

// TimeToSpillRule completes the configured horizon and severity: the forecast is fitted over
// window (DefaultSpillWindow if zero); the alarm ends once the crest is no longer forecast within
// under + a quarter of it, or the level stopped rising, for 5 minutes.
func TimeToSpillRule(under, window time.Duration, severity dam.Severity) condition.TimeToSpill {
	if window <= 0 {
		window = DefaultSpillWindow
	}
	return condition.TimeToSpill{Under: under, Window: window, OffDelay: 5 * time.Minute, Deadband: under / 4, Severity: severity}
}

// FrozenRule is the configured frozen condition (the domain's defaults for epsilon and window).
func FrozenRule(after time.Duration, minTrend float64, severity dam.Severity) condition.Frozen {
	return condition.Frozen{After: after, MinTrend: minTrend, Severity: severity}
}

// SensorRulesFor gives a sensor its stale delay (3 reporting periods when staleAfter is 0) and
// the implausible condition, both at DefaultTechnicalSeverity.
func SensorRulesFor(spec sensor.Spec, staleAfter time.Duration) SensorRules {
	st := condition.StaleFor(spec, DefaultTechnicalSeverity)
	if staleAfter > 0 {
		st.After = staleAfter
	}
	return SensorRules{
		ID: spec.ID, Stale: st,
		Implausible: condition.Implausible{ClearAfter: DefaultImplausibleClearAfter, ClearDelay: DefaultImplausibleClearDelay, Severity: DefaultTechnicalSeverity},
	}
}

// Validate reports every inconsistency at once.
func (r DamRules) Validate() error {
	var errs []error
	if r.Dam.ID == "" || strings.Contains(string(r.Dam.ID), "~") {
		errs = append(errs, fmt.Errorf("dam id %q must be set and free of '~'", r.Dam.ID))
	}
	if r.RateOfRise != nil {
		if err := r.RateOfRise.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("rate of rise: %w", err))
		}
	}
	if r.TimeToSpill != nil {
		if _, err := condition.NewTimeToSpillMonitor(*r.TimeToSpill, r.Dam); err != nil {
			errs = append(errs, err)
		}
	}
	if r.Frozen != nil {
		if err := r.Frozen.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("frozen: %w", err))
		}
	}
	seen := map[sensor.ID]bool{}
	for i, s := range r.Sensors {
		switch {
		case s.ID == "" || strings.Contains(string(s.ID), "~"):
			errs = append(errs, fmt.Errorf("sensor %d: id %q must be set and free of '~'", i, s.ID))
		case seen[s.ID]:
			errs = append(errs, fmt.Errorf("sensor %s: listed twice", s.ID))
		}
		seen[s.ID] = true
		if err := s.Stale.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("sensor %s: stale: %w", s.ID, err))
		}
		if err := s.Implausible.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("sensor %s: implausible: %w", s.ID, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("alarm rules of dam %s: %w", r.Dam.ID, err)
	}
	return nil
}

// sensorWatch is the condition monitors of one sensor, fed its samples in log order.
//
// Stale is judged on sensor time so that a replay of past data (a gateway flushing its buffer,
// a storm re-posted) finds its silences where they were: a gap between two consecutive readings
// of stale-delay or more is a stale episode, active from the moment the delay ran out to the next
// reading, whenever the readings are learnt. The wall clock only adds the silence nobody sent a
// reading about yet (tick): it advances the sensor's own clock by the time elapsed since the
// newest reading was received, so a year-old storm posted today is not "stale" between two
// requests, and a sensor that stops talking is stale After later, whatever its clock says.
type sensorWatch struct {
	id    sensor.ID
	dam   dam.ID
	after time.Duration
	stale *condition.StaleMonitor
	// monitors are fed every sample after stale: implausible, rate of rise, time to spill, frozen.
	monitors []condition.Monitor
	frozen   *condition.FrozenMonitor
	// epsilon and frozenSeverity are the frozen condition's, for orphanFrozen below.
	epsilon        float64
	frozenSeverity dam.Severity
	// neighbours are the frozen monitors of other sensors of the dam that take this sensor as the
	// neighbour measuring the same water.
	neighbours []*condition.FrozenMonitor

	// newest is the newest in-order sample's sensor time; heard when it was recorded (or when
	// monitoring began, whichever is later).
	newest time.Time
	heard  time.Time
	// lastUsable is the newest usable value, for orphan below.
	lastUsable    float64
	hasLastUsable bool
	// orphanFrozen is set when, after a restart, the frozen alarm is active but the monitor was
	// rebuilt inactive (the run began before the readings replayed): the value it froze at, so the
	// alarm still ends when the value changes.
	orphanFrozen *float64
}

func newSensorWatch(r DamRules, s SensorRules) (*sensorWatch, error) {
	w := &sensorWatch{id: s.ID, dam: r.Dam.ID, after: s.Stale.After}
	var err error
	if w.stale, err = condition.NewStaleMonitor(s.Stale); err != nil {
		return nil, err
	}
	imp, err := condition.NewImplausibleMonitor(s.Implausible)
	if err != nil {
		return nil, err
	}
	w.monitors = append(w.monitors, imp)
	if r.RateOfRise != nil {
		m, err := condition.NewRateOfRiseMonitor(*r.RateOfRise)
		if err != nil {
			return nil, err
		}
		w.monitors = append(w.monitors, m)
	}
	if r.TimeToSpill != nil {
		m, err := condition.NewTimeToSpillMonitor(*r.TimeToSpill, r.Dam)
		if err != nil {
			return nil, err
		}
		w.monitors = append(w.monitors, m)
	}
	if r.Frozen != nil {
		if w.frozen, err = condition.NewFrozenMonitor(*r.Frozen); err != nil {
			return nil, err
		}
		w.epsilon, w.frozenSeverity = r.Frozen.Epsilon, r.Frozen.Severity
		if w.epsilon == 0 {
			w.epsilon = condition.DefaultFrozenEpsilon
		}
		w.monitors = append(w.monitors, w.frozen)
	}
	return w, nil
}

// watchesFor builds the watches of every sensor of every dam; each dam's frozen monitors take the
// dam's first other sensor as their neighbour.
func watchesFor(rules []DamRules) (map[sensor.ID]*sensorWatch, error) {
	out := map[sensor.ID]*sensorWatch{}
	for _, r := range rules {
		var ws []*sensorWatch
		for _, s := range r.Sensors {
			if _, dup := out[s.ID]; dup {
				return nil, fmt.Errorf("sensor %s: in two dams' rules", s.ID)
			}
			w, err := newSensorWatch(r, s)
			if err != nil {
				return nil, fmt.Errorf("sensor %s of dam %s: %w", s.ID, r.Dam.ID, err)
			}
			out[s.ID] = w
			ws = append(ws, w)
		}
		for i, w := range ws {
			if w.frozen == nil || len(ws) < 2 {
				continue
			}
			n := ws[(i+1)%len(ws)]
			n.neighbours = append(n.neighbours, w.frozen)
		}
	}
	return out, nil
}

// inOrder reports whether s is newer than every sample seen, and not one the gauge marked late:
// the samples the monitors judge.
func (w *sensorWatch) inOrder(s gauge.Sample) bool {
	return !s.Late && !s.T.IsZero() && (w.newest.IsZero() || s.T.After(w.newest))
}

// observe feeds one sample recorded at recordedAt and returns the changes it causes, in order.
func (w *sensorWatch) observe(s gauge.Sample, recordedAt time.Time) []condition.Change {
	var out []condition.Change
	keep := func(c condition.Change, ok bool) {
		if ok {
			out = append(out, c)
		}
	}
	fresh := w.inOrder(s)
	if fresh && !w.newest.IsZero() && !w.stale.Active() && s.T.Sub(w.newest) >= w.after {
		// The silence before this reading was a stale episode: it began when the delay ran out.
		keep(w.stale.Tick(w.newest.Add(w.after)))
	}
	keep(w.stale.Observe(s))
	for _, m := range w.monitors {
		keep(m.Observe(s))
	}
	for _, n := range w.neighbours {
		n.ObserveNeighbour(s)
	}
	if !fresh {
		return out
	}
	w.newest = s.T
	if recordedAt.After(w.heard) {
		w.heard = recordedAt
	}
	if s.Q == sensor.Implausible {
		return out
	}
	if w.orphanFrozen != nil && (w.frozen.Active() || math.Abs(s.V-*w.orphanFrozen) >= w.epsilon) {
		if !w.frozen.Active() {
			out = append(out, condition.Change{
				Kind: condition.KindFrozen, Severity: w.frozenSeverity, At: s.T, Since: s.T, Value: s.V, Unit: condition.UnitMetre,
				Detail: fmt.Sprintf("value changed to %g m", s.V),
			})
		}
		w.orphanFrozen = nil
	}
	w.lastUsable, w.hasLastUsable = s.V, true
	return out
}

// tick tells the stale monitor the wall clock reads now, in the sensor's own time (see
// sensorWatch). It returns the change and the sensor time it happened at.
func (w *sensorWatch) tick(now time.Time) (condition.Change, bool) {
	at := now
	if !w.newest.IsZero() {
		at = w.newest.Add(now.Sub(w.heard))
	}
	return w.stale.Tick(at)
}

// monitor returns the monitor of kind k, nil if the sensor has none.
func (w *sensorWatch) monitor(k condition.Kind) condition.Monitor {
	if k == condition.KindStale {
		return w.stale
	}
	for _, m := range w.monitors {
		if m.Kind() == k {
			return m
		}
	}
	return nil
}
