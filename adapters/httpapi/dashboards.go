package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/readstore"
)

// Dashboards are boards people compose from widgets. They are not events: a board is a
// person's preference, not a fact about the dams, and keeping its every drag in the log would
// drown the audit trail. They live behind DashboardStore, in a JSON file by default
// (FileDashboards); a deployment with several servers can put them in its database instead.

// WidgetTypes are the widgets a board can hold.
var WidgetTypes = []string{"dam-card", "chart", "alarm-list", "map", "kpi"}

// Grid bounds: 12 columns, like the UI's grid.
const (
	gridColumns   = 12
	maxWidgetRows = 12
	maxWidgets    = 60
	maxTitleLen   = 100
	maxDashBody   = 256 << 10
)

// Widget is one tile of a board, placed on a 12-column grid.
type Widget struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	// Dam is the dam a dam card or chart shows; empty for site-wide widgets.
	Dam   string `json:"dam,omitempty"`
	Title string `json:"title,omitempty"`
	X     int    `json:"x"`
	Y     int    `json:"y"`
	W     int    `json:"w"`
	H     int    `json:"h"`
	// Options are the widget's own settings (chart range, KPI choice), kept as given.
	Options json.RawMessage `json:"options,omitempty"`
}

// Dashboard is a board: its owner sees and edits it, the roles in SharedWith see it.
type Dashboard struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Owner      string     `json:"owner"`
	SharedWith []UserRole `json:"shared_with"`
	Widgets    []Widget   `json:"widgets"`
	UpdatedAt  time.Time  `json:"updated_at"`
	UpdatedBy  string     `json:"updated_by"`
}

// DashboardStore keeps the boards. Get and Delete wrap readstore.ErrNotFound for an unknown id.
type DashboardStore interface {
	List(ctx context.Context) ([]Dashboard, error)
	Get(ctx context.Context, id string) (Dashboard, error)
	Put(ctx context.Context, d Dashboard) error
	Delete(ctx context.Context, id string) error
}

// DashboardsFile is the name of the board file in the data folder.
const DashboardsFile = "dashboards.json"

// FileDashboards is a DashboardStore in one JSON file, rewritten atomically on every change
// (boards change at the pace of people). Nodes sharing a data volume share the boards: each
// change is made under the file's lock and every node reads the file again when it changed.
type FileDashboards struct {
	f *sharedMap[Dashboard]
}

var _ DashboardStore = (*FileDashboards)(nil)

// OpenDashboards reads the file, or starts empty when it does not exist.
func OpenDashboards(path string) (*FileDashboards, error) {
	f, err := openSharedMap(path, "dashboards", func(d Dashboard) string { return d.ID })
	if err != nil {
		return nil, fmt.Errorf("open dashboards: %w", err)
	}
	return &FileDashboards{f: f}, nil
}

func (f *FileDashboards) List(context.Context) ([]Dashboard, error) {
	m, err := f.f.read()
	if err != nil {
		return nil, err
	}
	out := make([]Dashboard, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Dashboard) int { return strings.Compare(a.Title+"\x00"+a.ID, b.Title+"\x00"+b.ID) })
	return out, nil
}

func (f *FileDashboards) Get(_ context.Context, id string) (Dashboard, error) {
	m, err := f.f.read()
	if err != nil {
		return Dashboard{}, err
	}
	d, ok := m[id]
	if !ok {
		return Dashboard{}, notFound("no dashboard %s", id)
	}
	return d, nil
}

func (f *FileDashboards) Put(_ context.Context, d Dashboard) error {
	return f.f.update(func(m map[string]Dashboard) error {
		m[d.ID] = d
		return nil
	})
}

func (f *FileDashboards) Delete(_ context.Context, id string) error {
	return f.f.update(func(m map[string]Dashboard) error {
		if _, ok := m[id]; !ok {
			return notFound("no dashboard %s", id)
		}
		delete(m, id)
		return nil
	})
}

// canSee: the owner, an administrator, a role the board is shared with, or the embed link made
// for it.
func (c caller) canSee(d Dashboard) bool {
	if c.embedDashboard != "" {
		return c.embedDashboard == d.ID
	}
	return c.admin || (!c.anonymous && c.actor == d.Owner) || slices.Contains(d.SharedWith, c.role)
}

