package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/domain/dam"
)

func TestFieldBlockParsed(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load("testdata/valid/field.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Field()
	if f.File != "testdata/valid/field.yaml" || f.UnreachableAfter != 30*time.Second || f.UnreachableSeverity != dam.SeverityCritical {
		t.Errorf("field: %+v", f)
	}
	if r := f.RejectedRequests; !r.Enabled || r.Count != 10 || r.Window != 2*time.Minute || r.Severity != dam.SeverityLow {
		t.Errorf("rejected requests: %+v", r)
	}
	if len(f.MQTT) != 2 {
		t.Fatalf("%d brokers", len(f.MQTT))
	}
	b := f.MQTT[0]
	if b.Name != "nimes" || b.Broker != "mqtts://broker.example.org:8883" || b.ClientID != "vigie-test" || b.Password != "secret" ||
		b.TLS.ServerName != "broker.example.org" || len(b.Subscriptions) != 3 || b.Subscriptions[0].Sensor != "{dam}.{sensor}" ||
		b.MaxPayloadBytes != 64<<10 || b.Workers != 4 || b.SessionExpiry != 24*time.Hour {
		t.Errorf("broker: %+v", b)
	}
	if s := b.Subscriptions[1]; s.Line == 0 || s.Path != "field.mqtt[0].subscriptions[1]" {
		t.Errorf("subscription place: %+v", s.Place)
	}
	if len(f.OPCUA.Endpoints) != 2 {
		t.Fatalf("%d endpoints", len(f.OPCUA.Endpoints))
	}
	e := f.OPCUA.Endpoints[0]
	n := e.Nodes[0]
	if e.Name != "plc-est" || e.SecurityPolicy != "Basic256Sha256" || e.QueueSize != 10 || n.Factor == nil || *n.Factor != 0.1 ||
		n.Offset != -50 || n.Unit != "cm" || n.SamplingInterval != 500*time.Millisecond || n.Path != "field.opcua.endpoints[0].nodes[0]" {
		t.Errorf("endpoint: %+v", e)
	}
	if f.OPCUA.Server.Listen != "0.0.0.0:4840" || f.OPCUA.Server.Refresh != time.Second {
		t.Errorf("server: %+v", f.OPCUA.Server)
	}
	// Field returns copies: the parsed configuration cannot be changed through them.
	f.MQTT[0].Subscriptions[0].Topic = "changed"
	if cfg.Field().MQTT[0].Subscriptions[0].Topic == "changed" {
		t.Error("Field shares its slices")
	}
}

func TestFieldBlockAbsentGivesDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load("testdata/valid/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Field()
	if len(f.MQTT) != 0 || len(f.OPCUA.Endpoints) != 0 || f.UnreachableAfter != config.DefaultUnreachableAfter ||
		!f.RejectedRequests.Enabled || f.RejectedRequests.Count != config.DefaultRejectedRequests {
		t.Errorf("defaults: %+v", f)
	}
}

// The field block holds passwords and says how readings travel: it is not in the recorded
// document, so adding a broker does not record a configuration change, nor a secret in the log.
func TestFieldBlockNotInDocument(t *testing.T) {
	t.Parallel()
	with, err := config.Load("testdata/valid/field.yaml")
	if err != nil {
		t.Fatal(err)
	}
	without, err := config.Load("testdata/valid/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, d1 := with.Document()
	if _, d2 := without.Document(); d1 != d2 {
		t.Errorf("the field block changes the digest")
	}
	if strings.Contains(string(doc), "secret") {
		t.Error("a password is in the document")
	}
}

// fieldConfig is a minimal valid configuration around a field block (given from its first key,
// indented by two spaces); the block starts on line 12.
func fieldConfig(block string) string {
	return `site: {name: Test, time_zone: UTC}
dams:
  - id: mejean
    name: Méjean
    capacity_m3: 52000
    spillway_crest_m: 9
    storage_curve: {power: {a: 520, b: 2}}
    sensors:
      - {id: mejean.level, plausible_range: [-0.2, 11], period: 5m}
    thresholds:
      - {name: alerte, level_m: 6, severity: low}
field:
` + block
}

func TestFieldBlockProblems(t *testing.T) {
	t.Parallel()
	const mqttOK = "  mqtt:\n    broker: mqtt://127.0.0.1:1883\n    client_id: vigie\n"
	const epOK = "  opcua:\n    endpoints:\n      - name: plc\n        url: opc.tcp://127.0.0.1:4840\n"
	tests := []struct {
		name, block string
		want        []string // "line:col: path: message fragment"
	}{
		{"unknown key with a hint", "  mqtt:\n    broker: mqtt://h\n    client_id: v\n    subscriptions: [{topic: a}]\n    qos: 2\n",
			[]string{"17:5: field.mqtt.qos: unknown key \"qos\": QoS is always 1"}},
		{"missing required keys", "  mqtt:\n    broker: mqtt://h\n",
			[]string{"14:5: field.mqtt.client_id: is missing", "14:5: field.mqtt.subscriptions: is missing"}},
		{"broker scheme", "  mqtt:\n    broker: http://h\n    client_id: v\n    subscriptions: [{topic: a}]\n",
			[]string{"14:13: field.mqtt.broker: must be mqtt://host:1883 or mqtts://host:8883"}},
		{"unknown key among valid ones", mqttOK + "    username: u\n    password: p\n    subscriptions: [{topic: a}]\n    broker_note: x\n",
			[]string{"19:5: field.mqtt.broker_note: unknown key"}},
		{"password in clear to a remote broker", "  mqtt:\n    broker: mqtt://broker.example.org\n    client_id: v\n    username: u\n    password: p\n    subscriptions: [{topic: a}]\n",
			[]string{"17:15: field.mqtt.password: would travel in clear to broker.example.org"}},
		{"no subscription", mqttOK + "    subscriptions: []\n", []string{"16:20: field.mqtt.subscriptions: subscribe to at least one topic"}},
		{"unknown static sensor", mqttOK + "    subscriptions: [{topic: a, sensor: ghost.level}]\n",
			[]string{"16:40: field.mqtt.subscriptions[0].sensor: sensor \"ghost.level\" is not configured"}},
		{"list of brokers needs names", "  mqtt:\n    - broker: mqtt://h\n      client_id: v\n      subscriptions: [{topic: a}]\n",
			[]string{"14:7: field.mqtt[0].name: is missing"}},
		{"bad ints and durations", mqttOK + "    subscriptions: [{topic: a}]\n    workers: 0\n    keep_alive: 30\n    reconnect_min: 10s\n    reconnect_max: 1s\n",
			[]string{"17:14: field.mqtt.workers: must be between 1 and 256", "18:17: field.mqtt.keep_alive: needs a unit", "20:20: field.mqtt.reconnect_max: 1s is below reconnect_min 10s"}},
		{"security combination", epOK + "        security_policy: Basic256Sha256\n        security_mode: None\n        nodes: [{node: \"ns=1;s=A\", sensor: mejean.level}]\n",
			[]string{"18:24: field.opcua.endpoints[0].security_mode: security_policy Basic256Sha256 goes with security_mode SignAndEncrypt"}},
		{"Sign alone", epOK + "        security_mode: Sign\n        nodes: [{node: \"ns=1;s=A\", sensor: mejean.level}]\n",
			[]string{"17:24: field.opcua.endpoints[0].security_mode: Sign alone leaves readings"}},
		{"security needs a pin", epOK + "        security_policy: Basic256Sha256\n        certificate_file: c.pem\n        private_key_file: k.pem\n        nodes: [{node: \"ns=1;s=A\", sensor: mejean.level}]\n",
			[]string{"15:9: field.opcua.endpoints[0]: security Basic256Sha256 needs exactly one of server_certificate_file, server_thumbprint, server_ca_file"}},
		{"certificates without security", epOK + "        server_thumbprint: \"" + strings.Repeat("ab", 20) + "\"\n        nodes: [{node: \"ns=1;s=A\", sensor: mejean.level}]\n",
			[]string{"15:9: field.opcua.endpoints[0].security_policy: certificates are given but security_policy is None"}},
		{"bad thumbprint", epOK + "        server_thumbprint: abc\n        nodes: [{node: \"ns=1;s=A\", sensor: mejean.level}]\n",
			[]string{"17:28: field.opcua.endpoints[0].server_thumbprint: must be the SHA-1"}},
		{"password without security to a remote server", "  opcua:\n    endpoints:\n      - name: plc\n        url: opc.tcp://10.0.0.5:4840\n        username: u\n        password: p\n        nodes: [{node: \"ns=1;s=A\", sensor: mejean.level}]\n",
			[]string{"18:19: field.opcua.endpoints[0].password: needs security_policy Basic256Sha256"}},
		{"node problems", epOK + "        nodes:\n          - {node: \"ns=1;s=A\", sensor: ghost.level, factor: 0, unit: km}\n          - {node: \"ns=1;s=B\", sensor: mejean.level}\n          - {node: \"ns=1;s=C\", sensor: mejean.level}\n",
			[]string{"18:61: field.opcua.endpoints[0].nodes[0].factor: must not be 0", "18:70: field.opcua.endpoints[0].nodes[0].unit: must be one of m, cm, mm, ft, in",
				"18:40: field.opcua.endpoints[0].nodes[0].sensor: sensor \"ghost.level\" is not configured",
				"20:40: field.opcua.endpoints[0].nodes[2].sensor: sensor mejean.level is already fed by field.opcua.endpoints[0].nodes[1]"}},
		{"endpoint names are ids and unique", "  opcua:\n    endpoints:\n      - {name: PLC, url: \"opc.tcp://h:1\", nodes: [{node: \"ns=1;s=A\", sensor: mejean.level}]}\n      - {name: plc, url: \"opc.tcp://h:1\", nodes: [{node: \"ns=1;s=B\", sensor: mejean.level}]}\n      - {name: plc, url: \"http://h\", nodes: []}\n",
			[]string{"15:16: field.opcua.endpoints[0].name: \"PLC\" is not a valid endpoint name id", "17:26: field.opcua.endpoints[2].url: must be opc.tcp://host:port",
				"17:45: field.opcua.endpoints[2].nodes: map at least one node", "17:16: field.opcua.endpoints[2].name: the source id \"opcua:plc\" is already used"}},
		{"server listen", "  opcua:\n    server: {listen: \":4840\"}\n", []string{"14:13: field.opcua.server: listen \":4840\" names no host clients can use"}},
		{"rejected requests", "  rejected_requests: {count: 0, window: 0s}\n  unreachable_severity: fatal\n",
			[]string{"13:30: field.rejected_requests.count: must be at least 1", "13:41: field.rejected_requests.window: must be longer than zero", "14:25: field.unreachable_severity: must be one of low"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Parse("f.yaml", []byte(fieldConfig(tt.block)))
			var ve *config.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want problems %q", err, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), "f.yaml:"+w) {
					t.Errorf("missing %q in:\n%v", w, err)
				}
			}
		})
	}
}

