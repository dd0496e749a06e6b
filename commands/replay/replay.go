// Package replay re-runs the domain on the readings of a recorded log: the ingestion (gauges,
// threshold crossings) and the condition engine (alarms), with a configuration that may differ
// from the one recorded, in a scratch event store the caller provides. It sends nothing. The
// operators' recorded actions (acknowledgements, shelves, maintenance) are applied again at their
// recorded times to the alarms of the same id, so that a replay with the recorded configuration
// reproduces the recorded alarm decisions exactly (docs/replay.md).
//
// The notification cascade plugs in through Setup.Cascade: a function given the scratch log that
// follows it as the replay advances (Saga drives the pure domain saga; the service's own cascade
// wiring can take its place).
package replay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/domain/setup"
)

// Setup is the configuration a replay runs with: what `vigie serve` gives the ingestion and the
// condition engine, and optionally the cascade.
type Setup struct {
	Gauges map[sensor.ID]gauge.Policy
	// Engine is the condition engine's configuration (its Checkpoints are not used).
	Engine commands.EngineConfig
	// Dams scope the replayed maintenance commands.
	Dams []dam.Dam
	// Actor is who the thresholds in force are attributed to ("replay:other.yaml").
	Actor string
	// Cascade, when set, runs the notification cascade over the scratch log.
	Cascade CascadeFunc
}

// CascadeEnv is what a cascade runs on in a replay: the scratch log, the alarm commands (the
// cascade records escalations through them) and the replay's clock, which it moves to the due time
// of each timer it fires so that what it records is stamped then.
type CascadeEnv struct {
	Store  eventstore.Store
	Codec  *eventstore.Codec
	Alarms *commands.AlarmCommands
	Clock  *Clock
	Log    *slog.Logger
}

// Cascade is the notification cascade as a replay drives it.
type Cascade interface {
	// Due fires the timers due by now, in order, before the replay applies what happened at now.
	Due(ctx context.Context, now time.Time) error
	// Follow reacts to the scratch log's events up to position upTo, at now.
	Follow(ctx context.Context, upTo uint64, now time.Time) error
	// Outcome applies what a provider reported about a notification in the recorded log; an
	// outcome of a notification the replay did not request is ignored (ok=false).
	Outcome(ctx context.Context, id alarm.ID, o cascade.Outcome, now time.Time) (ok bool, err error)
}

// CascadeFunc starts a cascade over a replay's scratch log.
type CascadeFunc func(env CascadeEnv) (Cascade, error)

// Handover is a Cascade that can go on from where another left off: when the replay restarts the
// domain with a recorded configuration change, the new configuration's cascade takes over the
// cascades in progress, as the service's cascade engine reloads them from the log on restart.
type Handover interface {
	TakeOver(previous Cascade) error
}

// Options bound the replay.
type Options struct {
	// From and To bound the sensor time of the readings replayed (zero: unbounded), and the time
	// of the operators' actions applied again.
	From, To time.Time
	// Open opens the empty scratch store, stamping recorded times with now (the replay's clock).
	Open func(now func() time.Time) (eventstore.Store, error)
	// ReadBatch is how many recorded events are read at once (default 4096).
	ReadBatch int
	// Reconfigure, when set, is called with each configuration change of the recorded log (a
	// config.applied in force, not a pending one) and returns the setup the service then ran
	// with; ok=false keeps the current one. The replayed domain then restarts with it at the
	// change's recorded time, as the service did: the condition engine recovers from the scratch
	// log, the gauges record the thresholds now in force, the cascade goes on with its state and
	// the new policies. Nil: Setup throughout.
	Reconfigure func(c setup.ConfigApplied) (s Setup, ok bool, err error)
}

// Clock is the replay's clock: the recorded time of what is being replayed.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now reads the clock.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock (backwards too: the recorded log is in commit order, not time order).
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Result is what a replay did: the alarm decisions of the recorded log and of the replay, in the
// same form, and what could not be applied.
type Result struct {
	Readings, Appends int
	// Recorded and Replayed are the alarm and board streams (and cascade streams) of the period.
	Recorded, Replayed Decisions
	// Skipped lists the recorded operator actions that had nothing to apply to in the replay
	// (an alarm that was not raised there, or in another state).
	Skipped []string
	// ScratchHead is the last position of the scratch log.
	ScratchHead uint64
	// Restarts counts the configuration changes the replay restarted the domain with
	// (Options.Reconfigure).
	Restarts int
}

