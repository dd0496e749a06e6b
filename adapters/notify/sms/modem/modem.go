// Package modem is the SMS channel through a GSM modem on a serial port, driven with AT commands
// in PDU mode: the channel that still works when the Internet is down.
//
// A Modem owns its port: Run keeps it open and initialised, reconnects when the port disappears
// (a USB modem unplugged, a power cut of the modem), and reads the operators' replies (+CMTI
// indications, then AT+CMGR; a sweep with AT+CMGL at each connection and every PollInterval),
// handing them to sms.Replies and deleting them once handed. Notify sends through the same
// dialogue, one command at a time.
package modem

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.bug.st/serial"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/sms"
	"github.com/vigie/vigie/adapters/notify/sms/modem/at"
)

// Config configures the channel. Zero fields take the defaults shown.
type Config struct {
	// Port is the modem's serial device: "/dev/ttyUSB2", or better a stable udev name such as
	// "/dev/serial/by-id/usb-…-if02-port0".
	Port string
	// BaudRate, default 115200 (USB modems ignore it).
	BaudRate int
	// PIN of the SIM, entered when the modem asks for it. A secret: never logged.
	PIN string
	// SMSC is the service centre's number; empty: the one stored on the SIM.
	SMSC string
	// CommandTimeout bounds a command's answer, and AT+CMGS's prompt; default 10 s.
	CommandTimeout time.Duration
	// SendTimeout bounds the network's answer to one AT+CMGS; default 60 s.
	SendTimeout time.Duration
	// ReconnectMin and ReconnectMax bound the wait before reopening a lost or unopenable port,
	// doubling from one to the other; defaults 1 s and 10 s.
	ReconnectMin time.Duration
	ReconnectMax time.Duration
	// PollInterval is how often stored messages are swept (replies whose +CMTI was missed);
	// default 1 min, negative: never (only at each connection).
	PollInterval time.Duration
	// MaxSegments caps the parts of one message (longer texts are cut); default 6.
	MaxSegments int
}

func (c *Config) setDefaults() {
	if c.BaudRate == 0 {
		c.BaudRate = 115200
	}
	if c.CommandTimeout == 0 {
		c.CommandTimeout = 10 * time.Second
	}
	if c.SendTimeout == 0 {
		c.SendTimeout = 60 * time.Second
	}
	if c.ReconnectMin == 0 {
		c.ReconnectMin = time.Second
	}
	if c.ReconnectMax == 0 {
		c.ReconnectMax = 10 * time.Second
	}
	if c.PollInterval == 0 {
		c.PollInterval = time.Minute
	}
	if c.MaxSegments == 0 {
		c.MaxSegments = 6
	}
}

// Validate reports every mistake at once (after defaults).
func (c Config) Validate() error {
	c.setDefaults()
	var errs []error
	if strings.TrimSpace(c.Port) == "" {
		errs = append(errs, errors.New("modem: port is empty"))
	}
	if c.BaudRate < 0 {
		errs = append(errs, fmt.Errorf("modem: baud_rate %d is negative", c.BaudRate))
	}
	if c.PIN != "" && (len(c.PIN) < 4 || len(c.PIN) > 8 || strings.Trim(c.PIN, "0123456789") != "") {
		errs = append(errs, errors.New("modem: pin must be 4 to 8 digits"))
	}
	if c.SMSC != "" && !sms.ValidE164(c.SMSC) {
		errs = append(errs, fmt.Errorf("modem: smsc %q is not an E.164 number", c.SMSC))
	}
	for name, d := range map[string]time.Duration{"command_timeout": c.CommandTimeout, "send_timeout": c.SendTimeout, "reconnect_min": c.ReconnectMin, "reconnect_max": c.ReconnectMax} {
		if d < 0 {
			errs = append(errs, fmt.Errorf("modem: %s %v is negative", name, d))
		}
	}
	if c.ReconnectMax < c.ReconnectMin {
		errs = append(errs, fmt.Errorf("modem: reconnect_max %v is below reconnect_min %v", c.ReconnectMax, c.ReconnectMin))
	}
	if c.MaxSegments < 1 || c.MaxSegments > 10 {
		errs = append(errs, fmt.Errorf("modem: max_segments %d must be in [1, 10]", c.MaxSegments))
	}
	return errors.Join(errs...)
}

