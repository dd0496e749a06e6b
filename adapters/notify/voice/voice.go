package voice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/diago"
	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/domain/cascade"
)

// Ack is an operator's key 1 during a call: the lead turns it into alarm.Acknowledge with the
// operator as actor and the voice channel as the way.
type Ack struct {
	NotificationID string
	AlarmID        string
	Operator       string
	// To is the number that was called and pressed 1.
	To string
	At time.Time
}

// Acknowledger records acknowledgements. It must be idempotent (an operator may press 1 in two
// calls of the same alarm) and return once the acknowledgement is durable: the call then says
// "the alarm is acknowledged", so the operator stops worrying about it.
type Acknowledger interface {
	Acknowledge(ctx context.Context, a Ack) error
}

// AcknowledgerFunc adapts a function to Acknowledger.
type AcknowledgerFunc func(ctx context.Context, a Ack) error

// Acknowledge calls f.
func (f AcknowledgerFunc) Acknowledge(ctx context.Context, a Ack) error { return f(ctx, a) }

// Result is what happened during a call.
type Result struct {
	// Answered: the callee took the call (200 OK).
	Answered bool
	// Acknowledged: the callee pressed 1 and the Acknowledger recorded it.
	Acknowledged bool
	// AckErr: the callee pressed 1 but the Acknowledger failed (the call told them so).
	AckErr error
	// Keys are the keys pressed, in order.
	Keys string
	// Plays counts the repetitions of the message heard to the end.
	Plays int
	// CalleeSilent: not a sound came from the callee (see ErrSilentAnswer).
	CalleeSilent bool
	// Status is the final SIP response to the INVITE (200, 486…; 0 when none came).
	Status int
	// Talk is how long the answered call lasted.
	Talk time.Duration
	// Duplicate: the notification ID was already delivered; no call was made.
	Duplicate bool
}

// Option changes a Notifier's collaborators (tests, pre-rendered audio).
type Option func(*Notifier)

// WithSpeaker replaces the text-to-speech (default: espeak-ng + sox, cached for 64 texts).
func WithSpeaker(s Speaker) Option { return func(n *Notifier) { n.speaker = s } }

// WithClock replaces time.Now (for the memory of delivered IDs and the Ack's time).
func WithClock(now func() time.Time) Option { return func(n *Notifier) { n.now = now } }

// Notifier places voice calls through a PBX or SIP trunk (diago on sipgo). It is a
// notify.Notifier: Notify returns nil once the message was heard (whether or not the operator
// pressed 1), a *CallError otherwise. Close it to stop its SIP listener.
type Notifier struct {
	cfg     Config
	acks    Acknowledger
	log     *slog.Logger
	speaker Speaker
	now     func() time.Time

	ua     *sipgo.UserAgent
	dg     *diago.Diago
	stop   context.CancelFunc
	closed atomic.Bool
	wg     sync.WaitGroup // calls still hanging up after Notify returned

	mu    sync.Mutex
	calls map[string]*callState // by notification ID
}

var _ notify.Notifier = (*Notifier)(nil)

// callState is one notification ID's call: in flight until done is closed.
type callState struct {
	done   chan struct{}
	result Result
	err    error
	retry  bool
	at     time.Time
}

