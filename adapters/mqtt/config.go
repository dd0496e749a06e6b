package mqtt

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults of the zero fields of Config.
const (
	DefaultKeepAlive       = 30 * time.Second
	DefaultSessionExpiry   = 24 * time.Hour
	DefaultConnectTimeout  = 10 * time.Second
	DefaultMaxPayloadBytes = 64 << 10
	DefaultMaxReadings     = 1000
	DefaultInFlight        = 64
	DefaultWorkers         = 4
	DefaultReconnectMin    = time.Second
	DefaultReconnectMax    = 30 * time.Second
	// DefaultRetryMax bounds the wait between two attempts to store a message while the event
	// store fails.
	DefaultRetryMax = 30 * time.Second
)

// maxSessionExpiry is the largest finite MQTT 5 session expiry (0xFFFFFFFF means "never").
const maxSessionExpiry = time.Duration(math.MaxUint32-1) * time.Second

// Config configures MQTT ingestion. It is the `field.mqtt` block of the configuration file; zero
// fields take the defaults above.
type Config struct {
	// Broker is the server URL: mqtt://host:1883 (clear) or mqtts://host:8883 (TLS).
	Broker string `yaml:"broker"`
	// ClientID names Vigie's session on the broker. It must be stable across restarts and unique
	// on the broker: the broker keeps the session (subscriptions and queued QoS 1 messages) under
	// this name while Vigie is away.
	ClientID string `yaml:"client_id"`
	// Username and Password authenticate to the broker; a password is only sent over TLS or to a
	// loopback broker. Neither ever appears in a log or an error.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	TLS      TLS    `yaml:"tls"`

	// Subscriptions say where readings are published and how a topic names a sensor.
	Subscriptions []Subscription `yaml:"subscriptions"`
	// DeadLetterTopic, when set, receives every message that cannot be ingested (malformed,
	// unknown sensor...), with the reason and the original topic in user properties.
	DeadLetterTopic string `yaml:"dead_letter_topic"`

	// KeepAlive is the MQTT keep-alive: a dead connection is noticed within 1.5 times this.
	KeepAlive time.Duration `yaml:"keep_alive"`
	// SessionExpiry is how long the broker keeps Vigie's session, and queues readings for it, while
	// Vigie is disconnected. Readings published during a longer absence are lost.
	SessionExpiry  time.Duration `yaml:"session_expiry"`
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// ReconnectMin and ReconnectMax bound the exponential back-off between connection attempts.
	ReconnectMin time.Duration `yaml:"reconnect_min"`
	ReconnectMax time.Duration `yaml:"reconnect_max"`

	// MaxPayloadBytes and MaxReadings bound one message; a larger one is refused as malformed.
	MaxPayloadBytes int `yaml:"max_payload_bytes"`
	MaxReadings     int `yaml:"max_readings"`
	// InFlight is the MQTT 5 receive maximum: how many messages the broker may send before Vigie
	// has stored and acknowledged them.
	InFlight int `yaml:"in_flight"`
	// Workers store messages concurrently; messages of one topic are always stored in order.
	Workers int `yaml:"workers"`
	// RetryMax bounds the back-off while the event store refuses a message for a reason that may
	// pass (the message stays unacknowledged meanwhile).
	RetryMax time.Duration `yaml:"retry_max"`
}

// TLS configures mqtts:// connections. The broker's certificate is always verified: against
// CAFile when given, otherwise against the system's roots.
type TLS struct {
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile, when given, authenticate Vigie with a client certificate.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// ServerName overrides the name checked in the broker's certificate (default: the URL's host).
	ServerName string `yaml:"server_name"`
}

// Subscription is one topic scheme.
type Subscription struct {
	// Topic is an MQTT topic filter in which a level may be a named wildcard: "dams/{dam}/{sensor}"
	// subscribes to "dams/+/+" and captures the two levels. "+" and a final "#" are plain wildcards.
	Topic string `yaml:"topic"`
	// Sensor builds the sensor id from the captures: "{dam}.{sensor}". Empty: every reading of
	// the payload names its sensor.
	Sensor string `yaml:"sensor"`
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	defInt := func(n *int, v int) {
		if *n == 0 {
			*n = v
		}
	}
	def(&c.KeepAlive, DefaultKeepAlive)
	def(&c.SessionExpiry, DefaultSessionExpiry)
	def(&c.ConnectTimeout, DefaultConnectTimeout)
	def(&c.ReconnectMin, DefaultReconnectMin)
	def(&c.ReconnectMax, DefaultReconnectMax)
	def(&c.RetryMax, DefaultRetryMax)
	defInt(&c.MaxPayloadBytes, DefaultMaxPayloadBytes)
	defInt(&c.MaxReadings, DefaultMaxReadings)
	defInt(&c.InFlight, DefaultInFlight)
	defInt(&c.Workers, DefaultWorkers)
}

