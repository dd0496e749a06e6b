package mqtt

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"
	"github.com/eclipse/paho.golang/paho/session"
	"github.com/eclipse/paho.golang/paho/session/state"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
)

// Ingester stores readings durably: commands.Ingester satisfies it.
type Ingester interface {
	Handle(ctx context.Context, cmd commands.IngestReadings) (commands.IngestResult, error)
}

var _ Ingester = (*commands.Ingester)(nil)

// State is the connectivity of the subscriber, for a technical alarm ("no field data from the
// broker since ...").
type State struct {
	// Connected is true once the broker accepted the connection and every subscription.
	Connected bool
	// Since is when Connected last changed (when Run started, before the first connection).
	Since time.Time
	// LastError is why the last connection attempt, subscription or connection failed.
	LastError string
}

// Stats count what the subscriber did since it was created.
type Stats struct {
	// Messages received, redeliveries included.
	Messages uint64
	// Stored: messages whose readings the ingester took (each reading accepted, duplicate or
	// rejected as a conflicting value).
	Stored uint64
	// Readings of the stored messages, by outcome.
	Accepted, Duplicates, Rejected uint64
	// Malformed: messages that could not be read (see ParsePayload); Refused: messages the
	// ingester refused whole (unknown sensor, non-finite value, time far ahead...). Both are
	// acknowledged and never redelivered.
	Malformed, Refused uint64
	// DeadLettered: malformed or refused messages republished to the dead-letter topic.
	DeadLettered uint64
	// StoreRetries: attempts to store that failed for a reason that may pass (the event store is
	// unavailable); the message stays unacknowledged until one succeeds.
	StoreRetries uint64
}

// User properties of a dead letter.
const (
	PropTopic  = "vigie-topic"  // the topic the message was published to
	PropReason = "vigie-reason" // why it was not ingested
)

// Subscriber ingests readings published to an MQTT 5 broker. Each message is acknowledged only
// once the ingester has stored it durably, or refused it for good: a reading is never lost
// between the broker and the event store, and a message Vigie cannot read is never redelivered
// forever.
type Subscriber struct {
	cfg      Config
	ing      Ingester
	log      *slog.Logger
	broker   *url.URL
	tls      *tls.Config
	patterns []*pattern
	now      func() time.Time

	running atomic.Bool
	leaving atomic.Bool   // Run is disconnecting for good: connections close gracefully (lingerConn)
	acked   atomic.Uint64 // acknowledgements handed to paho
	mu      sync.Mutex
	state   State
	stats   struct {
		messages, stored, accepted, duplicates, rejected, malformed, refused, deadLettered, retries atomic.Uint64
	}
}

