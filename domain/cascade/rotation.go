package cascade

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/domain/alarm"
)

// Rotation is an on-call duty roster (astreinte): members take turns, one period each, in order,
// then start again. Duty changes hands at a wall-clock time of the site's zone, so a handover at
// 08:00 happens at 08:00 local time on both sides of a daylight-saving change (the turn that
// spans the change is an hour shorter or longer). Overrides (a swap, a holiday cover) take
// precedence over the turns.
//
// The adapters convert the configuration's rotation into this type; it knows no file format.
type Rotation struct {
	ID string
	// Members in turn order; Members[0] takes duty at the first handover.
	Members []alarm.OperatorID
	// Location is the site's time zone, in which handovers happen (UTC when nil).
	Location *time.Location
	// Start gives the date of the first handover: its calendar day in Location. Only the date is
	// used (the configuration's start at the handover time works as it is).
	Start time.Time
	// Handover is when duty changes hands.
	Handover Handover
	// Overrides put someone else on duty for a while; they may not overlap (the first listed that
	// covers an instant wins).
	Overrides []Override
}

// Handover is the moment duty changes hands, in the site's time zone.
type Handover struct {
	// Weekday of the handover, for periods of whole weeks: Start must fall on it. Ignored for
	// other periods (a daily rotation hands over every day).
	Weekday time.Weekday
	// Hour and Minute of the handover, site time.
	Hour, Minute int
	// EveryDays is the length of a turn in days: 7 (weekly, also when 0), 1 (daily), 14...
	EveryDays int
}

// Override puts Operator on duty from From (included) to To (excluded) instead of the
// rotation's member.
type Override struct {
	From, To time.Time
	Operator alarm.OperatorID
}

// Validate reports every inconsistency at once.
func (r Rotation) Validate() error {
	var errs []error
	if len(r.Members) == 0 {
		errs = append(errs, errors.New("no members"))
	}
	seen := map[alarm.OperatorID]bool{}
	for i, m := range r.Members {
		if m == "" {
			errs = append(errs, fmt.Errorf("member %d: empty operator id", i))
		}
		if seen[m] {
			errs = append(errs, fmt.Errorf("member %s listed twice", m))
		}
		seen[m] = true
	}
	h := r.Handover
	if h.Hour < 0 || h.Hour > 23 || h.Minute < 0 || h.Minute > 59 {
		errs = append(errs, fmt.Errorf("handover time %02d:%02d is not a time of day", h.Hour, h.Minute))
	}
	if h.EveryDays < 0 {
		errs = append(errs, fmt.Errorf("handover every %d days: must be ≥ 1 (0 means weekly)", h.EveryDays))
	}
	if h.Weekday < time.Sunday || h.Weekday > time.Saturday {
		errs = append(errs, fmt.Errorf("handover weekday %d is not a day of the week", h.Weekday))
	}
	if r.Start.IsZero() {
		errs = append(errs, errors.New("start date missing"))
	} else if r.period()%7 == 0 && r.Start.In(r.loc()).Weekday() != h.Weekday {
		errs = append(errs, fmt.Errorf("start %s is a %s, but duty changes hands on %s", r.Start.In(r.loc()).Format(time.DateOnly),
			r.Start.In(r.loc()).Weekday(), h.Weekday))
	}
	for i, o := range r.Overrides {
		if o.Operator == "" {
			errs = append(errs, fmt.Errorf("override %d: operator missing", i))
		}
		if !o.From.Before(o.To) {
			errs = append(errs, fmt.Errorf("override %d: from %s is not before to %s", i, o.From.Format(time.RFC3339), o.To.Format(time.RFC3339)))
		}
		for j, p := range r.Overrides[:i] {
			if o.From.Before(p.To) && p.From.Before(o.To) {
				errs = append(errs, fmt.Errorf("override %d overlaps override %d: one person is on duty at a time", i, j))
			}
		}
	}
	return errors.Join(errs...)
}

// OnCall returns who is on duty at `at`: the override covering it, or the member whose turn it
// is. Before Start the turns are extended backwards (the member before Members[0] was on duty):
// a rotation configured a little late still pages someone. "" when the rotation has no members
// and no override covers `at`.
func (r Rotation) OnCall(at time.Time) alarm.OperatorID {
	if o, ok := r.override(at); ok {
		return o
	}
	if len(r.Members) == 0 {
		return ""
	}
	return r.member(r.turn(at))
}

// Next returns who takes duty next: the first person on duty after `at` who is not the one on
// duty at `at`, overrides included (a holiday cover ending mid-week hands back to the member it
// covered). With a single member and no override, it is that member.
func (r Rotation) Next(at time.Time) alarm.OperatorID {
	current := r.OnCall(at)
	t := at
	// Every handover brings another member, and each override adds at most two changes: this bounds
	// the walk to the first different person.
	for range len(r.Members) + 2*len(r.Overrides) + 2 {
		next, ok := r.nextChange(t)
		if !ok {
			break
		}
		t = next
		if p := r.OnCall(t); p != "" && p != current {
			return p
		}
	}
	if len(r.Members) == 0 {
		return current
	}
	return r.member(r.turn(at) + 1)
}

// NextHandover is the first handover strictly after `at` (overrides aside).
func (r Rotation) NextHandover(at time.Time) time.Time { return r.handover(r.turn(at) + 1) }

// nextChange is the first instant after t when who is on duty may change: a handover or an
// override's bound.
func (r Rotation) nextChange(t time.Time) (time.Time, bool) {
	var next time.Time
	if len(r.Members) > 0 {
		next = r.handover(r.turn(t) + 1)
	}
	for _, o := range r.Overrides {
		for _, b := range []time.Time{o.From, o.To} {
			if b.After(t) && (next.IsZero() || b.Before(next)) {
				next = b
			}
		}
	}
	return next, !next.IsZero()
}

func (r Rotation) override(at time.Time) (alarm.OperatorID, bool) {
	for _, o := range r.Overrides {
		if !at.Before(o.From) && at.Before(o.To) {
			return o.Operator, true
		}
	}
	return "", false
}

func (r Rotation) loc() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}

func (r Rotation) period() int {
	if r.Handover.EveryDays <= 0 {
		return 7
	}
	return r.Handover.EveryDays
}

// handover is the k-th handover (0: the first, Members[0] takes duty; negative: before Start):
// the wall-clock time of the day Start + k periods, in the site's zone. time.Date normalises the
// day, so this is calendar arithmetic, never a multiple of 24 h.
func (r Rotation) handover(k int) time.Time {
	y, m, d := r.Start.In(r.loc()).Date()
	return time.Date(y, m, d+k*r.period(), r.Handover.Hour, r.Handover.Minute, 0, 0, r.loc())
}

// turn is the k such that handover(k) ≤ at < handover(k+1).
func (r Rotation) turn(at time.Time) int {
	days := civilDay(at.In(r.loc())) - civilDay(r.Start.In(r.loc()))
	k := floorDiv(days, r.period())
	for at.Before(r.handover(k)) {
		k--
	}
	for !at.Before(r.handover(k + 1)) {
		k++
	}
	return k
}

func (r Rotation) member(k int) alarm.OperatorID {
	n := len(r.Members)
	return r.Members[((k%n)+n)%n]
}

// civilDay numbers t's calendar day (in t's location) from the Unix epoch.
func civilDay(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
