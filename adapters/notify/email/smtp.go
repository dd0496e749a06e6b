package email

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/vigie/vigie/adapters/notify"
)

// Security is how an SMTP connection is protected.
type Security string

const (
	// SecurityStartTLS: plain connection upgraded with STARTTLS, which is mandatory (no silent
	// fall-back to clear text). Port 587 by default.
	SecurityStartTLS Security = "starttls"
	// SecurityTLS: TLS from the first byte (SMTPS). Port 465 by default.
	SecurityTLS Security = "tls"
	// SecurityNone: clear text; credentials are then only sent to a loopback server. Port 25.
	SecurityNone Security = "none"
)

// SMTPConfig configures the SMTP channel; zero fields take the defaults shown.
type SMTPConfig struct {
	Host     string
	Port     int      // default by Security: 587, 465, 25
	Security Security // default starttls
	// TLS verifies the server (RootCAs for a private CA); ServerName defaults to Host.
	TLS *tls.Config
	// Username and Password, when Username is set, authenticate with Auth.
	Username string
	Password string
	// Auth is the SASL mechanism: PLAIN (default), LOGIN, CRAM-MD5, SCRAM-SHA-256.
	Auth string
	// From is the sender, "Vigie <astreinte@vigie.example>".
	From string
	// HELO is the name given in EHLO; default the machine's host name.
	HELO string
	// Timeout bounds the connection and each SMTP command; default 10 s.
	Timeout time.Duration
	// Content renders the messages (French, Europe/Paris by default).
	Content Content
}

func (c *SMTPConfig) setDefaults() {
	if c.Security == "" {
		c.Security = SecurityStartTLS
	}
	if c.Port == 0 {
		c.Port = map[Security]int{SecurityStartTLS: 587, SecurityTLS: 465, SecurityNone: 25}[c.Security]
	}
	if c.Auth == "" {
		c.Auth = string(mail.SMTPAuthPlain)
	}
	if c.HELO == "" {
		if h, err := os.Hostname(); err == nil && h != "" {
			c.HELO = h
		} else {
			c.HELO = "localhost"
		}
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
}

var smtpAuths = map[string]mail.SMTPAuthType{
	"PLAIN": mail.SMTPAuthPlain, "LOGIN": mail.SMTPAuthLogin, "CRAM-MD5": mail.SMTPAuthCramMD5,
	"SCRAM-SHA-256": mail.SMTPAuthSCRAMSHA256,
}

// Validate reports every mistake at once (after defaults).
func (c SMTPConfig) Validate() error {
	c.setDefaults()
	var errs []error
	if c.Host == "" {
		errs = append(errs, errors.New("smtp: host is empty"))
	}
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("smtp: port %d out of range", c.Port))
	}
	switch c.Security {
	case SecurityStartTLS, SecurityTLS:
	case SecurityNone:
		if c.Username != "" && !isLoopback(c.Host) {
			errs = append(errs, fmt.Errorf("smtp: security none would send the password in clear to %s: use starttls or tls", c.Host))
		}
	default:
		errs = append(errs, fmt.Errorf("smtp: security %q is not one of starttls, tls, none", c.Security))
	}
	if _, ok := smtpAuths[strings.ToUpper(c.Auth)]; !ok {
		errs = append(errs, fmt.Errorf("smtp: auth %q is not one of PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256", c.Auth))
	}
	if c.Password != "" && c.Username == "" {
		errs = append(errs, errors.New("smtp: password given without a username"))
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("smtp: from %q: %w", c.From, err))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("smtp: timeout %v is negative", c.Timeout))
	}
	if err := c.Content.validate(); err != nil {
		errs = append(errs, fmt.Errorf("smtp: %w", err))
	}
	return errors.Join(errs...)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Headers that carry the notification's identity (SMTP and SendGrid alike).
const (
	HeaderNotificationID = "X-Vigie-Notification-Id"
	HeaderAlarmID        = "X-Vigie-Alarm-Id"
)

// SMTP delivers e-mail through an SMTP server (a relay of the organisation, a provider's
// submission port), one connection per message.
type SMTP struct {
	cfg  SMTPConfig
	from *netmail.Address
	log  *slog.Logger
	tls  *tls.Config
}

var _ notify.Notifier = (*SMTP)(nil)

// NewSMTP checks cfg and returns the notifier.
func NewSMTP(cfg SMTPConfig, log *slog.Logger) (*SMTP, error) {
	if log == nil {
		return nil, errors.New("smtp: nil logger")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	cfg.Content.setDefaults()
	from, _ := netmail.ParseAddress(cfg.From)
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLS != nil {
		tlsCfg = cfg.TLS.Clone()
	}
	if tlsCfg.ServerName == "" {
		tlsCfg.ServerName = cfg.Host
	}
	return &SMTP{cfg: cfg, from: from, log: log.With("channel", "email", "notifier", "smtp", "server", net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))), tls: tlsCfg}, nil
}

// Name is the notifier's name in Fallback errors.
func (s *SMTP) Name() string { return "smtp" }

