package sms_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/sms"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
)

func alarmMessage(lang string) notify.Message {
	return notify.Message{
		ID: "m", AlarmID: "mejean~level:alerte~3", Channel: notify.ChannelSMS, To: "+33612345678", Language: lang,
		AckURL: "https://vigie.example.fr/ack?t=tok123456789",
		Alarm: notify.Alarm{
			Dam: "mejean", DamName: "Barrage de Méjean", Condition: "level:alerte", Severity: "alerte",
			Level: 5.92, Fill: 87.5, TimeToSpill: 135 * time.Minute,
			At: time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC),
		},
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	code := cascade.ReplyCode(alarm.ID("mejean~level:alerte~3"))
	tests := []struct {
		name    string
		m       func(m *notify.Message)
		want    []string
		notWant []string
	}{
		{"fr from the alarm", nil, []string{"VIGIE", "Barrage de Méjean", "5,92 m", "OK " + code, "https://vigie.example.fr/ack?t=tok123456789"}, []string{"{link}", "«"}},
		{"en from the alarm", func(m *notify.Message) { m.Language = "en" }, []string{"Barrage de Méjean", "5.92 m", "Reply OK " + code, "https://vigie.example.fr/ack?t=tok123456789"}, []string{"{link}"}},
		{"no link", func(m *notify.Message) { m.AckURL = "" }, []string{"OK " + code + " pour acquitter."}, []string{"{link}", "http"}},
		{"text as given", func(m *notify.Message) { m.Text = "Texte imposé" }, []string{"Texte imposé"}, []string{"http", "VIGIE"}},
		{"link placed in a given text", func(m *notify.Message) { m.Text = "Acquitter : {link} (valable 12 h)" },
			[]string{"Acquitter : https://vigie.example.fr/ack?t=tok123456789 (valable 12 h)"}, []string{"{link}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := alarmMessage("fr")
			if tt.m != nil {
				tt.m(&m)
			}
			got := sms.Render(m)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render = %q, want it to contain %q", got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("Render = %q, want no %q", got, w)
				}
			}
		})
	}
	// The French rendering stays in the GSM alphabet: 153 characters per part, not 67.
	if n, ucs2 := sms.Segments(sms.Render(alarmMessage("fr"))); ucs2 || n > 2 {
		t.Errorf("the French rendering takes %d parts (UCS-2 %v), want ≤ 2 in GSM-7", n, ucs2)
	}
}

func TestGSMFriendly(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"seuil « alerte » atteint", `seuil "alerte" atteint`},
		{"seuil «\u00a0alerte\u00a0»", `seuil "alerte"`},
		{"l\u2019alarme \u2013 \u201cniveau\u201d\u2026", `l'alarme - "niveau"...`},
		{"Niveau\u202f: 5,92", "Niveau : 5,92"},
		{"Méjean, reçu, être", "Méjean, reçu, être"}, // letters are left alone
	}
	for _, tt := range tests {
		if got := sms.GSMFriendly(tt.in); got != tt.want {
			t.Errorf("GSMFriendly(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSegments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		text     string
		want     int
		wantUCS2 bool
	}{
		{"empty", "", 1, false},
		{"160 gsm", strings.Repeat("a", 160), 1, false},
		{"161 gsm", strings.Repeat("a", 161), 2, false},
		{"306 gsm", strings.Repeat("a", 306), 2, false},
		{"307 gsm", strings.Repeat("a", 307), 3, false},
		{"extension counts twice", strings.Repeat("€", 80), 1, false},
		{"extension over", strings.Repeat("€", 81), 2, false},
		{"french in gsm", "éèàùÉÇ", 1, false},
		{"ç is ucs-2", "reçu", 1, true},
		{"70 ucs-2", "ç" + strings.Repeat("a", 69), 1, true},
		{"71 ucs-2", "ç" + strings.Repeat("a", 70), 2, true},
		{"emoji are two units", strings.Repeat("👍", 35), 1, true},
		{"emoji over", strings.Repeat("👍", 36), 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, ucs2 := sms.Segments(tt.text)
			if n != tt.want || ucs2 != tt.wantUCS2 {
				t.Errorf("Segments = %d, %v; want %d, %v", n, ucs2, tt.want, tt.wantUCS2)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("niveau ", 100)
	tests := []struct {
		name string
		text string
		max  int
		want string
	}{
		{"fits", "court", 1, "court"},
		{"no limit", long, 0, long},
		{"cut to one", long, 1, strings.TrimRight(long[:157], " ") + "..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := sms.Truncate(tt.text, tt.max); got != tt.want {
				t.Errorf("Truncate = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzTruncate(f *testing.F) {
	f.Add("niveau 5,92 m", 1)
	f.Add(strings.Repeat("ç€👍", 100), 2)
	f.Add("\xff\xfe", 3)
	f.Fuzz(func(t *testing.T, text string, max int) {
		max = max%10 + 1
		if max < 1 {
			max += 10
		}
		got := sms.Truncate(text, max)
		if n, _ := sms.Segments(got); n > max {
			t.Errorf("Truncate(%q, %d) = %q takes %d parts", text, max, got, n)
		}
		if got != text && !strings.HasSuffix(got, "...") {
			t.Errorf("a cut text does not end with ...: %q", got)
		}
	})
}

func TestPhones(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, norm string
		valid    bool
	}{
		{"+33612345678", "+33612345678", true},
		{"+33 6 12 34 56 78", "+33612345678", true},
		{"0033 6.12.34.56.78", "+33612345678", true},
		{"(+33) 6-12-34-56-78", "+33612345678", true},
		{"0612345678", "0612345678", false},
		{"+0612345678", "+0612345678", false},
		{"+3361234567890123", "+3361234567890123", false},
		{"+33abc", "+33abc", false},
		{"", "", false},
	}
	for _, tt := range tests {
		norm := sms.NormalizePhone(tt.in)
		if norm != tt.norm || sms.ValidE164(norm) != tt.valid {
			t.Errorf("NormalizePhone(%q) = %q (valid %v), want %q (valid %v)", tt.in, norm, sms.ValidE164(norm), tt.norm, tt.valid)
		}
	}
}
