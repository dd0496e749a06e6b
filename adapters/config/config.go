// Package config reads Vigie's YAML configuration: the site, its dams and sensors, thresholds,
// operators, on-call rotations and escalation policies. Parse is strict (an unknown key is a
// mistake, not something to ignore), applies defaults, and reports every mistake at once with its
// line and column. A *Config is immutable once parsed: accessors return copies, so the digest
// recorded in the log always describes what is in force.
//
// docs/config.md documents every key; examples/nimes.yaml is the reference customer.
package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// FormatVersion is the version of the configuration format this package reads.
const FormatVersion = 1

// Defaults applied when a key is absent.
const (
	DefaultLanguage    = "en"
	DefaultMaxRate     = 120.0 // m/h
	DefaultSuspectRate = 60.0  // m/h
	DefaultDeadband    = 0.05  // m
	// DefaultFrozenMinTrend (m/h): a value repeated while the level was moving at least this
	// fast just before is a stuck sensor.
	DefaultFrozenMinTrend = 0.1
	DefaultLateAfter      = 5 * time.Minute
	DefaultMaxFuture      = 2 * time.Minute
	DefaultMaxBodyBytes   = 8 << 20
	DefaultMaxBatch       = 10000
	// StaleAfterPeriods: a sensor is stale after this many reporting periods without a reading.
	StaleAfterPeriods = 3
	// CapacityTolerance is how far the storage curve's volume at the spillway crest may be from
	// capacity_m3 before the two are reported as inconsistent.
	CapacityTolerance = 0.25
)

// Config is a parsed and validated configuration. Build one with Parse or Load.
type Config struct {
	version   int
	site      Site
	ingestion Ingestion
	dams      []DamConfig
	operators []Operator
	groups    []Group
	rotations []Rotation
	policies  []EscalationPolicy
	field     *Field // nil when the file has no field block (field.go)
	// notifications is nil when the file has no notifications block (notifications.go).
	notifications *Notifications
}

// Site is the installation as a whole.
type Site struct {
	Name string
	// TimeZone is the IANA name ("Europe/Paris"); Location is it loaded. Handover times and
	// override dates are in this zone.
	TimeZone string
	Location *time.Location
	// Language of messages sent to operators who do not set their own: "fr" or "en".
	Language string
	// PublicURL is the base of links put in notifications ("https://vigie.example.org"), without
	// a trailing slash; empty when not set.
	PublicURL string
}

// Ingestion bounds what the reading endpoints accept.
type Ingestion struct {
	// LateAfter: a crossing learnt more than this after it happened is marked late.
	LateAfter time.Duration
	// MaxFuture: readings further ahead of the server clock are refused.
	MaxFuture    time.Duration
	MaxBodyBytes int64
	MaxBatch     int
}

// CurveKind says how a storage curve is given.
type CurveKind string

const (
	CurvePower CurveKind = "power"
	CurveTable CurveKind = "table"
)

// Curve is a dam's storage curve as configured: V = A·h^B, or a surveyed table.
type Curve struct {
	Kind   CurveKind
	A, B   float64          // for CurvePower
	Points []dam.CurvePoint // for CurveTable, in the order given
}

// DamConfig is one dam as configured.
type DamConfig struct {
	ID             dam.ID
	Name           string
	CapacityM3     float64
	DykeHeightM    float64 // 0 when not given
	SpillwayCrestM float64
	Curve          Curve
	Sensors        []SensorConfig
	// Thresholds, from the lowest level to the highest, with defaults applied.
	Thresholds []dam.Threshold
	Alarms     Alarms
	// Location is where the dam stands, for maps; nil when not given.
	Location *dam.Location

	curve dam.StorageCurve // built from Curve during validation
}

// SensorConfig is one sensor: the domain's spec plus what only the supervision needs.
type SensorConfig struct {
	sensor.Spec
	// StaleAfter: no reading for this long raises a stale-sensor alarm.
	StaleAfter time.Duration
}

// Alarms are the alarm conditions other than level thresholds. A condition not configured has
// Enabled false.
type Alarms struct {
	RateOfRise  RateOfRise
	TimeToSpill TimeToSpill
	Frozen      Frozen
}

// RateOfRise alarms when the level rises faster than RiseMPerH, measured over Window.
type RateOfRise struct {
	Enabled   bool
	RiseMPerH float64
	Window    time.Duration
	Severity  dam.Severity
	// OffDelay: the rise must stay under RiseMPerH - DeadbandMPerH this long before the alarm
	// ends; 0 takes the default (a third of Window).
	OffDelay time.Duration
	// DeadbandMPerH: 0 takes the default (a quarter of RiseMPerH).
	DeadbandMPerH float64
}

// TimeToSpill alarms when, at the current rate of rise, the spillway crest would be reached in
// less than Under.
type TimeToSpill struct {
	Enabled  bool
	Under    time.Duration
	Severity dam.Severity
	// Window is the span the forecast's trend is fitted over; 0: the rate of rise's window, else
	// 15 min.
	Window time.Duration
	// OffDelay: the crest must stay out of reach this long before the alarm ends; 0: 5 min.
	OffDelay time.Duration
	// Deadband: the alarm ends once the crest is forecast beyond Under + Deadband; 0: Under/4.
	Deadband time.Duration
}

