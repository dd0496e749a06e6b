package mqtt_test

import (
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/mqtt"
	"github.com/vigie/vigie/domain/sensor"
)

func TestTopicSchemes(t *testing.T) {
	t.Parallel()
	damSensor := mqtt.Subscription{Topic: "dams/{dam}/{sensor}", Sensor: "{dam}.{sensor}"}
	tests := []struct {
		name       string
		sub        mqtt.Subscription
		topic      string
		wantFilter string
		wantMatch  bool
		wantSensor sensor.ID
		wantErr    string
	}{
		{name: "captures build the sensor", sub: damSensor, topic: "dams/mejean/level", wantFilter: "dams/+/+", wantMatch: true, wantSensor: "mejean.level"},
		{name: "too few levels", sub: damSensor, topic: "dams/mejean", wantFilter: "dams/+/+"},
		{name: "too many levels", sub: damSensor, topic: "dams/mejean/level/raw", wantFilter: "dams/+/+"},
		{name: "other root", sub: damSensor, topic: "barrages/mejean/level", wantFilter: "dams/+/+"},
		{name: "empty capture", sub: damSensor, topic: "dams//level", wantFilter: "dams/+/+", wantMatch: true, wantErr: "{dam} is empty"},
		{name: "payload names the sensor", sub: mqtt.Subscription{Topic: "vigie/+/readings"}, topic: "vigie/gw-3/readings", wantFilter: "vigie/+/readings", wantMatch: true},
		{name: "hash matches the parent", sub: mqtt.Subscription{Topic: "site/{dam}/#", Sensor: "{dam}.level"}, topic: "site/est", wantFilter: "site/+/#", wantMatch: true, wantSensor: "est.level"},
		{name: "hash matches deeper", sub: mqtt.Subscription{Topic: "site/{dam}/#", Sensor: "{dam}.level"}, topic: "site/est/a/b", wantFilter: "site/+/#", wantMatch: true, wantSensor: "est.level"},
		{name: "wildcards skip $ topics", sub: mqtt.Subscription{Topic: "+/x"}, topic: "$SYS/x", wantFilter: "+/x"},
		{name: "template text around captures", sub: mqtt.Subscription{Topic: "plc/{n}/h", Sensor: "dam-{n}.level"}, topic: "plc/7/h", wantFilter: "plc/+/h", wantMatch: true, wantSensor: "dam-7.level"},

		{name: "empty topic", sub: mqtt.Subscription{}, wantErr: "topic is empty"},
		{name: "hash not last", sub: mqtt.Subscription{Topic: "a/#/b"}, wantErr: "# must be the last level"},
		{name: "mixed level", sub: mqtt.Subscription{Topic: "a/b+"}, wantErr: "mixes a wildcard"},
		{name: "bad capture name", sub: mqtt.Subscription{Topic: "a/{da-m}"}, wantErr: "must be a name"},
		{name: "capture twice", sub: mqtt.Subscription{Topic: "{a}/{a}"}, wantErr: "appears twice"},
		{name: "template uses an unknown capture", sub: mqtt.Subscription{Topic: "dams/{dam}", Sensor: "{dam}.{sensor}"}, wantErr: "{sensor} is not captured"},
		{name: "template without capture", sub: mqtt.Subscription{Topic: "dams/+", Sensor: "mejean.level"}, wantErr: "uses no capture"},
		{name: "unbalanced template", sub: mqtt.Subscription{Topic: "dams/{dam}", Sensor: "{dam.level"}, wantErr: "unbalanced {"},
		{name: "shared subscription", sub: mqtt.Subscription{Topic: "$share/g/dams/+"}, wantErr: "shared subscriptions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			filter, ferr := mqtt.Filter(tt.sub)
			got, ok, err := mqtt.SensorForTopic(tt.sub, tt.topic)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				if ferr == nil && filter != tt.wantFilter {
					t.Errorf("filter: got %q, want %q", filter, tt.wantFilter)
				}
				return
			}
			if err != nil || ferr != nil {
				t.Fatalf("got errors %v, %v", err, ferr)
			}
			if filter != tt.wantFilter || ok != tt.wantMatch || got != tt.wantSensor {
				t.Errorf("got filter %q match %t sensor %q, want %q %t %q", filter, ok, got, tt.wantFilter, tt.wantMatch, tt.wantSensor)
			}
		})
	}
}
