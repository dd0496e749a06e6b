package condition_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// t0 is the fake clock's origin: every step says how long after it it happens.
var t0 = time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)

// step is one input of a monitor: a sample at t0+at, or a tick at t0+at.
type step struct {
	at   time.Duration
	v    float64
	q    sensor.Quality
	late bool
	tick bool
}

func sample(at time.Duration, v float64) step { return step{at: at, v: v} }
func bad(at time.Duration, v float64) step    { return step{at: at, v: v, q: sensor.Implausible} }
func tick(at time.Duration) step              { return step{at: at, tick: true} }

// ramp returns samples every `every` from `from`, starting at v0 and adding each increment in turn.
func ramp(from, every time.Duration, v0 float64, increments ...float64) []step {
	out := []step{sample(from, v0)}
	v := v0
	for i, d := range increments {
		v += d
		out = append(out, sample(from+time.Duration(i+1)*every, v))
	}
	return out
}

func steps(groups ...[]step) []step {
	var out []step
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// change is what a test expects: the state a monitor moved to, and when (offset from t0).
type change struct {
	active bool
	at     time.Duration
}

func on(at time.Duration) change  { return change{true, at} }
func off(at time.Duration) change { return change{false, at} }

func run(m condition.Monitor, in []step) []condition.Change {
	var out []condition.Change
	for _, s := range in {
		var c condition.Change
		var ok bool
		if s.tick {
			c, ok = m.Tick(t0.Add(s.at))
		} else {
			q := s.q
			if q == "" {
				q = sensor.Good
			}
			c, ok = m.Observe(gauge.Sample{T: t0.Add(s.at), V: s.v, Q: q, Late: s.late})
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func check(t *testing.T, m condition.Monitor, got []condition.Change, want []change) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d changes %s, want %v", len(got), describe(got), want)
	}
	for i, c := range got {
		if c.Active != want[i].active || !c.At.Equal(t0.Add(want[i].at)) {
			t.Errorf("change %d: got active=%v at +%s (%s), want active=%v at +%s", i, c.Active, c.At.Sub(t0), c.Detail, want[i].active, want[i].at)
		}
		if c.Kind != m.Kind() {
			t.Errorf("change %d: got kind %q, want %q", i, c.Kind, m.Kind())
		}
		if c.Since.After(c.At) {
			t.Errorf("change %d: since %s is after at %s", i, c.Since, c.At)
		}
	}
	wantActive := len(want) > 0 && want[len(want)-1].active
	if m.Active() != wantActive {
		t.Errorf("monitor ends active=%v, want %v", m.Active(), wantActive)
	}
}

func describe(cs []condition.Change) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "[active=%v +%s %s] ", c.Active, c.At.Sub(t0), c.Detail)
	}
	return b.String()
}

const (
	m1  = time.Minute
	m15 = 15 * time.Minute
	ns  = time.Nanosecond
)

