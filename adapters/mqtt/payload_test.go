package mqtt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/mqtt"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/sensor"
)

var received = time.Date(2025, 10, 10, 2, 0, 30, 0, time.UTC)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParsePayload(t *testing.T) {
	t.Parallel()
	const topic = sensor.ID("mejean.level")
	tests := []struct {
		name        string
		payload     string
		topicSensor sensor.ID
		max         int
		want        []commands.Item
		wantErr     string // substring of the *PayloadError
		wantIndex   int
	}{
		{name: "plain number takes the receive time", payload: "4.52", topicSensor: topic,
			want: []commands.Item{{Sensor: topic, Time: received, Value: 4.52}}},
		{name: "plain number with spaces and newline", payload: " -0.25\r\n", topicSensor: topic,
			want: []commands.Item{{Sensor: topic, Time: received, Value: -0.25}}},
		{name: "plain number with exponent", payload: "1e-3", topicSensor: topic,
			want: []commands.Item{{Sensor: topic, Time: received, Value: 0.001}}},
		{name: "object of the topic's sensor", payload: `{"time":"2025-10-10T02:00:00Z","value":4.5}`, topicSensor: topic,
			want: []commands.Item{{Sensor: topic, Time: at("2025-10-10T02:00:00Z"), Value: 4.5}}},
		{name: "object naming the topic's sensor", payload: `{"sensor":"mejean.level","time":"2025-10-10T04:00:00+02:00","value":4}`, topicSensor: topic,
			want: []commands.Item{{Sensor: topic, Time: at("2025-10-10T02:00:00Z"), Value: 4}}},
		{name: "object naming its sensor", payload: `{"sensor":"est.level","time":"2025-10-10T02:00:00Z","value":1.25}`,
			want: []commands.Item{{Sensor: "est.level", Time: at("2025-10-10T02:00:00Z"), Value: 1.25}}},
		{name: "array of readings", payload: `[{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1},
			{"sensor":"b","time":"2025-10-10T02:05:00Z","value":2}]`,
			want: []commands.Item{{Sensor: "a", Time: at("2025-10-10T02:00:00Z"), Value: 1}, {Sensor: "b", Time: at("2025-10-10T02:05:00Z"), Value: 2}}},
		{name: "array on a topic's sensor", payload: `[{"time":"2025-10-10T02:00:00Z","value":1},{"time":"2025-10-10T02:05:00Z","value":2}]`, topicSensor: topic,
			want: []commands.Item{{Sensor: topic, Time: at("2025-10-10T02:00:00Z"), Value: 1}, {Sensor: topic, Time: at("2025-10-10T02:05:00Z"), Value: 2}}},

		{name: "empty", payload: " \n", topicSensor: topic, wantErr: "empty payload", wantIndex: -1},
		{name: "plain number without a topic sensor", payload: "4.5", wantErr: "needs a topic that names the sensor", wantIndex: -1},
		{name: "text", payload: "high", topicSensor: topic, wantErr: "neither JSON nor a decimal number", wantIndex: -1},
		{name: "hexadecimal", payload: "0x1p3", topicSensor: topic, wantErr: "neither JSON nor a decimal number", wantIndex: -1},
		{name: "underscore", payload: "1_000", topicSensor: topic, wantErr: "neither JSON nor a decimal number", wantIndex: -1},
		{name: "NaN", payload: "NaN", topicSensor: topic, wantErr: "not a finite number", wantIndex: -1},
		{name: "infinity", payload: "-Inf", topicSensor: topic, wantErr: "not a finite number", wantIndex: -1},
		{name: "out of range", payload: "1e999", topicSensor: topic, wantErr: "out of range", wantIndex: -1},
		{name: "broken JSON", payload: `{"time":"2025-10-10T02:00:00Z",`, topicSensor: topic, wantErr: "not JSON", wantIndex: -1},
		{name: "trailing data", payload: `{"time":"2025-10-10T02:00:00Z","value":1} 2`, topicSensor: topic, wantErr: "not JSON", wantIndex: -1},
		{name: "unknown field", payload: `{"time":"2025-10-10T02:00:00Z","value":1,"unit":"m"}`, topicSensor: topic, wantErr: `unknown field "unit"`, wantIndex: -1},
		{name: "time missing", payload: `{"value":1}`, topicSensor: topic, wantErr: "time is missing", wantIndex: -1},
		{name: "time not RFC 3339", payload: `{"time":"10/10/2025 02:00","value":1}`, topicSensor: topic, wantErr: "not RFC 3339", wantIndex: -1},
		{name: "time as a number", payload: `{"time":1760061600,"value":1}`, topicSensor: topic, wantErr: "RFC 3339 string", wantIndex: -1},
		{name: "time out of range", payload: `{"time":"1800-01-01T00:00:00Z","value":1}`, topicSensor: topic, wantErr: "between 1900 and 2261", wantIndex: -1},
		{name: "value missing", payload: `{"time":"2025-10-10T02:00:00Z"}`, topicSensor: topic, wantErr: "value is missing", wantIndex: -1},
		{name: "value as a string", payload: `{"time":"2025-10-10T02:00:00Z","value":"4.5"}`, topicSensor: topic, wantErr: "not a string", wantIndex: -1},
		{name: "value null", payload: `{"time":"2025-10-10T02:00:00Z","value":null}`, topicSensor: topic, wantErr: "value is null", wantIndex: -1},
		{name: "value out of range", payload: `{"time":"2025-10-10T02:00:00Z","value":1e400}`, topicSensor: topic, wantErr: "out of range", wantIndex: -1},
		{name: "sensor missing", payload: `{"time":"2025-10-10T02:00:00Z","value":1}`, wantErr: "sensor is missing", wantIndex: -1},
		{name: "sensor empty", payload: `{"sensor":"","time":"2025-10-10T02:00:00Z","value":1}`, wantErr: "sensor is empty", wantIndex: -1},
		{name: "sensor not a string", payload: `{"sensor":7,"time":"2025-10-10T02:00:00Z","value":1}`, wantErr: "sensor must be a string", wantIndex: -1},
		{name: "sensor differs from the topic's", payload: `{"sensor":"est.level","time":"2025-10-10T02:00:00Z","value":1}`, topicSensor: topic, wantErr: "differs from", wantIndex: -1},
		{name: "empty array", payload: `[]`, topicSensor: topic, wantErr: "empty array", wantIndex: -1},
		{name: "array of numbers", payload: `[1,2]`, topicSensor: topic, wantErr: "must be a JSON object", wantIndex: 0},
		{name: "second reading bad", payload: `[{"time":"2025-10-10T02:00:00Z","value":1},{"time":"2025-10-10T02:05:00Z"}]`, topicSensor: topic, wantErr: "value is missing", wantIndex: 1},
		{name: "too many readings", payload: `[{"time":"2025-10-10T02:00:00Z","value":1},{"time":"2025-10-10T02:05:00Z","value":2}]`, topicSensor: topic, max: 1, wantErr: "more than the 1 allowed", wantIndex: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			max := tt.max
			if max == 0 {
				max = 100
			}
			got, err := mqtt.ParsePayload([]byte(tt.payload), tt.topicSensor, received, max)
			if tt.wantErr != "" {
				var pe *mqtt.PayloadError
				if !errors.As(err, &pe) {
					t.Fatalf("got %v, %v; want a *PayloadError containing %q", got, err, tt.wantErr)
				}
				if !strings.Contains(pe.Reason, tt.wantErr) || pe.Index != tt.wantIndex {
					t.Fatalf("got error %q at index %d, want %q at index %d", pe.Reason, pe.Index, tt.wantErr, tt.wantIndex)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d readings %v, want %v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i].Sensor != tt.want[i].Sensor || !got[i].Time.Equal(tt.want[i].Time) || got[i].Value != tt.want[i].Value {
					t.Errorf("reading %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