// canEdit: the owner or an administrator.
func (c caller) canEdit(d Dashboard) bool {
	return c.embedDashboard == "" && !c.anonymous && (c.admin || c.actor == d.Owner)
}

// dashboardInput is what a client sends; the server sets the rest.
type dashboardInput struct {
	Title      string     `json:"title"`
	SharedWith []UserRole `json:"shared_with"`
	Widgets    []Widget   `json:"widgets"`
}

// dashboardError lists every mistake in a board (422), each in words an operator understands.
type dashboardError struct{ problems []Violation }

func (e *dashboardError) Error() string {
	parts := make([]string, len(e.problems))
	for i, p := range e.problems {
		parts[i] = p.Field + ": " + p.Detail
	}
	return strings.Join(parts, "; ")
}

const typeInvalidDashboard = "urn:vigie:problem:invalid-dashboard"

func (s *Server) readDashboard(w http.ResponseWriter, r *http.Request) (dashboardInput, error) {
	var in dashboardInput
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDashBody))
	if err != nil {
		return in, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, &badBody{err: err}
	}
	site, err := s.deps.Site.Site(r.Context())
	if err != nil {
		return in, fmt.Errorf("read the site to check the board's dams: %w", err)
	}
	dams := map[string]bool{}
	for _, d := range site.Dams {
		dams[string(d.ID)] = true
	}
	var v []Violation
	add := func(field, format string, args ...any) {
		v = append(v, Violation{Field: field, Detail: fmt.Sprintf(format, args...)})
	}
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || utf8.RuneCountInString(in.Title) > maxTitleLen {
		add("title", "give the board a name of 1 to %d characters", maxTitleLen)
	}
	for _, role := range in.SharedWith {
		if _, err := ParseUserRole(string(role)); err != nil {
			add("shared_with", "%v", err)
		}
	}
	if len(in.Widgets) > maxWidgets {
		add("widgets", "a board holds at most %d widgets (this one has %d)", maxWidgets, len(in.Widgets))
	}
	ids := map[string]bool{}
	for i, wd := range in.Widgets {
		f := fmt.Sprintf("widgets[%d]", i)
		if wd.ID == "" || ids[wd.ID] {
			add(f+".id", "each widget needs its own id")
		}
		ids[wd.ID] = true
		if !slices.Contains(WidgetTypes, wd.Type) {
			add(f+".type", "%q is not a widget; choose one of %v", wd.Type, WidgetTypes)
		}
		if (wd.Type == "dam-card" || wd.Type == "chart") && wd.Dam == "" {
			add(f+".dam", "choose the dam this %s shows", wd.Type)
		}
		if wd.Dam != "" && !dams[wd.Dam] {
			add(f+".dam", "there is no dam %q in the configuration", wd.Dam)
		}
		if wd.W < 1 || wd.H < 1 || wd.H > maxWidgetRows || wd.X < 0 || wd.Y < 0 || wd.X+wd.W > gridColumns {
			add(f, "the widget must fit the %d-column grid (x %d, width %d, height %d)", gridColumns, wd.X, wd.W, wd.H)
		}
		if len(wd.Options) > 0 && !json.Valid(wd.Options) {
			add(f+".options", "must be JSON")
		}
	}
	if len(v) > 0 {
		return in, &dashboardError{problems: v}
	}
	if in.SharedWith == nil {
		in.SharedWith = []UserRole{}
	}
	if in.Widgets == nil {
		in.Widgets = []Widget{}
	}
	return in, nil
}

func (s *Server) failDashboard(w http.ResponseWriter, r *http.Request, err error) {
	var de *dashboardError
	var bad *badBody
	switch {
	case errors.As(err, &de):
		writeProblem(w, Problem{Type: typeInvalidDashboard, Title: "The board cannot be saved", Status: http.StatusUnprocessableEntity,
			Detail: fmt.Sprintf("%d problem(s); nothing was saved", len(de.problems)), Errors: de.problems,
			Instance: "urn:vigie:request:" + requestID(r.Context())})
	case errors.As(err, &bad):
		writeProblem(w, Problem{Type: typeMalformedBody, Title: "Malformed body", Status: http.StatusBadRequest, Detail: bad.Error(),
			Instance: "urn:vigie:request:" + requestID(r.Context())})
	default:
		s.fail(w, r, err)
	}
}

