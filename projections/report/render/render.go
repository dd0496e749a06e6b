// Package render writes a post-flood report (projections/report) as printable HTML with inline
// SVG charts, as PDF with the charts drawn as vector lines, as CSV (one table at a time) and as
// JSON. Every format shows the same rows; the words are the report's language.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/projections"
	"github.com/vigie/vigie/projections/report"
)

// Format is an output format.
type Format string

const (
	HTML Format = "html"
	PDF  Format = "pdf"
	CSV  Format = "csv"
	JSON Format = "json"
)

// ContentType is the media type of a format.
func (f Format) ContentType() string {
	switch f {
	case HTML:
		return "text/html; charset=utf-8"
	case PDF:
		return "application/pdf"
	case CSV:
		return "text/csv; charset=utf-8"
	case JSON:
		return "application/json"
	}
	return "application/octet-stream"
}

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case HTML, PDF, CSV, JSON:
		return f, nil
	}
	return "", fmt.Errorf("format %q is not one of html, pdf, csv, json", s)
}

// Write renders r in format f; table names the CSV table (Tables), ignored by the other formats.
func Write(w io.Writer, r *report.Report, f Format, table string) error {
	switch f {
	case HTML:
		return WriteHTML(w, r)
	case PDF:
		return WritePDF(w, r)
	case CSV:
		return WriteCSV(w, r, table)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return fmt.Errorf("render: unknown format %q", f)
}

// words holds the report's fixed texts in both languages.
var words = map[string][2]string{
	"title":          {"Rapport post-crue", "Post-flood report"},
	"period":         {"Période", "Period"},
	"tz":             {"Heures en", "Times in"},
	"log":            {"Journal", "Log"},
	"events":         {"événements", "events"},
	"positions":      {"positions", "positions"},
	"head":           {"Tête de la chaîne d'empreintes", "Hash-chain head"},
	"headhelp":       {"Pour prouver plus tard que le journal n'a pas été modifié depuis ce rapport : vigie audit verify --anchor", "To prove later that the log was not altered since this report: vigie audit verify --anchor"},
	"nohead":         {"non calculée", "not computed"},
	"summary":        {"Synthèse des délais de réponse", "Response KPIs"},
	"dams":           {"Ouvrages", "Dams"},
	"peak":           {"Pic", "Peak"},
	"level":          {"Niveau", "Level"},
	"volume":         {"Volume", "Volume"},
	"fill":           {"Remplissage", "Fill"},
	"crest":          {"Crête du déversoir", "Spillway crest"},
	"capacity":       {"Capacité", "Capacity"},
	"spill":          {"Déversement", "Spillway"},
	"nospill":        {"Pas de déversement", "No spill"},
	"spilltotal":     {"durée totale", "total"},
	"ongoing":        {"en cours", "ongoing"},
	"thresholds":     {"Seuils en vigueur", "Thresholds in force"},
	"crossings":      {"Franchissements de seuils", "Threshold crossings"},
	"oos":            {"Hors service", "Out of service"},
	"alarms":         {"Alarmes", "Alarms"},
	"alarm":          {"Alarme", "Alarm"},
	"severity":       {"Gravité", "Severity"},
	"raised":         {"Levée", "Raised"},
	"recorded":       {"enregistrée", "recorded"},
	"normal":         {"Retour à la normale", "Back to normal"},
	"acked":          {"Acquittement", "Acknowledgement"},
	"by":             {"par", "by"},
	"via":            {"via", "via"},
	"tta":            {"Délai d'acquittement", "Time to ack"},
	"ttn":            {"Délai de 1re notification", "Time to first notification"},
	"escalations":    {"Escalade au niveau", "Escalated to level"},
	"shelves":        {"Mises en attente", "Shelves"},
	"comments":       {"Commentaires", "Comments"},
	"cascade":        {"Cascade", "Cascade"},
	"notifications":  {"Notifications", "Notifications"},
	"operator":       {"Opérateur", "Operator"},
	"channel":        {"Canal", "Channel"},
	"step":           {"Étape", "Step"},
	"requested":      {"Demandée", "Requested"},
	"sent":           {"Envoyée", "Sent"},
	"delivered":      {"Remise", "Delivered"},
	"failed":         {"Échec", "Failed"},
	"status":         {"État", "Status"},
	"config":         {"Configuration", "Configuration"},
	"inforce":        {"en vigueur au début de la période", "in force when the period began"},
	"story":          {"Déroulé", "Story"},
	"time":           {"Heure", "Time"},
	"what":           {"Événement", "Event"},
	"who":            {"Acteur", "Actor"},
	"key":            {"", ""},
	"count":          {"nb", "n"},
	"median":         {"médiane", "median"},
	"max":            {"max", "max"},
	"none":           {"aucune", "none"},
	"unit_m":         {"m", "m"},
	"curve_level":    {"Niveau (m) et seuils", "Level (m) and thresholds"},
	"curve_volume":   {"Volume (m³)", "Volume (m³)"},
	"nocurve":        {"courbe de remplissage inconnue", "storage curve unknown"},
	"quality":        {"Qualité des mesures", "Reading quality"},
	"expired":        {"expirée", "expired"},
	"until":          {"jusqu'à", "until"},
	"stopped":        {"arrêtée", "stopped"},
	"up":             {"à la hausse", "upwards"},
	"down":           {"à la baisse", "downwards"},
	"late":           {"appris en retard", "learnt late"},
	"generated_from": {"Établi à partir du seul journal des événements.", "Built from the event log alone."},
}

// word is the fixed text k in the report's language.
func word(r *report.Report, k string) string {
	w, ok := words[k]
	if !ok {
		return k
	}
	if r.Language == projections.English {
		return w[1]
	}
	return w[0]
}

// stamp writes a time in the report's zone: "10/10/2025 04:17:07" (fr), "2025-10-10 04:17:07" (en).
func stamp(r *report.Report, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(r.Loc())
	if r.Language == projections.English {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("02/01/2006 15:04:05")
}

func stampPtr(r *report.Report, t *time.Time) string {
	if t == nil {
		return "—"
	}
	return stamp(r, *t)
}

// span writes seconds as "3 min 20 s", "2 h 14 min".
func span(s float64) string {
	if math.IsNaN(s) {
		return "—"
	}
	neg := s < 0
	d := time.Duration(math.Round(math.Abs(s))) * time.Second
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	var out string
	switch {
	case h > 0:
		out = fmt.Sprintf("%d h %02d min", h, m)
	case m > 0:
		out = fmt.Sprintf("%d min %02d s", m, sec)
	default:
		out = fmt.Sprintf("%d s", sec)
	}
	if neg {
		out = "-" + out
	}
	return out
}

func spanPtr(s *float64) string {
	if s == nil {
		return "—"
	}
	return span(*s)
}

// num writes v with decimals; never "-0.00".
func num(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

// severityWord translates a severity.
func severityWord(r *report.Report, s string) string {
	fr := map[string]string{"low": "basse", "medium": "moyenne", "high": "haute", "critical": "critique"}
	if r.Language == projections.English {
		return s
	}
	if w, ok := fr[s]; ok {
		return w
	}
	return s
}

func statusWord(r *report.Report, s string) string {
	fr := map[string]string{"requested": "demandée", "sent": "envoyée", "delivered": "remise", "failed": "échec", "retrying": "nouvel essai"}
	if r.Language == projections.English {
		return s
	}
	if w, ok := fr[s]; ok {
		return w
	}
	return s
}

// runText tells one cascade run: "Cascade 1 (crue) 04:17:07 → 04:20:27 : alarme acquittée par op-martin".
func runText(r *report.Report, run report.Run) string {
	if run.Run == 0 {
		return word(r, "cascade") + " : " + report.StopText(run.StopReason, r.Language)
	}
	s := fmt.Sprintf("%s %d (%s) %s", word(r, "cascade"), run.Run, run.Policy, stamp(r, run.Started))
	if run.Stopped != nil {
		s += " → " + stamp(r, *run.Stopped) + " : " + report.StopText(run.StopReason, r.Language)
		if run.StopBy != "" {
			s += " " + word(r, "by") + " " + run.StopBy
		}
	}
	return s
}

// ackText: "op-martin (sms) 02/10/2025 04:20:27, après 3 min 20 s".
func ackText(r *report.Report, a report.Ack) string {
	return fmt.Sprintf("%s (%s) %s — %s", a.By, a.Via, stamp(r, a.At), span(a.Seconds))
}
