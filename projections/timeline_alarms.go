package projections

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
)

// AlarmSummarizers tells every event of the alarm engine (alarm-<id> and alarmboard-<dam>
// streams) in the timeline. Merge them into DefaultSummarizers:
//
//	s := projections.DefaultSummarizers()
//	maps.Copy(s, projections.AlarmSummarizers())
func AlarmSummarizers() map[string]Summarizer {
	m := map[string]Summarizer{}
	for _, e := range alarm.Events() {
		m[e.EventType()] = summarizeAlarm
	}
	return m
}

// summarizeAlarm writes the line of any alarm or board event.
func summarizeAlarm(d Decoded, lang Language) (Summary, bool, error) {
	text, s, err := alarmSentence(d, lang)
	if err != nil {
		return Summary{}, false, err
	}
	raw, err := json.Marshal(d.Event) // the upcast event, not the stored bytes of an older schema
	if err != nil {
		return Summary{}, false, fmt.Errorf("encode %s: %w", d.Type, err)
	}
	s.Text, s.Data = text, raw
	return s, true, nil
}

// alarmSentence tells one alarm or board event, and gives its dam, sensor, time and actor.
func alarmSentence(d Decoded, lang Language) (string, Summary, error) {
	var s Summary
	switch e := d.Event.(type) {
	case alarm.Raised:
		s = alarmSummary(e.AlarmID, e.At, "")
		s.Sensor = sensorOf(e.Condition, e.Source)
		text := pick(lang, "Alarme levée sur "+string(e.Dam)+" ("+severityWord(e.Severity, lang)+") : ",
			"Alarm raised on "+string(e.Dam)+" ("+severityWord(e.Severity, lang)+"): ") +
			conditionPhrase(e.Condition, lang) + measurePhrase(e.Condition.Kind(), true, e.Value, e.Limit, e.Unit, lang)
		switch {
		case e.Historical:
			text += pick(lang, " — historique, appris en retard et déjà fini", " — historical, learnt late and already over")
		case e.Late:
			text += pick(lang, " — appris en retard", " — learnt late")
		}
		if e.Suppression != nil {
			text += pick(lang, " — hors service", " — out of service")
		}
		return text, s, nil
	case alarm.Reactivated:
		s = alarmSummary(e.AlarmID, e.At, "")
		s.Sensor = sensorOf(conditionOf(e.AlarmID), e.Source)
		text := pick(lang, "Alarme de nouveau active sur ", "Alarm active again on ") + damOf(e.AlarmID) + pick(lang, " : ", ": ") +
			conditionPhrase(conditionOf(e.AlarmID), lang) + measurePhrase(conditionOf(e.AlarmID).Kind(), true, e.Value, math.NaN(), "", lang)
		if e.Late {
			text += pick(lang, " — appris en retard", " — learnt late")
		}
		return text, s, nil
	case alarm.Updated:
		s = alarmSummary(e.AlarmID, e.At, "")
		s.Sensor = sensorOf(conditionOf(e.AlarmID), e.Source)
		var parts []string
		if e.PreviousSeverity != "" {
			parts = append(parts, pick(lang, "sévérité ", "severity ")+severityWord(e.PreviousSeverity, lang)+" → "+severityWord(e.Severity, lang))
		}
		if e.Cleared {
			parts = append(parts, e.Source+pick(lang, " revenu à la normale", " back to normal"))
		}
		parts = append(parts, pick(lang, "pic ", "peak ")+valueText(e.Peak, unitOf(conditionOf(e.AlarmID).Kind()), lang))
		return pick(lang, "Alarme mise à jour", "Alarm updated") + alarmOn(e.AlarmID, lang) + pick(lang, " : ", ": ") + strings.Join(parts, ", "), s, nil
	case alarm.ReturnedToNormal:
		s = alarmSummary(e.AlarmID, e.At, "")
		s.Sensor = sensorOf(conditionOf(e.AlarmID), e.Source)
		text := pick(lang, "Alarme revenue à la normale", "Alarm back to normal") + alarmOn(e.AlarmID, lang)
		if e.Late {
			text += pick(lang, " — appris en retard", " — learnt late")
		}
		return text, s, nil
	case alarm.Acknowledged:
		s = alarmSummary(e.AlarmID, e.At, string(e.By))
		text := pick(lang, "Alarme acquittée", "Alarm acknowledged") + alarmOn(e.AlarmID, lang) + pick(lang, " par ", " by ") + string(e.By) + " (" + string(e.Via) + ")"
		if e.Comment != "" {
			text += pick(lang, " : « "+e.Comment+" »", ": “"+e.Comment+"”")
		}
		return text, s, nil
	case alarm.Commented:
		s = alarmSummary(e.AlarmID, e.At, string(e.By))
		return pick(lang, "Commentaire de ", "Comment by ") + string(e.By) + pick(lang, " sur l'alarme", " on the alarm") + alarmOn(e.AlarmID, lang) +
			pick(lang, " : « "+e.Text+" »", ": “"+e.Text+"”"), s, nil
	case alarm.Shelved:
		s = alarmSummary(e.AlarmID, e.At, string(e.By))
		return pick(lang, "Alarme mise en attente", "Alarm shelved") + alarmOn(e.AlarmID, lang) + pick(lang, " par ", " by ") + string(e.By) +
			pick(lang, " jusqu'au ", " until ") + e.Until.UTC().Format("2006-01-02 15:04 UTC") + pick(lang, " : ", ": ") + e.Reason, s, nil
	case alarm.Unshelved:
		s = alarmSummary(e.AlarmID, e.At, string(e.By))
		if e.Expired {
			if s.Actor == "" {
				s.Actor = "system:scheduler"
			}
			return pick(lang, "Fin de l'attente de l'alarme", "Shelve expired for the alarm") + alarmOn(e.AlarmID, lang), s, nil
		}
		return pick(lang, "Alarme sortie d'attente", "Alarm unshelved") + alarmOn(e.AlarmID, lang) + pick(lang, " par ", " by ") + string(e.By), s, nil
	case alarm.RemovedFromService:
		s = alarmSummary(e.AlarmID, e.At, string(e.By))
		return pick(lang, "Alarme mise hors service", "Alarm removed from service") + alarmOn(e.AlarmID, lang) + pick(lang, " par ", " by ") + string(e.By) +
			pick(lang, " : ", ": ") + e.Reason, s, nil
	case alarm.ReturnedToService:
		s = alarmSummary(e.AlarmID, e.At, string(e.By))
		return pick(lang, "Alarme remise en service", "Alarm returned to service") + alarmOn(e.AlarmID, lang) + pick(lang, " par ", " by ") + string(e.By), s, nil
	case alarm.Escalated:
		s = alarmSummary(e.AlarmID, e.At, "")
		return pick(lang, "Escalade au niveau ", "Escalated to level ") + strconv.Itoa(e.Level) + pick(lang, " de l'alarme", " for the alarm") + alarmOn(e.AlarmID, lang), s, nil
	case alarm.Closed:
		s = alarmSummary(e.AlarmID, e.At, string(e.By))
		return pick(lang, "Alarme clôturée", "Alarm closed") + alarmOn(e.AlarmID, lang) + pick(lang, " par ", " by ") + string(e.By) + pick(lang, " : ", ": ") + e.Reason, s, nil
	case alarm.SlotOpened:
		s = Summary{Dam: string(e.Dam), Time: e.At, Sensor: sensorOf(e.Condition, "")}
		text := pick(lang, fmt.Sprintf("Occurrence %d ouverte sur %s : %s", e.Occurrence, e.Dam, conditionPhrase(e.Condition, lang)),
			fmt.Sprintf("Occurrence %d opened on %s: %s", e.Occurrence, e.Dam, conditionPhrase(e.Condition, lang)))
		if string(e.Group) != string(e.AlarmID) {
			text += pick(lang, " (dans la situation "+string(e.Group)+")", " (in situation "+string(e.Group)+")")
		}
		return text, s, nil
	case alarm.MaintenanceStarted:
		s = Summary{Dam: string(e.Dam), Sensor: e.Scope, Time: e.At, Actor: string(e.By)}
		return scopeWord(e.Dam, e.Scope, lang) + pick(lang, " mis hors service par ", " taken out of service by ") + string(e.By) + pick(lang, " : ", ": ") + e.Reason, s, nil
	case alarm.MaintenanceEnded:
		s = Summary{Dam: string(e.Dam), Sensor: e.Scope, Time: e.At, Actor: string(e.By)}
		return scopeWord(e.Dam, e.Scope, lang) + pick(lang, " remis en service par ", " returned to service by ") + string(e.By), s, nil
	}
	s, _, err := wrongEvent(d)
	return "", s, err
}

