package email_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigie/vigie/adapters/notify/email"
)

var (
	secret    = []byte("0123456789abcdef0123456789abcdef")
	oldSecret = []byte("fedcba9876543210fedcba9876543210")
	signedAt  = time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC)
)

func links(t testing.TB, now time.Time, s []byte, previous ...[]byte) *email.AckLinks {
	t.Helper()
	l, err := email.NewAckLinks(email.AckConfig{
		BaseURL: "https://vigie.test/ack?lang=fr", Secret: s, PreviousSecrets: previous,
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func tokenOf(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != "vigie.test" || u.Path != "/ack" || u.Query().Get("lang") != "fr" {
		t.Fatalf("link %s does not keep the base URL", link)
	}
	return u.Query().Get(email.AckParam)
}

// flip changes one bit of the decoded token at byte i and re-encodes it.
func flip(t testing.TB, token string, i int) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	raw[i%len(raw)] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(raw)
}

func TestAckLinks(t *testing.T) {
	t.Parallel()
	const alarm, operator = "mejean~level:alerte~3", "élodie.m"
	expiry := signedAt.Add(12 * time.Hour)
	token := tokenOf(t, links(t, signedAt, secret).Sign(alarm, operator, expiry))
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	tests := []struct {
		name    string
		now     time.Time
		verify  *email.AckLinks // nil: signed with secret
		token   string
		wantErr error
	}{
		{name: "Valid", now: signedAt, token: token},
		{name: "ValidJustBeforeExpiry", now: expiry.Add(-time.Second), token: token},
		{name: "ExpiredAtExpiry", now: expiry, token: token, wantErr: email.ErrAckExpired},
		{name: "ExpiredLater", now: expiry.Add(48 * time.Hour), token: token, wantErr: email.ErrAckExpired},
		{name: "TamperedVersion", now: signedAt, token: flip(t, token, 0), wantErr: email.ErrAckInvalid},
		{name: "TamperedExpiry", now: signedAt, token: flip(t, token, 5), wantErr: email.ErrAckInvalid},
		{name: "TamperedAlarm", now: signedAt, token: flip(t, token, 12), wantErr: email.ErrAckInvalid},
		{name: "TamperedOperator", now: signedAt, token: flip(t, token, len(raw)-20), wantErr: email.ErrAckInvalid},
		{name: "TamperedMAC", now: signedAt, token: flip(t, token, len(raw)-1), wantErr: email.ErrAckInvalid},
		{name: "Truncated", now: signedAt, token: token[:len(token)-4], wantErr: email.ErrAckInvalid},
		{name: "Extended", now: signedAt, token: token + "AA", wantErr: email.ErrAckInvalid},
		{name: "Empty", now: signedAt, token: "", wantErr: email.ErrAckInvalid},
		{name: "NotBase64", now: signedAt, token: "!!!not a token!!!", wantErr: email.ErrAckInvalid},
		{name: "TooLong", now: signedAt, token: strings.Repeat("A", 4096), wantErr: email.ErrAckInvalid},
		{name: "OtherSecret", now: signedAt, verify: links(t, signedAt, oldSecret), token: token, wantErr: email.ErrAckInvalid},
		{name: "RotatedSecretStillVerifies", now: signedAt, verify: links(t, signedAt, oldSecret, secret), token: token},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := tt.verify
			if l == nil {
				l = links(t, tt.now, secret)
			}
			gotAlarm, gotOp, err := l.Verify(tt.token)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify = %q, %q, %v; want error %v", gotAlarm, gotOp, err, tt.wantErr)
			}
			if tt.wantErr == nil && (gotAlarm != alarm || gotOp != operator) {
				t.Errorf("Verify = %q, %q; want %q, %q", gotAlarm, gotOp, alarm, operator)
			}
			if tt.wantErr != nil && (gotAlarm != "" || gotOp != "") {
				t.Errorf("a refused token still named %q, %q", gotAlarm, gotOp)
			}
		})
	}
}

func TestAckLinksAlarmAndOperatorDoNotBleed(t *testing.T) {
	t.Parallel()
	// The length prefix keeps ("ab", "c") and ("a", "bc") apart.
	l := links(t, signedAt, secret)
	exp := signedAt.Add(time.Hour)
	a, b := l.Token("ab", "c", exp), l.Token("a", "bc", exp)
	if a == b {
		t.Fatal("two different (alarm, operator) pairs share a token")
	}
	if alarm, op, err := l.Verify(b); err != nil || alarm != "a" || op != "bc" {
		t.Errorf("Verify = %q, %q, %v", alarm, op, err)
	}
}

func TestNewAckLinksRefusesBadConfig(t *testing.T) {
	t.Parallel()
	_, err := email.NewAckLinks(email.AckConfig{BaseURL: "/ack?t=1", Secret: []byte("short"), PreviousSecrets: [][]byte{nil}})
	for _, want := range []string{"absolute", "secret has 5 bytes", "previous secret 1"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewAckLinks = %v, want it to mention %q", err, want)
		}
	}
	if _, err := email.NewAckLinks(email.AckConfig{BaseURL: "https://v.test/ack?t=x", Secret: secret}); err == nil {
		t.Error("a base URL that already has the token parameter was accepted")
	}
	// The secret is copied: changing the caller's slice afterwards changes nothing.
	s := bytes.Clone(secret)
	l, err := email.NewAckLinks(email.AckConfig{BaseURL: "https://v.test/ack", Secret: s, Now: func() time.Time { return signedAt }})
	if err != nil {
		t.Fatal(err)
	}
	tok := l.Token("a", "o", signedAt.Add(time.Hour))
	s[0] ^= 0xff
	if _, _, err := l.Verify(tok); err != nil {
		t.Errorf("Verify after the caller changed its slice: %v", err)
	}
}

// FuzzAckVerify feeds Verify what a browser may send: it never panics, accepts only what Token
// produced, and every token Token makes verifies to what was signed.
func FuzzAckVerify(f *testing.F) {
	l := links(f, signedAt, secret)
	f.Add(l.Token("mejean~level:alerte~3", "alice", signedAt.Add(time.Hour)), "mejean~level:alerte~3", "alice")
	f.Add("", "", "")
	f.Add("AQAAAABrDNoIFW1lamVhbn5sZXZlbDphbGVydGV-M2FsaWNl", "a", "é")
	f.Add(strings.Repeat("_", 100), "x~y:z~1", "\x00")
	f.Fuzz(func(t *testing.T, token, alarm, operator string) {
		if a, o, err := l.Verify(token); err == nil && l.Token(a, o, signedAt.Add(time.Hour)) != token {
			// Only the seeds made by Token get here; anything else would be a forgery.
			t.Fatalf("Verify accepted %q, which Token does not produce for %q, %q", token, a, o)
		}
		tok := l.Token(alarm, operator, signedAt.Add(time.Hour))
		a, o, err := l.Verify(tok)
		valid := utf8.ValidString(alarm) && utf8.ValidString(operator)
		if valid && (err != nil || a != alarm || o != operator) {
			t.Fatalf("Sign(%q, %q) verified as %q, %q, %v", alarm, operator, a, o, err)
		}
		if !valid && err == nil {
			t.Fatalf("a token for invalid UTF-8 verified")
		}
	})
}