func TestFieldBlockOff(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse("f.yaml", []byte(fieldConfig("  rejected_requests: off\n")))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Field().RejectedRequests.Enabled {
		t.Error("rejected_requests: off left the alarm on")
	}
}

// FuzzFieldBlock: whatever the field block holds, Parse answers a configuration or located
// problems, never a panic; a configuration's mapped sensors are all configured.
func FuzzFieldBlock(f *testing.F) {
	for _, s := range []string{
		"  mqtt:\n    broker: mqtt://127.0.0.1:1883\n    client_id: v\n    subscriptions: [{topic: \"d/{s}\", sensor: \"{s}\"}]\n",
		"  opcua:\n    endpoints:\n      - {name: p, url: \"opc.tcp://h:1\", nodes: [{node: \"ns=1;s=A\", sensor: mejean.level, factor: 2}]}\n",
		"  rejected_requests: off\n", "  mqtt: []\n", "  opcua: {server: {listen: \"h:1\"}}\n", "  mqtt: {tls: {}}\n",
		"  opcua:\n    endpoints:\n      - {name: p, url: \"opc.tcp://u:p@h\", security_policy: Basic256Sha256, nodes: [{}]}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, block string) {
		c, err := config.Parse("fuzz.yaml", []byte(fieldConfig(block)))
		if (c == nil) == (err == nil) {
			t.Fatalf("config %v and error %v", c, err)
		}
		if err != nil {
			var ve *config.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		for _, e := range c.Field().OPCUA.Endpoints {
			for _, n := range e.Nodes {
				if n.Sensor != "mejean.level" {
					t.Fatalf("node mapped to unknown sensor %q accepted", n.Sensor)
				}
			}
		}
	})
}

