package alarm_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// FuzzAlarmLifecycle plays random scripts of condition changes, operator commands, cascade steps
// and maintenance on one dam's board and its alarms, kept live in memory as a long-running process
// would, with every change appended to an in-memory log. After every step it checks:
//   - nothing panics;
//   - a command that fails records nothing and changes nothing;
//   - every stream only ever holds legal transitions (checkStream), and every state reached is
//     consistent (checkStatus);
//   - folding each stream from scratch gives exactly the live aggregate's status and revision, and
//     the same for the board;
//   - per condition, every alarm but the slot's is over.
func FuzzAlarmLifecycle(f *testing.F) {
	f.Add([]byte{0, 0, 1, 3, 0, 1, 0, 1, 1})
	f.Add([]byte{0, 0, 1, 6, 100, 2, 0, 0, 0, 8, 0, 70, 3, 0, 1})
	f.Add([]byte{2, 16, 3, 0, 0, 1, 10, 1, 2, 9, 0, 1, 11, 0, 0, 12, 1, 5, 13, 0, 1})
	f.Add([]byte{14, 0, 1, 0, 0, 1, 15, 0, 1, 0, 4, 2, 1, 0, 1, 2, 7, 0})
	r := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		seed := make([]byte, 300)
		for i := range seed {
			seed[i] = byte(r.IntN(256))
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		w := newWorld(t)
		for step := 0; len(script) >= 3; step++ {
			op, x, y := script[0], script[1], script[2]
			script = script[3:]
			w.clock = w.clock.Add(time.Duration(y%8) * time.Minute)
			w.step(step, op, x, y)
			w.check(step)
		}
	})
}

var fuzzConditions = []alarm.Condition{"level:alerte", "time_to_spill", "stale:mejean.level"}

type world struct {
	t     *testing.T
	clock time.Time
	log   map[string][]event.Event
	board *alarm.Board
	live  map[alarm.ID]*alarm.Alarm
}

