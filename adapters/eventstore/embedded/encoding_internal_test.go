package embedded

import (
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// FuzzDecodeRecord: what is read from disk may be damaged; decoding must fail cleanly, never
// panic, and whatever decodes must encode to bytes that decode to the same record.
func FuzzDecodeRecord(f *testing.F) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 42, time.UTC)
	f.Add(appendRecord(nil, "sensor-mejean.level", 7, at, eventstore.Event{
		Type: "reading.recorded", Schema: 2, Data: []byte(`{"v":1.5}`),
		Meta: eventstore.Metadata{CorrelationID: "c", CausationID: "k", Actor: "apikey:gw"},
	}))
	f.Add(appendRecord(nil, "s", 0, time.Unix(-1<<40, 999999999), eventstore.Event{Type: "t", Schema: -3}))
	f.Add([]byte{})
	f.Add([]byte{recordVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, v []byte) {
		r, err := decodeRecord(1, v)
		paged, pagedErr := newPageAlloc().decode(1, v)
		if (err == nil) != (pagedErr == nil) || !reflect.DeepEqual(r, paged) {
			t.Fatalf("page decoder disagrees: %+v, %v; then %+v, %v", r, err, paged, pagedErr)
		}
		if err != nil {
			return
		}
		again := appendRecord(nil, r.Stream, r.Revision, r.RecordedAt, eventstore.Event{Type: r.Type, Schema: r.Schema, Data: r.Data, Meta: r.Meta})
		r2, err := decodeRecord(1, again)
		if err != nil {
			t.Fatalf("decode of re-encoded record: %v", err)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip: %+v, then %+v", r, r2)
		}
	})
}
