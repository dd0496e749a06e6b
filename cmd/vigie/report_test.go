package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The reference storm through the service, then, the service stopped: the report lists every
// alarm with the times the API shows and prints the head `vigie audit verify` gives; a replay with
// the recorded configuration makes exactly the recorded decisions; a replay with every threshold
// 0.5 m lower raises each level alarm earlier by the time the readings took to rise 0.5 m.
func TestReportAndReplayOfTheReferenceStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	rows := readStorm(t, referenceStorm)
	data := t.TempDir()
	gateway := createKey(t, data, "gateway")
	operator := createKey(t, data, "operator")
	srv := startServer(t, "--config", "../../examples/nimes.yaml", "--data", data)
	postStormRows(t, srv.base, gateway, rows)
	want := expectedAlarms(t, rows)
	total := 0
	for _, conds := range want {
		total += len(conds)
	}
	var alarms []alarmJSON
	waitFor(t, 60*time.Second, fmt.Sprintf("%d alarms", total), func() bool {
		var page struct{ Alarms []alarmJSON }
		srv.getJSONAuth(t, operator, "/api/v1/alarms?limit=1000", &page)
		alarms = page.Alarms
		return len(alarms) >= total && slices.ContainsFunc(alarms, func(a alarmJSON) bool {
			return a.ID == "barrage-est~level:vigilance~1" && a.State == "unack_rtn"
		})
	})
	if code, body := srv.postJSON(t, operator, "/api/v1/alarms/mejean~level:crise~1/ack", `{"comment":"vu"}`); code != 200 {
		t.Fatalf("ack: %d %s", code, body)
	}
	// The running service serves the same report.
	var live struct {
		Alarms []json.RawMessage `json:"alarms"`
		Log    struct {
			ChainHead string `json:"chain_head"`
		} `json:"log"`
	}
	srv.getJSONAuth(t, operator, "/api/v1/report?format=json&lang=en", &live)
	if len(live.Alarms) != len(alarms) || live.Log.ChainHead == "" {
		t.Errorf("GET /api/v1/report: %d alarms (API %d), head %q", len(live.Alarms), len(alarms), live.Log.ChainHead)
	}
	srv.stop(t)

	verify := run(t, "audit", "verify", "--data", data)
	m := regexp.MustCompile(`head (\d+:[0-9a-f]{64})`).FindStringSubmatch(verify)
	if m == nil {
		t.Fatalf("no head in %q", verify)
	}

	// The report, in JSON: every alarm, the acknowledgement, the head.
	var rep struct {
		Log struct {
			ChainHead string `json:"chain_head"`
		} `json:"log"`
		Alarms []struct {
			ID           string    `json:"id"`
			Raised       time.Time `json:"raised"`
			Acknowledged *struct {
				By string `json:"by"`
			} `json:"acknowledged"`
		} `json:"alarms"`
		Dams []struct {
			ID   string `json:"id"`
			Peak *struct {
				Level float64 `json:"level_m"`
			} `json:"peak"`
			Spill []json.RawMessage `json:"spillway"`
		} `json:"dams"`
	}
	if err := json.Unmarshal([]byte(run(t, "report", "--data", data, "--format", "json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Log.ChainHead != m[1] {
		t.Errorf("report prints head %s, audit verify %s", rep.Log.ChainHead, m[1])
	}
	raised := map[string]time.Time{}
	for _, a := range rep.Alarms {
		raised[a.ID] = a.Raised
		if a.ID == "mejean~level:crise~1" && (a.Acknowledged == nil || a.Acknowledged.By == "") {
			t.Errorf("the acknowledgement of %s is not in the report", a.ID)
		}
	}
	for _, a := range alarms {
		if got, ok := raised[a.ID]; !ok || !got.Equal(a.RaisedAt) {
			t.Errorf("alarm %s raised at %s (API): report has %s (%v)", a.ID, a.RaisedAt, got, ok)
		}
	}
	if len(rep.Alarms) != len(alarms) || len(rep.Dams) != 3 {
		t.Errorf("report: %d alarms (API %d), %d dams", len(rep.Alarms), len(alarms), len(rep.Dams))
	}
	for _, d := range rep.Dams {
		if d.Peak == nil || len(d.Spill) == 0 {
			t.Errorf("%s: no peak or no spill", d.ID)
		}
	}
	for _, format := range []string{"html", "pdf"} {
		out := filepath.Join(t.TempDir(), "report."+format)
		run(t, "report", "--data", data, "--format", format, "--out", out, "--from", "2025-10-10T02:00:00Z", "--to", "2025-10-10T10:00:00Z")
		b, err := os.ReadFile(out)
		if err != nil || len(b) < 1000 {
			t.Fatalf("%s report: %d bytes, %v", format, len(b), err)
		}
		if format == "html" && !bytes.Contains(b, []byte(m[1])) {
			t.Error("the HTML report does not print the chain head")
		}
	}

	// Replay with the configuration recorded in the log: the same decisions.
	var same struct {
		Same bool     `json:"same_decisions"`
		Diff []string `json:"differences"`
	}
	if err := json.Unmarshal([]byte(run(t, "replay", "--data", data, "--format", "json")), &same); err != nil {
		t.Fatal(err)
	}
	if !same.Same {
		t.Errorf("replay with the recorded configuration differs: %v", same.Diff)
	}
	text := run(t, "replay", "--data", data)
	if !strings.Contains(text, "exactly the recorded") {
		t.Errorf("text output:\n%s", text)
	}

	// Replay with every threshold 0.5 m lower.
	yaml, err := os.ReadFile("../../examples/nimes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`level_m: ([0-9.]+)`)
	lowered := re.ReplaceAllFunc(yaml, func(b []byte) []byte {
		v, _ := strconv.ParseFloat(string(re.FindSubmatch(b)[1]), 64)
		return []byte("level_m: " + strconv.FormatFloat(v-0.5, 'f', -1, 64))
	})
	other := filepath.Join(t.TempDir(), "lowered.yaml")
	if err := os.WriteFile(other, lowered, 0o644); err != nil {
		t.Fatal(err)
	}
	var cmp struct {
		Alarms []struct {
			ID       string `json:"id"`
			Recorded *struct {
				Raised time.Time `json:"raised"`
			} `json:"recorded"`
			Replayed *struct {
				Raised time.Time `json:"raised"`
			} `json:"replayed"`
			Shift *time.Duration `json:"shift_ns"`
		} `json:"alarms"`
	}
	if err := json.Unmarshal([]byte(run(t, "replay", "--data", data, "--config", other, "--format", "json")), &cmp); err != nil {
		t.Fatal(err)
	}
	thresholds := map[string][]float64{"mejean.level": {3, 6, 8.5}, "bassin-nord.level": {2.5, 5, 7}, "barrage-est.level": {2, 4, 5.5}}
	names := []string{"vigilance", "alerte", "crise"}
	first := func(s string, level float64) time.Time {
		for _, r := range rows {
			if r.Sensor == s && r.Injected != "spike" && r.Value >= level {
				return r.Time
			}
		}
		t.Fatalf("%s never reaches %g", s, level)
		return time.Time{}
	}
	checked := 0
	for s, levels := range thresholds {
		d := strings.TrimSuffix(s, ".level")
		for i, level := range levels {
			id := d + "~level:" + names[i] + "~1"
			shift := first(s, level-0.5).Sub(first(s, level))
			for _, a := range cmp.Alarms {
				if a.ID != id {
					continue
				}
				checked++
				if a.Shift == nil || *a.Shift != shift || shift >= 0 {
					t.Errorf("%s: shift %v, want %v (earlier)", id, a.Shift, shift)
				}
			}
		}
	}
	if checked != 9 {
		t.Errorf("compared %d level alarms, want 9", checked)
	}
	// The replay did not touch the log.
	if again := run(t, "audit", "verify", "--data", data); !strings.Contains(again, m[1]) {
		t.Errorf("the log changed during the replays:\n%s", again)
	}
}
