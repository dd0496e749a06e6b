package projections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/event"
)

// AlarmsName is the alarm views' durable name; bump it when what they hold changes.
const AlarmsName = "alarms.v1"

// AlarmViewsReader is what the alarms projection reads back after a restart (a subset of
// readstore.AlarmViews).
type AlarmViewsReader interface {
	AlarmHistory(ctx context.Context, id string) ([]readstore.AlarmHistoryEntry, error)
}

// Alarms keeps the alarm views: the current state of every alarm, its history told in the site's
// language, and its activations for the performance figures (kpi.go).
//
// It folds each alarm's events with the domain's aggregate, so a state shown is exactly the
// state the commands decide from. The aggregates are kept in memory once seen; after a restart
// an alarm is folded again from the history the read store holds (committed with the checkpoint,
// so it is exactly what came before the next event).
type Alarms struct {
	views AlarmViewsReader
	lang  Language
	memo  map[alarm.ID]*alarmMemo
}

var (
	_ Projection = (*Alarms)(nil)
	_ Restarter  = (*Alarms)(nil)
)

// alarmMemo is the working memory of one alarm.
type alarmMemo struct {
	agg  *alarm.Alarm
	view readstore.AlarmView
	// pending is the latest annunciated activation nobody acknowledged yet.
	pending *readstore.AlarmActivation
}

// NewAlarms writes summaries in lang.
func NewAlarms(views AlarmViewsReader, lang Language) (*Alarms, error) {
	var errs []error
	if views == nil {
		errs = append(errs, errors.New("alarm views are nil"))
	}
	if !lang.Valid() {
		errs = append(errs, fmt.Errorf("language %q is not one of fr, en", lang))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new alarms projection: %w", err)
	}
	return &Alarms{views: views, lang: lang, memo: map[alarm.ID]*alarmMemo{}}, nil
}

func (p *Alarms) Name() string { return AlarmsName }

// Restart forgets every alarm; each is folded again from its stored history when next seen.
func (p *Alarms) Restart(context.Context, uint64) error {
	p.memo = map[alarm.ID]*alarmMemo{}
	return nil
}

func (p *Alarms) Handle(ctx context.Context, batch []Decoded) (readstore.Batch, error) {
	var out readstore.Batch
	var touched []alarm.ID
	activations := map[string]int{} // key -> index in out.Alarms.Activations
	for _, d := range batch {
		rest, ok := strings.CutPrefix(d.Stream, alarm.Category+"-")
		if !ok {
			continue
		}
		id := alarm.ID(rest)
		m, err := p.load(ctx, id)
		if err != nil {
			return readstore.Batch{}, err
		}
		entry, act, err := p.fold(m, d)
		if err != nil {
			return readstore.Batch{}, fmt.Errorf("alarm %s at position %d: %w", id, d.Position, err)
		}
		out.Alarms.History = append(out.Alarms.History, entry)
		if act != nil {
			key := fmt.Sprintf("%s@%d", act.AlarmID, act.Position)
			if i, ok := activations[key]; ok {
				out.Alarms.Activations[i] = *act
			} else {
				activations[key] = len(out.Alarms.Activations)
				out.Alarms.Activations = append(out.Alarms.Activations, *act)
			}
		}
		if !slices.Contains(touched, id) {
			touched = append(touched, id)
		}
	}
	for _, id := range touched {
		out.Alarms.Views = append(out.Alarms.Views, cloneView(p.memo[id].view))
	}
	return out, nil
}

