package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/sensor"
)

// The field block says how readings arrive besides HTTP: MQTT brokers and OPC-UA servers
// (docs/field.md), and when a source raises a technical alarm. It is not part of the document
// recorded in config.applied: it holds credentials, and it says how readings travel, not how they
// are judged (each reading's actor, "mqtt:<topic>" or "opcua:<endpoint>", says which road it
// took). The adapters (adapters/mqtt, adapters/opcua) check again what only they can (node id and
// topic filter syntax, overlapping filters): cmd/vigie reports their findings at the Line and
// Column kept here.

// Defaults of the field block.
const (
	DefaultUnreachableAfter    = time.Minute
	DefaultUnreachableSeverity = dam.SeverityHigh
	DefaultRejectedRequests    = 20
	DefaultRejectedWindow      = time.Minute
	DefaultRejectedSeverity    = dam.SeverityMedium
	// DefaultMQTTName names a single broker given as a mapping.
	DefaultMQTTName = "mqtt"
)

// Field is the field block, with defaults applied.
type Field struct {
	// File is the configuration's name, for problems the adapters find later.
	File  string
	MQTT  []MQTTBroker
	OPCUA OPCUA
	// UnreachableAfter: a broker or endpoint disconnected this long raises endpoint_unreachable
	// on every dam it feeds; UnreachableSeverity is that alarm's severity.
	UnreachableAfter    time.Duration
	UnreachableSeverity dam.Severity
	RejectedRequests    RejectedRequests
}

// Place locates a value of the file, for a problem found after parsing.
type Place struct {
	Path         string
	Line, Column int
}

// Problem returns a located problem about this place. It has no code: the adapters' checks
// word their own messages (see Problem.Code).
func (p Place) Problem(file, format string, args ...any) Problem {
	return Problem{File: file, Line: p.Line, Column: p.Column, Path: p.Path, Message: fmt.Sprintf(format, args...)}
}

// RejectedRequests raises unknown_sensor on the system board when a client's readings requests
// are refused Count times within Window (bad or missing key, unknown or forbidden sensor).
type RejectedRequests struct {
	Enabled  bool
	Count    int
	Window   time.Duration
	Severity dam.Severity
}

// MQTTBroker is one broker Vigie subscribes to; zero fields take adapters/mqtt's defaults.
type MQTTBroker struct {
	Place
	Name                       string
	Broker, ClientID           string
	Username, Password         string
	TLS                        MQTTTLS
	Subscriptions              []MQTTSubscription
	DeadLetterTopic            string
	KeepAlive, SessionExpiry   time.Duration
	ConnectTimeout             time.Duration
	ReconnectMin, ReconnectMax time.Duration
	RetryMax                   time.Duration
	MaxPayloadBytes            int
	MaxReadings, InFlight      int
	Workers                    int
}

// MQTTTLS configures mqtts://.
type MQTTTLS struct {
	CAFile, CertFile, KeyFile, ServerName string
}

// MQTTSubscription is one topic scheme: "dams/{dam}/{sensor}" -> "{dam}.{sensor}".
type MQTTSubscription struct {
	Place
	Topic, Sensor string
}

// OPCUA is the OPC-UA part: the servers Vigie reads and Vigie's own server.
type OPCUA struct {
	Endpoints []OPCUAEndpoint
	Server    OPCUAServer
}

// OPCUAEndpoint is one OPC-UA server Vigie subscribes to; zero fields take adapters/opcua's
// defaults.
type OPCUAEndpoint struct {
	Place
	Name, URL                      string
	SecurityPolicy, SecurityMode   string
	CertificateFile                string
	PrivateKeyFile, ApplicationURI string
	ServerCertificateFile          string
	ServerThumbprint, ServerCAFile string
	Username, Password             string
	PublishingInterval             time.Duration
	SamplingInterval               time.Duration
	QueueSize                      int
	Timestamps, Uncertain          string
	Heartbeat, RequestTimeout      time.Duration
	ReconnectMin, ReconnectMax     time.Duration
	RetryMax                       time.Duration
	Nodes                          []OPCUANode
}

