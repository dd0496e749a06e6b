// Package twilio is the SMS channel through an HTTP gateway speaking Twilio's REST API
// (POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, basic auth), with plain
// net/http, and the two webhooks the gateway calls back: delivery receipts (StatusHandler) and
// operators' replies (InboundHandler), both authenticated by Twilio's X-Twilio-Signature.
//
// Any provider or proxy speaking the same API works: the base URL is configurable.
package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/sms"
)

// DefaultBaseURL is Twilio's API.
const DefaultBaseURL = "https://api.twilio.com"

// Config configures the channel. Zero fields take the defaults shown.
type Config struct {
	// BaseURL of the API, default DefaultBaseURL.
	BaseURL string
	// AccountSID ("AC" + 32 hex digits) names the account; it is the user of the basic auth.
	AccountSID string
	// AuthToken is the account's secret: the password of the basic auth and the key of the
	// webhooks' signatures. Never logged.
	AuthToken string
	// From is the sender: an E.164 number of the account, or an alphanumeric sender id (11
	// characters at most; operators cannot reply to those). Either From or MessagingServiceSID.
	From string
	// MessagingServiceSID ("MG…") sends through a messaging service instead of From.
	MessagingServiceSID string
	// StatusCallbackURL is the public URL of the receipts webhook (…/api/v1/webhooks/sms/status);
	// empty: no receipts are asked for.
	StatusCallbackURL string
	// WebhookBaseURL is the public scheme and host under which the gateway calls Vigie's
	// webhooks ("https://vigie.example.fr"): signatures are computed on the URL the gateway
	// called, which a reverse proxy hides. Empty: taken from the request (Host, and TLS or
	// X-Forwarded-Proto).
	WebhookBaseURL string
	// Timeout of one API call, default 10 s.
	Timeout time.Duration
	// MaxSegments caps the length of a text, in SMS parts (Twilio's own limit is 1600
	// characters, about 10 parts); default 6.
	MaxSegments int
}

func (c *Config) setDefaults() {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.MaxSegments == 0 {
		c.MaxSegments = 6
	}
}

// Validate reports every mistake at once (after defaults).
func (c Config) Validate() error {
	c.setDefaults()
	var errs []error
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("twilio: base_url %q is not an http(s) URL", notify.RedactURL(c.BaseURL)))
	}
	if c.AccountSID == "" {
		errs = append(errs, errors.New("twilio: account_sid is empty"))
	} else if strings.ContainsAny(c.AccountSID, "/?#% ") {
		errs = append(errs, fmt.Errorf("twilio: account_sid %q is not an account id", c.AccountSID))
	}
	if c.AuthToken == "" {
		errs = append(errs, errors.New("twilio: auth_token is empty"))
	}
	switch {
	case c.From == "" && c.MessagingServiceSID == "":
		errs = append(errs, errors.New("twilio: set from (a number or sender id) or messaging_service_sid"))
	case c.From != "" && strings.HasPrefix(c.From, "+") && !sms.ValidE164(c.From):
		errs = append(errs, fmt.Errorf("twilio: from %q is not an E.164 number", c.From))
	case c.From != "" && !strings.HasPrefix(c.From, "+") && (len(c.From) > 11 || strings.TrimSpace(c.From) == ""):
		errs = append(errs, fmt.Errorf("twilio: from %q: an alphanumeric sender id has at most 11 characters", c.From))
	}
	for name, raw := range map[string]string{"status_callback_url": c.StatusCallbackURL, "webhook_base_url": c.WebhookBaseURL} {
		if raw == "" {
			continue
		}
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("twilio: %s %q is not an http(s) URL", name, notify.RedactURL(raw)))
		}
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("twilio: timeout %v is negative", c.Timeout))
	}
	if c.MaxSegments < 1 || c.MaxSegments > 10 {
		errs = append(errs, fmt.Errorf("twilio: max_segments %d must be in [1, 10]", c.MaxSegments))
	}
	return errors.Join(errs...)
}

// Notifier sends SMS through the API.
type Notifier struct {
	cfg    Config
	client *http.Client
	logger *slog.Logger
	now    func() time.Time
	onSent func(m notify.Message, sent Sent)
}

var _ notify.Notifier = (*Notifier)(nil)

// Option tunes a Notifier.
type Option func(*Notifier)

// WithHTTPClient sets the client of the API calls (its Timeout is replaced by Config.Timeout).
func WithHTTPClient(c *http.Client) Option { return func(n *Notifier) { n.client = c } }

// WithClock sets the clock that dates the replies (the system clock by default).
func WithClock(now func() time.Time) Option { return func(n *Notifier) { n.now = now } }

// WithOnSent calls f after each message the API accepted, with its sid: the providerID its
// receipts will name. The caller records which notification it was (Notify's signature has no room
// for it). f must not block.
func WithOnSent(f func(m notify.Message, sent Sent)) Option {
	return func(n *Notifier) { n.onSent = f }
}

// New returns a Notifier, or every mistake of cfg.
func New(cfg Config, logger *slog.Logger, opts ...Option) (*Notifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		return nil, errors.New("twilio: nil logger")
	}
	cfg.setDefaults()
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	n := &Notifier{cfg: cfg, logger: logger.With("channel", "sms", "provider", sms.ProviderTwilio), now: time.Now}
	for _, o := range opts {
		o(n)
	}
	c := http.Client{}
	if n.client != nil {
		c = *n.client
	}
	c.Timeout = cfg.Timeout
	n.client = &c
	return n, nil
}

// Name is the channel's name in a notify.Fallback's errors.
func (n *Notifier) Name() string { return "twilio" }

