// Package dam describes a flood-retention dam or basin: its storage curve, spillway and level
// thresholds. It is pure: no I/O, no clock.
package dam

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// StorageCurve converts a water height above the gauge zero (m) into a stored volume (m³).
type StorageCurve interface {
	Volume(h float64) float64
}

// PowerCurve is V = A·h^B, the usual fit of a basin's bathymetry.
type PowerCurve struct {
	A, B float64
}

// NewPowerCurve validates the coefficients: both must be positive and finite.
func NewPowerCurve(a, b float64) (PowerCurve, error) {
	if !(a > 0) || math.IsInf(a, 0) || !(b > 0) || math.IsInf(b, 0) {
		return PowerCurve{}, fmt.Errorf("power storage curve V = a·h^b: a=%g and b=%g must be positive and finite", a, b)
	}
	return PowerCurve{A: a, B: b}, nil
}

// Volume is 0 at or below the gauge zero: the basin cannot hold a negative volume.
func (c PowerCurve) Volume(h float64) float64 {
	if h <= 0 {
		return 0
	}
	return c.A * math.Pow(h, c.B)
}

// CurvePoint is one surveyed point of a table curve.
type CurvePoint struct {
	Height float64 `json:"h_m"`
	Volume float64 `json:"v_m3"`
}

// TableCurve interpolates linearly between surveyed points, as a dam's official
// height-volume table gives them, and extrapolates with the last segment's slope above it.
type TableCurve struct {
	points []CurvePoint
}

// NewTableCurve needs at least two points with strictly increasing heights and non-decreasing
// volumes, all finite.
func NewTableCurve(points []CurvePoint) (TableCurve, error) {
	if len(points) < 2 {
		return TableCurve{}, errors.New("table storage curve needs at least 2 points")
	}
	ps := append([]CurvePoint(nil), points...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Height < ps[j].Height })
	for i, p := range ps {
		if math.IsNaN(p.Height) || math.IsInf(p.Height, 0) || math.IsNaN(p.Volume) || math.IsInf(p.Volume, 0) || p.Volume < 0 {
			return TableCurve{}, fmt.Errorf("table storage curve point %d (h=%g, v=%g): heights and volumes must be finite, volumes ≥ 0", i, p.Height, p.Volume)
		}
		if i > 0 && p.Height == ps[i-1].Height {
			return TableCurve{}, fmt.Errorf("table storage curve: height %g appears twice", p.Height)
		}
		if i > 0 && p.Volume < ps[i-1].Volume {
			return TableCurve{}, fmt.Errorf("table storage curve: volume falls from %g to %g between h=%g and h=%g", ps[i-1].Volume, p.Volume, ps[i-1].Height, p.Height)
		}
	}
	return TableCurve{points: ps}, nil
}

// Points returns a copy of the surveyed points, sorted by height.
func (c TableCurve) Points() []CurvePoint { return append([]CurvePoint(nil), c.points...) }

// Volume interpolates; below the first point it is the first point's volume.
func (c TableCurve) Volume(h float64) float64 {
	ps := c.points
	if len(ps) == 0 {
		return 0
	}
	if h <= ps[0].Height {
		return ps[0].Volume
	}
	i := sort.Search(len(ps), func(i int) bool { return ps[i].Height >= h })
	if i == len(ps) {
		i = len(ps) - 1
	}
	a, b := ps[i-1], ps[i]
	return a.Volume + (b.Volume-a.Volume)*(h-a.Height)/(b.Height-a.Height)
}
