package eventstoretest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
)

// multiTests are the tests of eventstore.MultiAppender. Each skips itself on a store that does not
// implement it, or that wraps one that cannot honour it (errors.ErrUnsupported).
func multiTests(f Features) []struct {
	name string
	run  func(t *testing.T, s eventstore.Store)
} {
	return []struct {
		name string
		run  func(t *testing.T, s eventstore.Store)
	}{
		{"MultiAppendLandsTogether", func(t *testing.T, s eventstore.Store) { testMultiAppendLandsTogether(t, s, f) }},
		{"MultiAppendConflictWritesNothing", testMultiAppendConflictWritesNothing},
		{"MultiAppendInvalidWritesNothing", testMultiAppendInvalidWritesNothing},
		{"MultiAppendPartsOnOneStreamChain", testMultiAppendPartsOnOneStreamChain},
		{"MultiAppendHonoursCtx", testMultiAppendHonoursCtx},
		{"MultiAppendConcurrentWithAppend", func(t *testing.T, s eventstore.Store) { testMultiAppendConcurrentWithAppend(t, s, f) }},
	}
}

// multiAppender returns s as a MultiAppender, or skips the test.
func multiAppender(t *testing.T, s eventstore.Store) eventstore.MultiAppender {
	t.Helper()
	m, ok := s.(eventstore.MultiAppender)
	if !ok {
		t.Skipf("%T does not implement eventstore.MultiAppender: callers fall back through AppendInOrder", s)
	}
	return m
}

// mustAppendMulti appends the parts; it skips the test if the store cannot honour AppendMulti.
func mustAppendMulti(t *testing.T, m eventstore.MultiAppender, parts ...eventstore.StreamAppend) []eventstore.AppendResult {
	t.Helper()
	res, err := m.AppendMulti(context.Background(), parts...)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("%T cannot commit several streams at once here: %v", m, err)
	}
	if err != nil {
		t.Fatalf("append multi (%s): %v", describe(parts), err)
	}
	if len(res) != len(parts) {
		t.Fatalf("append multi (%s): %d results for %d parts", describe(parts), len(res), len(parts))
	}
	return res
}

func part(stream string, expected eventstore.Revision, events ...eventstore.Event) eventstore.StreamAppend {
	return eventstore.StreamAppend{Stream: stream, Expected: expected, Events: events}
}

func describe(parts []eventstore.StreamAppend) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = fmt.Sprintf("%s at %s: %d events", p.Stream, p.Expected, len(p.Events))
	}
	return strings.Join(s, ", ")
}

// snapshot is what a test compares before and after a refused call.
type snapshot struct {
	head    uint64
	streams map[string][]uint64 // positions
}

func snap(t testing.TB, s eventstore.Store, streams ...string) snapshot {
	t.Helper()
	sn := snapshot{head: mustHead(t, s), streams: map[string][]uint64{}}
	for _, st := range streams {
		sn.streams[st] = positions(readStream(t, s, st))
	}
	return sn
}

