package config

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/dam"
)

// The document is stored in setup.ConfigApplied events, so its JSON is a contract like any
// event's: these types are separate from the Go API so a renamed field cannot change it, and
// every value is normalised (defaults applied, durations as "5m", sets sorted by id) so that a
// file reformatted, reordered or commented differently gives the same digest. It is also a valid
// configuration file itself (JSON is YAML): Parse of a stored document gives back the
// configuration it recorded, which is how Diff compares with the one applied before.

type docConfig struct {
	Version            int           `json:"version"`
	Site               docSite       `json:"site"`
	Ingestion          docIngestion  `json:"ingestion"`
	Dams               []docDam      `json:"dams"`
	Operators          []docOperator `json:"operators"`
	Groups             []docGroup    `json:"groups"`
	Rotations          []docRotation `json:"rotations"`
	EscalationPolicies []docPolicy   `json:"escalation_policies"`
}

type docSite struct {
	Name      string `json:"name"`
	TimeZone  string `json:"time_zone"`
	Language  string `json:"language"`
	PublicURL string `json:"public_url,omitempty"`
}

type docIngestion struct {
	LateAfter    string `json:"late_after"`
	MaxFuture    string `json:"max_future"`
	MaxBodyBytes int64  `json:"max_body_bytes"`
	MaxBatch     int    `json:"max_batch"`
}

type docDam struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	CapacityM3     float64        `json:"capacity_m3"`
	DykeHeightM    float64        `json:"dyke_height_m,omitempty"`
	SpillwayCrestM float64        `json:"spillway_crest_m"`
	StorageCurve   docCurve       `json:"storage_curve"`
	Sensors        []docSensor    `json:"sensors"`
	Thresholds     []docThreshold `json:"thresholds"`
	Alarms         docAlarms      `json:"alarms"`
	// Set only when configured, so documents without it keep their digest.
	Location *docLocation `json:"location,omitempty"`
}

type docLocation struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type docCurve struct {
	Power *docPower    `json:"power,omitempty"`
	Table [][2]float64 `json:"table,omitempty"`
}

type docPower struct {
	A float64 `json:"a"`
	B float64 `json:"b"`
}

type docSensor struct {
	ID               string     `json:"id"`
	Kind             string     `json:"kind"`
	Unit             string     `json:"unit"`
	PlausibleRange   [2]float64 `json:"plausible_range"`
	MaxRateMPerH     float64    `json:"max_rate_m_per_h"`
	SuspectRateMPerH float64    `json:"suspect_rate_m_per_h"`
	Period           string     `json:"period"`
	StaleAfter       string     `json:"stale_after"`
}

type docThreshold struct {
	Name      string  `json:"name"`
	LevelM    float64 `json:"level_m"`
	Severity  string  `json:"severity"`
	DeadbandM float64 `json:"deadband_m"`
	OnDelay   string  `json:"on_delay"`
	OffDelay  string  `json:"off_delay"`
}

type docAlarms struct {
	RateOfRise  *docRateOfRise  `json:"rate_of_rise,omitempty"`
	TimeToSpill *docTimeToSpill `json:"time_to_spill,omitempty"`
	Frozen      *docFrozen      `json:"frozen,omitempty"`
}

type docRateOfRise struct {
	RiseMPerH float64 `json:"rise_m_per_h"`
	Window    string  `json:"window"`
	Severity  string  `json:"severity"`
	// Set only when configured, so documents without them keep their digest.
	OffDelay      string  `json:"off_delay,omitempty"`
	DeadbandMPerH float64 `json:"deadband_m_per_h,omitempty"`
}

type docTimeToSpill struct {
	Under    string `json:"under"`
	Severity string `json:"severity"`
	Window   string `json:"window,omitempty"`
	OffDelay string `json:"off_delay,omitempty"`
	Deadband string `json:"deadband,omitempty"`
}

type docFrozen struct {
	After         string  `json:"after"`
	MinTrendMPerH float64 `json:"min_trend_m_per_h"`
	Severity      string  `json:"severity"`
}

type docOperator struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Email    string `json:"email,omitempty"`
	Role     string `json:"role"`
	Language string `json:"language"`
}

type docGroup struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Members []string `json:"members"`
}

type docRotation struct {
	ID        string        `json:"id"`
	Name      string        `json:"name,omitempty"`
	Members   []string      `json:"members"`
	Handover  docHandover   `json:"handover"`
	Start     string        `json:"start"`
	Overrides []docOverride `json:"overrides"`
}

