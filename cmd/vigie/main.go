// Command vigie supervises flood-retention dams: `vigie serve` runs the service with its
// embedded stores, `vigie demo` adds a simulated storm, `vigie apikey` manages gateway keys and
// `vigie rebuild` rebuilds every view from the event log.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // handover times are in the site's zone, even on a server without zone files
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tuneGC(os.Getenv)
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "vigie:", err)
		os.Exit(1)
	}
}

const usage = `usage: vigie <command> [flags]

commands:
  serve     run Vigie (HTTP API, ingestion, projections)
  demo      run Vigie with a simulated storm on the configured dams (serve --demo)
  apikey    create, list or revoke API keys (vigie apikey create --name NAME --sensors PATTERN [--role ROLE])
  user      accounts of the web UI (vigie user add --name NAME --role operator; password on stdin)
  rebuild   drop every view and rebuild it from the event log
  audit     verify the log's hash chain (vigie audit verify) or seal it now (vigie audit seal)
  export    write the log as JSON Lines (positions, hashes); import loads it into an empty data folder
  report    the post-flood report of a period (HTML, PDF, CSV or JSON)
  replay    re-run a past period with another configuration and compare with what happened
  bench     load a server over HTTP and report throughput and latency
  version   print the version

Run 'vigie <command> -h' for a command's flags.`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stderr, false)
	case "demo":
		return runServe(ctx, args[1:], stderr, true)
	case "apikey":
		return runAPIKey(args[1:], stdout, stderr)
	case "user":
		return runUser(args[1:], os.Stdin, stdout, stderr)
	case "audit":
		if len(args) < 2 || (args[1] != "verify" && args[1] != "seal") {
			fmt.Fprintln(stderr, "usage: vigie audit verify|seal [--data DIR] [--anchor POSITION:HASH]")
			return flag.ErrHelp
		}
		return runAudit(ctx, "audit "+args[1], args[2:], stdout, stderr)
	case "export", "import":
		return runAudit(ctx, args[0], args[1:], stdout, stderr)
	case "report":
		return runReport(ctx, args[1:], stdout, stderr)
	case "replay":
		return runReplay(ctx, args[1:], stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "rebuild":
		return runRebuild(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "vigie", version)
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

const version = "0.1.0"

// envDefault returns the environment variable's value, or def.
func envDefault(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && strings.TrimSpace(v) != "" {
		return v
	}
	return def
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
