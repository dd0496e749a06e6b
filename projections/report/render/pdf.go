package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/vigie/vigie/projections/report"
)

// WritePDF writes the report as an A4 PDF: the same sections as the HTML, the charts drawn as
// vector lines. It uses the PDF core fonts (no font file to ship), whose Windows-1252 encoding
// covers French; the few characters outside it are spelled out.
func WritePDF(w io.Writer, r *report.Report) error {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(true)
	// Fixed metadata dates make the same report give the same bytes.
	p.SetCreationDate(r.To)
	p.SetModificationDate(r.To)
	p.SetCatalogSort(true)
	tr := p.UnicodeTranslatorFromDescriptor("")
	clean := strings.NewReplacer("→", "->", "↺", "(repli)", "≥", ">=", "…", "...")
	t := func(s string) string { return tr(clean.Replace(s)) }
	p.SetTitle(t(word(r, "title")+" "+r.Site), false)
	p.SetMargins(12, 12, 12)
	p.SetAutoPageBreak(true, 14)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-10)
		p.SetFont("Helvetica", "", 7)
		p.CellFormat(0, 4, t(word(r, "head")+" : "+orText(r.Log.ChainHead, word(r, "nohead"))+"   —   "+strconv.Itoa(p.PageNo())+"/{nb}"), "", 0, "C", false, 0, "")
	})
	pw, _ := p.GetPageSize()
	width := pw - 24
	p.AddPage()

	h1 := func(s string) { p.SetFont("Helvetica", "B", 15); p.MultiCell(width, 7, t(s), "", "L", false); p.Ln(1) }
	h2 := func(s string) {
		p.Ln(2)
		p.SetFont("Helvetica", "B", 11.5)
		p.CellFormat(width, 6, t(s), "B", 1, "L", false, 0, "")
		p.Ln(1)
	}
	para := func(s string) { p.SetFont("Helvetica", "", 8.5); p.MultiCell(width, 4.2, t(s), "", "L", false) }
	table := func(cols []float64, head []string, rows [][]string) {
		total := 0.0
		for _, c := range cols {
			total += c
		}
		scale := width / total
		fit := func(s string, w float64) string {
			s = t(s)
			for len(s) > 1 && p.GetStringWidth(s) > w-1.5 {
				s = s[:len(s)-2] + "."
			}
			return s
		}
		row := func(cells []string, bold bool) {
			if bold {
				p.SetFont("Helvetica", "B", 7.5)
				p.SetFillColor(232, 237, 242)
			} else {
				p.SetFont("Helvetica", "", 7.5)
			}
			for i, c := range cells {
				p.CellFormat(cols[i]*scale, 4.6, fit(c, cols[i]*scale), "1", 0, "L", bold, 0, "")
			}
			p.Ln(-1)
		}
		row(head, true)
		for _, rw := range rows {
			if p.GetY() > 280 {
				p.AddPage()
				row(head, true)
			}
			row(rw, false)
		}
	}

	h1(word(r, "title") + prefixed(" — ", r.Site))
	para(fmt.Sprintf("%s : %s -> %s (%s %s). %s", word(r, "period"), stamp(r, r.From), stamp(r, r.To), word(r, "tz"), r.Location, word(r, "generated_from")))
	para(fmt.Sprintf("%s : %d %s, %s %d-%d.", word(r, "log"), r.Log.Events, word(r, "events"), word(r, "positions"), r.Log.FirstPosition, r.Log.LastPosition))
	p.SetFont("Courier", "", 8)
	p.MultiCell(width, 4, t(word(r, "head")+" : "+orText(r.Log.ChainHead, word(r, "nohead"))), "", "L", false)
	para(word(r, "headhelp") + " " + r.Log.ChainHead)

	h2(word(r, "summary"))
	kpiRow := func(k report.KPI) []string {
		st := func(s report.Stat) string {
			if s.Count == 0 {
				return "—"
			}
			return span(s.Median) + " / " + span(s.Max)
		}
		return []string{k.Key, strconv.Itoa(k.Alarms), strconv.Itoa(k.Notifications), strconv.Itoa(k.Delivered), strconv.Itoa(k.Failed), st(k.FirstNotification), strconv.Itoa(k.Acks), st(k.Ack)}
	}
	rows := [][]string{kpiRow(r.KPIs.Overall)}
	for _, k := range r.KPIs.ByOperator {
		rows = append(rows, kpiRow(k))
	}
	for _, k := range r.KPIs.ByStep {
		rows = append(rows, kpiRow(k))
	}
	table([]float64{22, 12, 16, 13, 11, 30, 12, 30}, []string{"", word(r, "alarms"), word(r, "notifications"), word(r, "delivered"), word(r, "failed"),
		word(r, "ttn") + " (" + word(r, "median") + "/" + word(r, "max") + ")", word(r, "acked"), word(r, "tta") + " (" + word(r, "median") + "/" + word(r, "max") + ")"}, rows)

	h2(word(r, "config"))
	rows = nil
	for _, c := range r.Configuration {
		what := c.Sensor
		if c.Kind == "config" {
			what = c.Source + " " + c.Digest
			if c.InForce {
				what += " — " + word(r, "inforce")
			}
		}
		if len(c.Changes) > 0 {
			what += " : " + strings.Join(c.Changes, "; ")
		}
		rows = append(rows, []string{stamp(r, c.At), c.Actor, what})
	}
	table([]float64{28, 40, 110}, []string{word(r, "time"), word(r, "who"), word(r, "what")}, rows)

	for _, d := range r.Dams {
		p.AddPage()
		h2(d.Name + " (" + d.ID + ")")
		txt := fmt.Sprintf("%s %s m", word(r, "crest"), num(d.Crest, 2))
		if d.Capacity > 0 {
			txt += fmt.Sprintf(", %s %s m³", word(r, "capacity"), num(d.Capacity, 0))
		}
		if pk := d.Peak; pk != nil {
			txt += fmt.Sprintf(". %s : %s m %s", word(r, "peak"), num(pk.Level, 3), stamp(r, pk.T))
			if pk.Volume != nil {
				txt += fmt.Sprintf(", %s m³, %s %%", num(*pk.Volume, 0), num(*pk.Fill, 1))
			}
		}
		txt += ". "
		if len(d.Spill) == 0 {
			txt += word(r, "nospill") + "."
		} else {
			var parts []string
			for _, s := range d.Spill {
				end := word(r, "ongoing")
				if s.To != nil {
					end = stamp(r, *s.To)
				}
				parts = append(parts, fmt.Sprintf("%s -> %s (%s, max %s m)", stamp(r, s.From), end, span(s.Seconds), num(s.Max, 3)))
			}
			txt += word(r, "spill") + " : " + strings.Join(parts, "; ") + " — " + word(r, "spilltotal") + " " + span(d.SpillSeconds) + "."
		}
		para(txt)
		if c, ok := levelChart(r, d); ok {
			drawChart(p, t, c, word(r, "curve_level"), 12, p.GetY()+2, width, 62)
		}
		if c, ok := volumeChart(r, d); ok {
			drawChart(p, t, c, word(r, "curve_volume"), 12, p.GetY()+2, width, 50)
		}
		rows = nil
		for _, th := range d.Thresholds {
			since := stamp(r, th.Since)
			if th.Until != nil {
				since += " -> " + stamp(r, *th.Until)
			}
			rows = append(rows, []string{th.Sensor + " " + th.Name, num(th.Level, 2) + " m", severityWord(r, th.Severity), since})
		}
		table([]float64{50, 20, 25, 60}, []string{word(r, "thresholds"), word(r, "level"), word(r, "severity"), ""}, rows)
		if len(d.Crossings) > 0 {
			rows = nil
			for _, c := range d.Crossings {
				v := num(c.Value, 3) + " m"
				if c.Late {
					v += " (" + word(r, "late") + ")"
				}
				rows = append(rows, []string{c.Threshold + " " + word(r, c.Direction), stamp(r, c.At), v})
			}
			table([]float64{60, 50, 45}, []string{word(r, "crossings"), word(r, "time"), word(r, "level")}, rows)
		}
		if len(d.OutOfService) > 0 {
			rows = nil
			for _, m := range d.OutOfService {
				end := word(r, "ongoing")
				if m.To != nil {
					end = stamp(r, *m.To)
				}
				rows = append(rows, []string{m.Scope + " — " + m.Reason, stamp(r, m.From) + " -> " + end, m.By})
			}
			table([]float64{70, 60, 30}, []string{word(r, "oos"), word(r, "time"), word(r, "who")}, rows)
		}
	}

	p.AddPage()
	h2(word(r, "alarms"))
	rows = nil
	for _, a := range r.Alarms {
		ack := "—"
		if len(a.Acks) > 0 {
			var acks []string
			for _, k := range a.Acks {
				acks = append(acks, ackText(r, k))
			}
			ack = strings.Join(acks, " ; ")
		}
		rows = append(rows, []string{a.ID, severityWord(r, a.Severity), stamp(r, a.Raised), stampPtr(r, a.ReturnedToNormal), spanPtr(a.FirstNotificationSeconds), ack})
	}
	table([]float64{48, 15, 27, 27, 16, 60}, []string{word(r, "alarm"), word(r, "severity"), word(r, "raised"), word(r, "normal"), word(r, "ttn"), word(r, "acked")}, rows)
	for _, a := range r.Alarms {
		var notes []string
		for _, s := range a.Shelves {
			notes = append(notes, fmt.Sprintf("%s %s %s %s -> %s (%s)", word(r, "shelves"), word(r, "by"), s.By, stamp(r, s.From), stamp(r, s.Until), s.Reason))
		}
		for _, o := range a.OutOfService {
			notes = append(notes, fmt.Sprintf("%s %s %s %s -> %s (%s)", word(r, "oos"), word(r, "by"), o.By, stamp(r, o.From), stampPtr(r, o.To), o.Reason))
		}
		for _, c := range a.Comments {
			notes = append(notes, fmt.Sprintf("%s %s %s : « %s »", word(r, "comments"), c.By, stamp(r, c.At), c.Text))
		}
		for _, e := range a.Escalations {
			notes = append(notes, fmt.Sprintf("%s %d : %s", word(r, "escalations"), e.Level, stamp(r, e.At)))
		}
		for _, run := range a.Runs {
			notes = append(notes, runText(r, run))
		}
		if len(notes) > 0 {
			p.SetFont("Helvetica", "B", 8)
			p.CellFormat(width, 4.5, t(a.ID), "", 1, "L", false, 0, "")
			para(strings.Join(notes, "\n"))
		}
	}

	h2(word(r, "notifications"))
	rows = nil
	for _, n := range r.Notifications {
		step := strconv.Itoa(n.Step)
		if n.Repeat > 0 {
			step += "." + strconv.Itoa(n.Repeat)
		}
		failed := stampPtr(r, n.Failed)
		if n.Reason != "" {
			failed += " " + n.Reason
		}
		rows = append(rows, []string{n.Alarm, step, n.Operator, n.Channel, stamp(r, n.Requested), stampPtr(r, n.Sent), stampPtr(r, n.Delivered), failed, statusWord(r, n.Status)})
	}
	table([]float64{40, 9, 18, 12, 26, 26, 26, 30, 16}, []string{word(r, "alarm"), word(r, "step"), word(r, "operator"), word(r, "channel"),
		word(r, "requested"), word(r, "sent"), word(r, "delivered"), word(r, "failed"), word(r, "status")}, rows)

	p.AddPage()
	h2(word(r, "story"))
	rows = nil
	for _, l := range r.Story {
		rows = append(rows, []string{stamp(r, l.At), l.Text, l.Actor})
	}
	storyTable(p, t, width, r, rows)

	if err := p.Output(w); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	return nil
}

