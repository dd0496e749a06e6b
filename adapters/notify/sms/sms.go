// Package sms holds what the SMS channels share: the callbacks through which delivery receipts
// and operators' replies come back (Receipts, Replies), the rendering of a notification into a
// short text (Render, GSMFriendly), the GSM length rules (Segments, Truncate) and phone number
// checks. What a reply means is the cascade's to say (cascade.ParseReply): the channels hand over
// the raw text.
//
// The channels themselves live in sub-packages: twilio (an HTTP gateway speaking Twilio's REST
// API, with its webhooks) and modem (a GSM modem on a serial port, driven with AT commands: the
// channel that still works when the Internet is down). Both are notify.Notifiers.
package sms

import (
	"context"
	"strings"
	"time"
)

// Providers, the values of the `provider` configuration key.
const (
	ProviderTwilio = "twilio"
	ProviderModem  = "modem"
)

// Receipts receives the delivery receipts of sent messages. providerID is the identifier the
// provider gave the message when it accepted it (Twilio's MessageSid). Receipts may come twice or
// out of order: implementations are idempotent. A returned error makes the webhook answer 500.
type Receipts interface {
	Delivered(ctx context.Context, providerID string) error
	Failed(ctx context.Context, providerID, reason string) error
}

// Replies receives the SMS that operators send back ("OK 4821", "1"). fromPhone is in E.164 form
// when the provider says so ("+33612345678"); text is the message as received, not parsed; at is
// when the message was sent as far as the network knows (the SMS centre's time stamp for a modem,
// the time of the webhook for Twilio). Implementations are idempotent: the same reply can be
// handed over twice (a webhook retried, a modem that lost its answer to a delete).
type Replies interface {
	Reply(ctx context.Context, fromPhone, text string, at time.Time) error
}

// RepliesFunc adapts a function to Replies.
type RepliesFunc func(ctx context.Context, fromPhone, text string, at time.Time) error

// Reply calls f.
func (f RepliesFunc) Reply(ctx context.Context, fromPhone, text string, at time.Time) error {
	return f(ctx, fromPhone, text, at)
}

// ValidE164 reports whether s is an E.164 number: '+', then 8 to 15 digits, the first not 0.
func ValidE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return allDigits(s[1:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizePhone removes the spaces, dots, dashes and brackets people write in phone numbers
// ("+33 6 12-34.56.78" -> "+33612345678") and turns a leading 00 into '+'. It does not validate.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch r {
		case ' ', '.', '-', '(', ')', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if strings.HasPrefix(out, "00") {
		out = "+" + out[2:]
	}
	return out
}
