package hydro_test

import (
	"testing"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/hydro"
)

func TestBasinFillsAndSpills(t *testing.T) {
	t.Parallel()
	curve, err := dam.NewPowerCurve(520, 2)
	if err != nil {
		t.Fatal(err)
	}
	d := dam.Dam{ID: "mejean", Capacity: 52000, SpillwayCrest: 9, DykeHeight: 10, Curve: curve}
	b, err := hydro.NewBasin(d, 0.5, 40)
	if err != nil {
		t.Fatal(err)
	}
	storm := hydro.Storm{Base: 0.1, Peak: 20, TimeToPk: 90 * time.Minute}
	peak := 0.0
	for m := 0; m < 8*60; m++ {
		b.Step(storm.Inflow(time.Duration(m)*time.Minute), time.Minute)
		peak = max(peak, b.Level())
	}
	if peak <= d.SpillwayCrest || peak >= d.DykeHeight {
		t.Fatalf("peak level %.2f m: want over the crest %.1f m and under the dyke %.1f m", peak, d.SpillwayCrest, d.DykeHeight)
	}
	if end := b.Level(); end >= peak {
		t.Fatalf("level %.2f m at the end did not fall from the peak %.2f m", end, peak)
	}
}

func TestLevelOfInvertsCurve(t *testing.T) {
	t.Parallel()
	curve, _ := dam.NewPowerCurve(3000, 1.6)
	for _, h := range []float64{0, 0.01, 1, 5.5, 7.5, 12} {
		got := hydro.LevelOf(curve, curve.Volume(h), 8)
		if d := got - h; d > 1e-6 || d < -1e-6 {
			t.Errorf("LevelOf(Volume(%g)) = %g", h, got)
		}
	}
}
