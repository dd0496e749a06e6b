package render_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/projections"
	"github.com/vigie/vigie/projections/report"
	"github.com/vigie/vigie/projections/report/render"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// stormLog is the reference storm as recorded with its cascade (see commands/replay's tests).
const stormLog = "../../../commands/replay/testdata/storm.events.jsonl"

func stormReport(t testing.TB, lang projections.Language) *report.Report {
	t.Helper()
	f, err := os.Open(stormLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	codec, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters())
	if err != nil {
		t.Fatal(err)
	}
	var events []projections.Decoded
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r eventstore.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		e, err := codec.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, projections.Decoded{Record: r, Event: e})
	}
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.Build(report.Options{
		From: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), To: time.Date(2025, 10, 10, 10, 0, 0, 0, time.UTC),
		Language: lang, Location: loc, Site: "Bassins de rétention de Nîmes", ChainHead: "2549:00ff",
		DamsOf: func(doc json.RawMessage) ([]dam.Dam, error) {
			cfg, err := config.Parse("recorded", doc)
			if err != nil {
				return nil, err
			}
			return cfg.Dams(), nil
		},
	}, events)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update and review the diff)", name)
	}
}

func TestHTMLGolden(t *testing.T) {
	t.Parallel()
	for _, lang := range []projections.Language{projections.French, projections.English} {
		var buf bytes.Buffer
		if err := render.Write(&buf, stormReport(t, lang), render.HTML, ""); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		for _, want := range []string{"<svg", "polyline", "2549:00ff", "mejean~level:crise~1", "op-martin", "vigie audit verify --anchor"} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: the HTML lacks %q", lang, want)
			}
		}
		golden(t, "storm.report."+string(lang)+".html", buf.Bytes())
	}
}

func TestCSVTables(t *testing.T) {
	t.Parallel()
	rep := stormReport(t, projections.French)
	for _, table := range render.Tables {
		var buf bytes.Buffer
		if err := render.WriteCSV(&buf, rep, table); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if len(rows) < 2 {
			t.Errorf("%s: %d rows", table, len(rows))
		}
		switch table {
		case "alarms":
			if len(rows)-1 != len(rep.Alarms) {
				t.Errorf("alarms: %d rows for %d alarms", len(rows)-1, len(rep.Alarms))
			}
		case "notifications":
			if len(rows)-1 != len(rep.Notifications) {
				t.Errorf("notifications: %d rows for %d", len(rows)-1, len(rep.Notifications))
			}
		}
		if table == "alarms" || table == "notifications" || table == "kpis" || table == "acks" {
			golden(t, "storm."+table+".csv", buf.Bytes())
		}
	}
	if err := render.WriteCSV(&bytes.Buffer{}, rep, "nope"); err == nil {
		t.Error("unknown table accepted")
	}
}

// The PDF is a PDF, and the same report gives the same bytes (its dates are the period's).
func TestPDF(t *testing.T) {
	t.Parallel()
	rep := stormReport(t, projections.French)
	var a, b bytes.Buffer
	if err := render.WritePDF(&a, rep); err != nil {
		t.Fatal(err)
	}
	if err := render.WritePDF(&b, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(a.Bytes()), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q...", a.Bytes()[:min(20, a.Len())])
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings of the same report differ")
	}
	if pages := bytes.Count(a.Bytes(), []byte("/Type /Page\n")); pages < 6 {
		t.Errorf("%d pages", pages)
	}
	if *update {
		os.WriteFile(filepath.Join(os.TempDir(), "vigie-storm-report.pdf"), a.Bytes(), 0o644)
	}
}

// An empty log still gives a report in every format (an auditor asking about a quiet month).
func TestEmptyReport(t *testing.T) {
	t.Parallel()
	rep, err := report.Build(report.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []render.Format{render.HTML, render.PDF, render.CSV, render.JSON} {
		var buf bytes.Buffer
		if err := render.Write(&buf, rep, f, ""); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if buf.Len() == 0 {
			t.Errorf("%s: empty", f)
		}
	}
	if _, err := render.ParseFormat("docx"); err == nil {
		t.Error("docx accepted")
	}
}
