package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/alarm"
)

// SchedulerActor is the actor of what the scheduler records (shelve expiries).
const SchedulerActor = "system:scheduler"

// Ticker is told the wall-clock time (the condition engine: stale sensors).
type Ticker interface {
	Tick(ctx context.Context, now time.Time) error
}

// ShelvedViews lists alarms by state (a subset of readstore.AlarmViews).
type ShelvedViews interface {
	Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error)
}

// ShelveExpirer enforces a due shelve expiry (AlarmCommands).
type ShelveExpirer interface {
	ExpireShelve(ctx context.Context, cmd ExpireShelve) (AlarmResult, error)
}

// Scheduler turns the passing of time into commands: on each tick, the condition engine hears
// the time (stale sensors) and every shelve whose expiry is due is ended. It holds no timer of its
// own that matters: the expiries are in the alarm views (from the log), so they survive a restart,
// and every alarm command enforces a due expiry anyway; a late tick only delays the record.
type Scheduler struct {
	engine  Ticker
	views   ShelvedViews
	expirer ShelveExpirer
	log     *slog.Logger
}

// NewScheduler refuses nil dependencies.
func NewScheduler(engine Ticker, views ShelvedViews, expirer ShelveExpirer, logger *slog.Logger) (*Scheduler, error) {
	var errs []error
	if engine == nil {
		errs = append(errs, errors.New("ticker is nil"))
	}
	if views == nil {
		errs = append(errs, errors.New("alarm views are nil"))
	}
	if expirer == nil {
		errs = append(errs, errors.New("shelve expirer is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new scheduler: %w", err)
	}
	return &Scheduler{engine: engine, views: views, expirer: expirer, log: logger}, nil
}

// Run ticks at every time received from ticks (a time.Ticker's channel in production, a fake
// clock's in tests) until ctx ends or ticks is closed. Failures are logged: the next tick tries
// again.
func (s *Scheduler) Run(ctx context.Context, ticks <-chan time.Time) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case now, ok := <-ticks:
			if !ok {
				return nil
			}
			if err := s.Tick(ctx, now); err != nil && ctx.Err() == nil {
				s.log.Warn("scheduler tick failed; the next one tries again", "at", now, "err", err)
			}
		}
	}
}

// Tick runs one round at now and returns every failure.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	var errs []error
	if err := s.engine.Tick(ctx, now); err != nil {
		errs = append(errs, err)
	}
	shelved, err := s.views.Alarms(ctx, readstore.AlarmQuery{States: []string{string(alarm.StateShelved)}})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("list shelved alarms: %w", err))...)
	}
	for _, v := range shelved {
		if v.Shelve == nil || now.Before(v.Shelve.Until) {
			continue
		}
		if _, err := s.expirer.ExpireShelve(ctx, ExpireShelve{AlarmID: alarm.ID(v.ID)}); err != nil {
			errs = append(errs, fmt.Errorf("expire the shelve of %s: %w", v.ID, err))
		}
	}
	return errors.Join(errs...)
}
