package report

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/domain/setup"
	"github.com/vigie/vigie/projections"
)

// Options say which report to build.
type Options struct {
	// From and To bound the period (inclusive), on the time things happened (sensor time for
	// readings, crossings and alarms raised by a condition). Zero: unbounded.
	From, To time.Time
	// Dams restricts the report to these dams; empty: every dam.
	Dams []dam.ID
	// Language of the report's sentences; French when empty.
	Language projections.Language
	// Location is the site's zone the renderers write times in (UTC when nil).
	Location *time.Location
	// Site names the installation in the title.
	Site string
	// DamsOf reads the dams from a recorded configuration document (config.applied): their names,
	// storage curves, crests and capacities are taken from the configuration in force, as the log
	// recorded it. cmd/vigie passes the configuration parser; nil leaves volumes out.
	DamsOf func(doc json.RawMessage) ([]dam.Dam, error)
	// ChainHead is the hash-chain head of the log the report was built from ("POSITION:HASH"),
	// computed by the caller, who reads the log through the audit adapter.
	ChainHead string
}

// Builder folds the log, in order, into a report. It keeps only what the report shows.
type Builder struct {
	o        Options
	dams     map[dam.ID]bool
	timeline *projections.Timeline
	r        Report

	doc        json.RawMessage // the last configuration applied by the end of the period
	sensorDam  map[sensor.ID]dam.ID
	damOrder   []dam.ID
	byDam      map[dam.ID]*DamReport
	thresholds map[sensor.ID][]int // indexes in the dam's Thresholds of those in force
	alarms     map[alarm.ID]*AlarmReport
	alarmOrder []alarm.ID
	notes      map[string]*Notification
	noteOrder  []string
	openMaint  map[string]*Maintenance // by dam/scope
	maint      map[dam.ID][]*Maintenance
	preConfig  *ConfigChange
}

// NewBuilder checks the options.
func NewBuilder(o Options) (*Builder, error) {
	var errs []error
	if o.Language == "" {
		o.Language = projections.French
	}
	if !o.Language.Valid() {
		errs = append(errs, fmt.Errorf("language %q is not one of fr, en", o.Language))
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
		errs = append(errs, fmt.Errorf("the period ends (%s) before it starts (%s)", o.To.Format(time.RFC3339), o.From.Format(time.RFC3339)))
	}
	summarizers := projections.DefaultSummarizers()
	maps.Copy(summarizers, projections.AlarmSummarizers())
	for typ, f := range CascadeSummarizers() {
		if _, ok := summarizers[typ]; !ok {
			summarizers[typ] = f
		}
	}
	tl, err := projections.NewTimeline(o.Language, summarizers)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new report: %w", err)
	}
	b := &Builder{o: o, dams: map[dam.ID]bool{}, timeline: tl,
		sensorDam: map[sensor.ID]dam.ID{}, byDam: map[dam.ID]*DamReport{}, thresholds: map[sensor.ID][]int{},
		alarms: map[alarm.ID]*AlarmReport{}, notes: map[string]*Notification{}, openMaint: map[string]*Maintenance{},
		maint: map[dam.ID][]*Maintenance{}}
	for _, d := range o.Dams {
		b.dams[d] = true
	}
	b.r = Report{Language: o.Language, Site: o.Site, From: o.From, To: o.To, loc: o.Location, Location: "UTC", Skipped: map[string]int{}}
	if o.Location != nil {
		b.r.Location = o.Location.String()
	}
	return b, nil
}

// Build folds events into the report of o.
func Build(o Options, events []projections.Decoded) (*Report, error) {
	b, err := NewBuilder(o)
	if err != nil {
		return nil, err
	}
	if err := b.Add(events); err != nil {
		return nil, err
	}
	return b.Report()
}

func (b *Builder) inPeriod(t time.Time) bool {
	return (b.o.From.IsZero() || !t.Before(b.o.From)) && (b.o.To.IsZero() || !t.After(b.o.To))
}

func (b *Builder) wanted(d dam.ID) bool { return len(b.dams) == 0 || b.dams[d] }

func (b *Builder) dam(d dam.ID) *DamReport {
	r, ok := b.byDam[d]
	if !ok {
		r = &DamReport{ID: string(d), Name: string(d), Quality: map[string]int{}}
		b.byDam[d] = r
		b.damOrder = append(b.damOrder, d)
	}
	return r
}