type dashboardsJSON struct {
	Dashboards []Dashboard `json:"dashboards"`
}

func (s *Server) listDashboards(w http.ResponseWriter, r *http.Request) {
	c := s.callerOf(r)
	all, err := s.deps.Web.Dashboards.List(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("list dashboards: %w", err))
		return
	}
	out := []Dashboard{}
	for _, d := range all {
		if c.canSee(d) {
			out = append(out, d)
		}
	}
	s.writeValue(w, r, dashboardsJSON{Dashboards: out})
}

func (s *Server) dashboardParam(w http.ResponseWriter, r *http.Request) (Dashboard, caller, bool) {
	c := s.callerOf(r)
	d, err := s.deps.Web.Dashboards.Get(r.Context(), chi.URLParam(r, "id"))
	if err == nil && !c.canSee(d) {
		// Someone else's private board is not there, as far as this caller can tell.
		err = notFound("no dashboard %s", chi.URLParam(r, "id"))
	}
	if err != nil {
		s.fail(w, r, err)
		return Dashboard{}, c, false
	}
	return d, c, true
}

func (s *Server) getDashboard(w http.ResponseWriter, r *http.Request) {
	if d, _, ok := s.dashboardParam(w, r); ok {
		s.writeValue(w, r, d)
	}
}

func (s *Server) createDashboard(w http.ResponseWriter, r *http.Request) {
	c := s.callerOf(r)
	if c.anonymous || c.embedDashboard != "" {
		s.fail(w, r, &needLoginError{what: "save a dashboard"})
		return
	}
	in, err := s.readDashboard(w, r)
	if err != nil {
		s.failDashboard(w, r, err)
		return
	}
	d := Dashboard{ID: "d-" + randomToken()[:12], Title: in.Title, Owner: c.actor, SharedWith: in.SharedWith, Widgets: in.Widgets,
		UpdatedAt: s.now().UTC(), UpdatedBy: c.actor}
	if err := s.deps.Web.Dashboards.Put(r.Context(), d); err != nil {
		s.fail(w, r, fmt.Errorf("save dashboard: %w", err))
		return
	}
	w.Header().Set("Location", "/api/v1/dashboards/"+d.ID)
	b, _ := json.Marshal(d)
	writeJSON(w, http.StatusCreated, b)
}

func (s *Server) putDashboard(w http.ResponseWriter, r *http.Request) {
	d, c, ok := s.dashboardParam(w, r)
	if !ok {
		return
	}
	if !c.canEdit(d) {
		s.fail(w, r, fmt.Errorf("only its owner (%s) or an administrator may change this board: %w", d.Owner, ErrForbidden))
		return
	}
	in, err := s.readDashboard(w, r)
	if err != nil {
		s.failDashboard(w, r, err)
		return
	}
	d.Title, d.SharedWith, d.Widgets, d.UpdatedAt, d.UpdatedBy = in.Title, in.SharedWith, in.Widgets, s.now().UTC(), c.actor
	if err := s.deps.Web.Dashboards.Put(r.Context(), d); err != nil {
		s.fail(w, r, fmt.Errorf("save dashboard %s: %w", d.ID, err))
		return
	}
	s.writeValue(w, r, d)
}

func (s *Server) deleteDashboard(w http.ResponseWriter, r *http.Request) {
	d, c, ok := s.dashboardParam(w, r)
	if !ok {
		return
	}
	if !c.canEdit(d) {
		s.fail(w, r, fmt.Errorf("only its owner (%s) or an administrator may delete this board: %w", d.Owner, ErrForbidden))
		return
	}
	if err := s.deps.Web.Dashboards.Delete(r.Context(), d.ID); err != nil && !errors.Is(err, readstore.ErrNotFound) {
		s.fail(w, r, fmt.Errorf("delete dashboard %s: %w", d.ID, err))
		return
	}
	// Its embed links die with it.
	if err := s.deps.Web.Embeds.RevokeDashboard(d.ID); err != nil {
		s.fail(w, r, fmt.Errorf("revoke the embed links of %s: %w", d.ID, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
