package condition

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// The running fit (series.fit) must never change a decision or a reported value: these tests hold
// it against the implementation it replaced, kept here verbatim as the reference (refSlopeOf,
// refForecast, and the monitors' former Observe).

// refSlopeOf is the former slopeOf: filter, then two passes.
func refSlopeOf(pts []point, from, to time.Time, need time.Duration, y func(point) float64) (float64, bool) {
	var in []point
	for _, p := range pts {
		if !p.t.Before(from) && !p.t.After(to) {
			in = append(in, p)
		}
	}
	if len(in) < 2 || in[len(in)-1].t.Sub(in[0].t) < need/2 {
		return 0, false
	}
	t0 := in[0].t
	var sx, sy float64
	for _, p := range in {
		sx += p.t.Sub(t0).Hours()
		sy += y(p)
	}
	n := float64(len(in))
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for _, p := range in {
		dx := p.t.Sub(t0).Hours() - mx
		sxy += dx * (y(p) - my)
		sxx += dx * dx
	}
	if sxx == 0 {
		return 0, false
	}
	return sxy / sxx, true
}

// refForecast is the former forecast, volumes computed through the curve at every use.
func refForecast(d dam.Dam, pts []point, window time.Duration) (f SpillForecast, judged bool) {
	if len(pts) == 0 {
		return SpillForecast{}, false
	}
	last := pts[len(pts)-1]
	f = SpillForecast{At: last.t, Level: last.v, Spilling: last.v >= d.SpillwayCrest}
	from := last.t.Add(-window)
	rate, ok := refSlopeOf(pts, from, last.t, window, func(p point) float64 { return p.v })
	f.Rate = rate
	if f.Spilling {
		f.OK = true
		return f, true
	}
	if !ok {
		return f, false
	}
	if d.Curve != nil {
		perHour, _ := refSlopeOf(pts, from, last.t, window, func(p point) float64 { return d.Curve.Volume(p.v) })
		f.Inflow = perHour / 3600
		left := d.Curve.Volume(d.SpillwayCrest) - d.Curve.Volume(last.v)
		if perHour > 0 && left > 0 {
			hours := left / perHour
			if hours*float64(time.Hour) <= float64(maxForecast) {
				f.OK, f.In, f.Method = true, time.Duration(hours*float64(time.Hour)), ByVolume
			}
			return f, true
		}
	}
	if in, ok := d.TimeToSpill(last.v, rate); ok {
		f.OK, f.In, f.Method = true, in, ByLevel
	}
	return f, true
}

// refSeries is the former series: points only.
type refSeries struct {
	span time.Duration
	pts  []point
}

func (s *refSeries) add(t time.Time, v float64) {
	s.pts = append(s.pts, point{t: t, v: v})
	from := t.Add(-s.span)
	i := 0
	for i < len(s.pts) && s.pts[i].t.Before(from) {
		i++
	}
	s.pts = s.pts[i:]
}

// refRate is the former RateOfRiseMonitor.
type refRate struct {
	cfg    RateOfRise
	order  order
	window refSeries
	state  debounce
}

