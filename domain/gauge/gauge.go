package gauge

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/sensor"
)

// Status is what happened to one submitted reading.
type Status string

const (
	Accepted  Status = "accepted"
	Duplicate Status = "duplicate"
	Rejected  Status = "rejected"
)

// Outcome answers one submitted reading, in submission order.
type Outcome struct {
	Status  Status         `json:"status"`
	Quality sensor.Quality `json:"quality,omitempty"`
	Reason  string         `json:"reason,omitempty"`
}

// Policy holds what the aggregate needs from the configuration that is not itself history.
type Policy struct {
	Spec sensor.Spec
	Dam  dam.ID
	// Thresholds are the ones the configuration wants now; Configure records them when they
	// differ from those in force.
	Thresholds []dam.Threshold
	// LateAfter: a crossing learnt more than this after its sensor time is marked Late.
	LateAfter time.Duration
	// MaxFuture: readings further than this ahead of the recording time are refused (a gateway
	// clock gone wrong must not hide every later reading as "out of order").
	MaxFuture time.Duration
}

// thresholdState is the evaluation state of one threshold.
type thresholdState struct {
	above bool
	// pending is the sensor time of the first reading of a crossing still waiting for its delay.
	pending time.Time
}

// Gauge is the aggregate of one sensor's stream.
type Gauge struct {
	policy     Policy
	configured bool
	want       []dam.Threshold // the policy's thresholds, sorted (Configure)
	thresholds []dam.Threshold
	states     map[string]*thresholdState

	// revision is the stream revision of the last event folded, -1 for a new stream.
	revision int64
	// newest is the newest sensor time evaluated for thresholds.
	newest time.Time
	// lastUsable is the newest reading usable for rate checks (not implausible).
	lastUsable *sensor.Reading
	// times and values index every recorded reading by sensor time (sorted) for duplicate
	// detection: 16 bytes a reading, kept in memory.
	times  []int64
	values []float64

	changes []event.Event
}

// New returns the aggregate of a stream with no events yet. Load folds its history.
func New(p Policy) (*Gauge, error) {
	var errs []error
	if err := p.Spec.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("sensor %s: %w", p.Spec.ID, err))
	}
	if p.Dam == "" {
		errs = append(errs, fmt.Errorf("sensor %s: dam is empty", p.Spec.ID))
	}
	if p.LateAfter <= 0 {
		errs = append(errs, fmt.Errorf("sensor %s: late-after %s must be positive", p.Spec.ID, p.LateAfter))
	}
	if p.MaxFuture <= 0 {
		errs = append(errs, fmt.Errorf("sensor %s: max-future %s must be positive", p.Spec.ID, p.MaxFuture))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Gauge{policy: p, revision: -1, states: map[string]*thresholdState{}}, nil
}

// Load folds stored events; revision is the stream revision of the last one.
func (g *Gauge) Load(revision uint64, history []event.Event) {
	for _, e := range history {
		g.apply(e)
	}
	g.revision = int64(revision)
}

// Revision is the stream revision the aggregate was loaded at (-1: new stream).
func (g *Gauge) Revision() int64 { return g.revision }

// Changes returns the events decided since loading, in order.
func (g *Gauge) Changes() []event.Event { return g.changes }

// ClearChanges is called once the changes are stored, so the aggregate can keep deciding.
func (g *Gauge) ClearChanges(revision uint64) {
	g.changes = nil
	g.revision = int64(revision)
}

// Thresholds in force.
func (g *Gauge) Thresholds() []dam.Threshold { return append([]dam.Threshold(nil), g.thresholds...) }

// Configure records the policy's thresholds if they differ from those in force.
func (g *Gauge) Configure(actor string, at time.Time) {
	// The policy is fixed for the gauge's life: sort its thresholds once. Called before every
	// command, so the check costs a slice comparison, not a sort and a reflection.
	if g.want == nil {
		g.want = sortedThresholds(g.policy.Thresholds)
	}
	if g.configured && slices.Equal(g.want, g.thresholds) {
		return
	}
	g.record(Configured{Sensor: g.policy.Spec.ID, Dam: g.policy.Dam, Thresholds: slices.Clone(g.want), Actor: actor, At: at})
}