func testMultiAppendLandsTogether(t *testing.T, s eventstore.Store, f Features) {
	m := multiAppender(t, s)
	mustAppend(t, s, "m-b", eventstore.NoStream, ev("b/seed"))
	before := mustHead(t, s)
	c := newCollector()
	stop := subscribe(t, s, before, c.fn)

	parts := []eventstore.StreamAppend{
		part("m-a", eventstore.NoStream, evs("a", 2)...),
		part("m-b", eventstore.At(0), ev("b/0")),
		part("m-c", eventstore.Any, evs("c", 3)...),
	}
	res := mustAppendMulti(t, m, parts...)
	wantRev := []uint64{1, 1, 2}
	for i, r := range res {
		if r.Revision != wantRev[i] || r.LastPosition-r.FirstPosition != uint64(len(parts[i].Events)-1) {
			t.Fatalf("part %d (%s): result %+v, want revision %d over %d positions", i+1, parts[i].Stream, r, wantRev[i], len(parts[i].Events))
		}
		if i > 0 && r.FirstPosition <= res[i-1].LastPosition {
			t.Fatalf("part %d at positions %d..%d, part %d ended at %d: positions must follow the parts' order", i+1, r.FirstPosition, r.LastPosition, i, res[i-1].LastPosition)
		}
	}
	if f.GaplessPositions {
		for i, r := range res {
			if want := before + 1 + uint64([]int{0, 2, 3}[i]); r.FirstPosition != want {
				t.Fatalf("part %d: first position %d, want %d", i+1, r.FirstPosition, want)
			}
		}
	}

	// The log holds the call's events next to each other, in the parts' order.
	wantIDs := []string{"a/0", "a/1", "b/0", "c/0", "c/1", "c/2"}
	wantStreams := []string{"m-a", "m-a", "m-b", "m-c", "m-c", "m-c"}
	log := readAll(t, s)
	var got []eventstore.Record
	for _, r := range log {
		if r.Position > before {
			got = append(got, r)
		}
	}
	if !reflect.DeepEqual(ids(t, got), wantIDs) {
		t.Fatalf("log after position %d holds %v, want %v", before, ids(t, got), wantIDs)
	}
	for i, r := range got {
		if r.Stream != wantStreams[i] {
			t.Fatalf("event %s in stream %s, want %s", idOf(t, r), r.Stream, wantStreams[i])
		}
	}
	if got[0].Position != res[0].FirstPosition || got[5].Position != res[2].LastPosition {
		t.Fatalf("log positions %v, results %+v", positions(got), res)
	}
	for stream, want := range map[string][]string{"m-a": {"a/0", "a/1"}, "m-b": {"b/seed", "b/0"}, "m-c": {"c/0", "c/1", "c/2"}} {
		recs := readStream(t, s, stream)
		if !reflect.DeepEqual(ids(t, recs), want) || !reflect.DeepEqual(revisions(recs), seq(0, uint64(len(want)))) {
			t.Fatalf("stream %s holds %v at revisions %v, want %v from 0", stream, ids(t, recs), revisions(recs), want)
		}
	}
	if h := mustHead(t, s); h != res[2].LastPosition {
		t.Fatalf("head %d, want %d", h, res[2].LastPosition)
	}
	if sub := c.waitFor(t, res[2].LastPosition); !reflect.DeepEqual(positions(sub), positions(got)) {
		t.Fatalf("subscriber saw %v, the log holds %v", positions(sub), positions(got))
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe returned %v after cancel, want context.Canceled", err)
	}
}

func testMultiAppendConflictWritesNothing(t *testing.T, s eventstore.Store) {
	m := multiAppender(t, s)
	mustAppendMulti(t, m, part("k-a", eventstore.NoStream, ev("a/seed")), part("k-b", eventstore.NoStream, evs("b/seed", 2)...))
	tests := []struct {
		name     string
		parts    []eventstore.StreamAppend
		conflict string // the stream the error must name
	}{
		{"LastPart", []eventstore.StreamAppend{
			part("k-a", eventstore.At(0), ev("refused")),
			part("k-new", eventstore.NoStream, ev("refused")),
			part("k-b", eventstore.At(0), ev("refused")), // at 1
		}, "k-b"},
		{"MiddlePart", []eventstore.StreamAppend{
			part("k-a", eventstore.Any, ev("refused")),
			part("k-b", eventstore.NoStream, ev("refused")),
			part("k-new", eventstore.NoStream, ev("refused")),
		}, "k-b"},
		{"FirstPart", []eventstore.StreamAppend{
			part("k-new", eventstore.At(0), ev("refused")),
			part("k-a", eventstore.At(0), ev("refused")),
		}, "k-new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snap(t, s, "k-a", "k-b", "k-new")
			res, err := m.AppendMulti(context.Background(), tt.parts...)
			if !errors.Is(err, eventstore.ErrConflict) {
				t.Fatalf("got %v, want ErrConflict", err)
			}
			if !strings.Contains(err.Error(), tt.conflict) {
				t.Errorf("error %q does not name the stream %s", err, tt.conflict)
			}
			if res != nil {
				t.Errorf("results %+v with an error, want none", res)
			}
			if after := snap(t, s, "k-a", "k-b", "k-new"); !reflect.DeepEqual(after, before) {
				t.Fatalf("a refused call wrote: before %+v, after %+v", before, after)
			}
		})
	}
	// The streams are where they were: the call that failed now succeeds.
	mustAppendMulti(t, m, part("k-a", eventstore.At(0), ev("a/1")), part("k-new", eventstore.NoStream, ev("new/0")), part("k-b", eventstore.At(1), ev("b/2")))
}

