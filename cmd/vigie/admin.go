package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/vigie/vigie/adapters/apikey"
	"github.com/vigie/vigie/projections"
)

func runAPIKey(args []string, stdout, stderr io.Writer) error {
	const keyUsage = "usage: vigie apikey create --name NAME --sensors PATTERN [--role gateway|viewer|operator|admin] [--data DIR]\n       vigie apikey list [--data DIR]\n       vigie apikey revoke --id ID [--data DIR]"
	if len(args) == 0 {
		fmt.Fprintln(stderr, keyUsage)
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("vigie apikey "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envDefault("VIGIE_DATA", "vigie-data"), "data folder (env VIGIE_DATA)")
	name := fs.String("name", "", "create: a name saying who uses the key (recorded as the actor of what it sends)")
	sensors := fs.String("sensors", "", "create: sensors the key may write, glob patterns separated by commas ('mejean.*,bassin-nord.level' or '*')")
	role := fs.String("role", string(apikey.Gateway), "create: gateway (ingest only), viewer (read only), operator or admin")
	id := fs.String("id", "", "revoke: the key's id (see list)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := os.MkdirAll(*data, 0o750); err != nil {
		return fmt.Errorf("data folder %s: %w", *data, err)
	}
	keys, err := apikey.Open(apikey.Config{Dir: *data, Logger: slog.New(slog.NewTextHandler(stderr, nil))})
	if err != nil {
		return err
	}
	switch args[0] {
	case "create":
		r, err := apikey.ParseRole(*role)
		if err != nil {
			return err
		}
		if *name == "" || *sensors == "" {
			return fmt.Errorf("vigie apikey create: --name and --sensors are required\n%s", keyUsage)
		}
		plain, k, err := keys.Create(*name, *sensors, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %q (id %s, role %s, sensors %s) created. It is shown only now; keep it safe:\n%s\n", k.Name, k.ID, k.Role, *sensors, plain)
		return nil
	case "list":
		list, err := keys.List()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tSENSORS\tCREATED\tREVOKED")
		for _, k := range list {
			revoked := ""
			if k.Revoked() {
				revoked = k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.Sensors, k.CreatedAt.Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		if *id == "" {
			return fmt.Errorf("vigie apikey revoke: --id is required")
		}
		if err := keys.Revoke(*id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %s revoked\n", *id)
		return nil
	}
	fmt.Fprintln(stderr, keyUsage)
	return fmt.Errorf("vigie apikey: unknown action %q", args[0])
}

func runRebuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vigie rebuild", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envDefault("VIGIE_DATA", "vigie-data"), "data folder (env VIGIE_DATA); the service must be stopped")
	cfgPath := fs.String("config", envDefault("VIGIE_CONFIG", ""), "configuration file (dams' storage curves for volumes)")
	eng := engineFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg, _, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	st, err := openStores(*data, *eng, cfg, projections.DefaultTrendWindow, 0, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.runner.Rebuild(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rebuilt every view from %d events in %s (%.0f events/s)\n", rep.Head, rep.Elapsed.Round(time.Millisecond), rep.EventsPerSecond())
	return nil
}
