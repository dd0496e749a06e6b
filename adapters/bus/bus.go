// Package bus is the port for what crosses a process boundary in a multi-node deployment: the
// event log forwarded to projectors and notifiers in other processes, and commands from ingestion
// nodes. Adapters wrap Watermill Pub/Subs: gochannel (in-process, the embedded default), amqp
// (RabbitMQ) and nats (NATS JetStream). Every adapter passes bustest.Run.
//
// Delivery is at least once: a message is acknowledged only when its handler returns nil, a handler
// error or a consumer crash makes the broker deliver it again, and a publisher may publish a
// message twice when it cannot know whether the first attempt landed. Consumers are therefore
// idempotent: log messages carry their global position (see LogConsumer), commands an id.
package bus

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
)

// ErrClosed is returned by every method once Close was called, and by Wait of the subscriptions
// it stopped.
var ErrClosed = errors.New("bus closed")

// Message is one message on a topic.
type Message struct {
	// ID identifies the message: deliveries with the same ID are the same message. Required.
	ID string
	// Metadata travels beside the payload (content type, position, correlation id).
	Metadata map[string]string
	Payload  []byte
}

// Handler processes one delivery. Returning nil acknowledges the message; an error makes the broker
// deliver it again (nack). A subscription calls its handler for one message at a time.
type Handler func(ctx context.Context, m Message) error

// Bus publishes and subscribes.
type Bus interface {
	// Publish sends messages to topic, in order. It returns once the broker has them (durably,
	// for the durable adapters).
	Publish(ctx context.Context, topic string, msgs ...Message) error
	// Subscribe consumes topic as a member of group. Each group receives every message of the
	// topic (fan-out); members of one group share its messages (competing consumers), where the
	// adapter supports it. It returns once the subscription is in place; from then on nothing
	// published is lost for the group, even while none of its members runs (durable adapters).
	// Messages go to h in the background until ctx ends or the bus is closed.
	Subscribe(ctx context.Context, topic, group string, h Handler) (*Subscription, error)
	Close() error
}

// Subscription is a running subscription.
type Subscription struct {
	done chan struct{}
	mu   sync.Mutex
	err  error
}

// newSubscription returns a subscription and the function that ends it.
func newSubscription() (*Subscription, func(error)) {
	s := &Subscription{done: make(chan struct{})}
	var once sync.Once
	return s, func(err error) {
		once.Do(func() {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			close(s.done)
		})
	}
}

// Done is closed when the subscription has stopped.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Wait blocks until the subscription has stopped and returns why: the context's error, ErrClosed,
// or the broker's.
func (s *Subscription) Wait() error {
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// names are what every broker accepts as an exchange, queue, stream, subject and durable name:
// NATS refuses '.', '*', '>' and spaces in stream names.
var names = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// ValidName checks a topic or group name.
func ValidName(kind, name string) error {
	if !names.MatchString(name) {
		return fmt.Errorf("%s %q: want 1 to 128 letters, digits, '_' or '-', starting with a letter or digit", kind, name)
	}
	return nil
}

// ValidMessages checks what Publish is given.
func ValidMessages(topic string, msgs []Message) error {
	errs := []error{ValidName("topic", topic)}
	if len(msgs) == 0 {
		errs = append(errs, errors.New("no messages"))
	}
	for i, m := range msgs {
		if m.ID == "" {
			errs = append(errs, fmt.Errorf("message %d has no id", i))
		}
	}
	return errors.Join(errs...)
}
