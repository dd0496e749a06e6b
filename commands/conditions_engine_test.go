package commands_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/sensor"
)

// The reference storm posted a year later by a gateway in batches of 200, through the ingester and
// the engine on the embedded store: each dam gets its alarms, with sensor times, in order.
func TestEngineReferenceStorm(t *testing.T) {
	t.Parallel()
	w := newAlarmWorld(t, t.TempDir(), at("02:00").AddDate(1, 0, 0))
	rows := readStorm(t)
	for i := 0; i < len(rows); i += 200 {
		w.ingest(items(rows[i:min(i+200, len(rows))])...)
	}
	w.sync()

	type raise struct {
		cond string
		at   time.Time
	}
	got := map[string][]raise{}
	for _, r := range w.raised() {
		got[string(r.Dam)] = append(got[string(r.Dam)], raise{string(r.Condition), r.At})
		if !r.Late {
			t.Errorf("%s: raised from data a year old but not late", r.AlarmID)
		}
	}
	want := map[string][]raise{
		"mejean": {
			{"rate_of_rise", at("02:17")}, {"level:vigilance", at("02:51")}, {"implausible:mejean.level", at("03:00")},
			{"time_to_spill", at("03:13")}, {"level:alerte", at("03:21")}, {"level:crise", at("03:49")},
		},
		"bassin-nord": {
			{"rate_of_rise", at("02:26")}, {"level:vigilance", at("03:04")}, {"time_to_spill", at("03:20")},
			{"level:alerte", at("03:33")}, {"level:crise", at("03:54")}, {"stale:bassin-nord.level", at("04:14")},
		},
		"barrage-est": {
			{"rate_of_rise", at("02:18")}, {"level:vigilance", at("02:45")}, {"time_to_spill", at("02:57")},
			{"level:alerte", at("03:09")}, {"level:crise", at("03:29")}, {"frozen:barrage-est.level", at("05:00")},
		},
	}
	for d, ws := range want {
		g := got[d]
		slices.SortStableFunc(g, func(a, b raise) int { return a.at.Compare(b.at) })
		if fmt.Sprint(g) != fmt.Sprint(ws) {
			t.Errorf("%s raised\n got %v\nwant %v", d, g, ws)
		}
	}

	// Episodes over by the end of the batch that revealed them are historical; the stale one is
	// 04:14-04:20, learnt in one batch.
	stale := w.status("bassin-nord~stale:bassin-nord.level~1")
	if !stale.Historical || stale.State != alarm.StateUnackRTN {
		t.Errorf("stale alarm: %+v, want historical and returned to normal", stale)
	}
	imp := w.status("mejean~implausible:mejean.level~1")
	if imp.State != alarm.StateUnackRTN || !imp.Historical {
		t.Errorf("implausible alarm: %+v", imp)
	}
	crise := w.status("mejean~level:crise~1")
	if crise.State != alarm.StateUnackRTN || crise.Historical {
		// raised live (active at the end of its batch), returned to normal later
		t.Errorf("crise alarm: %+v", crise)
	}
	// Nothing but the implausible alarm at 03:00 on Méjean.
	for _, r := range w.raised() {
		if r.Dam == "mejean" && r.At.Equal(at("03:00")) && r.Condition != "implausible:mejean.level" {
			t.Errorf("the spike raised %s", r.Condition)
		}
	}
	// Every engine event says what caused it.
	for _, e := range w.alarmEvents() {
		if e.rec.Meta.Actor != commands.EngineActor || !strings.HasPrefix(e.rec.Meta.CausationID, "log:") {
			t.Errorf("%s at %d: metadata %+v", e.rec.Type, e.rec.Position, e.rec.Meta)
		}
	}
}

// postStorm posts the reference storm in batches of 200, calling between(i) before batch i.
func postStorm(w *alarmWorld, between func(i int)) {
	rows := readStorm(w.t)
	for i, n := 0, 0; i < len(rows); i, n = i+200, n+1 {
		if between != nil {
			between(n)
		}
		w.ingest(items(rows[i:min(i+200, len(rows))])...)
		w.sync()
	}
}

