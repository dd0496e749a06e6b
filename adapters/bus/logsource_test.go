package bus_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/gochannel"
	"github.com/vigie/vigie/adapters/eventstore"
)

// TestLogSourceCatchesUpThenFollowsAFilteredTopic: a reader in another process catches up from the
// store, then follows a topic that carries only the alarm streams; it sees every record of the
// store up to the catch-up and then every alarm record, in order, once — including those appended
// between its catch-up and its subscription, which the topic's first message reveals as a gap.
func TestLogSourceCatchesUpThenFollowsAFilteredTopic(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	broker, err := gochannel.NewBroker(testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = broker.Close() })
	pubBus, _ := broker.Bus(testLogger(t))
	subBus, _ := broker.Bus(testLogger(t))
	t.Cleanup(func() { _ = pubBus.Close(); _ = subBus.Close() })

	appendN(t, store, "alarm-a", 3)
	appendN(t, store, "sensor-s", 3)
	src, err := bus.NewLogSource(store, subBus, "alarm-events", "notifier", testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []eventstore.Record
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- src.Subscribe(ctx, 0, func(recs []eventstore.Record) error {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, recs...)
			return nil
		})
	}()
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(seen) }
	waitFor(t, "the catch-up", func() bool { return count() == 6 })

	f, err := bus.NewForwarder(store, pubBus, "alarm-events", &bus.MemoryCheckpoints{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	f.SetFilter(bus.StreamPrefixes("alarm-", "cascade-"))
	go func() { _ = f.Run(ctx) }()
	appendN(t, store, "sensor-s", 5)
	appendN(t, store, "cascade-a", 2)
	appendN(t, store, "sensor-s", 5)
	appendN(t, store, "alarm-a", 2)
	waitFor(t, "the two cascade and two alarm records", func() bool {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, r := range seen[6:] {
			if strings.HasPrefix(r.Stream, "alarm-") || strings.HasPrefix(r.Stream, "cascade-") {
				n++
			}
		}
		return n == 4
	})
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe returned %v, want context.Canceled", err)
	}
	mu.Lock()
	defer mu.Unlock()
	var pos []uint64
	for _, r := range seen {
		pos = append(pos, r.Position)
	}
	if !slices.IsSorted(pos) || len(slices.Compact(slices.Clone(pos))) != len(pos) {
		t.Fatalf("positions %v: want increasing, each once", pos)
	}
}

// TestLogSourceStopsWhenTheReaderFails: the reader's error ends Subscribe (it resubscribes from
// its own checkpoint), rather than the broker redelivering into a reader that gave up.
func TestLogSourceStopsWhenTheReaderFails(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	b, err := gochannel.New(testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	src, err := bus.NewLogSource(store, b, "alarm-events", "notifier", testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	done := make(chan error, 1)
	go func() {
		done <- src.Subscribe(t.Context(), 0, func([]eventstore.Record) error { return boom })
	}()
	appendN(t, store, "alarm-a", 1)
	log, _ := store.ReadAll(t.Context(), 0, 10)
	m, err := bus.EncodeRecord(log[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "published", func() bool { return b.Publish(t.Context(), "alarm-events", m) == nil })
	if err := <-done; !errors.Is(err, boom) {
		t.Fatalf("Subscribe returned %v, want the reader's error", err)
	}
}

func TestNewLogSourceRefusesNil(t *testing.T) {
	t.Parallel()
	if _, err := bus.NewLogSource(nil, nil, "bad.topic", "", nil); err == nil ||
		!strings.Contains(err.Error(), "nil log reader") || !strings.Contains(err.Error(), "nil bus") || !strings.Contains(err.Error(), "topic") {
		t.Fatalf("got %v, want every mistake", err)
	}
}

// TestPrefixedBusesDoNotMeet: two deployments on one broker, told apart by their prefixes, never
// see each other's messages.
func TestPrefixedBusesDoNotMeet(t *testing.T) {
	t.Parallel()
	broker, err := gochannel.NewBroker(testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = broker.Close() })
	raw, _ := broker.Bus(testLogger(t))
	t.Cleanup(func() { _ = raw.Close() })
	a, err := bus.NewPrefixed(raw, "site-a")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := bus.NewPrefixed(raw, "site-b")
	var mu sync.Mutex
	var got []string
	for _, x := range []struct {
		name string
		b    bus.Bus
	}{{"a", a}, {"b", b}} {
		if _, err := x.b.Subscribe(t.Context(), "jobs", "workers", func(_ context.Context, m bus.Message) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, x.name+":"+m.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Publish(t.Context(), "jobs", bus.Message{ID: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(t.Context(), "jobs", bus.Message{ID: "2"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two deliveries", func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 2 })
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(got)
	if !slices.Equal(got, []string{"a:1", "b:2"}) {
		t.Fatalf("got %v, want each deployment its own message", got)
	}
	if _, err := bus.NewPrefixed(raw, "bad prefix"); err == nil {
		t.Fatal("a prefix with a space: nil error")
	}
}
