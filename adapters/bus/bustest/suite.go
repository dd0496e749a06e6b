// Package bustest is the conformance suite of the bus port: every adapter's tests call Run against
// its real broker (never a mock), so adding a broker means adding a package that passes it.
//
// What the suite pins down beyond the port's comments:
//   - payload, metadata and id arrive as published;
//   - every group receives every message (fan-out);
//   - a handler error makes the message come again (at least once);
//   - for durable adapters, what a crashed member did not acknowledge, and what was published
//     while no member ran, reaches the next member of the group;
//   - a LogConsumer applies each position once and in order whatever the broker redelivers;
//   - after Close every method returns ErrClosed and running subscriptions end with it.
package bustest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/eventstore"
)

// Features says what an adapter promises beyond the port.
type Features struct {
	// Durable: the broker keeps a group's messages while none of its members runs, and a message
	// a crashed member did not acknowledge goes to the next member.
	Durable bool
	// CompetingConsumers: members of one group share its messages instead of each getting all.
	CompetingConsumers bool
	// Ordered: one subscriber whose handler never fails receives a topic's messages in publish
	// order (for one publisher).
	Ordered bool
}

// Harness gives the suite buses on the adapter's broker.
type Harness struct {
	// New returns a new bus (its own connections) on the broker. The suite closes it.
	New func(t testing.TB) bus.Bus
	// Forget, if set, removes what the broker keeps for a topic and its groups (exchanges,
	// queues, streams) when a test ends, so that runs leave nothing behind.
	Forget func(t testing.TB, topic string, groups []string)
}

// patience bounds every wait for something that should happen soon.
const patience = 30 * time.Second

// Run runs the conformance suite. Subtests run in parallel, each on its own topic.
func Run(t *testing.T, f Features, h Harness) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, h Harness, f Features)
		when bool
	}{
		{"PublishSubscribeRoundTrip", testRoundTrip, true},
		{"EveryGroupGetsEveryMessage", testFanOut, true},
		{"MembersOfAGroupShareItsMessages", testCompeting, f.CompetingConsumers},
		{"HandlerErrorRedelivers", testNackRedelivers, true},
		{"UnackedMessageGoesToTheNextMemberAfterACrash", testCrashRedelivers, f.Durable},
		{"MessagesWaitForAGroupWithNoMemberRunning", testKeptWhileDown, f.Durable},
		{"OneSubscriberSeesPublishOrder", testOrdered, f.Ordered},
		{"LogConsumerAppliesEachPositionOnceInOrder", testLogConsumerOnce, true},
		{"LogConsumerCarriesOnAfterACrash", testLogConsumerCrash, f.Durable},
		{"ForwarderCarriesTheLogToAnotherProcess", testForwarder, true},
		{"ContextIsHonoured", testContext, true},
		{"InvalidNamesAreRefused", testInvalid, true},
		{"ClosedBusReturnsErrClosed", testClosed, true},
	}
	for _, tt := range tests {
		if !tt.when {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, h, f)
		})
	}
}

// Name returns a topic or group name unique to this run.
func Name(t testing.TB, prefix string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("random name: %v", err)
	}
	return prefix + "-" + hex.EncodeToString(b[:])
}

func newBus(t testing.TB, h Harness) bus.Bus {
	t.Helper()
	b := h.New(t)
	t.Cleanup(func() {
		if err := b.Close(); err != nil && !errors.Is(err, bus.ErrClosed) {
			t.Errorf("close bus: %v", err)
		}
	})
	return b
}

// topic returns a fresh topic and registers its groups for Forget.
func topic(t testing.TB, h Harness, groups ...string) string {
	t.Helper()
	tp := Name(t, "bt")
	if h.Forget != nil {
		t.Cleanup(func() { h.Forget(t, tp, groups) })
	}
	return tp
}

func msg(id string) bus.Message {
	return bus.Message{ID: id, Metadata: map[string]string{"n": id, "content_type": "application/json"}, Payload: []byte(`{"id":"` + id + `"}`)}
}

func msgs(prefix string, n int) []bus.Message {
	out := make([]bus.Message, n)
	for i := range out {
		out[i] = msg(fmt.Sprintf("%s-%03d", prefix, i))
	}
	return out
}

func ids(ms []bus.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// recorder collects deliveries.
type recorder struct {
	mu   sync.Mutex
	got  []bus.Message
	fail func(m bus.Message, n int) error // n: how many times this id was seen before
	seen map[string]int
}

func newRecorder() *recorder { return &recorder{seen: map[string]int{}} }

func (r *recorder) handle(_ context.Context, m bus.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.seen[m.ID]
	r.seen[m.ID]++
	if r.fail != nil {
		if err := r.fail(m, n); err != nil {
			return err
		}
	}
	r.got = append(r.got, m)
	return nil
}

func (r *recorder) snapshot() ([]bus.Message, map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]int{}
	for k, v := range r.seen {
		seen[k] = v
	}
	return append([]bus.Message(nil), r.got...), seen
}

