package opcua

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// ErrUntrustedServer is returned when a server's certificate is not the pinned one or not issued
// by the configured CA: Vigie then sends it nothing, not even its own certificate.
var ErrUntrustedServer = errors.New("server certificate not trusted")

// trust decides whether a server certificate is the expected one. gopcua accepts any server
// certificate: this check runs before a secure channel is opened, and the channel is then opened
// with the checked certificate, so only the holder of its private key can take part in it.
type trust struct {
	pinned     []byte // the certificate itself (DER)
	thumbprint []byte // SHA-1 or SHA-256 of the DER
	roots      *x509.CertPool
	now        func() time.Time
}

func loadTrust(e Endpoint, now func() time.Time) (*trust, error) {
	t := &trust{now: now}
	switch {
	case e.ServerCertificateFile != "":
		der, err := readCertificate(e.ServerCertificateFile)
		if err != nil {
			return nil, fmt.Errorf("server_certificate_file: %w", err)
		}
		t.pinned = der
	case e.ServerThumbprint != "":
		tp, err := parseThumbprint(e.ServerThumbprint)
		if err != nil {
			return nil, fmt.Errorf("server_thumbprint: %w", err)
		}
		t.thumbprint = tp
	case e.ServerCAFile != "":
		data, err := os.ReadFile(e.ServerCAFile)
		if err != nil {
			return nil, fmt.Errorf("server_ca_file: %w", err)
		}
		t.roots = x509.NewCertPool()
		if !t.roots.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("server_ca_file %s holds no PEM certificate", e.ServerCAFile)
		}
	default:
		return nil, errors.New("no server certificate check configured")
	}
	return t, nil
}

// check returns nil if der is trusted, else an error wrapping ErrUntrustedServer that names
// the certificate so that an operator can compare it with the server's.
func (t *trust) check(der []byte) error {
	if len(der) == 0 {
		return fmt.Errorf("%w: the server sent no certificate", ErrUntrustedServer)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("%w: unreadable certificate: %v", ErrUntrustedServer, err)
	}
	describe := func(why string) error {
		return fmt.Errorf("%w: %s (subject %q, SHA-1 %s)", ErrUntrustedServer, why, cert.Subject.CommonName, Thumbprint(der))
	}
	switch {
	case t.pinned != nil:
		if !bytes.Equal(t.pinned, der) {
			return describe("not the pinned certificate")
		}
	case t.thumbprint != nil:
		s1, s256 := sha1.Sum(der), sha256.Sum256(der)
		if !bytes.Equal(t.thumbprint, s1[:]) && !bytes.Equal(t.thumbprint, s256[:]) {
			return describe("thumbprint differs from server_thumbprint")
		}
	case t.roots != nil:
		if _, err := cert.Verify(x509.VerifyOptions{Roots: t.roots, CurrentTime: t.now(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			return describe(err.Error())
		}
	default:
		return describe("no check configured")
	}
	if now := t.now(); now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return describe(fmt.Sprintf("outside its validity %s – %s", cert.NotBefore.Format(time.DateOnly), cert.NotAfter.Format(time.DateOnly)))
	}
	return nil
}

// Thumbprint is the SHA-1 of a DER certificate in hex, as OPC-UA tools show it.
func Thumbprint(der []byte) string {
	s := sha1.Sum(der)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

// parseThumbprint reads a SHA-1 (40 hex digits) or SHA-256 (64) thumbprint; colons and spaces
// between the bytes are allowed.
func parseThumbprint(s string) ([]byte, error) {
	clean := strings.NewReplacer(":", "", " ", "").Replace(s)
	b, err := hex.DecodeString(clean)
	if err != nil || (len(b) != sha1.Size && len(b) != sha256.Size) {
		return nil, fmt.Errorf("%q is not a SHA-1 or SHA-256 thumbprint in hex", clip(s))
	}
	return b, nil
}

// readCertificate reads a PEM or DER certificate file and returns the DER.
func readCertificate(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if block, _ := pem.Decode(data); block != nil {
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("%s: PEM block %q is not a CERTIFICATE", path, block.Type)
		}
		data = block.Bytes
	}
	if _, err := x509.ParseCertificate(data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// readPrivateKey reads an RSA key in PEM (PKCS #1 or PKCS #8).
func readPrivateKey(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s holds no PEM key", path)
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: OPC-UA needs an RSA key, not %T", path, k)
	}
	return rk, nil
}

// NewCertificate makes a self-signed application instance certificate for OPC-UA: its URI is
// applicationURI (servers compare it with the client's ApplicationURI) and hosts go in its
// DNS or IP names. It returns the certificate and key in PEM, for certificate_file and
// private_key_file; give the server's administrator the certificate to trust.
func NewCertificate(applicationURI string, hosts []string, validFor time.Duration) (certPEM, keyPEM []byte, err error) {
	uri, err := url.Parse(applicationURI)
	if err != nil || uri.Scheme == "" {
		return nil, nil, fmt.Errorf("application URI %q is not a URI", applicationURI)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Vigie", Organization: []string{"Vigie"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validFor),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		URIs:                  []*url.URL{uri},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), nil
}
