package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/amqp"
	"github.com/vigie/vigie/adapters/bus/nats"
	"github.com/vigie/vigie/adapters/notify/jobs"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
)

// alarmEventsTopic carries the alarm and cascade streams of the log to the notifier, forwarded by
// the projecting node (docs/deploy.md, "The bus in vigie serve").
const alarmEventsTopic = "alarm-events"

// openBus connects to the broker of --bus: amqp:// (RabbitMQ) or nats:// (NATS JetStream); nil
// without one (every role in one process, nothing crosses a process boundary).
func openBus(url, prefix string, logger *slog.Logger) (bus.Bus, error) {
	b, err := openBroker(url, logger)
	if err != nil || b == nil {
		return nil, err
	}
	p, err := bus.NewPrefixed(b, prefix)
	if err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("--bus-prefix: %w", err)
	}
	return p, nil
}

func openBroker(url string, logger *slog.Logger) (bus.Bus, error) {
	switch scheme(url) {
	case "":
		if url != "" {
			return nil, fmt.Errorf("--bus %q: want amqp://… (RabbitMQ) or nats://… (NATS JetStream)", url)
		}
		return nil, nil
	case "amqp", "amqps":
		b, err := amqp.New(url, amqp.Options{}, logger.With("component", "bus"))
		if err != nil {
			return nil, fmt.Errorf("--bus: %w", err)
		}
		return b, nil
	case "nats", "tls":
		b, err := nats.New(url, nats.Options{}, logger.With("component", "bus"))
		if err != nil {
			return nil, fmt.Errorf("--bus: %w", err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("--bus %s: unknown scheme %q: want amqp://… (RabbitMQ) or nats://… (NATS JetStream)", redactURL(url), scheme(url))
	}
}

// defaultNode names this node on the bus: the host and the port it listens on, so that the
// nodes of one host differ and a node keeps its name across restarts.
func defaultNode(addr string) string {
	host, _ := os.Hostname()
	port := "8080"
	if _, p, err := net.SplitHostPort(addr); err == nil {
		port = p
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, host+"-"+port)
	return strings.TrimLeft(name, "-_")
}

// viewCheckpoints keeps the forwarder's checkpoint in the read store, beside the projections'.
type viewCheckpoints struct {
	views interface {
		Checkpoint(ctx context.Context, projection string) (uint64, error)
		Commit(ctx context.Context, projection string, position uint64, b readstore.Batch) error
	}
}

func (c viewCheckpoints) Load(ctx context.Context, name string) (uint64, error) {
	return c.views.Checkpoint(ctx, name)
}

func (c viewCheckpoints) Save(ctx context.Context, name string, position uint64) error {
	return c.views.Commit(ctx, name, position, readstore.Batch{})
}

// newAlarmForwarder publishes the alarm and cascade streams of the log for the notifier.
func newAlarmForwarder(st *stores, b bus.Bus, logger *slog.Logger) (*bus.Forwarder, error) {
	f, err := bus.NewForwarder(st.events, b, alarmEventsTopic, viewCheckpoints{views: st.views}, logger.With("component", "forwarder"))
	if err != nil {
		return nil, err
	}
	f.SetFilter(bus.StreamPrefixes(alarm.Category+"-", cascade.Category+"-"))
	return f, nil
}

// answerRouter takes the operators' answers on any node: the notify leader's engine handles them
// itself; another node forwards them to it on the bus (jobs.Inbound).
type answerRouter struct {
	leader  func() bool
	engine  *commands.CascadeEngine
	forward jobs.Target // nil without a bus
}

var _ jobs.Target = answerRouter{}

func (r answerRouter) target() jobs.Target {
	if r.forward == nil || r.leader() {
		return r.engine
	}
	return r.forward
}

func (r answerRouter) Reply(ctx context.Context, fromPhone, text string, at time.Time) error {
	return r.target().Reply(ctx, fromPhone, text, at)
}

func (r answerRouter) Delivered(ctx context.Context, providerID string) error {
	return r.target().Delivered(ctx, providerID)
}

func (r answerRouter) Failed(ctx context.Context, providerID, reason string) error {
	return r.target().Failed(ctx, providerID, reason)
}

func (r answerRouter) AckByVoice(ctx context.Context, alarmID, operator string) error {
	return r.target().AckByVoice(ctx, alarmID, operator)
}

func (r answerRouter) AckByLink(ctx context.Context, alarmID, operator string) error {
	return r.target().AckByLink(ctx, alarmID, operator)
}

// refusedForGood tells a forwarded answer the engine will never take (it names no alarm, the
// alarm is over) from one it could not take now (the store is away): the first is dropped, as
// the webhook would have answered it; the second is delivered again.
func refusedForGood(err error) bool {
	for _, e := range []error{
		commands.ErrNoAlarmForReply, commands.ErrUnknownScope, cascade.ErrUnknownNotification, cascade.ErrInvalidInput,
		alarm.ErrNotRaised, alarm.ErrNotActive, alarm.ErrAlreadyClosed, alarm.ErrShelved, alarm.ErrOutOfService,
		alarm.ErrOperatorRequired, alarm.ErrInvalidChannel,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