// Run replays the readings of src's log within o.From..o.To through the domain configured by s,
// into the scratch store o.Open gives (which must be empty), and returns both sides' decisions.
func Run(ctx context.Context, src eventstore.Store, codec *eventstore.Codec, s Setup, o Options, logger *slog.Logger) (*Result, error) {
	var errs []error
	if src == nil {
		errs = append(errs, errors.New("recorded store is nil"))
	}
	if codec == nil {
		errs = append(errs, errors.New("codec is nil"))
	}
	if o.Open == nil {
		errs = append(errs, errors.New("no way to open the scratch store"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
		errs = append(errs, fmt.Errorf("period ends (%s) before it starts (%s)", o.To.Format(time.RFC3339), o.From.Format(time.RFC3339)))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if o.ReadBatch <= 0 {
		o.ReadBatch = 4096
	}
	r := &runner{src: src, codec: codec, setup: s, opts: o, log: logger, clock: &Clock{}, ticked: map[string]bool{}, recorded: newFilter(o)}
	res, err := r.run(ctx)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	return res, nil
}

type runner struct {
	src   eventstore.Store
	codec *eventstore.Codec
	setup Setup
	opts  Options
	log   *slog.Logger
	clock *Clock

	scratch eventstore.Store
	ing     *commands.Ingester
	engine  *commands.ConditionEngine
	alarms  *commands.AlarmCommands
	cascade Cascade
	// stopEngine stops the running condition engine and returns how its run ended.
	stopEngine func() error

	configured bool
	ticked     map[string]bool
	// queued are readings waiting to be ingested together, recorded at queuedAt with queuedMeta.
	queued     []commands.Item
	queuedAt   time.Time
	queuedMeta eventstore.Metadata
	recorded   *filter
	res        Result
}

func (r *runner) run(ctx context.Context) (res *Result, err error) {
	r.scratch, err = r.opts.Open(r.clock.Now)
	if err != nil {
		return nil, fmt.Errorf("open scratch store: %w", err)
	}
	defer func() { err = errors.Join(err, r.scratch.Close()) }()
	if head, err := r.scratch.Head(ctx); err != nil || head != 0 {
		return nil, fmt.Errorf("scratch store must be empty (head %d): %v", head, err)
	}
	defer func() {
		if r.stopEngine != nil {
			err = errors.Join(err, r.stopEngine())
		}
	}()
	if err := r.start(ctx); err != nil {
		return nil, err
	}
	r.res.Recorded = Decisions{}
	for after := uint64(0); ; {
		recs, err := r.src.ReadAll(ctx, after, r.opts.ReadBatch)
		if err != nil {
			return nil, fmt.Errorf("read the recorded log after %d: %w", after, err)
		}
		if len(recs) == 0 {
			break
		}
		for _, rec := range recs {
			if err := r.replay(ctx, rec); err != nil {
				return nil, fmt.Errorf("at recorded position %d (%s, %s): %w", rec.Position, rec.Stream, rec.Type, err)
			}
		}
		after = recs[len(recs)-1].Position
	}
	if err := r.flush(ctx); err != nil {
		return nil, err
	}
	if r.cascade != nil {
		end := r.clock.Now()
		if !r.opts.To.IsZero() && r.opts.To.After(end) {
			end = r.opts.To
		}
		if err := r.cascade.Due(ctx, end); err != nil {
			return nil, err
		}
		if err := r.follow(ctx); err != nil {
			return nil, err
		}
	}
	head, err := r.scratch.Head(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.engine.WaitFor(ctx, head); err != nil {
		return nil, err
	}
	r.res.ScratchHead = head
	if r.res.Replayed, err = collect(ctx, r.scratch, r.codec, r.opts, r.opts.ReadBatch); err != nil {
		return nil, fmt.Errorf("read the replayed log: %w", err)
	}
	return &r.res, nil
}

// start builds the domain on the scratch store with r.setup, as `vigie serve` does at start-up,
// and runs the condition engine until it follows the scratch log live. A cascade already running
// (a restart) is handed over to the new one, which keeps its state.
func (r *runner) start(ctx context.Context) (err error) {
	quiet := r.log.With("component", "replay")
	if r.ing, err = commands.NewIngester(r.scratch, r.codec, r.setup.Gauges, r.clock.Now, quiet); err != nil {
		return err
	}
	cfg := r.setup.Engine
	cfg.Checkpoints = nil
	if r.engine, err = commands.NewConditionEngine(r.scratch, r.codec, cfg, r.clock.Now, quiet); err != nil {
		return err
	}
	if r.alarms, err = commands.NewAlarmCommands(r.scratch, r.codec, r.setup.Dams, cfg.Flood, r.clock.Now); err != nil {
		return err
	}
	switch {
	case r.setup.Cascade != nil:
		next, err := r.setup.Cascade(CascadeEnv{Store: r.scratch, Codec: r.codec, Alarms: r.alarms, Clock: r.clock, Log: quiet})
		if err != nil {
			return fmt.Errorf("start the cascade: %w", err)
		}
		if r.cascade != nil {
			h, ok := next.(Handover)
			if !ok {
				return fmt.Errorf("the cascade %T cannot take over from the previous configuration's (it is no replay.Handover)", next)
			}
			if err := h.TakeOver(r.cascade); err != nil {
				return fmt.Errorf("hand the cascade over to the new configuration: %w", err)
			}
		}
		r.cascade = next
	case r.cascade != nil:
		return errors.New("the new configuration has no cascade, the previous one had: replay both with or without it")
	}
	engineCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func(e *commands.ConditionEngine) { done <- e.Run(engineCtx) }(r.engine)
	r.stopEngine = func() error {
		stop()
		r.stopEngine = nil
		return <-done
	}
	return r.waitLive(ctx)
}

// restart stops the domain and starts it again with s at the recorded time at, as the service
// restarted with a new configuration: the gauges record the thresholds in force at once.
func (r *runner) restart(ctx context.Context, s Setup, at time.Time) error {
	if err := r.before(ctx, at); err != nil {
		return err
	}
	if err := r.stopEngine(); err != nil {
		return fmt.Errorf("stop the condition engine: %w", err)
	}
	r.setup = s
	if err := r.start(ctx); err != nil {
		return err
	}
	if err := r.ing.Configure(ctx, r.actor()); err != nil {
		return fmt.Errorf("record the replayed thresholds: %w", err)
	}
	r.configured = true
	r.res.Restarts++
	return r.follow(ctx)
}

// configEvent restarts the domain with a recorded configuration change (Options.Reconfigure).
func (r *runner) configEvent(ctx context.Context, rec eventstore.Record) error {
	e, err := r.codec.Decode(rec)
	if err != nil {
		return err
	}
	c, ok := e.(setup.ConfigApplied)
	if !ok || c.Pending {
		return nil // pending: in force at the next start, which records it again
	}
	s, ok, err := r.opts.Reconfigure(c)
	if err != nil {
		return fmt.Errorf("configuration %s recorded at %s: %w", c.Digest, rec.RecordedAt.Format(time.RFC3339), err)
	}
	if !ok {
		return nil
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	return r.restart(ctx, s, rec.RecordedAt)
}

// waitLive waits for the engine to follow the scratch log live: Tick does nothing before.
func (r *runner) waitLive(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for {
		if _, live := r.engine.Position(); live {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("the condition engine did not catch up with the scratch log within a minute")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// inPeriod: t within the replay's bounds.
func (o Options) inPeriod(t time.Time) bool {
	return (o.From.IsZero() || !t.Before(o.From)) && (o.To.IsZero() || !t.After(o.To))
}

// replay applies one recorded event.
func (r *runner) replay(ctx context.Context, rec eventstore.Record) error {
	if rec.Type == (gauge.ReadingsRecorded{}).EventType() {
		return r.readings(ctx, rec)
	}
	if rec.Stream == setup.Stream && r.opts.Reconfigure != nil {
		return r.configEvent(ctx, rec)
	}
	isAlarm := strings.HasPrefix(rec.Stream, alarm.Category+"-") || strings.HasPrefix(rec.Stream, alarm.BoardCategory+"-")
	isCascade := strings.HasPrefix(rec.Stream, cascade.Category+"-")
	if !isAlarm && !isCascade {
		return nil
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	if isAlarm {
		return r.alarmEvent(ctx, rec)
	}
	return r.cascadeEvent(ctx, rec)
}

// readings queues the readings of a recorded append. The appends of one recorded request (the
// same instant and the same metadata: one fsync of the store) are ingested together, as they
// were: one command, one group commit; anything else first flushes what is queued.
func (r *runner) readings(ctx context.Context, rec eventstore.Record) error {
	e, err := r.codec.Decode(rec)
	if err != nil {
		return err
	}
	rr, ok := e.(gauge.ReadingsRecorded)
	if !ok {
		return fmt.Errorf("decoded as %T", e)
	}
	if _, known := r.setup.Gauges[rr.Sensor]; !known {
		return nil // a sensor the replayed configuration does not have
	}
	if len(r.queued) > 0 && (!rec.RecordedAt.Equal(r.queuedAt) || rec.Meta != r.queuedMeta) {
		if err := r.flush(ctx); err != nil {
			return err
		}
	}
	for _, s := range rr.Readings {
		if r.opts.inPeriod(s.T) {
			r.queued = append(r.queued, commands.Item{Sensor: rr.Sensor, Time: s.T, Value: s.V})
		}
	}
	r.queuedAt, r.queuedMeta = rec.RecordedAt, rec.Meta
	return nil
}

// flush ingests the queued readings at the instant they were recorded.
func (r *runner) flush(ctx context.Context) error {
	if len(r.queued) == 0 {
		return nil
	}
	items := r.queued
	r.queued = r.queued[:0]
	if err := r.before(ctx, r.queuedAt); err != nil {
		return err
	}
	if !r.configured {
		if err := r.ing.Configure(ctx, r.actor()); err != nil {
			return fmt.Errorf("record the replayed thresholds: %w", err)
		}
		r.configured = true
	}
	res, err := r.ing.Handle(ctx, commands.IngestReadings{Items: items, Actor: r.queuedMeta.Actor, CorrelationID: r.queuedMeta.CorrelationID})
	if err != nil {
		return fmt.Errorf("ingest %d readings recorded at %s: %w", len(items), r.queuedAt.Format(time.RFC3339Nano), err)
	}
	r.res.Readings += len(items)
	r.res.Appends++
	if res.LastPosition > 0 {
		if err := r.engine.WaitFor(ctx, res.LastPosition); err != nil {
			return err
		}
	}
	return r.follow(ctx)
}

func (r *runner) actor() string {
	if r.setup.Actor != "" {
		return r.setup.Actor
	}
	return "replay"
}

// before moves the clock to t, first firing the cascade's timers due by then.
func (r *runner) before(ctx context.Context, t time.Time) error {
	if r.cascade != nil {
		if err := r.cascade.Due(ctx, t); err != nil {
			return err
		}
		if err := r.follow(ctx); err != nil {
			return err
		}
	}
	r.clock.Set(t)
	return nil
}

// follow lets the cascade react to what the scratch log holds now.
func (r *runner) follow(ctx context.Context) error {
	if r.cascade == nil {
		return nil
	}
	head, err := r.scratch.Head(ctx)
	if err != nil {
		return err
	}
	if err := r.engine.WaitFor(ctx, head); err != nil {
		return err
	}
	return r.cascade.Follow(ctx, head, r.clock.Now())
}

// alarmEvent keeps a recorded alarm decision for the comparison, replays a tick of the engine
// that caused one, and applies an operator's action again.
func (r *runner) alarmEvent(ctx context.Context, rec eventstore.Record) error {
	e, err := r.codec.Decode(rec)
	if err != nil {
		return err
	}
	if cause, ok := strings.CutPrefix(rec.Meta.CausationID, "tick:"); ok && rec.Meta.Actor == commands.EngineActor && !r.ticked[cause] {
		r.ticked[cause] = true
		ns, err := strconv.ParseInt(cause, 10, 64)
		if err == nil {
			at := time.Unix(0, ns).UTC()
			if err := r.before(ctx, at); err != nil {
				return err
			}
			if err := r.engine.Tick(ctx, at); err != nil {
				return err
			}
			if err := r.follow(ctx); err != nil {
				return err
			}
		}
	}
	if r.recorded.keep(rec, e) {
		r.res.Recorded.add(rec.Stream, rec.Type, e)
	}
	return r.operatorAction(ctx, rec, e)
}

// operatorAction applies again, at its recorded time, what a person (or the scheduler) did.
func (r *runner) operatorAction(ctx context.Context, rec eventstore.Record, e event.Event) error {
	var (
		at  time.Time
		run func() error
	)
	corr := rec.Meta.CorrelationID
	switch e := e.(type) {
	case alarm.Acknowledged:
		at, run = e.At, func() error {
			_, err := r.alarms.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: e.AlarmID, By: e.By, Via: e.Via, Comment: e.Comment, CorrelationID: corr})
			return err
		}
	case alarm.Commented:
		at, run = e.At, func() error {
			_, err := r.alarms.Comment(ctx, commands.CommentAlarm{AlarmID: e.AlarmID, By: e.By, Text: e.Text, CorrelationID: corr})
			return err
		}
	case alarm.Shelved:
		at, run = e.At, func() error {
			_, err := r.alarms.Shelve(ctx, commands.ShelveAlarm{AlarmID: e.AlarmID, By: e.By, Reason: e.Reason, Until: e.Until, CorrelationID: corr})
			return err
		}
	case alarm.Unshelved:
		at, run = e.At, func() error {
			var err error
			if e.Expired {
				_, err = r.alarms.ExpireShelve(ctx, commands.ExpireShelve{AlarmID: e.AlarmID})
			} else {
				_, err = r.alarms.Unshelve(ctx, commands.UnshelveAlarm{AlarmID: e.AlarmID, By: e.By, CorrelationID: corr})
			}
			return err
		}
	case alarm.Closed:
		at, run = e.At, func() error {
			_, err := r.alarms.Close(ctx, commands.CloseAlarm{AlarmID: e.AlarmID, By: e.By, Reason: e.Reason, CorrelationID: corr})
			return err
		}
	case alarm.MaintenanceStarted:
		at, run = e.At, func() error {
			d, s := maintenanceScope(e.Dam, e.Scope)
			_, err := r.alarms.RemoveFromService(ctx, commands.RemoveFromService{Dam: d, Sensor: s, By: e.By, Reason: e.Reason, CorrelationID: corr})
			return err
		}
	case alarm.MaintenanceEnded:
		at, run = e.At, func() error {
			d, s := maintenanceScope(e.Dam, e.Scope)
			_, err := r.alarms.ReturnToService(ctx, commands.ReturnToService{Dam: d, Sensor: s, By: e.By, CorrelationID: corr})
			return err
		}
	default:
		// The engine's decisions are re-decided, the cascade's escalations re-recorded by the
		// replayed cascade; the alarm stream events that follow from an action come with it.
		return nil
	}
	if !r.opts.From.IsZero() && at.Before(r.opts.From) {
		return nil // an action on an alarm of before the period
	}
	if err := r.before(ctx, at); err != nil {
		return err
	}
	if err := run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.res.Skipped = append(r.res.Skipped, fmt.Sprintf("%s at %s: %v", rec.Type, at.Format(time.RFC3339), err))
		return nil
	}
	return r.follow(ctx)
}

// maintenanceScope turns a board's scope back into the command's: a sensor id, or the whole dam.
func maintenanceScope(d dam.ID, scope string) (dam.ID, sensor.ID) {
	if scope == "" {
		return d, ""
	}
	return d, sensor.ID(scope)
}

// cascadeEvent keeps a recorded cascade decision and gives the replayed cascade the providers'
// recorded reports.
func (r *runner) cascadeEvent(ctx context.Context, rec eventstore.Record) error {
	e, err := r.codec.Decode(rec)
	if err != nil {
		return err
	}
	if r.recorded.keep(rec, e) {
		r.res.Recorded.add(rec.Stream, rec.Type, e)
	}
	if r.cascade == nil {
		return nil
	}
	var (
		id alarm.ID
		o  cascade.Outcome
		at time.Time
	)
	switch e := e.(type) {
	case cascade.NotificationSent:
		id, at, o = e.AlarmID, e.At, cascade.Outcome{NotificationID: e.NotificationID, Status: cascade.OutcomeSent, ProviderRef: e.ProviderRef}
	case cascade.NotificationDelivered:
		id, at, o = e.AlarmID, e.At, cascade.Outcome{NotificationID: e.NotificationID, Status: cascade.OutcomeDelivered}
	case cascade.NotificationFailed:
		id, at, o = e.AlarmID, e.At, cascade.Outcome{NotificationID: e.NotificationID, Status: cascade.OutcomeFailed, Reason: e.Reason, Retryable: e.Retryable}
	default:
		return nil
	}
	if err := r.before(ctx, at); err != nil {
		return err
	}
	ok, err := r.cascade.Outcome(ctx, id, o, at)
	if err != nil {
		return err
	}
	if !ok {
		r.res.Skipped = append(r.res.Skipped, fmt.Sprintf("%s of %s at %s: not requested in the replay", rec.Type, o.NotificationID, at.Format(time.RFC3339)))
		return nil
	}
	return r.follow(ctx)
}
