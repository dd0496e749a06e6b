// Package eventstoretest is the conformance suite of the event store port: every adapter's tests
// call Run, so adding an engine means adding a package that passes it.
//
// What the suite pins down beyond the port's comments:
//   - an append with no events is an error (not ErrConflict) and writes nothing;
//   - a limit ≤ 0 given to ReadStream or ReadAll is an error;
//   - the events of one append get increasing positions and consecutive revisions, all or none;
//   - once a reader has seen position p, no new event ever appears below p, so a subscriber or a
//     reader polling ReadAll never skips one;
//   - once Close returned, every method, Close included, and every running subscription returns
//     ErrClosed;
//   - a cancelled context makes every method return the context's error, and Append write nothing.
//
// A store that implements eventstore.MultiAppender is held to its all-or-nothing promise too (the
// MultiAppend tests, skipped on a store that does not).
package eventstoretest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Features says what an adapter promises beyond the port.
type Features struct {
	// Durable: everything Append acknowledged is there again after Close and a new Opener call on
	// the same storage.
	Durable bool
	// GaplessPositions: positions are 1, 2, 3... in commit order; a refused append takes none.
	GaplessPositions bool
}

// Opener opens a Store on one storage. For a Durable adapter, calling it again after Close opens
// the same storage again.
type Opener func() (eventstore.Store, error)

// Run runs the conformance suite. newStorage is called once per subtest and returns an Opener on a
// fresh, empty storage: a new t.TempDir(), database or namespace, which it cleans up itself.
// Subtests run in parallel.
func Run(t *testing.T, f Features, newStorage func(t *testing.T) Opener) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s eventstore.Store)
	}{
		{"AppendNoStreamThenAt", testAppendNoStreamThenAt},
		{"WrongExpectedVersionIsErrConflict", testWrongExpectedVersionIsErrConflict},
		{"AnySkipsCheck", testAnySkipsCheck},
		{"AppendIsAtomicPerStream", testAppendIsAtomicPerStream},
		{"EmptyAppendIsError", testEmptyAppendIsError},
		{"InvalidAppendIsRefused", testInvalidAppendIsRefused},
		{"ReadStreamFromAndLimit", testReadStreamFromAndLimit},
		{"ReadAllAfterAndLimit", testReadAllAfterAndLimit},
		{"PositionsIncreaseAndRevisionsPerStream", testPositionsIncreaseAndRevisionsPerStream},
		{"RacingWritersOneWins", testRacingWritersOneWins},
		{"ConcurrentAppendersAllLand", func(t *testing.T, s eventstore.Store) { testConcurrentAppendersAllLand(t, s, f) }},
		{"SubscribeCatchesUpThenFollows", testSubscribeCatchesUpThenFollows},
		{"NoEventSkippedWhenCommitsFinishOutOfOrder", testNoEventSkippedWhenCommitsFinishOutOfOrder},
		{"SubscribeReturnsFnError", testSubscribeReturnsFnError},
		{"SubscribeHonoursCtx", testSubscribeHonoursCtx},
		{"OperationsHonourCtx", testOperationsHonourCtx},
		{"MetadataAndRecordedAtRoundTrip", testMetadataAndRecordedAtRoundTrip},
	}
	tests = append(tests, multiTests(f)...)
	if f.GaplessPositions {
		tests = append(tests, struct {
			name string
			run  func(t *testing.T, s eventstore.Store)
		}{"GaplessPositions", testGaplessPositions})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, open(t, newStorage(t)))
		})
	}
	t.Run("ClosedStoreReturnsErrClosed", func(t *testing.T) {
		t.Parallel()
		testClosedStoreReturnsErrClosed(t, newStorage(t))
	})
	if f.Durable {
		t.Run("ReopenKeepsEveryAcknowledgedAppend", func(t *testing.T) {
			t.Parallel()
			testReopenKeepsEveryAcknowledgedAppend(t, newStorage(t), f)
		})
	}
}

// patience bounds every wait for something that should happen at once: a test fails instead of
// hanging.
const patience = 30 * time.Second

// open opens a store and closes it when the test ends, unless the test closed it first.
func open(t *testing.T, o Opener) eventstore.Store {
	t.Helper()
	s, err := o()
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil && !errors.Is(err, eventstore.ErrClosed) {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

// payload is the data of every event the suite appends: ID tells events apart when read back.
type payload struct {
	ID string `json:"id"`
	N  int    `json:"n,omitempty"`
}

func ev(id string) eventstore.Event {
	data, _ := json.Marshal(payload{ID: id}) // cannot fail on a struct of a string
	return eventstore.Event{Type: "test.happened", Schema: 1, Data: data}
}

func evs(prefix string, n int) []eventstore.Event {
	out := make([]eventstore.Event, n)
	for i := range out {
		out[i] = ev(fmt.Sprintf("%s/%d", prefix, i))
	}
	return out
}

func idOf(t testing.TB, r eventstore.Record) string {
	t.Helper()
	var p payload
	if err := json.Unmarshal(r.Data, &p); err != nil {
		t.Fatalf("position %d: data %q: %v", r.Position, r.Data, err)
	}
	return p.ID
}

func ids(t testing.TB, recs []eventstore.Record) []string {
	t.Helper()
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = idOf(t, r)
	}
	return out
}

func positions(recs []eventstore.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Position
	}
	return out
}