func alarmSummary(id alarm.ID, at time.Time, actor string) Summary {
	c := conditionOf(id)
	return Summary{Dam: damOf(id), Time: at, Actor: actor, Sensor: sensorOf(c, "")}
}

// damOf and conditionOf read an alarm id, "<dam>~<condition>~<occurrence>" ('~' is refused in
// both, so the split is exact).
func damOf(id alarm.ID) string {
	d, _, _ := strings.Cut(string(id), "~")
	return d
}

func conditionOf(id alarm.ID) alarm.Condition {
	parts := strings.Split(string(id), "~")
	if len(parts) != 3 {
		return ""
	}
	return alarm.Condition(parts[1])
}

// sensorOf is the sensor an alarm is about: the qualifier of a technical condition, else the
// source that reported it.
func sensorOf(c alarm.Condition, source string) string {
	if _, q, ok := strings.Cut(string(c), ":"); ok && !c.Kind().Process() {
		return q
	}
	return source
}

// alarmOn names an alarm after its subject: ` « niveau au-dessus du seuil alerte » de mejean`.
func alarmOn(id alarm.ID, lang Language) string {
	return pick(lang, " « "+conditionPhrase(conditionOf(id), lang)+" » de "+damOf(id), " “"+conditionPhrase(conditionOf(id), lang)+"” of "+damOf(id))
}

