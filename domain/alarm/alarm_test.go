package alarm_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
)

// t0 is the fake clock's origin; at(m) is m minutes later.
var t0 = time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)

func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

const (
	mejean = dam.ID("mejean")
	gaugeA = "mejean.level"
	gaugeB = "mejean.level2"
	durand = alarm.OperatorID("op-durand")
	martin = alarm.OperatorID("op-martin")
)

var (
	alerte = alarm.Condition("level:alerte")
	id     = alarm.NewID(mejean, alerte, 1)
)

// Events of the alarm "mejean~level:alerte~1" as tests build their history.

func raised() alarm.Raised {
	return alarm.Raised{
		AlarmID: id, Dam: mejean, Condition: alerte, Class: alarm.ClassProcess, Occurrence: 1, Group: alarm.Group(id),
		Source: gaugeA, Severity: dam.SeverityHigh, Value: 6.1, Limit: 6, Unit: "m", Since: at(0), At: at(0),
	}
}

func rtn(m int) alarm.ReturnedToNormal {
	return alarm.ReturnedToNormal{AlarmID: id, Source: gaugeA, Value: 5.8, At: at(m)}
}

func acked(m int) alarm.Acknowledged {
	return alarm.Acknowledged{AlarmID: id, By: durand, Via: alarm.ViaSMS, At: at(m)}
}

func shelved(m, until int) alarm.Shelved {
	return alarm.Shelved{AlarmID: id, By: durand, Reason: "gauge being cleaned", Until: at(until), At: at(m)}
}

func suppressed(m int) alarm.RemovedFromService {
	return alarm.RemovedFromService{AlarmID: id, By: martin, Reason: "sensor replaced", At: at(m)}
}

func closed(m int) alarm.Closed {
	return alarm.Closed{AlarmID: id, By: martin, Reason: "reviewed", At: at(m)}
}

func evs(es ...event.Event) []event.Event { return es }

// Histories in each state.
var (
	unackActive = evs(raised())
	ackActive   = evs(raised(), acked(1))
	unackRTN    = evs(raised(), rtn(2))
	normal      = evs(raised(), acked(1), rtn(2))
	shelvedOn   = evs(raised(), shelved(1, 61))
	shelvedOff  = evs(raised(), shelved(1, 61), rtn(2))
	outOfSvcOn  = evs(raised(), suppressed(1))
	outOfSvcOff = evs(raised(), suppressed(1), rtn(2))
	closedOnce  = evs(raised(), rtn(2), closed(3))
)

// trig is a condition change of "level:alerte" on gauge A at minute m.
func trig(active bool, m int, value float64) alarm.Trigger {
	return alarm.Trigger{
		Dam: mejean, Condition: alerte, Source: gaugeA, Active: active, Severity: dam.SeverityHigh,
		Value: value, Limit: 6, Unit: "m", At: at(m), Since: at(m),
	}
}

func from(t alarm.Trigger, source string) alarm.Trigger { t.Source = source; return t }
func late(t alarm.Trigger) alarm.Trigger                { t.Late = true; return t }
func severity(t alarm.Trigger, s dam.Severity) alarm.Trigger {
	t.Severity = s
	return t
}

// observe feeds triggers to the alarm through a board whose slot is the alarm, as a command
// handler would.
func observe(ts ...alarm.Trigger) func(*alarm.Alarm) error {
	return func(a *alarm.Alarm) error {
		b, err := alarm.NewBoard(mejean, alarm.FloodRule{Window: 10 * time.Minute})
		if err != nil {
			return err
		}
		if a.State() != alarm.StateNotRaised {
			b.Load(0, evs(alarm.SlotOpened{Dam: mejean, Condition: alerte, Occurrence: 1, AlarmID: id, Group: alarm.Group(id), At: at(0)}))
		}
		_, err = b.Observe(a, ts...)
		return err
	}
}

func load(given []event.Event) *alarm.Alarm {
	a := alarm.New(id)
	if len(given) > 0 {
		a.Load(uint64(len(given)-1), given)
	}
	return a
}

type transition struct {
	name      string
	given     []event.Event
	when      func(*alarm.Alarm) error
	want      []event.Event
	wantErr   error
	wantState alarm.State
}

