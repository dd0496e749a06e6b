package alarm_test

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// store is an in-memory log of streams, enough to drive the board and alarms as a command handler
// does: load, decide, append (board first).
type store struct {
	t       *testing.T
	streams map[string][]event.Event
	rule    alarm.FloodRule
}

func newStore(t *testing.T) *store {
	return &store{t: t, streams: map[string][]event.Event{}, rule: alarm.FloodRule{Window: 10 * time.Minute}}
}

func (s *store) board() *alarm.Board {
	s.t.Helper()
	b, err := alarm.NewBoard(mejean, s.rule)
	if err != nil {
		s.t.Fatal(err)
	}
	if h := s.streams["alarmboard-mejean"]; len(h) > 0 {
		b.Load(uint64(len(h)-1), h)
	}
	return b
}

func (s *store) alarm(id alarm.ID) *alarm.Alarm {
	a := alarm.New(id)
	if h := s.streams["alarm-"+string(id)]; len(h) > 0 {
		a.Load(uint64(len(h)-1), h)
	}
	return a
}

// handle is the command handler of condition changes. It returns the alarms touched.
func (s *store) handle(ts ...alarm.Trigger) ([]*alarm.Alarm, error) {
	b := s.board()
	current := s.alarm(b.Slot(ts[0].Condition))
	got, err := b.Observe(current, ts...)
	if err != nil {
		return nil, err
	}
	s.streams["alarmboard-mejean"] = append(s.streams["alarmboard-mejean"], b.Changes()...)
	for _, a := range got {
		s.streams["alarm-"+string(a.ID())] = append(s.streams["alarm-"+string(a.ID())], a.Changes()...)
	}
	return got, nil
}

func (s *store) must(ts ...alarm.Trigger) []*alarm.Alarm {
	s.t.Helper()
	got, err := s.handle(ts...)
	if err != nil {
		s.t.Fatal(err)
	}
	return got
}

func ids(as []*alarm.Alarm) []alarm.ID {
	var out []alarm.ID
	for _, a := range as {
		out = append(out, a.ID())
	}
	return out
}

func types(es []event.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.EventType())
	}
	return out
}

