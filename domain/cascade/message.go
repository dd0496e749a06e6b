package cascade

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
)

// Language of a message.
type Language string

const (
	French  Language = "fr"
	English Language = "en"
)

// orDefault is l when the renderer knows it, French otherwise.
func (l Language) orDefault() Language {
	if l == English {
		return English
	}
	return French
}

// LinkPlaceholder stands in the rendered text for the alarm's acknowledgement link. The link is a
// signed bearer token (whoever holds it acknowledges), so it is never written in the log: the
// channel replaces the placeholder when it sends (WithLink).
const LinkPlaceholder = "{link}"

// WithLink puts the link in place of the placeholder, or removes the placeholder (and the space
// before it) when there is no link.
func WithLink(text, link string) string {
	if link == "" {
		text = strings.ReplaceAll(text, " "+LinkPlaceholder, "")
	}
	return strings.ReplaceAll(text, LinkPlaceholder, link)
}

// Facts is what an operator must know at a glance, gathered by the caller when a cascade starts
// or a step is due (dam name, water level, fill and forecast come from the configuration and the
// projections). Zero fields are left out of the message.
type Facts struct {
	AlarmID   alarm.ID        `json:"alarm_id"`
	Dam       dam.ID          `json:"dam"`
	DamName   string          `json:"dam_name,omitempty"`
	Condition alarm.Condition `json:"condition"`
	Severity  dam.Severity    `json:"severity"`
	// Value is what the condition compared with Limit, in Unit (a rate, a level).
	Value float64 `json:"value,omitempty"`
	Limit float64 `json:"limit,omitempty"`
	Unit  string  `json:"unit,omitempty"`
	// Level is the water level now (m) and Fill the reservoir's fill (% of capacity), when known.
	Level *float64 `json:"level_m,omitempty"`
	Fill  *float64 `json:"fill_pct,omitempty"`
	// TimeToSpill is the forecast time to the spillway crest (0: none); Spilling: already over it.
	TimeToSpill time.Duration `json:"time_to_spill,omitempty"`
	Spilling    bool          `json:"spilling,omitempty"`
	// Since is when the condition began (sensor time).
	Since time.Time `json:"since,omitzero"`
}

// Message is a rendered notification. Text holds LinkPlaceholder where the link goes (SMS and
// e-mail); Subject is for e-mail only.
type Message struct {
	Subject string
	Text    string
}

// ReplyCode is the alarm's short code an operator sends back by SMS ("OK 4821"): four digits
// derived from the alarm id, so every notification of an alarm, in every run, carries the same
// code. Two alarms in progress may share a code (1 chance in 10 000 per pair): the reply handler
// resolves a code among the alarms paged to the sender, and asks again when it is ambiguous.
func ReplyCode(id alarm.ID) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return fmt.Sprintf("%04d", h.Sum32()%10000)
}

