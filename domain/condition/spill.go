package condition

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
)

// Method is how a time-to-spill forecast was made.
type Method string

const (
	// ByVolume: net inflow estimated as dV/dt over the window through the storage curve, and the
	// volume left under the crest divided by it. Preferred: a basin widens as it fills, so the same
	// inflow raises the level ever more slowly, which a straight level trend ignores.
	ByVolume Method = "volume"
	// ByLevel: the level trend extrapolated to the crest, when the volume forecast is not possible
	// (no storage curve, or a flat stretch of a table curve).
	ByLevel Method = "level"
)

// maxForecast bounds a forecast, as dam.TimeToSpill does: beyond it the level is not rising in any
// sense an operator cares about.
const maxForecast = 365 * 24 * time.Hour

// SpillForecast is the time-to-spill forecast at the newest usable sample. Projections show it on
// every dam state.
type SpillForecast struct {
	At       time.Time `json:"at"`
	Level    float64   `json:"level_m"`
	Spilling bool      `json:"spilling"`
	// OK is false when there is no forecast: not enough samples, or the level is not rising.
	OK bool `json:"ok"`
	// In is the time left until the crest; 0 when spilling.
	In     time.Duration `json:"in"`
	Method Method        `json:"method,omitempty"`
	// Inflow is the net inflow dV/dt (m³/s) over the window, Rate the level trend (m/h).
	Inflow float64 `json:"net_inflow_m3s"`
	Rate   float64 `json:"rate_m_per_h"`
}

// Forecast computes the time-to-spill forecast of dam d from a sensor's recent samples (any order,
// any quality: unusable and Late ones are skipped) over the window ending at the newest usable
// sample.
func Forecast(d dam.Dam, recent []gauge.Sample, window time.Duration) SpillForecast {
	var pts []point
	var o order
	for _, s := range sortedSamples(recent) {
		if o.next(s) && usable(s) {
			p := point{t: s.T, v: s.V}
			if d.Curve != nil {
				p.w = d.Curve.Volume(s.V)
			}
			pts = append(pts, p)
		}
	}
	f, _ := forecast(d, crestVolume(d), pts, window)
	return f
}

