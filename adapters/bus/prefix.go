package bus

import (
	"context"
	"fmt"
)

// Prefixed is a bus whose topics and groups carry a deployment's prefix: several deployments (a
// test bench and production, two sites) can then share one broker without ever reading each
// other's messages.
type Prefixed struct {
	bus    Bus
	prefix string
}

var _ Bus = (*Prefixed)(nil)

// NewPrefixed refuses a prefix that would make invalid names; an empty prefix is allowed.
func NewPrefixed(b Bus, prefix string) (*Prefixed, error) {
	if b == nil {
		return nil, fmt.Errorf("prefixed bus: nil bus")
	}
	if prefix != "" {
		if err := ValidName("prefix", prefix); err != nil {
			return nil, fmt.Errorf("prefixed bus: %w", err)
		}
		prefix += "-"
	}
	return &Prefixed{bus: b, prefix: prefix}, nil
}

// Publish publishes to the prefixed topic.
func (p *Prefixed) Publish(ctx context.Context, topic string, msgs ...Message) error {
	return p.bus.Publish(ctx, p.prefix+topic, msgs...)
}

// Subscribe subscribes to the prefixed topic as the prefixed group.
func (p *Prefixed) Subscribe(ctx context.Context, topic, group string, h Handler) (*Subscription, error) {
	return p.bus.Subscribe(ctx, p.prefix+topic, p.prefix+group, h)
}

// Close closes the underlying bus.
func (p *Prefixed) Close() error { return p.bus.Close() }
