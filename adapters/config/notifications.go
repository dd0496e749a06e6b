package config

import (
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Defaults of the notifications block.
const (
	// DefaultAckLinkTTL is how long a one-click acknowledgement link stays valid: a night on call.
	DefaultAckLinkTTL = 24 * time.Hour
	// DefaultAttemptBudget is how long a channel keeps retrying one notification before giving up,
	// so that the cascade falls back to the recipient's next channel instead of waiting for a
	// provider that is down.
	DefaultAttemptBudget  = 60 * time.Second
	DefaultBackoffInitial = 2 * time.Second
	DefaultBackoffMax     = time.Minute
	// DefaultRateLimitBurst messages to one recipient on one channel at once, then one every
	// DefaultRateLimitEvery.
	DefaultRateLimitBurst = 10
	DefaultRateLimitEvery = 6 * time.Second
	// DefaultTwilioBaseURL is Twilio's API.
	DefaultTwilioBaseURL = "https://api.twilio.com"
	DefaultModemBaud     = 115200
	// WebhookSMSStatusPath is where the Twilio-compatible gateway posts delivery receipts, under
	// the public URL.
	WebhookSMSStatusPath = "/api/v1/webhooks/sms/status"
	// WebhookSMSInboundPath is where it posts the operators' replies.
	WebhookSMSInboundPath = "/api/v1/webhooks/sms/inbound"
)

// Providers of the channels.
const (
	ProviderSMTP     = "smtp"
	ProviderSendGrid = "sendgrid"
	ProviderTwilio   = "twilio"
	ProviderModem    = "modem"
	ProviderSIP      = "sip"
)

// Notifications is how Vigie reaches operators: the provider behind each channel and how hard a
// channel tries. A channel whose Provider is empty is not configured: Vigie runs without it (the
// demo runs with none). Secrets are never in the file: each *Env field names the environment
// variable that holds one, read when the channels are built.
//
// This block is not part of the recorded document (Document, Diff): it says how messages leave
// the server, not what is supervised nor who is called, and it changes with the infrastructure.
type Notifications struct {
	// PublicURL is the base of the links put in messages and of the webhooks' public address
	// ("https://vigie.example.org", no trailing slash): notifications.public_url, else
	// site.public_url; empty when neither is set.
	PublicURL string
	AckLinks  AckLinksConfig
	Email     EmailChannel
	SMS       SMSChannel
	Voice     VoiceChannel
	Delivery  Delivery
}

// AckLinksConfig configures the signed one-click acknowledgement links of messages.
type AckLinksConfig struct {
	// SecretEnv names the variable holding the signing secret (at least 32 bytes,
	// email.MinAckSecret, checked when the channels are built); empty: messages carry no link.
	SecretEnv string
	// PreviousSecretEnv names the variable holding the secret used before a rotation: links it
	// signed keep working until they expire. Optional.
	PreviousSecretEnv string
	// TTL is how long a link stays valid.
	TTL time.Duration
}

// Enabled reports whether messages carry acknowledgement links.
func (a AckLinksConfig) Enabled() bool { return a.SecretEnv != "" }

// EmailChannel is the e-mail channel: Provider is ProviderSMTP or ProviderSendGrid, "" when off.
type EmailChannel struct {
	Provider string
	SMTP     SMTPConfig
	SendGrid SendGridConfig
}

// SMTPConfig is an SMTP relay or submission server.
type SMTPConfig struct {
	Host string
	// Port: 587 for starttls, 465 for tls, 25 for none when not given.
	Port int
	// Security: "starttls" (default), "tls" or "none".
	Security    string
	Username    string
	PasswordEnv string
	// From is the sender, "Vigie <astreinte@example.org>".
	From string
	// Auth is the SASL mechanism: PLAIN (default), LOGIN, CRAM-MD5 or SCRAM-SHA-256.
	Auth string
	// Timeout bounds the connection and each command; 0: the channel's default (10 s).
	Timeout time.Duration
}

// SendGridConfig is SendGrid's v3 mail API.
type SendGridConfig struct {
	APIKeyEnv string
	From      string
	// BaseURL of the API; empty: SendGrid's own (https://api.sendgrid.com).
	BaseURL string
	Timeout time.Duration
}

// SMSChannel is the SMS channel: Provider is ProviderTwilio or ProviderModem, "" when off.
type SMSChannel struct {
	Provider string
	Twilio   TwilioConfig
	Modem    ModemConfig
}

// TwilioConfig is an HTTP SMS gateway speaking Twilio's REST API.
type TwilioConfig struct {
	BaseURL      string // default DefaultTwilioBaseURL
	AccountSID   string
	AuthTokenEnv string
	// From is the sender number (E.164) or alphanumeric id; or MessagingServiceSID instead.
	From                string
	MessagingServiceSID string
	// StatusCallback asks the gateway for delivery receipts at PublicURL+WebhookSMSStatusPath
	// (default true; needs a public URL).
	StatusCallback bool
	// MaxSegments caps a text, in SMS parts; 0: the channel's default (6).
	MaxSegments int
	Timeout     time.Duration
}

// ModemConfig is a GSM modem on a serial port.
type ModemConfig struct {
	Device string
	Baud   int // default DefaultModemBaud
	// PINEnv names the variable holding the SIM's PIN; empty: the SIM asks for none.
	PINEnv string
	// SMSC is the service centre's number (E.164); empty: the one stored on the SIM.
	SMSC string
	// Zero durations and MaxSegments take the channel's defaults (docs/sms.md).
	CommandTimeout time.Duration
	SendTimeout    time.Duration
	ReconnectMin   time.Duration
	ReconnectMax   time.Duration
	PollInterval   time.Duration
	MaxSegments    int
}

// VoiceChannel is the voice-call channel: Provider is ProviderSIP, "" when off.
type VoiceChannel struct {
	Provider string
	SIP      SIPConfig
}

// SIPConfig is the PBX or SIP trunk calls go through.
type SIPConfig struct {
	// Proxy is the registrar or outbound proxy, "host:port".
	Proxy string
	// Transport: "udp" (default), "tcp" or "tls".
	Transport   string
	User        string
	PasswordEnv string
	// From is the caller id presented: an E.164 number or a SIP user.
	From string
	// Bind is the local address of SIP and RTP; "" : every interface, the first one announced.
	Bind string
}

// Delivery is how hard each channel tries one notification.
type Delivery struct {
	// AttemptBudget bounds the retries of one notification on one channel; past it the
	// notification fails and the cascade falls back to the recipient's next channel.
	AttemptBudget  time.Duration
	BackoffInitial time.Duration
	BackoffMax     time.Duration
	// RateLimitBurst messages to one recipient on one channel at once, then one every
	// RateLimitEvery.
	RateLimitBurst int
	RateLimitEvery time.Duration
}

// Notifications returns the channels' configuration, defaults applied (also when the file has
// no notifications block).
func (c *Config) Notifications() Notifications {
	if c.notifications == nil {
		n := defaultNotifications(c.site.PublicURL)
		return n
	}
	return *c.notifications
}

// UnconfiguredChannels lists the channels escalation steps use that no provider serves, in the
// order sms, voice, email: the wiring warns about them (a step then falls back to the
// recipient's other channels). The demo runs this way.
func (c *Config) UnconfiguredChannels() []Channel {
	n := c.Notifications()
	used := map[Channel]bool{}
	for _, p := range c.policies {
		for _, s := range p.Steps {
			for _, ch := range s.Channels {
				used[ch] = true
			}
		}
	}
	var out []Channel
	for _, ch := range []Channel{ChannelSMS, ChannelVoice, ChannelEmail} {
		if used[ch] && !n.Configured(ch) {
			out = append(out, ch)
		}
	}
	return out
}

// Configured reports whether a provider serves ch.
func (n Notifications) Configured(ch Channel) bool {
	switch ch {
	case ChannelEmail:
		return n.Email.Provider != ""
	case ChannelSMS:
		return n.SMS.Provider != ""
	case ChannelVoice:
		return n.Voice.Provider != ""
	}
	return false
}

func defaultNotifications(siteURL string) Notifications {
	return Notifications{
		PublicURL: strings.TrimRight(siteURL, "/"),
		AckLinks:  AckLinksConfig{TTL: DefaultAckLinkTTL},
		Delivery: Delivery{
			AttemptBudget: DefaultAttemptBudget, BackoffInitial: DefaultBackoffInitial, BackoffMax: DefaultBackoffMax,
			RateLimitBurst: DefaultRateLimitBurst, RateLimitEvery: DefaultRateLimitEvery,
		},
	}
}

// secretHint answers a key that would put a secret in the file.
func secretHint(envKey string) string {
	return "secrets are not written in the file: put it in an environment variable and give that variable's name as " + envKey
}

// notifications decodes and checks the block. It runs after the site, whose public_url is the
// default of the links' base.
func (d *decoder) notifications(n *yaml.Node, path string, site Site) *Notifications {
	out := defaultNotifications(site.PublicURL)
	var publicURLNode *yaml.Node
	d.mapping(n, path, keys{
		"public_url": func(v *yaml.Node, p string) { publicURLNode = v; d.str(v, p) },
		"ack_links":  func(v *yaml.Node, p string) { d.ackLinks(v, p, &out.AckLinks) },
		"email":      func(v *yaml.Node, p string) { d.emailChannel(v, p, &out.Email) },
		"sms":        func(v *yaml.Node, p string) { d.smsChannel(v, p, &out.SMS) },
		"voice":      func(v *yaml.Node, p string) { d.voiceChannel(v, p, &out.Voice) },
		"delivery":   func(v *yaml.Node, p string) { d.delivery(v, p, &out.Delivery) },
	}, nil, map[string]string{
		"smtp":     "put the SMTP server under email: {provider: smtp, smtp: {...}}",
		"sendgrid": "put SendGrid under email: {provider: sendgrid, sendgrid: {...}}",
		"twilio":   "put the gateway under sms: {provider: twilio, twilio: {...}}",
		"modem":    "put the modem under sms: {provider: modem, modem: {...}}",
		"sip":      "put the SIP account under voice: {provider: sip, sip: {...}}",
	})
	if publicURLNode != nil && !d.bad[field(path, "public_url")] {
		p := field(path, "public_url")
		raw := publicURLNode.Value
		if isNull(publicURLNode) {
			raw = ""
		}
		switch u := strings.TrimRight(raw, "/"); {
		case !validHTTPURL(raw):
			d.addAt(publicURLNode, p, "bad_public_url", "must be the address operators open in a browser, like https://vigie.example.org (got %q)", clip(raw))
		case site.PublicURL != "" && strings.TrimRight(site.PublicURL, "/") != u:
			d.addAt(publicURLNode, p, "public_url_differs", "differs from site.public_url %q: give the address once (here, or under site)", clip(site.PublicURL))
		default:
			out.PublicURL = u
		}
	}
	if out.AckLinks.Enabled() && out.PublicURL == "" && !d.badUnder(field(path, "ack_links")) {
		d.add(field(path, "ack_links"), "ack_links_need_public_url", "acknowledgement links need the address of Vigie: set notifications.public_url (or site.public_url)")
	}
	if out.SMS.Provider == ProviderTwilio && out.SMS.Twilio.StatusCallback && out.PublicURL == "" && !d.badUnder(field(path, "sms")) {
		d.add(field(path, "sms.twilio.status_callback"), "status_callback_needs_public_url", "delivery receipts need the address the gateway calls back: set notifications.public_url (or site.public_url), or status_callback: false")
	}
	return &out
}

// validHTTPURL accepts the base of a web address: http(s), a host, no credentials, query or
// fragment.
func validHTTPURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil && u.RawQuery == "" && u.Fragment == "" && !u.ForceQuery
}