func (m *refRate) Observe(s gauge.Sample) (Change, bool) {
	if !m.order.next(s) || !usable(s) {
		return Change{}, false
	}
	m.window.add(s.T, s.V)
	rate, ok := refSlopeOf(m.window.pts, s.T.Add(-m.cfg.Window), s.T, m.cfg.Window, func(p point) float64 { return p.v })
	if !ok {
		m.state.reset()
		return Change{}, false
	}
	beyond := rate >= m.cfg.Rise
	if m.state.active {
		beyond = rate < m.cfg.Rise-m.cfg.Deadband
	}
	since, changed := m.state.step(beyond, s.T, m.cfg.OnDelay, m.cfg.OffDelay)
	if !changed {
		return Change{}, false
	}
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

// refSpill is the former TimeToSpillMonitor.
type refSpill struct {
	cfg    TimeToSpill
	dam    dam.Dam
	order  order
	window refSeries
	state  debounce
	last   SpillForecast
}

func (m *refSpill) Observe(s gauge.Sample) (Change, bool) {
	if !m.order.next(s) || !usable(s) {
		return Change{}, false
	}
	m.window.add(s.T, s.V)
	f, judged := refForecast(m.dam, m.window.pts, m.cfg.Window)
	m.last = f
	if !judged {
		m.state.reset()
		return Change{}, false
	}
	beyond := f.OK && f.In < m.cfg.Under
	if m.state.active {
		beyond = !f.OK || f.In >= m.cfg.Under+m.cfg.Deadband
	}
	since, changed := m.state.step(beyond, s.T, m.cfg.OnDelay, m.cfg.OffDelay)
	if !changed {
		return Change{}, false
	}
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

var epoch = time.Date(2025, 10, 10, 0, 0, 0, 0, time.UTC)

// randomSamples draws a sensor's samples as field data can be: mostly regular, with jitter, gaps
// longer than the window, repeated and out-of-order times, implausible readings, flat stretches
// at an offset, ramps right at a limit, storms, noise, millimetre rounding.
func randomSamples(r *rand.Rand, n int) []gauge.Sample {
	every := []time.Duration{time.Minute, 5 * time.Second, 5 * time.Minute, 90 * time.Second}[r.IntN(4)]
	base := []float64{0, 0.4, 7.5, 8.9, 1e4}[r.IntN(5)]
	slope := []float64{0, 1, -1, 0.75, 4, 1e-12, 0.25}[r.IntN(7)] // m/h
	noise := []float64{0, 0, 0.001, 0.05}[r.IntN(4)]
	round := r.IntN(2) == 0
	storm := r.IntN(3) == 0
	t := epoch.Add(time.Duration(r.Int64N(int64(time.Hour))))
	out := make([]gauge.Sample, 0, n)
	for i := 0; i < n; i++ {
		switch k := r.IntN(100); {
		case k < 3: // a gap
			t = t.Add(time.Duration(r.Int64N(int64(3 * time.Hour))))
		case k < 6: // a repeated time
		case k < 8: // out of order
			t = t.Add(-every)
		case k < 15: // jitter
			t = t.Add(every + time.Duration(r.Int64N(int64(every))) - every/2)
		default:
			t = t.Add(every)
		}
		h := t.Sub(epoch).Hours()
		v := base + slope*h + noise*r.NormFloat64()
		if storm {
			v += 4 * math.Sin(h/3)
		}
		if round {
			v = math.Round(v*1000) / 1000
		}
		q := sensor.Good
		switch r.IntN(1000) {
		case 0:
			v = math.NaN() // a gauge flags these; a monitor must not trip on one either
		case 1:
			v = math.Inf(1)
		}
		if r.IntN(50) == 0 {
			q = sensor.Implausible
		}
		out = append(out, gauge.Sample{T: t, V: v, Q: q})
	}
	return out
}

// TestSlopeOfMatchesTheReference: the allocation-free slopeOf, cached volumes included, gives the
// former results to the bit, on any sub-range.
func TestSlopeOfMatchesTheReference(t *testing.T) {
	t.Parallel()
	curve := dam.PowerCurve{A: 520, B: 2}
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 100; round++ {
		var pts []point
		for _, s := range randomSamples(r, 200) {
			if len(pts) > 0 && s.T.Before(pts[len(pts)-1].t) {
				continue // slopeOf needs points in order; repeated times stay
			}
			pts = append(pts, point{t: s.T, v: s.V, w: curve.Volume(s.V)})
		}
		for k := 0; k < 20; k++ {
			a, b := pts[r.IntN(len(pts))].t, pts[r.IntN(len(pts))].t
			from, to := a.Add(-time.Duration(r.IntN(2))), b.Add(time.Duration(r.IntN(2)))
			need := time.Duration(r.Int64N(int64(2 * time.Hour)))
			for _, ofW := range []bool{false, true} {
				y := func(p point) float64 { return p.v }
				if ofW {
					y = func(p point) float64 { return curve.Volume(p.v) }
				}
				got, gotOK := slopeOf(pts, from, to, need, ofW)
				want, wantOK := refSlopeOf(pts, from, to, need, y)
				if math.Float64bits(got) != math.Float64bits(want) || gotOK != wantOK {
					t.Fatalf("round %d, [%s, %s] need %s, volume %v: got %v %v, want %v %v", round, from, to, need, ofW, got, gotOK, want, wantOK)
				}
			}
		}
	}
}

// checkRunningFit feeds samples to a running series and, after each, compares its fit with the
// reference fit of the window: the same "no slope" verdict, and the slopes within the margin.
// It returns the largest error seen, as a fraction of the margin.
func checkRunningFit(t *testing.T, samples []gauge.Sample, span time.Duration, curve dam.StorageCurve) float64 {
	t.Helper()
	s := series{span: span, running: true}
	if curve != nil {
		s.curve = curve.Volume
	}
	var worst float64
	for i, smp := range samples {
		if last, ok := s.last(); ok && smp.T.Before(last.t) {
			continue // a series is fed in order; repeated times are allowed
		}
		s.add(smp.T, smp.V)
		v, w, ok := s.fit(span)
		last, _ := s.last()
		from := last.t.Add(-span)
		wantV, okV := refSlopeOf(s.pts, from, last.t, span, func(p point) float64 { return p.v })
		if ok != okV {
			t.Fatalf("sample %d (%d points over %s): fit ok %v, reference %v", i, len(s.pts), span, ok, okV)
		}
		if !ok {
			continue
		}
		check := func(what string, e estimate, want float64) {
			if !e.sure() {
				return // the caller then fits exactly
			}
			d := math.Abs(e.slope - want)
			if d > e.margin {
				t.Fatalf("sample %d (%d points over %s): %s slope %v, reference %v: off by %g, over the margin %g; %+v %+v", i, len(s.pts), span, what, e.slope, want, d, e.margin, s.pts, s.sums)
			}
			if e.margin > 0 {
				worst = max(worst, d/e.margin)
			}
		}
		check("level", v, wantV)
		if curve != nil {
			wantW, _ := refSlopeOf(s.pts, from, last.t, span, func(p point) float64 { return curve.Volume(p.v) })
			check("volume", w, wantW)
		}
	}
	return worst
}

func TestRunningFitWithinMarginOfTheReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	var worst float64
	for round := 0; round < 100; round++ {
		span := []time.Duration{15 * time.Minute, time.Hour, 2 * time.Minute, time.Nanosecond}[round%4]
		curve := []dam.StorageCurve{nil, dam.PowerCurve{A: 520, B: 2}, dam.PowerCurve{A: 3000, B: 1.6}}[round%3]
		worst = max(worst, checkRunningFit(t, randomSamples(r, 600), span, curve))
	}
	// A flat window after values that have left it: the sums keep the rounding of those values,
	// which the margin must cover though the values now in the window have no spread at all.
	var settle []gauge.Sample
	for i := 0; i < 400; i++ {
		v := 0.0
		if i%40 < 20 {
			v = float64(r.IntN(11)-5) / 1000
		}
		settle = append(settle, gauge.Sample{T: epoch.Add(time.Duration(i) * 37 * time.Second), V: v})
	}
	for _, span := range []time.Duration{2 * time.Minute, 5 * time.Minute} {
		worst = max(worst, checkRunningFit(t, settle, span, dam.PowerCurve{A: 520, B: 2}))
	}
	// The margin is meant to be generous: say by how much, so a change that eats into it shows.
	t.Logf("largest error: %.2g of the margin", worst)
	if worst > 1e-2 {
		t.Errorf("largest error %.2g of the margin: the margin is too thin", worst)
	}
}

// FuzzRunningFitWithinMargin: any series (times and values from the fuzzer, in order) keeps the
// running fit within its margin of the reference fit.
func FuzzRunningFitWithinMargin(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, uint16(15))
	f.Add([]byte("\x3c\x00\x00\x00\x00\x00\x00\x00\xd0\x07\x3c\x00\x00\x00\x00\x00\x00\x00\xd1\x07"), uint16(60))
	f.Fuzz(func(t *testing.T, data []byte, spanMin uint16) {
		span := time.Duration(spanMin%240+1) * time.Minute
		var samples []gauge.Sample
		at := epoch
		for len(data) >= 4 {
			// 2 bytes of seconds after the previous sample (0: a repeated time), 2 of millimetres.
			at = at.Add(time.Duration(binary.LittleEndian.Uint16(data)) * time.Second)
			v := float64(int16(binary.LittleEndian.Uint16(data[2:]))) / 1000
			samples = append(samples, gauge.Sample{T: at, V: v})
			data = data[4:]
		}
		checkRunningFit(t, samples, span, dam.PowerCurve{A: 520, B: 2})
	})
}

