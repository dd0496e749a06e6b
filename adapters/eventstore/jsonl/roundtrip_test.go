package jsonl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
)

// nopStore is an empty store that does nothing.
type nopStore struct{}

func (nopStore) Append(context.Context, string, eventstore.Revision, ...eventstore.Event) (eventstore.AppendResult, error) {
	return eventstore.AppendResult{}, errors.New("nopStore")
}
func (nopStore) ReadStream(context.Context, string, uint64, int) ([]eventstore.Record, error) {
	return nil, nil
}
func (nopStore) ReadAll(context.Context, uint64, int) ([]eventstore.Record, error) { return nil, nil }
func (nopStore) Subscribe(context.Context, uint64, func([]eventstore.Record) error) error {
	return errors.New("nopStore")
}
func (nopStore) Head(context.Context) (uint64, error) { return 0, nil }
func (nopStore) Close() error                         { return nil }

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func openEmbedded(t testing.TB, dir string, opts embedded.Options) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(dir, opts, testLogger(t))
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// clock gives each commit its own time, nanoseconds included, so that a store that stamped the
// time of the import instead of keeping the original would show.
func clock() func() time.Time {
	at := time.Date(2025, 10, 10, 1, 30, 0, 123456789, time.UTC)
	return func() time.Time {
		at = at.Add(1234567 * time.Microsecond)
		return at
	}
}