func revisions(recs []eventstore.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Revision
	}
	return out
}

func seq(from, n uint64) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = from + uint64(i)
	}
	return out
}

func mustAppend(t testing.TB, s eventstore.Store, stream string, expected eventstore.Revision, events ...eventstore.Event) eventstore.AppendResult {
	t.Helper()
	res, err := s.Append(context.Background(), stream, expected, events...)
	if err != nil {
		t.Fatalf("append %d events to %s at %s: %v", len(events), stream, expected, err)
	}
	return res
}

func mustHead(t testing.TB, s eventstore.Store) uint64 {
	t.Helper()
	h, err := s.Head(context.Background())
	if err != nil {
		t.Fatalf("head: %v", err)
	}
	return h
}

// readAll reads the whole log in small pages, so that paging is exercised too.
func readAll(t testing.TB, s eventstore.Store) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	var after uint64
	for {
		page, err := s.ReadAll(context.Background(), after, 64)
		if err != nil {
			t.Fatalf("read all after %d: %v", after, err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Position
	}
}

func readStream(t testing.TB, s eventstore.Store, stream string) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	var from uint64
	for {
		page, err := s.ReadStream(context.Background(), stream, from, 64)
		if err != nil {
			t.Fatalf("read %s from %d: %v", stream, from, err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		from = page[len(page)-1].Revision + 1
	}
}

func assertStrictlyIncreasing(t testing.TB, what string, recs []eventstore.Record) {
	t.Helper()
	for i := 1; i < len(recs); i++ {
		if recs[i].Position <= recs[i-1].Position {
			t.Fatalf("%s: position %d follows %d", what, recs[i].Position, recs[i-1].Position)
		}
	}
}

func assertRecordsOfStream(t testing.TB, recs []eventstore.Record, stream string) {
	t.Helper()
	for _, r := range recs {
		if r.Stream != stream {
			t.Fatalf("record at position %d: stream %q, want %q", r.Position, r.Stream, stream)
		}
	}
}

func testAppendNoStreamThenAt(t *testing.T, s eventstore.Store) {
	r0 := mustAppend(t, s, "order-1", eventstore.NoStream, evs("a", 2)...)
	if r0.Revision != 1 || r0.FirstPosition == 0 || r0.LastPosition <= r0.FirstPosition {
		t.Fatalf("first append: got %+v, want revision 1 and 0 < first < last", r0)
	}
	r1 := mustAppend(t, s, "order-1", eventstore.At(1), ev("b/0"))
	if r1.Revision != 2 || r1.FirstPosition != r1.LastPosition || r1.FirstPosition <= r0.LastPosition {
		t.Fatalf("second append: got %+v, want revision 2 at one position after %d", r1, r0.LastPosition)
	}
	got := readStream(t, s, "order-1")
	assertRecordsOfStream(t, got, "order-1")
	if want := []string{"a/0", "a/1", "b/0"}; !reflect.DeepEqual(ids(t, got), want) {
		t.Fatalf("stream holds %v, want %v", ids(t, got), want)
	}
	if want := []uint64{0, 1, 2}; !reflect.DeepEqual(revisions(got), want) {
		t.Fatalf("revisions %v, want %v", revisions(got), want)
	}
	if got[0].Position != r0.FirstPosition || got[1].Position != r0.LastPosition || got[2].Position != r1.FirstPosition {
		t.Fatalf("positions %v, appends reported %+v then %+v", positions(got), r0, r1)
	}
	if h := mustHead(t, s); h != r1.LastPosition {
		t.Fatalf("head %d, want %d", h, r1.LastPosition)
	}
}

func testWrongExpectedVersionIsErrConflict(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, "existing", eventstore.NoStream, evs("x", 2)...) // at revision 1
	head := mustHead(t, s)
	tests := []struct {
		name     string
		stream   string
		expected eventstore.Revision
	}{
		{"NoStreamOnExistingStream", "existing", eventstore.NoStream},
		{"AtBehind", "existing", eventstore.At(0)},
		{"AtAhead", "existing", eventstore.At(5)},
		{"AtOnMissingStream", "missing", eventstore.At(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Append(context.Background(), tt.stream, tt.expected, ev("refused"))
			if !errors.Is(err, eventstore.ErrConflict) {
				t.Fatalf("append to %s at %s: got %v, want ErrConflict", tt.stream, tt.expected, err)
			}
		})
	}
	if got := readStream(t, s, "existing"); len(got) != 2 {
		t.Fatalf("existing stream holds %d events after refused appends, want 2", len(got))
	}
	if got := readStream(t, s, "missing"); len(got) != 0 {
		t.Fatalf("missing stream holds %d events, want 0", len(got))
	}
	if h := mustHead(t, s); h != head {
		t.Fatalf("head moved from %d to %d on refused appends", head, h)
	}
}

func testAnySkipsCheck(t *testing.T, s eventstore.Store) {
	if r := mustAppend(t, s, "any", eventstore.Any, ev("first")); r.Revision != 0 {
		t.Fatalf("Any on a missing stream: revision %d, want 0", r.Revision)
	}
	if r := mustAppend(t, s, "any", eventstore.Any, evs("more", 2)...); r.Revision != 2 {
		t.Fatalf("Any on an existing stream: revision %d, want 2", r.Revision)
	}
	if got, want := ids(t, readStream(t, s, "any")), []string{"first", "more/0", "more/1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("stream holds %v, want %v", got, want)
	}
}

func testAppendIsAtomicPerStream(t *testing.T, s eventstore.Store) {
	res := mustAppend(t, s, "batch", eventstore.NoStream, evs("five", 5)...)
	got := readStream(t, s, "batch")
	if !reflect.DeepEqual(revisions(got), seq(0, 5)) {
		t.Fatalf("revisions %v, want 0..4", revisions(got))
	}
	assertStrictlyIncreasing(t, "one append", got)
	if got[0].Position != res.FirstPosition || got[4].Position != res.LastPosition || res.Revision != 4 {
		t.Fatalf("positions %v, append reported %+v", positions(got), res)
	}
	head := mustHead(t, s)

	if _, err := s.Append(context.Background(), "batch", eventstore.At(1), evs("refused", 3)...); !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("append at a stale revision: got %v, want ErrConflict", err)
	}
	invalid := evs("invalid", 3)
	invalid[2].Type = ""
	if _, err := s.Append(context.Background(), "batch", eventstore.At(4), invalid...); err == nil {
		t.Fatal("append whose third event has no type: got nil error")
	}
	if got := readStream(t, s, "batch"); len(got) != 5 {
		t.Fatalf("stream holds %d events after refused appends, want 5: %v", len(got), ids(t, got))
	}
	if h := mustHead(t, s); h != head {
		t.Fatalf("head moved from %d to %d on refused appends", head, h)
	}
}