// TestMonitorsDecideAsTheReference: on random series and on series built to sit right at a limit
// (a rise of exactly Rise m/h, a forecast of exactly Under), the monitors make the former
// decisions, at the same samples, with the same values and texts, and the same forecast.
func TestMonitorsDecideAsTheReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	dams := []dam.Dam{
		{ID: "power", SpillwayCrest: 9, Curve: dam.PowerCurve{A: 520, B: 2}},
		{ID: "linear", SpillwayCrest: 9, Curve: dam.PowerCurve{A: 1000, B: 1}},
		{ID: "table", SpillwayCrest: 9, Curve: mustTable(t)},
		{ID: "none", SpillwayCrest: 9},
	}
	var series [][]gauge.Sample
	for i := 0; i < 60; i++ {
		series = append(series, randomSamples(r, 800))
	}
	type limits struct {
		rise, deadband float64
		under          time.Duration
	}
	cases := make([]limits, len(series))
	for i := range cases {
		cases[i] = limits{rise: []float64{1, 0.75, 4, 1e-12}[i%4], deadband: 0.25, under: []time.Duration{time.Hour, 2 * time.Hour, 10 * time.Minute}[i%3]}
	}
	// At a limit: a rise of exactly 1 m/h (the Rise), then exactly 0.75 m/h (Rise-Deadband); a
	// level reaching the crest at 1 m/h, so that every sample of a whole minute forecasts a whole
	// number of minutes (Under), for each kind of dam.
	for _, every := range []time.Duration{time.Minute, 36 * time.Second} {
		var ramp, bend []gauge.Sample
		for i := 0; i < 400; i++ {
			at := epoch.Add(time.Duration(i) * every)
			h := at.Sub(epoch).Hours()
			ramp = append(ramp, gauge.Sample{T: at, V: 6 + h})
			v := 5 + h
			if h > 1 {
				v = 6 + 0.75*(h-1)
			}
			bend = append(bend, gauge.Sample{T: at, V: v})
		}
		for range dams {
			for _, under := range []time.Duration{time.Hour, 90 * time.Minute, 2 * time.Hour} {
				series = append(series, ramp, bend)
				cases = append(cases, limits{1, 0.25, under}, limits{1, 0.25, under})
			}
		}
	}
	var decisions int
	for i, samples := range series {
		window := []time.Duration{15 * time.Minute, time.Hour, 10 * time.Minute}[i%3]
		rc := RateOfRise{Rise: cases[i].rise, Window: window, OffDelay: window / 3, Deadband: cases[i].deadband * cases[i].rise, Severity: dam.SeverityHigh}
		rm, err := NewRateOfRiseMonitor(rc)
		if err != nil {
			t.Fatal(err)
		}
		ref := &refRate{cfg: rc, window: refSeries{span: rc.Window}}
		for k, s := range samples {
			got, gotOK := rm.Observe(s)
			want, wantOK := ref.Observe(s)
			if gotOK != wantOK || !same(got, want) {
				t.Fatalf("series %d, sample %d: rate of rise got %v %+v, want %v %+v", i, k, gotOK, got, wantOK, want)
			}
			if gotOK {
				decisions++
			}
		}
		d := dams[i%len(dams)]
		under := cases[i].under
		sc := TimeToSpill{Under: under, Window: window, OffDelay: 5 * time.Minute, Deadband: under / 4, Severity: dam.SeverityCritical}
		sm, err := NewTimeToSpillMonitor(sc, d)
		if err != nil {
			t.Fatal(err)
		}
		refS := &refSpill{cfg: sc, dam: d, window: refSeries{span: sc.Window}}
		for k, s := range samples {
			got, gotOK := sm.Observe(s)
			want, wantOK := refS.Observe(s)
			if gotOK != wantOK || !same(got, want) {
				t.Fatalf("series %d (dam %s), sample %d: time to spill got %v %+v, want %v %+v", i, d.ID, k, gotOK, got, wantOK, want)
			}
			if gotOK {
				decisions++
			}
			if k%97 == 0 {
				if got, want := sm.Forecast(), refS.last; !same(got, want) {
					t.Fatalf("series %d (dam %s), sample %d: forecast got %+v, want %+v", i, d.ID, k, got, want)
				}
			}
		}
	}
	if decisions < 100 {
		t.Errorf("only %d changes in all the series: the test exercises too little", decisions)
	}
	t.Logf("%d changes compared", decisions)
}

