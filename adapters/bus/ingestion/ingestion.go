// Package ingestion carries the readings of an ingestion node (one that only runs the field
// sources: MQTT, OPC-UA, close to the gateways and PLCs, without the database) to the nodes that
// store them, over the bus, as commands with a reply. The field source keeps its own contract: a
// batch is acknowledged to the gateway only once it is durable, and a refused batch is told
// apart from one that could not be stored now; the reply carries the per-item outcomes.
//
// A command is delivered at least once: a node that dies after storing and before replying
// makes the client send it again (after its timeout), or the broker give it to another node, and
// the second run finds the readings already stored (duplicates: same sensor and time). So a
// reading is never lost and never stored twice.
package ingestion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/commands"
)

// Topics and groups.
const (
	CommandsTopic = "ingest-commands"
	// StoresGroup shares the commands between the storing nodes.
	StoresGroup = "stores"
	// replyPrefix + the node's name is the node's reply topic.
	replyPrefix = "ingest-replies-"
	replyGroup  = "client"
	metaReplyTo = "vigie_reply_to"
)

// Ingester stores readings (commands.Ingester).
type Ingester interface {
	Handle(ctx context.Context, cmd commands.IngestReadings) (commands.IngestResult, error)
}

// command is commands.IngestReadings on the wire (without Allowed: scoped commands are the API's,
// which stores them itself).
type command struct {
	Items         []commands.Item `json:"items"`
	Actor         string          `json:"actor"`
	CorrelationID string          `json:"correlation_id,omitempty"`
}

// reply is the answer to a command: a result, or the problems of a refused command.
type reply struct {
	Result   *commands.IngestResult `json:"result,omitempty"`
	Problems []commands.ItemProblem `json:"problems,omitempty"`
	Refused  bool                   `json:"refused,omitempty"`
	Forbid   bool                   `json:"forbidden,omitempty"`
}

// ErrNoReply: no storing node answered in time. Nothing is known of the readings: send them
// again (they are idempotent).
var ErrNoReply = errors.New("no storing node answered the readings")

// ClientConfig tunes a Client.
type ClientConfig struct {
	// Node names this node: its replies come on a topic of its own. Letters, digits, '_', '-'.
	Node string
	// Timeout is how long Handle waits for the reply; default 30 s.
	Timeout time.Duration
}

// Client is the ingestion node's Ingester: it sends the commands over the bus.
type Client struct {
	bus    bus.Bus
	cfg    ClientConfig
	logger *slog.Logger

	mu      sync.Mutex
	waiting map[string]chan reply
	seq     uint64
	started bool
}

// NewClient refuses nil dependencies, a bad node name and a negative timeout.
func NewClient(b bus.Bus, cfg ClientConfig, logger *slog.Logger) (*Client, error) {
	var errs []error
	if b == nil {
		errs = append(errs, errors.New("nil bus"))
	}
	if logger == nil {
		errs = append(errs, errors.New("nil logger"))
	}
	errs = append(errs, bus.ValidName("node", cfg.Node))
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s is negative", cfg.Timeout))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new ingestion client: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Client{bus: b, cfg: cfg, logger: logger, waiting: map[string]chan reply{}}, nil
}

func (c *Client) replyTopic() string { return replyPrefix + c.cfg.Node }

