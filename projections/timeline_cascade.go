package projections

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
)

// CascadeSummarizers tells the notification cascade (cascade-<alarm id> streams) in the timeline:
// who was paged, by which channel, what the provider said, and why paging stopped — the story an
// auditor reads after a flood ("SMS à Camille Durand 03:42:11, pas de réponse, appel à Sacha
// Martin 03:47:11, acquitté 03:48:02"). names gives operators' names by id (ids are shown when a
// name is missing). The timers (step_scheduled) get no line: the step they start does.
func CascadeSummarizers(names map[string]string) map[string]Summarizer {
	s := cascadeSummarizer{names: names}
	m := map[string]Summarizer{}
	for _, e := range cascade.Events() {
		m[e.EventType()] = s.summarize
	}
	return m
}

type cascadeSummarizer struct{ names map[string]string }

func (c cascadeSummarizer) name(op alarm.OperatorID) string {
	if n := c.names[string(op)]; n != "" {
		return n
	}
	return string(op)
}

func (c cascadeSummarizer) summarize(d Decoded, lang Language) (Summary, bool, error) {
	var (
		id   alarm.ID
		at   time.Time
		text string
	)
	switch e := d.Event.(type) {
	case cascade.Started:
		id, at = e.AlarmID, e.At
		text = pick(lang, "Cascade d'astreinte démarrée (politique "+e.Policy.ID+")", "On-call cascade started (policy "+e.Policy.ID+")")
		if e.Late {
			text += pick(lang, " — alarme apprise en retard : première étape après un délai de grâce", " — alarm learnt late: first step after a grace period")
		}
	case cascade.StepScheduled:
		return Summary{}, false, nil
	case cascade.StepStarted:
		id, at = e.AlarmID, e.At
		var who []string
		for _, r := range e.Recipients {
			var chans []string
			for _, ct := range r.Contacts {
				chans = append(chans, channelWord(ct.Channel, lang))
			}
			who = append(who, c.name(r.Operator)+" ("+strings.Join(chans, ", ")+")")
		}
		step := fmt.Sprintf("%d", e.Step)
		if e.Repeat > 0 {
			step += pick(lang, fmt.Sprintf(", répétition %d", e.Repeat), fmt.Sprintf(", repeat %d", e.Repeat))
		}
		if len(who) == 0 {
			text = pick(lang, "Étape "+step+" : personne à appeler", "Step "+step+": nobody to call")
		} else {
			text = pick(lang, "Étape "+step+" : appel de ", "Step "+step+": paging ") + strings.Join(who, ", ")
		}
		if len(e.Problems) > 0 {
			text += pick(lang, " — problèmes : ", " — problems: ") + strings.Join(e.Problems, "; ")
		}
	case cascade.StepAdvanced:
		id, at = e.AlarmID, e.At
		text = pick(lang, fmt.Sprintf("Étape %d : pas de réponse, canal suivant", e.Step), fmt.Sprintf("Step %d: no answer, next channel", e.Step))
	case cascade.StepUnreachable:
		id, at = e.AlarmID, e.At
		text = pick(lang, fmt.Sprintf("Étape %d : personne n'a pu être joint, étape suivante sans attendre", e.Step),
			fmt.Sprintf("Step %d: nobody could be reached, next step at once", e.Step))
	case cascade.NotificationRequested:
		id, at = e.AlarmID, e.At
		text = channelWord(e.Channel, lang) + pick(lang, " à ", " to ") + c.name(e.Operator) + " (" + e.Address + ")"
		if e.Fallback {
			text += pick(lang, " — en repli, le canal précédent a échoué", " — fallback, the previous channel failed")
		}
	case cascade.NotificationSent:
		id, at = e.AlarmID, e.At
		text = c.about(e.NotificationID, lang) + pick(lang, " : accepté par le fournisseur", ": accepted by the provider")
	case cascade.NotificationDelivered:
		id, at = e.AlarmID, e.At
		text = c.about(e.NotificationID, lang) + pick(lang, " : remis", ": delivered")
	case cascade.NotificationFailed:
		id, at = e.AlarmID, e.At
		text = c.about(e.NotificationID, lang) + pick(lang, " : échec — ", ": failed — ") + e.Reason
	case cascade.Stopped:
		id, at = e.AlarmID, e.At
		text = pick(lang, "Cascade arrêtée : ", "Cascade stopped: ") + stopWord(e.Reason, lang)
		if e.By != "" {
			text += pick(lang, " par ", " by ") + c.name(e.By)
		}
	default:
		return wrongEvent(d)
	}
	raw, err := json.Marshal(d.Event)
	if err != nil {
		return Summary{}, false, fmt.Errorf("encode %s: %w", d.Type, err)
	}
	s := alarmSummary(id, at, "")
	s.Text, s.Data = text, raw
	return s, true, nil
}

// about names a notification from its id ("<alarm>/<run>/<step>/<repeat>/<operator>/<channel>").
func (c cascadeSummarizer) about(nid string, lang Language) string {
	parts := strings.Split(nid, "/")
	if len(parts) < 6 {
		return pick(lang, "Notification ", "Notification ") + nid
	}
	return channelWord(cascade.Channel(parts[5]), lang) + pick(lang, " à ", " to ") + c.name(alarm.OperatorID(parts[4]))
}

func channelWord(ch cascade.Channel, lang Language) string {
	switch ch {
	case cascade.ChannelSMS:
		return "SMS"
	case cascade.ChannelVoice:
		return pick(lang, "Appel vocal", "Voice call")
	case cascade.ChannelEmail:
		return pick(lang, "E-mail", "E-mail")
	}
	return string(ch)
}

func stopWord(r cascade.StopReason, lang Language) string {
	switch r {
	case cascade.StopAcknowledged:
		return pick(lang, "alarme acquittée", "alarm acknowledged")
	case cascade.StopReturnedToNormalAndAcked:
		return pick(lang, "alarme finie et acquittée", "alarm over and acknowledged")
	case cascade.StopClosed:
		return pick(lang, "alarme close", "alarm closed")
	case cascade.StopShelved:
		return pick(lang, "alarme mise en attente", "alarm shelved")
	case cascade.StopRemovedFromService:
		return pick(lang, "capteur ou barrage mis hors service", "sensor or dam taken out of service")
	case cascade.StopReturnedToNormalInGrace:
		return pick(lang, "alarme tardive déjà finie pendant le délai de grâce", "late alarm over within the grace period")
	case cascade.StopNoPolicy:
		return pick(lang, "aucune politique d'escalade ne couvre ce barrage et cette gravité", "no escalation policy covers this dam and severity")
	}
	return string(r)
}