func TestRateOfRise(t *testing.T) {
	t.Parallel()
	// With a 15-minute window and a sample every 15 minutes the slope is that of the last two
	// samples: +0.25 m is 1 m/h, +0.125 m is 0.5 m/h, all exact in binary.
	base := condition.RateOfRise{Rise: 1, Window: m15, Severity: dam.SeverityHigh}
	with := func(f func(*condition.RateOfRise)) condition.RateOfRise { c := base; f(&c); return c }
	tests := []struct {
		name  string
		given condition.RateOfRise
		when  []step
		then  []change
	}{
		{"a rise exactly at the limit is active", base, ramp(0, m15, 0, 0.25), []change{on(m15)}},
		{"a rise just under the limit is not", base, ramp(0, m15, 0, 0.2499), nil},
		{"a single sample gives no rate", base, ramp(0, m15, 0), nil},
		{"samples spanning under half the window give no rate", base, ramp(0, 7*m1, 0, 1), nil},
		{"falling is not rising", base, ramp(0, m15, 5, -0.5), nil},
		{
			"on-delay reached exactly", with(func(c *condition.RateOfRise) { c.OnDelay = m15 }),
			ramp(0, m15, 0, 0.25, 0.25), []change{on(2 * m15)},
		},
		{
			"on-delay missed by one nanosecond", with(func(c *condition.RateOfRise) { c.OnDelay = m15 + ns }),
			ramp(0, m15, 0, 0.25, 0.25), nil,
		},
		{
			"on-delay restarts when the rise stops", with(func(c *condition.RateOfRise) { c.OnDelay = m15 }),
			ramp(0, m15, 0, 0.25, 0, 0.25, 0.25), []change{on(4 * m15)},
		},
		{
			"inside the deadband stays active", with(func(c *condition.RateOfRise) { c.Deadband = 0.5 }),
			ramp(0, m15, 0, 0.25, 0.125), []change{on(m15)},
		},
		{
			"under the deadband clears", with(func(c *condition.RateOfRise) { c.Deadband = 0.5 }),
			ramp(0, m15, 0, 0.25, 0.125, 0.0625), []change{on(m15), off(3 * m15)},
		},
		{
			"off-delay reached exactly", with(func(c *condition.RateOfRise) { c.OffDelay = m15 }),
			ramp(0, m15, 0, 0.25, 0, 0), []change{on(m15), off(3 * m15)},
		},
		{
			"off-delay missed by one nanosecond", with(func(c *condition.RateOfRise) { c.OffDelay = m15 + ns }),
			ramp(0, m15, 0, 0.25, 0, 0), []change{on(m15)},
		},
		{
			"an implausible spike is not a rise", base,
			[]step{sample(0, 1), bad(m15, 99), sample(2*m15, 1.1)}, nil,
		},
		{
			"late and out-of-order samples are ignored", base,
			[]step{sample(0, 1), sample(m15, 1.1), {at: m15 / 2, v: 5, late: true}, sample(m15/2, 5), sample(2*m15, 1.2)}, nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := condition.NewRateOfRiseMonitor(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			check(t, m, run(m, tt.when), tt.then)
		})
	}
}

func TestRateOfRiseReportsTheRate(t *testing.T) {
	t.Parallel()
	m, err := condition.NewRateOfRiseMonitor(condition.RateOfRise{Rise: 1, Window: 30 * m1, Severity: dam.SeverityHigh})
	if err != nil {
		t.Fatal(err)
	}
	got := run(m, ramp(0, 5*m1, 2, 0.125, 0.125, 0.125, 0.125))
	if len(got) != 1 {
		t.Fatalf("got %s, want one activation", describe(got))
	}
	c := got[0]
	if c.Value != 1.5 || c.Limit != 1 || c.Unit != condition.UnitMetrePerH || c.Severity != dam.SeverityHigh {
		t.Errorf("got value %g %s limit %g severity %s, want 1.5 m/h over 1, high", c.Value, c.Unit, c.Limit, c.Severity)
	}
}

