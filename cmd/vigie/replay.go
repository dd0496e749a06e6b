package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	esembedded "github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/commands/replay"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/setup"
)

// runReplay: `vigie replay` re-runs the domain on the recorded readings of a period with another
// configuration, in a scratch store, and prints what would have happened next to what did
// (docs/replay.md). The service must be stopped (the embedded store is one process's).
func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vigie replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envDefault("VIGIE_DATA", "vigie-data"), "data folder whose log is replayed (env VIGIE_DATA); only read")
	cfgPath := fs.String("config", "", "configuration to replay with (default: the one recorded in the log, in force at --from)")
	fromS := fs.String("from", "", "first sensor time replayed, RFC 3339 (default: the start of the log)")
	toS := fs.String("to", "", "last sensor time replayed, RFC 3339 (default: the end of the log)")
	format := fs.String("format", "text", "text or json")
	cascadeMode := fs.String("cascade", "auto", "run the notification cascade: on, off, or auto (on when the recorded log has cascade events)")
	scratch := fs.String("scratch", "", "folder for the scratch store (default: a temporary folder, removed afterwards)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("vigie replay: unexpected argument %q", fs.Arg(0))
	}
	if *cascadeMode != "auto" && *cascadeMode != "on" && *cascadeMode != "off" {
		return fmt.Errorf("vigie replay: --cascade %q: want on, off or auto", *cascadeMode)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("vigie replay: --format %q: want text or json", *format)
	}
	from, to, err := parsePeriod(*fromS, *toS)
	if err != nil {
		return fmt.Errorf("vigie replay: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		return err
	}
	dir := filepath.Join(*data, "events")
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("no event log in %s: %w", *data, err)
	}
	src, err := esembedded.Open(dir, esembedded.Options{}, logger)
	if err != nil {
		return err
	}
	defer src.Close()

	var cfg *config.Config
	source := *cfgPath
	if *cfgPath != "" {
		if cfg, err = config.Load(*cfgPath); err != nil {
			return err
		}
	}
	out, err := whatIf(ctx, replayJob{Src: src, Codec: codec, Config: cfg, Source: source, From: from, To: to,
		Cascade: *cascadeMode, Scratch: *scratch, Log: logger})
	if err != nil {
		return err
	}
	source, withCascade, res, rows, diff := out.Source, out.Cascade, out.Result, out.Rows, out.Diff
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Config   string       `json:"config"`
			From     *time.Time   `json:"from,omitempty"`
			To       *time.Time   `json:"to,omitempty"`
			Readings int          `json:"readings"`
			Cascade  bool         `json:"cascade"`
			Alarms   []replay.Row `json:"alarms"`
			Same     bool         `json:"same_decisions"`
			Diff     []string     `json:"differences,omitempty"`
			Skipped  []string     `json:"skipped,omitempty"`
		}{source, timeOrNil(from), timeOrNil(to), res.Readings, withCascade, rows, len(diff) == 0, diff, res.Skipped})
	}
	return printComparison(stdout, source, withCascade, res, rows)
}

// replayJob is one what-if replay, as `vigie replay` and the API's POST /api/v1/replay ask it.
type replayJob struct {
	// Src is the recorded log, only read; Codec decodes it.
	Src   eventstore.Store
	Codec *eventstore.Codec
	// Config is the configuration to replay with, Source what it is called; nil: the one
	// recorded in the log, in force at From.
	Config *config.Config
	Source string
	From   time.Time
	To     time.Time
	// Cascade is on, off or auto (on when the recorded log has cascade events).
	Cascade string
	// Scratch is the folder of the scratch store; empty: a temporary one, removed afterwards.
	Scratch string
	Log     *slog.Logger
}

// replayOutcome is what a replay did, compared with the record.
type replayOutcome struct {
	Source  string
	Cascade bool
	Result  *replay.Result
	Rows    []replay.Row
	Diff    []string
}