// Add folds a batch of events, in log order, after those already added.
func (b *Builder) Add(batch []projections.Decoded) error {
	if len(batch) == 0 {
		return nil
	}
	out, err := b.timeline.Handle(context.Background(), batch)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, e := range out.Timeline {
		if !b.inPeriod(e.Time) || (e.Dam != "" && !b.wanted(dam.ID(e.Dam))) {
			continue
		}
		b.r.Story = append(b.r.Story, StoryLine{Position: e.Position, At: e.Time, Recorded: e.RecordedAt, Dam: e.Dam, Type: e.Type, Actor: e.Actor, Text: e.Summary})
	}
	for _, d := range batch {
		if b.r.Log.FirstPosition == 0 {
			b.r.Log.FirstPosition = d.Position
		}
		b.r.Log.LastPosition = d.Position
		b.r.Log.Events++
		if err := b.fold(d); err != nil {
			return fmt.Errorf("report: event %d (%s): %w", d.Position, d.Type, err)
		}
	}
	return nil
}

func (b *Builder) fold(d projections.Decoded) error {
	switch e := d.Event.(type) {
	case setup.ConfigApplied:
		c := ConfigChange{At: e.At, Actor: e.Actor, Kind: "config", Source: e.Source, Digest: e.Digest, Changes: e.Changes}
		if b.o.To.IsZero() || !e.At.After(b.o.To) {
			b.doc = e.Document
		}
		switch {
		case !b.o.From.IsZero() && e.At.Before(b.o.From):
			c.InForce = true
			b.preConfig = &c
		case b.inPeriod(e.At):
			b.r.Configuration = append(b.r.Configuration, c)
		}
	case gauge.Configured:
		b.sensorDam[e.Sensor] = e.Dam
		if !b.wanted(e.Dam) || (!b.o.To.IsZero() && e.At.After(b.o.To)) {
			return nil
		}
		dr := b.dam(e.Dam)
		if !slices.Contains(dr.Sensors, string(e.Sensor)) {
			dr.Sensors = append(dr.Sensors, string(e.Sensor))
		}
		at := e.At
		for _, i := range b.thresholds[e.Sensor] {
			if b.o.From.IsZero() || at.After(b.o.From) {
				dr.Thresholds[i].Until = &at
			} else {
				dr.Thresholds[i].Until = nil
				dr.Thresholds[i].Level = math.NaN() // replaced before the period: dropped below
			}
		}
		b.thresholds[e.Sensor] = nil
		var lines []string
		for _, t := range e.Thresholds {
			b.thresholds[e.Sensor] = append(b.thresholds[e.Sensor], len(dr.Thresholds))
			dr.Thresholds = append(dr.Thresholds, ThresholdLine{Sensor: string(e.Sensor), Name: t.Name, Level: t.Level, Severity: string(t.Severity), Since: e.At})
			lines = append(lines, fmt.Sprintf("%s %.2f m (%s)", t.Name, t.Level, t.Severity))
		}
		if b.inPeriod(e.At) {
			b.r.Configuration = append(b.r.Configuration, ConfigChange{At: e.At, Actor: e.Actor, Kind: "thresholds", Dam: string(e.Dam), Sensor: string(e.Sensor), Changes: lines})
		}
	case gauge.ReadingsRecorded:
		b.sensorDam[e.Sensor] = e.Dam
		if !b.wanted(e.Dam) {
			return nil
		}
		dr := b.dam(e.Dam)
		for _, s := range e.Readings {
			if !b.inPeriod(s.T) {
				continue
			}
			dr.Quality[string(s.Q)]++
			if s.Q == sensor.Implausible {
				continue
			}
			dr.Series = append(dr.Series, Point{T: s.T, Sensor: string(e.Sensor), Level: s.V, Quality: string(s.Q)})
		}
	case gauge.ThresholdCrossed:
		if b.wanted(e.Dam) && b.inPeriod(e.At) {
			b.dam(e.Dam).Crossings = append(b.dam(e.Dam).Crossings, Crossing{At: e.At, Sensor: string(e.Sensor), Threshold: e.Threshold,
				Direction: string(e.Direction), Level: e.Level, Value: e.Value, Late: e.Late})
		}
	case alarm.MaintenanceStarted:
		if !b.wanted(e.Dam) {
			return nil
		}
		m := &Maintenance{Scope: scopeName(e.Dam, e.Scope), From: e.At, By: string(e.By), Reason: e.Reason}
		b.openMaint[string(e.Dam)+"/"+e.Scope] = m
		b.maint[e.Dam] = append(b.maint[e.Dam], m)
	case alarm.MaintenanceEnded:
		k := string(e.Dam) + "/" + e.Scope
		if m := b.openMaint[k]; m != nil {
			at := e.At
			m.To, m.EndBy = &at, string(e.By)
			delete(b.openMaint, k)
		}
	case alarm.SlotOpened:
	case alarm.Raised:
		if !b.wanted(e.Dam) || !b.inPeriod(e.At) {
			return nil
		}
		b.alarms[e.AlarmID] = &AlarmReport{ID: string(e.AlarmID), Dam: string(e.Dam), Condition: string(e.Condition), Class: string(e.Class),
			Severity: string(e.Severity), Source: e.Source, Value: e.Value, Limit: e.Limit, Unit: e.Unit, Peak: e.Value, Late: e.Late,
			Historical: e.Historical, Suppressed: e.Suppression != nil, Raised: e.At, RaisedRecorded: d.RecordedAt}
		b.alarmOrder = append(b.alarmOrder, e.AlarmID)
	default:
		return b.foldAlarm(d)
	}
	return nil
}

