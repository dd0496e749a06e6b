package kurrent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	api "github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/streams"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/kurrent"
)

// Contract tests: what the adapter asks of the server through the client, checked on the wire by
// the stub server. They pin down the adapter's use of the client, not KurrentDB's behaviour.

func openOnStub(t *testing.T, stub *stubServer, opts kurrent.Options) *kurrent.Store {
	t.Helper()
	s, err := kurrent.Open(context.Background(), stub.url(), opts, testLogger(t))
	if err != nil {
		t.Fatalf("open on the stub server: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func event(id string) eventstore.Event {
	return eventstore.Event{Type: "test.happened", Schema: 2, Data: json.RawMessage(fmt.Sprintf(`{"id":%q}`, id)),
		Meta: eventstore.Metadata{CorrelationID: "corr", Actor: "user:durand"}}
}

func TestContractExpectedRevisionIsSent(t *testing.T) {
	t.Parallel()
	stub := newStubServer(t)
	s := openOnStub(t, stub, kurrent.Options{Namespace: "ns/"})
	ctx := context.Background()
	tests := []struct {
		name     string
		stream   string
		expected eventstore.Revision
		check    func(*api.AppendReq_Options) bool
		want     string
		conflict bool
	}{
		{"NoStreamOnNewStream", "a", eventstore.NoStream,
			func(o *api.AppendReq_Options) bool { return o.GetNoStream() != nil }, "no_stream", false},
		{"AtZero", "a", eventstore.At(0),
			func(o *api.AppendReq_Options) bool {
				r, ok := o.GetExpectedStreamRevision().(*api.AppendReq_Options_Revision)
				return ok && r.Revision == 0
			}, "revision 0", false},
		{"AtOne", "a", eventstore.At(1),
			func(o *api.AppendReq_Options) bool {
				r, ok := o.GetExpectedStreamRevision().(*api.AppendReq_Options_Revision)
				return ok && r.Revision == 1
			}, "revision 1", false},
		{"Any", "a", eventstore.Any,
			func(o *api.AppendReq_Options) bool { return o.GetAny() != nil }, "any", false},
		{"StaleRevisionIsConflict", "a", eventstore.At(1),
			func(o *api.AppendReq_Options) bool {
				r, ok := o.GetExpectedStreamRevision().(*api.AppendReq_Options_Revision)
				return ok && r.Revision == 1
			}, "revision 1", true},
		{"NoStreamOnExistingIsConflict", "a", eventstore.NoStream,
			func(o *api.AppendReq_Options) bool { return o.GetNoStream() != nil }, "no_stream", true},
	}
	// Sequential: each step builds on the stream the previous ones wrote.
	for _, tt := range tests {
		before := len(stub.recordedAppends())
		_, err := s.Append(ctx, tt.stream, tt.expected, event(tt.name))
		if tt.conflict != errors.Is(err, eventstore.ErrConflict) || (!tt.conflict && err != nil) {
			t.Fatalf("%s: append at %s: got %v, conflict expected: %v", tt.name, tt.expected, err, tt.conflict)
		}
		appends := stub.recordedAppends()
		if len(appends) != before+1 {
			t.Fatalf("%s: the client sent %d appends, want 1", tt.name, len(appends)-before)
		}
		got := appends[len(appends)-1]
		if !tt.check(got) {
			t.Errorf("%s: expected revision on the wire %v, want %s", tt.name, got.GetExpectedStreamRevision(), tt.want)
		}
		if name := string(got.GetStreamIdentifier().GetStreamName()); name != "ns/"+tt.stream {
			t.Errorf("%s: stream on the wire %q, want %q (namespace + stream)", tt.name, name, "ns/"+tt.stream)
		}
	}
}

func TestContractGlobalLogIsFilteredOnTheServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		namespace string
		check     func(*api.ReadReq_Options_FilterOptions) bool
		want      string
	}{
		{"NoNamespaceExcludesSystemEventTypes", "",
			func(f *api.ReadReq_Options_FilterOptions) bool {
				return f.GetEventType() != nil && f.GetEventType().GetRegex() == `^[^\$].*`
			}, `event type regex ^[^\$].*`},
		{"NamespaceIsAStreamPrefix", "site-a/",
			func(f *api.ReadReq_Options_FilterOptions) bool {
				p := f.GetStreamIdentifier().GetPrefix()
				return len(p) == 1 && p[0] == "site-a/"
			}, "stream prefix site-a/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stub := newStubServer(t)
			s := openOnStub(t, stub, kurrent.Options{Namespace: tt.namespace})
			ctx := context.Background()
			first, err := s.Append(ctx, "x", eventstore.NoStream, event("1"), event("2"))
			if err != nil {
				t.Fatalf("append: %v", err)
			}
			stub.appendSystem("$stats-127.0.0.1:2113", "$statsCollected")
			if _, err := s.Append(ctx, "x", eventstore.Any, event("3")); err != nil {
				t.Fatalf("append: %v", err)
			}
			for _, after := range []uint64{0, first.FirstPosition} {
				var got []eventstore.Record
				err := s.Subscribe(ctx, after, func(b []eventstore.Record) error {
					got = append(got, b...)
					if len(got) >= 3 || (after > 0 && len(got) >= 2) {
						return errStop
					}
					return nil
				})
				if !errors.Is(err, errStop) {
					t.Fatalf("subscribe after %d: %v", after, err)
				}
				for _, r := range got {
					if strings.HasPrefix(r.Type, "$") || strings.HasPrefix(r.Stream, "$") || r.Position <= after {
						t.Errorf("subscription after %d delivered %+v", after, r)
					}
				}
				reads := stub.recordedReads()
				var sub *api.ReadReq_Options
				for _, o := range reads {
					if o.GetSubscription() != nil && o.GetAll() != nil {
						sub = o
					}
				}
				if sub == nil {
					t.Fatalf("no $all subscription was sent; reads: %v", reads)
				}
				if !tt.check(sub.GetFilter()) {
					t.Errorf("filter on the wire %v, want %s", sub.GetFilter(), tt.want)
				}
				if after == 0 && sub.GetAll().GetStart() == nil {
					t.Errorf("subscription after 0 starts at %v, want the start of $all", sub.GetAll())
				}
				if p := sub.GetAll().GetPosition(); after > 0 && (p.GetCommitPosition() != after || p.GetPreparePosition() != after) {
					t.Errorf("subscription after %d starts at %v, want commit = prepare = %d", after, sub.GetAll(), after)
				}
			}
		})
	}
}