// sourceLog builds a sealed embedded log of every shape of event and returns the store.
func sourceLog(t testing.TB, n int) *hashchain.Store {
	t.Helper()
	inner := openEmbedded(t, t.TempDir(), embedded.Options{Now: clock()})
	s, err := hashchain.Wrap(inner, hashchain.Options{MaxSealEvents: 500}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range n {
		data, _ := json.Marshal(map[string]any{"sensor": fmt.Sprintf("s%d", i%7), "value": 12.5 + float64(i), "note": "crue d'été <⚠>", "i": i})
		e := eventstore.Event{Type: "sensor.readings_recorded", Schema: 1 + i%2, Data: data,
			Meta: eventstore.Metadata{CorrelationID: fmt.Sprintf("req-%d", i), Actor: "apikey:gw-nord"}}
		switch i % 5 {
		case 1:
			e.Data = nil // no data
		case 2:
			e.Data = json.RawMessage("{\n  \"pretty\": true\n}") // bytes that go as base64
			e.Meta = eventstore.Metadata{}
		case 3:
			e.Meta.CausationID = "cause-" + fmt.Sprint(i)
		}
		if _, err := s.Append(ctx, fmt.Sprintf("sensor-s%d", i%7), eventstore.Any, e, e); err != nil {
			t.Fatal(err)
		}
		if i%97 == 0 {
			if _, err := s.Seal(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func readLog(t testing.TB, s eventstore.Store) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	for after := uint64(0); ; {
		page, err := s.ReadAll(context.Background(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Position
	}
}

func export(t testing.TB, s eventstore.Store, from, to uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jsonl.Export(context.Background(), s, &buf, from, to); err != nil {
		t.Fatalf("export: %v", err)
	}
	return buf.Bytes()
}

// TestRoundTripEmbeddedToEmbedded: embedded -> JSONL -> new embedded keeps every record byte for
// byte, the imported log verifies to the same head, and exporting it again gives the same file.
func TestRoundTripEmbeddedToEmbedded(t *testing.T) {
	t.Parallel()
	src := sourceLog(t, 600)
	ctx := context.Background()
	srcReport, err := hashchain.Verify(ctx, src)
	if err != nil || srcReport.FirstBroken != nil {
		t.Fatalf("source verify: %+v, %v", srcReport, err)
	}
	file := export(t, src, 0, 0)

	dst := openEmbedded(t, t.TempDir(), embedded.Options{Now: func() time.Time { return time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC) }})
	rep, err := jsonl.Import(ctx, bytes.NewReader(file), dst)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	want := readLog(t, src)
	if rep.Events != uint64(len(want)) || !rep.Hashed || rep.First != 1 || rep.Last != want[len(want)-1].Position || rep.Streams != 8 {
		t.Fatalf("import report %+v for %d events", rep, len(want))
	}
	if rep.Head != srcReport.Head.String() {
		t.Fatalf("import head %s, source verifies to %s", rep.Head, srcReport.Head)
	}

	got := readLog(t, dst)
	if len(got) != len(want) {
		t.Fatalf("imported %d events, source has %d", len(got), len(want))
	}
	for i := range want {
		if !sameRecord(got[i], want[i]) {
			t.Fatalf("event %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	dstReport, err := hashchain.Verify(ctx, dst)
	if err != nil || dstReport.FirstBroken != nil || dstReport.Head != srcReport.Head || dstReport.Seals != srcReport.Seals {
		t.Fatalf("imported store verifies to %+v (%v), source to %+v", dstReport, err, srcReport)
	}
	if again := export(t, dst, 0, 0); !bytes.Equal(again, file) {
		t.Fatal("exporting the imported store gives another file")
	}

	// The imported store is a store like any other: it carries on where the log stopped.
	res, err := dst.Append(ctx, "sensor-s0", eventstore.Any, eventstore.Event{Type: "t"})
	if err != nil || res.FirstPosition != uint64(len(want))+1 {
		t.Fatalf("append after import: %+v, %v", res, err)
	}
	if last := got[len(got)-1]; last.Stream == "sensor-s0" && res.Revision != last.Revision+1 {
		t.Fatalf("append after import at revision %d", res.Revision)
	}
	rs, _ := dst.ReadStream(ctx, "sensor-s0", 0, 100000)
	if rs[len(rs)-1].Revision != uint64(len(rs)-1) {
		t.Fatalf("stream sensor-s0 after import and append: last revision %d of %d events", rs[len(rs)-1].Revision, len(rs))
	}
}

// TestHashesAreTheHashChains: jsonl writes out the chain itself (adapters do not import each
// other); each line's hash must be what package hashchain computes.
func TestHashesAreTheHashChains(t *testing.T) {
	t.Parallel()
	src := sourceLog(t, 50)
	c := hashchain.NewChain(hashchain.Head{})
	lines := bytes.Split(bytes.TrimSuffix(export(t, src, 0, 0), []byte{'\n'}), []byte{'\n'})
	for i, line := range lines {
		l, err := jsonl.ParseLine(line)
		if err != nil {
			t.Fatal(err)
		}
		_, head, err := c.Add(l.Record)
		if err != nil {
			t.Fatal(err)
		}
		if l.Hash != head.Hash.String() {
			t.Fatalf("line %d: hash %s, hashchain gives %s", i+1, l.Hash, head.Hash)
		}
	}
}

func TestExportRange(t *testing.T) {
	t.Parallel()
	src := sourceLog(t, 30)
	full := strings.Split(strings.TrimSuffix(string(export(t, src, 0, 0)), "\n"), "\n")
	head, _ := src.Head(context.Background())
	if uint64(len(full)) != head {
		t.Fatalf("full export has %d lines for head %d", len(full), head)
	}
	tests := []struct {
		name     string
		from, to uint64
		want     []string
	}{
		{"FromOne", 1, 0, full},
		{"Middle", 10, 20, full[9:20]},
		{"ToBeyondHead", 50, head + 100, full[49:]},
		{"One", 7, 7, full[6:7]},
		{"FromBeyondHead", head + 1, 0, nil},
		{"Inverted", 20, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := string(export(t, src, tt.from, tt.to))
			if want := strings.Join(tt.want, "\n"); got != want+map[bool]string{true: "\n", false: ""}[len(tt.want) > 0] {
				t.Fatalf("export %d..%d:\n%s\nwant lines %d..%d of the full export", tt.from, tt.to, got, tt.from, tt.to)
			}
		})
	}
}

// failingWriter fails once it has taken n bytes.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestExportReportsWriteAndReadErrors(t *testing.T) {
	t.Parallel()
	src := sourceLog(t, 300)
	if err := jsonl.Export(context.Background(), src, &failingWriter{n: 1000}, 0, 0); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("export to a failing writer: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := jsonl.Export(ctx, src, &bytes.Buffer{}, 0, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("export with a cancelled context: %v", err)
	}
}
