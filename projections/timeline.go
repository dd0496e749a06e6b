package projections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/domain/setup"
)

// TimelineName is the timeline's durable name. Bump it when summaries change wording or what gets
// a line, so that the whole timeline is rewritten alike; adding a summariser for a new event type
// needs no bump (no such event was written before).
//
// v2: routine readings no longer get a line (see summarizeReadings).
const TimelineName = "timeline.v2"

// Language of the timeline's summaries.
type Language string

const (
	French  Language = "fr"
	English Language = "en"
)

// Valid reports whether the summaries exist in l.
func (l Language) Valid() bool { return l == French || l == English }

// Summary is what a summariser makes of one event. The runner's envelope (position, stream, type,
// recorded-at, actor) is added by the timeline.
type Summary struct {
	Dam, Sensor string
	// Time is when it happened: sensor time for readings and crossings.
	Time time.Time
	Text string
	// Data is kept with the entry for the auditor who wants the detail; nil for none.
	Data json.RawMessage
	// Actor, if set, replaces the metadata's actor (events that name who acted in their payload).
	Actor string
}

// Summarizer writes the timeline line of one event type; ok is false to leave an event out.
type Summarizer func(d Decoded, lang Language) (s Summary, ok bool, err error)

// DefaultSummarizers covers the events of the gauges and the configuration. Packages that add
// event types add their own: copy the map, set a key per type, pass it to NewTimeline.
func DefaultSummarizers() map[string]Summarizer {
	return map[string]Summarizer{
		gauge.ReadingsRecorded{}.EventType(): summarizeReadings,
		gauge.ThresholdCrossed{}.EventType(): summarizeCrossing,
		gauge.Configured{}.EventType():       summarizeConfigured,
		setup.ConfigApplied{}.EventType():    summarizeConfigApplied,
	}
}

// Timeline is the audit timeline: one readable line per event an auditor reads — threshold
// crossings, configuration, and whatever other packages add (alarms, notifications). Routine
// readings are not among them: they are in the event log and in the series, and a line for each
// batch of them would bury the rest (and cost a row per event). A batch of readings gets a line
// only when it carries something notable: suspect, implausible or late readings.
type Timeline struct {
	lang        Language
	summarizers map[string]Summarizer
}

var _ Projection = (*Timeline)(nil)

// NewTimeline writes summaries in lang with the given summarisers, by event type.
func NewTimeline(lang Language, summarizers map[string]Summarizer) (*Timeline, error) {
	var errs []error
	if !lang.Valid() {
		errs = append(errs, fmt.Errorf("language %q is not one of fr, en", lang))
	}
	m := make(map[string]Summarizer, len(summarizers))
	for typ, f := range summarizers {
		if f == nil {
			errs = append(errs, fmt.Errorf("summariser of %q is nil", typ))
		}
		m[typ] = f
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new timeline: %w", err)
	}
	return &Timeline{lang: lang, summarizers: m}, nil
}

func (t *Timeline) Name() string { return TimelineName }

func (t *Timeline) Handle(_ context.Context, batch []Decoded) (readstore.Batch, error) {
	var out readstore.Batch
	for _, d := range batch {
		f, ok := t.summarizers[d.Type]
		if !ok {
			continue
		}
		s, ok, err := f(d, t.lang)
		if err != nil {
			return readstore.Batch{}, fmt.Errorf("summarise %s at position %d: %w", d.Type, d.Position, err)
		}
		if !ok {
			continue
		}
		actor := d.Meta.Actor
		if s.Actor != "" {
			actor = s.Actor
		}
		out.Timeline = append(out.Timeline, readstore.TimelineEntry{
			Position: d.Position, Stream: d.Stream, Type: d.Type, Dam: s.Dam, Sensor: s.Sensor, Time: s.Time,
			RecordedAt: d.RecordedAt, Actor: actor, Summary: s.Text, Data: s.Data,
		})
	}
	return out, nil
}

// pick chooses the sentence of the language.
func pick(lang Language, fr, en string) string {
	if lang == English {
		return en
	}
	return fr
}

