package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/sensor"
)

// ErrUnknownScope: a maintenance command names a dam or sensor the configuration does not have.
var ErrUnknownScope = errors.New("unknown dam or sensor")

// Commands of operators (and of the cascade) on alarms. By is who acts; the time is the
// handler's clock. CorrelationID ties the recorded events to the request.

type AcknowledgeAlarm struct {
	AlarmID       alarm.ID
	By            alarm.OperatorID
	Via           alarm.Channel
	Comment       string
	CorrelationID string
}

type CommentAlarm struct {
	AlarmID       alarm.ID
	By            alarm.OperatorID
	Text          string
	CorrelationID string
}

type ShelveAlarm struct {
	AlarmID       alarm.ID
	By            alarm.OperatorID
	Reason        string
	Until         time.Time
	CorrelationID string
}

type UnshelveAlarm struct {
	AlarmID       alarm.ID
	By            alarm.OperatorID
	CorrelationID string
}

type CloseAlarm struct {
	AlarmID       alarm.ID
	By            alarm.OperatorID
	Reason        string
	CorrelationID string
}

// ExpireShelve enforces a due shelve expiry (the scheduler sends it).
type ExpireShelve struct {
	AlarmID alarm.ID
}

// EscalateAlarm records that the cascade reached a step (safe to resend).
type EscalateAlarm struct {
	AlarmID alarm.ID
	Level   int
}

// RemoveFromService takes a sensor (Sensor set) or a whole dam (Dam set, Sensor empty) out of
// service: alarms raised for it are born suppressed, and those in progress are suppressed.
type RemoveFromService struct {
	Dam           dam.ID
	Sensor        sensor.ID
	By            alarm.OperatorID
	Reason        string
	CorrelationID string
}

// ReturnToService ends a RemoveFromService.
type ReturnToService struct {
	Dam           dam.ID
	Sensor        sensor.ID
	By            alarm.OperatorID
	CorrelationID string
}

// AlarmResult tells what a command recorded: Position is the log position of its last event (0
// when it recorded nothing: the command was idempotent), for a reader to wait for.
type AlarmResult struct {
	Position uint64
	Recorded int
}

// MaintenanceResult tells what a maintenance command changed: the dam's board and the alarms it
// suppressed or returned to service.
type MaintenanceResult struct {
	Dam      dam.ID
	Scope    string
	Alarms   []alarm.ID
	Position uint64
}

// AlarmCommands handles the commands on alarms and on the dams' boards (maintenance).
type AlarmCommands struct {
	store   eventstore.Store
	codec   *eventstore.Codec
	now     func() time.Time
	flood   alarm.FloodRule
	dams    map[dam.ID]bool
	sensors map[sensor.ID]dam.ID
}

