package jsonl_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
)

// sink is an empty store that accepts any import, to run Import on fuzzed input without a disk.
type sink struct {
	nopStore
	got []eventstore.Record
}

func (s *sink) Import(_ context.Context, recs []eventstore.Record) error {
	s.got = append(s.got, recs...)
	return nil
}

// FuzzImportLine: no input makes ParseLine or Import panic; a line ParseLine accepts is written
// back by AppendLine as a line that parses to the same record and hash; and Import accepts a line
// alone only if ParseLine does.
func FuzzImportLine(f *testing.F) {
	f.Add([]byte(goodLine))
	f.Add([]byte(`{"position":12,"stream":"sensor-mejean.level","revision":0,"type":"sensor.readings_recorded","schema":1,"data":{"level_m":4.25},"metadata":{"correlation_id":"req-9","actor":"apikey:gw-nord"},"recorded_at":"2026-11-04T03:00:00.5Z","hash":"` + someHash + `"}`))
	f.Add([]byte(`{"position":1,"stream":"a\"\\\u2028","revision":0,"type":"t","schema":-1,"data_base64":"AP/+","metadata":{"actor":"\u00e9"},"recorded_at":"1600-01-01T01:00:00.000000001+01:00"}`))
	f.Add([]byte(`{"position":1,"stream":"s","revision":0,"type":"t","schema":1,"data":null,"metadata":{},"recorded_at":"2026-11-04T03:00:00Z"}`))
	f.Add([]byte(`{"position":1,"stream":"s","stream":"s"}`))
	f.Add([]byte(`{"position":1e3}`))
	f.Add([]byte("{\"data\":\"\xff\"}"))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, line []byte) {
		l, err := jsonl.ParseLine(line)

		s := &sink{}
		_, importErr := jsonl.Import(context.Background(), bytes.NewReader(line), s)
		if err != nil {
			if importErr == nil && len(line) > 0 && !bytes.ContainsAny(line, "\r\n") {
				t.Fatalf("Import accepted %q, which ParseLine refuses: %v", line, err)
			}
			return
		}
		if importErr == nil && (len(s.got) != 1 || !sameRecord(s.got[0], l.Record)) {
			t.Fatalf("Import of %q stored %+v, ParseLine gave %+v", line, s.got, l.Record)
		}
		again, err := jsonl.AppendLine(nil, l.Record, l.Hash)
		if err != nil {
			// Only what JSON cannot hold exactly: a year beyond 9999 after UTC conversion.
			if !strings.Contains(err.Error(), "years") {
				t.Fatalf("AppendLine of the record of %q: %v", line, err)
			}
			return
		}
		back, err := jsonl.ParseLine(again)
		if err != nil {
			t.Fatalf("ParseLine of AppendLine's %q (from %q): %v", again, line, err)
		}
		if !sameRecord(back.Record, l.Record) || back.Hash != l.Hash {
			t.Fatalf("round trip of %q through %q:\n got %+v\nwant %+v", line, again, back.Record, l.Record)
		}
	})
}
