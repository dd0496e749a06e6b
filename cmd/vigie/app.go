package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	esembedded "github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/readstore"
	rsembedded "github.com/vigie/vigie/adapters/readstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/examples"
	"github.com/vigie/vigie/projections"
)

// stores are the embedded event and read stores of a data folder, and what reads them.
type stores struct {
	// events is the embedded store behind the hash-chain decorator, which seals the log.
	events eventstore.Store
	views  *rsembedded.Store
	codec  *eventstore.Codec
	runner *projections.Runner
}

func (s *stores) Close() error {
	var errs []error
	if s.views != nil {
		errs = append(errs, s.views.Close())
	}
	if s.events != nil {
		errs = append(errs, s.events.Close())
	}
	return errors.Join(errs...)
}

// openStores opens (creating if needed) the data folder's stores and the projections over them.
// trendWindow is the span the displayed trend is fitted over: the default, shortened in the demo
// whose storm runs faster than its clock.
// sealEvery is how often the log is sealed (docs/audit.md); 0 for commands that must not write.
func openStores(dataDir string, cfg *config.Config, trendWindow, sealEvery time.Duration, logger *slog.Logger) (*stores, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dataDir, err)
	}
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		return nil, err
	}
	s := &stores{codec: codec}
	raw, err := esembedded.Open(filepath.Join(dataDir, "events"), esembedded.Options{}, logger.With("component", "eventstore"))
	if err != nil {
		return nil, fmt.Errorf("open event store in %s: %w", dataDir, err)
	}
	s.events, err = hashchain.Wrap(raw, hashchain.Options{Interval: sealEvery}, logger.With("component", "audit"))
	if err != nil {
		raw.Close()
		return nil, err
	}
	s.views, err = rsembedded.Open(filepath.Join(dataDir, "views.db"), logger.With("component", "readstore"))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open read store in %s: %w", dataDir, err)
	}
	levels, err := projections.NewLevels(s.views, projections.DamsBySensor(cfg.Dams()), projections.WithTrendWindow(trendWindow))
	if err != nil {
		s.Close()
		return nil, err
	}
	lang := projections.Language(cfg.Site().Language)
	if !lang.Valid() {
		lang = projections.French
	}
	summarizers := projections.DefaultSummarizers()
	maps.Copy(summarizers, projections.AlarmSummarizers())
	timeline, err := projections.NewTimeline(lang, summarizers)
	if err != nil {
		s.Close()
		return nil, err
	}
	if err := s.views.MigrateAlarms(context.Background()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open read store in %s: %w", dataDir, err)
	}
	alarms, err := projections.NewAlarms(s.views, lang)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.runner, err = projections.NewRunner(s.events, s.views, codec, logger.With("component", "projections"), levels, timeline, alarms)
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// loadConfig reads the configuration file, or the built-in example when none is named and
// ./vigie.yaml does not exist, so `vigie serve` alone starts.
func loadConfig(path string) (*config.Config, string, error) {
	if path == "" {
		if _, err := os.Stat("vigie.yaml"); err == nil {
			path = "vigie.yaml"
		}
	}
	if path == "" {
		cfg, err := config.Parse("examples/nimes.yaml (built in)", examples.Nimes())
		return cfg, "builtin:examples/nimes.yaml", err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, "", err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return cfg, "file:" + abs, nil
}

// recordConfig appends a config.applied event when the configuration differs from the last one
// applied, then lets every gauge record the thresholds now in force.
func recordConfig(ctx context.Context, s *stores, cfg *config.Config, source string, ing *commands.Ingester, now func() time.Time, logger *slog.Logger) error {
	rec, err := commands.NewConfigRecorder(s.events, s.codec, now)
	if err != nil {
		return err
	}
	doc, digest := cfg.Document()
	var changes []string
	if prev, _, ok, err := rec.Previous(ctx); err != nil {
		return err
	} else if ok {
		if old, err := config.Parse("previous configuration", prev.Document); err == nil {
			changes = config.Diff(old, cfg)
		} else {
			// The change is still recorded, with both documents in the log; only the summary is lost.
			logger.Warn("previous configuration in the log does not parse: change summary left empty", "err", err)
		}
	}
	actor := "config:" + source
	if _, err := rec.Handle(ctx, commands.ApplyConfig{Source: source, Actor: actor, Digest: digest, Document: doc, Changes: changes}); err != nil {
		return err
	}
	return ing.Configure(ctx, actor)
}

// floodRule groups alarms into situations: ISA-18.2's flood is 10 alarms in 10 minutes.
func floodRule() alarm.FloodRule { return alarm.FloodRule{Window: 10 * time.Minute} }

// alarmRules turns the dams' alarms: blocks and sensors into the condition engine's rules. The
// demo (speed > 1) runs the storm faster than the clock its readings carry: rates are that much
// faster and the windows that much shorter in sensor time.
func alarmRules(cfg *config.Config, speed float64) []commands.DamRules {
	if !(speed > 1) {
		speed = 1
	}
	scale := func(d time.Duration) time.Duration { return max(time.Second, time.Duration(float64(d)/speed)) }
	var out []commands.DamRules
	for _, dc := range cfg.DamConfigs() {
		r := commands.DamRules{Dam: dc.Dam()}
		for _, s := range dc.Sensors {
			r.Sensors = append(r.Sensors, commands.SensorRulesFor(s.Spec, s.StaleAfter))
		}
		a := dc.Alarms
		window := time.Duration(0)
		if a.RateOfRise.Enabled {
			window = scale(a.RateOfRise.Window)
			c := commands.RateOfRiseRule(a.RateOfRise.RiseMPerH*speed, window, a.RateOfRise.Severity)
			r.RateOfRise = &c
		}
		if a.TimeToSpill.Enabled {
			if window == 0 && speed > 1 {
				window = scale(commands.DefaultSpillWindow)
			}
			c := commands.TimeToSpillRule(scale(a.TimeToSpill.Under), window, a.TimeToSpill.Severity)
			r.TimeToSpill = &c
		}
		if a.Frozen.Enabled {
			c := commands.FrozenRule(scale(a.Frozen.After), a.Frozen.MinTrendMPerH*speed, a.Frozen.Severity)
			r.Frozen = &c
		}
		out = append(out, r)
	}
	return out
}

// alarmService joins what the HTTP API needs of the alarm engine: the commands, the views, the
// KPIs and a way to wait for the views to show a command's events.
type alarmService struct {
	*commands.AlarmCommands
	views  *rsembedded.Store
	kpis   *projections.AlarmKPIs
	runner *projections.Runner
}

var _ httpapi.AlarmService = alarmService{}

func (a alarmService) Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	return a.views.Alarms(ctx, q)
}

func (a alarmService) Alarm(ctx context.Context, id string) (readstore.AlarmView, error) {
	return a.views.Alarm(ctx, id)
}

func (a alarmService) AlarmHistory(ctx context.Context, id string) ([]readstore.AlarmHistoryEntry, error) {
	return a.views.AlarmHistory(ctx, id)
}

func (a alarmService) AlarmKPIs(ctx context.Context, q readstore.AlarmKPIQuery) (readstore.AlarmKPIs, error) {
	return a.kpis.KPIs(ctx, q)
}

func (a alarmService) WaitForAlarms(ctx context.Context, position uint64) error {
	return a.runner.WaitFor(ctx, position, projections.AlarmsName)
}
