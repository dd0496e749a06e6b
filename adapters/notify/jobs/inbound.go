package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/vigie/vigie/adapters/bus"
)

// Target takes the operators' answers: the cascade engine of the notify leader.
type Target interface {
	Reply(ctx context.Context, fromPhone, text string, at time.Time) error
	AckByVoice(ctx context.Context, alarmID, operator string) error
	AckByLink(ctx context.Context, alarmID, operator string) error
	Delivered(ctx context.Context, providerRef string) error
	Failed(ctx context.Context, providerRef, reason string) error
}

// answer is one operator's answer or provider's receipt on the wire.
type answer struct {
	Kind     string    `json:"kind"` // reply, ack_voice, ack_link, delivered, failed
	Phone    string    `json:"phone,omitempty"`
	Text     string    `json:"text,omitempty"`
	At       time.Time `json:"at,omitzero"`
	Alarm    string    `json:"alarm,omitempty"`
	Operator string    `json:"operator,omitempty"`
	Ref      string    `json:"ref,omitempty"`
	Reason   string    `json:"reason,omitempty"`
}

// Inbound is a Target that publishes the answers for the leader (StartInbound). It answers once
// the broker has them: the webhook tells the provider it got the message, and the leader records
// it within moments.
type Inbound struct {
	bus    bus.Bus
	logger *slog.Logger
	now    func() time.Time
}

// NewInbound refuses nil dependencies.
func NewInbound(b bus.Bus, now func() time.Time, logger *slog.Logger) (*Inbound, error) {
	if b == nil || now == nil || logger == nil {
		return nil, errors.New("new inbound answers: nil bus, clock or logger")
	}
	return &Inbound{bus: b, logger: logger, now: now}, nil
}

func (in *Inbound) send(ctx context.Context, a answer) error {
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode %s answer: %w", a.Kind, err)
	}
	id := fmt.Sprintf("answer:%s:%d", a.Kind, in.now().UnixNano())
	if err := in.bus.Publish(ctx, InboundTopic, bus.Message{ID: id, Payload: b}); err != nil {
		return fmt.Errorf("forward the %s to the notifier: %w", a.Kind, err)
	}
	return nil
}

func (in *Inbound) Reply(ctx context.Context, fromPhone, text string, at time.Time) error {
	return in.send(ctx, answer{Kind: "reply", Phone: fromPhone, Text: text, At: at})
}

func (in *Inbound) AckByVoice(ctx context.Context, alarmID, operator string) error {
	return in.send(ctx, answer{Kind: "ack_voice", Alarm: alarmID, Operator: operator})
}

func (in *Inbound) AckByLink(ctx context.Context, alarmID, operator string) error {
	return in.send(ctx, answer{Kind: "ack_link", Alarm: alarmID, Operator: operator})
}

func (in *Inbound) Delivered(ctx context.Context, providerRef string) error {
	return in.send(ctx, answer{Kind: "delivered", Ref: providerRef})
}

func (in *Inbound) Failed(ctx context.Context, providerRef, reason string) error {
	return in.send(ctx, answer{Kind: "failed", Ref: providerRef, Reason: reason})
}

// StartInbound hands the forwarded answers to t until ctx ends. An answer t refuses for good (an
// SMS that names no alarm, a receipt for a message it never sent) is logged and dropped, as the
// webhook would have answered it; one it could not handle now is delivered again.
func StartInbound(ctx context.Context, b bus.Bus, t Target, permanent func(error) bool, logger *slog.Logger) (*bus.Subscription, error) {
	if b == nil || t == nil || permanent == nil || logger == nil {
		return nil, errors.New("start inbound answers: nil bus, target, classifier or logger")
	}
	sub, err := b.Subscribe(ctx, InboundTopic, EngineGroup, func(ctx context.Context, m bus.Message) error {
		var a answer
		if err := json.Unmarshal(m.Payload, &a); err != nil {
			logger.Error("undecodable answer dropped", "message", m.ID, "err", err)
			return nil
		}
		var err error
		switch a.Kind {
		case "reply":
			err = t.Reply(ctx, a.Phone, a.Text, a.At)
		case "ack_voice":
			err = t.AckByVoice(ctx, a.Alarm, a.Operator)
		case "ack_link":
			err = t.AckByLink(ctx, a.Alarm, a.Operator)
		case "delivered":
			err = t.Delivered(ctx, a.Ref)
		case "failed":
			err = t.Failed(ctx, a.Ref, a.Reason)
		default:
			logger.Error("answer of unknown kind dropped", "message", m.ID, "kind", a.Kind)
			return nil
		}
		if err != nil && permanent(err) {
			logger.Warn("forwarded answer refused", "kind", a.Kind, "message", m.ID, "err", err)
			return nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("inbound answers: %w", err)
	}
	return sub, nil
}
