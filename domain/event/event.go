// Package event holds what every domain event has in common. It is pure: no I/O, no clock.
package event

// Event is a fact recorded in the log. EventType is a fixed string, never derived from reflection:
// it is the contract with every stored event and every consumer.
type Event interface {
	EventType() string
}

// Upcaster converts the JSON of one event type from schema version From to From+1. It is pure, so
// replaying the log twice gives the same result.
type Upcaster struct {
	Type    string
	From    int
	Convert func(data []byte) ([]byte, error)
}

// Schema gives the current schema version of an event type; types not listed are at version 1.
type Schema struct {
	Type    string
	Version int
}
