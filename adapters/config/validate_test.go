package config_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/config"
)

// want is one expected problem: where it is and a part of what it says.
type want struct {
	line int
	path string
	msg  string
}

// edit applies replacements to text, each of which must match exactly once, so a case cannot
// silently stop testing anything when the base file changes.
func edit(tb testing.TB, text string, pairs ...string) string {
	tb.Helper()
	if len(pairs)%2 != 0 {
		tb.Fatal("edit needs old/new pairs")
	}
	for i := 0; i < len(pairs); i += 2 {
		if n := strings.Count(text, pairs[i]); n != 1 {
			tb.Fatalf("edit: %q occurs %d times in the base, want once", pairs[i], n)
		}
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	return text
}

func readFile(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func problems(tb testing.TB, err error) []config.Problem {
	tb.Helper()
	var ve *config.ValidationError
	if !errors.As(err, &ve) {
		tb.Fatalf("error %v (%T) is not a *config.ValidationError", err, err)
	}
	return ve.Problems
}

func TestBaseIsValid(t *testing.T) {
	t.Parallel()
	if _, err := config.Parse("base.yaml", []byte(readFile(t, "testdata/valid/base.yaml"))); err != nil {
		t.Fatalf("base.yaml must be valid for the table tests to mean anything:\n%v", err)
	}
}

func TestValidationProblems(t *testing.T) {
	t.Parallel()
	base := readFile(t, "testdata/valid/base.yaml")
	tests := []struct {
		name  string
		edits []string
		want  []want
	}{
		{"unknown key suggests the right one", []string{"    dyke_height_m: 10", "    dyke_heigth_m: 10"},
			[]want{{17, "dams[0].dyke_heigth_m", `unknown key "dyke_heigth_m" (did you mean "dyke_height_m"?)`}}},
		{"key without its unit suffix", []string{"level_m: 3,", "level: 3,"},
			[]want{{31, "dams[0].thresholds[0].level_m", "is missing"}, {31, "dams[0].thresholds[0].level", `did you mean "level_m"?`}}},
		{"threshold above the dyke", []string{"level_m: 8.5", "level_m: 12"},
			[]want{{33, "dams[0].thresholds[2].level_m", "must be below the dyke height 10 m (got 12)"}}},
		{"thresholds not increasing", []string{"level_m: 6,", "level_m: 2,"},
			[]want{{32, "dams[0].thresholds[1].level_m", "must be above the previous threshold vigilance (3 m)"}}},
		{"higher threshold less severe", []string{"severity: critical}", "severity: medium}"},
			[]want{{33, "dams[0].thresholds[2].severity", "medium is less severe than high"}}},
		{"unknown severity", []string{"severity: low}", "severity: minor}"},
			[]want{{31, "dams[0].thresholds[0].severity", "must be one of low, medium, high, critical"}}},
		{"threshold name used twice", []string{"{name: crise,", "{name: alerte,"},
			[]want{{33, "dams[0].thresholds[2].name", `"alerte" is already used`}}},
		{"threshold under the gauge zero", []string{"level_m: 3,", "level_m: -1,"},
			[]want{{31, "dams[0].thresholds[0].level_m", "must be above the gauge zero"}}},
		{"deadband too wide", []string{"deadband_m: 0.1", "deadband_m: 7"},
			[]want{{32, "dams[0].thresholds[1].deadband_m", "too wide"}}},
		{"negative delay", []string{"on_delay: 1m", "on_delay: -1m"},
			[]want{{32, "dams[0].thresholds[1].on_delay", "must be longer than zero"}}},
		{"plausible range inverted", []string{"[-0.2, 11]", "[11, -0.2]"},
			[]want{{25, "dams[0].sensors[0].plausible_range", "minimum must be below the maximum"}}},
		{"plausible range under the crest hides a threshold", []string{"[-0.2, 11]", "[-0.2, 8]"},
			[]want{{25, "dams[0].sensors[0].plausible_range", "under the spillway crest 9 m"}, {33, "dams[0].thresholds[2].level_m", "could never be crossed"}}},
		{"plausible range above the gauge zero", []string{"[-0.2, 11]", "[1, 11]"},
			[]want{{25, "dams[0].sensors[0].plausible_range", "above the gauge zero"}}},
		{"plausible range of three numbers", []string{"[-0.2, 11]", "[-0.2, 5, 11]"},
			[]want{{25, "dams[0].sensors[0].plausible_range", "must be two numbers"}}},
		{"suspect rate above max rate", []string{"suspect_rate_m_per_h: 60", "suspect_rate_m_per_h: 200"},
			[]want{{27, "dams[0].sensors[0].suspect_rate_m_per_h", "above max_rate_m_per_h 120 m/h"}}},
		{"stale delay not longer than the period", []string{"stale_after: 15m", "stale_after: 5m"},
			[]want{{29, "dams[0].sensors[0].stale_after", "not longer than the reporting period"}}},
		{"duration without unit", []string{"period: 5m", "period: 300"},
			[]want{{28, "dams[0].sensors[0].period", "needs a unit: write for example 300s or 5m"}}},
		{"negative duration", []string{"window: 15m", "window: -5m"},
			[]want{{35, "dams[0].alarms.rate_of_rise.window", "must be longer than zero"}}},
		{"rate of rise of zero", []string{"rise_m_per_h: 1,", "rise_m_per_h: 0,"},
			[]want{{35, "dams[0].alarms.rate_of_rise.rise_m_per_h", "above 0 m/h"}}},
		{"negative frozen trend", []string{"min_trend_m_per_h: 0.2", "min_trend_m_per_h: -1"},
			[]want{{37, "dams[0].alarms.frozen.min_trend_m_per_h", "must be 0 or more"}}},
		{"text where a number goes", []string{"capacity_m3: 52000", `capacity_m3: "lots"`},
			[]want{{16, "dams[0].capacity_m3", `must be a number, without quotes or unit (got "lots")`}}},
		{"capacity inconsistent with the curve", []string{"capacity_m3: 52000", "capacity_m3: 20000"},
			[]want{{16, "dams[0].capacity_m3", "the storage curve gives 42120 m³ at the spillway crest (9 m), 111% more than the capacity 20000 m³"}}},
		{"spillway above the dyke", []string{"spillway_crest_m: 9", "spillway_crest_m: 11"},
			[]want{{18, "dams[0].spillway_crest_m", "must not be above the dyke height 10 m"}}},
		{"power curve with a negative coefficient", []string{"{a: 520, b: 2}", "{a: -1, b: 2}"},
			[]want{{20, "dams[0].storage_curve.power", "must be positive"}}},
		{"curve in the reference file's form", []string{"power: {a: 520, b: 2}", "a: 520"},
			[]want{{20, "dams[0].storage_curve.a", "write the coefficients under power:"}}},
		{"table curve with a falling volume", []string{"[4, 11000]", "[4, 1000]"},
			[]want{{43, "dams[1].storage_curve.table", "volume falls from 3000 to 1000"}}},
		{"table point that is not a pair", []string{"[2, 3000]", "[2]"},
			[]want{{43, "dams[1].storage_curve.table[1]", "pair [height_m, volume_m3]"}}},
		{"missing required key", []string{"    spillway_crest_m: 6\n", ""},
			[]want{{38, "dams[1].spillway_crest_m", "is missing"}}},
		{"dam id with capitals and accents", []string{"  - id: mejean\n", "  - id: Méjean\n"},
			[]want{{14, "dams[0].id", `"Méjean" is not a valid dam id`}, {71, "escalation_policies[1].applies_to.dams[0]", `no dam has the id "mejean"`}}},
		{"dam id used twice", []string{"  - id: est\n", "  - id: mejean\n"},
			[]want{{38, "dams[1].id", `dam id "mejean" is already used by dams[0]`}}},
		{"sensor id used in two dams", []string{"{id: est.level", "{id: mejean.level"},
			[]want{{45, "dams[1].sensors[0].id", `sensor id "mejean.level" is already used`}}},
		{"dam without sensors", []string{"sensors:\n      - {id: est.level, plausible_range: [-0.2, 7.5], period: 1m}", "sensors: []\n"},
			[]want{{44, "dams[1].sensors", "list at least one sensor"}}},
		{"repeated key", []string{"    name: Barrage Est\n", "    name: Barrage Est\n    name: Autre\n"},
			[]want{{40, "dams[1].name", `"name" is given twice (first on line 39)`}}},
		{"phone not in E.164", []string{`"+33600000002"`, `"06 00 00 00 02"`},
			[]want{{50, "operators[1].phone", "E.164"}}},
		{"email with a display name", []string{"email: a@example.org", `email: "Camille <a@example.org>"`},
			[]want{{49, "operators[0].email", "plain e-mail address"}}},
		{"unknown role", []string{"role: supervisor", "role: boss"},
			[]want{{51, "operators[2].role", "must be one of operator, supervisor"}}},
		{"operator id used twice", []string{"{id: op-b,", "{id: op-a,"},
			[]want{{50, "operators[1].id", "already used"}, {56, "rotations[0].members[1]", `no operator has the id "op-b"`}}},
		{"group id with a capital", []string{"{id: supervisors,", "{id: Supervisors,"},
			[]want{{53, "groups[0].id", "not a valid group id"}, {68, "escalation_policies[0].steps[2].targets[0]", `no group has the id "supervisors"`}}},
		{"group members not a list", []string{"members: [op-c]", "members: op-c"},
			[]want{{53, "groups[0].members", "must be a list"}}},
		{"rotation member unknown", []string{"members: [op-a, op-b]", "members: [op-a, op-x]"},
			[]want{{56, "rotations[0].members[1]", `no operator has the id "op-x"`}}},
		{"rotation start not on the handover day", []string{"start: 2025-01-06", "start: 2025-01-07"},
			[]want{{58, "rotations[0].start", "2025-01-07 is a tuesday, but duty changes hands on monday"}}},
		{"handover time not a time", []string{`at: "08:00"`, `at: "8h"`},
			[]want{{57, "rotations[0].handover.at", "time of day"}}},
		{"weekday in French", []string{"weekday: monday", "weekday: lundi"},
			[]want{{57, "rotations[0].handover.weekday", "in English"}}},
		{"override ending before it starts", []string{`to: "2025-12-29 08:00"`, `to: "2025-12-20 08:00"`},
			[]want{{60, "rotations[0].overrides[0].to", "must be after from"}}},
		{"override for an unknown operator", []string{"operator: op-c}", "operator: op-z}"},
			[]want{{60, "rotations[0].overrides[0].operator", `no operator has the id "op-z"`}}},
		{"overlapping overrides", []string{"operator: op-c}", "operator: op-c}\n      - {from: \"2025-12-28 08:00\", to: \"2025-12-30 08:00\", operator: op-a}"},
			[]want{{61, "rotations[0].overrides[1].from", "overlaps overrides[0]"}}},
		{"target operator unknown", []string{`"operator:op-c"`, `"operator:op-z"`},
			[]want{{73, "escalation_policies[1].steps[0].targets[0]", `no operator has the id "op-z"`}}},
		{"target misspelt", []string{"[next_on_call]", "[next_operator]"},
			[]want{{67, "escalation_policies[0].steps[1].targets[0]", "must be on_call, next_on_call, all_operators, operator:<id> or group:<id>"}}},
		{"step without wait_for_ack", []string{"[next_on_call], channels: [sms, voice], wait_for_ack: 5m}", "[next_on_call], channels: [sms, voice]}"},
			[]want{{67, "escalation_policies[0].steps[1].wait_for_ack", "before step 3"}}},
		{"unknown channel", []string{"channels: [email]", "channels: [fax]"},
			[]want{{73, "escalation_policies[1].steps[0].channels[0]", "must be one of sms, voice, email"}}},
		{"e-mail only to an operator without e-mail", []string{`"operator:op-c"`, `"operator:op-b"`},
			[]want{{73, "escalation_policies[1].steps[0].targets[0]", "operator op-b has no email"}}},
		{"two policies for one alarm", []string{"severities: [medium]", "severities: [high]"},
			[]want{{71, "escalation_policies[1].applies_to", "alarms of severity high on dam mejean already follow policy crue"}}},
		{"alarm that calls nobody", []string{"severities: [high, critical]", "severities: [high]"},
			[]want{{33, "dams[0].thresholds[2].severity", "no escalation policy applies to critical alarms of dam mejean"}}},
		{"policy for an unknown dam", []string{"dams: [mejean]", "dams: [nord]"},
			[]want{{71, "escalation_policies[1].applies_to.dams[0]", `no dam has the id "nord"`}}},
		{"dam listed twice in a policy", []string{"dams: [mejean]", "dams: [mejean, mejean]"},
			[]want{{71, "escalation_policies[1].applies_to.dams[1]", "mejean is listed twice"}}},
		{"policy rotation unknown", []string{"rotation: astreinte", "rotation: nuit"},
			[]want{{64, "escalation_policies[0].rotation", `no rotation has the id "nuit"`}}},
		{"next_on_call in a rotation of one", []string{"members: [op-a, op-b]", "members: [op-a]"},
			[]want{{67, "escalation_policies[0].steps[1].targets[0]", "next_on_call needs a rotation of at least two members"}}},
		{"unknown time zone", []string{"Europe/Paris", "Europe/Nimes"},
			[]want{{5, "site.time_zone", `unknown time zone "Europe/Nimes"`}}},
		{"public URL without scheme", []string{"https://vigie.example.org/", "vigie.example.org"},
			[]want{{7, "site.public_url", "like https://vigie.example.org"}}},
		{"unknown language", []string{"language: fr", "language: de"},
			[]want{{6, "site.language", "must be one of fr, en"}}},
		{"format version from the future", []string{"version: 1", "version: 2"},
			[]want{{2, "version", "this Vigie reads format version 1 (got 2)"}}},
		{"size that is not a size", []string{"max_body_bytes: 8MiB", "max_body_bytes: 8 lots"},
			[]want{{11, "ingestion.max_body_bytes", "size in bytes"}}},
		{"anchor", []string{"max_batch: 10000", "max_batch: &n 10000"},
			[]want{{12, "ingestion.max_batch", "anchors and aliases"}}},
		{"zero batch", []string{"max_batch: 10000", "max_batch: 0"},
			[]want{{12, "ingestion.max_batch", "at least one reading"}}},
		{"curve given both ways", []string{"power: {a: 520, b: 2}", "power: {a: 520, b: 2}\n      table: [[0, 0], [9, 42120]]"},
			[]want{{20, "dams[0].storage_curve", "either power or table, not both"}}},
		{"curve given neither way", []string{"power: {a: 520, b: 2}", "{}"},
			[]want{{20, "dams[0].storage_curve", "must give either power"}}},
		{"channel listed twice", []string{"channels: [sms, voice, email]", "channels: [sms, voice, sms]"},
			[]want{{68, "escalation_policies[0].steps[2].channels[2]", "sms is listed twice"}}},
		{"severity listed twice", []string{"severities: [high, critical]", "severities: [high, critical, high]"},
			[]want{{63, "escalation_policies[0].applies_to.severities[2]", "high is listed twice"}}},
		{"policy without steps", []string{"steps:\n      - {targets: [\"operator:op-c\"], channels: [email], mode: sequence, channel_delay: 1m}", "steps: []"},
			[]want{{72, "escalation_policies[1].steps", "list at least one step"}}},
		{"sequence without a channel delay", []string{"mode: sequence, channel_delay: 1m}", "mode: sequence}"},
			[]want{{73, "escalation_policies[1].steps[0].channel_delay", "is missing: in sequence mode"}}},
		{"channel delay without sequence", []string{"mode: sequence, channel_delay: 1m}", "channel_delay: 1m}"},
			[]want{{73, "escalation_policies[1].steps[0].channel_delay", "only applies to mode: sequence"}}},
		{"sequence longer than its step", []string{"{targets: [on_call], channels: [sms, voice], wait_for_ack: 5m}\n      - {targets: [next_on_call]", "{targets: [on_call], channels: [sms, voice], mode: sequence, channel_delay: 5m, wait_for_ack: 5m}\n      - {targets: [next_on_call]"},
			[]want{{66, "escalation_policies[0].steps[0].channel_delay", "take 5m0s in sequence, not less than the 5m0s"}}},
		{"rate deadband as wide as the rise", []string{"rate_of_rise: {rise_m_per_h: 1, window: 15m}", "rate_of_rise: {rise_m_per_h: 1, window: 15m, deadband_m_per_h: 1}"},
			[]want{{35, "dams[0].alarms.rate_of_rise.deadband_m_per_h", "below rise_m_per_h 1"}}},
		{"site without a name", []string{"  name: Test site", `  name: ""`},
			[]want{{4, "site.name", "the site needs a name"}}},
		{"on_call without any rotation", []string{
			"rotations:\n  - id: astreinte\n    members: [op-a, op-b]\n    handover: {weekday: monday, at: \"08:00\"}\n    start: 2025-01-06\n    overrides:\n      - {from: \"2025-12-22 08:00\", to: \"2025-12-29 08:00\", operator: op-c}\n", "",
			"    rotation: astreinte\n", ""},
			[]want{{58, "escalation_policies[0].steps[0].targets[0]", "need an on-call rotation"}}},
		{"on_call with two rotations and none named", []string{
			"operator: op-c}\n", "operator: op-c}\n  - {id: nuit, members: [op-a], handover: {weekday: monday, at: \"20:00\"}, start: 2025-01-06}\n",
			"    rotation: astreinte\n", ""},
			[]want{{63, "escalation_policies[0].rotation", "say which rotation on_call means (2 rotations are defined)"}}},
		{"latitude off the globe", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    location: {lat: 95, lon: 4.35}\n"},
			[]want{{18, "dams[0].location.lat", "between -90 (south) and 90 (north) degrees (got 95)"}}},
		{"both coordinates off the globe, both told", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    location: {lat: -91, lon: 190.5}\n"},
			[]want{{18, "dams[0].location.lat", "(got -91)"}, {18, "dams[0].location.lon", "between -180 (west) and 180 (east) degrees (got 190.5)"}}},
		{"coordinates straight under the dam", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    lat: 43.87\n"},
			[]want{{18, "dams[0].lat", "write the coordinates under location, as in location: {lat: 43.87, lon: 4.35}"}}},
		{"location without its longitude", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    location: {lat: 43.87}\n"},
			[]want{{18, "dams[0].location.lon", "is missing"}}},
		{"location spelt out", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    location: {latitude: 43.87, lon: 4.35}\n"},
			[]want{{18, "dams[0].location.lat", "is missing"}, {18, "dams[0].location.latitude", "write it lat"}}},
		{"location as a pair", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    location: [43.87, 4.35]\n"},
			[]want{{18, "dams[0].location", "must be a set of \"key: value\" entries"}}},
		{"latitude as text", []string{"    dyke_height_m: 10\n", "    dyke_height_m: 10\n    location: {lat: 43°52'N, lon: 4.35}\n"},
			[]want{{18, "dams[0].location.lat", "must be a number"}}},
		{"YAML syntax error", []string{"  late_after: 5m", "  late_after: [5m"},
			[]want{{9, "", "not valid YAML: did not find expected ',' or ']' (in the block that starts on this line)"}}},
		{"YAML scanner error", []string{"  late_after: 5m", "  late_after: 5m: x"},
			[]want{{9, "", "not valid YAML: mapping values are not allowed in this context"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.Parse("base.yaml", []byte(edit(t, base, tt.edits...)))
			if err == nil {
				t.Fatalf("Parse accepted the file: %v", c)
			}
			got := problems(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Line != w.line || g.Path != w.path || !strings.Contains(g.Message, w.msg) || g.File != "base.yaml" {
					t.Errorf("problem %d:\n got %s\nwant base.yaml:%d: %s: …%s…", i, g, w.line, w.path, w.msg)
				}
			}
		})
	}
}

// TestProblemFormat pins the line a user reads.
func TestProblemFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    config.Problem
		want string
	}{
		{"full", config.Problem{File: "nimes.yaml", Line: 14, Column: 7, Path: "dams[0].thresholds[1].level_m", Message: "must be below the dyke height 10 m (got 12)"},
			"nimes.yaml:14:7: dams[0].thresholds[1].level_m: must be below the dyke height 10 m (got 12)"},
		{"no column", config.Problem{File: "a.yaml", Line: 3, Message: "the file is not valid YAML: x"}, "a.yaml:3: the file is not valid YAML: x"},
		{"no position", config.Problem{File: "a.yaml", Path: "site", Message: "m"}, "a.yaml: site: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.p.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
