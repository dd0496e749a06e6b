package main_test

import (
	"fmt"

	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAuditVerifyExportImport: a log written by `vigie serve` verifies, exports as JSON Lines,
// imports into an empty data folder, verifies there to the same head, and exports identically.
func TestAuditVerifyExportImport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	data := t.TempDir()
	key := createKey(t, data, "gateway")
	srv := startServer(t, "--config", "../../examples/nimes.yaml", "--data", data)
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	var items []map[string]any
	for i := 0; i < 50; i++ {
		items = append(items, map[string]any{"sensor": "mejean.level", "time": base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), "value": 2.5 + float64(i)/20})
	}
	body, _ := json.Marshal(items)
	if code, resp, err := post(context.Background(), srv.base, key, "application/json", body); err != nil || code != 200 {
		t.Fatalf("post: %d %s %v", code, resp, err)
	}
	srv.stop(t) // sealing what is left on the way out

	out := run(t, "audit", "verify", "--data", data)
	if !strings.Contains(out, "log intact") || !strings.Contains(out, "1 seals") {
		t.Fatalf("verify after a clean stop: %s", out)
	}
	head := strings.TrimSpace(out[strings.Index(out, "head ")+5:])

	exported := filepath.Join(t.TempDir(), "log.jsonl")
	run(t, "export", "--data", data, "--out", exported)
	copyDir := t.TempDir()
	run(t, "import", "--data", copyDir, exported)
	out2 := run(t, "audit", "verify", "--data", copyDir, "--anchor", head)
	if !strings.Contains(out2, "head "+head) {
		t.Fatalf("imported log verifies to another head:\n%s\nwant head %s", out2, head)
	}
	again := filepath.Join(t.TempDir(), "again.jsonl")
	run(t, "export", "--data", copyDir, "--out", again)
	a, _ := os.ReadFile(exported)
	b, _ := os.ReadFile(again)
	if string(a) != string(b) || len(a) == 0 {
		t.Fatalf("re-export differs (%d vs %d bytes)", len(a), len(b))
	}

	// Embedded -> PostgreSQL: the same log, the same head, the same export.
	pg := envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	schema := fmt.Sprintf("vigie_import_%d", time.Now().UnixNano()%1e9)
	t.Cleanup(func() { dropSchemas(t, pg, schema) })
	events := pg + "&schema=" + schema
	run(t, "import", "--events", events, exported)
	out3 := run(t, "audit", "verify", "--events", events, "--anchor", head)
	if !strings.Contains(out3, "head "+head) {
		t.Fatalf("log imported into PostgreSQL verifies to another head:\n%s\nwant head %s", out3, head)
	}
	fromPG := filepath.Join(t.TempDir(), "pg.jsonl")
	run(t, "export", "--events", events, "--out", fromPG)
	c, _ := os.ReadFile(fromPG)
	if string(a) != string(c) {
		t.Fatalf("export from PostgreSQL differs from the embedded one (%d vs %d bytes)", len(a), len(c))
	}
}
