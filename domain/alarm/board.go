package alarm

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// FloodRule groups alarm floods into situations: an alarm raised within Window (sensor time) of
// another alarm of the same class on the same dam joins that alarm's situation. The chain can run
// as long as alarms keep coming, so a storm is one situation, not one per ten minutes. ISA-18.2
// calls ten alarms in ten minutes a flood; ten minutes is a good Window.
type FloodRule struct {
	Window time.Duration
}

// recentKept bounds the raises the board remembers for grouping: far more than a flood holds.
const recentKept = 64

// RecentRaise is one alarm raised on the dam, as grouping sees it.
type RecentRaise struct {
	Alarm ID
	Class Class
	Group Group
	At    time.Time
}

// GroupFor is the situation an alarm id of class raised at `at` joins: that of the recent raise of
// the same class nearest in time, if within the rule's window (the earlier one on a tie), else a
// new situation named after the alarm. Process and technical alarms never share a situation: a
// dead gateway must not be read as part of the storm, nor hide it.
func GroupFor(recent []RecentRaise, id ID, class Class, at time.Time, rule FloodRule) Group {
	best := -1
	var bestGap time.Duration
	for i, r := range recent {
		if r.Class != class {
			continue
		}
		gap := at.Sub(r.At)
		if gap < 0 {
			gap = -gap
		}
		if gap > rule.Window {
			continue
		}
		if best < 0 || gap < bestGap || (gap == bestGap && r.At.Before(recent[best].At)) {
			best, bestGap = i, gap
		}
	}
	if best < 0 {
		return Group(id)
	}
	return recent[best].Group
}

type slot struct {
	occurrence int
	id         ID
	group      Group
}

// Board is the alarm board of one dam (stream "alarmboard-<dam>"): the single writer that decides
// which alarm a condition change goes to. It keeps, per condition, the alarm in progress (the
// "slot"): a change of a condition whose alarm is in progress updates it, one whose alarm is over
// (or that never had one) opens the next occurrence. It also keeps the recent raises, to group
// floods, and the scopes out of service, to raise alarms already suppressed.
//
// A command handler drives it so:
//
//	board := NewBoard(dam, rule); board.Load(...)            // stream alarmboard-<dam>
//	current := New(board.Slot(cond)); current.Load(...)      // stream alarm-<that id>, maybe empty
//	alarms, err := board.Observe(current, triggers...)
//	append board.Changes(), then each alarm's Changes()      // the board first, see Observe
type Board struct {
	dam      dam.ID
	rule     FloodRule
	revision int64

	slots       map[Condition]slot
	recent      []RecentRaise
	maintenance map[string]Suppression // by scope: a source, or "" for the whole dam

	changes []event.Event
}

// NewBoard returns the board of dam d with no events yet. Load folds its history.
func NewBoard(d dam.ID, rule FloodRule) (*Board, error) {
	var errs []error
	if d == "" || strings.Contains(string(d), "~") {
		errs = append(errs, fmt.Errorf("dam id %q must be set and free of '~'", d))
	}
	if rule.Window < 0 {
		errs = append(errs, fmt.Errorf("flood window %s must be ≥ 0", rule.Window))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("alarm board: %w", err)
	}
	return &Board{dam: d, rule: rule, revision: -1, slots: map[Condition]slot{}, maintenance: map[string]Suppression{}}, nil
}

// Load folds stored events; revision is the stream revision of the last one.
func (b *Board) Load(revision uint64, history []event.Event) {
	for _, e := range history {
		b.apply(e)
	}
	b.revision = int64(revision)
}

// Revision is the stream revision the board was loaded at (-1: new stream).
func (b *Board) Revision() int64 { return b.revision }

// Changes returns the events decided since loading, in order.
func (b *Board) Changes() []event.Event { return b.changes }

// ClearChanges is called once the changes are stored.
func (b *Board) ClearChanges(revision uint64) {
	b.changes = nil
	b.revision = int64(revision)
}

// Slot is the alarm a change of condition c goes to: the one of its slot, or the first occurrence
// if the condition never had one. The caller loads that stream (it may be empty) for Observe.
func (b *Board) Slot(c Condition) ID {
	if s, ok := b.slots[c]; ok {
		return s.id
	}
	return NewID(b.dam, c, 1)
}

// Slots lists the alarm of every slot, sorted: what a maintenance start or end fans out to.
func (b *Board) Slots() []ID {
	out := make([]ID, 0, len(b.slots))
	for _, s := range b.slots {
		out = append(out, s.id)
	}
	slices.Sort(out)
	return out
}

// Recent returns the raises the board remembers for grouping, oldest first.
func (b *Board) Recent() []RecentRaise { return slices.Clone(b.recent) }

// InMaintenance tells whether source (or the whole dam) is out of service, and why.
func (b *Board) InMaintenance(source string) (Suppression, bool) {
	if s, ok := b.maintenance[""]; ok {
		return s, true
	}
	s, ok := b.maintenance[source]
	return s, ok
}