// envName reads the name of an environment variable. The value is never quoted back in a
// problem: someone may have written the secret itself there.
func (d *decoder) envName(n *yaml.Node, path string) string {
	s, ok := d.scalar(n, path)
	if !ok {
		return ""
	}
	valid := s != "" && len(s) <= 128 && !(s[0] >= '0' && s[0] <= '9')
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			valid = false
		}
	}
	if !valid {
		d.addAt(n, path, "bad_secret_env", "must be the name of an environment variable holding the secret, in capitals, digits and _, like VIGIE_SMTP_PASSWORD (the secret itself never goes in this file; the value is not repeated here)")
		return ""
	}
	return s
}

func (d *decoder) ackLinks(n *yaml.Node, path string, a *AckLinksConfig) {
	d.mapping(n, path, keys{
		"secret_env":          func(v *yaml.Node, p string) { a.SecretEnv = d.envName(v, p) },
		"previous_secret_env": func(v *yaml.Node, p string) { a.PreviousSecretEnv = d.envName(v, p) },
		"ttl": func(v *yaml.Node, p string) {
			if a.TTL = d.duration(v, p, false); a.TTL == 0 {
				a.TTL = DefaultAckLinkTTL
			} else if a.TTL > 30*24*time.Hour {
				d.addAt(v, p, "ack_link_ttl_too_long", "a link valid for more than 30 days outlives any incident (got %s)", a.TTL)
			}
		},
	}, []string{"secret_env"}, map[string]string{"secret": secretHint("secret_env")})
	if a.PreviousSecretEnv != "" && a.PreviousSecretEnv == a.SecretEnv {
		d.add(field(path, "previous_secret_env"), "previous_secret_same_variable", "names the same variable as secret_env: after a rotation it holds the old secret")
	}
}

