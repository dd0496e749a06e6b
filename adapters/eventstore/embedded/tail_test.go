package embedded_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
)

// TestTailReadsWhatPebbleReads: the records the in-memory tail serves to subscribers are exactly
// those read back from disk (a reopened store has an empty tail and reads everything from Pebble),
// whatever the clock's zone, the data, the metadata; and changing a record read from the tail
// changes nothing for the next reader.
func TestTailReadsWhatPebbleReads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	paris := time.FixedZone("CEST", 2*3600)
	tick := time.Date(2026, 6, 1, 12, 30, 45, 123456789, paris)
	opts := embedded.Options{Now: func() time.Time { tick = tick.Add(1500 * time.Nanosecond); return tick }}
	ctx := context.Background()
	s, err := embedded.Open(dir, opts, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		data := json.RawMessage(fmt.Sprintf(`{"i":%d,"s":"%s"}`, i, strings.Repeat("x", i%7)))
		if i%9 == 0 {
			data = nil
		}
		ev := eventstore.Event{Type: fmt.Sprintf("t%d", i%3), Schema: 1 + i%2, Data: data,
			Meta: eventstore.Metadata{Actor: "user:durand", CorrelationID: fmt.Sprint("c", i), CausationID: fmt.Sprint(i % 4)}}
		if _, err := s.Append(ctx, fmt.Sprintf("sensor-%d", i%5), eventstore.Any, ev, ev); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	fromTail, err := s.ReadAll(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.ReadAll(ctx, 10, 5)
	if err != nil {
		t.Fatal(err)
	}
	// A caller scribbling over what it read must not reach the next reader.
	again[0].Data = append(again[0].Data[:0], `{"tampered":true}`...)
	again[0].Stream = "other"
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = embedded.Open(dir, opts, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fromDisk, err := s.ReadAll(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromTail) != 80 || !reflect.DeepEqual(fromTail, fromDisk) {
		for i := range min(len(fromTail), len(fromDisk)) {
			if !reflect.DeepEqual(fromTail[i], fromDisk[i]) {
				t.Fatalf("record %d: tail %+v, disk %+v", i, fromTail[i], fromDisk[i])
			}
		}
		t.Fatalf("tail gave %d records, disk %d", len(fromTail), len(fromDisk))
	}
}