func testEmptyAppendIsError(t *testing.T, s eventstore.Store) {
	for _, expected := range []eventstore.Revision{eventstore.NoStream, eventstore.Any} {
		_, err := s.Append(context.Background(), "empty", expected)
		if err == nil || errors.Is(err, eventstore.ErrConflict) {
			t.Fatalf("append of no events at %s: got %v, want an error other than ErrConflict", expected, err)
		}
	}
	if h := mustHead(t, s); h != 0 {
		t.Fatalf("head %d after empty appends, want 0", h)
	}
	// The stream was not created: NoStream still holds.
	mustAppend(t, s, "empty", eventstore.NoStream, ev("first"))
}

func testInvalidAppendIsRefused(t *testing.T, s eventstore.Store) {
	noType := ev("x")
	noType.Type = ""
	tests := []struct {
		name     string
		stream   string
		expected eventstore.Revision
		event    eventstore.Event
	}{
		{"EmptyStreamName", "", eventstore.Any, ev("x")},
		{"RevisionBelowAny", "s", eventstore.Revision(-3), ev("x")},
		{"EventWithoutType", "s", eventstore.Any, noType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Append(context.Background(), tt.stream, tt.expected, tt.event)
			if err == nil || errors.Is(err, eventstore.ErrConflict) {
				t.Fatalf("got %v, want an error other than ErrConflict", err)
			}
		})
	}
	if h := mustHead(t, s); h != 0 {
		t.Fatalf("head %d after invalid appends, want 0", h)
	}
}

func testReadStreamFromAndLimit(t *testing.T, s eventstore.Store) {
	// Interleave another stream, and one whose name extends this one's, so that a read that
	// leaks across streams shows.
	for i := range 10 {
		mustAppend(t, s, "s", eventstore.Any, ev(fmt.Sprintf("s/%d", i)))
		mustAppend(t, s, "s-other", eventstore.Any, ev(fmt.Sprintf("o/%d", i)))
		mustAppend(t, s, "ss", eventstore.Any, ev(fmt.Sprintf("z/%d", i)))
	}
	tests := []struct {
		name   string
		stream string
		from   uint64
		limit  int
		want   []uint64 // revisions
	}{
		{"All", "s", 0, 100, seq(0, 10)},
		{"FromAndLimit", "s", 3, 4, seq(3, 4)},
		{"LimitBeyondEnd", "s", 8, 10, seq(8, 2)},
		{"FromEnd", "s", 10, 10, []uint64{}},
		{"FromFarBeyondEnd", "s", 1 << 40, 10, []uint64{}},
		{"MissingStream", "nope", 0, 10, []uint64{}},
		{"LimitOne", "s", 9, 1, []uint64{9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ReadStream(context.Background(), tt.stream, tt.from, tt.limit)
			if err != nil {
				t.Fatalf("read %s from %d limit %d: %v", tt.stream, tt.from, tt.limit, err)
			}
			assertRecordsOfStream(t, got, tt.stream)
			assertStrictlyIncreasing(t, "stream read", got)
			if !reflect.DeepEqual(revisions(got), tt.want) {
				t.Fatalf("read %s from %d limit %d: revisions %v, want %v", tt.stream, tt.from, tt.limit, revisions(got), tt.want)
			}
			for _, r := range got {
				if want := fmt.Sprintf("s/%d", r.Revision); idOf(t, r) != want {
					t.Fatalf("revision %d holds %s, want %s", r.Revision, idOf(t, r), want)
				}
			}
		})
	}
	for _, limit := range []int{0, -1} {
		if _, err := s.ReadStream(context.Background(), "s", 0, limit); err == nil {
			t.Errorf("read with limit %d: got nil error", limit)
		}
	}
}