// Render writes the notification of f on channel ch in language lang (French when unknown);
// loc is the site's zone for the time written (UTC when nil).
//
//	SMS:   VIGIE ALARME HAUTE Barrage de Méjean : seuil « alerte » atteint. Niveau 6,12 m,
//	       remplissage 72 %, déversement dans 1 h 40. Depuis 10/10 05:02. Répondre OK 4821 pour
//	       acquitter. {link}
//	voice: the same facts, spoken, then "Appuyez sur 1 pour acquitter, sur 0 pour réécouter."
//	email: a subject and the facts one per line, with the link and the SMS code.
func Render(lang Language, ch Channel, f Facts, loc *time.Location) Message {
	w := vocabularies[lang.orDefault()]
	if loc == nil {
		loc = time.UTC
	}
	name := f.DamName
	if name == "" {
		name = string(f.Dam)
	}
	what := w.condition(f.Condition)
	head := w.head(f.Severity)
	var facts []string
	if l := f.level(); l != nil {
		facts = append(facts, w.level+" "+w.number(*l, 2)+" m")
	} else if v := f.measure(w); v != "" {
		facts = append(facts, v)
	}
	if f.Fill != nil {
		facts = append(facts, w.fill(w.number(*f.Fill, 0)))
	}
	switch {
	case f.Spilling:
		facts = append(facts, w.spilling)
	case f.TimeToSpill > 0:
		facts = append(facts, w.spillIn+" "+w.duration(f.TimeToSpill))
	}
	code := ReplyCode(f.AlarmID)
	since := ""
	if !f.Since.IsZero() {
		since = w.since + " " + f.Since.In(loc).Format("02/01 15:04")
	}

	var b strings.Builder
	sentence := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(capital(s) + ".")
	}
	switch ch {
	case ChannelVoice:
		sentence(w.voiceIntro + ", " + head)
		sentence(name) // nothing when empty
		sentence(what)
		sentence(strings.Join(facts, ", "))
		sentence(w.pressKeys)
		return Message{Text: b.String()}
	case ChannelEmail:
		var lines []string
		if name != "" {
			lines = append(lines, w.dam+w.colon+name)
		}
		lines = append(lines, w.condLabel+w.colon+what)
		for _, f := range facts {
			lines = append(lines, "- "+capital(f))
		}
		if since != "" {
			lines = append(lines, capital(since)+" ("+loc.String()+")")
		}
		lines = append(lines, "", w.ackLink+w.colon+LinkPlaceholder, fmt.Sprintf(w.smsCode, code), "", w.alarmID+w.colon+string(f.AlarmID))
		return Message{
			Subject: strings.Join(slices.DeleteFunc([]string{"[Vigie] " + head, name, what}, func(s string) bool { return s == "" }), " – "),
			Text:    strings.Join(lines, "\n") + "\n",
		}
	default: // SMS
		b.WriteString("VIGIE " + strings.ToUpper(head))
		if name != "" {
			b.WriteString(" " + name)
		}
		b.WriteString(w.colon + what + ".")
		sentence(strings.Join(facts, ", "))
		sentence(since)
		sentence(fmt.Sprintf(w.reply, code))
		b.WriteString(" " + LinkPlaceholder)
		return Message{Text: b.String()}
	}
}

// level is the water level to show: Level, or the value of a level condition.
func (f Facts) level() *float64 {
	if f.Level != nil {
		return f.Level
	}
	if f.Condition.Kind() == condition.KindLevel && f.Value != 0 {
		v := f.Value
		return &v
	}
	return nil
}

// measure shows the value of a process condition other than a level ("montée 0,82 m/h").
func (f Facts) measure(w *vocabulary) string {
	if f.Condition.Kind() == condition.KindRateOfRise && f.Value != 0 {
		return w.rise + " " + w.number(f.Value, 2) + " " + f.Unit
	}
	return ""
}

func capital(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return strings.ToUpper(s)
}

type vocabulary struct {
	alarm, voiceIntro                 string
	severities                        map[dam.Severity]string
	conditions                        map[condition.Kind]string // %s: the qualifier
	colon, decimal                    string
	level, rise, spillIn, spilling    string
	since                             string
	fill                              func(pct string) string
	hours, minutes, days, underMinute string
	hoursMinutes                      string // "%d h %02d"
	reply, pressKeys                  string
	dam, condLabel, ackLink, smsCode  string
	alarmID                           string
}