// Notify sends m. SMTP 4xx replies, network failures and timeouts are retryable; 5xx replies, an
// invalid recipient, a certificate the server cannot prove and a server without STARTTLS (when it is
// required) are not.
func (s *SMTP) Notify(ctx context.Context, m notify.Message) (bool, error) {
	if err := ctx.Err(); err != nil {
		return true, fmt.Errorf("smtp: %w", err)
	}
	if err := m.Validate(); err != nil {
		return false, fmt.Errorf("smtp: %w", err)
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return false, fmt.Errorf("smtp: recipient %q: %w", m.To, err)
	}
	e := s.cfg.Content.Render(m)
	msg := mail.NewMsg()
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	msg.Subject(e.Subject)
	msg.SetMessageIDWithValue(messageID(m.ID, s.from.Address))
	msg.SetDateWithValue(s.cfg.Content.Now())
	msg.SetGenHeader(HeaderNotificationID, m.ID)
	if m.AlarmID != "" {
		msg.SetGenHeader(HeaderAlarmID, m.AlarmID)
	}
	msg.SetGenHeader(mail.HeaderContentLang, e.Language)
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	msg.SetGenHeader(mail.HeaderXPriority, "1")
	msg.SetGenHeader(mail.HeaderImportance, "high")
	msg.SetBodyString(mail.TypeTextPlain, e.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, e.HTML)

	client, err := mail.NewClient(s.cfg.Host, s.options(ctx)...)
	if err != nil {
		return false, notify.RedactError(fmt.Errorf("smtp: client: %w", err), s.cfg.Password)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server took the message; only the goodbye (RSET, QUIT) failed.
		s.log.Warn("e-mail accepted, closing the connection failed", "notification", m, "err", notify.RedactError(err, s.cfg.Password))
		err = nil
	}
	if err == nil {
		s.log.Debug("e-mail accepted", "notification", m)
		return false, nil
	}
	retry, err := classify(ctx, err)
	err = notify.RedactError(fmt.Errorf("smtp: send to %s: %w", to.Address, err), s.cfg.Password)
	s.log.Debug("e-mail not sent", "notification", m, "retry", retry, "err", err)
	return retry, err
}

func (s *SMTP) options(ctx context.Context) []mail.Option {
	opts := []mail.Option{
		mail.WithPort(s.cfg.Port),
		mail.WithTimeout(s.cfg.Timeout),
		mail.WithHELO(s.cfg.HELO),
		mail.WithTLSConfig(s.tls),
		mail.WithDialContextFunc(s.dialer(ctx)),
	}
	switch s.cfg.Security {
	case SecurityTLS:
		opts = append(opts, mail.WithSSL())
	case SecurityNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(smtpAuths[strings.ToUpper(s.cfg.Auth)]),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	return opts
}

// dialer connects and ties the connection to ctx: go-mail bounds the conversation with its
// timeout only, so once ctx is done the connection's deadline is moved to the past, which ends any
// read or write at once.
func (s *SMTP) dialer(ctx context.Context) mail.DialContextFunc {
	return func(dctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		raw, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		conn := newCtxConn(ctx, raw)
		if s.cfg.Security != SecurityTLS {
			return conn, nil
		}
		tc := tls.Client(conn, s.tls)
		if err := tc.HandshakeContext(dctx); err != nil {
			_ = conn.Close()
			return nil, err
		}
		return tc, nil
	}
}

// ctxConn is a net.Conn whose deadlines are in the past once ctx is done.
type ctxConn struct {
	net.Conn
	ctx  context.Context
	mu   sync.Mutex
	stop func() bool
}

var longAgo = time.Unix(1, 0)

func newCtxConn(ctx context.Context, c net.Conn) *ctxConn {
	cc := &ctxConn{Conn: c, ctx: ctx}
	cc.stop = context.AfterFunc(ctx, func() {
		cc.mu.Lock()
		defer cc.mu.Unlock()
		_ = cc.Conn.SetDeadline(longAgo)
	})
	return cc
}

func (c *ctxConn) deadline(set func(time.Time) error, t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx.Err() != nil {
		t = longAgo
	}
	return set(t)
}

func (c *ctxConn) SetDeadline(t time.Time) error      { return c.deadline(c.Conn.SetDeadline, t) }
func (c *ctxConn) SetReadDeadline(t time.Time) error  { return c.deadline(c.Conn.SetReadDeadline, t) }
func (c *ctxConn) SetWriteDeadline(t time.Time) error { return c.deadline(c.Conn.SetWriteDeadline, t) }

func (c *ctxConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

// classify says whether a failed SMTP exchange may succeed later, and makes a done ctx visible to
// errors.Is.
func classify(ctx context.Context, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return true, fmt.Errorf("%w (%w)", ctxErr, err)
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		if code := se.ErrorCode(); code >= 500 {
			return false, err
		} else if code >= 400 {
			return true, err
		}
		return true, err // no reply code: the connection broke
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code/100 != 5, err
	}
	var (
		unknownCA *x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify) {
		return false, err // the server cannot prove who it is: trying again will not change that
	}
	if msg := err.Error(); strings.Contains(msg, "does not support STARTTLS") || strings.Contains(msg, "does not support SMTP AUTH") ||
		strings.Contains(msg, "unencrypted connection") {
		return false, err // go-mail's own refusals, plain errors: a configuration to fix
	}
	return true, err
}

// messageID is a stable Message-ID for a notification: a retry or a duplicate carries the same one,
// so receiving systems can tell them apart.
func messageID(id, from string) string {
	domain := "vigie.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	sum := sha256.Sum256([]byte(id))
	return "vigie." + hex.EncodeToString(sum[:16]) + "@" + domain
}