// distinct lists the ids acknowledged (handler returned nil), each once, in first-seen order.
func (r *recorder) distinct() []string {
	got, _ := r.snapshot()
	seen := map[string]bool{}
	var out []string
	for _, m := range got {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, m.ID)
		}
	}
	return out
}

// waitFor polls cond until it holds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not the case after %v", what, patience)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func hasAll(r *recorder, want []string) func() bool {
	return func() bool {
		got := r.distinct()
		if len(got) < len(want) {
			return false
		}
		set := map[string]bool{}
		for _, id := range got {
			set[id] = true
		}
		for _, id := range want {
			if !set[id] {
				return false
			}
		}
		return true
	}
}

func subscribe(t testing.TB, ctx context.Context, b bus.Bus, tp, group string, h bus.Handler) *bus.Subscription {
	t.Helper()
	s, err := b.Subscribe(ctx, tp, group, h)
	if err != nil {
		t.Fatalf("subscribe to %s as %s: %v", tp, group, err)
	}
	return s
}

func publish(t testing.TB, b bus.Bus, tp string, ms ...bus.Message) {
	t.Helper()
	if err := b.Publish(context.Background(), tp, ms...); err != nil {
		t.Fatalf("publish %d messages to %s: %v", len(ms), tp, err)
	}
}

func testRoundTrip(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	sub, pub := newBus(t, h), newBus(t, h)
	r := newRecorder()
	subscribe(t, t.Context(), sub, tp, "g", r.handle)
	sent := msgs("rt", 20)
	sent[3].Payload = []byte{0, 1, 2, 0xff, '\n'}                                // binary
	sent[4].Metadata = nil                                                       // none
	sent[5].Metadata = map[string]string{"unicode": "crue d'été ⚠", "empty": ""} // text
	publish(t, pub, tp, sent[:10]...)
	for _, m := range sent[10:] {
		publish(t, pub, tp, m)
	}
	waitFor(t, "every message delivered", hasAll(r, ids(sent)))
	got, _ := r.snapshot()
	byID := map[string]bus.Message{}
	for _, m := range got {
		byID[m.ID] = m
	}
	for _, want := range sent {
		g := byID[want.ID]
		if string(g.Payload) != string(want.Payload) {
			t.Errorf("message %s: payload %q, want %q", want.ID, g.Payload, want.Payload)
		}
		for k, v := range want.Metadata {
			if g.Metadata[k] != v {
				t.Errorf("message %s: metadata %s = %q, want %q (all: %v)", want.ID, k, g.Metadata[k], v, g.Metadata)
			}
		}
	}
}

func testFanOut(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g1", "g2")
	b := newBus(t, h)
	r1, r2 := newRecorder(), newRecorder()
	subscribe(t, t.Context(), b, tp, "g1", r1.handle)
	subscribe(t, t.Context(), b, tp, "g2", r2.handle)
	sent := msgs("fan", 10)
	publish(t, b, tp, sent...)
	waitFor(t, "group g1 has every message", hasAll(r1, ids(sent)))
	waitFor(t, "group g2 has every message", hasAll(r2, ids(sent)))
}

func testCompeting(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	a, b, pub := newBus(t, h), newBus(t, h), newBus(t, h)
	ra, rb := newRecorder(), newRecorder()
	// A slow handler keeps one member busy, so that the broker must use the other.
	slow := func(r *recorder) bus.Handler {
		return func(ctx context.Context, m bus.Message) error {
			time.Sleep(2 * time.Millisecond)
			return r.handle(ctx, m)
		}
	}
	subscribe(t, t.Context(), a, tp, "g", slow(ra))
	subscribe(t, t.Context(), b, tp, "g", slow(rb))
	sent := msgs("comp", 60)
	publish(t, pub, tp, sent...)
	waitFor(t, "the group has every message", func() bool {
		return len(union(ra.distinct(), rb.distinct())) == len(sent)
	})
	if len(ra.distinct()) == 0 || len(rb.distinct()) == 0 {
		t.Fatalf("one member got everything (%d and %d): the group's messages are not shared", len(ra.distinct()), len(rb.distinct()))
	}
	if n := len(ra.distinct()) + len(rb.distinct()); n > len(sent)+len(sent)/4 {
		t.Fatalf("members got %d messages for %d published: they are not sharing, they are each getting a copy", n, len(sent))
	}
}