// Observe routes condition changes of one condition, in sensor-time order, to current (the
// alarm of Slot(condition), loaded; nil for a new stream) and, when current is over and the
// condition becomes active again, to the next occurrences. It returns the alarms that recorded
// something, in order; the first may be current, the others are new streams.
//
// Append the board's changes before the alarms': if the process stops in between, the board names
// an alarm whose stream is empty, and the next delivery of the same changes raises it there, with
// the occurrence and group already recorded. The other order would leave a raised alarm the board
// does not know, and a stream the next attempt could not create.
func (b *Board) Observe(current *Alarm, batch ...Trigger) ([]*Alarm, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	cond := batch[0].Condition
	for i, t := range batch {
		if err := t.validate(b.dam); err != nil {
			return nil, fmt.Errorf("observe change %d of %s on %s: %w", i, cond, b.dam, err)
		}
		if t.Condition != cond {
			return nil, fmt.Errorf("observe change %d on %s: %w: condition %s in a batch of %s", i, b.dam, ErrInvalidTrigger, t.Condition, cond)
		}
	}
	want := b.Slot(cond)
	if current == nil {
		current = New(want)
	}
	if current.ID() != want {
		return nil, fmt.Errorf("observe %s on %s with alarm %s (the slot's is %s): %w", cond, b.dam, current.ID(), want, ErrWrongAlarm)
	}

	var out []*Alarm
	a, rest := current, batch
	for len(rest) > 0 {
		if a.Done() || !a.raised {
			// Only an activation opens an alarm: a condition clearing has nothing to say to an
			// alarm that is over, or that does not exist.
			i := slices.IndexFunc(rest, func(t Trigger) bool { return t.Active })
			if i < 0 {
				break
			}
			rest = rest[i:]
			if a.Done() {
				a = New(b.open(cond, rest[0]))
			} else if _, ok := b.slots[cond]; !ok {
				b.open(cond, rest[0])
			}
		}
		s := b.slots[cond]
		p := placement{occurrence: s.occurrence, group: s.group}
		if m, ok := b.InMaintenance(rest[0].Source); ok {
			p.suppression = &m
		}
		before := len(a.changes)
		rest = rest[a.observe(p, rest):]
		if len(a.changes) > before && (len(out) == 0 || out[len(out)-1] != a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// open records the next occurrence of condition c, for the activation t, and returns its alarm id.
func (b *Board) open(c Condition, t Trigger) ID {
	n := b.slots[c].occurrence + 1
	id := NewID(b.dam, c, n)
	b.record(SlotOpened{Dam: b.dam, Condition: c, Occurrence: n, AlarmID: id, Group: GroupFor(b.recent, id, c.Class(), t.At, b.rule), At: t.At})
	return id
}

// StartMaintenance takes scope (a source, or "" for the whole dam) out of service: alarms raised
// for it are suppressed by design from birth. The alarms in progress are the caller's to remove
// from service (Slots), one stream each. A scope already out of service is left as it is.
func (b *Board) StartMaintenance(scope string, by OperatorID, reason string, at time.Time) error {
	switch {
	case by == "":
		return fmt.Errorf("start maintenance of %s%s: %w", b.dam, scopeName(scope), ErrOperatorRequired)
	case reason == "":
		return fmt.Errorf("start maintenance of %s%s: %w", b.dam, scopeName(scope), ErrReasonRequired)
	}
	if _, ok := b.maintenance[scope]; !ok {
		b.record(MaintenanceStarted{Dam: b.dam, Scope: scope, By: by, Reason: reason, At: at})
	}
	return nil
}

// EndMaintenance returns scope to service; a scope in service is left as it is.
func (b *Board) EndMaintenance(scope string, by OperatorID, at time.Time) error {
	if by == "" {
		return fmt.Errorf("end maintenance of %s%s: %w", b.dam, scopeName(scope), ErrOperatorRequired)
	}
	if _, ok := b.maintenance[scope]; ok {
		b.record(MaintenanceEnded{Dam: b.dam, Scope: scope, By: by, At: at})
	}
	return nil
}

func scopeName(scope string) string {
	if scope == "" {
		return ""
	}
	return " (" + scope + ")"
}

func (b *Board) record(e event.Event) {
	b.apply(e)
	b.changes = append(b.changes, e)
}

func (b *Board) apply(e event.Event) {
	switch e := e.(type) {
	case SlotOpened:
		b.slots[e.Condition] = slot{occurrence: e.Occurrence, id: e.AlarmID, group: e.Group}
		b.recent = append(b.recent, RecentRaise{Alarm: e.AlarmID, Class: e.Condition.Class(), Group: e.Group, At: e.At})
		// Keep the newest by sensor time; a stable sort keeps replays identical.
		slices.SortStableFunc(b.recent, func(x, y RecentRaise) int { return x.At.Compare(y.At) })
		if n := len(b.recent); n > recentKept {
			b.recent = slices.Clone(b.recent[n-recentKept:])
		}
	case MaintenanceStarted:
		b.maintenance[e.Scope] = Suppression{By: e.By, Reason: e.Reason, Since: e.At}
	case MaintenanceEnded:
		delete(b.maintenance, e.Scope)
	}
}
