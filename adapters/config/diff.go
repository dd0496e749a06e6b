package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Diff lists, in words an auditor reads, what changed from prev to next:
// "dam mejean: threshold alerte level 6 -> 5.5 m", "operator op-x added". A nil prev is an empty
// configuration (everything is added). Equal configurations give no line.
func Diff(prev, next *Config) []string {
	var out []string
	diffItems(&out, "", items(prev), items(next))
	return out
}

// item is one thing a change is reported about: its fields and the things inside it.
type item struct {
	label  string // "dam mejean", "threshold alerte"
	fields []diffField
	kids   []item
}

type diffField struct {
	name, value, unit string
}

func diffItems(out *[]string, prefix string, old, cur []item) {
	byLabel := func(list []item, label string) (item, bool) {
		i := slices.IndexFunc(list, func(it item) bool { return it.label == label })
		if i < 0 {
			return item{}, false
		}
		return list[i], true
	}
	for _, o := range old {
		if _, ok := byLabel(cur, o.label); !ok {
			*out = append(*out, prefix+o.label+" removed")
		}
	}
	for _, n := range cur {
		o, ok := byLabel(old, n.label)
		if !ok {
			*out = append(*out, prefix+n.label+" added")
			continue
		}
		for _, nf := range n.fields {
			of := diffField{value: "none"}
			if i := slices.IndexFunc(o.fields, func(f diffField) bool { return f.name == nf.name }); i >= 0 {
				of = o.fields[i]
			}
			if of.value == nf.value {
				continue
			}
			// The unit goes once, after the new value: "level 6 -> 5.5 m", "dyke height 10 m -> unknown".
			from, to := of.value, nf.value
			switch {
			case nf.unit == "":
			case !absent(to):
				to += " " + nf.unit
			case !absent(from):
				from += " " + nf.unit
			}
			*out = append(*out, fmt.Sprintf("%s%s %s %s -> %s", prefix, n.label, nf.name, from, to))
		}
		diffItems(out, prefix+n.label+": ", o.kids, n.kids)
	}
}

func absent(v string) bool { return v == "none" || v == "unknown" }

