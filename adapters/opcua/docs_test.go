package opcua_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vigie/vigie/adapters/opcua"
)

// documentedBlock decodes field.<key> of the configuration example in docs/field.md, refusing
// keys the struct does not have: the documentation and the yaml tags cannot drift apart.
func documentedBlock(tb testing.TB, key string, into any) {
	tb.Helper()
	doc, err := os.ReadFile("../../docs/field.md")
	if err != nil {
		tb.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		tb.Fatal("docs/field.md has no ```yaml example")
	}
	var root struct {
		Field map[string]yaml.Node `yaml:"field"`
	}
	if err := yaml.Unmarshal([]byte(example), &root); err != nil {
		tb.Fatalf("docs/field.md example: %v", err)
	}
	node, ok := root.Field[key]
	if !ok {
		tb.Fatalf("docs/field.md example has no field.%s", key)
	}
	b, err := yaml.Marshal(&node)
	if err != nil {
		tb.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(into); err != nil {
		tb.Fatalf("docs/field.md field.%s: %v", key, err)
	}
}

func TestDocumentedConfig(t *testing.T) {
	t.Parallel()
	var c opcua.Config
	documentedBlock(t, "opcua", &c)
	if err := c.Validate(); err != nil {
		t.Errorf("the documented configuration is invalid: %v", err)
	}
	if len(c.Endpoints) != 1 || len(c.Endpoints[0].Nodes) != 3 || c.Endpoints[0].Nodes[2].Factor == nil || !c.Server.Enabled() {
		t.Errorf("decoded %+v", c)
	}
}
