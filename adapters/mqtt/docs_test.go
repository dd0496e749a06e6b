package mqtt_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vigie/vigie/adapters/mqtt"
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
	var c mqtt.Config
	documentedBlock(t, "mqtt", &c)
	if err := c.Validate(); err != nil {
		t.Errorf("the documented configuration is invalid: %v", err)
	}
	if c.ClientID != "vigie-nimes" || len(c.Subscriptions) != 2 || c.SessionExpiry.Hours() != 24 || c.TLS.CAFile == "" {
		t.Errorf("decoded %+v", c)
	}
}
