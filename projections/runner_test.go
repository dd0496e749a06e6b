package projections_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/projections"
)

// probe is a projection for testing the runner: one timeline entry per event, and failures on
// demand.
type probe struct {
	name string
	// fail decides whether the call-th Handle (from 1) fails.
	fail func(call int, batch []projections.Decoded) error

	mu       sync.Mutex
	calls    int
	restarts []uint64
}

func (p *probe) Name() string { return p.name }

func (p *probe) Restart(_ context.Context, cp uint64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.restarts = append(p.restarts, cp)
	return nil
}

func (p *probe) Handle(_ context.Context, batch []projections.Decoded) (readstore.Batch, error) {
	p.mu.Lock()
	p.calls++
	call := p.calls
	p.mu.Unlock()
	if p.fail != nil {
		if err := p.fail(call, batch); err != nil {
			return readstore.Batch{}, err
		}
	}
	var b readstore.Batch
	for _, d := range batch {
		b.Timeline = append(b.Timeline, readstore.TimelineEntry{Position: d.Position, Stream: d.Stream, Type: d.Type, Summary: p.name})
	}
	return b, nil
}

func (p *probe) restartsSeen() []uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]uint64(nil), p.restarts...)
}

// probeRunner runs only the given projections over e.
func (e *env) probeRunner(t *testing.T, projs ...projections.Projection) *projections.Runner {
	t.Helper()
	r, err := projections.NewRunner(e.events, e.views, e.codec, e.logger, projs...)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetRetry(projections.RetryPolicy{Attempts: 3, Backoff: func(int) time.Duration { return 0 }}); err != nil {
		t.Fatal(err)
	}
	return r
}

func status(t *testing.T, r *projections.Runner, name string) projections.Status {
	t.Helper()
	all, err := r.Status(context.Background())
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no status for %s in %+v", name, all)
	return projections.Status{}
}

