package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/domain/cascade"
)

// LinkSigner signs one-click acknowledgement links (email.AckLinks).
type LinkSigner interface {
	Sign(alarmID, operator string, expiry time.Time) string
}

// DispatchConfig tunes a Dispatcher.
type DispatchConfig struct {
	// AttemptBudget is how long a pipeline keeps trying one notification before it gives up and
	// the saga falls back to the recipient's next channel; default 1 min. A notification that
	// cannot get through in that time is reported failed for good, whatever the last error, so
	// that an SMS gateway answering 500 all night does not hold the cascade on its channel.
	AttemptBudget time.Duration
	// Links, when set, signs the acknowledgement link put in place of cascade.LinkPlaceholder.
	Links LinkSigner
	// LinkTTL is how long a link acknowledges; default 24 h.
	LinkTTL time.Duration
	// Clock: default SystemClock.
	Clock Clock
}

// Dispatcher sends what the cascade requests (cascade.NotificationRequested) through one
// Pipeline per channel. It is the cascade engine's Sender.
type Dispatcher struct {
	pipes  map[Channel]*Pipeline
	record func(context.Context, cascade.Outcome) error
	cfg    DispatchConfig
}

// NewDispatcher returns a dispatcher over pipes (only the configured channels). record writes an
// outcome the dispatcher decides itself (a channel that is not configured): the engine's
// RecordOutcome.
func NewDispatcher(pipes map[Channel]*Pipeline, record func(context.Context, cascade.Outcome) error, cfg DispatchConfig) (*Dispatcher, error) {
	var errs []error
	if record == nil {
		errs = append(errs, errors.New("dispatcher: nil outcome recorder"))
	}
	for ch, p := range pipes {
		if p == nil {
			errs = append(errs, fmt.Errorf("dispatcher: nil pipeline for channel %s", ch))
		}
	}
	if cfg.AttemptBudget < 0 || cfg.LinkTTL < 0 {
		errs = append(errs, fmt.Errorf("dispatcher: attempt budget %s and link TTL %s must be ≥ 0", cfg.AttemptBudget, cfg.LinkTTL))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cfg.AttemptBudget == 0 {
		cfg.AttemptBudget = time.Minute
	}
	if cfg.LinkTTL == 0 {
		cfg.LinkTTL = 24 * time.Hour
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock()
	}
	copied := make(map[Channel]*Pipeline, len(pipes))
	for ch, p := range pipes {
		copied[ch] = p
	}
	return &Dispatcher{pipes: copied, record: record, cfg: cfg}, nil
}

// Send delivers n through its channel's pipeline, which records the outcome. A channel that is
// not configured is recorded here as failed, with the reason, but not for good: a missing
// provider is the configuration's fault, not the recipient's, and taking it as "unreachable"
// would run the cascade through all its steps in seconds (escalating the alarm to its last level
// on a server with no channel, the demo's case). The steps keep their pace instead, and the
// record says who should have been paged and why nobody was.
func (d *Dispatcher) Send(ctx context.Context, n cascade.NotificationRequested) error {
	ch := Channel(n.Channel)
	p, ok := d.pipes[ch]
	if !ok {
		return d.record(ctx, cascade.Outcome{
			NotificationID: n.NotificationID, Status: cascade.OutcomeFailed, Retryable: true,
			Reason: fmt.Sprintf("no %s channel is configured (see notifications in the configuration)", ch),
		})
	}
	link := ""
	if d.cfg.Links != nil {
		link = d.cfg.Links.Sign(string(n.AlarmID), string(n.Operator), d.cfg.Clock.Now().Add(d.cfg.LinkTTL))
	}
	m := Message{
		ID: n.NotificationID, AlarmID: string(n.AlarmID), Operator: string(n.Operator), Channel: ch,
		To: n.Address, Language: string(n.Language), Subject: n.Subject,
		Text: cascade.WithLink(n.Text, link), AckURL: link,
	}
	_, err := p.Send(ctx, m, d.cfg.Clock.Now().Add(d.cfg.AttemptBudget))
	return err
}

// CascadeRecorder records a pipeline's outcomes through the cascade engine (its RecordOutcome).
// A failure after the attempt budget is reported failed for good, with the last error and the
// number of attempts, so the saga falls back to the next channel.
func CascadeRecorder(record func(context.Context, cascade.Outcome) error) Recorder {
	return RecorderFunc(func(ctx context.Context, o Outcome) error {
		switch o.Status {
		case StatusSent:
			return record(ctx, cascade.Outcome{NotificationID: o.MessageID, Status: cascade.OutcomeSent, ProviderRef: o.ProviderRef})
		case StatusFailed:
			reason := o.Reason
			if o.Retryable {
				reason = fmt.Sprintf("gave up after %d attempt(s): %s", o.Attempts, o.Reason)
			}
			return record(ctx, cascade.Outcome{NotificationID: o.MessageID, Status: cascade.OutcomeFailed, Reason: reason})
		}
		return nil
	})
}

// CascadeLog answers the pipeline's dedup from the cascade engine (its Sent).
type CascadeLog func(ctx context.Context, id string) (bool, error)

// Sent calls f.
func (f CascadeLog) Sent(ctx context.Context, id string) (bool, error) { return f(ctx, id) }
