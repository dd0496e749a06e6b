package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/email"
	"github.com/vigie/vigie/adapters/notify/sms"
	"github.com/vigie/vigie/adapters/notify/sms/modem"
	"github.com/vigie/vigie/adapters/notify/sms/twilio"
	"github.com/vigie/vigie/adapters/notify/voice"
)

// channelDeps is what the channels call back into: the cascade engine.
type channelDeps struct {
	// Replies receives the operators' SMS replies (Twilio's inbound webhook, the modem's SIM).
	// Required with an SMS provider.
	Replies sms.Replies
	// Receipts receives the gateway's delivery receipts. Required with provider twilio.
	Receipts sms.Receipts
	// VoiceAcks receives the key 1 pressed during a call. Required with a voice provider.
	VoiceAcks voice.Acknowledger
	// Language ("fr", "en") and Location of e-mails whose message names neither; default
	// French and Europe/Paris.
	Language string
	Location *time.Location
}

// channels are the notification channels `vigie serve` runs with: only the configured ones.
type channels struct {
	// Notifiers by channel: only the configured ones.
	Notifiers map[notify.Channel]notify.Notifier
	// Webhooks serves the providers' callbacks, for httpapi.Deps.Webhooks (mounted at
	// httpapi.WebhooksPath); nil without provider twilio.
	Webhooks http.Handler
	// AckLinks signs (and verifies) the acknowledgement links; nil without
	// notifications.ack_links. AckVerifier is the same for httpapi.Deps.AckLinks (nil with it).
	AckLinks    *email.AckLinks
	AckVerifier httpapi.AckLinkVerifier
	// Pipeline is the configuration of every channel's notify.Pipeline; Dispatch the
	// dispatcher's: the attempt budget, and the links' signer (a nil interface without
	// ack_links) and lifetime.
	Pipeline notify.PipelineConfig
	Dispatch notify.DispatchConfig

	stop    context.CancelFunc
	voice   *voice.Notifier
	running sync.WaitGroup
	once    sync.Once
}

// Close stops what the channels run in the background (the modem's port); it waits for them.
func (c *channels) Close() error {
	if c == nil {
		return nil
	}
	c.once.Do(func() {
		if c.stop != nil {
			c.stop()
		}
		c.running.Wait()
		if c.voice != nil {
			c.voice.Close()
		}
	})
	return nil
}

// Configured lists the channels built, for the start-up log.
func (c *channels) Configured() []string {
	var out []string
	for _, ch := range []notify.Channel{notify.ChannelSMS, notify.ChannelVoice, notify.ChannelEmail} {
		if _, ok := c.Notifiers[ch]; ok {
			out = append(out, string(ch))
		}
	}
	return out
}