// provider decodes a channel's provider and the blocks of each provider, then checks that the
// chosen provider's block is there and no other one is.
func (d *decoder) provider(n *yaml.Node, path string, providerOut *string, blocks map[string]func(v *yaml.Node, p string), hints map[string]string) {
	var names []string
	for k := range blocks {
		names = append(names, k)
	}
	slices.Sort(names)
	given := map[string]bool{}
	ks := keys{"provider": func(v *yaml.Node, p string) { *providerOut = d.enum(v, p, names...) }}
	for name, fn := range blocks {
		ks[name] = func(v *yaml.Node, p string) { given[name] = true; fn(v, p) }
	}
	d.mapping(n, path, ks, []string{"provider"}, hints)
	if *providerOut == "" {
		return
	}
	if !given[*providerOut] {
		d.add(field(path, *providerOut), "provider_settings_missing", "is missing: provider is %s, so its settings go under %s:", *providerOut, *providerOut)
	}
	for _, name := range names {
		if given[name] && name != *providerOut {
			d.add(field(path, name), "provider_settings_other", "is given but provider is %s: remove it, or set provider: %s", *providerOut, name)
		}
	}
}

func (d *decoder) emailChannel(n *yaml.Node, path string, e *EmailChannel) {
	d.provider(n, path, &e.Provider, map[string]func(*yaml.Node, string){
		ProviderSMTP:     func(v *yaml.Node, p string) { d.smtp(v, p, &e.SMTP) },
		ProviderSendGrid: func(v *yaml.Node, p string) { d.sendgrid(v, p, &e.SendGrid) },
	}, nil)
	if d.badUnder(path) {
		e.Provider = ""
	}
}