func TestBoardSlots(t *testing.T) {
	t.Parallel()
	second := alarm.NewID(mejean, alerte, 2)
	tests := []struct {
		name string
		// given drives the store before the step under test; when is the batch under test.
		given     func(s *store)
		when      []alarm.Trigger
		wantIDs   []alarm.ID
		wantBoard []string
	}{
		{"the first activation opens occurrence 1", func(*store) {}, []alarm.Trigger{trig(true, 0, 6.1)}, []alarm.ID{id}, []string{"alarmboard.slot_opened"}},
		{"a clearing with no alarm touches nothing", func(*store) {}, []alarm.Trigger{trig(false, 0, 5)}, nil, nil},
		{"the same activation delivered twice touches nothing", func(s *store) { s.must(trig(true, 0, 6.1)) }, []alarm.Trigger{trig(true, 0, 6.1)}, nil, nil},
		{
			"a re-alarm before acknowledgement goes to the same alarm",
			func(s *store) { s.must(trig(true, 0, 6.1), trig(false, 2, 5.8)) },
			[]alarm.Trigger{trig(true, 5, 6.2)}, []alarm.ID{id}, nil,
		},
		{
			"after an alarm is over, the next activation opens occurrence 2",
			func(s *store) {
				s.must(trig(true, 0, 6.1), trig(false, 2, 5.8))
				a := s.alarm(id)
				if err := a.Acknowledge(durand, alarm.ViaWeb, "", at(3)); err != nil {
					s.t.Fatal(err)
				}
				s.streams["alarm-"+string(id)] = append(s.streams["alarm-"+string(id)], a.Changes()...)
			},
			[]alarm.Trigger{trig(false, 4, 5.5), trig(true, 5, 6.2)}, []alarm.ID{second}, []string{"alarmboard.slot_opened"},
		},
		{
			"an acknowledged alarm clearing and re-alarming in one batch makes two alarms",
			func(s *store) {
				s.must(trig(true, 0, 6.1))
				a := s.alarm(id)
				if err := a.Acknowledge(durand, alarm.ViaWeb, "", at(1)); err != nil {
					s.t.Fatal(err)
				}
				s.streams["alarm-"+string(id)] = append(s.streams["alarm-"+string(id)], a.Changes()...)
			},
			[]alarm.Trigger{trig(false, 2, 5.8), trig(true, 5, 6.2)}, []alarm.ID{id, second}, []string{"alarmboard.slot_opened"},
		},
		{
			"a crash after the board's append: the next delivery raises the alarm the board named",
			func(s *store) {
				s.must(trig(true, 0, 6.1))
				delete(s.streams, "alarm-"+string(id)) // the alarm's append never happened
			},
			[]alarm.Trigger{trig(true, 0, 6.1)}, []alarm.ID{id}, nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			tt.given(s)
			boardBefore := len(s.streams["alarmboard-mejean"])
			got := s.must(tt.when...)
			if !reflect.DeepEqual(ids(got), tt.wantIDs) {
				t.Errorf("got alarms %v, want %v", ids(got), tt.wantIDs)
			}
			if b := types(s.streams["alarmboard-mejean"][boardBefore:]); !reflect.DeepEqual(b, tt.wantBoard) {
				t.Errorf("got board events %v, want %v", b, tt.wantBoard)
			}
			// Whatever happened, at most one alarm per condition is not over: the slot's.
			b := s.board()
			for stream, h := range s.streams {
				if stream == "alarmboard-mejean" {
					continue
				}
				a := s.alarm(h[0].(alarm.Raised).AlarmID)
				if a.ID() != b.Slot(a.Status().Condition) && !a.Done() {
					t.Errorf("alarm %s is %s but its slot holds %s", a.ID(), a.State(), b.Slot(a.Status().Condition))
				}
			}
		})
	}
}

func TestBoardCrashRepairKeepsOccurrenceAndGroup(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	s.must(from(withCondition(trig(true, 0, 7), "rate_of_rise"), gaugeA))
	s.must(trig(true, 3, 6.1))
	opened := s.streams["alarmboard-mejean"][1].(alarm.SlotOpened)
	delete(s.streams, "alarm-"+string(id))
	got := s.must(trig(true, 3, 6.1))
	r := got[0].Changes()[0].(alarm.Raised)
	if r.Occurrence != opened.Occurrence || r.Group != opened.Group {
		t.Errorf("repaired raise has occurrence %d group %s, the board recorded %d %s", r.Occurrence, r.Group, opened.Occurrence, opened.Group)
	}
}

func withCondition(t alarm.Trigger, c alarm.Condition) alarm.Trigger { t.Condition = c; return t }

