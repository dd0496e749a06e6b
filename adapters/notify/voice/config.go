package voice

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config of the voice channel: where calls go (the utility's PBX or SIP trunk) and how a call
// runs. Zero fields take the defaults shown.
type Config struct {
	// Proxy is the PBX or trunk every INVITE is sent to, "host" or "host:port" (port 5060). It is
	// the outbound proxy and, for trunks that want one, the registrar's address too.
	Proxy string
	// Domain is the host part of the called URI, sip:<number>@<domain>; default Proxy's host.
	Domain string
	// Transport is "udp" (default) or "tcp". TCP fails fast when the PBX is down; UDP learns it
	// only after the INVITE's retransmissions (32 s).
	Transport string
	// Username and Password answer the PBX's digest challenge (401/407), when it sends one.
	Username string
	Password string
	// From is the caller's user part (the number operators see and can whitelist on their phone);
	// default Username, else "vigie". DisplayName is shown beside it; default "Vigie".
	From        string
	DisplayName string
	// BindHost is the local address of SIP and RTP (default "0.0.0.0": the first interface's
	// address is announced); BindPort the SIP port (0: chosen by the OS).
	BindHost string
	BindPort int
	// ExternalHost, behind NAT, is the address announced in Contact and SDP.
	ExternalHost string

	// RingTimeout: how long the phone rings before the call counts as not answered; default 30 s
	// (most mobile networks send unanswered calls to voicemail after 20 to 30 s).
	RingTimeout time.Duration
	// Repeat: how many times the message is spoken; default 3.
	Repeat int
	// Pause between two repetitions; default 1 s.
	Pause time.Duration
	// KeyWait: how long the call waits for a key after the last repetition; default 8 s.
	KeyWait time.Duration
	// MaxCall bounds an answered call, whatever happens; default 3 min.
	MaxCall time.Duration
	// RememberFor is how long the notifier remembers a delivered notification ID, so that the same
	// notification never rings twice; default 24 h. (Across restarts the pipeline's log dedups.)
	RememberFor time.Duration
}

func (c *Config) setDefaults() {
	if c.Transport == "" {
		c.Transport = "udp"
	}
	c.Transport = strings.ToLower(c.Transport)
	if c.From == "" {
		c.From = c.Username
	}
	if c.From == "" {
		c.From = "vigie"
	}
	if c.DisplayName == "" {
		c.DisplayName = "Vigie"
	}
	if c.BindHost == "" {
		c.BindHost = "0.0.0.0"
	}
	if c.RingTimeout == 0 {
		c.RingTimeout = 30 * time.Second
	}
	if c.Repeat == 0 {
		c.Repeat = 3
	}
	if c.Pause == 0 {
		c.Pause = time.Second
	}
	if c.KeyWait == 0 {
		c.KeyWait = 8 * time.Second
	}
	if c.MaxCall == 0 {
		c.MaxCall = 3 * time.Minute
	}
	if c.RememberFor == 0 {
		c.RememberFor = 24 * time.Hour
	}
	if c.Domain == "" {
		c.Domain, _ = c.proxyHostPort()
	}
}

// proxyHostPort splits Proxy, with port 5060 when it has none.
func (c Config) proxyHostPort() (string, int) {
	host, port, err := net.SplitHostPort(c.Proxy)
	if err != nil {
		return strings.Trim(c.Proxy, "[]"), 5060
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return host, 0
	}
	return host, p
}

// Validate reports every mistake at once (after defaults). It never quotes the password.
func (c Config) Validate() error {
	c.setDefaults()
	var errs []error
	host, port := c.proxyHostPort()
	switch {
	case strings.TrimSpace(c.Proxy) == "":
		errs = append(errs, errors.New("voice: proxy (the PBX or SIP trunk, host:port) is empty"))
	case host == "" || strings.ContainsAny(c.Proxy, " /@;"):
		errs = append(errs, fmt.Errorf("voice: proxy %q: want host or host:port", c.Proxy))
	case port < 1 || port > 65535:
		errs = append(errs, fmt.Errorf("voice: proxy %q: port must be 1 to 65535", c.Proxy))
	}
	if c.Transport != "udp" && c.Transport != "tcp" {
		errs = append(errs, fmt.Errorf("voice: transport %q: want udp or tcp", c.Transport))
	}
	if c.Password != "" && c.Username == "" {
		errs = append(errs, errors.New("voice: a password is set without a username"))
	}
	if !validUser(c.From) {
		errs = append(errs, fmt.Errorf("voice: from %q: want a SIP user part (letters, digits, + - _ .)", c.From))
	}
	if strings.ContainsAny(c.DisplayName, "\"\\\r\n") {
		errs = append(errs, fmt.Errorf("voice: display name %q has a quote, backslash or line break", c.DisplayName))
	}
	if net.ParseIP(c.BindHost) == nil {
		errs = append(errs, fmt.Errorf("voice: bind host %q is not an IP address", c.BindHost))
	}
	if c.BindPort < 0 || c.BindPort > 65535 {
		errs = append(errs, fmt.Errorf("voice: bind port %d must be 0 to 65535", c.BindPort))
	}
	if c.ExternalHost != "" && net.ParseIP(c.ExternalHost) == nil {
		errs = append(errs, fmt.Errorf("voice: external host %q is not an IP address", c.ExternalHost))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"ring timeout", c.RingTimeout}, {"pause", c.Pause}, {"key wait", c.KeyWait}, {"max call", c.MaxCall}, {"remember for", c.RememberFor}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("voice: %s %v is negative", d.name, d.v))
		}
	}
	if c.Repeat < 1 || c.Repeat > 10 {
		errs = append(errs, fmt.Errorf("voice: repeat %d must be 1 to 10", c.Repeat))
	}
	return errors.Join(errs...)
}

func validUser(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("+-_.", r):
		default:
			return false
		}
	}
	return true
}

// validNumber reports whether s can be dialled: E.164 ("+33612345678") or a PBX extension
// (digits, '*' and '#' allowed).
func validNumber(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '*', r == '#':
		case r == '+' && i == 0 && len(s) > 1:
		default:
			return false
		}
	}
	return true
}