// load returns an alarm's memory, folding its stored history if it is not in memory.
func (p *Alarms) load(ctx context.Context, id alarm.ID) (*alarmMemo, error) {
	if m := p.memo[id]; m != nil {
		return m, nil
	}
	m := &alarmMemo{agg: alarm.New(id)}
	history, err := p.views.AlarmHistory(ctx, string(id))
	if err != nil {
		return nil, fmt.Errorf("reload alarm %s: %w", id, err)
	}
	for _, h := range history {
		ev, err := decodeAlarmEvent(h.Type, h.Data)
		if err != nil {
			return nil, fmt.Errorf("reload alarm %s at position %d: %w", id, h.Position, err)
		}
		d := Decoded{Record: eventstore.Record{Position: h.Position, Stream: alarm.Category + "-" + string(id), Type: h.Type,
			RecordedAt: h.RecordedAt, Meta: eventstore.Metadata{Actor: h.Actor}}, Event: ev}
		if _, _, err := p.fold(m, d); err != nil {
			return nil, fmt.Errorf("reload alarm %s at position %d: %w", id, h.Position, err)
		}
	}
	p.memo[id] = m
	return m, nil
}

// fold applies one event to an alarm's memory and returns its history entry and the activation
// row it creates or changes (nil for none).
func (p *Alarms) fold(m *alarmMemo, d Decoded) (readstore.AlarmHistoryEntry, *readstore.AlarmActivation, error) {
	text, sum, err := alarmSentence(d, p.lang)
	if err != nil {
		return readstore.AlarmHistoryEntry{}, nil, err
	}
	data, err := json.Marshal(d.Event)
	if err != nil {
		return readstore.AlarmHistoryEntry{}, nil, fmt.Errorf("encode %s: %w", d.Type, err)
	}
	m.agg.Load(d.Revision, []event.Event{d.Event})
	st := m.agg.Status()
	v := &m.view
	actor := d.Meta.Actor
	if sum.Actor != "" {
		actor = sum.Actor
	}
	entry := readstore.AlarmHistoryEntry{AlarmID: string(m.agg.ID()), Dam: damOf(m.agg.ID()), Position: d.Position, Type: d.Type, At: sum.Time,
		RecordedAt: d.RecordedAt, Actor: actor, Summary: text, Data: data}

	var act *readstore.AlarmActivation
	activate := func(at time.Time, historical bool) {
		a := readstore.AlarmActivation{AlarmID: string(st.ID), Position: d.Position, Dam: string(st.Dam), Condition: string(st.Condition),
			Class: string(st.Class), Severity: string(st.Severity), At: at, AnnouncedAt: d.RecordedAt, Historical: historical,
			Annunciated: st.State == alarm.StateUnackActive || st.State == alarm.StateUnackRTN}
		act, m.pending = &a, nil
		if a.Annunciated {
			pending := a
			m.pending = &pending
		}
	}
	switch e := d.Event.(type) {
	case alarm.Raised:
		*v = readstore.AlarmView{ID: string(e.AlarmID), Dam: string(e.Dam), Condition: string(e.Condition), Kind: string(e.Condition.Kind()),
			Class: string(e.Class), Occurrence: e.Occurrence, Group: string(e.Group), Source: e.Source, Sensor: sensorOf(e.Condition, e.Source),
			Value: e.Value, Limit: e.Limit, Unit: e.Unit, Detail: e.Detail, Summary: text, Since: e.Since, RaisedAt: e.At,
			AnnouncedAt: d.RecordedAt, ActiveSince: e.At, Late: e.Late, Historical: e.Historical, Comments: []readstore.AlarmCommentView{}}
		activate(e.At, e.Historical)
	case alarm.Reactivated:
		v.Value, v.Detail, v.ActiveSince, v.ReturnedAt = e.Value, e.Detail, e.At, nil
		activate(e.At, e.Historical)
	case alarm.Updated:
		v.Value = e.Value
	case alarm.ReturnedToNormal:
		at := e.At
		v.Value, v.ReturnedAt = e.Value, &at
		if e.Detail != "" {
			v.Detail = e.Detail
		}
	case alarm.Acknowledged:
		at := e.At
		v.AckedBy, v.AckedVia, v.AckedAt = string(e.By), string(e.Via), &at
		if e.Comment != "" {
			v.Comments = append(v.Comments, readstore.AlarmCommentView{By: string(e.By), At: e.At, Text: e.Comment})
		}
		if m.pending != nil {
			a := *m.pending
			a.AckedAt, a.AckedBy = e.At, string(e.By)
			act, m.pending = &a, nil
		}
	case alarm.Commented:
		v.Comments = append(v.Comments, readstore.AlarmCommentView{By: string(e.By), At: e.At, Text: e.Text})
	case alarm.Escalated, alarm.Shelved, alarm.Unshelved, alarm.RemovedFromService, alarm.ReturnedToService:
		// Only the state changes (below).
	case alarm.Closed:
		v.Closed = &readstore.AlarmClosure{By: string(e.By), Reason: e.Reason, At: e.At}
	default:
		return readstore.AlarmHistoryEntry{}, nil, fmt.Errorf("event %s is not an alarm's", d.Type)
	}
	v.State, v.Active, v.Acknowledged, v.Severity, v.Peak, v.Level = string(st.State), st.Active, st.Acknowledged, string(st.Severity), st.Peak, st.Level
	v.Sources = slices.Clone(st.Sources)
	if v.Sources == nil {
		v.Sources = []string{}
	}
	v.Shelve, v.ShelvedUntil, v.ShelveReason = nil, nil, ""
	if sh := st.Shelve; sh != nil {
		until := sh.Until
		v.Shelve = &readstore.AlarmShelve{By: string(sh.By), Reason: sh.Reason, Until: sh.Until, At: sh.At}
		v.ShelvedUntil, v.ShelveReason = &until, sh.Reason
	}
	v.Suppression = nil
	if su := st.Suppression; su != nil {
		v.Suppression = &readstore.AlarmSuppression{By: string(su.By), Reason: su.Reason, Since: su.Since}
	}
	v.LastChangeAt, v.UpdatedAt, v.Position = sum.Time, d.RecordedAt, d.Position
	return entry, act, nil
}

