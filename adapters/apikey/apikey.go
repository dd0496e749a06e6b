// Package apikey keeps the API keys of gateways and tools in a file of the data folder
// (<data>/apikeys.json). A key is shown once, at creation; only its SHA-256 is stored. The secret
// is 32 random bytes, so a plain hash is enough: there is nothing to brute-force, and a fast hash
// keeps authentication cheap at 20,000 requests/s.
package apikey

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigie/vigie/domain/sensor"
)

// ErrInvalidKey is returned by Authenticate for a malformed, unknown or revoked key. The three
// cases look alike on purpose: a caller learns nothing by probing.
var ErrInvalidKey error = authError("invalid or revoked API key")

// ErrNotFound is returned by Revoke for an unknown key id.
var ErrNotFound = errors.New("API key not found")

// authError lets the HTTP adapter recognise an authentication failure by behaviour
// (Unauthenticated) without importing this package: adapters never import each other.
type authError string

func (e authError) Error() string { return string(e) }

// Unauthenticated reports that the request must be answered 401.
func (authError) Unauthenticated() bool { return true }

// Role says what a key may do.
type Role string

const (
	// Gateway keys ingest readings of the sensors in their scope, nothing else.
	Gateway Role = "gateway"
	// Viewer keys consult (site, states, series, timeline, events) and never write.
	Viewer Role = "viewer"
	// Operator keys consult and ingest (manual readings); later, acknowledge alarms.
	Operator Role = "operator"
	// Admin keys may do everything.
	Admin Role = "admin"
)

// Roles lists every role, least privileged first.
func Roles() []Role { return []Role{Gateway, Viewer, Operator, Admin} }

// ParseRole accepts a role name; the empty string is Gateway, the least privileged.
func ParseRole(s string) (Role, error) {
	if s == "" {
		return Gateway, nil
	}
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case Gateway, Viewer, Operator, Admin:
		return r, nil
	}
	return "", fmt.Errorf("role %q is not one of gateway, viewer, operator, admin", s)
}

// Pattern is a key's sensor scope: a comma-separated list of path.Match globs
// ("mejean.*,bassin-nord.level", "*").
type Pattern struct {
	globs []string
	all   bool // one glob is "*": skip matching on the hot path
}

// maxPatternLen bounds what a key file or a command line can make us match against.
const maxPatternLen = 1024

// ParsePattern validates every glob of a comma-separated list. Spaces around commas are ignored;
// an empty list or element is refused so that a typo never widens nor empties a scope silently.
func ParsePattern(s string) (Pattern, error) {
	if len(s) > maxPatternLen {
		return Pattern{}, fmt.Errorf("sensor pattern is %d bytes long, at most %d allowed", len(s), maxPatternLen)
	}
	if strings.TrimSpace(s) == "" {
		return Pattern{}, errors.New(`sensor pattern is empty (use "*" for every sensor)`)
	}
	var p Pattern
	for i, g := range strings.Split(s, ",") {
		g = strings.TrimSpace(g)
		if g == "" {
			return Pattern{}, fmt.Errorf("sensor pattern %q: element %d is empty", s, i+1)
		}
		if !utf8.ValidString(g) {
			return Pattern{}, fmt.Errorf("sensor pattern %q: element %d is not valid UTF-8", s, i+1)
		}
		for _, r := range g {
			if unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' {
				return Pattern{}, fmt.Errorf("sensor pattern %q: element %q holds %q, which no sensor id contains", s, g, r)
			}
		}
		// path.Match reports a malformed pattern whatever the name: "[" or a trailing "\".
		if _, err := path.Match(g, ""); err != nil {
			return Pattern{}, fmt.Errorf("sensor pattern %q: element %q: %w", s, g, err)
		}
		if g == "*" {
			p.all = true
		}
		p.globs = append(p.globs, g)
	}
	return p, nil
}

// String is the canonical form: globs joined by commas, without spaces.
func (p Pattern) String() string { return strings.Join(p.globs, ",") }

// Allows reports whether a sensor is in the scope. The zero Pattern allows nothing.
func (p Pattern) Allows(id sensor.ID) bool {
	if p.all {
		return true
	}
	for _, g := range p.globs {
		// The globs were validated, so Match cannot fail.
		if ok, _ := path.Match(g, string(id)); ok {
			return true
		}
	}
	return false
}

// Key is an API key as listed; its secret is never kept.
type Key struct {
	ID        string
	Name      string
	Role      Role
	Sensors   Pattern
	CreatedAt time.Time
	// RevokedAt is zero while the key is valid.
	RevokedAt time.Time
}

// Actor is how events caused with this key name their author.
func (k Key) Actor() string { return "apikey:" + k.Name }

// Allows reports whether the key may write readings of a sensor (for IngestReadings.Allowed).
func (k Key) Allows(id sensor.ID) bool { return k.Sensors.Allows(id) }

// Revoked reports whether the key was revoked.
func (k Key) Revoked() bool { return !k.RevokedAt.IsZero() }

const (
	tokenPrefix = "vg_"
	idBytes     = 8  // 16 hex characters: the lookup key, not a secret
	secretBytes = 32 // 256 bits of entropy
	idLen       = 2 * idBytes
	secretLen   = (secretBytes*8 + 5) / 6 // unpadded base64: 43 characters
	tokenLen    = len(tokenPrefix) + idLen + 1 + secretLen
)

// newToken draws a key id and a secret and returns the plaintext "vg_<id>_<secret>".
func newToken() (id, secret, plaintext string) {
	var b [idBytes + secretBytes]byte
	// crypto/rand.Read never fails (it crashes the program if the OS has no randomness).
	_, _ = rand.Read(b[:])
	id = hex.EncodeToString(b[:idBytes])
	secret = base64.RawURLEncoding.EncodeToString(b[idBytes:])
	return id, secret, tokenPrefix + id + "_" + secret
}

// ParseToken splits a plaintext key into its id and secret, checking the exact shape so that
// nothing else ever reaches a lookup.
func ParseToken(s string) (id, secret string, err error) {
	if len(s) != tokenLen || !strings.HasPrefix(s, tokenPrefix) || s[len(tokenPrefix)+idLen] != '_' {
		return "", "", ErrInvalidKey
	}
	id = s[len(tokenPrefix) : len(tokenPrefix)+idLen]
	secret = s[len(tokenPrefix)+idLen+1:]
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", "", ErrInvalidKey
		}
	}
	for i := 0; i < len(secret); i++ {
		if c := secret[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return "", "", ErrInvalidKey
		}
	}
	return id, secret, nil
}

// validName keeps names usable in actor strings, logs and command lines.
func validName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("key name %q must be 1 to 64 characters long", name)
	}
	for _, c := range name {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("key name %q may hold only letters, digits, '-', '_' and '.'", name)
		}
	}
	return nil
}
