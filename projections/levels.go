package projections

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// LevelsName is the levels projection's durable name; bump it when what it writes changes.
// v2: states tell whether their trend is known (TrendKnown).
const LevelsName = "levels.v2"

const (
	// DefaultTrendWindow is the span of sensor time the trend is fitted over.
	DefaultTrendWindow = 15 * time.Minute
	// trendMaxSamples bounds the window in memory and what a restart reloads, whatever the
	// reporting rate: with readings every few seconds the fit covers the newest 256.
	trendMaxSamples = 256
)

// LevelsViews is what the levels projection reads back after a restart.
type LevelsViews interface {
	State(ctx context.Context, sensor string) (readstore.SensorState, error)
	RecentSamples(ctx context.Context, sensor string, t time.Time, n int) ([]readstore.Sample, error)
}

// DamLookup finds the dam a sensor measures.
type DamLookup func(sensor.ID) (dam.Dam, bool)

// DamsBySensor looks sensors up in the dams' sensor lists.
func DamsBySensor(dams []dam.Dam) DamLookup {
	m := map[sensor.ID]dam.Dam{}
	for _, d := range dams {
		for _, s := range d.Sensors {
			m[s.ID] = d
		}
	}
	return func(id sensor.ID) (dam.Dam, bool) { d, ok := m[id]; return d, ok }
}

// Levels keeps the samples of every gauge and the state of each: newest reading, trend,
// volume, fill, spilling, time to spill and thresholds crossed.
//
// Value, Quality and Time are those of the newest reading (in sensor time), whatever its quality,
// so a sensor gone wrong shows as such. Trend and what derives from the level (volume, fill,
// spilling, time to spill) come from usable readings only: a 99 m glitch must not show the basin
// overflowing.
type Levels struct {
	views   LevelsViews
	dams    DamLookup
	window  time.Duration
	sensors map[string]*gaugeView
}

// LevelsOption changes a default of the levels projection.
type LevelsOption func(*Levels) error

// WithTrendWindow sets the span of sensor time the trend is fitted over (DefaultTrendWindow by
// default). A trend needs readings spanning half of it at least. A demo replaying a storm faster
// than real time passes the window divided by its speed.
func WithTrendWindow(d time.Duration) LevelsOption {
	return func(l *Levels) error {
		if d < time.Second {
			return fmt.Errorf("trend window %s must be at least 1s", d)
		}
		l.window = d
		return nil
	}
}

var (
	_ Projection = (*Levels)(nil)
	_ Restarter  = (*Levels)(nil)
)

// NewLevels needs the read store to reload its working memory from, and the dams for volumes and
// spill forecasts (a sensor it does not find gets levels and trend only).
func NewLevels(views LevelsViews, dams DamLookup, opts ...LevelsOption) (*Levels, error) {
	l := &Levels{views: views, dams: dams, window: DefaultTrendWindow, sensors: map[string]*gaugeView{}}
	var errs []error
	if views == nil {
		errs = append(errs, errors.New("views are nil"))
	}
	if dams == nil {
		errs = append(errs, errors.New("dam lookup is nil"))
	}
	for i, o := range opts {
		if o == nil {
			errs = append(errs, fmt.Errorf("option %d is nil", i))
			continue
		}
		errs = append(errs, o(l))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new levels projection: %w", err)
	}
	return l, nil
}

func (l *Levels) Name() string { return LevelsName }

// Restart forgets every gauge; each is reloaded from the read store when next seen.
func (l *Levels) Restart(context.Context, uint64) error {
	l.sensors = map[string]*gaugeView{}
	return nil
}

// point is a usable reading in the trend window.
type point struct {
	t time.Time
	v float64
}