// Opener opens the port; the default opens a serial device with go.bug.st/serial.
type Opener func(port string, baud int) (io.ReadWriteCloser, error)

func openSerial(port string, baud int) (io.ReadWriteCloser, error) {
	return serial.Open(port, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
}

// Modem is the channel.
type Modem struct {
	cfg     Config
	logger  *slog.Logger
	replies sms.Replies
	clock   notify.Clock
	open    Opener
	enc     *encoder

	mu      sync.Mutex
	st      state
	changed chan struct{} // closed and replaced at each change of st
	running bool
}

type phase int

const (
	connecting phase = iota
	ready
	down
	stopped
)

type state struct {
	phase phase
	conn  *at.Conn
	err   error
}

var _ notify.Notifier = (*Modem)(nil)

// Option tunes a Modem.
type Option func(*Modem)

// WithReplies sets where the operators' replies go. Without it, received messages are left in
// the modem's storage.
func WithReplies(r sms.Replies) Option { return func(m *Modem) { m.replies = r } }

// WithClock sets the clock of the reconnection and sweep delays (the system clock by default).
func WithClock(c notify.Clock) Option { return func(m *Modem) { m.clock = c } }

// WithOpener replaces the serial port (tests, a TCP-to-serial bridge).
func WithOpener(o Opener) Option { return func(m *Modem) { m.open = o } }

// New returns a Modem, or every mistake of cfg. Nothing is opened before Run.
func New(cfg Config, logger *slog.Logger, opts ...Option) (*Modem, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		return nil, errors.New("modem: nil logger")
	}
	cfg.setDefaults()
	m := &Modem{
		cfg: cfg, logger: logger.With("channel", "sms", "provider", sms.ProviderModem, "port", cfg.Port),
		clock: notify.SystemClock(), open: openSerial, enc: newEncoder(cfg.SMSC),
		changed: make(chan struct{}),
	}
	for _, o := range opts {
		o(m)
	}
	return m, nil
}

// Name is the channel's name in a notify.Fallback's errors.
func (m *Modem) Name() string { return "modem" }

// Connected reports whether the modem is open and initialised (for health checks).
func (m *Modem) Connected() bool {
	st, _ := m.state()
	return st.phase == ready
}

func (m *Modem) state() (state, <-chan struct{}) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st, m.changed
}

func (m *Modem) set(st state) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.st = st
	close(m.changed)
	m.changed = make(chan struct{})
}

// Notify sends m as one SMS (several concatenated parts when long). It waits while the modem is
// being (re)connected, and fails at once with retry=true when the modem is down. Once the first
// part is handed to the modem the exchange goes on to its end even if ctx ends (Notify returns
// then): an abandoned AT+CMGS would leave the dialogue out of step, and a message that goes out
// after all is better than one that does not. Retry: false for an invalid number, text or a
// permanent +CMS ERROR (unassigned number, barred…), true otherwise.
func (m *Modem) Notify(ctx context.Context, msg notify.Message) (bool, error) {
	if err := ctx.Err(); err != nil {
		return true, fmt.Errorf("sms %s to %s: %w", msg.ID, msg.To, err)
	}
	to := sms.NormalizePhone(msg.To)
	if !sms.ValidE164(to) {
		return false, fmt.Errorf("sms %s: recipient %q is not an E.164 number", msg.ID, msg.To)
	}
	segs, err := m.enc.encode(to, sms.Truncate(sms.Render(msg), m.cfg.MaxSegments))
	if err != nil {
		return false, fmt.Errorf("sms %s to %s: %w", msg.ID, to, err)
	}
	for {
		st, changed := m.state()
		switch st.phase {
		case ready:
			type result struct {
				mrs []int
				err error
			}
			done := make(chan result, 1)
			go func() {
				mrs, err := m.submit(ctx, st.conn, segs)
				done <- result{mrs, err}
			}()
			select {
			case r := <-done:
				if r.err != nil {
					retry := retryable(r.err)
					m.logger.Warn("sms not sent", "msg", msg, "retry", retry, "err", r.err)
					return retry, fmt.Errorf("sms %s to %s: %w", msg.ID, to, r.err)
				}
				m.logger.Debug("sms sent", "msg", msg, "parts", len(segs), "mr", r.mrs)
				return false, nil
			case <-ctx.Done():
				return true, fmt.Errorf("sms %s to %s: %w", msg.ID, to, ctx.Err())
			}
		case connecting:
			select {
			case <-changed:
			case <-ctx.Done():
				return true, fmt.Errorf("sms %s to %s: modem still connecting: %w", msg.ID, to, ctx.Err())
			}
		default:
			cause := st.err
			if cause == nil {
				cause = errors.New("not running")
			}
			return true, fmt.Errorf("sms %s to %s: modem not connected: %w", msg.ID, to, cause)
		}
	}
}