func scopeName(d dam.ID, scope string) string {
	if scope == "" {
		return string(d)
	}
	return scope
}

// foldAlarm folds the events of alarms and cascades of the report's alarms.
func (b *Builder) foldAlarm(d projections.Decoded) error {
	id, ok := alarmIDOf(d.Event)
	if !ok {
		if d.Event == nil {
			b.r.Skipped[d.Type]++
		}
		return nil
	}
	a := b.alarms[id]
	if a == nil {
		return nil // an alarm raised outside the period, or of another dam
	}
	ptr := func(t time.Time) *time.Time { return &t }
	switch e := d.Event.(type) {
	case alarm.Updated:
		if e.Peak > a.Peak || math.IsNaN(a.Peak) {
			a.Peak = e.Peak
		}
		if e.Severity != "" {
			a.Severity = string(e.Severity)
		}
	case alarm.ReturnedToNormal:
		a.ReturnedToNormal = ptr(e.At)
	case alarm.Acknowledged:
		a.Acks = append(a.Acks, Ack{By: string(e.By), Via: string(e.Via), At: e.At, Comment: e.Comment})
	case alarm.Commented:
		a.Comments = append(a.Comments, Comment{By: string(e.By), Text: e.Text, At: e.At})
	case alarm.Shelved:
		if n := len(a.Shelves); n > 0 && a.Shelves[n-1].Ended == nil {
			a.Shelves[n-1].Ended = ptr(e.At) // a change of shelve
		}
		a.Shelves = append(a.Shelves, Shelve{By: string(e.By), Reason: e.Reason, From: e.At, Until: e.Until})
	case alarm.Unshelved:
		if n := len(a.Shelves); n > 0 && a.Shelves[n-1].Ended == nil {
			a.Shelves[n-1].Ended, a.Shelves[n-1].Expired = ptr(e.At), e.Expired
		}
	case alarm.RemovedFromService:
		a.OutOfService = append(a.OutOfService, Period{By: string(e.By), Reason: e.Reason, From: e.At})
	case alarm.ReturnedToService:
		if n := len(a.OutOfService); n > 0 && a.OutOfService[n-1].To == nil {
			a.OutOfService[n-1].To = ptr(e.At)
		}
	case alarm.Escalated:
		a.Escalations = append(a.Escalations, Escalation{Level: e.Level, At: e.At})
	case alarm.Closed:
		a.Closed = ptr(e.At)
	case cascade.Started:
		a.Runs = append(a.Runs, Run{Run: e.Run, Policy: e.Policy.ID, Started: e.At})
	case cascade.StepStarted:
		if r := runOf(a, e.Run); r != nil {
			s := Step{Step: e.Step, Repeat: e.Repeat, At: e.At, Problems: e.Problems}
			for _, rc := range e.Recipients {
				s.Recipients = append(s.Recipients, string(rc.Operator))
			}
			r.Steps = append(r.Steps, s)
		}
	case cascade.StepUnreachable:
		if r := runOf(a, e.Run); r != nil {
			for i := range r.Steps {
				if r.Steps[i].Step == e.Step && r.Steps[i].Repeat == e.Repeat {
					r.Steps[i].Unreachable = true
				}
			}
		}
	case cascade.Stopped:
		r := runOf(a, e.Run)
		if r == nil {
			a.Runs = append(a.Runs, Run{Run: e.Run, Started: e.At})
			r = &a.Runs[len(a.Runs)-1]
		}
		r.Stopped, r.StopReason, r.StopBy = ptr(e.At), string(e.Reason), string(e.By)
	case cascade.NotificationRequested:
		n := &Notification{ID: e.NotificationID, Alarm: string(id), Dam: a.Dam, Run: e.Run, Step: e.Step, Repeat: e.Repeat,
			Operator: string(e.Operator), Channel: string(e.Channel), Fallback: e.Fallback, Requested: e.At, Status: "requested"}
		if _, dup := b.notes[n.ID]; !dup {
			b.noteOrder = append(b.noteOrder, n.ID)
		}
		b.notes[n.ID] = n
		a.Notifications++
	case cascade.NotificationSent:
		if n := b.notes[e.NotificationID]; n != nil {
			n.Sent = ptr(e.At)
			if n.Status == "requested" || n.Status == "retrying" {
				n.Status = "sent"
			}
		}
	case cascade.NotificationDelivered:
		if n := b.notes[e.NotificationID]; n != nil {
			n.Delivered, n.Status = ptr(e.At), "delivered"
		}
	case cascade.NotificationFailed:
		if n := b.notes[e.NotificationID]; n != nil {
			n.Failed, n.Reason = ptr(e.At), e.Reason
			n.Status = "failed"
			if e.Retryable {
				n.Status = "retrying"
			}
		}
	}
	return nil
}

