package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The what-if replay through the running service's API (POST /api/v1/replay): the reference
// storm posted to `vigie serve`, then replayed over its live log with every threshold 0.5 m lower:
// each level alarm comes back earlier by the time the readings took to rise 0.5 m, as with
// `vigie replay`; with the recorded configuration it makes the recorded decisions; the real alarms
// are untouched; a viewer may not replay; bad YAML is a located
// 422; a second replay while one runs is refused with 429.
func TestReplayAPIOnTheRunningService(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	rows := readStorm(t, referenceStorm)
	data := t.TempDir()
	gateway := createKey(t, data, "gateway")
	admin := createKey(t, data, "admin")
	viewer := createKey(t, data, "viewer")
	srv := startServer(t, "--config", "../../examples/nimes.yaml", "--data", data)
	defer srv.stop(t)
	postStormRows(t, srv.base, gateway, rows)
	total := 0
	for _, conds := range expectedAlarms(t, rows) {
		total += len(conds)
	}
	var before []alarmJSON
	waitFor(t, 60*time.Second, fmt.Sprintf("%d alarms", total), func() bool {
		var page struct{ Alarms []alarmJSON }
		srv.getJSONAuth(t, admin, "/api/v1/alarms?limit=1000", &page)
		before = page.Alarms
		return len(before) >= total
	})

	yaml, err := os.ReadFile("../../examples/nimes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`level_m: ([0-9.]+)`)
	lowered := re.ReplaceAllFunc(yaml, func(b []byte) []byte {
		v, _ := strconv.ParseFloat(string(re.FindSubmatch(b)[1]), 64)
		return []byte("level_m: " + strconv.FormatFloat(v-0.5, 'f', -1, 64))
	})
	body, _ := json.Marshal(map[string]string{"from": "2025-10-09T00:00:00Z", "to": "2025-10-12T00:00:00Z", "config": string(lowered)})

	if code, resp := srv.postJSON(t, viewer, "/api/v1/replay", string(body)); code != 403 {
		t.Errorf("a viewer replays: %d %s", code, resp)
	}
	bad, _ := json.Marshal(map[string]string{"from": "2025-10-09T00:00:00Z", "to": "2025-10-12T00:00:00Z", "config": "site:\n  name: [\n"})
	if code, resp := srv.postJSON(t, admin, "/api/v1/replay", string(bad)); code != 422 || !strings.Contains(string(resp), `"line"`) ||
		!strings.Contains(string(resp), `"code":"yaml_syntax"`) {
		t.Errorf("bad YAML: %d %s", code, resp)
	}

	// Two at once: one runs, the other is told to come back.
	var (
		wg    sync.WaitGroup
		codes [2]int
		resps [2][]byte
	)
	for i := range codes {
		wg.Go(func() { codes[i], resps[i] = srv.postJSON(t, admin, "/api/v1/replay", string(body)) })
	}
	wg.Wait()
	ok := -1
	for i, c := range codes {
		if c == 200 {
			ok = i
		}
	}
	if ok < 0 {
		t.Fatalf("no replay succeeded: %d %s / %d %s", codes[0], resps[0], codes[1], resps[1])
	}
	if other := codes[1-ok]; other != 200 && other != 429 {
		t.Errorf("the concurrent replay: %d %s", other, resps[1-ok])
	}
	var cmp struct {
		Config string `json:"config"`
		Alarms []struct {
			ID       string `json:"id"`
			Replayed *struct {
				Raised time.Time `json:"raised"`
			} `json:"replayed"`
			Shift *float64 `json:"shift_s"`
		} `json:"alarms"`
	}
	if err := json.Unmarshal(resps[ok], &cmp); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cmp.Config, "api:apikey:") {
		t.Errorf("config %q, want the caller's", cmp.Config)
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
			shift := first(s, level-0.5).Sub(first(s, level)).Seconds()
			for _, a := range cmp.Alarms {
				if a.ID != id {
					continue
				}
				checked++
				if a.Shift == nil || *a.Shift != shift || shift >= 0 {
					t.Errorf("%s: shift %v s, want %v s (earlier)", id, a.Shift, shift)
				}
			}
		}
	}
	if checked != 9 {
		t.Errorf("compared %d level alarms, want 9", checked)
	}

	// With the configuration the log recorded (no YAML given): the recorded decisions.
	code, resp := srv.postJSON(t, admin, "/api/v1/replay", `{"from":"2025-10-09T00:00:00Z","to":"2025-10-12T00:00:00Z"}`)
	var same struct {
		Config string   `json:"config"`
		Same   bool     `json:"same_decisions"`
		Diff   []string `json:"differences"`
	}
	if err := json.Unmarshal(resp, &same); code != 200 || err != nil {
		t.Fatalf("replay with the recorded configuration: %d %s", code, resp)
	}
	if !same.Same || !strings.HasPrefix(same.Config, "recorded:") {
		t.Errorf("replay with the recorded configuration (%s) differs: %v", same.Config, same.Diff)
	}

	// The replay wrote nothing to the real log: the alarms are raised when they were.
	var page struct{ Alarms []alarmJSON }
	srv.getJSONAuth(t, admin, "/api/v1/alarms?limit=1000", &page)
	raised := map[string]time.Time{}
	for _, a := range page.Alarms {
		raised[a.ID] = a.RaisedAt
	}
	for _, a := range before {
		if got := raised[a.ID]; !got.Equal(a.RaisedAt) {
			t.Errorf("alarm %s raised at %s after the replay, %s before", a.ID, got, a.RaisedAt)
		}
	}
}