func cloneView(v readstore.AlarmView) readstore.AlarmView {
	v.Sources = slices.Clone(v.Sources)
	v.Comments = slices.Clone(v.Comments)
	return v
}

// decodeAlarmEvent decodes an alarm event kept in the history (its current schema).
func decodeAlarmEvent(typ string, data []byte) (event.Event, error) {
	switch typ {
	case alarm.Raised{}.EventType():
		return unmarshalAs[alarm.Raised](data)
	case alarm.Reactivated{}.EventType():
		return unmarshalAs[alarm.Reactivated](data)
	case alarm.Updated{}.EventType():
		return unmarshalAs[alarm.Updated](data)
	case alarm.ReturnedToNormal{}.EventType():
		return unmarshalAs[alarm.ReturnedToNormal](data)
	case alarm.Acknowledged{}.EventType():
		return unmarshalAs[alarm.Acknowledged](data)
	case alarm.Commented{}.EventType():
		return unmarshalAs[alarm.Commented](data)
	case alarm.Shelved{}.EventType():
		return unmarshalAs[alarm.Shelved](data)
	case alarm.Unshelved{}.EventType():
		return unmarshalAs[alarm.Unshelved](data)
	case alarm.RemovedFromService{}.EventType():
		return unmarshalAs[alarm.RemovedFromService](data)
	case alarm.ReturnedToService{}.EventType():
		return unmarshalAs[alarm.ReturnedToService](data)
	case alarm.Escalated{}.EventType():
		return unmarshalAs[alarm.Escalated](data)
	case alarm.Closed{}.EventType():
		return unmarshalAs[alarm.Closed](data)
	}
	return nil, fmt.Errorf("decode %s: %w", typ, eventstore.ErrUnknownType)
}

func unmarshalAs[T event.Event](data []byte) (event.Event, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("decode %s: %w", v.EventType(), err)
	}
	return v, nil
}
