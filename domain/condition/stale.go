package condition

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// StalePeriods is how many reporting periods without a reading make a sensor stale by default:
// one missed reading is a hiccup, three are an outage.
const StalePeriods = 3

// Stale is active once no reading has arrived for After (evaluated on a tick), and clears on the
// next reading.
type Stale struct {
	After    time.Duration
	Severity dam.Severity
}

// StaleFor derives the stale delay from the sensor's normal reporting period.
func StaleFor(spec sensor.Spec, severity dam.Severity) Stale {
	return Stale{After: StalePeriods * spec.Period, Severity: severity}
}

// Validate reports every inconsistency at once.
func (c Stale) Validate() error {
	var errs []error
	if c.After <= 0 {
		errs = append(errs, fmt.Errorf("after %s must be positive", c.After))
	}
	if !c.Severity.Valid() {
		errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", c.Severity))
	}
	return errors.Join(errs...)
}

// StaleMonitor evaluates a Stale for one sensor.
//
// Silence is measured from the newest reading's sensor time: the gauge refuses readings too far in
// the future, so a sensor clock running ahead cannot hide an outage for long, while one running
// behind by more than After would look stale (and should: its data is not current).
type StaleMonitor struct {
	cfg    Stale
	order  order
	active bool
	// since is the newest reading's sensor time, or the first tick when none ever arrived, so a
	// sensor that never reports becomes stale After monitoring began.
	since time.Time
}

// NewStaleMonitor refuses an invalid configuration.
func NewStaleMonitor(c Stale) (*StaleMonitor, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("stale: %w", err)
	}
	return &StaleMonitor{cfg: c}, nil
}

func (m *StaleMonitor) Kind() Kind   { return KindStale }
func (m *StaleMonitor) Active() bool { return m.active }

// Observe: any reading newer than the newest, whatever its quality, proves the sensor talks.
func (m *StaleMonitor) Observe(s gauge.Sample) (Change, bool) {
	if !m.order.next(s) {
		return Change{}, false
	}
	prev := m.since
	m.since = s.T
	if !m.active {
		return Change{}, false
	}
	m.active = false
	gap := s.T.Sub(prev)
	return Change{
		Kind: KindStale, Severity: m.cfg.Severity, At: s.T, Since: s.T,
		Value: gap.Seconds(), Limit: m.cfg.After.Seconds(), Unit: UnitSeconds,
		Detail: fmt.Sprintf("reporting again after %s of silence", gap),
	}, true
}

// Tick: stale once now is After or more past the newest reading.
func (m *StaleMonitor) Tick(now time.Time) (Change, bool) {
	if m.since.IsZero() {
		m.since = now
	}
	silent := now.Sub(m.since)
	if m.active || silent < m.cfg.After {
		return Change{}, false
	}
	m.active = true
	return Change{
		Kind: KindStale, Active: true, Severity: m.cfg.Severity, At: now, Since: m.since.Add(m.cfg.After),
		Value: silent.Seconds(), Limit: m.cfg.After.Seconds(), Unit: UnitSeconds,
		Detail: fmt.Sprintf("no reading for %s (limit %s)", silent, m.cfg.After),
	}, true
}
