package kurrent

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeMeta: user metadata comes from the server, where any program may have written it.
// Decoding never panics, never yields a schema below 1, and what the adapter writes reads back.
func FuzzDecodeMeta(f *testing.F) {
	f.Add([]byte(`{"schema":3,"correlation_id":"c","causation_id":"k","actor":"apikey:gw-nord"}`))
	f.Add([]byte(`{"schema":0}`))
	f.Add([]byte(`{"schema":-7}`))
	f.Add([]byte(`{"schema":1e99}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Add([]byte("\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMeta(b)
		if err != nil {
			return
		}
		if m.Schema < 1 {
			t.Fatalf("decodeMeta(%q): schema %d", b, m.Schema)
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal %+v: %v", m, err)
		}
		if back, err := decodeMeta(again); err != nil || back != m {
			t.Fatalf("round trip of %+v: got %+v, %v", m, back, err)
		}
	})
}
