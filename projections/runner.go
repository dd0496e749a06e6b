// Package projections builds the read side from the event log: a Runner feeds each projection the
// events after its checkpoint and commits what it makes of them, rows and checkpoint together.
package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/event"
)

// Decoded is a stored event with its domain event decoded and upcast. The envelope (position,
// stream, type, metadata, recorded-at) stays at hand for the views that show it.
type Decoded struct {
	eventstore.Record
	Event event.Event
}

// Projection turns events into rows of the read store.
//
// Name is durable: it keys the checkpoint and the rows. It ends in a version, "levels.v1"; bumping
// the version makes the runner drop the older version's rows and build the new one from position 0.
//
// Handle receives the events of one batch, in log order (types the codec does not know are left
// out), and returns the rows to commit with the batch's last position. It must be deterministic:
// the same events give the same rows, so that a rebuild equals what was built live, whatever the
// cut of the batches. The events are decoded once and shared with the other projections, which
// may handle them at the same time: Handle must not modify them (nor the slices they hold).
type Projection interface {
	Name() string
	Handle(ctx context.Context, batch []Decoded) (readstore.Batch, error)
}

// Restarter is implemented by a projection that keeps state in memory between batches. The runner
// calls Restart before the first batch and before retrying a failed one, with the committed
// checkpoint: the projection must drop what it holds, since memory may be ahead of what was
// committed, and reload from the read store what it needs.
type Restarter interface {
	Restart(ctx context.Context, checkpoint uint64) error
}

// ErrParked is wrapped by the error a parked projection reports.
var ErrParked = errors.New("projection parked")

// RetryPolicy says how often a failing batch is tried before its projection is parked, and how
// long to wait before each new try (attempt counts from 1, the first retry).
type RetryPolicy struct {
	Attempts int
	Backoff  func(attempt int) time.Duration
}

// DefaultRetry tries a batch 5 times over about 3 s, then parks: a failure that survives that is
// not transient, and an operator must look at it.
func DefaultRetry() RetryPolicy {
	return RetryPolicy{Attempts: 5, Backoff: func(attempt int) time.Duration {
		return min(10*time.Second, 200*time.Millisecond<<(attempt-1))
	}}
}

// Validate reports a policy the runner cannot follow.
func (p RetryPolicy) Validate() error {
	var errs []error
	if p.Attempts < 1 {
		errs = append(errs, fmt.Errorf("retry attempts %d must be at least 1", p.Attempts))
	}
	if p.Backoff == nil {
		errs = append(errs, errors.New("retry back-off is nil"))
	}
	return errors.Join(errs...)
}

// Status is what the runner knows of one projection, for the health endpoint and the technical
// alarm.
type Status struct {
	Name       string `json:"name"`
	Checkpoint uint64 `json:"checkpoint"`
	Head       uint64 `json:"head"`
	// Lag is how many events of the log the projection has not committed yet.
	Lag uint64 `json:"lag"`
	// Handled counts the events committed since the runner started, Skipped those of a type the
	// codec does not know (a newer writer's), which are passed over.
	Handled uint64 `json:"handled"`
	Skipped uint64 `json:"skipped"`
	// Parked is the error that stopped the projection; it stays stopped until restarted.
	Parked string `json:"parked,omitempty"`
	// LastError is the last transient failure (event store down, a batch retried).
	LastError string `json:"last_error,omitempty"`
}

// splitName splits "levels.v3" into "levels" and 3.
func splitName(name string) (base string, version int, ok bool) {
	i := strings.LastIndex(name, ".v")
	if i < 1 {
		return "", 0, false
	}
	v, err := strconv.Atoi(name[i+2:])
	if err != nil || v < 1 || v > 9999 || strconv.Itoa(v) != name[i+2:] {
		return "", 0, false
	}
	return name[:i], v, true
}

type tracked struct {
	p       Projection
	base    string
	version int
	// The rest is guarded by Runner.mu.
	loaded     bool
	checkpoint uint64
	handled    uint64
	skipped    uint64
	parked     error
	lastErr    error
}

