package condition

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// Implausible is active from the first implausible sample, and returns to normal on whichever
// comes first: the ClearAfter-th consecutive usable sample, or the first usable sample at least
// ClearDelay after the last implausible one. Either may be zero (disabled), not both. Usable means
// good or suspect: a flood makes fast rises "suspect", and they must not keep this alarm up.
type Implausible struct {
	ClearAfter int
	ClearDelay time.Duration
	Severity   dam.Severity
}

// Validate reports every inconsistency at once.
func (c Implausible) Validate() error {
	var errs []error
	if c.ClearAfter < 0 || c.ClearDelay < 0 {
		errs = append(errs, errors.New("clear-after and clear-delay must be ≥ 0"))
	}
	if c.ClearAfter == 0 && c.ClearDelay == 0 {
		errs = append(errs, errors.New("one of clear-after and clear-delay must be set, or the condition never clears"))
	}
	if !c.Severity.Valid() {
		errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", c.Severity))
	}
	return errors.Join(errs...)
}

// ImplausibleMonitor evaluates an Implausible for one sensor.
type ImplausibleMonitor struct {
	cfg     Implausible
	order   order
	active  bool
	lastBad time.Time
	good    int
}

// NewImplausibleMonitor refuses an invalid configuration.
func NewImplausibleMonitor(c Implausible) (*ImplausibleMonitor, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("implausible: %w", err)
	}
	return &ImplausibleMonitor{cfg: c}, nil
}

func (m *ImplausibleMonitor) Kind() Kind   { return KindImplausible }
func (m *ImplausibleMonitor) Active() bool { return m.active }

// Tick changes nothing: only a usable sample proves the sensor sane again.
func (m *ImplausibleMonitor) Tick(time.Time) (Change, bool) { return Change{}, false }

// Observe feeds the next sample.
func (m *ImplausibleMonitor) Observe(s gauge.Sample) (Change, bool) {
	if !m.order.next(s) {
		return Change{}, false
	}
	if s.Q == sensor.Implausible {
		m.lastBad, m.good = s.T, 0
		if m.active {
			return Change{}, false
		}
		m.active = true
		return Change{
			Kind: KindImplausible, Active: true, Severity: m.cfg.Severity, At: s.T, Since: s.T,
			Value: s.V, Unit: UnitMetre, Detail: s.Why,
		}, true
	}
	if !m.active {
		return Change{}, false
	}
	m.good++
	byCount := m.cfg.ClearAfter > 0 && m.good >= m.cfg.ClearAfter
	byDelay := m.cfg.ClearDelay > 0 && s.T.Sub(m.lastBad) >= m.cfg.ClearDelay
	if !byCount && !byDelay {
		return Change{}, false
	}
	m.active = false
	return Change{
		Kind: KindImplausible, Severity: m.cfg.Severity, At: s.T, Since: m.lastBad,
		Value: s.V, Unit: UnitMetre,
		Detail: fmt.Sprintf("%d usable readings since the last implausible one, %s ago", m.good, s.T.Sub(m.lastBad)),
	}, true
}