func newWorld(t *testing.T) *world {
	b, err := alarm.NewBoard(mejean, alarm.FloodRule{Window: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, clock: t0, log: map[string][]event.Event{}, board: b, live: map[alarm.ID]*alarm.Alarm{}}
}

func (w *world) trigger(x, y byte) alarm.Trigger {
	tr := alarm.Trigger{
		Dam: mejean, Condition: fuzzConditions[int(x)%len(fuzzConditions)], Source: []string{gaugeA, gaugeB}[int(x>>2)%2],
		Active: y&1 == 1, Severity: []dam.Severity{dam.SeverityLow, dam.SeverityMedium, dam.SeverityHigh, dam.SeverityCritical}[int(x>>5)%4],
		Value: float64(y) / 16, Limit: 6, Unit: "m", At: w.clock, Since: w.clock,
	}
	if x&16 != 0 {
		tr.Late, tr.At, tr.Since = true, w.clock.Add(-2*time.Hour), w.clock.Add(-2*time.Hour)
	}
	return tr
}

// target picks one of the alarms raised so far, or a stream never raised.
func (w *world) target(x byte) *alarm.Alarm {
	keys := make([]alarm.ID, 0, len(w.live))
	for k := range w.live {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 || int(x)%(len(keys)+1) == len(keys) {
		return alarm.New(alarm.NewID(mejean, "level:crise", 1))
	}
	return w.live[keys[int(x)%(len(keys)+1)]]
}

func (w *world) step(step int, op, x, y byte) {
	switch op % 16 {
	case 0, 1:
		w.observe(step, w.trigger(x, y))
	case 2:
		// A gateway flushing an episode: both ends late, in one batch.
		on, off := w.trigger(x|16, 1), w.trigger(x|16, 0)
		off.At = on.At.Add(time.Duration(y%30) * time.Minute)
		w.observe(step, on, off)
	case 3:
		w.command(step, x, "acknowledge", func(a *alarm.Alarm) error {
			return a.Acknowledge(durand, []alarm.Channel{alarm.ViaSMS, alarm.ViaWeb, alarm.ViaVoice, "fax"}[int(y)%4], "", w.clock)
		})
	case 4:
		w.command(step, x, "comment", func(a *alarm.Alarm) error { return a.Comment(durand, []string{"", "note"}[int(y)%2], w.clock) })
	case 5, 6:
		until := w.clock.Add(time.Duration(int(y)-32) * 30 * time.Minute) // from the past to beyond MaxShelve
		reason := []string{"nuisance", ""}[int(x>>6)%2]
		w.command(step, x, "shelve", func(a *alarm.Alarm) error { return a.Shelve(durand, reason, until, w.clock) })
	case 7:
		w.command(step, x, "unshelve", func(a *alarm.Alarm) error { return a.Unshelve(martin, w.clock) })
	case 8:
		now := w.clock.Add(time.Duration(y) * 10 * time.Minute)
		w.command(step, x, "expire", func(a *alarm.Alarm) error { return a.Expire(now) })
	case 9:
		w.command(step, x, "remove from service", func(a *alarm.Alarm) error {
			return a.RemoveFromService(martin, []string{"works", ""}[int(y)%2], w.clock)
		})
	case 10:
		w.command(step, x, "return to service", func(a *alarm.Alarm) error { return a.ReturnToService(martin, w.clock) })
	case 11:
		w.command(step, x, "escalate", func(a *alarm.Alarm) error { return a.Escalate(int(y%5), w.clock) })
	case 12, 13:
		w.command(step, x, "close", func(a *alarm.Alarm) error { return a.Close(martin, []string{"reviewed", ""}[int(y)%2], w.clock) })
	case 14:
		scope := []string{"", gaugeA, gaugeB}[int(x)%3]
		if err := w.board.StartMaintenance(scope, martin, "works", w.clock); err != nil {
			w.t.Fatalf("step %d: start maintenance: %v", step, err)
		}
		w.appendBoard()
	case 15:
		scope := []string{"", gaugeA, gaugeB}[int(x)%3]
		if err := w.board.EndMaintenance(scope, martin, w.clock); err != nil {
			w.t.Fatalf("step %d: end maintenance: %v", step, err)
		}
		w.appendBoard()
	}
}

func (w *world) observe(step int, ts ...alarm.Trigger) {
	current := w.live[w.board.Slot(ts[0].Condition)]
	got, err := w.board.Observe(current, ts...)
	if err != nil {
		w.t.Fatalf("step %d: observe %+v: %v", step, ts, err)
	}
	w.appendBoard()
	for _, a := range got {
		if len(a.Changes()) == 0 {
			w.t.Fatalf("step %d: alarm %s returned with no change", step, a.ID())
		}
		w.appendAlarm(a)
	}
}

func (w *world) command(step int, x byte, what string, do func(*alarm.Alarm) error) {
	a := w.target(x)
	before, rev := a.Status(), a.Revision()
	if err := do(a); err != nil {
		if len(a.Changes()) != 0 || !reflect.DeepEqual(a.Status(), before) || a.Revision() != rev {
			w.t.Fatalf("step %d: %s failed (%v) but changed alarm %s: %+v", step, what, err, a.ID(), a.Changes())
		}
		return
	}
	if len(a.Changes()) > 0 {
		w.appendAlarm(a)
	}
}

func (w *world) appendBoard() {
	stream := "alarmboard-mejean"
	w.log[stream] = append(w.log[stream], w.board.Changes()...)
	if n := len(w.log[stream]); n > 0 {
		w.board.ClearChanges(uint64(n - 1))
	}
}

func (w *world) appendAlarm(a *alarm.Alarm) {
	stream := "alarm-" + string(a.ID())
	w.log[stream] = append(w.log[stream], a.Changes()...)
	a.ClearChanges(uint64(len(w.log[stream]) - 1))
	w.live[a.ID()] = a
}

func (w *world) check(step int) {
	t := w.t
	b, _ := alarm.NewBoard(mejean, alarm.FloodRule{Window: 10 * time.Minute})
	if h := w.log["alarmboard-mejean"]; len(h) > 0 {
		b.Load(uint64(len(h)-1), h)
	}
	if !reflect.DeepEqual(b.Slots(), w.board.Slots()) || !reflect.DeepEqual(b.Recent(), w.board.Recent()) || b.Revision() != w.board.Revision() {
		t.Fatalf("step %d: the board folded from scratch differs from the live one", step)
	}
	for _, scope := range []string{gaugeA, gaugeB} {
		m1, ok1 := b.InMaintenance(scope)
		m2, ok2 := w.board.InMaintenance(scope)
		if ok1 != ok2 || m1 != m2 {
			t.Fatalf("step %d: maintenance of %s differs after a fold", step, scope)
		}
	}
	for id, live := range w.live {
		h := w.log["alarm-"+string(id)]
		if err := checkStream(id, h); err != nil {
			t.Fatalf("step %d: alarm %s: %v\nstream: %s", step, id, err, describe(h))
		}
		folded := alarm.New(id)
		folded.Load(uint64(len(h)-1), h)
		if !reflect.DeepEqual(folded.Status(), live.Status()) || folded.Revision() != live.Revision() {
			t.Fatalf("step %d: alarm %s folded from scratch\n%+v\ndiffers from live\n%+v", step, id, folded.Status(), live.Status())
		}
		if s := live.Status(); w.board.Slot(s.Condition) != id && !live.Done() {
			t.Fatalf("step %d: alarm %s is %s but the slot of %s holds %s", step, id, s.State, s.Condition, w.board.Slot(s.Condition))
		}
	}
}

func describe(es []event.Event) string {
	out := ""
	for _, e := range es {
		out += fmt.Sprintf("\n  %s %+v", e.EventType(), e)
	}
	return out
}

// checkStream folds a stream one event at a time and checks that each event was legal in the state
// before it, and that each state reached is consistent.
func checkStream(id alarm.ID, h []event.Event) error {
	a := alarm.New(id)
	for i, e := range h {
		s := a.Status()
		if err := legal(s, e, i); err != nil {
			return fmt.Errorf("event %d %s in state %q: %w", i, e.EventType(), s.State, err)
		}
		if got := reflect.ValueOf(e).FieldByName("AlarmID").Interface().(alarm.ID); got != id {
			return fmt.Errorf("event %d names alarm %s", i, got)
		}
		a.Load(uint64(i), []event.Event{e})
		if err := checkStatus(a.Status()); err != nil {
			return fmt.Errorf("after event %d %s: %w", i, e.EventType(), err)
		}
	}
	return nil
}

func legal(s alarm.Status, e event.Event, i int) error {
	if _, ok := e.(alarm.Raised); ok != (i == 0) {
		return fmt.Errorf("raised must be the first event, and only it")
	}
	if s.State == alarm.StateClosed {
		if _, ok := e.(alarm.Commented); !ok {
			return fmt.Errorf("a closed alarm only takes comments")
		}
	}
	done := s.State == alarm.StateNormal || s.State == alarm.StateClosed
	is := func(states ...alarm.State) bool { return slices.Contains(states, s.State) }
	ok := true
	switch e := e.(type) {
	case alarm.Raised:
		ok = !e.Historical || e.Late
	case alarm.Reactivated:
		ok = !s.Active && !done && (!e.Historical || e.Late)
	case alarm.Updated, alarm.ReturnedToNormal:
		ok = s.Active && !done
	case alarm.Acknowledged:
		ok = is(alarm.StateUnackActive, alarm.StateUnackRTN)
	case alarm.Shelved:
		ok = is(alarm.StateUnackActive, alarm.StateAckActive, alarm.StateUnackRTN, alarm.StateShelved) &&
			e.Until.After(e.At) && e.Until.Sub(e.At) <= alarm.MaxShelve && e.Reason != ""
	case alarm.Unshelved:
		ok = s.Shelve != nil && (e.Expired || e.By != "") && (!e.Expired || !e.At.Before(s.Shelve.Until))
	case alarm.RemovedFromService:
		ok = s.Suppression == nil && !done && e.Reason != ""
	case alarm.ReturnedToService:
		ok = s.Suppression != nil
	case alarm.Escalated:
		ok = is(alarm.StateUnackActive, alarm.StateUnackRTN) && e.Level > s.Level
	case alarm.Closed:
		ok = (!s.Active || s.Suppression != nil) && e.Reason != ""
	case alarm.Commented:
		ok = e.Text != ""
	}
	if !ok {
		return fmt.Errorf("illegal transition")
	}
	return nil
}

func checkStatus(s alarm.Status) error {
	consistent := true
	switch s.State {
	case alarm.StateClosed:
	case alarm.StateSuppressed:
		consistent = s.Suppression != nil
	case alarm.StateShelved:
		consistent = s.Shelve != nil && s.Suppression == nil
	case alarm.StateUnackActive:
		consistent = s.Active && !s.Acknowledged && s.Shelve == nil && s.Suppression == nil
	case alarm.StateAckActive:
		consistent = s.Active && s.Acknowledged && s.Shelve == nil && s.Suppression == nil
	case alarm.StateUnackRTN:
		consistent = !s.Active && !s.Acknowledged && s.Shelve == nil && s.Suppression == nil
	case alarm.StateNormal:
		consistent = !s.Active && s.Acknowledged && s.Shelve == nil && s.Suppression == nil
	default:
		consistent = false
	}
	switch {
	case !consistent:
		return fmt.Errorf("state %q inconsistent with %+v", s.State, s)
	case s.Active != (len(s.Sources) > 0):
		return fmt.Errorf("active=%v with sources %v", s.Active, s.Sources)
	case !slices.IsSorted(s.Sources) || len(slices.Compact(slices.Clone(s.Sources))) != len(s.Sources):
		return fmt.Errorf("sources %v not sorted and unique", s.Sources)
	case s.Level < 0 || math.IsNaN(s.Peak) || math.IsInf(s.Peak, 0):
		return fmt.Errorf("level %d, peak %g", s.Level, s.Peak)
	case s.Historical && !s.Late:
		return fmt.Errorf("historical but not late")
	case s.Class != s.Condition.Class() || !s.Severity.Valid():
		return fmt.Errorf("class %q or severity %q wrong for %s", s.Class, s.Severity, s.Condition)
	}
	return nil
}
