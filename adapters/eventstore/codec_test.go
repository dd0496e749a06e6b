package eventstore_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/event"
)

// levelMeasured is at schema 3. v1 had the level in centimetres ("level_cm"); v2 moved to metres
// ("level_m"); v3 added the quality, "good" for everything measured before.
type levelMeasured struct {
	Sensor  string  `json:"sensor"`
	LevelM  float64 `json:"level_m"`
	Quality string  `json:"quality"`
}

func (levelMeasured) EventType() string { return "test.level_measured" }

type gateOpened struct {
	Gate    string   `json:"gate"`
	Percent int      `json:"percent"`
	Tags    []string `json:"tags,omitempty"`
}

func (gateOpened) EventType() string { return "test.gate_opened" }

// pointerOnly implements event.Event on its pointer only.
type pointerOnly struct{}

func (*pointerOnly) EventType() string { return "test.pointer_only" }

func levelV1ToV2(data []byte) ([]byte, error) {
	var v1 struct {
		Sensor  string   `json:"sensor"`
		LevelCM *float64 `json:"level_cm"`
	}
	if err := json.Unmarshal(data, &v1); err != nil {
		return nil, fmt.Errorf("read v1: %w", err)
	}
	if v1.LevelCM == nil {
		return nil, errors.New("v1 without level_cm")
	}
	return json.Marshal(map[string]any{"sensor": v1.Sensor, "level_m": *v1.LevelCM / 100})
}

func levelV2ToV3(data []byte) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read v2: %w", err)
	}
	if m == nil {
		return nil, errors.New("v2 is not an object")
	}
	m["quality"] = "good"
	return json.Marshal(m)
}

func newTestCodec(t testing.TB) *eventstore.Codec {
	t.Helper()
	c, err := eventstore.NewCodec(
		[]event.Event{levelMeasured{}, gateOpened{}},
		[]eventstore.Schema{{Type: "test.level_measured", Version: 3}},
		[]event.Upcaster{
			{Type: "test.level_measured", From: 1, Convert: levelV1ToV2},
			{Type: "test.level_measured", From: 2, Convert: levelV2ToV3},
		},
	)
	if err != nil {
		t.Fatalf("new codec: %v", err)
	}
	return c
}

func TestCodecRoundTrip(t *testing.T) {
	t.Parallel()
	c := newTestCodec(t)
	meta := eventstore.Metadata{CorrelationID: "c", CausationID: "k", Actor: "user:durand"}
	tests := []struct {
		name       string
		event      event.Event
		wantSchema int
	}{
		{"CurrentSchema3", levelMeasured{Sensor: "mejean.level", LevelM: 12.75, Quality: "suspect"}, 3},
		{"DefaultSchema1", gateOpened{Gate: "G2", Percent: 40, Tags: []string{"manual", "crue"}}, 1},
		{"ZeroValue", gateOpened{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			enc, err := c.Encode(tt.event, meta)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if enc.Type != tt.event.EventType() || enc.Schema != tt.wantSchema || enc.Meta != meta {
				t.Fatalf("encoded %+v, want type %s schema %d meta %+v", enc, tt.event.EventType(), tt.wantSchema, meta)
			}
			got, err := c.Decode(eventstore.Record{Position: 7, Type: enc.Type, Schema: enc.Schema, Data: enc.Data, Meta: enc.Meta})
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.event) {
				t.Fatalf("round trip: got %#v, want %#v", got, tt.event)
			}
		})
	}
}

func TestCodecUnknownType(t *testing.T) {
	t.Parallel()
	c := newTestCodec(t)
	if _, err := c.Encode(&pointerOnly{}, eventstore.Metadata{}); !errors.Is(err, eventstore.ErrUnknownType) {
		t.Errorf("encode of an unregistered type: got %v, want ErrUnknownType", err)
	}
	_, err := c.Decode(eventstore.Record{Position: 42, Type: "test.never_heard_of", Schema: 1, Data: json.RawMessage(`{}`)})
	if !errors.Is(err, eventstore.ErrUnknownType) {
		t.Errorf("decode of an unknown type: got %v, want ErrUnknownType", err)
	}
	if err != nil && !strings.Contains(err.Error(), "42") {
		t.Errorf("error %q does not name the position", err)
	}
	if c.Known("test.never_heard_of") || !c.Known("test.gate_opened") {
		t.Error("Known disagrees with the registered types")
	}
}

