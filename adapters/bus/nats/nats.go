// Package nats is the NATS JetStream bus (watermill-nats/v2). A topic is a JetStream stream of that
// name holding one subject of the same name (file storage, kept MaxAge); a group is a durable
// consumer of that name with explicit acknowledgement, members of a group form a queue group.
//
// Ordering: JetStream delivers a stream in order; a message that is nacked, or not acknowledged
// within AckWait, comes again later, possibly after messages behind it (up to MaxAckPending of
// them). LogConsumer restores the order; other consumers must not rely on it.
package nats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	natsgo "github.com/nats-io/nats.go"

	"github.com/vigie/vigie/adapters/bus"
)

// Options tune the adapter. The zero value is usable.
type Options struct {
	// AckWait is how long JetStream waits for an acknowledgement before delivering a message
	// again (a member that crashed). Default 30 s.
	AckWait time.Duration
	// MaxAckPending bounds the unacknowledged messages of a group in flight. Default 64.
	MaxAckPending int
	// MaxAge is how long a stream keeps messages. Default 7 days: a group that has been away
	// longer must catch up from the event store.
	MaxAge time.Duration
	// Replicas of each stream in a NATS cluster. Default 1.
	Replicas int
}

// Validate reports every problem at once.
func (o Options) Validate() error {
	var errs []error
	if o.AckWait < 0 {
		errs = append(errs, fmt.Errorf("ack wait %v is negative", o.AckWait))
	}
	if o.MaxAckPending < 0 {
		errs = append(errs, fmt.Errorf("max ack pending %d is negative", o.MaxAckPending))
	}
	if o.MaxAge < 0 {
		errs = append(errs, fmt.Errorf("max age %v is negative", o.MaxAge))
	}
	if o.Replicas < 0 || o.Replicas > 5 {
		errs = append(errs, fmt.Errorf("replicas %d: want 1 to 5", o.Replicas))
	}
	return errors.Join(errs...)
}

func (o Options) withDefaults() Options {
	if o.AckWait == 0 {
		o.AckWait = 30 * time.Second
	}
	if o.MaxAckPending == 0 {
		o.MaxAckPending = 64
	}
	if o.MaxAge == 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	return o
}

// ValidateURL checks a NATS URL list (nats://host:4222[,nats://...]) without connecting. Its
// errors never repeat the URL, which may hold a password or token.
func ValidateURL(u string) error {
	if u == "" {
		return errors.New("nats url: empty")
	}
	for i, part := range strings.Split(u, ",") {
		p, err := url.Parse(strings.TrimSpace(part))
		if err != nil {
			return fmt.Errorf("nats url %d: not a URL", i+1)
		}
		switch p.Scheme {
		case "nats", "tls", "ws", "wss":
		default:
			return fmt.Errorf("nats url %d: scheme %q, want nats, tls, ws or wss", i+1, p.Scheme)
		}
		if p.Host == "" {
			return fmt.Errorf("nats url %d: no host", i+1)
		}
	}
	return nil
}

