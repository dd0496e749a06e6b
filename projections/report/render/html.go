package render

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/vigie/vigie/projections/report"
)

// WriteHTML writes the report as one self-contained HTML page, printable (A4, page breaks
// between sections), with the charts as inline SVG.
func WriteHTML(w io.Writer, r *report.Report) error {
	t, err := template.New("report").Funcs(template.FuncMap{
		"w":        func(k string) string { return word(r, k) },
		"stamp":    func(v any) string { return stampAny(r, v) },
		"span":     span,
		"spanp":    spanPtr,
		"num":      num,
		"sev":      func(s string) string { return severityWord(r, s) },
		"status":   func(s string) string { return statusWord(r, s) },
		"ack":      func(a report.Ack) string { return ackText(r, a) },
		"run":      func(x report.Run) string { return runText(r, x) },
		"join":     strings.Join,
		"levelSVG": func(d report.DamReport) template.HTML { return svgOf(r, d, true) },
		"volSVG":   func(d report.DamReport) template.HTML { return svgOf(r, d, false) },
		"deref":    func(p *float64) float64 { return *p },
	}).Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	if err := t.Execute(w, r); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	return nil
}

// stampAny writes a time or a time pointer (nil: a dash) for the template.
func stampAny(r *report.Report, v any) string {
	switch v := v.(type) {
	case time.Time:
		return stamp(r, v)
	case *time.Time:
		return stampPtr(r, v)
	}
	return fmt.Sprint(v)
}

// svgOf draws a chart as SVG (640×220 user units).
func svgOf(r *report.Report, d report.DamReport, level bool) template.HTML {
	var (
		c  chart
		ok bool
	)
	title := word(r, "curve_level")
	if level {
		c, ok = levelChart(r, d)
	} else {
		title = word(r, "curve_volume")
		c, ok = volumeChart(r, d)
	}
	if !ok {
		return ""
	}
	const W, H, L, R, T, B = 640.0, 220.0, 56.0, 150.0, 22.0, 26.0
	pw, ph := W-L-R, H-T-B
	px := func(x float64) float64 { return L + x*pw }
	py := func(y float64) float64 { return T + (1-y)*ph }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, W, H, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%.1f" y="14" class="t">%s</text>`, L, html.EscapeString(title))
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="frame"/>`, L, T, pw, ph)
	for _, tk := range c.YTicks {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="grid"/><text x="%.1f" y="%.1f" class="yl">%s</text>`,
			L, L+pw, py(tk.At), py(tk.At), L-4, py(tk.At)+3, html.EscapeString(tk.Label))
	}
	for _, tk := range c.XTicks {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="xl">%s</text>`, px(tk.At), H-8, html.EscapeString(tk.Label))
	}
	for _, h := range c.Lines {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="%s"/><text x="%.1f" y="%.1f" class="rl">%s</text>`,
			L, L+pw, py(h.Y), py(h.Y), h.Kind, L+pw+4, py(h.Y)+3, html.EscapeString(h.Label))
	}
	b.WriteString(`<polyline class="curve" points="`)
	for i, p := range c.Line {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", px(p.X), py(p.Y))
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // every text in it was escaped above
}

