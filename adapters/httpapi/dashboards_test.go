package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
)

const board = `{"title":"Nuit","shared_with":["operator"],"widgets":[
 {"id":"w1","type":"dam-card","dam":"mejean","x":0,"y":0,"w":4,"h":3},
 {"id":"w2","type":"alarm-list","x":4,"y":0,"w":8,"h":3},
 {"id":"w3","type":"kpi","x":0,"y":3,"w":3,"h":2,"options":{"kpi":"standing"}}]}`

func (e *webEnv) createBoard(t *testing.T, cookie, csrf, body string) httpapi.Dashboard {
	t.Helper()
	rec := e.do(t, http.MethodPost, "/api/v1/dashboards", strings.NewReader(body), cookie, httpapi.CSRFHeader+": "+csrf)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create board: status %d, body %s", rec.Code, rec.Body)
	}
	return decode[httpapi.Dashboard](t, rec)
}

func TestDashboardsAreOwnedAndShared(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{})
	admin, adminCSRF := e.login(t, "chef")
	d := e.createBoard(t, admin, adminCSRF, board)
	if d.Owner != "user:chef" || len(d.Widgets) != 3 || d.ID == "" {
		t.Fatalf("created %+v", d)
	}
	operator, opCSRF := e.login(t, "durand")
	viewer, _ := e.login(t, "martin")

	count := func(cookie string) int {
		return len(decode[struct{ Dashboards []httpapi.Dashboard }](t, e.do(t, http.MethodGet, "/api/v1/dashboards", nil, cookie)).Dashboards)
	}
	if n := count(operator); n != 1 {
		t.Errorf("operator (shared with operators) sees %d boards, want 1", n)
	}
	if n := count(viewer); n != 0 {
		t.Errorf("viewer (not shared) sees %d boards, want 0", n)
	}
	if rec := e.do(t, http.MethodGet, "/api/v1/dashboards/"+d.ID, nil, viewer); rec.Code != http.StatusNotFound {
		t.Errorf("viewer reading a board not shared with them: status %d, want 404", rec.Code)
	}
	// Shared is read-only: only the owner or an admin changes it.
	if rec := e.do(t, http.MethodPut, "/api/v1/dashboards/"+d.ID, strings.NewReader(board), operator, httpapi.CSRFHeader+": "+opCSRF); rec.Code != http.StatusForbidden {
		t.Errorf("operator changing the admin's board: status %d, want 403", rec.Code)
	}
	moved := strings.Replace(board, `"x":0,"y":0,"w":4`, `"x":8,"y":5,"w":4`, 1)
	rec := e.do(t, http.MethodPut, "/api/v1/dashboards/"+d.ID, strings.NewReader(moved), admin, httpapi.CSRFHeader+": "+adminCSRF)
	if rec.Code != http.StatusOK {
		t.Fatalf("owner saving: status %d, body %s", rec.Code, rec.Body)
	}
	// Saved on disk: a new store on the same folder has it.
	again, err := httpapi.OpenDashboards(e.dir + "/" + httpapi.DashboardsFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := again.Get(context.Background(), d.ID)
	if err != nil || got.Widgets[0].X != 8 || got.Widgets[0].Y != 5 {
		t.Fatalf("reopened board %+v, %v: want the moved widget at 8,5", got, err)
	}
	// An operator's own board.
	mine := e.createBoard(t, operator, opCSRF, `{"title":"Mon tableau","widgets":[]}`)
	if n := count(operator); n != 2 {
		t.Errorf("operator sees %d boards, want 2", n)
	}
	if n := count(admin); n != 2 {
		t.Errorf("admin sees %d boards, want every board (2)", n)
	}
	if rec := e.do(t, http.MethodDelete, "/api/v1/dashboards/"+mine.ID, nil, operator, httpapi.CSRFHeader+": "+opCSRF); rec.Code != http.StatusNoContent {
		t.Errorf("owner deleting: status %d", rec.Code)
	}
}

func TestDashboardValidationSpeaksPlainly(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{})
	cookie, csrf := e.login(t, "durand")
	tests := []struct{ name, body, want string }{
		{"no title", `{"title":" ","widgets":[]}`, "give the board a name"},
		{"unknown widget", `{"title":"a","widgets":[{"id":"a","type":"radar","x":0,"y":0,"w":1,"h":1}]}`, `\"radar\" is not a widget`},
		{"unknown dam", `{"title":"a","widgets":[{"id":"a","type":"dam-card","dam":"loire","x":0,"y":0,"w":1,"h":1}]}`, `no dam \"loire\"`},
		{"off the grid", `{"title":"a","widgets":[{"id":"a","type":"map","x":10,"y":0,"w":4,"h":1}]}`, "must fit the 12-column grid"},
		{"bad role", `{"title":"a","shared_with":["everyone"],"widgets":[]}`, "is not one of"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, http.MethodPost, "/api/v1/dashboards", strings.NewReader(tc.body), cookie, httpapi.CSRFHeader+": "+csrf)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("status %d, body %s; want 422 saying %q", rec.Code, rec.Body, tc.want)
			}
		})
	}
}