// submit sends the parts one by one; ctx only bounds the wait for the first part's turn.
func (m *Modem) submit(ctx context.Context, conn *at.Conn, segs []segment) ([]int, error) {
	mrs := make([]int, 0, len(segs))
	for i, s := range segs {
		if i > 0 {
			ctx = context.WithoutCancel(ctx)
		}
		lines, err := conn.Submit(ctx, "AT+CMGS="+strconv.Itoa(s.length), s.hex, m.cfg.CommandTimeout, m.cfg.SendTimeout)
		if err != nil {
			if len(segs) > 1 {
				err = fmt.Errorf("part %d of %d: %w", i+1, len(segs), err)
			}
			return mrs, err
		}
		mr, err := at.ParseCMGS(lines)
		if err != nil {
			m.logger.Warn("sms sent without a readable message reference", "err", err)
		}
		mrs = append(mrs, mr)
	}
	return mrs, nil
}

// retryable: permanent +CMS errors are not, a done ctx and everything else (ERROR, timeouts,
// a lost port, SIM and network errors) are.
func retryable(err error) bool {
	var cms *at.CMSError
	if errors.As(err, &cms) {
		return cms.Temporary()
	}
	return true
}

// Run keeps the modem connected and reads replies until ctx ends; it returns nil then. Run it
// once, for as long as the channel is used: Notify waits for it to connect.
func (m *Modem) Run(ctx context.Context) error {
	m.mu.Lock()
	if m.running {
		m.mu.Unlock()
		return errors.New("modem: Run is already running")
	}
	m.running = true
	m.mu.Unlock()
	wait := m.cfg.ReconnectMin
	var lastErr string
	for {
		if ctx.Err() != nil {
			m.set(state{phase: stopped, err: errors.New("stopped")})
			return nil
		}
		m.set(state{phase: connecting})
		conn, err := m.connect(ctx)
		if err == nil {
			m.logger.Info("modem connected")
			lastErr = ""
			wait = m.cfg.ReconnectMin
			m.set(state{phase: ready, conn: conn})
			err = m.serve(ctx, conn)
			_ = conn.Close()
			if ctx.Err() != nil {
				continue
			}
			m.logger.Warn("modem lost", "err", err)
		} else if ctx.Err() != nil {
			continue
		} else if err.Error() != lastErr {
			lastErr = err.Error()
			m.logger.Warn("modem unavailable", "err", err, "retry_in", wait)
		}
		m.set(state{phase: down, err: err})
		select {
		case <-ctx.Done():
		case <-m.clock.After(wait):
		}
		wait = min(2*wait, m.cfg.ReconnectMax)
	}
}