// buildChannels builds the configured notification channels. Secrets are read with getenv from
// the variables the configuration names; an unset or empty variable, or a secret too short,
// fails with an error naming the variable and the key, never the value. With a modem, its port
// is served in the background until ctx ends or Close.
func buildChannels(ctx context.Context, n config.Notifications, getenv func(string) string, deps channelDeps, logger *slog.Logger) (*channels, error) {
	if logger == nil {
		return nil, errors.New("notification channels: nil logger")
	}
	if getenv == nil {
		return nil, errors.New("notification channels: nil getenv")
	}
	var errs []error
	secret := func(key, name, what string) string {
		if name == "" {
			return ""
		}
		v := getenv(name)
		if v == "" {
			errs = append(errs, fmt.Errorf("%s: the environment variable %s is not set (or empty): it must hold %s", key, name, what))
		}
		return v
	}
	c := &channels{
		Notifiers: map[notify.Channel]notify.Notifier{},
		Pipeline:  pipelineConfig(n.Delivery),
		Dispatch:  notify.DispatchConfig{AttemptBudget: n.Delivery.AttemptBudget, LinkTTL: n.AckLinks.TTL},
	}

	// Acknowledgement links.
	if n.AckLinks.Enabled() {
		key := "notifications.ack_links.secret_env"
		cur := secret(key, n.AckLinks.SecretEnv, fmt.Sprintf("the links' signing secret, at least %d bytes", email.MinAckSecret))
		prev := secret("notifications.ack_links.previous_secret_env", n.AckLinks.PreviousSecretEnv, "the previous signing secret")
		for _, s := range []struct{ key, name, v string }{{key, n.AckLinks.SecretEnv, cur}, {"notifications.ack_links.previous_secret_env", n.AckLinks.PreviousSecretEnv, prev}} {
			if s.v != "" && len(s.v) < email.MinAckSecret {
				errs = append(errs, fmt.Errorf("%s: the secret in %s has %d bytes, want at least %d (openssl rand -base64 48 makes one)", s.key, s.name, len(s.v), email.MinAckSecret))
			}
		}
		if len(cur) >= email.MinAckSecret && (prev == "" || len(prev) >= email.MinAckSecret) {
			cfg := email.AckConfig{BaseURL: n.PublicURL + "/ack", Secret: []byte(cur)}
			if prev != "" {
				cfg.PreviousSecrets = [][]byte{[]byte(prev)}
			}
			links, err := email.NewAckLinks(cfg)
			if err != nil {
				errs = append(errs, fmt.Errorf("notifications.ack_links: %w", err))
			} else {
				// Interfaces set only here: a nil *AckLinks in an interface would not be nil.
				c.AckLinks, c.AckVerifier, c.Dispatch.Links = links, ackVerifier{links}, links
			}
		}
	}

	// E-mail.
	content := email.Content{Language: deps.Language, Location: deps.Location, Links: c.AckLinks, AckTTL: n.AckLinks.TTL}
	if content.Language != "fr" && content.Language != "en" {
		content.Language = ""
	}
	switch n.Email.Provider {
	case config.ProviderSMTP:
		s := n.Email.SMTP
		cfg := email.SMTPConfig{Host: s.Host, Port: s.Port, Security: email.Security(s.Security), Username: s.Username,
			Auth: s.Auth, From: s.From, Timeout: s.Timeout, Content: content}
		cfg.Password = secret("notifications.email.smtp.password_env", s.PasswordEnv, "the SMTP password")
		if s.PasswordEnv == "" || cfg.Password != "" {
			nt, err := email.NewSMTP(cfg, logger)
			if err != nil {
				errs = append(errs, fmt.Errorf("notifications.email.smtp: %w", notify.RedactError(err, cfg.Password)))
			} else {
				c.Notifiers[notify.ChannelEmail] = nt
			}
		}
	case config.ProviderSendGrid:
		s := n.Email.SendGrid
		cfg := email.SendGridConfig{BaseURL: s.BaseURL, From: s.From, Timeout: s.Timeout, Content: content}
		cfg.APIKey = secret("notifications.email.sendgrid.api_key_env", s.APIKeyEnv, "the SendGrid API key")
		if cfg.APIKey != "" {
			nt, err := email.NewSendGrid(cfg, logger)
			if err != nil {
				errs = append(errs, fmt.Errorf("notifications.email.sendgrid: %w", notify.RedactError(err, cfg.APIKey)))
			} else {
				c.Notifiers[notify.ChannelEmail] = nt
			}
		}
	}

	// SMS.
	var m *modem.Modem
	switch n.SMS.Provider {
	case config.ProviderTwilio:
		t := n.SMS.Twilio
		if deps.Replies == nil || deps.Receipts == nil {
			errs = append(errs, errors.New("notifications.sms.twilio: the webhooks need somewhere to hand receipts and replies (channelDeps.Receipts, .Replies)"))
		}
		cfg := twilio.Config{BaseURL: t.BaseURL, AccountSID: t.AccountSID, From: t.From, MessagingServiceSID: t.MessagingServiceSID,
			WebhookBaseURL: n.PublicURL, Timeout: t.Timeout, MaxSegments: t.MaxSegments}
		if t.StatusCallback && n.PublicURL != "" {
			cfg.StatusCallbackURL = n.PublicURL + config.WebhookSMSStatusPath
		}
		cfg.AuthToken = secret("notifications.sms.twilio.auth_token_env", t.AuthTokenEnv, "the gateway's auth token")
		if cfg.AuthToken != "" && deps.Replies != nil && deps.Receipts != nil {
			// The receipts name the message's SID: the pipeline learns it through
			// (*twilio.Notifier).NotifyRef (notify.RefNotifier) and records it with the outcome.
			nt, err := twilio.New(cfg, logger)
			if err != nil {
				errs = append(errs, fmt.Errorf("notifications.sms.twilio: %w", notify.RedactError(err, cfg.AuthToken)))
			} else {
				c.Notifiers[notify.ChannelSMS] = nt
				c.Webhooks = webhookRoutes(nt, deps)
			}
		}
	case config.ProviderModem:
		mc := n.SMS.Modem
		if deps.Replies == nil {
			errs = append(errs, errors.New("notifications.sms.modem: the operators' replies need somewhere to go (channelDeps.Replies)"))
		}
		cfg := modem.Config{Port: mc.Device, BaudRate: mc.Baud, SMSC: mc.SMSC, CommandTimeout: mc.CommandTimeout, SendTimeout: mc.SendTimeout,
			ReconnectMin: mc.ReconnectMin, ReconnectMax: mc.ReconnectMax, PollInterval: mc.PollInterval, MaxSegments: mc.MaxSegments}
		cfg.PIN = secret("notifications.sms.modem.pin_env", mc.PINEnv, "the SIM's PIN")
		if (mc.PINEnv == "" || cfg.PIN != "") && deps.Replies != nil {
			mm, err := modem.New(cfg, logger, modem.WithReplies(deps.Replies))
			if err != nil {
				errs = append(errs, fmt.Errorf("notifications.sms.modem: %w", notify.RedactError(err, cfg.PIN)))
			} else {
				m = mm
				c.Notifiers[notify.ChannelSMS] = mm
			}
		}
	}

	if n.Voice.Provider == config.ProviderSIP {
		sc := n.Voice.SIP
		if deps.VoiceAcks == nil {
			errs = append(errs, errors.New("notifications.voice.sip: the key 1 pressed during a call needs somewhere to go (channelDeps.VoiceAcks)"))
		}
		password := secret("notifications.voice.sip.password_env", sc.PasswordEnv, "the SIP account's password")
		if (sc.PasswordEnv == "" || password != "") && deps.VoiceAcks != nil {
			vn, err := voice.New(voice.Config{Proxy: sc.Proxy, Transport: sc.Transport, Username: sc.User, Password: password, From: sc.From, BindHost: sc.Bind},
				deps.VoiceAcks, logger.With("channel", "voice"))
			if err != nil {
				errs = append(errs, fmt.Errorf("notifications.voice.sip: %w", notify.RedactError(err, password)))
			} else {
				c.voice = vn
				c.Notifiers[notify.ChannelVoice] = vn
			}
		}
	}

	if err := errors.Join(errs...); err != nil {
		if c.voice != nil {
			c.voice.Close()
		}
		return nil, fmt.Errorf("notification channels: %w", err)
	}
	// Started last, once nothing can fail any more: the modem owns its port from here on.
	if m != nil {
		runCtx, stop := context.WithCancel(ctx)
		c.stop = stop
		c.running.Add(1)
		go func() {
			defer c.running.Done()
			if err := m.Run(runCtx); err != nil {
				logger.Error("modem stopped", "err", err)
			}
		}()
	}
	return c, nil
}