// The example of docs/field.md is read by the real parser, around dams with its sensors: the
// documentation cannot show a key or a value the configuration refuses.
func TestFieldDocumentedExampleParses(t *testing.T) {
	t.Parallel()
	doc := readFile(t, "../../docs/field.md")
	_, rest, ok := strings.Cut(doc, "```yaml\nfield:\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/field.md has no ```yaml field: example")
	}
	file := `site: {name: Test, time_zone: UTC}
dams:
  - id: est
    name: Est
    capacity_m3: 23000
    spillway_crest_m: 6
    storage_curve: {power: {a: 900, b: 1.8}}
    sensors:
      - {id: est.level, plausible_range: [-0.2, 7.5], period: 5m}
      - {id: est.secours, plausible_range: [-0.2, 7.5], period: 5m}
      - {id: est.aval, plausible_range: [-0.2, 7.5], period: 5m}
    thresholds:
      - {name: vigilance, level_m: 2, severity: low}
field:
` + example
	cfg, err := config.Parse("docs/field.md", []byte(file))
	if err != nil {
		t.Fatalf("the documented field block is refused:\n%v", err)
	}
	f := cfg.Field()
	if len(f.MQTT) != 1 || len(f.OPCUA.Endpoints) != 1 || len(f.OPCUA.Endpoints[0].Nodes) != 3 || f.OPCUA.Server.Listen == "" {
		t.Errorf("decoded %+v", f)
	}
}