// connect opens the port and initialises the modem: echo off, numeric errors, SIM PIN, PDU mode,
// new messages stored and indicated with +CMTI.
func (m *Modem) connect(ctx context.Context) (*at.Conn, error) {
	port, err := m.open(m.cfg.Port, m.cfg.BaudRate)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", m.cfg.Port, err)
	}
	conn := at.New(port, m.logger)
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	fail := func(err error) (*at.Conn, error) {
		_ = conn.Close()
		return nil, fmt.Errorf("initialise modem on %s: %w", m.cfg.Port, err)
	}
	if err := conn.Escape(ctx); err != nil {
		return fail(err)
	}
	exec := func(cmd string) ([]string, error) { return conn.Exec(ctx, cmd, m.cfg.CommandTimeout) }
	for _, cmd := range []string{"AT", "ATE0", "AT+CMEE=1"} {
		if _, err := exec(cmd); err != nil {
			return fail(err)
		}
	}
	if err := m.unlockSIM(exec); err != nil {
		return fail(err)
	}
	if _, err := exec("AT+CMGF=0"); err != nil {
		return fail(fmt.Errorf("PDU mode: %w", err))
	}
	// 2,1: indications buffered while the link is busy, and each new message stored (on the
	// SIM or the phone's memory) and announced with +CMTI. Stored rather than routed to the
	// port (+CMT) so that a reply that comes while Vigie is down is not lost but swept later.
	if _, err := exec("AT+CNMI=2,1,0,0,0"); err != nil {
		if _, err2 := exec("AT+CNMI=1,1,0,0,0"); err2 != nil {
			m.logger.Warn("modem refuses new-message indications: replies are only swept", "err", err)
		}
	}
	return conn, nil
}

func (m *Modem) unlockSIM(exec func(string) ([]string, error)) error {
	for attempt := 0; ; attempt++ {
		lines, err := exec("AT+CPIN?")
		if err != nil {
			return fmt.Errorf("SIM status: %w", err)
		}
		status := ""
		for _, l := range lines {
			if v, ok := strings.CutPrefix(l, "+CPIN:"); ok {
				status = strings.TrimSpace(v)
			}
		}
		switch {
		case status == "READY":
			return nil
		case status == "SIM PIN" && m.cfg.PIN == "":
			return errors.New("the SIM asks for a PIN and none is configured")
		case status == "SIM PIN" && attempt == 0:
			if _, err := exec(`AT+CPIN="` + m.cfg.PIN + `"`); err != nil {
				// Never retried: three wrong PINs lock the SIM.
				return fmt.Errorf("the SIM refused the configured PIN: %w", err)
			}
		default:
			return fmt.Errorf("SIM not ready: %q", status)
		}
	}
}

// serve reads replies until the connection or ctx ends.
func (m *Modem) serve(ctx context.Context, conn *at.Conn) error {
	var poll <-chan time.Time
	schedule := func() {
		if m.cfg.PollInterval > 0 {
			poll = m.clock.After(m.cfg.PollInterval)
		}
	}
	m.sweep(ctx, conn)
	schedule()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-conn.Done():
			return conn.Err()
		case u := <-conn.URCs():
			m.unsolicited(ctx, conn, u)
		case <-poll:
			m.sweep(ctx, conn)
			schedule()
		}
	}
}

func (m *Modem) unsolicited(ctx context.Context, conn *at.Conn, u at.URC) {
	switch u.Name {
	case "+CMTI":
		_, index, err := at.ParseCMTI(u.Value)
		if err != nil {
			m.logger.Warn("unreadable new-message indication", "err", err)
			m.sweep(ctx, conn)
			return
		}
		m.readOne(ctx, conn, index)
	case "+CMT":
		// Routed to the port rather than stored (a modem that ignored AT+CNMI=2,1).
		in, err := DecodeDeliver(u.PDU)
		if err != nil {
			m.logger.Warn("unreadable incoming sms", "err", err)
			return
		}
		if in.Parts > 1 {
			m.logger.Warn("part of a long sms routed to the port, not stored: dropped", "from", in.From)
			return
		}
		_ = m.hand(ctx, in)
	default:
		m.logger.Debug("unsolicited result ignored", "urc", u.Name)
	}
}

