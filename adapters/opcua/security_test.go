package opcua_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/opcua"
)

// secureEndpoint reads Mejean.Level over Basic256Sha256 SignAndEncrypt as client.
func secureEndpoint(name, url string, client *keyPair) opcua.Endpoint {
	e := fastEndpoint(name, url)
	e.Nodes = e.Nodes[:1]
	e.SecurityPolicy = opcua.PolicyBasic256Sha256
	e.SecurityMode = opcua.ModeSignAndEncrypt
	e.CertificateFile, e.PrivateKeyFile = client.certFile, client.keyFile
	e.ApplicationURI = client.cert.URIs[0].String()
	return e
}

func TestSecurity(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	ca := p.issue("ca", "", nil, true)
	server := p.issue("server", "urn:vigie:test:opcua-server", ca, false)
	impostor := p.issue("impostor", "urn:vigie:test:opcua-server", nil, false)
	otherCA := p.issue("other-ca", "", nil, true)
	client := p.issue("client", "urn:vigie:opcua-client", nil, false)
	srv := startNodeServer(t, serverOptions{cert: server.certFile, key: server.keyFile})

	tests := []struct {
		name    string
		edit    func(*opcua.Endpoint)
		wantErr string // "" : a secure session delivers readings
	}{
		{name: "pinned SHA-1 thumbprint, user and password", edit: func(e *opcua.Endpoint) {
			e.ServerThumbprint = opcua.Thumbprint(server.cert.Raw)
			e.Username, e.Password = "vigie", "secret"
		}},
		{name: "pinned certificate file", edit: func(e *opcua.Endpoint) { e.ServerCertificateFile = server.certFile }},
		{name: "issuing CA", edit: func(e *opcua.Endpoint) { e.ServerCAFile = ca.certFile }},
		{name: "thumbprint of another certificate", edit: func(e *opcua.Endpoint) {
			e.ServerThumbprint = opcua.Thumbprint(impostor.cert.Raw)
		}, wantErr: "server certificate not trusted: thumbprint differs"},
		{name: "another pinned certificate", edit: func(e *opcua.Endpoint) { e.ServerCertificateFile = impostor.certFile },
			wantErr: "server certificate not trusted: not the pinned certificate"},
		{name: "another CA", edit: func(e *opcua.Endpoint) { e.ServerCAFile = otherCA.certFile },
			wantErr: "server certificate not trusted: x509"},
		{name: "wrong password", edit: func(e *opcua.Endpoint) {
			e.ServerThumbprint = opcua.Thumbprint(server.cert.Raw)
			e.Username, e.Password = "vigie", "wrong"
		}, wantErr: "StatusBadUserAccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := secureEndpoint("plc", srv.url(), client)
			tt.edit(&e)
			rec := newRecorder("mejean.level")
			c, _ := startClient(t, opcua.Config{Endpoints: []opcua.Endpoint{e}}, rec)
			if tt.wantErr == "" {
				waitFor(t, 30*time.Second, "a secure session", func() bool { return c.States()["plc"].Connected })
				waitFor(t, 10*time.Second, "readings", func() bool { return len(rec.of("mejean.level")) >= 3 })
				return
			}
			waitFor(t, 30*time.Second, "the refusal", func() bool { return c.States()["plc"].LastError != "" })
			st := c.States()["plc"]
			if st.Connected || !strings.Contains(st.LastError, tt.wantErr) {
				t.Errorf("state %+v: want disconnected with %q", st, tt.wantErr)
			}
			if n := len(rec.of("mejean.level")); n != 0 || c.Stats()["plc"].Sessions != 0 {
				t.Errorf("%d readings, stats %+v: want no session at all", n, c.Stats()["plc"])
			}
		})
	}
}

// A server that trusts only listed client certificates refuses Vigie's until it is listed.
func TestServerRejectsUntrustedClient(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	server := p.issue("server", "urn:vigie:test:opcua-server", nil, false)
	trusted := p.issue("trusted", "urn:vigie:opcua-client", nil, false)
	stranger := p.issue("stranger", "urn:vigie:opcua-client", nil, false)
	srv := startNodeServer(t, serverOptions{strict: true, cert: server.certFile, key: server.keyFile, trusted: trusted.pem})

	t.Run("untrusted", func(t *testing.T) {
		t.Parallel()
		e := secureEndpoint("plc", srv.url(), stranger)
		e.ServerCertificateFile = server.certFile
		rec := newRecorder("mejean.level")
		c, _ := startClient(t, opcua.Config{Endpoints: []opcua.Endpoint{e}}, rec)
		waitFor(t, 30*time.Second, "the refusal", func() bool { return c.States()["plc"].LastError != "" })
		if st := c.States()["plc"]; st.Connected || !strings.Contains(st.LastError, "StatusBadSecurityChecksFailed") {
			t.Errorf("state %+v: want the server's refusal", st)
		}
		if n := len(rec.of("mejean.level")); n != 0 {
			t.Errorf("%d readings through a refused session", n)
		}
	})
	t.Run("trusted", func(t *testing.T) {
		t.Parallel()
		e := secureEndpoint("plc", srv.url(), trusted)
		e.ServerCertificateFile = server.certFile
		rec := newRecorder("mejean.level")
		c, _ := startClient(t, opcua.Config{Endpoints: []opcua.Endpoint{e}}, rec)
		waitFor(t, 30*time.Second, "a secure session", func() bool { return c.States()["plc"].Connected })
		waitFor(t, 10*time.Second, "readings", func() bool { return len(rec.of("mejean.level")) >= 3 })
	})
}