// Runner runs projections. Each follows the log on its own, so a parked or slow one does not hold
// back the others.
type Runner struct {
	events eventstore.Store
	views  readstore.Store
	codec  *eventstore.Codec
	logger *slog.Logger
	retry  RetryPolicy
	projs  []*tracked
	// recent shares decoded events between the projections that follow the log together.
	recent *decodeCache

	mu sync.Mutex
	// changed is closed and replaced whenever a checkpoint moves or a projection parks: WaitFor
	// sleeps on it instead of polling.
	changed chan struct{}
	busy    bool
}

// NewRunner checks its dependencies and the projections' names (unique, ending in a version).
func NewRunner(store eventstore.Store, rs readstore.Store, codec *eventstore.Codec, logger *slog.Logger, projs ...Projection) (*Runner, error) {
	var errs []error
	if store == nil {
		errs = append(errs, errors.New("event store is nil"))
	}
	if rs == nil {
		errs = append(errs, errors.New("read store is nil"))
	}
	if codec == nil {
		errs = append(errs, errors.New("codec is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	r := &Runner{events: store, views: rs, codec: codec, logger: logger, retry: DefaultRetry(), changed: make(chan struct{}),
		recent: newDecodeCache(decodeCacheSize)}
	bases := map[string]bool{}
	for i, p := range projs {
		if p == nil {
			errs = append(errs, fmt.Errorf("projection %d is nil", i))
			continue
		}
		base, v, ok := splitName(p.Name())
		if !ok {
			errs = append(errs, fmt.Errorf("projection %d: name %q must end in a version, like \"levels.v1\"", i, p.Name()))
			continue
		}
		if bases[base] {
			errs = append(errs, fmt.Errorf("projection %q: another version of %s is already registered", p.Name(), base))
			continue
		}
		bases[base] = true
		r.projs = append(r.projs, &tracked{p: p, base: base, version: v})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new projection runner: %w", err)
	}
	return r, nil
}

// SetRetry replaces the retry policy; call it before Run.
func (r *Runner) SetRetry(p RetryPolicy) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("set retry policy: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retry = p
	return nil
}

// acquire makes Run and Rebuild exclusive: two runners of one projection would each commit the
// other's batches.
func (r *Runner) acquire(what string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.busy {
		return fmt.Errorf("%s: the runner is already running", what)
	}
	r.busy = true
	for _, t := range r.projs {
		t.loaded, t.parked, t.lastErr, t.handled, t.skipped = false, nil, nil, 0, 0
	}
	return nil
}

func (r *Runner) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.busy = false
}

// notify wakes every WaitFor. Called with r.mu held.
func (r *Runner) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// retire drops the rows of older versions of the projections, which a version bump replaces.
func (r *Runner) retire(ctx context.Context) error {
	for _, t := range r.projs {
		for v := 1; v < t.version; v++ {
			name := fmt.Sprintf("%s.v%d", t.base, v)
			cp, err := r.views.Checkpoint(ctx, name)
			if err != nil {
				return fmt.Errorf("retire projection %s: %w", name, err)
			}
			if cp == 0 {
				continue
			}
			r.logger.Info("dropping the views of a retired projection version", "projection", name, "replaced_by", t.p.Name())
			if err := r.views.Reset(ctx, name); err != nil {
				return fmt.Errorf("retire projection %s: %w", name, err)
			}
		}
	}
	return nil
}

// Run runs every projection from its checkpoint, catching up then following the log, until ctx
// ends; it then returns nil. A projection whose batch keeps failing is parked (see Status) while
// the others go on. Run fails if it cannot start, or once every projection has stopped.
func (r *Runner) Run(ctx context.Context) error {
	if err := r.acquire("run projections"); err != nil {
		return err
	}
	defer r.release()
	if err := r.retire(ctx); err != nil {
		return fmt.Errorf("run projections: %w", err)
	}
	errs := make([]error, len(r.projs))
	var wg sync.WaitGroup
	for i, t := range r.projs {
		wg.Go(func() {
			if err := r.follow(ctx, t, 0); err != nil && ctx.Err() == nil {
				errs[i] = err
				r.logger.Error("projection stopped", "projection", t.p.Name(), "err", err)
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("run projections: every projection stopped: %w", err)
	}
	return nil
}

// RebuildReport tells how a rebuild went.
type RebuildReport struct {
	// Head is the position the rebuild ran to: the log's head when it started.
	Head    uint64
	Elapsed time.Duration
	// Events counts the events handled, over all projections (each handles the whole log).
	Events uint64
}

// EventsPerSecond is the rate at which the log was replayed, per projection.
func (r RebuildReport) EventsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Head) / r.Elapsed.Seconds()
}

// Rebuild drops every projection's rows and checkpoint and builds them again from position 0 up to
// the log's head at the time of the call, then returns. The `vigie rebuild` command runs it with
// the service stopped.
//
// The log is read once, in big batches (see replay), each event decoded once and handed to every
// projection; the projections handle and commit each batch concurrently, while the next batch is
// read and decoded.
func (r *Runner) Rebuild(ctx context.Context) (RebuildReport, error) {
	if err := r.acquire("rebuild projections"); err != nil {
		return RebuildReport{}, err
	}
	defer r.release()
	start := time.Now()
	if err := r.retire(ctx); err != nil {
		return RebuildReport{}, fmt.Errorf("rebuild: %w", err)
	}
	head, err := r.events.Head(ctx)
	if err != nil {
		return RebuildReport{}, fmt.Errorf("rebuild: read the log's head: %w", err)
	}
	for _, t := range r.projs {
		if err := r.views.Reset(ctx, t.p.Name()); err != nil {
			return RebuildReport{}, fmt.Errorf("rebuild: %w", err)
		}
	}
	var rerr error
	if head > 0 { // an empty log leaves empty views: nothing to replay
		rerr = r.bulk(ctx, func() error { return r.replay(ctx, head) })
	}
	rep := RebuildReport{Head: head, Elapsed: time.Since(start)}
	r.mu.Lock()
	for _, t := range r.projs {
		rep.Events += t.handled + t.skipped
	}
	r.mu.Unlock()
	if rerr != nil {
		return rep, fmt.Errorf("rebuild: %w", rerr)
	}
	r.logger.Info("projections rebuilt", "head", head, "elapsed", rep.Elapsed, "events_per_s", int(rep.EventsPerSecond()))
	return rep, nil
}

// bulk runs f with the read store told a rebuild is running, if it cares (readstore.Rebuilder).
func (r *Runner) bulk(ctx context.Context, f func() error) error {
	rb, ok := r.views.(readstore.Rebuilder)
	if !ok {
		return f()
	}
	if err := rb.BeginRebuild(ctx); err != nil {
		return err
	}
	err := f()
	return errors.Join(err, rb.EndRebuild(context.WithoutCancel(ctx)))
}

// A rebuild reads the log in batches of at most replayBatch events and about replayBytes of
// stored events: big enough that a commit's fixed costs vanish (one transaction, one roll-up
// upsert per sensor and bucket), small enough to bound memory when events carry many readings.
const (
	replayBatch = 8192
	replayBytes = 8 << 20
)

// batch is a run of the log, decoded once for every projection.
type batch struct {
	events      []Decoded
	first, last uint64 // positions of the first and last records read
	records     int
	skipped     uint64 // events of a type the codec does not know
	err         error  // decoding failed: the batch fails for every projection
}

// replay feeds every projection the log from position 1 to head: one goroutine reads and decodes
// batches, one per projection handles and commits them, with a batch of look-ahead so that
// reading, decoding and committing overlap. A projection that parks stops while the others go on;
// replay returns every failure.
func (r *Runner) replay(ctx context.Context, head uint64) error {
	feeds := make([]chan *batch, len(r.projs))
	for i := range feeds {
		feeds[i] = make(chan *batch, 1)
	}
	errs := make([]error, len(r.projs)+1)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer func() {
			for _, f := range feeds {
				close(f)
			}
		}()
		errs[len(r.projs)] = r.read(ctx, head, feeds)
	})
	for i, t := range r.projs {
		wg.Go(func() {
			errs[i] = r.consume(ctx, t, feeds[i], head)
			for range feeds[i] { // a stopped projection must not hold back the reader
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err // rather than each goroutine's report of it
	}
	return errors.Join(errs...)
}

// read reads the log up to head and sends each batch to every feed. A failure of the event store
// is retried, as follow does, until ctx ends.
func (r *Runner) read(ctx context.Context, head uint64, feeds []chan *batch) error {
	limit := replayBatch
	for pos, attempt := uint64(0), 0; pos < head; {
		records, err := r.events.ReadAll(ctx, pos, int(min(uint64(limit), head-pos)))
		if err == nil && len(records) == 0 {
			err = fmt.Errorf("no event after position %d below head %d", pos, head)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, eventstore.ErrClosed) {
				return fmt.Errorf("read the log after %d: %w", pos, err)
			}
			attempt++
			wait := r.retry.Backoff(min(attempt, 8))
			r.logger.Warn("rebuild: reading the log failed, trying again", "after", pos, "err", err, "in", wait)
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		attempt = 0
		// Keep a batch near replayBytes whatever the size of the events.
		size := 0
		for _, rec := range records {
			size += len(rec.Data)
		}
		switch {
		case size > replayBytes:
			limit = max(64, limit*replayBytes/size)
		case size < replayBytes/2:
			limit = min(replayBatch, limit*2)
		}
		b := r.decode(records, false)
		for _, f := range feeds {
			select {
			case f <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		pos = b.last
	}
	return nil
}

// decode decodes records into a batch. Types the codec does not know (a newer writer's) are left
// out and counted. Projections following the log live share their decoded events through the
// runner's cache; a rebuild, which decodes each event once anyway, goes round it.
func (r *Runner) decode(records []eventstore.Record, shared bool) *batch {
	b := &batch{first: records[0].Position, last: records[len(records)-1].Position, records: len(records)}
	b.events = make([]Decoded, 0, len(records))
	for _, rec := range records {
		var d Decoded
		var skip bool
		var err error
		if shared {
			d, skip, err = r.recent.decode(r.codec, rec)
		} else {
			d, skip, err = decodeOne(r.codec, rec)
		}
		switch {
		case skip:
			b.skipped++
		case err != nil:
			b.events, b.err = nil, err
			return b
		default:
			b.events = append(b.events, d)
		}
	}
	return b
}

// consume rebuilds one projection from the batches of its feed until the feed closes or the
// projection parks.
func (r *Runner) consume(ctx context.Context, t *tracked, feed <-chan *batch, head uint64) error {
	r.mu.Lock()
	t.checkpoint, t.loaded = 0, true
	r.notify()
	r.mu.Unlock()
	if err := r.restart(ctx, t, 0); err != nil {
		return err
	}
	for b := range feed {
		if err := r.apply(ctx, t, b); err != nil {
			if errors.Is(err, ErrParked) {
				err = fmt.Errorf("projection %s: %w", t.p.Name(), err)
				r.mu.Lock()
				t.parked = err
				r.notify()
				r.mu.Unlock()
			}
			return err
		}
	}
	r.mu.Lock()
	cp := t.checkpoint
	r.mu.Unlock()
	if cp < head {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fmt.Errorf("projection %s stopped at %d, before the head %d", t.p.Name(), cp, head)
	}
	return nil
}

// errReachedEnd stops a rebuild's subscription at the position it was asked to reach.
var errReachedEnd = errors.New("reached the end of the rebuild")

// parkError carries a batch's last failure out of the subscription.
type parkError struct {
	from, to uint64
	err      error
}

func (e *parkError) Error() string {
	return fmt.Sprintf("events %d..%d: %v", e.from, e.to, e.err)
}

func (e *parkError) Unwrap() []error { return []error{ErrParked, e.err} }

// follow runs one projection from its checkpoint; until > 0 stops it once it has committed that
// position. It returns nil when done, ctx.Err() when cancelled, the park error when parked.
// Failures of the stores (rather than of a batch) are retried until ctx ends: the log is still
// there when they come back.
func (r *Runner) follow(ctx context.Context, t *tracked, until uint64) error {
	name := t.p.Name()
	for attempt := 1; ; attempt++ {
		err := r.subscribe(ctx, t, until)
		switch {
		case err == nil, errors.Is(err, errReachedEnd):
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, eventstore.ErrClosed):
			return fmt.Errorf("projection %s: %w", name, err) // shutting down: nothing to retry
		case errors.Is(err, ErrParked):
			err = fmt.Errorf("projection %s: %w", name, err)
			r.mu.Lock()
			t.parked = err
			r.notify()
			r.mu.Unlock()
			return err
		}
		r.mu.Lock()
		t.lastErr = err
		r.mu.Unlock()
		wait := r.retry.Backoff(min(attempt, 8))
		r.logger.Warn("projection: following the log failed, trying again", "projection", name, "err", err, "in", wait)
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// After a live batch of fewer than lingerBelow events (a full page of the log means a backlog:
// read on at once), a projection waits before reading on, so that commits to the read store are
// batched under load: lingerPerEvent for each event of the batch, between minLinger and
// maxLinger. The wait follows the rate: a quiet site (a few readings a second) commits every
// ~20 ms and its views trail the log by that much; from ~4,000 events a second on, a commit
// every 250 ms writes each sensor's pages once for thousands of readings instead of a few
// hundred (measured: single-reading requests went from 17-19k to 21-22k a second). The
// screens' live stream follows the log itself, not the views.
const (
	minLinger      = 20 * time.Millisecond
	maxLinger      = 250 * time.Millisecond
	lingerPerEvent = 250 * time.Microsecond
	lingerBelow    = 4096
)

// lingerAfter is the wait after a live batch of n events.
func lingerAfter(n int) time.Duration {
	return min(maxLinger, max(minLinger, time.Duration(n)*lingerPerEvent))
}

func (r *Runner) subscribe(ctx context.Context, t *tracked, until uint64) error {
	name := t.p.Name()
	cp, err := r.views.Checkpoint(ctx, name)
	if err != nil {
		return fmt.Errorf("read checkpoint of %s: %w", name, err)
	}
	r.mu.Lock()
	t.checkpoint, t.loaded = cp, true
	r.notify()
	r.mu.Unlock()
	if until > 0 && cp >= until {
		return nil
	}
	if cp > 0 {
		head, err := r.events.Head(ctx)
		if err != nil {
			return fmt.Errorf("read the log's head: %w", err)
		}
		if cp > head {
			// Views of another log (a data folder restored from two backups): waiting would serve
			// them as if they were right, forever.
			return fmt.Errorf("%w: checkpoint %d is beyond the log's head %d: the views were built from another log; run `vigie rebuild`",
				ErrParked, cp, head)
		}
	}
	if err := r.restart(ctx, t, cp); err != nil {
		return err
	}
	err = r.events.Subscribe(ctx, cp, func(records []eventstore.Record) error {
		if len(records) == 0 {
			return nil
		}
		if err := r.apply(ctx, t, r.decode(records, true)); err != nil {
			return err
		}
		if until > 0 && records[len(records)-1].Position >= until {
			return errReachedEnd
		}
		if len(records) < lingerBelow {
			// Live, a subscription wakes at every commit with a handful of events, and a read
			// store transaction per handful costs more than the events themselves (under 20k
			// single-reading requests/s, most of the CPU). Lingering lets the next read carry
			// what arrived meanwhile.
			timer := time.NewTimer(lingerAfter(len(records)))
			defer timer.Stop()
			select {
			case <-ctx.Done():
			case <-timer.C:
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("follow the log from %d: %w", cp, err)
	}
	return nil
}

func (r *Runner) restart(ctx context.Context, t *tracked, cp uint64) error {
	if rs, ok := t.p.(Restarter); ok {
		if err := rs.Restart(ctx, cp); err != nil {
			return fmt.Errorf("restart %s at %d: %w", t.p.Name(), cp, err)
		}
	}
	return nil
}

// apply handles and commits one batch, retrying it per the policy, and parks the projection when
// it keeps failing rather than spinning on it.
func (r *Runner) apply(ctx context.Context, t *tracked, b *batch) error {
	r.mu.Lock()
	policy := r.retry
	cp := t.checkpoint
	r.mu.Unlock()
	var err error
	for attempt := 1; attempt <= policy.Attempts; attempt++ {
		if attempt > 1 {
			r.mu.Lock()
			t.lastErr = err
			r.mu.Unlock()
			wait := policy.Backoff(attempt - 1)
			r.logger.Warn("projection: batch failed, retrying", "projection", t.p.Name(), "from", b.first, "to", b.last,
				"attempt", attempt-1, "err", err, "in", wait)
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			// Whatever the failed try left in the projection's memory was never committed.
			if err = r.restart(ctx, t, cp); err != nil {
				continue
			}
		}
		if err = r.handle(ctx, t, b); err == nil {
			r.mu.Lock()
			t.checkpoint = b.last
			t.handled += uint64(b.records) - b.skipped
			t.skipped += b.skipped
			r.notify()
			r.mu.Unlock()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return &parkError{from: b.first, to: b.last, err: err}
}

func (r *Runner) handle(ctx context.Context, t *tracked, b *batch) error {
	if b.err != nil {
		return b.err
	}
	rows, err := t.p.Handle(ctx, b.events)
	if err != nil {
		return fmt.Errorf("handle: %w", err)
	}
	return r.views.Commit(ctx, t.p.Name(), b.last, rows)
}

// decodeOne decodes and upcasts one record; skip is true for a type the codec does not know.
func decodeOne(codec *eventstore.Codec, rec eventstore.Record) (d Decoded, skip bool, err error) {
	ev, err := codec.Decode(rec)
	switch {
	case errors.Is(err, eventstore.ErrUnknownType):
		return Decoded{}, true, nil
	case err != nil:
		return Decoded{}, false, err
	}
	return Decoded{Record: rec, Event: ev}, false, nil
}

// decodeCacheSize is how many of the latest decoded events the runner keeps for the projections
// that follow the log together: more than a live batch holds (the embedded store hands out at most
// 1000 at a time), so that each is decoded once.
const decodeCacheSize = 2048

// decodeCache keeps the latest decoded events by position, in a ring: a projection following the
// log finds there the events another one decoded just before. Projections far apart (one
// rebuilding from zero, the others live) simply decode for themselves.
type decodeCache struct {
	mu   sync.Mutex
	ring []cachedEvent
}

type cachedEvent struct {
	pos  uint64 // 0: empty
	d    Decoded
	skip bool // a type the codec does not know
}

func newDecodeCache(size int) *decodeCache { return &decodeCache{ring: make([]cachedEvent, size)} }

// decode returns the event at rec's position decoded, from the cache or by decoding it; skip is
// true for a type the codec does not know.
func (c *decodeCache) decode(codec *eventstore.Codec, rec eventstore.Record) (d Decoded, skip bool, err error) {
	slot := rec.Position % uint64(len(c.ring))
	c.mu.Lock()
	e := c.ring[slot]
	c.mu.Unlock()
	if e.pos == rec.Position && rec.Position != 0 {
		return e.d, e.skip, nil
	}
	d, skip, err = decodeOne(codec, rec)
	if err != nil {
		return Decoded{}, false, err
	}
	e = cachedEvent{pos: rec.Position, d: d, skip: skip}
	c.mu.Lock()
	c.ring[slot] = e
	c.mu.Unlock()
	return e.d, e.skip, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WaitFor blocks until every projection (or only those named) has committed position, for "read
// your writes": the API answers a write with its position and a later read waits for it. It fails
// if a projection that has not reached position is parked, since it never will, and when ctx ends.
// Naming the projections a read uses keeps it from failing because an unrelated one is parked.
func (r *Runner) WaitFor(ctx context.Context, position uint64, names ...string) error {
	for _, n := range names {
		if !slices.ContainsFunc(r.projs, func(t *tracked) bool { return t.p.Name() == n }) {
			return fmt.Errorf("wait for position %d: no projection %q", position, n)
		}
	}
	for {
		r.mu.Lock()
		ch := r.changed
		var behind []string
		var parked error
		for _, t := range r.projs {
			if len(names) > 0 && !slices.Contains(names, t.p.Name()) {
				continue
			}
			if t.loaded && t.checkpoint >= position {
				continue
			}
			behind = append(behind, t.p.Name())
			if t.parked != nil {
				parked = t.parked
			}
		}
		r.mu.Unlock()
		if len(behind) == 0 {
			return nil
		}
		if parked != nil {
			return fmt.Errorf("wait for position %d: %w", position, parked)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("wait for position %d (still behind: %v): %w", position, behind, ctx.Err())
		}
	}
}

// Status reports each projection, in registration order.
func (r *Runner) Status(ctx context.Context) ([]Status, error) {
	head, err := r.events.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("projection status: read the log's head: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Status, 0, len(r.projs))
	for _, t := range r.projs {
		s := Status{Name: t.p.Name(), Checkpoint: t.checkpoint, Head: head, Handled: t.handled, Skipped: t.skipped}
		if head > t.checkpoint {
			s.Lag = head - t.checkpoint
		}
		if t.parked != nil {
			s.Parked = t.parked.Error()
		}
		if t.lastErr != nil {
			s.LastError = t.lastErr.Error()
		}
		out = append(out, s)
	}
	return out, nil
}