// New returns a notifier listening for SIP on cfg.BindHost:cfg.BindPort (the PBX sends the
// callee's BYE there). acks receives the acknowledgements; it is required, because a call that
// says "press 1 to acknowledge" and then ignores the 1 would be worse than no call.
func New(cfg Config, acks Acknowledger, logger *slog.Logger, opts ...Option) (*Notifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	var errs []error
	if acks == nil {
		errs = append(errs, errors.New("voice: nil acknowledger"))
	}
	if logger == nil {
		errs = append(errs, errors.New("voice: nil logger"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	n := &Notifier{cfg: cfg, acks: acks, log: logger.With("channel", "voice"), now: time.Now,
		calls: map[string]*callState{}}
	for _, o := range opts {
		o(n)
	}
	if n.speaker == nil {
		cached, err := NewCachedSpeaker(Espeak{}, 64)
		if err != nil {
			return nil, err
		}
		n.speaker = cached
	}

	ua, err := sipgo.NewUA(sipgo.WithUserAgent(cfg.From))
	if err != nil {
		return nil, fmt.Errorf("voice: SIP user agent: %w", err)
	}
	// sipgo and diago log every message at debug level: only their warnings reach our log.
	libLog := slog.New(levelFilter{min: slog.LevelWarn, h: n.log.Handler()}).With("lib", "diago")
	n.ua = ua
	n.dg = diago.NewDiago(ua,
		diago.WithLogger(libLog),
		diago.WithTransport(diago.Transport{
			Transport:    cfg.Transport,
			BindHost:     cfg.BindHost,
			BindPort:     cfg.BindPort,
			ExternalHost: cfg.ExternalHost,
		}),
	)
	ctx, stop := context.WithCancel(context.Background())
	n.stop = stop
	err = n.dg.ServeBackground(ctx, func(d *diago.DialogServerSession) {
		// Vigie only calls out: an operator calling the number back gets 480 Temporarily
		// Unavailable (diago's answer when the handler returns without answering).
		n.log.Info("incoming call refused", "from", d.FromUser())
	})
	if err != nil {
		stop()
		_ = ua.Close()
		return nil, fmt.Errorf("voice: listen for SIP on %s %s: %w", cfg.Transport, net.JoinHostPort(cfg.BindHost, strconv.Itoa(cfg.BindPort)), err)
	}
	if cfg.Transport == "udp" {
		// sipgo says "listening" before it puts the UDP socket in its connection pool; an INVITE
		// sent in between tries to bind the same address again and fails (address already in
		// use). Wait until the socket is in the pool (a few milliseconds).
		pool := ua.TransportLayer().Pool("udp")
		for deadline := time.Now().Add(2 * time.Second); pool.Size() == 0 && time.Now().Before(deadline); {
			time.Sleep(2 * time.Millisecond)
		}
	}
	return n, nil
}

// Close stops the SIP listener once the calls still hanging up are done (at most 5 s).
func (n *Notifier) Close() error {
	n.mu.Lock() // no call starts once closed is set (see call)
	already := n.closed.Swap(true)
	n.mu.Unlock()
	if already {
		return nil
	}
	// Calls abandoned by their ctx are still cancelling or hanging up: give them a few seconds
	// (a PBX answers a CANCEL or a BYE in milliseconds; one that never does would hold sipgo's
	// transaction for 32 s).
	finished := make(chan struct{})
	go func() { n.wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(closeWait):
		n.log.Warn("closing with calls still hanging up", "waited", closeWait)
	}
	n.stop()
	return n.ua.Close()
}

// closeWait bounds how long Close waits for calls still hanging up.
const closeWait = 5 * time.Second

// Name is the notifier's name in a notify.Fallback's errors.
func (n *Notifier) Name() string { return "sip" }

// Notify calls m.To and speaks the message. See Call.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (bool, error) {
	_, retry, err := n.Call(ctx, m)
	return retry, err
}

// Call places the call of m and reports what happened:
//   - answered and 1 pressed: acknowledged (the Acknowledger got it), nil error;
//   - answered, message heard, no 1: delivered, not acknowledged, nil error — the cascade keeps
//     waiting for an acknowledgement by another way and escalates on time;
//   - not answered, busy, declined, invalid number, PBX failure, hung up before the message was
//     heard, or answered and silent throughout: a *CallError, retryable or not (see its kinds).
//
// The same notification ID is never called twice once delivered (for Config.RememberFor), and a
// second Call for an ID in flight waits for the first one's result. Once ctx is done Call returns
// at once with ctx's error and retry true; the call itself is then cancelled or hung up in the
// background.
func (n *Notifier) Call(ctx context.Context, m notify.Message) (Result, bool, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, true, fmt.Errorf("voice call %s: not placed: %w", m.ID, err)
	}
	if n.closed.Load() {
		return Result{}, true, fmt.Errorf("voice call %s: notifier closed", m.ID)
	}
	if err := m.Validate(); err != nil {
		return Result{}, false, fmt.Errorf("voice call: %w", err)
	}
	if !validNumber(m.To) {
		return Result{}, false, fmt.Errorf("voice call %s: %q is not a phone number: %w", m.ID, m.To, ErrInvalidNumber)
	}

	st, owner := n.claim(m.ID)
	if !owner {
		select {
		case <-st.done:
		case <-ctx.Done():
			return Result{}, true, fmt.Errorf("voice call %s: waiting for the same notification's call: %w", m.ID, ctx.Err())
		}
		if st.err == nil {
			n.log.Info("not calling again: already delivered", "msg", m)
			r := st.result
			r.Duplicate = true
			return r, false, nil
		}
		return n.Call(ctx, m) // it failed: this is a retry
	}

	return n.call(ctx, m, st)
}

// settle records how id's call ended and wakes those waiting for it. A failed call is
// forgotten, so that a retry calls again.
func (n *Notifier) settle(id string, st *callState, o outcome) {
	n.mu.Lock()
	defer n.mu.Unlock()
	st.result, st.err, st.retry, st.at = o.res, o.err, o.retry, n.now()
	if o.err != nil {
		delete(n.calls, id)
	}
	close(st.done)
}

// claim returns the state of id's call and whether the caller owns it (must place the call).
func (n *Notifier) claim(id string) (*callState, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.now()
	for k, s := range n.calls {
		select {
		case <-s.done:
			if now.Sub(s.at) > n.cfg.RememberFor {
				delete(n.calls, k)
			}
		default:
		}
	}
	if s, ok := n.calls[id]; ok {
		return s, false
	}
	s := &callState{done: make(chan struct{})}
	n.calls[id] = s
	return s, true
}

// audioSet is a call's rendered audio.
type audioSet struct{ message, thanks, ackError []byte }

func (n *Notifier) render(ctx context.Context, m notify.Message) (audioSet, error) {
	s := Render(m)
	var a audioSet
	var err error
	if a.message, err = n.speaker.Speak(ctx, s.Language, s.Message); err != nil {
		return a, err
	}
	if a.thanks, err = n.speaker.Speak(ctx, s.Language, s.Thanks); err != nil {
		return a, err
	}
	a.ackError, err = n.speaker.Speak(ctx, s.Language, s.AckError)
	return a, err
}

type outcome struct {
	res   Result
	retry bool
	err   error
}

// call places m's call; st is its idempotency state, settled when the call is really over (after
// Call returned, when ctx was done first: until then, a retry of the same ID waits instead of
// ringing the operator a second time).
func (n *Notifier) call(ctx context.Context, m notify.Message, st *callState) (Result, bool, error) {
	// Speak before dialling: the operator must not wait in silence while espeak-ng runs.
	sounds, err := n.render(ctx, m)
	if err != nil {
		o := outcome{retry: false, err: fmt.Errorf("voice call %s: %w", m.ID, err)}
		if ctx.Err() != nil {
			o = outcome{retry: true, err: fmt.Errorf("voice call %s: text to speech: %w", m.ID, ctx.Err())}
		}
		// A missing espeak-ng or voice does not heal by itself.
		n.settle(m.ID, st, o)
		return o.res, o.retry, o.err
	}
	// The call runs on its own: once ctx is done, Call returns at once, and the call is cancelled
	// (CANCEL) or hung up (BYE) in the background, as a phone that rings on for nobody would wake
	// the operator for nothing.
	callCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stopWatching := context.AfterFunc(ctx, cancel)
	done := make(chan outcome, 1)
	n.mu.Lock()
	if n.closed.Load() {
		n.mu.Unlock()
		cancel()
		stopWatching()
		o := outcome{retry: true, err: fmt.Errorf("voice call %s: notifier closed", m.ID)}
		n.settle(m.ID, st, o)
		return o.res, o.retry, o.err
	}
	n.wg.Add(1)
	n.mu.Unlock()
	go func() {
		defer n.wg.Done()
		defer cancel()
		defer stopWatching()
		res, retry, err := n.run(callCtx, m, sounds)
		if err != nil {
			err = fmt.Errorf("voice call %s to %s: %w", m.ID, m.To, err)
		}
		o := outcome{res, retry, err}
		n.settle(m.ID, st, o)
		done <- o
	}()
	select {
	case o := <-done:
		if o.err != nil {
			n.log.Warn("voice call failed", "msg", m, "status", o.res.Status, "retry", o.retry, "error", o.err)
			return o.res, o.retry, o.err
		}
		n.log.Info("voice call delivered", "msg", m, "acknowledged", o.res.Acknowledged, "plays", o.res.Plays, "keys", o.res.Keys, "talk", o.res.Talk)
		return o.res, false, nil
	case <-ctx.Done():
		n.log.Info("voice call abandoned", "msg", m, "reason", ctx.Err())
		return Result{}, true, fmt.Errorf("voice call %s to %s: %w", m.ID, m.To, ctx.Err())
	}
}

var (
	errRingTimeout = errors.New("ring timeout")
	errAbandoned   = errors.New("call abandoned")
)

// run places the call and drives it to its end; ctx is cancelled when the caller gives up.
func (n *Notifier) run(ctx context.Context, m notify.Message, sounds audioSet) (Result, bool, error) {
	var res Result
	host, port := n.cfg.proxyHostPort()
	recipient := sip.Uri{Scheme: "sip", User: m.To, Host: host, Port: port}
	var headers []sip.Header
	if n.cfg.Domain != host {
		recipient = sip.Uri{Scheme: "sip", User: m.To, Host: n.cfg.Domain}
		route := sip.Uri{Scheme: "sip", Host: host, Port: port, UriParams: sip.NewParams()}
		route.UriParams.Add("lr", "")
		headers = append(headers, &sip.RouteHeader{Address: route})
	}
	headers = append(headers, sip.NewHeader("X-Vigie-Notification-Id", headerSafe(m.ID)))
	opts := diago.InviteClientOptions{Username: n.cfg.Username, Password: n.cfg.Password}
	opts.WithCaller(n.cfg.DisplayName, n.cfg.From, n.cfg.Domain)
	opts.Headers = append(opts.Headers, headers...)

	var provisional atomic.Bool
	var status atomic.Int64
	opts.OnResponse = func(r *sip.Response) error {
		if r.IsProvisional() {
			provisional.Store(true)
		}
		status.Store(int64(r.StatusCode))
		return nil
	}

	// Ringing ends at RingTimeout or when ctx is done. Before any provisional response there is
	// nothing to CANCEL (RFC 3261 §9.1): sipgo would wait for one up to Timer B (32 s), so the
	// INVITE transaction is dropped at once instead.
	ringCtx, stopRinging := context.WithCancelCause(context.Background())
	defer stopRinging(nil)
	answered := make(chan struct{})
	go func() {
		t := time.NewTimer(n.cfg.RingTimeout)
		defer t.Stop()
		cause := errRingTimeout
		select {
		case <-answered:
			return
		case <-t.C:
		case <-ctx.Done():
			cause = errAbandoned
		}
		if !provisional.Load() {
			stopRinging(sipgo.WaitAnswerForceCancelErr)
			return
		}
		stopRinging(cause)
	}()

	d, err := n.dg.NewDialog(recipient, diago.NewDialogOptions{Transport: n.cfg.Transport})
	if err != nil {
		close(answered)
		return res, false, &CallError{Kind: ErrRefused, Reason: "new dialog: " + err.Error()}
	}
	med, err := d.Invite(ringCtx, opts)
	if err == nil {
		err = d.Ack(ringCtx)
	}
	close(answered)
	res.Status = int(status.Load())
	if err != nil {
		_ = d.Close()
		err = n.inviteError(ctx, ringCtx, err, &res)
		var ce *CallError
		return res, !errors.As(err, &ce) || ce.Retryable(), err
	}
	defer func() { _ = d.Close() }()
	res.Answered = true
	began := time.Now()
	n.log.Debug("call answered", "msg", m)

	talkCtx, stopTalk := context.WithTimeout(ctx, n.cfg.MaxCall)
	defer stopTalk()
	listener, err := listen(med)
	if err != nil {
		n.hangup(d)
		return res, true, &CallError{Kind: ErrUnavailable, Reason: "media: " + err.Error()}
	}
	player, err := newPlayer(med)
	if err != nil {
		n.hangup(d)
		return res, true, &CallError{Kind: ErrRefused, Reason: "media: " + err.Error()}
	}
	c := &conversation{keys: listener.keys, player: player, hungUp: d.Context().Done(), ctx: talkCtx}
	key := c.converse(sounds.message, n.cfg)
	res.Plays, res.Keys = c.plays, c.pressed

	if key == cascade.KeyAcknowledge {
		at := n.now()
		ackCtx, cancelAck := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		ackErr := n.acks.Acknowledge(ackCtx, Ack{NotificationID: m.ID, AlarmID: m.AlarmID, Operator: m.Operator, To: m.To, At: at})
		cancelAck()
		if ackErr != nil {
			res.AckErr = ackErr
			n.log.Error("key 1 pressed but the acknowledgement was not recorded", "msg", m, "error", ackErr)
			c.play(sounds.ackError, false)
		} else {
			res.Acknowledged = true
			c.play(sounds.thanks, false)
		}
	}
	n.hangup(d)
	listener.wait()
	res.Talk = time.Since(began)
	res.CalleeSilent = !listener.heard.Load()

	switch {
	case res.Acknowledged || res.AckErr != nil:
		return res, false, nil
	case ctx.Err() != nil && res.Plays == 0:
		return res, true, fmt.Errorf("%w during the message", ctx.Err())
	case res.Plays == 0:
		return res, true, &CallError{Kind: ErrHungUpEarly, Status: 200, Reason: "hung up after " + res.Talk.Round(100*time.Millisecond).String()}
	case res.CalleeSilent && res.Keys == "":
		return res, true, &CallError{Kind: ErrSilentAnswer, Status: 200, Reason: fmt.Sprintf("message played %d time(s), nothing heard back", res.Plays)}
	}
	return res, false, nil
}

// inviteError classifies a failed INVITE.
func (n *Notifier) inviteError(ctx, ringCtx context.Context, err error, res *Result) error {
	var dr *sipgo.ErrDialogResponse
	if errors.As(err, &dr) && dr.Res != nil {
		res.Status = dr.Res.StatusCode
		return statusError(dr.Res.StatusCode, dr.Res.Reason)
	}
	var drv sipgo.ErrDialogResponse
	if errors.As(err, &drv) && drv.Res != nil {
		res.Status = drv.Res.StatusCode
		return statusError(drv.Res.StatusCode, drv.Res.Reason)
	}
	switch cause := context.Cause(ringCtx); {
	case ctx.Err() != nil:
		return fmt.Errorf("while ringing: %w", ctx.Err())
	case errors.Is(cause, errRingTimeout):
		return &CallError{Kind: ErrNoAnswer, Status: res.Status, Reason: fmt.Sprintf("no answer after %v", n.cfg.RingTimeout)}
	case errors.Is(cause, sipgo.WaitAnswerForceCancelErr):
		return &CallError{Kind: ErrUnavailable, Reason: fmt.Sprintf("no response from the PBX within %v", n.cfg.RingTimeout)}
	}
	return &CallError{Kind: ErrUnavailable, Reason: notify.Redact(err.Error(), n.cfg.Password)}
}

// hangup sends BYE unless the callee already hung up.
func (n *Notifier) hangup(d *diago.DialogClientSession) {
	select {
	case <-d.Context().Done():
		return
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Hangup(ctx); err != nil {
		n.log.Debug("hang up", "error", err)
	}
}

// headerSafe keeps a header value on one line.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// levelFilter passes only records at or above min to h.
type levelFilter struct {
	min slog.Level
	h   slog.Handler
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.h.Enabled(ctx, l)
}
func (f levelFilter) Handle(ctx context.Context, r slog.Record) error { return f.h.Handle(ctx, r) }
func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{f.min, f.h.WithAttrs(a)}
}
func (f levelFilter) WithGroup(g string) slog.Handler { return levelFilter{f.min, f.h.WithGroup(g)} }
