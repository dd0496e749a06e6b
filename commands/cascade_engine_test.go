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
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/catalog"
)

// fakeChannels plays the notify pipeline: it records every send and reports an outcome to the
// engine, sent (with a provider reference) unless the channel is set to fail for good.
type fakeChannels struct {
	mu     sync.Mutex
	engine *commands.CascadeEngine
	sends  []cascade.NotificationRequested
	failOn map[cascade.Channel]string
	// down: the channel takes nothing and reports no outcome (a send without a result).
	down bool
}

func (f *fakeChannels) Send(ctx context.Context, n cascade.NotificationRequested) error {
	f.mu.Lock()
	if f.down {
		f.mu.Unlock()
		return fmt.Errorf("channel down")
	}
	f.sends = append(f.sends, n)
	reason, fail := f.failOn[n.Channel]
	f.mu.Unlock()
	o := cascade.Outcome{NotificationID: n.NotificationID, Status: cascade.OutcomeSent, ProviderRef: "ref-" + n.NotificationID}
	if fail {
		o = cascade.Outcome{NotificationID: n.NotificationID, Status: cascade.OutcomeFailed, Reason: reason}
	}
	return f.engine.RecordOutcome(ctx, o)
}

func (f *fakeChannels) sent() []cascade.NotificationRequested {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sends)
}

type cascadeWorld struct {
	t        *testing.T
	dir      string
	store    *embedded.Store
	codec    *eventstore.Codec
	clock    *clock
	cmds     *commands.AlarmCommands
	channels *fakeChannels
	engine   *commands.CascadeEngine
	stop     func()
}

func newCascadeWorld(t *testing.T) *cascadeWorld {
	w := &cascadeWorld{t: t, dir: t.TempDir(), clock: &clock{t: t0}, channels: &fakeChannels{failOn: map[cascade.Channel]string{}}}
	w.start()
	t.Cleanup(w.close)
	return w
}

// start opens the store and runs a new engine on it, as a restart of vigie does.
func (w *cascadeWorld) start() {
	t := w.t
	t.Helper()
	store, err := embedded.Open(w.dir, embedded.Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	w.store = store
	if w.codec, err = eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters()); err != nil {
		t.Fatal(err)
	}
	cfg := nimesConfig(t)
	if w.cmds, err = commands.NewAlarmCommands(store, w.codec, cfg.Dams(), alarm.FloodRule{Window: 10 * time.Minute}, w.clock.Now); err != nil {
		t.Fatal(err)
	}
	setup, err := cfg.CascadeSetup()
	if err != nil {
		t.Fatal(err)
	}
	w.engine, err = commands.NewCascadeEngine(store, w.codec, commands.CascadeConfig{Setup: setup, Dams: cfg.Dams(), Retry: time.Millisecond},
		w.cmds, w.channels, nil, w.clock.Now, discard())
	if err != nil {
		t.Fatal(err)
	}
	w.channels.mu.Lock()
	w.channels.engine = w.engine
	w.channels.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.engine.Run(ctx) }()
	w.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("engine: %v", err)
		}
		store.Close()
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := w.engine.WaitLive(wctx); err != nil {
		t.Fatalf("engine not live: %v", err)
	}
}

func (w *cascadeWorld) close() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
}

func (w *cascadeWorld) restart() {
	w.close()
	w.start()
}

func (w *cascadeWorld) raise(id alarm.ID) {
	w.t.Helper()
	r := raisedAt(w.clock.Now())
	r.AlarmID, r.Group = id, alarm.Group(id)
	enc, err := w.codec.Encode(r, eventstore.Metadata{Actor: "test"})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.store.Append(context.Background(), "alarm-"+string(id), eventstore.NoStream, enc); err != nil {
		w.t.Fatal(err)
	}
}

// advance moves the clock and has the engine look at it.
func (w *cascadeWorld) advance(d time.Duration) {
	w.clock.Set(w.clock.Now().Add(d))
	if err := w.engine.Tick(context.Background(), w.clock.Now()); err != nil {
		w.t.Fatal(err)
	}
}

// eventually waits until cond holds, failing with what describes the state otherwise.
func (w *cascadeWorld) eventually(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			w.t.Fatalf("timed out waiting for %s; cascade stream: %v; sends: %v", what, types(w.stream(cascadeStream)), sendsOf(w.channels.sent()))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (w *cascadeWorld) stream(name string) []eventstore.Record {
	recs, err := w.store.ReadStream(context.Background(), name, 0, 10000)
	if err != nil {
		w.t.Fatal(err)
	}
	return recs
}

func (w *cascadeWorld) count(stream, typ string) int {
	n := 0
	for _, r := range w.stream(stream) {
		if r.Type == typ {
			n++
		}
	}
	return n
}

const cascadeStream = "cascade-" + string(alarmID)

func sendsOf(ns []cascade.NotificationRequested) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%s/%s/step%d", n.Operator, n.Channel, n.Step))
	}
	return out
}

