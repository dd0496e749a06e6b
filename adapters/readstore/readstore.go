// Package readstore is the port of the read side: the views projections build from the event log
// and the queries the API serves from them. Every view can be dropped and rebuilt from the log.
package readstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ErrNotFound is returned when a queried sensor or dam has no data.
var ErrNotFound = errors.New("not found")

// Sample is one reading as the series view keeps it.
type Sample struct {
	Sensor     string    `json:"sensor"`
	Dam        string    `json:"dam"`
	Time       time.Time `json:"time"`
	Value      float64   `json:"value"`
	Quality    string    `json:"quality"`
	Late       bool      `json:"late,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
	// Position and Index identify the event and the reading within it: the key that makes a
	// replayed batch change nothing.
	Position uint64 `json:"position"`
	Index    int    `json:"-"`
}

// SensorState is the latest known state of one sensor (newest sensor time wins, so a late
// reading never overwrites a newer one).
type SensorState struct {
	Sensor     string    `json:"sensor"`
	Dam        string    `json:"dam"`
	Time       time.Time `json:"time"`
	Value      float64   `json:"value"`
	Quality    string    `json:"quality"`
	RecordedAt time.Time `json:"recorded_at"`
	// Trend is the rate of change in m/h over the recent usable readings. TrendKnown tells a level
	// that holds steady (Trend 0, TrendKnown true) from too few recent readings to tell (Trend 0,
	// TrendKnown false).
	Trend      float64 `json:"trend_m_per_h"`
	TrendKnown bool    `json:"trend_known"`
	Volume     float64 `json:"volume_m3"`
	FillPct    float64 `json:"fill_pct"`
	Spilling   bool    `json:"spilling"`
	// TimeToSpill is the forecast at the current trend, nil when not rising.
	TimeToSpill *Duration `json:"time_to_spill,omitempty"`
	// Thresholds currently crossed (names), lowest first.
	Above    []string `json:"above"`
	Position uint64   `json:"position"`
}

// Duration marshals as seconds, the unit every client can use.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).Seconds()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s float64
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*d = Duration(s * float64(time.Second))
	return nil
}

// Point is one bucket of a series: min, max, average and last of the usable readings
// (implausible ones are counted apart and never skew the figures). A bucket whose readings were
// all implausible has Count 0 and zero figures. A raw point (Step 0) carries the reading's value
// in Min, Max, Avg and Last whatever its quality, with Count 1, or Implausible 1 if implausible.
type Point struct {
	Time        time.Time `json:"time"` // bucket start; for raw points, the reading time
	Min         float64   `json:"min"`
	Max         float64   `json:"max"`
	Avg         float64   `json:"avg"`
	Last        float64   `json:"last"`
	Count       int       `json:"count"`
	Implausible int       `json:"implausible,omitempty"`
	// Quality is set on raw points only.
	Quality string `json:"quality,omitempty"`
}

// SeriesQuery asks for a sensor's readings in [From, To). Step 0 means raw readings; otherwise
// buckets of Step, computed from the coarsest stored roll-up (1 min, 1 h, 1 day) that fits.
//
// Buckets are aligned on the Unix epoch (start = t div step, in seconds, as every engine can
// compute it), so the first may start before From; they hold readings in [From, To) only. Step is
// rounded up to whole seconds and to a whole number of the roll-up used (90 min over 1 h roll-ups
// gives 2 h buckets), so that every bucket is exact. Buckets without readings are left out. A
// sensor without readings gives no points, not ErrNotFound. BucketWidth rounds the step;
// readstoretest.BucketStep states the rounding again, apart, for the tests.
type SeriesQuery struct {
	Sensor   string
	From, To time.Time
	Step     time.Duration
}

// TimelineEntry is one line of the audit timeline: a readable account of an event.
type TimelineEntry struct {
	Position   uint64          `json:"position"`
	Stream     string          `json:"stream"`
	Type       string          `json:"type"`
	Dam        string          `json:"dam,omitempty"`
	Sensor     string          `json:"sensor,omitempty"`
	Time       time.Time       `json:"time"` // when it happened (sensor time for readings)
	RecordedAt time.Time       `json:"recorded_at"`
	Actor      string          `json:"actor,omitempty"`
	Summary    string          `json:"summary"`
	Data       json.RawMessage `json:"data,omitempty"`
}

// TimelineQuery filters the timeline; zero fields do not filter. Results are in position order.
type TimelineQuery struct {
	From, To time.Time // on Time
	Dam      string
	Types    []string
	After    uint64 // position
	Limit    int
}

// Batch is what one projection writes for one batch of events, committed atomically with the
// projection's checkpoint.
type Batch struct {
	Samples  []Sample
	States   []SensorState // upserts; an older Time than the stored one is ignored
	Timeline []TimelineEntry
	// Alarms are the alarm views (see alarms.go).
	Alarms AlarmBatch
}

// Store is the read-store port.
type Store interface {
	// Checkpoint is the last position the projection committed, 0 if none.
	Checkpoint(ctx context.Context, projection string) (uint64, error)
	// Commit writes the batch and moves the projection's checkpoint to position in one
	// transaction (or idempotently, keyed by event position, where the engine has none), so a
	// batch replayed after a crash changes nothing.
	Commit(ctx context.Context, projection string, position uint64, b Batch) error
	// Reset drops what the projection wrote and its checkpoint, for a rebuild from zero.
	Reset(ctx context.Context, projection string) error

	States(ctx context.Context) ([]SensorState, error)
	State(ctx context.Context, sensor string) (SensorState, error)
	Series(ctx context.Context, q SeriesQuery) ([]Point, error)
	// RecentSamples returns the last n usable samples of a sensor at or before t, oldest first
	// (projections compute trends from them).
	RecentSamples(ctx context.Context, sensor string, t time.Time, n int) ([]Sample, error)
	Timeline(ctx context.Context, q TimelineQuery) ([]TimelineEntry, error)
	Close() error
}

// Rebuilder is implemented by a store that can take a rebuild's bulk writes faster when told one
// is running: the runner calls BeginRebuild after resetting the views and EndRebuild once they
// are rebuilt (or the rebuild failed). While a rebuild runs the store may trade durability for
// speed (a rebuild can be run again), but never atomicity: a projection's rows and checkpoint
// still commit together. EndRebuild makes everything committed durable.
type Rebuilder interface {
	BeginRebuild(ctx context.Context) error
	EndRebuild(ctx context.Context) error
}
