package config_test

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

func load(tb testing.TB, path string) *config.Config {
	tb.Helper()
	c, err := config.Load(path)
	if err != nil {
		tb.Fatalf("load %s:\n%v", path, err)
	}
	return c
}

func TestExamplesLoad(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("../../examples/*.yaml")
	if err != nil || len(paths) < 2 {
		t.Fatalf("examples: %v %v", paths, err)
	}
	valid, _ := filepath.Glob("testdata/valid/*.yaml")
	for _, p := range append(paths, valid...) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			t.Parallel()
			c := load(t, p)
			for id, pol := range c.GaugePolicies() {
				if _, err := gauge.New(pol); err != nil {
					t.Errorf("gauge.New(%s): %v", id, err)
				}
			}
			for _, d := range c.Dams() {
				if err := d.Validate(); err != nil {
					t.Errorf("dam %s: %v", d.ID, err)
				}
			}
		})
	}
}

// TestNimes checks the reference customer says what shared/reference/dams.yaml says.
func TestNimes(t *testing.T) {
	t.Parallel()
	c := load(t, "../../examples/nimes.yaml")

	type thr struct {
		name  string
		level float64
		sev   dam.Severity
	}
	wantDams := []struct {
		id              dam.ID
		capacity, crest float64
		a, b            float64
		sensor          sensor.ID
		max             float64
		thresholds      []thr
	}{
		{"mejean", 52000, 9, 520, 2, "mejean.level", 11, []thr{{"vigilance", 3, "low"}, {"alerte", 6, "high"}, {"crise", 8.5, "critical"}}},
		{"bassin-nord", 75000, 7.5, 3000, 1.6, "bassin-nord.level", 9, []thr{{"vigilance", 2.5, "low"}, {"alerte", 5, "high"}, {"crise", 7, "critical"}}},
		{"barrage-est", 23000, 6, 900, 1.8, "barrage-est.level", 7.5, []thr{{"vigilance", 2, "low"}, {"alerte", 4, "high"}, {"crise", 5.5, "critical"}}},
	}
	dams := c.Dams()
	if len(dams) != len(wantDams) {
		t.Fatalf("got %d dams, want %d", len(dams), len(wantDams))
	}
	for i, w := range wantDams {
		d := dams[i]
		if d.ID != w.id || d.Capacity != w.capacity || d.SpillwayCrest != w.crest {
			t.Errorf("dam %d: got %s capacity %g crest %g, want %s %g %g", i, d.ID, d.Capacity, d.SpillwayCrest, w.id, w.capacity, w.crest)
		}
		if got, want := d.Curve.Volume(2), w.a*math.Pow(2, w.b); math.Abs(got-want) > 1e-9 {
			t.Errorf("dam %s: volume at 2 m = %g, want %g", d.ID, got, want)
		}
		if len(d.Sensors) != 1 || d.Sensors[0].ID != w.sensor || d.Sensors[0].PlausibleMin != -0.2 || d.Sensors[0].PlausibleMax != w.max || d.Sensors[0].Period != 5*time.Minute {
			t.Errorf("dam %s: sensors %+v", d.ID, d.Sensors)
		}
		var got []thr
		for _, th := range d.Thresholds {
			got = append(got, thr{th.Name, th.Level, th.Severity})
		}
		if !reflect.DeepEqual(got, w.thresholds) {
			t.Errorf("dam %s: thresholds %v, want %v", d.ID, got, w.thresholds)
		}
	}
	// Approximate positions north of Nîmes (examples/nimes.yaml says so), for the map.
	wantLocations := map[dam.ID]dam.Location{
		"mejean": {Lat: 43.8735, Lon: 4.3305}, "bassin-nord": {Lat: 43.8852, Lon: 4.3578}, "barrage-est": {Lat: 43.8668, Lon: 4.3894},
	}
	for _, d := range dams {
		if d.Location == nil || *d.Location != wantLocations[d.ID] {
			t.Errorf("dam %s: location %v, want %v", d.ID, d.Location, wantLocations[d.ID])
		}
	}
	if d, ok := c.DamOf("bassin-nord.level"); !ok || d.ID != "bassin-nord" {
		t.Errorf("DamOf(bassin-nord.level) = %s, %v", d.ID, ok)
	}
	if _, ok := c.DamOf("nowhere.level"); ok {
		t.Error("DamOf(unknown sensor) found a dam")
	}
	s, damID, ok := c.Sensor("bassin-nord.level")
	if !ok || damID != "bassin-nord" || s.StaleAfter != 15*time.Minute {
		// The reference storm drops bassin-nord for 20 min: a stale alarm is expected.
		t.Errorf("Sensor(bassin-nord.level) = %+v, %s, %v; want stale after 15m", s, damID, ok)
	}

	ops := c.Operators()
	if len(ops) != 3 || ops[2].ID != "op-bernard" || ops[2].Role != config.RoleSupervisor || ops[0].Language != "fr" || ops[0].Phone != "+33600000001" {
		t.Errorf("operators: %+v", ops)
	}
	r, ok := c.Rotation("astreinte")
	paris, _ := time.LoadLocation("Europe/Paris")
	if !ok || !reflect.DeepEqual(r.Members, []string{"op-durand", "op-martin"}) || r.Handover != (config.Handover{Weekday: time.Monday, Hour: 8}) ||
		!r.Start.Equal(time.Date(2025, 1, 6, 8, 0, 0, 0, paris)) {
		t.Errorf("rotation: %+v", r)
	}
	for _, sev := range []dam.Severity{dam.SeverityLow, dam.SeverityMedium} {
		if p, ok := c.PolicyFor("mejean", sev); ok {
			t.Errorf("severity %s calls someone: policy %s", sev, p.ID)
		}
	}
	p, ok := c.PolicyFor("barrage-est", dam.SeverityCritical)
	if !ok {
		t.Fatal("no policy for critical alarms")
	}
	wantSteps := []config.Step{
		{Targets: []config.Target{{Kind: config.TargetOnCall}}, Channels: []config.Channel{"sms", "voice"}, Mode: config.ModeParallel, WaitForAck: 5 * time.Minute},
		{Targets: []config.Target{{Kind: config.TargetNextOnCall}}, Channels: []config.Channel{"sms", "voice"}, Mode: config.ModeParallel, WaitForAck: 5 * time.Minute},
		{Targets: []config.Target{{Kind: config.TargetGroup, ID: "supervisors"}, {Kind: config.TargetAllOperators}}, Channels: []config.Channel{"sms", "voice", "email"}, Mode: config.ModeParallel},
	}
	if !reflect.DeepEqual(p.Steps, wantSteps) || p.RepeatLastEvery != 10*time.Minute || p.Rotation != "astreinte" || !p.AllDams {
		t.Errorf("policy: %+v", p)
	}
	g := c.Groups()
	if len(g) != 1 || !reflect.DeepEqual(g[0].Members, []string{"op-bernard"}) {
		t.Errorf("groups: %+v", g)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c := load(t, "../../examples/minimal.yaml")
	if got := c.Site(); got.Language != "en" || got.Location.String() != "Europe/Paris" || got.PublicURL != "" {
		t.Errorf("site: %+v", got)
	}
	if got, want := c.Ingestion(), (config.Ingestion{LateAfter: 5 * time.Minute, MaxFuture: 2 * time.Minute, MaxBodyBytes: 8 << 20, MaxBatch: 10000}); got != want {
		t.Errorf("ingestion: got %+v, want %+v", got, want)
	}
	d := c.DamConfigs()[0]
	wantSensor := config.SensorConfig{
		Spec:       sensor.Spec{ID: "demo.level", Kind: "water_level", Unit: "m", PlausibleMin: -0.2, PlausibleMax: 5, MaxRate: 120, SuspectRate: 60, Period: time.Minute},
		StaleAfter: 3 * time.Minute,
	}
	if !reflect.DeepEqual(d.Sensors, []config.SensorConfig{wantSensor}) {
		t.Errorf("sensor: got %+v\nwant %+v", d.Sensors, wantSensor)
	}
	if want := (dam.Threshold{Name: "alerte", Level: 3, Severity: "high", Deadband: 0.05}); !reflect.DeepEqual(d.Thresholds, []dam.Threshold{want}) {
		t.Errorf("thresholds: %+v", d.Thresholds)
	}
	if d.DykeHeightM != 0 || d.Alarms != (config.Alarms{}) {
		t.Errorf("dam: %+v", d)
	}
	if o := c.Operators()[0]; o.Role != config.RoleOperator || o.Language != "en" || o.Email != "" {
		t.Errorf("operator: %+v", o)
	}
	p := c.EscalationPolicies()[0]
	if !p.AllDams || p.Rotation != "astreinte" || p.Steps[0].Mode != config.ModeParallel || p.Steps[0].WaitForAck != 0 {
		t.Errorf("policy: %+v", p)
	}
	pol := c.GaugePolicies()["demo.level"]
	if pol.Dam != "demo" || pol.LateAfter != 5*time.Minute || pol.MaxFuture != 2*time.Minute || pol.Spec != wantSensor.Spec {
		t.Errorf("gauge policy: %+v", pol)
	}
}

func TestDependentDefaults(t *testing.T) {
	t.Parallel()
	base := readFile(t, "../../examples/minimal.yaml")
	tests := []struct {
		name        string
		edits       []string
		suspect     float64
		staleAfter  time.Duration
		maxBody     int64
		operatorLng string
	}{
		{"suspect rate is half a low max rate", []string{"period: 1m", "period: 1m\n        max_rate_m_per_h: 80"}, 40, 3 * time.Minute, 8 << 20, "en"},
		{"explicit suspect rate is kept", []string{"period: 1m", "period: 1m\n        max_rate_m_per_h: 80\n        suspect_rate_m_per_h: 70"}, 70, 3 * time.Minute, 8 << 20, "en"},
		{"stale delay follows the period", []string{"period: 1m", "period: 10m"}, 60, 30 * time.Minute, 8 << 20, "en"},
		{"operators speak the site language", []string{"time_zone: Europe/Paris", "time_zone: Europe/Paris\n  language: fr"}, 60, 3 * time.Minute, 8 << 20, "fr"},
		{"size in KiB", []string{"site:", "ingestion: {max_body_bytes: 512KiB}\nsite:"}, 60, 3 * time.Minute, 512 << 10, "en"},
		{"size as a number", []string{"site:", "ingestion: {max_body_bytes: 1000000}\nsite:"}, 60, 3 * time.Minute, 1e6, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.Parse("minimal.yaml", []byte(edit(t, base, tt.edits...)))
			if err != nil {
				t.Fatal(err)
			}
			s := c.DamConfigs()[0].Sensors[0]
			if s.SuspectRate != tt.suspect || s.StaleAfter != tt.staleAfter || c.Ingestion().MaxBodyBytes != tt.maxBody || c.Operators()[0].Language != tt.operatorLng {
				t.Errorf("got suspect %g stale %s body %d language %s", s.SuspectRate, s.StaleAfter, c.Ingestion().MaxBodyBytes, c.Operators()[0].Language)
			}
		})
	}
}

