package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
)

// WatermillConfig is what an adapter gives NewWatermill.
type WatermillConfig struct {
	// Publisher publishes every message of the bus.
	Publisher message.Publisher
	// NewSubscriber returns a subscriber configured for one group of one topic (queue name,
	// durable name). It is closed when the subscription ends.
	NewSubscriber func(topic, group string) (message.Subscriber, error)
	// Prepare, if set, runs once per topic before its first publish or subscription (to create a
	// NATS stream, say), so that the hot path does not ask the broker every time.
	Prepare func(ctx context.Context, topic string) error
	// OnClose, if set, runs last in Close (to close a shared connection).
	OnClose func() error
}

// Watermill is a Bus over a Watermill publisher and subscribers: the one implementation the
// adapters share, so that acknowledgement, context and Close behave alike on every broker.
type Watermill struct {
	cfg    WatermillConfig
	logger *slog.Logger

	prepared sync.Map // topic -> struct{}
	done     chan struct{}
	closing  sync.Once
	wg       sync.WaitGroup
}

var _ Bus = (*Watermill)(nil)

// NewWatermill builds a Bus; the adapters call it.
func NewWatermill(cfg WatermillConfig, logger *slog.Logger) (*Watermill, error) {
	var errs []error
	if cfg.Publisher == nil {
		errs = append(errs, errors.New("nil publisher"))
	}
	if cfg.NewSubscriber == nil {
		errs = append(errs, errors.New("nil subscriber factory"))
	}
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("watermill bus: %w", err)
	}
	return &Watermill{cfg: cfg, logger: logger, done: make(chan struct{})}, nil
}

func (w *Watermill) isClosed() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

func (w *Watermill) prepare(ctx context.Context, topic string) error {
	if w.cfg.Prepare == nil {
		return nil
	}
	if _, ok := w.prepared.Load(topic); ok {
		return nil
	}
	if err := w.cfg.Prepare(ctx, topic); err != nil {
		return err
	}
	w.prepared.Store(topic, struct{}{})
	return nil
}

