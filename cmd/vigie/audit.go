package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
)

// runAudit: `vigie audit verify` checks the whole log and names the first broken link;
// `vigie audit seal` seals what is not sealed yet; `vigie export` and `vigie import` move the log
// as JSON Lines. The service must be stopped (the embedded store is one process's).
func runAudit(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vigie "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envDefault("VIGIE_DATA", "vigie-data"), "data folder (env VIGIE_DATA); the service must be stopped")
	var anchors multiFlag
	fs.Var(&anchors, "anchor", "verify: a head printed earlier (POSITION:HASH) the log must still contain; repeatable")
	out := fs.String("out", "", "export: file to write (default standard output)")
	from := fs.Uint64("from", 0, "export: first position (0: the start; hashes chain from position 1)")
	to := fs.Uint64("to", 0, "export: last position (0: the head when the export starts)")
	events := fs.String("events", envDefault("VIGIE_EVENTS", ""), "event store (env VIGIE_EVENTS): empty for the embedded one in --data, postgres://… or esdb://…")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dir := filepath.Join(*data, "events")
	if cmd == "import" {
		if fs.NArg() != 1 {
			return errors.New("vigie import: give the JSON Lines file to import (into an empty data folder)")
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		raw, err := openEvents(ctx, *data, *events, logger)
		if err != nil {
			return err
		}
		defer raw.Close()
		rep, err := jsonl.Import(ctx, bufio.NewReaderSize(f, 1<<20), raw)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d events\n", rep.Events)
		return nil
	}
	if _, err := os.Stat(dir); err != nil && *events == "" {
		return fmt.Errorf("no event log in %s: %w", *data, err)
	}
	raw, err := openEvents(ctx, *data, *events, logger)
	if err != nil {
		return err
	}
	store, err := hashchain.Wrap(raw, hashchain.Options{}, logger)
	if err != nil {
		raw.Close()
		return err
	}
	defer store.Close()
	switch cmd {
	case "audit verify":
		var heads []hashchain.Head
		for _, a := range anchors {
			h, err := hashchain.ParseHead(a)
			if err != nil {
				return fmt.Errorf("--anchor %q: %w", a, err)
			}
			heads = append(heads, h)
		}
		rep, err := hashchain.Verify(ctx, store, heads...)
		if err != nil {
			return err
		}
		if rep.FirstBroken != nil {
			b := rep.FirstBroken
			return fmt.Errorf("the log was altered: first broken link at position %d (stream %s, revision %d): %s", b.Position, b.Stream, b.Revision, b.Reason)
		}
		fmt.Fprintf(stdout, "log intact: %d events, %d seals, sealed up to position %d (%d after it not sealed yet)\nhead %s\n", rep.Events, rep.Seals, rep.Sealed, rep.Unsealed, rep.Head)
		return nil
	case "audit seal":
		sealed, err := store.Seal(ctx)
		if err != nil {
			return err
		}
		for _, s := range sealed {
			fmt.Fprintf(stdout, "sealed: %+v\n", s)
		}
		return nil
	case "export":
		w := stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := jsonl.Export(ctx, store, bw, *from, *to); err != nil {
			return err
		}
		return bw.Flush()
	}
	return fmt.Errorf("unknown command %q", cmd)
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
