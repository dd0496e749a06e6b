package nats_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/nats"
)

// natsServer is a nats-server of the test's own, on a port the OS picks, with JetStream on a
// store directory that survives its restarts, or without JetStream. nats-server is the Debian
// package the CI machines run (scripts/setup.d/bus.sh installs it).
type natsServer struct {
	t     *testing.T
	js    bool
	store string
	port  string
	cmd   *exec.Cmd
}

func startNATS(t *testing.T, jetStream bool) *natsServer {
	t.Helper()
	s := &natsServer{t: t, js: jetStream, store: t.TempDir(), port: "-1"}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *natsServer) start() {
	s.t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		bin = "/usr/sbin/nats-server"
	}
	ports := s.t.TempDir()
	args := []string{"-a", "127.0.0.1", "-p", s.port, "--ports_file_dir", ports}
	if s.js {
		args = append(args, "-js", "-sd", s.store)
	}
	s.cmd = exec.Command(bin, args...)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start nats-server (scripts/setup.d/bus.sh installs it): %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		matches, _ := filepath.Glob(filepath.Join(ports, "*.ports"))
		if len(matches) == 1 {
			b, err := os.ReadFile(matches[0])
			var p struct {
				Nats []string `json:"nats"`
			}
			if err == nil && json.Unmarshal(b, &p) == nil && len(p.Nats) > 0 {
				u, err := url.Parse(p.Nats[0])
				if err == nil {
					s.port = u.Port()
					return
				}
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatal("nats-server did not write its ports file within 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *natsServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
		s.cmd = nil
	}
}

func (s *natsServer) url() string { return "nats://127.0.0.1:" + s.port }

// TestServerRestart: the server goes away and comes back on the same port and store. A running
// subscription carries on, and a publish retried after the restart lands.
func TestServerRestart(t *testing.T) {
	t.Parallel()
	srv := startNATS(t, true)
	b, err := nats.New(srv.url(), nats.Options{AckWait: time.Second}, testLogger(t))
	if err != nil {
		t.Fatalf("new bus: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	var mu sync.Mutex
	got := map[string]bool{}
	if _, err := b.Subscribe(t.Context(), "restart", "g", func(_ context.Context, m bus.Message) error {
		mu.Lock()
		defer mu.Unlock()
		got[m.ID] = true
		return nil
	}); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	has := func(id string) func() bool {
		return func() bool { mu.Lock(); defer mu.Unlock(); return got[id] }
	}
	if err := b.Publish(t.Context(), "restart", bus.Message{ID: "before"}); err != nil {
		t.Fatalf("publish: %v", err)
	}
	waitUntil(t, "the first message arrives", has("before"))

	srv.stop()
	srv.start()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		err := b.Publish(ctx, "restart", bus.Message{ID: "after"})
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("publish after the restart still fails after 30 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitUntil(t, "the subscription delivers the message published after the restart", has("after"))
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not the case after 30 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
