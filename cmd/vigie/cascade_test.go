package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/sms/twilio"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
)

const (
	twilioSID   = "AC0123456789abcdef0123456789abcdef"
	twilioToken = "test-auth-token-of-the-local-gateway"
	// The reference policy waits 5 min per step and repeats the last every 10 min; the tests
	// run it with these waits instead (the same policy otherwise).
	testWait   = 4 * time.Second
	testRepeat = 30 * time.Second
)

// gatewaySMS is one message the local Twilio-compatible gateway accepted.
type gatewaySMS struct {
	To, Body string
	At       time.Time
}

// smsGateway is a local HTTP receiver speaking Twilio's Messages API, as the tests of the twilio
// adapter check it against Twilio's published OpenAPI (Prism): it checks the basic auth and the
// form, notes each message and answers 201 with a MessageSid.
type smsGateway struct {
	srv  *httptest.Server
	mu   sync.Mutex
	msgs []gatewaySMS
	// failing answers 500 to this many requests before taking messages again.
	failing int
	refused int
}

func newSMSGateway(t *testing.T) *smsGateway {
	g := &smsGateway{}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != twilioSID || pass != twilioToken {
			http.Error(w, `{"code":20003,"message":"Authenticate","status":401}`, http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+twilioSID+"/Messages.json" {
			http.Error(w, `{"code":20404,"message":"not found","status":404}`, http.StatusNotFound)
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("To") == "" || r.PostForm.Get("Body") == "" {
			http.Error(w, `{"code":21602,"message":"Message body is required","status":400}`, http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		if g.failing > 0 {
			g.failing--
			g.refused++
			g.mu.Unlock()
			http.Error(w, `{"code":20500,"message":"Internal Server Error","status":500}`, http.StatusInternalServerError)
			return
		}
		n := len(g.msgs)
		g.msgs = append(g.msgs, gatewaySMS{To: r.PostForm.Get("To"), Body: r.PostForm.Get("Body"), At: time.Now()})
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"sid":"SM%032d","status":"queued"}`, n)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

// about returns the messages whose text carries code (one alarm's messages).
func (g *smsGateway) about(code string) []gatewaySMS {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []gatewaySMS
	for _, m := range g.msgs {
		if strings.Contains(m.Body, code) {
			out = append(out, m)
		}
	}
	return out
}

// cascadeConfig is the reference configuration with the tests' waits and the local gateway.
func cascadeConfig(t *testing.T, gatewayURL string, extra ...string) string {
	t.Helper()
	src, err := os.ReadFile("../../examples/nimes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	if strings.Count(s, "wait_for_ack: 5m") != 2 || !strings.Contains(s, "repeat_last_every: 10m") {
		t.Fatal("examples/nimes.yaml no longer has the reference policy's waits")
	}
	s = strings.ReplaceAll(s, "wait_for_ack: 5m", "wait_for_ack: "+testWait.String())
	s = strings.ReplaceAll(s, "repeat_last_every: 10m", "repeat_last_every: "+testRepeat.String())
	s = withoutBlock(s, "notifications:")
	s += fmt.Sprintf(`
notifications:
  ack_links:
    secret_env: VIGIE_TEST_ACK_SECRET
  sms:
    provider: twilio
    twilio:
      account_sid: %s
      auth_token_env: VIGIE_TEST_TWILIO_TOKEN
      from: "+33700000000"
      status_callback: false
      base_url: %s
  delivery:
    attempt_budget: 5s
    backoff: {initial: 200ms, max: 1s}
%s`, twilioSID, gatewayURL, strings.Join(extra, ""))
	path := filepath.Join(t.TempDir(), "vigie.yaml")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// withoutBlock removes a top-level block of a YAML file: its key's line and the indented or
// comment lines after it.
func withoutBlock(src, key string) string {
	var out []string
	in := false
	for _, line := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(line, key):
			in = true
			continue
		case in && (line == "" || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "#")):
			continue
		}
		in = false
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// cascadeRun is a vigie serve paging through a local SMS gateway.
type cascadeRun struct {
	gw                *smsGateway
	srv               *server
	data, key, config string
}

// startCascade sets the channels' secrets, starts the gateway (failing its first requests
// when failing > 0) and vigie serve on a new data folder; extra is appended to the notifications.
func startCascade(t *testing.T, failing int, extra ...string) *cascadeRun {
	t.Helper()
	t.Setenv("VIGIE_TEST_TWILIO_TOKEN", twilioToken)
	t.Setenv("VIGIE_TEST_ACK_SECRET", strings.Repeat("s3cr3t-", 8))
	r := &cascadeRun{gw: newSMSGateway(t), data: t.TempDir()}
	r.gw.failing = failing
	r.key = createKey(t, r.data, "gateway")
	r.config = cascadeConfig(t, r.gw.srv.URL, extra...)
	r.srv = startServer(t, "--config", r.config, "--data", r.data, "--public-read")
	return r
}

// postLiveStorm posts the reference storm's mejean readings up to its first reading at or over
// the alerte level (6 m), shifted so that this reading is 20 s old: the alarm is live, the
// crossings before it (vigilance) are late and page nobody (severity medium).
func postLiveStorm(t *testing.T, base, key string) {
	t.Helper()
	var rows []stormRow
	for _, r := range readStorm(t, referenceStorm) {
		if r.Sensor == "mejean.level" && r.Injected != "spike" {
			rows = append(rows, r)
		}
	}
	cross := slices.IndexFunc(rows, func(r stormRow) bool { return r.Value >= 6 })
	if cross < 0 {
		t.Fatal("the reference storm never reaches 6 m on mejean")
	}
	shift := time.Now().Add(-20 * time.Second).Sub(rows[cross].Time)
	var batch []map[string]any
	for _, r := range rows[:cross+1] {
		batch = append(batch, map[string]any{"sensor": r.Sensor, "time": r.Time.Add(shift).Format(time.RFC3339Nano), "value": r.Value})
	}
	body, _ := json.Marshal(batch)
	code, resp, err := post(context.Background(), base, key, "application/json", body)
	if err != nil || code != 200 {
		t.Fatalf("post the storm: %d %s %v", code, resp, err)
	}
}

// cascadeEvent is an event of the log as GET /api/v1/events returns it.
type cascadeEvent struct {
	Position   uint64                 `json:"position"`
	Stream     string                 `json:"stream"`
	Type       string                 `json:"type"`
	Data       json.RawMessage        `json:"data"`
	Metadata   struct{ Actor string } `json:"metadata"`
	RecordedAt time.Time              `json:"recorded_at"`
}

func (s *server) events(t *testing.T, stream string) []cascadeEvent {
	t.Helper()
	var out []cascadeEvent
	for after := 0; ; {
		var page struct {
			Events    []cascadeEvent `json:"events"`
			NextAfter int            `json:"next_after"`
		}
		s.getJSON(t, fmt.Sprintf("/api/v1/events?after=%d&limit=1000", after), &page)
		for _, e := range page.Events {
			if e.Stream == stream {
				out = append(out, e)
			}
		}
		if len(page.Events) == 0 || page.NextAfter <= after {
			return out
		}
		after = page.NextAfter
	}
}

func typesOf(evs []cascadeEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

// replySMS delivers an operator's reply through the inbound webhook, signed as the gateway signs.
func replySMS(t *testing.T, base, from, text string) {
	t.Helper()
	form := url.Values{"From": {from}, "To": {"+33700000000"}, "Body": {text}, "MessageSid": {"SMreply" + fmt.Sprint(time.Now().UnixNano())}, "AccountSid": {twilioSID}}
	// The gateway calls the public address (site.public_url, behind a reverse proxy) and signs
	// that URL; the request reaches the server on its own address.
	full := publicURL + "/api/v1/webhooks/sms/inbound"
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/webhooks/sms/inbound", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, twilio.Signature(twilioToken, full, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("inbound SMS webhook: %d", resp.StatusCode)
	}
}

// publicURL is examples/nimes.yaml's site.public_url.
const publicURL = "https://vigie.nimes.example.org"

var operatorPhones = map[string]string{"+33600000001": "op-durand", "+33600000002": "op-martin", "+33600000003": "op-bernard"}

// The acceptance of issue #4 on the reference storm: the alerte alarm on mejean pages the on-call
// operator by SMS (and voice); with no acknowledgement the next operator is paged after the wait;
// an SMS reply acknowledges the alarm and stops the cascade; the log tells it all, with times.
func TestCascadeOnTheReferenceStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	run := startCascade(t, 0)
	gw, srv, key := run.gw, run.srv, run.key

	const id = alarm.ID("mejean~level:alerte~1")
	code := cascade.ReplyCode(id)
	postLiveStorm(t, srv.base, key)

	waitFor(t, 15*time.Second, "step 1's SMS at the gateway", func() bool { return len(gw.about(code)) >= 1 })
	first := gw.about(code)[0]
	oncall := operatorPhones[first.To]
	if oncall != "op-durand" && oncall != "op-martin" {
		t.Fatalf("step 1 paged %s (%s), want the on-call operator of the rotation", first.To, oncall)
	}
	if !strings.Contains(first.Body, "OK "+code) {
		t.Errorf("SMS %q does not tell how to acknowledge (OK %s)", first.Body, code)
	}
	if !strings.Contains(first.Body, publicURL+"/ack?t=") || strings.Contains(first.Body, cascade.LinkPlaceholder) {
		t.Errorf("SMS %q lacks its signed acknowledgement link", first.Body)
	}

	waitFor(t, testWait+10*time.Second, "step 2's SMS at the gateway", func() bool { return len(gw.about(code)) >= 2 })
	second := gw.about(code)[1]
	next := operatorPhones[second.To]
	if next == oncall || (next != "op-durand" && next != "op-martin") {
		t.Fatalf("step 2 paged %s (%s) after %s: want the next operator of the rotation", second.To, next, oncall)
	}
	if gap := second.At.Sub(first.At); gap < testWait-500*time.Millisecond || gap > testWait+1500*time.Millisecond {
		t.Errorf("step 2 came %s after step 1, want the configured wait %s", gap, testWait)
	}

	replySMS(t, srv.base, second.To, "ok "+code)
	var stream []cascadeEvent
	waitFor(t, 10*time.Second, "the cascade stopped", func() bool {
		stream = srv.events(t, "cascade-"+string(id))
		return slices.Contains(typesOf(stream), "cascade.stopped")
	})
	time.Sleep(testWait + time.Second) // the time step 3 would have come: nobody else is paged
	if n := len(gw.about(code)); n != 2 {
		t.Errorf("%d SMS after the acknowledgement, want 2", n)
	}

	alarmEvents := srv.events(t, "alarm-"+string(id))
	ack := slices.IndexFunc(alarmEvents, func(e cascadeEvent) bool { return e.Type == "alarm.acknowledged" })
	if ack < 0 {
		t.Fatalf("the alarm was not acknowledged: %v", typesOf(alarmEvents))
	}
	var acked struct {
		By  string `json:"by"`
		Via string `json:"via"`
	}
	json.Unmarshal(alarmEvents[ack].Data, &acked)
	if acked.By != next || acked.Via != "sms" {
		t.Errorf("acknowledged by %s via %s, want %s via sms", acked.By, acked.Via, next)
	}
	escalated := 0
	for _, e := range alarmEvents {
		if e.Type == "alarm.escalated" {
			escalated++
		}
	}
	if escalated != 2 {
		t.Errorf("alarm escalated %d times, want 2 (steps 1 and 2)", escalated)
	}

	// The story in the log: started, step 1 (SMS and voice to the on-call operator; no voice
	// channel here, so the call fails for good with the reason), step 2 the same to the next
	// operator, stopped on the acknowledgement, last. Outcomes arrive in any order.
	got := typesOf(stream)
	if len(got) < 3 || got[0] != "cascade.started" || got[1] != "cascade.step_started" || got[len(got)-1] != "cascade.stopped" {
		t.Fatalf("cascade stream %v: want started, step 1, ..., stopped", got)
	}
	counts := map[string]int{}
	for _, typ := range got {
		counts[typ]++
	}
	for typ, n := range map[string]int{"cascade.step_started": 2, "cascade.notification_requested": 4, "cascade.notification_sent": 2, "cascade.notification_failed": 2, "cascade.stopped": 1} {
		if counts[typ] != n {
			t.Errorf("%d %s in the cascade stream, want %d: %v", counts[typ], typ, n, got)
		}
	}
	for i := 1; i < len(stream); i++ {
		if stream[i].RecordedAt.Before(stream[i-1].RecordedAt) {
			t.Errorf("the log's times go backwards at %d: %v", i, got)
		}
	}
	var stopped struct {
		Reason string `json:"reason"`
		By     string `json:"by"`
	}
	json.Unmarshal(stream[len(stream)-1].Data, &stopped)
	if stopped.Reason != "acknowledged" || stopped.By != next {
		t.Errorf("stopped %+v, want acknowledged by %s", stopped, next)
	}
	for _, e := range stream {
		if e.Type == "cascade.notification_failed" && !strings.Contains(string(e.Data), "no voice channel") {
			t.Errorf("failed notification without its reason: %s", e.Data)
		}
	}

	// The alarm's page tells who was paged and how.
	var view struct {
		Cascade struct {
			Running       bool
			StopReason    string `json:"stop_reason"`
			Notifications []struct{ Operator, Channel, Status string }
		} `json:"cascade"`
	}
	srv.getJSON(t, "/api/v1/alarms/"+url.PathEscape(string(id)), &view)
	if view.Cascade.Running || view.Cascade.StopReason != "acknowledged" || len(view.Cascade.Notifications) < 4 {
		t.Errorf("alarm view's cascade %+v", view.Cascade)
	}
}

// indexSeq is where want starts in got as a contiguous run, or -1.
func indexSeq(got, want []string) int {
	for i := 0; i+len(want) <= len(got); i++ {
		if slices.Equal(got[i:i+len(want)], want) {
			return i
		}
	}
	return -1
}

// Kill -9 during the wait: after a restart the next step fires at its planned time (± 1 s), and
// nothing already sent is sent again.
func TestCascadeSurvivesKill9DuringTheWait(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	run := startCascade(t, 0)
	gw, srv, key, data, cfg := run.gw, run.srv, run.key, run.data, run.config

	const id = alarm.ID("mejean~level:alerte~1")
	code := cascade.ReplyCode(id)
	postLiveStorm(t, srv.base, key)
	var stream []cascadeEvent
	waitFor(t, 15*time.Second, "step 1 sent", func() bool {
		stream = srv.events(t, "cascade-"+string(id))
		return slices.Contains(typesOf(stream), "cascade.notification_sent")
	})
	var due time.Time
	for _, e := range stream {
		if e.Type == "cascade.step_scheduled" {
			var s struct {
				DueAt time.Time `json:"due_at"`
			}
			json.Unmarshal(e.Data, &s)
			due = s.DueAt
		}
	}
	if due.IsZero() {
		t.Fatalf("no timer in %v", typesOf(stream))
	}
	srv.kill()
	restarted := startServer(t, "--config", cfg, "--data", data, "--public-read")
	waitFor(t, time.Until(due)+10*time.Second, "step 2 after the restart", func() bool { return len(gw.about(code)) >= 2 })
	second := gw.about(code)[1]
	if late := second.At.Sub(due); late < -100*time.Millisecond || late > time.Second {
		t.Errorf("step 2 reached the gateway %s after its planned time %s, want within 1 s", late, due.Format(time.RFC3339Nano))
	}
	time.Sleep(500 * time.Millisecond)
	sent := map[string]int{}
	for _, m := range gw.about(code) {
		sent[m.To]++
	}
	for to, n := range sent {
		if n != 1 {
			t.Errorf("%s got %d SMS about the alarm, want 1 (nothing sent twice): %v", to, n, sent)
		}
	}
	_ = restarted
}

// An SMS gateway answering 500 for a while: the pipeline retries with back-off until it takes the
// message, which reaches the operator once; the log has one request and one sent for it.
func TestCascadeRetriesAFailingGateway(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	run := startCascade(t, 3)
	gw, srv, key := run.gw, run.srv, run.key
	const id = alarm.ID("mejean~level:alerte~1")
	code := cascade.ReplyCode(id)
	postLiveStorm(t, srv.base, key)
	waitFor(t, 15*time.Second, "step 1's SMS through the failing gateway", func() bool { return len(gw.about(code)) >= 1 })
	gw.mu.Lock()
	refused := gw.refused
	gw.mu.Unlock()
	if refused != 3 {
		t.Errorf("the gateway refused %d requests, want the 3 it failed", refused)
	}
	var stream []cascadeEvent
	waitFor(t, 10*time.Second, "the SMS recorded as sent", func() bool {
		stream = srv.events(t, "cascade-"+string(id))
		return slices.Contains(typesOf(stream), "cascade.notification_sent")
	})
	sms := 0
	for _, e := range stream {
		if e.Type == "cascade.notification_requested" && strings.Contains(string(e.Data), `"channel":"sms"`) {
			sms++
		}
	}
	if sms != 1 || len(gw.about(code)) != 1 {
		t.Errorf("%d SMS requests, %d at the gateway: want one of each (no duplicate after recovery)", sms, len(gw.about(code)))
	}
}

// sippPhone runs SIPp as the PBX and the phone behind it: it answers the first call and, half a
// second later, presses 1 (the RFC 4733 packets of SIPp's dtmf_2833_1.pcap, whose first packet
// has duration 0: the trap docs/voice.md tells). It returns the address to give as the proxy.
func sippPhone(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../adapters/notify/voice/testdata/sipp/dtmf.xml")
	if err != nil {
		t.Fatal(err)
	}
	scenario := filepath.Join(t.TempDir(), "dtmf.xml")
	text := strings.ReplaceAll(string(raw), "[pcap]", "/usr/share/sip-tester/dtmf_2833_1.pcap")
	if err := os.WriteFile(scenario, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	port, media := freeUDPPort(t), freeUDPPort(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", fmt.Sprint(port), "-mi", "127.0.0.1", "-mp", fmt.Sprint(media),
		"-t", "u1", "-m", "1", "-nostdin", "-timeout", "120s")
	out := &strings.Builder{}
	var mu sync.Mutex
	cmd.Stdout, cmd.Stderr = &lockedWriter{w: out, mu: &mu}, &lockedWriter{w: out, mu: &mu}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start sipp (scripts/setup.d/voice.sh installs it): %v", err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			mu.Lock()
			t.Logf("sipp:\n%s", out.String())
			mu.Unlock()
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	waitFor(t, 10*time.Second, "sipp listening", func() bool {
		pc, err := net.ListenPacket("udp", addr)
		if err == nil {
			pc.Close()
		}
		return err != nil
	})
	return addr
}

func freeUDPPort(t *testing.T) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// The on-call operator answers the call and presses 1: the alarm is acknowledged via voice by
// that operator, the cascade stops, and nobody else is paged.
func TestCascadeVoiceCallAcknowledges(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	pbx := sippPhone(t)
	run := startCascade(t, 0, fmt.Sprintf(`  voice:
    provider: sip
    sip: {proxy: "%s", transport: udp, user: vigie, from: "+33466000000", bind: 127.0.0.1}
`, pbx))
	gw, srv, key := run.gw, run.srv, run.key
	const id = alarm.ID("mejean~level:alerte~1")
	postLiveStorm(t, srv.base, key)

	var alarmEvents []cascadeEvent
	waitFor(t, 30*time.Second, "the alarm acknowledged from the call", func() bool {
		alarmEvents = srv.events(t, "alarm-"+string(id))
		return slices.Contains(typesOf(alarmEvents), "alarm.acknowledged")
	})
	var acked struct{ By, Via string }
	for _, e := range alarmEvents {
		if e.Type == "alarm.acknowledged" {
			json.Unmarshal(e.Data, &acked)
		}
	}
	sms := gw.about(cascade.ReplyCode(id))
	if len(sms) != 1 || acked.Via != "voice" || acked.By != operatorPhones[sms[0].To] {
		t.Fatalf("acknowledged by %q via %q; step 1's SMS %v: want the on-call operator, via voice", acked.By, acked.Via, sms)
	}
	var stream []cascadeEvent
	waitFor(t, 10*time.Second, "the cascade stopped", func() bool {
		stream = srv.events(t, "cascade-"+string(id))
		return slices.Contains(typesOf(stream), "cascade.stopped")
	})
	time.Sleep(testWait + time.Second) // step 2's time: nobody else is paged
	if n := len(gw.about(cascade.ReplyCode(id))); n != 1 {
		t.Errorf("%d SMS, want step 1's only", n)
	}
}