func union(a, b []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range append(a, b...) {
		out[s] = true
	}
	return out
}

func testNackRedelivers(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	b := newBus(t, h)
	r := newRecorder()
	r.fail = func(m bus.Message, n int) error {
		if i, _ := strconv.Atoi(m.ID[len(m.ID)-3:]); i%2 == 1 && n == 0 {
			return errors.New("transient failure")
		}
		return nil
	}
	subscribe(t, t.Context(), b, tp, "g", r.handle)
	sent := msgs("nack", 10)
	publish(t, b, tp, sent...)
	waitFor(t, "every message acknowledged, the failed ones after a redelivery", hasAll(r, ids(sent)))
	_, seen := r.snapshot()
	for _, m := range sent {
		if i, _ := strconv.Atoi(m.ID[len(m.ID)-3:]); i%2 == 1 && seen[m.ID] < 2 {
			t.Errorf("message %s failed once but was delivered %d times", m.ID, seen[m.ID])
		}
	}
}

func testCrashRedelivers(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	pub := newBus(t, h)
	crashing := newBus(t, h)
	ctx, crash := context.WithCancel(t.Context())
	received := make(chan string, 10)
	s := subscribe(t, ctx, crashing, tp, "g", func(ctx context.Context, m bus.Message) error {
		received <- m.ID
		<-ctx.Done() // the process dies while handling it: no acknowledgement
		return ctx.Err()
	})
	publish(t, pub, tp, msg("unacked"))
	select {
	case id := <-received:
		if id != "unacked" {
			t.Fatalf("received %s, want unacked", id)
		}
	case <-time.After(patience):
		t.Fatal("the first member never received the message")
	}
	crash()
	_ = s.Wait()
	if err := crashing.Close(); err != nil && !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("close the crashed member's bus: %v", err)
	}
	next := newBus(t, h)
	r := newRecorder()
	subscribe(t, t.Context(), next, tp, "g", r.handle)
	waitFor(t, "the next member of the group receives the unacknowledged message", hasAll(r, []string{"unacked"}))
}

func testKeptWhileDown(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	pub := newBus(t, h)
	first := newBus(t, h)
	ctx, stop := context.WithCancel(t.Context())
	r1 := newRecorder()
	s := subscribe(t, ctx, first, tp, "g", r1.handle)
	publish(t, pub, tp, msg("before"))
	waitFor(t, "the first member receives the first message", hasAll(r1, []string{"before"}))
	stop()
	_ = s.Wait()
	_ = first.Close()
	sent := msgs("while-down", 5)
	publish(t, pub, tp, sent...)
	second := newBus(t, h)
	r2 := newRecorder()
	subscribe(t, t.Context(), second, tp, "g", r2.handle)
	waitFor(t, "messages published while no member ran are delivered", hasAll(r2, ids(sent)))
	// What the first member acknowledged is done: a group does not start over when its last
	// member stops (NATS deletes a durable consumer the client library created, so the adapter
	// must create it itself).
	publish(t, pub, tp, msg("marker"))
	waitFor(t, "a message published after the restart is delivered", hasAll(r2, []string{"marker"}))
	if _, seen := r2.snapshot(); seen["before"] > 0 {
		t.Fatalf("the acknowledged message was delivered again to the next member (%d times)", seen["before"])
	}
}

func testOrdered(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	b := newBus(t, h)
	r := newRecorder()
	subscribe(t, t.Context(), b, tp, "g", r.handle)
	sent := msgs("ord", 150)
	publish(t, b, tp, sent[:100]...)
	for _, m := range sent[100:] {
		publish(t, b, tp, m)
	}
	waitFor(t, "every message delivered", hasAll(r, ids(sent)))
	if got := r.distinct(); !reflect.DeepEqual(got, ids(sent)) {
		t.Fatalf("delivered out of order: %v", got)
	}
}

// applier is a projection that records what it applied; failAt fails the first attempt at a
// position.
type applier struct {
	mu      sync.Mutex
	applied []uint64
	failAt  map[uint64]bool
}

func (a *applier) Position(context.Context) (uint64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.applied) == 0 {
		return 0, nil
	}
	return a.applied[len(a.applied)-1], nil
}

func (a *applier) Apply(_ context.Context, r eventstore.Record) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failAt[r.Position] {
		delete(a.failAt, r.Position)
		return errors.New("projection failed once")
	}
	a.applied = append(a.applied, r.Position)
	return nil
}

func (a *applier) positions() []uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]uint64(nil), a.applied...)
}