func TestCodecUpcastsToCurrentSchema(t *testing.T) {
	t.Parallel()
	c := newTestCodec(t)
	want := levelMeasured{Sensor: "s1", LevelM: 12.75, Quality: "good"}
	tests := []struct {
		name   string
		schema int
		data   string
		want   levelMeasured
	}{
		{"V1", 1, `{"sensor":"s1","level_cm":1275}`, want},
		{"V2", 2, `{"sensor":"s1","level_m":12.75}`, want},
		{"V3", 3, `{"sensor":"s1","level_m":12.75,"quality":"bad"}`, levelMeasured{Sensor: "s1", LevelM: 12.75, Quality: "bad"}},
		// Records written before schemas were tracked carry 0: they are v1.
		{"SchemaZeroIsV1", 0, `{"sensor":"s1","level_cm":1275}`, want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.Decode(eventstore.Record{Type: "test.level_measured", Schema: tt.schema, Data: json.RawMessage(tt.data)})
			if err != nil {
				t.Fatalf("decode v%d: %v", tt.schema, err)
			}
			if got != tt.want {
				t.Fatalf("decode v%d: got %#v, want %#v", tt.schema, got, tt.want)
			}
		})
	}
}

func TestCodecUpcasterFailureIsReported(t *testing.T) {
	t.Parallel()
	c := newTestCodec(t)
	_, err := c.Decode(eventstore.Record{Position: 9, Type: "test.level_measured", Schema: 1, Data: json.RawMessage(`{"sensor":"s1"}`)})
	if err == nil || !strings.Contains(err.Error(), "upcast v1") || !strings.Contains(err.Error(), "without level_cm") {
		t.Fatalf("got %v, want the failing step and its cause", err)
	}
}

func TestCodecRefusesSchemaNewerThanKnown(t *testing.T) {
	t.Parallel()
	c := newTestCodec(t)
	_, err := c.Decode(eventstore.Record{Position: 3, Type: "test.level_measured", Schema: 4, Data: json.RawMessage(`{}`)})
	if err == nil || errors.Is(err, eventstore.ErrUnknownType) || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("decode of schema 4 with a build at 3: got %v, want a 'newer schema' error", err)
	}
}

