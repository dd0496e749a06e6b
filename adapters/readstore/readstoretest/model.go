package readstoretest

import (
	"slices"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// BucketStep is the width of the buckets Series returns for a requested step: the step in whole
// seconds (at least 1), rounded up to a whole number of the coarsest roll-up (1 day, 1 h, 1 min)
// not wider than it, so that every bucket is made of whole roll-up buckets. Every adapter must
// bucket alike: the API's clients cannot tell which engine answered.
func BucketStep(step time.Duration) time.Duration {
	secs := max(1, int64((step+time.Second-1)/time.Second))
	for _, level := range []int64{86400, 3600, 60} {
		if level <= secs {
			secs = (secs + level - 1) / level * level
			break
		}
	}
	return time.Duration(secs) * time.Second
}

// ModelSeries is the reference Series: the obvious computation over every sample, against which
// the stored roll-ups are checked. Adapters' fuzz tests compare their Series with it.
func ModelSeries(samples []readstore.Sample, sensor string, from, to time.Time, step time.Duration) []readstore.Point {
	var in []readstore.Sample
	for _, x := range samples {
		if x.Sensor == sensor && !x.Time.Before(from) && x.Time.Before(to) {
			in = append(in, x)
		}
	}
	slices.SortStableFunc(in, func(a, b readstore.Sample) int { return a.Time.Compare(b.Time) })
	out := []readstore.Point{}
	if step == 0 {
		for _, x := range in {
			p := readstore.Point{Time: x.Time, Min: x.Value, Max: x.Value, Avg: x.Value, Last: x.Value, Quality: x.Quality}
			if x.Quality == "implausible" {
				p.Implausible = 1
			} else {
				p.Count = 1
			}
			out = append(out, p)
		}
		return out
	}
	secs := int64(BucketStep(step) / time.Second)
	var sum float64
	for _, x := range in {
		b := x.Time.Unix()
		b -= ((b % secs) + secs) % secs // floor to the bucket, before 1970 too
		start := time.Unix(b, 0).UTC()
		if len(out) == 0 || !out[len(out)-1].Time.Equal(start) {
			sum = 0
			out = append(out, readstore.Point{Time: start})
		}
		p := &out[len(out)-1]
		if x.Quality == "implausible" {
			p.Implausible++
			continue
		}
		if p.Count == 0 {
			p.Min, p.Max = x.Value, x.Value
		}
		p.Min, p.Max, p.Last = min(p.Min, x.Value), max(p.Max, x.Value), x.Value
		sum += x.Value
		p.Count++
		p.Avg = sum / float64(p.Count)
	}
	return out
}
