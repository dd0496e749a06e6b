package commands_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
)

func TestConnectivityWatch(t *testing.T) {
	t.Parallel()
	start := t0
	sec := func(n int) time.Time { return start.Add(time.Duration(n) * time.Second) }
	type obs struct {
		st     commands.SourceState
		now    time.Time
		want   bool // a trigger
		active bool
	}
	tests := []struct {
		name  string
		steps []obs
	}{
		{"connected at once: a clear, then nothing", []obs{
			{commands.SourceState{Connected: true, Since: sec(1)}, sec(1), true, false},
			{commands.SourceState{Connected: true, Since: sec(1)}, sec(5), false, false},
		}},
		{"never connected: nothing before the delay, raised at it exactly", []obs{
			{commands.SourceState{Since: start}, sec(0), false, false},
			{commands.SourceState{Since: start}, sec(29), false, false},
			{commands.SourceState{Since: start}, sec(30), true, true},
			{commands.SourceState{Since: start}, sec(90), false, false},
			{commands.SourceState{Connected: true, Since: sec(95)}, sec(95), true, false},
		}},
		{"a short outage raises nothing", []obs{
			{commands.SourceState{Connected: true, Since: start}, sec(0), true, false},
			{commands.SourceState{Since: sec(10)}, sec(39), false, false},
			{commands.SourceState{Connected: true, Since: sec(39)}, sec(40), false, false},
		}},
		{"an outage raises then clears", []obs{
			{commands.SourceState{Connected: true, Since: start}, sec(0), true, false},
			{commands.SourceState{Since: sec(10)}, sec(40), true, true},
			{commands.SourceState{Connected: true, Since: sec(50)}, sec(50), true, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := commands.NewConnectivityWatch(commands.ConnectivityRule{After: 30 * time.Second, Severity: dam.SeverityHigh})
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				tr, ok := w.Observe("opcua:plc", []dam.ID{"mejean"}, s.st, s.now)
				if ok != s.want || ok && tr.Active != s.active {
					t.Fatalf("step %d: got %v %+v, want trigger %v active %v", i, ok, tr, s.want, s.active)
				}
				if ok {
					if tr.Kind != condition.KindEndpointUnreachable || tr.Source != "opcua:plc" || !tr.At.Equal(s.now) || !tr.Since.Equal(s.st.Since) {
						t.Fatalf("step %d: trigger %+v", i, tr)
					}
					w.Recorded(tr)
				}
			}
		})
	}
	if _, err := commands.NewConnectivityWatch(commands.ConnectivityRule{}); err == nil {
		t.Error("a zero rule was accepted")
	}
}

func TestConnectivityWatchRetriesWhatWasNotRecorded(t *testing.T) {
	t.Parallel()
	w, _ := commands.NewConnectivityWatch(commands.ConnectivityRule{After: time.Second, Severity: dam.SeverityHigh})
	st := commands.SourceState{Since: t0}
	if _, ok := w.Observe("mqtt:main", nil, st, t0.Add(time.Second)); !ok {
		t.Fatal("no trigger")
	}
	// Not recorded (the store failed): the next observation gives it again.
	tr, ok := w.Observe("mqtt:main", nil, st, t0.Add(2*time.Second))
	if !ok || !tr.Active {
		t.Fatalf("got %v %+v, want the raise again", ok, tr)
	}
}

func TestRejectionWatch(t *testing.T) {
	t.Parallel()
	rule := commands.RejectionRule{Requests: 3, Window: time.Minute, Severity: dam.SeverityMedium}
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	tests := []struct {
		name   string
		at     []int // refusals from one key, seconds
		raised int   // index of the refusal that raises, -1 none
	}{
		{"two are not enough", []int{0, 1}, -1},
		{"the third within the window raises", []int{0, 1, 2, 3, 4}, 2},
		{"exactly one window apart counts", []int{0, 30, 60}, 2},
		{"spread wider than the window never raises", []int{0, 31, 62, 93, 124}, -1},
		{"a burst after slow ones raises", []int{0, 100, 200, 201, 202}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := commands.NewRejectionWatch(rule)
			if err != nil {
				t.Fatal(err)
			}
			raised := -1
			for i, s := range tt.at {
				if tr, ok := w.Rejected("addr:192.0.2.7", "401", sec(s)); ok {
					if raised >= 0 {
						t.Fatalf("raised twice (at %d and %d)", raised, i)
					}
					raised = i
					if !tr.Active || tr.Kind != condition.KindUnknownSensor || tr.Value != 3 || tr.Limit != 3 {
						t.Fatalf("trigger %+v", tr)
					}
				}
			}
			if raised != tt.raised {
				t.Fatalf("raised at refusal %d, want %d", raised, tt.raised)
			}
		})
	}
	t.Run("clears a whole window after the last refusal", func(t *testing.T) {
		t.Parallel()
		w, _ := commands.NewRejectionWatch(rule)
		for i := range 3 {
			w.Rejected("sensor:ghost.level", "unknown sensor", sec(i))
		}
		if got := w.Tick(sec(61)); len(got) != 0 {
			t.Fatalf("cleared before a whole window: %+v", got)
		}
		got := w.Tick(sec(62))
		if len(got) != 1 || got[0].Active || got[0].Source != "sensor:ghost.level" {
			t.Fatalf("tick: %+v, want one clear", got)
		}
		if got := w.Tick(sec(200)); len(got) != 0 {
			t.Fatalf("cleared twice: %+v", got)
		}
		// Forgotten: it takes three refusals again.
		if _, ok := w.Rejected("sensor:ghost.level", "unknown sensor", sec(300)); ok {
			t.Fatal("raised on the first refusal after clearing")
		}
	})
	t.Run("memory is bounded", func(t *testing.T) {
		t.Parallel()
		w, _ := commands.NewRejectionWatch(rule)
		for i := range 4200 {
			w.Rejected(fmt.Sprintf("addr:10.0.%d.%d", i/256, i%256), "401", sec(i))
		}
		if n := len(w.Tick(sec(5000))); n != 0 {
			t.Fatalf("%d clears for keys that never raised", n)
		}
	})
}