func f64(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func list[T ~string](s []T) string {
	if len(s) == 0 {
		return "none"
	}
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

func dur(d time.Duration) string { return formatDuration(d) }

func items(c *Config) []item {
	if c == nil {
		return nil
	}
	out := []item{
		{label: "site", fields: []diffField{
			{name: "name", value: c.site.Name},
			{name: "time zone", value: c.site.TimeZone},
			{name: "language", value: c.site.Language},
			{name: "public URL", value: orNone(c.site.PublicURL)},
		}},
		{label: "ingestion", fields: []diffField{
			{name: "late after", value: dur(c.ingestion.LateAfter)},
			{name: "max future", value: dur(c.ingestion.MaxFuture)},
			{name: "max body", value: strconv.FormatInt(c.ingestion.MaxBodyBytes, 10), unit: "bytes"},
			{name: "max batch", value: strconv.Itoa(c.ingestion.MaxBatch), unit: "readings"},
		}},
	}
	for _, d := range c.dams {
		out = append(out, damItem(d))
	}
	for _, o := range c.operators {
		out = append(out, item{label: "operator " + o.ID, fields: []diffField{
			{name: "name", value: o.Name},
			{name: "phone", value: o.Phone},
			{name: "email", value: orNone(o.Email)},
			{name: "role", value: string(o.Role)},
			{name: "language", value: o.Language},
		}})
	}
	for _, g := range c.groups {
		out = append(out, item{label: "group " + g.ID, fields: []diffField{
			{name: "name", value: orNone(g.Name)},
			{name: "members", value: list(g.Members)},
		}})
	}
	for _, r := range c.rotations {
		it := item{label: "rotation " + r.ID, fields: []diffField{
			{name: "name", value: orNone(r.Name)},
			{name: "members", value: list(r.Members)},
			{name: "handover", value: fmt.Sprintf("%s %02d:%02d", strings.ToLower(r.Handover.Weekday.String()), r.Handover.Hour, r.Handover.Minute)},
			{name: "start", value: r.Start.Format("2006-01-02 15:04 MST")},
		}}
		for _, o := range r.Overrides {
			it.kids = append(it.kids, item{
				label:  fmt.Sprintf("override %s to %s", o.From.Format("2006-01-02 15:04"), o.To.Format("2006-01-02 15:04")),
				fields: []diffField{{name: "operator", value: o.Operator}},
			})
		}
		out = append(out, it)
	}
	for _, p := range c.policies {
		dams := "all"
		if !p.AllDams {
			dams = list(p.Dams)
		}
		it := item{label: "escalation policy " + p.ID, fields: []diffField{
			{name: "dams", value: dams},
			{name: "severities", value: list(p.Severities)},
			{name: "rotation", value: orNone(p.Rotation)},
			{name: "steps", value: strconv.Itoa(len(p.Steps))},
			{name: "repeat last step every", value: orNone(durOrEmpty(p.RepeatLastEvery))},
		}}
		for i, s := range p.Steps {
			targets := make([]string, len(s.Targets))
			for k, t := range s.Targets {
				targets[k] = t.String()
			}
			it.kids = append(it.kids, item{label: fmt.Sprintf("step %d", i+1), fields: []diffField{
				{name: "targets", value: list(targets)},
				{name: "channels", value: list(s.Channels)},
				{name: "mode", value: string(s.Mode)},
				{name: "channel delay", value: orNone(durOrEmpty(s.ChannelDelay))},
				{name: "wait for ack", value: orNone(durOrEmpty(s.WaitForAck))},
			}})
		}
		out = append(out, it)
	}
	return out
}

func durOrEmpty(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return dur(d)
}

func damItem(d DamConfig) item {
	curve := "none"
	switch d.Curve.Kind {
	case CurvePower:
		curve = fmt.Sprintf("V = %s·h^%s", f64(d.Curve.A), f64(d.Curve.B))
	case CurveTable:
		pts := make([]string, len(d.Curve.Points))
		for i, p := range d.Curve.Points {
			pts[i] = fmt.Sprintf("[%s, %s]", f64(p.Height), f64(p.Volume))
		}
		curve = "table " + strings.Join(pts, " ")
	}
	dyke := "unknown"
	if d.DykeHeightM > 0 {
		dyke = f64(d.DykeHeightM)
	}
	location := "none"
	if l := d.Location; l != nil {
		location = fmt.Sprintf("%s, %s", f64(l.Lat), f64(l.Lon))
	}
	it := item{label: "dam " + string(d.ID), fields: []diffField{
		{name: "name", value: d.Name},
		{name: "location", value: location},
		{name: "capacity", value: f64(d.CapacityM3), unit: "m³"},
		{name: "dyke height", value: dyke, unit: "m"},
		{name: "spillway crest", value: f64(d.SpillwayCrestM), unit: "m"},
		{name: "storage curve", value: curve},
	}}
	for _, s := range d.Sensors {
		it.kids = append(it.kids, item{label: "sensor " + string(s.ID), fields: []diffField{
			{name: "kind", value: s.Kind},
			{name: "unit", value: s.Unit},
			{name: "plausible range", value: fmt.Sprintf("[%s, %s]", f64(s.PlausibleMin), f64(s.PlausibleMax)), unit: "m"},
			{name: "max rate", value: f64(s.MaxRate), unit: "m/h"},
			{name: "suspect rate", value: f64(s.SuspectRate), unit: "m/h"},
			{name: "period", value: dur(s.Period)},
			{name: "stale after", value: dur(s.StaleAfter)},
		}})
	}
	for _, t := range d.Thresholds {
		it.kids = append(it.kids, item{label: "threshold " + t.Name, fields: []diffField{
			{name: "level", value: f64(t.Level), unit: "m"},
			{name: "severity", value: string(t.Severity)},
			{name: "deadband", value: f64(t.Deadband), unit: "m"},
			{name: "on delay", value: dur(t.OnDelay)},
			{name: "off delay", value: dur(t.OffDelay)},
		}})
	}
	if a := d.Alarms.RateOfRise; a.Enabled {
		it.kids = append(it.kids, item{label: "rate-of-rise alarm", fields: []diffField{
			{name: "rise", value: f64(a.RiseMPerH), unit: "m/h"},
			{name: "window", value: dur(a.Window)},
			{name: "severity", value: string(a.Severity)},
			{name: "off delay", value: orNone(durOrEmpty(a.OffDelay))},
			{name: "deadband", value: f64(a.DeadbandMPerH), unit: "m/h"},
		}})
	}
	if a := d.Alarms.TimeToSpill; a.Enabled {
		it.kids = append(it.kids, item{label: "time-to-spill alarm", fields: []diffField{
			{name: "under", value: dur(a.Under)},
			{name: "severity", value: string(a.Severity)},
			{name: "window", value: orNone(durOrEmpty(a.Window))},
			{name: "off delay", value: orNone(durOrEmpty(a.OffDelay))},
			{name: "deadband", value: orNone(durOrEmpty(a.Deadband))},
		}})
	}
	if a := d.Alarms.Frozen; a.Enabled {
		it.kids = append(it.kids, item{label: "frozen-sensor alarm", fields: []diffField{
			{name: "after", value: dur(a.After)},
			{name: "min trend", value: f64(a.MinTrendMPerH), unit: "m/h"},
			{name: "severity", value: string(a.Severity)},
		}})
	}
	return it
}
