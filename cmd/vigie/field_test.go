package main_test

// Acceptance tests of the field block (docs/field.md): the reference storm delivered through MQTT
// (Mosquitto) and OPC-UA (a node-opcua server) gives the same readings and alarms as through the
// HTTP API; a broker or OPC-UA server going away mid-storm raises then clears the connectivity
// alarm and loses no reading the peer still had to deliver; clients hammering the API raise a
// technical alarm.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
)

func fieldRandomID(t *testing.T) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

// fieldConfig writes examples/nimes.yaml (the reference customer, whose sensors are the storm's)
// with a field block (given from its first key, indented by two spaces) and returns its path.
func fieldConfig(t *testing.T, block string) string {
	t.Helper()
	base, err := os.ReadFile("../../examples/nimes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "vigie.yaml")
	if err := os.WriteFile(path, append(base, []byte("\nfield:\n"+block)...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type logEvent struct {
	Position uint64          `json:"position"`
	Stream   string          `json:"stream"`
	Type     string          `json:"type"`
	Data     json.RawMessage `json:"data"`
}

// logEvents reads the whole log through the API.
func logEvents(t *testing.T, srv *server) []logEvent {
	t.Helper()
	var out []logEvent
	for after := uint64(0); ; {
		var page struct {
			Events    []logEvent `json:"events"`
			NextAfter uint64     `json:"next_after"`
		}
		srv.getJSON(t, fmt.Sprintf("/api/v1/events?after=%d&limit=1000", after), &page)
		out = append(out, page.Events...)
		if len(page.Events) == 0 || page.NextAfter <= after {
			return out
		}
		after = page.NextAfter
	}
}

// sourceAlarm tells the alarms about sources (connectivity, refused requests) apart: the
// transports differ in them by design.
func sourceAlarm(e logEvent) bool {
	return strings.Contains(e.Stream, "endpoint_unreachable") || strings.Contains(e.Stream, "unknown_sensor") ||
		bytes.Contains(e.Data, []byte("endpoint_unreachable")) || bytes.Contains(e.Data, []byte("unknown_sensor"))
}

// comparable keeps what must not depend on the road the readings took: per stream, the readings,
// crossings and alarm events with their data (sensor times included, recording times and
// metadata left out), without the source alarms, the cascade's escalations (wall-clock timers)
// and the configuration records (they name the file and the time of start-up).
func comparable(events []logEvent) map[string][]string {
	out := map[string][]string{}
	for _, e := range events {
		switch {
		case sourceAlarm(e), e.Type == "alarm.escalated", e.Type == "sensor.configured":
			continue
		case strings.HasPrefix(e.Stream, "sensor-"), strings.HasPrefix(e.Stream, "alarm-"), strings.HasPrefix(e.Stream, "alarmboard-"):
			out[e.Stream] = append(out[e.Stream], e.Type+" "+string(e.Data))
		}
	}
	return out
}

// readingsOf counts the readings recorded per sensor at each sensor time.
func readingsOf(events []logEvent) map[string]map[time.Time]float64 {
	out := map[string]map[time.Time]float64{}
	for _, e := range events {
		if e.Type != "sensor.readings_recorded" {
			continue
		}
		var rr struct {
			Sensor   string `json:"sensor"`
			Readings []struct {
				T time.Time `json:"t"`
				V float64   `json:"v"`
			} `json:"readings"`
		}
		if json.Unmarshal(e.Data, &rr) != nil {
			continue
		}
		if out[rr.Sensor] == nil {
			out[rr.Sensor] = map[time.Time]float64{}
		}
		for _, r := range rr.Readings {
			out[rr.Sensor][r.T.UTC()] = r.V
		}
	}
	return out
}

func countReadings(events []logEvent) int {
	n := 0
	for _, m := range readingsOf(events) {
		n += len(m)
	}
	return n
}

func allRecorded(got map[string]map[time.Time]float64, rows []stormRow) bool {
	for _, r := range rows {
		if _, ok := got[r.Sensor][r.Time.UTC()]; !ok {
			return false
		}
	}
	return true
}

// settled waits until every storm reading is in the log and the log stops growing (the alarm
// engine has decided everything), and returns the log.
func settled(t *testing.T, srv *server, rows []stormRow, within time.Duration) []logEvent {
	t.Helper()
	var events []logEvent
	for deadline := time.Now().Add(within); ; {
		events = logEvents(t, srv)
		got := readingsOf(events)
		if allRecorded(got, rows) {
			break
		}
		if time.Now().After(deadline) {
			missing := 0
			for _, r := range rows {
				if _, ok := got[r.Sensor][r.Time.UTC()]; !ok {
					missing++
				}
			}
			logs := srv.Logs()
			if len(logs) > 6000 {
				logs = logs[len(logs)-6000:]
			}
			t.Fatalf("after %s, %d of %d storm readings are not in the log; server log ends with:\n%s", within, missing, len(rows), logs)
		}
		time.Sleep(100 * time.Millisecond) // polling another process
	}
	for stable := 0; stable < 3; {
		time.Sleep(300 * time.Millisecond) // the engine works off the log: no event to wait on
		next := logEvents(t, srv)
		if len(next) == len(events) {
			stable++
		} else {
			stable = 0
		}
		events = next
	}
	return events
}

// sameAsHTTP compares a transport's log with the HTTP reference, stream by stream.
func sameAsHTTP(t *testing.T, got []logEvent) {
	t.Helper()
	want := httpReference(t)
	g := comparable(got)
	var streams []string
	for s := range want {
		streams = append(streams, s)
	}
	for s := range g {
		if _, ok := want[s]; !ok {
			streams = append(streams, s)
		}
	}
	sort.Strings(streams)
	alarms := 0
	for _, s := range streams {
		if strings.HasPrefix(s, "alarm-") {
			alarms++
		}
		if !slices.Equal(g[s], want[s]) {
			i := 0
			for i < len(g[s]) && i < len(want[s]) && g[s][i] == want[s][i] {
				i++
			}
			t.Errorf("stream %s differs from the HTTP reference (%d events, want %d) from event %d:\ngot  %v\nwant %v",
				s, len(g[s]), len(want[s]), i, clipList(g[s][i:]), clipList(want[s][i:]))
		}
	}
	if alarms < 5 {
		t.Errorf("only %d alarm streams: the storm should raise more", alarms)
	}
}

func clipList(l []string) []string {
	out := make([]string, 0, len(l))
	for _, s := range l {
		if len(s) > 600 {
			s = s[:600] + "…"
		}
		out = append(out, s)
	}
	if len(out) > 3 {
		out = append(out[:3], "…")
	}
	return out
}

var (
	httpRefOnce sync.Once
	httpRef     map[string][]string
	httpRefErr  string
)

// httpReference is the log of the reference storm posted over HTTP one reading per request, as a
// field gateway (or an MQTT message, or an OPC-UA data change of one value per sensor) delivers
// it: alarms decided from readings learnt together depend on how they were grouped (late
// episodes, docs/alarms.md §6), so the grouping is the same on every road.
func httpReference(t *testing.T) map[string][]string {
	t.Helper()
	httpRefOnce.Do(func() {
		ok := t.Run("http-reference", func(t *testing.T) {
			rows := readStorm(t, referenceStorm)
			data := t.TempDir()
			key := createKey(t, data, "gateway")
			srv := startServer(t, "--config", "../../examples/nimes.yaml", "--data", data, "--public-read")
			ctx := context.Background()
			for i, r := range rows {
				body := fmt.Sprintf(`[{"sensor":%q,"time":%q,"value":%v}]`, r.Sensor, r.Time.Format(time.RFC3339), r.Value)
				if code, resp, err := post(ctx, srv.base, key, "application/json", []byte(body)); err != nil || code != 200 {
					t.Fatalf("post reading %d: %d %s %v", i, code, resp, err)
				}
			}
			httpRef = comparable(settled(t, srv, rows, time.Minute))
			srv.stop(t)
		})
		if !ok {
			httpRefErr = "the HTTP reference run failed"
		}
	})
	if httpRefErr != "" {
		t.Fatal(httpRefErr)
	}
	return httpRef
}

// --- MQTT ---

// mqttPublisher is a gateway publishing at QoS 1, reconnecting after a broker restart.
type mqttPublisher struct {
	t    *testing.T
	addr string
	c    *paho.Client
}

func (p *mqttPublisher) publish(topic, payload string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	for ctx.Err() == nil {
		if p.c == nil {
			var conn net.Conn
			if conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", p.addr); err != nil {
				time.Sleep(100 * time.Millisecond) // the broker is restarting
				continue
			}
			c := paho.NewClient(paho.ClientConfig{Conn: conn, ClientID: "vigie-test-gw-" + fieldRandomID(p.t)})
			if _, err = c.Connect(ctx, &paho.Connect{CleanStart: true, KeepAlive: 30}); err != nil {
				conn.Close()
				continue
			}
			p.c = c
		}
		if _, err = p.c.Publish(ctx, &paho.Publish{QoS: 1, Topic: topic, Payload: []byte(payload)}); err == nil {
			return
		}
		_ = p.c.Disconnect(&paho.Disconnect{})
		p.c = nil
	}
	p.t.Fatalf("publish to %s: %v", topic, err)
}

func (p *mqttPublisher) close() {
	if p.c != nil {
		_ = p.c.Disconnect(&paho.Disconnect{})
		p.c = nil
	}
}

// stormTopic is where a gateway publishes a sensor's readings: <prefix>/dams/<dam>/<rest of id>.
func stormTopic(prefix, sensorID string) string {
	d, s, _ := strings.Cut(sensorID, ".")
	return prefix + "/dams/" + d + "/" + s
}

func stormPayload(r stormRow) string {
	return fmt.Sprintf(`{"time":%q,"value":%v}`, r.Time.Format(time.RFC3339), r.Value)
}

func mqttBlock(broker, clientID, prefix string) string {
	return fmt.Sprintf(`  unreachable_after: 2s
  mqtt:
    broker: mqtt://%s
    client_id: %s
    session_expiry: 10m
    reconnect_min: 200ms
    reconnect_max: 1s
    subscriptions:
      - {topic: "%s/dams/{dam}/{sensor}", sensor: "{dam}.{sensor}"}
`, broker, clientID, prefix)
}

func TestReferenceStormThroughMQTT(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	addr := os.Getenv("VIGIE_TEST_MQTT")
	if addr == "" {
		addr = "127.0.0.1:1883"
	}
	if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err != nil {
		t.Fatalf("no MQTT broker at %s (run scripts/setup.d/mosquitto.sh): %v", addr, err)
	} else {
		c.Close()
	}
	httpReference(t)
	rows := readStorm(t, referenceStorm)
	id := fieldRandomID(t)
	prefix, clientID := "vigie-test-"+id, "vigie-test-storm-"+id
	srv := startServer(t, "--config", fieldConfig(t, mqttBlock(addr, clientID, prefix)), "--data", t.TempDir(), "--public-read")
	waitFor(t, 20*time.Second, "Vigie subscribed", func() bool { return strings.Contains(srv.Logs(), "subscribed") })

	pub := &mqttPublisher{t: t, addr: addr}
	defer pub.close()
	for i, r := range rows {
		if i%200 == 199 {
			// The machine's broker keeps at most max_queued_messages (Mosquitto's default: 1000)
			// for a subscriber and drops the rest (docs/field.md): publish no faster than Vigie
			// stores, as gateways of a real site do.
			waitFor(t, time.Minute, "Vigie to keep up", func() bool { return countReadings(logEvents(t, srv)) >= i-400 })
		}
		pub.publish(stormTopic(prefix, r.Sensor), stormPayload(r))
	}
	events := settled(t, srv, rows, time.Minute)
	sameAsHTTP(t, events)
	for _, e := range events {
		if strings.Contains(e.Stream, "endpoint_unreachable") {
			t.Errorf("a connectivity alarm on a storm without outage: %s %s", e.Type, e.Data)
		}
	}
	srv.stop(t)
	dropMQTTSession(addr, clientID)
}

// dropMQTTSession removes the test's persistent session from the shared broker.
func dropMQTTSession(addr, clientID string) {
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

// privateBroker is a Mosquitto of the test's own, with persistence, that it stops and restarts
// (as adapters/mqtt's peer tests do).
type privateBroker struct {
	t    *testing.T
	bin  string
	addr string
	conf string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

func startPrivateBroker(t *testing.T) *privateBroker {
	t.Helper()
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		if _, e := os.Stat("/usr/sbin/mosquitto"); e == nil {
			bin, err = "/usr/sbin/mosquitto", nil
		}
	}
	if err != nil {
		t.Fatalf("mosquitto is not installed (run scripts/setup.d/mosquitto.sh): %v", err)
	}
	port := freePort(t)
	dir := t.TempDir()
	conf := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 100000\nlog_dest stderr\n", port, dir)
	if os.Geteuid() == 0 {
		conf += "user root\n"
	}
	b := &privateBroker{t: t, bin: bin, addr: "127.0.0.1:" + strconv.Itoa(port), conf: filepath.Join(dir, "mosquitto.conf")}
	if err := os.WriteFile(b.conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	b.start()
	t.Cleanup(func() {
		if b.cmd != nil {
			b.stop()
		}
	})
	return b
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (b *privateBroker) start() {
	b.t.Helper()
	b.out = &bytes.Buffer{}
	b.cmd = exec.Command(b.bin, "-c", b.conf)
	b.cmd.Stdout, b.cmd.Stderr = b.out, b.out
	if err := b.cmd.Start(); err != nil {
		b.t.Fatalf("start mosquitto: %v", err)
	}
	b.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(b.cmd, b.done)
	waitFor(b.t, 10*time.Second, "mosquitto on "+b.addr, func() bool {
		c, err := net.Dial("tcp", b.addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// stop ends the broker as a service manager does: SIGTERM, on which Mosquitto saves its sessions
// and queues (a SIGKILL loses what it received since its last autosave: the broker's limit, not
// Vigie's, docs/field.md).
func (b *privateBroker) stop() {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.done
	}
	b.cmd = nil
}

// alarmEvents returns the types of the events of a source alarm stream, without the cascade's
// escalations (a high technical alarm pages the on-call operator like any other).
func alarmEvents(events []logEvent, alarmID string) []string {
	var out []string
	for _, e := range events {
		if e.Stream == "alarm-"+alarmID && e.Type != "alarm.escalated" {
			out = append(out, e.Type)
		}
	}
	return out
}

func TestMQTTBrokerRestartMidStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	httpReference(t)
	rows := readStorm(t, referenceStorm)
	broker := startPrivateBroker(t)
	srv := startServer(t, "--config", fieldConfig(t, mqttBlock(broker.addr, "vigie-restart", "field")), "--data", t.TempDir(), "--public-read")
	waitFor(t, 20*time.Second, "Vigie subscribed", func() bool { return strings.Contains(srv.Logs(), "subscribed") })

	pub := &mqttPublisher{t: t, addr: broker.addr}
	defer pub.close()
	half := len(rows) / 2
	for _, r := range rows[:half] {
		pub.publish(stormTopic("field", r.Sensor), stormPayload(r))
	}
	// Stopped at once: what the broker holds for Vigie is in its persistence.
	broker.stop()
	pub.close()
	const alarmID = "mejean~endpoint_unreachable:mqtt:mqtt~1"
	waitFor(t, 30*time.Second, "the connectivity alarm", func() bool {
		return slices.Contains(alarmEvents(logEvents(t, srv), alarmID), "alarm.raised")
	})
	broker.start()
	for _, r := range rows[half:] {
		pub.publish(stormTopic("field", r.Sensor), stormPayload(r))
	}
	events := settled(t, srv, rows, 2*time.Minute)
	waitFor(t, 30*time.Second, "the connectivity alarm to clear", func() bool {
		events = logEvents(t, srv)
		return slices.Contains(alarmEvents(events, alarmID), "alarm.returned_to_normal")
	})
	for _, d := range []string{"mejean", "bassin-nord", "barrage-est"} {
		if got := alarmEvents(events, d+"~endpoint_unreachable:mqtt:mqtt~1"); !slices.Equal(got, []string{"alarm.raised", "alarm.returned_to_normal"}) {
			t.Errorf("connectivity alarm of %s: %v, want raised then returned to normal", d, got)
		}
	}
	sameAsHTTP(t, events)
	srv.stop(t)
}

// --- OPC-UA ---

// opcuaStormServer is a node-opcua server (testdata/opcua-storm.js) serving one variable per
// sensor, set by the test.
type opcuaStormServer struct {
	t     *testing.T
	port  int
	pki   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}
	out   *bytes.Buffer
	mu    *sync.Mutex
}

func opcuaModules(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed: the OPC-UA acceptance test needs node-opcua (scripts/setup.d/opcua.sh): %v", err)
	}
	dir, err := filepath.Abs("../../adapters/opcua/testdata/server/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node-opcua")); err != nil {
		t.Fatalf("node-opcua is not installed (run scripts/setup.d/opcua.sh): %v", err)
	}
	return dir
}

func startOPCUAStorm(t *testing.T, sensors []string) *opcuaStormServer {
	t.Helper()
	s := &opcuaStormServer{t: t, port: freePort(t), pki: t.TempDir(), mu: &sync.Mutex{}}
	s.start(sensors)
	t.Cleanup(func() { s.kill() })
	return s
}

func (s *opcuaStormServer) start(sensors []string) {
	s.t.Helper()
	modules := opcuaModules(s.t)
	s.cmd = exec.Command("node", append([]string{"testdata/opcua-storm.js", strconv.Itoa(s.port), s.pki}, sensors...)...)
	s.cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	stdin, err := s.cmd.StdinPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	s.out = &bytes.Buffer{}
	s.cmd.Stderr = &lockedWriter{w: s.out, mu: s.mu}
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.stdin, s.done = stdin, make(chan struct{})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "READY") {
				close(ready)
			}
		}
	}()
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(s.cmd, s.done)
	select {
	case <-ready:
	case <-s.done:
		s.t.Fatalf("the node-opcua server exited: %s", s.output())
	case <-time.After(60 * time.Second):
		s.t.Fatalf("the node-opcua server did not start: %s", s.output())
	}
}

func (s *opcuaStormServer) output() string { s.mu.Lock(); defer s.mu.Unlock(); return s.out.String() }

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (s *opcuaStormServer) set(r stormRow) {
	s.t.Helper()
	if _, err := fmt.Fprintf(s.stdin, "%s %s %v\n", r.Sensor, r.Time.Format(time.RFC3339), r.Value); err != nil {
		s.t.Fatalf("set %s: %v (%s)", r.Sensor, err, s.output())
	}
}

// kill ends the server as a crash or a power cut would.
func (s *opcuaStormServer) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
		s.cmd = nil
	}
}