// OPCUANode maps a variable to a sensor: metres = (raw × Factor + Offset) in Unit.
type OPCUANode struct {
	Place
	Node, Sensor     string
	Factor           *float64
	Offset           float64
	Unit             string
	Deadband         float64
	SamplingInterval time.Duration
}

// OPCUAServer is Vigie's own OPC-UA server; Listen empty disables it.
type OPCUAServer struct {
	Place
	Listen, EndpointHost string
	Refresh              time.Duration
}

// Field returns the field block; without one, the defaults (no MQTT, no OPC-UA, the alarm on
// refused requests on).
func (c *Config) Field() Field {
	if c.field == nil {
		return defaultField("")
	}
	f := *c.field
	f.MQTT = cloneBrokers(f.MQTT)
	eps := make([]OPCUAEndpoint, len(f.OPCUA.Endpoints))
	for i, e := range f.OPCUA.Endpoints {
		e.Nodes = append([]OPCUANode(nil), e.Nodes...)
		eps[i] = e
	}
	f.OPCUA.Endpoints = eps
	return f
}

func cloneBrokers(bs []MQTTBroker) []MQTTBroker {
	out := make([]MQTTBroker, len(bs))
	for i, b := range bs {
		b.Subscriptions = append([]MQTTSubscription(nil), b.Subscriptions...)
		out[i] = b
	}
	return out
}

func defaultField(file string) Field {
	return Field{
		File: file, UnreachableAfter: DefaultUnreachableAfter, UnreachableSeverity: DefaultUnreachableSeverity,
		RejectedRequests: RejectedRequests{Enabled: true, Count: DefaultRejectedRequests, Window: DefaultRejectedWindow, Severity: DefaultRejectedSeverity},
	}
}

func (d *decoder) place(n *yaml.Node, path string) Place {
	return Place{Path: path, Line: n.Line, Column: n.Column}
}

// field decodes the field block.
func (d *decoder) field(n *yaml.Node, path string) *Field {
	f := defaultField(d.file)
	d.mapping(n, path, keys{
		"mqtt": func(v *yaml.Node, p string) {
			switch v.Kind {
			case yaml.SequenceNode:
				d.sequence(v, p, func(_ int, v *yaml.Node, p string) { f.MQTT = append(f.MQTT, d.mqttBroker(v, p, true)) })
			default:
				f.MQTT = append(f.MQTT, d.mqttBroker(v, p, false))
			}
		},
		"opcua":                func(v *yaml.Node, p string) { f.OPCUA = d.opcua(v, p) },
		"unreachable_after":    func(v *yaml.Node, p string) { f.UnreachableAfter = d.duration(v, p, false) },
		"unreachable_severity": func(v *yaml.Node, p string) { f.UnreachableSeverity = dam.Severity(d.enum(v, p, severities()...)) },
		"rejected_requests":    func(v *yaml.Node, p string) { f.RejectedRequests = d.rejected(v, p) },
	}, nil, map[string]string{"opc_ua": "write it opcua", "opc-ua": "write it opcua"})
	names := map[string]string{}
	for _, b := range f.MQTT {
		unique(d, names, field(b.Path, "name"), "source", "mqtt:"+b.Name)
	}
	for _, e := range f.OPCUA.Endpoints {
		unique(d, names, field(e.Path, "name"), "source", "opcua:"+e.Name)
	}
	return &f
}