// New connects to NATS at url, checks that JetStream is enabled, and returns the bus.
//
// The check matters: watermill-nats crashes if a JetStream subscription is set up on a server
// without JetStream, so a misconfigured server is reported here, as an error, instead.
func New(url string, opts Options, logger *slog.Logger) (*bus.Watermill, error) {
	var errs []error
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	errs = append(errs, ValidateURL(url), opts.Validate())
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("nats bus: %w", err)
	}
	opts = opts.withDefaults()
	connect := func(role string) (*natsgo.Conn, error) {
		c, err := natsgo.Connect(url, natsgo.Name("vigie-"+role), natsgo.MaxReconnects(-1))
		if err != nil {
			return nil, fmt.Errorf("connect (%s): %s", role, strings.ReplaceAll(err.Error(), url, "<url>"))
		}
		return c, nil
	}
	admin, err := connect("admin")
	if err != nil {
		return nil, fmt.Errorf("nats bus: %w", err)
	}
	js, err := admin.JetStream()
	if err == nil {
		_, err = js.AccountInfo()
	}
	if err != nil {
		admin.Close()
		if errors.Is(err, natsgo.ErrJetStreamNotEnabled) || errors.Is(err, natsgo.ErrJetStreamNotEnabledForAccount) {
			return nil, fmt.Errorf("nats bus: JetStream is not enabled on the server (start nats-server with -js): %w", err)
		}
		return nil, fmt.Errorf("nats bus: JetStream account info: %w", err)
	}
	wlog := bus.WatermillLogger(logger)
	pubConn, err := connect("publisher")
	if err != nil {
		admin.Close()
		return nil, fmt.Errorf("nats bus: %w", err)
	}
	pub, err := wnats.NewPublisherWithNatsConn(pubConn, wnats.PublisherPublishConfig{
		Marshaler:         &wnats.NATSMarshaler{},
		SubjectCalculator: wnats.DefaultSubjectCalculator,
		// The message id becomes Nats-Msg-Id: JetStream drops a republished message within its
		// duplicate window, so a publisher's retry is not a second copy.
		JetStream: wnats.JetStreamConfig{TrackMsgId: true},
	}, wlog)
	if err != nil {
		pubConn.Close()
		admin.Close()
		return nil, fmt.Errorf("nats bus: publisher: %w", err)
	}
	pubJS, err := pubConn.JetStream(natsgo.PublishAsyncMaxPending(4096))
	if err != nil {
		_ = pub.Close()
		admin.Close()
		return nil, fmt.Errorf("nats bus: publisher: %w", err)
	}
	w, err := bus.NewWatermill(bus.WatermillConfig{
		Publisher: splitPublisher{single: pub, js: pubJS},
		Prepare: func(ctx context.Context, topic string) error {
			return ensureStream(ctx, js, topic, opts)
		},
		NewSubscriber: func(topic, group string) (message.Subscriber, error) {
			if err := ensureConsumer(js, topic, group, opts); err != nil {
				return nil, err
			}
			// A connection per subscription: the subscriber drains its connection on Close.
			c, err := connect("subscriber")
			if err != nil {
				return nil, err
			}
			sub, err := wnats.NewSubscriberWithNatsConn(c, wnats.SubscriberSubscriptionConfig{
				Unmarshaler:       &wnats.NATSMarshaler{},
				SubjectCalculator: wnats.DefaultSubjectCalculator,
				QueueGroupPrefix:  group,
				SubscribersCount:  1,
				AckWaitTimeout:    opts.AckWait,
				CloseTimeout:      5 * time.Second,
				JetStream: wnats.JetStreamConfig{
					// An ack is sent without waiting for the server's reply: a lost ack only
					// means a redelivery, which at-least-once consumers absorb, and waiting
					// for each reply halves a subscription's throughput.
					AckAsync:      true,
					DurablePrefix: group,
					// Bind to the consumer ensureConsumer made: nats.go deletes a consumer
					// it created itself, durable or not, when the subscription ends, and
					// the group would then start the stream over at its next subscription.
					SubscribeOptions: []natsgo.SubOpt{natsgo.Bind(topic, group), natsgo.ManualAck()},
				},
			}, quietAfterDrain{wlog})
			if err != nil {
				c.Close()
				return nil, err
			}
			return drainingSubscriber{Subscriber: sub, conn: c}, nil
		},
		OnClose: func() error { admin.Close(); return nil },
	}, logger)
	if err != nil {
		_ = pub.Close()
		admin.Close()
		return nil, fmt.Errorf("nats bus: %w", err)
	}
	return w, nil
}