// The demo runs its storm faster than the clock (--demo-speed): the alarm rules and the gauges'
// rate limits with it. The log records the time scale with the configuration, and a replay of
// the demo's log with the recorded configuration makes exactly the recorded decisions: the
// rate-of-rise and time-to-spill alarms the accelerated storm raised included.
func TestReplayOfADemoLogIsIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	data := t.TempDir()
	admin := createKey(t, data, "admin")
	srv := startServer(t, "--demo", "--demo-speed", "600", "--demo-tick", "50ms", "--config", "../../examples/nimes.yaml", "--data", data)
	// 50 ms of the clock are 30 s of the storm: its first hour in 6 s.
	var alarms []alarmJSON
	waitFor(t, 90*time.Second, "the demo storm's level and trend alarms", func() bool {
		var page struct{ Alarms []alarmJSON }
		srv.getJSONAuth(t, admin, "/api/v1/alarms?limit=1000", &page)
		alarms = page.Alarms
		level, trend := 0, 0
		for _, a := range alarms {
			switch {
			case strings.HasPrefix(a.Condition, "level:"):
				level++
			case a.Condition == "rate_of_rise" || a.Condition == "time_to_spill":
				trend++
			}
		}
		return level >= 3 && trend >= 1
	})
	srv.stop(t)

	if exp := run(t, "export", "--data", data); !strings.Contains(exp, `"type":"config.applied","schema":2`) || !strings.Contains(exp, `"time_scale":600`) {
		t.Fatalf("the demo's log does not record its time scale:\n%.2000s", exp)
	}
	var same struct {
		Config string   `json:"config"`
		Same   bool     `json:"same_decisions"`
		Diff   []string `json:"differences"`
		Alarms []struct {
			ID string `json:"id"`
		} `json:"alarms"`
		Skipped []string `json:"skipped"`
	}
	out := run(t, "replay", "--data", data, "--format", "json")
	if err := json.Unmarshal([]byte(out), &same); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if !same.Same || !strings.HasPrefix(same.Config, "recorded:") {
		t.Fatalf("replay of the demo (%s) differs from the record: %d streams, first:\n%s", same.Config, len(same.Diff), strings.Join(same.Diff[:min(1, len(same.Diff))], ""))
	}
	if len(same.Alarms) < len(alarms) {
		t.Errorf("the replay compared %d alarms, the service showed %d", len(same.Alarms), len(alarms))
	}
	if len(same.Skipped) > 0 {
		t.Errorf("not applied: %v", same.Skipped)
	}
}
