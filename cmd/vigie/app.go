package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	esembedded "github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/adapters/eventstore/kurrent"
	espostgres "github.com/vigie/vigie/adapters/eventstore/postgres"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/readstore"
	rsclickhouse "github.com/vigie/vigie/adapters/readstore/clickhouse"
	rsembedded "github.com/vigie/vigie/adapters/readstore/embedded"
	rspostgres "github.com/vigie/vigie/adapters/readstore/postgres"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/examples"
	"github.com/vigie/vigie/projections"
)

// stores are the embedded event and read stores of a data folder, and what reads them.
type stores struct {
	// events is the embedded store behind the hash-chain decorator, which seals the log.
	events eventstore.Store
	views  viewStore
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

// viewStore is what Vigie needs of a read store: the port and its alarm views.
type viewStore interface {
	readstore.Store
	readstore.AlarmViews
}

// engines names the event and read stores' engines (--events, --views); empty keeps the
// embedded one in the data folder.
type engines struct{ events, views string }

// engineFlags adds --events and --views to fs.
func engineFlags(fs *flag.FlagSet) *engines {
	e := &engines{}
	fs.StringVar(&e.events, "events", envDefault("VIGIE_EVENTS", ""), "event store (env VIGIE_EVENTS): empty for the embedded store in --data, postgres://… or esdb://… (KurrentDB)")
	fs.StringVar(&e.views, "views", envDefault("VIGIE_VIEWS", ""), "read store (env VIGIE_VIEWS): empty for the embedded store in --data, postgres://… or clickhouse://…")
	return e
}

// scheme is a URL's scheme in lower case, "" when it has none.
func scheme(u string) string {
	s, _, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	return strings.ToLower(s)
}

func openEvents(ctx context.Context, dataDir, url string, logger *slog.Logger) (eventstore.Store, error) {
	logger = logger.With("component", "eventstore")
	switch scheme(url) {
	case "":
		if url != "" {
			return nil, fmt.Errorf("--events %q: give a URL (postgres://…, esdb://…) or nothing for the embedded store", redactURL(url))
		}
		st, err := esembedded.Open(filepath.Join(dataDir, "events"), esembedded.Options{}, logger)
		if err != nil {
			return nil, fmt.Errorf("open event store in %s: %w", dataDir, err)
		}
		return st, nil
	case "postgres", "postgresql":
		return espostgres.Open(ctx, url, espostgres.Options{}, logger)
	case "esdb", "esdb+discover", "kurrentdb", "kurrentdb+discover", "kurrent", "kurrent+discover":
		return kurrent.Open(ctx, url, kurrent.Options{}, logger)
	}
	return nil, fmt.Errorf("--events %s: unknown engine %q (postgres, esdb or nothing for the embedded store)", redactURL(url), scheme(url))
}

func openViews(ctx context.Context, dataDir, url string, logger *slog.Logger) (viewStore, error) {
	logger = logger.With("component", "readstore")
	switch scheme(url) {
	case "":
		if url != "" {
			return nil, fmt.Errorf("--views %q: give a URL (postgres://…, clickhouse://…) or nothing for the embedded store", redactURL(url))
		}
		st, err := rsembedded.Open(filepath.Join(dataDir, "views.db"), logger)
		if err != nil {
			return nil, fmt.Errorf("open read store in %s: %w", dataDir, err)
		}
		if err := st.MigrateAlarms(ctx); err != nil {
			st.Close()
			return nil, fmt.Errorf("open read store in %s: %w", dataDir, err)
		}
		return st, nil
	case "postgres", "postgresql":
		return rspostgres.Open(ctx, url, rspostgres.Options{}, logger)
	case "clickhouse", "tcp":
		return rsclickhouse.Open(ctx, url, rsclickhouse.Options{}, logger)
	}
	return nil, fmt.Errorf("--views %s: unknown engine %q (postgres, clickhouse or nothing for the embedded store)", redactURL(url), scheme(url))
}

// redactURL hides a URL's password for an error message.
func redactURL(u string) string {
	if p, err := neturl.Parse(u); err == nil && p.User != nil {
		if _, has := p.User.Password(); has {
			p.User = neturl.UserPassword(p.User.Username(), "xxxxx")
			return p.String()
		}
		return u
	} else if err != nil {
		return "(a URL that does not parse)"
	}
	return u
}

// openStores opens (creating if needed) the data folder's stores and the projections over them.
// trendWindow is the span the displayed trend is fitted over: the default, shortened in the demo
// whose storm runs faster than its clock.
// sealEvery is how often the log is sealed (docs/audit.md); 0 for commands that must not write.
func openStores(dataDir string, eng engines, cfg *config.Config, trendWindow, sealEvery time.Duration, logger *slog.Logger) (*stores, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dataDir, err)
	}
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		return nil, err
	}
	s := &stores{codec: codec}
	ctx := context.Background()
	raw, err := openEvents(ctx, dataDir, eng.events, logger)
	if err != nil {
		return nil, err
	}
	s.events, err = hashchain.Wrap(raw, hashchain.Options{Interval: sealEvery}, logger.With("component", "audit"))
	if err != nil {
		raw.Close()
		return nil, err
	}
	s.views, err = openViews(ctx, dataDir, eng.views, logger)
	if err != nil {
		s.Close()
		return nil, err
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
	names := map[string]string{}
	for _, o := range cfg.Operators() {
		names[o.ID] = o.Name
	}
	maps.Copy(summarizers, projections.CascadeSummarizers(names))
	timeline, err := projections.NewTimeline(lang, summarizers)
	if err != nil {
		s.Close()
		return nil, err
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

// recordConfig appends a config.applied event when the configuration, or the time scale it runs
// at (the demo's --demo-speed, 1 otherwise), differs from the last one applied, then lets every
// gauge record the thresholds now in force. The time scale is recorded so that a replay runs the
// rules as this process does (docs/replay.md).
func recordConfig(ctx context.Context, s *stores, cfg *config.Config, source string, speed float64, ing *commands.Ingester, now func() time.Time, logger *slog.Logger) error {
	rec, err := commands.NewConfigRecorder(s.events, s.codec, now)
	if err != nil {
		return err
	}
	speed = timeScale(speed)
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
		if prev.Scale() != speed {
			changes = append(changes, fmt.Sprintf("demo time scale: %g (was %g)", speed, prev.Scale()))
		}
		if prev.Pending && prev.Digest == digest {
			changes = append(changes, fmt.Sprintf("in force from this start (recorded %s by %s)", prev.At.UTC().Format(time.RFC3339), prev.Actor))
		}
	}
	actor := "config:" + source
	if _, err := rec.Handle(ctx, commands.ApplyConfig{Source: source, Actor: actor, Digest: digest, Document: doc, Changes: changes, TimeScale: speed}); err != nil {
		return err
	}
	return ing.Configure(ctx, actor)
}

// timeScale is the demo's speed, 1 outside the demo (or for a speed that is not above 1).
func timeScale(speed float64) float64 {
	if !(speed > 1) {
		return 1
	}
	return speed
}

// gaugePolicies are the gauges' policies at a time scale: the demo runs the physics faster than
// the clock its readings carry, so rates are faster by the same factor and must not be judged
// physically impossible.
func gaugePolicies(cfg *config.Config, speed float64) map[sensor.ID]gauge.Policy {
	policies := cfg.GaugePolicies()
	if speed = timeScale(speed); speed == 1 {
		return policies
	}
	for id, p := range policies {
		p.Spec.MaxRate *= speed
		p.Spec.SuspectRate *= speed
		policies[id] = p
	}
	return policies
}

// floodRule groups alarms into situations: ISA-18.2's flood is 10 alarms in 10 minutes.
func floodRule() alarm.FloodRule { return alarm.FloodRule{Window: 10 * time.Minute} }

// alarmRules turns the dams' alarms: blocks and sensors into the condition engine's rules. The
// demo (speed > 1) runs the storm faster than the clock its readings carry: rates are that much
// faster and the windows that much shorter in sensor time.
func alarmRules(cfg *config.Config, speed float64) []commands.DamRules {
	speed = timeScale(speed)
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
			if a.RateOfRise.OffDelay > 0 {
				c.OffDelay = scale(a.RateOfRise.OffDelay)
			}
			if a.RateOfRise.DeadbandMPerH > 0 {
				c.Deadband = a.RateOfRise.DeadbandMPerH * speed
			}
			r.RateOfRise = &c
		}
		if a.TimeToSpill.Enabled {
			if window == 0 && speed > 1 {
				window = scale(commands.DefaultSpillWindow)
			}
			if a.TimeToSpill.Window > 0 {
				window = scale(a.TimeToSpill.Window)
			}
			c := commands.TimeToSpillRule(scale(a.TimeToSpill.Under), window, a.TimeToSpill.Severity)
			if a.TimeToSpill.OffDelay > 0 {
				c.OffDelay = scale(a.TimeToSpill.OffDelay)
			}
			if a.TimeToSpill.Deadband > 0 {
				c.Deadband = scale(a.TimeToSpill.Deadband)
			}
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
	views  viewStore
	kpis   *projections.AlarmKPIs
	runner *projections.Runner
	// cascade, when set, tells who was paged about each alarm.
	cascade *commands.CascadeEngine
	// projecting tells whether this node runs the projections (roles); nil: it does.
	projecting func() bool
}

var _ httpapi.AlarmService = alarmService{}

func (a alarmService) Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	views, err := a.views.Alarms(ctx, q)
	if err != nil {
		return nil, err
	}
	for i, v := range views {
		// Only alarms someone may still be paged about: a list of last year's alarms must not load
		// a cascade stream for each.
		switch alarm.State(v.State) {
		case alarm.StateUnackActive, alarm.StateUnackRTN, alarm.StateAckActive, alarm.StateShelved:
			views[i] = withCascade(ctx, a.cascade, v)
		}
	}
	return views, nil
}

func (a alarmService) Alarm(ctx context.Context, id string) (readstore.AlarmView, error) {
	v, err := a.views.Alarm(ctx, id)
	if err != nil {
		return v, err
	}
	return withCascade(ctx, a.cascade, v), nil
}

func (a alarmService) AlarmHistory(ctx context.Context, id string) ([]readstore.AlarmHistoryEntry, error) {
	return a.views.AlarmHistory(ctx, id)
}

func (a alarmService) AlarmKPIs(ctx context.Context, q readstore.AlarmKPIQuery) (readstore.AlarmKPIs, error) {
	return a.kpis.KPIs(ctx, q)
}

func (a alarmService) WaitForAlarms(ctx context.Context, position uint64) error {
	if a.projecting == nil || a.projecting() {
		return a.runner.WaitFor(ctx, position, projections.AlarmsName)
	}
	// Another node projects (roles): watch the shared views' checkpoint.
	for {
		cp, err := a.views.Checkpoint(ctx, projections.AlarmsName)
		if err != nil {
			return err
		}
		if cp >= position {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond): // polling another process's progress
		}
	}
}
