package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/sensor"
)

// The JSON shapes of the consultation endpoints. Durations are in seconds, lengths in metres,
// volumes in m³: units are in the field names.

type siteJSON struct {
	Name string    `json:"name"`
	Dams []damJSON `json:"dams"`
}

type damJSON struct {
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	CapacityM3     float64         `json:"capacity_m3"`
	DykeHeightM    float64         `json:"dyke_height_m,omitempty"`
	SpillwayCrestM float64         `json:"spillway_crest_m"`
	Thresholds     []thresholdJSON `json:"thresholds"`
	Sensors        []sensorJSON    `json:"sensors"`
	StorageCurve   *curveJSON      `json:"storage_curve,omitempty"`
	// Location places the dam on the dashboards' map; absent when the configuration has none.
	Location *dam.Location `json:"location,omitempty"`
}

type thresholdJSON struct {
	Name      string       `json:"name"`
	LevelM    float64      `json:"level_m"`
	Severity  dam.Severity `json:"severity"`
	DeadbandM float64      `json:"deadband_m"`
	OnDelayS  float64      `json:"on_delay_s"`
	OffDelayS float64      `json:"off_delay_s"`
}

type sensorJSON struct {
	ID            string                 `json:"id"`
	Dam           string                 `json:"dam"`
	Kind          string                 `json:"kind"`
	Unit          string                 `json:"unit"`
	PlausibleMin  float64                `json:"plausible_min"`
	PlausibleMax  float64                `json:"plausible_max"`
	MaxRateMPerH  float64                `json:"max_rate_m_per_h,omitempty"`
	SuspectRateMH float64                `json:"suspect_rate_m_per_h,omitempty"`
	PeriodS       float64                `json:"period_s"`
	State         *readstore.SensorState `json:"state,omitempty"`
}

// curveJSON gives the storage curve's law and a sampling of it, so the UI can draw it and place
// the current level without knowing every kind of curve.
type curveJSON struct {
	Kind   string           `json:"kind"` // "power", "table" or "other"
	A      float64          `json:"a,omitempty"`
	B      float64          `json:"b,omitempty"`
	Points []dam.CurvePoint `json:"points"`
}

// curveSamples is the number of intervals the storage curve is sampled in.
const curveSamples = 50

func toCurve(d dam.Dam) *curveJSON {
	if d.Curve == nil {
		return nil
	}
	c := &curveJSON{Kind: "other"}
	switch cv := d.Curve.(type) {
	case dam.PowerCurve:
		c.Kind, c.A, c.B = "power", cv.A, cv.B
	case dam.TableCurve:
		// The surveyed points are the truth: give them, not an interpolation of them.
		c.Kind, c.Points = "table", cv.Points()
		return c
	}
	top := max(d.DykeHeight, d.SpillwayCrest*1.2)
	for _, t := range d.Thresholds {
		top = max(top, t.Level)
	}
	c.Points = make([]dam.CurvePoint, 0, curveSamples+1)
	for i := 0; i <= curveSamples; i++ {
		h := top * float64(i) / curveSamples
		c.Points = append(c.Points, dam.CurvePoint{Height: round(h, 3), Volume: round(d.Curve.Volume(h), 1)})
	}
	return c
}

func round(v float64, digits int) float64 {
	p := math.Pow10(digits)
	return math.Round(v*p) / p
}

func toDam(d dam.Dam, withCurve bool) damJSON {
	out := damJSON{ID: string(d.ID), Name: d.Name, CapacityM3: d.Capacity, DykeHeightM: d.DykeHeight, SpillwayCrestM: d.SpillwayCrest,
		Thresholds: make([]thresholdJSON, 0, len(d.Thresholds)), Sensors: make([]sensorJSON, 0, len(d.Sensors))}
	for _, t := range d.Thresholds {
		out.Thresholds = append(out.Thresholds, thresholdJSON{Name: t.Name, LevelM: t.Level, Severity: t.Severity, DeadbandM: t.Deadband,
			OnDelayS: t.OnDelay.Seconds(), OffDelayS: t.OffDelay.Seconds()})
	}
	for _, sp := range d.Sensors {
		out.Sensors = append(out.Sensors, toSensor(d.ID, sp))
	}
	if withCurve {
		out.StorageCurve = toCurve(d)
	}
	if d.Location != nil {
		l := *d.Location
		out.Location = &l
	}
	return out
}

func toSensor(id dam.ID, sp sensor.Spec) sensorJSON {
	return sensorJSON{ID: string(sp.ID), Dam: string(id), Kind: sp.Kind, Unit: sp.Unit, PlausibleMin: sp.PlausibleMin, PlausibleMax: sp.PlausibleMax,
		MaxRateMPerH: sp.MaxRate, SuspectRateMH: sp.SuspectRate, PeriodS: sp.Period.Seconds()}
}

