package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	esembedded "github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/setup"
	"github.com/vigie/vigie/projections"
	"github.com/vigie/vigie/projections/report"
	"github.com/vigie/vigie/projections/report/render"
)

// runReport: `vigie report` writes the post-flood report of a period from the log (docs/report.md).
// It reads the data folder's log, so the service must be stopped; a running service serves the
// same report at GET /api/v1/report.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vigie report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envDefault("VIGIE_DATA", "vigie-data"), "data folder (env VIGIE_DATA); only read; the service must be stopped")
	fromS := fs.String("from", "", "start of the period, RFC 3339 or a date (default: the start of the log)")
	toS := fs.String("to", "", "end of the period (default: the end of the log)")
	dams := fs.String("dams", "", "dams to report on, comma-separated (default: all)")
	lang := fs.String("lang", "", "fr or en (default: the site's language, else fr)")
	format := fs.String("format", "html", "html, pdf, csv or json")
	table := fs.String("table", "alarms", "csv: the table ("+strings.Join(render.Tables, ", ")+")")
	out := fs.String("out", "", "file to write (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("vigie report: unexpected argument %q", fs.Arg(0))
	}
	from, to, err := parsePeriod(*fromS, *toS)
	if err != nil {
		return fmt.Errorf("vigie report: %w", err)
	}
	if _, err := render.ParseFormat(*format); err != nil {
		return fmt.Errorf("vigie report: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dir := filepath.Join(*data, "events")
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("no event log in %s: %w", *data, err)
	}
	store, err := esembedded.Open(dir, esembedded.Options{}, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		return err
	}
	q := httpapi.ReportQuery{From: from, To: to, Language: *lang, Format: *format, Table: *table}
	if *dams != "" {
		q.Dams = strings.Split(*dams, ",")
	}
	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := (reportMaker{store: store, codec: codec}).Report(ctx, q, bw); err != nil {
		if f != nil {
			f.Close()
			os.Remove(*out)
		}
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		return f.Close()
	}
	return nil
}

// reportMaker builds reports from a log: the whole log is read in position order, every event is
// chained into the hash chain (the head the report prints) and those of the period are folded.
type reportMaker struct {
	store eventstore.Store
	codec *eventstore.Codec
}

var _ httpapi.Reports = reportMaker{}

// Report builds and renders the report q asks for.
func (m reportMaker) Report(ctx context.Context, q httpapi.ReportQuery, w io.Writer) (string, error) {
	f, err := render.ParseFormat(q.Format)
	if err != nil {
		return "", fmt.Errorf("%w: %v", httpapi.ErrInvalidReport, err)
	}
	if f == render.CSV && q.Table != "" && !slices.Contains(render.Tables, q.Table) {
		return "", fmt.Errorf("%w: table %q is not one of %s", httpapi.ErrInvalidReport, q.Table, strings.Join(render.Tables, ", "))
	}
	rep, err := m.build(ctx, q)
	if err != nil {
		return "", err
	}
	if err := render.Write(w, rep, f, q.Table); err != nil {
		return "", err
	}
	return f.ContentType(), nil
}

func (m reportMaker) build(ctx context.Context, q httpapi.ReportQuery) (*report.Report, error) {
	o := report.Options{From: q.From, To: q.To, Language: projections.Language(q.Language), DamsOf: damsOfDocument}
	for _, d := range q.Dams {
		if d = strings.TrimSpace(d); d != "" {
			o.Dams = append(o.Dams, dam.ID(d))
		}
	}
	// The site's name, zone and language from the configuration in force at the period's end.
	if site, ok, err := m.site(ctx, q.To); err != nil {
		return nil, err
	} else if ok {
		o.Site, o.Location = site.Name, site.Location
		if o.Language == "" {
			o.Language = projections.Language(site.Language)
		}
	}
	if o.Language == "" || !o.Language.Valid() {
		o.Language = projections.French
	}
	b, err := report.NewBuilder(o)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", httpapi.ErrInvalidReport, err)
	}
	head, err := m.store.Head(ctx)
	if err != nil {
		return nil, err
	}
	chain := hashchain.NewChain(hashchain.Head{})
	const page = 4096
	batch := make([]projections.Decoded, 0, page)
	for after := uint64(0); after < head; {
		recs, err := m.store.ReadAll(ctx, after, int(min(page, head-after)))
		if err != nil {
			return nil, fmt.Errorf("read the log after %d: %w", after, err)
		}
		if len(recs) == 0 {
			break
		}
		batch = batch[:0]
		for _, r := range recs {
			if _, _, err := chain.Add(r); err != nil {
				return nil, fmt.Errorf("hash chain at %d: %w", r.Position, err)
			}
			if !m.codec.Known(r.Type) {
				continue // seals and the types of a newer writer: chained, not told
			}
			e, err := m.codec.Decode(r)
			if err != nil {
				return nil, err
			}
			batch = append(batch, projections.Decoded{Record: r, Event: e})
		}
		if err := b.Add(batch); err != nil {
			return nil, err
		}
		after = recs[len(recs)-1].Position
	}
	o.ChainHead = chain.Head().String()
	rep, err := b.Report()
	if err != nil {
		return nil, err
	}
	rep.Log.ChainHead = o.ChainHead
	return rep, nil
}

// site is the site of the last configuration applied by at (zero: the last one).
func (m reportMaker) site(ctx context.Context, at time.Time) (config.Site, bool, error) {
	recs, err := m.store.ReadStream(ctx, setup.Stream, 0, 1<<20)
	if err != nil {
		return config.Site{}, false, err
	}
	var doc json.RawMessage
	for _, r := range recs {
		e, err := m.codec.Decode(r)
		if err != nil {
			return config.Site{}, false, err
		}
		if c, ok := e.(setup.ConfigApplied); ok && (at.IsZero() || !c.At.After(at) || doc == nil) {
			doc = c.Document
		}
	}
	if doc == nil {
		return config.Site{}, false, nil
	}
	cfg, err := config.Parse("recorded configuration", doc)
	if err != nil {
		return config.Site{}, false, nil // an old document this version no longer reads: no site facts
	}
	return cfg.Site(), true, nil
}

// damsOfDocument reads the dams of a recorded configuration.
func damsOfDocument(doc json.RawMessage) ([]dam.Dam, error) {
	cfg, err := config.Parse("recorded configuration", doc)
	if err != nil {
		return nil, errors.New("the recorded configuration does not parse with this version: " + err.Error())
	}
	return cfg.Dams(), nil
}
