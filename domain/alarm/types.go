package alarm

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
)

// Stream categories: "alarm-<alarm id>" and "alarmboard-<dam id>".
const (
	Category      = "alarm"
	BoardCategory = "alarmboard"
)

// MaxShelve bounds a shelve: ISA-18.2 wants shelving time-limited, and a sensor faulty for longer
// than a day is a maintenance matter (out of service), not a nuisance to hide.
const MaxShelve = 24 * time.Hour

// ID names an alarm: "<dam>~<condition>~<occurrence>", e.g. "mejean~level:alerte~3". It is
// deterministic so that a condition change delivered twice (a process manager restarting after a
// crash) lands on the same stream instead of raising a second alarm. "~" is unreserved in URLs and
// refused in dam ids and conditions, so the id is unambiguous.
type ID string

// NewID is the id of the occurrence-th alarm of condition c on dam d, from 1.
func NewID(d dam.ID, c Condition, occurrence int) ID {
	return ID(fmt.Sprintf("%s~%s~%d", d, c, occurrence))
}

// Condition is what an alarm is about on its dam: a condition kind and, where a dam can have
// several, a qualifier: "level:alerte" (threshold), "rate_of_rise", "stale:mejean.level" (sensor).
// There is at most one alarm in progress per (dam, condition).
type Condition string

// NewCondition joins a kind and an optional qualifier.
func NewCondition(k condition.Kind, qualifier string) Condition {
	if qualifier == "" {
		return Condition(k)
	}
	return Condition(string(k) + ":" + qualifier)
}

// Kind is the condition's kind, the part before the first ':'.
func (c Condition) Kind() condition.Kind {
	k, _, _ := strings.Cut(string(c), ":")
	return condition.Kind(k)
}

// Class is process for the water, technical for the measuring chain.
func (c Condition) Class() Class {
	if c.Kind().Process() {
		return ClassProcess
	}
	return ClassTechnical
}

func (c Condition) validate() error {
	if !c.Kind().Valid() {
		return fmt.Errorf("condition %q: unknown kind %q", c, c.Kind())
	}
	if strings.Contains(string(c), "~") {
		return fmt.Errorf("condition %q: '~' is reserved for alarm ids", c)
	}
	return nil
}

// Class keeps process alarms (the water: levels, rate of rise, time to spill) apart from technical
// ones (the measuring chain: stale, frozen, implausible, unknown sensor, unreachable endpoint).
type Class string

const (
	ClassProcess   Class = "process"
	ClassTechnical Class = "technical"
)

// OperatorID names who acted: "op-durand", or "system:cascade" for the saga.
type OperatorID string

// Channel is where an operator's command came from.
type Channel string

const (
	ViaWeb   Channel = "web"
	ViaSMS   Channel = "sms"
	ViaVoice Channel = "voice"
	ViaEmail Channel = "email"
	ViaAPI   Channel = "api"
	ViaOPCUA Channel = "opcua"
)

// Valid reports whether ch is a known channel.
func (ch Channel) Valid() bool {
	switch ch {
	case ViaWeb, ViaSMS, ViaVoice, ViaEmail, ViaAPI, ViaOPCUA:
		return true
	}
	return false
}

// Group names a situation: alarms of one class raised on one dam close together in time. It is
// the id of the situation's first alarm, so it never changes once recorded.
type Group string

// State is an alarm's state in the ISA-18.2 sense, derived from what the alarm knows (condition
// active, acknowledged, shelved, out of service, closed), never stored.
type State string

const (
	// StateNotRaised: the alarm's stream is empty.
	StateNotRaised   State = ""
	StateUnackActive State = "unack_active"
	StateAckActive   State = "ack_active"
	// StateUnackRTN: returned to normal, not acknowledged yet.
	StateUnackRTN State = "unack_rtn"
	// StateNormal: returned to normal and acknowledged: the alarm is over.
	StateNormal State = "normal"
	// StateShelved: hidden by an operator until an expiry, whatever the condition does meanwhile.
	StateShelved State = "shelved"
	// StateSuppressed: suppressed by design, its sensor or dam being out of service.
	StateSuppressed State = "suppressed_by_design"
	// StateClosed: closed by an operator; over.
	StateClosed State = "closed"
)

// Shelve is an operator's shelving of an alarm.
type Shelve struct {
	By     OperatorID `json:"by"`
	Reason string     `json:"reason"`
	Until  time.Time  `json:"until"`
	At     time.Time  `json:"at"`
}

// Suppression is an alarm (or a scope of the board) being out of service, and why.
type Suppression struct {
	By     OperatorID `json:"by"`
	Reason string     `json:"reason"`
	Since  time.Time  `json:"since"`
}

// Trigger is a condition change as the alarm engine takes it: a level threshold crossing
// (FromCrossing) or a condition monitor's change (FromChange), or any technical condition an
// adapter detects.
type Trigger struct {
	Dam       dam.ID
	Condition Condition
	// Source is what reported it: a sensor id, a gateway, an endpoint. A condition active from
	// several sources (two level gauges of one dam) stays active until the last one clears.
	Source   string
	Active   bool
	Severity dam.Severity
	Value    float64
	Limit    float64
	Unit     string
	Detail   string
	// At is the sensor time that confirmed the change (the tick time for stale); Since when it
	// first held, before its delay.
	At    time.Time
	Since time.Time
	// Late: learnt long after At (a gateway flushing its buffer). See Raised.Historical.
	Late bool
}

func (t Trigger) validate(d dam.ID) error {
	var problem string
	switch {
	case t.Dam != d:
		problem = fmt.Sprintf("dam %q, not %q", t.Dam, d)
	case t.Condition.validate() != nil:
		problem = t.Condition.validate().Error()
	case t.Source == "":
		problem = "source is empty"
	case t.Active && !t.Severity.Valid():
		problem = fmt.Sprintf("severity %q is not one of low, medium, high, critical", t.Severity)
	case t.At.IsZero():
		problem = "time is missing"
	case !finite(t.Value) || !finite(t.Limit):
		problem = "value and limit must be finite numbers"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s %s from %s: %s", ErrInvalidTrigger, t.Condition, word(t.Active), t.Source, problem)
}

func word(active bool) string {
	if active {
		return "active"
	}
	return "inactive"
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// FromCrossing turns a gauge's threshold crossing into a trigger of condition "level:<threshold>".
func FromCrossing(c gauge.ThresholdCrossed) Trigger {
	return Trigger{
		Dam: c.Dam, Condition: NewCondition(condition.KindLevel, c.Threshold), Source: string(c.Sensor),
		Active: c.Direction == gauge.Up, Severity: c.Severity, Value: c.Value, Limit: c.Level, Unit: condition.UnitMetre,
		At: c.At, Since: c.Since, Late: c.Late,
	}
}

// FromChange turns a monitor's change on a sensor (source) of dam d into a trigger. Process
// conditions are the dam's ("rate_of_rise"); technical ones are the sensor's ("stale:<sensor>").
// late says the change was learnt long after its sensor time.
func FromChange(d dam.ID, source string, c condition.Change, late bool) Trigger {
	qualifier := ""
	if !c.Kind.Process() {
		qualifier = source
	}
	return Trigger{
		Dam: d, Condition: NewCondition(c.Kind, qualifier), Source: source, Active: c.Active, Severity: c.Severity,
		Value: c.Value, Limit: c.Limit, Unit: c.Unit, Detail: c.Detail, At: c.At, Since: c.Since, Late: late,
	}
}