const pageTemplate = `<!DOCTYPE html>
<html lang="{{.Language}}">
<head>
<meta charset="utf-8">
<title>{{w "title"}}{{if .Site}} — {{.Site}}{{end}}</title>
<style>
@page { size: A4; margin: 14mm 12mm; }
body { font: 10pt/1.35 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 17pt; margin: 0 0 4pt; } h2 { font-size: 13pt; border-bottom: 1.5pt solid #234; margin-top: 16pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #e8edf2; } tr { break-inside: avoid; }
.mono { font-family: "DejaVu Sans Mono", monospace; word-break: break-all; }
.dam, .alarm { break-inside: avoid; }
section { break-before: page; } section.first { break-before: auto; }
.chart { width: 100%; height: auto; } .chart text { font-size: 9px; font-family: sans-serif; }
.chart .t { font-weight: bold; font-size: 10px; } .chart .yl { text-anchor: end; } .chart .xl { text-anchor: middle; }
.chart .frame { fill: none; stroke: #444; stroke-width: .6; } .chart .grid { stroke: #ddd; stroke-width: .5; }
.chart .curve { fill: none; stroke: #1f5fa8; stroke-width: 1.2; }
.chart .threshold { stroke: #d2691e; stroke-dasharray: 4 3; stroke-width: .8; }
.chart .crest, .chart .capacity { stroke: #b00; stroke-width: 1; }
.sev-critical { color: #a00; font-weight: bold; } .sev-high { color: #c50; font-weight: bold; }
</style>
</head>
<body>
<section class="first">
<h1>{{w "title"}}{{if .Site}} — {{.Site}}{{end}}</h1>
<p>{{w "period"}} : {{stamp .From}} → {{stamp .To}} ({{w "tz"}} {{.Location}}). {{w "generated_from"}}</p>
<p>{{w "log"}} : {{.Log.Events}} {{w "events"}}, {{w "positions"}} {{.Log.FirstPosition}}–{{.Log.LastPosition}}.<br>
{{w "head"}} : <span class="mono">{{if .Log.ChainHead}}{{.Log.ChainHead}}{{else}}{{w "nohead"}}{{end}}</span><br>
<small>{{w "headhelp"}} {{if .Log.ChainHead}}<span class="mono">{{.Log.ChainHead}}</span>{{end}}</small></p>

<h2>{{w "summary"}}</h2>
<table>
<tr><th></th><th>{{w "alarms"}}</th><th>{{w "notifications"}}</th><th>{{w "delivered"}}</th><th>{{w "failed"}}</th><th>{{w "ttn"}} ({{w "median"}} / {{w "max"}})</th><th>{{w "acked"}}</th><th>{{w "tta"}} ({{w "median"}} / {{w "max"}})</th></tr>
{{define "kpi"}}<tr><td>{{.Key}}</td><td>{{.Alarms}}</td><td>{{.Notifications}}</td><td>{{.Delivered}}</td><td>{{.Failed}}</td><td>{{if .FirstNotification.Count}}{{span .FirstNotification.Median}} / {{span .FirstNotification.Max}}{{else}}—{{end}}</td><td>{{.Acks}}</td><td>{{if .Ack.Count}}{{span .Ack.Median}} / {{span .Ack.Max}}{{else}}—{{end}}</td></tr>{{end}}
{{template "kpi" .KPIs.Overall}}
{{range .KPIs.ByOperator}}{{template "kpi" .}}{{end}}
{{range .KPIs.ByStep}}{{template "kpi" .}}{{end}}
</table>

<h2>{{w "config"}}</h2>
<table><tr><th>{{w "time"}}</th><th>{{w "who"}}</th><th>{{w "what"}}</th></tr>
{{range .Configuration}}<tr><td>{{stamp .At}}</td><td>{{.Actor}}</td><td>{{if eq .Kind "config"}}{{.Source}} <span class="mono">{{.Digest}}</span>{{if .InForce}} — {{w "inforce"}}{{end}}{{else}}{{.Sensor}}{{end}}{{if .Changes}} : {{join .Changes "; "}}{{end}}</td></tr>
{{end}}</table>
</section>

<section>
<h2>{{w "dams"}}</h2>
{{range .Dams}}<div class="dam">
<h3>{{.Name}} ({{.ID}})</h3>
<p>{{w "crest"}} {{num .Crest 2}} m{{if .Capacity}}, {{w "capacity"}} {{num .Capacity 0}} m³{{end}}.
{{with .Peak}}{{w "peak"}} : {{num .Level 3}} m {{stamp .T}}{{if .Volume}}, {{num (deref .Volume) 0}} m³, {{num (deref .Fill) 1}} %{{end}}.{{end}}
{{if .Spill}}{{w "spill"}} : {{range $i, $s := .Spill}}{{if $i}}; {{end}}{{stamp $s.From}} → {{if $s.To}}{{stamp $s.To}}{{else}}{{w "ongoing"}}{{end}} ({{span $s.Seconds}}, max {{num $s.Max 3}} m){{end}} — {{w "spilltotal"}} {{span .SpillSeconds}}.{{else}}{{w "nospill"}}.{{end}}</p>
{{levelSVG .}}
{{if .HasCurve}}{{volSVG .}}{{else}}<p><small>{{w "nocurve"}}</small></p>{{end}}
<table><tr><th>{{w "thresholds"}}</th><th>{{w "level"}}</th><th>{{w "severity"}}</th><th></th></tr>
{{range .Thresholds}}<tr><td>{{.Sensor}} {{.Name}}</td><td>{{num .Level 2}} m</td><td>{{sev .Severity}}</td><td>{{stamp .Since}}{{if .Until}} → {{stamp .Until}}{{end}}</td></tr>{{end}}
</table>
{{if .Crossings}}<table><tr><th>{{w "crossings"}}</th><th>{{w "time"}}</th><th>{{w "level"}}</th></tr>
{{range .Crossings}}<tr><td>{{.Threshold}} {{w .Direction}}</td><td>{{stamp .At}}</td><td>{{num .Value 3}} m{{if .Late}} ({{w "late"}}){{end}}</td></tr>{{end}}
</table>{{end}}
{{if .OutOfService}}<table><tr><th>{{w "oos"}}</th><th>{{w "time"}}</th><th>{{w "who"}}</th></tr>
{{range .OutOfService}}<tr><td>{{.Scope}} — {{.Reason}}</td><td>{{stamp .From}} → {{if .To}}{{stamp .To}}{{else}}{{w "ongoing"}}{{end}}</td><td>{{.By}}</td></tr>{{end}}
</table>{{end}}
<p><small>{{w "quality"}} : {{range $k, $v := .Quality}}{{$k}} {{$v}} {{end}}</small></p>
</div>{{end}}
</section>

<section>
<h2>{{w "alarms"}}</h2>
<table><tr><th>{{w "alarm"}}</th><th>{{w "severity"}}</th><th>{{w "raised"}}</th><th>{{w "normal"}}</th><th>{{w "ttn"}}</th><th>{{w "acked"}}</th></tr>
{{range .Alarms}}<tr class="alarm"><td>{{.ID}}<br><small>{{.Source}} {{num .Value 3}}{{if .Unit}} {{.Unit}}{{end}}{{if .Limit}} / {{num .Limit 3}}{{end}}</small></td>
<td class="sev-{{.Severity}}">{{sev .Severity}}</td><td>{{stamp .Raised}}<br><small>{{w "recorded"}} {{stamp .RaisedRecorded}}</small></td><td>{{stamp .ReturnedToNormal}}</td>
<td>{{spanp .FirstNotificationSeconds}}</td>
<td>{{range .Acks}}{{ack .}}{{if .Comment}} « {{.Comment}} »{{end}}<br>{{else}}—{{end}}
{{range .Escalations}}<small>{{w "escalations"}} {{.Level}} : {{stamp .At}}</small><br>{{end}}
{{range .Shelves}}<small>{{w "shelves"}} {{w "by"}} {{.By}} {{stamp .From}} {{w "until"}} {{stamp .Until}}{{if .Ended}} ({{if .Expired}}{{w "expired"}}{{else}}{{stamp .Ended}}{{end}}){{end}} — {{.Reason}}</small><br>{{end}}
{{range .OutOfService}}<small>{{w "oos"}} {{w "by"}} {{.By}} {{stamp .From}} → {{if .To}}{{stamp .To}}{{else}}{{w "ongoing"}}{{end}} — {{.Reason}}</small><br>{{end}}
{{range .Comments}}<small>{{w "comments"}} {{.By}} {{stamp .At}} : « {{.Text}} »</small><br>{{end}}
{{range .Runs}}<small>{{run .}}</small><br>{{end}}
</td></tr>
{{end}}</table>

<h2>{{w "notifications"}}</h2>
<table><tr><th>{{w "alarm"}}</th><th>{{w "step"}}</th><th>{{w "operator"}}</th><th>{{w "channel"}}</th><th>{{w "requested"}}</th><th>{{w "sent"}}</th><th>{{w "delivered"}}</th><th>{{w "failed"}}</th><th>{{w "status"}}</th></tr>
{{range .Notifications}}<tr><td>{{.Alarm}}</td><td>{{.Step}}{{if .Repeat}}.{{.Repeat}}{{end}}</td><td>{{.Operator}}</td><td>{{.Channel}}{{if .Fallback}} ↺{{end}}</td><td>{{stamp .Requested}}</td><td>{{stamp .Sent}}</td><td>{{stamp .Delivered}}</td><td>{{stamp .Failed}}{{if .Reason}} {{.Reason}}{{end}}</td><td>{{status .Status}}</td></tr>
{{end}}</table>
</section>

<section>
<h2>{{w "story"}}</h2>
<table><tr><th>{{w "time"}}</th><th>{{w "what"}}</th><th>{{w "who"}}</th></tr>
{{range .Story}}<tr><td>{{stamp .At}}</td><td>{{.Text}}</td><td>{{.Actor}}</td></tr>
{{end}}</table>
</section>
</body>
</html>
`
