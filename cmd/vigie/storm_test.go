package main_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"
)

// referenceStorm is the 8-hour storm of ../shared/reference (one reading a minute per sensor).
const referenceStorm = "../../../shared/reference/flood-2025-10-10.csv"

type stormRow struct {
	Sensor   string
	Time     time.Time
	Value    float64
	Injected string // what the generator did on purpose; the test knows, the product does not
}

func readStorm(t *testing.T, path string) []stormRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("reference storm: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []stormRow
	for _, r := range recs[1:] {
		tm, err := time.Parse(time.RFC3339, r[0])
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, stormRow{Sensor: r[1], Time: tm, Value: v, Injected: r[3]})
	}
	return rows
}

type crossing struct {
	Sensor    string    `json:"sensor"`
	Threshold string    `json:"threshold"`
	Direction string    `json:"direction"`
	At        time.Time `json:"at"`
	Late      bool      `json:"late"`
}

// postStormRows posts rows as a gateway would: batches of 200 in file order, each accepted.
func postStormRows(t *testing.T, base, key string, rows []stormRow) {
	t.Helper()
	for i := 0; i < len(rows); i += 200 {
		var batch []map[string]any
		for _, r := range rows[i:min(i+200, len(rows))] {
			batch = append(batch, map[string]any{"sensor": r.Sensor, "time": r.Time.Format(time.RFC3339), "value": r.Value})
		}
		body, _ := json.Marshal(batch)
		if code, resp, err := post(context.Background(), base, key, "application/json", body); err != nil || code != 200 {
			t.Fatalf("post batch %d: %d %s %v", i/200, code, resp, err)
		}
	}
}

// expectedCrossings recomputes, independently of the product, when each threshold is crossed:
// up at the first usable reading at or over the level, down at the first under level - deadband.
func expectedCrossings(rows []stormRow, thresholds map[string][]float64, names []string, deadband float64) []crossing {
	var out []crossing
	above := map[string]bool{}
	for _, r := range rows {
		if r.Injected == "spike" {
			continue
		}
		for i, level := range thresholds[r.Sensor] {
			k := r.Sensor + "/" + names[i]
			switch {
			case !above[k] && r.Value >= level:
				above[k] = true
				out = append(out, crossing{Sensor: r.Sensor, Threshold: names[i], Direction: "up", At: r.Time})
			case above[k] && r.Value < level-deadband:
				above[k] = false
				out = append(out, crossing{Sensor: r.Sensor, Threshold: names[i], Direction: "down", At: r.Time})
			}
		}
	}
	return out
}

func TestReferenceStormThroughTheAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	rows := readStorm(t, referenceStorm)
	data := t.TempDir()
	key := createKey(t, data, "gateway")
	srv := startServer(t, "--config", "../../examples/nimes.yaml", "--data", data, "--public-read")

	// Post as a gateway would: batches of 200 in file order.
	ctx := context.Background()
	postStormRows(t, srv.base, key, rows)
	// A gateway retrying the whole storm gets duplicates only.
	var all []map[string]any
	for _, r := range rows {
		all = append(all, map[string]any{"sensor": r.Sensor, "time": r.Time.Format(time.RFC3339), "value": r.Value})
	}
	body, _ := json.Marshal(all)
	code, resp, err := post(ctx, srv.base, key, "application/json", body)
	if err != nil || code != 200 {
		t.Fatalf("repost: %d %s %v", code, resp, err)
	}
	var counts struct{ Accepted, Duplicates, Rejected int }
	json.Unmarshal(resp, &counts)
	if counts.Accepted != 0 || counts.Duplicates != len(rows) {
		t.Fatalf("repost of %d readings: %+v, want all duplicates", len(rows), counts)
	}

	// Every accepted reading is in the series, the spike flagged implausible.
	perSensor := map[string][]stormRow{}
	for _, r := range rows {
		perSensor[r.Sensor] = append(perSensor[r.Sensor], r)
	}
	from, to := rows[0].Time.Add(-time.Minute).Format(time.RFC3339), rows[len(rows)-1].Time.Add(time.Minute).Format(time.RFC3339)
	for sensor, want := range perSensor {
		var series struct {
			Points []struct {
				Time    time.Time `json:"time"`
				Last    float64   `json:"last"`
				Quality string    `json:"quality"`
			} `json:"points"`
		}
		path := fmt.Sprintf("/api/v1/sensors/%s/series?from=%s&to=%s&step=raw", sensor, from, to)
		waitFor(t, 30*time.Second, "series of "+sensor, func() bool {
			srv.getJSON(t, path, &series)
			return len(series.Points) == len(want)
		})
		for i, p := range series.Points {
			if !p.Time.Equal(want[i].Time) || p.Last != want[i].Value {
				t.Fatalf("%s point %d: got %s %g, want %s %g", sensor, i, p.Time, p.Last, want[i].Time, want[i].Value)
			}
			if wantImplausible := want[i].Injected == "spike"; wantImplausible != (p.Quality == "implausible") {
				t.Errorf("%s at %s: quality %s (injected %s)", sensor, p.Time, p.Quality, want[i].Injected)
			}
		}
	}

	// The crossings in the log are exactly the expected ones, in order per sensor.
	thresholds := map[string][]float64{"mejean.level": {3, 6, 8.5}, "bassin-nord.level": {2.5, 5, 7}, "barrage-est.level": {2, 4, 5.5}}
	want := expectedCrossings(rows, thresholds, []string{"vigilance", "alerte", "crise"}, 0.05)
	var got []crossing
	for after := 0; ; {
		var page struct {
			Events []struct {
				Type string          `json:"type"`
				Data json.RawMessage `json:"data"`
			} `json:"events"`
			NextAfter int `json:"next_after"`
		}
		srv.getJSON(t, fmt.Sprintf("/api/v1/events?after=%d&limit=1000", after), &page)
		for _, e := range page.Events {
			if e.Type == "sensor.threshold_crossed" {
				var c crossing
				json.Unmarshal(e.Data, &c)
				got = append(got, c)
			}
		}
		if len(page.Events) == 0 || page.NextAfter <= after {
			break
		}
		after = page.NextAfter
	}
	sortCrossings := func(cs []crossing) {
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].Sensor != cs[j].Sensor {
				return cs[i].Sensor < cs[j].Sensor
			}
			return cs[i].At.Before(cs[j].At)
		})
	}
	sortCrossings(got)
	sortCrossings(want)
	if len(got) != len(want) {
		t.Fatalf("got %d crossings, want %d:\ngot  %+v\nwant %+v", len(got), len(want), got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Sensor != w.Sensor || g.Threshold != w.Threshold || g.Direction != w.Direction || !g.At.Equal(w.At) {
			t.Errorf("crossing %d: got %+v, want %+v", i, g, w)
		}
		if !g.Late {
			t.Errorf("crossing %d of a storm posted a year later is not marked late: %+v", i, g)
		}
	}
	if len(want) < 9 {
		t.Fatalf("only %d crossings expected: the reference storm should cross every threshold", len(want))
	}
}
