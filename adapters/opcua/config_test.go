package opcua_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/opcua"
)

func validEndpoint() opcua.Endpoint {
	return opcua.Endpoint{
		Name: "plc-est", URL: "opc.tcp://10.0.0.5:4840",
		SecurityPolicy: opcua.PolicyBasic256Sha256, CertificateFile: "vigie.pem", PrivateKeyFile: "vigie.key",
		ServerThumbprint: "3F:2A:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11",
		Username:         "vigie", Password: "s3cret",
		Nodes: []opcua.NodeConfig{{Node: "ns=2;s=Est.Level", Sensor: "est.level"}},
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*opcua.Config)
		want []string // one substring per expected problem; none: valid
	}{
		{name: "secure endpoint and a server", edit: func(c *opcua.Config) { c.Server.Listen = "0.0.0.0:4840"; c.Server.EndpointHost = "vigie.example.org" }},
		{name: "no security", edit: func(c *opcua.Config) {
			e := &c.Endpoints[0]
			e.SecurityPolicy, e.CertificateFile, e.PrivateKeyFile, e.ServerThumbprint, e.Username, e.Password = "", "", "", "", "", ""
		}},
		{name: "password in clear to a loopback server", edit: func(c *opcua.Config) {
			e := &c.Endpoints[0]
			e.URL, e.SecurityPolicy, e.CertificateFile, e.PrivateKeyFile, e.ServerThumbprint = "opc.tcp://127.0.0.1:4840", "", "", "", ""
		}},
		{name: "every mistake of an endpoint", edit: func(c *opcua.Config) {
			e := &c.Endpoints[0]
			e.URL = "http://plc"
			e.Timestamps, e.Uncertain = "plc", "maybe"
			e.QueueSize = -1
			e.Nodes = append(e.Nodes, opcua.NodeConfig{Node: "ns=2;s=Est.Level", Sensor: "est.other"}, opcua.NodeConfig{Node: "", Sensor: "x", Unit: "yd"})
		}, want: []string{"must be opc.tcp://", "timestamps", "uncertain", "queue_size", "already mapped by nodes[0]", "nodes[2]: node is empty", `nodes[2]: unit "yd"`}},
		{name: "security without certificates or pin", edit: func(c *opcua.Config) {
			e := &c.Endpoints[0]
			e.CertificateFile, e.PrivateKeyFile, e.ServerThumbprint = "", "", ""
		}, want: []string{"needs certificate_file", "needs exactly one of"}},
		{name: "two pins", edit: func(c *opcua.Config) { c.Endpoints[0].ServerCAFile = "ca.pem" }, want: []string{"exactly one of"}},
		{name: "pin without security", edit: func(c *opcua.Config) {
			e := &c.Endpoints[0]
			e.SecurityPolicy, e.Username, e.Password = opcua.PolicyNone, "", ""
		}, want: []string{"nothing would be checked"}},
		{name: "password in clear over the network", edit: func(c *opcua.Config) {
			e := &c.Endpoints[0]
			e.SecurityPolicy, e.CertificateFile, e.PrivateKeyFile, e.ServerThumbprint = "", "", "", ""
		}, want: []string{"a password needs security_policy Basic256Sha256"}},
		{name: "sign only", edit: func(c *opcua.Config) { c.Endpoints[0].SecurityMode = "Sign" }, want: []string{"Sign alone"}},
		{name: "unknown policy", edit: func(c *opcua.Config) { c.Endpoints[0].SecurityPolicy = "Basic128Rsa15" }, want: []string{"must be None or Basic256Sha256"}},
		{name: "bad thumbprint", edit: func(c *opcua.Config) { c.Endpoints[0].ServerThumbprint = "abc" }, want: []string{"not a SHA-1 or SHA-256"}},
		{name: "endpoints sharing a name and a sensor", edit: func(c *opcua.Config) {
			c.Endpoints = append(c.Endpoints, c.Endpoints[0])
		}, want: []string{"name already used", "sensor est.level is already fed by endpoint plc-est nodes[0]"}},
		{name: "server without host", edit: func(c *opcua.Config) { c.Server.Listen = ":4840" }, want: []string{"set endpoint_host"}},
		{name: "server with a bad address", edit: func(c *opcua.Config) { c.Server.Listen = "vigie" }, want: []string{"must be host:port"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := opcua.Config{Endpoints: []opcua.Endpoint{validEndpoint()}}
			tt.edit(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			if got := strings.Count(msg, "\n") + 1; got != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%s", got, len(tt.want), msg)
			}
			if strings.Contains(msg, "s3cret") {
				t.Errorf("error leaks the password: %s", msg)
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := opcua.Config{Endpoints: []opcua.Endpoint{validEndpoint()}}
	if _, err := opcua.New(cfg, nil, logger); err == nil || !strings.Contains(err.Error(), "ingester is nil") {
		t.Errorf("got %v, want a nil ingester refused", err)
	}
	if _, err := opcua.New(cfg, newRecorder(), logger); err == nil || !strings.Contains(err.Error(), "certificate_file: open vigie.pem") ||
		!strings.Contains(err.Error(), "private_key_file: open vigie.key") {
		t.Errorf("got %v, want the unreadable certificate files", err)
	}
	if _, err := opcua.NewServer(opcua.ServerConfig{}, nil, nil); err == nil || !strings.Contains(err.Error(), "listen is empty") ||
		!strings.Contains(err.Error(), "source is nil") || !strings.Contains(err.Error(), "logger is nil") {
		t.Errorf("got %v, want every missing dependency", err)
	}
}
