package commands_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/setup"
)

// A configuration is recorded when what the service runs with changes: another document, another
// time scale, or a document an editor recorded (pending) now in force at a start.
func TestConfigRecorderRecordsWhatTheServiceRunsWith(t *testing.T) {
	t.Parallel()
	doc := func(v int) (json.RawMessage, string) {
		return json.RawMessage(`{"version":` + string(rune('0'+v)) + `}`), "digest-" + string(rune('0'+v))
	}
	type step struct {
		doc       int
		scale     float64
		pending   bool
		recorded  bool
		wantScale float64 // of the last event recorded
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first start records", []step{{doc: 1, recorded: true, wantScale: 1}}},
		{"same configuration at the same scale: nothing", []step{{doc: 1, recorded: true, wantScale: 1}, {doc: 1, scale: 1, wantScale: 1}}},
		{"another configuration", []step{{doc: 1, recorded: true, wantScale: 1}, {doc: 2, recorded: true, wantScale: 1}}},
		{"the demo, then the service on the same file", []step{{doc: 1, scale: 120, recorded: true, wantScale: 120}, {doc: 1, recorded: true, wantScale: 1}}},
		{"the demo started twice", []step{{doc: 1, scale: 120, recorded: true, wantScale: 120}, {doc: 1, scale: 120, wantScale: 120}}},
		{"edited, then in force at the next start", []step{
			{doc: 1, recorded: true, wantScale: 1},
			{doc: 2, pending: true, recorded: true, wantScale: 1},
			{doc: 2, pending: true, wantScale: 1}, // saved twice
			{doc: 2, recorded: true, wantScale: 1},
			{doc: 2, wantScale: 1},
		}},
		{"an edit of the configuration in force records nothing", []step{{doc: 1, recorded: true, wantScale: 1}, {doc: 1, pending: true, wantScale: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			store, err := embedded.Open(t.TempDir(), embedded.Options{}, discard())
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 11, 4, 8, 0, 0, 0, time.UTC)
			rec, err := commands.NewConfigRecorder(store, codec, func() time.Time { return at })
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				d, digest := doc(s.doc)
				got, err := rec.Handle(ctx, commands.ApplyConfig{Source: "file:x.yaml", Actor: "config:file:x.yaml", Digest: digest, Document: d, TimeScale: s.scale, Pending: s.pending})
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if got != s.recorded {
					t.Errorf("step %d (%+v): recorded %v, want %v", i, s, got, s.recorded)
				}
				prev, _, ok, err := rec.Previous(ctx)
				if err != nil || !ok {
					t.Fatalf("step %d: previous: %v, %v", i, ok, err)
				}
				if prev.TimeScale != s.wantScale || prev.Scale() != s.wantScale {
					t.Errorf("step %d: last recorded at time scale %g (Scale %g), want %g", i, prev.TimeScale, prev.Scale(), s.wantScale)
				}
				if s.recorded && (prev.Pending != s.pending || prev.Digest != digest) {
					t.Errorf("step %d: recorded %s pending=%v, want %s pending=%v", i, prev.Digest, prev.Pending, digest, s.pending)
				}
			}
		})
	}
}

// A config.applied of schema 1 (before the time scale was recorded) reads as in force at scale 1.
func TestConfigAppliedOfSchemaOneReadsAtScaleOne(t *testing.T) {
	t.Parallel()
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		t.Fatal(err)
	}
	e, err := codec.Decode(eventstore.Record{Type: "config.applied", Schema: 1, Data: json.RawMessage(`{"source":"s","digest":"d","actor":"a","at":"2025-10-10T01:30:00Z","document":{"version":1}}`)})
	if err != nil {
		t.Fatal(err)
	}
	c, ok := e.(setup.ConfigApplied)
	if !ok || c.TimeScale != 1 || c.Pending || string(c.Document) != `{"version":1}` {
		t.Fatalf("decoded %#v", e)
	}
}
