package sms

import (
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

// Render returns the text of the SMS for m. The cascade renders its messages itself
// (cascade.Render) with cascade.LinkPlaceholder where the acknowledgement link goes: m.Text is
// sent as it is, with the placeholder replaced by m.AckURL (or removed when there is none). When
// m.Text is empty, m.Alarm is rendered with the cascade's own SMS wording, in m.Language (French
// by default), times in Europe/Paris, with the alarm's reply code and the link:
//
//	VIGIE ALARME ALERTE Barrage de Méjean : seuil « alerte » atteint. Niveau 5,92 m, remplissage
//	88 %, déversement dans 2 h 15. Depuis 29/11 15:05. Répondre OK 4821 pour acquitter. https://…
func Render(m notify.Message) string {
	text := m.Text
	if text == "" {
		text = cascade.Render(cascade.Language(m.Language), cascade.ChannelSMS, facts(m), paris).Text
	}
	return GSMFriendly(cascade.WithLink(text, m.AckURL))
}

// gsmFriendly replaces typography outside the GSM-7 alphabet with its plain equivalent, as
// gateways' "smart encoding" does: French quotes, curly quotes, dashes, the ellipsis and the
// (narrow) no-break spaces French puts before ':' and inside « ». One such character would send
// the whole text as UCS-2: 67 characters per part instead of 153, twice the parts. Letters are
// never touched: a text with ê or ç goes as UCS-2.
var gsmFriendly = strings.NewReplacer(
	"« ", `"`, " »", `"`, "«\u00a0", `"`, "\u00a0»", `"`, "«\u202f", `"`, "\u202f»", `"`,
	"«", `"`, "»", `"`, "\u201c", `"`, "\u201d", `"`, "\u201e", `"`,
	"\u2018", "'", "\u2019", "'", "\u201a", "'",
	"\u2013", "-", "\u2014", "-", "\u2011", "-", "\u2026", "...",
	"\u00a0", " ", "\u202f", " ", "\u2009", " ",
)

// GSMFriendly returns text with the typography that would force UCS-2 replaced (see gsmFriendly).
func GSMFriendly(text string) string { return gsmFriendly.Replace(text) }

// facts maps the port's description of an alarm onto the cascade's.
func facts(m notify.Message) cascade.Facts {
	a := m.Alarm
	f := cascade.Facts{
		AlarmID:     alarm.ID(m.AlarmID),
		Dam:         dam.ID(a.Dam),
		DamName:     a.DamName,
		Condition:   alarm.Condition(a.Condition),
		Severity:    dam.Severity(a.Severity),
		TimeToSpill: a.TimeToSpill,
		Since:       a.At,
	}
	if a.Level != 0 {
		f.Level = &a.Level
	}
	if a.Fill != 0 {
		f.Fill = &a.Fill
	}
	return f
}

// paris is the time zone of the dams' operators; UTC when the system has no zone data (the
// binary embeds it).
var paris = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}()