// Start subscribes to the node's replies; call it before Handle. The subscription runs until ctx
// ends.
func (c *Client) Start(ctx context.Context) (*bus.Subscription, error) {
	sub, err := c.bus.Subscribe(ctx, c.replyTopic(), replyGroup, func(_ context.Context, m bus.Message) error {
		var r reply
		if err := json.Unmarshal(m.Payload, &r); err != nil {
			c.logger.Error("undecodable ingestion reply dropped", "message", m.ID, "err", err)
			return nil
		}
		c.mu.Lock()
		ch, ok := c.waiting[m.ID]
		delete(c.waiting, m.ID)
		c.mu.Unlock()
		if ok {
			ch <- r // buffered
		}
		// A reply nobody waits for (the wait timed out, the node restarted) is dropped: the
		// readings were sent again, or will be.
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingestion replies: %w", err)
	}
	c.mu.Lock()
	c.started = true
	c.mu.Unlock()
	return sub, nil
}

// Handle sends cmd to a storing node and returns its result, once the readings are durable. A
// refused command comes back as the *commands.InvalidReadingsError the storing node gave.
func (c *Client) Handle(ctx context.Context, cmd commands.IngestReadings) (commands.IngestResult, error) {
	if cmd.Allowed != nil {
		return commands.IngestResult{}, errors.New("ingestion client: a command scoped to an API key cannot cross the bus")
	}
	payload, err := json.Marshal(command{Items: cmd.Items, Actor: cmd.Actor, CorrelationID: cmd.CorrelationID})
	if err != nil {
		return commands.IngestResult{}, fmt.Errorf("encode readings command: %w", err)
	}
	ch := make(chan reply, 1)
	c.mu.Lock()
	if !c.started {
		c.mu.Unlock()
		return commands.IngestResult{}, errors.New("ingestion client: not started")
	}
	c.seq++
	id := c.cfg.Node + ":" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":" + strconv.FormatUint(c.seq, 36)
	c.waiting[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.waiting, id)
		c.mu.Unlock()
	}()
	m := bus.Message{ID: id, Metadata: map[string]string{metaReplyTo: c.replyTopic()}, Payload: payload}
	if err := c.bus.Publish(ctx, CommandsTopic, m); err != nil {
		return commands.IngestResult{}, fmt.Errorf("send %d readings: %w", len(cmd.Items), err)
	}
	t := time.NewTimer(c.cfg.Timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		if r.Refused {
			return commands.IngestResult{}, &commands.InvalidReadingsError{Problems: r.Problems, Forbidden: r.Forbid}
		}
		if r.Result == nil {
			return commands.IngestResult{}, fmt.Errorf("send %d readings: a reply with neither result nor problems", len(cmd.Items))
		}
		return *r.Result, nil
	case <-t.C:
		return commands.IngestResult{}, fmt.Errorf("send %d readings: after %s: %w", len(cmd.Items), c.cfg.Timeout, ErrNoReply)
	case <-ctx.Done():
		return commands.IngestResult{}, ctx.Err()
	}
}

// Serve stores the commands the ingestion nodes send, through ing, and replies, until ctx ends.
// A command that could not be stored now (the database away) is left to the broker, which
// delivers it again (to this node or another); a refused one is answered with its problems.
func Serve(ctx context.Context, b bus.Bus, ing Ingester, logger *slog.Logger) (*bus.Subscription, error) {
	if b == nil || ing == nil || logger == nil {
		return nil, errors.New("serve ingestion commands: nil bus, ingester or logger")
	}
	var mu sync.Mutex
	seen := map[string]bool{} // the reply topics heard from, for the log
	sub, err := b.Subscribe(ctx, CommandsTopic, StoresGroup, func(ctx context.Context, m bus.Message) error {
		to := m.Metadata[metaReplyTo]
		var cmd command
		if err := json.Unmarshal(m.Payload, &cmd); err != nil || bus.ValidName("reply topic", to) != nil {
			logger.Error("undecodable readings command dropped", "message", m.ID, "reply_to", to, "err", err)
			return nil // redelivering it would not make it readable; its sender times out and says so
		}
		mu.Lock()
		if !seen[to] {
			seen[to] = true
			logger.Info("storing readings from an ingest node", "node", strings.TrimPrefix(to, replyPrefix), "actor", cmd.Actor)
		}
		mu.Unlock()
		res, err := ing.Handle(ctx, commands.IngestReadings{Items: cmd.Items, Actor: cmd.Actor, CorrelationID: cmd.CorrelationID})
		var r reply
		var invalid *commands.InvalidReadingsError
		switch {
		case errors.As(err, &invalid):
			r = reply{Refused: true, Problems: invalid.Problems, Forbid: invalid.Forbidden}
		case err != nil:
			logger.Warn("readings command not stored; the broker delivers it again", "message", m.ID, "actor", cmd.Actor, "err", err)
			return err
		default:
			r = reply{Result: &res}
		}
		payload, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode reply to %s: %w", m.ID, err)
		}
		// A reply that cannot be published is not worth a redelivery: the readings are stored,
		// the sender times out and sends them again, and they come back as duplicates.
		if err := b.Publish(ctx, to, bus.Message{ID: m.ID, Payload: payload}); err != nil {
			logger.Warn("reply to a readings command not sent", "message", m.ID, "reply_to", to, "err", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingestion commands: %w", err)
	}
	return sub, nil
}