func testReadAllAfterAndLimit(t *testing.T, s eventstore.Store) {
	for i := range 10 {
		mustAppend(t, s, fmt.Sprintf("s%d", i%3), eventstore.Any, ev(fmt.Sprintf("e%d", i)))
	}
	all, err := s.ReadAll(context.Background(), 0, 100)
	if err != nil {
		t.Fatalf("read all: %v", err)
	}
	if len(all) != 10 {
		t.Fatalf("read %d events, want 10", len(all))
	}
	assertStrictlyIncreasing(t, "read all", all)
	for i, r := range all {
		if want := fmt.Sprintf("e%d", i); idOf(t, r) != want {
			t.Fatalf("event %d of the log is %s, want %s", i, idOf(t, r), want)
		}
	}
	last := all[9].Position
	tests := []struct {
		name  string
		after uint64
		limit int
		want  []eventstore.Record
	}{
		{"FirstPage", 0, 3, all[:3]},
		{"AfterAPosition", all[4].Position, 100, all[5:]},
		{"AfterAPositionWithLimit", all[4].Position, 2, all[5:7]},
		{"AfterLast", last, 10, nil},
		{"AfterBeyondHead", last + 1000, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ReadAll(context.Background(), tt.after, tt.limit)
			if err != nil {
				t.Fatalf("read all after %d limit %d: %v", tt.after, tt.limit, err)
			}
			if !reflect.DeepEqual(positions(got), positions(tt.want)) {
				t.Fatalf("read all after %d limit %d: positions %v, want %v", tt.after, tt.limit, positions(got), positions(tt.want))
			}
		})
	}
	for _, limit := range []int{0, -1} {
		if _, err := s.ReadAll(context.Background(), 0, limit); err == nil {
			t.Errorf("read all with limit %d: got nil error", limit)
		}
	}
	if h := mustHead(t, s); h != last {
		t.Fatalf("head %d, want %d", h, last)
	}
}

func testPositionsIncreaseAndRevisionsPerStream(t *testing.T, s eventstore.Store) {
	steps := []struct {
		stream  string
		n       int
		wantRev uint64
	}{
		{"A", 1, 0}, {"B", 2, 1}, {"A", 1, 1}, {"C", 1, 0}, {"B", 1, 2}, {"A", 3, 4},
	}
	var prev uint64
	var want []uint64 // first and last position of each append
	for i, st := range steps {
		res := mustAppend(t, s, st.stream, eventstore.Any, evs(fmt.Sprintf("%d", i), st.n)...)
		if res.Revision != st.wantRev {
			t.Fatalf("append %d to %s: revision %d, want %d", i, st.stream, res.Revision, st.wantRev)
		}
		if res.FirstPosition <= prev || res.LastPosition < res.FirstPosition {
			t.Fatalf("append %d: positions %d..%d after %d", i, res.FirstPosition, res.LastPosition, prev)
		}
		prev = res.LastPosition
		want = append(want, res.FirstPosition, res.LastPosition)
	}
	all := readAll(t, s)
	assertStrictlyIncreasing(t, "read all", all)
	var got []uint64
	i := 0
	for _, st := range steps {
		got = append(got, all[i].Position, all[i+st.n-1].Position)
		i += st.n
	}
	if !reflect.DeepEqual(got, want) || i != len(all) {
		t.Fatalf("log holds %d events at %v; appends reported first/last %v", len(all), positions(all), want)
	}
	for stream, n := range map[string]uint64{"A": 5, "B": 3, "C": 1} {
		if got := revisions(readStream(t, s, stream)); !reflect.DeepEqual(got, seq(0, n)) {
			t.Errorf("stream %s: revisions %v, want 0..%d", stream, got, n-1)
		}
	}
	if h := mustHead(t, s); h != prev {
		t.Fatalf("head %d, want %d", h, prev)
	}
}

