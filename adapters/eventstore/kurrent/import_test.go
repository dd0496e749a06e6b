package kurrent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
	"github.com/vigie/vigie/adapters/eventstore/kurrent"
)

var _ jsonl.Importer = (*kurrent.Store)(nil)

// sealedExport writes a sealed log of n events over a few streams in an embedded store (as
// `vigie serve` keeps one) and returns its JSON Lines export and its verified head.
func sealedExport(t *testing.T, n int) ([]byte, hashchain.Head) {
	t.Helper()
	ctx := context.Background()
	raw, err := embedded.Open(filepath.Join(t.TempDir(), "events"), embedded.Options{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	st, err := hashchain.Wrap(raw, hashchain.Options{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	streams := []string{"sensor-a.level", "sensor-b.level", "alarm-a~level:alerte~1"}
	revs := map[string]int{}
	for i := range n {
		stream := streams[i%len(streams)]
		e := eventstore.Event{Type: "test.happened", Schema: 1 + i%2, Data: json.RawMessage(fmt.Sprintf(`{"i":%d,"v":%d.25}`, i, i)),
			Meta: eventstore.Metadata{CorrelationID: fmt.Sprintf("req-%d", i), CausationID: "log:1-1", Actor: "apikey:gw"}}
		if i%7 == 3 {
			e.Data = json.RawMessage(" {\"spaced\": true}\n") // kept byte for byte, not compacted
		}
		expected := eventstore.NoStream
		if r, ok := revs[stream]; ok {
			expected = eventstore.At(uint64(r - 1))
		}
		if _, err := st.Append(ctx, stream, expected, e); err != nil {
			t.Fatal(err)
		}
		revs[stream]++
		if i%10 == 9 {
			if _, err := st.Seal(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := hashchain.Verify(ctx, st)
	if err != nil || rep.FirstBroken != nil {
		t.Fatalf("source log: %+v, %v", rep.FirstBroken, err)
	}
	var buf bytes.Buffer
	if err := jsonl.Export(ctx, st, &buf, 0, 0); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), rep.Head
}

// A sealed log exported from the embedded store imports into KurrentDB (the stub server) with
// its positions, streams, revisions, data bytes, metadata and recorded times: it verifies to the
// same head, re-exports byte for byte, reopens the same, and goes on with appended events that
// follow it in the global log, sealed and verified again.
func TestContractImportKeepsTheLogAndItsProof(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file, head := sealedExport(t, 45)
	stub := newStubServer(t)
	ks := openOnStub(t, stub, kurrent.Options{Namespace: "imp/", ReadPage: 7, MaxBatch: 5})
	rep, err := jsonl.Import(ctx, bytes.NewReader(file), ks)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if rep.Events == 0 {
		t.Fatal("imported nothing")
	}
	// check verifies s through the anchor; exact: the anchor is the head.
	check := func(what string, s eventstore.Store, anchor hashchain.Head, exact bool) {
		t.Helper()
		vr, err := hashchain.Verify(ctx, s, anchor)
		if err != nil || vr.FirstBroken != nil {
			t.Fatalf("%s: verify: %+v, %v", what, vr.FirstBroken, err)
		}
		if exact && vr.Head != anchor {
			t.Fatalf("%s: head %s, want %s", what, vr.Head, anchor)
		}
	}
	check("imported", ks, head, true)
	var again bytes.Buffer
	if err := jsonl.Export(ctx, ks, &again, 0, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), file) {
		t.Fatalf("re-export differs from the file imported:\n%s\nwant\n%s", again.Bytes(), file)
	}
	// Every read after a position of the imported log starts right after it, paging included.
	recs, err := ks.ReadAll(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		got, err := ks.ReadAll(ctx, r.Position, 2)
		if err != nil {
			t.Fatal(err)
		}
		if i+1 < len(recs) && (len(got) == 0 || got[0].Position != recs[i+1].Position) {
			t.Fatalf("read after %d: %v, want position %d first", r.Position, got, recs[i+1].Position)
		}
	}
	if h, err := ks.Head(ctx); err != nil || h != head.Position {
		t.Fatalf("head %d, %v; want %d", h, err, head.Position)
	}

	// Appends go on after the imported log, and the chain with them.
	sealed, err := hashchain.Wrap(ks, hashchain.Options{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sealed.Append(ctx, "sensor-a.level", eventstore.At(14), event("after"))
	if err != nil {
		t.Fatalf("append after the import: %v", err)
	}
	if res.FirstPosition <= head.Position {
		t.Fatalf("appended at position %d, not after the imported head %d", res.FirstPosition, head.Position)
	}
	s2, err := sealed.Seal(ctx)
	if err != nil || len(s2) == 0 {
		t.Fatalf("seal after the import: %v, %v", s2, err)
	}
	newHead, err := s2[len(s2)-1].ChainHead()
	if err != nil {
		t.Fatal(err)
	}
	check("after appends", ks, newHead, false)

	// A subscription from an imported position sees what follows, imported and appended.
	mid := recs[len(recs)/2]
	got := make(chan []eventstore.Record, 100)
	subCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		_ = ks.Subscribe(subCtx, mid.Position, func(b []eventstore.Record) error { got <- b; return nil })
	}()
	var seen []uint64
	timeout := time.After(10 * time.Second)
	for len(seen) < len(recs)-len(recs)/2-1+2 { // the rest of the import, the append and its seal
		select {
		case b := <-got:
			for _, r := range b {
				seen = append(seen, r.Position)
			}
		case <-timeout:
			t.Fatalf("subscription after %d saw %v", mid.Position, seen)
		}
	}
	if seen[0] != recs[len(recs)/2+1].Position || seen[len(seen)-2] != res.FirstPosition {
		t.Fatalf("subscription after %d saw %v", mid.Position, seen)
	}
	stop()

	// KurrentDB refuses to read $all from a position that is no event's (the stub does not): every
	// read started at an event's commit position, never at an imported position.
	positions := map[uint64]bool{}
	for _, e := range stub.rawLog() {
		positions[e.pos] = true
	}
	for _, o := range stub.recordedReads() {
		if p := o.GetAll().GetPosition(); p != nil && !positions[p.GetCommitPosition()] {
			t.Fatalf("$all read from position %d, which is no event's", p.GetCommitPosition())
		}
	}

	// Reopened, the store still knows where the imported events are.
	ks2 := openOnStub(t, stub, kurrent.Options{Namespace: "imp/", ReadPage: 7})
	check("reopened", ks2, newHead, false)
	if got, err := ks2.ReadAll(ctx, mid.Position, 1); err != nil || len(got) != 1 || got[0].Position != recs[len(recs)/2+1].Position {
		t.Fatalf("reopened, read after %d: %v, %v", mid.Position, got, err)
	}
}

// Import refuses a store that is not empty, a gap in a stream's revisions (the server's expected
// revision), and positions that do not increase; the event ids it writes depend only on the log,
// so a batch written twice is the same events.
func TestContractImportRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	stub := newStubServer(t)
	rec := func(pos, rev uint64, stream string) eventstore.Record {
		return eventstore.Record{Position: pos, Stream: stream, Revision: rev, Type: "t", Schema: 1, Data: json.RawMessage(`{}`),
			RecordedAt: time.Date(2025, 10, 10, 3, 0, 0, int(pos), time.UTC)}
	}
	full := openOnStub(t, stub, kurrent.Options{Namespace: "full/"})
	if _, err := full.Append(ctx, "s", eventstore.NoStream, event("x")); err != nil {
		t.Fatal(err)
	}
	if err := full.Import(ctx, []eventstore.Record{rec(1, 0, "a")}); err == nil {
		t.Error("import into a store that holds an appended event: no error")
	}
	gap := openOnStub(t, stub, kurrent.Options{Namespace: "gap/"})
	if err := gap.Import(ctx, []eventstore.Record{rec(1, 1, "a")}); !errors.Is(err, eventstore.ErrConflict) {
		t.Errorf("a stream starting at revision 1: %v, want ErrConflict", err)
	}
	order := openOnStub(t, stub, kurrent.Options{Namespace: "order/"})
	if err := order.Import(ctx, []eventstore.Record{rec(2, 0, "a"), rec(1, 0, "b")}); err == nil {
		t.Error("positions going down: no error")
	}
	if _, err := order.Append(ctx, "vigie-import-index", eventstore.Any, event("forged")); err == nil {
		t.Error("append to the import index: no error")
	}

	ids := func(ns string) []string {
		s := openOnStub(t, stub, kurrent.Options{Namespace: ns})
		if err := s.Import(ctx, []eventstore.Record{rec(1, 0, "a"), rec(2, 0, "b"), rec(3, 1, "a")}); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range stub.rawLog() {
			if len(e.stream) > len(ns) && e.stream[:len(ns)] == ns && e.meta["type"] == "t" {
				out = append(out, fmt.Sprint(e.id))
			}
		}
		return out
	}
	if a, b := ids("one/"), ids("two/"); len(a) != 3 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("event ids of the same log imported twice: %v and %v, want the same three", a, b)
	}
}
