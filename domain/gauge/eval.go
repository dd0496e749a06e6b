package gauge

import (
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/sensor"
)

// eval is a working copy of the evaluation state. Record runs it to decide, and apply runs the
// same code to fold, so a decision and its replay cannot disagree.
type eval struct {
	thresholds []dam.Threshold
	sensor     sensor.ID
	dam        dam.ID
	newest     time.Time
	// last is the newest usable reading, when hasLast: held by value, since it changes with
	// every reading.
	last    sensor.Reading
	hasLast bool
	// states[i] is the state of thresholds[i]: indexed, not looked up by name, for each reading.
	states    []thresholdState
	crossings []ThresholdCrossed
}

func (g *Gauge) evalState() *eval {
	e := &eval{
		thresholds: g.thresholds,
		sensor:     g.policy.Spec.ID,
		dam:        g.policy.Dam,
		newest:     g.newest,
		states:     make([]thresholdState, len(g.thresholds)),
	}
	if g.lastUsable != nil {
		e.last, e.hasLast = *g.lastUsable, true
	}
	for i, t := range g.thresholds {
		if st, ok := g.states[t.Name]; ok {
			e.states[i] = *st
		}
	}
	return e
}

// previous is the reading a new one's rate is judged against, nil if none.
func (e *eval) previous() *sensor.Reading {
	if !e.hasLast {
		return nil
	}
	return &e.last
}

// evaluate judges a new reading and folds it.
func (e *eval) evaluate(spec sensor.Spec, r sensor.Reading) Sample {
	s := Sample{T: r.Time, V: r.Value}
	if !e.newest.IsZero() && !r.Time.After(e.newest) {
		// Out of order: quality from the range alone, since its neighbours in time were judged
		// without it; thresholds were already decided past this time.
		s.Late = true
		s.Q, s.Why = spec.Assess(r, nil)
		return s
	}
	s.Q, s.Why = spec.Assess(r, e.previous())
	e.fold(s)
	return s
}

// fold advances the state with an in-order sample.
func (e *eval) fold(s Sample) {
	if s.T.After(e.newest) {
		e.newest = s.T
	}
	if s.Q == sensor.Implausible {
		return // never used to cross a threshold, nor as the base of a rate
	}
	e.last, e.hasLast = sensor.Reading{Time: s.T, Value: s.V}, true
	for i, t := range e.thresholds {
		if c, ok := step(&e.states[i], t, s); ok {
			c.Sensor, c.Dam = e.sensor, e.dam
			e.crossings = append(e.crossings, c)
		}
	}
}

func (e *eval) commit(g *Gauge) {
	g.newest = e.newest
	if e.hasLast {
		last := e.last
		g.lastUsable = &last
	}
	for i, t := range e.thresholds {
		st := e.states[i]
		g.states[t.Name] = &st
	}
}

// step advances one threshold with one usable reading: deadband (hysteresis) on the way down,
// on-delay and off-delay in sensor time.
func step(st *thresholdState, t dam.Threshold, s Sample) (ThresholdCrossed, bool) {
	beyond, delay, dir := s.V >= t.Level, t.OnDelay, Up
	if st.above {
		beyond, delay, dir = s.V < t.Level-t.Deadband, t.OffDelay, Down
	}
	if !beyond {
		st.pending = time.Time{}
		return ThresholdCrossed{}, false
	}
	if st.pending.IsZero() {
		st.pending = s.T
	}
	if s.T.Sub(st.pending) < delay {
		return ThresholdCrossed{}, false
	}
	c := ThresholdCrossed{
		Threshold: t.Name, Severity: t.Severity, Direction: dir,
		Level: t.Level, Value: s.V, At: s.T, Since: st.pending,
	}
	st.above = dir == Up
	st.pending = time.Time{}
	return c, true
}