func (s *Server) writeValue(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.fail(w, r, fmt.Errorf("encode response: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (s *Server) getSite(w http.ResponseWriter, r *http.Request) {
	site, err := s.deps.Site.Site(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("get site: %w", err))
		return
	}
	out := siteJSON{Name: site.Name, Dams: make([]damJSON, 0, len(site.Dams))}
	for _, d := range site.Dams {
		out.Dams = append(out.Dams, toDam(d, true))
	}
	s.writeValue(w, r, out)
}

func (s *Server) getDams(w http.ResponseWriter, r *http.Request) {
	site, err := s.deps.Site.Site(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("get site: %w", err))
		return
	}
	out := struct {
		Dams []damJSON `json:"dams"`
	}{Dams: make([]damJSON, 0, len(site.Dams))}
	for _, d := range site.Dams {
		out.Dams = append(out.Dams, toDam(d, false))
	}
	s.writeValue(w, r, out)
}

// getDam gives one dam with its storage curve and the latest state of each of its sensors
// (absent for a sensor that never reported).
func (s *Server) getDam(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	site, err := s.deps.Site.Site(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("get site: %w", err))
		return
	}
	i := slices.IndexFunc(site.Dams, func(d dam.Dam) bool { return string(d.ID) == id })
	if i < 0 {
		s.fail(w, r, notFound("dam %q", id))
		return
	}
	out := toDam(site.Dams[i], true)
	for j := range out.Sensors {
		st, err := s.deps.Views.State(r.Context(), out.Sensors[j].ID)
		if errors.Is(err, readstore.ErrNotFound) {
			continue
		}
		if err != nil {
			s.fail(w, r, fmt.Errorf("state of %s: %w", out.Sensors[j].ID, err))
			return
		}
		out.Sensors[j].State = &st
	}
	s.writeValue(w, r, out)
}

// getSensors lists the configured sensors with their latest state, and the sensors the read store
// knows but the configuration no longer lists (removed sensors keep their history).
func (s *Server) getSensors(w http.ResponseWriter, r *http.Request) {
	site, err := s.deps.Site.Site(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("get site: %w", err))
		return
	}
	states, err := s.deps.Views.States(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("get states: %w", err))
		return
	}
	byID := make(map[string]readstore.SensorState, len(states))
	for _, st := range states {
		byID[st.Sensor] = st
	}
	out := struct {
		Sensors []sensorJSON `json:"sensors"`
	}{Sensors: []sensorJSON{}}
	for _, d := range site.Dams {
		for _, sp := range d.Sensors {
			sj := toSensor(d.ID, sp)
			if st, ok := byID[string(sp.ID)]; ok {
				sj.State = &st
				delete(byID, string(sp.ID))
			}
			out.Sensors = append(out.Sensors, sj)
		}
	}
	for _, st := range states {
		if _, left := byID[st.Sensor]; left {
			out.Sensors = append(out.Sensors, sensorJSON{ID: st.Sensor, Dam: st.Dam, State: &st})
		}
	}
	s.writeValue(w, r, out)
}

func (s *Server) getSensor(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	site, err := s.deps.Site.Site(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("get site: %w", err))
		return
	}
	var out *sensorJSON
	for _, d := range site.Dams {
		for _, sp := range d.Sensors {
			if string(sp.ID) == id {
				sj := toSensor(d.ID, sp)
				out = &sj
			}
		}
	}
	st, err := s.deps.Views.State(r.Context(), id)
	switch {
	case errors.Is(err, readstore.ErrNotFound) && out == nil:
		s.fail(w, r, notFound("sensor %q", id))
		return
	case errors.Is(err, readstore.ErrNotFound):
	case err != nil:
		s.fail(w, r, fmt.Errorf("state of %s: %w", id, err))
		return
	case out == nil:
		out = &sensorJSON{ID: st.Sensor, Dam: st.Dam, State: &st}
	default:
		out.State = &st
	}
	s.writeValue(w, r, out)
}

// rawUpTo is the longest range served raw by default: 6 h of one-minute readings is 360 points.
const rawUpTo = 6 * time.Hour

// niceSteps are the bucket sizes a default step is rounded up to: whole roll-ups (1 min, 1 h,
// 1 day) and their usual fractions, so buckets align with what the read store keeps.
func niceSteps() []time.Duration {
	return []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour}
}

// defaultStep gives raw readings up to 6 h, else the smallest nice step giving at most ~1000 points.
func defaultStep(span time.Duration) time.Duration {
	if span <= rawUpTo {
		return 0
	}
	want := (span + 999) / 1000
	for _, st := range niceSteps() {
		if st >= want {
			return st
		}
	}
	day := 24 * time.Hour
	return (want + day - 1) / day * day
}