func TestReferenceStormThroughOPCUAWithAServerCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	opcuaModules(t)
	httpReference(t)
	rows := readStorm(t, referenceStorm)
	sensors := []string{"mejean.level", "bassin-nord.level", "barrage-est.level"}
	plc := startOPCUAStorm(t, sensors)
	// Delays short enough for a test, long enough that a loaded CI machine (a race build, node and
	// the storm on two cores) does not read a slow heartbeat as an outage.
	block := fmt.Sprintf(`  unreachable_after: 3s
  opcua:
    endpoints:
      - name: storm
        url: opc.tcp://127.0.0.1:%d
        publishing_interval: 50ms
        sampling_interval: 10ms
        heartbeat: 1s
        request_timeout: 5s
        reconnect_min: 200ms
        reconnect_max: 1s
        nodes:
`, plc.port)
	for _, s := range sensors {
		block += fmt.Sprintf("          - {node: \"ns=1;s=%s\", sensor: %s}\n", s, s)
	}
	srv := startServer(t, "--config", fieldConfig(t, block), "--data", t.TempDir(), "--public-read")
	waitFor(t, 30*time.Second, "the OPC-UA session", func() bool { return strings.Contains(srv.Logs(), "OPC-UA session up") })

	// OPC-UA has no acknowledgement: a value changed twice between two publications is seen once.
	// The test sets each minute's values and waits for Vigie to record them before the next, as a
	// PLC sampling slower than Vigie's subscription would be seen.
	var steps [][]stormRow
	for _, r := range rows {
		if n := len(steps); n > 0 && steps[n-1][0].Time.Equal(r.Time) {
			steps[n-1] = append(steps[n-1], r)
		} else {
			steps = append(steps, []stormRow{r})
		}
	}
	const alarmID = "mejean~endpoint_unreachable:opcua:storm~1"
	var seen map[string]map[time.Time]float64
	var after uint64
	var log []logEvent
	for i, step := range steps {
		if i == len(steps)/2 {
			plc.kill()
			waitFor(t, 30*time.Second, "the connectivity alarm", func() bool {
				return slices.Contains(alarmEvents(logEvents(t, srv), alarmID), "alarm.raised")
			})
			plc.start(sensors)
		}
		for _, r := range step {
			plc.set(r)
		}
		waitFor(t, 30*time.Second, fmt.Sprintf("the readings of %s", step[0].Time.Format(time.RFC3339)), func() bool {
			var page struct {
				Events    []logEvent `json:"events"`
				NextAfter uint64     `json:"next_after"`
			}
			srv.getJSON(t, fmt.Sprintf("/api/v1/events?after=%d&limit=1000", after), &page)
			log = append(log, page.Events...)
			if page.NextAfter > after {
				after = page.NextAfter
			}
			seen = readingsOf(log)
			return allRecorded(seen, step)
		})
	}
	events := settled(t, srv, rows, time.Minute)
	waitFor(t, 30*time.Second, "the connectivity alarm to clear", func() bool {
		events = logEvents(t, srv)
		return slices.Contains(alarmEvents(events, alarmID), "alarm.returned_to_normal")
	})
	for _, d := range []string{"mejean", "bassin-nord", "barrage-est"} {
		if got := alarmEvents(events, d+"~endpoint_unreachable:opcua:storm~1"); !slices.Equal(got, []string{"alarm.raised", "alarm.returned_to_normal"}) {
			t.Errorf("connectivity alarm of %s: %v, want raised then returned to normal", d, got)
		}
	}
	sameAsHTTP(t, events)
	srv.stop(t)
}

