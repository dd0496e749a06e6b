package mqtt_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/mqtt"
)

func validConfig() mqtt.Config {
	return mqtt.Config{
		Broker:   "mqtt://127.0.0.1:1883",
		ClientID: "vigie-nimes",
		Subscriptions: []mqtt.Subscription{
			{Topic: "dams/{dam}/{sensor}", Sensor: "{dam}.{sensor}"},
			{Topic: "vigie/+/readings"},
		},
		DeadLetterTopic: "vigie/dead-letter",
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*mqtt.Config)
		want []string // substrings, one per expected problem; none: valid
	}{
		{name: "valid with defaults", edit: func(*mqtt.Config) {}},
		{name: "TLS with a password", edit: func(c *mqtt.Config) {
			c.Broker, c.Username, c.Password = "mqtts://broker.example.org", "vigie", "s3cret"
			c.TLS = mqtt.TLS{CAFile: "ca.pem", CertFile: "c.pem", KeyFile: "k.pem"}
		}},
		{name: "password in clear to a loopback broker", edit: func(c *mqtt.Config) { c.Username, c.Password = "vigie", "s3cret" }},
		{name: "every mistake at once", edit: func(c *mqtt.Config) {
			c.Broker = "http://broker"
			c.ClientID = ""
			c.Password = "s3cret"
			c.Subscriptions = append(c.Subscriptions, mqtt.Subscription{Topic: "a/#/b"})
			c.KeepAlive = time.Millisecond
			c.InFlight = 70000
		}, want: []string{"scheme must be mqtt or mqtts", "client_id is empty", "password given without a username", "# must be the last level", "keep_alive", "in_flight"}},
		{name: "no broker, no subscription", edit: func(c *mqtt.Config) { c.Broker = ""; c.Subscriptions = nil }, want: []string{"broker is empty", "no subscriptions"}},
		{name: "credentials in the URL are not echoed", edit: func(c *mqtt.Config) { c.Broker = "mqtt://u:hunter2@127.0.0.1" }, want: []string{"not in the URL"}},
		{name: "password in clear over the network", edit: func(c *mqtt.Config) {
			c.Broker, c.Username, c.Password = "mqtt://broker.example.org", "vigie", "s3cret"
		}, want: []string{"in clear to broker.example.org"}},
		{name: "tls on a clear URL", edit: func(c *mqtt.Config) { c.TLS.CAFile = "ca.pem" }, want: []string{"tls is set but"}},
		{name: "client certificate without key", edit: func(c *mqtt.Config) {
			c.Broker = "mqtts://b"
			c.TLS.CertFile = "c.pem"
		}, want: []string{"cert_file and key_file go together"}},
		{name: "overlapping topics", edit: func(c *mqtt.Config) {
			c.Subscriptions = append(c.Subscriptions, mqtt.Subscription{Topic: "dams/mejean/#"})
		}, want: []string{"overlaps subscriptions[0]"}},
		{name: "dead letters would loop", edit: func(c *mqtt.Config) { c.DeadLetterTopic = "vigie/dead/readings" }, want: []string{"dead letters would come back"}},
		{name: "dead-letter topic with a wildcard", edit: func(c *mqtt.Config) { c.DeadLetterTopic = "dead/+" }, want: []string{"holds a wildcard"}},
		{name: "session that expires at once", edit: func(c *mqtt.Config) { c.SessionExpiry = time.Millisecond }, want: []string{"session_expiry"}},
		{name: "bounds", edit: func(c *mqtt.Config) {
			c.ReconnectMin, c.ReconnectMax = time.Minute, time.Second
			c.MaxPayloadBytes, c.MaxReadings, c.Workers, c.RetryMax = 1, -1, 1000, -time.Second
		}, want: []string{"reconnect_min", "max_payload_bytes", "max_readings", "workers", "retry_max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validConfig()
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
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			if got := strings.Count(msg, "\n") + 1; got != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%s", got, len(tt.want), msg)
			}
			if strings.Contains(msg, "hunter2") || strings.Contains(msg, "s3cret") {
				t.Errorf("error leaks a password: %s", msg)
			}
		})
	}
}
