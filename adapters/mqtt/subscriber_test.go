package mqtt_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/vigie/vigie/adapters/mqtt"
)

// running is a Subscriber started by a test; stop ends Run and checks it returned nil.
type running struct {
	sub  *mqtt.Subscriber
	stop func()
}

func run(tb testing.TB, cfg mqtt.Config, ing mqtt.Ingester) running {
	tb.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(tbWriter{tb}, nil))
	}
	s, err := mqtt.New(cfg, ing, logger)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			tb.Errorf("Run did not return after its context was cancelled")
		}
	}
	tb.Cleanup(stop)
	return running{sub: s, stop: stop}
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func connected(tb testing.TB, s *mqtt.Subscriber) {
	tb.Helper()
	waitFor(tb, 20*time.Second, "the subscriber to connect", func() bool { return s.State().Connected })
}

// testConfig uses topics and a client id of the test's own; its session is dropped at the end.
func testConfig(tb testing.TB, addr string) (mqtt.Config, string) {
	prefix := "vigie-test/" + randomID(tb)
	cfg := mqtt.Config{
		Broker:   "mqtt://" + addr,
		ClientID: "vigie-test-" + randomID(tb),
		Subscriptions: []mqtt.Subscription{
			{Topic: prefix + "/dams/{dam}/{sensor}", Sensor: "{dam}.{sensor}"},
			{Topic: prefix + "/gw/+/readings"},
		},
		SessionExpiry: 5 * time.Minute,
		ReconnectMin:  100 * time.Millisecond,
		ReconnectMax:  time.Second,
		KeepAlive:     5 * time.Second,
	}
	tb.Cleanup(func() { dropSession(tb, addr, cfg.ClientID) })
	return cfg, prefix
}

func TestDelivers(t *testing.T) {
	t.Parallel()
	addr := sharedBroker(t)
	cfg, prefix := testConfig(t, addr)
	rec := newRecorder()
	r := run(t, cfg, rec)
	connected(t, r.sub)
	if st := r.sub.State(); st.Since.IsZero() {
		t.Errorf("state %+v has no Since", st)
	}

	pub := newPublisher(t, addr)
	before := time.Now()
	pub.publish(prefix+"/dams/mejean/level", "4.52", nil)
	after := time.Now()
	pub.publish(prefix+"/dams/est/level", `{"time":"2025-10-10T02:00:00Z","value":1.5}`, nil)
	pub.publish(prefix+"/gw/gw-3/readings", `[{"sensor":"mejean.level","time":"2025-10-10T02:05:00Z","value":4.6},
		{"sensor":"est.level","time":"2025-10-10T02:05:00Z","value":1.55}]`, nil)
	waitFor(t, 10*time.Second, "4 readings", func() bool { return rec.count() == 4 })

	// Topics are stored concurrently: compare by sensor and time.
	rec.mu.Lock()
	byKey := map[string]string{}
	for i, it := range rec.items {
		if it.Time.Year() > 2025 { // the plain number, stamped on receipt
			if it.Sensor != "mejean.level" || it.Value != 4.52 || it.Time.Before(before) || it.Time.After(after.Add(time.Second)) {
				t.Errorf("plain number: got %+v, want mejean.level 4.52 at the receive time (%v..%v)", it, before, after)
			}
			if a := rec.actors[i]; a != "mqtt:"+prefix+"/dams/mejean/level" {
				t.Errorf("actor: got %q, want mqtt:<topic>", a)
			}
			continue
		}
		byKey[fmt.Sprintf("%s@%s", it.Sensor, it.Time.Format(time.RFC3339))] = fmt.Sprint(it.Value)
	}
	rec.mu.Unlock()
	want := map[string]string{"est.level@2025-10-10T02:00:00Z": "1.5", "mejean.level@2025-10-10T02:05:00Z": "4.6", "est.level@2025-10-10T02:05:00Z": "1.55"}
	if fmt.Sprint(byKey) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", byKey, want)
	}
	waitFor(t, 5*time.Second, "the counters", func() bool { return r.sub.Stats().Stored == 3 })
	if st := r.sub.Stats(); st.Messages != 3 || st.Accepted != 4 || st.Malformed+st.Refused+st.Duplicates+st.Rejected != 0 {
		t.Errorf("stats: got %+v, want 3 messages, 4 accepted", st)
	}
	r.stop()
	if st := r.sub.State(); st.Connected {
		t.Errorf("state after Run returned: got %+v, want disconnected", st)
	}
}

