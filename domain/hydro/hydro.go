// Package hydro simulates how a flood-retention basin fills: an inflow hydrograph routed through
// the storage curve, with a bottom outlet and a spillway. The demo and the load tests use it to
// make storms no reference file contains. Pure: randomness and time are parameters.
package hydro

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/vigie/vigie/domain/dam"
)

// Storm is an inflow hydrograph: a gamma-shaped flood wave on top of a base flow.
type Storm struct {
	Base     float64       // m³/s before and after the flood
	Peak     float64       // m³/s at the peak
	TimeToPk time.Duration // from the start of the storm to the peak
	Shape    float64       // gamma shape: higher is a sharper wave (default 4)
}

// Inflow at elapsed time t.
func (s Storm) Inflow(t time.Duration) float64 {
	if t <= 0 || s.TimeToPk <= 0 {
		return s.Base
	}
	k := s.Shape
	if k <= 0 {
		k = 4
	}
	x := t.Seconds() / s.TimeToPk.Seconds()
	// Normalised gamma: 1 at x = 1.
	return s.Base + (s.Peak-s.Base)*math.Pow(x, k)*math.Exp(k*(1-x))
}

// Basin routes inflow through a dam.
type Basin struct {
	Dam dam.Dam
	// OutletK is the bottom outlet's coefficient: Q = OutletK·√h (m³/s).
	OutletK float64
	// WeirCoeff·Length is the spillway's discharge coefficient times crest length:
	// Q = WeirCL·(h - crest)^1.5.
	WeirCL float64

	volume float64
}

// NewBasin validates the dam and coefficients.
func NewBasin(d dam.Dam, outletK, weirCL float64) (*Basin, error) {
	if d.Curve == nil || !(d.SpillwayCrest > 0) {
		return nil, errors.New("basin: the dam needs a storage curve and a spillway crest")
	}
	if outletK < 0 || weirCL <= 0 {
		return nil, fmt.Errorf("basin %s: outlet %g must be ≥ 0 and weir %g > 0", d.ID, outletK, weirCL)
	}
	return &Basin{Dam: d, OutletK: outletK, WeirCL: weirCL}, nil
}

// Level is the current height over the gauge zero.
func (b *Basin) Level() float64 {
	return LevelOf(b.Dam.Curve, b.volume, b.Dam.DykeHeight+b.Dam.SpillwayCrest)
}

// Step advances the basin by dt under an inflow (m³/s).
func (b *Basin) Step(inflow float64, dt time.Duration) {
	// Sub-steps keep the explicit scheme stable when the basin is small and the flood large.
	const sub = 10
	h := b.Level()
	for i := 0; i < sub; i++ {
		out := b.OutletK * math.Sqrt(math.Max(h, 0))
		if h > b.Dam.SpillwayCrest {
			out += b.WeirCL * math.Pow(h-b.Dam.SpillwayCrest, 1.5)
		}
		b.volume = math.Max(0, b.volume+(inflow-out)*dt.Seconds()/sub)
		h = b.Level()
	}
}

// LevelOf inverts a storage curve by bisection between 0 and hmax.
func LevelOf(c dam.StorageCurve, volume, hmax float64) float64 {
	if volume <= c.Volume(0) {
		return 0
	}
	lo, hi := 0.0, math.Max(hmax, 1)
	for c.Volume(hi) < volume && hi < 1e4 {
		hi *= 2
	}
	for i := 0; i < 60; i++ {
		mid := (lo + hi) / 2
		if c.Volume(mid) < volume {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// Gauge adds measurement noise to a level, as a real sensor reads it.
type Gauge struct {
	Noise float64 // standard deviation, m
	Rand  *rand.Rand
}

// Read returns the level as the sensor reports it, rounded to the millimetre.
func (g Gauge) Read(level float64) float64 {
	v := level
	if g.Rand != nil && g.Noise > 0 {
		v += g.Rand.NormFloat64() * g.Noise
	}
	return math.Round(v*1000) / 1000
}
