// Package amqp is the RabbitMQ bus (watermill-amqp/v3). A topic is a durable fanout exchange of
// that name; a group is a durable queue "<topic>_<group>" bound to it; messages are persistent.
//
// Ordering: with the default prefetch of 1, a queue delivers to one member in publish order, and a
// nacked message is requeued at its place, so a single member sees the log in order. With several
// members, or a larger prefetch, order across members is not kept (LogConsumer copes).
package amqp

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	wamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/vigie/vigie/adapters/bus"
)

// Options tune the adapter. The zero value is the safe configuration.
type Options struct {
	// PublishChannels is the size of the publisher's channel pool. watermill-amqp opens and
	// closes a channel per Publish without a pool (measured here: 1.5k msg/s, against 16-17k/s
	// with a pool). Default 8.
	PublishChannels int
	// Unconfirmed skips publisher confirms: Publish then returns before RabbitMQ has the message,
	// which a broker crash can lose. Only for benchmarks and tests of throughput.
	Unconfirmed bool
	// Prefetch is how many unacknowledged messages a member holds. Default 1 (in order).
	Prefetch int
	// QueueExpiry, if set, makes RabbitMQ delete a group's queue unused for that long (x-expires):
	// for tests, and for groups that may disappear. Zero keeps queues forever.
	QueueExpiry time.Duration
}

// Validate reports every problem at once.
func (o Options) Validate() error {
	var errs []error
	if o.PublishChannels < 0 {
		errs = append(errs, fmt.Errorf("publish channels %d is negative", o.PublishChannels))
	}
	if o.Prefetch < 0 {
		errs = append(errs, fmt.Errorf("prefetch %d is negative", o.Prefetch))
	}
	if o.QueueExpiry < 0 || (o.QueueExpiry > 0 && o.QueueExpiry < time.Millisecond) {
		errs = append(errs, fmt.Errorf("queue expiry %v: want 0 or at least 1ms", o.QueueExpiry))
	}
	return errors.Join(errs...)
}

func (o Options) withDefaults() Options {
	if o.PublishChannels == 0 {
		o.PublishChannels = 8
	}
	if o.Prefetch == 0 {
		o.Prefetch = 1
	}
	return o
}

// ValidateURL checks an AMQP URL (amqp:// or amqps://) without connecting. Its errors never
// repeat the URL, which may hold a password.
func ValidateURL(url string) error {
	if url == "" {
		return errors.New("amqp url: empty")
	}
	if _, err := amqp091.ParseURI(url); err != nil {
		return fmt.Errorf("amqp url: %s", strings.ReplaceAll(err.Error(), url, "<url>"))
	}
	return nil
}

// New connects to RabbitMQ at url and returns the bus. The connection is shared by the publisher
// and every subscription, and reconnects by itself (watermill-amqp's back-off).
func New(url string, opts Options, logger *slog.Logger) (*bus.Watermill, error) {
	var errs []error
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	errs = append(errs, ValidateURL(url), opts.Validate())
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("amqp bus: %w", err)
	}
	opts = opts.withDefaults()
	wlog := bus.WatermillLogger(logger)
	conn, err := wamqp.NewConnection(wamqp.ConnectionConfig{AmqpURI: url, Reconnect: wamqp.DefaultReconnectConfig()}, wlog)
	if err != nil {
		return nil, fmt.Errorf("amqp bus: connect: %s", strings.ReplaceAll(err.Error(), url, "<url>"))
	}
	config := func(group string) wamqp.Config {
		c := wamqp.NewDurablePubSubConfig(url, wamqp.GenerateQueueNameTopicNameWithSuffix(group))
		c.Publish.ChannelPoolSize = opts.PublishChannels
		c.Publish.ConfirmDelivery = !opts.Unconfirmed
		c.Consume.Qos.PrefetchCount = opts.Prefetch
		if opts.QueueExpiry > 0 {
			c.Queue.Arguments = amqp091.Table{"x-expires": int64(opts.QueueExpiry / time.Millisecond)}
		}
		return c
	}
	single, err := wamqp.NewPublisherWithConnection(config(""), wlog, conn)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("amqp bus: publisher: %w", err)
	}
	// watermill-amqp waits for each message's confirm before sending the next, so a batch
	// costs one broker fsync per message (measured here: under 400 msg/s for one publisher).
	// Batches go through a publisher that sends them whole and then waits for their confirms.
	var batch message.Publisher = newBatchPublisher(conn, opts.PublishChannels)
	if opts.Unconfirmed {
		batch = single
	}
	pub := splitPublisher{single: single, batch: batch}
	w, err := bus.NewWatermill(bus.WatermillConfig{
		Publisher: pub,
		NewSubscriber: func(topic, group string) (message.Subscriber, error) {
			return wamqp.NewSubscriberWithConnection(config(group), wlog, conn)
		},
		OnClose: conn.Close,
	}, logger)
	if err != nil {
		_ = pub.Close()
		_ = conn.Close()
		return nil, fmt.Errorf("amqp bus: %w", err)
	}
	return w, nil
}

// splitPublisher sends one message through watermill-amqp and a batch through batchPublisher.
type splitPublisher struct {
	single, batch message.Publisher
}

func (p splitPublisher) Publish(topic string, msgs ...*message.Message) error {
	if len(msgs) == 1 {
		return p.single.Publish(topic, msgs...)
	}
	return p.batch.Publish(topic, msgs...)
}

func (p splitPublisher) Close() error {
	if p.batch == p.single {
		return p.single.Close()
	}
	return errors.Join(p.single.Close(), p.batch.Close())
}

// QueueName is the queue of a group on a topic (for operators and test clean-up).
func QueueName(topic, group string) string { return topic + "_" + group }
