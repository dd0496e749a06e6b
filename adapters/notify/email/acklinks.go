package email

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"
)

// AckParam is the query parameter that carries an acknowledgement token.
const AckParam = "t"

// MinAckSecret is the shortest secret AckLinks accepts, in bytes.
const MinAckSecret = 32

var (
	// ErrAckInvalid: the token is malformed, forged or tampered with (the cases are not told apart).
	ErrAckInvalid = errors.New("acknowledgement link invalid")
	// ErrAckExpired: the token is genuine but past its expiry.
	ErrAckExpired = errors.New("acknowledgement link expired")
)

// AckConfig configures AckLinks.
type AckConfig struct {
	// BaseURL is the acknowledgement endpoint, e.g. "https://vigie.example/ack".
	BaseURL string
	// Secret signs and verifies tokens (HMAC-SHA256); at least MinAckSecret bytes.
	Secret []byte
	// PreviousSecrets still verify (key rotation: add the new secret, keep the old one here until
	// the links it signed have expired).
	PreviousSecrets [][]byte
	// Now is the clock of Verify; default time.Now.
	Now func() time.Time
}

// AckLinks signs one-click acknowledgement links and verifies their tokens. A token names the alarm
// and the operator and carries its expiry, under an HMAC-SHA256 (truncated to 128 bits, RFC 2104
// §5) keyed by the secret: it is a bearer credential, so it is never logged.
//
// Token: base64url( version 1 | expiry, Unix seconds, 8 bytes big-endian | uvarint length of the
// alarm id | alarm id | operator | MAC over the domain "vigie/ack/v1" and all that precedes ).
type AckLinks struct {
	base *url.URL
	keys [][]byte
	now  func() time.Time
}

const (
	ackVersion  = 1
	ackMACSize  = 16
	maxAckToken = 2048
	ackDomain   = "vigie/ack/v1\x00"
)

// NewAckLinks checks cfg and returns the signer.
func NewAckLinks(cfg AckConfig) (*AckLinks, error) {
	var errs []error
	base, err := url.Parse(cfg.BaseURL)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("ack links: base URL: %w", err))
	case (base.Scheme != "https" && base.Scheme != "http") || base.Host == "":
		errs = append(errs, fmt.Errorf("ack links: base URL %q must be an absolute http(s) URL", cfg.BaseURL))
	case base.Query().Has(AckParam):
		errs = append(errs, fmt.Errorf("ack links: base URL already has a %q parameter", AckParam))
	}
	if len(cfg.Secret) < MinAckSecret {
		errs = append(errs, fmt.Errorf("ack links: secret has %d bytes, want at least %d", len(cfg.Secret), MinAckSecret))
	}
	for i, s := range cfg.PreviousSecrets {
		if len(s) < MinAckSecret {
			errs = append(errs, fmt.Errorf("ack links: previous secret %d has %d bytes, want at least %d", i+1, len(s), MinAckSecret))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	l := &AckLinks{base: base, now: cfg.Now}
	if l.now == nil {
		l.now = time.Now
	}
	for _, s := range append([][]byte{cfg.Secret}, cfg.PreviousSecrets...) {
		l.keys = append(l.keys, bytes.Clone(s))
	}
	return l, nil
}

// Sign returns the link that acknowledges alarmID as operator until expiry (to the second).
func (l *AckLinks) Sign(alarmID, operator string, expiry time.Time) string {
	u := *l.base
	q := u.Query()
	q.Set(AckParam, l.Token(alarmID, operator, expiry))
	u.RawQuery = q.Encode()
	return u.String()
}

// Token returns the token alone (what Sign puts in the link).
func (l *AckLinks) Token(alarmID, operator string, expiry time.Time) string {
	payload := make([]byte, 0, 1+8+binary.MaxVarintLen64+len(alarmID)+len(operator)+ackMACSize)
	payload = append(payload, ackVersion)
	payload = binary.BigEndian.AppendUint64(payload, uint64(expiry.Unix()))
	payload = binary.AppendUvarint(payload, uint64(len(alarmID)))
	payload = append(payload, alarmID...)
	payload = append(payload, operator...)
	payload = append(payload, mac(l.keys[0], payload)...)
	return base64.RawURLEncoding.EncodeToString(payload)
}

// Verify returns the alarm and operator a token acknowledges. It fails with ErrAckInvalid when the
// token was not signed by one of the secrets (or is malformed), and with ErrAckExpired when it was
// but its expiry has passed.
func (l *AckLinks) Verify(token string) (alarmID, operator string, err error) {
	if len(token) > maxAckToken {
		return "", "", ErrAckInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 1+8+1+ackMACSize {
		return "", "", ErrAckInvalid
	}
	payload, sum := raw[:len(raw)-ackMACSize], raw[len(raw)-ackMACSize:]
	genuine := false
	for _, k := range l.keys {
		if hmac.Equal(sum, mac(k, payload)) {
			genuine = true
			break
		}
	}
	if !genuine || payload[0] != ackVersion {
		return "", "", ErrAckInvalid
	}
	expiry := int64(binary.BigEndian.Uint64(payload[1:9]))
	n, size := binary.Uvarint(payload[9:])
	rest := payload[9:]
	if size <= 0 || n > uint64(len(rest)-size) {
		return "", "", ErrAckInvalid
	}
	rest = rest[size:]
	alarmID, operator = string(rest[:n]), string(rest[n:])
	if !utf8.ValidString(alarmID) || !utf8.ValidString(operator) {
		return "", "", ErrAckInvalid
	}
	if !l.now().Before(time.Unix(expiry, 0)) {
		return "", "", ErrAckExpired
	}
	return alarmID, operator, nil
}

func mac(key, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(ackDomain))
	h.Write(payload)
	return h.Sum(nil)[:ackMACSize]
}
