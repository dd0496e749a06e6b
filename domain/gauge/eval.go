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
	lastUsable *sensor.Reading
	states     map[string]thresholdState
	crossings  []ThresholdCrossed
}

func (g *Gauge) evalState() *eval {
	e := &eval{
		thresholds: g.thresholds,
		sensor:     g.policy.Spec.ID,
		dam:        g.policy.Dam,
		newest:     g.newest,
		states:     make(map[string]thresholdState, len(g.states)),
	}
	if g.lastUsable != nil {
		r := *g.lastUsable
		e.lastUsable = &r
	}
	for k, v := range g.states {
		e.states[k] = *v
	}
	return e
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
	s.Q, s.Why = spec.Assess(r, e.lastUsable)
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
	e.lastUsable = &sensor.Reading{Time: s.T, Value: s.V}
	for _, t := range e.thresholds {
		st := e.states[t.Name]
		if c, ok := step(&st, t, s); ok {
			c.Sensor, c.Dam = e.sensor, e.dam
			e.crossings = append(e.crossings, c)
		}
		e.states[t.Name] = st
	}
}

func (e *eval) commit(g *Gauge) {
	g.newest = e.newest
	g.lastUsable = e.lastUsable
	for k, v := range e.states {
		v := v
		g.states[k] = &v
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
