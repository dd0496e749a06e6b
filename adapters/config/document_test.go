package config_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with a file in testdata/, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n got %s\nwant %s", path, got, want)
	}
}

// TestDocumentGolden pins the stored document of the reference customer: it is recorded in
// config.applied events, so a change to it is a change to the log's contract.
func TestDocumentGolden(t *testing.T) {
	c := load(t, "../../examples/nimes.yaml")
	doc, digest := c.Document()
	if !json.Valid(doc) {
		t.Fatalf("document is not JSON: %s", doc)
	}
	sum := sha256.Sum256(doc)
	if digest != hex.EncodeToString(sum[:]) {
		t.Errorf("digest %s is not the sha256 of the document", digest)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, doc, "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/nimes.document.json", append(pretty.Bytes(), '\n'))
	golden(t, "testdata/nimes.digest", []byte(digest+"\n"))
}

// TestDigestStable: what a file means, not how it is written, makes the digest.
func TestDigestStable(t *testing.T) {
	t.Parallel()
	_, want := load(t, "../../examples/nimes.yaml").Document()
	tests := []struct {
		name string
		path string
		same bool
	}{
		{"same file again", "../../examples/nimes.yaml", true},
		{"reordered, reformatted, defaults written out, no comments", "testdata/valid/nimes-reformatted.yaml", true},
		{"one threshold moved 10 cm", "testdata/valid/nimes-alerte-5.9.yaml", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, got := load(t, tt.path).Document()
			if (got == want) != tt.same {
				t.Errorf("digest %s, nimes.yaml %s, want same=%v", got, want, tt.same)
			}
		})
	}
}

// TestDocumentParsesBack: a stored document is a configuration file; parsing it gives the same
// configuration (same digest, no difference), so the previous configuration can be read back
// from the log to describe what changed.
func TestDocumentParsesBack(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("testdata/valid/*.yaml")
	examples, _ := filepath.Glob("../../examples/*.yaml")
	for _, p := range append(paths, examples...) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			t.Parallel()
			c := load(t, p)
			doc, digest := c.Document()
			back, err := config.Parse("document", doc)
			if err != nil {
				t.Fatalf("the document does not parse back:\n%v\n%s", err, doc)
			}
			if _, d := back.Document(); d != digest {
				t.Errorf("digest %s after a round trip, want %s", d, digest)
			}
			if diff := config.Diff(c, back); len(diff) != 0 {
				t.Errorf("round trip changed %q", diff)
			}
		})
	}
}

// TestInvalidGolden pins the whole report for files with many mistakes: what a user reads.
func TestInvalidGolden(t *testing.T) {
	paths, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(paths) == 0 {
		t.Fatal("no testdata/invalid/*.yaml")
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			_, err := config.Parse(filepath.Base(p), []byte(readFile(t, p)))
			if err == nil {
				t.Fatal("Parse accepted an invalid file")
			}
			problems(t, err)
			golden(t, strings.TrimSuffix(p, ".yaml")+".golden", []byte(err.Error()+"\n"))
		})
	}
}
