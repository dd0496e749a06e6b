package commands_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/sensor"
)

const alarmID alarm.ID = "mejean~level:alerte~1"

func raisedAt(at time.Time) alarm.Raised {
	return alarm.Raised{AlarmID: alarmID, Dam: "mejean", Condition: "level:alerte", Class: alarm.ClassProcess, Occurrence: 1,
		Group: alarm.Group(alarmID), Source: "mejean.level", Severity: dam.SeverityHigh, Value: 6.1, Limit: 6, Unit: "m", Since: at, At: at}
}

type cmdFixture struct {
	store eventstore.Store
	codec *eventstore.Codec
	clock *clock
	h     *commands.AlarmCommands
}

func newCmdFixture(t *testing.T, wrap func(eventstore.Store) eventstore.Store) *cmdFixture {
	t.Helper()
	store, err := embedded.Open(t.TempDir(), embedded.Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		t.Fatal(err)
	}
	f := &cmdFixture{store: store, codec: codec, clock: &clock{t: t0.Add(time.Hour)}}
	var s eventstore.Store = store
	if wrap != nil {
		s = wrap(store)
	}
	dams := []dam.Dam{{ID: "mejean", Sensors: []sensor.Spec{{ID: "mejean.level"}}}, {ID: "est", Sensors: []sensor.Spec{{ID: "est.level"}}}}
	if f.h, err = commands.NewAlarmCommands(s, codec, dams, alarm.FloodRule{Window: 10 * time.Minute}, f.clock.Now); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *cmdFixture) given(t *testing.T, stream string, events ...event.Event) {
	t.Helper()
	if len(events) == 0 {
		return
	}
	var enc []eventstore.Event
	for _, e := range events {
		x, err := f.codec.Encode(e, eventstore.Metadata{Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		enc = append(enc, x)
	}
	if _, err := f.store.Append(context.Background(), stream, eventstore.Any, enc...); err != nil {
		t.Fatal(err)
	}
}

func (f *cmdFixture) stream(t *testing.T, stream string) []eventstore.Record {
	t.Helper()
	recs, err := f.store.ReadStream(context.Background(), stream, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func types(recs []eventstore.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Type)
	}
	return out
}

func TestAlarmCommands(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	rtn := alarm.ReturnedToNormal{AlarmID: alarmID, Source: "mejean.level", Value: 5.9, At: t0.Add(30 * time.Minute)}
	ack := alarm.Acknowledged{AlarmID: alarmID, By: "op-martin", Via: alarm.ViaSMS, At: t0.Add(10 * time.Minute)}
	shelved := alarm.Shelved{AlarmID: alarmID, By: "op-martin", Reason: "capteur en panne", Until: now.Add(2 * time.Hour), At: t0.Add(20 * time.Minute)}
	tests := []struct {
		name    string
		given   []event.Event
		when    func(context.Context, *commands.AlarmCommands) (commands.AlarmResult, error)
		want    []string // event types recorded
		wantErr error
	}{
		{name: "acknowledge an active alarm", given: []event.Event{raisedAt(t0)},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: alarmID, By: "op-durand", Via: alarm.ViaWeb, Comment: "vu"})
			}, want: []string{"alarm.acknowledged"}},
		{name: "acknowledge twice records nothing", given: []event.Event{raisedAt(t0), ack},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: alarmID, By: "op-durand", Via: alarm.ViaWeb})
			}},
		{name: "acknowledge a shelved alarm", given: []event.Event{raisedAt(t0), shelved},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: alarmID, By: "op-durand", Via: alarm.ViaWeb})
			}, wantErr: alarm.ErrShelved},
		{name: "acknowledge an alarm never raised",
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: alarmID, By: "op-durand", Via: alarm.ViaWeb})
			}, wantErr: alarm.ErrNotRaised},
		{name: "acknowledge without an operator", given: []event.Event{raisedAt(t0)},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: alarmID, Via: alarm.ViaWeb})
			}, wantErr: alarm.ErrOperatorRequired},
		{name: "comment a closed alarm", given: []event.Event{raisedAt(t0), rtn, alarm.Closed{AlarmID: alarmID, By: "op", Reason: "fin", At: t0.Add(40 * time.Minute)}},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Comment(ctx, commands.CommentAlarm{AlarmID: alarmID, By: "op-durand", Text: "revue"})
			}, want: []string{"alarm.commented"}},
		{name: "shelve", given: []event.Event{raisedAt(t0)},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Shelve(ctx, commands.ShelveAlarm{AlarmID: alarmID, By: "op-durand", Reason: "travaux", Until: now.Add(time.Hour)})
			}, want: []string{"alarm.shelved"}},
		{name: "shelve for more than a day", given: []event.Event{raisedAt(t0)},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Shelve(ctx, commands.ShelveAlarm{AlarmID: alarmID, By: "op-durand", Reason: "travaux", Until: now.Add(25 * time.Hour)})
			}, wantErr: alarm.ErrShelveTooLong},
		{name: "unshelve", given: []event.Event{raisedAt(t0), shelved},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Unshelve(ctx, commands.UnshelveAlarm{AlarmID: alarmID, By: "op-durand"})
			}, want: []string{"alarm.unshelved"}},
		{name: "close an active alarm", given: []event.Event{raisedAt(t0)},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Close(ctx, commands.CloseAlarm{AlarmID: alarmID, By: "op-durand", Reason: "fin"})
			}, wantErr: alarm.ErrStillActive},
		{name: "close an alarm back to normal", given: []event.Event{raisedAt(t0), rtn},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Close(ctx, commands.CloseAlarm{AlarmID: alarmID, By: "op-durand", Reason: "fin"})
			}, want: []string{"alarm.closed"}},
		{name: "a due shelve expires", given: []event.Event{raisedAt(t0), alarm.Shelved{AlarmID: alarmID, By: "op", Reason: "r", Until: now, At: t0}},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.ExpireShelve(ctx, commands.ExpireShelve{AlarmID: alarmID})
			}, want: []string{"alarm.unshelved"}},
		{name: "a shelve not due stays", given: []event.Event{raisedAt(t0), shelved},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.ExpireShelve(ctx, commands.ExpireShelve{AlarmID: alarmID})
			}},
		{name: "escalate", given: []event.Event{raisedAt(t0)},
			when: func(ctx context.Context, h *commands.AlarmCommands) (commands.AlarmResult, error) {
				return h.Escalate(ctx, commands.EscalateAlarm{AlarmID: alarmID, Level: 2})
			}, want: []string{"alarm.escalated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newCmdFixture(t, nil)
			f.given(t, "alarm-"+string(alarmID), tt.given...)
			res, err := tt.when(context.Background(), f.h)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			recs := f.stream(t, "alarm-"+string(alarmID))
			got := types(recs[min(len(tt.given), len(recs)):])
			if !slices.Equal(got, tt.want) {
				t.Fatalf("recorded %v, want %v", got, tt.want)
			}
			if res.Recorded != len(tt.want) || (len(tt.want) > 0) != (res.Position > 0) {
				t.Errorf("result %+v for %d events", res, len(tt.want))
			}
			for _, r := range recs[len(tt.given):] {
				if r.Meta.Actor == "" {
					t.Errorf("%s recorded without an actor", r.Type)
				}
				if raw := string(r.Data); !strings.Contains(raw, now.Format(time.RFC3339)) {
					t.Errorf("%s not dated by the handler's clock: %s", r.Type, raw)
				}
			}
		})
	}
}

