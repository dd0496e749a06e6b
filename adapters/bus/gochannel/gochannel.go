// Package gochannel is the in-process bus (Watermill's GoChannel): the embedded default, where
// every role runs in one process. It keeps nothing: a message published while no subscriber runs
// is lost, and a group has no competing members (each subscription gets every message).
package gochannel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/vigie/vigie/adapters/bus"
)

// Broker is the in-process broker: the buses made from one Broker talk to each other.
type Broker struct {
	gc *gochannel.GoChannel
}

// NewBroker starts a broker.
func NewBroker(logger *slog.Logger) (*Broker, error) {
	if logger == nil {
		return nil, errors.New("new in-process broker: nil logger")
	}
	// Without BlockPublishUntilSubscriberAck, GoChannel hands each message to each subscriber in
	// a goroutine of its own, in no particular order. Blocking the publisher until every
	// subscriber has acknowledged keeps publish order and gives the forwarder back-pressure; a
	// nacked message is resent at once, before the next one.
	return &Broker{gc: gochannel.NewGoChannel(gochannel.Config{BlockPublishUntilSubscriberAck: true}, bus.WatermillLogger(logger))}, nil
}

// Close stops the broker; buses made from it stop delivering.
func (b *Broker) Close() error { return b.gc.Close() }

// Bus returns a bus on the broker. Closing the bus does not close the broker.
func (b *Broker) Bus(logger *slog.Logger) (*bus.Watermill, error) {
	w, err := bus.NewWatermill(bus.WatermillConfig{
		Publisher: noClose{b.gc},
		NewSubscriber: func(topic, group string) (message.Subscriber, error) {
			return noClose{b.gc}, nil
		},
	}, logger)
	if err != nil {
		return nil, fmt.Errorf("in-process bus: %w", err)
	}
	return w, nil
}

// New returns a bus on a broker of its own, closed with it: the one-process case.
func New(logger *slog.Logger) (*bus.Watermill, error) {
	b, err := NewBroker(logger)
	if err != nil {
		return nil, err
	}
	w, err := bus.NewWatermill(bus.WatermillConfig{
		Publisher: noClose{b.gc},
		NewSubscriber: func(topic, group string) (message.Subscriber, error) {
			return noClose{b.gc}, nil
		},
		OnClose: b.Close,
	}, logger)
	if err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("in-process bus: %w", err)
	}
	return w, nil
}

// noClose shares the GoChannel between the bus's publisher and its subscriptions: ending one
// subscription must not close the broker (a GoChannel subscription ends with its context).
type noClose struct{ gc *gochannel.GoChannel }

func (n noClose) Publish(topic string, msgs ...*message.Message) error {
	return n.gc.Publish(topic, msgs...)
}
func (n noClose) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	return n.gc.Subscribe(ctx, topic)
}
func (n noClose) Close() error { return nil }
