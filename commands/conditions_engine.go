package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// EngineActor is the actor of what the condition engine records.
const EngineActor = "system:alarm-engine"

// EngineCheckpoint names the engine's checkpoint in the read store.
const EngineCheckpoint = "alarm-engine.v1"

// Checkpoints keeps the engine's position (a subset of readstore.Store): an optional shortcut
// for restarts, never the truth (see ConditionEngine).
type Checkpoints interface {
	Checkpoint(ctx context.Context, projection string) (uint64, error)
	Commit(ctx context.Context, projection string, position uint64, b readstore.Batch) error
}

// EngineConfig is what the condition engine watches and how.
type EngineConfig struct {
	Dams []DamRules
	// LateAfter: a change learnt more than this after its sensor time is late (the ingestion's
	// late_after, so that monitors' changes and crossings agree).
	LateAfter time.Duration
	Flood     alarm.FloodRule
	// WarmUp is the sensor time of readings replayed into the monitors on (re)start; default
	// DefaultWarmUp, and never less than the longest window of a condition.
	WarmUp time.Duration
	// Checkpoints, when set, keeps the engine's position every CheckpointEvery positions
	// (default 1024) so that a restart replays less.
	Checkpoints     Checkpoints
	CheckpointEvery uint64
	// Sleep waits before recovering from a failure; default a timer. Tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
}

// ConditionEngine is the process manager that turns the log into alarms. It follows the log:
// each gauge append (readings and the crossings they caused, learnt together) feeds the
// per-sensor condition monitors and gives triggers, which the dam's alarm board routes to alarms
// (board appended first, then each alarm, as docs/alarms.md says). Tick adds what only the wall
// clock tells: a sensor silent for its stale delay.
//
// Its memory is in the log. Everything it appends carries the cause in its metadata
// (CausationID "log:<first>-<last>", the positions of the append that caused it, or "tick:<ns>"),
// and it works through the log in order, one cause at a time. On start it reads its own streams:
// every cause before the newest one it finds was fully recorded, so it resumes at that newest
// cause, which it completes stream by stream (a stream holding events of the cause already has
// them all: appends are atomic). Alarm ids being deterministic, nothing is raised twice. The
// monitors are rebuilt by replaying the last WarmUp of readings before that point; a checkpoint
// in the read store, when given, only shortens the replay.
type ConditionEngine struct {
	store eventstore.Store
	codec *eventstore.Codec
	cfg   EngineConfig
	now   func() time.Time
	log   *slog.Logger
	dams  map[dam.ID]bool

	mu      sync.Mutex
	running bool
	watches map[sensor.ID]*sensorWatch
	boards  map[dam.ID]*alarm.Board
	alarms  map[alarm.ID]*alarm.Alarm
	// position is the last log position handled; saved the last one checkpointed.
	position, saved uint64
	// head is the log's head when the run began: the engine is live once it got there.
	head uint64
	live bool
	// partial is the cause to complete first after a restart.
	partial string
	// restart ends the current subscription so that the engine recovers from the log again.
	restart context.CancelFunc
	// saves hands positions to checkpoint to keepCheckpoints (nil without Checkpoints).
	saves   chan uint64
	changed chan struct{}
}