// New checks the configuration, reads the TLS files and refuses nil dependencies.
func New(cfg Config, ing Ingester, logger *slog.Logger) (*Subscriber, error) {
	var errs []error
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if ing == nil {
		errs = append(errs, errors.New("mqtt: ingester is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("mqtt: logger is nil"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new mqtt subscriber: %w", err)
	}
	cfg.setDefaults()
	s := &Subscriber{cfg: cfg, ing: ing, log: logger.With("adapter", "mqtt"), now: time.Now}
	u, _ := url.Parse(cfg.Broker)
	if u.Port() == "" {
		port := "1883"
		if u.Scheme == "mqtts" {
			port = "8883"
		}
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	s.broker = u
	if u.Scheme == "mqtts" {
		t, err := cfg.tlsConfig(u.Hostname())
		if err != nil {
			return nil, fmt.Errorf("new mqtt subscriber: %w", err)
		}
		s.tls = t
	}
	for _, sub := range cfg.Subscriptions {
		p, _ := compile(sub) // checked by Validate
		s.patterns = append(s.patterns, p)
	}
	return s, nil
}

// State returns the connectivity now.
func (s *Subscriber) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Stats returns the counters now.
func (s *Subscriber) Stats() Stats {
	c := &s.stats
	return Stats{
		Messages: c.messages.Load(), Stored: c.stored.Load(), Accepted: c.accepted.Load(),
		Duplicates: c.duplicates.Load(), Rejected: c.rejected.Load(), Malformed: c.malformed.Load(),
		Refused: c.refused.Load(), DeadLettered: c.deadLettered.Load(), StoreRetries: c.retries.Load(),
	}
}

func (s *Subscriber) setConnected(up bool, lastErr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if up != s.state.Connected {
		s.state.Connected = up
		s.state.Since = s.now()
	}
	if lastErr != "" {
		s.state.LastError = lastErr
	}
}

func (s *Subscriber) setLastError(e string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.LastError = e
}

// message is a PUBLISH waiting for a worker, with the connection it came on (its acknowledgement
// must go back on that one).
type message struct {
	pub      *paho.Publish
	client   *paho.Client
	received time.Time
}

// Run connects, subscribes and ingests until ctx is cancelled, reconnecting with back-off
// whenever the connection drops. It returns nil once ctx is cancelled; messages being stored at
// that moment are left unacknowledged and the broker delivers them again to the next session
// (they are then found to be duplicates). Before returning it sends the acknowledgements of what
// was stored and waits, at most 2 s, for the broker to close the connection after DISCONNECT,
// so that a session started right after (a restart) is not handed them again.
func (s *Subscriber) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("mqtt: Run called twice")
	}
	s.mu.Lock()
	s.state = State{Since: s.now()}
	s.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queues := make([]chan message, s.cfg.Workers)
	var workers sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan message, s.cfg.InFlight)
		workers.Add(1)
		go func() {
			defer workers.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case m := <-queues[i]:
					s.process(ctx, m)
				}
			}
		}()
	}

	// The connection outlives the workers, so that the acknowledgements of what they stored
	// are sent before Vigie disconnects.
	connCtx, disconnect := context.WithCancel(context.WithoutCancel(ctx))
	defer disconnect()
	sess := &countingSession{SessionManager: state.NewInMemory(), sent: make(chan struct{}, 1)}
	defer sess.Close()
	cm, err := autopaho.NewConnection(connCtx, s.clientConfig(ctx, queues, sess))
	if err != nil {
		cancel()
		workers.Wait()
		return fmt.Errorf("mqtt: connect to %s: %w", s.broker.Host, err)
	}
	<-ctx.Done()
	workers.Wait()
	sess.flushed(s.acked.Load(), time.Second)
	s.leaving.Store(true)
	disconnect()
	<-cm.Done() // no callback outlives Run
	s.setConnected(false, "")
	return nil
}

// countingSession counts the acknowledgements paho actually writes (it sends them in order, from
// a ticker), so that Run can wait for them before disconnecting.
type countingSession struct {
	session.SessionManager
	n    atomic.Uint64
	sent chan struct{}
}

func (c *countingSession) Ack(pb *packets.Publish) error {
	err := c.SessionManager.Ack(pb)
	c.n.Add(1)
	select {
	case c.sent <- struct{}{}:
	default:
	}
	return err
}

// flushed waits until want acknowledgements were written, at most for max (those of a connection
// that dropped are never written: the broker redelivers the messages, read as duplicates).
func (c *countingSession) flushed(want uint64, max time.Duration) {
	timeout := time.After(max)
	for c.n.Load() < want {
		select {
		case <-c.sent:
		case <-timeout:
			return
		}
	}
}