// Frozen alarms when a sensor repeats the same value for After although the level was moving
// at MinTrendMPerH or more just before: a stuck sensor, not calm water.
type Frozen struct {
	Enabled       bool
	After         time.Duration
	MinTrendMPerH float64
	Severity      dam.Severity
}

// Role of an operator.
type Role string

const (
	RoleOperator   Role = "operator"
	RoleSupervisor Role = "supervisor"
)

// Operator is a person who can be called.
type Operator struct {
	ID    string
	Name  string
	Phone string // E.164: "+33600000001"
	Email string // empty when not given
	Role  Role
	// Language of this operator's messages: "fr" or "en" (the site's when not given).
	Language string
}

// Group is a named set of operators an escalation step can call together.
type Group struct {
	ID      string
	Name    string
	Members []string // operator ids
}

// Rotation is an on-call duty roster: members take turns, one period each, in order.
type Rotation struct {
	ID      string
	Name    string
	Members []string // operator ids, in turn order
	// Handover: duty passes to the next member every week on Weekday at Hour:Minute, site time.
	Handover Handover
	// Start is the first handover, when Members[0] takes duty (in the site's time zone).
	Start     time.Time
	Overrides []Override // sorted by From
}

// Handover is the weekly moment duty changes hands, in the site's time zone.
type Handover struct {
	Weekday      time.Weekday
	Hour, Minute int
}

// Override puts Operator on duty from From until To instead of the rotation's member (a swap,
// a holiday).
type Override struct {
	From, To time.Time
	Operator string
}

// TargetKind says whom an escalation step calls.
type TargetKind string

const (
	TargetOnCall       TargetKind = "on_call"       // the rotation's member on duty
	TargetNextOnCall   TargetKind = "next_on_call"  // the member who takes duty next
	TargetOperator     TargetKind = "operator"      // one named operator
	TargetGroup        TargetKind = "group"         // every member of a group
	TargetAllOperators TargetKind = "all_operators" // everyone in operators
)

// Target is one recipient of an escalation step; ID is set for operator and group.
type Target struct {
	Kind TargetKind
	ID   string
}

// String is the configuration's spelling: "on_call", "operator:op-durand".
func (t Target) String() string {
	if t.ID != "" {
		return string(t.Kind) + ":" + t.ID
	}
	return string(t.Kind)
}

// Channel carries a notification.
type Channel string

const (
	ChannelSMS   Channel = "sms"
	ChannelVoice Channel = "voice"
	ChannelEmail Channel = "email"
)

// Mode says how a step reaches its targets.
type Mode string

const (
	// ModeParallel notifies every target on every channel at once.
	ModeParallel Mode = "parallel"
	// ModeSequence notifies every target on the first channel, then, while nobody acknowledges,
	// on the next channel every ChannelDelay (an SMS, then a call a minute later).
	ModeSequence Mode = "sequence"
)

// Step is one stage of an escalation.
type Step struct {
	Targets  []Target
	Channels []Channel
	Mode     Mode
	// ChannelDelay is, in ModeSequence, the time between one channel and the next.
	ChannelDelay time.Duration
	// WaitForAck is how long to wait for an acknowledgement before the next step; 0 on a last
	// step that does not wait.
	WaitForAck time.Duration
}

// EscalationPolicy says who is called, how, and in which order, for the alarms it applies to.
type EscalationPolicy struct {
	ID string
	// AllDams is true when the policy applies to every dam; otherwise Dams lists them.
	AllDams    bool
	Dams       []dam.ID
	Severities []dam.Severity
	// Rotation whose on_call and next_on_call the steps mean; empty if they use neither.
	Rotation string
	Steps    []Step
	// RepeatLastEvery repeats the last step until someone acknowledges; 0: no repeat.
	RepeatLastEvery time.Duration
}

// AppliesTo reports whether an alarm of severity s on dam d follows this policy.
func (p EscalationPolicy) AppliesTo(d dam.ID, s dam.Severity) bool {
	return (p.AllDams || slices.Contains(p.Dams, d)) && slices.Contains(p.Severities, s)
}

// Version of the format the file was written in.
func (c *Config) Version() int { return c.version }

// Site returns the site settings.
func (c *Config) Site() Site { return c.site }

// Ingestion returns the ingestion limits.
func (c *Config) Ingestion() Ingestion { return c.ingestion }

// DamConfigs returns the dams as configured, in file order.
func (c *Config) DamConfigs() []DamConfig {
	out := make([]DamConfig, len(c.dams))
	for i, d := range c.dams {
		out[i] = d.clone()
	}
	return out
}

// Dams converts the dams to the domain's type, in file order.
func (c *Config) Dams() []dam.Dam {
	out := make([]dam.Dam, len(c.dams))
	for i, d := range c.dams {
		out[i] = d.Dam()
	}
	return out
}

