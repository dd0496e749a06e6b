package email_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"go/build"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/email"
	"github.com/vigie/vigie/adapters/notify/notifytest"
)

// mailpitBinary finds Mailpit on PATH or in GOBIN / GOPATH/bin (where scripts/setup.d/mailpit.sh
// installs it). Missing, the test is skipped with the reason; under CI it fails instead, since CI
// installs it.
func mailpitBinary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	var dirs []string
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	gopath := build.Default.GOPATH
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil && strings.TrimSpace(string(out)) != "" {
		gopath = strings.TrimSpace(string(out)) // also sees a GOPATH set with go env -w
	}
	for _, p := range filepath.SplitList(gopath) {
		dirs = append(dirs, filepath.Join(p, "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "mailpit")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("mailpit is not installed (looked on PATH and in %v); scripts/setup.d/mailpit.sh installs it", dirs)
	}
	t.Skipf("mailpit is not installed (looked on PATH and in %v): skipping the tests against a real SMTP server; run scripts/setup.d/mailpit.sh", dirs)
	return ""
}

// mailpit is a Mailpit process on ports the OS gave.
type mailpit struct {
	Host string
	Port int
	API  string // http://127.0.0.1:PORT

	mu      sync.Mutex
	details map[string]delivered // by Mailpit message ID
}

type delivered struct {
	notifytest.Delivery
	Username  string
	MessageID string
	Headers   map[string][]string
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startMailpit starts Mailpit with extra flags and stops it at t's cleanup.
func startMailpit(t testing.TB, extra ...string) *mailpit {
	t.Helper()
	bin := mailpitBinary(t)
	var lastOut string
	for try := 0; try < 3; try++ { // a port given by the OS may be taken again before Mailpit binds it
		smtpAddr, httpAddr := freePort(t), freePort(t)
		args := append([]string{
			"-s", smtpAddr, "-l", httpAddr, "--disable-version-check", "-q",
			"-d", filepath.Join(t.TempDir(), "mailpit.db"),
		}, extra...)
		cmd := exec.Command(bin, args...)
		out := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatalf("start mailpit: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		host, port, _ := net.SplitHostPort(smtpAddr)
		p, _ := strconv.Atoi(port)
		mp := &mailpit{Host: host, Port: p, API: "http://" + httpAddr, details: map[string]delivered{}}
		if mp.waitReady(smtpAddr, exited) {
			t.Cleanup(func() {
				_ = cmd.Process.Signal(os.Interrupt)
				select {
				case <-exited:
				case <-time.After(5 * time.Second):
					_ = cmd.Process.Kill()
					<-exited
				}
			})
			return mp
		}
		_ = cmd.Process.Kill()
		<-exited
		lastOut = out.String()
	}
	t.Fatalf("mailpit did not start:\n%s", lastOut)
	return nil
}

// waitReady polls /readyz and the SMTP port until both answer, Mailpit exits, or 20 s pass.
func (mp *mailpit) waitReady(smtpAddr string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		resp, err := http.Get(mp.API + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.DialTimeout("tcp", smtpAddr, time.Second); err == nil {
					c.Close()
					return true
				}
			}
		}
		select {
		case <-exited:
			return false
		case <-tick.C:
		}
	}
	return false
}

func (mp *mailpit) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(mp.API + path)
	if err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit API %s: %s: %s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
}

// messages lists what Mailpit received, with bodies and headers (fetched once per message).
func (mp *mailpit) messages(t testing.TB) []delivered {
	t.Helper()
	var list struct {
		Messages []struct {
			ID string
			To []struct{ Address string }
		}
	}
	mp.getJSON(t, "/api/v1/messages?limit=1000", &list)
	var out []delivered
	for _, s := range list.Messages {
		mp.mu.Lock()
		d, ok := mp.details[s.ID]
		mp.mu.Unlock()
		if !ok {
			var full struct {
				MessageID, Subject, Text, HTML, Username string
				To                                       []struct{ Address string }
			}
			mp.getJSON(t, "/api/v1/message/"+s.ID, &full)
			var headers map[string][]string
			mp.getJSON(t, "/api/v1/message/"+s.ID+"/headers", &headers)
			d = delivered{
				Delivery:  notifytest.Delivery{Subject: full.Subject, Text: full.Text, HTML: full.HTML},
				Username:  full.Username,
				MessageID: full.MessageID,
				Headers:   headers,
			}
			if len(full.To) > 0 {
				d.To = full.To[0].Address
			}
			if ids := headers[email.HeaderNotificationID]; len(ids) > 0 {
				d.ID = ids[0]
			}
			mp.mu.Lock()
			mp.details[s.ID] = d
			mp.mu.Unlock()
		}
		out = append(out, d)
	}
	return out
}

func (mp *mailpit) received(t *testing.T) []notifytest.Delivery {
	var out []notifytest.Delivery
	for _, d := range mp.messages(t) {
		out = append(out, d.Delivery)
	}
	return out
}

// to returns what Mailpit received for one recipient, polling until n arrived (10 s at most).
func (mp *mailpit) to(t testing.TB, addr string, n int) []delivered {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got []delivered
		for _, d := range mp.messages(t) {
			if strings.EqualFold(d.To, addr) {
				got = append(got, d)
			}
		}
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) != n {
				t.Fatalf("mailpit: %d messages for %s, want %d", len(got), addr, n)
			}
			return got
		}
		tick := time.NewTimer(20 * time.Millisecond)
		<-tick.C
	}
}

// setChaos makes Mailpit (started with --enable-chaos) answer code to RCPT TO with the given
// probability in percent (0 turns it off).
func (mp *mailpit) setChaos(t testing.TB, code, probability int) {
	t.Helper()
	body := fmt.Sprintf(`{"Recipient":{"ErrorCode":%d,"Probability":%d}}`, code, probability)
	req, err := http.NewRequest(http.MethodPut, mp.API+"/api/v1/chaos", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit chaos: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("mailpit chaos: %s: %s", resp.Status, b)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key into a temporary directory and returns
// their paths and a pool that trusts it.
func selfSigned(t testing.TB) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mailpit.vigie.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func tlsTrusting(pool *x509.CertPool) *tls.Config {
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}
