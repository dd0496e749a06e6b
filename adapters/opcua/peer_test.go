package opcua_test

// Test peers: node-opcua servers (testdata/server/server.js) that a test starts, kills and
// restarts on a port of its own; certificates made for the test; a recording ingester.

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

func waitFor(tb testing.TB, within time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not a wait for the condition
	}
}

func testLogger(tb testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// nodeServer is testdata/server/server.js running under node.
type nodeServer struct {
	tb   testing.TB
	args []string // after the port
	port string
	cmd  *exec.Cmd
	out  *strings.Builder
	mu   sync.Mutex
	done chan struct{}
}

// serverDir is where setup.d/opcua.sh installs node-opcua.
func serverDir(tb testing.TB) string {
	tb.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		tb.Skip("node is not installed: the OPC-UA tests need node-opcua (scripts/setup.d/opcua.sh installs it where Node is)")
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "server"))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "node-opcua")); err != nil {
		tb.Fatalf("node-opcua is not installed in %s: run scripts/setup.d/opcua.sh", dir)
	}
	return dir
}

type serverOptions struct {
	strict    bool   // refuse client certificates not in pki/trusted/certs
	cert, key string // server certificate and key files (PEM)
	trusted   []byte // a client certificate (PEM) to trust
}

func startNodeServer(tb testing.TB, o serverOptions) *nodeServer {
	tb.Helper()
	dir := serverDir(tb)
	pki := tb.TempDir()
	if o.trusted != nil {
		block, _ := pem.Decode(o.trusted)
		if err := os.MkdirAll(filepath.Join(pki, "trusted", "certs"), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pki, "trusted", "certs", "vigie.der"), block.Bytes, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	trust := "open"
	if o.strict {
		trust = "strict"
	}
	s := &nodeServer{tb: tb, port: "0", args: []string{pki, trust}}
	if o.cert != "" {
		s.args = append(s.args, o.cert, o.key)
	}
	s.start(dir)
	tb.Cleanup(func() {
		if s.cmd != nil {
			s.kill()
		}
	})
	return s
}

func (s *nodeServer) url() string { return "opc.tcp://127.0.0.1:" + s.port }

func (s *nodeServer) start(dir string) {
	s.tb.Helper()
	s.out = &strings.Builder{}
	s.cmd = exec.Command("node", append([]string{"server.js", s.port}, s.args...)...)
	s.cmd.Dir = dir
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		s.tb.Fatal(err)
	}
	s.cmd.Stderr = lockedWriter{&s.mu, s.out}
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatalf("start node: %v", err)
	}
	ready := make(chan string, 1)
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "READY "); ok {
				ready <- u
			}
			s.mu.Lock()
			s.out.WriteString(line + "\n")
			s.mu.Unlock()
		}
		_ = cmd.Wait()
		close(done)
	}(s.cmd, s.done)
	select {
	case u := <-ready:
		p, err := url.Parse(u)
		if err != nil {
			s.tb.Fatalf("node-opcua printed %q", u)
		}
		s.port = p.Port()
	case <-s.done:
		s.tb.Fatalf("node-opcua exited: %s", s.output())
	case <-time.After(90 * time.Second):
		s.kill()
		s.tb.Fatalf("node-opcua did not start within 90s: %s", s.output())
	}
	// The restarted server must take the same port: it is in the client's URL.
	waitFor(s.tb, 10*time.Second, "node-opcua to accept connections", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+s.port)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

func (s *nodeServer) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// kill ends the server as a crash or power cut would.
func (s *nodeServer) kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// restart starts the server again on the same port.
func (s *nodeServer) restart() {
	s.tb.Helper()
	s.start(serverDir(s.tb))
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// pki holds certificates made for a test, written as PEM files.
type pki struct {
	tb  testing.TB
	dir string
}

func newPKI(tb testing.TB) *pki { return &pki{tb: tb, dir: tb.TempDir()} }

type keyPair struct {
	cert     *x509.Certificate
	key      *rsa.PrivateKey
	pem      []byte
	certFile string
	keyFile  string
}

// issue makes a certificate for uri and 127.0.0.1, signed by parent (self-signed when nil).
func (p *pki) issue(name, uri string, parent *keyPair, ca bool) *keyPair {
	p.tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		p.tb.Fatal(err)
	}
	u, _ := url.Parse(uri)
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  ca,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	if u != nil && u.Scheme != "" {
		tmpl.URIs = []*url.URL{u}
	}
	if ca {
		tmpl.KeyUsage |= x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		p.tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kp := &keyPair{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
	kp.certFile = filepath.Join(p.dir, name+".pem")
	kp.keyFile = filepath.Join(p.dir, name+".key")
	if err := os.WriteFile(kp.certFile, kp.pem, 0o644); err != nil {
		p.tb.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(kp.keyFile, keyPEM, 0o600); err != nil {
		p.tb.Fatal(err)
	}
	return kp
}

// recorder is an ingester that keeps readings in memory, idempotent on (sensor, time) like
// commands.Ingester, refusing unknown sensors.
type recorder struct {
	mu     sync.Mutex
	known  map[sensor.ID]bool
	stored map[string]float64
	items  []commands.Item
	fail   int
}

func newRecorder(known ...sensor.ID) *recorder {
	r := &recorder{stored: map[string]float64{}, known: map[sensor.ID]bool{}}
	for _, k := range known {
		r.known[k] = true
	}
	return r
}

func (r *recorder) Handle(_ context.Context, cmd commands.IngestReadings) (commands.IngestResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var problems []commands.ItemProblem
	for i, it := range cmd.Items {
		if !r.known[it.Sensor] {
			problems = append(problems, commands.ItemProblem{Index: i, Sensor: it.Sensor, Reason: "unknown sensor"})
		}
	}
	if len(problems) > 0 {
		return commands.IngestResult{}, &commands.InvalidReadingsError{Problems: problems}
	}
	if r.fail > 0 {
		r.fail--
		return commands.IngestResult{}, errors.New("append: disk unavailable")
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
		res.Outcomes[i].Status = gauge.Accepted
	}
	return res, nil
}

// of returns the readings of one sensor.
func (r *recorder) of(id sensor.ID) []commands.Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []commands.Item
	for _, it := range r.items {
		if it.Sensor == id {
			out = append(out, it)
		}
	}
	return out
}
