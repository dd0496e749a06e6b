package email

import (
	"fmt"
	htmltemplate "html/template"
	"math"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/vigie/vigie/adapters/notify"
)

// Content turns a notify.Message into an e-mail. The zero value renders in French, with times in
// Europe/Paris, and signs no link.
type Content struct {
	// Language when the message names none: "fr" (default) or "en".
	Language string
	// Location of the times shown; default Europe/Paris (UTC if the zone database is missing).
	Location *time.Location
	// Links, when set, signs an acknowledgement link, valid AckTTL, for a message without AckURL.
	Links  *AckLinks
	AckTTL time.Duration // default 12 h
	// Now is the clock the link expiry counts from; default time.Now.
	Now func() time.Time
}

// Email is a rendered message.
type Email struct {
	Language string
	Subject  string
	Text     string
	HTML     string
}

func (c *Content) setDefaults() {
	if c.Language == "" {
		c.Language = "fr"
	}
	if c.Location == nil {
		loc, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			loc = time.UTC
		}
		c.Location = loc
	}
	if c.AckTTL == 0 {
		c.AckTTL = 12 * time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

func (c Content) validate() error {
	if c.Language != "" && dictionaries[c.Language] == nil {
		return fmt.Errorf("content: language %q is not one of fr, en", c.Language)
	}
	if c.AckTTL < 0 {
		return fmt.Errorf("content: ack TTL %v is negative", c.AckTTL)
	}
	return nil
}

// Render returns the e-mail for m: its Subject, Text and HTML when set, else a rendering of its
// Alarm in its language. The text part always exists; the HTML part is m.HTML, or the rendering,
// or the text escaped when only a text was given.
func (c Content) Render(m notify.Message) Email {
	c.setDefaults()
	lang := strings.ToLower(m.Language)
	if dictionaries[lang] == nil {
		lang = c.Language
	}
	d := dictionaries[lang]
	v := c.view(m, d)
	e := Email{Language: lang, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	if e.Subject == "" {
		e.Subject = v.Subject
	}
	if e.Text == "" {
		var b strings.Builder
		_ = textTemplate.Execute(&b, v) // the view's fields are strings: execution cannot fail
		e.Text = trimLines(b.String())
		if e.HTML == "" {
			var h strings.Builder
			_ = htmlTemplate.Execute(&h, v)
			e.HTML = h.String()
		}
	}
	if e.HTML == "" {
		e.HTML = "<pre style=\"font-family:sans-serif;white-space:pre-wrap\">" +
			htmltemplate.HTMLEscapeString(e.Text) + "</pre>"
	}
	return e
}

// view is what the templates show, formatted for the language.
type view struct {
	Lang, Subject, Title, Headline string
	Colon                          string
	Facts                          [][2]string
	AlarmLabel, AlarmURL           string
	AckLabel, AckURL, AckNote      string
	Footer                         string
}

func (c Content) view(m notify.Message, d *dictionary) view {
	a := m.Alarm
	dam := a.DamName
	if dam == "" {
		dam = a.Dam
	}
	if dam == "" {
		dam = m.AlarmID
	}
	cond := d.condition(a.Condition)
	v := view{Lang: d.lang, Colon: d.colon, Title: dam, Headline: cond, AlarmLabel: d.seeAlarm, AlarmURL: a.URL, Footer: d.footer}

	var subjectFacts []string
	if a.Level != 0 {
		lv := d.number(a.Level, 2) + " m"
		v.Facts = append(v.Facts, [2]string{d.level, lv})
		subjectFacts = append(subjectFacts, lv)
	}
	if a.Fill != 0 {
		fill := d.percent(a.Fill)
		v.Facts = append(v.Facts, [2]string{d.fill, fill})
		subjectFacts = append(subjectFacts, fill)
	}
	if a.TimeToSpill > 0 {
		tts := d.duration(a.TimeToSpill)
		v.Facts = append(v.Facts, [2]string{d.spillIn, tts})
		subjectFacts = append(subjectFacts, d.spillShort+" "+tts)
	}
	if !a.At.IsZero() {
		v.Facts = append(v.Facts, [2]string{d.at, a.At.In(c.Location).Format(d.timeLayout)})
	}

	subject := "[Vigie] "
	if a.Severity != "" {
		subject += strings.ToUpper(a.Severity) + " – "
	}
	subject += dam + d.colon + cond
	if len(subjectFacts) > 0 {
		subject += " (" + strings.Join(subjectFacts, ", ") + ")"
	}
	v.Subject = subject

	ack := m.AckURL
	if ack == "" && c.Links != nil && m.AlarmID != "" {
		expiry := c.Now().Add(c.AckTTL)
		ack = c.Links.Sign(m.AlarmID, m.Operator, expiry)
		v.AckNote = fmt.Sprintf(d.ackValid, expiry.In(c.Location).Format(d.timeLayout))
	}
	if ack != "" {
		v.AckLabel, v.AckURL = d.ack, ack
	}
	return v
}

// dictionary holds the words and formats of one language.
type dictionary struct {
	lang, colon                       string
	level, fill, spillIn, spillShort  string
	at, seeAlarm, ack, ackValid       string
	footer                            string
	timeLayout                        string
	decimal                           string
	percentSep                        string
	conditions                        map[string]string // by kind; %s is the qualifier
	conditionsNoQualifier             map[string]string
	hours, minutes, lessThanOneMinute string
}

var dictionaries = map[string]*dictionary{
	"fr": {
		lang: "fr", colon: " : ", level: "Niveau", fill: "Remplissage", spillIn: "Déversement prévu dans",
		spillShort: "déversement dans", at: "Constaté le", seeAlarm: "Voir l'alarme",
		ack: "Acquitter en un clic", ackValid: "lien valable jusqu'au %s",
		footer:     "Vigie – supervision des barrages écrêteurs de Nîmes. Ce message est renouvelé jusqu'à acquittement.",
		timeLayout: "02/01/2006 à 15:04 MST", decimal: ",", percentSep: "\u00a0",
		conditions: map[string]string{
			"level": "seuil « %s » franchi", "stale": "capteur muet (%s)", "frozen": "capteur figé (%s)",
			"implausible": "mesure invraisemblable (%s)", "unknown_sensor": "capteur inconnu (%s)",
			"endpoint_unreachable": "source de données injoignable (%s)",
			"rate_of_rise":         "montée rapide du niveau (%s)", "time_to_spill": "déversement imminent (%s)",
		},
		conditionsNoQualifier: map[string]string{
			"level": "seuil de niveau franchi", "rate_of_rise": "montée rapide du niveau",
			"time_to_spill": "déversement imminent", "stale": "capteur muet", "frozen": "capteur figé",
			"implausible": "mesure invraisemblable", "unknown_sensor": "capteur inconnu",
			"endpoint_unreachable": "source de données injoignable",
		},
		hours: "h", minutes: "min", lessThanOneMinute: "moins d'une minute",
	},
	"en": {
		lang: "en", colon: ": ", level: "Level", fill: "Fill", spillIn: "Spill expected in", spillShort: "spill in",
		at: "Observed", seeAlarm: "See the alarm", ack: "Acknowledge with one click",
		ackValid:   "link valid until %s",
		footer:     "Vigie – supervision of the Nîmes flood-retention dams. This message is repeated until acknowledged.",
		timeLayout: "02 Jan 2006 15:04 MST", decimal: ".", percentSep: "",
		conditions: map[string]string{
			"level": "threshold “%s” crossed", "stale": "sensor silent (%s)", "frozen": "sensor frozen (%s)",
			"implausible": "implausible reading (%s)", "unknown_sensor": "unknown sensor (%s)",
			"endpoint_unreachable": "data source unreachable (%s)",
			"rate_of_rise":         "rapid rise (%s)", "time_to_spill": "spill imminent (%s)",
		},
		conditionsNoQualifier: map[string]string{
			"level": "level threshold crossed", "rate_of_rise": "rapid rise", "time_to_spill": "spill imminent",
			"stale": "sensor silent", "frozen": "sensor frozen", "implausible": "implausible reading",
			"unknown_sensor": "unknown sensor", "endpoint_unreachable": "data source unreachable",
		},
		hours: "h", minutes: "min", lessThanOneMinute: "less than a minute",
	},
}

func (d *dictionary) condition(c string) string {
	kind, qualifier, has := strings.Cut(c, ":")
	if has {
		if f, ok := d.conditions[kind]; ok {
			return fmt.Sprintf(f, qualifier)
		}
	} else if s, ok := d.conditionsNoQualifier[kind]; ok {
		return s
	}
	return c
}

func (d *dictionary) number(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", d.decimal, 1)
}

func (d *dictionary) percent(v float64) string {
	return d.number(math.Round(v*10)/10, 1) + d.percentSep + "%"
}

func (d *dictionary) duration(t time.Duration) string {
	t = t.Round(time.Minute)
	if t < time.Minute {
		return d.lessThanOneMinute
	}
	h, m := int(t/time.Hour), int(t%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%d %s", m, d.minutes)
	case m == 0:
		return fmt.Sprintf("%d %s", h, d.hours)
	}
	return fmt.Sprintf("%d %s %02d %s", h, d.hours, m, d.minutes)
}

var textTemplate = texttemplate.Must(texttemplate.New("text").Parse(
	`{{.Title}} – {{.Headline}}
{{range .Facts}}
{{index . 0}}{{$.Colon}}{{index . 1}}{{end}}
{{if .AlarmURL}}
{{.AlarmLabel}}{{.Colon}}{{.AlarmURL}}
{{end}}{{if .AckURL}}
{{.AckLabel}}{{if .AckNote}} ({{.AckNote}}){{end}}{{.Colon}}
{{.AckURL}}
{{end}}
-- 
{{.Footer}}
`))

var htmlTemplate = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:Arial,sans-serif;color:#1b1b1b">
<h1 style="font-size:20px;margin:0 0 4px">{{.Title}}</h1>
<p style="font-size:16px;margin:0 0 12px;color:#b00020"><strong>{{.Headline}}</strong></p>
{{if .Facts}}<table style="border-collapse:collapse;margin-bottom:16px">{{range .Facts}}
<tr><td style="padding:2px 12px 2px 0;color:#555">{{index . 0}}</td><td style="padding:2px 0"><strong>{{index . 1}}</strong></td></tr>{{end}}
</table>{{end}}
{{if .AckURL}}<p><a href="{{.AckURL}}" style="display:inline-block;padding:10px 18px;background:#b00020;color:#fff;text-decoration:none;border-radius:4px">{{.AckLabel}}</a>{{if .AckNote}}<br><small>{{.AckNote}}</small>{{end}}</p>{{end}}
{{if .AlarmURL}}<p><a href="{{.AlarmURL}}">{{.AlarmLabel}}</a></p>{{end}}
<hr><p style="font-size:12px;color:#555">{{.Footer}}</p>
</body></html>
`))

// trimLines drops the spaces that end lines, but for the signature separator "-- ".
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "-- " {
			lines[i] = strings.TrimRight(l, " ")
		}
	}
	return strings.Join(lines, "\n")
}