func runTransitions(t *testing.T, tests []transition) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := load(tt.given)
			before := a.Status()
			err := tt.when(a)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if len(a.Changes()) != 0 || !reflect.DeepEqual(a.Status(), before) {
					t.Fatalf("a failed command changed the alarm: %+v, status %+v -> %+v", a.Changes(), before, a.Status())
				}
			}
			if got := a.Changes(); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Fatalf("got events\n%#v\nwant\n%#v", got, tt.want)
			}
			if got := a.State(); got != tt.wantState {
				t.Errorf("got state %q, want %q", got, tt.wantState)
			}
			// The live aggregate and a fold of its whole history agree.
			replayed := load(append(append([]event.Event{}, tt.given...), a.Changes()...))
			if !reflect.DeepEqual(replayed.Status(), a.Status()) {
				t.Errorf("replayed status %+v differs from live %+v", replayed.Status(), a.Status())
			}
		})
	}
}

func TestConditionChanges(t *testing.T) {
	t.Parallel()
	updated := func(m int, sev, prev dam.Severity, value, peak float64, sources ...string) alarm.Updated {
		return alarm.Updated{AlarmID: id, Source: gaugeA, Severity: sev, PreviousSeverity: prev, Value: value, Peak: peak, Sources: sources, At: at(m)}
	}
	historical := raised()
	historical.Late, historical.Historical = true, true
	lateLive := raised()
	lateLive.Late = true
	lateRTN := rtn(2)
	lateRTN.Late = true
	reactivated := alarm.Reactivated{AlarmID: id, Source: gaugeA, Severity: dam.SeverityHigh, Value: 6.3, Since: at(5), At: at(5)}

	runTransitions(t, []transition{
		{"an activation raises", nil, observe(trig(true, 0, 6.1)), evs(raised()), nil, alarm.StateUnackActive},
		{"a clearing raises nothing", nil, observe(trig(false, 0, 5.8)), nil, nil, alarm.StateNotRaised},
		{"clearing while unacknowledged returns to normal unacknowledged", unackActive, observe(trig(false, 2, 5.8)), evs(rtn(2)), nil, alarm.StateUnackRTN},
		{"clearing once acknowledged is over", ackActive, observe(trig(false, 2, 5.8)), evs(rtn(2)), nil, alarm.StateNormal},
		{"re-alarm before acknowledgement reactivates", unackRTN, observe(trig(true, 5, 6.3)), evs(reactivated), nil, alarm.StateUnackActive},
		{"the same activation twice records nothing", unackActive, observe(trig(true, 0, 6.1)), nil, nil, alarm.StateUnackActive},
		{"a clearing while normal records nothing", unackRTN, observe(trig(false, 3, 5.7)), nil, nil, alarm.StateUnackRTN},
		{"a new peak updates", unackActive, observe(trig(true, 3, 6.4)), evs(updated(3, dam.SeverityHigh, "", 6.4, 6.4, gaugeA)), nil, alarm.StateUnackActive},
		{"a lower value is no peak", unackActive, observe(trig(true, 3, 6.05)), nil, nil, alarm.StateUnackActive},
		{
			"a severity change updates", ackActive, observe(severity(trig(true, 3, 6.1), dam.SeverityCritical)),
			evs(updated(3, dam.SeverityCritical, dam.SeverityHigh, 6.1, 6.1, gaugeA)), nil, alarm.StateAckActive,
		},
		{
			"a second source joins", unackActive, observe(from(trig(true, 3, 6.0), gaugeB)),
			evs(alarm.Updated{AlarmID: id, Source: gaugeB, Severity: dam.SeverityHigh, Value: 6.0, Peak: 6.1, Sources: []string{gaugeA, gaugeB}, At: at(3)}),
			nil, alarm.StateUnackActive,
		},
		{
			"one of two sources clearing keeps the alarm active",
			evs(raised(), alarm.Updated{AlarmID: id, Source: gaugeB, Severity: dam.SeverityHigh, Value: 6.0, Peak: 6.1, Sources: []string{gaugeA, gaugeB}, At: at(3)}),
			observe(trig(false, 4, 5.8)),
			evs(alarm.Updated{AlarmID: id, Source: gaugeA, Severity: dam.SeverityHigh, Value: 5.8, Peak: 6.1, Sources: []string{gaugeB}, Cleared: true, At: at(4)}),
			nil, alarm.StateUnackActive,
		},
		{
			"the last source clearing returns to normal",
			evs(raised(), alarm.Updated{AlarmID: id, Source: gaugeB, Severity: dam.SeverityHigh, Value: 6.0, Peak: 6.1, Sources: []string{gaugeA, gaugeB}, At: at(3)}),
			observe(trig(false, 4, 5.8), from(trig(false, 5, 5.7), gaugeB)),
			evs(
				alarm.Updated{AlarmID: id, Source: gaugeA, Severity: dam.SeverityHigh, Value: 5.8, Peak: 6.1, Sources: []string{gaugeB}, Cleared: true, At: at(4)},
				alarm.ReturnedToNormal{AlarmID: id, Source: gaugeB, Value: 5.7, At: at(5)},
			),
			nil, alarm.StateUnackRTN,
		},
		{"a clearing from a source that is not active records nothing", unackActive, observe(from(trig(false, 3, 5), gaugeB)), nil, nil, alarm.StateUnackActive},
		{"clearing while shelved stays shelved", shelvedOn, observe(trig(false, 2, 5.8)), evs(rtn(2)), nil, alarm.StateShelved},
		{"re-alarm while shelved stays shelved", shelvedOff, observe(trig(true, 5, 6.3)), evs(reactivated), nil, alarm.StateShelved},
		{"clearing while out of service stays out of service", outOfSvcOn, observe(trig(false, 2, 5.8)), evs(rtn(2)), nil, alarm.StateSuppressed},
		{"re-alarm while out of service stays out of service", outOfSvcOff, observe(trig(true, 5, 6.3)), evs(reactivated), nil, alarm.StateSuppressed},
		{
			"a late raise cleared in the same batch is historical", nil, observe(late(trig(true, 0, 6.1)), late(trig(false, 2, 5.8))),
			evs(historical, lateRTN), nil, alarm.StateUnackRTN,
		},
		{"a late raise still active is live", nil, observe(late(trig(true, 0, 6.1))), evs(lateLive), nil, alarm.StateUnackActive},
		{
			"a late episode followed by a live activation is live", nil, observe(late(trig(true, 0, 6.1)), late(trig(false, 2, 5.8)), trig(true, 5, 6.3)),
			evs(lateLive, lateRTN, reactivated), nil, alarm.StateUnackActive,
		},
		{"a closed alarm takes no change", closedOnce, observe(trig(true, 5, 6.3)), nil, nil, alarm.StateClosed},
	})
}

