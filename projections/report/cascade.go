package report

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/projections"
)

// CascadeSummarizers tell the cascade's events in the timeline's way, for the story of the
// report: who was called, on which channel, what became of it, and why the cascade stopped. The
// timers (step_scheduled) and channel rounds get no line. A timeline that has its own cascade
// summarisers keeps them (NewBuilder only adds these for types it has none for).
func CascadeSummarizers() map[string]projections.Summarizer {
	m := map[string]projections.Summarizer{}
	for _, e := range []interface{ EventType() string }{
		cascade.Started{}, cascade.StepStarted{}, cascade.StepUnreachable{}, cascade.NotificationRequested{},
		cascade.NotificationSent{}, cascade.NotificationDelivered{}, cascade.NotificationFailed{}, cascade.Stopped{},
	} {
		m[e.EventType()] = summarizeCascade
	}
	return m
}

func summarizeCascade(d projections.Decoded, lang projections.Language) (projections.Summary, bool, error) {
	p := func(fr, en string) string { return pickLang(lang, fr, en) }
	var (
		text string
		s    projections.Summary
	)
	switch e := d.Event.(type) {
	case cascade.Started:
		s.Time, s.Dam = e.At, string(e.Dam)
		text = fmt.Sprintf(p("Cascade d'appel %d démarrée pour %s (politique %s)", "Call cascade %d started for %s (policy %s)"), e.Run, e.AlarmID, e.Policy.ID)
	case cascade.StepStarted:
		s.Time, s.Dam = e.At, damOfAlarm(e.AlarmID)
		var who []string
		for _, r := range e.Recipients {
			who = append(who, string(r.Operator))
		}
		step := fmt.Sprintf(p("Étape %d", "Step %d"), e.Step)
		if e.Repeat > 0 {
			step += fmt.Sprintf(p(" (répétition %d)", " (repeat %d)"), e.Repeat)
		}
		text = fmt.Sprintf(p("%s de la cascade de %s : appel de %s", "%s of the cascade of %s: calling %s"), step, e.AlarmID, orDash(strings.Join(who, ", ")))
		if len(e.Problems) > 0 {
			text += p(" — problèmes : ", " — problems: ") + strings.Join(e.Problems, "; ")
		}
	case cascade.StepUnreachable:
		s.Time, s.Dam = e.At, damOfAlarm(e.AlarmID)
		text = fmt.Sprintf(p("Personne n'a pu être joint à l'étape %d pour %s", "Nobody could be reached at step %d for %s"), e.Step, e.AlarmID)
	case cascade.NotificationRequested:
		s.Time, s.Dam = e.At, damOfAlarm(e.AlarmID)
		text = fmt.Sprintf(p("Notification %s à %s pour %s (étape %d)", "%s notification to %s for %s (step %d)"), channelWord(e.Channel, lang), e.Operator, e.AlarmID, e.Step)
		if e.Fallback {
			text += p(", en repli", ", as a fallback")
		}
	case cascade.NotificationSent:
		s.Time, s.Dam = e.At, damOfAlarm(e.AlarmID)
		text = fmt.Sprintf(p("Notification %s envoyée", "Notification %s sent"), e.NotificationID)
	case cascade.NotificationDelivered:
		s.Time, s.Dam = e.At, damOfAlarm(e.AlarmID)
		text = fmt.Sprintf(p("Notification %s remise", "Notification %s delivered"), e.NotificationID)
	case cascade.NotificationFailed:
		s.Time, s.Dam = e.At, damOfAlarm(e.AlarmID)
		text = fmt.Sprintf(p("Échec de la notification %s : %s", "Notification %s failed: %s"), e.NotificationID, e.Reason)
		if e.Retryable {
			text += p(" (nouvel essai)", " (retrying)")
		}
	case cascade.Stopped:
		s.Time, s.Dam = e.At, damOfAlarm(e.AlarmID)
		text = fmt.Sprintf(p("Cascade de %s arrêtée : %s", "Cascade of %s stopped: %s"), e.AlarmID, stopWord(e.Reason, lang))
		if e.By != "" {
			text += fmt.Sprintf(p(" (par %s)", " (by %s)"), e.By)
		}
	default:
		return projections.Summary{}, false, fmt.Errorf("event of type %s decoded as %T", d.Type, d.Event)
	}
	raw, err := json.Marshal(d.Event)
	if err != nil {
		return projections.Summary{}, false, fmt.Errorf("encode %s: %w", d.Type, err)
	}
	s.Text, s.Data = text, raw
	return s, true, nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func channelWord(ch cascade.Channel, lang projections.Language) string {
	switch ch {
	case cascade.ChannelSMS:
		return "SMS"
	case cascade.ChannelVoice:
		return pickLang(lang, "appel vocal", "voice call")
	case cascade.ChannelEmail:
		return pickLang(lang, "e-mail", "e-mail")
	}
	return string(ch)
}

// StopText tells why a cascade stopped, in lang ("alarme acquittée").
func StopText(reason string, lang projections.Language) string {
	return stopWord(cascade.StopReason(reason), lang)
}

func stopWord(r cascade.StopReason, lang projections.Language) string {
	fr := map[cascade.StopReason]string{
		cascade.StopAcknowledged:             "alarme acquittée",
		cascade.StopReturnedToNormalAndAcked: "alarme terminée",
		cascade.StopClosed:                   "alarme clôturée",
		cascade.StopShelved:                  "alarme mise en attente",
		cascade.StopRemovedFromService:       "mise hors service",
		cascade.StopReturnedToNormalInGrace:  "retour à la normale avant le premier appel",
		cascade.StopNoPolicy:                 "aucune politique d'appel ne couvre cette alarme",
	}
	en := map[cascade.StopReason]string{
		cascade.StopAcknowledged:             "alarm acknowledged",
		cascade.StopReturnedToNormalAndAcked: "alarm over",
		cascade.StopClosed:                   "alarm closed",
		cascade.StopShelved:                  "alarm shelved",
		cascade.StopRemovedFromService:       "removed from service",
		cascade.StopReturnedToNormalInGrace:  "back to normal before the first call",
		cascade.StopNoPolicy:                 "no escalation policy covers this alarm",
	}
	m := fr
	if lang == projections.English {
		m = en
	}
	if w, ok := m[r]; ok {
		return w
	}
	return string(r)
}
