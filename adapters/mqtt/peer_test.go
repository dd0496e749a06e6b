package mqtt_test

// Test peers: the machine's Mosquitto (127.0.0.1:1883, or $VIGIE_TEST_MQTT), a private Mosquitto
// the test starts and restarts, a publishing client, and a recording ingester.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(tb testing.TB, within time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not a wait for the condition
	}
}

func randomID(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

// sharedBroker is the machine's Mosquitto; the tests use topics and client ids of their own.
func sharedBroker(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv("VIGIE_TEST_MQTT")
	if addr == "" {
		addr = "127.0.0.1:1883"
	}
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		tb.Fatalf("no MQTT broker at %s (run scripts/setup.d/mosquitto.sh, or set VIGIE_TEST_MQTT): %v", addr, err)
	}
	c.Close()
	return addr
}

// mosquitto is a private broker on a port of its own, with persistence in a temporary directory,
// that a test can stop and start again.
type mosquitto struct {
	tb   testing.TB
	bin  string
	addr string
	conf string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// startMosquitto starts a broker; extra lines go in its listener's configuration (TLS files).
func startMosquitto(tb testing.TB, extra ...string) *mosquitto {
	tb.Helper()
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		for _, p := range []string{"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"} {
			if _, e := os.Stat(p); e == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		tb.Fatalf("mosquitto is not installed (run scripts/setup.d/mosquitto.sh): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := tb.TempDir()
	conf := fmt.Sprintf("listener %d 127.0.0.1\n", port)
	for _, e := range extra {
		conf += e + "\n"
	}
	conf += fmt.Sprintf("allow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 100000\nlog_dest stderr\n", dir)
	if os.Geteuid() == 0 {
		conf += "user root\n" // otherwise it switches to the mosquitto user, who cannot write dir
	}
	m := &mosquitto{tb: tb, bin: bin, addr: "127.0.0.1:" + strconv.Itoa(port), conf: filepath.Join(dir, "mosquitto.conf")}
	if err := os.WriteFile(m.conf, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	m.start()
	tb.Cleanup(func() {
		if m.cmd != nil {
			m.stop()
		}
	})
	return m
}

func (m *mosquitto) start() {
	m.tb.Helper()
	m.out = &bytes.Buffer{}
	m.cmd = exec.Command(m.bin, "-c", m.conf)
	m.cmd.Stdout, m.cmd.Stderr = m.out, m.out
	if err := m.cmd.Start(); err != nil {
		m.tb.Fatalf("start mosquitto: %v", err)
	}
	m.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(m.cmd, m.done)
	waitFor(m.tb, 10*time.Second, "mosquitto to listen on "+m.addr, func() bool {
		select {
		case <-m.done:
			m.tb.Fatalf("mosquitto exited: %s", m.out)
		default:
		}
		c, err := net.Dial("tcp", m.addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// stop ends the broker as a service manager does (SIGTERM: it saves its sessions and queues).
func (m *mosquitto) stop() {
	m.tb.Helper()
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.done
		m.tb.Errorf("mosquitto ignored SIGTERM: %s", m.out)
	}
	m.cmd = nil
}

// publisher is a field gateway publishing at QoS 1; after a broker restart it reconnects.
type publisher struct {
	tb   testing.TB
	addr string
	c    *paho.Client
}

func newPublisher(tb testing.TB, addr string) *publisher {
	p := &publisher{tb: tb, addr: addr}
	tb.Cleanup(func() {
		if p.c != nil {
			_ = p.c.Disconnect(&paho.Disconnect{})
		}
	})
	return p
}

func (p *publisher) connect(ctx context.Context) error {
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return err
	}
	c := paho.NewClient(paho.ClientConfig{Conn: conn, ClientID: "vigie-test-pub-" + randomID(p.tb)})
	if _, err := c.Connect(ctx, &paho.Connect{CleanStart: true, KeepAlive: 30}); err != nil {
		conn.Close()
		return err
	}
	p.c = c
	return nil
}

func (p *publisher) publish(topic string, payload string, props *paho.PublishProperties) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		if p.c == nil {
			if err = p.connect(ctx); err != nil {
				continue
			}
		}
		if _, err = p.c.Publish(ctx, &paho.Publish{QoS: 1, Topic: topic, Payload: []byte(payload), Properties: props}); err == nil {
			return
		}
		_ = p.c.Disconnect(&paho.Disconnect{}) // the broker restarted: reconnect once
		p.c = nil
	}
	p.tb.Fatalf("publish to %s: %v", topic, err)
}

// publishAsync sends a QoS 1 reading without waiting for its PUBACK (many in flight).
func (p *publisher) publishAsync(topic, payload string) {
	p.tb.Helper()
	if p.c == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.connect(ctx); err != nil {
			p.tb.Fatal(err)
		}
	}
	if _, err := p.c.PublishWithOptions(context.Background(), &paho.Publish{QoS: 1, Topic: topic, Payload: []byte(payload)},
		paho.PublishOptions{Method: paho.PublishMethod_AsyncSend}); err != nil {
		p.tb.Fatalf("publish to %s: %v", topic, err)
	}
}

// subscribe collects what the broker delivers on filter (dead letters).
func (p *publisher) subscribe(filter string) func() []*paho.Publish {
	p.tb.Helper()
	var mu sync.Mutex
	var got []*paho.Publish
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", p.addr)
	if err != nil {
		p.tb.Fatal(err)
	}
	c := paho.NewClient(paho.ClientConfig{Conn: conn, ClientID: "vigie-test-sub-" + randomID(p.tb),
		OnPublishReceived: []func(paho.PublishReceived) (bool, error){func(pr paho.PublishReceived) (bool, error) {
			mu.Lock()
			got = append(got, pr.Packet)
			mu.Unlock()
			return true, nil
		}}})
	if _, err := c.Connect(ctx, &paho.Connect{CleanStart: true, KeepAlive: 30}); err != nil {
		p.tb.Fatal(err)
	}
	p.tb.Cleanup(func() { _ = c.Disconnect(&paho.Disconnect{}) })
	if _, err := c.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: filter, QoS: 1}}}); err != nil {
		p.tb.Fatal(err)
	}
	return func() []*paho.Publish {
		mu.Lock()
		defer mu.Unlock()
		return append([]*paho.Publish(nil), got...)
	}
}