// webhookRoutes serves the Twilio gateway's callbacks at the paths docs/openapi.yaml documents,
// relative to httpapi.WebhooksPath. A chi router, so the API's route listing includes them.
func webhookRoutes(n *twilio.Notifier, deps channelDeps) http.Handler {
	r := chi.NewRouter()
	r.Method(http.MethodPost, strings.TrimPrefix(config.WebhookSMSStatusPath, httpapi.WebhooksPath), n.StatusHandler(deps.Receipts))
	r.Method(http.MethodPost, strings.TrimPrefix(config.WebhookSMSInboundPath, httpapi.WebhooksPath), n.InboundHandler(deps.Replies))
	return r
}

// pipelineConfig turns the configuration's delivery block into every pipeline's configuration.
func pipelineConfig(d config.Delivery) notify.PipelineConfig {
	return notify.PipelineConfig{
		Backoff:   notify.Backoff{Initial: d.BackoffInitial, Max: d.BackoffMax},
		RateLimit: notify.RateLimit{Burst: d.RateLimitBurst, Every: d.RateLimitEvery},
	}
}

// ackVerifier gives httpapi the verification of email.AckLinks with httpapi's errors (adapters
// do not import each other).
type ackVerifier struct{ links *email.AckLinks }

func (v ackVerifier) VerifyAckLink(token string) (string, string, error) {
	alarmID, operator, err := v.links.Verify(token)
	switch {
	case errors.Is(err, email.ErrAckExpired):
		return "", "", httpapi.ErrAckLinkExpired
	case err != nil:
		return "", "", httpapi.ErrAckLinkInvalid
	}
	return alarmID, operator, nil
}

// replyTarget is what takes the channels' replies and receipts: the cascade engine.
type replyTarget interface {
	sms.Replies
	sms.Receipts
	AckByVoice(ctx context.Context, alarmID, operator string) error
}

// errCascadeNotReady answers a reply or receipt that arrives before the cascade engine exists.
var errCascadeNotReady = errors.New("the cascade engine is not started yet")

// lateCascade hands replies and receipts to the cascade engine, which is built after the
// channels (it needs their notifiers) while the channels need somewhere to hand replies from the
// start (the modem sweeps its SIM at once). Until Set, it fails: the modem keeps the SMS on the
// SIM for its next sweep, and the gateway retries its webhook.
type lateCascade struct {
	mu     sync.RWMutex
	target replyTarget
}

// Set names the engine; later calls replace it.
func (l *lateCascade) Set(t replyTarget) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.target = t
}

func (l *lateCascade) get() (replyTarget, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.target == nil {
		return nil, errCascadeNotReady
	}
	return l.target, nil
}

func (l *lateCascade) Reply(ctx context.Context, fromPhone, text string, at time.Time) error {
	t, err := l.get()
	if err != nil {
		return err
	}
	return t.Reply(ctx, fromPhone, text, at)
}

// Acknowledge takes a key 1 pressed during a call (voice.Acknowledger).
func (l *lateCascade) Acknowledge(ctx context.Context, a voice.Ack) error {
	t, err := l.get()
	if err != nil {
		return err
	}
	return t.AckByVoice(ctx, a.AlarmID, a.Operator)
}

func (l *lateCascade) Delivered(ctx context.Context, providerID string) error {
	t, err := l.get()
	if err != nil {
		return err
	}
	return t.Delivered(ctx, providerID)
}

func (l *lateCascade) Failed(ctx context.Context, providerID, reason string) error {
	t, err := l.get()
	if err != nil {
		return err
	}
	return t.Failed(ctx, providerID, reason)
}
