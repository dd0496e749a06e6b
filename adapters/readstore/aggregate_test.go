package readstore_test

import (
	"testing"

	"github.com/vigie/vigie/adapters/readstore"
)

// Merging partial aggregates in any order gives the aggregate of all readings: what lets a late
// reading or a replayed batch land in an old bucket.
func TestAggregateMergeIsOrderFree(t *testing.T) {
	t.Parallel()
	type r struct {
		t   int64
		v   float64
		bad bool
	}
	readings := []r{{10, 2, false}, {30, 5, false}, {20, 99, true}, {5, 1, false}, {40, 3, false}}
	var whole readstore.Aggregate
	for _, x := range readings {
		whole.AddReading(x.t, x.v, x.bad)
	}
	want := readstore.Aggregate{N: 4, Bad: 1, Min: 1, Max: 5, Sum: 11, LastT: 40, Last: 3}
	if whole != want {
		t.Fatalf("AddReading: got %+v, want %+v", whole, want)
	}
	for split := 0; split <= len(readings); split++ {
		var a, b readstore.Aggregate
		for _, x := range readings[:split] {
			a.AddReading(x.t, x.v, x.bad)
		}
		for _, x := range readings[split:] {
			b.AddReading(x.t, x.v, x.bad)
		}
		ab, ba := a, b
		ab.Merge(b)
		ba.Merge(a)
		if ab != want || ba != want {
			t.Errorf("split at %d: a+b %+v, b+a %+v, want %+v", split, ab, ba, want)
		}
	}
}