// linear is a dam whose storage curve is linear, so volume and level forecasts agree and every
// figure of a test is exact: 1000 m³ per metre, crest at 9 m.
func linear(t *testing.T) dam.Dam {
	t.Helper()
	c, err := dam.NewPowerCurve(1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	return dam.Dam{ID: "test", Capacity: 9000, SpillwayCrest: 9, Curve: c}
}

func TestTimeToSpill(t *testing.T) {
	t.Parallel()
	// 8 -> 8.25 m in 15 min: 1 m/h, 0.75 m left: 45 min to the crest.
	// then 8.375 m: 0.5 m/h, 0.625 m left: 75 min.
	base := condition.TimeToSpill{Under: 45*m1 + ns, Window: m15, Severity: dam.SeverityCritical}
	with := func(f func(*condition.TimeToSpill)) condition.TimeToSpill { c := base; f(&c); return c }
	tests := []struct {
		name  string
		given condition.TimeToSpill
		when  []step
		then  []change
	}{
		{"a forecast under the limit is active", base, ramp(0, m15, 8, 0.25), []change{on(m15)}},
		{
			"a forecast exactly at the limit is not", with(func(c *condition.TimeToSpill) { c.Under = 45 * m1 }),
			ramp(0, m15, 8, 0.25), nil,
		},
		{"no rise, no forecast", base, ramp(0, m15, 8, 0, -0.1), nil},
		{"spilling is active at once", base, ramp(0, m15, 9.1), []change{on(0)}},
		{"spilling stays active while the level falls over the crest", base, ramp(0, m15, 9.1, -0.05), []change{on(0)}},
		{
			"on-delay reached exactly", with(func(c *condition.TimeToSpill) { c.Under = time.Hour; c.OnDelay = m15 }),
			ramp(0, m15, 8, 0.25, 0.25), []change{on(2 * m15)},
		},
		{
			"on-delay missed by one nanosecond", with(func(c *condition.TimeToSpill) { c.Under = time.Hour; c.OnDelay = m15 + ns }),
			ramp(0, m15, 8, 0.25, 0.25), nil,
		},
		{
			"forecast exactly at under plus deadband clears", with(func(c *condition.TimeToSpill) { c.Under = time.Hour; c.Deadband = m15 }),
			ramp(0, m15, 8, 0.25, 0.125), []change{on(m15), off(2 * m15)},
		},
		{
			"forecast one nanosecond inside the deadband stays", with(func(c *condition.TimeToSpill) { c.Under = time.Hour; c.Deadband = m15 + ns }),
			ramp(0, m15, 8, 0.25, 0.125), []change{on(m15)},
		},
		{"the level stopping clears", base, ramp(0, m15, 8, 0.25, 0), []change{on(m15), off(2 * m15)}},
		{
			"off-delay missed by one nanosecond", with(func(c *condition.TimeToSpill) { c.OffDelay = m15 + ns }),
			ramp(0, m15, 8, 0.25, 0, 0), []change{on(m15)},
		},
		{
			"off-delay reached exactly", with(func(c *condition.TimeToSpill) { c.OffDelay = m15 }),
			ramp(0, m15, 8, 0.25, 0, 0), []change{on(m15), off(3 * m15)},
		},
		{
			"a gap keeps the state: too few samples to judge", base,
			[]step{sample(0, 8), sample(m15, 8.25), sample(2*time.Hour, 8.2)}, []change{on(m15)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := condition.NewTimeToSpillMonitor(tt.given, linear(t))
			if err != nil {
				t.Fatal(err)
			}
			check(t, m, run(m, tt.when), tt.then)
		})
	}
}

func TestTimeToSpillChangeValues(t *testing.T) {
	t.Parallel()
	m, err := condition.NewTimeToSpillMonitor(condition.TimeToSpill{Under: time.Hour, Window: m15, Severity: dam.SeverityCritical}, linear(t))
	if err != nil {
		t.Fatal(err)
	}
	got := run(m, ramp(0, m15, 8, 0.25, 0))
	if len(got) != 2 {
		t.Fatalf("got %s, want on then off", describe(got))
	}
	if got[0].Value != (45*m1).Seconds() || got[0].Limit != time.Hour.Seconds() || got[0].Unit != condition.UnitSeconds {
		t.Errorf("activation: got %g %s (limit %g), want 2700 s (limit 3600)", got[0].Value, got[0].Unit, got[0].Limit)
	}
	if got[1].Value != condition.NoForecast {
		t.Errorf("clearing without a forecast: got value %g, want %d", got[1].Value, condition.NoForecast)
	}
	if f := m.Forecast(); f.OK || f.Level != 8.25 {
		t.Errorf("forecast after the level stopped: got %+v, want none at 8.25 m", f)
	}
}

func TestForecast(t *testing.T) {
	t.Parallel()
	mejeanCurve, _ := dam.NewPowerCurve(520, 2)
	mejean := dam.Dam{ID: "mejean", Capacity: 52000, SpillwayCrest: 9, Curve: mejeanCurve}
	flat, err := dam.NewTableCurve([]dam.CurvePoint{{Height: 0, Volume: 0}, {Height: 5, Volume: 10000}, {Height: 10, Volume: 10000}})
	if err != nil {
		t.Fatal(err)
	}
	// A constant net inflow of 2 m³/s into Méjean from 20,000 m³, a reading a minute for 30 min.
	const inflow = 2.0
	var filling []gauge.Sample
	for i := 0; i <= 30; i++ {
		v := 20000 + inflow*float64(i*60)
		filling = append(filling, gauge.Sample{T: t0.Add(time.Duration(i) * m1), V: levelOf(v, 520), Q: sensor.Good})
	}
	last := filling[len(filling)-1]
	exact := time.Duration((mejeanCurve.Volume(9) - mejeanCurve.Volume(last.V)) / inflow * float64(time.Second))

	tests := []struct {
		name       string
		given      dam.Dam
		when       []gauge.Sample
		thenOK     bool
		thenMethod condition.Method
		then       func(t *testing.T, f condition.SpillForecast)
	}{
		{
			"volume forecast follows the widening basin", mejean, filling, true, condition.ByVolume,
			func(t *testing.T, f condition.SpillForecast) {
				if d := f.In - exact; d < -time.Second || d > time.Second {
					t.Errorf("got %s, want %s ± 1 s", f.In, exact)
				}
				if diff := f.Inflow - inflow; diff < -1e-6 || diff > 1e-6 {
					t.Errorf("got net inflow %g m³/s, want %g", f.Inflow, inflow)
				}
				// The straight level trend ignores that the basin widens: it spills too early.
				if byLevel, _ := mejean.TimeToSpill(f.Level, f.Rate); byLevel >= f.In {
					t.Errorf("level forecast %s should be shorter than the volume one %s", byLevel, f.In)
				}
			},
		},
		{
			"without a storage curve the level trend is used", dam.Dam{ID: "x", SpillwayCrest: 9}, filling, true, condition.ByLevel,
			func(t *testing.T, f condition.SpillForecast) {
				if want, _ := mejean.TimeToSpill(f.Level, f.Rate); f.In != want {
					t.Errorf("got %s, want %s", f.In, want)
				}
			},
		},
		{
			"a flat stretch of the curve falls back to the level trend",
			dam.Dam{ID: "x", SpillwayCrest: 9, Curve: flat},
			[]gauge.Sample{{T: t0, V: 6, Q: sensor.Good}, {T: t0.Add(m15), V: 6.5, Q: sensor.Good}}, true, condition.ByLevel,
			func(t *testing.T, f condition.SpillForecast) {
				if f.In != 75*m1 {
					t.Errorf("got %s, want 1h15m (2.5 m at 2 m/h)", f.In)
				}
			},
		},
		{
			"implausible, late and unordered samples are skipped", linear(t),
			[]gauge.Sample{
				{T: t0.Add(m15), V: 8.25, Q: sensor.Good}, {T: t0, V: 8, Q: sensor.Good},
				{T: t0.Add(m15 / 2), V: 99, Q: sensor.Implausible}, {T: t0.Add(m15 / 3), V: 1, Q: sensor.Good, Late: true},
			},
			true, condition.ByVolume,
			func(t *testing.T, f condition.SpillForecast) {
				if f.In != 45*m1 || f.Level != 8.25 || !f.At.Equal(t0.Add(m15)) {
					t.Errorf("got %+v, want 45m at 8.25 m", f)
				}
			},
		},
		{
			"spilling", linear(t), []gauge.Sample{{T: t0, V: 9.2, Q: sensor.Good}}, true, "",
			func(t *testing.T, f condition.SpillForecast) {
				if !f.Spilling || f.In != 0 {
					t.Errorf("got %+v, want spilling now", f)
				}
			},
		},
		{"falling", linear(t), []gauge.Sample{{T: t0, V: 8, Q: sensor.Good}, {T: t0.Add(m15), V: 7.9, Q: sensor.Good}}, false, "", nil},
		{"nothing", linear(t), nil, false, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := condition.Forecast(tt.given, tt.when, 30*m1)
			if f.OK != tt.thenOK || f.Method != tt.thenMethod {
				t.Fatalf("got ok=%v method=%q (%+v), want ok=%v method=%q", f.OK, f.Method, f, tt.thenOK, tt.thenMethod)
			}
			if tt.then != nil {
				tt.then(t, f)
			}
		})
	}
}