func TestAlarmDefaults(t *testing.T) {
	t.Parallel()
	base := readFile(t, "../../examples/minimal.yaml")
	tests := []struct {
		name   string
		alarms string
		want   config.Alarms
	}{
		{"none", "", config.Alarms{}},
		{"frozen only", "alarms: {frozen: {after: 30m}}",
			config.Alarms{Frozen: config.Frozen{Enabled: true, After: 30 * time.Minute, MinTrendMPerH: 0.1, Severity: "medium"}}},
		{"rate of rise and time to spill", "alarms: {rate_of_rise: {rise_m_per_h: 0.5, window: 10m}, time_to_spill: {under: 2h, severity: high}}",
			config.Alarms{
				RateOfRise:  config.RateOfRise{Enabled: true, RiseMPerH: 0.5, Window: 10 * time.Minute, Severity: "high"},
				TimeToSpill: config.TimeToSpill{Enabled: true, Under: 2 * time.Hour, Severity: "high"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.Parse("minimal.yaml", []byte(edit(t, base, "    thresholds:", "    "+tt.alarms+"\n    thresholds:")))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.DamConfigs()[0].Alarms; got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestAccessorsReturnCopies: a caller changing what it got must not change the configuration
// whose digest was recorded.
func TestAccessorsReturnCopies(t *testing.T) {
	t.Parallel()
	c := load(t, "../../examples/nimes.yaml")
	_, before := c.Document()
	c.DamConfigs()[0].Thresholds[0].Level = 99
	c.Dams()[0].Thresholds[0].Level = 99
	c.GaugePolicies()["mejean.level"].Thresholds[0].Level = 99
	c.Rotations()[0].Members[0] = "x"
	c.EscalationPolicies()[0].Steps[0].Targets[0].ID = "x"
	c.Groups()[0].Members[0] = "x"
	c.Operators()[0].Phone = "x"
	c.Dams()[0].Location.Lat = 0
	c.DamConfigs()[1].Location.Lon = 0
	if d, ok := c.DamOf("barrage-est.level"); ok {
		d.Location.Lat = 0
	}
	if _, after := c.Document(); after != before {
		t.Error("changing a returned value changed the configuration")
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", config.MaxFileBytes+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	twoDocs := filepath.Join(dir, "two.yaml")
	if err := os.WriteFile(twoDocs, []byte("site: {name: a, time_zone: UTC}\n---\nsite: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
		is               error
	}{
		{"missing file", filepath.Join(dir, "nope.yaml"), "open configuration", fs.ErrNotExist},
		{"too big", big, "larger than", nil},
		{"empty", empty, "empty.yaml:1:1: the file is empty", nil},
		{"two documents", twoDocs, "two.yaml:2:1: only one YAML document", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want …%s…", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%v is not %v", err, tt.is)
			}
		})
	}
}

func BenchmarkParseNimes(b *testing.B) {
	data := []byte(readFile(b, "../../examples/nimes.yaml"))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := config.Parse("nimes.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDocumentNimes(b *testing.B) {
	c := load(b, "../../examples/nimes.yaml")
	for b.Loop() {
		c.Document()
	}
}
