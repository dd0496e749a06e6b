package amqp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	wamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// batchPublisher publishes a batch with publisher confirms pipelined: every message of the batch
// is sent on one confirm-mode channel (so RabbitMQ routes them in order), then Publish waits for
// all their confirms. RabbitMQ confirms a persistent message to a durable queue once it is on
// disk, and groups fsyncs, so a batch costs about one fsync instead of one per message.
// watermill-amqp cannot do this: it waits for each confirm before sending the next message.
type batchPublisher struct {
	conn     *wamqp.ConnectionWrapper
	channels chan *amqp091.Channel // idle confirm-mode channels
	declared sync.Map              // exchange -> struct{}
	timeout  time.Duration
}

func newBatchPublisher(conn *wamqp.ConnectionWrapper, poolSize int) *batchPublisher {
	return &batchPublisher{conn: conn, channels: make(chan *amqp091.Channel, poolSize), timeout: 30 * time.Second}
}

func (p *batchPublisher) channel() (*amqp091.Channel, error) {
	select {
	case ch := <-p.channels:
		if !ch.IsClosed() {
			return ch, nil
		}
	default:
	}
	if !p.conn.IsConnected() {
		return nil, errors.New("not connected to AMQP")
	}
	ch, err := p.conn.Connection().Channel()
	if err != nil {
		return nil, fmt.Errorf("open channel: %w", err)
	}
	if err := ch.Confirm(false); err != nil {
		_ = ch.Close()
		return nil, fmt.Errorf("confirm mode: %w", err)
	}
	return ch, nil
}

// release keeps a healthy channel for the next batch.
func (p *batchPublisher) release(ch *amqp091.Channel) {
	select {
	case p.channels <- ch:
	default:
		_ = ch.Close()
	}
}

func (p *batchPublisher) Publish(topic string, msgs ...*message.Message) error {
	ch, err := p.channel()
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if ok {
			p.release(ch)
		} else {
			_ = ch.Close() // its confirm sequence may be off: never reuse it
		}
	}()
	if _, done := p.declared.Load(topic); !done {
		if err := ch.ExchangeDeclare(topic, "fanout", true, false, false, false, nil); err != nil {
			return fmt.Errorf("declare exchange %s: %w", topic, err)
		}
		p.declared.Store(topic, struct{}{})
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
	defer cancel()
	confirms := make([]*amqp091.DeferredConfirmation, len(msgs))
	marshaler := wamqp.DefaultMarshaler{}
	for i, m := range msgs {
		pub, err := marshaler.Marshal(m)
		if err != nil {
			return fmt.Errorf("marshal message %s: %w", m.UUID, err)
		}
		if confirms[i], err = ch.PublishWithDeferredConfirmWithContext(ctx, topic, "", false, false, pub); err != nil {
			return fmt.Errorf("publish message %s: %w", m.UUID, err)
		}
	}
	for i, c := range confirms {
		acked, err := c.WaitContext(ctx)
		if err != nil {
			return fmt.Errorf("message %s: no confirm: %w", msgs[i].UUID, err)
		}
		if !acked {
			return fmt.Errorf("message %s: RabbitMQ refused it (nack)", msgs[i].UUID)
		}
	}
	ok = true
	return nil
}

func (p *batchPublisher) Close() error {
	for {
		select {
		case ch := <-p.channels:
			_ = ch.Close()
		default:
			return nil
		}
	}
}
