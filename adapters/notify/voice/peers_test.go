package voice_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/voice"
)

// Real peers of the voice tests (installed by scripts/setup.d/voice.sh): baresip as the operator's
// phone, SIPp for scripted callees. A missing peer fails the test: CI must have it.

func need(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (run scripts/setup.d/voice.sh): %v", tool, err)
		}
	}
}

// freePort returns a port the OS just gave on 127.0.0.1 for both TCP and UDP, and took back.
func freePort(t testing.TB) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("listen: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		_ = l.Close()
		if err == nil {
			_ = u.Close()
			return port
		}
	}
	t.Fatal("no port free for both TCP and UDP")
	return 0
}

// freeSIPPort returns a port p for baresip's sip_listen: it binds p for UDP and TCP, and p+1 for
// SIP over TLS (baresip 1.0 cannot be told not to), so both must be free, and differ from avoid.
func freeSIPPort(t testing.TB, avoid int) int {
	t.Helper()
	free := func(port int) bool {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return false
		}
		defer l.Close()
		u, err := net.ListenPacket("udp", addr)
		if err != nil {
			return false
		}
		return u.Close() == nil
	}
	for range 50 {
		p := freePort(t)
		if p < 65535 && p != avoid && p+1 != avoid && free(p+1) {
			return p
		}
	}
	t.Fatal("no two consecutive ports free for baresip")
	return 0
}

// syncBuffer is a bytes.Buffer safe for a process writing and a test reading.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventually polls cond every 20 ms until it holds or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var (
	voiceOnce sync.Once
	voiceWAV  string // "Allô ?" then 10 minutes of silence, 8 kHz mono 16-bit
	voiceErr  error
)

// helloThenSilence returns a WAV the phone speaks into the call: a person answering "Allô ?",
// then listening. It is long because baresip hangs up when its audio source ends.
func helloThenSilence(t testing.TB) string {
	t.Helper()
	need(t, "espeak-ng", "sox")
	voiceOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vigie-voice-")
		if err != nil {
			voiceErr = err
			return
		}
		hello := filepath.Join(dir, "hello.wav")
		voiceWAV = filepath.Join(dir, "hello-then-silence.wav")
		for _, args := range [][]string{
			{"espeak-ng", "-v", "fr", "-w", hello + ".22k.wav", "Allô ?"},
			{"sox", hello + ".22k.wav", "-r", "8000", "-c", "1", "-b", "16", hello},
			{"sox", hello, voiceWAV, "pad", "0", "600"},
		} {
			if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
				voiceErr = fmt.Errorf("%v: %w\n%s", args, err, out)
				return
			}
		}
	})
	if voiceErr != nil {
		t.Fatalf("prepare the phone's voice: %v", voiceErr)
	}
	return voiceWAV
}

// silentWAV writes 10 minutes of digital silence: a line that answers and says nothing.
func silentWAV(t testing.TB) string {
	t.Helper()
	need(t, "sox")
	p := filepath.Join(t.TempDir(), "silence.wav")
	if out, err := exec.Command("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", p, "trim", "0", "600").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	return p
}

// phone is a baresip 1.0 user agent: auto-answer, on 127.0.0.1 only, no sound card (the alsa
// "null" device), speaking a WAV file into calls, recording what it hears (the sndfile module
// writes the decoded audio of each call), driven through its ctrl_tcp module.
type phone struct {
	User    string // the number it answers
	Addr    string // its SIP address, 127.0.0.1:port
	dir     string
	out     *syncBuffer
	ctrl    net.Conn
	events  chan map[string]any
	replies chan map[string]any
}

// startPhone runs baresip until t's cleanup. source is what the phone says (a WAV file).
func startPhone(t *testing.T, source string) *phone {
	t.Helper()
	need(t, "baresip")
	dir := t.TempDir()
	ctrlPort := freePort(t)
	sipPort := freeSIPPort(t, ctrlPort)
	p := &phone{User: "0612345678", Addr: fmt.Sprintf("127.0.0.1:%d", sipPort), dir: dir, out: &syncBuffer{},
		events: make(chan map[string]any, 64), replies: make(chan map[string]any, 16)}
	if err := os.MkdirAll(filepath.Join(dir, "heard"), 0o755); err != nil {
		t.Fatal(err)
	}
	config := strings.Join([]string{
		"poll_method epoll",
		"sip_listen " + p.Addr,
		"net_interface 127.0.0.1",
		"module_path /usr/lib/baresip/modules",
		"module g711.so",
		"module aufile.so",
		"module alsa.so",
		"module sndfile.so",
		"module_app account.so",
		"module_app menu.so",
		"module_app ctrl_tcp.so",
		fmt.Sprintf("ctrl_tcp_listen 127.0.0.1:%d", ctrlPort),
		"audio_player alsa,null",
		"audio_alert alsa,null",
		"audio_source aufile," + source,
		"snd_path " + filepath.Join(dir, "heard"),
		"rtp_timeout 0",
		"",
	}, "\n")
	files := map[string]string{
		"config":   config,
		"accounts": fmt.Sprintf("<sip:%s@127.0.0.1>;regint=0;answermode=auto\n", p.User),
		"contacts": "",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "baresip", "-f", dir)
	cmd.Stdout, cmd.Stderr = p.out, p.out
	stdin, err := cmd.StdinPipe() // baresip exits when its standard input closes
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start baresip: %v", err)
	}
	t.Cleanup(func() {
		if p.ctrl != nil {
			_ = p.ctrl.Close()
		}
		cancel()
		_ = stdin.Close()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("baresip output:\n%s", p.out.String())
		}
	})
	eventually(t, 10*time.Second, "baresip ready", func() bool {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", ctrlPort))
		if err != nil {
			return false
		}
		p.ctrl = c
		return true
	})
	go p.readControl()
	return p
}

