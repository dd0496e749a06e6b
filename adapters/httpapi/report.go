package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// ReportQuery asks for the post-flood report of a period (docs/report.md).
type ReportQuery struct {
	From, To time.Time
	// Dams restricts the report; empty: every dam.
	Dams []string
	// Language: "fr" or "en"; empty: the site's.
	Language string
	// Format: html, pdf, csv or json; Table names the CSV table.
	Format, Table string
}

// Reports renders post-flood reports from the event log (cmd/vigie builds them with
// projections/report). Report writes the whole document to w and returns its media type.
type Reports interface {
	Report(ctx context.Context, q ReportQuery, w io.Writer) (contentType string, err error)
}

// ErrInvalidReport is wrapped by the errors of a report that cannot be made as asked (an unknown
// format, table or language): the client's mistake, answered 400.
var ErrInvalidReport = errors.New("invalid report request")

const typeNoReports = "urn:vigie:problem:no-reports"

// reportRoutes serves GET /api/v1/report to whoever may read the views.
func (s *Server) reportRoutes(r chi.Router) {
	r.With(s.require(permRead)).Get("/report", s.getReport)
}

// getReport: /api/v1/report?from=&to=&dams=a,b&lang=fr&format=html|pdf|csv|json&table=alarms.
// The document is made whole before the answer starts, so a failure is a problem+json, never
// half a PDF.
func (s *Server) getReport(w http.ResponseWriter, r *http.Request) {
	if s.deps.Reports == nil {
		writeProblem(w, Problem{Type: typeNoReports, Title: "Not Implemented", Status: http.StatusNotImplemented,
			Detail: "this server makes no reports", Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	q := r.URL.Query()
	now := s.now().UTC()
	var (
		rq  ReportQuery
		err error
	)
	if rq.From, err = parseTimeParam(q, "from", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if rq.To, err = parseTimeParam(q, "to", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if !rq.From.IsZero() && !rq.To.IsZero() && rq.To.Before(rq.From) {
		s.fail(w, r, &paramError{param: "to", reason: "is before from"})
		return
	}
	rq.Dams = splitList(q["dams"])
	rq.Language = q.Get("lang")
	if rq.Language != "" && rq.Language != "fr" && rq.Language != "en" {
		s.fail(w, r, &paramError{param: "lang", reason: "must be fr or en"})
		return
	}
	rq.Format = strings.ToLower(q.Get("format"))
	switch rq.Format {
	case "":
		rq.Format = "html"
	case "html", "pdf", "csv", "json":
	default:
		s.fail(w, r, &paramError{param: "format", reason: "must be html, pdf, csv or json"})
		return
	}
	rq.Table = q.Get("table")
	var buf bytes.Buffer
	ctype, err := s.deps.Reports.Report(r.Context(), rq, &buf)
	if errors.Is(err, ErrInvalidReport) {
		param := "format"
		if rq.Table != "" {
			param = "table"
		}
		s.fail(w, r, &paramError{param: param, reason: err.Error()})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	if rq.Format == "pdf" || rq.Format == "csv" {
		name := "rapport-" + now.Format("20060102-150405") + "." + rq.Format
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