// TestContractClientIsRecreatedAfterDiscoveryGivesUp stops the server long enough for the client to
// give up discovery and close itself, then starts it again: the store must serve again without
// being reopened, and a subscription that was running must resume where it was.
func TestContractClientIsRecreatedAfterDiscoveryGivesUp(t *testing.T) {
	t.Parallel()
	stub := newStubServer(t)
	var logs syncBuffer
	s, err := kurrent.Open(context.Background(), stub.url(), kurrent.Options{MaxResubscribeDelay: 50 * time.Millisecond},
		slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatalf("open on the stub server: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	before, err := s.Append(ctx, "gauge", eventstore.NoStream, event("before"))
	if err != nil {
		t.Fatalf("append: %v", err)
	}

	var mu sync.Mutex
	var seen []eventstore.Record
	subErr := make(chan error, 1)
	go func() {
		subErr <- s.Subscribe(ctx, 0, func(b []eventstore.Record) error {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, b...)
			return nil
		})
	}()
	seenUpTo := func(p uint64) func() bool {
		return func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(seen) > 0 && seen[len(seen)-1].Position >= p
		}
	}
	waitFor(t, "subscription delivers the first event", seenUpTo(before.LastPosition))

	stub.stop()
	// The first failure asks the client to rediscover; the next call runs discovery, which gives
	// up at once (maxDiscoverAttempts=1) and closes the client for good.
	var errs []error
	for range 3 {
		if _, err := s.Head(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 3 {
		t.Fatalf("with the server down, %d of 3 calls failed, want 3", len(errs))
	}

	stub.restart(t)
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatalf("head after the server came back: %v (earlier errors: %v)", err, errs)
	}
	if head != before.LastPosition {
		t.Fatalf("head after restart %d, want %d", head, before.LastPosition)
	}
	after, err := s.Append(ctx, "gauge", eventstore.At(0), event("after"))
	if err != nil {
		t.Fatalf("append after the server came back: %v", err)
	}
	waitFor(t, "subscription resumes and delivers the event appended after the restart", seenUpTo(after.LastPosition))
	mu.Lock()
	var positions []uint64
	for _, r := range seen {
		positions = append(positions, r.Position)
	}
	mu.Unlock()
	if len(positions) != 2 || positions[0] != before.LastPosition || positions[1] != after.LastPosition {
		t.Fatalf("subscription delivered positions %v, want [%d %d] (each once)", positions, before.LastPosition, after.LastPosition)
	}
	cancel()
	if err := <-subErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe returned %v, want context.Canceled", err)
	}
	// The path under test was taken: the client closed itself and the store built a new one.
	if !strings.Contains(logs.String(), "closed itself after discovery gave up; recreated it") {
		t.Fatalf("the store never recreated its client; logs:\n%s", logs.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestContractAppendReportsPositionsOfItsEvents: the append response carries one position for the
// whole write; the adapter must report the first and last event's own positions, skipping the
// system events the node writes in between.
func TestContractAppendReportsPositionsOfItsEvents(t *testing.T) {
	t.Parallel()
	stub := newStubServer(t)
	s := openOnStub(t, stub, kurrent.Options{})
	ctx := context.Background()
	for i := range 4 {
		res, err := s.Append(ctx, "batch", eventstore.Any, event(fmt.Sprint(i, "a")), event(fmt.Sprint(i, "b")), event(fmt.Sprint(i, "c")))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		var mine []uint64
		for _, e := range stub.rawLog() {
			if e.stream == "batch" && e.revision+3 > res.Revision && e.revision <= res.Revision {
				mine = append(mine, e.pos)
			}
		}
		if len(mine) != 3 || res.FirstPosition != mine[0] || res.LastPosition != mine[2] {
			t.Fatalf("append %d reported %+v; the server stored its events at %v", i, res, mine)
		}
	}
}

// TestForeignEventIsReportedNotRetried: an event another program wrote in the global log, with
// metadata that is not Vigie's, is an error that names it; a subscription ends on it instead of
// resubscribing forever.
func TestForeignEventIsReportedNotRetried(t *testing.T) {
	t.Parallel()
	stub := newStubServer(t)
	s := openOnStub(t, stub, kurrent.Options{MaxResubscribeDelay: 10 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.Append(ctx, "mine", eventstore.NoStream, event("1")); err != nil {
		t.Fatalf("append: %v", err)
	}
	stub.appendForeign("billing-42", "invoice.sent", []byte("not json"))
	if _, err := s.ReadAll(ctx, 0, 10); err == nil || !strings.Contains(err.Error(), "billing-42") {
		t.Fatalf("read all over a foreign event: got %v, want an error naming its stream", err)
	}
	var got int
	err := s.Subscribe(ctx, 0, func(b []eventstore.Record) error { got += len(b); return nil })
	if err == nil || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "billing-42") {
		t.Fatalf("subscribe over a foreign event: got %v, want an error naming it (not a retry until the deadline)", err)
	}
}
