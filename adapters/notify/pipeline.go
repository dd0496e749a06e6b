package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Log answers the dedup question: was the notification with this ID already delivered? The cascade
// stream is the notification log: a deployment answers from its `notification.sent` events.
type Log interface {
	Sent(ctx context.Context, id string) (bool, error)
}

// Recorder records the outcome of a notification (a `notification.sent` or `notification.failed`
// event on the cascade stream). Once Record returned nil for a sent Outcome, Log.Sent must report
// the ID as sent.
type Recorder interface {
	Record(ctx context.Context, o Outcome) error
}

// RecorderFunc adapts a function to Recorder.
type RecorderFunc func(ctx context.Context, o Outcome) error

// Record calls f.
func (f RecorderFunc) Record(ctx context.Context, o Outcome) error { return f(ctx, o) }

// Status is how a notification ended.
type Status string

const (
	// StatusSent: the peer accepted the message.
	StatusSent Status = "sent"
	// StatusFailed: no attempt succeeded; Retryable says whether the last failure was temporary
	// (the deadline ran out) or permanent.
	StatusFailed Status = "failed"
	// StatusDuplicate: the log says the ID was already sent; nothing was done nor recorded.
	StatusDuplicate Status = "duplicate"
)

// Outcome is what the pipeline records about one message.
type Outcome struct {
	MessageID string
	AlarmID   string
	Operator  string
	Channel   Channel
	To        string
	Status    Status
	// Attempts counts the calls to the notifier (0 when the deadline or the rate limit left no room
	// for one).
	Attempts int
	// Retryable: for a failure, whether the last error was temporary.
	Retryable bool
	// Reason: for a failure, the last error (without secrets).
	Reason string
	// ProviderRef is, for a sent message, the provider's id of it (Twilio's MessageSid, a call
	// id) when the notifier tells it (RefNotifier): delivery receipts name it.
	ProviderRef string
	// At is the clock's time of the outcome.
	At time.Time
}

// RefNotifier is a Notifier that also tells the provider's id of what it sent, so that delivery
// receipts can be matched to the notification. The pipeline prefers NotifyRef when a notifier has it.
type RefNotifier interface {
	Notifier
	NotifyRef(ctx context.Context, m Message) (ref string, retry bool, err error)
}