// NewConditionEngine refuses nil dependencies and invalid rules.
func NewConditionEngine(store eventstore.Store, codec *eventstore.Codec, cfg EngineConfig, now func() time.Time, logger *slog.Logger) (*ConditionEngine, error) {
	var errs []error
	if store == nil {
		errs = append(errs, errors.New("event store is nil"))
	}
	if codec == nil {
		errs = append(errs, errors.New("codec is nil"))
	}
	if now == nil {
		errs = append(errs, errors.New("clock is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if cfg.LateAfter <= 0 {
		errs = append(errs, fmt.Errorf("late-after %s must be positive", cfg.LateAfter))
	}
	if cfg.Flood.Window < 0 {
		errs = append(errs, fmt.Errorf("flood window %s must be ≥ 0", cfg.Flood.Window))
	}
	if cfg.WarmUp < 0 {
		errs = append(errs, fmt.Errorf("warm-up %s must be ≥ 0", cfg.WarmUp))
	}
	dams := map[dam.ID]bool{}
	for _, r := range cfg.Dams {
		if err := r.Validate(); err != nil {
			errs = append(errs, err)
		}
		if dams[r.Dam.ID] {
			errs = append(errs, fmt.Errorf("dam %s: rules given twice", r.Dam.ID))
		}
		dams[r.Dam.ID] = true
	}
	if _, err := watchesFor(cfg.Dams); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new condition engine: %w", err)
	}
	if cfg.WarmUp == 0 {
		cfg.WarmUp = DefaultWarmUp
	}
	cfg.WarmUp = max(cfg.WarmUp, longestWindow(cfg.Dams))
	if cfg.CheckpointEvery == 0 {
		cfg.CheckpointEvery = 1024
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	return &ConditionEngine{store: store, codec: codec, cfg: cfg, now: now, log: logger, dams: dams, changed: make(chan struct{})}, nil
}

// longestWindow is twice the longest span of sensor time a condition looks back over: what the
// warm-up must at least replay for the monitors to be as they were.
func longestWindow(rules []DamRules) time.Duration {
	var d time.Duration
	for _, r := range rules {
		if r.RateOfRise != nil {
			d = max(d, r.RateOfRise.Window+r.RateOfRise.OnDelay+r.RateOfRise.OffDelay)
		}
		if r.TimeToSpill != nil {
			d = max(d, r.TimeToSpill.Window+r.TimeToSpill.OnDelay+r.TimeToSpill.OffDelay)
		}
		if r.Frozen != nil {
			d = max(d, r.Frozen.After+max(r.Frozen.TrendWindow, r.Frozen.After))
		}
		for _, s := range r.Sensors {
			d = max(d, s.Stale.After, s.Implausible.ClearDelay)
		}
	}
	return 2 * d
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errRecover ends a subscription so the engine recovers from the log (after a failed tick).
var errRecover = errors.New("recovery requested")

// Run follows the log until ctx ends (it then returns nil). A failure (the store unreachable, an
// append refused) is logged and the engine recovers from the log after a back-off, as after a
// restart: nothing is lost and nothing recorded twice.
func (e *ConditionEngine) Run(ctx context.Context) error {
	e.mu.Lock()
	if e.running {
		e.mu.Unlock()
		return errors.New("condition engine: already running")
	}
	e.running = true
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.running, e.live = false, false
		e.mu.Unlock()
	}()
	return followLog(ctx, "alarm engine", e.runOnce, e.cfg.Sleep, e.log)
}

// followLog runs once (a process manager following the log) until ctx ends, recovering after each
// failure as after a restart: at once when once asked for it (errRecover), else after a back-off
// doubling from 200 ms to 10 s. A closed store ends it with an error; ctx's end with nil.
func followLog(ctx context.Context, name string, once func(context.Context) error, sleep func(context.Context, time.Duration) error, log *slog.Logger) error {
	for failures := 0; ; {
		err := once(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, eventstore.ErrClosed) {
			return fmt.Errorf("%s: %w", name, err)
		}
		wait := time.Duration(0)
		if errors.Is(err, errRecover) {
			failures = 0
		} else {
			failures++
			wait = min(10*time.Second, 200*time.Millisecond<<min(failures-1, 6))
		}
		log.Warn(name+": recovering from the log", "err", err, "in", wait)
		if err := sleep(ctx, wait); err != nil {
			return nil
		}
	}
}

func (e *ConditionEngine) runOnce(ctx context.Context) error {
	sub, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var saves chan uint64
	if e.cfg.Checkpoints != nil {
		saves = make(chan uint64, 1)
		done := make(chan struct{})
		go func() { defer close(done); e.keepCheckpoints(sub, saves) }()
		defer func() { cancel(nil); <-done }()
	}
	e.mu.Lock()
	e.restart = func() { cancel(errRecover) }
	e.saves = saves
	e.mu.Unlock()
	after, err := e.recover(ctx)
	if err != nil {
		return err
	}
	err = e.store.Subscribe(sub, after, func(recs []eventstore.Record) error { return e.handle(sub, recs) })
	if cause := context.Cause(sub); errors.Is(cause, errRecover) && ctx.Err() == nil {
		return errRecover
	}
	return err
}

// Tick tells the engine the wall clock reads now: sensors silent for their stale delay become
// stale. It does nothing until the engine has caught up with the log.
func (e *ConditionEngine) Tick(ctx context.Context, now time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.live {
		return nil
	}
	byDam := map[dam.ID][]alarm.Trigger{}
	ids := make([]sensor.ID, 0, len(e.watches))
	for id := range e.watches {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		w := e.watches[id]
		if c, ok := w.tick(now); ok {
			byDam[w.dam] = append(byDam[w.dam], alarm.FromChange(w.dam, string(w.id), c, now.Sub(c.At) > e.cfg.LateAfter))
		}
	}
	cause := "tick:" + strconv.FormatInt(now.UnixNano(), 10)
	for _, d := range sortedKeys(byDam) {
		if err := e.decide(ctx, d, cause, "", byCondition(byDam[d]), false); err != nil {
			// The monitor moved on without its alarm: recover, and the monitors with it.
			if e.restart != nil {
				e.restart()
			}
			return fmt.Errorf("alarm engine tick at %s: %w", now.Format(time.RFC3339), err)
		}
	}
	return nil
}

// Position is the last log position the engine handled; live tells whether it has caught up
// with the log as it was when it started.
func (e *ConditionEngine) Position() (position uint64, live bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.position, e.live
}

// WaitFor blocks until the engine has handled position, or ctx ends.
func (e *ConditionEngine) WaitFor(ctx context.Context, position uint64) error {
	for {
		e.mu.Lock()
		ch, pos := e.changed, e.position
		e.mu.Unlock()
		if pos >= position {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("alarm engine: wait for position %d (at %d): %w", position, pos, ctx.Err())
		}
	}
}

// notify wakes WaitFor; called with e.mu held.
func (e *ConditionEngine) notify() {
	close(e.changed)
	e.changed = make(chan struct{})
}

// cause names what caused the engine's appends: the positions of a gauge append.
func logCause(first, last uint64) string { return fmt.Sprintf("log:%d-%d", first, last) }

// parseLogCause reads a log cause, ok=false for another kind of cause (a tick, an operator).
func parseLogCause(s string) (first, last uint64, ok bool) {
	rest, ok := strings.CutPrefix(s, "log:")
	if !ok {
		return 0, 0, false
	}
	a, b, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, 0, false
	}
	f, err1 := strconv.ParseUint(a, 10, 64)
	l, err2 := strconv.ParseUint(b, 10, 64)
	if err1 != nil || err2 != nil || f == 0 || l < f {
		return 0, 0, false
	}
	return f, l, true
}

// recover rebuilds the engine's memory from the log and returns the position to follow it from.
func (e *ConditionEngine) recover(ctx context.Context) (uint64, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	watches, err := watchesFor(e.cfg.Dams)
	if err != nil {
		return 0, err
	}
	e.watches, e.boards, e.alarms, e.live, e.partial = watches, map[dam.ID]*alarm.Board{}, map[alarm.ID]*alarm.Alarm{}, false, ""

	// The newest cause recorded, from the boards and the alarms of their slots: an append that
	// wrote to an alarm no longer in its slot also opened the next slot on the board.
	var newest string
	var newestFirst, newestLast uint64
	see := func(recs []eventstore.Record) {
		for _, r := range recs {
			if f, l, ok := parseLogCause(r.Meta.CausationID); ok && l > newestLast {
				newest, newestFirst, newestLast = r.Meta.CausationID, f, l
			}
		}
	}
	boardRecs := map[dam.ID][]eventstore.Record{}
	alarmRecs := map[alarm.ID][]eventstore.Record{}
	for _, d := range sortedKeys(e.dams) {
		recs, err := readRecords(ctx, e.store, boardStream(d))
		if err != nil {
			return 0, err
		}
		see(recs)
		boardRecs[d] = recs
		b, err := e.foldBoard(d, recs)
		if err != nil {
			return 0, err
		}
		e.boards[d] = b
		for _, id := range b.Slots() {
			recs, err := readRecords(ctx, e.store, alarmStream(id))
			if err != nil {
				return 0, err
			}
			see(recs)
			alarmRecs[id] = recs
			a, err := e.foldAlarm(id, recs)
			if err != nil {
				return 0, err
			}
			e.alarms[id] = a
		}
	}
	head, err := e.store.Head(ctx)
	if err != nil {
		return 0, fmt.Errorf("alarm engine: read the log's head: %w", err)
	}
	var checkpoint uint64
	if e.cfg.Checkpoints != nil {
		if checkpoint, err = e.cfg.Checkpoints.Checkpoint(ctx, EngineCheckpoint); err != nil {
			e.log.Warn("alarm engine: checkpoint unreadable, resuming from the alarm streams", "err", err)
			checkpoint = 0
		}
		if checkpoint > head {
			e.log.Warn("alarm engine: checkpoint beyond the log's head (views of another log?), ignored", "checkpoint", checkpoint, "head", head)
			checkpoint = 0
		}
	}
	after := checkpoint
	if newestLast > checkpoint {
		after, e.partial = newestFirst-1, newest
	}
	if err := e.warmUp(ctx, after, boardRecs); err != nil {
		return 0, err
	}
	start := e.now()
	for _, w := range e.watches {
		if w.heard.Before(start) {
			w.heard = start // silence counts from when we began listening
		}
		if w.newest.IsZero() {
			w.stale.Tick(start) // and for a sensor that never reported, from now
		}
	}
	e.position, e.saved, e.head = after, checkpoint, head
	e.live = after >= head
	e.notify()
	e.log.Info("alarm engine: resuming", "after", after, "head", head, "checkpoint", checkpoint, "completing", e.partial)
	// The monitors are as they were at the resume point: compare them with the alarms as they were
	// there too, before the cause being completed.
	boards := map[dam.ID]*alarm.Board{}
	alarms := map[alarm.ID]*alarm.Alarm{}
	for d, recs := range boardRecs {
		cut, _ := cutAt(recs, e.partial)
		if boards[d], err = e.foldBoard(d, recs[:cut]); err != nil {
			return 0, err
		}
	}
	for id, recs := range alarmRecs {
		cut, _ := cutAt(recs, e.partial)
		if alarms[id], err = e.foldAlarm(id, recs[:cut]); err != nil {
			return 0, err
		}
	}
	if err := e.reconcile(ctx, start, boards, alarms); err != nil {
		return 0, err
	}
	return after, nil
}

// warmUp rebuilds the monitors as they were at position upTo: it replays, in log order, the
// readings of every watched sensor recorded at or before upTo within WarmUp of each sensor's
// newest, and the stale activations the engine made on wall-clock ticks (recorded in the stale
// alarms with their tick cause), discarding what the monitors say. With both, the rebuilt monitors
// decide exactly as the ones that stopped, which completing a cause after a crash relies on.
func (e *ConditionEngine) warmUp(ctx context.Context, upTo uint64, boards map[dam.ID][]eventstore.Record) error {
	if upTo == 0 {
		return nil
	}
	var all []eventstore.Record
	for _, id := range sortedKeys(e.watches) {
		recs, err := e.tail(ctx, eventstore.StreamName(gauge.Category, string(id)), upTo)
		if err != nil {
			return err
		}
		all = append(all, recs...)
	}
	from := upTo
	for _, r := range all {
		from = min(from, r.Position)
	}
	ticks, err := e.tickActivations(ctx, from, upTo, boards)
	if err != nil {
		return err
	}
	all = append(all, ticks...)
	sort.Slice(all, func(i, j int) bool { return all[i].Position < all[j].Position })
	for _, r := range all {
		ev, err := e.codec.Decode(r)
		if err != nil {
			return fmt.Errorf("alarm engine: warm up: %w", err)
		}
		switch ev := ev.(type) {
		case gauge.ReadingsRecorded:
			if w := e.watches[ev.Sensor]; w != nil {
				for _, s := range ev.Readings {
					w.observe(s, r.RecordedAt)
				}
			}
		case alarm.Raised:
			e.replayTick(ev.Source, ev.Since, ev.At)
		case alarm.Reactivated:
			e.replayTick(ev.Source, ev.Since, ev.At)
		}
	}
	return nil
}

// tickActivations returns the raises and re-alarms of stale alarms the engine recorded on a
// wall-clock tick, in (from, upTo]. An occurrence is over before the next one opens, so only the
// current occurrences and those whose successor opened after from are read.
func (e *ConditionEngine) tickActivations(ctx context.Context, from, upTo uint64, boards map[dam.ID][]eventstore.Record) ([]eventstore.Record, error) {
	var out []eventstore.Record
	for _, d := range sortedKeys(boards) {
		var slots []alarm.SlotOpened
		var positions []uint64
		for _, r := range boards[d] {
			if r.Type != (alarm.SlotOpened{}).EventType() || r.Position > upTo {
				continue
			}
			ev, err := e.codec.Decode(r)
			if err != nil {
				return nil, fmt.Errorf("alarm engine: warm up: %w", err)
			}
			if slot := ev.(alarm.SlotOpened); slot.Condition.Kind() == condition.KindStale {
				slots, positions = append(slots, slot), append(positions, r.Position)
			}
		}
		for i, slot := range slots {
			if next := slices.IndexFunc(slots[i+1:], func(s alarm.SlotOpened) bool { return s.Condition == slot.Condition }); next >= 0 && positions[i+1+next] <= from {
				continue
			}
			recs, err := readRecords(ctx, e.store, alarmStream(slot.AlarmID))
			if err != nil {
				return nil, err
			}
			for _, a := range recs {
				if a.Position <= upTo && strings.HasPrefix(a.Meta.CausationID, "tick:") &&
					(a.Type == (alarm.Raised{}).EventType() || a.Type == (alarm.Reactivated{}).EventType()) {
					out = append(out, a)
				}
			}
		}
	}
	return out, nil
}

// replayTick makes a stale monitor active as the tick that was recorded did: its silence began at
// since minus the delay, and it was judged at.
func (e *ConditionEngine) replayTick(source string, since, at time.Time) {
	w := e.watches[sensor.ID(source)]
	if w == nil || w.stale.Active() {
		return
	}
	if w.newest.IsZero() {
		w.stale.Tick(since.Add(-w.after)) // a sensor that never reported: silence from that tick
	}
	w.stale.Tick(at)
}

// tail returns the ReadingsRecorded records of stream at or before position upTo covering the
// last WarmUp of sensor time, oldest first.
func (e *ConditionEngine) tail(ctx context.Context, stream string, upTo uint64) ([]eventstore.Record, error) {
	n, err := streamLength(ctx, e.store, stream)
	if err != nil {
		return nil, err
	}
	const page = 256
	var out []eventstore.Record
	var newest, oldest time.Time
	for end := n; end > 0; {
		start := end - min(end, page)
		recs, err := e.store.ReadStream(ctx, stream, start, int(end-start))
		if err != nil {
			return nil, fmt.Errorf("alarm engine: read %s from %d: %w", stream, start, err)
		}
		var kept []eventstore.Record
		for _, r := range recs {
			if r.Position > upTo || r.Type != (gauge.ReadingsRecorded{}).EventType() {
				continue
			}
			ev, err := e.codec.Decode(r)
			if err != nil {
				return nil, fmt.Errorf("alarm engine: read %s: %w", stream, err)
			}
			for _, s := range ev.(gauge.ReadingsRecorded).Readings {
				if s.T.After(newest) {
					newest = s.T
				}
				if oldest.IsZero() || s.T.Before(oldest) {
					oldest = s.T
				}
			}
			kept = append(kept, r)
		}
		out = append(kept, out...)
		if !newest.IsZero() && newest.Sub(oldest) >= e.cfg.WarmUp {
			break
		}
		end = start
	}
	return out, nil
}

// streamLength finds how many events a stream holds with the port's forward reads only.
func streamLength(ctx context.Context, store eventstore.Store, stream string) (uint64, error) {
	exists := func(rev uint64) (bool, error) {
		recs, err := store.ReadStream(ctx, stream, rev, 1)
		if err != nil {
			return false, fmt.Errorf("alarm engine: probe %s at %d: %w", stream, rev, err)
		}
		return len(recs) > 0, nil
	}
	ok, err := exists(0)
	if err != nil || !ok {
		return 0, err
	}
	lo, hi := uint64(0), uint64(1) // lo exists; hi is probed
	for {
		ok, err := exists(hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo, hi = hi, hi*2
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := exists(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1, nil
}

// reconcile makes the rebuilt monitors agree with the alarms in progress: an alarm its monitor
// would never end (rebuilt inactive from the readings replayed, or made stale by a wall-clock
// tick before the restart) is ended or kept ending as it would have.
func (e *ConditionEngine) reconcile(ctx context.Context, now time.Time, boards map[dam.ID]*alarm.Board, alarms map[alarm.ID]*alarm.Alarm) error {
	byDam := map[dam.ID][]alarm.Trigger{}
	for _, id := range sortedKeys(e.watches) {
		w := e.watches[id]
		b := boards[w.dam]
		for _, k := range []condition.Kind{condition.KindStale, condition.KindImplausible, condition.KindRateOfRise, condition.KindTimeToSpill, condition.KindFrozen} {
			m := w.monitor(k)
			if m == nil || m.Active() {
				continue
			}
			cond := alarm.NewCondition(k, "")
			if !k.Process() {
				cond = alarm.NewCondition(k, string(w.id))
			}
			a := alarms[b.Slot(cond)]
			if a == nil {
				continue
			}
			st := a.Status()
			if st.State == alarm.StateClosed || !slices.Contains(st.Sources, string(w.id)) {
				continue
			}
			switch k {
			case condition.KindStale:
				at := w.newest
				if at.IsZero() {
					at = now
					w.stale.Tick(at)
				}
				w.stale.Tick(at.Add(w.after))
			case condition.KindFrozen:
				if w.hasLastUsable {
					v := w.lastUsable
					w.orphanFrozen = &v
				}
			default:
				at := w.newest
				if at.IsZero() {
					at = now
				}
				byDam[w.dam] = append(byDam[w.dam], alarm.Trigger{
					Dam: w.dam, Condition: cond, Source: string(w.id), Active: false, Severity: st.Severity, Value: st.Peak, At: at, Since: at,
					Detail: "re-evaluated on restart from the readings kept: the condition no longer holds",
				})
			}
		}
	}
	cause := "restart:" + strconv.FormatInt(now.UnixNano(), 10)
	for _, d := range sortedKeys(byDam) {
		if err := e.decide(ctx, d, cause, "", byCondition(byDam[d]), false); err != nil {
			return err
		}
	}
	return nil
}

// handle takes one subscription batch. The records of one append are decided together, so a
// batch that ends inside an append is completed by reading ahead.
func (e *ConditionEngine) handle(ctx context.Context, recs []eventstore.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := 0
	for i < len(recs) && recs[i].Position <= e.position {
		i++ // read ahead with the previous batch
	}
	recs = recs[i:]
	if len(recs) == 0 {
		return nil
	}
	groups := splitAppends(recs)
	last := groups[len(groups)-1]
	if strings.HasPrefix(last[0].Stream, gauge.Category+"-") {
		more, err := e.readAhead(ctx, last[len(last)-1])
		if err != nil {
			return err
		}
		groups[len(groups)-1] = append(last, more...)
	}
	for _, g := range groups {
		if err := e.handleAppend(ctx, g); err != nil {
			return err
		}
		e.position = g[len(g)-1].Position
		e.notify()
	}
	if !e.live && e.position >= e.head {
		e.live = true
		e.log.Info("alarm engine: caught up with the log", "position", e.position)
	}
	if e.saves != nil && e.position-e.saved >= e.cfg.CheckpointEvery {
		select {
		case e.saves <- e.position:
			e.saved = e.position
		default: // the previous save is still being written: the next batch tries again
		}
	}
	return nil
}

// keepCheckpoints writes the positions handle hands over, off the engine's path: the checkpoint
// only shortens a restart, so a slow read store must not delay an alarm.
func (e *ConditionEngine) keepCheckpoints(ctx context.Context, saves <-chan uint64) {
	for {
		select {
		case <-ctx.Done():
			return
		case pos := <-saves:
			if err := e.cfg.Checkpoints.Commit(ctx, EngineCheckpoint, pos, readstore.Batch{}); err != nil && ctx.Err() == nil {
				e.log.Warn("alarm engine: could not keep the checkpoint (a restart replays more)", "err", err)
			}
		}
	}
}

// sameAppend reports whether b follows a in the same append.
func sameAppend(a, b eventstore.Record) bool {
	return a.Stream == b.Stream && b.Revision == a.Revision+1 && b.Position == a.Position+1 && a.RecordedAt.Equal(b.RecordedAt)
}

func splitAppends(recs []eventstore.Record) [][]eventstore.Record {
	var out [][]eventstore.Record
	start := 0
	for i := 1; i <= len(recs); i++ {
		if i == len(recs) || !sameAppend(recs[i-1], recs[i]) {
			out = append(out, recs[start:i:i])
			start = i
		}
	}
	return out
}

// readAhead returns the records after last that belong to its append: none when last is the
// log's head, since an append becomes visible whole.
func (e *ConditionEngine) readAhead(ctx context.Context, last eventstore.Record) ([]eventstore.Record, error) {
	if head, err := e.store.Head(ctx); err == nil && head <= last.Position {
		return nil, nil
	}
	var out []eventstore.Record
	for {
		recs, err := e.store.ReadAll(ctx, last.Position, 64)
		if err != nil {
			return nil, fmt.Errorf("alarm engine: read ahead after %d: %w", last.Position, err)
		}
		for _, r := range recs {
			if !sameAppend(last, r) {
				return out, nil
			}
			out = append(out, r)
			last = r
		}
		if len(recs) < 64 {
			return out, nil
		}
	}
}

// condBatch is the changes of one condition of one dam learnt together, in order.
type condBatch struct {
	cond     alarm.Condition
	triggers []alarm.Trigger
}

func byCondition(ts []alarm.Trigger) []condBatch {
	var out []condBatch
	for _, t := range ts {
		i := slices.IndexFunc(out, func(b condBatch) bool { return b.cond == t.Condition })
		if i < 0 {
			out = append(out, condBatch{cond: t.Condition})
			i = len(out) - 1
		}
		out[i].triggers = append(out[i].triggers, t)
	}
	return out
}

// handleAppend feeds one append of the log to the engine.
func (e *ConditionEngine) handleAppend(ctx context.Context, g []eventstore.Record) error {
	stream := g[0].Stream
	switch {
	case strings.HasPrefix(stream, alarm.BoardCategory+"-"), strings.HasPrefix(stream, alarm.Category+"-"):
		e.invalidate(g)
		return nil
	case !strings.HasPrefix(stream, gauge.Category+"-"):
		return nil
	}
	byDam := map[dam.ID][]alarm.Trigger{}
	for _, r := range g {
		if r.Type != (gauge.ReadingsRecorded{}).EventType() && r.Type != (gauge.ThresholdCrossed{}).EventType() {
			continue
		}
		ev, err := e.codec.Decode(r)
		if err != nil {
			// A record this build cannot read must not stop every alarm: say so loudly and go on.
			e.log.Error("alarm engine: event skipped", "position", r.Position, "err", err)
			continue
		}
		switch ev := ev.(type) {
		case gauge.ReadingsRecorded:
			w := e.watches[ev.Sensor]
			if w == nil {
				continue
			}
			for _, s := range ev.Readings {
				for _, c := range w.observe(s, r.RecordedAt) {
					byDam[w.dam] = append(byDam[w.dam], alarm.FromChange(w.dam, string(w.id), c, r.RecordedAt.Sub(c.At) > e.cfg.LateAfter))
				}
			}
		case gauge.ThresholdCrossed:
			if !e.dams[ev.Dam] {
				e.log.Warn("alarm engine: crossing on a dam without alarm rules, ignored", "dam", ev.Dam, "sensor", ev.Sensor, "position", r.Position)
				continue
			}
			byDam[ev.Dam] = append(byDam[ev.Dam], alarm.FromCrossing(ev))
		}
	}
	if len(byDam) == 0 {
		return nil
	}
	first, last := g[0].Position, g[len(g)-1].Position
	cause := logCause(first, last)
	recovering := e.partial == cause
	if recovering {
		e.partial = ""
	}
	for _, d := range sortedKeys(byDam) {
		if err := e.decide(ctx, d, cause, g[0].Meta.CorrelationID, byCondition(byDam[d]), recovering); err != nil {
			return err
		}
	}
	return nil
}

// invalidate drops cached aggregates another writer (an operator, the cascade) has moved on.
func (e *ConditionEngine) invalidate(g []eventstore.Record) {
	last := g[len(g)-1]
	if d, ok := strings.CutPrefix(last.Stream, alarm.BoardCategory+"-"); ok {
		if b := e.boards[dam.ID(d)]; b != nil && b.Revision() < int64(last.Revision) {
			delete(e.boards, dam.ID(d))
		}
		return
	}
	id := alarm.ID(strings.TrimPrefix(last.Stream, alarm.Category+"-"))
	if a := e.alarms[id]; a != nil && a.Revision() < int64(last.Revision) {
		delete(e.alarms, id)
	}
}

// decide routes a dam's condition changes through its board and records what they change. A
// conflict (an operator acting meanwhile) or a failed append is decided again from the store.
func (e *ConditionEngine) decide(ctx context.Context, d dam.ID, cause, correlation string, batches []condBatch, recovering bool) error {
	meta := eventstore.Metadata{Actor: EngineActor, CausationID: cause, CorrelationID: correlation}
	for attempt := 1; ; attempt++ {
		var err error
		if recovering {
			err = e.decideFromStore(ctx, d, meta, batches)
		} else {
			err = e.decideCached(ctx, d, meta, batches)
		}
		if err == nil {
			return nil
		}
		e.forget(d)
		if !errors.Is(err, eventstore.ErrConflict) || attempt > maxConflictRetries {
			return fmt.Errorf("alarm engine: decide alarms of %s (%s): %w", d, cause, err)
		}
		e.log.Info("alarm engine: concurrent change on an alarm stream, deciding again", "dam", d, "cause", cause, "attempt", attempt)
		recovering = true
	}
}

func (e *ConditionEngine) decideCached(ctx context.Context, d dam.ID, meta eventstore.Metadata, batches []condBatch) error {
	board, err := e.board(ctx, d)
	if err != nil {
		return err
	}
	var touched []*alarm.Alarm
	for _, b := range batches {
		cur, err := e.alarm(ctx, board.Slot(b.cond))
		if err != nil {
			return err
		}
		out, err := board.Observe(cur, b.triggers...)
		if errors.Is(err, alarm.ErrInvalidTrigger) {
			e.log.Error("alarm engine: changes refused", "dam", d, "condition", b.cond, "err", err)
			continue
		}
		if err != nil {
			return err
		}
		for _, a := range out {
			if !slices.Contains(touched, a) {
				touched = append(touched, a)
			}
			e.alarms[a.ID()] = a
		}
	}
	return recordDecision(ctx, e.store, e.codec, d, board, touched, meta)
}

// stored is a stream read back for a decision made again: the aggregate folded up to the first
// event of the cause, whether the cause is already recorded there, and the stream's revision.
type stored struct {
	done bool
	end  int64
}

// decideFromStore decides a cause again from the streams as stored and appends only to the
// streams that do not hold its events yet. Each stream is folded up to the first event of the
// cause, so the decision is the one that was made before.
func (e *ConditionEngine) decideFromStore(ctx context.Context, d dam.ID, meta eventstore.Metadata, batches []condBatch) error {
	defer e.forget(d)
	recs, err := readRecords(ctx, e.store, boardStream(d))
	if err != nil {
		return err
	}
	cut, bs := cutAt(recs, meta.CausationID)
	board, err := e.foldBoard(d, recs[:cut])
	if err != nil {
		return err
	}
	states := map[alarm.ID]stored{}
	load := func(id alarm.ID) (*alarm.Alarm, error) {
		recs, err := readRecords(ctx, e.store, alarmStream(id))
		if err != nil {
			return nil, err
		}
		cut, st := cutAt(recs, meta.CausationID)
		states[id] = st
		return e.foldAlarm(id, recs[:cut])
	}
	var touched []*alarm.Alarm
	for _, b := range batches {
		cur, err := load(board.Slot(b.cond))
		if err != nil {
			return err
		}
		out, err := board.Observe(cur, b.triggers...)
		if errors.Is(err, alarm.ErrInvalidTrigger) {
			e.log.Error("alarm engine: changes refused", "dam", d, "condition", b.cond, "err", err)
			continue
		}
		if err != nil {
			return err
		}
		for _, a := range out {
			if _, ok := states[a.ID()]; !ok {
				// A next occurrence: its stream is empty, or holds this cause's events.
				stored, err := load(a.ID())
				if err != nil {
					return err
				}
				if st := states[a.ID()]; !st.done && stored.Revision() >= 0 {
					// The board and the alarm streams disagree: this decision is not the one made
					// before the crash. Keep what is stored rather than raise the alarm twice.
					e.log.Error("alarm engine: completing a cause would raise an alarm that exists; kept as stored",
						"alarm", a.ID(), "cause", meta.CausationID)
					st.done = true
					states[a.ID()] = st
				}
			}
			if !slices.Contains(touched, a) {
				touched = append(touched, a)
			}
		}
	}
	if !bs.done && len(board.Changes()) > 0 {
		if _, err := e.append(ctx, boardStream(d), bs.end, board.Changes(), meta); err != nil {
			return err
		}
	}
	for _, a := range touched {
		if st := states[a.ID()]; !st.done {
			if _, err := e.append(ctx, alarmStream(a.ID()), st.end, a.Changes(), meta); err != nil {
				return err
			}
		}
	}
	return nil
}

// cutAt returns the index of the first record caused by cause (len(recs) if none) and what the
// stream holds of it.
func cutAt(recs []eventstore.Record, cause string) (int, stored) {
	st := stored{end: int64(len(recs)) - 1}
	if cause == "" {
		return len(recs), st
	}
	for i, r := range recs {
		if r.Meta.CausationID == cause {
			st.done = true
			return i, st
		}
	}
	return len(recs), st
}

func (e *ConditionEngine) append(ctx context.Context, stream string, revision int64, changes []event.Event, meta eventstore.Metadata) (eventstore.AppendResult, error) {
	return appendChanges(ctx, e.store, e.codec, stream, revision, changes, meta)
}

// board returns the dam's board, from memory or the store.
func (e *ConditionEngine) board(ctx context.Context, d dam.ID) (*alarm.Board, error) {
	if b := e.boards[d]; b != nil {
		return b, nil
	}
	recs, err := readRecords(ctx, e.store, boardStream(d))
	if err != nil {
		return nil, err
	}
	b, err := e.foldBoard(d, recs)
	if err != nil {
		return nil, err
	}
	e.boards[d] = b
	return b, nil
}

// alarm returns an alarm, from memory or the store (a new one if its stream is empty).
func (e *ConditionEngine) alarm(ctx context.Context, id alarm.ID) (*alarm.Alarm, error) {
	if a := e.alarms[id]; a != nil {
		return a, nil
	}
	recs, err := readRecords(ctx, e.store, alarmStream(id))
	if err != nil {
		return nil, err
	}
	a, err := e.foldAlarm(id, recs)
	if err != nil {
		return nil, err
	}
	e.alarms[id] = a
	return a, nil
}

func (e *ConditionEngine) foldBoard(d dam.ID, recs []eventstore.Record) (*alarm.Board, error) {
	b, err := alarm.NewBoard(d, e.cfg.Flood)
	if err != nil {
		return nil, err
	}
	history, err := decodeRecords(e.codec, recs)
	if err != nil {
		return nil, err
	}
	if len(recs) > 0 {
		b.Load(recs[len(recs)-1].Revision, history)
	}
	return b, nil
}

func (e *ConditionEngine) foldAlarm(id alarm.ID, recs []eventstore.Record) (*alarm.Alarm, error) {
	a := alarm.New(id)
	history, err := decodeRecords(e.codec, recs)
	if err != nil {
		return nil, err
	}
	if len(recs) > 0 {
		a.Load(recs[len(recs)-1].Revision, history)
	}
	return a, nil
}

// forget drops the cached board of a dam and its alarms: they are read again when next needed.
func (e *ConditionEngine) forget(d dam.ID) {
	delete(e.boards, d)
	prefix := string(d) + "~"
	for id := range e.alarms {
		if strings.HasPrefix(string(id), prefix) {
			delete(e.alarms, id)
		}
	}
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
