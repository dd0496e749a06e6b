package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/gochannel"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
)

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

func record(pos uint64) eventstore.Record {
	return eventstore.Record{Position: pos, Stream: "sensor-s1", Revision: pos - 1, Type: "sensor.readings_recorded", Schema: 2,
		Data: json.RawMessage(`{"value":2.41}`), Meta: eventstore.Metadata{CorrelationID: "c", Actor: "apikey:gw"},
		RecordedAt: time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)}
}

func TestEncodeDecodeRecord(t *testing.T) {
	t.Parallel()
	r := record(42)
	m, err := bus.EncodeRecord(r, 17)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	if m.ID != "pos-42" || m.Metadata[bus.MetaPosition] != "42" || m.Metadata[bus.MetaPrev] != "17" || m.Metadata[bus.MetaType] != r.Type {
		t.Fatalf("message %+v", m)
	}
	got, prev, err := bus.DecodeRecord(m)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if prev != 17 || !reflect.DeepEqual(got, r) {
		t.Fatalf("decoded %+v after %d, want %+v after 17", got, prev, r)
	}
	for _, bad := range []struct {
		pos, prev uint64
	}{{0, 0}, {5, 5}, {5, 9}} {
		if _, err := bus.EncodeRecord(record(1), 0); err != nil {
			t.Fatalf("encode: %v", err)
		}
		r := record(1)
		r.Position = bad.pos
		if _, err := bus.EncodeRecord(r, bad.prev); err == nil {
			t.Errorf("encode position %d after %d: got nil error", bad.pos, bad.prev)
		}
	}
}

func TestDecodeRecordRefusesInconsistentMessages(t *testing.T) {
	t.Parallel()
	good, _ := bus.EncodeRecord(record(42), 17)
	tests := []struct {
		name   string
		change func(m *bus.Message)
	}{
		{"NoPosition", func(m *bus.Message) { delete(m.Metadata, bus.MetaPosition) }},
		{"NoPrev", func(m *bus.Message) { delete(m.Metadata, bus.MetaPrev) }},
		{"PositionDisagrees", func(m *bus.Message) { m.Metadata[bus.MetaPosition] = "43" }},
		{"PrevNotBefore", func(m *bus.Message) { m.Metadata[bus.MetaPrev] = "42" }},
		{"PayloadNotJSON", func(m *bus.Message) { m.Payload = []byte("{") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := bus.Message{ID: good.ID, Metadata: map[string]string{}, Payload: good.Payload}
			for k, v := range good.Metadata {
				m.Metadata[k] = v
			}
			tt.change(&m)
			if _, _, err := bus.DecodeRecord(m); err == nil {
				t.Fatal("got nil error")
			}
		})
	}
}

// FuzzDecodeRecord: log messages come from a broker anyone with credentials may publish to.
// Decoding never panics; what decodes encodes back to an equivalent message.
func FuzzDecodeRecord(f *testing.F) {
	good, _ := bus.EncodeRecord(record(42), 17)
	f.Add(good.Metadata[bus.MetaPosition], good.Metadata[bus.MetaPrev], good.Payload)
	f.Add("1", "0", []byte(`{"position":1}`))
	f.Add("18446744073709551615", "0", []byte(`{"position":18446744073709551615}`))
	f.Add("-1", "x", []byte(`null`))
	f.Add("", "", []byte(``))
	f.Fuzz(func(t *testing.T, pos, prev string, payload []byte) {
		m := bus.Message{ID: "x", Metadata: map[string]string{bus.MetaPosition: pos, bus.MetaPrev: prev}, Payload: payload}
		r, p, err := bus.DecodeRecord(m)
		if err != nil {
			return
		}
		again, err := bus.EncodeRecord(r, p)
		if err != nil {
			t.Fatalf("decoded %+v after %d, cannot encode it back: %v", r, p, err)
		}
		r2, p2, err := bus.DecodeRecord(again)
		if err != nil || p2 != p || r2.Position != r.Position {
			t.Fatalf("round trip: %+v after %d, then %+v after %d (%v)", r, p, r2, p2, err)
		}
	})
}

func TestConstructorsRefuseNil(t *testing.T) {
	t.Parallel()
	if _, err := bus.NewForwarder(nil, nil, "bad.topic", nil, nil); err == nil ||
		!strings.Contains(err.Error(), "nil event store") || !strings.Contains(err.Error(), "nil bus") ||
		!strings.Contains(err.Error(), "topic") || !strings.Contains(err.Error(), "nil logger") {
		t.Errorf("NewForwarder: got %v, want every mistake", err)
	}
	if _, err := bus.NewLogConsumer(nil, "t", "", nil, nil, nil); err == nil ||
		!strings.Contains(err.Error(), "nil applier") || !strings.Contains(err.Error(), "group") {
		t.Errorf("NewLogConsumer: got %v, want every mistake", err)
	}
	if _, err := bus.NewWatermill(bus.WatermillConfig{}, nil); err == nil || !strings.Contains(err.Error(), "nil publisher") {
		t.Errorf("NewWatermill: got %v", err)
	}
}

