package hashchain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/eventstoretest"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func openEmbedded(t testing.TB, dir string) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(dir, embedded.Options{}, testLogger(t))
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func wrap(t testing.TB, inner eventstore.Store, opts hashchain.Options) *hashchain.Store {
	t.Helper()
	s, err := hashchain.Wrap(inner, opts, testLogger(t))
	if err != nil {
		t.Fatalf("wrap: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestConformance: the decorator is a Store like any other. Sealing is off here: a sealer is a
// second writer, and the suite checks that the log holds exactly what it appended.
func TestConformance(t *testing.T) {
	t.Parallel()
	eventstoretest.Run(t, eventstoretest.Features{Durable: true, GaplessPositions: true}, func(t *testing.T) eventstoretest.Opener {
		dir := t.TempDir()
		logger := testLogger(t)
		return func() (eventstore.Store, error) {
			inner, err := embedded.Open(dir, embedded.Options{}, logger)
			if err != nil {
				return nil, err
			}
			return hashchain.Wrap(inner, hashchain.Options{}, logger)
		}
	})
}

func TestWrapValidates(t *testing.T) {
	t.Parallel()
	_, err := hashchain.Wrap(nil, hashchain.Options{Interval: -1, MaxSealEvents: -1}, nil)
	if err == nil {
		t.Fatal("got nil error")
	}
	for _, want := range []string{"store is nil", "logger is nil", "Interval -1ns", "MaxSealEvents -1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestSealStreamAndTypeAreReserved(t *testing.T) {
	t.Parallel()
	s := wrap(t, newMemStore(), hashchain.Options{})
	ctx := context.Background()
	for name, tc := range map[string]struct {
		stream string
		typ    string
	}{
		"SealStream": {hashchain.SealStream, "anything"},
		"SealType":   {"sensor-x", hashchain.SealType},
	} {
		_, err := s.Append(ctx, tc.stream, eventstore.Any, eventstore.Event{Type: "ok"}, eventstore.Event{Type: tc.typ})
		if !errors.Is(err, hashchain.ErrReserved) {
			t.Errorf("%s: got %v, want ErrReserved", name, err)
		}
	}
	if h, _ := s.Head(ctx); h != 0 {
		t.Fatalf("head %d after refused appends", h)
	}
}

func event(i int) eventstore.Event {
	data, _ := json.Marshal(map[string]any{"sensor": "mejean.level", "value": 12.5, "i": i})
	return eventstore.Event{Type: "sensor.readings_recorded", Schema: 1, Data: data,
		Meta: eventstore.Metadata{CorrelationID: fmt.Sprintf("req-%d", i), Actor: "apikey:gw-nord"}}
}

// appendN appends n events spread over streams, one per append.
func appendN(t testing.TB, s eventstore.Store, streams, n int) {
	t.Helper()
	for i := range n {
		if _, err := s.Append(context.Background(), fmt.Sprintf("sensor-%d", i%streams), eventstore.Any, event(i)); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
}

func mustSeal(t testing.TB, s *hashchain.Store) []hashchain.Sealed {
	t.Helper()
	sealed, err := s.Seal(context.Background())
	if err != nil {
		t.Fatalf("seal: %v", err)
	}
	return sealed
}

func mustVerify(t testing.TB, s eventstore.Store, anchors ...hashchain.Head) hashchain.Report {
	t.Helper()
	rep, err := hashchain.Verify(context.Background(), s, anchors...)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

func TestSealCoversEverythingAndVerifyHolds(t *testing.T) {
	t.Parallel()
	mem := newMemStore()
	var fromCallback []hashchain.Sealed
	s := wrap(t, mem, hashchain.Options{MaxSealEvents: 7, OnSeal: func(x hashchain.Sealed) { fromCallback = append(fromCallback, x) }})

	rep := mustVerify(t, s)
	if rep.Events != 0 || rep.Head != (hashchain.Head{Hash: hashchain.Genesis}) || rep.FirstBroken != nil {
		t.Fatalf("empty log: %+v", rep)
	}
	if got := mustSeal(t, s); len(got) != 0 {
		t.Fatalf("sealing an empty log wrote %d seals", len(got))
	}

	appendN(t, s, 3, 17)
	sealed := mustSeal(t, s)
	// 17 events in seals of at most 7: 7, 7, 3. The seals themselves came after the head that
	// Seal started from: the next seal covers them.
	if len(sealed) != 3 {
		t.Fatalf("%d seals for 17 events at most 7 per seal: %+v", len(sealed), sealed)
	}
	var after uint64
	for i, x := range sealed {
		if x.Seq != uint64(i) || x.After != after || x.Count == 0 || x.Count > 7 || x.Position <= x.To {
			t.Errorf("seal %d: %+v after %d", i, x.Seal, after)
		}
		after = x.To
	}
	if sealed[2].To != 17 || sealed[2].Count != 3 {
		t.Errorf("last seal covers %d events up to %d, want 3 up to 17", sealed[2].Count, sealed[2].To)
	}
	if len(fromCallback) != 3 || fromCallback[2].Position != sealed[2].Position {
		t.Errorf("OnSeal saw %+v", fromCallback)
	}
	// Nothing new but the last seal: nothing to seal (sealing it would seal seals forever).
	if got := mustSeal(t, s); len(got) != 0 {
		t.Fatalf("sealing again wrote %+v", got)
	}

	rep = mustVerify(t, s)
	head, _ := s.Head(context.Background())
	if rep.FirstBroken != nil || rep.Events != head || rep.Seals != 3 || rep.Sealed != sealed[2].To || rep.Unsealed != 3 {
		t.Fatalf("verify: %+v (head %d)", rep, head)
	}
	ch, err := sealed[2].ChainHead()
	if err != nil {
		t.Fatal(err)
	}
	// The seal's head is the chain, and so an anchor that holds.
	if rep := mustVerify(t, s, ch, rep.Head); rep.FirstBroken != nil {
		t.Fatalf("verify with the seal's head as anchor: %v", rep.FirstBroken)
	}
}

// TestSealResumesAfterReopen: a new decorator on the same log carries on from the last seal.
func TestSealResumesAfterReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	logger := testLogger(t)
	for round := range 3 {
		inner, err := embedded.Open(dir, embedded.Options{}, logger)
		if err != nil {
			t.Fatal(err)
		}
		s, err := hashchain.Wrap(inner, hashchain.Options{}, logger)
		if err != nil {
			t.Fatal(err)
		}
		appendN(t, s, 2, 10)
		sealed := mustSeal(t, s)
		if len(sealed) != 1 || sealed[0].Seq != uint64(round) {
			t.Fatalf("round %d: sealed %+v", round, sealed)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); !errors.Is(err, eventstore.ErrClosed) {
			t.Fatalf("second Close: %v, want ErrClosed", err)
		}
	}
	s := openEmbedded(t, dir)
	if rep := mustVerify(t, s); rep.FirstBroken != nil || rep.Seals != 3 || rep.Unsealed != 1 {
		t.Fatalf("verify: %+v", rep)
	}
}

// TestSealerRunsAndSealsOnClose: automatic sealing under concurrent appends leaves a log that
// verifies with nothing unsealed after Close.
func TestSealerRunsAndSealsOnClose(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	logger := testLogger(t)
	inner, err := embedded.Open(dir, embedded.Options{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	var sealedTo atomic.Uint64
	progress := make(chan struct{}, 1)
	onSeal := func(x hashchain.Sealed) {
		sealedTo.Store(x.To)
		select {
		case progress <- struct{}{}:
		default:
		}
	}
	s, err := hashchain.Wrap(inner, hashchain.Options{Interval: time.Millisecond, MaxSealEvents: 50, OnSeal: onSeal}, logger)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var head uint64 // the last appended position (the log may end with a seal, never sealed)
	for w := range 8 {
		wg.Go(func() {
			for i := range 150 {
				res, err := s.Append(context.Background(), fmt.Sprintf("w-%d", w), eventstore.Any, event(i))
				if err != nil {
					t.Errorf("append: %v", err)
					return
				}
				mu.Lock()
				head = max(head, res.LastPosition)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// The sealer works while appends go on: wait (bounded) for it to reach the last append.
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for sealedTo.Load() < head {
		select {
		case <-progress:
		case <-deadline.C:
			t.Fatalf("no seal reached position %d in 30 s", head)
		}
	}
	appendN(t, s, 1, 3) // left for the seal on Close
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw := openEmbedded(t, dir)
	rep := mustVerify(t, raw)
	if rep.FirstBroken != nil || rep.Unsealed != 1 || rep.Events != 8*150+3+rep.Seals {
		t.Fatalf("verify after close: %+v", rep)
	}
}

// TestConcurrentSealersConflict: two decorators on one log (two processes on a shared engine)
// cannot both append the same seal; the loser reloads and the chain stays whole.
func TestConcurrentSealersConflict(t *testing.T) {
	t.Parallel()
	mem := newMemStore()
	a := wrap(t, mem, hashchain.Options{})
	b := wrap(t, mem, hashchain.Options{})
	appendN(t, a, 2, 5)
	mustSeal(t, a)
	mustSeal(t, b) // b loads after a's seal: nothing new but the seal
	appendN(t, a, 2, 5)
	mustSeal(t, a)
	appendN(t, b, 2, 5)
	if _, err := b.Seal(context.Background()); !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("stale sealer: got %v, want ErrConflict", err)
	}
	if got := mustSeal(t, b); len(got) != 1 || got[0].Seq != 2 {
		t.Fatalf("after reloading: %+v", got)
	}
	if rep := mustVerify(t, mem); rep.FirstBroken != nil || rep.Seals != 3 {
		t.Fatalf("verify: %+v", rep)
	}
}