func TestTimeToSpillPeakIsTheShortestForecast(t *testing.T) {
	t.Parallel()
	tts := alarm.Condition("time_to_spill")
	ttsID := alarm.NewID(mejean, tts, 1)
	b, _ := alarm.NewBoard(mejean, alarm.FloodRule{})
	forecast := func(m int, seconds float64) alarm.Trigger {
		return alarm.Trigger{Dam: mejean, Condition: tts, Source: gaugeA, Active: true, Severity: dam.SeverityCritical, Value: seconds, Limit: 3600, Unit: "s", At: at(m)}
	}
	got, err := b.Observe(nil, forecast(0, 3000), forecast(1, 3300), forecast(2, 2400))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID() != ttsID {
		t.Fatalf("got %d alarms, want %s", len(got), ttsID)
	}
	if s := got[0].Status(); s.Peak != 2400 || len(got[0].Changes()) != 2 {
		t.Errorf("got peak %g after %d events, want 2400 after raise and one update", s.Peak, len(got[0].Changes()))
	}
}

func TestAcknowledge(t *testing.T) {
	t.Parallel()
	ack := func(m int) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.Acknowledge(durand, alarm.ViaSMS, "", at(m)) }
	}
	runTransitions(t, []transition{
		{"unacknowledged active", unackActive, ack(1), evs(acked(1)), nil, alarm.StateAckActive},
		{"unacknowledged returned to normal is over", unackRTN, ack(3), evs(acked(3)), nil, alarm.StateNormal},
		{"already acknowledged is idempotent", ackActive, ack(2), nil, nil, alarm.StateAckActive},
		{"over is idempotent", normal, ack(3), nil, nil, alarm.StateNormal},
		{"closed is idempotent", closedOnce, ack(4), nil, nil, alarm.StateClosed},
		{
			"an SMS reply and a web click record one acknowledgement", unackActive,
			func(a *alarm.Alarm) error {
				if err := a.Acknowledge(durand, alarm.ViaSMS, "", at(1)); err != nil {
					return err
				}
				return a.Acknowledge(durand, alarm.ViaWeb, "on my way", at(1))
			},
			evs(acked(1)), nil, alarm.StateAckActive,
		},
		{
			"with a comment", unackActive,
			func(a *alarm.Alarm) error { return a.Acknowledge(durand, alarm.ViaWeb, "on my way", at(1)) },
			evs(alarm.Acknowledged{AlarmID: id, By: durand, Via: alarm.ViaWeb, Comment: "on my way", At: at(1)}), nil, alarm.StateAckActive,
		},
		{"shelved", shelvedOn, ack(2), nil, alarm.ErrShelved, alarm.StateShelved},
		{
			"shelved but the shelve is due: unshelved, then acknowledged", shelvedOn, ack(61),
			evs(alarm.Unshelved{AlarmID: id, Expired: true, At: at(61)}, acked(61)), nil, alarm.StateAckActive,
		},
		{"out of service", outOfSvcOn, ack(2), nil, alarm.ErrOutOfService, alarm.StateSuppressed},
		{"not raised", nil, ack(0), nil, alarm.ErrNotRaised, alarm.StateNotRaised},
		{"no operator", unackActive, func(a *alarm.Alarm) error { return a.Acknowledge("", alarm.ViaSMS, "", at(1)) }, nil, alarm.ErrOperatorRequired, alarm.StateUnackActive},
		{"unknown channel", unackActive, func(a *alarm.Alarm) error { return a.Acknowledge(durand, "fax", "", at(1)) }, nil, alarm.ErrInvalidChannel, alarm.StateUnackActive},
	})
}