func (d *decoder) rejected(n *yaml.Node, path string) RejectedRequests {
	r := RejectedRequests{Enabled: true, Count: DefaultRejectedRequests, Window: DefaultRejectedWindow, Severity: DefaultRejectedSeverity}
	if n.Kind == yaml.ScalarNode && n.Value == "off" {
		r.Enabled = false
		return r
	}
	d.mapping(n, path, keys{
		"count": func(v *yaml.Node, p string) {
			if r.Count = int(min(d.int(v, p), 1<<20)); r.Count < 1 && !d.bad[p] {
				d.addAt(v, p, "rejected_threshold_below_one", "must be at least 1 (or write rejected_requests: off)")
			}
		},
		"window":   func(v *yaml.Node, p string) { r.Window = d.duration(v, p, false) },
		"severity": func(v *yaml.Node, p string) { r.Severity = dam.Severity(d.enum(v, p, severities()...)) },
	}, nil, nil)
	return r
}

func (d *decoder) positiveInt(v *yaml.Node, p string, limit int64) int {
	i := d.int(v, p)
	if !d.bad[p] && (i < 1 || i > limit) {
		d.addAt(v, p, "int_out_of_range", "must be between 1 and %d (got %d)", limit, i)
		return 0
	}
	return int(i)
}

func (d *decoder) mqttBroker(n *yaml.Node, path string, inList bool) MQTTBroker {
	b := MQTTBroker{Place: d.place(n, path)}
	if !inList {
		b.Name = DefaultMQTTName
	}
	var brokerNode, passwordNode, tlsNode *yaml.Node
	required := []string{"broker", "client_id", "subscriptions"}
	if inList {
		required = append(required, "name")
	}
	d.mapping(n, path, keys{
		"name": func(v *yaml.Node, p string) {
			b.Name = d.str(v, p)
			checkID(d, p, "broker name", b.Name)
		},
		"broker":    func(v *yaml.Node, p string) { b.Broker, brokerNode = d.str(v, p), v },
		"client_id": func(v *yaml.Node, p string) { b.ClientID = d.nonEmpty(v, p) },
		"username":  func(v *yaml.Node, p string) { b.Username = d.str(v, p) },
		"password":  func(v *yaml.Node, p string) { b.Password, passwordNode = d.str(v, p), v },
		"tls": func(v *yaml.Node, p string) {
			tlsNode = v
			d.mapping(v, p, keys{
				"ca_file":     func(v *yaml.Node, p string) { b.TLS.CAFile = d.nonEmpty(v, p) },
				"cert_file":   func(v *yaml.Node, p string) { b.TLS.CertFile = d.nonEmpty(v, p) },
				"key_file":    func(v *yaml.Node, p string) { b.TLS.KeyFile = d.nonEmpty(v, p) },
				"server_name": func(v *yaml.Node, p string) { b.TLS.ServerName = d.nonEmpty(v, p) },
			}, nil, nil)
			if (b.TLS.CertFile == "") != (b.TLS.KeyFile == "") && !d.badUnder(p) {
				d.addAt(v, p, "tls_cert_without_key", "cert_file and key_file go together")
			}
		},
		"subscriptions": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) {
				s := MQTTSubscription{Place: d.place(v, p)}
				d.mapping(v, p, keys{
					"topic":  func(v *yaml.Node, p string) { s.Topic = d.nonEmpty(v, p) },
					"sensor": func(v *yaml.Node, p string) { s.Sensor = d.str(v, p) },
				}, []string{"topic"}, nil)
				b.Subscriptions = append(b.Subscriptions, s)
			})
			if len(b.Subscriptions) == 0 && !d.badUnder(p) {
				d.addAt(v, p, "mqtt_no_topic", "subscribe to at least one topic")
			}
		},
		"dead_letter_topic": func(v *yaml.Node, p string) { b.DeadLetterTopic = d.nonEmpty(v, p) },
		"keep_alive":        func(v *yaml.Node, p string) { b.KeepAlive = d.duration(v, p, false) },
		"session_expiry":    func(v *yaml.Node, p string) { b.SessionExpiry = d.duration(v, p, false) },
		"connect_timeout":   func(v *yaml.Node, p string) { b.ConnectTimeout = d.duration(v, p, false) },
		"reconnect_min":     func(v *yaml.Node, p string) { b.ReconnectMin = d.duration(v, p, false) },
		"reconnect_max":     func(v *yaml.Node, p string) { b.ReconnectMax = d.duration(v, p, false) },
		"retry_max":         func(v *yaml.Node, p string) { b.RetryMax = d.duration(v, p, false) },
		"max_payload_bytes": func(v *yaml.Node, p string) { b.MaxPayloadBytes = int(min(d.size(v, p), 1<<28)) },
		"max_readings":      func(v *yaml.Node, p string) { b.MaxReadings = d.positiveInt(v, p, 1_000_000) },
		"in_flight":         func(v *yaml.Node, p string) { b.InFlight = d.positiveInt(v, p, 65535) },
		"workers":           func(v *yaml.Node, p string) { b.Workers = d.positiveInt(v, p, 256) },
	}, required, map[string]string{
		"qos":          "QoS is always 1: readings are acknowledged once stored, never lost across a reconnection",
		"clean_start":  "the session is always persistent (clean start false): set session_expiry",
		"url":          "write the broker's URL under broker",
		"topics":       "write topics under subscriptions, each as {topic: ..., sensor: ...}",
		"subscription": "write it subscriptions (a list)",
	})
	if brokerNode != nil && !d.bad[field(path, "broker")] {
		u, err := url.Parse(b.Broker)
		p := field(path, "broker")
		switch {
		case err != nil || (u.Scheme != "mqtt" && u.Scheme != "mqtts"):
			d.addAt(brokerNode, p, "mqtt_bad_broker_url", "must be mqtt://host:1883 or mqtts://host:8883 (got %q)", clip(redact(b.Broker)))
		case u.Hostname() == "":
			d.addAt(brokerNode, p, "url_no_host", "has no host")
		case u.User != nil:
			d.addAt(brokerNode, p, "url_has_credentials", "give the credentials in username and password, not in the URL")
		case u.Scheme == "mqtt" && tlsNode != nil:
			d.addAt(tlsNode, field(path, "tls"), "mqtt_tls_without_mqtts", "is set but the broker URL is mqtt://, not mqtts://")
		case u.Scheme == "mqtt" && b.Password != "" && !loopback(u.Hostname()):
			d.addAt(passwordNode, field(path, "password"), "mqtt_password_in_clear", "would travel in clear to %s: use mqtts://", u.Hostname())
		}
	}
	if b.Password != "" && b.Username == "" {
		d.addAt(passwordNode, field(path, "password"), "password_without_username", "given without a username")
	}
	if b.ReconnectMin > 0 && b.ReconnectMax > 0 && b.ReconnectMax < b.ReconnectMin {
		d.add(field(path, "reconnect_max"), "reconnect_max_below_min", "%s is below reconnect_min %s", b.ReconnectMax, b.ReconnectMin)
	}
	return b
}