// projection is an Applier that records what it applied.
type projection struct {
	mu      sync.Mutex
	applied []uint64
}

func (p *projection) Position(context.Context) (uint64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.applied) == 0 {
		return 0, nil
	}
	return p.applied[len(p.applied)-1], nil
}

func (p *projection) Apply(_ context.Context, r eventstore.Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.applied = append(p.applied, r.Position)
	return nil
}

func (p *projection) positions() []uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]uint64(nil), p.applied...)
}

func openStore(t *testing.T) eventstore.Store {
	t.Helper()
	s, err := embedded.Open(t.TempDir(), embedded.Options{}, testLogger(t))
	if err != nil {
		t.Fatalf("open embedded store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func appendN(t *testing.T, s eventstore.Store, stream string, n int) {
	t.Helper()
	for i := range n {
		e := eventstore.Event{Type: "test.happened", Schema: 1, Data: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))}
		if _, err := s.Append(context.Background(), stream, eventstore.Any, e); err != nil {
			t.Fatalf("append: %v", err)
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not the case after 30 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestForwarderToConsumer carries an event store's log over the bus to a consumer on another bus
// of the same broker (another process), restarts the forwarder from an older checkpoint (as after
// a crash before saving it), and checks that the consumer applied every position once, in order.
func TestForwarderToConsumer(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	broker, err := gochannel.NewBroker(testLogger(t))
	if err != nil {
		t.Fatalf("broker: %v", err)
	}
	t.Cleanup(func() { _ = broker.Close() })
	pubBus, _ := broker.Bus(testLogger(t))
	subBus, _ := broker.Bus(testLogger(t))
	t.Cleanup(func() { _ = pubBus.Close(); _ = subBus.Close() })

	proj := &projection{}
	c, err := bus.NewLogConsumer(subBus, "events", "board", proj, nil, testLogger(t))
	if err != nil {
		t.Fatalf("consumer: %v", err)
	}
	if _, err := c.Start(t.Context()); err != nil {
		t.Fatalf("start consumer: %v", err)
	}
	cps := &bus.MemoryCheckpoints{}
	f, err := bus.NewForwarder(store, pubBus, "events", cps, testLogger(t))
	if err != nil {
		t.Fatalf("forwarder: %v", err)
	}
	appendN(t, store, "sensor-a", 30)
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	waitFor(t, "30 events applied", func() bool { return len(proj.positions()) == 30 })
	stop()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("forwarder ended with %v, want context.Canceled", err)
	}

	// Crash before the checkpoint was saved: the forwarder starts again from position 10.
	if err := cps.Save(t.Context(), "forwarder:events", 10); err != nil {
		t.Fatal(err)
	}
	appendN(t, store, "sensor-b", 20)
	go func() { done <- f.Run(t.Context()) }()
	waitFor(t, "50 events applied", func() bool { return len(proj.positions()) == 50 })
	waitFor(t, "the replayed 20 recognised as duplicates", func() bool { return c.Stats().Duplicates == 20 })
	log, err := store.ReadAll(t.Context(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var want []uint64
	for _, r := range log {
		want = append(want, r.Position)
	}
	if got := proj.positions(); !slices.Equal(got, want) {
		t.Fatalf("applied %v, want %v", got, want)
	}
}

// TestConsumerFillsAGapFromTheStore: a consumer whose bus starts after its own position (the
// forwarder began later, or messages expired) reads the missing records from the event store.
func TestConsumerFillsAGapFromTheStore(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	appendN(t, store, "sensor-a", 12)
	log, err := store.ReadAll(t.Context(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	b, err := gochannel.New(testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	proj := &projection{}
	c, err := bus.NewLogConsumer(b, "events", "board", proj, store, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Only the last two records reach the bus.
	for i, r := range log[10:] {
		m, err := bus.EncodeRecord(r, log[9+i].Position)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Publish(t.Context(), "events", m); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "12 applied", func() bool { return len(proj.positions()) == 12 })
	if s := c.Stats(); s.Filled != 10 || s.Applied != 2 {
		t.Fatalf("stats %+v, want 10 filled from the store and 2 applied from the bus", s)
	}
}