func testGaplessPositions(t *testing.T, s eventstore.Store) {
	var n uint64
	for i := range 20 {
		stream := fmt.Sprintf("g%d", i%4)
		k := 1 + i%3
		res := mustAppend(t, s, stream, eventstore.Any, evs(fmt.Sprintf("%d", i), k)...)
		if res.FirstPosition != n+1 || res.LastPosition != n+uint64(k) {
			t.Fatalf("append %d of %d events: positions %d..%d, want %d..%d", i, k, res.FirstPosition, res.LastPosition, n+1, n+uint64(k))
		}
		n += uint64(k)
		// Refused appends must not take a position.
		if _, err := s.Append(context.Background(), stream, eventstore.NoStream, ev("refused")); !errors.Is(err, eventstore.ErrConflict) {
			t.Fatalf("refused append: got %v, want ErrConflict", err)
		}
		if _, err := s.Append(context.Background(), stream, eventstore.Any); err == nil {
			t.Fatal("empty append: got nil error")
		}
	}
	// Refused appends committed together with accepted ones must not take a position either.
	for round := range 5 {
		start := make(chan struct{})
		var wg sync.WaitGroup
		var won atomic.Int64
		for i := range 40 {
			// Half race for one stream, half append freely, so that refused and accepted
			// appends share commits.
			stream, expected := fmt.Sprintf("race%d", round), eventstore.NoStream
			if i%2 == 1 {
				stream, expected = fmt.Sprintf("free%d-%d", round, i), eventstore.Any
			}
			wg.Go(func() {
				<-start
				if _, err := s.Append(context.Background(), stream, expected, ev(fmt.Sprintf("r%d/%d", round, i))); err == nil {
					won.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		n += uint64(won.Load())
	}
	if got := positions(readAll(t, s)); !reflect.DeepEqual(got, seq(1, n)) {
		t.Fatalf("positions %v, want 1..%d", got, n)
	}
	if h := mustHead(t, s); h != n {
		t.Fatalf("head %d, want %d", h, n)
	}
}

func testRacingWritersOneWins(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, "existing", eventstore.NoStream, ev("seed"))
	tests := []struct {
		name      string
		stream    string
		expected  eventstore.Revision
		wantAfter int
	}{
		{"NoStreamOnNewStream", "new", eventstore.NoStream, 1},
		{"AtOnExistingStream", "existing", eventstore.At(0), 2},
	}
	const racers = 20
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := make(chan struct{})
			errs := make(chan error, racers)
			var wg sync.WaitGroup
			for i := range racers {
				wg.Go(func() {
					<-start
					_, err := s.Append(context.Background(), tt.stream, tt.expected, ev(fmt.Sprintf("racer/%d", i)))
					errs <- err
				})
			}
			close(start)
			wg.Wait()
			close(errs)
			wins := 0
			for err := range errs {
				switch {
				case err == nil:
					wins++
				case !errors.Is(err, eventstore.ErrConflict):
					t.Errorf("racer: got %v, want nil or ErrConflict", err)
				}
			}
			if wins != 1 {
				t.Fatalf("%d racers succeeded, want exactly 1", wins)
			}
			if got := readStream(t, s, tt.stream); len(got) != tt.wantAfter {
				t.Fatalf("stream holds %d events, want %d", len(got), tt.wantAfter)
			}
		})
	}
}

// ack is one acknowledged append, as the suite's writers remember it.
type ack struct {
	stream string
	ids    []string
	res    eventstore.AppendResult
}

// appendConcurrently runs writers goroutines, each appending perWriter times 1..3 events to its own
// stream (chaining expected revisions) and, every third time, one event with Any to a stream all
// writers share. It returns every acknowledged append. It stops a writer at ErrClosed.
func appendConcurrently(t testing.TB, s eventstore.Store, prefix string, writers, perWriter int, onAck func()) []ack {
	t.Helper()
	var mu sync.Mutex
	var acks []ack
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("%s-w%d", prefix, w)
			expected := eventstore.NoStream
			for i := range perWriter {
				target, exp := stream, expected
				events := evs(fmt.Sprintf("%s/w%d/%d", prefix, w, i), 1+(w+i)%3)
				if i%3 == 2 {
					target, exp, events = prefix+"-shared", eventstore.Any, evs(fmt.Sprintf("%s/w%d/%d", prefix, w, i), 1)
				}
				res, err := s.Append(context.Background(), target, exp, events...)
				if errors.Is(err, eventstore.ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("writer %d, append %d to %s at %s: %v", w, i, target, exp, err)
					return
				}
				if target == stream {
					expected = eventstore.At(res.Revision)
				}
				a := ack{stream: target, res: res}
				for _, e := range events {
					var p payload
					_ = json.Unmarshal(e.Data, &p)
					a.ids = append(a.ids, p.ID)
				}
				mu.Lock()
				acks = append(acks, a)
				mu.Unlock()
				if onAck != nil {
					onAck()
				}
			}
		})
	}
	wg.Wait()
	return acks
}

// assertAcksLanded checks that every acknowledged append is in log exactly once, where and as it
// was acknowledged, and that the log is ordered and each stream's revisions consecutive.
func assertAcksLanded(t testing.TB, log []eventstore.Record, acks []ack, f Features) {
	t.Helper()
	assertStrictlyIncreasing(t, "log", log)
	byID := map[string]eventstore.Record{}
	index := map[uint64]int{}
	for i, r := range log {
		id := idOf(t, r)
		if _, dup := byID[id]; dup {
			t.Fatalf("event %s is in the log twice", id)
		}
		byID[id] = r
		index[r.Position] = i
	}
	for _, a := range acks {
		var prev eventstore.Record
		for j, id := range a.ids {
			r, ok := byID[id]
			if !ok {
				t.Fatalf("acknowledged event %s (append %+v to %s) is missing", id, a.res, a.stream)
			}
			if r.Stream != a.stream {
				t.Fatalf("event %s: stream %q, want %q", id, r.Stream, a.stream)
			}
			if j > 0 && (r.Revision != prev.Revision+1 || r.Position <= prev.Position) {
				t.Fatalf("event %s at revision %d position %d follows revision %d position %d of the same append", id, r.Revision, r.Position, prev.Revision, prev.Position)
			}
			if f.GaplessPositions && j > 0 && index[r.Position] != index[prev.Position]+1 {
				t.Fatalf("event %s: another event came between it and the previous one of its append", id)
			}
			prev = r
		}
		first, last := byID[a.ids[0]], prev
		if first.Position != a.res.FirstPosition || last.Position != a.res.LastPosition || last.Revision != a.res.Revision {
			t.Fatalf("append to %s acknowledged %+v, read back at positions %d..%d revision %d", a.stream, a.res, first.Position, last.Position, last.Revision)
		}
	}
	streams := map[string]uint64{}
	for _, r := range log {
		if want := streams[r.Stream]; r.Revision != want {
			t.Fatalf("stream %s: revision %d at position %d, want %d", r.Stream, r.Revision, r.Position, want)
		}
		streams[r.Stream]++
	}
	if f.GaplessPositions {
		for i, r := range log {
			if r.Position != uint64(i+1) {
				t.Fatalf("event %d of the log is at position %d, want %d", i, r.Position, i+1)
			}
		}
	}
}

