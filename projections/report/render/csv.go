package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/projections/report"
)

// Tables are the CSV tables of a report: one kind of row each, the columns of the JSON.
var Tables = []string{"alarms", "notifications", "acks", "kpis", "series", "spillway", "crossings", "out_of_service", "configuration", "story"}

// WriteCSV writes one table of the report (Tables). Times are RFC 3339 UTC and durations seconds,
// so a spreadsheet or a script reads them without guessing.
func WriteCSV(w io.Writer, r *report.Report, table string) error {
	if table == "" {
		table = "alarms"
	}
	if !slices.Contains(Tables, table) {
		return fmt.Errorf("render csv: table %q is not one of %s", table, strings.Join(Tables, ", "))
	}
	cw := csv.NewWriter(w)
	put := func(rec ...string) { _ = cw.Write(rec) } // errors surface at Flush
	switch table {
	case "alarms":
		put("id", "dam", "condition", "class", "severity", "source", "value", "limit", "unit", "peak", "raised", "raised_recorded", "late", "historical",
			"returned_to_normal", "first_ack_at", "first_ack_by", "first_ack_via", "time_to_first_notification_s", "time_to_ack_s", "notifications", "escalation_level", "closed")
		for _, a := range r.Alarms {
			var at, by, via string
			if a.Acknowledged != nil {
				at, by, via = ts(a.Acknowledged.At), a.Acknowledged.By, a.Acknowledged.Via
			}
			level := 0
			for _, e := range a.Escalations {
				level = max(level, e.Level)
			}
			put(a.ID, a.Dam, a.Condition, a.Class, a.Severity, a.Source, f(a.Value), f(a.Limit), a.Unit, f(a.Peak), ts(a.Raised), ts(a.RaisedRecorded),
				b(a.Late), b(a.Historical), tsp(a.ReturnedToNormal), at, by, via, fp(a.FirstNotificationSeconds), fp(a.AckSeconds),
				strconv.Itoa(a.Notifications), strconv.Itoa(level), tsp(a.Closed))
		}
	case "notifications":
		put("id", "alarm", "dam", "run", "step", "repeat", "operator", "channel", "fallback", "requested", "sent", "delivered", "failed", "failure", "status")
		for _, n := range r.Notifications {
			put(n.ID, n.Alarm, n.Dam, strconv.Itoa(n.Run), strconv.Itoa(n.Step), strconv.Itoa(n.Repeat), n.Operator, n.Channel, b(n.Fallback),
				ts(n.Requested), tsp(n.Sent), tsp(n.Delivered), tsp(n.Failed), n.Reason, n.Status)
		}
	case "acks":
		put("alarm", "dam", "by", "via", "at", "delay_s", "comment")
		for _, a := range r.Alarms {
			for _, k := range a.Acks {
				put(a.ID, a.Dam, k.By, k.Via, ts(k.At), f(k.Seconds), k.Comment)
			}
		}
	case "kpis":
		put("group", "key", "alarms", "notifications", "delivered", "failed", "acks",
			"first_notification_count", "first_notification_median_s", "first_notification_mean_s", "first_notification_max_s",
			"ack_count", "ack_median_s", "ack_mean_s", "ack_max_s")
		row := func(group string, k report.KPI) {
			put(group, k.Key, strconv.Itoa(k.Alarms), strconv.Itoa(k.Notifications), strconv.Itoa(k.Delivered), strconv.Itoa(k.Failed), strconv.Itoa(k.Acks),
				strconv.Itoa(k.FirstNotification.Count), f(k.FirstNotification.Median), f(k.FirstNotification.Mean), f(k.FirstNotification.Max),
				strconv.Itoa(k.Ack.Count), f(k.Ack.Median), f(k.Ack.Mean), f(k.Ack.Max))
		}
		row("overall", r.KPIs.Overall)
		for _, k := range r.KPIs.ByOperator {
			row("operator", k)
		}
		for _, k := range r.KPIs.ByStep {
			row("step", k)
		}
	case "series":
		put("dam", "sensor", "time", "level_m", "volume_m3", "fill_pct", "quality")
		for _, d := range r.Dams {
			for _, p := range d.Series {
				put(d.ID, p.Sensor, ts(p.T), f(p.Level), fp(p.Volume), fp(p.Fill), p.Quality)
			}
		}
	case "spillway":
		put("dam", "from", "to", "duration_s", "max_level_m")
		for _, d := range r.Dams {
			for _, s := range d.Spill {
				put(d.ID, ts(s.From), tsp(s.To), f(s.Seconds), f(s.Max))
			}
		}
	case "crossings":
		put("dam", "sensor", "threshold", "direction", "at", "level_m", "value_m", "late")
		for _, d := range r.Dams {
			for _, c := range d.Crossings {
				put(d.ID, c.Sensor, c.Threshold, c.Direction, ts(c.At), f(c.Level), f(c.Value), b(c.Late))
			}
		}
	case "out_of_service":
		put("dam", "scope", "from", "to", "by", "reason", "ended_by")
		for _, d := range r.Dams {
			for _, m := range d.OutOfService {
				put(d.ID, m.Scope, ts(m.From), tsp(m.To), m.By, m.Reason, m.EndBy)
			}
		}
	case "configuration":
		put("at", "actor", "kind", "source", "digest", "dam", "sensor", "changes", "in_force_at_start")
		for _, c := range r.Configuration {
			put(ts(c.At), c.Actor, c.Kind, c.Source, c.Digest, c.Dam, c.Sensor, strings.Join(c.Changes, "; "), b(c.InForce))
		}
	case "story":
		put("position", "at", "recorded", "dam", "type", "actor", "text")
		for _, l := range r.Story {
			put(strconv.FormatUint(l.Position, 10), ts(l.At), ts(l.Recorded), l.Dam, l.Type, l.Actor, l.Text)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("render csv %s: %w", table, err)
	}
	return nil
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func tsp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return ts(*t)
}

func f(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fp(v *float64) string {
	if v == nil {
		return ""
	}
	return f(*v)
}

func b(v bool) string {
	if v {
		return "true"
	}
	return "false"
}
