package mqtt

import "github.com/vigie/vigie/domain/sensor"

// SensorForTopic compiles s and matches topic against it: the sensor the topic names ("" when
// the payload must name it), whether it matches, and a compile or capture error.
func SensorForTopic(s Subscription, topic string) (sensor.ID, bool, error) {
	p, err := compile(s)
	if err != nil {
		return "", false, err
	}
	caps, ok := p.captures(topic)
	if !ok {
		return "", false, nil
	}
	id, err := p.sensorFor(caps)
	return id, true, err
}

// Filter is what s subscribes to.
func Filter(s Subscription) (string, error) {
	p, err := compile(s)
	if err != nil {
		return "", err
	}
	return p.filter, nil
}