// levelOf inverts V = a·h².
func levelOf(v, a float64) float64 {
	lo, hi := 0.0, 20.0
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if a*mid*mid < v {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func TestStale(t *testing.T) {
	t.Parallel()
	base := condition.Stale{After: m15, Severity: dam.SeverityMedium}
	tests := []struct {
		name  string
		given condition.Stale
		when  []step
		then  []change
	}{
		{"silent exactly for the delay is stale", base, []step{sample(0, 1), tick(m15)}, []change{on(m15)}},
		{"silent one nanosecond less is not", base, []step{sample(0, 1), tick(m15 - ns)}, nil},
		{"stays stale on later ticks", base, []step{sample(0, 1), tick(m15), tick(2 * m15)}, []change{on(m15)}},
		{"the next reading clears", base, []step{sample(0, 1), tick(m15), sample(20*m1, 1)}, []change{on(m15), off(20 * m1)}},
		{"an implausible reading also proves the sensor talks", base, []step{sample(0, 1), tick(m15), bad(20*m1, 99)}, []change{on(m15), off(20 * m1)}},
		{"readings in time keep it quiet", base, []step{sample(0, 1), tick(10 * m1), sample(10*m1, 1), tick(20 * m1)}, nil},
		{"a sensor that never reports goes stale after the first tick", base, []step{tick(0), tick(m15 - ns), tick(m15)}, []change{on(m15)}},
		{
			"an out-of-order reading does not clear", base,
			[]step{sample(10*m1, 1), tick(25 * m1), {at: 5 * m1, v: 1, late: true}, sample(5*m1, 1)}, []change{on(25 * m1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := condition.NewStaleMonitor(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			check(t, m, run(m, tt.when), tt.then)
		})
	}
}

func TestStaleForDerivesFromThePeriod(t *testing.T) {
	t.Parallel()
	got := condition.StaleFor(sensor.Spec{Period: 5 * time.Minute}, dam.SeverityMedium)
	if got.After != 15*time.Minute {
		t.Errorf("got %s, want 15m for a 5-minute sensor", got.After)
	}
}

func TestFrozen(t *testing.T) {
	t.Parallel()
	// Samples every 5 minutes; the trend window defaults to After (30 min).
	base := condition.Frozen{After: 30 * m1, MinTrend: 0.05, Severity: dam.SeverityMedium}
	with := func(f func(*condition.Frozen)) condition.Frozen { c := base; f(&c); return c }
	every := 5 * m1
	falling := ramp(0, every, 6.5, -0.02, -0.02, -0.02, -0.02, -0.02, -0.02) // -0.24 m/h until 30 min
	freeze := func(from time.Duration, n int, v float64) []step {
		var out []step
		for i := 1; i <= n; i++ {
			out = append(out, sample(from+time.Duration(i)*every, v))
		}
		return out
	}
	last := falling[len(falling)-1].v
	tests := []struct {
		name       string
		given      condition.Frozen
		neighbours []step
		when       []step
		then       []change
	}{
		{
			"repeating exactly for the delay while falling is frozen", base, nil,
			steps(falling, freeze(30*m1, 6, last)), []change{on(60 * m1)},
		},
		{
			"one nanosecond short of the delay is not", with(func(c *condition.Frozen) { c.After = 30*m1 + ns; c.TrendWindow = 30 * m1 }), nil,
			steps(falling, freeze(30*m1, 6, last)), nil,
		},
		{
			"a change of value clears", base, nil,
			steps(falling, freeze(30*m1, 6, last), []step{sample(65*m1, last-0.3)}), []change{on(60 * m1), off(65 * m1)},
		},
		{
			"still water repeating its value is not frozen", base, nil,
			steps(ramp(0, every, 3, 0, 0, 0, 0, 0, 0), freeze(30*m1, 6, 3)), nil,
		},
		{
			"a slow drift under the minimum trend is still water", base, nil,
			steps(ramp(0, every, 3, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001), freeze(30*m1, 6, 3.006)), nil,
		},
		{
			"values within epsilon are the same value", with(func(c *condition.Frozen) { c.Epsilon = 0.25 }), nil,
			steps(ramp(0, every, 8, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5), []step{
				sample(35*m1, 5.125), sample(40*m1, 4.875), sample(45*m1, 5.0), sample(50*m1, 5.1), sample(55*m1, 5.2), sample(60*m1, 5.0),
			}), []change{on(60 * m1)},
		},
		{
			"a difference of exactly epsilon is a new value", with(func(c *condition.Frozen) { c.Epsilon = 0.25 }), nil,
			steps(ramp(0, every, 8, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5), []step{
				sample(35*m1, 5.0), sample(40*m1, 5.0), sample(45*m1, 5.0), sample(50*m1, 5.0), sample(55*m1, 4.75), sample(60*m1, 4.75),
			}), nil,
		},
		{
			"a moving neighbour makes a flat sensor frozen", base,
			ramp(0, every, 2, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05),
			steps(ramp(0, every, 3, 0, 0, 0, 0, 0, 0), freeze(30*m1, 6, 3)), []change{on(30 * m1)},
		},
		{
			"a still neighbour overrules the trend before", base,
			ramp(0, every, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			steps(falling, freeze(30*m1, 6, last)), nil,
		},
		{
			"implausible readings neither break nor extend the run", base, nil,
			steps(falling, freeze(30*m1, 3, last), []step{bad(47*m1, 99)}, freeze(45*m1, 3, last)), []change{on(60 * m1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := condition.NewFrozenMonitor(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.neighbours {
				m.ObserveNeighbour(gauge.Sample{T: t0.Add(s.at), V: s.v, Q: sensor.Good})
			}
			check(t, m, run(m, tt.when), tt.then)
		})
	}
}

func TestImplausible(t *testing.T) {
	t.Parallel()
	byCount := condition.Implausible{ClearAfter: 3, Severity: dam.SeverityMedium}
	byDelay := condition.Implausible{ClearDelay: 10 * m1, Severity: dam.SeverityMedium}
	tests := []struct {
		name  string
		given condition.Implausible
		when  []step
		then  []change
	}{
		{"an implausible sample is active at once", byCount, []step{sample(0, 1), bad(m1, 99)}, []change{on(m1)}},
		{"N-1 good samples are not enough", byCount, []step{bad(0, 99), sample(m1, 1), sample(2*m1, 1)}, []change{on(0)}},
		{"the N-th good sample clears", byCount, []step{bad(0, 99), sample(m1, 1), sample(2*m1, 1), sample(3*m1, 1)}, []change{on(0), off(3 * m1)}},
		{
			"an implausible sample restarts the count", byCount,
			[]step{bad(0, 99), sample(m1, 1), sample(2*m1, 1), bad(3*m1, 99), sample(4*m1, 1), sample(5*m1, 1), sample(6*m1, 1)},
			[]change{on(0), off(6 * m1)},
		},
		{"suspect samples count as usable", byCount, []step{bad(0, 99), {at: m1, v: 1, q: sensor.Suspect}, sample(2*m1, 1), sample(3*m1, 1)}, []change{on(0), off(3 * m1)}},
		{"a good sample exactly at the delay clears", byDelay, []step{bad(0, 99), sample(10*m1, 1)}, []change{on(0), off(10 * m1)}},
		{"one nanosecond before the delay does not", byDelay, []step{bad(0, 99), sample(10*m1-ns, 1)}, []change{on(0)}},
		{"the delay counts from the last implausible sample", byDelay, []step{bad(0, 99), bad(5*m1, 99), sample(10*m1, 1), sample(15*m1, 1)}, []change{on(0), off(15 * m1)}},
		{"ticks change nothing", byDelay, []step{bad(0, 99), tick(time.Hour)}, []change{on(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := condition.NewImplausibleMonitor(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			check(t, m, run(m, tt.when), tt.then)
		})
	}
}

func TestInvalidConfigurationsReportEveryMistake(t *testing.T) {
	t.Parallel()
	crest := dam.Dam{ID: "x", SpillwayCrest: 9}
	tests := []struct {
		name string
		new  func() error
		want []string
	}{
		{"rate of rise", func() error {
			_, err := condition.NewRateOfRiseMonitor(condition.RateOfRise{Rise: -1, OnDelay: -1, Deadband: -1})
			return err
		}, []string{"rise", "window", "delays", "deadband", "severity"}},
		{"time to spill", func() error {
			_, err := condition.NewTimeToSpillMonitor(condition.TimeToSpill{}, dam.Dam{})
			return err
		}, []string{"under", "window", "severity", "spillway crest"}},
		{"time to spill delays", func() error {
			_, err := condition.NewTimeToSpillMonitor(condition.TimeToSpill{Under: 1, Window: 1, OffDelay: -1, Severity: "low"}, crest)
			return err
		}, []string{"delays"}},
		{"stale", func() error { _, err := condition.NewStaleMonitor(condition.Stale{}); return err }, []string{"after", "severity"}},
		{"frozen", func() error {
			_, err := condition.NewFrozenMonitor(condition.Frozen{Epsilon: -1, TrendWindow: -1})
			return err
		}, []string{"after", "min trend", "epsilon", "trend window", "severity"}},
		{"implausible", func() error {
			_, err := condition.NewImplausibleMonitor(condition.Implausible{})
			return err
		}, []string{"never clears", "severity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.new()
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestKinds(t *testing.T) {
	t.Parallel()
	process := map[condition.Kind]bool{condition.KindLevel: true, condition.KindRateOfRise: true, condition.KindTimeToSpill: true}
	for _, k := range []condition.Kind{condition.KindLevel, condition.KindRateOfRise, condition.KindTimeToSpill, condition.KindStale,
		condition.KindFrozen, condition.KindImplausible, condition.KindUnknownSensor, condition.KindEndpointUnreachable} {
		if !k.Valid() {
			t.Errorf("%s: not valid", k)
		}
		if k.Process() != process[k] {
			t.Errorf("%s: process=%v, want %v", k, k.Process(), process[k])
		}
	}
	if condition.Kind("flood").Valid() {
		t.Error("an unknown kind is valid")
	}
}
