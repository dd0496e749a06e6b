package condition

import "time"

type point struct {
	t time.Time
	v float64
}

// series keeps the points of the last span of sensor time, oldest first.
type series struct {
	span time.Duration
	pts  []point
}

// add appends a point newer than every other and forgets those older than t-span. A point exactly
// span before the newest stays in the window.
func (s *series) add(t time.Time, v float64) {
	s.pts = append(s.pts, point{t, v})
	from := t.Add(-s.span)
	i := 0
	for i < len(s.pts) && s.pts[i].t.Before(from) {
		i++
	}
	// Re-slicing is enough: append copies only the live points when it grows the array.
	s.pts = s.pts[i:]
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
	return slopeOf(s.pts, from, to, need, func(p point) float64 { return p.v })
}

// slopeOf fits y(p) against time over the points in [from, to]. It needs two points or more
// covering at least need/2, so one gap or a monitor that just started gives no rate instead of a
// wild one.
func slopeOf(pts []point, from, to time.Time, need time.Duration, y func(point) float64) (float64, bool) {
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
