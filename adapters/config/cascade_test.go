package config_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

func TestCascadeSetup(t *testing.T) {
	cfg, err := config.Load("testdata/valid/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	setup, err := cfg.CascadeSetup()
	if err != nil {
		t.Fatalf("CascadeSetup: %v", err)
	}
	if len(setup.Policies) != len(cfg.EscalationPolicies()) {
		t.Fatalf("got %d policies, want %d", len(setup.Policies), len(cfg.EscalationPolicies()))
	}
	crue, ok := setup.PolicyFor("mejean", dam.SeverityHigh)
	if !ok || crue.ID != "crue" {
		t.Fatalf("policy for a high alarm on mejean: %+v, %v; want crue", crue, ok)
	}
	if crue.RepeatLastEvery != 10*time.Minute || len(crue.Steps) != 3 || crue.Steps[0].WaitForAck != 5*time.Minute {
		t.Errorf("crue converted as %+v", crue)
	}
	info, ok := setup.PolicyFor("mejean", dam.SeverityMedium)
	if !ok || info.Steps[0].Mode != cascade.ModeSequence || info.Steps[0].ChannelDelay != time.Minute {
		t.Errorf("info policy converted as %+v (%v)", info, ok)
	}
	if len(setup.Directory.Operators) != len(cfg.Operators()) || setup.Directory.Location == nil {
		t.Errorf("directory: %d operators, location %v", len(setup.Directory.Operators), setup.Directory.Location)
	}
	// Whoever the rotation names is someone the directory can reach on the step's channels.
	recipients, problems := setup.Directory.Resolve(crue.Steps[0], crue.Rotation, time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC))
	if len(recipients) != 1 || len(problems) != 0 {
		t.Errorf("step 1 resolves to %+v, problems %v; want the one operator on call", recipients, problems)
	}
	if setup.LateGrace != config.DefaultLateGrace {
		t.Errorf("late grace %s", setup.LateGrace)
	}
}

func TestMonitorTuningKeys(t *testing.T) {
	data, err := os.ReadFile("testdata/valid/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "rate_of_rise: {rise_m_per_h: 1, window: 15m}", "rate_of_rise: {rise_m_per_h: 1, window: 15m, off_delay: 2m, deadband_m_per_h: 0.2}", 1)
	src = strings.Replace(src, "time_to_spill: {under: 1h}", "time_to_spill: {under: 1h, window: 20m, off_delay: 10m, deadband: 30m}", 1)
	cfg, err := config.Parse("tuned.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.DamConfigs()[0].Alarms
	if a.RateOfRise.OffDelay != 2*time.Minute || a.RateOfRise.DeadbandMPerH != 0.2 {
		t.Errorf("rate of rise %+v", a.RateOfRise)
	}
	if a.TimeToSpill.Window != 20*time.Minute || a.TimeToSpill.OffDelay != 10*time.Minute || a.TimeToSpill.Deadband != 30*time.Minute {
		t.Errorf("time to spill %+v", a.TimeToSpill)
	}
	base, err := config.Load("testdata/valid/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, b := base.Document(); func() bool { _, c := cfg.Document(); return b == c }() {
		t.Error("tuning keys do not change the configuration's digest: the change would not be recorded")
	}
}