// NewAlarmCommands needs the dams (for maintenance scopes) and the flood rule the boards use.
func NewAlarmCommands(store eventstore.Store, codec *eventstore.Codec, dams []dam.Dam, flood alarm.FloodRule, now func() time.Time) (*AlarmCommands, error) {
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
	if flood.Window < 0 {
		errs = append(errs, fmt.Errorf("flood window %s must be ≥ 0", flood.Window))
	}
	h := &AlarmCommands{store: store, codec: codec, now: now, flood: flood, dams: map[dam.ID]bool{}, sensors: map[sensor.ID]dam.ID{}}
	for _, d := range dams {
		if d.ID == "" {
			errs = append(errs, errors.New("a dam has no id"))
		}
		h.dams[d.ID] = true
		for _, s := range d.Sensors {
			h.sensors[s.ID] = d.ID
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new alarm commands: %w", err)
	}
	return h, nil
}

func (h *AlarmCommands) Acknowledge(ctx context.Context, cmd AcknowledgeAlarm) (AlarmResult, error) {
	return h.update(ctx, cmd.AlarmID, meta(cmd.By, cmd.CorrelationID), func(a *alarm.Alarm) error {
		return a.Acknowledge(cmd.By, cmd.Via, cmd.Comment, h.now())
	})
}

func (h *AlarmCommands) Comment(ctx context.Context, cmd CommentAlarm) (AlarmResult, error) {
	return h.update(ctx, cmd.AlarmID, meta(cmd.By, cmd.CorrelationID), func(a *alarm.Alarm) error {
		return a.Comment(cmd.By, cmd.Text, h.now())
	})
}

func (h *AlarmCommands) Shelve(ctx context.Context, cmd ShelveAlarm) (AlarmResult, error) {
	return h.update(ctx, cmd.AlarmID, meta(cmd.By, cmd.CorrelationID), func(a *alarm.Alarm) error {
		return a.Shelve(cmd.By, cmd.Reason, cmd.Until, h.now())
	})
}

func (h *AlarmCommands) Unshelve(ctx context.Context, cmd UnshelveAlarm) (AlarmResult, error) {
	return h.update(ctx, cmd.AlarmID, meta(cmd.By, cmd.CorrelationID), func(a *alarm.Alarm) error {
		return a.Unshelve(cmd.By, h.now())
	})
}

func (h *AlarmCommands) Close(ctx context.Context, cmd CloseAlarm) (AlarmResult, error) {
	return h.update(ctx, cmd.AlarmID, meta(cmd.By, cmd.CorrelationID), func(a *alarm.Alarm) error {
		return a.Close(cmd.By, cmd.Reason, h.now())
	})
}

// ExpireShelve is recorded as the scheduler's.
func (h *AlarmCommands) ExpireShelve(ctx context.Context, cmd ExpireShelve) (AlarmResult, error) {
	return h.update(ctx, cmd.AlarmID, eventstore.Metadata{Actor: SchedulerActor}, func(a *alarm.Alarm) error {
		return a.Expire(h.now())
	})
}

// Escalate is recorded as the cascade's.
func (h *AlarmCommands) Escalate(ctx context.Context, cmd EscalateAlarm) (AlarmResult, error) {
	return h.update(ctx, cmd.AlarmID, eventstore.Metadata{Actor: "system:cascade"}, func(a *alarm.Alarm) error {
		return a.Escalate(cmd.Level, h.now())
	})
}

// RemoveFromService records the maintenance on the dam's board, then suppresses every alarm of
// the board's slots whose source is in scope. Both steps are idempotent, so a retry after a
// failure finishes the job.
func (h *AlarmCommands) RemoveFromService(ctx context.Context, cmd RemoveFromService) (MaintenanceResult, error) {
	d, scope, err := h.scope(cmd.Dam, cmd.Sensor)
	if err != nil {
		return MaintenanceResult{}, err
	}
	at := h.now()
	m := meta(cmd.By, cmd.CorrelationID)
	return h.maintain(ctx, d, scope, false, m, func(b *alarm.Board) error {
		return b.StartMaintenance(scope, cmd.By, cmd.Reason, at)
	}, func(a *alarm.Alarm) error {
		return a.RemoveFromService(cmd.By, cmd.Reason, at)
	})
}

// ReturnToService ends the maintenance on the board, then returns its scope's alarms to service,
// but those another maintenance still covers (a sensor kept out while its dam returns).
func (h *AlarmCommands) ReturnToService(ctx context.Context, cmd ReturnToService) (MaintenanceResult, error) {
	d, scope, err := h.scope(cmd.Dam, cmd.Sensor)
	if err != nil {
		return MaintenanceResult{}, err
	}
	at := h.now()
	m := meta(cmd.By, cmd.CorrelationID)
	return h.maintain(ctx, d, scope, true, m, func(b *alarm.Board) error {
		return b.EndMaintenance(scope, cmd.By, at)
	}, func(a *alarm.Alarm) error {
		return a.ReturnToService(cmd.By, at)
	})
}

// scope resolves a maintenance scope: a sensor (its dam found in the configuration), or a dam.
func (h *AlarmCommands) scope(d dam.ID, s sensor.ID) (dam.ID, string, error) {
	if s != "" {
		sd, ok := h.sensors[s]
		if !ok {
			return "", "", fmt.Errorf("sensor %s: %w", s, ErrUnknownScope)
		}
		if d != "" && d != sd {
			return "", "", fmt.Errorf("sensor %s is on dam %s, not %s: %w", s, sd, d, ErrUnknownScope)
		}
		return sd, string(s), nil
	}
	if !h.dams[d] {
		return "", "", fmt.Errorf("dam %q: %w", d, ErrUnknownScope)
	}
	return d, "", nil
}

func (h *AlarmCommands) maintain(ctx context.Context, d dam.ID, scope string, returning bool, m eventstore.Metadata, onBoard func(*alarm.Board) error, onAlarm func(*alarm.Alarm) error) (MaintenanceResult, error) {
	res := MaintenanceResult{Dam: d, Scope: scope}
	var slots []alarm.ID
	var board *alarm.Board
	err := retryConflicts(func() error {
		recs, err := readRecords(ctx, h.store, boardStream(d))
		if err != nil {
			return err
		}
		b, err := alarm.NewBoard(d, h.flood)
		if err != nil {
			return err
		}
		history, err := decodeRecords(h.codec, recs)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			b.Load(recs[len(recs)-1].Revision, history)
		}
		if err := onBoard(b); err != nil {
			return err
		}
		slots, board = b.Slots(), b
		if len(b.Changes()) == 0 {
			return nil
		}
		out, err := appendChanges(ctx, h.store, h.codec, boardStream(d), b.Revision(), b.Changes(), m)
		if err != nil {
			return err
		}
		res.Position = out.LastPosition
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("maintenance of %s%s: %w", d, scopeSuffix(scope), err)
	}
	for _, id := range slots {
		r, err := h.update(ctx, id, m, func(a *alarm.Alarm) error {
			st := a.Status()
			if !inScope(st, scope) || (returning && stillOut(board, st)) {
				return nil
			}
			return onAlarm(a)
		})
		switch {
		case errors.Is(err, alarm.ErrNotRaised):
			continue // its raise is being recorded: it is born with the board's maintenance
		case err != nil:
			return res, fmt.Errorf("maintenance of %s%s: %w", d, scopeSuffix(scope), err)
		}
		if r.Recorded > 0 {
			res.Alarms = append(res.Alarms, id)
			res.Position = max(res.Position, r.Position)
		}
	}
	return res, nil
}

func scopeSuffix(scope string) string {
	if scope == "" {
		return ""
	}
	return " (" + scope + ")"
}

// inScope reports whether an alarm belongs to a maintenance scope: the whole dam, or a sensor
// that raised it, keeps it active or qualifies its condition.
func inScope(st alarm.Status, scope string) bool {
	if scope == "" {
		return true
	}
	_, qualifier, _ := strings.Cut(string(st.Condition), ":")
	return st.Source == scope || slices.Contains(st.Sources, scope) || (!st.Condition.Kind().Process() && qualifier == scope)
}

// stillOut reports whether an alarm is still covered by a maintenance of the board once one
// scope ended (the dam returns to service while one of its sensors stays out).
func stillOut(b *alarm.Board, st alarm.Status) bool {
	if _, ok := b.InMaintenance(st.Source); ok {
		return true
	}
	for _, s := range st.Sources {
		if _, ok := b.InMaintenance(s); ok {
			return true
		}
	}
	_, qualifier, _ := strings.Cut(string(st.Condition), ":")
	if !st.Condition.Kind().Process() && qualifier != "" {
		_, ok := b.InMaintenance(qualifier)
		return ok
	}
	return false
}

func meta(by alarm.OperatorID, correlation string) eventstore.Metadata {
	return eventstore.Metadata{Actor: string(by), CorrelationID: correlation}
}

// update is the repository's update-function pattern: load and fold the alarm's stream, let fn
// decide, append what it recorded at the loaded revision; on a conflict, do it all again (at most
// maxConflictRetries times). A domain refusal is returned as the domain wrote it.
func (h *AlarmCommands) update(ctx context.Context, id alarm.ID, m eventstore.Metadata, fn func(*alarm.Alarm) error) (AlarmResult, error) {
	var res AlarmResult
	err := retryConflicts(func() error {
		res = AlarmResult{}
		recs, err := readRecords(ctx, h.store, alarmStream(id))
		if err != nil {
			return err
		}
		history, err := decodeRecords(h.codec, recs)
		if err != nil {
			return err
		}
		a := alarm.New(id)
		if len(recs) > 0 {
			a.Load(recs[len(recs)-1].Revision, history)
		}
		if err := fn(a); err != nil {
			return err
		}
		if len(a.Changes()) == 0 {
			return nil
		}
		out, err := appendChanges(ctx, h.store, h.codec, alarmStream(id), a.Revision(), a.Changes(), m)
		if err != nil {
			return err
		}
		res = AlarmResult{Position: out.LastPosition, Recorded: len(a.Changes())}
		return nil
	})
	return res, err
}

// retryConflicts runs try again while it fails on a conflict, at most maxConflictRetries times.
func retryConflicts(try func() error) error {
	var err error
	for attempt := 0; attempt <= maxConflictRetries; attempt++ {
		if err = try(); !errors.Is(err, eventstore.ErrConflict) {
			return err
		}
	}
	return err
}

func alarmStream(id alarm.ID) string { return eventstore.StreamName(alarm.Category, string(id)) }
func boardStream(d dam.ID) string    { return eventstore.StreamName(alarm.BoardCategory, string(d)) }

func expectedRevision(rev int64) eventstore.Revision {
	if rev < 0 {
		return eventstore.NoStream
	}
	return eventstore.At(uint64(rev))
}

// appendChanges encodes changes and appends them to stream, expected at revision (-1: new).
func appendChanges(ctx context.Context, store eventstore.Store, codec *eventstore.Codec, stream string, revision int64, changes []event.Event, m eventstore.Metadata) (eventstore.AppendResult, error) {
	events, err := encodeChanges(codec, stream, changes, m)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	expected := expectedRevision(revision)
	res, err := store.Append(ctx, stream, expected, events...)
	if err != nil {
		return res, fmt.Errorf("append %d events to %s at %s: %w", len(events), stream, expected, err)
	}
	return res, nil
}

// recordDecision appends what a board decided: its own changes, then those of each alarm it
// touched, in one eventstore.AppendInOrder call. With a store that commits several streams at
// once (the embedded and PostgreSQL ones) that is one commit, all or nothing; with the others the
// parts are appended one by one, the board first (docs/alarms.md, "Append the board first"),
// stopping at the first error. The aggregates whose changes were written are cleared; on an
// error the caller forgets the others (they hold changes the store does not).
func recordDecision(ctx context.Context, store eventstore.Store, codec *eventstore.Codec, d dam.ID, board *alarm.Board, touched []*alarm.Alarm, meta eventstore.Metadata) error {
	parts := make([]eventstore.StreamAppend, 0, 1+len(touched))
	owners := make([]interface{ ClearChanges(uint64) }, 0, 1+len(touched))
	add := func(stream string, revision int64, changes []event.Event, owner interface{ ClearChanges(uint64) }) error {
		if len(changes) == 0 {
			return nil
		}
		events, err := encodeChanges(codec, stream, changes, meta)
		if err != nil {
			return err
		}
		parts = append(parts, eventstore.StreamAppend{Stream: stream, Expected: expectedRevision(revision), Events: events})
		owners = append(owners, owner)
		return nil
	}
	if err := add(boardStream(d), board.Revision(), board.Changes(), board); err != nil {
		return err
	}
	for _, a := range touched {
		if err := add(alarmStream(a.ID()), a.Revision(), a.Changes(), a); err != nil {
			return err
		}
	}
	if len(parts) == 0 {
		return nil
	}
	res, err := eventstore.AppendInOrder(ctx, store, parts...)
	for i, r := range res {
		owners[i].ClearChanges(r.Revision)
	}
	return err
}

// encodeChanges encodes an aggregate's changes for stream, with metadata m.
func encodeChanges(codec *eventstore.Codec, stream string, changes []event.Event, m eventstore.Metadata) ([]eventstore.Event, error) {
	events := make([]eventstore.Event, 0, len(changes))
	for _, c := range changes {
		enc, err := codec.Encode(c, m)
		if err != nil {
			return nil, fmt.Errorf("encode %s for %s: %w", c.EventType(), stream, err)
		}
		events = append(events, enc)
	}
	return events, nil
}

// readRecords reads a whole stream, metadata included.
func readRecords(ctx context.Context, store eventstore.Store, stream string) ([]eventstore.Record, error) {
	const page = 1024
	var out []eventstore.Record
	for from := uint64(0); ; {
		recs, err := store.ReadStream(ctx, stream, from, page)
		if err != nil {
			return nil, fmt.Errorf("read stream %s from %d: %w", stream, from, err)
		}
		out = append(out, recs...)
		if len(recs) < page {
			return out, nil
		}
		from = recs[len(recs)-1].Revision + 1
	}
}

func decodeRecords(codec *eventstore.Codec, recs []eventstore.Record) ([]event.Event, error) {
	out := make([]event.Event, 0, len(recs))
	for _, r := range recs {
		e, err := codec.Decode(r)
		if err != nil {
			return nil, fmt.Errorf("read stream %s: %w", r.Stream, err)
		}
		out = append(out, e)
	}
	return out, nil
}