// An append of the engine failing (before or after it is stored), or the engine restarting
// between two batches, leaves exactly the alarm streams an undisturbed run leaves: nothing lost,
// nothing twice.
func TestEngineRecoversExactlyOnce(t *testing.T) {
	t.Parallel()
	now := at("02:00").AddDate(1, 0, 0)
	ref := newAlarmWorld(t, t.TempDir(), now)
	postStorm(ref, nil)
	want := ref.streams()
	if len(want) < 20 {
		t.Fatalf("only %d alarm streams in the reference run", len(want))
	}
	tests := []struct {
		name  string
		opts  []func(*alarmWorld)
		inter func(w *alarmWorld, i int)
	}{
		{name: "restart between batches", inter: func(w *alarmWorld, i int) {
			if i%2 == 1 {
				w.close()
				w.open()
			}
		}},
		{name: "restart with checkpoints", opts: []func(*alarmWorld){func(w *alarmWorld) { w.checkpoints = &memCheckpoints{} }},
			inter: func(w *alarmWorld, i int) {
				if i%3 == 2 {
					w.close()
					w.open()
				}
			}},
	}
	for _, n := range []int{1, 2, 3, 5, 8, 13, 21, 34, 40} {
		for _, after := range []bool{false, true} {
			tests = append(tests, struct {
				name  string
				opts  []func(*alarmWorld)
				inter func(w *alarmWorld, i int)
			}{name: fmt.Sprintf("append %d fails (stored %v)", n, after), opts: []func(*alarmWorld){func(w *alarmWorld) {
				w.wrap = func(s eventstore.Store) eventstore.Store { return &flaky{Store: s, fail: n, after: after} }
			}}})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newAlarmWorld(t, t.TempDir(), now, tt.opts...)
			postStorm(w, func(i int) {
				if tt.inter != nil {
					tt.inter(w, i)
				}
			})
			got := w.streams()
			for s, evs := range want {
				if !slices.Equal(got[s], evs) {
					t.Errorf("stream %s:\n got %v\nwant %v", s, got[s], evs)
				}
			}
			for s := range got {
				if _, ok := want[s]; !ok {
					t.Errorf("extra stream %s: %v", s, got[s])
				}
			}
		})
	}
}

// live posts one reading of sensor at the clock's time, as a gateway reporting in real time.
func (w *alarmWorld) live(id sensor.ID, v float64) {
	w.ingest(commands.Item{Sensor: id, Time: w.clock.Now(), Value: v})
	w.sync()
}

func (w *alarmWorld) tick() {
	w.t.Helper()
	if err := w.engine.Tick(context.Background(), w.clock.Now()); err != nil {
		w.t.Fatal(err)
	}
	w.sync()
}

func (w *alarmWorld) advance(d time.Duration) { w.clock.Set(w.clock.Now().Add(d)) }

// A sensor reporting live that falls silent is stale once its delay has passed on the wall clock,
// and is back to normal at its next reading. Ticks before the delay change nothing.
func TestEngineLiveStale(t *testing.T) {
	t.Parallel()
	start := at("02:00")
	w := newAlarmWorld(t, t.TempDir(), start)
	for range 5 {
		w.live("bassin-nord.level", 0.5)
		w.advance(time.Minute)
	}
	last := w.clock.Now().Add(-time.Minute)
	tests := []struct {
		after  time.Duration // since the last reading
		action func()
		state  alarm.State
	}{
		{after: 10 * time.Minute, action: w.tick, state: alarm.StateNotRaised},
		{after: 15*time.Minute - time.Second, action: w.tick, state: alarm.StateNotRaised},
		{after: 15 * time.Minute, action: w.tick, state: alarm.StateUnackActive},
		{after: 16 * time.Minute, action: w.tick, state: alarm.StateUnackActive},
		{after: 17 * time.Minute, action: func() { w.live("bassin-nord.level", 0.6) }, state: alarm.StateUnackRTN},
	}
	for _, tt := range tests {
		w.clock.Set(last.Add(tt.after))
		tt.action()
		st := w.status("bassin-nord~stale:bassin-nord.level~1")
		if st.State != tt.state {
			t.Fatalf("%s after the last reading: %s, want %s", tt.after, st.State, tt.state)
		}
	}
	var r []alarm.Raised
	for _, x := range w.raised() {
		if x.Dam == "bassin-nord" {
			r = append(r, x)
		}
	}
	if len(r) != 1 || !r[0].At.Equal(last.Add(15*time.Minute)) || r[0].Late || r[0].Historical {
		t.Errorf("raised %+v: want one live stale alarm at the tick that found it", r)
	}
	// The other sensors never reported: stale once their delay ran from when monitoring began.
	if got := w.status("mejean~stale:mejean.level~1").State; got != alarm.StateUnackActive {
		t.Errorf("a sensor that never reported: %s", got)
	}
}