// chain builds log messages at gapped positions (as KurrentDB's are) after prev.
func chain(t testing.TB, n int, start uint64) ([]bus.Message, []uint64) {
	t.Helper()
	var out []bus.Message
	var pos []uint64
	prev := uint64(0)
	p := start
	for i := range n {
		r := eventstore.Record{Position: p, Stream: "sensor-s1", Revision: uint64(i), Type: "test.happened", Schema: 1,
			Data: []byte(`{"i":` + strconv.Itoa(i) + `}`), RecordedAt: time.Unix(1760000000, 0).UTC()}
		m, err := bus.EncodeRecord(r, prev)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		out = append(out, m)
		pos = append(pos, p)
		prev = p
		p += 7 + uint64(i%5)
	}
	return out, pos
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func testLogConsumerOnce(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "proj")
	b := newBus(t, h)
	log, want := chain(t, 40, 1000)
	a := &applier{failAt: map[uint64]bool{want[5]: true, want[22]: true}}
	c, err := bus.NewLogConsumer(b, tp, "proj", a, nil, quietLogger())
	if err != nil {
		t.Fatalf("new log consumer: %v", err)
	}
	if _, err := c.Start(t.Context()); err != nil {
		t.Fatalf("start: %v", err)
	}
	// A forwarder that crashed before saving its checkpoint publishes a stretch again.
	publish(t, b, tp, log[:20]...)
	publish(t, b, tp, log[10:30]...)
	publish(t, b, tp, log[30:]...)
	publish(t, b, tp, log[35:]...)
	// A broker may drop a republished id (NATS JetStream does, within its duplicate window); a
	// second forwarder's copy under another id reaches the consumer whatever the broker.
	for _, m := range log[25:28] {
		m.ID += "-copy"
		publish(t, b, tp, m)
	}
	waitFor(t, "every position applied and the copies seen", func() bool {
		return len(a.positions()) >= len(want) && c.Stats().Duplicates >= 3
	})
	if got := a.positions(); !slices.Equal(got, want) {
		t.Fatalf("applied %v, want each of %v once, in order", got, want)
	}
	if s := c.Stats(); s.Applied != uint64(len(want)) {
		t.Fatalf("stats %+v: want %d applied", s, len(want))
	}
}

func testLogConsumerCrash(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "proj")
	pub := newBus(t, h)
	log, want := chain(t, 30, 500)
	a := &applier{}

	first := newBus(t, h)
	ctx, crash := context.WithCancel(t.Context())
	stopAt := want[12]
	blocking := &blockingApplier{applier: a, at: stopAt, reached: make(chan struct{})}
	c1, err := bus.NewLogConsumer(first, tp, "proj", blocking, nil, quietLogger())
	if err != nil {
		t.Fatalf("new log consumer: %v", err)
	}
	s1, err := c1.Start(ctx)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	publish(t, pub, tp, log...)
	select {
	case <-blocking.reached:
	case <-time.After(patience):
		t.Fatalf("the first consumer never reached position %d; applied %v", stopAt, a.positions())
	}
	crash() // dies in the middle of applying stopAt, unacknowledged
	_ = s1.Wait()
	_ = first.Close()

	second := newBus(t, h)
	c2, err := bus.NewLogConsumer(second, tp, "proj", a, nil, quietLogger())
	if err != nil {
		t.Fatalf("new log consumer: %v", err)
	}
	if _, err := c2.Start(t.Context()); err != nil {
		t.Fatalf("restart: %v", err)
	}
	waitFor(t, "the restarted consumer applies the rest", func() bool { return len(a.positions()) >= len(want) })
	if got := a.positions(); !slices.Equal(got, want) {
		t.Fatalf("applied %v, want each of %v once, in order", got, want)
	}
}

