package eventstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/vigie/vigie/domain/event"
)

// ErrUnknownType is returned by Decode for an event type the codec was not given. Projections
// skip and count such events; they never fail on them.
var ErrUnknownType = errors.New("unknown event type")

type codecEntry struct {
	typ    reflect.Type
	schema int
}

// Codec encodes domain events to stored events and back, upcasting old schema versions on read.
// It is a value built once and passed in: there is no global registry.
type Codec struct {
	types     map[string]codecEntry
	upcasters map[string]map[int]func([]byte) ([]byte, error)
}

// Schema gives the current schema version of an event type. Types not listed are at version 1.
type Schema = event.Schema

// NewCodec registers prototypes (zero values of each event struct, not pointers), their current
// schema versions and the upcasters from older versions. It refuses duplicates and gaps, so a
// missing upcaster is found at start-up, not in the middle of a replay.
func NewCodec(prototypes []event.Event, schemas []Schema, upcasters []event.Upcaster) (*Codec, error) {
	c := &Codec{types: map[string]codecEntry{}, upcasters: map[string]map[int]func([]byte) ([]byte, error){}}
	var errs []error
	for _, p := range prototypes {
		t := reflect.TypeOf(p)
		if t == nil || t.Kind() == reflect.Pointer {
			errs = append(errs, fmt.Errorf("codec: prototype %v must be a struct value", t))
			continue
		}
		name := p.EventType()
		if _, dup := c.types[name]; dup {
			errs = append(errs, fmt.Errorf("codec: event type %q registered twice", name))
			continue
		}
		c.types[name] = codecEntry{typ: t, schema: 1}
	}
	for _, s := range schemas {
		e, ok := c.types[s.Type]
		if !ok || s.Version < 1 {
			errs = append(errs, fmt.Errorf("codec: schema %d for %q: unknown type or bad version", s.Version, s.Type))
			continue
		}
		e.schema = s.Version
		c.types[s.Type] = e
	}
	for _, u := range upcasters {
		if _, ok := c.types[u.Type]; !ok || u.Convert == nil {
			errs = append(errs, fmt.Errorf("codec: upcaster for %q v%d: unknown type or nil func", u.Type, u.From))
			continue
		}
		if c.upcasters[u.Type] == nil {
			c.upcasters[u.Type] = map[int]func([]byte) ([]byte, error){}
		}
		c.upcasters[u.Type][u.From] = u.Convert
	}
	for name, e := range c.types {
		for v := 1; v < e.schema; v++ {
			if c.upcasters[name][v] == nil {
				errs = append(errs, fmt.Errorf("codec: %q is at schema %d but has no upcaster from v%d", name, e.schema, v))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// jsonMethods: an event type with its own MarshalJSON / UnmarshalJSON (gauge.ReadingsRecorded,
// most of the log) promises encoding/json's exact results, output and errors, so the codec calls
// them directly: json.Marshal would validate and compact the output again, json.Unmarshal scan the
// input twice (once to validate, once to find the value's end), which cost as much as the decoding.

// Encode turns a domain event into an Event to append.
func (c *Codec) Encode(e event.Event, meta Metadata) (Event, error) {
	entry, ok := c.types[e.EventType()]
	if !ok {
		return Event{}, fmt.Errorf("encode %q: %w", e.EventType(), ErrUnknownType)
	}
	var data []byte
	var err error
	if m, ok := e.(json.Marshaler); ok {
		data, err = m.MarshalJSON() // see jsonMethods
	} else {
		data, err = json.Marshal(e)
	}
	if err != nil {
		return Event{}, fmt.Errorf("encode %q: %w", e.EventType(), err)
	}
	// Valid JSON either way: json.Marshal checks what it writes, and the domain's only
	// MarshalJSON (gauge.ReadingsRecorded) is fuzzed against encoding/json's output.
	return Event{Type: e.EventType(), Schema: entry.schema, Data: data, Meta: meta, JSONChecked: true}, nil
}

// Decode turns a stored record into its domain event, upcasting it to the current schema first.
func (c *Codec) Decode(r Record) (event.Event, error) {
	entry, ok := c.types[r.Type]
	if !ok {
		return nil, fmt.Errorf("decode %s@%d (position %d): %w", r.Type, r.Schema, r.Position, ErrUnknownType)
	}
	data := []byte(r.Data)
	schema := r.Schema
	if schema < 1 {
		schema = 1
	}
	if schema > entry.schema {
		return nil, fmt.Errorf("decode %s (position %d): schema %d is newer than this build knows (%d)", r.Type, r.Position, schema, entry.schema)
	}
	for ; schema < entry.schema; schema++ {
		up, err := c.upcasters[r.Type][schema](data)
		if err != nil {
			return nil, fmt.Errorf("decode %s (position %d): upcast v%d: %w", r.Type, r.Position, schema, err)
		}
		data = up
	}
	ptr := reflect.New(entry.typ)
	var err error
	if u, ok := ptr.Interface().(json.Unmarshaler); ok {
		err = u.UnmarshalJSON(data) // see jsonMethods
	} else {
		err = json.Unmarshal(data, ptr.Interface())
	}
	if err != nil {
		return nil, fmt.Errorf("decode %s (position %d): %w", r.Type, r.Position, err)
	}
	return ptr.Elem().Interface().(event.Event), nil
}

// Known reports whether the codec has the event type.
func (c *Codec) Known(eventType string) bool { _, ok := c.types[eventType]; return ok }
