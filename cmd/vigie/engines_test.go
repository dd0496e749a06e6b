package main_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	_ "github.com/ClickHouse/clickhouse-go/v2"
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// The same binary on the engines of a large deployment (docs/deploy.md): the log and the views
// in PostgreSQL, and the views in ClickHouse over the embedded log. Readings go in, the views and
// the alarms come out as with the embedded stores.
func TestServeOnOtherEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	pg := envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	ch := envOr("VIGIE_TEST_CLICKHOUSE", "127.0.0.1:9000")
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1e9)
	for _, tc := range []struct {
		name          string
		events, views string
		cleanup       func(t *testing.T)
	}{
		{"postgres", pg + "&schema=vigie_e2e_" + suffix, pg + "&schema=vigie_e2e_views_" + suffix, func(t *testing.T) {
			dropSchemas(t, pg, "vigie_e2e_"+suffix, "vigie_e2e_views_"+suffix)
		}},
		{"clickhouse views", "", "clickhouse://" + ch + "/vigie_e2e_" + suffix, func(t *testing.T) {
			db, err := sql.Open("clickhouse", "clickhouse://"+ch)
			if err != nil {
				t.Log(err)
				return
			}
			defer db.Close()
			db.Exec("DROP DATABASE IF EXISTS vigie_e2e_" + suffix)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Cleanup(func() { tc.cleanup(t) })
			data := t.TempDir()
			key := createKey(t, data, "gateway")
			args := []string{"--config", "../../examples/nimes.yaml", "--data", data, "--public-read"}
			if tc.events != "" {
				args = append(args, "--events", tc.events)
			}
			args = append(args, "--views", tc.views)
			srv := startServer(t, args...)
			// Readings 5 min apart (a plausible rise), the last one a minute old.
			at := time.Now().Add(-11 * time.Minute).UTC().Truncate(time.Second)
			var batch []map[string]any
			for i, v := range []float64{2.0, 3.5, 6.2} {
				batch = append(batch, map[string]any{"sensor": "mejean.level", "time": at.Add(time.Duration(i) * 5 * time.Minute).Format(time.RFC3339), "value": v})
			}
			body, _ := json.Marshal(batch)
			if code, resp, err := post(context.Background(), srv.base, key, "application/json", body); err != nil || code != 200 {
				t.Fatalf("post: %d %s %v", code, resp, err)
			}
			var series struct {
				Points []struct {
					Last float64 `json:"last"`
				} `json:"points"`
			}
			path := fmt.Sprintf("/api/v1/sensors/mejean.level/series?from=%s&to=%s&step=raw", at.Add(-time.Minute).Format(time.RFC3339), at.Add(15*time.Minute).Format(time.RFC3339))
			waitFor(t, 30*time.Second, "the series in the views", func() bool {
				srv.getJSON(t, path, &series)
				return len(series.Points) == 3
			})
			var alarms struct {
				Alarms []struct {
					ID    string `json:"id"`
					State string `json:"state"`
				} `json:"alarms"`
			}
			waitFor(t, 30*time.Second, "the vigilance and alerte alarms in the views", func() bool {
				srv.getJSON(t, "/api/v1/alarms?dam=mejean", &alarms)
				return len(alarms.Alarms) >= 2
			})
		})
	}
}