func TestBoardRefusesBadInput(t *testing.T) {
	t.Parallel()
	bad := func(f func(*alarm.Trigger)) alarm.Trigger { tr := trig(true, 0, 6.1); f(&tr); return tr }
	tests := []struct {
		name    string
		current *alarm.Alarm
		when    []alarm.Trigger
		wantErr error
	}{
		{"another dam's", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.Dam = "est" })}, alarm.ErrInvalidTrigger},
		{"an unknown condition", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.Condition = "flood" })}, alarm.ErrInvalidTrigger},
		{"a condition with the id separator", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.Condition = "level:a~b" })}, alarm.ErrInvalidTrigger},
		{"no source", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.Source = "" })}, alarm.ErrInvalidTrigger},
		{"no severity", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.Severity = "" })}, alarm.ErrInvalidTrigger},
		{"no time", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.At = time.Time{} })}, alarm.ErrInvalidTrigger},
		{"a value JSON cannot hold", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.Value = math.NaN() })}, alarm.ErrInvalidTrigger},
		{"an infinite limit", nil, []alarm.Trigger{bad(func(t *alarm.Trigger) { t.Limit = math.Inf(1) })}, alarm.ErrInvalidTrigger},
		{"two conditions in a batch", nil, []alarm.Trigger{trig(true, 0, 6.1), withCondition(trig(true, 0, 6.1), "level:crise")}, alarm.ErrInvalidTrigger},
		{"the wrong alarm", alarm.New(alarm.NewID(mejean, alerte, 7)), []alarm.Trigger{trig(true, 0, 6.1)}, alarm.ErrWrongAlarm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, _ := alarm.NewBoard(mejean, alarm.FloodRule{})
			got, err := b.Observe(tt.current, tt.when...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if got != nil || len(b.Changes()) != 0 {
				t.Errorf("a refused batch changed something: %v, %v", got, b.Changes())
			}
		})
	}
	for _, d := range []dam.ID{"", "a~b"} {
		if _, err := alarm.NewBoard(d, alarm.FloodRule{}); err == nil {
			t.Errorf("NewBoard(%q) accepted", d)
		}
	}
	if _, err := alarm.NewBoard(mejean, alarm.FloodRule{Window: -1}); err == nil {
		t.Error("a negative flood window was accepted")
	}
}

func TestMaintenance(t *testing.T) {
	t.Parallel()
	start := func(scope string) func(*alarm.Board) error {
		return func(b *alarm.Board) error { return b.StartMaintenance(scope, martin, "dredging", at(0)) }
	}
	end := func(scope string) func(*alarm.Board) error {
		return func(b *alarm.Board) error { return b.EndMaintenance(scope, martin, at(60)) }
	}
	started := func(scope string) alarm.MaintenanceStarted {
		return alarm.MaintenanceStarted{Dam: mejean, Scope: scope, By: martin, Reason: "dredging", At: at(0)}
	}
	ended := func(scope string) alarm.MaintenanceEnded {
		return alarm.MaintenanceEnded{Dam: mejean, Scope: scope, By: martin, At: at(60)}
	}
	tests := []struct {
		name            string
		given           []event.Event
		when            func(*alarm.Board) error
		want            []event.Event
		wantErr         error
		then            alarm.Trigger
		thenSuppressed  bool
		thenRaisedState alarm.State
	}{
		{"the whole dam", nil, start(""), evs(started("")), nil, trig(true, 5, 6.1), true, alarm.StateSuppressed},
		{"its sensor", nil, start(gaugeA), evs(started(gaugeA)), nil, trig(true, 5, 6.1), true, alarm.StateSuppressed},
		{"another sensor", nil, start(gaugeB), evs(started(gaugeB)), nil, trig(true, 5, 6.1), false, alarm.StateUnackActive},
		{"already started", evs(started("")), start(""), nil, nil, trig(true, 5, 6.1), true, alarm.StateSuppressed},
		{"ended", evs(started("")), end(""), evs(ended("")), nil, trig(true, 65, 6.1), false, alarm.StateUnackActive},
		{"ending what never started", nil, end(""), nil, nil, trig(true, 65, 6.1), false, alarm.StateUnackActive},
		{"no reason", nil, func(b *alarm.Board) error { return b.StartMaintenance("", martin, "", at(0)) }, nil, alarm.ErrReasonRequired, trig(true, 5, 6.1), false, alarm.StateUnackActive},
		{"no operator", nil, func(b *alarm.Board) error { return b.StartMaintenance("", "", "r", at(0)) }, nil, alarm.ErrOperatorRequired, trig(true, 5, 6.1), false, alarm.StateUnackActive},
		{"ending without operator", evs(started("")), func(b *alarm.Board) error { return b.EndMaintenance("", "", at(0)) }, nil, alarm.ErrOperatorRequired, trig(true, 5, 6.1), true, alarm.StateSuppressed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, _ := alarm.NewBoard(mejean, alarm.FloodRule{})
			if len(tt.given) > 0 {
				b.Load(uint64(len(tt.given)-1), tt.given)
			}
			if err := tt.when(b); !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if got := b.Changes(); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
			got, err := b.Observe(nil, tt.then)
			if err != nil {
				t.Fatal(err)
			}
			r := got[0].Changes()[0].(alarm.Raised)
			if (r.Suppression != nil) != tt.thenSuppressed || got[0].State() != tt.thenRaisedState {
				t.Errorf("raised with suppression %+v in state %s, want suppressed=%v in %s", r.Suppression, got[0].State(), tt.thenSuppressed, tt.thenRaisedState)
			}
		})
	}
}