func testConcurrentAppendersAllLand(t *testing.T, s eventstore.Store, f Features) {
	acks := appendConcurrently(t, s, "c", 16, 24, nil)
	if t.Failed() {
		return
	}
	log := readAll(t, s)
	assertAcksLanded(t, log, acks, f)
	n := 0
	for _, a := range acks {
		n += len(a.ids)
	}
	if len(log) != n {
		t.Fatalf("log holds %d events, %d were acknowledged", len(log), n)
	}
	if h := mustHead(t, s); h != log[len(log)-1].Position {
		t.Fatalf("head %d, last event at %d", h, log[len(log)-1].Position)
	}
}

// collector gathers what a subscription delivers and lets a test wait for a position.
type collector struct {
	mu       sync.Mutex
	recs     []eventstore.Record
	problems []string
	inFn     atomic.Int32
	progress chan struct{} // signalled after each batch
}

func newCollector() *collector { return &collector{progress: make(chan struct{}, 1)} }

func (c *collector) fn(batch []eventstore.Record) error {
	if c.inFn.Add(1) != 1 {
		c.problem("fn called concurrently")
	}
	defer c.inFn.Add(-1)
	if len(batch) == 0 {
		c.problem("fn called with an empty batch")
	}
	c.mu.Lock()
	c.recs = append(c.recs, batch...)
	c.mu.Unlock()
	select {
	case c.progress <- struct{}{}:
	default:
	}
	return nil
}

func (c *collector) problem(p string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.problems = append(c.problems, p)
}

func (c *collector) snapshot() ([]eventstore.Record, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]eventstore.Record(nil), c.recs...), append([]string(nil), c.problems...)
}

// waitFor waits until the subscription has delivered position pos or later.
func (c *collector) waitFor(t testing.TB, pos uint64) []eventstore.Record {
	t.Helper()
	deadline := time.NewTimer(patience)
	defer deadline.Stop()
	for {
		recs, problems := c.snapshot()
		if len(problems) > 0 {
			t.Fatalf("subscription: %v", problems)
		}
		if len(recs) > 0 && recs[len(recs)-1].Position >= pos {
			return recs
		}
		select {
		case <-c.progress:
		case <-deadline.C:
			t.Fatalf("subscription delivered up to %v after %v, want up to position %d", lastPosition(recs), patience, pos)
		}
	}
}

func lastPosition(recs []eventstore.Record) uint64 {
	if len(recs) == 0 {
		return 0
	}
	return recs[len(recs)-1].Position
}

// subscribe starts a subscription; stop cancels it and returns what Subscribe returned.
func subscribe(t testing.TB, s eventstore.Store, after uint64, fn func([]eventstore.Record) error) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Subscribe(ctx, after, fn) }()
	t.Cleanup(cancel)
	return func() error {
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(patience):
			t.Fatalf("Subscribe did not return within %v of its context's end", patience)
			return nil
		}
	}
}

func testSubscribeCatchesUpThenFollows(t *testing.T, s eventstore.Store) {
	var stored []eventstore.AppendResult
	for i := range 3 {
		stored = append(stored, mustAppend(t, s, "sub", eventstore.Any, ev(fmt.Sprintf("stored/%d", i))))
	}
	c := newCollector()
	stop := subscribe(t, s, stored[0].LastPosition, c.fn)
	got := c.waitFor(t, stored[2].LastPosition)
	if want := []string{"stored/1", "stored/2"}; !reflect.DeepEqual(ids(t, got), want) {
		t.Fatalf("catch-up delivered %v, want %v", ids(t, got), want)
	}

	live := mustAppend(t, s, "sub", eventstore.Any, evs("live", 2)...)
	other := mustAppend(t, s, "elsewhere", eventstore.Any, ev("other"))
	got = c.waitFor(t, other.LastPosition)
	if want := []string{"stored/1", "stored/2", "live/0", "live/1", "other"}; !reflect.DeepEqual(ids(t, got), want) {
		t.Fatalf("subscription delivered %v, want %v", ids(t, got), want)
	}
	if got[2].Position != live.FirstPosition {
		t.Fatalf("live event at position %d, append reported %d", got[2].Position, live.FirstPosition)
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe returned %v after cancel, want context.Canceled", err)
	}
}