var vocabularies = map[Language]*vocabulary{
	French: {
		alarm: "alarme %s", voiceIntro: "Vigie",
		severities: map[dam.Severity]string{
			dam.SeverityLow: "basse", dam.SeverityMedium: "moyenne", dam.SeverityHigh: "haute", dam.SeverityCritical: "critique",
		},
		conditions: map[condition.Kind]string{
			condition.KindLevel:               "seuil « %s » atteint",
			condition.KindRateOfRise:          "montée rapide",
			condition.KindTimeToSpill:         "déversement proche",
			condition.KindStale:               "capteur %s muet",
			condition.KindFrozen:              "capteur %s figé",
			condition.KindImplausible:         "mesure invraisemblable de %s",
			condition.KindUnknownSensor:       "capteur inconnu envoyé par %s",
			condition.KindEndpointUnreachable: "liaison perdue avec %s",
		},
		colon: " : ", decimal: ",",
		level: "niveau", rise: "montée", spillIn: "déversement dans", spilling: "déversement en cours",
		since: "depuis",
		fill:  func(p string) string { return "remplissage " + p + " %" },
		hours: "h", minutes: "min", days: "j", underMinute: "moins d'une minute", hoursMinutes: "%d h %02d",
		reply:     "Répondre OK %s pour acquitter",
		pressKeys: "Appuyez sur 1 pour acquitter, sur 0 pour réécouter",
		dam:       "Barrage", condLabel: "Condition", ackLink: "Acquitter", smsCode: "Ou répondre au SMS : OK %s",
		alarmID: "Alarme",
	},
	English: {
		alarm: "%s alarm", voiceIntro: "Vigie",
		severities: map[dam.Severity]string{
			dam.SeverityLow: "low", dam.SeverityMedium: "medium", dam.SeverityHigh: "high", dam.SeverityCritical: "critical",
		},
		conditions: map[condition.Kind]string{
			condition.KindLevel:               "threshold “%s” reached",
			condition.KindRateOfRise:          "rapid rise",
			condition.KindTimeToSpill:         "spill forecast soon",
			condition.KindStale:               "sensor %s silent",
			condition.KindFrozen:              "sensor %s frozen",
			condition.KindImplausible:         "implausible reading from %s",
			condition.KindUnknownSensor:       "unknown sensor sent by %s",
			condition.KindEndpointUnreachable: "%s unreachable",
		},
		colon: ": ", decimal: ".",
		level: "level", rise: "rising", spillIn: "spill in", spilling: "spilling now",
		since: "since",
		fill:  func(p string) string { return p + "% full" },
		hours: "h", minutes: "min", days: "d", underMinute: "under a minute", hoursMinutes: "%d h %02d min",
		reply:     "Reply OK %s to acknowledge",
		pressKeys: "Press 1 to acknowledge, 0 to hear this again",
		dam:       "Dam", condLabel: "Condition", ackLink: "Acknowledge", smsCode: "Or reply to the SMS: OK %s",
		alarmID: "Alarm",
	},
}

// head names the alarm with its severity: "alarme haute" / "high alarm".
func (w *vocabulary) head(s dam.Severity) string {
	word, ok := w.severities[s]
	if !ok {
		word = string(s)
	}
	return fmt.Sprintf(w.alarm, word)
}

// condition says what happened: "seuil « alerte » atteint", "capteur mejean.level muet".
func (w *vocabulary) condition(c alarm.Condition) string {
	k := c.Kind()
	_, qualifier, _ := strings.Cut(string(c), ":")
	format, ok := w.conditions[k]
	if !ok {
		return string(c)
	}
	if !strings.Contains(format, "%s") {
		return format
	}
	if qualifier == "" {
		qualifier = "?"
	}
	return fmt.Sprintf(format, qualifier)
}

func (w *vocabulary) number(f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return strings.Replace(s, ".", w.decimal, 1)
}

// duration: "25 min", "1 h 40" (fr) / "1 h 40 min" (en), "2 j 3 h".
func (w *vocabulary) duration(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < time.Minute {
		return w.underMinute
	}
	days, h, m := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && h > 0:
		return fmt.Sprintf("%d %s %d %s", days, w.days, h, w.hours)
	case days > 0:
		return fmt.Sprintf("%d %s", days, w.days)
	case h == 0:
		return fmt.Sprintf("%d %s", m, w.minutes)
	case m == 0:
		return fmt.Sprintf("%d %s", h, w.hours)
	default:
		return fmt.Sprintf(w.hoursMinutes, h, m)
	}
}
