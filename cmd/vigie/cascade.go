package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/notify"
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
}

// newCascade builds the cascade engine over the configured channels: one notify pipeline per
// channel (dedup against the log, rate limit, retries), the dispatcher that feeds them, and the
// engine that records their outcomes. With no channel configured the cascade still runs and
// records every decision; each notification then fails with a reason that says so.
func newCascade(st *stores, cfg *config.Config, alarms commands.AlarmActions, deps cascadeDeps, now func() time.Time, logger *slog.Logger) (*commands.CascadeEngine, error) {
	setup, err := cfg.CascadeSetup()
	if err != nil {
		return nil, err
	}
	var engine *commands.CascadeEngine
	record := func(ctx context.Context, o cascade.Outcome) error { return engine.RecordOutcome(ctx, o) }
	pipes := map[notify.Channel]*notify.Pipeline{}
	for ch, n := range deps.Notifiers {
		p, err := notify.NewPipeline(n, deps.Pipeline, notify.Deps{
			Log:      notify.CascadeLog(func(ctx context.Context, id string) (bool, error) { return engine.Sent(ctx, id) }),
			Recorder: notify.CascadeRecorder(record),
			Logger:   logger.With("component", "notify", "channel", string(ch)),
		})
		if err != nil {
			return nil, fmt.Errorf("%s channel: %w", ch, err)
		}
		pipes[ch] = p
	}
	dc := deps.Dispatch
	dc.Links = deps.Links
	dispatcher, err := notify.NewDispatcher(pipes, record, dc)
	if err != nil {
		return nil, err
	}
	engine, err = commands.NewCascadeEngine(st.events, st.codec, commands.CascadeConfig{
		Setup: setup, Dams: cfg.Dams(), Checkpoints: st.views,
	}, alarms, dispatcher, damNowFromViews{views: st.views, dams: cfg.Dams()}, now, logger.With("component", "cascade"))
	if err != nil {
		return nil, err
	}
	if len(pipes) == 0 && len(setup.Policies) > 0 {
		logger.Warn("escalation policies are configured but no notification channel: the cascade records who should be paged, and nobody is (see notifications in docs/config.md)")
	}
	return engine, nil
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
	for _, s := range d.dams[i].Sensors {
		if s.Kind != "" && s.Kind != "water_level" {
			continue
		}
		st, err := d.views.State(ctx, string(s.ID))
		if err != nil || st.Time.IsZero() || st.Quality == "implausible" {
			continue
		}
		level, fill := st.Value, st.FillPct
		out := commands.DamNow{Level: &level, Fill: &fill, Spilling: st.Spilling}
		if st.TimeToSpill != nil {
			out.TimeToSpill = time.Duration(*st.TimeToSpill)
		}
		return out, true
	}
	return commands.DamNow{}, false
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
