package email_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/email"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update if the change is intended):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 29, 14, 6, 0, 0, time.UTC)
	links, err := email.NewAckLinks(email.AckConfig{BaseURL: "https://vigie.test/ack", Secret: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	c := email.Content{Links: links, Now: func() time.Time { return now }}
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			m := message("n1", "alice@vigie.test")
			m.Language = lang
			e := c.Render(m)
			golden(t, "alarm."+lang+".txt", "Subject: "+e.Subject+"\n\n"+e.Text)
			golden(t, "alarm."+lang+".html", e.HTML)
		})
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	base := message("n1", "alice@vigie.test")
	tests := []struct {
		name    string
		edit    func(*notify.Message)
		content email.Content
		subject []string // substrings of the subject
		text    []string // substrings of the text
		notText []string
		html    []string
	}{
		{
			name:    "FrenchByDefault",
			edit:    func(m *notify.Message) {},
			subject: []string{"[Vigie] ALERTE – Barrage de Méjean : seuil « alerte » franchi (5,92 m, 87,5\u00a0%, déversement dans 2 h 15 min)"},
			text:    []string{"Voir l'alarme : https://vigie.test/alarms/"},
			notText: []string{"Acquitter"}, // no link given, no signer configured
		},
		{
			name:    "ContentLanguageWhenTheMessageHasNone",
			edit:    func(m *notify.Message) {},
			content: email.Content{Language: "en"},
			subject: []string{"[Vigie] ALERTE – Barrage de Méjean: threshold “alerte” crossed (5.92 m, 87.5%, spill in 2 h 15 min)"},
			text:    []string{"Level: 5.92 m", "Observed: 29 Nov 2026 15:05 CET"},
		},
		{
			name:    "UnknownLanguageFallsBackToTheDefault",
			edit:    func(m *notify.Message) { m.Language = "oc" },
			subject: []string{"seuil « alerte » franchi"},
		},
		{
			name: "GivenAckURLIsUsed",
			edit: func(m *notify.Message) { m.AckURL = "https://vigie.test/ack?t=given" },
			text: []string{"Acquitter en un clic :\nhttps://vigie.test/ack?t=given"},
			html: []string{`href="https://vigie.test/ack?t=given"`},
		},
		{
			name: "NoSpillForecastNoFill",
			edit: func(m *notify.Message) {
				m.Alarm.TimeToSpill, m.Alarm.Fill = 0, 0
				m.Alarm.Condition = "rate_of_rise"
				m.Alarm.Severity = "vigilance"
			},
			subject: []string{"[Vigie] VIGILANCE – Barrage de Méjean : montée rapide du niveau (5,92 m)"},
			notText: []string{"Déversement", "Remplissage"},
		},
		{
			name:    "TechnicalCondition",
			edit:    func(m *notify.Message) { m.Alarm.Condition = "stale:mejean.level"; m.Alarm.Level = 0 },
			subject: []string{"capteur muet (mejean.level)"},
			notText: []string{"Niveau"},
		},
		{
			name:    "ShortSpill",
			edit:    func(m *notify.Message) { m.Alarm.TimeToSpill = 20 * time.Second },
			subject: []string{"déversement dans moins d'une minute"},
		},
		{
			name:    "GivenTextIsSentAsIsWithAnEscapedHTMLTwin",
			edit:    func(m *notify.Message) { m.Subject, m.Text = "Essai", "Niveau <5 m> & stable" },
			subject: []string{"Essai"},
			text:    []string{"Niveau <5 m> & stable"},
			html:    []string{"Niveau &lt;5 m&gt; &amp; stable"},
		},
		{
			name: "HTMLIsEscaped",
			edit: func(m *notify.Message) { m.Alarm.DamName = `<script>x</script>` },
			html: []string{"&lt;script&gt;x&lt;/script&gt;"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := base
			tt.edit(&m)
			e := tt.content.Render(m)
			check := func(what, got string, want []string, present bool) {
				for _, w := range want {
					if strings.Contains(got, w) != present {
						t.Errorf("%s %q: contains %q = %v, want %v", what, got, w, !present, present)
					}
				}
			}
			check("subject", e.Subject, tt.subject, true)
			check("text", e.Text, tt.text, true)
			check("text", e.Text, tt.notText, false)
			check("HTML", e.HTML, tt.html, true)
			if strings.Contains(e.HTML, "<script>") {
				t.Errorf("HTML not escaped: %s", e.HTML)
			}
		})
	}
}
