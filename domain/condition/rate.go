package condition

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
)

// RateOfRise is active while the level rises at Rise m/h or faster: the least-squares slope of the
// usable samples of the last Window, held for OnDelay. It clears when the slope falls under
// Rise-Deadband and stays there for OffDelay.
type RateOfRise struct {
	Rise     float64 // m/h
	Window   time.Duration
	OnDelay  time.Duration
	OffDelay time.Duration
	Deadband float64 // m/h
	Severity dam.Severity
}

// Validate reports every inconsistency at once.
func (c RateOfRise) Validate() error {
	var errs []error
	if !(c.Rise > 0) || math.IsInf(c.Rise, 0) {
		errs = append(errs, fmt.Errorf("rise %g m/h must be positive", c.Rise))
	}
	if c.Window <= 0 {
		errs = append(errs, fmt.Errorf("window %s must be positive", c.Window))
	}
	if c.OnDelay < 0 || c.OffDelay < 0 {
		errs = append(errs, errors.New("delays must be ≥ 0"))
	}
	if !(c.Deadband >= 0) || c.Deadband >= c.Rise {
		errs = append(errs, fmt.Errorf("deadband %g m/h must be ≥ 0 and under the rise", c.Deadband))
	}
	if !c.Severity.Valid() {
		errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", c.Severity))
	}
	return errors.Join(errs...)
}

// RateOfRiseMonitor evaluates a RateOfRise for one sensor.
type RateOfRiseMonitor struct {
	cfg    RateOfRise
	order  order
	window series
	state  debounce
}

// NewRateOfRiseMonitor refuses an invalid configuration.
func NewRateOfRiseMonitor(c RateOfRise) (*RateOfRiseMonitor, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("rate of rise: %w", err)
	}
	return &RateOfRiseMonitor{cfg: c, window: series{span: c.Window, running: true}}, nil
}

func (m *RateOfRiseMonitor) Kind() Kind   { return KindRateOfRise }
func (m *RateOfRiseMonitor) Active() bool { return m.state.active }

// Tick changes nothing: the rate is judged on samples only.
func (m *RateOfRiseMonitor) Tick(time.Time) (Change, bool) { return Change{}, false }

// Observe feeds the next sample.
func (m *RateOfRiseMonitor) Observe(s gauge.Sample) (Change, bool) {
	if !m.order.next(s) || !usable(s) {
		return Change{}, false
	}
	m.window.add(s.T, s.V)
	// The running fit decides when both ends of its margin agree; otherwise, and for the rate
	// reported, the exact fit (see series.fit).
	est, ok := m.estimate()
	if !ok {
		// Not enough samples for a rate: neither evidence for nor against a change.
		m.state.reset()
		return Change{}, false
	}
	beyond := m.beyond(est.lo())
	if !est.sure() || m.beyond(est.hi()) != beyond {
		beyond = m.beyond(m.rate())
	}
	since, changed := m.state.step(beyond, s.T, m.cfg.OnDelay, m.cfg.OffDelay)
	if !changed {
		return Change{}, false
	}
	rate := m.rate()
	verb := "rises"
	if !m.state.active {
		verb = "is back"
	}
	return Change{
		Kind: KindRateOfRise, Active: m.state.active, Severity: m.cfg.Severity,
		At: s.T, Since: since, Value: rate, Limit: m.cfg.Rise, Unit: UnitMetrePerH,
		Detail: fmt.Sprintf("level %s at %.2f m/h over %s (limit %g m/h)", verb, rate, m.cfg.Window, m.cfg.Rise),
	}, true
}

func (m *RateOfRiseMonitor) estimate() (estimate, bool) {
	v, _, ok := m.window.fit(m.cfg.Window)
	return v, ok
}

// rate is the exact slope over the window (the window is then known to be covered).
func (m *RateOfRiseMonitor) rate() float64 {
	last, _ := m.window.last()
	rate, _ := m.window.slope(last.t.Add(-m.cfg.Window), last.t, m.cfg.Window)
	return rate
}

// beyond reports whether rate is on the other side of the condition from the current state, the
// deadband applied. It is monotonic in rate.
func (m *RateOfRiseMonitor) beyond(rate float64) bool {
	if m.state.active {
		return rate < m.cfg.Rise-m.cfg.Deadband
	}
	return rate >= m.cfg.Rise
}