type docHandover struct {
	Weekday string `json:"weekday"`
	At      string `json:"at"`
}

type docOverride struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Operator string `json:"operator"`
}

type docPolicy struct {
	ID              string       `json:"id"`
	AppliesTo       docAppliesTo `json:"applies_to"`
	Rotation        string       `json:"rotation,omitempty"`
	Steps           []docStep    `json:"steps"`
	RepeatLastEvery string       `json:"repeat_last_every,omitempty"`
}

type docAppliesTo struct {
	// Dams is "all" or a sorted list of dam ids.
	Dams       any      `json:"dams"`
	Severities []string `json:"severities"`
}

type docStep struct {
	Targets  []string `json:"targets"`
	Channels []string `json:"channels"`
	Mode     string   `json:"mode"`
	// ChannelDelay is set in sequence mode only, so documents of parallel policies keep their digest.
	ChannelDelay string `json:"channel_delay,omitempty"`
	WaitForAck   string `json:"wait_for_ack,omitempty"`
}

// Document returns the configuration as normalised JSON and the sha256 (hex) of those bytes,
// for setup.ConfigApplied: two files meaning the same thing give the same digest.
func (c *Config) Document() (json.RawMessage, string) {
	data, err := json.Marshal(c.document())
	if err != nil {
		// Every number was checked finite when parsing, so this cannot happen; an empty
		// document is still better than a panic in the middle of applying a configuration.
		data = []byte("{}")
	}
	sum := sha256.Sum256(data)
	return data, hex.EncodeToString(sum[:])
}