func TestAnonymousCannotSaveABoard(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{PublicRead: true})
	if rec := e.do(t, http.MethodPost, "/api/v1/dashboards", strings.NewReader(board)); rec.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous save: status %d, want 401", rec.Code)
	}
}

type embedAnswer struct {
	httpapi.EmbedLink
	Token string `json:"token"`
	URL   string `json:"url"`
}

func TestEmbedLinkIsReadOnlyScopedRevocableAndExpires(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{}) // no public read: only the link opens the door
	admin, csrf := e.login(t, "chef")
	d := e.createBoard(t, admin, csrf, board)
	other := e.createBoard(t, admin, csrf, `{"title":"Autre","widgets":[]}`)
	rec := e.do(t, http.MethodPost, "/api/v1/dashboards/"+d.ID+"/embeds", strings.NewReader(`{"label":"portail","expires_in_s":3600}`), admin, httpapi.CSRFHeader+": "+csrf)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create link: status %d, body %s", rec.Code, rec.Body)
	}
	link := decode[embedAnswer](t, rec)
	if link.Token == "" || !strings.HasPrefix(link.URL, "/embed/"+d.ID+"?token=") {
		t.Fatalf("link %+v", link)
	}
	hdr := httpapi.EmbedHeader + ": " + link.Token

	for _, tc := range []struct {
		name, method, target string
		headers              []string
		want                 int
	}{
		{"reads the site", http.MethodGet, "/api/v1/site", []string{hdr}, http.StatusOK},
		{"token in the query (EventSource)", http.MethodGet, "/api/v1/sensors?embed=" + url.QueryEscape(link.Token), nil, http.StatusOK},
		{"reads its board", http.MethodGet, "/api/v1/dashboards/" + d.ID, []string{hdr}, http.StatusOK},
		{"not another board", http.MethodGet, "/api/v1/dashboards/" + other.ID, []string{hdr}, http.StatusNotFound},
		{"cannot acknowledge", http.MethodPost, "/api/v1/alarms/x/ack", []string{hdr}, http.StatusForbidden},
		{"cannot change its board", http.MethodPut, "/api/v1/dashboards/" + d.ID, []string{hdr}, http.StatusForbidden},
		{"cannot make links", http.MethodPost, "/api/v1/dashboards/" + d.ID + "/embeds", []string{hdr}, http.StatusForbidden},
		{"cannot read the configuration", http.MethodGet, "/api/v1/config", []string{hdr}, http.StatusNotImplemented},
		{"forged token", http.MethodGet, "/api/v1/site", []string{httpapi.EmbedHeader + ": " + link.Token[:len(link.Token)-2] + "AA"}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body *strings.Reader
			if tc.method != http.MethodGet {
				body = strings.NewReader(board)
			}
			var rec = e.do(t, tc.method, tc.target, nilIfEmpty(body), tc.headers...)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tc.want, rec.Body)
			}
		})
	}

	// Expiry.
	e.clock.advance(time.Hour)
	if rec := e.do(t, http.MethodGet, "/api/v1/site", nil, hdr); rec.Code != http.StatusUnauthorized {
		t.Fatalf("expired link: status %d, want 401", rec.Code)
	}
	// Revocation of a live one.
	rec = e.do(t, http.MethodPost, "/api/v1/dashboards/"+d.ID+"/embeds", strings.NewReader(`{}`), admin, httpapi.CSRFHeader+": "+csrf)
	live := decode[embedAnswer](t, rec)
	if rec := e.do(t, http.MethodGet, "/api/v1/site", nil, httpapi.EmbedHeader+": "+live.Token); rec.Code != http.StatusOK {
		t.Fatalf("new link: status %d", rec.Code)
	}
	if rec := e.do(t, http.MethodDelete, "/api/v1/embeds/"+live.ID, nil, admin, httpapi.CSRFHeader+": "+csrf); rec.Code != http.StatusOK {
		t.Fatalf("revoke: status %d, body %s", rec.Code, rec.Body)
	}
	if rec := e.do(t, http.MethodGet, "/api/v1/site", nil, httpapi.EmbedHeader+": "+live.Token); rec.Code != http.StatusUnauthorized {
		t.Fatalf("revoked link: status %d, want 401", rec.Code)
	}
	links := decode[struct{ Embeds []httpapi.EmbedLink }](t, e.do(t, http.MethodGet, "/api/v1/dashboards/"+d.ID+"/embeds", nil, admin))
	if len(links.Embeds) != 2 || links.Embeds[0].RevokedAt == nil || links.Embeds[0].RevokedBy != "user:chef" {
		t.Fatalf("links %+v: want 2, the newest revoked by user:chef", links.Embeds)
	}
}

func nilIfEmpty(r *strings.Reader) interface {
	Read([]byte) (int, error)
} {
	if r == nil {
		return nil
	}
	return r
}
