package jsonl_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
)

// exported gives the lines of a small sealed log's export.
func exported(t *testing.T) []string {
	t.Helper()
	return strings.Split(strings.TrimSuffix(string(export(t, sourceLog(t, 10), 0, 0)), "\n"), "\n")
}

func TestImportNamesTheLineOfEachProblem(t *testing.T) {
	t.Parallel()
	lines := exported(t)
	edit := func(i int, old, new string) []string {
		out := append([]string(nil), lines...)
		if !strings.Contains(out[i], old) {
			t.Fatalf("line %d has no %q: %s", i+1, old, out[i])
		}
		out[i] = strings.Replace(out[i], old, new, 1)
		return out
	}
	without := func(i int) []string { return append(append([]string(nil), lines[:i]...), lines[i+1:]...) }
	swapped := append([]string(nil), lines...)
	swapped[4], swapped[5] = swapped[5], swapped[4]
	stripHash := func(l string) string { return l[:strings.Index(l, `,"hash"`)] + "}" }

	tests := []struct {
		name  string
		lines []string
		line  int
		want  string
	}{
		{"AlteredMetadata", edit(8, `"cause-3"`, `"cause-4"`), 9, "this line was altered"},
		{"AlteredData", edit(0, `12.5`, `12.6`), 1, "the line was altered"},
		{"AlteredTime", edit(3, `"recorded_at":"2025`, `"recorded_at":"2024`), 4, "this line was altered"},
		{"RemovedLine", without(3), 4, "missing, repeated or out of order"},
		{"RemovedLineOfAnotherStream", without(1), 2, "altered, or one before it removed"},
		{"SwappedLines", swapped, 5, "removed or moved"},
		{"RepeatedLine", append(append([]string(nil), lines[:3]...), lines[2:]...), 4, "not in position order"},
		{"PartialExport", lines[2:], 1, "partial export"},
		{"HashMissing", append(lines[:2:2], stripHash(lines[2])), 3, "no hash"},
		{"HashAppears", []string{stripHash(lines[0]), lines[1]}, 2, "a hash, where the lines before have none"},
		{"Malformed", edit(2, `"schema":`, `"schema":"`), 3, "line 3: "},
		{"EmptyLine", append(append(lines[:2:2], ""), lines[2:]...), 3, "empty line"},
		{"CRLF", []string{lines[0] + "\r", lines[1]}, 1, `ends with \r`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst := openEmbedded(t, t.TempDir(), embedded.Options{})
			_, err := jsonl.Import(context.Background(), strings.NewReader(strings.Join(tt.lines, "\n")+"\n"), dst)
			var le *jsonl.LineError
			if !errors.As(err, &le) || le.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want line %d with %q", err, tt.line, tt.want)
			}
		})
	}
}

func TestImportAcceptsTheLastLineWithoutLineBreakAndFilesWithoutHashes(t *testing.T) {
	t.Parallel()
	lines := exported(t)
	dst := openEmbedded(t, t.TempDir(), embedded.Options{})
	rep, err := jsonl.Import(context.Background(), strings.NewReader(strings.Join(lines, "\n")), dst)
	if err != nil || rep.Events != uint64(len(lines)) {
		t.Fatalf("import without the last line break: %+v, %v", rep, err)
	}

	// The projections' storm fixture: written by json.Marshal(eventstore.Record), without hashes.
	f, err := os.ReadFile(filepath.Join("..", "..", "..", "projections", "testdata", "storm.events.jsonl"))
	if err != nil {
		t.Fatalf("the projections' storm fixture is missing: %v", err)
	}
	dst = openEmbedded(t, t.TempDir(), embedded.Options{})
	rep, err = jsonl.Import(context.Background(), bytes.NewReader(f), dst)
	if err != nil || rep.Hashed || rep.Events == 0 {
		t.Fatalf("import of the storm fixture: %+v, %v", rep, err)
	}
	if vr, err := hashchain.Verify(context.Background(), dst); err != nil || vr.FirstBroken != nil || vr.Head.String() != rep.Head {
		t.Fatalf("verify the imported fixture: %+v, %v; import said head %s", vr, err, rep.Head)
	}
}

func TestImportRefusesAStoreItCannotFill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := strings.Join(exported(t), "\n")

	full := openEmbedded(t, t.TempDir(), embedded.Options{})
	if _, err := full.Append(ctx, "s", eventstore.NoStream, eventstore.Event{Type: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := jsonl.Import(ctx, strings.NewReader(file), full); !errors.Is(err, jsonl.ErrNotEmpty) {
		t.Fatalf("import into a store that holds events: %v, want ErrNotEmpty", err)
	}

	wrapped, err := hashchain.Wrap(nopStore{}, hashchain.Options{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jsonl.Import(ctx, strings.NewReader(file), wrapped); !errors.Is(err, jsonl.ErrNotImporter) {
		t.Fatalf("import into a store without Import: %v, want ErrNotImporter", err)
	}
}

// refusing is an importer that refuses its second batch.
type refusing struct {
	nopStore
	calls int
}

func (r *refusing) Import(context.Context, []eventstore.Record) error {
	r.calls++
	if r.calls == 2 {
		return errors.New("disk full")
	}
	return nil
}

func TestImportReportsTheLinesOfAFailedBatch(t *testing.T) {
	t.Parallel()
	file := export(t, sourceLog(t, 700), 0, 0) // over 1,400 lines: two batches
	_, err := jsonl.Import(context.Background(), bytes.NewReader(file), &refusing{})
	if err == nil || !strings.Contains(err.Error(), "lines 1025..") || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the lines of the second batch", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("cable unplugged") }

func TestImportReportsReadErrorsAndLongLines(t *testing.T) {
	t.Parallel()
	if _, err := jsonl.Import(context.Background(), errReader{}, &sink{}); err == nil || !strings.Contains(err.Error(), "line 1: cable unplugged") {
		t.Fatalf("read error: %v", err)
	}
	long := bytes.Repeat([]byte{'x'}, jsonl.MaxLineBytes+2)
	if _, err := jsonl.Import(context.Background(), bytes.NewReader(long), &sink{}); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("endless line: %v", err)
	}
	if rep, err := jsonl.Import(context.Background(), strings.NewReader(""), &sink{}); err != nil || rep.Events != 0 {
		t.Fatalf("empty input: %+v, %v", rep, err)
	}
}