func TestNewCodecRefuses(t *testing.T) {
	t.Parallel()
	up := func(b []byte) ([]byte, error) { return b, nil }
	tests := []struct {
		name       string
		prototypes []event.Event
		schemas    []eventstore.Schema
		upcasters  []event.Upcaster
		wantInErr  []string
	}{
		{
			name:       "MissingUpcaster",
			prototypes: []event.Event{levelMeasured{}},
			schemas:    []eventstore.Schema{{Type: "test.level_measured", Version: 3}},
			upcasters:  []event.Upcaster{{Type: "test.level_measured", From: 1, Convert: up}},
			wantInErr:  []string{"no upcaster from v2"},
		},
		{
			name:       "NoUpcasterAtAll",
			prototypes: []event.Event{levelMeasured{}},
			schemas:    []eventstore.Schema{{Type: "test.level_measured", Version: 2}},
			wantInErr:  []string{"no upcaster from v1"},
		},
		{
			name:       "DuplicateType",
			prototypes: []event.Event{gateOpened{}, gateOpened{}},
			wantInErr:  []string{"registered twice"},
		},
		{
			name:       "PointerPrototype",
			prototypes: []event.Event{&pointerOnly{}},
			wantInErr:  []string{"must be a struct value"},
		},
		{
			name:       "SchemaOfUnknownType",
			prototypes: []event.Event{gateOpened{}},
			schemas:    []eventstore.Schema{{Type: "test.nope", Version: 2}},
			wantInErr:  []string{"test.nope"},
		},
		{
			name:       "SchemaVersionZero",
			prototypes: []event.Event{gateOpened{}},
			schemas:    []eventstore.Schema{{Type: "test.gate_opened", Version: 0}},
			wantInErr:  []string{"bad version"},
		},
		{
			name:       "NilUpcaster",
			prototypes: []event.Event{levelMeasured{}},
			schemas:    []eventstore.Schema{{Type: "test.level_measured", Version: 2}},
			upcasters:  []event.Upcaster{{Type: "test.level_measured", From: 1}},
			wantInErr:  []string{"nil func"},
		},
		{
			name:       "EveryMistakeAtOnce",
			prototypes: []event.Event{gateOpened{}, gateOpened{}, levelMeasured{}},
			schemas:    []eventstore.Schema{{Type: "test.level_measured", Version: 2}},
			upcasters:  []event.Upcaster{{Type: "test.unknown", From: 1, Convert: up}},
			wantInErr:  []string{"registered twice", "no upcaster from v1", "test.unknown"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := eventstore.NewCodec(tt.prototypes, tt.schemas, tt.upcasters)
			if err == nil {
				t.Fatalf("got codec %v, want an error", c)
			}
			for _, want := range tt.wantInErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

// FuzzDecode feeds the codec what a damaged or foreign log could hold: Decode (with upcasting) must
// never panic, and whatever it decodes must survive Encode -> Decode: the second encoding equals
// the first. (Values are not compared: `"tags":[]` decodes to an empty slice that omitempty then
// drops, which is the event's JSON contract, not the codec's.)
func FuzzDecode(f *testing.F) {
	f.Add("test.level_measured", 1, []byte(`{"sensor":"s1","level_cm":1275}`))
	f.Add("test.level_measured", 2, []byte(`{"sensor":"s1","level_m":1.5}`))
	f.Add("test.level_measured", 3, []byte(`{"sensor":"s1","level_m":1.5,"quality":"good"}`))
	f.Add("test.level_measured", 1, []byte(`[]`))
	f.Add("test.level_measured", 2, []byte(`null`))
	f.Add("test.level_measured", -5, []byte(`{"level_cm":1e308}`))
	f.Add("test.gate_opened", 1, []byte(`{"gate":"G1","percent":12,"tags":["a"]}`))
	f.Add("test.gate_opened", 7, []byte(`{}`))
	f.Add("test.gate_opened", 1, []byte(`{"percent":1e99}`))
	f.Add("unknown", 1, []byte(``))
	f.Add("", 0, []byte("\xff\xfe"))
	f.Add("test.gate_opened", 1, []byte(`{"":0,"tAgs":[]}`)) // found by the fuzzer: see above
	c := newTestCodec(f)
	f.Fuzz(func(t *testing.T, typ string, schema int, data []byte) {
		got, err := c.Decode(eventstore.Record{Type: typ, Schema: schema, Data: data})
		if err != nil {
			return
		}
		enc, err := c.Encode(got, eventstore.Metadata{})
		if err != nil {
			t.Fatalf("encode of decoded %#v: %v", got, err)
		}
		again, err := c.Decode(eventstore.Record{Type: enc.Type, Schema: enc.Schema, Data: enc.Data})
		if err != nil {
			t.Fatalf("decode of re-encoded %s: %v", enc.Data, err)
		}
		enc2, err := c.Encode(again, eventstore.Metadata{})
		if err != nil {
			t.Fatalf("encode of %#v: %v", again, err)
		}
		if string(enc2.Data) != string(enc.Data) || enc2.Schema != enc.Schema {
			t.Fatalf("round trip: encoded %s@%d, then %s@%d", enc.Data, enc.Schema, enc2.Data, enc2.Schema)
		}
	})
}
