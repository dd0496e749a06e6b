package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// What the engine remembers of finished work, at most: a receipt for a message older than the
// last maxRefs sent is ignored (a provider sends it within minutes), an event of a cascade over
// and forgotten beyond the last maxDone is read again from the log.
const (
	maxRefs = 100_000
	maxDone = 10_000
)

// CascadeCheckpoint names the cascade engine's checkpoint in the read store.
const CascadeCheckpoint = "cascade-engine.v1"

// Sender hands one requested notification to its channel. It returns once the outcome is
// recorded through the engine's RecordOutcome (the notify pipeline's recorder), or with an error
// when no outcome is known (ctx ended, the channel not configured): the engine sends it again
// later, and the pipeline's dedup (the engine's Sent) keeps that from paging twice.
type Sender interface {
	Send(ctx context.Context, n cascade.NotificationRequested) error
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, n cascade.NotificationRequested) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, n cascade.NotificationRequested) error {
	return f(ctx, n)
}

// AlarmActions are the alarm commands the cascade engine sends (AlarmCommands).
type AlarmActions interface {
	Escalate(ctx context.Context, cmd EscalateAlarm) (AlarmResult, error)
	Acknowledge(ctx context.Context, cmd AcknowledgeAlarm) (AlarmResult, error)
	Comment(ctx context.Context, cmd CommentAlarm) (AlarmResult, error)
}

// DamNow is what is known of a dam now, for the messages: level, fill, time to spill.
type DamNow struct {
	Level, Fill *float64
	TimeToSpill time.Duration
	Spilling    bool
}

// DamNowSource tells the state of a dam (the level views); ok false when nothing is known.
type DamNowSource interface {
	DamNow(ctx context.Context, d dam.ID) (DamNow, bool)
}

// CascadeConfig is what the cascade engine needs besides its ports.
type CascadeConfig struct {
	Setup cascade.Setup
	// Dams are the configured dams: their boards are read at start-up to find the cascades in
	// progress, and their names go into the messages.
	Dams []dam.Dam
	// Checkpoints, when set, keeps the engine's position so a restart does not re-read the log.
	Checkpoints Checkpoints
	// Retry is the wait before a notification whose send failed without an outcome is sent again;
	// default 5 s.
	Retry time.Duration
	// Sleep waits between recoveries (tests make it instant); default sleepCtx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Log, when set, is where the engine follows the log from (a bus.LogSource: the alarm and
	// cascade events forwarded to a notifier in another process); default the event store.
	Log LogFollower
	// Settled, when set, is told each notification whose outcome (sent, delivered, failed) the
	// engine sees in the log: a Sender that hands notifications to workers in other processes
	// (jobs.Queue) waits on it.
	Settled func(notificationID string)
}

// LogFollower delivers the log after a position, in order, as eventstore.Store.Subscribe does.
type LogFollower interface {
	Subscribe(ctx context.Context, after uint64, fn func([]eventstore.Record) error) error
}

// CascadeEngine runs the cascade saga (domain/cascade) against the log: it feeds it the alarm
// events in stream order, fires its timers (StepScheduled) when due, hands the notifications it
// requests to the Sender and records their outcomes, escalates the alarm to each step's level, and
// turns operators' replies (SMS, keypad, e-mail link) into acknowledgements.
//
// Its memory is the log. At start it loads the cascades of the alarms on the dams' boards and
// follows the log from its checkpoint; every decision is idempotent, so re-reading events after a
// crash records nothing twice, and a timer that came due while it was down fires at once. It never
// pages while catching up: notifications are sent once it is live, and only for cascades still
// running then, so replaying an old storm wakes nobody.
type CascadeEngine struct {
	store   eventstore.Store
	codec   *eventstore.Codec
	cfg     CascadeConfig
	alarms  AlarmActions
	sender  Sender
	damNow  DamNowSource
	now     func() time.Time
	log     *slog.Logger
	names   map[dam.ID]string
	byPhone map[string][]alarm.OperatorID

	wake chan struct{}
	wg   sync.WaitGroup

	mu       sync.Mutex
	running  bool
	live     bool
	position uint64
	saved    uint64
	ctx      context.Context // the run's, for the sends started from a decision
	entries  map[alarm.ID]*cascadeEntry
	folded   map[alarm.ID]*foldedAlarm
	refs     *bounded[string, string]        // provider reference -> notification id, the last maxRefs
	inflight map[string]bool                 // notification ids being sent
	reserved []cascade.NotificationRequested // decided, marked in flight, not yet handed to a send
	done     *bounded[alarm.ID, int64]       // cascades over and forgotten, at their last revision
	retryAt  map[string]time.Time
	waiters  []chan struct{}
}

// cascadeEntry is one cascade as the log has it, with what the saga does not expose: the
// notifications it requested and which of them are settled.
type cascadeEntry struct {
	c        *cascade.Cascade
	requests map[string]cascade.NotificationRequested
	order    []string // request ids in log order
	settled  map[string]bool
	sent     map[string]bool
	// delivered and failed (with the reason) as the log tells, for the screens.
	delivered map[string]bool
	failed    map[string]string
}