// Record decides what to do with readings submitted at recordedAt. Outcomes are in submission
// order; readings are evaluated in sensor-time order. It changes nothing if every reading is a
// duplicate or rejected.
func (g *Gauge) Record(readings []sensor.Reading, recordedAt time.Time) []Outcome {
	out := make([]Outcome, len(readings))
	order := make([]int, len(readings))
	for i := range order {
		order[i] = i
	}
	// Requests usually come in time order: checking costs less than sorting.
	if !slices.IsSortedFunc(readings, func(a, b sensor.Reading) int { return a.Time.Compare(b.Time) }) {
		slices.SortStableFunc(order, func(a, b int) int { return readings[a].Time.Compare(readings[b].Time) })
	}

	samples := make([]Sample, 0, len(readings))
	st := g.evalState()
	for _, i := range order {
		r := readings[i]
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			out[i] = Outcome{Status: Rejected, Reason: "value is not a finite number"}
			continue
		}
		if r.Time.IsZero() {
			out[i] = Outcome{Status: Rejected, Reason: "time is missing"}
			continue
		}
		if r.Time.Sub(recordedAt) > g.policy.MaxFuture {
			out[i] = Outcome{Status: Rejected, Reason: fmt.Sprintf("time %s is %s ahead of the server clock (at most %s allowed)", r.Time.Format(time.RFC3339), r.Time.Sub(recordedAt).Round(time.Second), g.policy.MaxFuture)}
			continue
		}
		key := r.Time.UnixNano()
		if v, ok := g.lookup(key); ok {
			out[i] = sameOrConflict(v, r.Value)
			continue
		}
		// Readings are taken in time order, so an accepted one at this time would be the last
		// accepted: a duplicate inside the request.
		if n := len(samples); n > 0 && samples[n-1].T.UnixNano() == key {
			out[i] = sameOrConflict(samples[n-1].V, r.Value)
			continue
		}
		s := st.evaluate(g.policy.Spec, r)
		samples = append(samples, s)
		out[i] = Outcome{Status: Accepted, Quality: s.Q, Reason: s.Why}
	}
	if len(samples) == 0 {
		return out
	}
	g.record(ReadingsRecorded{Sensor: g.policy.Spec.ID, Dam: g.policy.Dam, Readings: samples})
	for _, c := range st.crossings {
		c.Late = recordedAt.Sub(c.At) > g.policy.LateAfter
		g.record(c)
	}
	return out
}

func sameOrConflict(stored, submitted float64) Outcome {
	if stored == submitted {
		return Outcome{Status: Duplicate}
	}
	return Outcome{Status: Rejected, Reason: fmt.Sprintf("a different value (%g) is already recorded for this sensor at this time", stored)}
}

func (g *Gauge) lookup(key int64) (float64, bool) {
	if n := len(g.times); n == 0 || g.times[n-1] < key {
		return 0, false // the usual case: newer than every recorded reading
	}
	i := sort.Search(len(g.times), func(i int) bool { return g.times[i] >= key })
	if i < len(g.times) && g.times[i] == key {
		return g.values[i], true
	}
	return 0, false
}

func (g *Gauge) index(key int64, v float64) {
	n := len(g.times)
	if n == 0 || g.times[n-1] < key { // the usual case: readings arrive in order
		g.times = append(g.times, key)
		g.values = append(g.values, v)
		return
	}
	i := sort.Search(n, func(i int) bool { return g.times[i] >= key })
	if i < n && g.times[i] == key {
		return
	}
	g.times = append(g.times, 0)
	g.values = append(g.values, 0)
	copy(g.times[i+1:], g.times[i:])
	copy(g.values[i+1:], g.values[i:])
	g.times[i] = key
	g.values[i] = v
}

func (g *Gauge) record(e event.Event) {
	g.apply(e)
	g.changes = append(g.changes, e)
}

func (g *Gauge) apply(e event.Event) {
	switch e := e.(type) {
	case Configured:
		g.configured = true
		g.thresholds = sortedThresholds(e.Thresholds)
		states := map[string]*thresholdState{}
		for _, t := range g.thresholds {
			if s, ok := g.states[t.Name]; ok {
				states[t.Name] = s
			} else {
				states[t.Name] = &thresholdState{}
			}
		}
		g.states = states
	case ReadingsRecorded:
		st := g.evalState()
		for _, s := range e.Readings {
			g.index(s.T.UnixNano(), s.V)
			if s.Late {
				continue
			}
			st.fold(s)
		}
		st.commit(g)
	case ThresholdCrossed:
		// A consequence of the readings, already folded with them.
	}
}

func sortedThresholds(ts []dam.Threshold) []dam.Threshold {
	out := append([]dam.Threshold{}, ts...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Level < out[j].Level })
	return out
}