func scopeWord(d dam.ID, scope string, lang Language) string {
	if scope == "" {
		return pick(lang, "Barrage "+string(d), "Dam "+string(d))
	}
	return pick(lang, "Capteur "+scope+" ("+string(d)+")", "Sensor "+scope+" ("+string(d)+")")
}

func severityWord(s dam.Severity, lang Language) string {
	switch s {
	case dam.SeverityLow:
		return pick(lang, "basse", "low")
	case dam.SeverityMedium:
		return pick(lang, "moyenne", "medium")
	case dam.SeverityHigh:
		return pick(lang, "haute", "high")
	case dam.SeverityCritical:
		return pick(lang, "critique", "critical")
	}
	return string(s)
}

// conditionPhrase says what a condition is about.
func conditionPhrase(c alarm.Condition, lang Language) string {
	_, q, _ := strings.Cut(string(c), ":")
	switch c.Kind() {
	case condition.KindLevel:
		return pick(lang, "niveau au-dessus du seuil "+q, "level above the "+q+" threshold")
	case condition.KindRateOfRise:
		return pick(lang, "montée rapide du niveau", "fast rise of the level")
	case condition.KindTimeToSpill:
		return pick(lang, "déversement proche", "spill forecast soon")
	case condition.KindStale:
		return pick(lang, "capteur "+q+" muet", "sensor "+q+" silent")
	case condition.KindFrozen:
		return pick(lang, "capteur "+q+" figé", "sensor "+q+" frozen")
	case condition.KindImplausible:
		return pick(lang, "valeur implausible de "+q, "implausible value from "+q)
	case condition.KindUnknownSensor:
		return pick(lang, "capteur inconnu "+q, "unknown sensor "+q)
	case condition.KindEndpointUnreachable:
		return pick(lang, "source injoignable "+q, "unreachable endpoint "+q)
	}
	return string(c)
}

func unitOf(k condition.Kind) string {
	switch k {
	case condition.KindRateOfRise:
		return condition.UnitMetrePerH
	case condition.KindTimeToSpill, condition.KindStale:
		return condition.UnitSeconds
	}
	return condition.UnitMetre
}

// measurePhrase gives the value that decided a change against its limit (NaN: not given).
func measurePhrase(k condition.Kind, active bool, value, limit float64, unit string, lang Language) string {
	if unit == "" {
		unit = unitOf(k)
	}
	lim := func(word string) string {
		if math.IsNaN(limit) || limit == 0 {
			return ""
		}
		return " (" + word + " " + valueText(limit, unit, lang) + ")"
	}
	switch {
	case k == condition.KindLevel:
		return ", " + valueText(value, unit, lang) + lim(pick(lang, "seuil", "threshold"))
	case k == condition.KindRateOfRise:
		return ", " + valueText(value, unit, lang) + lim(pick(lang, "limite", "limit"))
	case k == condition.KindTimeToSpill && value == 0:
		return pick(lang, ", déversement en cours", ", spilling")
	case k == condition.KindTimeToSpill && value < 0:
		return pick(lang, ", plus de prévision", ", no forecast")
	case k == condition.KindTimeToSpill:
		return pick(lang, ", crête atteinte dans ", ", crest reached in ") + valueText(value, unit, lang) + lim(pick(lang, "seuil", "limit"))
	case k == condition.KindStale && active:
		return pick(lang, ", aucune lecture depuis ", ", no reading for ") + valueText(value, unit, lang)
	case k == condition.KindFrozen && unit == condition.UnitSeconds:
		return pick(lang, ", valeur inchangée depuis ", ", value unchanged for ") + valueText(value, unit, lang)
	case k == condition.KindImplausible:
		return ", " + valueText(value, unit, lang)
	}
	return ""
}

// valueText writes a value in its unit: metres with two decimals at least, rates in m/h,
// durations in minutes or hours.
func valueText(v float64, unit string, lang Language) string {
	switch unit {
	case condition.UnitMetre:
		return metres(v) + " m"
	case condition.UnitMetrePerH:
		return strconv.FormatFloat(v, 'f', 2, 64) + " m/h"
	case condition.UnitSeconds:
		return durationText(time.Duration(v * float64(time.Second)))
	}
	return strconv.FormatFloat(v, 'g', -1, 64) + " " + unit
}

// durationText: "45 s", "12 min", "1 h 05", "3 j 4 h" — the same in both languages but days.
func durationText(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	case d < 48*time.Hour:
		m := int(d.Round(time.Minute).Minutes())
		if m%60 == 0 {
			return fmt.Sprintf("%d h", m/60)
		}
		return fmt.Sprintf("%d h %02d", m/60, m%60)
	}
	return fmt.Sprintf("%d h", int(d.Hours()))
}
