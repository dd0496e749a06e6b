package sensor

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// TestReasonsMatchSprintf: the hand-built reasons are the bytes fmt.Sprintf wrote.
func TestReasonsMatchSprintf(t *testing.T) {
	t.Parallel()
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e21, 1e-7, 123456789.125, -0.0005, 2.5, 3.4999, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64}
	for _, unit := range []string{"m", "", "m³/s", "%"} {
		for _, v := range values {
			for _, w := range values {
				s := Spec{Unit: unit, PlausibleMin: v, PlausibleMax: w, MaxRate: w, SuspectRate: v}
				check(t, s.outsideRange(v), fmt.Sprintf("%g %s is outside the plausible range [%g, %g]", v, s.Unit, s.PlausibleMin, s.PlausibleMax))
				for _, d := range []time.Duration{0, time.Second, 90 * time.Second, 1500 * time.Millisecond, -time.Minute, 36 * time.Hour} {
					check(t, s.jump(v, d, w), fmt.Sprintf("jump of %.3f %s in %s (%.0f %s/h) exceeds the physical limit of %g %s/h", v, s.Unit, d, w, s.Unit, s.MaxRate, s.Unit))
				}
				check(t, s.fastChange(w), fmt.Sprintf("change of %.0f %s/h exceeds the usual %g %s/h", w, s.Unit, s.SuspectRate, s.Unit))
			}
		}
	}
}

func check(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func FuzzReasonsMatchSprintf(f *testing.F) {
	f.Add(1.5, -0.2, 11.0, int64(time.Minute), "m")
	f.Fuzz(func(t *testing.T, v, a, b float64, d int64, unit string) {
		s := Spec{Unit: unit, PlausibleMin: a, PlausibleMax: b, MaxRate: b, SuspectRate: a}
		check(t, s.outsideRange(v), fmt.Sprintf("%g %s is outside the plausible range [%g, %g]", v, s.Unit, s.PlausibleMin, s.PlausibleMax))
		check(t, s.jump(v, time.Duration(d), a), fmt.Sprintf("jump of %.3f %s in %s (%.0f %s/h) exceeds the physical limit of %g %s/h", v, s.Unit, time.Duration(d), a, s.Unit, s.MaxRate, s.Unit))
		check(t, s.fastChange(v), fmt.Sprintf("change of %.0f %s/h exceeds the usual %g %s/h", v, s.Unit, s.SuspectRate, s.Unit))
	})
}
