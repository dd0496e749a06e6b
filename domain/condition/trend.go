package condition

import (
	"math"
	"time"
)

type point struct {
	t time.Time
	v float64
	// w is v through the series' curve (a stored volume), computed once when the point is added;
	// 0 when the series has no curve.
	w float64
}

// series keeps the points of the last span of sensor time, oldest first.
//
// With running set, it also keeps the sums of a least-squares fit over those points, updated as
// points come and go, so a monitor can judge its condition on each reading in constant time
// instead of re-fitting the whole window (see fit). Decisions and reported values still come
// from the exact two-pass fit (slopeOf) whenever the running fit cannot vouch for them.
type series struct {
	span time.Duration
	// curve, when set, gives each point its w (the time-to-spill monitor fits volumes too).
	curve   func(float64) float64
	running bool
	pts     []point
	// buf is the whole array under pts, which add compacts to its start instead of growing it
	// while the window fits in half of it: a monitor then allocates nothing per reading.
	buf  []point
	sums sums
}

// add appends a point newer than every other and forgets those older than t-span. A point exactly
// span before the newest stays in the window.
func (s *series) add(t time.Time, v float64) {
	p := point{t: t, v: v}
	if s.curve != nil {
		p.w = s.curve(v)
	}
	if len(s.pts) == cap(s.pts) && 2*len(s.pts) <= cap(s.buf) {
		s.pts = s.buf[:copy(s.buf[:cap(s.buf)], s.pts)]
	}
	if len(s.pts) == cap(s.pts) {
		s.pts = append(s.pts, p)
		s.buf = s.pts[:0]
	} else {
		s.pts = append(s.pts, p)
	}
	if s.running {
		s.sums.add(p)
	}
	from := t.Add(-s.span)
	i := 0
	for i < len(s.pts) && s.pts[i].t.Before(from) {
		if s.running {
			s.sums.remove(s.pts[i])
		}
		i++
	}
	s.pts = s.pts[i:]
	if s.running && s.sums.stale(len(s.pts), t, s.span) {
		s.sums.rebuild(s.pts)
	}
}

func (s *series) last() (point, bool) {
	if len(s.pts) == 0 {
		return point{}, false
	}
	return s.pts[len(s.pts)-1], true
}

// slope is the least-squares slope per hour of the points in [from, to], the span they must cover
// being at least half of `need`. Least squares rather than the two endpoints: a single noisy
// reading at either end would otherwise swing the rate by its full noise.
func (s *series) slope(from, to time.Time, need time.Duration) (float64, bool) {
	return slopeOf(s.pts, from, to, need, false)
}

// covered reports whether the whole window can be fitted: slopeOf's rule (two points or more,
// covering at least need/2) plus distinct times, without which slopeOf finds no slope either.
func (s *series) covered(need time.Duration) bool {
	n := len(s.pts)
	if n < 2 {
		return false
	}
	first, last := s.pts[0].t, s.pts[n-1].t
	return last.Sub(first) >= need/2 && !first.Equal(last)
}

// fit estimates the slopes per hour of v and of w over the whole window from the running sums,
// with the rule of slopeOf: ok is false exactly when slopeOf over the window would find no slope.
// Only for a running series.
func (s *series) fit(need time.Duration) (v, w estimate, ok bool) {
	if !s.covered(need) {
		return estimate{}, estimate{}, false
	}
	spanH := s.pts[len(s.pts)-1].t.Sub(s.pts[0].t).Hours()
	v, w = s.sums.estimates(spanH)
	return v, w, true
}