func (d *decoder) opcua(n *yaml.Node, path string) OPCUA {
	var o OPCUA
	d.mapping(n, path, keys{
		"endpoints": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { o.Endpoints = append(o.Endpoints, d.opcuaEndpoint(v, p)) })
		},
		"server": func(v *yaml.Node, p string) {
			o.Server.Place = d.place(v, p)
			d.mapping(v, p, keys{
				"listen": func(v *yaml.Node, p string) {
					o.Server.Listen = d.nonEmpty(v, p)
					if _, port, err := net.SplitHostPort(o.Server.Listen); o.Server.Listen != "" && (err != nil || !validPort(port)) {
						d.addAt(v, p, "not_host_port", "must be host:port, like 0.0.0.0:4840 (got %q)", clip(o.Server.Listen))
					}
				},
				"endpoint_host": func(v *yaml.Node, p string) { o.Server.EndpointHost = d.nonEmpty(v, p) },
				"refresh":       func(v *yaml.Node, p string) { o.Server.Refresh = d.duration(v, p, false) },
			}, nil, nil)
			if host, _, err := net.SplitHostPort(o.Server.Listen); err == nil && (host == "" || host == "0.0.0.0" || host == "::") && o.Server.EndpointHost == "" {
				d.addAt(v, p, "opcua_listen_needs_endpoint_host", "listen %q names no host clients can use: set endpoint_host", o.Server.Listen)
			}
		},
	}, nil, nil)
	return o
}