func TestMalformedAreAcknowledgedAndDeadLettered(t *testing.T) {
	t.Parallel()
	addr := sharedBroker(t)
	cfg, prefix := testConfig(t, addr)
	cfg.DeadLetterTopic = prefix + "/dead-letter"
	rec := newRecorder("mejean.level", "est.level")
	pub := newPublisher(t, addr)
	deadLetters := pub.subscribe(cfg.DeadLetterTopic)
	r := run(t, cfg, rec)
	connected(t, r.sub)

	bad := []struct{ topic, payload, reason string }{
		{prefix + "/dams/mejean/level", "high water", "neither JSON nor a decimal number"},
		{prefix + "/dams/mejean/level", `{"time":"yesterday","value":1}`, "not RFC 3339"},
		{prefix + "/gw/gw-1/readings", `{"time":"2025-10-10T02:00:00Z","value":1}`, "sensor is missing"},
		{prefix + "/dams/nowhere/level", "3.1", "unknown sensor"},
		{prefix + "/dams/est/level", `[{"time":"2025-10-10T02:00:00Z","value":1},{"time":"2025-10-10T02:01:00Z","value":NaN}]`, "not JSON"},
	}
	for _, b := range bad {
		pub.publish(b.topic, b.payload, &paho.PublishProperties{ContentType: "text/plain"})
	}
	pub.publish(prefix+"/dams/est/level", `{"time":"2025-10-10T02:00:00Z","value":1.25}`, nil)
	waitFor(t, 10*time.Second, "the good reading after the bad ones", func() bool { return rec.count() == 1 })
	waitFor(t, 10*time.Second, "5 dead letters", func() bool { return len(deadLetters()) == len(bad) })
	letters := map[string]*paho.Publish{}
	for _, d := range deadLetters() {
		letters[string(d.Payload)] = d
	}
	for _, b := range bad {
		d := letters[b.payload]
		if d == nil {
			t.Errorf("no dead letter for %q", b.payload)
			continue
		}
		props := d.Properties
		if props == nil || props.User.Get(mqtt.PropTopic) != b.topic || !strings.Contains(props.User.Get(mqtt.PropReason), b.reason) || props.ContentType != "text/plain" {
			t.Errorf("dead letter %q: got %+v, want from %s because %q, content type kept", b.payload, props, b.topic, b.reason)
		}
	}
	// The counters move after what the test saw: Accepted once the ingester has returned,
	// DeadLettered once the broker has acknowledged the dead letter, which it may forward to the
	// test's subscriber first.
	want := mqtt.Stats{Messages: 6, Stored: 1, Accepted: 1, Malformed: 4, Refused: 1, DeadLettered: 5}
	waitFor(t, 10*time.Second, fmt.Sprintf("stats %+v", want), func() bool { return r.sub.Stats() == want })

	// Acknowledged: a new session under the same id gets none of them again. Run returns once
	// the broker has closed the connection, so it has read every acknowledgement by then.
	r.stop()
	r2 := run(t, cfg, rec)
	connected(t, r2.sub)
	pub.publish(prefix+"/dams/est/level", `{"time":"2025-10-10T02:10:00Z","value":1.3}`, nil)
	waitFor(t, 10*time.Second, "the marker reading", func() bool { return rec.count() == 2 })
	if st := r2.sub.Stats(); st.Messages != 1 || st.Malformed+st.Refused != 0 {
		t.Errorf("after reconnecting: got %+v, want the marker only (nothing redelivered)", st)
	}
}

// A message is acknowledged only once stored: cut off while the store hangs, it comes back.
func TestUnstoredMessageIsRedelivered(t *testing.T) {
	t.Parallel()
	addr := sharedBroker(t)
	cfg, prefix := testConfig(t, addr)
	rec := newRecorder()
	rec.gate = make(chan struct{})
	r := run(t, cfg, rec)
	connected(t, r.sub)
	pub := newPublisher(t, addr)
	pub.publish(prefix+"/dams/mejean/level", `{"time":"2025-10-10T02:00:00Z","value":4.5}`, nil)
	waitFor(t, 10*time.Second, "the store to be called", func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.waiting == 1
	})
	r.stop() // Vigie stops while the append hangs
	if n := rec.count(); n != 0 {
		t.Fatalf("%d readings stored, want 0", n)
	}
	rec.mu.Lock()
	rec.gate = nil
	rec.mu.Unlock()
	r2 := run(t, cfg, rec)
	waitFor(t, 10*time.Second, "the redelivered reading", func() bool { return rec.count() == 1 })
	if st := r2.sub.Stats(); st.Messages != 1 || st.Accepted != 1 {
		t.Errorf("stats: got %+v, want the message delivered again and stored", st)
	}
}

