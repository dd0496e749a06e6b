package config_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
)

const notificationsBase = "testdata/valid/notifications-smtp-twilio.yaml"

func TestNotificationsEveryField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want config.Notifications
	}{
		{notificationsBase, config.Notifications{
			PublicURL: "https://vigie.example.org",
			AckLinks:  config.AckLinksConfig{SecretEnv: "VIGIE_ACK_SECRET", PreviousSecretEnv: "VIGIE_ACK_SECRET_OLD", TTL: 12 * time.Hour},
			Email: config.EmailChannel{Provider: "smtp", SMTP: config.SMTPConfig{
				Host: "smtp.example.org", Port: 587, Security: "starttls", Username: "vigie", PasswordEnv: "VIGIE_SMTP_PASSWORD",
				From: "Vigie <astreinte@example.org>", Auth: "PLAIN", Timeout: 10 * time.Second,
			}},
			SMS: config.SMSChannel{Provider: "twilio", Twilio: config.TwilioConfig{
				BaseURL: "https://api.twilio.com", AccountSID: "AC0123456789abcdef0123456789abcdef", AuthTokenEnv: "VIGIE_TWILIO_TOKEN",
				From: "+33600000099", StatusCallback: true, MaxSegments: 4, Timeout: 10 * time.Second,
			}},
			Voice: config.VoiceChannel{Provider: "sip", SIP: config.SIPConfig{
				Proxy: "pbx.example.org:5060", Transport: "udp", User: "vigie", PasswordEnv: "VIGIE_SIP_PASSWORD", From: "+33466000000",
			}},
			Delivery: config.Delivery{AttemptBudget: 90 * time.Second, BackoffInitial: time.Second, BackoffMax: 30 * time.Second,
				RateLimitBurst: 5, RateLimitEvery: 10 * time.Second},
		}},
		{"testdata/valid/notifications-sendgrid-modem.yaml", config.Notifications{
			PublicURL: "https://vigie.example.org/astreinte",
			AckLinks:  config.AckLinksConfig{TTL: config.DefaultAckLinkTTL},
			Email: config.EmailChannel{Provider: "sendgrid", SendGrid: config.SendGridConfig{
				APIKeyEnv: "VIGIE_SENDGRID_KEY", From: "astreinte@example.org", BaseURL: "http://127.0.0.1:8025", Timeout: 5 * time.Second,
			}},
			SMS: config.SMSChannel{Provider: "modem", Modem: config.ModemConfig{
				Device: "/dev/serial/by-id/usb-Quectel_EC25-if02-port0", Baud: 115200, PINEnv: "VIGIE_SIM_PIN", SMSC: "+33609001390",
				CommandTimeout: 10 * time.Second, SendTimeout: time.Minute, ReconnectMin: time.Second, ReconnectMax: 10 * time.Second,
				PollInterval: time.Minute, MaxSegments: 6,
			}},
			Delivery: config.Delivery{AttemptBudget: config.DefaultAttemptBudget, BackoffInitial: config.DefaultBackoffInitial,
				BackoffMax: config.DefaultBackoffMax, RateLimitBurst: config.DefaultRateLimitBurst, RateLimitEvery: config.DefaultRateLimitEvery},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got := load(t, tt.file).Notifications()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Notifications()\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestNotificationsAbsent: a file without the block runs with no channel, the defaults of
// delivery, and the site's public URL; every channel the policies use is reported unconfigured.
func TestNotificationsAbsent(t *testing.T) {
	t.Parallel()
	c := load(t, "testdata/valid/base.yaml")
	n := c.Notifications()
	want := config.Notifications{
		PublicURL: "https://vigie.example.org",
		AckLinks:  config.AckLinksConfig{TTL: 24 * time.Hour},
		Delivery:  config.Delivery{AttemptBudget: time.Minute, BackoffInitial: 2 * time.Second, BackoffMax: time.Minute, RateLimitBurst: 10, RateLimitEvery: 6 * time.Second},
	}
	if !reflect.DeepEqual(n, want) {
		t.Errorf("Notifications()\n got %+v\nwant %+v", n, want)
	}
	if got, want := c.UnconfiguredChannels(), []config.Channel{"sms", "voice", "email"}; !slices.Equal(got, want) {
		t.Errorf("UnconfiguredChannels() = %v, want %v", got, want)
	}
	if got := load(t, notificationsBase).UnconfiguredChannels(); len(got) != 0 {
		t.Errorf("UnconfiguredChannels() = %v with every channel configured", got)
	}
}

// TestNotificationsDefaults: the smallest block of each provider, with the defaults filled in.
func TestNotificationsDefaults(t *testing.T) {
	t.Parallel()
	base := readFile(t, "testdata/valid/base.yaml")
	tests := []struct {
		name  string
		block string
		check func(n config.Notifications) bool
	}{
		{"smtp tls port", "  email: {provider: smtp, smtp: {host: mail.example.org, security: tls, from: a@example.org}}",
			func(n config.Notifications) bool {
				return n.Email.SMTP == config.SMTPConfig{Host: "mail.example.org", Port: 465, Security: "tls", From: "a@example.org", Auth: "PLAIN"}
			}},
		{"smtp defaults", "  email: {provider: smtp, smtp: {host: 127.0.0.1, from: a@example.org, auth: login}}",
			func(n config.Notifications) bool {
				return n.Email.SMTP.Port == 587 && n.Email.SMTP.Security == "starttls" && n.Email.SMTP.Auth == "LOGIN"
			}},
		{"smtp none on loopback with a password", "  email: {provider: smtp, smtp: {host: localhost, security: none, username: u, password_env: P, from: a@example.org}}",
			func(n config.Notifications) bool { return n.Email.SMTP.Port == 25 }},
		{"twilio defaults", "  sms: {provider: twilio, twilio: {account_sid: AC1, auth_token_env: TOKEN, messaging_service_sid: MG1}}",
			func(n config.Notifications) bool {
				return n.SMS.Twilio == config.TwilioConfig{BaseURL: config.DefaultTwilioBaseURL, AccountSID: "AC1", AuthTokenEnv: "TOKEN", MessagingServiceSID: "MG1", StatusCallback: true}
			}},
		{"twilio alphanumeric sender without receipts", "  sms: {provider: twilio, twilio: {account_sid: AC1, auth_token_env: TOKEN, from: VIGIE, status_callback: false}}",
			func(n config.Notifications) bool { return n.SMS.Twilio.From == "VIGIE" && !n.SMS.Twilio.StatusCallback }},
		{"modem defaults", "  sms: {provider: modem, modem: {device: /dev/ttyUSB2}}",
			func(n config.Notifications) bool {
				return n.SMS.Modem == config.ModemConfig{Device: "/dev/ttyUSB2", Baud: 115200}
			}},
		{"sip defaults", "  voice: {provider: sip, sip: {proxy: \"[::1]:5060\", user: vigie, from: vigie}}",
			func(n config.Notifications) bool {
				return n.Voice.SIP.Transport == "udp" && n.Voice.SIP.Proxy == "[::1]:5060"
			}},
		{"ack links default ttl", "  ack_links: {secret_env: S}",
			func(n config.Notifications) bool {
				return n.AckLinks == config.AckLinksConfig{SecretEnv: "S", TTL: 24 * time.Hour}
			}},
		{"public url repeated identically", "  public_url: https://vigie.example.org",
			func(n config.Notifications) bool { return n.PublicURL == "https://vigie.example.org" }},
		{"empty block", "  {}",
			func(n config.Notifications) bool {
				return n.Delivery.AttemptBudget == time.Minute && !n.Configured(config.ChannelSMS)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text := base + "notifications:\n" + tt.block + "\n"
			if tt.block == "  {}" {
				text = base + "notifications: {}\n"
			}
			c, err := config.Parse("base.yaml", []byte(text))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if n := c.Notifications(); !tt.check(n) {
				t.Errorf("unexpected %+v", n)
			}
		})
	}
}

func TestNotificationsProblems(t *testing.T) {
	t.Parallel()
	base := readFile(t, notificationsBase)
	tests := []struct {
		name  string
		edits []string
		want  []want
	}{
		{"secret written in the file", []string{"password_env: VIGIE_SMTP_PASSWORD", "password: hunter2"},
			[]want{{86, "notifications.email.smtp.password", "secrets are not written in the file"}}},
		{"secret given as the variable's name", []string{"auth_token_env: VIGIE_TWILIO_TOKEN", "auth_token_env: 9f8e7d6c5b4a"},
			[]want{{95, "notifications.sms.twilio.auth_token_env", "must be the name of an environment variable"}}},
		{"unknown provider", []string{"provider: smtp", "provider: postfix"},
			[]want{{80, "notifications.email.provider", "must be one of sendgrid, smtp"}}},
		{"provider block missing", []string{"provider: smtp", "provider: sendgrid"},
			[]want{{80, "notifications.email.sendgrid", "is missing: provider is sendgrid"}, {82, "notifications.email.smtp", "is given but provider is sendgrid"}}},
		{"provider missing", []string{"    provider: twilio\n", ""},
			[]want{{91, "notifications.sms.provider", "is missing"}}},
		{"host with a port", []string{"host: smtp.example.org", "host: smtp.example.org:587"},
			[]want{{82, "notifications.email.smtp.host", "without port or scheme"}}},
		{"port out of range", []string{"port: 587", "port: 70000"},
			[]want{{83, "notifications.email.smtp.port", "between 1 and 65535"}}},
		{"unknown security", []string{"security: starttls", "security: ssl"},
			[]want{{84, "notifications.email.smtp.security", "must be one of starttls, tls, none"}}},
		{"password in clear to a remote host", []string{"security: starttls", "security: none"},
			[]want{{84, "notifications.email.smtp.security", "would send the password in clear to smtp.example.org"}}},
		{"password without user", []string{"      username: vigie\n      password_env: VIGIE_SMTP", "      password_env: VIGIE_SMTP"},
			[]want{{82, "notifications.email.smtp.username", "is missing: password_env is given"}}},
		{"sender not an address", []string{`from: "Vigie <astreinte@example.org>"`, "from: astreinte"},
			[]want{{87, "notifications.email.smtp.from", "must be an e-mail address"}}},
		{"unknown auth", []string{"auth: PLAIN", "auth: NTLM"},
			[]want{{88, "notifications.email.smtp.auth", "must be one of PLAIN, LOGIN"}}},
		{"sender number not E.164", []string{`from: "+33600000099"`, `from: "+0600000099"`},
			[]want{{96, "notifications.sms.twilio.from", "E.164"}}},
		{"sender id too long", []string{`from: "+33600000099"`, `from: VigieAstreinte`},
			[]want{{96, "notifications.sms.twilio.from", "1 to 11 characters"}}},
		{"sender and messaging service", []string{`from: "+33600000099"`, `from: "+33600000099"` + "\n      messaging_service_sid: MG1"},
			[]want{{96, "notifications.sms.twilio.from", "not both"}}},
		{"no sender", []string{`      from: "+33600000099"` + "\n", ""},
			[]want{{93, "notifications.sms.twilio.from", "is missing: give the sender"}}},
		{"base url without scheme", []string{"base_url: https://api.twilio.com", "base_url: api.twilio.com"},
			[]want{{93, "notifications.sms.twilio.base_url", "must be an http(s) address"}}},
		{"status callback not a boolean", []string{"status_callback: true", "status_callback: yes please"},
			[]want{{97, "notifications.sms.twilio.status_callback", "must be true or false"}}},
		{"receipts without a public url", []string{"  public_url: https://vigie.example.org/\n", "",
			"  ack_links:\n    secret_env: VIGIE_ACK_SECRET\n    previous_secret_env: VIGIE_ACK_SECRET_OLD\n    ttl: 12h\n", ""},
			[]want{{92, "notifications.sms.twilio.status_callback", "delivery receipts need the address"}}},
		{"ack links without a public url", []string{"  public_url: https://vigie.example.org/\n", "", "status_callback: true", "status_callback: false"},
			[]want{{75, "notifications.ack_links", "acknowledgement links need the address of Vigie"}}},
		{"two different public urls", []string{"notifications:\n", "notifications:\n  public_url: https://other.example.org\n"},
			[]want{{75, "notifications.public_url", `differs from site.public_url`}}},
		{"previous secret same as current", []string{"VIGIE_ACK_SECRET_OLD", "VIGIE_ACK_SECRET"},
			[]want{{77, "notifications.ack_links.previous_secret_env", "names the same variable"}}},
		{"ack links ttl too long", []string{"ttl: 12h", "ttl: 900h"},
			[]want{{78, "notifications.ack_links.ttl", "more than 30 days"}}},
		{"too many segments", []string{"max_segments: 4", "max_segments: 11"},
			[]want{{98, "notifications.sms.twilio.max_segments", "between 1 and 10"}}},
		{"sip proxy without port", []string{"proxy: pbx.example.org:5060", "proxy: pbx.example.org"},
			[]want{{103, "notifications.voice.sip.proxy", "must be host:port"}}},
		{"sip unknown transport", []string{"transport: udp", "transport: sctp"},
			[]want{{104, "notifications.voice.sip.transport", "must be one of udp, tcp (got"}}},
		{"sip over tls", []string{"transport: udp", "transport: tls"},
			[]want{{104, "notifications.voice.sip.transport", "must be one of udp, tcp (got \"tls\")"}}},
		{"sip without user", []string{"      user: vigie\n", ""},
			[]want{{103, "notifications.voice.sip.user", "is missing"}}},
		{"sip caller id with spaces", []string{`from: "+33466000000"`, `from: "Vigie <sip:vigie@pbx>"`},
			[]want{{107, "notifications.voice.sip.from", "must be the caller id"}}},
		{"backoff max below initial", []string{"{initial: 1s, max: 30s}", "{initial: 10s, max: 5s}"},
			[]want{{110, "notifications.delivery.backoff.max", "5s is below initial 10s"}}},
		{"attempt budget shorter than the first backoff", []string{"attempt_budget: 90s", "attempt_budget: 500ms"},
			[]want{{109, "notifications.delivery.attempt_budget", "would never be retried"}}},
		{"duration without unit", []string{"attempt_budget: 90s", "attempt_budget: 90"},
			[]want{{109, "notifications.delivery.attempt_budget", "needs a unit"}}},
		{"burst zero", []string{"burst: 5", "burst: 0"},
			[]want{{111, "notifications.delivery.rate_limit.burst", "between 1 and 10000"}}},
		{"channel at the top of the block", []string{"  email:\n    provider: smtp\n    smtp:", "  smtp:"},
			[]want{{79, "notifications.smtp", "put the SMTP server under email"}}},
		{"misspelt key", []string{"attempt_budget: 90s", "atempt_budget: 90s"},
			[]want{{109, "notifications.delivery.atempt_budget", `did you mean "attempt_budget"?`}}},
		{"pin in the file", []string{"  sms:\n    provider: twilio\n    twilio:", "  sms:\n    provider: modem\n    modem: {device: /dev/ttyUSB2, pin: 1234}\n    twilio:"},
			[]want{{92, "notifications.sms.modem.pin", "put it in an environment variable"}, {94, "notifications.sms.twilio", "is given but provider is modem"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text := edit(t, base, tt.edits...)
			c, err := config.Parse("base.yaml", []byte(text))
			if err == nil {
				t.Fatalf("Parse accepted the file: %v", c)
			}
			got := problems(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Line != w.line || g.Path != w.path || !strings.Contains(g.Message, w.msg) || g.File != "base.yaml" {
					t.Errorf("problem %d:\n got %s\nwant base.yaml:%d: %s: …%s…", i, g, w.line, w.path, w.msg)
				}
			}
			// A secret written where a variable's name goes is never repeated back.
			if strings.Contains(err.Error(), "9f8e7d6c5b4a") || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("a problem repeats the secret:\n%v", err)
			}
		})
	}
}

// TestNotificationsNotInDocument: the channels are infrastructure, not what is supervised: they
// do not change the recorded document nor its digest.
func TestNotificationsNotInDocument(t *testing.T) {
	t.Parallel()
	_, with := load(t, notificationsBase).Document()
	_, without := load(t, "testdata/valid/base.yaml").Document()
	if with != without {
		t.Errorf("digest with notifications %s, without %s: want equal", with, without)
	}
}