// readOne reads the message at index; a part of a long message makes a sweep, which reassembles.
func (m *Modem) readOne(ctx context.Context, conn *at.Conn, index int) {
	if m.replies == nil {
		return
	}
	lines, err := conn.Exec(ctx, "AT+CMGR="+strconv.Itoa(index), m.cfg.CommandTimeout)
	if err != nil {
		m.logger.Warn("read sms", "index", index, "err", err)
		return
	}
	s, err := at.ParseCMGR(lines)
	if err != nil {
		m.logger.Warn("read sms", "index", index, "err", err)
		return
	}
	s.Index = index
	in, err := DecodeDeliver(s.PDU)
	switch {
	case err != nil:
		m.discard(ctx, conn, s, err)
	case in.Parts > 1:
		m.sweep(ctx, conn)
	default:
		if m.hand(ctx, in) == nil {
			m.delete(ctx, conn, index)
		}
	}
}

// sweep reads every stored message (AT+CMGL=4), hands over the complete ones and deletes them.
func (m *Modem) sweep(ctx context.Context, conn *at.Conn) {
	if m.replies == nil {
		return
	}
	lines, err := conn.Exec(ctx, "AT+CMGL=4", m.cfg.CommandTimeout)
	if err != nil {
		m.logger.Warn("list stored sms", "err", err)
		return
	}
	stored, err := at.ParseCMGL(lines)
	if err != nil {
		m.logger.Warn("list stored sms", "err", err) // handle what was readable
	}
	type key struct {
		from     string
		ref, all int
	}
	groups := map[key]map[int]Incoming{}
	indexes := map[key][]int{}
	for _, s := range stored {
		if s.Stat > 1 { // stored outgoing messages are not replies
			continue
		}
		in, err := DecodeDeliver(s.PDU)
		if err != nil {
			m.discard(ctx, conn, s, err)
			continue
		}
		if in.Parts == 1 {
			if m.hand(ctx, in) == nil {
				m.delete(ctx, conn, s.Index)
			}
			continue
		}
		k := key{in.From, in.Ref, in.Parts}
		if groups[k] == nil {
			groups[k] = map[int]Incoming{}
		}
		groups[k][in.Part] = in
		indexes[k] = append(indexes[k], s.Index)
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return slices.Min(indexes[keys[i]]) < slices.Min(indexes[keys[j]]) })
	for _, k := range keys { // in the order they were stored
		parts := groups[k]
		if len(parts) < k.all {
			continue // the other parts have not come yet
		}
		nums := make([]int, 0, len(parts))
		for p := range parts {
			nums = append(nums, p)
		}
		sort.Ints(nums)
		whole := parts[nums[0]]
		var b strings.Builder
		for _, p := range nums {
			b.WriteString(parts[p].Text)
		}
		whole.Text = b.String()
		if m.hand(ctx, whole) == nil {
			for _, i := range indexes[k] {
				m.delete(ctx, conn, i)
			}
		}
	}
}

// hand gives a reply to Replies.
func (m *Modem) hand(ctx context.Context, in Incoming) error {
	at := in.At
	if at.IsZero() {
		at = m.clock.Now()
	}
	rctx, cancel := context.WithTimeout(ctx, m.cfg.CommandTimeout)
	defer cancel()
	if err := m.replies.Reply(rctx, in.From, in.Text, at); err != nil {
		m.logger.Error("sms reply not handled: kept in the modem for the next sweep", "from", in.From, "err", err)
		return err
	}
	m.logger.Info("sms reply received", "from", in.From, "at", at)
	return nil
}

func (m *Modem) delete(ctx context.Context, conn *at.Conn, index int) {
	if _, err := conn.Exec(ctx, "AT+CMGD="+strconv.Itoa(index), m.cfg.CommandTimeout); err != nil {
		m.logger.Warn("delete sms", "index", index, "err", err)
	}
}

// discard deletes a received message that cannot be decoded (it would fill the storage).
func (m *Modem) discard(ctx context.Context, conn *at.Conn, s at.Stored, why error) {
	m.logger.Warn("undecodable sms deleted", "index", s.Index, "err", why)
	m.delete(ctx, conn, s.Index)
}