func TestNewRunnerValidates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	p := func(name string) projections.Projection { return &probe{name: name} }
	tests := []struct {
		name    string
		store   eventstore.Store
		views   readstore.Store
		codec   *eventstore.Codec
		logger  *slog.Logger
		projs   []projections.Projection
		wantErr string
	}{
		{"valid", e.events, e.views, e.codec, e.logger, []projections.Projection{p("a.v1"), p("b-c.v12")}, ""},
		{"nil store", nil, e.views, e.codec, e.logger, nil, "event store is nil"},
		{"nil views", e.events, nil, e.codec, e.logger, nil, "read store is nil"},
		{"nil codec", e.events, e.views, nil, e.logger, nil, "codec is nil"},
		{"nil logger", e.events, e.views, e.codec, nil, nil, "logger is nil"},
		{"nil projection", e.events, e.views, e.codec, e.logger, []projections.Projection{nil}, "projection 0 is nil"},
		{"no version", e.events, e.views, e.codec, e.logger, []projections.Projection{p("levels")}, "must end in a version"},
		{"version 0", e.events, e.views, e.codec, e.logger, []projections.Projection{p("levels.v0")}, "must end in a version"},
		{"version 01", e.events, e.views, e.codec, e.logger, []projections.Projection{p("levels.v01")}, "must end in a version"},
		{"no base", e.events, e.views, e.codec, e.logger, []projections.Projection{p(".v1")}, "must end in a version"},
		{"two versions", e.events, e.views, e.codec, e.logger, []projections.Projection{p("a.v1"), p("a.v2")}, "another version of a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := projections.NewRunner(tc.store, tc.views, tc.codec, tc.logger, tc.projs...)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("NewRunner: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("NewRunner error = %v, want it to mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestUnknownTypesAreSkippedAndCounted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	storm := loadStorm(t)[:30]
	appendAll(t, e.events, &e.clock, storm[:10])
	if _, err := e.events.Append(context.Background(), "future-x", eventstore.Any,
		eventstore.Event{Type: "alien.appeared", Schema: 1, Data: []byte(`{"who":"a newer release"}`)}); err != nil {
		t.Fatal(err)
	}
	for i := range storm[10:] {
		storm[10+i].Position++ // they land one further now
	}
	appendAll(t, e.events, &e.clock, storm[10:])
	r := e.runner(t)
	start(t, r)
	waitFor(t, r, 31)
	for _, name := range []string{projections.LevelsName, projections.TimelineName} {
		s := status(t, r, name)
		if s.Checkpoint != 31 || s.Lag != 0 || s.Skipped != 1 || s.Handled != 30 || s.Parked != "" {
			t.Errorf("%s status = %+v, want checkpoint 31, lag 0, 1 skipped, 30 handled", name, s)
		}
	}
}

func TestFailingBatchIsRetriedThenCommitted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1000)
	appendAll(t, e.events, &e.clock, loadStorm(t)[:20])
	p := &probe{name: "probe.v1", fail: func(call int, _ []projections.Decoded) error {
		if call <= 2 {
			return fmt.Errorf("transient failure %d", call)
		}
		return nil
	}}
	r := e.probeRunner(t, p)
	start(t, r)
	waitFor(t, r, 20)
	s := status(t, r, "probe.v1")
	if s.Parked != "" || s.Checkpoint != 20 || !strings.Contains(s.LastError, "transient failure 2") {
		t.Errorf("status = %+v, want running at 20 with the last transient failure", s)
	}
	// Memory is reset before each retry, to the committed checkpoint.
	if got := p.restartsSeen(); len(got) != 3 || got[0] != 0 || got[1] != 0 || got[2] != 0 {
		t.Errorf("restarts = %v, want [0 0 0] (start, then before each retry)", got)
	}
	tl, err := e.views.Timeline(context.Background(), readstore.TimelineQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 20 {
		t.Errorf("%d timeline entries, want 20: the retried batch is committed once", len(tl))
	}
}

func TestBatchThatKeepsFailingParks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 5)
	storm := loadStorm(t)[:20]
	appendAll(t, e.events, &e.clock, storm)
	poison := storm[12].Position
	p := &probe{name: "probe.v1", fail: func(_ int, batch []projections.Decoded) error {
		for _, d := range batch {
			if d.Position == poison {
				return errors.New("cannot digest this one")
			}
		}
		return nil
	}}
	levels, err := projections.NewLevels(e.views, projections.DamsBySensor(referenceDams(t)))
	if err != nil {
		t.Fatal(err)
	}
	r := e.probeRunner(t, p, levels)
	start(t, r)
	// The healthy projection goes on to the end.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = r.WaitFor(ctx, 20)
	if !errors.Is(err, projections.ErrParked) || !strings.Contains(err.Error(), "cannot digest this one") {
		t.Fatalf("WaitFor past the poison = %v, want ErrParked with the cause", err)
	}
	if err := r.WaitFor(ctx, 10); err != nil {
		t.Errorf("WaitFor before the poison: %v", err)
	}
	if err := r.WaitFor(ctx, 20, projections.LevelsName); err != nil {
		t.Errorf("WaitFor the healthy projection only: %v", err)
	}
	if err := r.WaitFor(ctx, 20, "nope.v1"); err == nil {
		t.Errorf("WaitFor an unknown projection: no error")
	}
	s := status(t, r, "probe.v1")
	if s.Checkpoint != 10 || !strings.Contains(s.Parked, "events 11..15") || s.Lag != 10 {
		t.Errorf("parked status = %+v, want checkpoint 10, parked on 11..15, lag 10", s)
	}
	if s := status(t, r, projections.LevelsName); s.Checkpoint != 20 || s.Parked != "" {
		t.Errorf("healthy projection status = %+v, want checkpoint 20 and running", s)
	}
	p.mu.Lock()
	calls := p.calls
	p.mu.Unlock()
	if calls != 2+3 {
		t.Errorf("Handle called %d times, want 5 (2 good batches, then 3 tries of the poison)", calls)
	}
}

func TestWaitFor(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	r := e.probeRunner(t, &probe{name: "probe.v1"})
	start(t, r)
	// Woken by the commit of an event appended after it started waiting.
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		done <- r.WaitFor(ctx, 1)
	}()
	appendAll(t, e.events, &e.clock, loadStorm(t)[:1])
	if err := <-done; err != nil {
		t.Fatalf("WaitFor(1): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.WaitFor(ctx, 2); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitFor a position never written = %v, want the context's deadline", err)
	}
	if err := r.WaitFor(context.Background(), 0); err != nil {
		t.Errorf("WaitFor(0): %v", err)
	}
}

func TestRunIsExclusive(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	r := e.probeRunner(t, &probe{name: "probe.v1"})
	start(t, r)
	waitFor(t, r, 0) // Run has started once its checkpoints are loaded
	if err := r.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("second Run = %v, want a refusal", err)
	}
	if _, err := r.Rebuild(context.Background()); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("Rebuild during Run = %v, want a refusal", err)
	}
}

func TestVersionBumpDropsTheOldVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	appendAll(t, e.events, &e.clock, loadStorm(t)[:15])
	r1 := e.probeRunner(t, &probe{name: "probe.v1"})
	stop := start(t, r1)
	waitFor(t, r1, 15)
	stop()
	r2 := e.probeRunner(t, &probe{name: "probe.v3"})
	start(t, r2)
	waitFor(t, r2, 15)
	ctx := context.Background()
	if cp, err := e.views.Checkpoint(ctx, "probe.v1"); err != nil || cp != 0 {
		t.Errorf("checkpoint of the retired version = %d, %v; want 0", cp, err)
	}
	tl, err := e.views.Timeline(ctx, readstore.TimelineQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range tl {
		if x.Summary != "probe.v3" {
			t.Fatalf("entry of the retired version left: %+v", x)
		}
	}
	if len(tl) != 15 {
		t.Errorf("%d entries, want the 15 of probe.v3", len(tl))
	}
}

// flakyStore fails the first subscriptions, as a store restarting would.
type flakyStore struct {
	*memStore
	mu    sync.Mutex
	fails int
}

func (f *flakyStore) Subscribe(ctx context.Context, after uint64, fn func([]eventstore.Record) error) error {
	f.mu.Lock()
	fail := f.fails > 0
	f.fails--
	f.mu.Unlock()
	if fail {
		return errors.New("event store unavailable")
	}
	return f.memStore.Subscribe(ctx, after, fn)
}

func TestEventStoreFailureIsRetried(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	appendAll(t, e.events, &e.clock, loadStorm(t)[:5])
	store := &flakyStore{memStore: e.events, fails: 3}
	r, err := projections.NewRunner(store, e.views, e.codec, slog.New(slog.NewTextHandler(io.Discard, nil)), &probe{name: "probe.v1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetRetry(projections.RetryPolicy{Attempts: 1, Backoff: func(int) time.Duration { return 0 }}); err != nil {
		t.Fatal(err)
	}
	start(t, r)
	waitFor(t, r, 5)
	if s := status(t, r, "probe.v1"); s.Parked != "" || !strings.Contains(s.LastError, "event store unavailable") {
		t.Errorf("status = %+v, want running, with the store's failure as last error", s)
	}
}

func TestStatusFailsWithoutHead(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	r := e.probeRunner(t, &probe{name: "probe.v1"})
	e.events.failHead = errors.New("disk on fire")
	if _, err := r.Status(context.Background()); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Status = %v, want the head's failure", err)
	}
}

func TestSetRetryValidates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	r := e.probeRunner(t)
	for _, p := range []projections.RetryPolicy{{Attempts: 0, Backoff: func(int) time.Duration { return 0 }}, {Attempts: 2}} {
		if err := r.SetRetry(p); err == nil {
			t.Errorf("SetRetry(%+v) accepted", p)
		}
	}
	if err := projections.DefaultRetry().Validate(); err != nil {
		t.Errorf("DefaultRetry: %v", err)
	}
}