func sortedSamples(ss []gauge.Sample) []gauge.Sample {
	out := append([]gauge.Sample(nil), ss...)
	// Insertion sort: projections pass samples almost in order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].T.Before(out[j-1].T); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// crestVolume is the volume at the spillway crest, 0 without a storage curve.
func crestVolume(d dam.Dam) float64 {
	if d.Curve == nil {
		return 0
	}
	return d.Curve.Volume(d.SpillwayCrest)
}

// forecast works on usable points in order, their w being their volume when d has a storage
// curve (whose volume at the crest is crestV). It fits exactly (slopeOf). judged is false when
// there were too few samples to tell whether the level rises, which is not the same as "not
// rising".
func forecast(d dam.Dam, crestV float64, pts []point, window time.Duration) (f SpillForecast, judged bool) {
	if len(pts) == 0 {
		return SpillForecast{}, false
	}
	last := pts[len(pts)-1]
	from := last.t.Add(-window)
	rate, ok := slopeOf(pts, from, last.t, window, false)
	if last.v >= d.SpillwayCrest {
		return SpillForecast{At: last.t, Level: last.v, Spilling: true, OK: true, Rate: rate}, true
	}
	if !ok {
		return SpillForecast{At: last.t, Level: last.v, Rate: rate}, false
	}
	var perHour float64
	if d.Curve != nil {
		perHour, _ = slopeOf(pts, from, last.t, window, true)
	}
	return conclude(&d, crestV, last, rate, perHour), true
}

// conclude is the forecast, not spilling, from the level trend `rate` (m/h) and, when d has a
// storage curve, the volume trend perHour (m³/h) over a window ending at last.
func conclude(d *dam.Dam, crestV float64, last point, rate, perHour float64) SpillForecast {
	f := SpillForecast{At: last.t, Level: last.v, Rate: rate}
	if d.Curve != nil {
		f.Inflow = perHour / 3600
	}
	f.OK, f.In, f.Method = horizon(d, crestV, last, rate, perHour)
	return f
}

// horizon is conclude's verdict: whether the crest is forecast, in how long, and by which method.
func horizon(d *dam.Dam, crestV float64, last point, rate, perHour float64) (bool, time.Duration, Method) {
	if d.Curve != nil {
		left := crestV - last.w
		if perHour > 0 && left > 0 {
			hours := left / perHour
			if hours*float64(time.Hour) <= float64(maxForecast) {
				return true, time.Duration(hours * float64(time.Hour)), ByVolume
			}
			return false, 0, ""
		}
	}
	if in, ok := d.TimeToSpill(last.v, rate); ok {
		return true, in, ByLevel
	}
	return false, 0, ""
}

// TimeToSpill is active while the forecast time to reach the spillway crest is under Under (and
// while spilling), held for OnDelay. It clears when there is no forecast any more (the level stopped
// rising) or the forecast reaches Under+Deadband, held for OffDelay.
type TimeToSpill struct {
	Under    time.Duration
	Window   time.Duration
	OnDelay  time.Duration
	OffDelay time.Duration
	Deadband time.Duration
	Severity dam.Severity
}

// Validate reports every inconsistency at once.
func (c TimeToSpill) Validate() error {
	var errs []error
	if c.Under <= 0 {
		errs = append(errs, fmt.Errorf("under %s must be positive", c.Under))
	}
	if c.Window <= 0 {
		errs = append(errs, fmt.Errorf("window %s must be positive", c.Window))
	}
	if c.OnDelay < 0 || c.OffDelay < 0 || c.Deadband < 0 {
		errs = append(errs, errors.New("delays and deadband must be ≥ 0"))
	}
	if !c.Severity.Valid() {
		errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", c.Severity))
	}
	return errors.Join(errs...)
}

// TimeToSpillMonitor evaluates a TimeToSpill for one level sensor of a dam.
type TimeToSpillMonitor struct {
	cfg    TimeToSpill
	dam    dam.Dam
	crestV float64
	order  order
	window series
	state  debounce
}

// NoForecast is the Value of a time-to-spill change when there is no forecast (the level is not
// rising): a number, since an event cannot hold an infinity.
const NoForecast = -1

// NewTimeToSpillMonitor needs the dam's spillway crest; its storage curve is optional (without it
// the forecast follows the level trend).
func NewTimeToSpillMonitor(c TimeToSpill, d dam.Dam) (*TimeToSpillMonitor, error) {
	err := c.Validate()
	if !(d.SpillwayCrest > 0) {
		err = errors.Join(err, fmt.Errorf("dam %s: spillway crest %g m must be positive", d.ID, d.SpillwayCrest))
	}
	if err != nil {
		return nil, fmt.Errorf("time to spill: %w", err)
	}
	w := series{span: c.Window, running: true}
	if d.Curve != nil {
		w.curve = d.Curve.Volume
	}
	return &TimeToSpillMonitor{cfg: c, dam: d, crestV: crestVolume(d), window: w}, nil
}

func (m *TimeToSpillMonitor) Kind() Kind   { return KindTimeToSpill }
func (m *TimeToSpillMonitor) Active() bool { return m.state.active }

// Forecast is the forecast at the newest usable sample. It is fitted exactly on demand: Observe
// decides on the running fit when it can (see judge).
func (m *TimeToSpillMonitor) Forecast() SpillForecast {
	f, _ := forecast(m.dam, m.crestV, m.window.pts, m.cfg.Window)
	return f
}

// Tick changes nothing: the forecast is made on samples only.
func (m *TimeToSpillMonitor) Tick(time.Time) (Change, bool) { return Change{}, false }

// Observe feeds the next sample.
func (m *TimeToSpillMonitor) Observe(s gauge.Sample) (Change, bool) {
	if !m.order.next(s) || !usable(s) {
		return Change{}, false
	}
	m.window.add(s.T, s.V)
	beyond, judged, sure := m.judge()
	if !sure {
		var f SpillForecast
		f, judged = forecast(m.dam, m.crestV, m.window.pts, m.cfg.Window)
		beyond = m.beyond(f)
	}
	if !judged {
		// Too few samples to tell: neither evidence for nor against a change.
		m.state.reset()
		return Change{}, false
	}
	since, changed := m.state.step(beyond, s.T, m.cfg.OnDelay, m.cfg.OffDelay)
	if !changed {
		return Change{}, false
	}
	f := m.Forecast()
	c := Change{
		Kind: KindTimeToSpill, Active: m.state.active, Severity: m.cfg.Severity,
		At: s.T, Since: since, Value: NoForecast, Limit: m.cfg.Under.Seconds(), Unit: UnitSeconds,
	}
	switch {
	case f.Spilling:
		c.Value = 0
		c.Detail = fmt.Sprintf("spilling: level %.2f m over the crest at %g m", f.Level, m.dam.SpillwayCrest)
	case f.OK:
		c.Value = f.In.Seconds()
		c.Detail = fmt.Sprintf("crest %g m reached in %s (%s forecast: net inflow %.2f m³/s, level %+.2f m/h)", m.dam.SpillwayCrest, f.In.Round(time.Minute), f.Method, f.Inflow, f.Rate)
	default:
		c.Detail = fmt.Sprintf("no forecast: level %.2f m is not rising (%+.2f m/h)", f.Level, f.Rate)
	}
	return c, true
}

// beyond reports whether forecast f is on the other side of the condition from the current state,
// the deadband applied.
func (m *TimeToSpillMonitor) beyond(f SpillForecast) bool { return m.beyondIn(f.OK, f.In) }

func (m *TimeToSpillMonitor) beyondIn(ok bool, in time.Duration) bool {
	if m.state.active {
		return !ok || in >= m.cfg.Under+m.cfg.Deadband
	}
	return ok && in < m.cfg.Under
}

// judge decides Observe's question (is the forecast beyond the condition, and was it judged at
// all) from the running fit, in constant time. sure is false when the running fit cannot vouch
// for the answer the exact fit would give: the slopes are too close to a limit for their margins
// (a forecast near Under, a trend near 0), and the caller must fit exactly.
//
// The answer is monotonic in each slope on each of conclude's two paths (volume, level): a
// steeper rise gives a forecast at least as short. So when the same answer holds at both ends of
// the margins on every path the slopes can take, it holds for the exact slopes too.
func (m *TimeToSpillMonitor) judge() (beyond, judged, sure bool) {
	last, _ := m.window.last()
	if last.v >= m.dam.SpillwayCrest {
		return m.beyond(SpillForecast{Spilling: true, OK: true}), true, true
	}
	lv, vol, ok := m.window.fit(m.cfg.Window)
	if !ok {
		return false, false, true
	}
	at := func(rate, perHour float64) bool {
		ok, in, _ := horizon(&m.dam, m.crestV, last, rate, perHour)
		return m.beyondIn(ok, in)
	}
	first := true
	same := func(b bool) bool {
		if first {
			beyond, first = b, false
			return true
		}
		return b == beyond
	}
	if !lv.sure() {
		return false, true, false
	}
	if m.dam.Curve != nil && m.crestV-last.w > 0 {
		if !vol.sure() {
			return false, true, false
		}
		if vol.hi() > 0 {
			// The volume path, at both ends; a slope positive by a hair forecasts beyond any
			// horizon: no forecast.
			lo := m.beyondIn(false, 0)
			if vol.lo() > 0 {
				lo = at(0, vol.lo())
			}
			if !same(at(0, vol.hi())) || !same(lo) {
				return false, true, false
			}
		}
		if !(vol.lo() > 0) && (!same(at(lv.lo(), 0)) || !same(at(lv.hi(), 0))) {
			return false, true, false
		}
		return beyond, true, true
	}
	if !same(at(lv.lo(), 0)) || !same(at(lv.hi(), 0)) {
		return false, true, false
	}
	return beyond, true, true
}
