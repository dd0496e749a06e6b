package config_test

import (
	"reflect"
	"testing"

	"github.com/vigie/vigie/adapters/config"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	base := readFile(t, "testdata/valid/base.yaml")
	old, err := config.Parse("base.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edits []string
		want  []string
	}{
		{"nothing", nil, nil},
		{"comments and layout only", []string{"    capacity_m3: 52000", "    capacity_m3: 5.2e4   # public figure"}, nil},
		{"threshold lowered", []string{"level_m: 6,", "level_m: 5.5,"},
			[]string{"dam mejean: threshold alerte level 6 -> 5.5 m"}},
		{"threshold renamed", []string{"{name: crise,", "{name: danger,"},
			[]string{"dam mejean: threshold crise removed", "dam mejean: threshold danger added"}},
		{"operator added", []string{"operators:\n", "operators:\n  - {id: op-x, name: X, phone: \"+33600000009\"}\n"},
			[]string{"operator op-x added"}},
		{"operator removed from everything", []string{
			"  - {id: op-b, name: Sacha B, phone: \"+33600000002\", language: en}\n", "",
			"members: [op-a, op-b]", "members: [op-a, op-c]"},
			[]string{"operator op-b removed", "rotation astreinte members op-a, op-b -> op-a, op-c"}},
		{"phone changed", []string{`"+33600000001"`, `"+33600000011"`},
			[]string{"operator op-a phone +33600000001 -> +33600000011"}},
		{"dam located", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    location: {lat: 43.8735, lon: 4.3305}\n"},
			[]string{"dam mejean location none -> 43.8735, 4.3305"}},
		{"dyke height forgotten", []string{"    dyke_height_m: 10\n", ""},
			[]string{"dam mejean dyke height 10 m -> unknown"}},
		{"escalation slower", []string{"[on_call], channels: [sms, voice], wait_for_ack: 5m", "[on_call], channels: [sms, voice], wait_for_ack: 10m"},
			[]string{"escalation policy crue: step 1 wait for ack 5m -> 10m"}},
		{"sensor period and stale delay", []string{"period: 5m", "period: 2m"},
			[]string{"dam mejean: sensor mejean.level period 5m -> 2m"}},
		{"time zone", []string{"Europe/Paris", "UTC"},
			[]string{"site time zone Europe/Paris -> UTC", "rotation astreinte start 2025-01-06 08:00 CET -> 2025-01-06 08:00 UTC"}},
		{"alarm condition dropped", []string{"      time_to_spill: {under: 1h}\n", ""},
			[]string{"dam mejean: time-to-spill alarm removed"}},
		{"dam removed", []string{"  - id: est\n    name: Barrage Est\n    capacity_m3: 23000\n    spillway_crest_m: 6\n    storage_curve:\n      table: [[0, 0], [2, 3000], [4, 11000], [6, 23000]]\n    sensors:\n      - {id: est.level, plausible_range: [-0.2, 7.5], period: 1m}\n    thresholds:\n      - {name: alerte, level_m: 4, severity: high}\n", ""},
			[]string{"dam est removed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			new, err := config.Parse("base.yaml", []byte(edit(t, base, tt.edits...)))
			if err != nil {
				t.Fatal(err)
			}
			if got := config.Diff(old, new); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDiffFromNothing(t *testing.T) {
	t.Parallel()
	c := load(t, "../../examples/minimal.yaml")
	want := []string{"site added", "ingestion added", "dam demo added", "operator op-demo added", "rotation astreinte added", "escalation policy default added"}
	if got := config.Diff(nil, c); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := config.Diff(c, nil); len(got) != 6 || got[0] != "site removed" {
		t.Errorf("Diff(c, nil) = %q", got)
	}
}

// Moving a dam on the map is a change an auditor sees; taking its location out too.
func TestDiffLocation(t *testing.T) {
	t.Parallel()
	nimes := load(t, "../../examples/nimes.yaml")
	text := readFile(t, "../../examples/nimes.yaml")
	moved, err := config.Parse("moved.yaml", []byte(edit(t, text, "{lat: 43.8852, lon: 4.3578}", "{lat: 43.8852, lon: 4.36}")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := config.Diff(nimes, moved), []string{"dam bassin-nord location 43.8852, 4.3578 -> 43.8852, 4.36"}; !reflect.DeepEqual(got, want) {
		t.Errorf("moved: got %q, want %q", got, want)
	}
	gone, err := config.Parse("gone.yaml", []byte(edit(t, text, "    location: {lat: 43.8668, lon: 4.3894}   # approximate\n", "")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := config.Diff(nimes, gone), []string{"dam barrage-est location 43.8668, 4.3894 -> none"}; !reflect.DeepEqual(got, want) {
		t.Errorf("removed: got %q, want %q", got, want)
	}
}