// The reference cascade: step 1 pages the on-call operator by SMS and voice, nobody answers, five
// minutes later step 2 pages the next one, whose SMS reply acknowledges the alarm and stops it.
func TestCascadeEngineEscalatesAndStopsOnSMSReply(t *testing.T) {
	w := newCascadeWorld(t)
	w.raise(alarmID)
	w.eventually("step 1 sent on sms and voice", func() bool { return len(w.channels.sent()) == 2 })
	got := sendsOf(w.channels.sent())
	slices.Sort(got)
	// 2025-10-10 falls in a week of op-martin's (op-durand took the week of 2025-01-06).
	oncall := w.channels.sent()[0].Operator
	if want := []string{string(oncall) + "/sms/step1", string(oncall) + "/voice/step1"}; !slices.Equal(got, want) {
		t.Fatalf("step 1 sends %v, want %v", got, want)
	}
	w.eventually("outcomes recorded", func() bool { return w.count(cascadeStream, "cascade.notification_sent") == 2 })
	w.eventually("alarm at level 1", func() bool { return w.count("alarm-"+string(alarmID), "alarm.escalated") == 1 })

	w.advance(4*time.Minute + 59*time.Second)
	if n := len(w.channels.sent()); n != 2 {
		t.Fatalf("%d sends before the wait is over, want 2", n)
	}
	w.advance(time.Second)
	w.eventually("step 2 sent", func() bool { return len(w.channels.sent()) == 4 })
	next := w.channels.sent()[3].Operator
	if next == oncall {
		t.Fatalf("step 2 paged %s again, want the next operator in the rotation", next)
	}
	w.eventually("alarm at level 2", func() bool { return w.count("alarm-"+string(alarmID), "alarm.escalated") == 2 })

	phone := map[alarm.OperatorID]string{"op-durand": "+33600000001", "op-martin": "+33600000002"}[next]
	if err := w.engine.Reply(context.Background(), phone, "ok "+cascade.ReplyCode(alarmID), w.clock.Now()); err != nil {
		t.Fatalf("reply: %v", err)
	}
	w.eventually("cascade stopped", func() bool { return w.count(cascadeStream, "cascade.stopped") == 1 })
	recs := w.stream("alarm-" + string(alarmID))
	ack := recs[len(recs)-1]
	if ack.Type != "alarm.acknowledged" || ack.Meta.Actor != string(next) {
		t.Fatalf("last alarm event %s by %s, want alarm.acknowledged by %s", ack.Type, ack.Meta.Actor, next)
	}
	w.advance(30 * time.Minute)
	time.Sleep(20 * time.Millisecond)
	if n := len(w.channels.sent()); n != 4 {
		t.Fatalf("%d sends after the acknowledgement, want 4: %v", n, sendsOf(w.channels.sent()))
	}
}

// A restart during the wait: the step fires at its time, and nothing sent is sent again.
func TestCascadeEngineResumesAfterRestart(t *testing.T) {
	w := newCascadeWorld(t)
	w.raise(alarmID)
	w.eventually("step 1 recorded as sent", func() bool { return w.count(cascadeStream, "cascade.notification_sent") == 2 })
	w.advance(2 * time.Minute)
	w.restart()
	w.advance(2 * time.Minute)
	time.Sleep(20 * time.Millisecond)
	if n := len(w.channels.sent()); n != 2 {
		t.Fatalf("%d sends after a restart before the wait is over, want 2: %v", n, sendsOf(w.channels.sent()))
	}
	w.advance(time.Minute)
	w.eventually("step 2 after the restart", func() bool { return len(w.channels.sent()) == 4 })
	w.restart()
	w.advance(time.Second)
	time.Sleep(20 * time.Millisecond)
	if n := len(w.channels.sent()); n != 4 {
		t.Fatalf("%d sends after a second restart, want 4: %v", n, sendsOf(w.channels.sent()))
	}
	if n := w.count(cascadeStream, "cascade.notification_requested"); n != 4 {
		t.Fatalf("%d requests recorded, want 4", n)
	}
}