// slopeOf fits v (or, with ofW, w) against time over the points in [from, to], which must be in
// time order. It needs two points or more covering at least need/2, so one gap or a monitor that
// just started gives no rate instead of a wild one.
//
// It is the reference: two passes (means first, then the centred sums) keep the rounding small
// whatever the offset of times and values, and every reported rate and forecast comes from it,
// to the bit, so a replay reproduces the values recorded by earlier versions.
func slopeOf(pts []point, from, to time.Time, need time.Duration, ofW bool) (float64, bool) {
	i := 0
	for i < len(pts) && pts[i].t.Before(from) {
		i++
	}
	j := i
	for j < len(pts) && !pts[j].t.After(to) {
		j++
	}
	in := pts[i:j]
	if len(in) < 2 || in[len(in)-1].t.Sub(in[0].t) < need/2 {
		return 0, false
	}
	y := func(p point) float64 {
		if ofW {
			return p.w
		}
		return p.v
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

// hours converts d for the running sums: one division, where Duration.Hours takes two integer
// divisions to be exact. The rounding differs from slopeOf's by an ε, which the margins cover.
func hours(d time.Duration) float64 { return float64(d) / float64(time.Hour) }

// estimate is a slope known to lie within margin of the one slopeOf computes on the same points.
type estimate struct {
	slope, margin float64
}

func (e estimate) lo() float64 { return e.slope - e.margin }
func (e estimate) hi() float64 { return e.slope + e.margin }

// sure reports whether the estimate is usable at all (no NaN or infinity got into the sums).
func (e estimate) sure() bool {
	return !math.IsNaN(e.slope) && !math.IsInf(e.slope, 0) && !math.IsNaN(e.margin) && !math.IsInf(e.margin, 0)
}

// Margins of the running fit. Both fits are within about n·ε (n points, ε = 1.1e-16) of the exact
// slope, relative to the spread of the values over the spread of the times; relMargin allows a
// thousand times more. The running sums also keep the rounding of every term added or removed
// since they were last computed from the points, whatever the values now in the window: that
// error is bounded from the sums of the terms' magnitudes (sums.errors). flatMargin covers an
// almost flat window, where the spread is 0 and the two-pass fit returns rounding noise of either
// sign. TestRunningFitWithinMarginOfTheReference and FuzzRunningFitWithinMargin measure them.
const (
	relMargin  = 1e-9
	flatMargin = 1e-10
	// rebuildOps: the sums are rebuilt from the points after max(rebuildOps, 2n) changes.
	rebuildOps = 64
	// rebaseSpans: and when the newest point is more than this many spans after the origin.
	rebaseSpans = 4
)

// sums are the running sums of a least-squares fit, in coordinates relative to an origin: x is in
// hours since origin, y = v-v0, z = w-w0. The origin and reference values are those of the
// oldest point when the sums were last rebuilt. The a* fields sum the magnitudes of every term
// added or removed since then, terms counts them: they bound the rounding error.
type sums struct {
	origin time.Time
	v0, w0 float64
	n      int
	x, xx  float64
	y, xy  float64
	yy     float64
	z, xz  float64
	zz     float64

	ax, ay, axy, az, axz float64
	terms                int
	// ops counts the additions and removals since the last rebuild.
	ops int
}

func (s *sums) add(p point) {
	if s.n == 0 {
		*s = sums{origin: p.t, v0: p.v, w0: p.w}
	}
	x, y, z := hours(p.t.Sub(s.origin)), p.v-s.v0, p.w-s.w0
	s.n++
	s.x += x
	s.xx += x * x
	s.y += y
	s.xy += x * y
	s.yy += y * y
	s.z += z
	s.xz += x * z
	s.zz += z * z
	s.count(x, y, z)
}

func (s *sums) remove(p point) {
	if s.n <= 1 {
		*s = sums{}
		return
	}
	x, y, z := hours(p.t.Sub(s.origin)), p.v-s.v0, p.w-s.w0
	s.n--
	s.x -= x
	s.xx -= x * x
	s.y -= y
	s.xy -= x * y
	s.yy -= y * y
	s.z -= z
	s.xz -= x * z
	s.zz -= z * z
	s.count(x, y, z)
}

func (s *sums) count(x, y, z float64) {
	x = math.Abs(x)
	s.ax += x
	s.ay += math.Abs(y)
	s.axy += x * math.Abs(y)
	s.az += math.Abs(z)
	s.axz += x * math.Abs(z)
	s.terms++
	s.ops++
}

// stale reports whether the sums of n points, the newest at t, should be rebuilt: after enough
// changes to bound the rounding they accumulated (at least 2n, so rebuilding costs O(1) per
// reading amortised), when the origin lags too far behind (cancellation), or when the window
// restarts from one point (free, and a fresh origin).
func (s *sums) stale(n int, t time.Time, span time.Duration) bool {
	return n == 1 || s.ops > max(rebuildOps, 2*n) || t.Sub(s.origin) > rebaseSpans*span ||
		math.IsNaN(s.xy+s.xz+s.yy+s.zz) || math.IsInf(s.xy+s.xz+s.yy+s.zz, 0)
}

func (s *sums) rebuild(pts []point) {
	*s = sums{}
	for _, p := range pts {
		s.add(p)
	}
	s.ops = 0
}

// estimates returns the slopes of v and w with their margins; spanH is the time between the
// oldest and newest points, in hours (> 0).
func (s *sums) estimates(spanH float64) (v, w estimate) {
	n := float64(s.n)
	mx := s.x / n
	sxx := s.xx - s.x*mx
	// Bound on the rounding the sums accumulated (k terms, each addition off by at most ε times
	// the magnitudes summed so far), four times over; xx's terms are its magnitudes.
	k := 4 * float64(s.terms+2) * 0x1p-52
	axx := k * (s.xx + 2*math.Abs(mx)*s.ax)
	if !(sxx > axx) {
		// Lost to cancellation: no estimate, the caller fits exactly.
		inf := math.Inf(1)
		return estimate{0, inf}, estimate{0, inf}
	}
	one := func(sy, sxy, syy, ref, ay, axy float64) estimate {
		cxy := sxy - mx*sy
		cyy := math.Max(syy-sy*sy/n, 0)
		slope := cxy / sxx
		spread := math.Sqrt(cyy / sxx)
		flat := (math.Abs(ref) + math.Abs(sy/n)) / spanH
		rounding := (k*(axy+math.Abs(mx)*ay+math.Abs(sy)*s.ax/n) + math.Abs(slope)*axx) / (sxx - axx)
		return estimate{slope, relMargin*(math.Abs(slope)+spread) + flatMargin*flat + rounding}
	}
	return one(s.y, s.xy, s.yy, s.v0, s.ay, s.axy), one(s.z, s.xz, s.zz, s.w0, s.az, s.axz)
}