func TestGroupFor(t *testing.T) {
	t.Parallel()
	window := alarm.FloodRule{Window: 10 * time.Minute}
	me := alarm.ID("mejean~rate_of_rise~1")
	recent := func(m int, class alarm.Class, g string) alarm.RecentRaise {
		return alarm.RecentRaise{Alarm: alarm.ID(g), Class: class, Group: alarm.Group(g), At: at(m)}
	}
	tests := []struct {
		name   string
		recent []alarm.RecentRaise
		at     time.Time
		want   alarm.Group
	}{
		{"alone: a new situation named after the alarm", nil, at(0), alarm.Group(me)},
		{"within the window: joins", []alarm.RecentRaise{recent(0, alarm.ClassProcess, "g1")}, at(5), "g1"},
		{"exactly at the window: joins", []alarm.RecentRaise{recent(0, alarm.ClassProcess, "g1")}, at(10), "g1"},
		{"one nanosecond beyond: a new situation", []alarm.RecentRaise{recent(0, alarm.ClassProcess, "g1")}, at(10).Add(time.Nanosecond), alarm.Group(me)},
		{"a technical alarm is not part of the storm", []alarm.RecentRaise{recent(0, alarm.ClassTechnical, "g1")}, at(1), alarm.Group(me)},
		{"the nearest in time", []alarm.RecentRaise{recent(0, alarm.ClassProcess, "g1"), recent(8, alarm.ClassProcess, "g2")}, at(6), "g2"},
		{"the earlier on a tie", []alarm.RecentRaise{recent(8, alarm.ClassProcess, "g2"), recent(0, alarm.ClassProcess, "g1")}, at(4), "g1"},
		{"a late raise joins the situation it happened in", []alarm.RecentRaise{recent(30, alarm.ClassProcess, "g1")}, at(25), "g1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := alarm.GroupFor(tt.recent, me, alarm.ClassProcess, tt.at, window); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAFloodIsOneSituation(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	raise := func(c alarm.Condition, m int) alarm.Raised {
		tr := withCondition(trig(true, m, 6.1), c)
		return s.must(tr)[0].Changes()[0].(alarm.Raised)
	}
	// A storm: thresholds and rates in a chain of raises each within 10 min of the previous...
	storm := []alarm.Raised{
		raise("level:vigilance", 0), raise("rate_of_rise", 4), raise("level:alerte", 12), raise("time_to_spill", 20), raise("level:crise", 29),
	}
	// ...a gateway dying meanwhile, and the storm's last raise long after.
	stale := raise("stale:mejean.level", 13)
	after := raise("level:vigilance2", 60)
	for _, r := range storm {
		if r.Group != alarm.Group(storm[0].AlarmID) {
			t.Errorf("%s: got situation %s, want %s", r.AlarmID, r.Group, storm[0].AlarmID)
		}
	}
	if stale.Group != alarm.Group(stale.AlarmID) {
		t.Errorf("the technical alarm joined situation %s", stale.Group)
	}
	if after.Group != alarm.Group(after.AlarmID) {
		t.Errorf("a raise 31 min after the last joined situation %s", after.Group)
	}
	b := s.board()
	if got := len(b.Slots()); got != 7 {
		t.Errorf("got %d slots, want 7", got)
	}
	if got := len(b.Recent()); got != 7 {
		t.Errorf("got %d recent raises, want 7", got)
	}
}
