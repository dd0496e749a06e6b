package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/postgres"
)

// The method jsonl.Importer asks for (moving a log between stores keeps positions and times).
var _ interface {
	Import(ctx context.Context, records []eventstore.Record) error
} = (*postgres.Store)(nil)

// logToImport is a log as another store would export it: two streams interleaved, times to the
// nanosecond, metadata, data with its own spacing, and an event without data.
func logToImport(first uint64, n int, revs map[string]uint64) []eventstore.Record {
	at := time.Date(2025, 10, 10, 3, 0, 0, 123456789, time.UTC)
	out := make([]eventstore.Record, n)
	for i := range out {
		stream := fmt.Sprintf("sensor-%d", i%2)
		out[i] = eventstore.Record{
			Position: first + uint64(i), Stream: stream, Revision: revs[stream], Type: "sensor.readings_recorded", Schema: 2,
			Data:       json.RawMessage(fmt.Sprintf(`{ "i":%d,"v" : 1.50 }`, i)),
			Meta:       eventstore.Metadata{CorrelationID: fmt.Sprintf("req-%d", i), Actor: "apikey:gw-nord"},
			RecordedAt: at.Add(time.Duration(i) * 1001 * time.Nanosecond),
		}
		if i == 3 {
			out[i].Data, out[i].Meta = nil, eventstore.Metadata{}
		}
		revs[stream]++
	}
	return out
}

func TestImportKeepsRecordsExactly(t *testing.T) {
	t.Parallel()
	s := openStore(t, newSchema(t), postgres.Options{})
	ctx := context.Background()
	sub := make(chan []eventstore.Record, 16)
	subCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_ = s.Subscribe(subCtx, 0, func(b []eventstore.Record) error { sub <- b; return nil })
	}()

	revs := map[string]uint64{}
	first := logToImport(1, 10, revs)
	second := logToImport(11, 5, revs)
	for _, part := range [][]eventstore.Record{first, second} {
		if err := s.Import(ctx, part); err != nil {
			t.Fatal(err)
		}
	}
	want := append(append([]eventstore.Record{}, first...), second...)
	got, err := s.ReadAll(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d records, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.RecordedAt.Equal(w.RecordedAt) || string(g.Data) != string(w.Data) {
			t.Errorf("record %d: recorded %v data %q, want %v %q", i, g.RecordedAt, g.Data, w.RecordedAt, w.Data)
		}
		g.RecordedAt, w.RecordedAt, g.Data, w.Data = time.Time{}, time.Time{}, nil, nil
		if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	var delivered int
	for delivered < len(want) {
		select {
		case b := <-sub:
			delivered += len(b)
		case <-time.After(30 * time.Second):
			t.Fatalf("subscription delivered %d imported events, want %d", delivered, len(want))
		}
	}
	// Appends carry on after the imported log.
	res, err := s.Append(ctx, "sensor-0", eventstore.At(revs["sensor-0"]-1), event("after"))
	if err != nil {
		t.Fatal(err)
	}
	if res.FirstPosition != 16 || res.Revision != revs["sensor-0"] {
		t.Fatalf("append after the import: %+v, want position 16 revision %d", res, revs["sensor-0"])
	}
}

func TestImportRefusesWithoutWriting(t *testing.T) {
	t.Parallel()
	s := openStore(t, newSchema(t), postgres.Options{})
	ctx := context.Background()
	if _, err := s.Append(ctx, "sensor-0", eventstore.NoStream, event("existing")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func([]eventstore.Record) []eventstore.Record
		want string
	}{
		{"Empty", func([]eventstore.Record) []eventstore.Record { return nil }, "no records"},
		{"NotAfterTheHead", func(r []eventstore.Record) []eventstore.Record {
			for i := range r {
				r[i].Position += 5
			}
			return r
		}, "must start at 2"},
		{"Gap", func(r []eventstore.Record) []eventstore.Record { r[2].Position++; return r }, "consecutive"},
		{"RevisionSkipped", func(r []eventstore.Record) []eventstore.Record { r[4].Revision++; return r }, "want"},
		{"StreamDoesNotContinue", func(r []eventstore.Record) []eventstore.Record {
			for i := range r {
				if r[i].Stream == "sensor-0" {
					r[i].Revision--
				}
			}
			return r
		}, "starts at revision 0, want 1"},
		{"InvalidJSON", func(r []eventstore.Record) []eventstore.Record { r[1].Data = json.RawMessage(`{`); return r }, "not valid JSON"},
		{"NoTime", func(r []eventstore.Record) []eventstore.Record { r[1].RecordedAt = time.Time{}; return r }, "no recorded time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// sensor-0 already holds revision 0: the import continues it at 1.
			recs := tt.edit(logToImport(2, 6, map[string]uint64{"sensor-0": 1}))
			err := s.Import(ctx, recs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Import = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
	if h, err := s.Head(ctx); err != nil || h != 1 {
		t.Fatalf("head %d, %v after refused imports; want 1", h, err)
	}
	if err := s.Import(ctx, logToImport(2, 6, map[string]uint64{"sensor-0": 1})); err != nil {
		t.Fatalf("a valid import after the refused ones: %v", err)
	}
}
