package apikey_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/apikey"
	"github.com/vigie/vigie/domain/sensor"
)

func TestParsePattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		pattern   string
		wantErr   bool
		canonical string
		allows    []sensor.ID
		refuses   []sensor.ID
	}{
		{name: "everything", pattern: "*", canonical: "*", allows: []sensor.ID{"mejean.level", "x"}},
		{name: "one dam", pattern: "mejean.*", canonical: "mejean.*", allows: []sensor.ID{"mejean.level", "mejean.rain"}, refuses: []sensor.ID{"bassin-nord.level", "mejean"}},
		{name: "list with spaces", pattern: " mejean.* , bassin-nord.level ", canonical: "mejean.*,bassin-nord.level", allows: []sensor.ID{"mejean.level", "bassin-nord.level"}, refuses: []sensor.ID{"bassin-nord.rain", "barrage-est.level"}},
		{name: "class and question mark", pattern: "gauge-[0-9]?", canonical: "gauge-[0-9]?", allows: []sensor.ID{"gauge-1a"}, refuses: []sensor.ID{"gauge-xa", "gauge-1"}},
		{name: "exact sensor is not a prefix", pattern: "mejean.level", canonical: "mejean.level", allows: []sensor.ID{"mejean.level"}, refuses: []sensor.ID{"mejean.level2"}},
		{name: "empty", pattern: "", wantErr: true},
		{name: "blank", pattern: "  ", wantErr: true},
		{name: "empty element", pattern: "mejean.*,,x", wantErr: true},
		{name: "trailing comma", pattern: "mejean.*,", wantErr: true},
		{name: "unclosed class", pattern: "mejean.[", wantErr: true},
		{name: "trailing escape", pattern: `mejean\`, wantErr: true},
		{name: "slash", pattern: "a/b", wantErr: true},
		{name: "inner space", pattern: "a b", wantErr: true},
		{name: "control", pattern: "a\x00b", wantErr: true},
		{name: "invalid utf-8", pattern: "a\xffb", wantErr: true},
		{name: "too long", pattern: strings.Repeat("a", 1025), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := apikey.ParsePattern(tt.pattern)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParsePattern(%q) = %v, want an error", tt.pattern, p)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePattern(%q): %v", tt.pattern, err)
			}
			if got := p.String(); got != tt.canonical {
				t.Errorf("String() = %q, want %q", got, tt.canonical)
			}
			for _, id := range tt.allows {
				if !p.Allows(id) {
					t.Errorf("Allows(%q) = false, want true", id)
				}
			}
			for _, id := range tt.refuses {
				if p.Allows(id) {
					t.Errorf("Allows(%q) = true, want false", id)
				}
			}
		})
	}
}

func TestZeroPatternAllowsNothing(t *testing.T) {
	t.Parallel()
	if (apikey.Pattern{}).Allows("mejean.level") {
		t.Fatal("the zero pattern allows a sensor")
	}
}

func TestParseRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    apikey.Role
		wantErr bool
	}{
		{in: "", want: apikey.Gateway},
		{in: "gateway", want: apikey.Gateway},
		{in: "Viewer", want: apikey.Viewer},
		{in: " operator ", want: apikey.Operator},
		{in: "admin", want: apikey.Admin},
		{in: "root", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := apikey.ParseRole(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("ParseRole(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseToken(t *testing.T) {
	t.Parallel()
	secret := strings.Repeat("A", 43)
	tests := []struct {
		name    string
		token   string
		wantID  string
		wantErr bool
	}{
		{name: "valid", token: "vg_0123456789abcdef_" + secret, wantID: "0123456789abcdef"},
		{name: "secret with dash and underscore", token: "vg_0123456789abcdef_" + strings.Repeat("-_", 21) + "x", wantID: "0123456789abcdef"},
		{name: "empty", token: "", wantErr: true},
		{name: "wrong prefix", token: "xx_0123456789abcdef_" + secret, wantErr: true},
		{name: "uppercase id", token: "vg_0123456789ABCDEF_" + secret, wantErr: true},
		{name: "short", token: "vg_0123456789abcdef_" + secret[1:], wantErr: true},
		{name: "long", token: "vg_0123456789abcdef_" + secret + "A", wantErr: true},
		{name: "missing separator", token: "vg_0123456789abcdefA" + secret, wantErr: true},
		{name: "bad secret character", token: "vg_0123456789abcdef_" + secret[1:] + "=", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id, _, err := apikey.ParseToken(tt.token)
			if tt.wantErr {
				if !errors.Is(err, apikey.ErrInvalidKey) {
					t.Fatalf("ParseToken(%q) error = %v, want ErrInvalidKey", tt.token, err)
				}
				return
			}
			if err != nil || id != tt.wantID {
				t.Fatalf("ParseToken(%q) = %q, %v; want %q", tt.token, id, err, tt.wantID)
			}
		})
	}
}

func TestErrInvalidKeyIsRecognisableByBehaviour(t *testing.T) {
	t.Parallel()
	var u interface{ Unauthenticated() bool }
	if !errors.As(apikey.ErrInvalidKey, &u) || !u.Unauthenticated() {
		t.Fatal("ErrInvalidKey does not report Unauthenticated(): the HTTP adapter could not answer 401")
	}
}

func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{"*", "mejean.*,bassin-nord.level", "", ",", "[", `\`, "a/b", "[^a-z]*", " a , b ", "[]a]", "\xff"} {
		f.Add(s, "mejean.level")
	}
	f.Fuzz(func(t *testing.T, pattern, id string) {
		p, err := apikey.ParsePattern(pattern)
		if err != nil {
			if p.Allows(sensor.ID(id)) {
				t.Fatalf("a refused pattern %q allows %q", pattern, id)
			}
			return
		}
		again, err := apikey.ParsePattern(p.String())
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", p.String(), pattern, err)
		}
		if again.String() != p.String() || again.Allows(sensor.ID(id)) != p.Allows(sensor.ID(id)) {
			t.Fatalf("canonical form %q of %q changes the scope", p.String(), pattern)
		}
	})
}

func FuzzParseToken(f *testing.F) {
	f.Add("vg_0123456789abcdef_" + strings.Repeat("A", 43))
	f.Add("vg_")
	f.Add("")
	f.Add("Bearer vg_x")
	f.Fuzz(func(t *testing.T, s string) {
		id, secret, err := apikey.ParseToken(s)
		if err != nil {
			if !errors.Is(err, apikey.ErrInvalidKey) {
				t.Fatalf("ParseToken(%q) error %v is not ErrInvalidKey", s, err)
			}
			return
		}
		if len(id) != 16 || len(secret) != 43 || "vg_"+id+"_"+secret != s {
			t.Fatalf("ParseToken(%q) = %q, %q: does not rebuild the token", s, id, secret)
		}
	})
}