func testMultiAppendInvalidWritesNothing(t *testing.T, s eventstore.Store) {
	m := multiAppender(t, s)
	mustAppendMulti(t, m, part("v-a", eventstore.NoStream, ev("seed")))
	noType := ev("x")
	noType.Type = ""
	tests := []struct {
		name  string
		parts []eventstore.StreamAppend
	}{
		{"NoParts", nil},
		{"EmptyStreamName", []eventstore.StreamAppend{part("v-a", eventstore.At(0), ev("x")), part("", eventstore.Any, ev("x"))}},
		{"PartWithoutEvents", []eventstore.StreamAppend{part("v-a", eventstore.At(0), ev("x")), part("v-b", eventstore.Any)}},
		{"EventWithoutType", []eventstore.StreamAppend{part("v-a", eventstore.At(0), ev("x")), part("v-b", eventstore.Any, ev("y"), noType)}},
		{"RevisionBelowAny", []eventstore.StreamAppend{part("v-a", eventstore.At(0), ev("x")), part("v-b", eventstore.Revision(-3), ev("y"))}},
	}
	before := snap(t, s, "v-a", "v-b")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.AppendMulti(context.Background(), tt.parts...)
			if err == nil || errors.Is(err, eventstore.ErrConflict) {
				t.Fatalf("got %v, want an error other than ErrConflict", err)
			}
		})
	}
	if after := snap(t, s, "v-a", "v-b"); !reflect.DeepEqual(after, before) {
		t.Fatalf("refused calls wrote: before %+v, after %+v", before, after)
	}
}

func testMultiAppendPartsOnOneStreamChain(t *testing.T, s eventstore.Store) {
	m := multiAppender(t, s)
	res := mustAppendMulti(t, m,
		part("chain", eventstore.NoStream, evs("first", 2)...),
		part("other", eventstore.NoStream, ev("other")),
		part("chain", eventstore.At(1), ev("second")),
		part("chain", eventstore.Any, ev("third")),
	)
	if got := []uint64{res[0].Revision, res[1].Revision, res[2].Revision, res[3].Revision}; !reflect.DeepEqual(got, []uint64{1, 0, 2, 3}) {
		t.Fatalf("revisions %v, want [1 0 2 3]", got)
	}
	recs := readStream(t, s, "chain")
	if want := []string{"first/0", "first/1", "second", "third"}; !reflect.DeepEqual(ids(t, recs), want) || !reflect.DeepEqual(revisions(recs), seq(0, 4)) {
		t.Fatalf("stream holds %v at revisions %v, want %v from 0", ids(t, recs), revisions(recs), want)
	}
	if recs[2].Position != res[2].FirstPosition || recs[3].Position != res[3].FirstPosition {
		t.Fatalf("positions %v, results %+v", positions(recs), res)
	}

	// A part checked against the revision the earlier part leaves, not the stored one.
	before := snap(t, s, "chain", "other")
	_, err := m.AppendMulti(context.Background(),
		part("chain", eventstore.At(3), ev("refused")),
		part("chain", eventstore.At(3), ev("refused")), // the first part moved it to 4
	)
	if !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("second part expecting the stored revision: got %v, want ErrConflict", err)
	}
	_, err = m.AppendMulti(context.Background(),
		part("fresh", eventstore.NoStream, ev("refused")),
		part("fresh", eventstore.NoStream, ev("refused")), // the first part created it
	)
	if !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("two NoStream parts on one stream: got %v, want ErrConflict", err)
	}
	if after := snap(t, s, "chain", "other", "fresh"); after.head != before.head || !reflect.DeepEqual(after.streams["chain"], before.streams["chain"]) || len(after.streams["fresh"]) != 0 {
		t.Fatalf("refused calls wrote: before %+v, after %+v", before, after)
	}
}

func testMultiAppendHonoursCtx(t *testing.T, s eventstore.Store) {
	m := multiAppender(t, s)
	mustAppendMulti(t, m, part("ctx-a", eventstore.NoStream, ev("seed")))
	before := snap(t, s, "ctx-a", "ctx-b")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.AppendMulti(ctx, part("ctx-a", eventstore.At(0), ev("cancelled")), part("ctx-b", eventstore.Any, ev("cancelled")))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if after := snap(t, s, "ctx-a", "ctx-b"); !reflect.DeepEqual(after, before) {
		t.Fatalf("an append with a cancelled context wrote: before %+v, after %+v", before, after)
	}
}