func TestStoreFailureIsRetried(t *testing.T) {
	t.Parallel()
	addr := sharedBroker(t)
	cfg, prefix := testConfig(t, addr)
	rec := newRecorder()
	rec.fail = 2
	r := run(t, cfg, rec)
	connected(t, r.sub)
	pub := newPublisher(t, addr)
	pub.publish(prefix+"/dams/mejean/level", `{"time":"2025-10-10T02:00:00Z","value":4.5}`, nil)
	pub.publish(prefix+"/dams/mejean/level", `{"time":"2025-10-10T02:05:00Z","value":4.6}`, nil)
	waitFor(t, 10*time.Second, "both readings", func() bool { return rec.count() == 2 })
	got := rec.readings()
	if got[0].Value != 4.5 || got[1].Value != 4.6 {
		t.Errorf("got %+v, want 4.5 then 4.6 (a topic's messages stay in order)", got)
	}
	if st := r.sub.Stats(); st.StoreRetries != 2 || st.Stored != 2 || st.Refused != 0 {
		t.Errorf("stats: got %+v, want 2 retries then 2 stored", st)
	}
}

// The broker restarts mid-stream, then Vigie is away while readings keep coming: with a persistent
// session and QoS 1, every reading is stored once Vigie is back.
func TestBrokerRestartAndAbsenceLoseNothing(t *testing.T) {
	t.Parallel()
	broker := startMosquitto(t)
	cfg, prefix := testConfig(t, broker.addr)
	rec := newRecorder()
	pub := newPublisher(t, broker.addr)
	reading := func(i int) {
		pub.publish(prefix+"/dams/mejean/level", fmt.Sprintf(`{"time":"2025-10-10T02:%02d:00Z","value":%d}`, i, i), nil)
	}
	r := run(t, cfg, rec)
	connected(t, r.sub)

	for i := 1; i <= 5; i++ {
		reading(i)
	}
	waitFor(t, 10*time.Second, "readings 1-5", func() bool { return rec.count() == 5 })

	// Readings 6-8 reach Vigie but are still being stored when the broker stops: they cannot be
	// acknowledged, so the restarted broker delivers them again (duplicates), and nothing is lost.
	rec.mu.Lock()
	gate := make(chan struct{})
	rec.gate = gate
	rec.mu.Unlock()
	for i := 6; i <= 8; i++ {
		reading(i)
	}
	waitFor(t, 10*time.Second, "reading 6 to be in the store", func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.waiting == 6
	})
	broker.stop()
	waitFor(t, 10*time.Second, "the subscriber to notice the broker is gone", func() bool { return !r.sub.State().Connected })
	down := r.sub.State()
	rec.mu.Lock()
	rec.gate = nil
	rec.mu.Unlock()
	close(gate)
	waitFor(t, 10*time.Second, "readings 6-8 stored", func() bool { return rec.count() == 8 })
	broker.start()
	for i := 9; i <= 10; i++ {
		reading(i) // possibly before Vigie is back: queued in its session
	}
	connected(t, r.sub)
	waitFor(t, 10*time.Second, "readings 9-10", func() bool { return rec.count() == 10 })
	// (1-5 may come again too, if the broker stopped before their acknowledgements were flushed.)
	waitFor(t, 10*time.Second, "6-8 delivered again and found duplicates", func() bool { return r.sub.Stats().Duplicates >= 3 })
	if up := r.sub.State(); !up.Since.After(down.Since) {
		t.Errorf("state: down since %v, up since %v", down.Since, up.Since)
	}

	r.stop() // Vigie away...
	for i := 11; i <= 20; i++ {
		reading(i)
	}
	broker.stop() // ...and the broker restarts meanwhile
	broker.start()
	r2 := run(t, cfg, rec)
	waitFor(t, 20*time.Second, "readings 11-20 published while Vigie was away", func() bool { return rec.count() == 20 })
	seen := map[float64]bool{}
	for _, it := range rec.readings() {
		seen[it.Value] = true
	}
	for i := 1; i <= 20; i++ {
		if !seen[float64(i)] {
			t.Errorf("reading %d lost", i)
		}
	}
	if st := r2.sub.Stats(); st.Accepted != 10 {
		t.Errorf("after the absence: got %+v, want 10 accepted", st)
	}
}