func TestComment(t *testing.T) {
	t.Parallel()
	note := alarm.Commented{AlarmID: id, By: durand, Text: "debris on the grid", At: at(5)}
	comment := func(text string) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.Comment(durand, text, at(5)) }
	}
	runTransitions(t, []transition{
		{"active", unackActive, comment(note.Text), evs(note), nil, alarm.StateUnackActive},
		{"shelved", shelvedOn, comment(note.Text), evs(note), nil, alarm.StateShelved},
		{"closed, for the review", closedOnce, comment(note.Text), evs(note), nil, alarm.StateClosed},
		{"empty", unackActive, comment(""), nil, alarm.ErrCommentRequired, alarm.StateUnackActive},
		{"no operator", unackActive, func(a *alarm.Alarm) error { return a.Comment("", "x", at(5)) }, nil, alarm.ErrOperatorRequired, alarm.StateUnackActive},
		{"not raised", nil, comment(note.Text), nil, alarm.ErrNotRaised, alarm.StateNotRaised},
	})
}

func TestShelve(t *testing.T) {
	t.Parallel()
	shelve := func(m, until int) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.Shelve(durand, "gauge being cleaned", at(until), at(m)) }
	}
	maxUntil := at(5).Add(alarm.MaxShelve)
	runTransitions(t, []transition{
		{"unacknowledged active", unackActive, shelve(1, 61), evs(shelved(1, 61)), nil, alarm.StateShelved},
		{"acknowledged active", ackActive, shelve(1, 61), evs(shelved(1, 61)), nil, alarm.StateShelved},
		{"returned to normal unacknowledged", unackRTN, shelve(3, 61), evs(shelved(3, 61)), nil, alarm.StateShelved},
		{"the same shelve twice records nothing", shelvedOn, shelve(2, 61), nil, nil, alarm.StateShelved},
		{"a longer shelve replaces it", shelvedOn, shelve(2, 90), evs(shelved(2, 90)), nil, alarm.StateShelved},
		{
			"exactly the longest shelve allowed", unackActive,
			func(a *alarm.Alarm) error { return a.Shelve(durand, "r", maxUntil, at(5)) },
			evs(alarm.Shelved{AlarmID: id, By: durand, Reason: "r", Until: maxUntil, At: at(5)}), nil, alarm.StateShelved,
		},
		{
			"one nanosecond longer", unackActive,
			func(a *alarm.Alarm) error { return a.Shelve(durand, "r", maxUntil.Add(time.Nanosecond), at(5)) },
			nil, alarm.ErrShelveTooLong, alarm.StateUnackActive,
		},
		{"expiry at the command time", unackActive, shelve(5, 5), nil, alarm.ErrShelveExpiryInPast, alarm.StateUnackActive},
		{"expiry in the past", unackActive, shelve(5, 4), nil, alarm.ErrShelveExpiryInPast, alarm.StateUnackActive},
		{"no reason", unackActive, func(a *alarm.Alarm) error { return a.Shelve(durand, "", at(9), at(5)) }, nil, alarm.ErrReasonRequired, alarm.StateUnackActive},
		{"no operator", unackActive, func(a *alarm.Alarm) error { return a.Shelve("", "r", at(9), at(5)) }, nil, alarm.ErrOperatorRequired, alarm.StateUnackActive},
		{"over", normal, shelve(5, 60), nil, alarm.ErrNotActive, alarm.StateNormal},
		{"out of service", outOfSvcOn, shelve(5, 60), nil, alarm.ErrOutOfService, alarm.StateSuppressed},
		{"closed", closedOnce, shelve(5, 60), nil, alarm.ErrAlreadyClosed, alarm.StateClosed},
		{"not raised", nil, shelve(5, 60), nil, alarm.ErrNotRaised, alarm.StateNotRaised},
	})
}

