package cascade_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

func TestRender(t *testing.T) {
	t.Parallel()
	loc := paris(t)
	f := facts()
	f.AlarmID, f.Dam, f.Condition, f.Severity = id, mejean, alerte, dam.SeverityHigh
	code := cascade.ReplyCode(id)
	critical := f
	critical.Condition, critical.Severity, critical.Spilling = "level:crise", dam.SeverityCritical, true
	rise := cascade.Facts{
		AlarmID: id, Dam: "bassin-nord", Condition: "rate_of_rise", Severity: dam.SeverityHigh, Value: 0.8249, Limit: 0.5, Unit: "m/h",
		TimeToSpill: 26*time.Hour + 10*time.Minute,
	}
	stale := cascade.Facts{AlarmID: id, Dam: mejean, DamName: "Barrage de Méjean", Condition: "stale:mejean.level", Severity: dam.SeverityMedium}
	tests := []struct {
		name string
		lang cascade.Language
		ch   cascade.Channel
		f    cascade.Facts
		want cascade.Message
	}{
		{
			name: "SMS in French", lang: cascade.French, ch: sms, f: f,
			want: cascade.Message{Text: "VIGIE ALARME HAUTE Barrage de Méjean : seuil « alerte » atteint. Niveau 6,12 m, remplissage 72 %, " +
				"déversement dans 1 h 40. Depuis 10/10 05:00. Répondre OK " + code + " pour acquitter. {link}"},
		},
		{
			name: "SMS in English", lang: cascade.English, ch: sms, f: f,
			want: cascade.Message{Text: "VIGIE HIGH ALARM Barrage de Méjean: threshold “alerte” reached. Level 6.12 m, 72% full, " +
				"spill in 1 h 40 min. Since 10/10 05:00. Reply OK " + code + " to acknowledge. {link}"},
		},
		{
			name: "an unknown language is French", lang: "de", ch: sms, f: critical,
			want: cascade.Message{Text: "VIGIE ALARME CRITIQUE Barrage de Méjean : seuil « crise » atteint. Niveau 6,12 m, remplissage 72 %, " +
				"déversement en cours. Depuis 10/10 05:00. Répondre OK " + code + " pour acquitter. {link}"},
		},
		{
			name: "a rate of rise, no dam name, no level", lang: cascade.French, ch: sms, f: rise,
			want: cascade.Message{Text: "VIGIE ALARME HAUTE bassin-nord : montée rapide. Montée 0,82 m/h, déversement dans 1 j 2 h. " +
				"Répondre OK " + code + " pour acquitter. {link}"},
		},
		{
			name: "a technical alarm", lang: cascade.English, ch: sms, f: stale,
			want: cascade.Message{Text: "VIGIE MEDIUM ALARM Barrage de Méjean: sensor mejean.level silent. Reply OK " + code + " to acknowledge. {link}"},
		},
		{
			name: "voice: no link, keys to press", lang: cascade.French, ch: voice, f: f,
			want: cascade.Message{Text: "Vigie, alarme haute. Barrage de Méjean. Seuil « alerte » atteint. Niveau 6,12 m, remplissage 72 %, " +
				"déversement dans 1 h 40. Appuyez sur 1 pour acquitter, sur 0 pour réécouter."},
		},
		{
			name: "email", lang: cascade.English, ch: email, f: f,
			want: cascade.Message{
				Subject: "[Vigie] high alarm – Barrage de Méjean – threshold “alerte” reached",
				Text: "Dam: Barrage de Méjean\nCondition: threshold “alerte” reached\n- Level 6.12 m\n- 72% full\n- Spill in 1 h 40 min\n" +
					"Since 10/10 05:00 (Europe/Paris)\n\nAcknowledge: {link}\nOr reply to the SMS: OK " + code + "\n\nAlarm: mejean~level:alerte~1\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := cascade.Render(tt.lang, tt.ch, tt.f, loc); got != tt.want {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestRenderDurations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d      time.Duration
		fr, en string
	}{
		{20 * time.Second, "moins d'une minute", "under a minute"},
		{25 * time.Minute, "25 min", "25 min"},
		{2 * time.Hour, "2 h", "2 h"},
		{time.Hour + 39*time.Minute + 40*time.Second, "1 h 40", "1 h 40 min"},
		{48 * time.Hour, "2 j", "2 d"},
	}
	for _, tt := range tests {
		f := cascade.Facts{AlarmID: id, Condition: "time_to_spill", Severity: dam.SeverityCritical, TimeToSpill: tt.d}
		if got := cascade.Render(cascade.French, sms, f, nil).Text; !strings.Contains(got, "ALARME CRITIQUE : déversement proche. Déversement dans "+tt.fr+".") {
			t.Errorf("%s in French: %q", tt.d, got)
		}
		if got := cascade.Render(cascade.English, sms, f, nil).Text; !strings.Contains(got, "CRITICAL ALARM: spill forecast soon. Spill in "+tt.en+".") {
			t.Errorf("%s in English: %q", tt.d, got)
		}
	}
}

func TestReplyCode(t *testing.T) {
	t.Parallel()
	code := cascade.ReplyCode(id)
	if !regexp.MustCompile(`^[0-9]{4}$`).MatchString(code) {
		t.Fatalf("code %q is not four digits", code)
	}
	if again := cascade.ReplyCode(id); again != code {
		t.Errorf("code changed from %q to %q", code, again)
	}
	if other := cascade.ReplyCode(alarm.NewID(mejean, alerte, 2)); other == code {
		t.Errorf("the next occurrence has the same code %q", code)
	}
	if got, ack, err := cascade.ParseReply("OK " + code); got != code || !ack || err != nil {
		t.Errorf("replying with the code: %q %t %v", got, ack, err)
	}
}

func TestWithLink(t *testing.T) {
	t.Parallel()
	text := "Répondre OK 4821 pour acquitter. {link}"
	if got, want := cascade.WithLink(text, "https://vigie.example.org/a/x"), "Répondre OK 4821 pour acquitter. https://vigie.example.org/a/x"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := cascade.WithLink(text, ""), "Répondre OK 4821 pour acquitter."; got != want {
		t.Errorf("without a link: %q, want %q", got, want)
	}
}