// whatIf runs a replay in a scratch store and compares it with the record: the one way both
// the command and the API replay. Without a configuration given, the domain runs with the
// configuration in force at each moment: the one recorded at From, then each change the log
// records, at its time (replay.Options.Reconfigure). With one, it runs with it throughout; only
// the time scale follows the record (the demo's speed is the run's, not the configuration's).
func whatIf(ctx context.Context, j replayJob) (*replayOutcome, error) {
	var err error
	withCascade := j.Cascade == "on"
	if j.Cascade == "auto" || j.Cascade == "" {
		// A log recorded without a cascade is replayed without one, or every escalation the
		// replay records would differ from the record.
		if withCascade, err = hasCascade(ctx, j.Src); err != nil {
			return nil, err
		}
	}
	cfg, source := j.Config, j.Source
	scale := 1.0
	recorded, err := recordedConfig(ctx, j.Src, j.Codec, j.From)
	switch {
	case err == nil:
		scale = recorded.event.Scale()
	case !errors.Is(err, errNoRecordedConfig) || cfg == nil:
		return nil, err
	}
	if cfg == nil {
		cfg, source = recorded.cfg, recorded.source
	}
	s, err := replaySetup(cfg, "replay:"+source, withCascade, scale)
	if err != nil {
		return nil, err
	}
	reconfigure := func(c setup.ConfigApplied) (replay.Setup, bool, error) {
		if j.Config != nil {
			// The analyst's configuration throughout; a restart at another speed changes the scale.
			if c.Scale() == scale {
				return replay.Setup{}, false, nil
			}
			scale = c.Scale()
			s, err := replaySetup(j.Config, "replay:"+j.Source, withCascade, scale)
			return s, err == nil, err
		}
		next, err := config.Parse("recorded configuration "+c.Digest, c.Document)
		if err != nil {
			return replay.Setup{}, false, fmt.Errorf("recorded configuration %s: %w", c.Digest, err)
		}
		s, err := replaySetup(next, "replay:recorded:"+c.Source, withCascade, c.Scale())
		return s, err == nil, err
	}
	scratchDir := j.Scratch
	if scratchDir == "" {
		if scratchDir, err = os.MkdirTemp("", "vigie-replay-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(scratchDir)
	}
	res, err := replay.Run(ctx, j.Src, j.Codec, s, replay.Options{
		From: j.From, To: j.To, Reconfigure: reconfigure,
		Open: func(now func() time.Time) (eventstore.Store, error) {
			return esembedded.Open(filepath.Join(scratchDir, "events"), esembedded.Options{Now: now, Scratch: true}, j.Log)
		},
	}, j.Log)
	if err != nil {
		return nil, err
	}
	return &replayOutcome{
		Source:  source,
		Cascade: withCascade,
		Result:  res,
		Rows:    replay.Compare(res.Recorded.Alarms(), res.Replayed.Alarms()),
		Diff:    replay.Diff(res.Recorded, res.Replayed),
	}, nil
}

// hasCascade reports whether the log holds any cascade event (it stops at the first).
func hasCascade(ctx context.Context, store eventstore.Store) (bool, error) {
	for after := uint64(0); ; {
		recs, err := store.ReadAll(ctx, after, 4096)
		if err != nil {
			return false, err
		}
		if len(recs) == 0 {
			return false, nil
		}
		for _, r := range recs {
			if strings.HasPrefix(r.Stream, cascade.Category+"-") {
				return true, nil
			}
		}
		after = recs[len(recs)-1].Position
	}
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// parsePeriod reads --from and --to (RFC 3339, or a date: 2025-10-10 is that day's 00:00 UTC).
func parsePeriod(fromS, toS string) (from, to time.Time, err error) {
	parse := func(flag, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("--%s %q: want a time such as 2025-10-10T02:00:00Z or a date", flag, s)
	}
	if from, err = parse("from", fromS); err != nil {
		return
	}
	if to, err = parse("to", toS); err != nil {
		return
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		err = fmt.Errorf("--to %s is before --from %s", toS, fromS)
	}
	return
}

// errNoRecordedConfig: the log records no configuration to replay with.
var errNoRecordedConfig = errors.New("the log records no configuration: give one with --config")

// recordedConfiguration is a configuration the log records, parsed.
type recordedConfiguration struct {
	cfg    *config.Config
	source string
	event  setup.ConfigApplied
}

// recordedConfig is the configuration in force at from as the log recorded it (the last applied
// at or before from, not pending; the first one when none was applied before).
func recordedConfig(ctx context.Context, store eventstore.Store, codec *eventstore.Codec, from time.Time) (recordedConfiguration, error) {
	recs, err := store.ReadStream(ctx, setup.Stream, 0, 1<<20)
	if err != nil {
		return recordedConfiguration{}, err
	}
	var chosen *setup.ConfigApplied
	for _, r := range recs {
		e, err := codec.Decode(r)
		if err != nil {
			return recordedConfiguration{}, err
		}
		c, ok := e.(setup.ConfigApplied)
		if !ok || (c.Pending && chosen != nil) {
			continue
		}
		if chosen == nil || chosen.Pending || from.IsZero() || !c.At.After(from) {
			chosen = &c
		}
	}
	if chosen == nil {
		return recordedConfiguration{}, errNoRecordedConfig
	}
	cfg, err := config.Parse("recorded configuration "+chosen.Digest, chosen.Document)
	if err != nil {
		return recordedConfiguration{}, fmt.Errorf("recorded configuration %s: %w", chosen.Digest, err)
	}
	return recordedConfiguration{cfg: cfg, source: "recorded:" + chosen.Source, event: *chosen}, nil
}

// replaySetup is what `vigie serve` gives the domain, from cfg, at a time scale (1, or the demo's
// speed: gaugePolicies and alarmRules).
func replaySetup(cfg *config.Config, actor string, withCascade bool, scale float64) (replay.Setup, error) {
	s := replay.Setup{
		Gauges: gaugePolicies(cfg, scale),
		Engine: commands.EngineConfig{Dams: alarmRules(cfg, scale), LateAfter: cfg.Ingestion().LateAfter, Flood: floodRule()},
		Dams:   cfg.Dams(),
		Actor:  actor,
	}
	if withCascade {
		cs, err := cfg.CascadeSetup() // as `vigie serve` gives it to its cascade engine
		if err != nil {
			return replay.Setup{}, err
		}
		s.Cascade = replay.Saga(cs)
	}
	return s, nil
}

// printComparison writes the side-by-side comparison as a table.
func printComparison(w io.Writer, source string, withCascade bool, res *replay.Result, rows []replay.Row) error {
	cascadeText := "without the notification cascade"
	if withCascade {
		cascadeText = "with the notification cascade (nothing sent)"
	}
	fmt.Fprintf(w, "replayed %d readings (%d appends) with %s, %s\n\n", res.Readings, res.Appends, source, cascadeText)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "alarm\tseverity\trecorded\treplayed\tshift\tcalled (replay)")
	ts := func(a *replay.Alarm) string {
		if a == nil {
			return "—"
		}
		return a.Raised.UTC().Format("2006-01-02 15:04:05")
	}
	for _, r := range rows {
		sev := ""
		var calls []replay.Call
		if r.Replayed != nil {
			sev, calls = string(r.Replayed.Severity), r.Replayed.Calls
		} else if r.Recorded != nil {
			sev = string(r.Recorded.Severity)
		}
		shift := "only recorded"
		switch {
		case r.Shift != nil && *r.Shift == 0:
			shift = "same"
		case r.Shift != nil && *r.Shift < 0:
			shift = (-*r.Shift).String() + " earlier"
		case r.Shift != nil:
			shift = r.Shift.String() + " later"
		case r.Recorded == nil:
			shift = "only replayed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, sev, ts(r.Recorded), ts(r.Replayed), shift, callsText(calls))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if diff := replay.Diff(res.Recorded, res.Replayed); len(diff) == 0 {
		fmt.Fprintln(w, "\nthe replay made exactly the recorded alarm and cascade decisions")
	} else {
		fmt.Fprintf(w, "\n%d streams differ from the record; first difference:\n%s\n", len(diff), diff[0])
	}
	for _, s := range res.Skipped {
		fmt.Fprintln(w, "not applied:", s)
	}
	return nil
}

// callsText: "op-durand sms+voice (step 1, 03:21), op-martin sms+voice (step 2, 03:26)".
func callsText(calls []replay.Call) string {
	type key struct {
		op   alarm.OperatorID
		step int
	}
	var order []key
	chans := map[key][]string{}
	at := map[key]time.Time{}
	for _, c := range calls {
		k := key{c.Operator, c.Step}
		if _, ok := chans[k]; !ok {
			order = append(order, k)
			at[k] = c.At
		}
		chans[k] = append(chans[k], string(c.Channel))
	}
	var parts []string
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%s %s (step %d, %s)", k.op, strings.Join(chans[k], "+"), k.step, at[k].UTC().Format("01-02 15:04")))
	}
	if len(parts) > 4 {
		parts = append(parts[:4], fmt.Sprintf("and %d more", len(parts)-4))
	}
	return strings.Join(parts, ", ")
}