// testMultiAppendConcurrentWithAppend runs writers that each chain AppendMulti calls over their own
// two streams and a stream all writers share (Any), next to writers that Append to their own
// stream and the shared one. Every call must land whole, each call's events next to each other,
// and every stream without a gap.
func testMultiAppendConcurrentWithAppend(t *testing.T, s eventstore.Store, f Features) {
	m := multiAppender(t, s)
	mustAppendMulti(t, m, part("cm-probe", eventstore.NoStream, ev("probe"))) // skips if unsupported
	const multiWriters, plainWriters, perWriter = 8, 8, 20
	var mu sync.Mutex
	var acks []ack
	var calls [][]string // each AppendMulti's event ids, in order
	record := func(parts []eventstore.StreamAppend, res []eventstore.AppendResult) {
		mu.Lock()
		defer mu.Unlock()
		var call []string
		for i, p := range parts {
			a := ack{stream: p.Stream, res: res[i]}
			for _, e := range p.Events {
				a.ids = append(a.ids, idOfEvent(e))
			}
			acks = append(acks, a)
			call = append(call, a.ids...)
		}
		calls = append(calls, call)
	}
	var wg sync.WaitGroup
	for w := range multiWriters {
		wg.Go(func() {
			a, b := fmt.Sprintf("cm-m%d-a", w), fmt.Sprintf("cm-m%d-b", w)
			expA, expB := eventstore.NoStream, eventstore.NoStream
			for i := range perWriter {
				id := fmt.Sprintf("m%d/%d", w, i)
				parts := []eventstore.StreamAppend{
					part(a, expA, evs(id+"/a", 1+i%2)...),
					part("cm-shared", eventstore.Any, ev(id+"/shared")),
					part(b, expB, evs(id+"/b", 1+(i+1)%3)...),
				}
				res, err := m.AppendMulti(context.Background(), parts...)
				if err != nil {
					t.Errorf("multi writer %d, call %d (%s): %v", w, i, describe(parts), err)
					return
				}
				expA, expB = eventstore.At(res[0].Revision), eventstore.At(res[2].Revision)
				record(parts, res)
			}
		})
	}
	for w := range plainWriters {
		wg.Go(func() {
			own := fmt.Sprintf("cm-p%d", w)
			exp := eventstore.NoStream
			for i := range perWriter {
				id := fmt.Sprintf("p%d/%d", w, i)
				stream, expected, events := own, exp, evs(id, 1+i%3)
				if i%3 == 2 {
					stream, expected, events = "cm-shared", eventstore.Any, []eventstore.Event{ev(id)}
				}
				res, err := s.Append(context.Background(), stream, expected, events...)
				if err != nil {
					t.Errorf("plain writer %d, append %d to %s at %s: %v", w, i, stream, expected, err)
					return
				}
				if stream == own {
					exp = eventstore.At(res.Revision)
				}
				record([]eventstore.StreamAppend{part(stream, expected, events...)}, []eventstore.AppendResult{res})
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	log := readAll(t, s)
	log = log[1:] // the probe
	assertAcksLanded(t, log, acks, Features{})
	n := 0
	for _, a := range acks {
		n += len(a.ids)
	}
	if len(log) != n {
		t.Fatalf("log holds %d events, %d were acknowledged", len(log), n)
	}
	seen := map[uint64]bool{}
	for _, r := range log {
		if seen[r.Position] {
			t.Fatalf("position %d given twice", r.Position)
		}
		seen[r.Position] = true
	}
	index := map[string]int{}
	for i, r := range log {
		index[idOf(t, r)] = i
	}
	for _, call := range calls {
		for j := 1; j < len(call); j++ {
			if index[call[j]] != index[call[j-1]]+1 {
				t.Fatalf("events %s and %s of one call are not next to each other in the log", call[j-1], call[j])
			}
		}
	}
	if f.GaplessPositions {
		for i, r := range log {
			if r.Position != uint64(i+2) {
				t.Fatalf("event %d of the log is at position %d, want %d", i+2, r.Position, i+2)
			}
		}
	}
}

func idOfEvent(e eventstore.Event) string {
	var p payload
	_ = json.Unmarshal(e.Data, &p) // the suite's own events
	return p.ID
}