func (d *decoder) port(n *yaml.Node, path string) int {
	v := d.int(n, path)
	if !d.bad[path] && (v < 1 || v > 65535) {
		d.addAt(n, path, "bad_tcp_port", "must be a TCP port between 1 and 65535 (got %d)", v)
		return 0
	}
	return int(v)
}

func (d *decoder) sender(n *yaml.Node, path string) string {
	s := d.str(n, path)
	if d.bad[path] {
		return ""
	}
	if _, err := mail.ParseAddress(s); err != nil {
		d.addAt(n, path, "bad_email_sender", "must be an e-mail address, optionally with a name: Vigie <astreinte@example.org> (got %q)", clip(s))
		return ""
	}
	return s
}

func (d *decoder) smtp(n *yaml.Node, path string, s *SMTPConfig) {
	s.Security, s.Auth = "starttls", "PLAIN"
	var hostNode *yaml.Node
	d.mapping(n, path, keys{
		"host":         func(v *yaml.Node, p string) { s.Host, hostNode = d.str(v, p), v },
		"port":         func(v *yaml.Node, p string) { s.Port = d.port(v, p) },
		"security":     func(v *yaml.Node, p string) { s.Security = d.enum(v, p, "starttls", "tls", "none") },
		"username":     func(v *yaml.Node, p string) { s.Username = d.str(v, p) },
		"password_env": func(v *yaml.Node, p string) { s.PasswordEnv = d.envName(v, p) },
		"from":         func(v *yaml.Node, p string) { s.From = d.sender(v, p) },
		"auth": func(v *yaml.Node, p string) {
			s.Auth = strings.ToUpper(d.str(v, p))
			if !d.bad[p] && !slices.Contains([]string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"}, s.Auth) {
				d.addAt(v, p, "bad_smtp_auth", "must be one of PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 (got %q)", clip(v.Value))
			}
		},
		"timeout": func(v *yaml.Node, p string) { s.Timeout = d.duration(v, p, false) },
	}, []string{"host", "from"}, map[string]string{"password": secretHint("password_env"), "user": "write it username", "tls": "write security: tls (or starttls)"})
	if hostNode != nil && !d.bad[field(path, "host")] && (strings.TrimSpace(s.Host) == "" || strings.ContainsAny(s.Host, " /:@")) {
		d.addAt(hostNode, field(path, "host"), "bad_smtp_host", "must be a host name or IP address, without port or scheme (got %q): the port goes under port", clip(s.Host))
	}
	if s.Port == 0 {
		s.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[s.Security]
	}
	if s.PasswordEnv != "" && s.Username == "" {
		d.add(field(path, "username"), "smtp_username_missing", "is missing: password_env is given, so the server expects a user name")
	}
	if s.Security == "none" && s.Username != "" && !isLoopbackHost(s.Host) {
		d.add(field(path, "security"), "smtp_password_in_clear", "none would send the password in clear to %s: use starttls or tls", clip(s.Host))
	}
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (d *decoder) httpURLValue(n *yaml.Node, path string) string {
	s := d.str(n, path)
	if d.bad[path] {
		return ""
	}
	if !validHTTPURL(s) {
		d.addAt(n, path, "bad_http_url", "must be an http(s) address without credentials or query, like https://api.example.com (got %q)", clip(s))
		return ""
	}
	return strings.TrimRight(s, "/")
}

func (d *decoder) sendgrid(n *yaml.Node, path string, s *SendGridConfig) {
	d.mapping(n, path, keys{
		"api_key_env": func(v *yaml.Node, p string) { s.APIKeyEnv = d.envName(v, p) },
		"from":        func(v *yaml.Node, p string) { s.From = d.sender(v, p) },
		"base_url":    func(v *yaml.Node, p string) { s.BaseURL = d.httpURLValue(v, p) },
		"timeout":     func(v *yaml.Node, p string) { s.Timeout = d.duration(v, p, false) },
	}, []string{"api_key_env", "from"}, map[string]string{"api_key": secretHint("api_key_env"), "key": secretHint("api_key_env")})
}

func (d *decoder) smsChannel(n *yaml.Node, path string, s *SMSChannel) {
	d.provider(n, path, &s.Provider, map[string]func(*yaml.Node, string){
		ProviderTwilio: func(v *yaml.Node, p string) { d.twilio(v, p, &s.Twilio) },
		ProviderModem:  func(v *yaml.Node, p string) { d.modem(v, p, &s.Modem) },
	}, nil)
	if d.badUnder(path) {
		s.Provider = ""
	}
}

func (d *decoder) maxSegments(n *yaml.Node, path string) int {
	v := d.int(n, path)
	if !d.bad[path] && (v < 1 || v > 10) {
		d.addAt(n, path, "sms_parts_out_of_range", "must be between 1 and 10 SMS parts (got %d)", v)
		return 0
	}
	return int(v)
}

func (d *decoder) twilio(n *yaml.Node, path string, t *TwilioConfig) {
	t.BaseURL, t.StatusCallback = DefaultTwilioBaseURL, true
	var fromNode *yaml.Node
	d.mapping(n, path, keys{
		"base_url": func(v *yaml.Node, p string) {
			if u := d.httpURLValue(v, p); u != "" {
				t.BaseURL = u
			}
		},
		"account_sid": func(v *yaml.Node, p string) {
			t.AccountSID = d.str(v, p)
			if !d.bad[p] && (t.AccountSID == "" || strings.ContainsAny(t.AccountSID, "/?#% ")) {
				d.addAt(v, p, "bad_twilio_account", "must be the account id, like AC followed by 32 hexadecimal digits (got %q)", clip(t.AccountSID))
			}
		},
		"auth_token_env":        func(v *yaml.Node, p string) { t.AuthTokenEnv = d.envName(v, p) },
		"from":                  func(v *yaml.Node, p string) { t.From, fromNode = d.str(v, p), v },
		"messaging_service_sid": func(v *yaml.Node, p string) { t.MessagingServiceSID = d.str(v, p) },
		"status_callback":       func(v *yaml.Node, p string) { t.StatusCallback = d.boolean(v, p) },
		"max_segments":          func(v *yaml.Node, p string) { t.MaxSegments = d.maxSegments(v, p) },
		"timeout":               func(v *yaml.Node, p string) { t.Timeout = d.duration(v, p, false) },
	}, []string{"account_sid", "auth_token_env"}, map[string]string{"auth_token": secretHint("auth_token_env"), "token": secretHint("auth_token_env")})
	fp := field(path, "from")
	switch {
	case d.bad[fp]:
	case t.From == "" && t.MessagingServiceSID == "":
		d.add(fp, "sms_sender_missing", "is missing: give the sender (a number of the account, or an alphanumeric id) or messaging_service_sid")
	case t.From != "" && t.MessagingServiceSID != "":
		d.add(fp, "sms_sender_twice", "give either from or messaging_service_sid, not both")
	case t.From != "" && (strings.HasPrefix(t.From, "+") || strings.Trim(t.From, "0123456789 ") == "") && !validE164(t.From):
		d.addAt(fromNode, fp, "bad_sms_sender", "must be an E.164 number like +33612345678, or an alphanumeric sender id (got %q)", clip(t.From))
	case t.From != "" && !strings.HasPrefix(t.From, "+") && (len(t.From) > 11 || strings.TrimSpace(t.From) == ""):
		d.addAt(fromNode, fp, "sms_sender_id_length", "an alphanumeric sender id has 1 to 11 characters (got %q); operators cannot reply to one", clip(t.From))
	}
}

func (d *decoder) boolean(n *yaml.Node, path string) bool {
	s, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	var b bool
	if n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.addAt(n, path, "not_a_boolean", "must be true or false (got %q)", clip(s))
		return false
	}
	return b
}

