package opcua

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/domain/sensor"
)

// Security policies and modes Vigie's client offers. Sign without encryption is not offered: a
// password or the readings would travel in clear.
const (
	PolicyNone           = "None"
	PolicyBasic256Sha256 = "Basic256Sha256"
	ModeNone             = "None"
	ModeSignAndEncrypt   = "SignAndEncrypt"
)

// What a data change's time is taken from.
const (
	TimestampSource  = "source"  // the device's SourceTimestamp (default), else the server's, else receipt
	TimestampServer  = "server"  // the server's ServerTimestamp, else receipt: for devices with a wrong clock
	TimestampReceive = "receive" // when Vigie received it
)

// What to do with a value whose status is Uncertain.
const (
	UncertainIngest = "ingest" // store it (default): a doubtful level is better than none
	UncertainSkip   = "skip"   // drop it, counted like a Bad one
)

// Defaults of the zero fields.
const (
	DefaultApplicationURI     = "urn:vigie:opcua-client"
	DefaultPublishingInterval = time.Second
	DefaultSamplingInterval   = time.Second
	DefaultQueueSize          = 10
	DefaultHeartbeat          = 10 * time.Second
	DefaultRequestTimeout     = 10 * time.Second
	DefaultReconnectMin       = time.Second
	DefaultReconnectMax       = time.Minute
	DefaultRetryMax           = 30 * time.Second
	DefaultServerRefresh      = time.Second
)

// Config is the `field.opcua` block: the PLCs and SCADA servers Vigie reads (Endpoints) and
// Vigie's own OPC-UA server (Server).
type Config struct {
	Endpoints []Endpoint   `yaml:"endpoints"`
	Server    ServerConfig `yaml:"server"`
}

// Endpoint is one OPC-UA server Vigie subscribes to.
type Endpoint struct {
	// Name identifies the endpoint in logs, alarms and the actor of its readings ("opcua:plc-est").
	Name string `yaml:"name"`
	// URL is opc.tcp://host:port[/path].
	URL string `yaml:"url"`
	// SecurityPolicy is None (default) or Basic256Sha256; SecurityMode None or SignAndEncrypt
	// (the default with Basic256Sha256).
	SecurityPolicy string `yaml:"security_policy"`
	SecurityMode   string `yaml:"security_mode"`
	// CertificateFile and PrivateKeyFile are Vigie's application instance certificate (PEM or
	// DER) and RSA key (PEM), required with security. The certificate's URI must be
	// ApplicationURI.
	CertificateFile string `yaml:"certificate_file"`
	PrivateKeyFile  string `yaml:"private_key_file"`
	ApplicationURI  string `yaml:"application_uri"`
	// The server's certificate is checked before anything is sent: exactly one of these is
	// required with security. ServerCertificateFile pins the certificate itself (PEM or DER);
	// ServerThumbprint pins its SHA-1 (as OPC-UA tools show it) or SHA-256, in hex; ServerCAFile
	// accepts a certificate issued by one of these CAs (PEM), within its validity.
	ServerCertificateFile string `yaml:"server_certificate_file"`
	ServerThumbprint      string `yaml:"server_thumbprint"`
	ServerCAFile          string `yaml:"server_ca_file"`
	// Username and Password log in (anonymous otherwise); a password needs SignAndEncrypt, or a
	// loopback server.
	Username string `yaml:"username"`
	Password string `yaml:"password"`

	// PublishingInterval is how often the server sends the changes it sampled.
	PublishingInterval time.Duration `yaml:"publishing_interval"`
	// SamplingInterval is how often the server samples each node (a node may override it).
	SamplingInterval time.Duration `yaml:"sampling_interval"`
	// QueueSize is how many samples of a node the server keeps between two publications.
	QueueSize int `yaml:"queue_size"`
	// Timestamps: source (default), server or receive.
	Timestamps string `yaml:"timestamps"`
	// Uncertain: ingest (default) or skip.
	Uncertain string `yaml:"uncertain"`
	// Heartbeat is how often the server's clock is read to detect a dead connection that the
	// network did not report.
	Heartbeat      time.Duration `yaml:"heartbeat"`
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// ReconnectMin and ReconnectMax bound the exponential back-off between connection attempts.
	ReconnectMin time.Duration `yaml:"reconnect_min"`
	ReconnectMax time.Duration `yaml:"reconnect_max"`
	// RetryMax bounds the back-off while the event store refuses readings for a reason that may
	// pass.
	RetryMax time.Duration `yaml:"retry_max"`

	Nodes []NodeConfig `yaml:"nodes"`
}

