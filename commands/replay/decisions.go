package replay

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// Decision is one event of an alarm, board or cascade stream.
type Decision struct {
	Type  string
	Event event.Event
}

// Decisions are the alarm, board and cascade streams of a period, by stream.
type Decisions map[string][]Decision

func (d Decisions) add(stream, typ string, e event.Event) {
	d[stream] = append(d[stream], Decision{Type: typ, Event: e})
}

// Streams lists the streams in order.
func (d Decisions) Streams() []string {
	out := make([]string, 0, len(d))
	for s := range d {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// CascadeTolerance is how far apart in time two cascade decisions may be and still be the same:
// the service fires a timer when its scheduler wakes after the due time, the replay at the due
// time itself, so the instants of what timers cause differ by the scheduler's latency.
const CascadeTolerance = 10 * time.Second

// Diff lists how b differs from a, stream by stream and event by event; nil when they are the
// same decisions. Alarm and board events must be identical (their JSON). Cascade events, and the
// escalations they record on alarms, must decide the same (type, stage, operator, channel,
// outcome, reason) within CascadeTolerance; the message they carry (facts, text) is not compared:
// the service fills it from views that are only eventually up to date. Streams whose name starts
// with one of skip are left out.
func Diff(a, b Decisions, skip ...string) []string {
	var out []string
	streams := map[string]bool{}
	for s := range a {
		streams[s] = true
	}
	for s := range b {
		streams[s] = true
	}
	names := make([]string, 0, len(streams))
	for s := range streams {
		if !slices.ContainsFunc(skip, func(p string) bool { return strings.HasPrefix(s, p) }) {
			names = append(names, s)
		}
	}
	slices.Sort(names)
	for _, s := range names {
		x, y := a[s], b[s]
		for i := range max(len(x), len(y)) {
			var l, r string
			var lt, rt []time.Time
			if i < len(x) {
				l, lt = canonical(x[i])
			}
			if i < len(y) {
				r, rt = canonical(y[i])
			}
			if l != r || !near(lt, rt) {
				if i < len(x) {
					l = x[i].Type + " " + jsonOf(x[i].Event)
				}
				if i < len(y) {
					r = y[i].Type + " " + jsonOf(y[i].Event)
				}
				out = append(out, fmt.Sprintf("%s #%d:\n  recorded %s\n  replayed %s", s, i, orNone(l), orNone(r)))
				break
			}
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// canonical is what is compared of a decision: its JSON, and for the cascade's, its JSON without
// the message and the instants, which come back apart.
func canonical(d Decision) (string, []time.Time) {
	raw := jsonOf(d.Event)
	_, escalated := d.Event.(alarm.Escalated)
	if !escalated && !strings.HasPrefix(d.Type, "cascade.") {
		return d.Type + " " + raw, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return d.Type + " " + raw, nil
	}
	var times []time.Time
	for _, k := range []string{"at", "due_at"} {
		if v, ok := m[k].(string); ok {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err == nil {
				times = append(times, t)
			}
			delete(m, k)
		}
	}
	for _, k := range []string{"facts", "text", "subject", "provider_ref"} {
		delete(m, k)
	}
	b, err := json.Marshal(m) // keys sorted
	if err != nil {
		return d.Type + " " + raw, nil
	}
	return d.Type + " " + string(b), times
}

func near(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if d := a[i].Sub(b[i]); d > CascadeTolerance || d < -CascadeTolerance {
			return false
		}
	}
	return true
}

func jsonOf(e event.Event) string {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Sprintf("%#v", e)
	}
	return string(b)
}

// filter keeps the decisions about the period: the board events and the alarms raised within it
// (with everything that happens to them afterwards, and their cascade).
type filter struct {
	opts   Options
	alarms map[alarm.ID]bool
}

func newFilter(o Options) *filter { return &filter{opts: o, alarms: map[alarm.ID]bool{}} }

func (f *filter) keep(rec eventstore.Record, e event.Event) bool {
	switch e := e.(type) {
	case alarm.Raised:
		if f.opts.inPeriod(e.At) {
			f.alarms[e.AlarmID] = true
		}
		return f.alarms[e.AlarmID]
	case alarm.SlotOpened:
		return f.opts.inPeriod(e.At)
	case alarm.MaintenanceStarted:
		return f.opts.inPeriod(e.At)
	case alarm.MaintenanceEnded:
		return f.opts.inPeriod(e.At)
	}
	if id, ok := alarmOf(rec.Stream); ok {
		return f.alarms[id]
	}
	return false
}

// alarmOf is the alarm an alarm or cascade stream is about.
func alarmOf(stream string) (alarm.ID, bool) {
	for _, c := range []string{alarm.Category, cascade.Category} {
		if id, ok := strings.CutPrefix(stream, c+"-"); ok {
			return alarm.ID(id), true
		}
	}
	return "", false
}

// collect reads the decisions of the period from a log.
func collect(ctx context.Context, s eventstore.Store, codec *eventstore.Codec, o Options, batch int) (Decisions, error) {
	out := Decisions{}
	f := newFilter(o)
	for after := uint64(0); ; {
		recs, err := s.ReadAll(ctx, after, batch)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return out, nil
		}
		for _, rec := range recs {
			if !decisionStream(rec.Stream) {
				continue
			}
			e, err := codec.Decode(rec)
			if err != nil {
				return nil, err
			}
			if f.keep(rec, e) {
				out.add(rec.Stream, rec.Type, e)
			}
		}
		after = recs[len(recs)-1].Position
	}
}

func decisionStream(s string) bool {
	return strings.HasPrefix(s, alarm.Category+"-") || strings.HasPrefix(s, alarm.BoardCategory+"-") || strings.HasPrefix(s, cascade.Category+"-")
}

// Alarm is an alarm as one side of the comparison tells it.
type Alarm struct {
	ID        alarm.ID        `json:"id"`
	Dam       dam.ID          `json:"dam"`
	Condition alarm.Condition `json:"condition"`
	Severity  dam.Severity    `json:"severity"`
	Raised    time.Time       `json:"raised"`
	Value     float64         `json:"value"`
	Limit     float64         `json:"limit"`
	Unit      string          `json:"unit,omitempty"`
	Late      bool            `json:"late,omitempty"`
	Normal    *time.Time      `json:"returned_to_normal,omitempty"`
	Acked     *time.Time      `json:"acknowledged,omitempty"`
	AckedBy   string          `json:"acknowledged_by,omitempty"`
	Calls     []Call          `json:"calls,omitempty"`
}

// Call is one notification the cascade requested: who would have been called, how, when.
type Call struct {
	At       time.Time        `json:"at"`
	Step     int              `json:"step"`
	Operator alarm.OperatorID `json:"operator"`
	Channel  cascade.Channel  `json:"channel"`
}

// Alarms folds the decisions into alarms, in the order they were raised.
func (d Decisions) Alarms() []Alarm {
	byID := map[alarm.ID]*Alarm{}
	var order []alarm.ID
	for _, s := range d.Streams() {
		for _, x := range d[s] {
			switch e := x.Event.(type) {
			case alarm.Raised:
				byID[e.AlarmID] = &Alarm{ID: e.AlarmID, Dam: e.Dam, Condition: e.Condition, Severity: e.Severity, Raised: e.At,
					Value: e.Value, Limit: e.Limit, Unit: e.Unit, Late: e.Late}
				order = append(order, e.AlarmID)
			}
		}
	}
	for _, s := range d.Streams() {
		for _, x := range d[s] {
			switch e := x.Event.(type) {
			case alarm.ReturnedToNormal:
				if a := byID[e.AlarmID]; a != nil && a.Normal == nil {
					t := e.At
					a.Normal = &t
				}
			case alarm.Acknowledged:
				if a := byID[e.AlarmID]; a != nil && a.Acked == nil {
					t := e.At
					a.Acked, a.AckedBy = &t, string(e.By)
				}
			case cascade.NotificationRequested:
				if a := byID[e.AlarmID]; a != nil {
					a.Calls = append(a.Calls, Call{At: e.At, Step: e.Step, Operator: e.Operator, Channel: e.Channel})
				}
			}
		}
	}
	out := make([]Alarm, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	slices.SortStableFunc(out, func(a, b Alarm) int { return cmp.Or(a.Raised.Compare(b.Raised), cmp.Compare(a.ID, b.ID)) })
	return out
}

// Row compares one alarm on both sides: Recorded or Replayed is nil when the alarm exists on
// one side only. Shift is how much later (negative: earlier) the replayed alarm was raised.
type Row struct {
	ID       alarm.ID       `json:"id"`
	Recorded *Alarm         `json:"recorded,omitempty"`
	Replayed *Alarm         `json:"replayed,omitempty"`
	Shift    *time.Duration `json:"shift_ns,omitempty"`
}

// Compare pairs the alarms of both sides by id (dam, condition and occurrence).
func Compare(recorded, replayed []Alarm) []Row {
	rows := map[alarm.ID]*Row{}
	var order []alarm.ID
	get := func(id alarm.ID) *Row {
		if r, ok := rows[id]; ok {
			return r
		}
		rows[id] = &Row{ID: id}
		order = append(order, id)
		return rows[id]
	}
	for i := range recorded {
		get(recorded[i].ID).Recorded = &recorded[i]
	}
	for i := range replayed {
		get(replayed[i].ID).Replayed = &replayed[i]
	}
	out := make([]Row, 0, len(order))
	for _, id := range order {
		r := rows[id]
		if r.Recorded != nil && r.Replayed != nil {
			d := r.Replayed.Raised.Sub(r.Recorded.Raised)
			r.Shift = &d
		}
		out = append(out, *r)
	}
	first := func(r Row) time.Time {
		if r.Recorded != nil && (r.Replayed == nil || r.Recorded.Raised.Before(r.Replayed.Raised)) {
			return r.Recorded.Raised
		}
		return r.Replayed.Raised
	}
	slices.SortStableFunc(out, func(a, b Row) int { return cmp.Or(first(a).Compare(first(b)), cmp.Compare(a.ID, b.ID)) })
	return out
}
