// Package alarm holds the alarm engine's two aggregates: the alarm (ISA-18.2 / IEC 62682 states,
// stream "alarm-<id>") and the alarm board of a dam (stream "alarmboard-<dam>"), which keeps one
// alarm in progress per condition, groups alarm floods into situations and knows what is out of
// service. It is pure: no I/O, and time is always a parameter. docs/alarms.md tells the whole story.
package alarm

import (
	"fmt"
	"slices"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// Alarm is one occurrence of a condition on a dam, from its raise until it is over (returned to
// normal and acknowledged) or closed. Condition changes reach it through Board.Observe; operators
// and the cascade act on it through its command methods, which record events or return an error
// and change nothing.
type Alarm struct {
	id ID
	// revision is the stream revision of the last event folded, -1 for a new stream.
	revision int64

	raised     bool
	dam        dam.ID
	cond       Condition
	occurrence int
	group      Group
	source     string
	raisedAt   time.Time
	late       bool
	historical bool

	severity dam.Severity
	peak     float64
	// sources keeping the condition active, sorted; the condition is active while there is one.
	sources     []string
	acked       bool
	shelve      *Shelve
	suppression *Suppression
	closed      bool
	level       int

	changes []event.Event
}

// Status is what an alarm knows, for a command handler, the cascade or a test to read.
type Status struct {
	ID           ID
	Dam          dam.ID
	Condition    Condition
	Class        Class
	Occurrence   int
	Group        Group
	Source       string // the source that raised it
	State        State
	Active       bool
	Acknowledged bool
	Severity     dam.Severity
	Peak         float64
	Sources      []string
	Shelve       *Shelve
	Suppression  *Suppression
	Level        int
	Late         bool
	Historical   bool
	RaisedAt     time.Time
}

// New returns the aggregate of alarm id with no events yet. Load folds its history.
func New(id ID) *Alarm { return &Alarm{id: id, revision: -1} }

// Load folds stored events; revision is the stream revision of the last one.
func (a *Alarm) Load(revision uint64, history []event.Event) {
	for _, e := range history {
		a.apply(e)
	}
	a.revision = int64(revision)
}

func (a *Alarm) ID() ID { return a.id }

// Revision is the stream revision the aggregate was loaded at (-1: new stream).
func (a *Alarm) Revision() int64 { return a.revision }

// Changes returns the events decided since loading, in order.
func (a *Alarm) Changes() []event.Event { return a.changes }

// ClearChanges is called once the changes are stored, so the aggregate can keep deciding.
func (a *Alarm) ClearChanges(revision uint64) {
	a.changes = nil
	a.revision = int64(revision)
}

func (a *Alarm) active() bool { return len(a.sources) > 0 }

// State derives the ISA-18.2 state. Closed hides everything; out of service hides shelving; both
// hide the acknowledgement state underneath, which keeps being tracked.
func (a *Alarm) State() State {
	switch {
	case !a.raised:
		return StateNotRaised
	case a.closed:
		return StateClosed
	case a.suppression != nil:
		return StateSuppressed
	case a.shelve != nil:
		return StateShelved
	case a.active() && !a.acked:
		return StateUnackActive
	case a.active():
		return StateAckActive
	case !a.acked:
		return StateUnackRTN
	}
	return StateNormal
}

// Done reports whether the alarm is over (normal or closed): its condition's next activation opens
// another alarm.
func (a *Alarm) Done() bool {
	s := a.State()
	return s == StateNormal || s == StateClosed
}

// Status returns a copy of what the alarm knows.
func (a *Alarm) Status() Status {
	s := Status{
		ID: a.id, Dam: a.dam, Condition: a.cond, Occurrence: a.occurrence, Group: a.group, Source: a.source,
		State: a.State(), Active: a.active(), Acknowledged: a.acked, Severity: a.severity, Peak: a.peak,
		Sources: slices.Clone(a.sources), Level: a.level, Late: a.late, Historical: a.historical, RaisedAt: a.raisedAt,
	}
	if a.raised {
		s.Class = a.cond.Class()
	}
	if a.shelve != nil {
		sh := *a.shelve
		s.Shelve = &sh
	}
	if a.suppression != nil {
		su := *a.suppression
		s.Suppression = &su
	}
	return s
}

// Acknowledge is idempotent: an SMS reply and a web click may both arrive, and an alarm already
// acknowledged, over or closed has nothing left to acknowledge.
func (a *Alarm) Acknowledge(by OperatorID, via Channel, comment string, at time.Time) error {
	if by == "" {
		return fmt.Errorf("acknowledge alarm %s: %w", a.id, ErrOperatorRequired)
	}
	if !via.Valid() {
		return fmt.Errorf("acknowledge alarm %s via %q: %w", a.id, via, ErrInvalidChannel)
	}
	return a.command("acknowledge", at, func() error {
		switch a.State() {
		case StateUnackActive, StateUnackRTN:
			a.record(Acknowledged{AlarmID: a.id, By: by, Via: via, Comment: comment, At: at})
		case StateShelved:
			return ErrShelved
		case StateSuppressed:
			return ErrOutOfService
		}
		return nil
	})
}

// Comment adds an operator's note; closed alarms take comments too (reviews come afterwards).
func (a *Alarm) Comment(by OperatorID, text string, at time.Time) error {
	if by == "" {
		return fmt.Errorf("comment alarm %s: %w", a.id, ErrOperatorRequired)
	}
	if text == "" {
		return fmt.Errorf("comment alarm %s: %w", a.id, ErrCommentRequired)
	}
	return a.command("comment", at, func() error {
		a.record(Commented{AlarmID: a.id, By: by, Text: text, At: at})
		return nil
	})
}

// Shelve hides the alarm until `until`, at most MaxShelve after `at`. Shelving a shelved alarm
// again replaces the shelve (extends or shortens it); the same shelve twice records nothing.
func (a *Alarm) Shelve(by OperatorID, reason string, until, at time.Time) error {
	switch {
	case by == "":
		return fmt.Errorf("shelve alarm %s: %w", a.id, ErrOperatorRequired)
	case reason == "":
		return fmt.Errorf("shelve alarm %s: %w", a.id, ErrReasonRequired)
	case !until.After(at):
		return fmt.Errorf("shelve alarm %s until %s at %s: %w", a.id, until.Format(time.RFC3339), at.Format(time.RFC3339), ErrShelveExpiryInPast)
	case until.Sub(at) > MaxShelve:
		return fmt.Errorf("shelve alarm %s for %s (at most %s): %w", a.id, until.Sub(at), MaxShelve, ErrShelveTooLong)
	}
	return a.command("shelve", at, func() error {
		switch a.State() {
		case StateClosed:
			return ErrAlreadyClosed
		case StateSuppressed:
			return ErrOutOfService
		case StateNormal:
			return ErrNotActive
		case StateShelved:
			if s := a.shelve; s.By == by && s.Reason == reason && s.Until.Equal(until) {
				return nil
			}
		}
		a.record(Shelved{AlarmID: a.id, By: by, Reason: reason, Until: until, At: at})
		return nil
	})
}

// Unshelve ends a shelve before its expiry; an alarm not shelved is left as it is.
func (a *Alarm) Unshelve(by OperatorID, at time.Time) error {
	if by == "" {
		return fmt.Errorf("unshelve alarm %s: %w", a.id, ErrOperatorRequired)
	}
	return a.command("unshelve", at, func() error {
		if a.shelve != nil && !a.closed {
			a.record(Unshelved{AlarmID: a.id, By: by, At: at})
		}
		return nil
	})
}

// Expire enforces the shelve's expiry at now. Every command enforces it too, so an alarm whose
// expiry is due is never acted on as shelved, even if the scheduler calling Expire is late.
func (a *Alarm) Expire(now time.Time) error {
	return a.command("expire shelve of", now, func() error { return nil })
}

// RemoveFromService suppresses the alarm by design (maintenance of its sensor or dam). An alarm
// already out of service, or over, is left as it is.
func (a *Alarm) RemoveFromService(by OperatorID, reason string, at time.Time) error {
	if by == "" {
		return fmt.Errorf("remove alarm %s from service: %w", a.id, ErrOperatorRequired)
	}
	if reason == "" {
		return fmt.Errorf("remove alarm %s from service: %w", a.id, ErrReasonRequired)
	}
	return a.command("remove from service", at, func() error {
		if a.suppression == nil && !a.Done() {
			a.record(RemovedFromService{AlarmID: a.id, By: by, Reason: reason, At: at})
		}
		return nil
	})
}

// ReturnToService ends a suppression; an alarm in service is left as it is.
func (a *Alarm) ReturnToService(by OperatorID, at time.Time) error {
	if by == "" {
		return fmt.Errorf("return alarm %s to service: %w", a.id, ErrOperatorRequired)
	}
	return a.command("return to service", at, func() error {
		if a.suppression != nil && !a.closed {
			a.record(ReturnedToService{AlarmID: a.id, By: by, At: at})
		}
		return nil
	})
}

// Escalate records that the cascade reached level. It does nothing once the cascade has no reason
// to go on (acknowledged, over, shelved, out of service, closed) or for a level already reached:
// the saga sees events twice after a crash and sends its commands again.
func (a *Alarm) Escalate(level int, at time.Time) error {
	if level < 1 {
		return fmt.Errorf("escalate alarm %s to level %d (levels start at 1): %w", a.id, level, ErrInvalidLevel)
	}
	return a.command("escalate", at, func() error {
		if s := a.State(); (s == StateUnackActive || s == StateUnackRTN) && level > a.level {
			a.record(Escalated{AlarmID: a.id, Level: level, At: at})
		}
		return nil
	})
}

// Close ends the alarm whatever its acknowledgement. An alarm whose condition is active and in
// service cannot be closed: the dam would be in that condition with no alarm and no new one coming
// (the condition does not become active again while it is active). Remove it from service first
// (a decommissioned sensor), or wait for it to return to normal.
func (a *Alarm) Close(by OperatorID, reason string, at time.Time) error {
	if by == "" {
		return fmt.Errorf("close alarm %s: %w", a.id, ErrOperatorRequired)
	}
	if reason == "" {
		return fmt.Errorf("close alarm %s: %w", a.id, ErrReasonRequired)
	}
	return a.command("close", at, func() error {
		if a.closed {
			return ErrAlreadyClosed
		}
		if a.active() && a.suppression == nil {
			return ErrStillActive
		}
		a.record(Closed{AlarmID: a.id, By: by, Reason: reason, At: at})
		return nil
	})
}

// command runs a decision at command time `at` after enforcing a due shelve expiry; if the decision
// fails, the alarm is left exactly as it was, expiry included.
func (a *Alarm) command(what string, at time.Time, decide func() error) error {
	if !a.raised {
		return fmt.Errorf("%s alarm %s: %w", what, a.id, ErrNotRaised)
	}
	saved := *a
	saved.sources = slices.Clone(a.sources)
	if a.shelve != nil && !a.closed && !at.Before(a.shelve.Until) {
		a.record(Unshelved{AlarmID: a.id, Expired: true, At: at})
	}
	if err := decide(); err != nil {
		*a = saved
		return fmt.Errorf("%s alarm %s (%s): %w", what, a.id, a.State(), err)
	}
	return nil
}

// placement is what the board decided about an alarm it raises.
type placement struct {
	occurrence  int
	group       Group
	suppression *Suppression
}

// observe feeds condition changes of this alarm's condition, in order, until the alarm is over; it
// returns how many it took. The board validated them.
//
// A late activation is historical when the alarm is inactive once the batch is taken: the batch is
// first played on a copy to find out, so the decision is made once, with everything learnt
// together, and never revised.
func (a *Alarm) observe(p placement, batch []Trigger) int {
	probe := *a
	probe.sources = slices.Clone(a.sources)
	probe.changes = nil
	probe.take(p, batch, false)
	historical := probe.raised && !probe.active()
	return a.take(p, batch, historical)
}

func (a *Alarm) take(p placement, batch []Trigger, historical bool) int {
	for i, t := range batch {
		if a.Done() {
			return i
		}
		a.observeOne(p, t, historical && t.Late)
	}
	return len(batch)
}

func (a *Alarm) observeOne(p placement, t Trigger, historical bool) {
	if t.Since.IsZero() {
		t.Since = t.At // a condition without a delay held from the moment it was seen
	}
	if !a.raised {
		if t.Active {
			a.record(Raised{
				AlarmID: a.id, Dam: t.Dam, Condition: t.Condition, Class: t.Condition.Class(), Occurrence: p.occurrence,
				Group: p.group, Source: t.Source, Severity: t.Severity, Value: t.Value, Limit: t.Limit, Unit: t.Unit,
				Detail: t.Detail, Since: t.Since, At: t.At, Late: t.Late, Historical: historical, Suppression: p.suppression,
			})
		}
		return
	}
	has := slices.Contains(a.sources, t.Source)
	if !t.Active {
		switch {
		case !has:
		case len(a.sources) == 1:
			a.record(ReturnedToNormal{AlarmID: a.id, Source: t.Source, Value: t.Value, Detail: t.Detail, At: t.At, Late: t.Late})
		default:
			a.record(Updated{
				AlarmID: a.id, Source: t.Source, Severity: a.severity, Value: t.Value, Peak: a.peak,
				Sources: slices.DeleteFunc(slices.Clone(a.sources), func(s string) bool { return s == t.Source }),
				Cleared: true, At: t.At, Late: t.Late,
			})
		}
		return
	}
	if !a.active() {
		a.record(Reactivated{
			AlarmID: a.id, Source: t.Source, Severity: t.Severity, Value: t.Value, Detail: t.Detail,
			Since: t.Since, At: t.At, Late: t.Late, Historical: historical,
		})
		return
	}
	sources := slices.Clone(a.sources)
	if !has {
		sources = append(sources, t.Source)
		slices.Sort(sources)
	}
	// With several sources the worst severity holds; a lone source sets it, up or down.
	severity := t.Severity
	if len(sources) > 1 && a.severity.Rank() > severity.Rank() {
		severity = a.severity
	}
	peak := worst(a.cond, a.peak, t.Value)
	if has && severity == a.severity && peak == a.peak {
		return
	}
	u := Updated{AlarmID: a.id, Source: t.Source, Severity: severity, Value: t.Value, Peak: peak, Sources: sources, At: t.At, Late: t.Late}
	if severity != a.severity {
		u.PreviousSeverity = a.severity
	}
	a.record(u)
}

// worst of two values of condition c: the higher, or the lower for a time to spill.
func worst(c Condition, a, b float64) float64 {
	if c.Kind().LowerIsWorse() {
		return min(a, b)
	}
	return max(a, b)
}

func (a *Alarm) record(e event.Event) {
	a.apply(e)
	a.changes = append(a.changes, e)
}

// apply folds an event. It never fails and never validates: what is in the log happened.
func (a *Alarm) apply(e event.Event) {
	switch e := e.(type) {
	case Raised:
		a.raised = true
		a.dam, a.cond, a.occurrence, a.group, a.source = e.Dam, e.Condition, e.Occurrence, e.Group, e.Source
		a.raisedAt, a.late, a.historical = e.At, e.Late, e.Historical
		a.severity, a.peak, a.sources, a.acked = e.Severity, e.Value, []string{e.Source}, false
		if e.Suppression != nil {
			s := *e.Suppression
			a.suppression = &s
		}
	case Reactivated:
		a.severity, a.peak, a.sources, a.acked = e.Severity, worst(a.cond, a.peak, e.Value), []string{e.Source}, false
	case Updated:
		a.severity, a.peak, a.sources = e.Severity, e.Peak, slices.Clone(e.Sources)
	case ReturnedToNormal:
		a.sources = nil
	case Acknowledged:
		a.acked = true
	case Commented:
	case Shelved:
		a.shelve = &Shelve{By: e.By, Reason: e.Reason, Until: e.Until, At: e.At}
	case Unshelved:
		a.shelve = nil
		a.reveal()
	case RemovedFromService:
		a.suppression = &Suppression{By: e.By, Reason: e.Reason, Since: e.At}
	case ReturnedToService:
		a.suppression = nil
		a.reveal()
	case Escalated:
		a.level = e.Level
	case Closed:
		a.closed = true
	}
}

// reveal runs when a shelve or a suppression ends: if nothing else hides the alarm, an active one
// is annunciated again (unacknowledged, as ISA-18.2 wants after a shelve), and one that returned to
// normal meanwhile is over, the shelve or the maintenance having been the operator's decision
// about it.
func (a *Alarm) reveal() {
	if a.shelve == nil && a.suppression == nil {
		a.acked = !a.active()
	}
}
