package email

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	netmail "net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/sendgrid/rest"
	"github.com/sendgrid/sendgrid-go"
	sgmail "github.com/sendgrid/sendgrid-go/helpers/mail"

	"github.com/vigie/vigie/adapters/notify"
)

// SendGridConfig configures the SendGrid channel (v3 Web API, POST /v3/mail/send).
type SendGridConfig struct {
	// APIKey is sent as "Authorization: Bearer <key>".
	APIKey string
	// BaseURL is the API's origin: default https://api.sendgrid.com (https://api.eu.sendgrid.com
	// for EU data residency).
	BaseURL string
	// From is the verified sender, "Vigie <astreinte@vigie.example>".
	From string
	// Timeout bounds one request; default 10 s.
	Timeout time.Duration
	// Content renders the messages (French, Europe/Paris by default).
	Content Content
}

func (c *SendGridConfig) setDefaults() {
	if c.BaseURL == "" {
		c.BaseURL = "https://api.sendgrid.com"
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
}

// Validate reports every mistake at once (after defaults).
func (c SendGridConfig) Validate() error {
	c.setDefaults()
	var errs []error
	if c.APIKey == "" {
		errs = append(errs, errors.New("sendgrid: API key is empty"))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		errs = append(errs, fmt.Errorf("sendgrid: base URL %q must be an http(s) origin without credentials or query", notify.RedactURL(c.BaseURL)))
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("sendgrid: from %q: %w", c.From, err))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("sendgrid: timeout %v is negative", c.Timeout))
	}
	if err := c.Content.validate(); err != nil {
		errs = append(errs, fmt.Errorf("sendgrid: %w", err))
	}
	return errors.Join(errs...)
}

// SendGrid delivers e-mail through SendGrid's v3 mail/send API, with sendgrid-go building the
// request. sendgrid-go returns HTTP errors as a response with err == nil: the status decides.
type SendGrid struct {
	cfg    SendGridConfig
	from   *netmail.Address
	log    *slog.Logger
	client *rest.Client
}

var _ notify.Notifier = (*SendGrid)(nil)

// NewSendGrid checks cfg and returns the notifier.
func NewSendGrid(cfg SendGridConfig, log *slog.Logger) (*SendGrid, error) {
	if log == nil {
		return nil, errors.New("sendgrid: nil logger")
	}
	if err := cfg.Validate(); err != nil {
		return nil, notify.RedactError(err, cfg.APIKey)
	}
	cfg.setDefaults()
	cfg.Content.setDefaults()
	from, _ := netmail.ParseAddress(cfg.From)
	return &SendGrid{
		cfg: cfg, from: from,
		log:    log.With("channel", "email", "notifier", "sendgrid", "api", notify.RedactURL(cfg.BaseURL)),
		client: &rest.Client{HTTPClient: &http.Client{Timeout: cfg.Timeout}},
	}, nil
}

// Name is the notifier's name in Fallback errors.
func (s *SendGrid) Name() string { return "sendgrid" }

// Notify sends m. 429, 5xx, network failures and timeouts are retryable; other 4xx (invalid
// request, bad key, unverified sender) are not.
func (s *SendGrid) Notify(ctx context.Context, m notify.Message) (bool, error) {
	if err := ctx.Err(); err != nil {
		return true, fmt.Errorf("sendgrid: %w", err)
	}
	if err := m.Validate(); err != nil {
		return false, fmt.Errorf("sendgrid: %w", err)
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return false, fmt.Errorf("sendgrid: recipient %q: %w", m.To, err)
	}
	e := s.cfg.Content.Render(m)

	v := sgmail.NewV3Mail()
	v.SetFrom(sgmail.NewEmail(s.from.Name, s.from.Address))
	v.Subject = e.Subject
	p := sgmail.NewPersonalization()
	p.AddTos(sgmail.NewEmail(to.Name, to.Address))
	v.AddPersonalizations(p)
	// text/plain first: SendGrid's documented order.
	v.AddContent(sgmail.NewContent("text/plain", e.Text), sgmail.NewContent("text/html", e.HTML))
	v.SetHeader(HeaderNotificationID, m.ID)
	if m.AlarmID != "" {
		v.SetHeader(HeaderAlarmID, m.AlarmID)
	}
	v.SetHeader("Auto-Submitted", "auto-generated")
	v.SetCustomArg("vigie_notification_id", m.ID) // echoed by SendGrid's event webhook
	v.AddCategories("vigie-alarm")
	// No click tracking: it would route the acknowledgement token through SendGrid's redirector.
	v.SetTrackingSettings(sgmail.NewTrackingSettings().SetClickTracking(
		sgmail.NewClickTrackingSetting().SetEnable(false).SetEnableText(false)))
	body, err := json.Marshal(v)
	if err != nil {
		return false, fmt.Errorf("sendgrid: encode the request: %w", err)
	}

	req := sendgrid.GetRequest(s.cfg.APIKey, "/v3/mail/send", s.cfg.BaseURL)
	req.Method = rest.Post
	req.Body = body
	resp, err := s.client.SendWithContext(ctx, req)
	if err != nil {
		retry, err := true, fmt.Errorf("sendgrid: send to %s: %w", to.Address, err)
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = fmt.Errorf("%w (%w)", ctxErr, err)
		}
		err = notify.RedactError(err, s.cfg.APIKey)
		s.log.Debug("e-mail not sent", "notification", m, "retry", retry, "err", err)
		return retry, err
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		s.log.Debug("e-mail accepted", "notification", m, "status", resp.StatusCode)
		return false, nil
	}
	retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500
	err = &StatusError{Code: resp.StatusCode, Detail: notify.Redact(detail(resp.Body), s.cfg.APIKey)}
	if reset := http.Header(resp.Headers).Get("X-RateLimit-Reset"); reset != "" && resp.StatusCode == http.StatusTooManyRequests {
		err = fmt.Errorf("%w (rate limit resets at %s)", err, reset)
	}
	err = fmt.Errorf("sendgrid: send to %s: %w", to.Address, err)
	s.log.Debug("e-mail not sent", "notification", m, "retry", retry, "err", err)
	return retry, err
}

// StatusError is an HTTP answer other than 2xx from an e-mail API.
type StatusError struct {
	Code   int
	Detail string // the API's error messages, shortened
}

func (e *StatusError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	}
	return fmt.Sprintf("HTTP %d %s: %s", e.Code, http.StatusText(e.Code), e.Detail)
}

// detail extracts SendGrid's {"errors":[{"message","field"}]} or keeps the start of the body.
func detail(body string) string {
	var parsed struct {
		Errors []struct {
			Message string `json:"message"`
			Field   any    `json:"field"`
		} `json:"errors"`
	}
	if json.Unmarshal([]byte(body), &parsed) == nil && len(parsed.Errors) > 0 {
		var parts []string
		for _, e := range parsed.Errors {
			if f, ok := e.Field.(string); ok && f != "" {
				parts = append(parts, f+": "+e.Message)
			} else {
				parts = append(parts, e.Message)
			}
		}
		return shorten(strings.Join(parts, "; "))
	}
	return shorten(strings.TrimSpace(body))
}

func shorten(s string) string {
	const limit = 300
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
