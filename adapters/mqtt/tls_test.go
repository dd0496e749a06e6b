package mqtt_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/mqtt"
)

// writeCert writes a certificate (self-signed CA when parent is nil) and its key as PEM files.
func writeCert(tb testing.TB, dir, name string, parent *x509.Certificate, parentKey *rsa.PrivateKey) (*x509.Certificate, *rsa.PrivateKey, string, string) {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true,
		IsCA: parent == nil, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	certFile, keyFile := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o644); err != nil {
		tb.Fatal(err)
	}
	return cert, key, certFile, keyFile
}

// mqtts:// verifies the broker: its CA is accepted, another one is refused.
func TestTLSBroker(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca, caKey, caFile, _ := writeCert(t, dir, "ca", nil, nil)
	_, _, otherCA, _ := writeCert(t, dir, "other-ca", nil, nil)
	_, _, certFile, keyFile := writeCert(t, dir, "broker", ca, caKey)
	broker := startMosquitto(t, "cafile "+caFile, "certfile "+certFile, "keyfile "+keyFile)

	t.Run("trusted CA", func(t *testing.T) {
		t.Parallel()
		cfg, _ := testConfig(t, broker.addr)
		cfg.Broker, cfg.TLS.CAFile = "mqtts://"+broker.addr, caFile
		r := run(t, cfg, newRecorder())
		connected(t, r.sub)
	})
	t.Run("other CA", func(t *testing.T) {
		t.Parallel()
		cfg, _ := testConfig(t, broker.addr)
		cfg.Broker, cfg.TLS.CAFile = "mqtts://"+broker.addr, otherCA
		r := run(t, cfg, newRecorder())
		waitFor(t, 10*time.Second, "the refusal", func() bool { return r.sub.State().LastError != "" })
		if st := r.sub.State(); st.Connected || !strings.Contains(st.LastError, "certificate signed by unknown authority") {
			t.Errorf("state %+v: want the broker's certificate refused", st)
		}
	})
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := mqtt.New(validConfig(), nil, nil); err == nil || !strings.Contains(err.Error(), "ingester is nil") || !strings.Contains(err.Error(), "logger is nil") {
		t.Errorf("got %v, want a nil ingester and logger refused", err)
	}
	cfg := validConfig()
	cfg.Broker, cfg.TLS.CAFile = "mqtts://broker.example.org", filepath.Join(t.TempDir(), "missing.pem")
	if _, err := mqtt.New(cfg, newRecorder(), logger); err == nil || !strings.Contains(err.Error(), "ca_file") {
		t.Errorf("got %v, want the missing CA file", err)
	}
}