// conflicting answers ErrConflict to the first n appends, as a concurrent writer would.
type conflicting struct {
	eventstore.Store
	mu sync.Mutex
	n  int
}

func (c *conflicting) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	c.mu.Lock()
	fail := c.n > 0
	c.n--
	c.mu.Unlock()
	if fail {
		return eventstore.AppendResult{}, eventstore.ErrConflict
	}
	return c.Store.Append(ctx, stream, expected, events...)
}

func TestAlarmCommandsRetryConflicts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		conflicts int
		wantErr   error
	}{{0, nil}, {1, nil}, {3, nil}, {4, eventstore.ErrConflict}}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			f := newCmdFixture(t, func(s eventstore.Store) eventstore.Store { return &conflicting{Store: s, n: tt.conflicts} })
			f.given(t, "alarm-"+string(alarmID), raisedAt(t0))
			_, err := f.h.Acknowledge(context.Background(), commands.AcknowledgeAlarm{AlarmID: alarmID, By: "op", Via: alarm.ViaWeb})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("after %d conflicts: %v, want %v", tt.conflicts, err, tt.wantErr)
			}
		})
	}
}

func TestMaintenanceFansOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCmdFixture(t, nil)
	open := func(id alarm.ID, cond alarm.Condition, source string) {
		f.given(t, "alarmboard-mejean", alarm.SlotOpened{Dam: "mejean", Condition: cond, Occurrence: 1, AlarmID: id, Group: alarm.Group(id), At: t0})
		r := raisedAt(t0)
		r.AlarmID, r.Condition, r.Source, r.Group = id, cond, source, alarm.Group(id)
		f.given(t, "alarm-"+string(id), r)
	}
	open("mejean~level:alerte~1", "level:alerte", "mejean.level")
	open("mejean~stale:other.level~1", "stale:other.level", "other.level")

	tests := []struct {
		name string
		run  func() (commands.MaintenanceResult, error)
		want []alarm.ID
		err  error
	}{
		{"a sensor", func() (commands.MaintenanceResult, error) {
			return f.h.RemoveFromService(ctx, commands.RemoveFromService{Sensor: "mejean.level", By: "op", Reason: "sonde"})
		}, []alarm.ID{"mejean~level:alerte~1"}, nil},
		{"the same sensor again", func() (commands.MaintenanceResult, error) {
			return f.h.RemoveFromService(ctx, commands.RemoveFromService{Sensor: "mejean.level", By: "op", Reason: "sonde"})
		}, nil, nil},
		{"the whole dam", func() (commands.MaintenanceResult, error) {
			return f.h.RemoveFromService(ctx, commands.RemoveFromService{Dam: "mejean", By: "op", Reason: "vidange"})
		}, []alarm.ID{"mejean~stale:other.level~1"}, nil},
		{"the dam back, its sensor still out", func() (commands.MaintenanceResult, error) {
			return f.h.ReturnToService(ctx, commands.ReturnToService{Dam: "mejean", By: "op"})
		}, []alarm.ID{"mejean~stale:other.level~1"}, nil},
		{"the sensor back", func() (commands.MaintenanceResult, error) {
			return f.h.ReturnToService(ctx, commands.ReturnToService{Sensor: "mejean.level", By: "op"})
		}, []alarm.ID{"mejean~level:alerte~1"}, nil},
		{"without a reason", func() (commands.MaintenanceResult, error) {
			return f.h.RemoveFromService(ctx, commands.RemoveFromService{Dam: "est", By: "op"})
		}, nil, alarm.ErrReasonRequired},
		{"an unknown sensor", func() (commands.MaintenanceResult, error) {
			return f.h.RemoveFromService(ctx, commands.RemoveFromService{Sensor: "nowhere", By: "op", Reason: "x"})
		}, nil, commands.ErrUnknownScope},
		{"a sensor of another dam", func() (commands.MaintenanceResult, error) {
			return f.h.RemoveFromService(ctx, commands.RemoveFromService{Dam: "est", Sensor: "mejean.level", By: "op", Reason: "x"})
		}, nil, commands.ErrUnknownScope},
	}
	for _, tt := range tests { // in order: each step builds on the previous
		res, err := tt.run()
		if !errors.Is(err, tt.err) {
			t.Fatalf("%s: %v, want %v", tt.name, err, tt.err)
		}
		if !slices.Equal(res.Alarms, tt.want) {
			t.Errorf("%s: changed %v, want %v", tt.name, res.Alarms, tt.want)
		}
	}
	board := types(f.stream(t, "alarmboard-mejean"))
	want := []string{"alarmboard.slot_opened", "alarmboard.slot_opened", "alarmboard.maintenance_started", "alarmboard.maintenance_started",
		"alarmboard.maintenance_ended", "alarmboard.maintenance_ended"}
	if !slices.Equal(board, want) {
		t.Errorf("board %v, want %v", board, want)
	}
}

func TestNewAlarmCommandsRefusesNil(t *testing.T) {
	t.Parallel()
	if _, err := commands.NewAlarmCommands(nil, nil, nil, alarm.FloodRule{Window: -1}, nil); err == nil {
		t.Fatal("nil dependencies accepted")
	}
}