func TestUnshelveAndExpire(t *testing.T) {
	t.Parallel()
	unshelve := func(m int) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.Unshelve(martin, at(m)) }
	}
	expire := func(now time.Time) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.Expire(now) }
	}
	byHand := func(m int) alarm.Unshelved { return alarm.Unshelved{AlarmID: id, By: martin, At: at(m)} }
	expired := func(now time.Time) alarm.Unshelved { return alarm.Unshelved{AlarmID: id, Expired: true, At: now} }
	runTransitions(t, []transition{
		{"still active: annunciated again", shelvedOn, unshelve(10), evs(byHand(10)), nil, alarm.StateUnackActive},
		{
			"still active, even if acknowledged before the shelve", evs(raised(), acked(1), shelved(2, 60)), unshelve(10),
			evs(byHand(10)), nil, alarm.StateUnackActive,
		},
		{"returned to normal meanwhile: over", shelvedOff, unshelve(10), evs(byHand(10)), nil, alarm.StateNormal},
		{"not shelved: nothing to do", unackActive, unshelve(10), nil, nil, alarm.StateUnackActive},
		{"no operator", shelvedOn, func(a *alarm.Alarm) error { return a.Unshelve("", at(10)) }, nil, alarm.ErrOperatorRequired, alarm.StateShelved},
		{"expiry one nanosecond early does nothing", shelvedOn, expire(at(61).Add(-time.Nanosecond)), nil, nil, alarm.StateShelved},
		{"expiry exactly due, still active", shelvedOn, expire(at(61)), evs(expired(at(61))), nil, alarm.StateUnackActive},
		{"expiry late, returned to normal meanwhile", shelvedOff, expire(at(90)), evs(expired(at(90))), nil, alarm.StateNormal},
		{"expiry of an alarm not shelved does nothing", unackActive, expire(at(90)), nil, nil, alarm.StateUnackActive},
		{"unshelving after the expiry is due records the expiry", shelvedOn, unshelve(70), evs(expired(at(70))), nil, alarm.StateUnackActive},
		{"expiry of an alarm not raised", nil, expire(at(90)), nil, alarm.ErrNotRaised, alarm.StateNotRaised},
		{
			"a due expiry is not recorded by a command that fails", shelvedOn,
			func(a *alarm.Alarm) error { return a.Close(martin, "r", at(70)) },
			nil, alarm.ErrStillActive, alarm.StateShelved,
		},
	})
}