func (d *decoder) modem(n *yaml.Node, path string, m *ModemConfig) {
	m.Baud = DefaultModemBaud
	d.mapping(n, path, keys{
		"device": func(v *yaml.Node, p string) {
			m.Device = d.str(v, p)
			if !d.bad[p] && !strings.HasPrefix(m.Device, "/") {
				d.addAt(v, p, "bad_serial_device", "must be the path of the serial device, like /dev/serial/by-id/usb-…-if02-port0 or /dev/ttyUSB2 (got %q)", clip(m.Device))
			}
		},
		"baud": func(v *yaml.Node, p string) {
			b := d.int(v, p)
			if !d.bad[p] && (b < 300 || b > 4_000_000) {
				d.addAt(v, p, "bad_serial_speed", "must be a serial speed like 115200 (got %d)", b)
				return
			}
			m.Baud = int(b)
		},
		"pin_env": func(v *yaml.Node, p string) { m.PINEnv = d.envName(v, p) },
		"smsc": func(v *yaml.Node, p string) {
			m.SMSC = d.str(v, p)
			if !d.bad[p] && m.SMSC != "" && !validE164(m.SMSC) {
				d.addAt(v, p, "bad_smsc", "must be the service centre's number in E.164 form, like +33609001390 (got %q)", clip(m.SMSC))
			}
		},
		"command_timeout": func(v *yaml.Node, p string) { m.CommandTimeout = d.duration(v, p, false) },
		"send_timeout":    func(v *yaml.Node, p string) { m.SendTimeout = d.duration(v, p, false) },
		"reconnect_min":   func(v *yaml.Node, p string) { m.ReconnectMin = d.duration(v, p, false) },
		"reconnect_max":   func(v *yaml.Node, p string) { m.ReconnectMax = d.duration(v, p, false) },
		"poll_interval":   func(v *yaml.Node, p string) { m.PollInterval = d.duration(v, p, false) },
		"max_segments":    func(v *yaml.Node, p string) { m.MaxSegments = d.maxSegments(v, p) },
	}, []string{"device"}, map[string]string{"pin": secretHint("pin_env"), "port": "write the serial device as device: /dev/ttyUSB2", "baud_rate": "write it baud"})
	if m.ReconnectMin > 0 && m.ReconnectMax > 0 && m.ReconnectMax < m.ReconnectMin {
		d.add(field(path, "reconnect_max"), "reconnect_max_below_min", "%s is below reconnect_min %s", m.ReconnectMax, m.ReconnectMin)
	}
}