// foldedAlarm is an alarm folded up to revision, with the figures of its last trigger.
type foldedAlarm struct {
	a        *alarm.Alarm
	revision int64
	value    float64
	limit    float64
	unit     string
	since    time.Time
}

// NewCascadeEngine checks its dependencies. damNow may be nil (messages then carry no level).
func NewCascadeEngine(store eventstore.Store, codec *eventstore.Codec, cfg CascadeConfig, alarms AlarmActions, sender Sender, damNow DamNowSource, now func() time.Time, logger *slog.Logger) (*CascadeEngine, error) {
	var errs []error
	if store == nil {
		errs = append(errs, errors.New("event store is nil"))
	}
	if codec == nil {
		errs = append(errs, errors.New("codec is nil"))
	}
	if alarms == nil {
		errs = append(errs, errors.New("alarm actions are nil"))
	}
	if sender == nil {
		errs = append(errs, errors.New("sender is nil"))
	}
	if now == nil {
		errs = append(errs, errors.New("clock is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if err := cfg.Setup.Directory.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("directory: %w", err))
	}
	for _, p := range cfg.Setup.Policies {
		if err := p.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("policy %s: %w", p.ID, err))
		}
	}
	if cfg.Retry < 0 {
		errs = append(errs, fmt.Errorf("retry %s is negative", cfg.Retry))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new cascade engine: %w", err)
	}
	if cfg.Retry == 0 {
		cfg.Retry = 5 * time.Second
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	e := &CascadeEngine{
		store: store, codec: codec, cfg: cfg, alarms: alarms, sender: sender, damNow: damNow, now: now, log: logger,
		names: map[dam.ID]string{}, byPhone: map[string][]alarm.OperatorID{}, wake: make(chan struct{}, 1), inflight: map[string]bool{},
		// Recorded outcomes and answers may come before Run's first recovery (a bus delivers
		// what waited for the new leader): the maps exist from the start.
		entries: map[alarm.ID]*cascadeEntry{}, folded: map[alarm.ID]*foldedAlarm{}, refs: newBounded[string, string](maxRefs),
		retryAt: map[string]time.Time{}, done: newBounded[alarm.ID, int64](maxDone),
	}
	for _, d := range cfg.Dams {
		e.names[d.ID] = d.Name
	}
	for _, o := range cfg.Setup.Directory.Operators {
		if o.Phone != "" {
			e.byPhone[o.Phone] = append(e.byPhone[o.Phone], o.ID)
		}
	}
	return e, nil
}

// Run follows the log and fires the timers until ctx ends (it then returns nil, once the sends in
// progress have stopped). A failure is logged and the engine recovers from the log after a
// back-off, as after a restart.
func (e *CascadeEngine) Run(ctx context.Context) error {
	e.mu.Lock()
	if e.running {
		e.mu.Unlock()
		return errors.New("cascade engine: already running")
	}
	e.running = true
	e.mu.Unlock()
	defer func() {
		e.wg.Wait()
		e.mu.Lock()
		e.running, e.live = false, false
		e.mu.Unlock()
	}()
	return followLog(ctx, "cascade engine", e.runOnce, e.cfg.Sleep, e.log)
}

func (e *CascadeEngine) runOnce(ctx context.Context) error {
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	after, head, err := e.recover(sub)
	if err != nil {
		return err
	}
	timers := make(chan error, 1)
	go func() { timers <- e.timers(sub) }()
	defer func() { cancel(); <-timers }()
	if after >= head {
		e.goLive(sub)
	}
	var follow LogFollower = e.store
	if e.cfg.Log != nil {
		follow = e.cfg.Log
	}
	return follow.Subscribe(sub, after, func(recs []eventstore.Record) error {
		if err := e.handle(sub, recs); err != nil {
			return err
		}
		if !e.isLive() && recs[len(recs)-1].Position >= head {
			e.goLive(sub)
		}
		return nil
	})
}

// recover forgets everything, loads the cascades of the alarms on the boards and returns the
// position to follow the log from, and the log's head.
func (e *CascadeEngine) recover(ctx context.Context) (after, head uint64, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.live, e.ctx = false, ctx
	e.entries, e.folded = map[alarm.ID]*cascadeEntry{}, map[alarm.ID]*foldedAlarm{}
	// inflight is kept: sends started before a recovery are still running, and sending their
	// notifications again now would page twice.
	e.refs, e.retryAt, e.reserved, e.done = newBounded[string, string](maxRefs), map[string]time.Time{}, nil, newBounded[alarm.ID, int64](maxDone)
	if head, err = e.store.Head(ctx); err != nil {
		return 0, 0, fmt.Errorf("cascade engine: read the log's head: %w", err)
	}
	if e.cfg.Checkpoints != nil {
		if after, err = e.cfg.Checkpoints.Checkpoint(ctx, CascadeCheckpoint); err != nil {
			e.log.Warn("cascade engine: checkpoint unreadable, reading the log from the start", "err", err)
			after = 0
		}
		if after > head {
			e.log.Warn("cascade engine: checkpoint beyond the log's head (views of another log?), ignored", "checkpoint", after, "head", head)
			after = 0
		}
	}
	if err := e.loadBoardsLocked(ctx); err != nil {
		return 0, 0, err
	}
	e.position, e.saved = after, after
	e.log.Info("cascade engine: resuming", "after", after, "head", head, "cascades", len(e.entries))
	return after, head, nil
}

// loadBoardsLocked loads the cascades of the alarms on the dams' boards: those that may be in
// progress.
func (e *CascadeEngine) loadBoardsLocked(ctx context.Context) error {
	for _, d := range e.cfg.Dams {
		recs, err := readRecords(ctx, e.store, boardStream(d.ID))
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			continue
		}
		evs, err := decodeRecords(e.codec, recs)
		if err != nil {
			return err
		}
		b, err := alarm.NewBoard(d.ID, alarm.FloodRule{})
		if err != nil {
			return err
		}
		b.Load(recs[len(recs)-1].Revision, evs)
		for _, id := range b.Slots() {
			if _, err := e.entry(ctx, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// lookIdle prepares an engine that does not run (a node that does not lead the notifications,
// with no broker to forward to the one that does) to answer an operator's reply or a receipt:
// it loads the cascades in progress from the log. The returned function forgets them again.
func (e *CascadeEngine) lookIdle(ctx context.Context) (func(), error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running {
		return func() {}, nil
	}
	if err := e.loadBoardsLocked(ctx); err != nil {
		return func() {}, fmt.Errorf("cascade engine: load the cascades in progress: %w", err)
	}
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if !e.running {
			e.entries, e.folded, e.refs = map[alarm.ID]*cascadeEntry{}, map[alarm.ID]*foldedAlarm{}, newBounded[string, string](maxRefs)
		}
	}, nil
}

// goLive starts sending what the cascades still running have requested and not settled.
func (e *CascadeEngine) goLive(ctx context.Context) {
	e.mu.Lock()
	e.live = true
	sends := e.outstandingLocked(e.now())
	for _, w := range e.waiters {
		close(w)
	}
	e.waiters = nil
	pos := e.position
	// Steps started while catching up escalated nothing: make sure each running cascade's alarm
	// is at its step's level (idempotent).
	levels := map[alarm.ID]int{}
	for id, en := range e.entries {
		if st := en.c.Status(); st.Running && st.Step != nil {
			levels[id] = st.Step.Step
		}
	}
	e.mu.Unlock()
	e.log.Info("cascade engine: live", "position", pos, "to_send", len(sends))
	e.startSends(ctx, sends)
	for _, id := range sortedKeys(levels) {
		if _, err := e.alarms.Escalate(ctx, EscalateAlarm{AlarmID: id, Level: levels[id]}); err != nil && ctx.Err() == nil {
			e.log.Warn("cascade engine: alarm not escalated", "alarm", id, "level", levels[id], "err", err)
		}
	}
	e.poke()
}

func (e *CascadeEngine) isLive() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.live
}

// Position is the last log position handled, and whether the engine has caught up with the log.
func (e *CascadeEngine) Position() (uint64, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.position, e.live
}

// WaitLive returns once the engine has caught up with the log (or ctx ends).
func (e *CascadeEngine) WaitLive(ctx context.Context) error {
	e.mu.Lock()
	if e.live {
		e.mu.Unlock()
		return nil
	}
	w := make(chan struct{})
	e.waiters = append(e.waiters, w)
	e.mu.Unlock()
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// handle takes a batch of the log: alarm events feed the sagas; cascade events written elsewhere
// (or before a restart) load their cascade.
func (e *CascadeEngine) handle(ctx context.Context, recs []eventstore.Record) error {
	alarmPrefix := alarm.Category + "-"
	cascadePrefix := cascade.Category + "-"
	for _, r := range recs {
		switch {
		case strings.HasPrefix(r.Stream, alarmPrefix):
			if err := e.onAlarmEvent(ctx, r); err != nil {
				return err
			}
		case strings.HasPrefix(r.Stream, cascadePrefix):
			if err := e.onCascadeEvent(ctx, r); err != nil {
				return err
			}
		}
	}
	e.mu.Lock()
	e.position = recs[len(recs)-1].Position
	save := e.cfg.Checkpoints != nil && e.position-e.saved >= 4096
	e.mu.Unlock()
	if save {
		e.saveCheckpoint(ctx)
	}
	return nil
}

func (e *CascadeEngine) saveCheckpoint(ctx context.Context) {
	e.mu.Lock()
	pos := e.position
	e.mu.Unlock()
	if err := e.cfg.Checkpoints.Commit(ctx, CascadeCheckpoint, pos, readstore.Batch{}); err != nil {
		if ctx.Err() == nil {
			e.log.Warn("cascade engine: checkpoint not saved", "position", pos, "err", err)
		}
		return
	}
	e.mu.Lock()
	e.saved = pos
	e.mu.Unlock()
}

func (e *CascadeEngine) onCascadeEvent(ctx context.Context, r eventstore.Record) error {
	id := alarm.ID(strings.TrimPrefix(r.Stream, cascade.Category+"-"))
	e.mu.Lock()
	if en, ok := e.entries[id]; ok && en.c.Revision() >= int64(r.Revision) {
		e.mu.Unlock()
		return nil // decided here: already known
	}
	if rev, ok := e.done.get(id); ok && rev >= int64(r.Revision) {
		e.mu.Unlock()
		return nil // known, over and forgotten
	}
	delete(e.entries, id) // written by someone else (a notification worker): read it again
	en, err := e.entry(ctx, id)
	live := e.live
	level := 0
	if err == nil {
		if st := en.c.Status(); st.Running && st.Step != nil {
			level = st.Step.Step
		}
	}
	e.mu.Unlock()
	if err != nil || !live {
		return err
	}
	// What the other wrote may have requested notifications (a fallback after a failure) or
	// started a step: send the first now rather than at the next sweep, escalate for the second.
	e.poke()
	if level > 0 {
		if _, err := e.alarms.Escalate(ctx, EscalateAlarm{AlarmID: id, Level: level}); err != nil && ctx.Err() == nil {
			e.log.Warn("cascade engine: alarm not escalated", "alarm", id, "level", level, "err", err)
		}
	}
	return nil
}

func (e *CascadeEngine) onAlarmEvent(ctx context.Context, r eventstore.Record) error {
	ev, err := e.codec.Decode(r)
	if err != nil {
		return fmt.Errorf("cascade engine: %w", err)
	}
	id := alarm.ID(strings.TrimPrefix(r.Stream, alarm.Category+"-"))
	e.mu.Lock()
	fa, err := e.alarmAt(ctx, id, r.Revision, ev)
	if err != nil {
		e.mu.Unlock()
		return err
	}
	st := fa.a.Status()
	facts := e.facts(ctx, st, fa)
	in := cascade.AlarmChanged{Revision: r.Revision, Event: ev, Status: st, Facts: facts}
	if _, known := e.entries[id]; !known && r.Revision == 0 {
		// A cascade starts from its alarm's events: before the alarm's first one there is none
		// to read (another process writing one would make the append conflict, and it is read then).
		e.entries[id] = e.newEntry(id)
	}
	changes, err := e.decideLocked(ctx, id, in, eventstore.Metadata{Actor: string(cascade.Actor), CausationID: fmt.Sprintf("log:%d", r.Position)})
	e.mu.Unlock()
	if err != nil {
		return err
	}
	e.afterDecision(ctx, id, changes)
	return nil
}

// alarmAt returns alarm id folded up to revision, ev being the event at revision.
func (e *CascadeEngine) alarmAt(ctx context.Context, id alarm.ID, revision uint64, ev event.Event) (*foldedAlarm, error) {
	fa := e.folded[id]
	if fa != nil && fa.revision == int64(revision)-1 {
		fa.a.Load(revision, []event.Event{ev})
		fa.revision = int64(revision)
		fa.see(ev)
		return fa, nil
	}
	if fa != nil && fa.revision == int64(revision) {
		return fa, nil
	}
	if revision == 0 { // the alarm's first event: nothing to read (the common, latency-bound case)
		fa = &foldedAlarm{a: alarm.New(id), revision: 0}
		fa.a.Load(0, []event.Event{ev})
		fa.see(ev)
		e.folded[id] = fa
		return fa, nil
	}
	recs, err := e.store.ReadStream(ctx, alarmStream(id), 0, int(revision)+1)
	if err != nil {
		return nil, fmt.Errorf("cascade engine: read alarm %s: %w", id, err)
	}
	evs, err := decodeRecords(e.codec, recs)
	if err != nil {
		return nil, err
	}
	fa = &foldedAlarm{a: alarm.New(id), revision: -1}
	if len(recs) > 0 {
		fa.a.Load(recs[len(recs)-1].Revision, evs)
		fa.revision = int64(recs[len(recs)-1].Revision)
	}
	for _, ev := range evs {
		fa.see(ev)
	}
	e.folded[id] = fa
	return fa, nil
}

// see keeps the figures of the alarm's last trigger, for the messages.
func (fa *foldedAlarm) see(ev event.Event) {
	switch ev := ev.(type) {
	case alarm.Raised:
		fa.value, fa.limit, fa.unit, fa.since = ev.Value, ev.Limit, ev.Unit, ev.Since
	case alarm.Reactivated:
		fa.value, fa.since = ev.Value, ev.Since
	case alarm.Updated:
		fa.value = ev.Value
	}
}

// facts gathers what operators are told about an alarm.
func (e *CascadeEngine) facts(ctx context.Context, st alarm.Status, fa *foldedAlarm) cascade.Facts {
	f := cascade.Facts{
		AlarmID: st.ID, Dam: st.Dam, DamName: e.names[st.Dam], Condition: st.Condition, Severity: st.Severity,
		Value: fa.value, Limit: fa.limit, Unit: fa.unit, Since: fa.since,
	}
	if e.damNow != nil {
		if now, ok := e.damNow.DamNow(ctx, st.Dam); ok {
			f.Level, f.Fill, f.TimeToSpill, f.Spilling = now.Level, now.Fill, now.TimeToSpill, now.Spilling
		}
	}
	return f
}

// entry returns the cascade of alarm id, loading it from its stream when not in memory.
func (e *CascadeEngine) entry(ctx context.Context, id alarm.ID) (*cascadeEntry, error) {
	if en, ok := e.entries[id]; ok {
		return en, nil
	}
	en, err := e.load(ctx, id)
	if err != nil {
		return nil, err
	}
	e.entries[id] = en
	return en, nil
}

// load reads the cascade of alarm id from its stream.
func (e *CascadeEngine) load(ctx context.Context, id alarm.ID) (*cascadeEntry, error) {
	recs, err := readRecords(ctx, e.store, eventstore.StreamName(cascade.Category, string(id)))
	if err != nil {
		return nil, err
	}
	evs, err := decodeRecords(e.codec, recs)
	if err != nil {
		return nil, err
	}
	en := e.newEntry(id)
	if len(recs) > 0 {
		en.c.Load(recs[len(recs)-1].Revision, evs)
	}
	e.observe(en, evs)
	return en, nil
}

// alarmOver reports whether an alarm in state st is done with: back to normal or closed.
func alarmOver(st alarm.State) bool {
	return st == alarm.StateNormal || st == alarm.StateClosed || st == alarm.StateNotRaised
}

// settledHook tells CascadeConfig.Settled (it must not call back into the engine).
func (e *CascadeEngine) settledHook(nid string) {
	if e.cfg.Settled != nil {
		e.cfg.Settled(nid)
	}
}

// forgetIdleLocked drops the cascade of alarm id from memory when the engine does not run: a
// notification worker's engine only records outcomes and answers the dedup, each time from the
// log, and must not grow with every alarm it ever saw.
func (e *CascadeEngine) forgetIdleLocked(id alarm.ID) {
	if !e.running {
		delete(e.entries, id)
		delete(e.folded, id)
	}
}

func (e *CascadeEngine) newEntry(id alarm.ID) *cascadeEntry {
	return &cascadeEntry{c: cascade.New(id), requests: map[string]cascade.NotificationRequested{}, settled: map[string]bool{},
		sent: map[string]bool{}, delivered: map[string]bool{}, failed: map[string]string{}}
}

// observe notes the notifications among evs.
func (e *CascadeEngine) observe(en *cascadeEntry, evs []event.Event) {
	for _, ev := range evs {
		switch ev := ev.(type) {
		case cascade.NotificationRequested:
			if _, ok := en.requests[ev.NotificationID]; !ok {
				en.order = append(en.order, ev.NotificationID)
			}
			en.requests[ev.NotificationID] = ev
		case cascade.NotificationSent:
			e.settledHook(ev.NotificationID)
			en.settled[ev.NotificationID], en.sent[ev.NotificationID] = true, true
			if ev.ProviderRef != "" && e.refs != nil {
				e.refs.set(ev.ProviderRef, ev.NotificationID)
			}
		case cascade.NotificationDelivered:
			e.settledHook(ev.NotificationID)
			en.settled[ev.NotificationID], en.sent[ev.NotificationID] = true, true
			en.delivered[ev.NotificationID] = true
		case cascade.NotificationFailed:
			e.settledHook(ev.NotificationID)
			en.settled[ev.NotificationID] = true
			if !en.delivered[ev.NotificationID] {
				en.failed[ev.NotificationID] = ev.Reason
			}
		}
	}
}

// decideLocked runs one decision of the cascade of alarm id and appends what it decided, reading
// the stream again after a conflict. It returns the events recorded.
func (e *CascadeEngine) decideLocked(ctx context.Context, id alarm.ID, in cascade.Input, m eventstore.Metadata) ([]event.Event, error) {
	for attempt := 0; ; attempt++ {
		en, err := e.entry(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := en.c.Decide(in, e.cfg.Setup, e.now()); err != nil {
			return nil, err
		}
		changes := en.c.Changes()
		if len(changes) == 0 {
			return nil, nil
		}
		res, err := appendChanges(ctx, e.store, e.codec, eventstore.StreamName(cascade.Category, string(id)), en.c.Revision(), changes, m)
		if errors.Is(err, eventstore.ErrConflict) && attempt < 3 {
			delete(e.entries, id)
			continue
		}
		if err != nil {
			delete(e.entries, id) // the aggregate holds undecided changes: read it again next time
			return nil, fmt.Errorf("cascade engine: %w", err)
		}
		en.c.ClearChanges(res.Revision)
		e.observe(en, changes)
		e.reserveLocked(changes)
		return changes, nil
	}
}

// reserveLocked marks the notifications a decision just requested as being sent, in the same
// critical section as the decision: the timer loop's sweep of outstanding requests can then never
// pick one up between the decision and its send (which would page twice).
func (e *CascadeEngine) reserveLocked(changes []event.Event) {
	if !e.live {
		return // sent once live, by goLive's sweep
	}
	for _, ev := range changes {
		if n, ok := ev.(cascade.NotificationRequested); ok && !e.inflight[n.NotificationID] {
			e.inflight[n.NotificationID] = true
			e.reserved = append(e.reserved, n)
		}
	}
}

// afterDecision acts on what a decision recorded: it sends the notifications reserved for it
// (when live) and escalates the alarm to the level of a step that started.
func (e *CascadeEngine) afterDecision(ctx context.Context, id alarm.ID, changes []event.Event) {
	if len(changes) == 0 {
		return
	}
	e.mu.Lock()
	var sends []cascade.NotificationRequested
	for _, n := range e.reserved {
		if n.AlarmID == id {
			sends = append(sends, n)
		}
	}
	e.reserved = slices.DeleteFunc(e.reserved, func(n cascade.NotificationRequested) bool { return n.AlarmID == id })
	live := e.live
	e.mu.Unlock()
	e.startSends(ctx, sends)
	for _, ev := range changes {
		if s, ok := ev.(cascade.StepStarted); ok && live {
			if _, err := e.alarms.Escalate(ctx, EscalateAlarm{AlarmID: id, Level: s.Level}); err != nil && ctx.Err() == nil {
				e.log.Warn("cascade engine: alarm not escalated", "alarm", id, "level", s.Level, "err", err)
			}
		}
	}
	e.poke()
}

// sendingLocked reports whether a notification of en is being sent.
func (e *CascadeEngine) sendingLocked(en *cascadeEntry) bool {
	for _, nid := range en.order {
		if e.inflight[nid] {
			return true
		}
	}
	return false
}

// outstandingLocked lists the notifications of running cascades that are neither settled nor
// being sent, nor waiting for a retry, and marks them in flight.
func (e *CascadeEngine) outstandingLocked(now time.Time) []cascade.NotificationRequested {
	var out []cascade.NotificationRequested
	for _, en := range e.entries {
		if !en.c.Status().Running {
			continue
		}
		for _, nid := range en.order {
			if en.settled[nid] || e.inflight[nid] || now.Before(e.retryAt[nid]) {
				continue
			}
			e.inflight[nid] = true
			out = append(out, en.requests[nid])
		}
	}
	return out
}

func (e *CascadeEngine) startSends(ctx context.Context, sends []cascade.NotificationRequested) {
	for _, n := range sends {
		e.wg.Go(func() {
			err := e.sender.Send(ctx, n)
			e.mu.Lock()
			delete(e.inflight, n.NotificationID)
			if err != nil {
				e.retryAt[n.NotificationID] = e.now().Add(e.cfg.Retry)
			} else {
				delete(e.retryAt, n.NotificationID)
			}
			e.mu.Unlock()
			if err != nil && ctx.Err() == nil {
				e.log.Warn("cascade engine: notification not sent; trying again later", "notification", n.NotificationID, "in", e.cfg.Retry, "err", err)
			}
		})
	}
}

func (e *CascadeEngine) poke() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// timers fires the due timers and resends what failed without an outcome, until ctx ends. It
// looks at the clock at least every second, so a timer fires within a second of its time whatever
// the clock does (a fake clock in tests, a suspended machine).
func (e *CascadeEngine) timers(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-e.wake:
		}
		next := e.fireDue(ctx)
		wait := time.Second
		if !next.IsZero() {
			wait = min(wait, max(time.Millisecond, next.Sub(e.now())))
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(wait)
	}
}

// Tick fires the timers due at the engine's clock and resends what is waiting, now rather than at
// the next look at the clock (tests with a fake clock; a scheduler may call it too).
func (e *CascadeEngine) Tick(ctx context.Context, _ time.Time) error {
	e.fireDue(ctx)
	return nil
}

// fireDue sends Escalate for every due timer, then retries; it returns the next due time.
func (e *CascadeEngine) fireDue(ctx context.Context) time.Time {
	e.mu.Lock()
	if !e.live {
		e.mu.Unlock()
		return time.Time{}
	}
	now := e.now()
	var due []cascade.StepScheduled
	var next time.Time
	for id, en := range e.entries {
		st := en.c.Status()
		if !st.Running && !e.sendingLocked(en) {
			// Over, and its alarm too: forget it, so memory and this sweep stay the size of the
			// open alarms. Its alarm's next event, or a screen asking, reads it again. While the
			// alarm is open the cascade and the folded alarm stay: an open alarm keeps sending
			// events (its peak rising, a source joining), each one decided against its cascade,
			// and reading both streams again at each would cost more than keeping them.
			if fa := e.folded[id]; fa != nil && !alarmOver(fa.a.Status().State) {
				continue
			}
			delete(e.entries, id)
			delete(e.folded, id)
			e.done.set(id, en.c.Revision())
			continue
		}
		p := st.Pending
		if p == nil {
			continue
		}
		if !now.Before(p.DueAt) {
			due = append(due, *p)
		} else if next.IsZero() || p.DueAt.Before(next) {
			next = p.DueAt
		}
	}
	e.mu.Unlock()
	for _, p := range due {
		if err := e.escalate(ctx, p); err != nil && ctx.Err() == nil {
			e.log.Warn("cascade engine: timer not fired; trying again", "alarm", p.AlarmID, "stage", p.Stage, "err", err)
		}
	}
	e.mu.Lock()
	sends := e.outstandingLocked(e.now())
	e.mu.Unlock()
	e.startSends(ctx, sends)
	return next
}

func (e *CascadeEngine) escalate(ctx context.Context, p cascade.StepScheduled) error {
	in := p.Wake()
	e.mu.Lock()
	if fa := e.folded[p.AlarmID]; fa != nil {
		f := e.facts(ctx, fa.a.Status(), fa)
		in.Facts = &f
	}
	changes, err := e.decideLocked(ctx, p.AlarmID, in, eventstore.Metadata{Actor: string(cascade.Actor), CausationID: fmt.Sprintf("timer:%s@%s", p.AlarmID, p.DueAt.UTC().Format(time.RFC3339Nano))})
	e.mu.Unlock()
	if err != nil {
		return err
	}
	e.afterDecision(ctx, p.AlarmID, changes)
	return nil
}

// RecordOutcome records what the notify pipeline learnt about a notification: sent, delivered or
// failed. A failure for good makes the saga fall back to the recipient's next channel at once.
func (e *CascadeEngine) RecordOutcome(ctx context.Context, o cascade.Outcome) error {
	id, ok := alarmOfNotification(o.NotificationID)
	if !ok {
		return fmt.Errorf("record outcome of notification %q: not a cascade notification id", o.NotificationID)
	}
	e.mu.Lock()
	changes, err := e.decideLocked(ctx, id, o, eventstore.Metadata{Actor: string(cascade.Actor), CausationID: "notification:" + o.NotificationID})
	e.forgetIdleLocked(id)
	e.mu.Unlock()
	if err != nil {
		return fmt.Errorf("record outcome %s of notification %s: %w", o.Status, o.NotificationID, err)
	}
	e.afterDecision(ctx, id, changes)
	return nil
}

// alarmOfNotification reads the alarm id out of a notification id (cascade.NotificationID).
func alarmOfNotification(nid string) (alarm.ID, bool) {
	i := strings.IndexByte(nid, '/')
	if i <= 0 {
		return "", false
	}
	return alarm.ID(nid[:i]), true
}

// Sent reports whether the log says the notification was accepted by its provider: the notify
// pipeline's dedup.
func (e *CascadeEngine) Sent(ctx context.Context, nid string) (bool, error) {
	id, ok := alarmOfNotification(nid)
	if !ok {
		return false, fmt.Errorf("notification %q: not a cascade notification id", nid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	en, err := e.entry(ctx, id)
	if err != nil {
		return false, err
	}
	defer e.forgetIdleLocked(id)
	return en.sent[nid], nil
}

// Delivered records a delivery receipt (sms.Receipts): providerRef is the provider's message id.
func (e *CascadeEngine) Delivered(ctx context.Context, providerRef string) error {
	return e.receipt(ctx, providerRef, cascade.Outcome{Status: cascade.OutcomeDelivered})
}

// Failed records a failed delivery (sms.Receipts): the message will never arrive.
func (e *CascadeEngine) Failed(ctx context.Context, providerRef, reason string) error {
	return e.receipt(ctx, providerRef, cascade.Outcome{Status: cascade.OutcomeFailed, Reason: reason})
}

func (e *CascadeEngine) receipt(ctx context.Context, providerRef string, o cascade.Outcome) error {
	forget, err := e.lookIdle(ctx)
	if err != nil {
		return err
	}
	defer forget()
	e.mu.Lock()
	nid, ok := e.refs.get(providerRef)
	e.mu.Unlock()
	if !ok {
		// A receipt for a message of another installation, or sent before the records we hold:
		// nothing to attach it to. Answering an error would make the gateway retry for ever.
		e.log.Warn("cascade engine: delivery receipt for an unknown message, ignored", "provider_ref", providerRef, "status", o.Status)
		return nil
	}
	o.NotificationID = nid
	return e.RecordOutcome(ctx, o)
}

// ErrNoAlarmForReply: an SMS reply that names no alarm paged to its sender, or several.
var ErrNoAlarmForReply = errors.New("no single alarm matches the reply")

// Reply takes an operator's SMS answer (sms.Replies): "OK 4821", "1", "NON". The sender's number
// names the operator; the code (or, without one, the only alarm of a running cascade paged to
// them) names the alarm. An acknowledgement acknowledges it via SMS; a refusal or an answer not
// understood is written on the alarm as a comment, so the record has every reply, and paging goes
// on. A reply from an unknown number changes nothing and is logged.
func (e *CascadeEngine) Reply(ctx context.Context, fromPhone, text string, at time.Time) error {
	e.mu.Lock()
	ops := slices.Clone(e.byPhone[fromPhone])
	e.mu.Unlock()
	if len(ops) == 0 {
		e.log.Warn("cascade engine: SMS from a number no operator has, ignored", "from", fromPhone)
		return nil
	}
	code, ack, perr := cascade.ParseReply(text)
	forget, err := e.lookIdle(ctx)
	if err != nil {
		return err
	}
	defer forget()
	id, by, err := e.alarmForReply(ops, code)
	if err != nil {
		e.log.Warn("cascade engine: SMS reply matches no single alarm", "from", fromPhone, "code", code, "err", err)
		return nil
	}
	corr := fmt.Sprintf("sms:%s@%s", fromPhone, at.UTC().Format(time.RFC3339))
	if perr == nil && ack {
		_, err := e.alarms.Acknowledge(ctx, AcknowledgeAlarm{AlarmID: id, By: by, Via: alarm.ViaSMS, Comment: "SMS: " + text, CorrelationID: corr})
		if err != nil {
			return fmt.Errorf("acknowledge %s by SMS from %s: %w", id, by, err)
		}
		return nil
	}
	note := "SMS reply (not an acknowledgement): " + text
	if perr != nil {
		note = "SMS reply not understood: " + text
	}
	if _, err := e.alarms.Comment(ctx, CommentAlarm{AlarmID: id, By: by, Text: note, CorrelationID: corr}); err != nil {
		return fmt.Errorf("note the SMS reply of %s on %s: %w", by, id, err)
	}
	return nil
}

// alarmForReply finds the alarm an SMS reply is about among the running cascades: the one whose
// code it gives (paged to this operator first, else to anyone), or the only one paged to them.
func (e *CascadeEngine) alarmForReply(ops []alarm.OperatorID, code string) (alarm.ID, alarm.OperatorID, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	type match struct {
		id alarm.ID
		by alarm.OperatorID
	}
	var paged, anyone []match
	for _, id := range sortedKeys(e.entries) {
		en := e.entries[id]
		if !en.c.Status().Running {
			continue
		}
		if code != "" && cascade.ReplyCode(id) != code {
			continue
		}
		found := false
		for _, nid := range en.order {
			if n := en.requests[nid]; slices.Contains(ops, n.Operator) {
				paged, found = append(paged, match{id, n.Operator}), true
				break
			}
		}
		if !found && code != "" {
			anyone = append(anyone, match{id, ops[0]})
		}
	}
	switch {
	case len(paged) == 1:
		return paged[0].id, paged[0].by, nil
	case len(paged) == 0 && len(anyone) == 1:
		return anyone[0].id, anyone[0].by, nil
	}
	return "", "", fmt.Errorf("%w: %d alarms paged to %v, %d others with code %q", ErrNoAlarmForReply, len(paged), ops, len(anyone), code)
}

// AckByLink acknowledges an alarm from a signed e-mail link (the token named the operator).
func (e *CascadeEngine) AckByLink(ctx context.Context, alarmID, operator string) error {
	return e.ackVia(ctx, alarm.ID(alarmID), alarm.OperatorID(operator), alarm.ViaEmail, "link")
}

// AckByVoice acknowledges an alarm from a key pressed during a call.
func (e *CascadeEngine) AckByVoice(ctx context.Context, alarmID, operator string) error {
	return e.ackVia(ctx, alarm.ID(alarmID), alarm.OperatorID(operator), alarm.ViaVoice, "keypad")
}

func (e *CascadeEngine) ackVia(ctx context.Context, id alarm.ID, by alarm.OperatorID, via alarm.Channel, how string) error {
	// Acknowledging an acknowledged alarm records nothing and is no error: a second click is fine.
	_, err := e.alarms.Acknowledge(ctx, AcknowledgeAlarm{AlarmID: id, By: by, Via: via, CorrelationID: string(via) + ":" + how})
	return err
}

// CascadeStatus is a cascade as an operator's screen shows it.
type CascadeStatus struct {
	cascade.Status
	Notifications []NotificationStatus
}

// NotificationStatus is one requested notification and where it stands: requested, sent,
// delivered or failed (with the reason).
type NotificationStatus struct {
	cascade.NotificationRequested
	Status string
	Reason string
}

// Status returns the cascade of alarm id as the engine knows it.
func (e *CascadeEngine) Status(ctx context.Context, id alarm.ID) (CascadeStatus, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	// A cascade in progress is in memory; any other is read afresh and not kept (a screen listing
	// last year's alarms must not fill the engine's memory), as on a node that does not run the
	// cascades (roles).
	en, ok := e.entries[id]
	var err error
	if !ok || !e.running {
		en, err = e.load(ctx, id)
	}
	if err != nil {
		return CascadeStatus{}, err
	}
	out := CascadeStatus{Status: en.c.Status()}
	for _, nid := range en.order {
		ns := NotificationStatus{NotificationRequested: en.requests[nid], Status: "requested"}
		switch reason, failed := en.failed[nid]; {
		case en.delivered[nid]:
			ns.Status = "delivered"
		case failed: // also after sent: a receipt said it never arrived
			ns.Status, ns.Reason = "failed", reason
		case en.sent[nid]:
			ns.Status = "sent"
		}
		out.Notifications = append(out.Notifications, ns)
	}
	return out, nil
}