// testNoEventSkippedWhenCommitsFinishOutOfOrder appends from many goroutines while subscriptions
// and a polling reader follow the log. An adapter that hands out positions before commit (a
// database sequence) lets a reader see position 12 committed while 11 is still in flight; the
// reader then moves past 11 and never sees it. Every reader here must end with the whole log.
func testNoEventSkippedWhenCommitsFinishOutOfOrder(t *testing.T, s eventstore.Store) {
	early := newCollector()
	stopEarly := subscribe(t, s, 0, early.fn)

	late := newCollector()
	var stopLate func() error
	var acked atomic.Int64
	lateStarted := make(chan struct{})
	onAck := func() {
		if acked.Add(1) == 100 {
			stopLate = subscribe(t, s, 0, late.fn)
			close(lateStarted)
		}
	}

	// A reader that polls ReadAll from the last position it saw, as a naive projection would.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var polled []eventstore.Record
	pollerDone := make(chan error, 1)
	target := make(chan uint64, 1)
	go func() {
		var after, want uint64
		haveTarget := false
		for !haveTarget || after < want {
			select {
			case want = <-target:
				haveTarget = true
			default:
			}
			page, err := s.ReadAll(ctx, after, 50)
			if err != nil {
				pollerDone <- err
				return
			}
			if len(page) == 0 {
				runtime.Gosched() // nothing new: let the writers run
				continue
			}
			polled = append(polled, page...)
			after = page[len(page)-1].Position
		}
		pollerDone <- nil
	}()

	acks := appendConcurrently(t, s, "ooo", 16, 30, onAck)
	if t.Failed() {
		return
	}
	log := readAll(t, s)
	last := log[len(log)-1].Position
	target <- last
	assertAcksLanded(t, log, acks, Features{})

	select {
	case err := <-pollerDone:
		if err != nil {
			t.Fatalf("polling reader: %v", err)
		}
	case <-time.After(patience):
		t.Fatalf("polling reader did not reach position %d within %v", last, patience)
	}
	<-lateStarted
	for name, got := range map[string][]eventstore.Record{
		"subscription from before the appends":    early.waitFor(t, last),
		"subscription started during the appends": late.waitFor(t, last),
		"polling reader":                          polled,
	} {
		if !reflect.DeepEqual(positions(got), positions(log)) {
			t.Errorf("%s saw %d events, the log holds %d: %s", name, len(got), len(log), diff(positions(got), positions(log)))
		}
	}
	for _, stop := range []func() error{stopEarly, stopLate} {
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Subscribe returned %v after cancel, want context.Canceled", err)
		}
	}
}

// diff describes the first difference between two position lists.
func diff(got, want []uint64) string {
	seen := map[uint64]int{}
	for _, p := range got {
		seen[p]++
	}
	for _, p := range want {
		if seen[p] == 0 {
			return fmt.Sprintf("position %d skipped", p)
		}
		if seen[p] > 1 {
			return fmt.Sprintf("position %d seen %d times", p, seen[p])
		}
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at index %d got position %d, want %d", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(got), len(want))
}

func testSubscribeReturnsFnError(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, "fail", eventstore.NoStream, evs("e", 3)...)
	boom := errors.New("projection refused the batch")
	calls := 0
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	err := s.Subscribe(ctx, 0, func([]eventstore.Record) error {
		calls++
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Subscribe returned %v, want fn's error", err)
	}
	if calls != 1 {
		t.Fatalf("fn called %d times, want 1: Subscribe must stop at the first error", calls)
	}

	// A failure in the live phase ends the subscription too.
	head := mustHead(t, s)
	errc := make(chan error, 1)
	go func() {
		errc <- s.Subscribe(ctx, head, func([]eventstore.Record) error { return boom })
	}()
	mustAppend(t, s, "fail", eventstore.Any, ev("live"))
	select {
	case err := <-errc:
		if !errors.Is(err, boom) {
			t.Fatalf("live Subscribe returned %v, want fn's error", err)
		}
	case <-ctx.Done():
		t.Fatal("live Subscribe did not return fn's error")
	}
}

func testSubscribeHonoursCtx(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, "ctx", eventstore.NoStream, evs("e", 3)...)
	t.Run("AlreadyCancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		called := false
		err := s.Subscribe(ctx, 0, func([]eventstore.Record) error { called = true; return nil })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		if called {
			t.Fatal("fn called although ctx was cancelled before Subscribe")
		}
	})
	t.Run("CancelledWhileLive", func(t *testing.T) {
		c := newCollector()
		stop := subscribe(t, s, 0, c.fn)
		c.waitFor(t, mustHead(t, s)) // caught up: now waiting for new events
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
	t.Run("DeadlineWhileLive", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		head := mustHead(t, s)
		errc := make(chan error, 1)
		go func() { errc <- s.Subscribe(ctx, head, func([]eventstore.Record) error { return nil }) }()
		select {
		case err := <-errc:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("got %v, want context.DeadlineExceeded", err)
			}
		case <-time.After(patience):
			t.Fatal("Subscribe ignored its deadline")
		}
	})
}

func testOperationsHonourCtx(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, "ctx", eventstore.NoStream, ev("e"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ops := map[string]func() error{
		"Append":     func() error { _, err := s.Append(ctx, "ctx", eventstore.Any, ev("cancelled")); return err },
		"ReadStream": func() error { _, err := s.ReadStream(ctx, "ctx", 0, 10); return err },
		"ReadAll":    func() error { _, err := s.ReadAll(ctx, 0, 10); return err },
		"Head":       func() error { _, err := s.Head(ctx); return err },
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: got %v, want context.Canceled", name, err)
		}
	}
	if got := readStream(t, s, "ctx"); len(got) != 1 {
		t.Fatalf("stream holds %d events, want 1: an append with a cancelled context wrote", len(got))
	}
}