func TestViewsAheadOfTheLogPark(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	appendAll(t, e.events, &e.clock, loadStorm(t)[:3])
	if err := e.views.Commit(context.Background(), "probe.v1", 50, readstore.Batch{}); err != nil {
		t.Fatal(err)
	}
	r := e.probeRunner(t, &probe{name: "probe.v1"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Its only projection parked, Run returns without waiting for ctx.
	if err := r.Run(ctx); !errors.Is(err, projections.ErrParked) {
		t.Errorf("Run = %v, want it to stop with the park", err)
	}
	if err := r.WaitFor(ctx, 51); !errors.Is(err, projections.ErrParked) || !strings.Contains(err.Error(), "beyond the log's head 3") {
		t.Errorf("WaitFor = %v, want parked: views ahead of the log", err)
	}
}

func TestRebuildOfAnEmptyLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	if err := e.views.Commit(context.Background(), projections.TimelineName, 9, readstore.Batch{
		Timeline: []readstore.TimelineEntry{{Position: 9, Type: "x", Summary: "stale"}},
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := e.runner(t).Rebuild(ctx)
	if err != nil || rep.Head != 0 || rep.Events != 0 {
		t.Fatalf("Rebuild = %+v, %v; want an empty report", rep, err)
	}
	if tl, err := e.views.Timeline(ctx, readstore.TimelineQuery{}); err != nil || len(tl) != 0 {
		t.Errorf("timeline after rebuilding an empty log = %v, %v; want empty", tl, err)
	}
}

// witness is a projection that notes where the decoded readings of each event lie in memory.
type witness struct {
	name string
	mu   sync.Mutex
	seen map[uint64]*gauge.Sample
}

func (w *witness) Name() string { return w.name }

func (w *witness) Handle(_ context.Context, batch []projections.Decoded) (readstore.Batch, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen == nil {
		w.seen = map[uint64]*gauge.Sample{}
	}
	for _, d := range batch {
		if e, ok := d.Event.(gauge.ReadingsRecorded); ok && len(e.Readings) > 0 {
			w.seen[d.Position] = &e.Readings[0]
		}
	}
	return readstore.Batch{}, nil
}

// TestRebuildDecodesEachEventOnce: the projections of a rebuild share each decoded event.
func TestRebuildDecodesEachEventOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 7)
	appendAll(t, e.events, &e.clock, loadStorm(t))
	a, b := &witness{name: "a.v1"}, &witness{name: "b.v1"}
	if _, err := e.probeRunner(t, a, b).Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(a.seen) < 500 || len(a.seen) != len(b.seen) {
		t.Fatalf("saw %d and %d readings events, want the storm's 590 each", len(a.seen), len(b.seen))
	}
	for pos, p := range a.seen {
		if b.seen[pos] != p {
			t.Fatalf("event %d was decoded twice", pos)
		}
	}
}

// TestRebuildGoesOnPastAParkedProjection: a projection whose batch keeps failing parks, the others
// are rebuilt to the end, and Rebuild reports the park.
func TestRebuildGoesOnPastAParkedProjection(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	storm := loadStorm(t)
	appendAll(t, e.events, &e.clock, storm)
	poison := &probe{name: "poison.v1", fail: func(int, []projections.Decoded) error {
		return errors.New("cannot digest this one")
	}}
	healthy := &probe{name: "healthy.v1"}
	rep, err := e.probeRunner(t, poison, healthy).Rebuild(context.Background())
	if !errors.Is(err, projections.ErrParked) || !strings.Contains(err.Error(), "cannot digest this one") {
		t.Fatalf("Rebuild = %v, want the park of poison.v1", err)
	}
	if cp, _ := e.views.Checkpoint(context.Background(), "healthy.v1"); cp != uint64(len(storm)) {
		t.Errorf("healthy projection rebuilt to %d, want %d", cp, len(storm))
	}
	if cp, _ := e.views.Checkpoint(context.Background(), "poison.v1"); cp != 0 {
		t.Errorf("parked projection at %d, want 0", cp)
	}
	if rep.Head != uint64(len(storm)) || rep.Events != uint64(len(storm)) {
		t.Errorf("report = %+v, want head %d and the healthy projection's %d events", rep, len(storm), len(storm))
	}
}

// readFlaky fails the first reads of the log, as a store restarting would.
type readFlaky struct {
	*memStore
	mu    sync.Mutex
	fails int
}

func (f *readFlaky) ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	f.mu.Lock()
	fail := f.fails > 0
	f.fails--
	f.mu.Unlock()
	if fail {
		return nil, errors.New("event store unavailable")
	}
	return f.memStore.ReadAll(ctx, after, limit)
}

func TestRebuildRetriesTheEventStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	appendAll(t, e.events, &e.clock, loadStorm(t)[:50])
	store := &readFlaky{memStore: e.events, fails: 2}
	r, err := projections.NewRunner(store, e.views, e.codec, e.logger, &probe{name: "probe.v1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetRetry(projections.RetryPolicy{Attempts: 1, Backoff: func(int) time.Duration { return 0 }}); err != nil {
		t.Fatal(err)
	}
	rep, err := r.Rebuild(context.Background())
	if err != nil || rep.Events != 50 {
		t.Fatalf("Rebuild = %+v, %v; want 50 events despite the failed reads", rep, err)
	}
	tl, err := e.views.Timeline(context.Background(), readstore.TimelineQuery{})
	if err != nil || len(tl) != 50 {
		t.Errorf("timeline has %d entries (%v), want 50", len(tl), err)
	}
}

// TestRebuildOfUnknownTypes: events of a type the codec does not know are skipped and counted,
// whatever batch they fall in.
func TestRebuildOfUnknownTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	storm := loadStorm(t)[:30]
	appendAll(t, e.events, &e.clock, storm[:10])
	if _, err := e.events.Append(context.Background(), "future-x", eventstore.Any,
		eventstore.Event{Type: "alien.appeared", Schema: 1, Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	for i := range storm[10:] {
		storm[10+i].Position++
	}
	appendAll(t, e.events, &e.clock, storm[10:])
	r := e.runner(t)
	rep, err := r.Rebuild(context.Background())
	if err != nil || rep.Head != 31 || rep.Events != 62 {
		t.Fatalf("Rebuild = %+v, %v; want head 31 and 2×31 events", rep, err)
	}
	for _, name := range []string{projections.LevelsName, projections.TimelineName} {
		if s := status(t, r, name); s.Checkpoint != 31 || s.Skipped != 1 || s.Handled != 30 {
			t.Errorf("%s status = %+v, want checkpoint 31, 1 skipped, 30 handled", name, s)
		}
	}
}