func (d *decoder) voiceChannel(n *yaml.Node, path string, vc *VoiceChannel) {
	d.provider(n, path, &vc.Provider, map[string]func(*yaml.Node, string){
		ProviderSIP: func(v *yaml.Node, p string) { d.sip(v, p, &vc.SIP) },
	}, nil)
	if d.badUnder(path) {
		vc.Provider = ""
	}
}

func (d *decoder) sip(n *yaml.Node, path string, s *SIPConfig) {
	s.Transport = "udp"
	d.mapping(n, path, keys{
		"proxy": func(v *yaml.Node, p string) {
			s.Proxy = d.str(v, p)
			if d.bad[p] {
				return
			}
			host, port, err := net.SplitHostPort(s.Proxy)
			n, perr := strconv.Atoi(port)
			if err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
				d.addAt(v, p, "bad_sip_proxy", "must be host:port, like pbx.example.org:5060 or [2001:db8::1]:5061 (got %q)", clip(s.Proxy))
			}
		},
		// No tls: the voice channel speaks SIP over UDP or TCP only (docs/voice.md).
		"transport": func(v *yaml.Node, p string) { s.Transport = d.enum(v, p, "udp", "tcp") },
		"bind": func(v *yaml.Node, p string) {
			s.Bind = d.str(v, p)
			if !d.bad[p] && net.ParseIP(s.Bind) == nil {
				d.addAt(v, p, "bad_sip_bind", "must be a local IP address for SIP and RTP, like 192.0.2.10 (got %q)", clip(s.Bind))
			}
		},
		"user":         func(v *yaml.Node, p string) { s.User = d.str(v, p) },
		"password_env": func(v *yaml.Node, p string) { s.PasswordEnv = d.envName(v, p) },
		"from": func(v *yaml.Node, p string) {
			s.From = d.str(v, p)
			if !d.bad[p] && (s.From == "" || strings.ContainsAny(s.From, " <>\"") || (strings.HasPrefix(s.From, "+") && !validE164(s.From))) {
				d.addAt(v, p, "bad_sip_from", "must be the caller id: an E.164 number like +33466000000 or a SIP user (got %q)", clip(s.From))
			}
		},
	}, []string{"proxy", "user", "from"}, map[string]string{"password": secretHint("password_env"), "username": "write it user"})
	if strings.TrimSpace(s.User) == "" && !d.bad[field(path, "user")] && !d.badUnder(path) {
		d.add(field(path, "user"), "sip_user_empty", "is empty: give the SIP account's user name")
	}
}