// count writes "1 implausible" or "2 implausibles": n and the noun in the singular or plural.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// metres writes a level with at least two decimals, and more when it has them: a reading of
// 8.499 m that crosses the 8.50 m threshold downwards must not read "8.50 m".
func metres(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	i := strings.IndexByte(s, '.')
	switch {
	case i < 0:
		return s + ".00"
	case len(s)-i-1 < 2:
		return s + strings.Repeat("0", 2-(len(s)-i-1))
	}
	return s
}

func wrongEvent(d Decoded) (Summary, bool, error) {
	return Summary{}, false, fmt.Errorf("event of type %s decoded as %T", d.Type, d.Event)
}

// readingsData is the detail kept with a readings line: enough to find them in the series, and
// the notable readings themselves.
type readingsData struct {
	Count       int       `json:"count"`
	First       time.Time `json:"first"`
	Last        time.Time `json:"last"`
	Min         *float64  `json:"min,omitempty"` // of the usable readings
	Max         *float64  `json:"max,omitempty"`
	Suspect     int       `json:"suspect,omitempty"`
	Implausible int       `json:"implausible,omitempty"`
	Late        int       `json:"late,omitempty"`
	// Notable lists the suspect, implausible and late readings, the first maxNotable of them.
	Notable []gauge.Sample `json:"notable,omitempty"`
}

// maxNotable bounds the readings a line lists: a gateway flushing a day of buffered readings makes
// one line, not a copy of the day (the event log has them all).
const maxNotable = 20

// summarizeReadings: "12 lectures de mejean.level (1 implausible)", for a batch of readings with
// suspect, implausible or late ones; a batch of good readings on time gets no line.
func summarizeReadings(d Decoded, lang Language) (Summary, bool, error) {
	e, ok := d.Event.(gauge.ReadingsRecorded)
	if !ok {
		return wrongEvent(d)
	}
	if len(e.Readings) == 0 {
		return Summary{}, false, nil
	}
	notable := false
	for _, r := range e.Readings {
		if r.Late || r.Q != sensor.Good {
			notable = true
			break
		}
	}
	if !notable {
		return Summary{}, false, nil
	}
	data := readingsData{Count: len(e.Readings), First: e.Readings[0].T, Last: e.Readings[0].T}
	for _, r := range e.Readings {
		if r.T.Before(data.First) {
			data.First = r.T
		}
		if r.T.After(data.Last) {
			data.Last = r.T
		}
		if r.Late {
			data.Late++
		}
		if (r.Late || r.Q != sensor.Good) && len(data.Notable) < maxNotable {
			data.Notable = append(data.Notable, r)
		}
		switch r.Q {
		case sensor.Implausible:
			data.Implausible++
			continue
		case sensor.Suspect:
			data.Suspect++
		}
		if data.Min == nil {
			data.Min, data.Max = new(float64), new(float64)
			*data.Min, *data.Max = r.V, r.V
		}
		*data.Min, *data.Max = min(*data.Min, r.V), max(*data.Max, r.V)
	}
	var notes []string
	if data.Suspect > 0 {
		notes = append(notes, pick(lang, count(data.Suspect, "suspecte", "suspectes"), count(data.Suspect, "suspect", "suspect")))
	}
	if data.Implausible > 0 {
		notes = append(notes, pick(lang, count(data.Implausible, "implausible", "implausibles"), count(data.Implausible, "implausible", "implausible")))
	}
	if data.Late > 0 {
		notes = append(notes, pick(lang, fmt.Sprintf("%d en retard", data.Late), fmt.Sprintf("%d late", data.Late)))
	}
	text := pick(lang,
		count(len(e.Readings), "lecture", "lectures")+" de "+string(e.Sensor),
		count(len(e.Readings), "reading", "readings")+" of "+string(e.Sensor))
	if len(notes) > 0 {
		text += " (" + strings.Join(notes, ", ") + ")"
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Summary{}, false, fmt.Errorf("encode readings detail: %w", err)
	}
	return Summary{Dam: string(e.Dam), Sensor: string(e.Sensor), Time: data.Last, Text: text, Data: raw}, true, nil
}

