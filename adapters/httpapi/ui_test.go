package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/vigie/vigie/adapters/httpapi"
)

// TestFramingHeaders: the embed pages may be framed by the portal's origins (by Vigie's own
// when none is configured); every other page by nobody.
func TestFramingHeaders(t *testing.T) {
	t.Parallel()
	ui := fstest.MapFS{
		"index.html": {Data: []byte("<!doctype html><title>Vigie</title>")},
		"main.js":    {Data: []byte("console.log(1)")},
	}
	portal := []string{"https://portail.example.gouv.fr", "'self'"}
	tests := []struct {
		name      string
		ancestors []string // nil: no Web at all
		web       bool
		target    string
		wantCSP   string
		wantXFO   string
	}{
		{"overview", nil, false, "/", "frame-ancestors 'none'", "DENY"},
		{"app route", portal, true, "/alarms", "frame-ancestors 'none'", "DENY"},
		{"index itself", portal, true, "/index.html", "frame-ancestors 'none'", "DENY"},
		{"board page", portal, true, "/boards/d-abc", "frame-ancestors 'none'", "DENY"},
		{"embed, portal configured", portal, true, "/embed/d-abc?token=ve1.x", "frame-ancestors https://portail.example.gouv.fr 'self'", ""},
		{"embed, nothing configured", nil, true, "/embed/d-abc?token=ve1.x", "frame-ancestors 'self'", ""},
		{"embed, no web at all", nil, false, "/embed/d-abc", "frame-ancestors 'self'", ""},
		{"embed-like path is not an embed", portal, true, "/embedded", "frame-ancestors 'none'", "DENY"},
		{"dot-dot out of embed", portal, true, "/embed/../alarms", "frame-ancestors 'none'", "DENY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, httpapi.Config{PublicRead: true}, func(d *httpapi.Deps) {
				d.UI = ui
				if tc.web {
					web, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: t.TempDir(), BcryptCost: bcrypt.MinCost, EmbedFrameAncestors: tc.ancestors})
					if err != nil {
						t.Fatal(err)
					}
					d.Web = web
				}
			})
			req, _ := http.NewRequest(http.MethodGet, tc.target, nil)
			req.URL.Path = strings.SplitN(tc.target, "?", 2)[0] // keep "..": a client may send it raw
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != tc.wantCSP {
				t.Errorf("Content-Security-Policy = %q, want %q", got, tc.wantCSP)
			}
			if got := rec.Header().Get("X-Frame-Options"); got != tc.wantXFO {
				t.Errorf("X-Frame-Options = %q, want %q", got, tc.wantXFO)
			}
		})
	}
}

func TestEmbedFrameAncestorsAreOrigins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ancestor string
		ok       bool
	}{
		{"'self'", true},
		{"https://portail.example.gouv.fr", true},
		{"https://portail.example.gouv.fr:8443", true},
		{"http://127.0.0.1:5173", true},
		{"https://*.example.gouv.fr", true},
		{"*", false},
		{"'none'", false},
		{"portail.example.gouv.fr", false},
		{"https://portail.example.gouv.fr/crues", false},
		{"https://a.example; script-src *", false},
		{"javascript:alert(1)", false},
		{"https://user@portail.example.gouv.fr", false},
	}
	for _, tc := range tests {
		_, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: t.TempDir(), BcryptCost: bcrypt.MinCost, IdleTimeout: time.Hour, EmbedFrameAncestors: []string{tc.ancestor}})
		if (err == nil) != tc.ok {
			t.Errorf("ancestor %q: error %v, want ok=%v", tc.ancestor, err, tc.ok)
		}
	}
}
