package replay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/event"
)

// Saga runs the domain's cascade saga (domain/cascade) over a replay's scratch log with the setup
// s: every alarm event is decided on in log order, every timer fires exactly at its due time, and
// nothing is sent: the notifications are requested (recorded) only, and get an outcome only when
// the recorded log has one for the same notification. It is the replay's stand-in for the
// service's cascade process; any CascadeFunc can take its place.
func Saga(s cascade.Setup) CascadeFunc {
	return func(env CascadeEnv) (Cascade, error) {
		if env.Store == nil || env.Codec == nil || env.Alarms == nil || env.Clock == nil {
			return nil, fmt.Errorf("cascade saga: store, codec, alarm commands and clock are required")
		}
		return &saga{setup: s, env: env, alarms: map[alarm.ID]*alarm.Alarm{}, cascades: map[alarm.ID]*cascade.Cascade{}}, nil
	}
}

type saga struct {
	setup    cascade.Setup
	env      CascadeEnv
	after    uint64
	alarms   map[alarm.ID]*alarm.Alarm
	cascades map[alarm.ID]*cascade.Cascade
}

var _ Handover = (*saga)(nil)

// TakeOver goes on with the cascades of previous (a saga too) under this saga's setup: the
// service's cascade engine reloads them from the log when it restarts with a new configuration.
func (s *saga) TakeOver(previous Cascade) error {
	p, ok := previous.(*saga)
	if !ok {
		return fmt.Errorf("cascade saga: cannot take over from a %T", previous)
	}
	s.after, s.alarms, s.cascades = p.after, p.alarms, p.cascades
	return nil
}

func (s *saga) cascadeOf(id alarm.ID) *cascade.Cascade {
	c, ok := s.cascades[id]
	if !ok {
		c = cascade.New(id)
		s.cascades[id] = c
	}
	return c
}

// Follow decides on every alarm event after the last one seen.
func (s *saga) Follow(ctx context.Context, upTo uint64, now time.Time) error {
	for s.after < upTo {
		recs, err := s.env.Store.ReadAll(ctx, s.after, int(min(upTo-s.after, 1024)))
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		for _, rec := range recs {
			s.after = rec.Position
			if rec.Position > upTo {
				return nil
			}
			id, ok := strings.CutPrefix(rec.Stream, alarm.Category+"-")
			if !ok {
				continue
			}
			e, err := s.env.Codec.Decode(rec)
			if err != nil {
				return err
			}
			if err := s.onAlarm(ctx, alarm.ID(id), rec.Revision, e, now); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *saga) onAlarm(ctx context.Context, id alarm.ID, rev uint64, e event.Event, now time.Time) error {
	a, ok := s.alarms[id]
	if !ok {
		a = alarm.New(id)
		s.alarms[id] = a
	}
	a.Load(rev, []event.Event{e})
	st := a.Status()
	facts := cascade.Facts{AlarmID: id, Dam: st.Dam, Condition: st.Condition, Severity: st.Severity}
	if r, ok := e.(alarm.Raised); ok {
		facts.Value, facts.Limit, facts.Unit, facts.Since = r.Value, r.Limit, r.Unit, r.Since
	}
	c := s.cascadeOf(id)
	if err := c.Decide(cascade.AlarmChanged{Revision: rev, Event: e, Status: st, Facts: facts}, s.setup, now); err != nil {
		return fmt.Errorf("cascade of %s on %s: %w", id, e.EventType(), err)
	}
	return s.store(ctx, c)
}

// Due fires, in due order, every timer due by now; each is decided at its due time.
func (s *saga) Due(ctx context.Context, now time.Time) error {
	for {
		var next *cascade.StepScheduled
		for _, c := range s.cascades {
			p := c.Status().Pending
			if p == nil || p.DueAt.After(now) {
				continue
			}
			if next == nil || cmp.Or(p.DueAt.Compare(next.DueAt), cmp.Compare(p.AlarmID, next.AlarmID)) < 0 {
				next = p
			}
		}
		if next == nil {
			return nil
		}
		s.env.Clock.Set(next.DueAt)
		c := s.cascades[next.AlarmID]
		if err := c.Decide(next.Wake(), s.setup, next.DueAt); err != nil {
			return fmt.Errorf("cascade of %s, timer %+v: %w", next.AlarmID, next.Stage, err)
		}
		if len(c.Changes()) == 0 { // it would stay pending: do not loop
			return fmt.Errorf("cascade of %s: timer %+v due at %s decided nothing", next.AlarmID, next.Stage, next.DueAt.Format(time.RFC3339))
		}
		if err := s.store(ctx, c); err != nil {
			return err
		}
		head, err := s.env.Store.Head(ctx)
		if err != nil {
			return err
		}
		if err := s.Follow(ctx, head, next.DueAt); err != nil {
			return err
		}
	}
}

// Outcome applies a provider's recorded report to the replayed notification of the same id.
func (s *saga) Outcome(ctx context.Context, id alarm.ID, o cascade.Outcome, now time.Time) (bool, error) {
	c, ok := s.cascades[id]
	if !ok {
		return false, nil
	}
	if err := c.Decide(o, s.setup, now); err != nil {
		if errors.Is(err, cascade.ErrUnknownNotification) {
			return false, nil // a failed decision records nothing
		}
		return false, err
	}
	return true, s.store(ctx, c)
}

// store appends what the cascade decided, then records the escalation level each started step
// reaches on the alarm, as the service's dispatcher does.
func (s *saga) store(ctx context.Context, c *cascade.Cascade) error {
	changes := c.Changes()
	if len(changes) == 0 {
		return nil
	}
	evs := make([]eventstore.Event, 0, len(changes))
	for _, e := range changes {
		enc, err := s.env.Codec.Encode(e, eventstore.Metadata{Actor: string(cascade.Actor)})
		if err != nil {
			return err
		}
		evs = append(evs, enc)
	}
	expected := eventstore.NoStream
	if c.Revision() >= 0 {
		expected = eventstore.At(uint64(c.Revision()))
	}
	stream := eventstore.StreamName(cascade.Category, string(c.ID()))
	res, err := s.env.Store.Append(ctx, stream, expected, evs...)
	if err != nil {
		return fmt.Errorf("append %d events to %s: %w", len(evs), stream, err)
	}
	c.ClearChanges(res.Revision)
	levels := []int{}
	for _, e := range changes {
		if st, ok := e.(cascade.StepStarted); ok {
			levels = append(levels, st.Level)
		}
	}
	slices.Sort(levels)
	for _, l := range slices.Compact(levels) {
		if _, err := s.env.Alarms.Escalate(ctx, commands.EscalateAlarm{AlarmID: c.ID(), Level: l}); err != nil {
			return fmt.Errorf("escalate %s to level %d: %w", c.ID(), l, err)
		}
	}
	return nil
}