// gaugeView is the working memory of one gauge: exactly what the stored state and the recent
// samples hold, so that reloading it after a restart changes nothing.
type gaugeView struct {
	sensor, dam string
	span        time.Duration // the trend window
	has         bool          // a reading was seen
	newest      readstore.Sample
	lastUsable  *point
	// window holds the usable readings of the last span before newest, oldest first.
	window []point
	// above maps the thresholds crossed upwards to their levels.
	above    map[string]float64
	position uint64
	touched  bool // by the batch being handled
}

func (l *Levels) Handle(ctx context.Context, batch []Decoded) (readstore.Batch, error) {
	var out readstore.Batch
	n := 0
	for _, d := range batch {
		if e, ok := d.Event.(gauge.ReadingsRecorded); ok {
			n += len(e.Readings)
		}
	}
	out.Samples = make([]readstore.Sample, 0, n)
	var touched []*gaugeView
	touch := func(g *gaugeView, pos uint64) {
		if !g.touched {
			g.touched = true
			touched = append(touched, g)
		}
		g.position = pos
	}
	defer func() {
		for _, g := range touched {
			g.touched = false
		}
	}()
	for _, d := range batch {
		switch e := d.Event.(type) {
		case gauge.ReadingsRecorded:
			g, err := l.gauge(ctx, string(e.Sensor))
			if err != nil {
				return readstore.Batch{}, err
			}
			g.dam = string(e.Dam)
			for i, r := range e.Readings {
				s := readstore.Sample{
					Sensor: string(e.Sensor), Dam: string(e.Dam), Time: r.T, Value: r.V, Quality: string(r.Q),
					Late: r.Late, RecordedAt: d.RecordedAt, Position: d.Position, Index: i,
				}
				out.Samples = append(out.Samples, s)
				g.observe(s)
			}
			touch(g, d.Position)
		case gauge.ThresholdCrossed:
			g, err := l.gauge(ctx, string(e.Sensor))
			if err != nil {
				return readstore.Batch{}, err
			}
			if e.Direction == gauge.Up {
				g.above[e.Threshold] = e.Level
			} else {
				delete(g.above, e.Threshold)
			}
			touch(g, d.Position)
		case gauge.Configured:
			g, err := l.gauge(ctx, string(e.Sensor))
			if err != nil {
				return readstore.Batch{}, err
			}
			// The gauge forgets the crossings of thresholds that are gone, and keeps the others
			// (at their new levels, for ordering).
			inForce := map[string]float64{}
			for _, t := range e.Thresholds {
				inForce[t.Name] = t.Level
			}
			for name := range g.above {
				if lvl, ok := inForce[name]; ok {
					g.above[name] = lvl
				} else {
					delete(g.above, name)
				}
			}
			touch(g, d.Position)
		}
	}
	for _, g := range touched {
		if g.has {
			out.States = append(out.States, l.state(g))
		}
	}
	return out, nil
}

// gauge returns the working memory of a sensor, reloading it from the read store the first time.
func (l *Levels) gauge(ctx context.Context, id string) (*gaugeView, error) {
	if g, ok := l.sensors[id]; ok {
		return g, nil
	}
	g := &gaugeView{sensor: id, span: l.window, above: map[string]float64{}}
	st, err := l.views.State(ctx, id)
	switch {
	case errors.Is(err, readstore.ErrNotFound):
		l.sensors[id] = g
		return g, nil
	case err != nil:
		return nil, fmt.Errorf("reload the state of %s: %w", id, err)
	}
	g.has, g.dam, g.position = true, st.Dam, st.Position
	g.newest = readstore.Sample{Sensor: id, Dam: st.Dam, Time: st.Time, Value: st.Value, Quality: st.Quality, RecordedAt: st.RecordedAt}
	levels := map[string]float64{}
	if d, ok := l.dams(sensor.ID(id)); ok {
		for _, t := range d.Thresholds {
			levels[t.Name] = t.Level
		}
	}
	for _, name := range st.Above {
		lvl, ok := levels[name]
		if !ok {
			lvl = math.Inf(1) // no longer configured: last, by name
		}
		g.above[name] = lvl
	}
	recent, err := l.views.RecentSamples(ctx, id, st.Time, trendMaxSamples)
	if err != nil {
		return nil, fmt.Errorf("reload the recent samples of %s: %w", id, err)
	}
	if n := len(recent); n > 0 {
		g.lastUsable = &point{t: recent[n-1].Time, v: recent[n-1].Value}
	}
	for _, s := range recent {
		g.window = append(g.window, point{t: s.Time, v: s.Value})
	}
	g.prune()
	l.sensors[id] = g
	return g, nil
}