// dropSession removes a test's persistent session from a broker.
func dropSession(tb testing.TB, addr, clientID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return
	}
	c := paho.NewClient(paho.ClientConfig{Conn: conn, ClientID: clientID})
	if _, err := c.Connect(ctx, &paho.Connect{CleanStart: true}); err == nil {
		_ = c.Disconnect(&paho.Disconnect{})
	}
}

// recorder is an ingester that keeps readings in memory, idempotent on (sensor, time) like
// commands.Ingester, refusing unknown sensors whole.
type recorder struct {
	mu      sync.Mutex
	known   map[sensor.ID]bool // nil: every sensor is known
	stored  map[string]float64
	items   []commands.Item
	actors  []string
	fail    int           // the next fail calls fail as a store outage does
	gate    chan struct{} // when set, Handle waits for it to close
	waiting int
}

func newRecorder(known ...sensor.ID) *recorder {
	r := &recorder{stored: map[string]float64{}}
	if len(known) > 0 {
		r.known = map[sensor.ID]bool{}
		for _, k := range known {
			r.known[k] = true
		}
	}
	return r
}

func (r *recorder) Handle(ctx context.Context, cmd commands.IngestReadings) (commands.IngestResult, error) {
	r.mu.Lock()
	gate := r.gate
	r.waiting++
	r.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return commands.IngestResult{}, ctx.Err()
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var problems []commands.ItemProblem
	for i, it := range cmd.Items {
		if r.known != nil && !r.known[it.Sensor] {
			problems = append(problems, commands.ItemProblem{Index: i, Sensor: it.Sensor, Reason: "unknown sensor"})
		}
	}
	if len(problems) > 0 {
		return commands.IngestResult{}, &commands.InvalidReadingsError{Problems: problems}
	}
	if r.fail > 0 {
		r.fail--
		return commands.IngestResult{}, errors.New("append to sensor stream: disk unavailable")
	}
	res := commands.IngestResult{Outcomes: make([]gauge.Outcome, len(cmd.Items))}
	for i, it := range cmd.Items {
		key := string(it.Sensor) + "@" + it.Time.UTC().Format(time.RFC3339Nano)
		if v, ok := r.stored[key]; ok {
			res.Outcomes[i].Status = gauge.Duplicate
			if v != it.Value {
				res.Outcomes[i].Status = gauge.Rejected
			}
			continue
		}
		r.stored[key] = it.Value
		r.items = append(r.items, it)
		r.actors = append(r.actors, cmd.Actor)
		res.Outcomes[i].Status = gauge.Accepted
	}
	return res, nil
}

func (r *recorder) readings() []commands.Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]commands.Item(nil), r.items...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.items)
}
