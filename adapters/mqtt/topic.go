package mqtt

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vigie/vigie/domain/sensor"
)

// pattern is a compiled Subscription.
type pattern struct {
	filter string   // what is subscribed: "dams/+/+"
	levels []string // the filter's levels
	names  []string // capture name per level, "" for a literal or a plain wildcard
	// sensor is the template split into literal text and capture references: even indexes
	// are text, odd indexes capture names. nil: the payload names the sensor.
	sensor []string
}

// compile checks a subscription and builds its pattern.
func compile(s Subscription) (*pattern, error) {
	if s.Topic == "" {
		return nil, errors.New("topic is empty")
	}
	if !utf8.ValidString(s.Topic) || strings.ContainsRune(s.Topic, 0) {
		return nil, fmt.Errorf("topic %q is not valid UTF-8 without NUL", s.Topic)
	}
	if len(s.Topic) > 65535 {
		return nil, errors.New("topic is longer than 65535 bytes")
	}
	if strings.HasPrefix(s.Topic, "$share/") {
		return nil, fmt.Errorf("topic %q: shared subscriptions are not supported (one Vigie session must see every reading)", s.Topic)
	}
	p := &pattern{}
	raw := strings.Split(s.Topic, "/")
	seen := map[string]bool{}
	for i, l := range raw {
		name := ""
		switch {
		case l == "#":
			if i != len(raw)-1 {
				return nil, fmt.Errorf("topic %q: # must be the last level", s.Topic)
			}
		case l == "+":
		case strings.HasPrefix(l, "{") && strings.HasSuffix(l, "}"):
			name = l[1 : len(l)-1]
			if !validName(name) {
				return nil, fmt.Errorf("topic %q: capture %q must be a name of letters, digits and _", s.Topic, l)
			}
			if seen[name] {
				return nil, fmt.Errorf("topic %q: capture {%s} appears twice", s.Topic, name)
			}
			seen[name] = true
			l = "+"
		case strings.ContainsAny(l, "+#{}"):
			return nil, fmt.Errorf("topic %q: level %q mixes a wildcard or brace with text", s.Topic, l)
		}
		p.levels = append(p.levels, l)
		p.names = append(p.names, name)
	}
	p.filter = strings.Join(p.levels, "/")
	if s.Sensor == "" {
		return p, nil
	}
	p.sensor = []string{}
	rest := s.Sensor
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if strings.ContainsRune(rest, '}') {
				return nil, fmt.Errorf("sensor %q: unbalanced }", s.Sensor)
			}
			p.sensor = append(p.sensor, rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("sensor %q: unbalanced {", s.Sensor)
		}
		text, name := rest[:open], rest[open+1:open+end]
		if strings.ContainsRune(text, '}') {
			return nil, fmt.Errorf("sensor %q: unbalanced }", s.Sensor)
		}
		if !seen[name] {
			return nil, fmt.Errorf("sensor %q: {%s} is not captured by topic %q", s.Sensor, name, s.Topic)
		}
		p.sensor = append(p.sensor, text, name)
		rest = rest[open+end+1:]
	}
	if len(p.sensor) == 1 {
		return nil, fmt.Errorf("sensor %q uses no capture of the topic: every reading would go to one sensor; put that sensor in a topic level instead", s.Sensor)
	}
	return p, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// validTopicName checks a topic one publishes to (no wildcard).
func validTopicName(t string) error {
	switch {
	case t == "":
		return errors.New("topic is empty")
	case !utf8.ValidString(t) || strings.ContainsRune(t, 0):
		return fmt.Errorf("topic %q is not valid UTF-8 without NUL", t)
	case strings.ContainsAny(t, "+#"):
		return fmt.Errorf("topic %q holds a wildcard", t)
	case strings.HasPrefix(t, "$"):
		return fmt.Errorf("topic %q starts with $, reserved to the broker", t)
	}
	return nil
}

// match reports whether topic matches the filter (MQTT rules: "+" one level, "#" the rest,
// which includes the parent level; wildcards at the first level do not match "$..." topics).
func (p *pattern) match(topic string) bool {
	_, ok := p.captures(topic)
	return ok
}

// captures matches topic and returns the captured levels by name.
func (p *pattern) captures(topic string) (map[string]string, bool) {
	if strings.HasPrefix(topic, "$") && (p.levels[0] == "+" || p.levels[0] == "#") {
		return nil, false
	}
	t := strings.Split(topic, "/")
	var caps map[string]string
	for i, l := range p.levels {
		if l == "#" {
			return caps, true // "a/#" matches "a" too
		}
		if i >= len(t) {
			return nil, false
		}
		switch {
		case l == "+":
			if p.names[i] != "" {
				if caps == nil {
					caps = map[string]string{}
				}
				caps[p.names[i]] = t[i]
			}
		case l != t[i]:
			return nil, false
		}
	}
	return caps, len(t) == len(p.levels)
}

// sensorFor builds the sensor id from a topic's captures: "" when the payload names the sensor.
func (p *pattern) sensorFor(caps map[string]string) (sensor.ID, error) {
	if p.sensor == nil {
		return "", nil
	}
	var b strings.Builder
	for i, part := range p.sensor {
		if i%2 == 0 {
			b.WriteString(part)
			continue
		}
		v := caps[part]
		if v == "" {
			return "", fmt.Errorf("topic level {%s} is empty", part)
		}
		b.WriteString(v)
	}
	return sensor.ID(b.String()), nil
}

// overlap reports whether some topic matches both filters.
func overlap(a, b []string) bool {
	for i := 0; ; i++ {
		switch {
		case i < len(a) && a[i] == "#", i < len(b) && b[i] == "#":
			// "#" matches the parent level too: "a/#" and "a" overlap.
			return true
		case i == len(a) && i == len(b):
			return true
		case i == len(a) || i == len(b):
			// One ends; the other overlaps only if its remainder is a lone "#".
			rest := a
			if i == len(a) {
				rest = b
			}
			return i == len(rest)-1 && rest[i] == "#"
		case a[i] != "+" && b[i] != "+" && a[i] != b[i]:
			return false
		}
	}
}
