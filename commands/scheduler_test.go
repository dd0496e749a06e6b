package commands_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/event"
)

type fakeTicker struct {
	mu    sync.Mutex
	ticks []time.Time
	err   error
}

func (f *fakeTicker) Tick(_ context.Context, now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ticks = append(f.ticks, now)
	return f.err
}

// viewsOf lists the shelved alarms of the fixture's store as the alarm views would.
type viewsOf struct {
	f   *cmdFixture
	t   *testing.T
	ids []alarm.ID
}

func (v viewsOf) Alarms(_ context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	var out []readstore.AlarmView
	for _, id := range v.ids {
		st := statusIn(v.t, v.f, id)
		if !slices.Contains(q.States, string(st.State)) {
			continue
		}
		view := readstore.AlarmView{ID: string(id), State: string(st.State)}
		if st.Shelve != nil {
			view.Shelve = &readstore.AlarmShelve{By: string(st.Shelve.By), Reason: st.Shelve.Reason, Until: st.Shelve.Until, At: st.Shelve.At}
		}
		out = append(out, view)
	}
	return out, nil
}

// statusIn folds an alarm's stream of the fixture's store.
func statusIn(t *testing.T, f *cmdFixture, id alarm.ID) alarm.Status {
	t.Helper()
	a := alarm.New(id)
	for _, r := range f.stream(t, "alarm-"+string(id)) {
		e, err := f.codec.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		a.Load(r.Revision, []event.Event{e})
	}
	return a.Status()
}

func TestSchedulerExpiresDueShelves(t *testing.T) {
	t.Parallel()
	f := newCmdFixture(t, nil)
	ctx := context.Background()
	start := f.clock.Now()
	ids := []alarm.ID{"mejean~level:alerte~1", "mejean~level:crise~1"}
	for i, id := range ids {
		r := raisedAt(t0)
		r.AlarmID, r.Condition = id, alarm.Condition([]string{"level:alerte", "level:crise"}[i])
		f.given(t, "alarm-"+string(id), r)
		if _, err := f.h.Shelve(ctx, commands.ShelveAlarm{AlarmID: id, By: "op", Reason: "travaux", Until: start.Add(time.Duration(i+1) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	engine := &fakeTicker{}
	s, err := commands.NewScheduler(engine, viewsOf{f: f, t: t, ids: ids}, f.h, discard())
	if err != nil {
		t.Fatal(err)
	}
	ticks := make(chan time.Time)
	done := make(chan error)
	go func() { done <- s.Run(ctx, ticks) }()
	tests := []struct {
		after time.Duration
		want  []alarm.State
	}{
		{30 * time.Minute, []alarm.State{alarm.StateShelved, alarm.StateShelved}},
		{time.Hour, []alarm.State{alarm.StateUnackActive, alarm.StateShelved}},
		{2*time.Hour + time.Second, []alarm.State{alarm.StateUnackActive, alarm.StateUnackActive}},
	}
	for _, tt := range tests {
		now := start.Add(tt.after)
		f.clock.Set(now)
		ticks <- now
		ticks <- now // the second tick waits for the first round to end
		for i, id := range ids {
			if got := statusIn(t, f, id).State; got != tt.want[i] {
				t.Errorf("%s at +%s: %s, want %s", id, tt.after, got, tt.want[i])
			}
		}
	}
	close(ticks)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(engine.ticks) != 2*len(tests) || !engine.ticks[0].Equal(start.Add(30*time.Minute)) {
		t.Errorf("engine ticked at %v", engine.ticks)
	}
	// The expiry is recorded as the scheduler's.
	recs := f.stream(t, "alarm-"+string(ids[0]))
	if last := recs[len(recs)-1]; last.Type != "alarm.unshelved" || last.Meta.Actor != commands.SchedulerActor {
		t.Errorf("last event %s by %q", last.Type, last.Meta.Actor)
	}
}

func TestSchedulerReportsFailures(t *testing.T) {
	t.Parallel()
	f := newCmdFixture(t, nil)
	boom := errors.New("engine down")
	s, err := commands.NewScheduler(&fakeTicker{err: boom}, viewsOf{f: f, t: t}, f.h, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Tick(context.Background(), t0); !errors.Is(err, boom) {
		t.Fatalf("tick: %v, want %v", err, boom)
	}
	if _, err := commands.NewScheduler(nil, nil, nil, nil); err == nil {
		t.Fatal("nil dependencies accepted")
	}
}