// testForwarder runs a Forwarder on one bus and a LogConsumer on another (another process, as far
// as the broker knows), restarts the forwarder from an old checkpoint as after a crash, and checks
// that every position was applied once, in order.
func testForwarder(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "proj")
	pub, sub := newBus(t, h), newBus(t, h)
	log := &memLog{batch: 16}
	var want []uint64
	p := uint64(100)
	for i := range 90 {
		log.recs = append(log.recs, eventstore.Record{Position: p, Stream: "sensor-s" + strconv.Itoa(i%3), Revision: uint64(i / 3),
			Type: "test.happened", Schema: 1, Data: []byte(`{"i":` + strconv.Itoa(i) + `}`), RecordedAt: time.Unix(1760000000, 0).UTC()})
		want = append(want, p)
		p += 3 + uint64(i%7)
	}
	a := &applier{}
	c, err := bus.NewLogConsumer(sub, tp, "proj", a, nil, quietLogger())
	if err != nil {
		t.Fatalf("new log consumer: %v", err)
	}
	if _, err := c.Start(t.Context()); err != nil {
		t.Fatalf("start consumer: %v", err)
	}
	cps := &bus.MemoryCheckpoints{}
	f, err := bus.NewForwarder(log, pub, tp, cps, quietLogger())
	if err != nil {
		t.Fatalf("new forwarder: %v", err)
	}
	run := func(until uint64) {
		ctx, stop := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- f.Run(ctx) }()
		waitFor(t, "the forwarder's checkpoint reaches the end of the log", func() bool {
			p, _ := cps.Load(t.Context(), "forwarder:"+tp)
			return p >= until
		})
		stop()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("forwarder ended with %v, want context.Canceled", err)
		}
	}
	run(want[len(want)-1])
	// A crash before the checkpoint was saved: the forwarder publishes the second half again.
	if err := cps.Save(t.Context(), "forwarder:"+tp, want[44]); err != nil {
		t.Fatal(err)
	}
	run(want[len(want)-1])
	waitFor(t, "every position applied", func() bool { return len(a.positions()) >= len(want) })
	if got := a.positions(); !slices.Equal(got, want) {
		t.Fatalf("applied %v, want each of %v once, in order", got, want)
	}
}

// blockingApplier blocks (as a dying process) at one position until its context ends.
type blockingApplier struct {
	*applier
	at      uint64
	reached chan struct{}
	once    sync.Once
}

func (b *blockingApplier) Apply(ctx context.Context, r eventstore.Record) error {
	if r.Position == b.at {
		b.once.Do(func() { close(b.reached) })
		<-ctx.Done()
		return ctx.Err()
	}
	return b.applier.Apply(ctx, r)
}

func testContext(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	b := newBus(t, h)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := b.Publish(ctx, tp, msg("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("publish with a cancelled context: got %v, want context.Canceled", err)
	}
	if _, err := b.Subscribe(ctx, tp, "g", newRecorder().handle); !errors.Is(err, context.Canceled) {
		t.Errorf("subscribe with a cancelled context: got %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(t.Context())
	s := subscribe(t, ctx, b, tp, "g", newRecorder().handle)
	cancel()
	select {
	case <-s.Done():
		if err := s.Wait(); !errors.Is(err, context.Canceled) {
			t.Errorf("subscription ended with %v, want context.Canceled", err)
		}
	case <-time.After(patience):
		t.Fatal("subscription still running after its context ended")
	}
}

func testInvalid(t *testing.T, h Harness, _ Features) {
	b := newBus(t, h)
	ctx := t.Context()
	tests := []struct {
		name string
		op   func() error
	}{
		{"EmptyTopic", func() error { return b.Publish(ctx, "", msg("x")) }},
		{"TopicWithDot", func() error { return b.Publish(ctx, "vigie.events", msg("x")) }},
		{"TopicWithWildcard", func() error { return b.Publish(ctx, "a*", msg("x")) }},
		{"NoMessages", func() error { return b.Publish(ctx, "ok") }},
		{"MessageWithoutID", func() error { return b.Publish(ctx, "ok", bus.Message{Payload: []byte("x")}) }},
		{"EmptyGroup", func() error { _, err := b.Subscribe(ctx, "ok", "", newRecorder().handle); return err }},
		{"GroupWithSpace", func() error { _, err := b.Subscribe(ctx, "ok", "a b", newRecorder().handle); return err }},
		{"NilHandler", func() error { _, err := b.Subscribe(ctx, "ok", "g", nil); return err }},
	}
	for _, tt := range tests {
		if err := tt.op(); err == nil {
			t.Errorf("%s: got nil error", tt.name)
		}
	}
}

func testClosed(t *testing.T, h Harness, _ Features) {
	tp := topic(t, h, "g")
	b := h.New(t)
	s := subscribe(t, t.Context(), b, tp, "g", newRecorder().handle)
	if err := b.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	select {
	case <-s.Done():
		if err := s.Wait(); !errors.Is(err, bus.ErrClosed) {
			t.Errorf("running subscription ended with %v on Close, want ErrClosed", err)
		}
	case <-time.After(patience):
		t.Fatal("subscription still running after Close")
	}
	if err := b.Publish(t.Context(), tp, msg("late")); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("publish after Close: got %v, want ErrClosed", err)
	}
	if _, err := b.Subscribe(t.Context(), tp, "g", newRecorder().handle); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("subscribe after Close: got %v, want ErrClosed", err)
	}
	if err := b.Close(); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("second Close: got %v, want ErrClosed", err)
	}
}