type seriesJSON struct {
	Sensor string            `json:"sensor"`
	From   time.Time         `json:"from"`
	To     time.Time         `json:"to"`
	StepS  float64           `json:"step_s"` // 0: raw readings
	Points []readstore.Point `json:"points"`
}

func (s *Server) getSeries(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	q := r.URL.Query()
	now := s.now().UTC()
	to, err := parseTimeParam(q, "to", now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if to.IsZero() {
		to = now
	}
	from, err := parseTimeParam(q, "from", now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if from.IsZero() {
		from = to.Add(-24 * time.Hour)
	}
	if !from.Before(to) {
		s.fail(w, r, &paramError{param: "from", reason: "must be before to"})
		return
	}
	span := to.Sub(from)
	step, explicit, err := parseStep(q.Get("step"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !explicit {
		step = defaultStep(span)
	}
	switch {
	case step == 0 && span > s.cfg.MaxRawRange:
		s.fail(w, r, &paramError{param: "step", reason: fmt.Sprintf("raw readings are served over at most %s; this range is %s: give a step", s.cfg.MaxRawRange, span)})
		return
	case step > 0 && span/step > time.Duration(s.cfg.MaxPoints):
		s.fail(w, r, &paramError{param: "step", reason: fmt.Sprintf("step %s over %s gives more than %d points", step, span, s.cfg.MaxPoints)})
		return
	}
	if _, err := s.deps.Views.State(r.Context(), id); err != nil && !s.sensorConfigured(r, id) {
		// A sensor neither configured nor ever seen is a 404, not an empty series.
		s.fail(w, r, fmt.Errorf("series of %s: %w", id, err))
		return
	}
	points, err := s.deps.Views.Series(r.Context(), readstore.SeriesQuery{Sensor: id, From: from, To: to, Step: step})
	if err != nil {
		s.fail(w, r, fmt.Errorf("series of %s: %w", id, err))
		return
	}
	if points == nil {
		points = []readstore.Point{}
	}
	s.writeValue(w, r, seriesJSON{Sensor: id, From: from, To: to, StepS: step.Seconds(), Points: points})
}

func (s *Server) sensorConfigured(r *http.Request, id string) bool {
	site, err := s.deps.Site.Site(r.Context())
	if err != nil {
		return false
	}
	for _, d := range site.Dams {
		for _, sp := range d.Sensors {
			if string(sp.ID) == id {
				return true
			}
		}
	}
	return false
}

// parseTimeParam reads an RFC 3339 time, "now", or a duration relative to now ("-24h", "-7d",
// "-90m"); absent is the zero time.
func parseTimeParam(q url.Values, name string, now time.Time) (time.Time, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	if v == "now" {
		return now, nil
	}
	if v[0] == '-' || v[0] == '+' {
		d, err := parseDuration(v)
		if err != nil {
			return time.Time{}, &paramError{param: name, reason: fmt.Sprintf("%q is neither RFC 3339 nor a relative duration like -24h or -7d", v)}
		}
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, &paramError{param: name, reason: fmt.Sprintf("%q is neither RFC 3339 nor a relative duration like -24h or -7d", v)}
	}
	return t, nil
}

// parseDuration is time.ParseDuration plus whole days ("7d", "-2d").
func parseDuration(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n > 100*365 || n < -100*365 {
			return 0, fmt.Errorf("bad day count %q", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(v)
}

// parseStep reads a Go duration ("5m") or seconds ("300"); "raw" or "0" asks for raw readings.
func parseStep(v string) (step time.Duration, explicit bool, err error) {
	v = strings.TrimSpace(v)
	switch v {
	case "":
		return 0, false, nil
	case "raw", "0":
		return 0, true, nil
	}
	tooSmall := &paramError{param: "step", reason: "must be from 1s to 10 years (or raw)"}
	if secs, perr := strconv.ParseFloat(v, 64); perr == nil {
		// Checked before the conversion: a NaN or huge float has no Duration.
		if !(secs >= 1 && secs <= 10*365*24*3600) {
			return 0, false, tooSmall
		}
		step = time.Duration(secs * float64(time.Second))
	} else if step, err = parseDuration(v); err != nil {
		return 0, false, &paramError{param: "step", reason: fmt.Sprintf("%q is neither a duration (5m, 1h) nor seconds", v)}
	}
	if step < time.Second || step > 10*365*24*time.Hour {
		return 0, false, tooSmall
	}
	return step, true, nil
}

// parseLimit reads a limit in [1, maxLimit], def when absent.
func parseLimit(q url.Values, def, maxLimit int) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, &paramError{param: "limit", reason: fmt.Sprintf("must be an integer from 1 to %d", maxLimit)}
	}
	return n, nil
}

func parseAfter(q url.Values) (uint64, error) {
	v := q.Get("after")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, &paramError{param: "after", reason: "must be an event position (an integer ≥ 0)"}
	}
	return n, nil
}

// splitList reads a comma-separated list, possibly repeated: ?type=a,b&type=c.
func splitList(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

const (
	defaultLimit = 100
	maxLimit     = 10_000
)

type timelineJSON struct {
	Entries   []readstore.TimelineEntry `json:"entries"`
	NextAfter uint64                    `json:"next_after"`
}

// getTimeline serves the audit timeline as JSON pages, or as CSV: an export without a limit runs
// to the end of the log (written page by page as it is read), so an auditor gets it in one file.
func (s *Server) getTimeline(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	now := s.now().UTC()
	var tq readstore.TimelineQuery
	var err error
	if tq.From, err = parseTimeParam(q, "from", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if tq.To, err = parseTimeParam(q, "to", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if tq.After, err = parseAfter(q); err != nil {
		s.fail(w, r, err)
		return
	}
	tq.Dam = q.Get("dam")
	tq.Types = splitList(q["type"])
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		s.fail(w, r, &paramError{param: "format", reason: "must be json or csv"})
		return
	}
	limit, err := parseLimit(q, defaultLimit, maxLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "csv" {
		all := q.Get("limit") == ""
		s.timelineCSV(w, r, tq, limit, all)
		return
	}
	tq.Limit = limit
	entries, err := s.deps.Views.Timeline(r.Context(), tq)
	if err != nil {
		s.fail(w, r, fmt.Errorf("timeline: %w", err))
		return
	}
	out := timelineJSON{Entries: entries, NextAfter: tq.After}
	if out.Entries == nil {
		out.Entries = []readstore.TimelineEntry{}
	}
	if n := len(entries); n > 0 {
		out.NextAfter = entries[n-1].Position
	}
	s.writeValue(w, r, out)
}

func (s *Server) timelineCSV(w http.ResponseWriter, r *http.Request, tq readstore.TimelineQuery, limit int, all bool) {
	tq.Limit = limit
	if all {
		tq.Limit = maxLimit
	}
	// The first page is read before the status is sent, so a failing store still gets a 500.
	entries, err := s.deps.Views.Timeline(r.Context(), tq)
	if err != nil {
		s.fail(w, r, fmt.Errorf("timeline: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="vigie-timeline.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"position", "recorded_at", "time", "type", "dam", "sensor", "actor", "summary", "stream", "data"})
	for {
		for _, e := range entries {
			_ = cw.Write([]string{strconv.FormatUint(e.Position, 10), e.RecordedAt.UTC().Format(time.RFC3339Nano), e.Time.UTC().Format(time.RFC3339Nano),
				e.Type, e.Dam, e.Sensor, e.Actor, e.Summary, e.Stream, string(e.Data)})
		}
		cw.Flush()
		if cw.Error() != nil || !all || len(entries) < tq.Limit {
			return
		}
		tq.After = entries[len(entries)-1].Position
		if entries, err = s.deps.Views.Timeline(r.Context(), tq); err != nil {
			// The status is sent: all that is left is to cut the export short, which the client
			// sees as a truncated transfer, and to log why.
			s.log.Error("timeline export cut short", "request_id", requestID(r.Context()), "after", tq.After, "err", err)
			panic(http.ErrAbortHandler)
		}
	}
}

// eventJSON is an event of the log as /events and /stream give it.
type eventJSON struct {
	Position uint64              `json:"position"`
	Stream   string              `json:"stream"`
	Revision uint64              `json:"revision"`
	Type     string              `json:"type"`
	Schema   int                 `json:"schema"`
	Time     time.Time           `json:"time"` // when it was recorded
	Data     json.RawMessage     `json:"data"`
	Metadata eventstore.Metadata `json:"metadata"`
}

func toEvent(rec eventstore.Record) eventJSON {
	return eventJSON{Position: rec.Position, Stream: rec.Stream, Revision: rec.Revision, Type: rec.Type, Schema: rec.Schema,
		Time: rec.RecordedAt, Data: rec.Data, Metadata: rec.Meta}
}

type eventsJSON struct {
	Events    []eventJSON `json:"events"`
	NextAfter uint64      `json:"next_after"`
}

func (s *Server) getEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err := parseAfter(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := parseLimit(q, defaultLimit, maxLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recs, err := s.deps.Log.ReadAll(r.Context(), after, limit)
	if err != nil {
		s.fail(w, r, fmt.Errorf("read events after %d: %w", after, err))
		return
	}
	out := eventsJSON{Events: make([]eventJSON, 0, len(recs)), NextAfter: after}
	for _, rec := range recs {
		out.Events = append(out.Events, toEvent(rec))
		out.NextAfter = rec.Position
	}
	s.writeValue(w, r, out)
}