// Sent is the API's answer to an accepted message.
type Sent struct {
	SID    string `json:"sid"`
	Status string `json:"status"`
}

// APIError is the API's answer to a refused message.
type APIError struct {
	HTTPStatus int
	// Code is Twilio's error code (21211: invalid 'To' number, 21610: recipient unsubscribed,
	// 20429: too many requests…), 0 when the body had none.
	Code    int
	Message string
}

func (e *APIError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("HTTP %d, error %d: %s", e.HTTPStatus, e.Code, e.Message)
	}
	return fmt.Sprintf("HTTP %d: %s", e.HTTPStatus, e.Message)
}

// Temporary reports whether the same request may succeed later: 408, 429 and 5xx.
func (e *APIError) Temporary() bool {
	return e.HTTPStatus == http.StatusRequestTimeout || e.HTTPStatus == http.StatusTooManyRequests || e.HTTPStatus >= 500
}

// Notify sends m as one SMS (split into parts by the gateway). See Send.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (bool, error) {
	_, retry, err := n.Send(ctx, m)
	return retry, err
}

// NotifyRef sends m and returns the message's SID, which delivery receipts name
// (notify.RefNotifier).
func (n *Notifier) NotifyRef(ctx context.Context, m notify.Message) (string, bool, error) {
	sent, retry, err := n.Send(ctx, m)
	return sent.SID, retry, err
}

// Send sends m and returns what the API answered: the provider's id of the message (the
// providerID of its receipts). retry: a failure is temporary (timeout, network, 408, 429, 5xx);
// any other 4xx is not (invalid number, unknown account, bad credentials).
func (n *Notifier) Send(ctx context.Context, m notify.Message) (Sent, bool, error) {
	if err := ctx.Err(); err != nil {
		return Sent{}, true, fmt.Errorf("sms %s to %s: %w", m.ID, m.To, err)
	}
	to := sms.NormalizePhone(m.To)
	if !sms.ValidE164(to) {
		return Sent{}, false, fmt.Errorf("sms %s: recipient %q is not an E.164 number", m.ID, m.To)
	}
	form := url.Values{}
	form.Set("To", to)
	form.Set("Body", sms.Truncate(sms.Render(m), n.cfg.MaxSegments))
	if n.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", n.cfg.MessagingServiceSID)
	} else {
		form.Set("From", n.cfg.From)
	}
	if n.cfg.StatusCallbackURL != "" {
		form.Set("StatusCallback", n.cfg.StatusCallbackURL)
	}
	endpoint := n.cfg.BaseURL + "/2010-04-01/Accounts/" + url.PathEscape(n.cfg.AccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return Sent{}, false, n.fail(m, fmt.Errorf("sms %s: build request: %w", m.ID, err))
	}
	req.SetBasicAuth(n.cfg.AccountSID, n.cfg.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	began := time.Now()
	resp, err := n.client.Do(req)
	if err != nil {
		// Timeouts, refused connections, resets and a done ctx may all heal.
		return Sent{}, true, n.fail(m, fmt.Errorf("sms %s to %s: post to gateway: %w", m.ID, to, err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Sent{}, true, n.fail(m, fmt.Errorf("sms %s to %s: read answer (HTTP %d): %w", m.ID, to, resp.StatusCode, err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := ParseAPIError(resp.StatusCode, body)
		return Sent{}, apiErr.Temporary(), n.fail(m, fmt.Errorf("sms %s to %s: gateway refused: %w", m.ID, to, apiErr))
	}
	var sent Sent
	if err := json.Unmarshal(body, &sent); err != nil {
		// Accepted but unreadable: the message may well be on its way; a retry may send it twice,
		// which beats not paging.
		n.logger.Warn("sms accepted with an unreadable answer", "msg", m, "status", resp.StatusCode, "err", err)
	}
	n.logger.Debug("sms sent", "msg", m, "sid", sent.SID, "status", sent.Status, "took", time.Since(began))
	if n.onSent != nil && sent.SID != "" {
		n.onSent(m, sent)
	}
	return sent, false, nil
}

// fail redacts err and logs it.
func (n *Notifier) fail(m notify.Message, err error) error {
	err = notify.RedactError(err, n.cfg.AuthToken, tokenOf(m.AckURL))
	n.logger.Debug("sms not sent", "msg", m, "err", err)
	return err
}

// tokenOf is the token of an acknowledgement link (the value of its query), which Render puts in
// the text; errors do not carry texts, but a gateway could echo one.
func tokenOf(ackURL string) string {
	u, err := url.Parse(ackURL)
	if err != nil || u.RawQuery == "" {
		return ""
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			if len(v) >= 8 {
				return v
			}
		}
	}
	return ""
}

// ParseAPIError reads the body of a refused request: Twilio's error ({"code": 21211,
// "message": "…", "status": 400}), a problem+json document (a proxy, a mock), or a short excerpt of
// anything else. It never fails.
func ParseAPIError(status int, body []byte) *APIError {
	e := &APIError{HTTPStatus: status}
	var b struct {
		Code    json.Number `json:"code"`
		Message string      `json:"message"`
		Title   string      `json:"title"` // problem+json (a proxy, a mock)
		Detail  string      `json:"detail"`
	}
	if json.Unmarshal(body, &b) == nil {
		if c, err := b.Code.Int64(); err == nil {
			e.Code = int(c)
		}
		e.Message = firstNonEmpty(b.Message, strings.TrimSpace(b.Title+" "+b.Detail))
	}
	if e.Message == "" {
		e.Message = strings.Join(strings.Fields(string(body)), " ")
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if r := []rune(e.Message); len(r) > 200 {
		e.Message = string(r[:200]) + "..."
	}
	return e
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