func (s *Subscriber) clientConfig(ctx context.Context, queues []chan message, sess session.SessionManager) autopaho.ClientConfig {
	inFlight := uint16(s.cfg.InFlight)
	expiry := uint32(s.cfg.SessionExpiry / time.Second)
	var connected atomic.Bool // a connection was made before: a missing session then loses data
	return autopaho.ClientConfig{
		ServerUrls: []*url.URL{s.broker},
		AttemptConnection: func(ctx context.Context, _ autopaho.ClientConfig, u *url.URL) (net.Conn, error) {
			return s.dial(ctx, u)
		},
		KeepAlive:                     uint16(s.cfg.KeepAlive / time.Second),
		CleanStartOnInitialConnection: false,
		SessionExpiryInterval:         expiry,
		ConnectTimeout:                s.cfg.ConnectTimeout,
		ReconnectBackoff:              s.backoff,
		ConnectUsername:               s.cfg.Username,
		ConnectPassword:               []byte(s.cfg.Password),
		ConnectPacketBuilder: func(c *paho.Connect, _ *url.URL) (*paho.Connect, error) {
			if c.Properties == nil {
				c.Properties = &paho.ConnectProperties{}
			}
			// The broker sends no more unacknowledged messages than the workers' queues hold.
			c.Properties.ReceiveMaximum = &inFlight
			return c, nil
		},
		OnConnectionUp: func(cm *autopaho.ConnectionManager, ack *paho.Connack) {
			if !ack.SessionPresent && connected.Load() {
				s.log.Error("the broker had lost Vigie's session: readings published while Vigie was disconnected may be lost (check the broker's persistence and session expiry)", "broker", s.broker.Host)
			}
			connected.Store(true)
			s.log.Info("connected to the MQTT broker", "broker", s.broker.Host, "session_present", ack.SessionPresent)
			go s.subscribe(ctx, cm)
		},
		OnConnectionDown: func() bool {
			s.setConnected(false, "")
			s.log.Warn("connection to the MQTT broker lost, reconnecting", "broker", s.broker.Host)
			return true
		},
		OnConnectError: func(err error) {
			s.setConnected(false, err.Error())
			s.log.Warn("cannot connect to the MQTT broker", "broker", s.broker.Host, "err", err)
		},
		ClientConfig: paho.ClientConfig{
			ClientID:                   s.cfg.ClientID,
			Session:                    sess,
			EnableManualAcknowledgment: true,
			SendAcksInterval:           10 * time.Millisecond,
			OnPublishReceived: []func(paho.PublishReceived) (bool, error){func(pr paho.PublishReceived) (bool, error) {
				m := message{pub: pr.Packet, client: pr.Client, received: s.now()}
				h := fnv.New32a()
				h.Write([]byte(m.pub.Topic))
				select {
				case queues[h.Sum32()%uint32(len(queues))] <- m:
				case <-ctx.Done():
				}
				return true, nil
			}},
			OnClientError: func(err error) {
				s.setLastError(err.Error())
				s.log.Warn("MQTT connection error", "broker", s.broker.Host, "err", err)
			},
			OnServerDisconnect: func(d *paho.Disconnect) {
				reason := fmt.Sprintf("the broker disconnected (reason code %d)", d.ReasonCode)
				if d.Properties != nil && d.Properties.ReasonString != "" {
					reason += ": " + d.Properties.ReasonString
				}
				s.setLastError(reason)
				s.log.Warn("MQTT broker disconnected Vigie", "broker", s.broker.Host, "reason", reason)
			},
		},
	}
}

// backoff is exponential from ReconnectMin to ReconnectMax; attempt 0 (just after a drop) is
// immediate.
func (s *Subscriber) backoff(attempt int) time.Duration {
	if attempt <= 0 {
		return 0
	}
	d := s.cfg.ReconnectMin
	for i := 1; i < attempt && d < s.cfg.ReconnectMax; i++ {
		d *= 2
	}
	return min(d, s.cfg.ReconnectMax)
}