// ensureStream creates the topic's stream if it is missing.
//
// Creation is tried a few times: nats-server 2.9 removes an account's stream directory when its
// last stream is deleted, and a stream created at that moment fails with "could not create
// storage directory" (seen here in parallel tests); two processes creating the same stream may
// also race. What matters is that the stream is there in the end.
func ensureStream(ctx context.Context, js natsgo.JetStreamContext, topic string, opts Options) error {
	var err error
	for attempt := range 5 {
		if attempt > 0 {
			t := time.NewTimer(time.Duration(attempt) * 20 * time.Millisecond)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		if _, err = js.StreamInfo(topic, natsgo.Context(ctx)); err == nil {
			return nil
		}
		if !errors.Is(err, natsgo.ErrStreamNotFound) {
			continue
		}
		_, err = js.AddStream(&natsgo.StreamConfig{
			Name:       topic,
			Subjects:   []string{topic},
			Storage:    natsgo.FileStorage,
			Retention:  natsgo.LimitsPolicy,
			MaxAge:     opts.MaxAge,
			Replicas:   opts.Replicas,
			Duplicates: 2 * time.Minute,
		}, natsgo.Context(ctx))
		if err == nil || errors.Is(err, natsgo.ErrStreamNameAlreadyInUse) {
			return nil
		}
	}
	return fmt.Errorf("create stream %s: %w", topic, err)
}

// drainingSubscriber drains its connection before the bus ends the subscription's context (see
// bus.Drainer): watermill-nats would otherwise close its output channel while a NATS callback may
// still be sending to it.
type drainingSubscriber struct {
	*wnats.Subscriber
	conn *natsgo.Conn
}

// Drain stops the subscription and waits for the callbacks in flight, then the connection closes.
func (d drainingSubscriber) Drain() error {
	if err := d.conn.Drain(); err != nil && !errors.Is(err, natsgo.ErrConnectionClosed) {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for !d.conn.IsClosed() {
		if time.Now().After(deadline) {
			d.conn.Close()
			return errors.New("drain did not finish within 30 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// Close closes the Watermill subscriber, whose connection the drain has already closed.
func (d drainingSubscriber) Close() error {
	if err := d.Subscriber.Close(); err != nil && !errors.Is(err, natsgo.ErrConnectionClosed) {
		return err
	}
	return nil
}

// quietAfterDrain drops watermill-nats's complaint that it cannot unsubscribe from a connection
// the drain closed on purpose.
type quietAfterDrain struct{ watermill.LoggerAdapter }

func (q quietAfterDrain) Error(msg string, err error, fields watermill.LogFields) {
	if errors.Is(err, natsgo.ErrConnectionClosed) || errors.Is(err, natsgo.ErrConnectionDraining) {
		q.LoggerAdapter.Debug(msg+": "+err.Error(), fields)
		return
	}
	q.LoggerAdapter.Error(msg, err, fields)
}

func (q quietAfterDrain) With(fields watermill.LogFields) watermill.LoggerAdapter {
	return quietAfterDrain{q.LoggerAdapter.With(fields)}
}

// ensureConsumer creates the group's durable push consumer on the topic's stream if it is missing.
func ensureConsumer(js natsgo.JetStreamContext, topic, group string, opts Options) error {
	if _, err := js.ConsumerInfo(topic, group); err == nil {
		return nil
	}
	_, err := js.AddConsumer(topic, &natsgo.ConsumerConfig{
		Durable:        group,
		DeliverSubject: "vigie.deliver." + topic + "." + group,
		DeliverGroup:   group,
		DeliverPolicy:  natsgo.DeliverAllPolicy,
		AckPolicy:      natsgo.AckExplicitPolicy,
		AckWait:        opts.AckWait,
		MaxAckPending:  opts.MaxAckPending,
		FilterSubject:  topic,
	})
	if err != nil {
		// Another member may have created it meanwhile.
		if _, infoErr := js.ConsumerInfo(topic, group); infoErr == nil {
			return nil
		}
		return fmt.Errorf("create consumer %s on stream %s: %w", group, topic, err)
	}
	return nil
}

// splitPublisher publishes one message through watermill-nats, which waits for JetStream's ack of
// each message before sending the next, and a batch asynchronously: every message of the batch is
// sent at once on one connection (so JetStream stores them in order) and Publish returns when
// JetStream has acknowledged them all, each stored (file storage) and deduplicated by id.
type splitPublisher struct {
	single message.Publisher
	js     natsgo.JetStreamContext
}

func (p splitPublisher) Publish(topic string, msgs ...*message.Message) error {
	if len(msgs) == 1 {
		return p.single.Publish(topic, msgs...)
	}
	marshaler := wnats.NATSMarshaler{}
	futures := make([]natsgo.PubAckFuture, 0, len(msgs))
	for _, m := range msgs {
		nm, err := marshaler.Marshal(topic, m)
		if err != nil {
			return fmt.Errorf("marshal message %s: %w", m.UUID, err)
		}
		f, err := p.js.PublishMsgAsync(nm, natsgo.MsgId(m.UUID))
		if err != nil {
			return fmt.Errorf("publish message %s: %w", m.UUID, err)
		}
		futures = append(futures, f)
	}
	timeout := time.NewTimer(30 * time.Second)
	defer timeout.Stop()
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("message %s: JetStream did not store it: %w", msgs[i].UUID, err)
		case <-timeout.C:
			return fmt.Errorf("message %s: no ack from JetStream within 30 s", msgs[i].UUID)
		}
	}
	return nil
}

func (p splitPublisher) Close() error { return p.single.Close() }
