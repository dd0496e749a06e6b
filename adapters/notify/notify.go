// Package notify is the port of the notification channels (e-mail, SMS, voice) and the pipeline
// written once around all of them: dedup -> rate limit -> retry with back-off -> record.
//
// A channel is a Notifier: it delivers one Message and says whether a failure may heal (retry) or
// never will. The cascade saga decides who is paged on which channel and when to fall back to the
// next one; a Pipeline makes one notification happen at most once per message ID and records the
// outcome in the notification log (the cascade stream), which is also what dedup reads.
//
// Secrets: a Message's AckURL is a bearer token (whoever holds it acknowledges the alarm) and a
// channel's configuration holds passwords and API keys. None of them may appear in an error or a
// log line: Message.LogValue leaves them out, and Redact/RedactURL/RedactError help channels clean
// what their libraries return.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Notifier delivers one notification. retry reports whether a failed attempt may succeed later
// (timeout, peer down, SMTP 4xx, HTTP 429/5xx) or never will (invalid address, SMTP 5xx, HTTP 4xx).
//
// Notify honours ctx: once ctx is done it returns promptly with an error that wraps ctx.Err() and
// retry = true. Its errors carry no secret (password, API key, token of a URL).
type Notifier interface {
	Notify(ctx context.Context, m Message) (retry bool, err error)
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, m Message) (bool, error)

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, m Message) (bool, error) { return f(ctx, m) }

// Channel is the medium a message goes by.
type Channel string

const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	ChannelVoice Channel = "voice"
)

// Message is one notification to one operator on one channel.
type Message struct {
	// ID is the idempotency key: the same notification (alarm, cascade step, operator, channel)
	// always has the same ID, so a saga replaying its events after a crash does not page twice.
	ID       string
	AlarmID  string
	Operator string
	Channel  Channel
	// To is the address on Channel: an e-mail address, an E.164 phone number.
	To string
	// Language is the operator's language, "fr" (the default) or "en".
	Language string
	// Subject, Text and HTML, when set, are sent as they are; when empty the channel renders them
	// from Alarm in Language. HTML is optional even then (channels without HTML ignore it).
	Subject string
	Text    string
	HTML    string
	// AckURL is the signed one-click acknowledgement link. It is a bearer token: never logged.
	AckURL string
	// Alarm holds the facts a channel renders.
	Alarm Alarm
}

// Alarm is what an operator must know at a glance. Zero fields are left out of the rendering.
type Alarm struct {
	Dam     string // dam id, "mejean"
	DamName string // "Barrage de Méjean"
	// Condition is the alarm's condition: "level:alerte", "rate_of_rise", "stale:mejean.level".
	Condition string
	Severity  string  // "vigilance", "alerte", "danger"
	Level     float64 // water level, metres
	Fill      float64 // fill of the reservoir, percent of capacity
	// TimeToSpill is the forecast time until the spillway crest is reached; ≤ 0: none forecast.
	TimeToSpill time.Duration
	At          time.Time // sensor time of the crossing
	URL         string    // the alarm's page in Vigie
}

// Validate reports what makes m unsendable; every problem at once.
func (m Message) Validate() error {
	var errs []error
	if strings.TrimSpace(m.ID) == "" {
		errs = append(errs, errors.New("message: ID (idempotency key) is empty"))
	}
	if m.Channel == "" {
		errs = append(errs, errors.New("message: channel is empty"))
	}
	if strings.TrimSpace(m.To) == "" {
		errs = append(errs, errors.New("message: recipient (To) is empty"))
	}
	return errors.Join(errs...)
}

// LogValue lists what identifies a message and nothing secret or bulky: no AckURL, no body.
func (m Message) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", m.ID),
		slog.String("alarm", m.AlarmID),
		slog.String("operator", m.Operator),
		slog.String("channel", string(m.Channel)),
		slog.String("to", m.To),
	)
}

// Fallback returns a Notifier that tries each notifier in turn until one delivers: a secondary
// e-mail provider behind the primary, say. Every notifier gets the same Message, so they must share
// a channel (falling back from e-mail to SMS is the saga's job: it knows the other address). A
// failure is retryable if any notifier's failure was; the error joins them all.
func Fallback(notifiers ...Notifier) Notifier {
	return fallback(append([]Notifier(nil), notifiers...))
}

type fallback []Notifier

func (f fallback) Notify(ctx context.Context, m Message) (bool, error) {
	if len(f) == 0 {
		return false, errors.New("fallback: no notifier")
	}
	var (
		errs  []error
		retry bool
	)
	for i, n := range f {
		if err := ctx.Err(); err != nil {
			return true, errors.Join(append(errs, fmt.Errorf("fallback: stopped before notifier %d: %w", i+1, err))...)
		}
		r, err := n.Notify(ctx, m)
		if err == nil {
			return false, nil
		}
		retry = retry || r
		errs = append(errs, fmt.Errorf("%s: %w", notifierName(i, n), err))
	}
	return retry, errors.Join(errs...)
}

// notifierName is n's Name() when it has one ("smtp", "sendgrid"), else its rank.
func notifierName(i int, n Notifier) string {
	if named, ok := n.(interface{ Name() string }); ok {
		return named.Name()
	}
	return fmt.Sprintf("notifier %d", i+1)
}