// same compares values field by field, a NaN equal to a NaN (reflect.DeepEqual says it is not).
func same(a, b any) bool {
	return reflect.DeepEqual(a, b) || fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b)
}

func samePoints(a, b []point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].t.Equal(b[i].t) || math.Float64bits(a[i].v) != math.Float64bits(b[i].v) || math.Float64bits(a[i].w) != math.Float64bits(b[i].w) {
			return false
		}
	}
	return true
}

func mustTable(t *testing.T) dam.TableCurve {
	t.Helper()
	c, err := dam.NewTableCurve([]dam.CurvePoint{{Height: 0, Volume: 0}, {Height: 2, Volume: 500}, {Height: 4, Volume: 500}, {Height: 9, Volume: 40000}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSeriesKeepsTheWindow: compacting the points in place keeps exactly the former window.
func TestSeriesKeepsTheWindow(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	for round := 0; round < 40; round++ {
		span := []time.Duration{15 * time.Minute, time.Hour, 2 * time.Minute, time.Nanosecond}[round%4]
		s := series{span: span, running: round%2 == 0}
		ref := refSeries{span: span}
		for i, smp := range randomSamples(r, 600) {
			if last, ok := s.last(); ok && smp.T.Before(last.t) {
				continue
			}
			s.add(smp.T, smp.V)
			ref.add(smp.T, smp.V)
			if !samePoints(s.pts, ref.pts) {
				t.Fatalf("round %d, sample %d: window %v, want %v", round, i, s.pts, ref.pts)
			}
		}
	}
}

// TestObserveAllocatesNothing: once its window is full, a monitor allocates nothing per reading.
func TestObserveAllocatesNothing(t *testing.T) {
	rm, err := NewRateOfRiseMonitor(RateOfRise{Rise: 1, Window: 15 * time.Minute, Severity: dam.SeverityHigh})
	if err != nil {
		t.Fatal(err)
	}
	sm, err := NewTimeToSpillMonitor(TimeToSpill{Under: time.Hour, Window: 15 * time.Minute, Severity: dam.SeverityCritical},
		dam.Dam{ID: "d", SpillwayCrest: 9, Curve: dam.PowerCurve{A: 520, B: 2}})
	if err != nil {
		t.Fatal(err)
	}
	at := epoch
	next := func() gauge.Sample {
		at = at.Add(time.Minute)
		return gauge.Sample{T: at, V: 0.4 + 0.001*float64(at.Minute()%7)}
	}
	for i := 0; i < 1000; i++ {
		s := next()
		rm.Observe(s)
		sm.Observe(s)
	}
	if n := testing.AllocsPerRun(1000, func() { s := next(); rm.Observe(s); sm.Observe(s) }); n != 0 {
		t.Errorf("%g allocations per reading, want 0", n)
	}
}

// BenchmarkObserve: one reading through the rate-of-rise and time-to-spill monitors of a dam
// with a power storage curve, now and with the former re-fit of the whole window.
func BenchmarkObserve(b *testing.B) {
	d := dam.Dam{ID: "d", SpillwayCrest: 9, Curve: dam.PowerCurve{A: 520, B: 2}}
	samples := randomSamples(rand.New(rand.NewPCG(9, 10)), 100000)
	for _, window := range []time.Duration{15 * time.Minute, time.Hour} {
		rc := RateOfRise{Rise: 1, Window: window, Deadband: 0.25, Severity: dam.SeverityHigh}
		sc := TimeToSpill{Under: time.Hour, Window: window, Deadband: 15 * time.Minute, Severity: dam.SeverityCritical}
		b.Run("running/window-"+window.String(), func(b *testing.B) {
			rm, _ := NewRateOfRiseMonitor(rc)
			sm, _ := NewTimeToSpillMonitor(sc, d)
			for i := 0; i < b.N; i++ {
				s := samples[i%len(samples)]
				s.T = s.T.Add(time.Duration(i/len(samples)) * 10000 * time.Hour)
				rm.Observe(s)
				sm.Observe(s)
			}
		})
		b.Run("former/window-"+window.String(), func(b *testing.B) {
			rm := &refRate{cfg: rc, window: refSeries{span: rc.Window}}
			sm := &refSpill{cfg: sc, dam: d, window: refSeries{span: sc.Window}}
			for i := 0; i < b.N; i++ {
				s := samples[i%len(samples)]
				s.T = s.T.Add(time.Duration(i/len(samples)) * 10000 * time.Hour)
				rm.Observe(s)
				sm.Observe(s)
			}
		})
	}
}