// A request recorded while its channel could not take it (down, or the process died before the
// send) is sent once the engine is back, exactly once.
func TestCascadeEngineSendsWhatWasPendingAtTheCrash(t *testing.T) {
	w := newCascadeWorld(t)
	w.channels.mu.Lock()
	w.channels.down = true
	w.channels.mu.Unlock()
	w.raise(alarmID)
	w.eventually("requests recorded", func() bool { return w.count(cascadeStream, "cascade.notification_requested") == 2 })
	w.restart()
	w.channels.mu.Lock()
	w.channels.down = false
	w.channels.mu.Unlock()
	w.advance(time.Second)
	w.eventually("sent after the restart", func() bool { return w.count(cascadeStream, "cascade.notification_sent") == 2 })
	sent := map[string]int{}
	for _, n := range w.channels.sent() {
		sent[n.NotificationID]++
	}
	if len(sent) != 2 {
		t.Fatalf("sends %v, want the 2 notifications once each", sent)
	}
}

// A channel failing for good falls back to the recipient's next one; the failure is recorded
// with its reason.
func TestCascadeEngineFallsBackOnFailure(t *testing.T) {
	w := newCascadeWorld(t)
	w.channels.mu.Lock()
	w.channels.failOn[cascade.ChannelVoice] = "no answer"
	w.channels.mu.Unlock()
	w.raise(alarmID)
	w.eventually("failure recorded", func() bool { return w.count(cascadeStream, "cascade.notification_failed") == 1 })
	for _, r := range w.stream(cascadeStream) {
		if r.Type == "cascade.notification_failed" && !strings.Contains(string(r.Data), "no answer") {
			t.Errorf("failure recorded without its reason: %s", r.Data)
		}
	}
	if n := w.count(cascadeStream, "cascade.step_started"); n != 1 {
		t.Errorf("%d steps started, want 1: the SMS got through, the step waits for an answer", n)
	}
}

// When nobody of a step can be reached on any channel, the next step starts at once instead of
// waiting for an acknowledgement that cannot come.
func TestCascadeEngineSkipsAnUnreachableStep(t *testing.T) {
	w := newCascadeWorld(t)
	w.channels.mu.Lock()
	w.channels.failOn[cascade.ChannelVoice] = "busy"
	w.channels.failOn[cascade.ChannelSMS] = "HTTP 500 from the gateway, gave up after 5 attempts"
	w.channels.mu.Unlock()
	w.raise(alarmID)
	w.eventually("step 2 at once", func() bool { return w.count(cascadeStream, "cascade.step_started") >= 2 })
	if n := w.count(cascadeStream, "cascade.step_unreachable"); n < 1 {
		t.Errorf("no step_unreachable recorded")
	}
}

// An engine that does not run (another node's, with no broker to forward to the leader) takes an
// operator's SMS reply from the log: it finds the cascade in progress the reply is about and
// acknowledges the alarm; the leader sees the acknowledgement and stops the cascade.
func TestIdleCascadeEngineTakesAReply(t *testing.T) {
	w := newCascadeWorld(t)
	w.raise(alarmID)
	// The alarm's slot on its dam's board, as the condition engine opens it: where an engine
	// looks for the alarms in progress.
	slot, err := w.codec.Encode(alarm.SlotOpened{Dam: "mejean", Condition: "level:alerte", Occurrence: 1, AlarmID: alarmID, Group: alarm.Group(alarmID), At: w.clock.Now()}, eventstore.Metadata{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.Append(context.Background(), "alarmboard-mejean", eventstore.NoStream, slot); err != nil {
		t.Fatal(err)
	}
	w.eventually("step 1 sent", func() bool { return w.count(cascadeStream, "cascade.notification_sent") == 2 })
	oncall := w.channels.sent()[0].Operator
	setup, err := nimesConfig(t).CascadeSetup()
	if err != nil {
		t.Fatal(err)
	}
	idle, err := commands.NewCascadeEngine(w.store, w.codec, commands.CascadeConfig{Setup: setup, Dams: nimesConfig(t).Dams()},
		w.cmds, w.channels, nil, w.clock.Now, discard())
	if err != nil {
		t.Fatal(err)
	}
	phone := map[alarm.OperatorID]string{"op-durand": "+33600000001", "op-martin": "+33600000002"}[oncall]
	if err := idle.Reply(context.Background(), phone, "OK", w.clock.Now()); err != nil {
		t.Fatalf("reply: %v", err)
	}
	w.eventually("cascade stopped by the leader", func() bool { return w.count(cascadeStream, "cascade.stopped") == 1 })
	recs := w.stream("alarm-" + string(alarmID))
	if ack := recs[len(recs)-1]; ack.Type != "alarm.acknowledged" || ack.Meta.Actor != string(oncall) {
		t.Fatalf("last alarm event %s by %s, want alarm.acknowledged by %s", ack.Type, ack.Meta.Actor, oncall)
	}
	if st, err := idle.Status(context.Background(), alarmID); err != nil || st.Running {
		t.Fatalf("the idle engine's view of the cascade: %+v %v, want stopped", st, err)
	}
}
