package readstore

import "time"

// Aggregate is a partial aggregate of one series bucket, as every read store keeps its roll-ups:
// usable readings give count, min, max, sum and the last value with its time; implausible ones
// are only counted. Partial aggregates merge in any order, so late readings and replayed batches
// give the same bucket.
type Aggregate struct {
	N, Bad        int64
	Min, Max, Sum float64
	// LastT is the time (Unix seconds or nanoseconds: the caller's unit) of the last value Last.
	LastT int64
	Last  float64
}

// AddReading folds one reading into the aggregate.
func (a *Aggregate) AddReading(t int64, v float64, bad bool) {
	if bad {
		a.Bad++
		return
	}
	if a.N == 0 {
		a.Min, a.Max, a.LastT, a.Last = v, v, t, v
	} else {
		a.Min, a.Max = min(a.Min, v), max(a.Max, v)
		if t > a.LastT {
			a.LastT, a.Last = t, v
		}
	}
	a.Sum += v
	a.N++
}

// Merge folds another partial aggregate of the same bucket into a.
func (a *Aggregate) Merge(o Aggregate) {
	if o.N > 0 {
		if a.N == 0 {
			a.Min, a.Max, a.LastT, a.Last = o.Min, o.Max, o.LastT, o.Last
		} else {
			a.Min, a.Max = min(a.Min, o.Min), max(a.Max, o.Max)
			if o.LastT > a.LastT {
				a.LastT, a.Last = o.LastT, o.Last
			}
		}
		a.Sum += o.Sum
		a.N += o.N
	}
	a.Bad += o.Bad
}

// Point is the bucket starting at start (Unix seconds) that a holds. A bucket of implausible
// readings only has zero figures, whatever the aggregate's Min, Max and Last say.
func (a Aggregate) Point(start int64) Point {
	p := Point{Time: time.Unix(start, 0).UTC(), Count: int(a.N), Implausible: int(a.Bad)}
	if a.N > 0 {
		p.Min, p.Max, p.Avg, p.Last = a.Min, a.Max, a.Sum/float64(a.N), a.Last
	}
	return p
}
