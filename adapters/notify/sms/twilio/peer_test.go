package twilio_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/notifytest"
)

// The test peer is Prism (npm @stoplight/prism-cli) serving Twilio's published OpenAPI description
// of its 2010-04-01 API (twilio_api_v2010.json, shipped by the npm package @twilio-alpha/mcp):
// Prism checks every request against the spec (path, basic auth, content type, required and
// well-formed fields) and answers 422/401/415 when it does not conform. scripts/setup.d/sms.sh
// installs both into testdata/peer.
var prism struct {
	once sync.Once
	url  string
	err  error
	cmd  *exec.Cmd
	done chan struct{}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if prism.cmd != nil && prism.cmd.Process != nil {
		_ = prism.cmd.Process.Kill()
		<-prism.done
	}
	os.Exit(code)
}

// prismURL returns the base URL of the shared Prism, starting it on first use. Without node or
// the installed peer, the test is skipped locally and fails in CI.
func prismURL(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("testdata", "peer"))
	bin := filepath.Join(dir, "node_modules", ".bin", "prism")
	spec := filepath.Join(dir, "node_modules", "@twilio-alpha", "mcp", "twilio-oai", "spec", "json", "twilio_api_v2010.json")
	for _, need := range []string{bin, spec} {
		if _, err := os.Stat(need); err != nil {
			missing(t, fmt.Sprintf("the Twilio peer is not installed (%s missing): run scripts/setup.d/sms.sh", need))
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing(t, "node is not installed: run scripts/setup.d/sms.sh")
	}
	prism.once.Do(func() { prism.url, prism.err = startPrism(bin, spec) })
	if prism.err != nil {
		t.Fatalf("start prism: %v", prism.err)
	}
	return prism.url
}

func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func startPrism(bin, spec string) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0") // a port from the OS, handed to Prism
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	if err := l.Close(); err != nil {
		return "", err
	}
	cmd := exec.Command(bin, "mock", "--host", "127.0.0.1", "--port", port, "--errors", spec)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return "", err
	}
	prism.cmd, prism.done = cmd, make(chan struct{})
	ready := make(chan struct{})
	var tail bytes.Buffer
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		signalled := false
		for sc.Scan() {
			if !signalled && strings.Contains(sc.Text(), "Prism is listening") {
				signalled = true
				close(ready)
			}
			if !signalled && tail.Len() < 8<<10 {
				tail.WriteString(sc.Text() + "\n")
			}
		}
		_ = cmd.Wait()
		close(prism.done)
	}()
	select {
	case <-ready:
		return "http://" + addr, nil
	case <-prism.done:
		return "", fmt.Errorf("prism exited: %s", tail.String())
	case <-time.After(120 * time.Second):
		return "", errors.New("prism not listening after 120 s")
	}
}

// recorder keeps what the peer accepted.
type recorder struct {
	mu  sync.Mutex
	got []notifytest.Delivery
	raw []url.Values
}

func (r *recorder) add(form url.Values) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, notifytest.Delivery{To: form.Get("To"), Text: form.Get("Body")})
	r.raw = append(r.raw, form)
}

func (r *recorder) deliveries(*testing.T) []notifytest.Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notifytest.Delivery(nil), r.got...)
}

func (r *recorder) forms() []url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]url.Values(nil), r.raw...)
}

// recordingProxy forwards to target and records the form of every request it answered 201 (a
// message accepted by Twilio's API).
func recordingProxy(t *testing.T, target string) (*httptest.Server, *recorder) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sw := &statusWriter{ResponseWriter: w}
		rp.ServeHTTP(sw, r)
		if sw.status == http.StatusCreated {
			form, _ := url.ParseQuery(string(body))
			rec.add(form)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// busyPeer answers every request as Twilio does when rate limiting (429, error 20429).
func busyPeer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}
