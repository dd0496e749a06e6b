package condition

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
)

// Default frozen parameters, used where a Frozen leaves them zero.
const (
	// DefaultFrozenEpsilon is half the millimetre sensors report to: two readings closer than this
	// are the same value.
	DefaultFrozenEpsilon = 0.0005
)

// Frozen is active when a sensor repeats the same value (within Epsilon of the first value of the
// run) for After or longer while the water is moving, and clears when the value changes.
//
// A still basin legitimately reads the same value for hours, so a repeat alone proves nothing.
// "Moving" is judged, at the moment the run reaches After:
//   - from a neighbouring sensor when one is given (ObserveNeighbour) and it has samples covering
//     the TrendWindow before that moment: the water moves if its trend is MinTrend or more either
//     way. It is current evidence, so it wins: a neighbour as flat as this sensor means the water
//     is still, whatever the trend before;
//   - otherwise from this sensor's own trend over the TrendWindow ending at the first sample of the
//     run: water that was moving does not stop dead from one reading to the next, a stuck sensor
//     does. Without enough samples before the run there is no evidence, and no alarm.
type Frozen struct {
	After    time.Duration
	MinTrend float64 // m/h, either way
	// Epsilon (m) defaults to DefaultFrozenEpsilon.
	Epsilon float64
	// TrendWindow defaults to After.
	TrendWindow time.Duration
	Severity    dam.Severity
}

func (c Frozen) withDefaults() Frozen {
	if c.Epsilon == 0 {
		c.Epsilon = DefaultFrozenEpsilon
	}
	if c.TrendWindow == 0 {
		c.TrendWindow = c.After
	}
	return c
}

// Validate reports every inconsistency at once.
func (c Frozen) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.After <= 0 {
		errs = append(errs, fmt.Errorf("after %s must be positive", c.After))
	}
	if !(c.MinTrend > 0) || math.IsInf(c.MinTrend, 0) {
		errs = append(errs, fmt.Errorf("min trend %g m/h must be positive", c.MinTrend))
	}
	if !(c.Epsilon > 0) || math.IsInf(c.Epsilon, 0) {
		errs = append(errs, fmt.Errorf("epsilon %g m must be positive", c.Epsilon))
	}
	if c.TrendWindow < 0 {
		errs = append(errs, fmt.Errorf("trend window %s must be positive", c.TrendWindow))
	}
	if !c.Severity.Valid() {
		errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", c.Severity))
	}
	return errors.Join(errs...)
}

// FrozenMonitor evaluates a Frozen for one sensor.
type FrozenMonitor struct {
	cfg    Frozen
	order  order
	own    series
	active bool
	// The current run of equal values: its first sample, and the sensor's trend before it.
	runStart   time.Time
	runValue   float64
	prior      float64
	priorKnown bool

	neighbourOrder order
	neighbour      series
}

// NewFrozenMonitor refuses an invalid configuration.
func NewFrozenMonitor(c Frozen) (*FrozenMonitor, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("frozen: %w", err)
	}
	c = c.withDefaults()
	// The neighbour's window reaches twice as far back, so a neighbour stream a little ahead of this
	// one still covers the moment judged.
	return &FrozenMonitor{cfg: c, own: series{span: c.TrendWindow}, neighbour: series{span: 2 * c.TrendWindow}}, nil
}

func (m *FrozenMonitor) Kind() Kind   { return KindFrozen }
func (m *FrozenMonitor) Active() bool { return m.active }

// Tick changes nothing: a sensor that stops sending is stale, not frozen.
func (m *FrozenMonitor) Tick(time.Time) (Change, bool) { return Change{}, false }

// ObserveNeighbour feeds a sample of a sensor measuring the same water, in its own sensor-time
// order. Neighbour samples arriving after the moment they would have informed are not used for it.
func (m *FrozenMonitor) ObserveNeighbour(s gauge.Sample) {
	if m.neighbourOrder.next(s) && usable(s) {
		m.neighbour.add(s.T, s.V)
	}
}

// Observe feeds the next sample.
func (m *FrozenMonitor) Observe(s gauge.Sample) (Change, bool) {
	if !m.order.next(s) || !usable(s) {
		return Change{}, false
	}
	m.own.add(s.T, s.V)
	if !m.runStart.IsZero() && math.Abs(s.V-m.runValue) < m.cfg.Epsilon {
		return m.repeat(s)
	}
	// A new value starts a new run.
	was := m.active
	m.active = false
	m.runStart, m.runValue = s.T, s.V
	m.prior, m.priorKnown = m.own.slope(s.T.Add(-m.cfg.TrendWindow), s.T, m.cfg.TrendWindow)
	if !was {
		return Change{}, false
	}
	return Change{
		Kind: KindFrozen, Severity: m.cfg.Severity, At: s.T, Since: s.T,
		Value: s.V, Limit: m.cfg.After.Seconds(), Unit: UnitMetre,
		Detail: fmt.Sprintf("value changed to %g m", s.V),
	}, true
}

func (m *FrozenMonitor) repeat(s gauge.Sample) (Change, bool) {
	held := s.T.Sub(m.runStart)
	if m.active || held < m.cfg.After {
		return Change{}, false
	}
	trend, evidence, ok := m.moving(s.T)
	if !ok || math.Abs(trend) < m.cfg.MinTrend {
		return Change{}, false
	}
	m.active = true
	return Change{
		Kind: KindFrozen, Active: true, Severity: m.cfg.Severity, At: s.T, Since: m.runStart,
		Value: held.Seconds(), Limit: m.cfg.After.Seconds(), Unit: UnitSeconds,
		Detail: fmt.Sprintf("value %g m unchanged for %s while the water moves at %+.2f m/h (%s)", m.runValue, held, trend, evidence),
	}, true
}

// moving returns the trend that judges whether the water moves at t, and where it comes from.
func (m *FrozenMonitor) moving(t time.Time) (float64, string, bool) {
	if r, ok := m.neighbour.slope(t.Add(-m.cfg.TrendWindow), t, m.cfg.TrendWindow); ok {
		return r, "neighbouring sensor", true
	}
	return m.prior, "trend before the freeze", m.priorKnown
}
