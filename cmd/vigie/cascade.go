package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/jobs"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

// cascadeDeps are the channels a deployment configured and how to sign acknowledgement links.
type cascadeDeps struct {
	Notifiers map[notify.Channel]notify.Notifier
	Links     notify.LinkSigner
	Pipeline  notify.PipelineConfig
	Dispatch  notify.DispatchConfig
	// Bus, when set, carries the notifications between processes (vigie serve --bus): the engine
	// publishes jobs, the notify nodes' workers send them (see cascadeBus).
	Bus bus.Bus
}

// cascadeBus is what runs the cascade's notifications over the bus: the engine's queue (its
// Sender, and the outcomes it records), and this node's worker with the dispatcher it sends with.
type cascadeBus struct {
	queue      *jobs.Queue
	worker     *jobs.Worker
	dispatcher *notify.Dispatcher
}

// newCascade builds the cascade engine over the configured channels: one notify pipeline per
// channel (dedup against the log, rate limit, retries), the dispatcher that feeds them, and the
// engine that records their outcomes. With no channel configured the cascade still runs and
// records every decision; each notification then fails with a reason that says so. With a bus,
// the engine follows the alarm events forwarded on the bus and hands its notifications to the
// workers as jobs; the returned cascadeBus runs them.
func newCascade(st *stores, cfg *config.Config, alarms commands.AlarmActions, deps cascadeDeps, now func() time.Time, logger *slog.Logger) (*commands.CascadeEngine, *cascadeBus, error) {
	setup, err := cfg.CascadeSetup()
	if err != nil {
		return nil, nil, err
	}
	var engine *commands.CascadeEngine
	// The pipelines record outcomes in the log through the engine, and ask it (the log) whether a
	// notification was sent. On a notify node that does not lead, the engine does not run and
	// serves only these two, from the log, for the node's notification worker.
	record := func(ctx context.Context, o cascade.Outcome) error { return engine.RecordOutcome(ctx, o) }
	sentLog := notify.CascadeLog(func(ctx context.Context, id string) (bool, error) { return engine.Sent(ctx, id) })
	var cb *cascadeBus
	if deps.Bus != nil {
		cb = &cascadeBus{}
		if cb.queue, err = jobs.NewQueue(deps.Bus, jobs.QueueConfig{}, logger.With("component", "notify-queue")); err != nil {
			return nil, nil, err
		}
		if cb.worker, err = jobs.NewWorker(deps.Bus, jobs.WorkerConfig{}, record, logger.With("component", "notify-worker")); err != nil {
			return nil, nil, err
		}
	}
	pipes := map[notify.Channel]*notify.Pipeline{}
	for ch, n := range deps.Notifiers {
		p, err := notify.NewPipeline(n, deps.Pipeline, notify.Deps{
			Log:      sentLog,
			Recorder: notify.CascadeRecorder(record),
			Logger:   logger.With("component", "notify", "channel", string(ch)),
		})
		if err != nil {
			return nil, nil, fmt.Errorf("%s channel: %w", ch, err)
		}
		pipes[ch] = p
	}
	dc := deps.Dispatch
	dc.Links = deps.Links
	dispatcher, err := notify.NewDispatcher(pipes, record, dc)
	if err != nil {
		return nil, nil, err
	}
	ccfg := commands.CascadeConfig{Setup: setup, Dams: cfg.Dams(), Checkpoints: st.views}
	var sender commands.Sender = dispatcher
	if cb != nil {
		cb.dispatcher, sender, ccfg.Settled = dispatcher, cb.queue, cb.queue.Settled
		if ccfg.Log, err = bus.NewLogSource(st.events, deps.Bus, alarmEventsTopic, jobs.EngineGroup, logger.With("component", "cascade-log")); err != nil {
			return nil, nil, err
		}
	}
	engine, err = commands.NewCascadeEngine(st.events, st.codec, ccfg, alarms, sender, damNowFromViews{views: st.views, dams: cfg.Dams()}, now, logger.With("component", "cascade"))
	if err != nil {
		return nil, nil, err
	}
	if len(pipes) == 0 && len(setup.Policies) > 0 {
		logger.Warn("escalation policies are configured but no notification channel: the cascade records who should be paged, and nobody is (see notifications in docs/config.md)")
	}
	return engine, cb, nil
}

// damNowFromViews tells a dam's state from the level views: its level sensor's last reading.
type damNowFromViews struct {
	views interface {
		State(ctx context.Context, sensor string) (readstore.SensorState, error)
	}
	dams []dam.Dam
}

func (d damNowFromViews) DamNow(ctx context.Context, id dam.ID) (commands.DamNow, bool) {
	i := slices.IndexFunc(d.dams, func(x dam.Dam) bool { return x.ID == id })
	if i < 0 {
		return commands.DamNow{}, false
	}
	st, ok, err := damLevel(ctx, d.views, d.dams[i])
	if err != nil || !ok {
		return commands.DamNow{}, false // a message without the level beats no message
	}
	level, fill := st.Value, st.FillPct
	out := commands.DamNow{Level: &level, Fill: &fill, Spilling: st.Spilling}
	if st.TimeToSpill != nil {
		out.TimeToSpill = time.Duration(*st.TimeToSpill)
	}
	return out, true
}

// damLevel is a dam's level as the views have it: the last reading of its first water-level
// sensor that has one, unless that reading is implausible (stored, never shown as the level).
// ok is false when no sensor has a usable reading.
func damLevel(ctx context.Context, views interface {
	State(ctx context.Context, sensor string) (readstore.SensorState, error)
}, d dam.Dam) (st readstore.SensorState, ok bool, err error) {
	for _, s := range d.Sensors {
		if s.Kind != "" && s.Kind != "water_level" {
			continue
		}
		st, err := views.State(ctx, string(s.ID))
		if errors.Is(err, readstore.ErrNotFound) {
			continue
		}
		if err != nil {
			return readstore.SensorState{}, false, fmt.Errorf("state of %s: %w", s.ID, err)
		}
		if st.Time.IsZero() || st.Quality == "implausible" {
			continue
		}
		return st, true, nil
	}
	return readstore.SensorState{}, false, nil
}

// cascadeView turns the engine's account of an alarm's cascade into what the API shows.
func cascadeView(s commands.CascadeStatus) *readstore.AlarmCascade {
	if s.Run == 0 && len(s.Notifications) == 0 && !s.Running {
		return nil
	}
	v := &readstore.AlarmCascade{Running: s.Running, Run: s.Run, Policy: s.Policy, Notifications: []readstore.AlarmNotification{}}
	if !s.Running {
		v.StopReason = string(s.Reason)
	}
	if s.Step != nil {
		v.Step = s.Step.Step
	}
	if s.Pending != nil && s.Running {
		at := s.Pending.DueAt
		v.NextStepAt = &at
	}
	for _, n := range s.Notifications {
		v.Notifications = append(v.Notifications, readstore.AlarmNotification{
			ID: n.NotificationID, Operator: string(n.Operator), Channel: string(n.Channel), Step: n.Step, Repeat: n.Repeat,
			Fallback: n.Fallback, Status: n.Status, Reason: n.Reason, At: n.At,
		})
	}
	return v
}

// withCascade adds the cascade to alarm views that may have one (not those long over).
func withCascade(ctx context.Context, engine *commands.CascadeEngine, v readstore.AlarmView) readstore.AlarmView {
	if engine == nil {
		return v
	}
	if s, err := engine.Status(ctx, alarm.ID(v.ID)); err == nil {
		v.Cascade = cascadeView(s)
	}
	return v
}