// ServerConfig is Vigie's own OPC-UA server (security None only: see docs/field.md).
type ServerConfig struct {
	// Listen is host:port; empty disables the server. The host is also the one advertised in
	// the endpoint URL unless EndpointHost is set.
	Listen       string `yaml:"listen"`
	EndpointHost string `yaml:"endpoint_host"`
	// Refresh is how often values are read from the read store and published.
	Refresh time.Duration `yaml:"refresh"`
}

// Enabled reports whether the server is configured.
func (s ServerConfig) Enabled() bool { return s.Listen != "" }

func (e *Endpoint) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if e.SecurityPolicy == "" {
		e.SecurityPolicy = PolicyNone
	}
	if e.SecurityMode == "" {
		e.SecurityMode = ModeNone
		if e.SecurityPolicy != PolicyNone {
			e.SecurityMode = ModeSignAndEncrypt
		}
	}
	if e.ApplicationURI == "" {
		e.ApplicationURI = DefaultApplicationURI
	}
	if e.Timestamps == "" {
		e.Timestamps = TimestampSource
	}
	if e.Uncertain == "" {
		e.Uncertain = UncertainIngest
	}
	if e.QueueSize == 0 {
		e.QueueSize = DefaultQueueSize
	}
	def(&e.PublishingInterval, DefaultPublishingInterval)
	def(&e.SamplingInterval, DefaultSamplingInterval)
	def(&e.Heartbeat, DefaultHeartbeat)
	def(&e.RequestTimeout, DefaultRequestTimeout)
	def(&e.ReconnectMin, DefaultReconnectMin)
	def(&e.ReconnectMax, DefaultReconnectMax)
	def(&e.RetryMax, DefaultRetryMax)
}

func (s *ServerConfig) setDefaults() {
	if s.Refresh == 0 {
		s.Refresh = DefaultServerRefresh
	}
}