// Validate reports every mistake at once (after defaults). It does not read the TLS files: New
// does.
func (c Config) Validate() error {
	c.setDefaults()
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("mqtt: "+format, args...)) }

	u, err := url.Parse(c.Broker)
	switch {
	case c.Broker == "":
		add("broker is empty (mqtt://host:1883 or mqtts://host:8883)")
	case err != nil:
		add("broker %q is not a URL", redactURL(c.Broker))
	case u.Scheme != "mqtt" && u.Scheme != "mqtts":
		add("broker %q: scheme must be mqtt or mqtts", redactURL(c.Broker))
	case u.Hostname() == "":
		add("broker %q has no host", redactURL(c.Broker))
	case u.User != nil:
		add("broker %q: give the credentials in username and password, not in the URL", redactURL(c.Broker))
	}
	if err == nil && u != nil && u.Scheme == "mqtt" && c.Password != "" && !isLoopback(u.Hostname()) {
		add("a password would travel in clear to %s: use mqtts://", u.Hostname())
	}
	if err == nil && u != nil && u.Scheme == "mqtt" && (c.TLS != TLS{}) {
		add("tls is set but the broker URL is mqtt://, not mqtts://")
	}
	if c.Password != "" && c.Username == "" {
		add("password given without a username")
	}
	if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
		add("tls: cert_file and key_file go together")
	}
	switch {
	case c.ClientID == "":
		add("client_id is empty: a stable id is what lets the broker keep readings while Vigie is away")
	case len(c.ClientID) > 65535 || strings.ContainsRune(c.ClientID, 0):
		add("client_id is not a valid MQTT client identifier")
	}

	if len(c.Subscriptions) == 0 {
		add("no subscriptions")
	}
	patterns := make([]*pattern, len(c.Subscriptions))
	for i, s := range c.Subscriptions {
		p, err := compile(s)
		if err != nil {
			add("subscriptions[%d]: %v", i, err)
			continue
		}
		patterns[i] = p
		for j := range i {
			if patterns[j] != nil && overlap(patterns[j].levels, p.levels) {
				add("subscriptions[%d] %q overlaps subscriptions[%d] %q: a message would be stored twice", i, s.Topic, j, c.Subscriptions[j].Topic)
			}
		}
	}
	if c.DeadLetterTopic != "" {
		if err := validTopicName(c.DeadLetterTopic); err != nil {
			add("dead_letter_topic: %v", err)
		} else {
			for i, p := range patterns {
				if p != nil && p.match(c.DeadLetterTopic) {
					add("dead_letter_topic %q matches subscriptions[%d] %q: dead letters would come back", c.DeadLetterTopic, i, c.Subscriptions[i].Topic)
				}
			}
		}
	}

	if c.KeepAlive < time.Second || c.KeepAlive > math.MaxUint16*time.Second {
		add("keep_alive %v must be between 1s and 18h12m15s", c.KeepAlive)
	}
	if c.SessionExpiry < time.Second || c.SessionExpiry > maxSessionExpiry {
		add("session_expiry %v must be between 1s and 136 years: with no session the broker drops readings while Vigie is away", c.SessionExpiry)
	}
	if c.ConnectTimeout < 0 {
		add("connect_timeout %v is negative", c.ConnectTimeout)
	}
	if c.ReconnectMin <= 0 || c.ReconnectMax < c.ReconnectMin {
		add("reconnect_min %v and reconnect_max %v must satisfy 0 < min ≤ max", c.ReconnectMin, c.ReconnectMax)
	}
	if c.RetryMax <= 0 {
		add("retry_max %v must be positive", c.RetryMax)
	}
	if c.MaxPayloadBytes < 16 {
		add("max_payload_bytes %d is below 16", c.MaxPayloadBytes)
	}
	if c.MaxReadings < 1 {
		add("max_readings %d must be at least 1", c.MaxReadings)
	}
	if c.InFlight < 1 || c.InFlight > math.MaxUint16 {
		add("in_flight %d must be between 1 and 65535", c.InFlight)
	}
	if c.Workers < 1 || c.Workers > 256 {
		add("workers %d must be between 1 and 256", c.Workers)
	}
	return errors.Join(errs...)
}

// tlsConfig reads the TLS files.
func (c Config) tlsConfig(host string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: host}
	if c.TLS.ServerName != "" {
		cfg.ServerName = c.TLS.ServerName
	}
	if c.TLS.CAFile != "" {
		pem, err := os.ReadFile(c.TLS.CAFile)
		if err != nil {
			return nil, fmt.Errorf("mqtt: tls ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("mqtt: tls ca_file %s holds no PEM certificate", c.TLS.CAFile)
		}
		cfg.RootCAs = pool
	}
	if c.TLS.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.TLS.CertFile, c.TLS.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("mqtt: tls client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactURL hides a password put in a URL by mistake.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.LastIndex(s, "@"); i >= 0 {
			return "REDACTED@" + s[i+1:]
		}
		return s
	}
	if u.User != nil {
		u.User = url.User("REDACTED")
	}
	return u.String()
}