// readControl reads ctrl_tcp's netstrings: events and command responses.
func (p *phone) readControl() {
	r := bufio.NewReader(p.ctrl)
	for {
		head, err := r.ReadString(':')
		if err != nil {
			return
		}
		n, err := strconv.Atoi(strings.TrimSuffix(head, ":"))
		if err != nil {
			return
		}
		body := make([]byte, n+1)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var msg map[string]any
		if json.Unmarshal(body[:n], &msg) != nil {
			continue
		}
		if msg["event"] == true {
			select {
			case p.events <- msg:
			default:
			}
		} else {
			select {
			case p.replies <- msg:
			default:
			}
		}
	}
}

// command sends a ctrl_tcp command ("sndcode 1" is {"command":"sndcode","params":"1"}).
func (p *phone) command(t *testing.T, command, params string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"command": command, "params": params, "token": command})
	if _, err := fmt.Fprintf(p.ctrl, "%d:%s,", len(body), body); err != nil {
		t.Fatalf("baresip command %s %s: %v", command, params, err)
	}
	select {
	case r := <-p.replies:
		if ok, _ := r["ok"].(bool); !ok {
			t.Fatalf("baresip command %s %s: %v", command, params, r)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("baresip command %s %s: no reply", command, params)
	}
}

// waitEvent waits for an event of the given type (CALL_ESTABLISHED, CALL_CLOSED…).
func (p *phone) waitEvent(t *testing.T, typ string, within time.Duration) map[string]any {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev := <-p.events:
			if ev["type"] == typ {
				return ev
			}
		case <-deadline:
			t.Fatalf("baresip: no %s event within %v", typ, within)
		}
	}
}

// heard returns the audio the phone decoded from its calls (8 kHz mono 16-bit samples).
func (p *phone) heard(t *testing.T) []int16 {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(p.dir, "heard", "*dec.wav"))
	var all []int16
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pcm, err := voice.ReadWAV(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i := 0; i+1 < len(pcm); i += 2 {
			all = append(all, int16(uint16(pcm[i])|uint16(pcm[i+1])<<8))
		}
	}
	return all
}

// activeSeconds counts the seconds of samples louder than -40 dBFS, in 20 ms frames.
func activeSeconds(samples []int16) float64 {
	active := 0
	for i := 0; i+160 <= len(samples); i += 160 {
		peak := 0.0
		for _, s := range samples[i : i+160] {
			peak = math.Max(peak, math.Abs(float64(s)))
		}
		if peak > 327 {
			active++
		}
	}
	return float64(active) * 0.02
}

// callee is a SIPp user agent server playing one scenario of testdata/sipp for one call.
type callee struct {
	Addr string // 127.0.0.1:port
	out  *syncBuffer
	done chan error // SIPp's exit: nil when the scenario ran to its end
}

// startCallee runs `sipp -sf testdata/sipp/<scenario>.xml -m 1` on free ports, with each
// [name] of the scenario replaced by its value in keys (name, value, ...), and waits until it
// listens.
func startCallee(t *testing.T, scenario, transport string, keys ...string) *callee {
	t.Helper()
	return startCalleeN(t, 1, scenario, transport, keys...)
}

// startCalleeN is startCallee for the given number of calls, one after the other.
func startCalleeN(t *testing.T, calls int, scenario, transport string, keys ...string) *callee {
	t.Helper()
	need(t, "sipp")
	port, mediaPort := freePort(t), freePort(t)
	mode := map[string]string{"udp": "u1", "tcp": "t1"}[transport]
	// The keys are written into the scenario: SIPp checks a response's status code when it loads
	// the scenario, before its own -key substitution would apply.
	raw, err := os.ReadFile(filepath.Join("testdata", "sipp", scenario+".xml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for i := 0; i+1 < len(keys); i += 2 {
		text = strings.ReplaceAll(text, "["+keys[i]+"]", keys[i+1])
	}
	sf := filepath.Join(t.TempDir(), scenario+".xml")
	if err := os.WriteFile(sf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-sf", sf,
		"-i", "127.0.0.1", "-p", strconv.Itoa(port), "-mi", "127.0.0.1", "-mp", strconv.Itoa(mediaPort),
		"-t", mode, "-m", strconv.Itoa(calls), "-nostdin", "-timeout", "60s", "-timeout_error",
		"-trace_err", "-error_file", filepath.Join(t.TempDir(), "errors.log")}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "sipp", args...)
	c := &callee{Addr: fmt.Sprintf("127.0.0.1:%d", port), out: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start sipp: %v", err)
	}
	go func() { c.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel()
		if t.Failed() {
			t.Logf("sipp output:\n%s", c.out.String())
		}
	})
	// SIPp is ready once its port is taken.
	eventually(t, 10*time.Second, "sipp listening", func() bool {
		if transport == "tcp" {
			conn, err := net.Dial("tcp", c.Addr)
			if err == nil {
				_ = conn.Close()
			}
			return err == nil
		}
		pc, err := net.ListenPacket("udp", c.Addr)
		if err == nil {
			_ = pc.Close()
		}
		return err != nil
	})
	return c
}

// wait waits for SIPp to finish its one call and fails the test unless the scenario completed.
func (c *callee) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-c.done:
		if err != nil {
			t.Fatalf("sipp scenario did not complete: %v\n%s", err, c.out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("sipp still running 30 s later")
	}
}
