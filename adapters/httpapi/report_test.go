package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/vigie/vigie/adapters/httpapi"
)

// fakeReports records the query it got and writes it back.
type fakeReports struct {
	mu  sync.Mutex
	got []httpapi.ReportQuery
	err error
}

func (f *fakeReports) Report(_ context.Context, q httpapi.ReportQuery, w io.Writer) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, q)
	if f.err != nil {
		return "", f.err
	}
	fmt.Fprintf(w, "report %s %s %s %v %s", q.Format, q.From.Format("15:04"), q.To.Format("15:04"), q.Dams, q.Language)
	return "text/plain", nil
}

func TestReportEndpoint(t *testing.T) {
	t.Parallel()
	reports := &fakeReports{}
	e := newEnv(t, httpapi.Config{}, func(d *httpapi.Deps) { d.Reports = reports })
	auth := "Authorization: Bearer " + tokViewer
	tests := []struct {
		name, target string
		status       int
		body         string
	}{
		{"html by default", "/api/v1/report?from=2025-10-10T02:00:00Z&to=2025-10-10T10:00:00Z&dams=mejean,barrage-est&lang=en", 200, "report html 02:00 10:00 [mejean barrage-est] en"},
		{"pdf", "/api/v1/report?format=pdf", 200, "report pdf"},
		{"unknown format", "/api/v1/report?format=docx", 400, "format"},
		{"unknown language", "/api/v1/report?lang=de", 400, "lang"},
		{"backwards period", "/api/v1/report?from=2025-10-10T10:00:00Z&to=2025-10-10T02:00:00Z", 400, "before"},
	}
	for _, tc := range tests {
		rec := e.do(t, http.MethodGet, tc.target, nil, auth)
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("%s: %d %s, want %d containing %q", tc.name, rec.Code, rec.Body, tc.status, tc.body)
		}
	}
	if rec := e.do(t, http.MethodGet, "/api/v1/report", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("without a key: %d", rec.Code)
	}
	reports.err = fmt.Errorf("table nope: %w", httpapi.ErrInvalidReport)
	if rec := e.do(t, http.MethodGet, "/api/v1/report?format=csv&table=nope", nil, auth); rec.Code != 400 {
		t.Errorf("invalid table: %d %s", rec.Code, rec.Body)
	}
	none := newEnv(t, httpapi.Config{})
	if rec := none.do(t, http.MethodGet, "/api/v1/report", nil, auth); rec.Code != http.StatusNotImplemented {
		t.Errorf("without reports: %d", rec.Code)
	}
}
