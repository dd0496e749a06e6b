package projections_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	esembedded "github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/embedded"
	"github.com/vigie/vigie/projections"
)

// env is a runner's world: the in-memory log, the embedded read store, a clock for appends.
type env struct {
	clock  time.Time
	events *memStore
	views  *embedded.Store
	codec  *eventstore.Codec
	logger *slog.Logger
}

func newEnv(t testing.TB, batchSize int) *env {
	t.Helper()
	e := &env{codec: newCodec(t), logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e.events = newMemStore(func() time.Time { return e.clock }, batchSize)
	views, err := embedded.Open(filepath.Join(t.TempDir(), "views.db"), e.logger)
	if err != nil {
		t.Fatalf("open read store: %v", err)
	}
	t.Cleanup(func() { views.Close() })
	e.views = views
	return e
}

// runner builds a runner with fresh instances of the levels and timeline projections, as a
// restarted process would, plus extra projections.
func (e *env) runner(t testing.TB, extra ...projections.Projection) *projections.Runner {
	t.Helper()
	levels, err := projections.NewLevels(e.views, projections.DamsBySensor(referenceDams(t)))
	if err != nil {
		t.Fatal(err)
	}
	timeline, err := projections.NewTimeline(projections.French, projections.DefaultSummarizers())
	if err != nil {
		t.Fatal(err)
	}
	r, err := projections.NewRunner(e.events, e.views, e.codec, e.logger, append([]projections.Projection{levels, timeline}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetRetry(projections.RetryPolicy{Attempts: 3, Backoff: func(int) time.Duration { return time.Millisecond }}); err != nil {
		t.Fatal(err)
	}
	return r
}

// start runs r until the test ends or stop is called; stop waits for Run to return. Run failing
// because its projections parked is for the test to check through Status or WaitFor.
func start(t testing.TB, r *projections.Runner) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil && !errors.Is(err, projections.ErrParked) {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

func waitFor(t testing.TB, r *projections.Runner, pos uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := r.WaitFor(ctx, pos); err != nil {
		t.Fatalf("WaitFor(%d): %v", pos, err)
	}
}

// stateViews is what must be byte-identical however the views were built: states and timeline.
func stateViews(t testing.TB, s readstore.Store) []byte {
	t.Helper()
	ctx := context.Background()
	states, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := s.Timeline(ctx, readstore.TimelineQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(map[string]any{"states": states, "timeline": tl}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var stormFrom, stormTo = time.Date(2025, 10, 10, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 11, 0, 0, 0, 0, time.UTC)

// seriesViews are the hourly and 10-minute series of each gauge: sums merged in another order may
// differ in their last bits, so they are compared with a tolerance.
func seriesViews(t testing.TB, s readstore.Store) []byte {
	t.Helper()
	view := map[string][]readstore.Point{}
	for _, sensor := range []string{"mejean.level", "bassin-nord.level", "barrage-est.level"} {
		for _, step := range []time.Duration{10 * time.Minute, time.Hour} {
			pts, err := s.Series(context.Background(), readstore.SeriesQuery{Sensor: sensor, From: stormFrom, To: stormTo, Step: step})
			if err != nil {
				t.Fatal(err)
			}
			view[fmt.Sprintf("%s/%s", sensor, step)] = pts
		}
	}
	out, err := json.MarshalIndent(view, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// golden compares got with testdata/name, or rewrites it under -update. Numbers compare to a
// relative 1e-9, so a platform whose math differs in the last bit does not fail.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if err := sameJSON(got, want); err != nil {
		t.Errorf("%s: %v (run with -update if the change is intended)", path, err)
	}
}

func sameJSON(got, want []byte) error {
	var g, w any
	if err := errors.Join(json.Unmarshal(got, &g), json.Unmarshal(want, &w)); err != nil {
		return err
	}
	return near("$", g, w)
}

func near(path string, g, w any) error {
	switch w := w.(type) {
	case float64:
		gf, ok := g.(float64)
		if !ok || math.Abs(gf-w) > 1e-9*math.Max(1, math.Abs(w)) {
			return fmt.Errorf("%s = %v, want %v", path, g, w)
		}
		return nil
	case map[string]any:
		gm, ok := g.(map[string]any)
		if !ok || len(gm) != len(w) {
			return fmt.Errorf("%s = %v, want %v", path, g, w)
		}
		for k := range w {
			if err := near(path+"."+k, gm[k], w[k]); err != nil {
				return err
			}
		}
		return nil
	case []any:
		ga, ok := g.([]any)
		if !ok || len(ga) != len(w) {
			return fmt.Errorf("%s has %d items, want %d", path, len(ga), len(w))
		}
		for i := range w {
			if err := near(fmt.Sprintf("%s[%d]", path, i), ga[i], w[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if !reflect.DeepEqual(g, w) {
		return fmt.Errorf("%s = %v, want %v", path, g, w)
	}
	return nil
}

// TestStormGolden follows the storm live, checks the views against the golden files, then
// rebuilds from zero and checks that the state views are byte-identical to the live ones.
func TestStormGolden(t *testing.T) {
	t.Parallel()
	storm := loadStorm(t)
	e := newEnv(t, 64)
	r := e.runner(t)
	stop := start(t, r)
	// Appended while the runner follows: live batches are small and cut anywhere.
	appendAll(t, e.events, &e.clock, storm)
	head := storm[len(storm)-1].Position
	waitFor(t, r, head)
	stop()
	live, liveSeries := stateViews(t, e.views), seriesViews(t, e.views)
	golden(t, "storm.views.golden.json", live)
	golden(t, "storm.series.golden.json", liveSeries)

	rep, err := r.Rebuild(context.Background())
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if rep.Head != head || rep.Events != 2*head {
		t.Errorf("Rebuild report: head %d, %d events; want %d and %d", rep.Head, rep.Events, head, 2*head)
	}
	if rebuilt := stateViews(t, e.views); string(rebuilt) != string(live) {
		t.Errorf("rebuilt state views differ from the live ones: %v", sameJSON(rebuilt, live))
	}
	if err := sameJSON(seriesViews(t, e.views), liveSeries); err != nil {
		t.Errorf("rebuilt series differ from the live ones: %v", err)
	}
}

// TestRestartsChangeNothing stops and restarts the runner (new projection instances, so the levels
// projection reloads its memory from the read store) at several points of the storm, with batches
// cut differently, and expects the views of an uninterrupted run.
func TestRestartsChangeNothing(t *testing.T) {
	t.Parallel()
	storm := loadStorm(t)
	whole := newEnv(t, 1000)
	appendAll(t, whole.events, &whole.clock, storm)
	r := whole.runner(t)
	start(t, r)
	waitFor(t, r, uint64(len(storm)))
	want := stateViews(t, whole.views)

	e := newEnv(t, 7)
	cuts := []int{1, 40, 41, 200, 333, len(storm) - 3, len(storm)}
	done := 0
	for _, cut := range cuts {
		appendAll(t, e.events, &e.clock, storm[done:cut])
		done = cut
		r := e.runner(t)
		stop := start(t, r)
		waitFor(t, r, uint64(cut))
		stop()
	}
	if got := stateViews(t, e.views); string(got) != string(want) {
		t.Errorf("views after restarts differ from an uninterrupted run: %v", sameJSON(got, want))
	}
}

// TestStormOnEmbeddedEventStore runs the storm through the product's event store instead of the
// in-memory double, and expects the same views: the double behaves like the adapter.
func TestStormOnEmbeddedEventStore(t *testing.T) {
	t.Parallel()
	storm := loadStorm(t)
	var now atomic.Int64 // read by the store's writer goroutine
	events, err := esembedded.Open(filepath.Join(t.TempDir(), "events"), esembedded.Options{
		Now: func() time.Time { return time.Unix(0, now.Load()).UTC() },
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open event store: %v", err)
	}
	t.Cleanup(func() { events.Close() })
	e := newEnv(t, 1)
	levels, err := projections.NewLevels(e.views, projections.DamsBySensor(referenceDams(t)))
	if err != nil {
		t.Fatal(err)
	}
	timeline, err := projections.NewTimeline(projections.French, projections.DefaultSummarizers())
	if err != nil {
		t.Fatal(err)
	}
	r, err := projections.NewRunner(events, e.views, e.codec, e.logger, levels, timeline)
	if err != nil {
		t.Fatal(err)
	}
	start(t, r)
	for _, rec := range storm {
		now.Store(rec.RecordedAt.UnixNano())
		if _, err := events.Append(context.Background(), rec.Stream, eventstore.Any,
			eventstore.Event{Type: rec.Type, Schema: rec.Schema, Data: rec.Data, Meta: rec.Meta}); err != nil {
			t.Fatalf("append %d: %v", rec.Position, err)
		}
	}
	waitFor(t, r, uint64(len(storm)))
	want, err := os.ReadFile(filepath.Join("testdata", "storm.views.golden.json")) // TestStormGolden owns it
	if err != nil {
		t.Fatal(err)
	}
	if err := sameJSON(stateViews(t, e.views), want); err != nil {
		t.Errorf("views built from the embedded event store: %v", err)
	}
}