// Data a year old posted in batches, with the wall clock ticking between them, is judged on its
// own time: no sensor is stale between two batches; only the real dropout is. Once the posting
// stops, the silence is real and every sensor becomes stale.
func TestEngineReplayIsJudgedOnSensorTime(t *testing.T) {
	t.Parallel()
	w := newAlarmWorld(t, t.TempDir(), at("02:00").AddDate(1, 0, 0))
	w.advance(-time.Hour) // the engine started an hour before the replay
	w.close()
	w.open()
	w.advance(time.Hour)
	postStorm(w, func(int) {
		w.advance(20 * time.Second)
		w.tick()
	})
	var stale []string
	for _, r := range w.raised() {
		if r.Condition.Kind() == "stale" {
			stale = append(stale, string(r.AlarmID)+"@"+r.At.Format("15:04"))
		}
	}
	if want := []string{"bassin-nord~stale:bassin-nord.level~1@04:14"}; !slices.Equal(stale, want) {
		t.Fatalf("stale alarms %v, want %v", stale, want)
	}
	w.advance(16 * time.Minute)
	w.tick()
	for _, id := range []alarm.ID{"mejean~stale:mejean.level~1", "barrage-est~stale:barrage-est.level~1"} {
		if st := w.status(id); st.State != alarm.StateUnackActive || !st.Late || st.Historical {
			t.Errorf("%s after 16 min without data: %+v, want live (late: the data is a year old)", id, st)
		}
	}
	// Bassin Nord's stale alarm of the dropout was never acknowledged: it comes back (re-alarm), live.
	recs := w.records("alarm-bassin-nord~stale:bassin-nord.level~1")
	if last := recs[len(recs)-1]; last.Type != "alarm.reactivated" || strings.Contains(string(last.Data), "historical") {
		t.Errorf("bassin-nord's stale alarm ends with %s %s, want a live reactivation", last.Type, last.Data)
	}
}

// A raise while its sensor is out of service is born suppressed; returning the sensor to service
// shows it, unacknowledged.
func TestEngineRaisesSuppressedInMaintenance(t *testing.T) {
	t.Parallel()
	w := newAlarmWorld(t, t.TempDir(), at("02:00"))
	ctx := context.Background()
	if _, err := w.cmds.RemoveFromService(ctx, commands.RemoveFromService{Sensor: "mejean.level", By: "op", Reason: "étalonnage"}); err != nil {
		t.Fatal(err)
	}
	w.live("mejean.level", 3.2) // over vigilance
	id := alarm.ID("mejean~level:vigilance~1")
	if st := w.status(id); st.State != alarm.StateSuppressed {
		t.Fatalf("raised in maintenance: %s", st.State)
	}
	res, err := w.cmds.ReturnToService(ctx, commands.ReturnToService{Sensor: "mejean.level", By: "op"})
	if err != nil || !slices.Equal(res.Alarms, []alarm.ID{id}) {
		t.Fatalf("return to service: %+v %v", res, err)
	}
	if st := w.status(id); st.State != alarm.StateUnackActive {
		t.Fatalf("back in service: %s", st.State)
	}
}

// Operators acting on alarms while the engine records the storm: the engine decides again on
// conflicts and never stops; every stream stays a legal history.
func TestEngineRacesWithOperators(t *testing.T) {
	t.Parallel()
	w := newAlarmWorld(t, t.TempDir(), at("02:00").AddDate(1, 0, 0))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for ctx.Err() == nil {
				for _, r := range w.raised() {
					switch g {
					case 0:
						w.cmds.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: r.AlarmID, By: "op-durand", Via: alarm.ViaWeb})
					case 1:
						w.cmds.Comment(ctx, commands.CommentAlarm{AlarmID: r.AlarmID, By: "op-martin", Text: "suivi"})
					}
				}
			}
		})
	}
	rows := readStorm(t)
	for i := 0; i < len(rows); i += 50 {
		w.ingest(items(rows[i:min(i+50, len(rows))])...)
	}
	w.sync()
	cancel()
	wg.Wait()
	w.sync()
	raised := map[alarm.Condition]int{}
	for _, r := range w.raised() {
		raised[r.Condition]++
		st := w.status(r.AlarmID)
		if st.State == alarm.StateNotRaised {
			t.Errorf("%s: folded to not raised", r.AlarmID)
		}
	}
	// Acknowledged alarms that return to normal are over: a re-crossing opens the next
	// occurrence. The storm crosses each threshold up once, so each condition raised at least once.
	for _, c := range []alarm.Condition{"level:vigilance", "level:alerte", "level:crise", "rate_of_rise", "time_to_spill"} {
		if raised[c] < 3 {
			t.Errorf("%s raised %d times over three dams", c, raised[c])
		}
	}
}