// Dam converts one configured dam to the domain's type.
func (d DamConfig) Dam() dam.Dam {
	specs := make([]sensor.Spec, len(d.Sensors))
	for i, s := range d.Sensors {
		specs[i] = s.Spec
	}
	return dam.Dam{
		ID:            d.ID,
		Name:          d.Name,
		Capacity:      d.CapacityM3,
		DykeHeight:    d.DykeHeightM,
		SpillwayCrest: d.SpillwayCrestM,
		Curve:         d.curve,
		Sensors:       specs,
		Thresholds:    slices.Clone(d.Thresholds),
		Location:      cloneLocation(d.Location),
	}
}

// cloneLocation copies a location so no caller shares the parsed configuration's.
func cloneLocation(l *dam.Location) *dam.Location {
	if l == nil {
		return nil
	}
	c := *l
	return &c
}

// DamOf returns the dam a sensor belongs to.
func (c *Config) DamOf(id sensor.ID) (dam.Dam, bool) {
	for _, d := range c.dams {
		for _, s := range d.Sensors {
			if s.ID == id {
				return d.Dam(), true
			}
		}
	}
	return dam.Dam{}, false
}

// Sensor returns one sensor's configuration and its dam's id.
func (c *Config) Sensor(id sensor.ID) (SensorConfig, dam.ID, bool) {
	for _, d := range c.dams {
		for _, s := range d.Sensors {
			if s.ID == id {
				return s, d.ID, true
			}
		}
	}
	return SensorConfig{}, "", false
}

// SensorIDs lists every configured sensor, dam by dam, in file order.
func (c *Config) SensorIDs() []sensor.ID {
	var out []sensor.ID
	for _, dc := range c.dams {
		for _, s := range dc.Sensors {
			out = append(out, s.ID)
		}
	}
	return out
}

// GaugePolicies gives each sensor the policy its gauge aggregate runs with: its spec, its dam,
// the dam's thresholds and the ingestion delays.
func (c *Config) GaugePolicies() map[sensor.ID]gauge.Policy {
	out := map[sensor.ID]gauge.Policy{}
	for _, d := range c.dams {
		for _, s := range d.Sensors {
			out[s.ID] = gauge.Policy{
				Spec:       s.Spec,
				Dam:        d.ID,
				Thresholds: slices.Clone(d.Thresholds),
				LateAfter:  c.ingestion.LateAfter,
				MaxFuture:  c.ingestion.MaxFuture,
			}
		}
	}
	return out
}

// Operators returns the operators in file order.
func (c *Config) Operators() []Operator { return slices.Clone(c.operators) }

// Operator returns one operator.
func (c *Config) Operator(id string) (Operator, bool) {
	for _, o := range c.operators {
		if o.ID == id {
			return o, true
		}
	}
	return Operator{}, false
}

// Groups returns the groups in file order.
func (c *Config) Groups() []Group {
	out := make([]Group, len(c.groups))
	for i, g := range c.groups {
		g.Members = slices.Clone(g.Members)
		out[i] = g
	}
	return out
}

// Rotations returns the on-call rotations in file order.
func (c *Config) Rotations() []Rotation {
	out := make([]Rotation, len(c.rotations))
	for i, r := range c.rotations {
		out[i] = r.clone()
	}
	return out
}

// Rotation returns one rotation.
func (c *Config) Rotation(id string) (Rotation, bool) {
	for _, r := range c.rotations {
		if r.ID == id {
			return r.clone(), true
		}
	}
	return Rotation{}, false
}

// EscalationPolicies returns the policies in file order.
func (c *Config) EscalationPolicies() []EscalationPolicy {
	out := make([]EscalationPolicy, len(c.policies))
	for i, p := range c.policies {
		out[i] = p.clone()
	}
	return out
}

// PolicyFor returns the escalation policy an alarm of severity s on dam d follows. Validation
// guarantees at most one applies.
func (c *Config) PolicyFor(d dam.ID, s dam.Severity) (EscalationPolicy, bool) {
	for _, p := range c.policies {
		if p.AppliesTo(d, s) {
			return p.clone(), true
		}
	}
	return EscalationPolicy{}, false
}

func (d DamConfig) clone() DamConfig {
	d.Curve.Points = slices.Clone(d.Curve.Points)
	d.Sensors = slices.Clone(d.Sensors)
	d.Thresholds = slices.Clone(d.Thresholds)
	d.Location = cloneLocation(d.Location)
	return d
}

func (r Rotation) clone() Rotation {
	r.Members = slices.Clone(r.Members)
	r.Overrides = slices.Clone(r.Overrides)
	return r
}

func (p EscalationPolicy) clone() EscalationPolicy {
	p.Dams = slices.Clone(p.Dams)
	p.Severities = slices.Clone(p.Severities)
	steps := make([]Step, len(p.Steps))
	for i, s := range p.Steps {
		s.Targets = slices.Clone(s.Targets)
		s.Channels = slices.Clone(s.Channels)
		steps[i] = s
	}
	p.Steps = steps
	return p
}

// String names the configuration in logs.
func (c *Config) String() string {
	return fmt.Sprintf("config %q (%d dams, %d operators)", c.site.Name, len(c.dams), len(c.operators))
}
