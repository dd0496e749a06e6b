package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/vigie/vigie/adapters/eventstore"
)

// TestPowerCutKeepsEveryAcknowledgedAppend goes further than the kill -9 test, which leaves the
// operating system's page cache intact: on Pebble's crashable in-memory file system, a clone
// keeps what was fsynced and only a random share of the rest, as a power cut would. Every append
// acknowledged before the cut must survive it, and what else survives must be whole appends.
func TestPowerCutKeepsEveryAcknowledgedAppend(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	fs := vfs.NewCrashableMem()
	s, err := Open("/db", Options{fs: fs}, logger)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()

	type ack struct {
		writer, nth int
		res         eventstore.AppendResult
	}
	var mu sync.Mutex
	var acks []ack
	progress := make(chan struct{}, 1)
	// Writers hold gate shared around each append; the checks hold it exclusively, so that the log
	// does not keep growing while a clone is verified (the cut itself happens with writers running).
	var gate sync.RWMutex
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			expected := eventstore.NoStream
			for i := 0; ctx.Err() == nil; i++ {
				events := make([]eventstore.Event, 1+i%3)
				for j := range events {
					events[j] = eventstore.Event{Type: "t", Data: json.RawMessage(fmt.Sprintf(`{"w":%d,"i":%d,"j":%d}`, w, i, j))}
				}
				gate.RLock()
				res, err := s.Append(ctx, fmt.Sprintf("w%d", w), expected, events...)
				gate.RUnlock()
				if err != nil {
					if ctx.Err() == nil {
						t.Errorf("writer %d append %d: %v", w, i, err)
					}
					return
				}
				expected = eventstore.At(res.Revision)
				mu.Lock()
				acks = append(acks, ack{w, i, res})
				mu.Unlock()
				select {
				case progress <- struct{}{}:
				default:
				}
			}
		})
	}
	defer func() { stop(); wg.Wait() }()

	deadline := time.NewTimer(time.Minute)
	defer deadline.Stop()
	for cut := range 6 {
		mu.Lock()
		target := len(acks) + 5 + rng.IntN(300)
		mu.Unlock()
		for {
			mu.Lock()
			n := len(acks)
			mu.Unlock()
			if n >= target {
				break
			}
			select {
			case <-progress:
			case <-deadline.C:
				t.Fatalf("writers stalled at %d acknowledged appends", n)
			}
		}
		// Everything acknowledged so far happened before the cut.
		mu.Lock()
		before := append([]ack(nil), acks...)
		mu.Unlock()
		percent := rng.IntN(101)
		crashed := fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: percent, RNG: rng})
		func() {
			gate.Lock()
			defer gate.Unlock() // also when a check fails: the writers must be able to stop
			r, err := Open("/db", Options{fs: crashed}, logger)
			if err != nil {
				t.Fatalf("cut %d (%d%% of unsynced data kept): reopen: %v", cut, percent, err)
			}
			defer func() { _ = r.Close() }() // when a check fails; ErrClosed otherwise
			log, err := r.ReadAll(context.Background(), 0, 1<<30)
			if err != nil {
				t.Fatalf("cut %d: read: %v", cut, err)
			}
			type pos struct{ w, i, j int }
			at := map[uint64]pos{}
			next := map[int]pos{} // per writer: the next event expected
			for k, rec := range log {
				var p struct{ W, I, J int }
				if err := json.Unmarshal(rec.Data, &p); err != nil || rec.Position != uint64(k+1) {
					t.Fatalf("cut %d: event %d at position %d: %q, %v", cut, k, rec.Position, rec.Data, err)
				}
				if want := next[p.W]; p.I != want.i || p.J != want.j {
					t.Fatalf("cut %d: position %d holds writer %d append %d event %d, want append %d event %d", cut, rec.Position, p.W, p.I, p.J, want.i, want.j)
				}
				if p.J+1 == 1+p.I%3 {
					next[p.W] = pos{i: p.I + 1}
				} else {
					next[p.W] = pos{i: p.I, j: p.J + 1}
				}
				at[rec.Position] = pos{p.W, p.I, p.J}
			}
			for w, p := range next {
				if p.j != 0 {
					t.Fatalf("cut %d: writer %d's append %d survived in part", cut, w, p.i)
				}
			}
			for _, a := range before {
				if got := at[a.res.LastPosition]; got.w != a.writer || got.i != a.nth || a.res.LastPosition > uint64(len(log)) {
					t.Fatalf("cut %d (%d%% of unsynced data kept): append %d of writer %d acknowledged at %d..%d is lost (log holds %d events)",
						cut, percent, a.nth, a.writer, a.res.FirstPosition, a.res.LastPosition, len(log))
				}
			}
			res, err := r.Append(context.Background(), "after-cut", eventstore.NoStream, eventstore.Event{Type: "t"})
			if err != nil || res.FirstPosition != uint64(len(log))+1 {
				t.Fatalf("cut %d: append after reopening: %+v, %v; want position %d", cut, res, err, len(log)+1)
			}
			if err := r.Close(); err != nil {
				t.Fatalf("cut %d: close: %v", cut, err)
			}
			t.Logf("cut %d: %d acknowledged, %d events survived, %d%% of unsynced data kept", cut, len(before), len(log), percent)
		}()
	}
}
