package replay_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/commands/replay"
	"github.com/vigie/vigie/domain/setup"
)

// liveService is the service as `vigie serve` wires it, on a fake clock: it records the
// configuration, lets the gauges record the thresholds in force, runs the condition engine, and
// the cascade (the domain saga, as the replay's stand-in for the cascade engine). A restart with
// another configuration stops the engine and builds everything again on the same log, as a
// process restarting does; the cascades go on from the log.
type liveService struct {
	t       *testing.T
	store   eventstore.Store
	codec   *eventstore.Codec
	clock   *replay.Clock
	ing     *commands.Ingester
	engine  *commands.ConditionEngine
	cascade replay.Cascade
	stop    func()
}

func (l *liveService) start(ctx context.Context, cfg *config.Config, source string) {
	t := l.t
	t.Helper()
	s := setupOf(t, cfg, true)
	rec, err := commands.NewConfigRecorder(l.store, l.codec, l.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	doc, digest := cfg.Document()
	actor := "config:" + source
	if _, err := rec.Handle(ctx, commands.ApplyConfig{Source: source, Actor: actor, Digest: digest, Document: doc}); err != nil {
		t.Fatal(err)
	}
	if l.ing, err = commands.NewIngester(l.store, l.codec, s.Gauges, l.clock.Now, discard()); err != nil {
		t.Fatal(err)
	}
	if err := l.ing.Configure(ctx, actor); err != nil {
		t.Fatal(err)
	}
	if l.engine, err = commands.NewConditionEngine(l.store, l.codec, s.Engine, l.clock.Now, discard()); err != nil {
		t.Fatal(err)
	}
	alarms, err := commands.NewAlarmCommands(l.store, l.codec, s.Dams, s.Engine.Flood, l.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	next, err := s.Cascade(replay.CascadeEnv{Store: l.store, Codec: l.codec, Alarms: alarms, Clock: l.clock, Log: discard()})
	if err != nil {
		t.Fatal(err)
	}
	if l.cascade != nil {
		if err := next.(replay.Handover).TakeOver(l.cascade); err != nil {
			t.Fatal(err)
		}
	}
	l.cascade = next
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func(e *commands.ConditionEngine) { done <- e.Run(runCtx) }(l.engine)
	l.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for _, live := l.engine.Position(); !live; _, live = l.engine.Position() {
		if time.Now().After(deadline) {
			t.Fatal("the condition engine did not catch up")
		}
		time.Sleep(time.Millisecond) // the engine has no "live" notification; poll with a deadline
	}
}

// settle lets the engine and the cascade handle everything logged so far, the engine's
// decisions on it included.
func (l *liveService) settle(ctx context.Context) {
	l.t.Helper()
	var head uint64
	for range 2 { // the second time, what the engine decided on the first head
		var err error
		if head, err = l.store.Head(ctx); err != nil {
			l.t.Fatal(err)
		}
		if err := l.engine.WaitFor(ctx, head); err != nil {
			l.t.Fatal(err)
		}
	}
	if err := l.cascade.Follow(ctx, head, l.clock.Now()); err != nil {
		l.t.Fatal(err)
	}
}

// at moves the clock to t, the cascade's timers due by then firing first, as they would live.
func (l *liveService) at(ctx context.Context, t time.Time) {
	l.t.Helper()
	if err := l.cascade.Due(ctx, t); err != nil {
		l.t.Fatal(err)
	}
	l.settle(ctx)
	l.clock.Set(t)
}

// recordWithChange records the reference storm as the service does with cfg1, restarted with
// cfg2 at the sensor time change: each reading posted alone 7 s after it was taken.
func recordWithChange(t *testing.T, cfg1, cfg2 *config.Config, change time.Time) *embedded.Store {
	t.Helper()
	ctx := context.Background()
	rows := readStorm(t)
	clock := &replay.Clock{}
	st, err := embedded.Open(filepath.Join(t.TempDir(), "live"), embedded.Options{Now: clock.Now}, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l := &liveService{t: t, store: st, codec: newCodec(t), clock: clock}
	clock.Set(rows[0].at.Add(-30 * time.Minute))
	l.start(ctx, cfg1, "file:/etc/vigie/nimes.yaml")
	restarted := false
	for i, r := range rows {
		if !restarted && !r.at.Before(change) {
			l.at(ctx, change)
			l.stop()
			l.start(ctx, cfg2, "file:/etc/vigie/nimes.yaml")
			restarted = true
		}
		l.at(ctx, r.at.Add(7*time.Second))
		if _, err := l.ing.Handle(ctx, commands.IngestReadings{
			Items: []commands.Item{{Sensor: r.sensor, Time: r.at, Value: r.value}},
			Actor: "apikey:gw-" + string(r.sensor), CorrelationID: "req-" + strconv.Itoa(i+1),
		}); err != nil {
			t.Fatal(err)
		}
		l.settle(ctx)
	}
	l.stop()
	if !restarted {
		t.Fatalf("the storm ends before %s", change)
	}
	return st
}

// A configuration change recorded in the middle of the storm (every threshold 0.5 m lower from
// 05:00) takes effect in the replay at its recorded time, as it did in the service: the replay
// with the recorded configuration makes exactly the recorded alarm, board and cascade decisions.
// Replayed with either configuration throughout, it does not.
func TestReplayFollowsAConfigurationChangedMidStorm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg1, cfg2 := nimes(t), lowered(t, 0.5)
	change := time.Date(2025, 10, 10, 5, 0, 0, 0, time.UTC)
	src := recordWithChange(t, cfg1, cfg2, change)

	var changes []setup.ConfigApplied
	follow := func(c setup.ConfigApplied) (replay.Setup, bool, error) {
		changes = append(changes, c)
		cfg, err := config.Parse("recorded "+c.Digest, c.Document)
		if err != nil {
			return replay.Setup{}, false, err
		}
		return setupOf(t, cfg, true), true, nil
	}
	res, err := replay.Run(ctx, src, newCodec(t), setupOf(t, cfg1, true), replay.Options{Open: scratchIn(t.TempDir()), Reconfigure: follow}, discard())
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || res.Restarts != 2 {
		t.Fatalf("followed %d configuration changes, restarted %d times; want 2 and 2", len(changes), res.Restarts)
	}
	if _, d2 := cfg2.Document(); changes[1].Digest != d2 || changes[1].At.Before(change) {
		t.Fatalf("second change: %s at %s, want the lowered configuration at %s", changes[1].Digest, changes[1].At, change)
	}
	if diff := replay.Diff(res.Recorded, res.Replayed); len(diff) > 0 {
		t.Fatalf("%d streams differ; first:\n%s", len(diff), diff[0])
	}
	alarms, calls, after := 0, 0, 0
	for _, a := range res.Replayed.Alarms() {
		alarms++
		calls += len(a.Calls)
		if !a.Raised.Before(change) {
			after++
		}
	}
	if alarms < 10 || calls == 0 || after == 0 {
		t.Fatalf("%d alarms (%d after the change), %d notifications: the storm should page people on both sides of the change", alarms, after, calls)
	}

	// The change matters: either configuration throughout decides otherwise.
	for name, cfg := range map[string]*config.Config{"the first": cfg1, "the lowered": cfg2} {
		res := runReplay(t, src, setupOf(t, cfg, true), replay.Options{Open: scratchIn(t.TempDir())})
		if len(replay.Diff(res.Recorded, res.Replayed)) == 0 {
			t.Errorf("replayed with %s configuration throughout, the decisions are the recorded ones: the change did not matter", name)
		}
	}
}

// A pending configuration (recorded by the editor, in force at the next start) is not applied
// by the replay; a Reconfigure error stops the replay and says which configuration.
func TestReplaySkipsPendingConfigurationAndReportsBadOnes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := nimes(t)
	rows := readStorm(t)[:30]
	doc, digest := cfg.Document()
	src := sourceLog(t, t.TempDir(), cfg, rows, []scripted{{
		at: rows[10].at, stream: setup.Stream, actor: "user:admin",
		e: setup.ConfigApplied{Source: "file:x.yaml", Digest: digest, Actor: "user:admin", At: rows[10].at, Document: doc, TimeScale: 1, Pending: true},
	}})
	defer src.Close()
	calls := 0
	res, err := replay.Run(ctx, src, newCodec(t), setupOf(t, cfg, false), replay.Options{Open: scratchIn(t.TempDir()),
		Reconfigure: func(c setup.ConfigApplied) (replay.Setup, bool, error) {
			calls++
			if c.Pending {
				t.Error("Reconfigure was given a pending configuration")
			}
			return replay.Setup{}, false, nil
		}}, discard())
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || res.Restarts != 0 {
		t.Errorf("Reconfigure called %d times, %d restarts; want 1 (the configuration in force) and 0", calls, res.Restarts)
	}
	bad := errors.New("does not parse")
	_, err = replay.Run(ctx, src, newCodec(t), setupOf(t, cfg, false), replay.Options{Open: scratchIn(t.TempDir()),
		Reconfigure: func(setup.ConfigApplied) (replay.Setup, bool, error) { return replay.Setup{}, false, bad }}, discard())
	if !errors.Is(err, bad) {
		t.Errorf("a configuration that cannot be replayed: %v, want %v", err, bad)
	}
}
