package readstore

import (
	"math"
	"time"
)

// Helpers every adapter's Series shares: how a requested step is rounded, how a range is split
// between roll-ups of several widths, and how points are made. Only the SQL is the adapters' own.

// BucketWidth is the width in seconds of the buckets Series returns for a requested step (see
// SeriesQuery): the step in whole seconds, at least 1, rounded up to a whole number of grain, the
// coarsest of 1 day, 1 h and 1 min not wider than it (grain is 0 for a step under a minute, which
// is not rounded further). Every bucket is then made of whole roll-up buckets of that grain.
func BucketWidth(step time.Duration) (secs, grain int64) {
	secs = max(1, int64((step+time.Second-1)/time.Second))
	for _, g := range [...]int64{86400, 3600, 60} {
		if g <= secs {
			return (secs + g - 1) / g * g, g
		}
	}
	return secs, 0
}

// Segment is a part of a queried range read from one source: a roll-up of Level seconds for the
// buckets starting in [From, To) (Unix seconds), or raw samples (Level 0) in [From, To) (Unix ns).
type Segment struct {
	Level    int64
	From, To int64
}

// Cover splits [from, to) (Unix ns) into segments in time order: whole buckets of the coarsest
// level (levels are roll-up widths in seconds, coarsest first, each dividing the one before) in
// the middle, finer levels for the ragged ends, raw samples for what no level fills.
func Cover(from, to int64, levels []int64) []Segment { return cover(from, to, levels, nil) }

func cover(from, to int64, levels []int64, out []Segment) []Segment {
	if from >= to {
		return out
	}
	if len(levels) == 0 {
		return append(out, Segment{Level: 0, From: from, To: to})
	}
	width := levels[0] * int64(time.Second)
	if from > math.MaxInt64-width {
		return cover(from, to, levels[1:], out) // no whole bucket fits before the end of time
	}
	a := -FloorDiv(-from, width) * width // first bucket boundary at or after from
	b := FloorDiv(to, width) * width     // last bucket boundary at or before to
	if a >= b {
		return cover(from, to, levels[1:], out)
	}
	out = cover(from, a, levels[1:], out)
	out = append(out, Segment{Level: levels[0], From: a / int64(time.Second), To: b / int64(time.Second)})
	return cover(b, to, levels[1:], out)
}

// FloorDiv is a divided by b rounded down (Go's / truncates towards zero), so that a time before
// 1970 falls in the bucket before it.
func FloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// RawPoint is a reading as a point of its own (Step 0): its value in Min, Max, Avg and Last
// whatever its quality, and Count 1, or Implausible 1 if implausible.
func RawPoint(t time.Time, v float64, quality string, implausible bool) Point {
	p := Point{Time: t, Min: v, Max: v, Avg: v, Last: v, Quality: quality}
	if implausible {
		p.Implausible = 1
	} else {
		p.Count = 1
	}
	return p
}

// BucketOf is the start, in Unix seconds, of the bucket of secs seconds holding time t (Unix
// nanoseconds): floor division, so times before 1970 fall in the bucket before them and not in
// bucket 0.
func BucketOf(t, secs int64) int64 {
	return FloorDiv(FloorDiv(t, int64(time.Second)), secs) * secs
}

// ClampNanos maps a query bound to [lo, hi], the span of times a store keeps, as Unix
// nanoseconds, so that a bound beyond it (the zero time, year 9999) still compares right.
func ClampNanos(t, lo, hi time.Time) int64 {
	switch {
	case t.Before(lo):
		return lo.UnixNano()
	case t.After(hi):
		return hi.UnixNano()
	}
	return t.UnixNano()
}