// subscribe (re)subscribes every topic at QoS 1 on a new connection, retrying while the broker
// refuses and the connection lasts. Retained messages are not requested: a retained reading is a
// snapshot of unknown age, and plain numbers would be stamped with the time of subscription.
func (s *Subscriber) subscribe(ctx context.Context, cm *autopaho.ConnectionManager) {
	sub := &paho.Subscribe{}
	for _, p := range s.patterns {
		sub.Subscriptions = append(sub.Subscriptions, paho.SubscribeOptions{Topic: p.filter, QoS: 1, RetainHandling: 2})
	}
	delay := s.cfg.ReconnectMin
	for {
		ack, err := cm.Subscribe(ctx, sub)
		var refused []string
		if err == nil {
			for i, code := range ack.Reasons {
				switch {
				case code >= 0x80:
					refused = append(refused, fmt.Sprintf("%s (reason code %d)", sub.Subscriptions[i].Topic, code))
				case code == 0:
					s.log.Error("the broker granted QoS 0 only: readings may be lost across a reconnection", "topic", sub.Subscriptions[i].Topic)
				}
			}
			if len(refused) == 0 {
				s.setConnected(true, "")
				s.log.Info("subscribed", "topics", len(sub.Subscriptions))
				return
			}
			err = fmt.Errorf("the broker refused the subscription to %v", refused)
		}
		if ctx.Err() != nil || errors.Is(err, autopaho.ConnectionDownError) {
			return // the next connection subscribes again
		}
		s.setConnected(false, err.Error())
		s.log.Error("cannot subscribe, retrying", "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, s.cfg.ReconnectMax)
	}
}

// process reads, stores and acknowledges one message.
func (s *Subscriber) process(ctx context.Context, m message) {
	s.stats.messages.Add(1)
	items, err := s.parse(m)
	if err != nil {
		s.stats.malformed.Add(1)
		s.reject(ctx, m, err)
		return
	}
	cmd := commands.IngestReadings{Items: items, Actor: "mqtt:" + m.pub.Topic, CorrelationID: correlationID(m.pub)}
	delay := 100 * time.Millisecond
	for {
		res, err := s.ing.Handle(ctx, cmd)
		var invalid *commands.InvalidReadingsError
		switch {
		case err == nil:
			s.stored(m, cmd, res)
			s.ack(m)
			return
		case errors.As(err, &invalid):
			s.stats.refused.Add(1)
			s.reject(ctx, m, err)
			return
		case ctx.Err() != nil:
			return // shutting down: unacknowledged, the broker redelivers it
		}
		s.stats.retries.Add(1)
		s.log.Warn("cannot store an MQTT message, retrying; it stays unacknowledged", "topic", m.pub.Topic, "correlation_id", cmd.CorrelationID, "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, s.cfg.RetryMax)
	}
}

func (s *Subscriber) parse(m message) ([]commands.Item, error) {
	if len(m.pub.Payload) > s.cfg.MaxPayloadBytes {
		return nil, &PayloadError{Index: -1, Reason: fmt.Sprintf("payload of %d bytes exceeds max_payload_bytes %d", len(m.pub.Payload), s.cfg.MaxPayloadBytes)}
	}
	for _, p := range s.patterns {
		caps, ok := p.captures(m.pub.Topic)
		if !ok {
			continue
		}
		id, err := p.sensorFor(caps)
		if err != nil {
			return nil, &PayloadError{Index: -1, Reason: err.Error()}
		}
		return ParsePayload(m.pub.Payload, id, m.received, s.cfg.MaxReadings)
	}
	return nil, &PayloadError{Index: -1, Reason: "the topic matches no subscription"}
}

func (s *Subscriber) stored(m message, cmd commands.IngestReadings, res commands.IngestResult) {
	s.stats.stored.Add(1)
	accepted, duplicate, rejected := res.Counts()
	s.stats.accepted.Add(uint64(accepted))
	s.stats.duplicates.Add(uint64(duplicate))
	s.stats.rejected.Add(uint64(rejected))
	for i, o := range res.Outcomes {
		if o.Status == gauge.Rejected {
			s.log.Warn("MQTT reading rejected", "topic", m.pub.Topic, "correlation_id", cmd.CorrelationID, "sensor", cmd.Items[i].Sensor, "time", cmd.Items[i].Time, "reason", o.Reason)
		}
	}
}

// reject logs, dead-letters and acknowledges a message that will never be ingested.
func (s *Subscriber) reject(ctx context.Context, m message, why error) {
	dead := false
	if s.cfg.DeadLetterTopic != "" {
		dead = s.deadLetter(ctx, m, why)
	}
	s.log.Warn("MQTT message not ingested", "topic", m.pub.Topic, "reason", why.Error(), "payload", clip(string(m.pub.Payload)), "dead_lettered", dead)
	s.ack(m)
}

func (s *Subscriber) deadLetter(ctx context.Context, m message, why error) bool {
	props := &paho.PublishProperties{User: paho.UserProperties{
		{Key: PropTopic, Value: m.pub.Topic},
		{Key: PropReason, Value: clip(why.Error())},
	}}
	if m.pub.Properties != nil {
		props.ContentType = m.pub.Properties.ContentType
		props.PayloadFormat = m.pub.Properties.PayloadFormat
		props.CorrelationData = m.pub.Properties.CorrelationData
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ConnectTimeout)
	defer cancel()
	_, err := m.client.Publish(ctx, &paho.Publish{QoS: 1, Topic: s.cfg.DeadLetterTopic, Payload: m.pub.Payload, Properties: props})
	if err != nil {
		s.log.Error("cannot publish a dead letter", "topic", m.pub.Topic, "dead_letter_topic", s.cfg.DeadLetterTopic, "err", err)
		return false
	}
	s.stats.deadLettered.Add(1)
	return true
}

// ack acknowledges on the connection the message came on. If that connection is gone, the
// broker delivers the message again on the next one, where it is found to be a duplicate.
func (s *Subscriber) ack(m message) {
	if m.pub.QoS == 0 {
		return
	}
	select {
	case <-m.client.Done():
		return
	default:
	}
	if err := m.client.Ack(m.pub); err != nil {
		s.log.Debug("acknowledgement not sent", "topic", m.pub.Topic, "err", err)
		return
	}
	s.acked.Add(1)
}

// correlationID is the message's MQTT 5 correlation data when it is short printable text, else
// a random id: it ties the stored events to the log lines of this message.
func correlationID(p *paho.Publish) string {
	if p.Properties != nil {
		if c := p.Properties.CorrelationData; len(c) > 0 && len(c) <= 64 && printable(c) {
			return "mqtt:" + string(c)
		}
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "mqtt:" + hex.EncodeToString(b[:])
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}