func byID[T any](s []T, id func(T) string) []T {
	out := slices.Clone(s)
	slices.SortStableFunc(out, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return out
}

func (c *Config) document() docConfig {
	doc := docConfig{
		Version: c.version,
		Site:    docSite{Name: c.site.Name, TimeZone: c.site.TimeZone, Language: c.site.Language, PublicURL: c.site.PublicURL},
		Ingestion: docIngestion{
			LateAfter: formatDuration(c.ingestion.LateAfter), MaxFuture: formatDuration(c.ingestion.MaxFuture),
			MaxBodyBytes: c.ingestion.MaxBodyBytes, MaxBatch: c.ingestion.MaxBatch,
		},
		Dams:               []docDam{},
		Operators:          []docOperator{},
		Groups:             []docGroup{},
		Rotations:          []docRotation{},
		EscalationPolicies: []docPolicy{},
	}
	for _, d := range byID(c.dams, func(d DamConfig) string { return string(d.ID) }) {
		doc.Dams = append(doc.Dams, docDamOf(d))
	}
	for _, o := range byID(c.operators, func(o Operator) string { return o.ID }) {
		doc.Operators = append(doc.Operators, docOperator{ID: o.ID, Name: o.Name, Phone: o.Phone, Email: o.Email, Role: string(o.Role), Language: o.Language})
	}
	for _, g := range byID(c.groups, func(g Group) string { return g.ID }) {
		doc.Groups = append(doc.Groups, docGroup{ID: g.ID, Name: g.Name, Members: nonNil(g.Members)})
	}
	for _, r := range byID(c.rotations, func(r Rotation) string { return r.ID }) {
		dr := docRotation{
			ID: r.ID, Name: r.Name, Members: nonNil(r.Members),
			Handover:  docHandover{Weekday: strings.ToLower(r.Handover.Weekday.String()), At: fmt.Sprintf("%02d:%02d", r.Handover.Hour, r.Handover.Minute)},
			Start:     r.Start.Format(time.DateOnly),
			Overrides: []docOverride{},
		}
		for _, o := range r.Overrides {
			dr.Overrides = append(dr.Overrides, docOverride{From: o.From.Format(time.RFC3339), To: o.To.Format(time.RFC3339), Operator: o.Operator})
		}
		doc.Rotations = append(doc.Rotations, dr)
	}
	for _, p := range byID(c.policies, func(p EscalationPolicy) string { return p.ID }) {
		doc.EscalationPolicies = append(doc.EscalationPolicies, docPolicyOf(p))
	}
	return doc
}

func docDamOf(d DamConfig) docDam {
	dd := docDam{
		ID: string(d.ID), Name: d.Name, CapacityM3: d.CapacityM3, DykeHeightM: d.DykeHeightM, SpillwayCrestM: d.SpillwayCrestM,
		Sensors: []docSensor{}, Thresholds: []docThreshold{},
	}
	if l := d.Location; l != nil {
		dd.Location = &docLocation{Lat: l.Lat, Lon: l.Lon}
	}
	switch d.Curve.Kind {
	case CurvePower:
		dd.StorageCurve.Power = &docPower{A: d.Curve.A, B: d.Curve.B}
	case CurveTable:
		pts := slices.Clone(d.Curve.Points)
		slices.SortStableFunc(pts, func(a, b dam.CurvePoint) int { return cmp.Compare(a.Height, b.Height) })
		for _, p := range pts {
			dd.StorageCurve.Table = append(dd.StorageCurve.Table, [2]float64{p.Height, p.Volume})
		}
	}
	for _, s := range byID(d.Sensors, func(s SensorConfig) string { return string(s.ID) }) {
		dd.Sensors = append(dd.Sensors, docSensor{
			ID: string(s.ID), Kind: s.Kind, Unit: s.Unit, PlausibleRange: [2]float64{s.PlausibleMin, s.PlausibleMax},
			MaxRateMPerH: s.MaxRate, SuspectRateMPerH: s.SuspectRate,
			Period: formatDuration(s.Period), StaleAfter: formatDuration(s.StaleAfter),
		})
	}
	for _, t := range d.Thresholds {
		dd.Thresholds = append(dd.Thresholds, docThreshold{
			Name: t.Name, LevelM: t.Level, Severity: string(t.Severity), DeadbandM: t.Deadband,
			OnDelay: formatDuration(t.OnDelay), OffDelay: formatDuration(t.OffDelay),
		})
	}
	if a := d.Alarms.RateOfRise; a.Enabled {
		dd.Alarms.RateOfRise = &docRateOfRise{RiseMPerH: a.RiseMPerH, Window: formatDuration(a.Window), Severity: string(a.Severity),
			OffDelay: formatOptional(a.OffDelay), DeadbandMPerH: a.DeadbandMPerH}
	}
	if a := d.Alarms.TimeToSpill; a.Enabled {
		dd.Alarms.TimeToSpill = &docTimeToSpill{Under: formatDuration(a.Under), Severity: string(a.Severity),
			Window: formatOptional(a.Window), OffDelay: formatOptional(a.OffDelay), Deadband: formatOptional(a.Deadband)}
	}
	if a := d.Alarms.Frozen; a.Enabled {
		dd.Alarms.Frozen = &docFrozen{After: formatDuration(a.After), MinTrendMPerH: a.MinTrendMPerH, Severity: string(a.Severity)}
	}
	return dd
}

func docPolicyOf(p EscalationPolicy) docPolicy {
	dp := docPolicy{ID: p.ID, Rotation: p.Rotation, Steps: []docStep{}}
	if p.AllDams {
		dp.AppliesTo.Dams = "all"
	} else {
		ids := make([]string, len(p.Dams))
		for i, d := range p.Dams {
			ids[i] = string(d)
		}
		slices.Sort(ids)
		dp.AppliesTo.Dams = ids
	}
	sev := slices.Clone(p.Severities)
	slices.SortFunc(sev, func(a, b dam.Severity) int { return a.Rank() - b.Rank() })
	dp.AppliesTo.Severities = []string{}
	for _, s := range sev {
		dp.AppliesTo.Severities = append(dp.AppliesTo.Severities, string(s))
	}
	for _, s := range p.Steps {
		ds := docStep{Targets: []string{}, Channels: []string{}, Mode: string(s.Mode)}
		for _, t := range s.Targets {
			ds.Targets = append(ds.Targets, t.String())
		}
		for _, ch := range s.Channels {
			ds.Channels = append(ds.Channels, string(ch))
		}
		if s.WaitForAck > 0 {
			ds.WaitForAck = formatDuration(s.WaitForAck)
		}
		if s.ChannelDelay > 0 {
			ds.ChannelDelay = formatDuration(s.ChannelDelay)
		}
		dp.Steps = append(dp.Steps, ds)
	}
	if p.RepeatLastEvery > 0 {
		dp.RepeatLastEvery = formatDuration(p.RepeatLastEvery)
	}
	return dp
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// formatDuration writes durations the way people do: "5m", "1h30m", "90s" is "1m30s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// formatOptional writes a duration that is left out of the document when 0 (not configured).
func formatOptional(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return formatDuration(d)
}