// observe folds one recorded reading in.
func (g *gaugeView) observe(s readstore.Sample) {
	if !g.has || s.Time.After(g.newest.Time) {
		g.has, g.newest = true, s
	}
	if s.Quality == string(sensor.Implausible) {
		g.prune()
		return
	}
	p := point{t: s.Time, v: s.Value}
	if g.lastUsable == nil || p.t.After(g.lastUsable.t) {
		g.lastUsable = &p
	}
	// Readings arrive in time order but for late ones: insert in place.
	i, found := slices.BinarySearchFunc(g.window, p.t, func(q point, t time.Time) int { return q.t.Compare(t) })
	if !found {
		g.window = slices.Insert(g.window, i, p)
	}
	g.prune()
}

// prune keeps the window to the readings within span of the newest, at most trendMaxSamples of
// them: what RecentSamples gives back after a restart.
func (g *gaugeView) prune() {
	from := g.newest.Time.Add(-g.span)
	i := 0
	for i < len(g.window) && g.window[i].t.Before(from) {
		i++
	}
	// Re-slicing drops the oldest without copying the rest; append reallocates (with the live
	// readings only) once the room at the end runs out.
	g.window = g.window[max(i, len(g.window)-trendMaxSamples):]
}

// trend is the least-squares slope of the window, in m/h; known is false when there is none. Like
// the rate-of-rise condition of the domain, it needs readings spanning half the window at least:
// after a gap, two readings a minute apart would give a wild rate, so the trend is unknown (0)
// until the window fills again.
func (g *gaugeView) trend() (slope float64, known bool) {
	n := len(g.window)
	if n < 2 || g.window[n-1].t.Sub(g.window[0].t) < g.span/2 {
		return 0, false
	}
	// Hours relative to the newest reading: small numbers keep the sums exact enough.
	ref := g.window[n-1].t
	var st, sv float64
	for _, p := range g.window {
		st += p.t.Sub(ref).Hours()
		sv += p.v
	}
	mt, mv := st/float64(n), sv/float64(n)
	var num, den float64
	for _, p := range g.window {
		dt := p.t.Sub(ref).Hours() - mt
		num += dt * (p.v - mv)
		den += dt * dt
	}
	if den == 0 {
		return 0, false
	}
	return num / den, true
}

func (l *Levels) state(g *gaugeView) readstore.SensorState {
	st := readstore.SensorState{
		Sensor: g.sensor, Dam: g.dam, Time: g.newest.Time, Value: g.newest.Value, Quality: g.newest.Quality,
		RecordedAt: g.newest.RecordedAt, Above: []string{}, Position: g.position,
	}
	st.Trend, st.TrendKnown = g.trend()
	for name := range g.above {
		st.Above = append(st.Above, name)
	}
	slices.SortFunc(st.Above, func(a, b string) int { return cmp.Or(cmp.Compare(g.above[a], g.above[b]), cmp.Compare(a, b)) })
	d, ok := l.dams(sensor.ID(g.sensor))
	if !ok || g.lastUsable == nil {
		return st
	}
	ds := d.StateAt(g.lastUsable.v)
	st.Volume, st.FillPct, st.Spilling = ds.Volume, ds.FillPercent, ds.Spilling
	if tts, ok := d.TimeToSpill(g.lastUsable.v, st.Trend); ok {
		v := readstore.Duration(tts)
		st.TimeToSpill = &v
	}
	return st
}
