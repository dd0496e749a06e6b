package jsonl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
)

// The embedded adapter's Importer (embedded/import.go), tested here where it is used.

var _ jsonl.Importer = (*embedded.Store)(nil)

func imported(pos, rev uint64, stream string) eventstore.Record {
	return eventstore.Record{
		Position: pos, Stream: stream, Revision: rev, Type: "t", Schema: 1,
		Data:       json.RawMessage(fmt.Sprintf(`{"pos":%d}`, pos)),
		Meta:       eventstore.Metadata{Actor: "import"},
		RecordedAt: time.Date(2020, 1, 2, 3, 4, 5, int(pos), time.UTC),
	}
}

func TestEmbeddedImportContinuesTheLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := embedded.Open(dir, embedded.Options{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	seen := make(chan eventstore.Record, 100)
	subCtx, stop := context.WithCancel(ctx)
	subDone := make(chan error, 1)
	go func() {
		subDone <- s.Subscribe(subCtx, 0, func(b []eventstore.Record) error {
			for _, r := range b {
				seen <- r
			}
			return nil
		})
	}()

	if err := s.Import(ctx, []eventstore.Record{imported(1, 0, "a"), imported(2, 0, "b"), imported(3, 1, "a")}); err != nil {
		t.Fatalf("import: %v", err)
	}
	res, err := s.Append(ctx, "a", eventstore.At(1), eventstore.Event{Type: "appended"})
	if err != nil || res.FirstPosition != 4 || res.Revision != 2 {
		t.Fatalf("append after import: %+v, %v; want position 4 revision 2", res, err)
	}
	if err := s.Import(ctx, []eventstore.Record{imported(5, 3, "a"), imported(6, 1, "b")}); err != nil {
		t.Fatalf("import after append: %v", err)
	}
	for want := uint64(1); want <= 6; want++ {
		select {
		case r := <-seen:
			if r.Position != want {
				t.Fatalf("subscriber saw position %d, want %d", r.Position, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("subscriber did not see position %d", want)
		}
	}
	stop()
	<-subDone
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, []eventstore.Record{imported(7, 0, "c")}); !errors.Is(err, eventstore.ErrClosed) {
		t.Fatalf("import into a closed store: %v, want ErrClosed", err)
	}

	// Durable, and recovered as appended events are.
	s = openEmbedded(t, dir, embedded.Options{})
	log := readLog(t, s)
	if len(log) != 6 {
		t.Fatalf("after reopening: %d events, want 6", len(log))
	}
	for _, r := range log {
		if r.Type == "appended" {
			continue
		}
		want := imported(r.Position, r.Revision, r.Stream)
		if !sameRecord(r, want) {
			t.Fatalf("after reopening:\n got %+v\nwant %+v", r, want)
		}
	}
	if res, err := s.Append(ctx, "b", eventstore.At(1), eventstore.Event{Type: "t"}); err != nil || res.FirstPosition != 7 {
		t.Fatalf("append after reopening: %+v, %v", res, err)
	}
}

func TestEmbeddedImportRefusesWithoutWriting(t *testing.T) {
	t.Parallel()
	s := openEmbedded(t, t.TempDir(), embedded.Options{})
	ctx := context.Background()
	if err := s.Import(ctx, []eventstore.Record{imported(1, 0, "a")}); err != nil {
		t.Fatal(err)
	}
	bad := func(f func(r *eventstore.Record)) []eventstore.Record {
		r := imported(3, 0, "b")
		f(&r)
		return []eventstore.Record{imported(2, 1, "a"), r} // the first is fine: all or nothing
	}
	tests := []struct {
		name     string
		recs     []eventstore.Record
		conflict bool
	}{
		{"None", nil, false},
		{"Gap", bad(func(r *eventstore.Record) { r.Position = 4 }), false},
		{"SamePosition", bad(func(r *eventstore.Record) { r.Position = 2 }), false},
		{"RevisionSkipped", bad(func(r *eventstore.Record) { r.Revision = 1 }), true},
		{"RevisionRepeated", bad(func(r *eventstore.Record) { r.Stream = "a"; r.Revision = 1 }), true},
		{"EmptyStream", bad(func(r *eventstore.Record) { r.Stream = "" }), false},
		{"EmptyType", bad(func(r *eventstore.Record) { r.Type = "" }), false},
		{"InvalidJSON", bad(func(r *eventstore.Record) { r.Data = json.RawMessage(`{`) }), false},
	}
	for _, tt := range tests {
		err := s.Import(ctx, tt.recs)
		if err == nil || errors.Is(err, eventstore.ErrConflict) != tt.conflict {
			t.Errorf("%s: got %v (conflict %v)", tt.name, err, tt.conflict)
		}
	}
	if h, _ := s.Head(ctx); h != 1 {
		t.Fatalf("head %d after refused imports, want 1", h)
	}
	ctxDone, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Import(ctxDone, []eventstore.Record{imported(2, 1, "a")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("import with a cancelled context: %v", err)
	}
	if err := s.Import(ctx, []eventstore.Record{imported(2, 1, "a")}); err != nil {
		t.Fatalf("a good import after refused ones: %v", err)
	}
}

// TestEmbeddedImportRacingAppends: imports and appends interleave without a lost or doubled
// position; run with -race, it also checks that the writer's state is handed over cleanly.
func TestEmbeddedImportRacingAppends(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := embedded.Open(dir, embedded.Options{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var appended, importedN atomic.Int64
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 100 {
				if _, err := s.Append(ctx, fmt.Sprintf("w%d", w), eventstore.Any, eventstore.Event{Type: "t", Data: json.RawMessage(fmt.Sprint(i))}); err != nil {
					t.Errorf("append: %v", err)
					return
				}
				appended.Add(1)
			}
		})
	}
	wg.Go(func() {
		var rev uint64
		for range 300 {
			head, err := s.Head(ctx)
			if err != nil {
				t.Errorf("head: %v", err)
				return
			}
			// Positions move under us: an import at a stale head is refused, which is fine.
			if err := s.Import(ctx, []eventstore.Record{imported(head+1, rev, "imported")}); err == nil {
				rev++
				importedN.Add(1)
			}
		}
	})
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openEmbedded(t, dir, embedded.Options{})
	log := readLog(t, s)
	if int64(len(log)) != appended.Load()+importedN.Load() || importedN.Load() == 0 {
		t.Fatalf("log holds %d events, %d were appended and %d imported", len(log), appended.Load(), importedN.Load())
	}
	next := map[string]uint64{}
	for i, r := range log {
		if r.Position != uint64(i+1) || r.Revision != next[r.Stream] {
			t.Fatalf("event %d: position %d, %s revision %d (want %d)", i, r.Position, r.Stream, r.Revision, next[r.Stream])
		}
		next[r.Stream]++
	}
	t.Logf("%d appended, %d imported in between", appended.Load(), importedN.Load())
}