// --- The API ---

func TestRefusedRequestsRaiseATechnicalAlarm(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	data := t.TempDir()
	key := createKey(t, data, "gateway")
	srv := startServer(t, "--config", fieldConfig(t, "  rejected_requests: {count: 5, window: 3s, severity: medium}\n"), "--data", data, "--public-read")
	ctx := context.Background()
	reading := []byte(`[{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1}]`)
	ghost := []byte(`[{"sensor":"ghost.level","time":"2025-10-10T02:00:00Z","value":1}]`)
	for range 5 {
		if code, _, err := post(ctx, srv.base, "not-a-key", "application/json", reading); err != nil || code != http.StatusUnauthorized {
			t.Fatalf("bad key: %d %v", code, err)
		}
		if code, _, err := post(ctx, srv.base, key, "application/json", ghost); err != nil || code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown sensor: %d %v", code, err)
		}
	}
	// A good request in between changes nothing, and is not counted.
	if code, body, err := post(ctx, srv.base, key, "application/json", reading); err != nil || code != 200 {
		t.Fatalf("good request: %d %s %v", code, body, err)
	}
	for _, id := range []string{"_system~unknown_sensor:addr:127.0.0.1~1", "_system~unknown_sensor:sensor:ghost.level~1"} {
		waitFor(t, 20*time.Second, id+" raised then cleared", func() bool {
			return slices.Equal(alarmEvents(logEvents(t, srv), id), []string{"alarm.raised", "alarm.returned_to_normal"})
		})
	}
	var alarm struct {
		Dam       string `json:"dam"`
		Condition string `json:"condition"`
		Class     string `json:"class"`
	}
	srv.getJSON(t, "/api/v1/alarms/_system~unknown_sensor:addr:127.0.0.1~1", &alarm)
	if alarm.Class != "technical" || alarm.Dam != "_system" {
		t.Errorf("alarm view: %+v", alarm)
	}
	srv.stop(t)
}

// A mistake only an adapter can see (a shared subscription) stops `vigie serve` with the line and
// column of the block, like any configuration mistake.
func TestFieldAdapterProblemsAreLocated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	cfg := fieldConfig(t, "  mqtt:\n    broker: mqtt://127.0.0.1:1\n    client_id: v\n    subscriptions: [{topic: \"$share/g/x\"}]\n")
	cmd := exec.Command(vigieBinary(t), "serve", "--addr", "127.0.0.1:0", "--config", cfg, "--data", t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("vigie serve accepted a shared subscription:\n%s", out)
	}
	base, _ := os.ReadFile("../../examples/nimes.yaml")
	line := bytes.Count(base, []byte("\n")) + 4 // a blank line, "field:", "  mqtt:", then its mapping
	if want := fmt.Sprintf("vigie.yaml:%d:5: field.mqtt: subscriptions[0]", line); !strings.Contains(string(out), want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