func runOf(a *AlarmReport, run int) *Run {
	for i := range a.Runs {
		if a.Runs[i].Run == run {
			return &a.Runs[i]
		}
	}
	return nil
}

// alarmIDOf is the alarm an alarm or cascade event is about.
func alarmIDOf(e any) (alarm.ID, bool) {
	switch e := e.(type) {
	case alarm.Reactivated:
		return e.AlarmID, true
	case alarm.Updated:
		return e.AlarmID, true
	case alarm.ReturnedToNormal:
		return e.AlarmID, true
	case alarm.Acknowledged:
		return e.AlarmID, true
	case alarm.Commented:
		return e.AlarmID, true
	case alarm.Shelved:
		return e.AlarmID, true
	case alarm.Unshelved:
		return e.AlarmID, true
	case alarm.RemovedFromService:
		return e.AlarmID, true
	case alarm.ReturnedToService:
		return e.AlarmID, true
	case alarm.Escalated:
		return e.AlarmID, true
	case alarm.Closed:
		return e.AlarmID, true
	case cascade.Started:
		return e.AlarmID, true
	case cascade.StepScheduled:
		return e.AlarmID, true
	case cascade.StepStarted:
		return e.AlarmID, true
	case cascade.StepAdvanced:
		return e.AlarmID, true
	case cascade.StepUnreachable:
		return e.AlarmID, true
	case cascade.NotificationRequested:
		return e.AlarmID, true
	case cascade.NotificationSent:
		return e.AlarmID, true
	case cascade.NotificationDelivered:
		return e.AlarmID, true
	case cascade.NotificationFailed:
		return e.AlarmID, true
	case cascade.Stopped:
		return e.AlarmID, true
	}
	return "", false
}