func TestService(t *testing.T) {
	t.Parallel()
	remove := func(m int) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.RemoveFromService(martin, "sensor replaced", at(m)) }
	}
	restore := func(m int) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.ReturnToService(martin, at(m)) }
	}
	back := func(m int) alarm.ReturnedToService {
		return alarm.ReturnedToService{AlarmID: id, By: martin, At: at(m)}
	}
	runTransitions(t, []transition{
		{"active", unackActive, remove(1), evs(suppressed(1)), nil, alarm.StateSuppressed},
		{"shelved: out of service hides the shelve", shelvedOn, remove(1), evs(suppressed(1)), nil, alarm.StateSuppressed},
		{"already out of service: nothing to do", outOfSvcOn, remove(3), nil, nil, alarm.StateSuppressed},
		{"over: nothing to do", normal, remove(3), nil, nil, alarm.StateNormal},
		{"closed: nothing to do", closedOnce, remove(4), nil, nil, alarm.StateClosed},
		{"no reason", unackActive, func(a *alarm.Alarm) error { return a.RemoveFromService(martin, "", at(1)) }, nil, alarm.ErrReasonRequired, alarm.StateUnackActive},
		{"no operator", unackActive, func(a *alarm.Alarm) error { return a.RemoveFromService("", "r", at(1)) }, nil, alarm.ErrOperatorRequired, alarm.StateUnackActive},
		{"not raised", nil, remove(1), nil, alarm.ErrNotRaised, alarm.StateNotRaised},
		{"back in service still active: annunciated again", outOfSvcOn, restore(10), evs(back(10)), nil, alarm.StateUnackActive},
		{"back in service after returning to normal: over", outOfSvcOff, restore(10), evs(back(10)), nil, alarm.StateNormal},
		{"back in service while shelved: shelved", evs(raised(), shelved(1, 61), suppressed(2)), restore(10), evs(back(10)), nil, alarm.StateShelved},
		{"in service: nothing to do", unackActive, restore(10), nil, nil, alarm.StateUnackActive},
		{"return without operator", outOfSvcOn, func(a *alarm.Alarm) error { return a.ReturnToService("", at(1)) }, nil, alarm.ErrOperatorRequired, alarm.StateSuppressed},
	})
}

func TestEscalate(t *testing.T) {
	t.Parallel()
	escalate := func(level, m int) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.Escalate(level, at(m)) }
	}
	step := func(level, m int) alarm.Escalated { return alarm.Escalated{AlarmID: id, Level: level, At: at(m)} }
	runTransitions(t, []transition{
		{"unacknowledged active", unackActive, escalate(1, 5), evs(step(1, 5)), nil, alarm.StateUnackActive},
		{"unacknowledged returned to normal", unackRTN, escalate(1, 5), evs(step(1, 5)), nil, alarm.StateUnackRTN},
		{"a level already reached: the saga sent it twice", evs(raised(), step(2, 5)), escalate(2, 6), nil, nil, alarm.StateUnackActive},
		{"a lower level", evs(raised(), step(2, 5)), escalate(1, 6), nil, nil, alarm.StateUnackActive},
		{"acknowledged: the cascade has stopped", ackActive, escalate(1, 5), nil, nil, alarm.StateAckActive},
		{"over", normal, escalate(1, 5), nil, nil, alarm.StateNormal},
		{"shelved", shelvedOn, escalate(1, 5), nil, nil, alarm.StateShelved},
		{"out of service", outOfSvcOn, escalate(1, 5), nil, nil, alarm.StateSuppressed},
		{"closed", closedOnce, escalate(1, 5), nil, nil, alarm.StateClosed},
		{"level 0", unackActive, escalate(0, 5), nil, alarm.ErrInvalidLevel, alarm.StateUnackActive},
		{"not raised", nil, escalate(1, 5), nil, alarm.ErrNotRaised, alarm.StateNotRaised},
	})
}

func TestClose(t *testing.T) {
	t.Parallel()
	closeAt := func(m int) func(*alarm.Alarm) error {
		return func(a *alarm.Alarm) error { return a.Close(martin, "reviewed", at(m)) }
	}
	runTransitions(t, []transition{
		{"returned to normal unacknowledged", unackRTN, closeAt(3), evs(closed(3)), nil, alarm.StateClosed},
		{"over", normal, closeAt(3), evs(closed(3)), nil, alarm.StateClosed},
		{"shelved, returned to normal", shelvedOff, closeAt(3), evs(closed(3)), nil, alarm.StateClosed},
		{"out of service though active: a decommissioned sensor", outOfSvcOn, closeAt(3), evs(closed(3)), nil, alarm.StateClosed},
		{"active", unackActive, closeAt(3), nil, alarm.ErrStillActive, alarm.StateUnackActive},
		{"acknowledged active", ackActive, closeAt(3), nil, alarm.ErrStillActive, alarm.StateAckActive},
		{"shelved, active", shelvedOn, closeAt(3), nil, alarm.ErrStillActive, alarm.StateShelved},
		{"closed", closedOnce, closeAt(4), nil, alarm.ErrAlreadyClosed, alarm.StateClosed},
		{"no reason", unackRTN, func(a *alarm.Alarm) error { return a.Close(martin, "", at(3)) }, nil, alarm.ErrReasonRequired, alarm.StateUnackRTN},
		{"no operator", unackRTN, func(a *alarm.Alarm) error { return a.Close("", "r", at(3)) }, nil, alarm.ErrOperatorRequired, alarm.StateUnackRTN},
		{"not raised", nil, closeAt(3), nil, alarm.ErrNotRaised, alarm.StateNotRaised},
	})
}