func validPort(s string) bool {
	p, err := strconv.Atoi(s)
	return err == nil && p >= 0 && p <= 65535
}

// OPC-UA security as Vigie's client offers it (adapters/opcua).
const (
	policyNone, policyBasic256Sha256 = "None", "Basic256Sha256"
	modeNone, modeSignAndEncrypt     = "None", "SignAndEncrypt"
)

func (d *decoder) opcuaEndpoint(n *yaml.Node, path string) OPCUAEndpoint {
	e := OPCUAEndpoint{Place: d.place(n, path)}
	var urlNode, passwordNode *yaml.Node
	d.mapping(n, path, keys{
		"name": func(v *yaml.Node, p string) {
			e.Name = d.str(v, p)
			checkID(d, p, "endpoint name", e.Name)
		},
		"url":             func(v *yaml.Node, p string) { e.URL, urlNode = d.str(v, p), v },
		"security_policy": func(v *yaml.Node, p string) { e.SecurityPolicy = d.enum(v, p, policyNone, policyBasic256Sha256) },
		"security_mode": func(v *yaml.Node, p string) {
			if s, _ := d.scalar(v, p); s == "Sign" {
				d.addAt(v, p, "opcua_sign_only", "Sign alone leaves readings and the password in clear: use SignAndEncrypt")
				return
			}
			e.SecurityMode = d.enum(v, p, modeNone, modeSignAndEncrypt)
		},
		"certificate_file":        func(v *yaml.Node, p string) { e.CertificateFile = d.nonEmpty(v, p) },
		"private_key_file":        func(v *yaml.Node, p string) { e.PrivateKeyFile = d.nonEmpty(v, p) },
		"application_uri":         func(v *yaml.Node, p string) { e.ApplicationURI = d.nonEmpty(v, p) },
		"server_certificate_file": func(v *yaml.Node, p string) { e.ServerCertificateFile = d.nonEmpty(v, p) },
		"server_thumbprint": func(v *yaml.Node, p string) {
			e.ServerThumbprint = d.nonEmpty(v, p)
			hex := strings.NewReplacer(":", "", " ", "").Replace(e.ServerThumbprint)
			ok := len(hex) == 40 || len(hex) == 64
			for _, r := range hex {
				ok = ok && strings.ContainsRune("0123456789abcdefABCDEF", r)
			}
			if e.ServerThumbprint != "" && !ok {
				d.addAt(v, p, "opcua_bad_thumbprint", "must be the SHA-1 (40 hex digits) or SHA-256 (64) of the server's certificate, colons allowed")
			}
		},
		"server_ca_file":      func(v *yaml.Node, p string) { e.ServerCAFile = d.nonEmpty(v, p) },
		"username":            func(v *yaml.Node, p string) { e.Username = d.str(v, p) },
		"password":            func(v *yaml.Node, p string) { e.Password, passwordNode = d.str(v, p), v },
		"publishing_interval": func(v *yaml.Node, p string) { e.PublishingInterval = d.duration(v, p, false) },
		"sampling_interval":   func(v *yaml.Node, p string) { e.SamplingInterval = d.duration(v, p, false) },
		"queue_size":          func(v *yaml.Node, p string) { e.QueueSize = d.positiveInt(v, p, 10000) },
		"timestamps":          func(v *yaml.Node, p string) { e.Timestamps = d.enum(v, p, "source", "server", "receive") },
		"uncertain":           func(v *yaml.Node, p string) { e.Uncertain = d.enum(v, p, "ingest", "skip") },
		"heartbeat":           func(v *yaml.Node, p string) { e.Heartbeat = d.duration(v, p, false) },
		"request_timeout":     func(v *yaml.Node, p string) { e.RequestTimeout = d.duration(v, p, false) },
		"reconnect_min":       func(v *yaml.Node, p string) { e.ReconnectMin = d.duration(v, p, false) },
		"reconnect_max":       func(v *yaml.Node, p string) { e.ReconnectMax = d.duration(v, p, false) },
		"retry_max":           func(v *yaml.Node, p string) { e.RetryMax = d.duration(v, p, false) },
		"nodes": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { e.Nodes = append(e.Nodes, d.opcuaNode(v, p)) })
			if len(e.Nodes) == 0 && !d.badUnder(p) {
				d.addAt(v, p, "opcua_no_node", "map at least one node to a sensor")
			}
		},
	}, []string{"name", "url", "nodes"}, map[string]string{
		"endpoint": "write the server's URL under url",
		"policy":   "write it security_policy",
		"mode":     "write it security_mode",
	})
	var u *url.URL
	if urlNode != nil && !d.bad[field(path, "url")] {
		var err error
		u, err = url.Parse(e.URL)
		switch {
		case err != nil || u.Scheme != "opc.tcp" || u.Hostname() == "":
			d.addAt(urlNode, field(path, "url"), "opcua_bad_url", "must be opc.tcp://host:port (got %q)", clip(redact(e.URL)))
			u = nil
		case u.User != nil:
			d.addAt(urlNode, field(path, "url"), "url_has_credentials", "give the credentials in username and password, not in the URL")
		}
	}
	policy, mode := e.SecurityPolicy, e.SecurityMode
	if policy == "" {
		policy = policyNone
	}
	if mode == "" {
		mode = map[string]string{policyNone: modeNone, policyBasic256Sha256: modeSignAndEncrypt}[policy]
	}
	pins := 0
	for _, s := range []string{e.ServerCertificateFile, e.ServerThumbprint, e.ServerCAFile} {
		if s != "" {
			pins++
		}
	}
	secure := policy == policyBasic256Sha256
	switch {
	case d.badUnder(field(path, "security_policy")) || d.badUnder(field(path, "security_mode")):
	case secure != (mode == modeSignAndEncrypt):
		d.add(field(path, "security_mode"), "opcua_policy_mode_mismatch", "security_policy %s goes with security_mode %s", policy, map[bool]string{true: modeSignAndEncrypt, false: modeNone}[secure])
	case secure && (e.CertificateFile == "" || e.PrivateKeyFile == ""):
		d.add(path, "opcua_needs_client_certificate", "security %s needs certificate_file and private_key_file (Vigie's application certificate)", policy)
	case secure && pins != 1:
		d.add(path, "opcua_needs_one_server_check", "security %s needs exactly one of server_certificate_file, server_thumbprint, server_ca_file: gopcua would accept any server certificate", policy)
	case !secure && (pins > 0 || e.CertificateFile != "" || e.PrivateKeyFile != ""):
		d.add(field(path, "security_policy"), "opcua_certificates_without_security", "certificates are given but security_policy is None: nothing would be checked")
	}
	switch {
	case e.Password != "" && e.Username == "":
		d.addAt(passwordNode, field(path, "password"), "password_without_username", "given without a username")
	case e.Password != "" && !secure && u != nil && !loopback(u.Hostname()):
		d.addAt(passwordNode, field(path, "password"), "opcua_password_needs_security", "needs security_policy Basic256Sha256: it would be encrypted with a server certificate nobody checked")
	}
	if e.ReconnectMin > 0 && e.ReconnectMax > 0 && e.ReconnectMax < e.ReconnectMin {
		d.add(field(path, "reconnect_max"), "reconnect_max_below_min", "%s is below reconnect_min %s", e.ReconnectMax, e.ReconnectMin)
	}
	return e
}

