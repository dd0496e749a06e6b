package dam

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigie/vigie/domain/sensor"
)

// ID names a dam in streams, URLs and configuration: "mejean".
type ID string

// Severity orders thresholds and alarms.
type Severity string

const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Rank orders severities; unknown ones rank 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// Valid reports whether s is one of the known severities.
func (s Severity) Valid() bool { return s.Rank() > 0 }

// Threshold is a named water level set by the dam safety engineer.
//
// It is crossed upwards when the level reaches Level and stays there for OnDelay, and crossed back
// when the level falls under Level-Deadband and stays there for OffDelay: a gauge hovering at the
// threshold crosses once, not fifty times.
type Threshold struct {
	Name     string        `json:"name"`
	Level    float64       `json:"level_m"`
	Severity Severity      `json:"severity"`
	Deadband float64       `json:"deadband_m"`
	OnDelay  time.Duration `json:"on_delay"`
	OffDelay time.Duration `json:"off_delay"`
}

// Location is where a dam stands, in decimal degrees (WGS 84, as a GPS or a web map gives
// them). Only maps read it: no rule depends on where a dam is.
type Location struct {
	Lat float64 `json:"lat"` // −90 (south) to 90 (north)
	Lon float64 `json:"lon"` // −180 (west) to 180 (east)
}

// Validate reports coordinates off the globe, both at once.
func (l Location) Validate() error {
	var errs []error
	if !(l.Lat >= -90 && l.Lat <= 90) {
		errs = append(errs, fmt.Errorf("latitude %g must be between -90 and 90 degrees", l.Lat))
	}
	if !(l.Lon >= -180 && l.Lon <= 180) {
		errs = append(errs, fmt.Errorf("longitude %g must be between -180 and 180 degrees", l.Lon))
	}
	return errors.Join(errs...)
}

// Dam is a flood-retention structure as the configuration describes it.
type Dam struct {
	ID            ID
	Name          string
	Capacity      float64 // m³ at the spillway crest (or the nominal capacity given)
	DykeHeight    float64 // m, 0 if unknown
	SpillwayCrest float64 // m above the gauge zero
	Curve         StorageCurve
	Sensors       []sensor.Spec
	Thresholds    []Threshold // sorted by level, lowest first
	// Location is nil when the configuration does not give it.
	Location *Location
}

// Validate reports every inconsistency at once.
func (d Dam) Validate() error {
	var errs []error
	if d.ID == "" {
		errs = append(errs, errors.New("id is empty"))
	}
	if d.Curve == nil {
		errs = append(errs, errors.New("storage curve is missing"))
	}
	if !(d.Capacity > 0) || math.IsInf(d.Capacity, 0) {
		errs = append(errs, fmt.Errorf("capacity %g m³ must be positive", d.Capacity))
	}
	if !(d.SpillwayCrest > 0) || math.IsInf(d.SpillwayCrest, 0) {
		errs = append(errs, fmt.Errorf("spillway crest %g m must be positive", d.SpillwayCrest))
	}
	if d.DykeHeight != 0 && d.DykeHeight < d.SpillwayCrest {
		errs = append(errs, fmt.Errorf("dyke height %g m is under the spillway crest %g m", d.DykeHeight, d.SpillwayCrest))
	}
	if d.Location != nil {
		if err := d.Location.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("location: %w", err))
		}
	}
	seen := map[string]bool{}
	for i, t := range d.Thresholds {
		if t.Name == "" {
			errs = append(errs, fmt.Errorf("threshold %d: name is empty", i))
		}
		if seen[t.Name] {
			errs = append(errs, fmt.Errorf("threshold %q: name used twice", t.Name))
		}
		seen[t.Name] = true
		if math.IsNaN(t.Level) || math.IsInf(t.Level, 0) {
			errs = append(errs, fmt.Errorf("threshold %q: level must be a finite number", t.Name))
		}
		if !t.Severity.Valid() {
			errs = append(errs, fmt.Errorf("threshold %q: severity %q is not one of low, medium, high, critical", t.Name, t.Severity))
		}
		if t.Deadband < 0 || math.IsNaN(t.Deadband) {
			errs = append(errs, fmt.Errorf("threshold %q: deadband %g m must be ≥ 0", t.Name, t.Deadband))
		}
		if t.OnDelay < 0 || t.OffDelay < 0 {
			errs = append(errs, fmt.Errorf("threshold %q: delays must be ≥ 0", t.Name))
		}
	}
	for i, s := range d.Sensors {
		if err := s.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("sensor %d (%s): %w", i, s.ID, err))
		}
	}
	return errors.Join(errs...)
}

// State is what a level means for this dam.
type State struct {
	Level       float64 `json:"level_m"`
	Volume      float64 `json:"volume_m3"`
	FillPercent float64 `json:"fill_pct"`
	// Spilling is true once the level is over the spillway crest.
	Spilling bool `json:"spilling"`
}

// StateAt converts a level into volume and fill percentage of capacity.
func (d Dam) StateAt(level float64) State {
	s := State{Level: level, Spilling: level >= d.SpillwayCrest}
	if d.Curve != nil {
		s.Volume = d.Curve.Volume(level)
	}
	if d.Capacity > 0 {
		s.FillPercent = 100 * s.Volume / d.Capacity
	}
	return s
}

// TimeToSpill forecasts how long until the level reaches the spillway crest if it keeps rising at
// rate (m/h). It returns ok=false when the level is not rising or the crest is already reached.
func (d Dam) TimeToSpill(level, rate float64) (time.Duration, bool) {
	if level >= d.SpillwayCrest || !(rate > 0) {
		return 0, false
	}
	hours := (d.SpillwayCrest - level) / rate
	if hours > 24*365 {
		return 0, false
	}
	return time.Duration(hours * float64(time.Hour)), true
}
