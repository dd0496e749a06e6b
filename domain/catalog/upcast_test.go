package catalog_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/catalog"
)

// current is the schema version of every event type this build writes.
func current() map[string]int {
	out := map[string]int{}
	for _, e := range catalog.Events() {
		out[e.EventType()] = 1
	}
	for _, s := range catalog.Schemas() {
		out[s.Type] = s.Version
	}
	return out
}

// Every event type keeps a fixture of every schema version it ever had
// (testdata/<type>.v<N>.json): stored events are never rewritten, so a build must read them all.
// Each fixture decodes through the catalog's codec, upcasters included, into the current event;
// the fixture of the current version is exactly what the build writes, and an older one upcasts
// to its testdata/<type>.v<N>.upcast.json (the current version's JSON of that event).
func TestFixturesOfEveryVersionDecode(t *testing.T) {
	t.Parallel()
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		t.Fatal(err)
	}
	for typ, version := range current() {
		for v := 1; v <= version; v++ {
			t.Run(fmt.Sprintf("%s.v%d", typ, v), func(t *testing.T) {
				t.Parallel()
				path := filepath.Join("testdata", fmt.Sprintf("%s.v%d.json", typ, v))
				raw, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("no fixture of %s version %d: keep one for every version ever written (%v)", typ, v, err)
				}
				e, err := codec.Decode(eventstore.Record{Type: typ, Schema: v, Data: raw})
				if err != nil {
					t.Fatalf("decode %s: %v", path, err)
				}
				if e.EventType() != typ {
					t.Fatalf("decoded %s as %s", path, e.EventType())
				}
				enc, err := codec.Encode(e, eventstore.Metadata{})
				if err != nil {
					t.Fatal(err)
				}
				if enc.Schema != version {
					t.Errorf("re-encoded at schema %d, want %d", enc.Schema, version)
				}
				want := raw
				if v < version {
					if want, err = os.ReadFile(filepath.Join("testdata", fmt.Sprintf("%s.v%d.upcast.json", typ, v))); err != nil {
						t.Fatalf("no expected upcast of %s: %v", path, err)
					}
				}
				if a, b := compact(t, enc.Data), compact(t, want); !bytes.Equal(a, b) {
					t.Errorf("%s decodes and encodes to\n%s\nwant\n%s\n(a field lost or renamed: bump the schema and add an upcaster)", path, a, b)
				}
			})
		}
	}
}

// No fixture is left for a type or a version the catalog does not know.
func TestNoOrphanFixture(t *testing.T) {
	t.Parallel()
	versions := current()
	names, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^(.+)\.v(\d+)(\.upcast)?\.json$`)
	for _, n := range names {
		m := re.FindStringSubmatch(filepath.Base(n))
		if m == nil {
			t.Errorf("%s: not named <type>.v<N>.json", n)
			continue
		}
		v, _ := strconv.Atoi(m[2])
		if max, ok := versions[m[1]]; !ok || v < 1 || v > max {
			t.Errorf("%s: no event type %s at version %d in the catalog", n, m[1], v)
		}
	}
}

func compact(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
