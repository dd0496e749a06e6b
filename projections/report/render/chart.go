package render

import (
	"math"
	"time"

	"github.com/vigie/vigie/projections/report"
)

// maxPoints bounds the points a chart draws: a year of readings is reduced to the lowest and
// highest of each slice of time, so the peaks stay on the drawing.
const maxPoints = 1200

// xy is a point in chart units (0..1 on both axes, y up).
type xy struct{ X, Y float64 }

// hline is a horizontal line of the chart: a threshold, the crest, the capacity.
type hline struct {
	Y     float64
	Label string
	Kind  string // "threshold", "crest", "capacity"
}

// chart is a curve and its reference lines, scaled into the unit square.
type chart struct {
	Line           []xy
	Lines          []hline
	Min, Max       float64 // value range shown
	Start, End     time.Time
	YTicks, XTicks []tick
}

type tick struct {
	At    float64
	Label string
}

// levelChart is the dam's level with its thresholds and crest.
func levelChart(r *report.Report, d report.DamReport) (chart, bool) {
	vals := make([]float64, len(d.Series))
	for i, p := range d.Series {
		vals[i] = p.Level
	}
	var refs []hline
	seen := map[string]bool{}
	for _, t := range d.Thresholds {
		k := t.Name + num(t.Level, 3)
		if seen[k] {
			continue
		}
		seen[k] = true
		refs = append(refs, hline{Y: t.Level, Label: t.Name + " " + num(t.Level, 2) + " m", Kind: "threshold"})
	}
	if d.Crest > 0 {
		refs = append(refs, hline{Y: d.Crest, Label: word(r, "crest") + " " + num(d.Crest, 2) + " m", Kind: "crest"})
	}
	return makeChart(r, d.Series, vals, refs, 2)
}

// volumeChart is the dam's volume with its capacity.
func volumeChart(r *report.Report, d report.DamReport) (chart, bool) {
	if !d.HasCurve {
		return chart{}, false
	}
	vals := make([]float64, len(d.Series))
	for i, p := range d.Series {
		if p.Volume == nil {
			return chart{}, false
		}
		vals[i] = *p.Volume
	}
	var refs []hline
	if d.Capacity > 0 {
		refs = append(refs, hline{Y: d.Capacity, Label: word(r, "capacity") + " " + num(d.Capacity, 0) + " m³", Kind: "capacity"})
	}
	return makeChart(r, d.Series, vals, refs, 0)
}

func makeChart(r *report.Report, series []report.Point, vals []float64, refs []hline, decimals int) (chart, bool) {
	if len(series) < 2 {
		return chart{}, false
	}
	c := chart{Start: series[0].T, End: series[len(series)-1].T, Min: math.Inf(1), Max: math.Inf(-1)}
	for _, v := range vals {
		c.Min, c.Max = math.Min(c.Min, v), math.Max(c.Max, v)
	}
	for _, h := range refs {
		c.Min, c.Max = math.Min(c.Min, h.Y), math.Max(c.Max, h.Y)
	}
	c.Min = math.Min(c.Min, 0)
	if c.Max <= c.Min {
		c.Max = c.Min + 1
	}
	pad := (c.Max - c.Min) * 0.05
	c.Max += pad
	width := c.End.Sub(c.Start).Seconds()
	if width <= 0 {
		return chart{}, false
	}
	x := func(t time.Time) float64 { return t.Sub(c.Start).Seconds() / width }
	y := func(v float64) float64 { return (v - c.Min) / (c.Max - c.Min) }
	// Reduce: per bucket, the lowest and highest in time order.
	buckets := max(1, len(series)/maxPoints*2)
	for i := 0; i < len(series); i += buckets {
		j := min(i+buckets, len(series))
		if j-i == 1 {
			c.Line = append(c.Line, xy{x(series[i].T), y(vals[i])})
			continue
		}
		lo, hi := i, i
		for k := i; k < j; k++ {
			if vals[k] < vals[lo] {
				lo = k
			}
			if vals[k] > vals[hi] {
				hi = k
			}
		}
		a, b := min(lo, hi), max(lo, hi)
		c.Line = append(c.Line, xy{x(series[a].T), y(vals[a])})
		if b != a {
			c.Line = append(c.Line, xy{x(series[b].T), y(vals[b])})
		}
	}
	for _, h := range refs {
		h.Y = y(h.Y)
		c.Lines = append(c.Lines, h)
	}
	for i := 0; i <= 4; i++ {
		v := c.Min + (c.Max-c.Min)*float64(i)/4
		c.YTicks = append(c.YTicks, tick{At: y(v), Label: num(v, decimals)})
	}
	for i := 0; i <= 4; i++ {
		t := c.Start.Add(time.Duration(float64(c.End.Sub(c.Start)) * float64(i) / 4))
		layout := "15:04"
		if c.End.Sub(c.Start) > 36*time.Hour {
			layout = "02/01 15:04"
		}
		c.XTicks = append(c.XTicks, tick{At: x(t), Label: t.In(r.Loc()).Format(layout)})
	}
	return c, true
}
