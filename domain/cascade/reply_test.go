package cascade_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigie/vigie/domain/cascade"
)

var replySeeds = []string{
	"OK 4821", "ok4821", "Ok, 4821.", "1", "1 4821", "OUI", "oui 4821", "ACK 4821", "acquitté", "Acquitté 4821", "yes",
	"  ok  ", "OK-4821", "ok #4821", "«OK»", "NON", "no 4821", "KO", "4821", "14821", "ok 4821 merci", "ok 48a1",
	"ok 48", "okidoki", "", "pas ok", "0k", "ok 123456789", "ＯＫ", "ok\u00a04821", "ok٤٨٢١",
}

func TestParseReply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		code string
		ack  bool
		err  error
	}{
		{"OK 4821", "4821", true, nil},
		{"ok4821", "4821", true, nil},
		{"Ok, 4821.", "4821", true, nil},
		{"OK-4821", "4821", true, nil},
		{"ok #4821", "4821", true, nil},
		{"ok\u00a04821", "4821", true, nil},
		{"1", "", true, nil},
		{"1 4821", "4821", true, nil},
		{"OUI", "", true, nil},
		{"Oui !", "", true, nil},
		{"oui 4821", "4821", true, nil},
		{"ACK 4821", "4821", true, nil},
		{"acquitté", "", true, nil},
		{"Acquitté 4821", "4821", true, nil},
		{"yes", "", true, nil},
		{"  ok  ", "", true, nil},
		{"«OK»", "", true, nil},
		{"ok 12345678", "12345678", true, nil},
		// Refusals are understood, and acknowledge nothing.
		{"NON", "", false, nil},
		{"no 4821", "4821", false, nil},
		{"KO", "", false, nil},
		// What could be misread is refused: a false acknowledgement stops the paging.
		{"4821", "", false, cascade.ErrUnrecognisedReply},
		{"14821", "", false, cascade.ErrUnrecognisedReply},
		{"ok 4821 merci", "", false, cascade.ErrUnrecognisedReply},
		{"ok 48a1", "", false, cascade.ErrUnrecognisedReply},
		{"ok 48", "", false, cascade.ErrUnrecognisedReply},
		{"ok 123456789", "", false, cascade.ErrUnrecognisedReply},
		{"ok٤٨٢١", "", false, cascade.ErrUnrecognisedReply},
		{"okidoki", "", false, cascade.ErrUnrecognisedReply},
		{"pas ok", "", false, cascade.ErrUnrecognisedReply},
		{"0k", "", false, cascade.ErrUnrecognisedReply},
		{"", "", false, cascade.ErrUnrecognisedReply},
		{strings.Repeat("o", 100) + "k", "", false, cascade.ErrUnrecognisedReply},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			code, ack, err := cascade.ParseReply(tt.text)
			if code != tt.code || ack != tt.ack || !errors.Is(err, tt.err) {
				t.Errorf("ParseReply(%q) = %q, %t, %v; want %q, %t, %v", tt.text, code, ack, err, tt.code, tt.ack, tt.err)
			}
		})
	}
}

func TestInterpretDTMF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		digits string
		want   cascade.Key
	}{
		{"1", cascade.KeyAcknowledge},
		{"1#", cascade.KeyAcknowledge},
		{" 1 ", cascade.KeyAcknowledge},
		{"0", cascade.KeyRepeat},
		{"*", cascade.KeyRepeat},
		{"11", cascade.KeyUnknown},
		{"12", cascade.KeyUnknown},
		{"2", cascade.KeyUnknown},
		{"", cascade.KeyUnknown},
		{"#", cascade.KeyUnknown},
	}
	for _, tt := range tests {
		if got := cascade.InterpretDTMF(tt.digits); got != tt.want {
			t.Errorf("InterpretDTMF(%q) = %q, want %q", tt.digits, got, tt.want)
		}
	}
}

// FuzzParseReply: any text from a phone. Never panics; an answer it understands has a code of 3 to
// 8 ASCII digits or none, and reads the same once written in the canonical form.
func FuzzParseReply(f *testing.F) {
	for _, s := range replySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		code, ack, err := cascade.ParseReply(text)
		if err != nil {
			if !errors.Is(err, cascade.ErrUnrecognisedReply) || code != "" || ack {
				t.Fatalf("ParseReply(%q) = %q, %t, %v", text, code, ack, err)
			}
			return
		}
		if code != "" && (len(code) < 3 || len(code) > 8 || strings.Trim(code, "0123456789") != "") {
			t.Fatalf("ParseReply(%q): code %q", text, code)
		}
		word := "NON"
		if ack {
			word = "OK"
		}
		c2, ack2, err2 := cascade.ParseReply(strings.TrimSpace(word + " " + code))
		if c2 != code || ack2 != ack || err2 != nil {
			t.Fatalf("ParseReply(%q) = %q, %t; its canonical form reads %q, %t, %v", text, code, ack, c2, ack2, err2)
		}
	})
}

// FuzzInterpretDTMF: any keys pressed. Never panics; only a lone 1 acknowledges.
func FuzzInterpretDTMF(f *testing.F) {
	for _, s := range []string{"1", "1#", "0", "*", "11", "", "#", "123#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, digits string) {
		k := cascade.InterpretDTMF(digits)
		if k == cascade.KeyAcknowledge && strings.TrimRight(strings.TrimSpace(digits), "#") != "1" {
			t.Fatalf("InterpretDTMF(%q) acknowledges", digits)
		}
	})
}