// Clock is the pipeline's time: the system clock in production, a fake one in tests.
type Clock interface {
	Now() time.Time
	// After sends the time on the returned channel once d has elapsed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Backoff is the wait between two attempts: Initial, then multiplied by Multiplier after each
// failure up to Max; a random fraction of up to Jitter of each wait is taken off, so notifiers
// failing together do not retry together.
type Backoff struct {
	Initial    time.Duration // default 2 s
	Max        time.Duration // default 1 min
	Multiplier float64       // default 2
	Jitter     float64       // in [0, 1]; default 0.2
}

// RateLimit is a token bucket per recipient (channel and address): Burst messages at once, then
// one more every Every. A message takes one token before its first attempt (retries of the same
// message take none: the operator did not receive the failed attempts). A message that would have
// to wait past its deadline fails as retryable without an attempt.
type RateLimit struct {
	Disabled bool
	Burst    int           // default 10
	Every    time.Duration // default 6 s (10 messages a minute once the burst is spent)
}

// PipelineConfig tunes a Pipeline; zero fields take the defaults shown.
type PipelineConfig struct {
	Backoff   Backoff
	RateLimit RateLimit
	// RecordTimeout bounds Record, which runs even when ctx was cancelled after a delivery: a sent
	// message must reach the log. Default 10 s.
	RecordTimeout time.Duration
}

func (c *PipelineConfig) setDefaults() {
	b := &c.Backoff
	if b.Initial == 0 {
		b.Initial = 2 * time.Second
	}
	if b.Max == 0 {
		b.Max = time.Minute
	}
	if b.Multiplier == 0 {
		b.Multiplier = 2
	}
	if b.Jitter == 0 {
		b.Jitter = 0.2
	}
	if c.RateLimit.Burst == 0 {
		c.RateLimit.Burst = 10
	}
	if c.RateLimit.Every == 0 {
		c.RateLimit.Every = 6 * time.Second
	}
	if c.RecordTimeout == 0 {
		c.RecordTimeout = 10 * time.Second
	}
}

// Validate reports every mistake at once (after defaults).
func (c PipelineConfig) Validate() error {
	c.setDefaults()
	var errs []error
	b := c.Backoff
	if b.Initial < 0 {
		errs = append(errs, fmt.Errorf("backoff: initial %v is negative", b.Initial))
	}
	if b.Max < b.Initial {
		errs = append(errs, fmt.Errorf("backoff: max %v is below initial %v", b.Max, b.Initial))
	}
	if b.Multiplier < 1 || math.IsNaN(b.Multiplier) || math.IsInf(b.Multiplier, 0) {
		errs = append(errs, fmt.Errorf("backoff: multiplier %v must be a finite number ≥ 1", b.Multiplier))
	}
	if !(b.Jitter >= 0 && b.Jitter <= 1) {
		errs = append(errs, fmt.Errorf("backoff: jitter %v must be in [0, 1]", b.Jitter))
	}
	if !c.RateLimit.Disabled {
		if c.RateLimit.Burst < 1 {
			errs = append(errs, fmt.Errorf("rate limit: burst %d must be ≥ 1", c.RateLimit.Burst))
		}
		if c.RateLimit.Every < 0 {
			errs = append(errs, fmt.Errorf("rate limit: every %v is negative", c.RateLimit.Every))
		}
	}
	if c.RecordTimeout < 0 {
		errs = append(errs, fmt.Errorf("record timeout %v is negative", c.RecordTimeout))
	}
	return errors.Join(errs...)
}

// Deps are what a Pipeline needs; Clock and Random have defaults.
type Deps struct {
	Log      Log
	Recorder Recorder
	Logger   *slog.Logger
	// Clock: default SystemClock.
	Clock Clock
	// Random returns a number in [0, 1) for the jitter: default math/rand/v2.Float64.
	Random func() float64
}

// Pipeline wraps one Notifier (a channel, or a Fallback of several): dedup by message ID -> rate
// limit per recipient -> attempts with exponential back-off and jitter until the deadline -> record
// the outcome. It is safe for concurrent use; two concurrent Sends of one ID run one after the
// other, so the second sees the first's record.
type Pipeline struct {
	notifier Notifier
	cfg      PipelineConfig
	log      Log
	rec      Recorder
	logger   *slog.Logger
	clock    Clock
	random   func() float64
	limiter  *limiter

	mu       sync.Mutex
	inflight map[string]chan struct{}
}

// NewPipeline returns a pipeline around n.
func NewPipeline(n Notifier, cfg PipelineConfig, deps Deps) (*Pipeline, error) {
	var errs []error
	if n == nil {
		errs = append(errs, errors.New("pipeline: nil notifier"))
	}
	if deps.Log == nil {
		errs = append(errs, errors.New("pipeline: nil notification log"))
	}
	if deps.Recorder == nil {
		errs = append(errs, errors.New("pipeline: nil recorder"))
	}
	if deps.Logger == nil {
		errs = append(errs, errors.New("pipeline: nil logger"))
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("pipeline config: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	if deps.Clock == nil {
		deps.Clock = SystemClock()
	}
	if deps.Random == nil {
		deps.Random = rand.Float64
	}
	p := &Pipeline{
		notifier: n, cfg: cfg, log: deps.Log, rec: deps.Recorder, logger: deps.Logger,
		clock: deps.Clock, random: deps.Random, inflight: map[string]chan struct{}{},
	}
	if !cfg.RateLimit.Disabled {
		p.limiter = newLimiter(cfg.RateLimit.Burst, cfg.RateLimit.Every)
	}
	return p, nil
}

// Send delivers m at most once, trying until deadline (on the pipeline's clock), and records the
// outcome. It returns the outcome; the error is not nil when the outcome could not be decided or
// recorded: an invalid message, the log unreadable, the recorder failing, or ctx done before the
// end (then nothing is recorded and the saga tries again later: the notification is still due).
//
// A crash between a delivery and its record can page twice: a missed page is worse.
func (p *Pipeline) Send(ctx context.Context, m Message, deadline time.Time) (Outcome, error) {
	if err := m.Validate(); err != nil {
		return Outcome{}, err
	}
	if deadline.IsZero() {
		return Outcome{}, fmt.Errorf("notification %s: no deadline", m.ID)
	}
	var done chan struct{}
	for {
		p.mu.Lock()
		busy, ok := p.inflight[m.ID]
		if !ok {
			done = make(chan struct{})
			p.inflight[m.ID] = done
		}
		p.mu.Unlock()
		if !ok {
			break
		}
		select {
		case <-busy:
		case <-ctx.Done():
			return Outcome{}, fmt.Errorf("notification %s: waiting for a concurrent send: %w", m.ID, ctx.Err())
		}
	}
	defer func() {
		p.mu.Lock()
		delete(p.inflight, m.ID)
		p.mu.Unlock()
		close(done)
	}()
	return p.send(ctx, m, deadline)
}

func (p *Pipeline) send(ctx context.Context, m Message, deadline time.Time) (Outcome, error) {
	log := p.logger.With(slog.Any("notification", m))
	sent, err := p.log.Sent(ctx, m.ID)
	if err != nil {
		return Outcome{}, fmt.Errorf("notification %s: read notification log: %w", m.ID, err)
	}
	if sent {
		log.Debug("notification already sent, skipped")
		return p.outcome(m, StatusDuplicate, 0, false, ""), nil
	}

	if p.limiter != nil {
		key := string(m.Channel) + "\x00" + strings.ToLower(strings.TrimSpace(m.To))
		wait, ok := p.limiter.reserve(key, p.clock.Now(), deadline)
		if !ok {
			reason := fmt.Sprintf("rate limit: the recipient's next slot (in %v) is past the deadline", wait)
			return p.finish(ctx, log, p.outcome(m, StatusFailed, 0, true, reason))
		}
		if wait > 0 {
			log.Info("notification delayed by the recipient's rate limit", "wait", wait)
			select {
			case <-p.clock.After(wait):
			case <-ctx.Done():
				p.limiter.cancel(key)
				return Outcome{}, fmt.Errorf("notification %s: waiting for the rate limit: %w", m.ID, ctx.Err())
			}
		}
	}

	var lastErr error
	for attempt := 1; ; attempt++ {
		now := p.clock.Now()
		if !now.Before(deadline) {
			reason := "deadline passed before the first attempt"
			if lastErr != nil {
				reason = lastErr.Error()
			}
			return p.finish(ctx, log, p.outcome(m, StatusFailed, attempt-1, true, reason))
		}
		actx, cancel := context.WithTimeout(ctx, deadline.Sub(now))
		var (
			ref   string
			retry bool
			err   error
		)
		if rn, ok := p.notifier.(RefNotifier); ok {
			ref, retry, err = rn.NotifyRef(actx, m)
		} else {
			retry, err = p.notifier.Notify(actx, m)
		}
		cancel()
		if err == nil {
			if attempt > 1 {
				log.Info("notification sent after retries", "attempts", attempt)
			} else {
				log.Info("notification sent")
			}
			o := p.outcome(m, StatusSent, attempt, false, "")
			o.ProviderRef = ref
			return p.finish(ctx, log, o)
		}
		err = RedactError(err)
		if ctx.Err() != nil {
			return Outcome{}, fmt.Errorf("notification %s: attempt %d: %w", m.ID, attempt, errors.Join(ctx.Err(), err))
		}
		if !retry {
			return p.finish(ctx, log, p.outcome(m, StatusFailed, attempt, false, err.Error()))
		}
		lastErr = err
		wait := p.backoff(attempt)
		if !p.clock.Now().Add(wait).Before(deadline) {
			return p.finish(ctx, log, p.outcome(m, StatusFailed, attempt, true, err.Error()))
		}
		log.Warn("notification attempt failed, will retry", "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-p.clock.After(wait):
		case <-ctx.Done():
			return Outcome{}, fmt.Errorf("notification %s: waiting to retry after %d attempts: %w", m.ID, attempt, ctx.Err())
		}
	}
}

// backoff is the wait after the attempt-th failure.
func (p *Pipeline) backoff(attempt int) time.Duration {
	b := p.cfg.Backoff
	d := float64(b.Initial) * math.Pow(b.Multiplier, float64(attempt-1))
	if d > float64(b.Max) || math.IsInf(d, 0) {
		d = float64(b.Max)
	}
	d -= d * b.Jitter * p.random()
	return time.Duration(d)
}

func (p *Pipeline) outcome(m Message, s Status, attempts int, retryable bool, reason string) Outcome {
	return Outcome{
		MessageID: m.ID, AlarmID: m.AlarmID, Operator: m.Operator, Channel: m.Channel, To: m.To,
		Status: s, Attempts: attempts, Retryable: retryable, Reason: reason, At: p.clock.Now(),
	}
}

// finish records o, even when ctx was cancelled meanwhile: a delivered message must be logged.
func (p *Pipeline) finish(ctx context.Context, log *slog.Logger, o Outcome) (Outcome, error) {
	if o.Status == StatusFailed {
		log.Error("notification failed", "attempts", o.Attempts, "retryable", o.Retryable, "reason", o.Reason)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.RecordTimeout)
	defer cancel()
	if err := p.rec.Record(rctx, o); err != nil {
		log.Error("notification outcome not recorded", "status", o.Status, "err", err)
		return o, fmt.Errorf("notification %s %s, but the outcome was not recorded: %w", o.MessageID, o.Status, err)
	}
	return o, nil
}

// limiter holds one token bucket per recipient.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64 // may be negative: reservations made ahead of the refill
	at     time.Time
}

// maxIdleBuckets: beyond, full buckets are forgotten (they equal a new one).
const maxIdleBuckets = 4096

func newLimiter(burst int, every time.Duration) *limiter {
	return &limiter{burst: float64(burst), every: every, buckets: map[string]*bucket{}}
}

func (l *limiter) refill(b *bucket, now time.Time) {
	if now.After(b.at) {
		if l.every <= 0 {
			b.tokens = l.burst
		} else {
			b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.every))
		}
		b.at = now
	}
}

// reserve takes a token for key and says how long to wait for it; ok is false (and nothing taken)
// when that wait would reach the deadline.
func (l *limiter) reserve(key string, now, deadline time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxIdleBuckets {
			for k, old := range l.buckets {
				if l.refill(old, now); old.tokens >= l.burst {
					delete(l.buckets, k)
				}
			}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	wait = time.Duration((1 - b.tokens) * float64(l.every))
	if !now.Add(wait).Before(deadline) {
		return wait, false
	}
	b.tokens--
	return wait, true
}

// cancel gives back a reserved token that was not used.
func (l *limiter) cancel(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[key]; b != nil {
		b.tokens = min(l.burst, b.tokens+1)
	}
}