// storyTable writes the story with wrapped text: its lines are the longest.
func storyTable(p *fpdf.Fpdf, t func(string) string, width float64, r *report.Report, rows [][]string) {
	cw := []float64{30, width - 30 - 38, 38}
	p.SetFont("Helvetica", "", 7.5)
	for _, rw := range rows {
		lines := p.SplitLines([]byte(t(rw[1])), cw[1]-2)
		h := 4.0 * float64(max(1, len(lines)))
		if p.GetY()+h > 280 {
			p.AddPage()
		}
		x, y := p.GetXY()
		p.CellFormat(cw[0], h, t(rw[0]), "1", 0, "L", false, 0, "")
		p.MultiCell(cw[1], 4, t(rw[1]), "1", "L", false)
		p.SetXY(x+cw[0]+cw[1], y)
		p.CellFormat(cw[2], h, t(rw[2]), "1", 1, "L", false, 0, "")
	}
}

// drawChart draws c in the box (x, y, w, h), in mm.
func drawChart(p *fpdf.Fpdf, t func(string) string, c chart, title string, x, y, w, h float64) {
	const left, right, top, bottom = 16.0, 36.0, 5.0, 6.0
	px := func(v float64) float64 { return x + left + v*(w-left-right) }
	py := func(v float64) float64 { return y + top + (1-v)*(h-top-bottom) }
	p.SetFont("Helvetica", "B", 8)
	p.Text(x+left, y+3, t(title))
	p.SetFont("Helvetica", "", 6.5)
	p.SetDrawColor(221, 221, 221)
	p.SetLineWidth(0.1)
	for _, tk := range c.YTicks {
		p.Line(px(0), py(tk.At), px(1), py(tk.At))
		p.Text(x+1, py(tk.At)+1, t(tk.Label))
	}
	for _, tk := range c.XTicks {
		p.Text(px(tk.At)-4, y+h-1, t(tk.Label))
	}
	p.SetDrawColor(68, 68, 68)
	p.SetLineWidth(0.2)
	p.Rect(px(0), py(1), px(1)-px(0), py(0)-py(1), "D")
	for _, l := range c.Lines {
		if l.Kind == "threshold" {
			p.SetDrawColor(210, 105, 30)
			p.SetDashPattern([]float64{1.2, 0.8}, 0)
		} else {
			p.SetDrawColor(176, 0, 0)
		}
		p.Line(px(0), py(l.Y), px(1), py(l.Y))
		p.SetDashPattern([]float64{}, 0)
		p.Text(px(1)+1, py(l.Y)+1, t(l.Label))
	}
	p.SetDrawColor(31, 95, 168)
	p.SetLineWidth(0.3)
	for i := 1; i < len(c.Line); i++ {
		a, b := c.Line[i-1], c.Line[i]
		p.Line(px(a.X), py(a.Y), px(b.X), py(b.Y))
	}
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.2)
	p.SetY(y + h + 1)
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