// Report finishes the report: dam descriptions from the configuration in force, curves, peaks,
// spillway spells, out-of-service periods and KPIs.
func (b *Builder) Report() (*Report, error) {
	r := b.r
	if b.preConfig != nil {
		r.Configuration = append([]ConfigChange{*b.preConfig}, r.Configuration...)
	}
	var described map[dam.ID]dam.Dam
	if b.doc != nil && b.o.DamsOf != nil {
		ds, err := b.o.DamsOf(b.doc)
		if err != nil {
			// The report still tells the episode; only the dams' descriptions are missing.
			r.Warnings = append(r.Warnings, "dams of the recorded configuration: "+err.Error())
		}
		described = map[dam.ID]dam.Dam{}
		for _, d := range ds {
			described[d.ID] = d
			if b.wanted(d.ID) {
				b.dam(d.ID) // a dam with nothing recorded in the period is still reported
			}
		}
	}
	order := slices.Clone(b.damOrder)
	slices.Sort(order)
	for _, id := range order {
		dr := *b.byDam[id]
		dr.Thresholds = slices.DeleteFunc(slices.Clone(dr.Thresholds), func(t ThresholdLine) bool { return math.IsNaN(t.Level) })
		slices.SortStableFunc(dr.Series, func(x, y Point) int { return x.T.Compare(y.T) })
		d, ok := described[id]
		if ok {
			dr.Name, dr.Capacity, dr.Crest, dr.HasCurve = d.Name, d.Capacity, d.SpillwayCrest, d.Curve != nil
			if dr.HasCurve {
				for i := range dr.Series {
					st := d.StateAt(dr.Series[i].Level)
					v, f := round(st.Volume, 1), round(st.FillPercent, 2)
					dr.Series[i].Volume, dr.Series[i].Fill = &v, &f
				}
			}
		}
		for i, p := range dr.Series {
			if dr.Peak == nil || p.Level > dr.Peak.Level {
				dr.Peak = &dr.Series[i]
			}
		}
		if dr.Peak != nil {
			pk := *dr.Peak
			dr.Peak = &pk
		}
		if dr.Crest > 0 {
			dr.Spill, dr.SpillSeconds = spells(dr.Series, dr.Crest)
		}
		for _, m := range b.maint[id] {
			if (b.o.To.IsZero() || !m.From.After(b.o.To)) && (m.To == nil || b.o.From.IsZero() || !m.To.Before(b.o.From)) {
				dr.OutOfService = append(dr.OutOfService, *m)
			}
		}
		r.Dams = append(r.Dams, dr)
	}
	for _, id := range b.alarmOrder {
		a := *b.alarms[id]
		for i := range a.Acks {
			start := a.RaisedRecorded
			for _, r := range a.Runs {
				if r.Started.After(start) && !r.Started.After(a.Acks[i].At) {
					start = r.Started
				}
			}
			a.Acks[i].Seconds = round(a.Acks[i].At.Sub(start).Seconds(), 3)
		}
		if len(a.Acks) > 0 {
			first := a.Acks[0]
			a.Acknowledged = &first
			s := first.Seconds
			a.AckSeconds = &s
		}
		r.Alarms = append(r.Alarms, a)
	}
	for _, nid := range b.noteOrder {
		r.Notifications = append(r.Notifications, *b.notes[nid])
	}
	slices.SortStableFunc(r.Notifications, func(x, y Notification) int {
		return cmp.Or(x.Requested.Compare(y.Requested), cmp.Compare(x.ID, y.ID))
	})
	for i := range r.Alarms {
		a := &r.Alarms[i]
		for _, n := range r.Notifications {
			if n.Alarm == a.ID {
				s := n.Requested.Sub(a.RaisedRecorded).Seconds()
				a.FirstNotificationSeconds = &s
				break
			}
		}
	}
	slices.SortStableFunc(r.Alarms, func(x, y AlarmReport) int { return cmp.Or(x.Raised.Compare(y.Raised), cmp.Compare(x.ID, y.ID)) })
	r.KPIs = kpis(r.Alarms, r.Notifications, b.o.Language)
	if len(r.Skipped) == 0 {
		r.Skipped = nil
	}
	r.Log.ChainHead = b.o.ChainHead
	return &r, nil
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// spells finds the spells at or over the crest: from the first reading at or over it to the first
// under it.
func spells(series []Point, crest float64) ([]Interval, float64) {
	var out []Interval
	var cur *Interval
	total := 0.0
	for _, p := range series {
		switch {
		case p.Level >= crest && cur == nil:
			out = append(out, Interval{From: p.T, Max: p.Level})
			cur = &out[len(out)-1]
		case p.Level >= crest:
			cur.Max = max(cur.Max, p.Level)
		case cur != nil:
			t := p.T
			cur.To, cur.Seconds = &t, t.Sub(cur.From).Seconds()
			total += cur.Seconds
			cur = nil
		}
	}
	if cur != nil && len(series) > 0 {
		cur.Seconds = series[len(series)-1].T.Sub(cur.From).Seconds()
		total += cur.Seconds
	}
	return out, total
}

// kpis computes the response indicators.
func kpis(alarms []AlarmReport, notes []Notification, lang projections.Language) KPIs {
	type acc struct {
		k                 KPI
		alarms            map[string]bool
		first, ack        []float64
		firstSeenForAlarm map[string]bool
	}
	newAcc := func(key string) *acc {
		return &acc{k: KPI{Key: key}, alarms: map[string]bool{}, firstSeenForAlarm: map[string]bool{}}
	}
	byAlarm := map[string]*AlarmReport{}
	for i := range alarms {
		byAlarm[alarms[i].ID] = &alarms[i]
	}
	overall := newAcc(pickLang(lang, "ensemble", "overall"))
	ops, steps := map[string]*acc{}, map[int]*acc{}
	get := func(m map[string]*acc, k string) *acc {
		if m[k] == nil {
			m[k] = newAcc(k)
		}
		return m[k]
	}
	stepAcc := func(n int) *acc {
		if steps[n] == nil {
			steps[n] = newAcc(fmt.Sprintf("%s %d", pickLang(lang, "étape", "step"), n))
		}
		return steps[n]
	}
	count := func(a *acc, n Notification) {
		a.k.Notifications++
		switch n.Status {
		case "delivered":
			a.k.Delivered++
		case "failed":
			a.k.Failed++
		}
	}
	for _, n := range notes {
		a := byAlarm[n.Alarm]
		if a == nil {
			continue
		}
		count(overall, n)
		overall.alarms[n.Alarm] = true
		op := get(ops, n.Operator)
		count(op, n)
		op.alarms[n.Alarm] = true
		if !op.firstSeenForAlarm[n.Alarm] {
			op.firstSeenForAlarm[n.Alarm] = true
			op.first = append(op.first, n.Requested.Sub(a.RaisedRecorded).Seconds())
		}
		st := stepAcc(n.Step)
		count(st, n)
		st.alarms[n.Alarm] = true
	}
	for _, a := range alarms {
		if a.FirstNotificationSeconds != nil {
			overall.first = append(overall.first, *a.FirstNotificationSeconds)
		}
		if !overall.alarms[a.ID] {
			continue // acknowledged without being paged: not a response to the cascade
		}
		for _, ack := range a.Acks {
			overall.k.Acks++
			overall.ack = append(overall.ack, ack.Seconds)
			op := get(ops, ack.By)
			op.k.Acks++
			op.ack = append(op.ack, ack.Seconds)
		}
		// Per step: the delay from the alarm to each step's first start, and each
		// acknowledgement counted for the last step started before it, from that step's start.
		seen := map[int]bool{}
		for _, r := range a.Runs {
			for i := range r.Steps {
				s := r.Steps[i]
				if !seen[s.Step] {
					seen[s.Step] = true
					stepAcc(s.Step).first = append(stepAcc(s.Step).first, s.At.Sub(a.RaisedRecorded).Seconds())
				}
			}
		}
		for _, ack := range a.Acks {
			var last *Step
			for _, r := range a.Runs {
				for i := range r.Steps {
					if !r.Steps[i].At.After(ack.At) {
						last = &r.Steps[i]
					}
				}
			}
			if last != nil {
				st := stepAcc(last.Step)
				st.k.Acks++
				st.ack = append(st.ack, ack.At.Sub(last.At).Seconds())
			}
		}
	}
	finish := func(a *acc) KPI {
		k := a.k
		k.Alarms = len(a.alarms)
		k.FirstNotification, k.Ack = stat(a.first), stat(a.ack)
		return k
	}
	out := KPIs{Overall: finish(overall)}
	for _, k := range slices.Sorted(maps.Keys(ops)) {
		out.ByOperator = append(out.ByOperator, finish(ops[k]))
	}
	for _, k := range slices.Sorted(maps.Keys(steps)) {
		out.ByStep = append(out.ByStep, finish(steps[k]))
	}
	return out
}

func stat(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Stat{Count: len(s), Median: round(med, 3), Mean: round(sum/float64(len(s)), 3), Max: round(s[len(s)-1], 3)}
}

func pickLang(l projections.Language, fr, en string) string {
	if l == projections.English {
		return en
	}
	return fr
}

// damOfAlarm is the dam part of an alarm id ("mejean~level:alerte~1").
func damOfAlarm(id alarm.ID) string {
	d, _, _ := strings.Cut(string(id), "~")
	return d
}