// summarizeCrossing: "mejean.level a franchi le seuil alerte (6.00 m) à la hausse : 6.03 m".
func summarizeCrossing(d Decoded, lang Language) (Summary, bool, error) {
	e, ok := d.Event.(gauge.ThresholdCrossed)
	if !ok {
		return wrongEvent(d)
	}
	var text string
	if lang == English {
		dir := "upwards"
		if e.Direction == gauge.Down {
			dir = "downwards"
		}
		text = fmt.Sprintf("%s crossed the %s threshold (%s m) %s: %s m", e.Sensor, e.Threshold, metres(e.Level), dir, metres(e.Value))
		if e.Late {
			text += " (learnt late)"
		}
	} else {
		dir := "à la hausse"
		if e.Direction == gauge.Down {
			dir = "à la baisse"
		}
		text = fmt.Sprintf("%s a franchi le seuil %s (%s m) %s : %s m", e.Sensor, e.Threshold, metres(e.Level), dir, metres(e.Value))
		if e.Late {
			text += " (appris en retard)"
		}
	}
	raw, err := json.Marshal(e) // the upcast event, not the stored bytes of an older schema
	if err != nil {
		return Summary{}, false, fmt.Errorf("encode crossing: %w", err)
	}
	return Summary{Dam: string(e.Dam), Sensor: string(e.Sensor), Time: e.At, Text: text, Data: raw}, true, nil
}

// summarizeConfigured: "mejean.level configuré : seuils vigilance 3.00 m, alerte 6.00 m".
func summarizeConfigured(d Decoded, lang Language) (Summary, bool, error) {
	e, ok := d.Event.(gauge.Configured)
	if !ok {
		return wrongEvent(d)
	}
	var ts []string
	for _, t := range e.Thresholds {
		ts = append(ts, fmt.Sprintf("%s %s m", t.Name, metres(t.Level)))
	}
	var text string
	switch {
	case lang == English && len(ts) == 0:
		text = fmt.Sprintf("%s configured: no threshold", e.Sensor)
	case lang == English:
		text = fmt.Sprintf("%s configured: thresholds %s", e.Sensor, strings.Join(ts, ", "))
	case len(ts) == 0:
		text = fmt.Sprintf("%s configuré : aucun seuil", e.Sensor)
	default:
		text = fmt.Sprintf("%s configuré : seuils %s", e.Sensor, strings.Join(ts, ", "))
	}
	raw, err := json.Marshal(e.Thresholds)
	if err != nil {
		return Summary{}, false, fmt.Errorf("encode thresholds: %w", err)
	}
	return Summary{Dam: string(e.Dam), Sensor: string(e.Sensor), Time: e.At, Text: text, Data: raw, Actor: e.Actor}, true, nil
}

// configData is config.applied without its document, which the event log keeps.
type configData struct {
	Source  string   `json:"source"`
	Digest  string   `json:"digest"`
	Changes []string `json:"changes,omitempty"`
}

// summarizeConfigApplied: "configuration appliquée (file:/etc/vigie/nimes.yaml) : seuil ... ; ...".
func summarizeConfigApplied(d Decoded, lang Language) (Summary, bool, error) {
	e, ok := d.Event.(setup.ConfigApplied)
	if !ok {
		return wrongEvent(d)
	}
	text := pick(lang, "configuration appliquée ("+e.Source+")", "configuration applied ("+e.Source+")")
	if len(e.Changes) > 0 {
		text += pick(lang, " : ", ": ") + strings.Join(e.Changes, "; ")
	}
	raw, err := json.Marshal(configData{Source: e.Source, Digest: e.Digest, Changes: e.Changes})
	if err != nil {
		return Summary{}, false, fmt.Errorf("encode configuration detail: %w", err)
	}
	return Summary{Time: e.At, Text: text, Data: raw, Actor: e.Actor}, true, nil
}