func TestStatus(t *testing.T) {
	t.Parallel()
	a := load(evs(raised(), shelved(1, 61), alarm.Escalated{AlarmID: id, Level: 2, At: at(1)}))
	got := a.Status()
	sh := shelved(1, 61)
	want := alarm.Status{
		ID: id, Dam: mejean, Condition: alerte, Class: alarm.ClassProcess, Occurrence: 1, Group: alarm.Group(id),
		Source: gaugeA, State: alarm.StateShelved, Active: true, Severity: dam.SeverityHigh, Peak: 6.1,
		Sources: []string{gaugeA}, Shelve: &alarm.Shelve{By: sh.By, Reason: sh.Reason, Until: sh.Until, At: sh.At},
		Level: 2, RaisedAt: at(0),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if a.Revision() != 2 {
		t.Errorf("got revision %d, want 2", a.Revision())
	}
}

func TestTriggers(t *testing.T) {
	t.Parallel()
	crossing := gauge.ThresholdCrossed{
		Sensor: gaugeA, Dam: mejean, Threshold: "alerte", Severity: dam.SeverityHigh, Direction: gauge.Down,
		Level: 6, Value: 5.85, At: at(3), Since: at(2), Late: true,
	}
	stale := condition.Change{Kind: condition.KindStale, Active: true, Severity: dam.SeverityMedium, At: at(4), Since: at(4), Value: 900, Limit: 900, Unit: "s", Detail: "silent"}
	rising := condition.Change{Kind: condition.KindRateOfRise, Active: true, Severity: dam.SeverityHigh, At: at(5), Since: at(5), Value: 2, Limit: 1, Unit: "m/h"}
	tests := []struct {
		name      string
		got       alarm.Trigger
		want      alarm.Trigger
		wantClass alarm.Class
	}{
		{
			"a threshold crossing is a level condition", alarm.FromCrossing(crossing),
			alarm.Trigger{Dam: mejean, Condition: "level:alerte", Source: gaugeA, Active: false, Severity: dam.SeverityHigh, Value: 5.85, Limit: 6, Unit: "m", At: at(3), Since: at(2), Late: true},
			alarm.ClassProcess,
		},
		{
			"a technical condition is its sensor's", alarm.FromChange(mejean, gaugeA, stale, false),
			alarm.Trigger{Dam: mejean, Condition: "stale:mejean.level", Source: gaugeA, Active: true, Severity: dam.SeverityMedium, Value: 900, Limit: 900, Unit: "s", Detail: "silent", At: at(4), Since: at(4)},
			alarm.ClassTechnical,
		},
		{
			"a process condition is the dam's", alarm.FromChange(mejean, gaugeA, rising, true),
			alarm.Trigger{Dam: mejean, Condition: "rate_of_rise", Source: gaugeA, Active: true, Severity: dam.SeverityHigh, Value: 2, Limit: 1, Unit: "m/h", At: at(5), Since: at(5), Late: true},
			alarm.ClassProcess,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
			if c := tt.got.Condition.Class(); c != tt.wantClass {
				t.Errorf("got class %s, want %s", c, tt.wantClass)
			}
		})
	}
	if got := alarm.NewID(mejean, "stale:mejean.level", 12); got != "mejean~stale:mejean.level~12" {
		t.Errorf("got id %s", got)
	}
}

func TestSinceDefaultsToAt(t *testing.T) {
	t.Parallel()
	b, _ := alarm.NewBoard(mejean, alarm.FloodRule{})
	tr := trig(true, 4, 6.1)
	tr.Since = time.Time{}
	got, err := b.Observe(nil, tr)
	if err != nil {
		t.Fatal(err)
	}
	if r := got[0].Changes()[0].(alarm.Raised); !r.Since.Equal(at(4)) {
		t.Errorf("got since %s, want %s", r.Since, at(4))
	}
}