func (d *decoder) opcuaNode(n *yaml.Node, path string) OPCUANode {
	m := OPCUANode{Place: d.place(n, path)}
	d.mapping(n, path, keys{
		"node":   func(v *yaml.Node, p string) { m.Node = d.nonEmpty(v, p) },
		"sensor": func(v *yaml.Node, p string) { m.Sensor = d.nonEmpty(v, p) },
		"factor": func(v *yaml.Node, p string) {
			f := d.float(v, p)
			if f == 0 && !d.bad[p] {
				d.addAt(v, p, "opcua_factor_zero", "must not be 0: every reading would be the offset")
				return
			}
			m.Factor = &f
		},
		"offset": func(v *yaml.Node, p string) { m.Offset = d.float(v, p) },
		"unit":   func(v *yaml.Node, p string) { m.Unit = d.enum(v, p, "m", "cm", "mm", "ft", "in") },
		"deadband": func(v *yaml.Node, p string) {
			if m.Deadband = d.float(v, p); m.Deadband < 0 {
				d.addAt(v, p, "opcua_deadband_negative", "must be ≥ 0 (an absolute change in the server's unit)")
			}
		},
		"sampling_interval": func(v *yaml.Node, p string) { m.SamplingInterval = d.duration(v, p, false) },
	}, []string{"node", "sensor"}, map[string]string{"node_id": "write it node", "nodeid": "write it node", "scale": "write it factor"})
	return m
}

