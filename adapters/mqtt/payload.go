package mqtt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/sensor"
)

// PayloadError says why a message cannot be read as readings. The whole message is refused.
type PayloadError struct {
	// Index is the reading at fault in a JSON array, from 0; -1 for the message as a whole.
	Index  int
	Reason string
}

func (e *PayloadError) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("reading %d: %s", e.Index, e.Reason)
	}
	return e.Reason
}

// Sensor times must fit every store (Unix nanoseconds): [1900-01-01, 2262-01-01).
const (
	minUnix = -2208988800
	maxUnix = 9214646400
)

// ParsePayload reads one MQTT message as readings. Accepted payloads:
//
//	4.52                                          plain decimal number: time = received
//	{"time":"2025-10-10T02:00:00Z","value":4.52}  one reading of the topic's sensor
//	{"sensor":"mejean.level","time":"…","value":4.52}
//	[ … ]                                         an array of such objects (at most maxReadings)
//
// topicSensor is the sensor the topic names ("" when the subscription has no sensor template):
// a reading without "sensor" belongs to it, and a reading that names another one is refused.
// Times are RFC 3339. A plain number carries no time: it is stamped with received, so a
// redelivered plain number is stored twice; publish JSON with a time for exactly-once storage.
// Any mistake refuses the whole message with a *PayloadError.
func ParsePayload(payload []byte, topicSensor sensor.ID, received time.Time, maxReadings int) ([]commands.Item, error) {
	p := bytes.TrimSpace(payload)
	if len(p) == 0 {
		return nil, &PayloadError{Index: -1, Reason: "empty payload"}
	}
	switch p[0] {
	case '{':
		it, err := parseObject(p, topicSensor, -1)
		if err != nil {
			return nil, err
		}
		if maxReadings < 1 {
			return nil, &PayloadError{Index: -1, Reason: fmt.Sprintf("more than %d readings", maxReadings)}
		}
		return []commands.Item{it}, nil
	case '[':
		var raw []json.RawMessage
		if err := json.Unmarshal(p, &raw); err != nil {
			return nil, &PayloadError{Index: -1, Reason: "not JSON: " + jsonReason(err)}
		}
		if len(raw) == 0 {
			return nil, &PayloadError{Index: -1, Reason: "empty array: no readings"}
		}
		if len(raw) > maxReadings {
			return nil, &PayloadError{Index: -1, Reason: fmt.Sprintf("%d readings, more than the %d allowed in one message", len(raw), maxReadings)}
		}
		items := make([]commands.Item, len(raw))
		for i, r := range raw {
			if len(r) == 0 || r[0] != '{' {
				return nil, &PayloadError{Index: i, Reason: "a reading must be a JSON object"}
			}
			it, err := parseObject(r, topicSensor, i)
			if err != nil {
				return nil, err
			}
			items[i] = it
		}
		return items, nil
	}
	if topicSensor == "" {
		return nil, &PayloadError{Index: -1, Reason: "a plain number needs a topic that names the sensor (sensor template); publish JSON with \"sensor\" instead"}
	}
	if maxReadings < 1 {
		return nil, &PayloadError{Index: -1, Reason: fmt.Sprintf("more than %d readings", maxReadings)}
	}
	v, why := plainNumber(string(p))
	if why != "" {
		return nil, &PayloadError{Index: -1, Reason: why}
	}
	if why := checkTime(received); why != "" {
		return nil, &PayloadError{Index: -1, Reason: "receive time: " + why}
	}
	return []commands.Item{{Sensor: topicSensor, Time: received, Value: v}}, nil
}

// parseObject reads {"sensor","time","value"}; index is its place in an array, -1 alone.
func parseObject(b []byte, topicSensor sensor.ID, index int) (commands.Item, error) {
	fail := func(format string, args ...any) (commands.Item, error) {
		return commands.Item{}, &PayloadError{Index: index, Reason: fmt.Sprintf(format, args...)}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return fail("not JSON: %s", jsonReason(err))
	}
	var it commands.Item
	for k := range fields {
		switch k {
		case "sensor", "time", "value":
		default:
			return fail("unknown field %q (a reading has sensor, time and value)", clip(k))
		}
	}
	if raw, ok := fields["sensor"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fail("sensor must be a string")
		}
		switch {
		case s == "":
			return fail("sensor is empty")
		case !utf8.ValidString(s):
			return fail("sensor is not valid UTF-8")
		case topicSensor != "" && sensor.ID(s) != topicSensor:
			return fail("sensor %q differs from %q named by the topic", clip(s), clip(string(topicSensor)))
		}
		it.Sensor = sensor.ID(s)
	} else if topicSensor == "" {
		return fail("sensor is missing, and the topic does not name one")
	} else {
		it.Sensor = topicSensor
	}

	raw, ok := fields["time"]
	if !ok {
		return fail("time is missing (RFC 3339, e.g. \"2025-10-10T02:00:00Z\")")
	}
	var ts string
	if err := json.Unmarshal(raw, &ts); err != nil {
		return fail("time must be an RFC 3339 string such as \"2025-10-10T02:00:00Z\"")
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return fail("time %q is not RFC 3339 (e.g. \"2025-10-10T02:00:00Z\")", clip(ts))
	}
	if why := checkTime(t); why != "" {
		return fail("%s", why)
	}
	it.Time = t

	raw, ok = fields["value"]
	if !ok {
		return fail("value is missing")
	}
	switch c := raw[0]; {
	case c == '-' || '0' <= c && c <= '9':
	case c == 'n':
		return fail("value is null")
	case c == '"':
		return fail("value must be a JSON number, not a string")
	default:
		return fail("value must be a JSON number")
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsInf(v, 0) {
		return fail("value %s is out of range", clip(string(raw)))
	}
	it.Value = v
	return it, nil
}

// plainNumber accepts a decimal number as sensors and PLC gateways write it: no hexadecimal, no
// underscore, no NaN or infinity.
func plainNumber(s string) (float64, string) {
	if strings.ContainsAny(s, "xX_pP") || !utf8.ValidString(s) {
		return 0, fmt.Sprintf("payload %q is neither JSON nor a decimal number", clip(s))
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil && (math.IsNaN(v) || math.IsInf(v, 0)):
		return 0, fmt.Sprintf("value %q is not a finite number", clip(s))
	case errors.Is(err, strconv.ErrRange):
		return 0, fmt.Sprintf("value %q is out of range", clip(s))
	case err != nil:
		return 0, fmt.Sprintf("payload %q is neither JSON nor a decimal number", clip(s))
	}
	return v, ""
}

func checkTime(t time.Time) string {
	if u := t.Unix(); u < minUnix || u >= maxUnix {
		return "time must be between 1900 and 2261"
	}
	return ""
}

// jsonReason shortens encoding/json's messages, which may quote the input at length.
func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "unexpected " + te.Value
	}
	return clip(err.Error())
}

// clip keeps echoed input short and printable in logs and dead-letter properties.
func clip(s string) string {
	const n = 64
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "\uFFFD") + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