// Publish hands the messages to the publisher. Watermill's Publish takes no context: when ctx ends
// first, Publish returns ctx's error and the publish may still complete, which at-least-once
// delivery allows (the caller retries with the same ids).
func (w *Watermill) Publish(ctx context.Context, topic string, msgs ...Message) error {
	what := fmt.Sprintf("publish %d messages to %s", len(msgs), topic)
	if err := ValidMessages(topic, msgs); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if w.isClosed() {
		return fmt.Errorf("%s: %w", what, ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := w.prepare(ctx, topic); err != nil {
		return fmt.Errorf("%s: prepare the topic: %w", what, err)
	}
	wm := make([]*message.Message, len(msgs))
	for i, m := range msgs {
		wm[i] = message.NewMessageWithContext(ctx, m.ID, m.Payload)
		for k, v := range m.Metadata {
			wm[i].Metadata.Set(k, v)
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- w.cfg.Publisher.Publish(topic, wm...) }()
	select {
	case err := <-errc:
		if err != nil {
			if w.isClosed() {
				return fmt.Errorf("%s: %w", what, ErrClosed)
			}
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", what, ctx.Err())
	case <-w.done:
		return fmt.Errorf("%s: %w", what, ErrClosed)
	}
}

// Subscribe starts a subscription; see Bus.
func (w *Watermill) Subscribe(ctx context.Context, topic, group string, h Handler) (*Subscription, error) {
	what := fmt.Sprintf("subscribe to %s as %s", topic, group)
	if err := errors.Join(ValidName("topic", topic), ValidName("group", group)); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if h == nil {
		return nil, fmt.Errorf("%s: nil handler", what)
	}
	if w.isClosed() {
		return nil, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := w.prepare(ctx, topic); err != nil {
		return nil, fmt.Errorf("%s: prepare the topic: %w", what, err)
	}
	sub, err := w.cfg.NewSubscriber(topic, group)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	// Two contexts: the handler's ends with ctx or Close; the broker subscription's ends only
	// once the subscriber has been drained (see Drainer), so that no delivery is in flight when
	// Watermill closes its output channel.
	hctx, hcancel := context.WithCancel(ctx)
	wctx, wcancel := context.WithCancel(context.Background())
	ch, err := sub.Subscribe(wctx, topic)
	if err != nil {
		hcancel()
		wcancel()
		_ = sub.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	s, end := newSubscription()
	go func() { // Close ends a handler that waits on its context
		select {
		case <-w.done:
			hcancel()
		case <-hctx.Done():
		}
	}()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		reason := w.consume(hctx, ch, h, topic, group)
		hcancel()
		if d, ok := sub.(Drainer); ok {
			w.drain(d, ch, topic, group)
		}
		wcancel()
		if err := sub.Close(); err != nil {
			w.logger.Warn("bus: close subscriber", "topic", topic, "group", group, "err", err)
		}
		switch {
		case w.isClosed():
			end(ErrClosed)
		case ctx.Err() != nil:
			end(ctx.Err())
		default:
			end(reason)
		}
	}()
	return s, nil
}

// Drainer is implemented by a subscriber that must stop receiving, and finish the deliveries it
// has started, before its context ends. watermill-nats closes its output channel when the
// subscription's context ends without waiting for a NATS callback that may be sending to it (a
// send on a closed channel, found by the race detector here); draining the connection first
// waits for those callbacks.
type Drainer interface {
	Drain() error
}

// drain drains d while handing back (nack) whatever is still delivered meanwhile.
func (w *Watermill) drain(d Drainer, ch <-chan *message.Message, topic, group string) {
	done := make(chan error, 1)
	go func() { done <- d.Drain() }()
	for {
		select {
		case msg, ok := <-ch:
			if !ok {
				ch = nil // closed: wait for the drain alone
				continue
			}
			msg.Nack()
		case err := <-done:
			if err != nil {
				w.logger.Warn("bus: drain subscriber", "topic", topic, "group", group, "err", err)
			}
			return
		}
	}
}

// consume hands each delivery to h, one at a time, and acknowledges it or not.
func (w *Watermill) consume(ctx context.Context, ch <-chan *message.Message, h Handler, topic, group string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-w.done:
			return ErrClosed
		case msg, ok := <-ch:
			if !ok {
				return fmt.Errorf("subscription to %s as %s ended by the broker", topic, group)
			}
			m := Message{ID: msg.UUID, Metadata: maps.Clone(map[string]string(msg.Metadata)), Payload: msg.Payload}
			if err := h(ctx, m); err != nil {
				level := slog.LevelWarn
				if ctx.Err() != nil || w.isClosed() || errors.Is(err, ErrGap) {
					level = slog.LevelDebug // stopping, or waiting for a predecessor: expected
				}
				w.logger.Log(ctx, level, "bus: handler failed; the message will be delivered again", "topic", topic, "group", group, "id", m.ID, "err", err)
				msg.Nack()
				continue
			}
			msg.Ack()
		}
	}
}

// Close stops every subscription (their Wait returns ErrClosed), then closes the publisher.
func (w *Watermill) Close() error {
	closed := false
	w.closing.Do(func() {
		close(w.done)
		closed = true
	})
	if !closed {
		return ErrClosed
	}
	w.wg.Wait()
	errs := []error{w.cfg.Publisher.Close()}
	if w.cfg.OnClose != nil {
		errs = append(errs, w.cfg.OnClose())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close bus: %w", err)
	}
	return nil
}

// WatermillLogger adapts slog for Watermill: its per-subscription info messages ("stopped
// consuming") go to debug; warnings and errors stay.
func WatermillLogger(l *slog.Logger) watermill.LoggerAdapter {
	return watermill.NewSlogLoggerWithLevelMapping(l, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
}