func testMetadataAndRecordedAtRoundTrip(t *testing.T, s eventstore.Store) {
	full := eventstore.Event{
		Type:   "alarm.raised",
		Schema: 3,
		Data:   json.RawMessage(`{"alarm_id":"a-1","level_m":12.75,"note":"crue d'été ⚠","nested":{"list":[1,2,3],"null":null}}`),
		Meta:   eventstore.Metadata{CorrelationID: "corr-1", CausationID: "cause-1", Actor: "apikey:gw-nord"},
	}
	bare := eventstore.Event{Type: "alarm.cleared", Schema: 1, Data: json.RawMessage(`{}`)}
	res := mustAppend(t, s, "alarm-a-1", eventstore.NoStream, full, bare)

	byStream := readStream(t, s, "alarm-a-1")
	byLog := readAll(t, s)
	c := newCollector()
	stop := subscribe(t, s, 0, c.fn)
	bySub := c.waitFor(t, res.LastPosition)
	_ = stop()

	for name, got := range map[string][]eventstore.Record{"ReadStream": byStream, "ReadAll": byLog, "Subscribe": bySub} {
		if len(got) != 2 {
			t.Fatalf("%s: %d records, want 2", name, len(got))
		}
		for i, want := range []eventstore.Event{full, bare} {
			r := got[i]
			if r.Stream != "alarm-a-1" || r.Revision != uint64(i) || r.Type != want.Type || r.Schema != want.Schema || r.Meta != want.Meta {
				t.Errorf("%s record %d: got %+v, want stream alarm-a-1 revision %d type %s schema %d meta %+v", name, i, r, i, want.Type, want.Schema, want.Meta)
			}
			if !jsonEqual(r.Data, want.Data) {
				t.Errorf("%s record %d: data %s, want %s", name, i, r.Data, want.Data)
			}
			if r.RecordedAt.IsZero() {
				t.Errorf("%s record %d: RecordedAt is zero", name, i)
			}
			if !r.RecordedAt.Equal(byStream[i].RecordedAt) {
				t.Errorf("%s record %d: RecordedAt %v, ReadStream said %v", name, i, r.RecordedAt, byStream[i].RecordedAt)
			}
		}
	}
}

// jsonEqual compares JSON by meaning: an engine may store it normalised (PostgreSQL's jsonb).
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func testClosedStoreReturnsErrClosed(t *testing.T, o Opener) {
	s := open(t, o)
	mustAppend(t, s, "closing", eventstore.NoStream, ev("e"))
	c := newCollector()
	errc := make(chan error, 1)
	go func() { errc <- s.Subscribe(context.Background(), 0, c.fn) }()
	c.waitFor(t, 1) // caught up and now live

	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, eventstore.ErrClosed) {
			t.Fatalf("live subscription ended with %v on Close, want ErrClosed", err)
		}
	case <-time.After(patience):
		t.Fatal("live subscription still running after Close")
	}
	ctx := context.Background()
	ops := map[string]func() error{
		"Append":     func() error { _, err := s.Append(ctx, "closing", eventstore.Any, ev("late")); return err },
		"ReadStream": func() error { _, err := s.ReadStream(ctx, "closing", 0, 10); return err },
		"ReadAll":    func() error { _, err := s.ReadAll(ctx, 0, 10); return err },
		"Subscribe":  func() error { return s.Subscribe(ctx, 0, func([]eventstore.Record) error { return nil }) },
		"Head":       func() error { _, err := s.Head(ctx); return err },
		"Close":      s.Close,
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, eventstore.ErrClosed) {
			t.Errorf("%s after Close: got %v, want ErrClosed", name, err)
		}
	}
}

// testReopenKeepsEveryAcknowledgedAppend closes the store while writers are appending, then reopens
// it: every acknowledged append must be there, where it was acknowledged, and the store must carry
// on from where it was (stream revisions and positions).
func testReopenKeepsEveryAcknowledgedAppend(t *testing.T, o Opener, f Features) {
	first := open(t, o)
	var acked atomic.Int64
	closed := make(chan error, 1)
	onAck := func() {
		if acked.Add(1) == 150 {
			go func() { closed <- first.Close() }()
		}
	}
	acks := appendConcurrently(t, first, "r", 8, 40, onAck)
	if t.Failed() {
		return
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("close during appends: %v", err)
		}
	case <-time.After(patience):
		t.Fatal("Close did not return")
	}

	s := open(t, o)
	log := readAll(t, s)
	assertAcksLanded(t, log, acks, f)
	head := mustHead(t, s)
	if len(log) == 0 || head != log[len(log)-1].Position {
		t.Fatalf("head %d after reopening, last event of %d at %v", head, len(log), lastPosition(log))
	}

	// Stream heads came back: the next append must chain on the last revision of each stream.
	var last eventstore.Record
	for _, r := range log {
		if r.Stream == "r-w0" {
			last = r
		}
	}
	if _, err := s.Append(context.Background(), "r-w0", eventstore.NoStream, ev("again")); !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("NoStream on a stream written before reopening: got %v, want ErrConflict", err)
	}
	res := mustAppend(t, s, "r-w0", eventstore.At(last.Revision), ev("after-reopen"))
	if res.Revision != last.Revision+1 || res.FirstPosition <= head {
		t.Fatalf("append after reopening: %+v, want revision %d after position %d", res, last.Revision+1, head)
	}
	if f.GaplessPositions && res.FirstPosition != head+1 {
		t.Fatalf("append after reopening at position %d, want %d", res.FirstPosition, head+1)
	}
}