func (d *decoder) delivery(n *yaml.Node, path string, dl *Delivery) {
	d.mapping(n, path, keys{
		"attempt_budget": func(v *yaml.Node, p string) {
			if x := d.duration(v, p, false); x > 0 {
				dl.AttemptBudget = x
			}
		},
		"backoff": func(v *yaml.Node, p string) {
			d.mapping(v, p, keys{
				"initial": func(v *yaml.Node, p string) {
					if x := d.duration(v, p, false); x > 0 {
						dl.BackoffInitial = x
					}
				},
				"max": func(v *yaml.Node, p string) {
					if x := d.duration(v, p, false); x > 0 {
						dl.BackoffMax = x
					}
				},
			}, nil, nil)
		},
		"rate_limit": func(v *yaml.Node, p string) {
			d.mapping(v, p, keys{
				"burst": func(v *yaml.Node, p string) {
					b := d.int(v, p)
					if !d.bad[p] && (b < 1 || b > 10_000) {
						d.addAt(v, p, "batch_out_of_range", "must be between 1 and 10000 messages (got %d)", b)
						return
					}
					if b > 0 {
						dl.RateLimitBurst = int(b)
					}
				},
				"every": func(v *yaml.Node, p string) {
					if x := d.duration(v, p, false); x > 0 {
						dl.RateLimitEvery = x
					}
				},
			}, nil, nil)
		},
	}, nil, map[string]string{"retry": "write the retry delays under backoff: {initial, max}", "timeout": "write how long a channel retries as attempt_budget"})
	bp := field(path, "backoff")
	if !d.badUnder(bp) && dl.BackoffMax < dl.BackoffInitial {
		d.add(field(bp, "max"), "backoff_max_below_initial", "%s is below initial %s", dl.BackoffMax, dl.BackoffInitial)
	}
	if !d.badUnder(path) && dl.AttemptBudget < dl.BackoffInitial {
		d.add(field(path, "attempt_budget"), "attempt_budget_too_short", "%s is shorter than the first back-off %s: a failed attempt would never be retried", dl.AttemptBudget, dl.BackoffInitial)
	}
}
