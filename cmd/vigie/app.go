package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	esembedded "github.com/vigie/vigie/adapters/eventstore/embedded"
	rsembedded "github.com/vigie/vigie/adapters/readstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/examples"
	"github.com/vigie/vigie/projections"
)

// stores are the embedded event and read stores of a data folder, and what reads them.
type stores struct {
	events *esembedded.Store
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
func openStores(dataDir string, cfg *config.Config, logger *slog.Logger) (*stores, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dataDir, err)
	}
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		return nil, err
	}
	s := &stores{codec: codec}
	s.events, err = esembedded.Open(filepath.Join(dataDir, "events"), esembedded.Options{}, logger.With("component", "eventstore"))
	if err != nil {
		return nil, fmt.Errorf("open event store in %s: %w", dataDir, err)
	}
	s.views, err = rsembedded.Open(filepath.Join(dataDir, "views.db"), logger.With("component", "readstore"))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open read store in %s: %w", dataDir, err)
	}
	levels, err := projections.NewLevels(s.views, projections.DamsBySensor(cfg.Dams()))
	if err != nil {
		s.Close()
		return nil, err
	}
	lang := projections.Language(cfg.Site().Language)
	if !lang.Valid() {
		lang = projections.French
	}
	timeline, err := projections.NewTimeline(lang, projections.DefaultSummarizers())
	if err != nil {
		s.Close()
		return nil, err
	}
	s.runner, err = projections.NewRunner(s.events, s.views, codec, logger.With("component", "projections"), levels, timeline)
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
