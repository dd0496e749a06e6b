package modem_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/sms/modem"
)

func TestDecodeDeliver(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 29, 14, 6, 30, 0, time.FixedZone("SCTS", 3600))
	tests := []struct {
		name, from, text string
		parts            int
	}{
		{"gsm-7", "+33612345678", "OK 4821", 1},
		{"gsm-7 accents", "+33612345678", "Reçu, j'arrive à Méjean", 1}, // ç is not GSM-7: UCS-2
		{"ucs-2 emoji", "+33612345678", "OK 👍", 1},
		{"long", "+33612345678", strings.Repeat("crue ", 40), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pdus := deliverPDUs(t, tt.from, tt.text, at)
			if len(pdus) != tt.parts {
				t.Fatalf("%d parts, want %d", len(pdus), tt.parts)
			}
			var text strings.Builder
			for i, p := range pdus {
				in, err := modem.DecodeDeliver(p.pdu)
				if err != nil {
					t.Fatalf("DecodeDeliver: %v", err)
				}
				if in.From != tt.from || !in.At.Equal(at) || in.Parts != tt.parts || in.Part != i+1 {
					t.Errorf("part %d = %+v", i+1, in)
				}
				text.WriteString(in.Text)
			}
			if text.String() != tt.text {
				t.Errorf("text %q, want %q", text.String(), tt.text)
			}
		})
	}
	for _, bad := range []string{"", "zz", "00", "0791336600300", "07913366003001F0", "07913366003001F001"} {
		if _, err := modem.DecodeDeliver(bad); err == nil {
			t.Errorf("DecodeDeliver(%q): want an error", bad)
		}
	}
}

func FuzzDecodeDeliver(f *testing.F) {
	at := time.Date(2026, 11, 29, 14, 6, 30, 0, time.UTC)
	for _, s := range []string{"OK 4821", "1", "Reçu 👍", strings.Repeat("é", 200)} {
		for _, p := range deliverPDUs(f, "+33612345678", s, at) {
			f.Add(p.pdu)
		}
	}
	f.Add("0011000B913316325476F80000AA05E8329BFD06") // a SUBMIT, not a DELIVER
	f.Add("07913366003001F0")
	f.Fuzz(func(t *testing.T, pdu string) {
		in, err := modem.DecodeDeliver(pdu)
		if err != nil {
			return
		}
		if in.Parts < 1 || in.Part < 1 || in.Part > in.Parts {
			t.Errorf("DecodeDeliver(%q) = %+v: inconsistent parts", pdu, in)
		}
	})
}