// Validate reports every mistake at once (after defaults). It does not read the files: New does.
func (c Config) Validate() error {
	var errs []error
	names := map[string]int{}
	sensors := map[sensor.ID]string{}
	for i, e := range c.Endpoints {
		where := fmt.Sprintf("opcua: endpoints[%d]", i)
		if e.Name != "" {
			where = fmt.Sprintf("opcua: endpoint %s", e.Name)
			if j, dup := names[e.Name]; dup {
				errs = append(errs, fmt.Errorf("%s: name already used by endpoints[%d]", where, j))
			}
			names[e.Name] = i
		}
		if err := e.Validate(); err != nil {
			errs = append(errs, prefixAll(where, err))
		}
		for j, n := range e.Nodes {
			id := sensor.ID(n.Sensor)
			if id == "" {
				continue
			}
			if prev, dup := sensors[id]; dup {
				errs = append(errs, fmt.Errorf("%s: nodes[%d]: sensor %s is already fed by %s", where, j, id, prev))
				continue
			}
			sensors[id] = fmt.Sprintf("endpoint %s nodes[%d]", e.Name, j)
		}
	}
	if err := c.Server.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Validate checks one endpoint.
func (e Endpoint) Validate() error {
	e.setDefaults()
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if e.Name == "" {
		add("name is empty")
	}
	u, err := url.Parse(e.URL)
	switch {
	case e.URL == "":
		add("url is empty (opc.tcp://host:4840)")
	case err != nil || u.Scheme != "opc.tcp" || u.Hostname() == "":
		add("url %q must be opc.tcp://host:port", redactURL(e.URL))
	case u.User != nil:
		add("url %q: give the credentials in username and password", redactURL(e.URL))
	}
	secure, known := false, true
	switch {
	case e.SecurityPolicy == PolicyNone && e.SecurityMode == ModeNone:
	case e.SecurityPolicy == PolicyBasic256Sha256 && e.SecurityMode == ModeSignAndEncrypt:
		secure = true
	default:
		known = false
	}
	switch {
	case known:
	case e.SecurityPolicy != PolicyNone && e.SecurityPolicy != PolicyBasic256Sha256:
		add("security_policy %q must be None or Basic256Sha256", e.SecurityPolicy)
	case e.SecurityMode != ModeNone && e.SecurityMode != ModeSignAndEncrypt:
		add("security_mode %q must be None or SignAndEncrypt (Sign alone leaves data in clear)", e.SecurityMode)
	default:
		add("security_policy %s goes with security_mode %s", e.SecurityPolicy, map[string]string{PolicyNone: ModeNone, PolicyBasic256Sha256: ModeSignAndEncrypt}[e.SecurityPolicy])
	}
	pins := 0
	for _, p := range []string{e.ServerCertificateFile, e.ServerThumbprint, e.ServerCAFile} {
		if p != "" {
			pins++
		}
	}
	switch {
	case !known: // the certificate checks depend on the security asked for
	case secure:
		if e.CertificateFile == "" || e.PrivateKeyFile == "" {
			add("security %s needs certificate_file and private_key_file (Vigie's application certificate)", e.SecurityPolicy)
		}
		if pins != 1 {
			add("security %s needs exactly one of server_certificate_file, server_thumbprint, server_ca_file: the server's certificate must be checked", e.SecurityPolicy)
		}
	case pins > 0 || e.CertificateFile != "" || e.PrivateKeyFile != "":
		add("certificates are set but security_policy is None: nothing would be checked")
	}
	if e.ServerThumbprint != "" {
		if _, err := parseThumbprint(e.ServerThumbprint); err != nil {
			add("server_thumbprint: %v", err)
		}
	}
	if e.Password != "" && e.Username == "" {
		add("password given without a username")
	}
	if e.Password != "" && known && !secure && (u == nil || !isLoopback(u.Hostname())) {
		add("a password needs security_policy Basic256Sha256: the server's certificate it is encrypted with would not be checked")
	}
	switch e.Timestamps {
	case TimestampSource, TimestampServer, TimestampReceive:
	default:
		add("timestamps %q must be source, server or receive", e.Timestamps)
	}
	switch e.Uncertain {
	case UncertainIngest, UncertainSkip:
	default:
		add("uncertain %q must be ingest or skip", e.Uncertain)
	}
	positive := []struct {
		name string
		d    time.Duration
	}{{"publishing_interval", e.PublishingInterval}, {"sampling_interval", e.SamplingInterval}, {"heartbeat", e.Heartbeat},
		{"request_timeout", e.RequestTimeout}, {"reconnect_min", e.ReconnectMin}, {"retry_max", e.RetryMax}}
	for _, p := range positive {
		if p.d <= 0 {
			add("%s %v must be positive", p.name, p.d)
		}
	}
	if e.ReconnectMax < e.ReconnectMin {
		add("reconnect_max %v is below reconnect_min %v", e.ReconnectMax, e.ReconnectMin)
	}
	if e.QueueSize < 1 || e.QueueSize > 10000 {
		add("queue_size %d must be between 1 and 10000", e.QueueSize)
	}
	if len(e.Nodes) == 0 {
		add("no nodes")
	}
	seen := map[string]int{}
	for i, n := range e.Nodes {
		m, err := ParseNodeMapping(n)
		if err != nil {
			errs = append(errs, prefixAll(fmt.Sprintf("nodes[%d]", i), err))
			continue
		}
		if j, dup := seen[m.key()]; dup {
			add("nodes[%d]: node %s is already mapped by nodes[%d]", i, n.Node, j)
		}
		seen[m.key()] = i
	}
	return errors.Join(errs...)
}

// Validate checks the server block.
func (s ServerConfig) Validate() error {
	if !s.Enabled() {
		return nil
	}
	s.setDefaults()
	var errs []error
	host, port, err := net.SplitHostPort(s.Listen)
	if err != nil {
		errs = append(errs, fmt.Errorf("opcua: server listen %q must be host:port", s.Listen))
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		errs = append(errs, fmt.Errorf("opcua: server listen %q: bad port", s.Listen))
	} else if host == "" && s.EndpointHost == "" {
		errs = append(errs, errors.New("opcua: server listen has no host: set endpoint_host, the name clients use"))
	}
	if s.Refresh <= 0 {
		errs = append(errs, fmt.Errorf("opcua: server refresh %v must be positive", s.Refresh))
	}
	return errors.Join(errs...)
}

// prefixAll puts where in front of each joined error, joins within joins included.
func prefixAll(where string, err error) error {
	var errs []error
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		errs = append(errs, fmt.Errorf("%s: %w", where, err))
	}
	walk(err)
	return errors.Join(errs...)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

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