type sourceFixture struct {
	store  eventstore.Store
	alarms *commands.SourceAlarms
}

func newSourceFixture(t *testing.T) *sourceFixture {
	t.Helper()
	store, err := embedded.Open(t.TempDir(), embedded.Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		t.Fatal(err)
	}
	a, err := commands.NewSourceAlarms(store, codec, alarm.FloodRule{Window: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return &sourceFixture{store: store, alarms: a}
}

// streams returns, per stream, the event types recorded.
func (f *sourceFixture) streams(t *testing.T) map[string][]string {
	t.Helper()
	recs, err := f.store.ReadAll(context.Background(), 0, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range recs {
		out[r.Stream] = append(out[r.Stream], r.Type)
		if r.Meta.Actor != commands.SourceAlarmsActor {
			t.Errorf("%s recorded by %q", r.Type, r.Meta.Actor)
		}
	}
	return out
}

func TestSourceAlarmsRaiseOnEveryDamFedAndClear(t *testing.T) {
	t.Parallel()
	f := newSourceFixture(t)
	ctx := context.Background()
	down := commands.SourceTrigger{Dams: []dam.ID{"mejean", "est"}, Kind: condition.KindEndpointUnreachable, Source: "opcua:plc",
		Active: true, Severity: dam.SeverityHigh, Value: 31, Limit: 30, Unit: "s", Detail: "connection refused", At: t0, Since: t0.Add(-31 * time.Second)}
	if err := f.alarms.Record(ctx, down); err != nil {
		t.Fatal(err)
	}
	up := down
	up.Active, up.At, up.Since = false, t0.Add(time.Minute), t0.Add(time.Minute)
	if err := f.alarms.Record(ctx, up); err != nil {
		t.Fatal(err)
	}
	// A clear delivered twice changes nothing.
	if err := f.alarms.Record(ctx, up); err != nil {
		t.Fatal(err)
	}
	got := f.streams(t)
	for _, d := range []string{"mejean", "est"} {
		board := got["alarmboard-"+d]
		a := got["alarm-"+d+"~endpoint_unreachable:opcua:plc~1"]
		if fmt.Sprint(board) != "[alarmboard.slot_opened]" || fmt.Sprint(a) != "[alarm.raised alarm.returned_to_normal]" {
			t.Errorf("%s: board %v, alarm %v", d, board, a)
		}
	}
	if len(got) != 4 {
		t.Errorf("streams %v, want two boards and two alarms", got)
	}
}

func TestSourceAlarmsWithoutDamGoToTheSystemBoard(t *testing.T) {
	t.Parallel()
	f := newSourceFixture(t)
	tr := commands.SourceTrigger{Kind: condition.KindUnknownSensor, Source: "addr:192.0.2.7", Active: true, Severity: dam.SeverityMedium,
		Value: 20, Limit: 20, Unit: "requests", At: t0, Since: t0}
	if err := f.alarms.Record(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	got := f.streams(t)
	if a := got["alarm-_system~unknown_sensor:addr:192.0.2.7~1"]; fmt.Sprint(a) != "[alarm.raised]" {
		t.Fatalf("streams %v", got)
	}
	bad := tr
	bad.Kind = condition.KindStale
	if err := f.alarms.Record(context.Background(), bad); err == nil {
		t.Error("a sensor condition was recorded as a source alarm")
	}
}

type fakeSource struct {
	mu sync.Mutex
	st commands.SourceState
}

func (s *fakeSource) State() commands.SourceState { s.mu.Lock(); defer s.mu.Unlock(); return s.st }
func (s *fakeSource) set(st commands.SourceState) { s.mu.Lock(); s.st = st; s.mu.Unlock() }

func TestSourceMonitor(t *testing.T) {
	t.Parallel()
	f := newSourceFixture(t)
	c := &clock{t: t0}
	conn, _ := commands.NewConnectivityWatch(commands.ConnectivityRule{After: 10 * time.Second, Severity: dam.SeverityHigh})
	rej, _ := commands.NewRejectionWatch(commands.RejectionRule{Requests: 2, Window: time.Minute, Severity: dam.SeverityMedium})
	src := &fakeSource{st: commands.SourceState{Since: t0}}
	m, err := commands.NewSourceMonitor(f.alarms, conn, rej, []commands.WatchedSource{{Name: "mqtt:main", Dams: []dam.ID{"mejean"}, State: src.State}}, c.Now, discard())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m.Poll(ctx)
	c.Set(t0.Add(10 * time.Second))
	m.Rejected("addr:192.0.2.7", "invalid key")
	m.Rejected("addr:192.0.2.7", "invalid key")
	m.Poll(ctx)
	src.set(commands.SourceState{Connected: true, Since: t0.Add(11 * time.Second)})
	c.Set(t0.Add(2 * time.Minute))
	m.Poll(ctx)
	got := f.streams(t)
	want := map[string]string{
		"alarm-mejean~endpoint_unreachable:mqtt:main~1": "[alarm.raised alarm.returned_to_normal]",
		"alarm-_system~unknown_sensor:addr:192.0.2.7~1": "[alarm.raised alarm.returned_to_normal]",
	}
	for s, w := range want {
		if fmt.Sprint(got[s]) != w {
			t.Errorf("%s: %v, want %s (all: %v)", s, got[s], w, got)
		}
	}
}
