package voice

import (
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

// paris is the zone times are spoken in; UTC if the zone database is missing.
var paris = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}()

// words a call says besides the message, per language.
type words struct {
	press    string // the instruction, appended when the message lacks it
	pressKey string // how to recognise it in a message (lower case)
	thanks   string // after an acknowledgement
	ackError string // after a key 1 that could not be recorded
}

var vocabulary = map[string]words{
	"fr": {
		press:    "Appuyez sur 1 pour acquitter, sur 0 pour réécouter.",
		pressKey: "appuyez sur 1",
		thanks:   "Merci. L'alarme est acquittée. Au revoir.",
		ackError: "L'acquittement n'a pas pu être enregistré. Acquittez par SMS ou dans Vigie.",
	},
	"en": {
		press:    "Press 1 to acknowledge, 0 to listen again.",
		pressKey: "press 1",
		thanks:   "Thank you. The alarm is acknowledged. Goodbye.",
		ackError: "The acknowledgement could not be recorded. Acknowledge by SMS or in Vigie.",
	},
}

// language is m's language when the channel speaks it, French otherwise.
func language(m notify.Message) string {
	if m.Language == "en" {
		return "en"
	}
	return "fr"
}

// Script is what a call says: the message (spoken Repeat times, each ending with the instruction
// to press 1) and the answers to a key 1.
type Script struct {
	Language string
	Message  string
	Thanks   string
	AckError string
}

// Render returns the script of m. m.Text is spoken as it is (the cascade renders the voice text
// with cascade.Render, instruction included); when it is empty, m.Alarm is rendered with the
// cascade's voice wording in m.Language. A link placeholder is dropped (a link cannot be
// spoken), and the instruction to press 1 is appended when the text lacks it: a call whose
// listener does not know how to acknowledge is worthless.
func Render(m notify.Message) Script {
	lang := language(m)
	w := vocabulary[lang]
	text := m.Text
	if strings.TrimSpace(text) == "" {
		text = cascade.Render(cascade.Language(lang), cascade.ChannelVoice, facts(m), paris).Text
	}
	text = strings.TrimSpace(cascade.WithLink(text, ""))
	if !strings.Contains(strings.ToLower(text), w.pressKey) {
		text += " " + w.press
	}
	return Script{Language: lang, Message: text, Thanks: w.thanks, AckError: w.ackError}
}

// facts maps the port's description of an alarm onto the cascade's (as the SMS channel does).
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
