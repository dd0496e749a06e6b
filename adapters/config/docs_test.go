package config_test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestDocsMentionEveryKey keeps docs/config.md honest: every key the valid fixtures and the
// examples use (between them, every key the format has) is documented.
func TestDocsMentionEveryKey(t *testing.T) {
	t.Parallel()
	doc := readFile(t, "../../docs/config.md")
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	examples, _ := filepath.Glob("../../examples/*.yaml")
	keys := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				keys[n.Content[i].Value] = true
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, f := range append(files, examples...) {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(readFile(t, f)), &n); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		walk(&n)
	}
	var missing []string
	for k := range keys {
		if !strings.Contains(doc, "`"+k) && !strings.Contains(doc, "."+k+"`") {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("docs/config.md does not document %v", missing)
	}
	if len(keys) < 50 {
		t.Errorf("only %d distinct keys in the fixtures: they no longer cover the format", len(keys))
	}
}