func (d *decoder) nonEmpty(v *yaml.Node, p string) string {
	s := d.str(v, p)
	if s == "" && !d.bad[p] {
		d.addAt(v, p, "value_empty", "is empty")
	}
	return s
}

// checkField cross-checks the field block with the dams once both are read: every mapped sensor
// is configured and fed by one OPC-UA node only; a subscription whose sensor names no capture
// names a configured sensor.
func (d *decoder) checkField(c *Config) {
	if c.field == nil {
		return
	}
	known := map[sensor.ID]bool{}
	for _, dc := range c.dams {
		for _, s := range dc.Sensors {
			known[s.ID] = true
		}
	}
	fedBy := map[string]string{}
	for _, e := range c.field.OPCUA.Endpoints {
		nodes := map[string]string{}
		for _, n := range e.Nodes {
			p := field(n.Path, "sensor")
			if n.Sensor != "" && !known[sensor.ID(n.Sensor)] {
				d.add(p, "sensor_not_configured", "sensor %q is not configured under dams[].sensors", clip(n.Sensor))
			} else if first, dup := fedBy[n.Sensor]; dup && n.Sensor != "" {
				d.add(p, "sensor_fed_twice", "sensor %s is already fed by %s: one sensor, one node", n.Sensor, first)
			}
			fedBy[n.Sensor] = n.Path
			if first, dup := nodes[n.Node]; dup && n.Node != "" {
				d.add(field(n.Path, "node"), "node_mapped_twice", "node %s is already mapped by %s", clip(n.Node), first)
			}
			nodes[n.Node] = n.Path
		}
	}
	for _, b := range c.field.MQTT {
		for _, s := range b.Subscriptions {
			if s.Sensor != "" && !strings.Contains(s.Sensor, "{") && !known[sensor.ID(s.Sensor)] {
				d.add(field(s.Path, "sensor"), "sensor_not_configured", "sensor %q is not configured under dams[].sensors", clip(s.Sensor))
			}
		}
	}
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redact hides a password put in a URL by mistake before the URL is quoted back.
func redact(s string) string {
	if i := strings.LastIndex(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "REDACTED@" + s[i+1:]
		}
		return "REDACTED@" + s[i+1:]
	}
	return s
}
