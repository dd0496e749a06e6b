package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// WebConfig sets up what the browser UI needs besides the read API: people's accounts and
// sessions, saved dashboards and embed links. All of it lives in small files of the data folder.
type WebConfig struct {
	// Dir is the data folder: users.json, sessions.json, dashboards.json, embed-links.json and
	// embed.key.
	Dir string
	// IdleTimeout ends a session unused this long (default 12 h: a night shift on one screen).
	IdleTimeout time.Duration
	// MaxAge ends any session this long after login (default 24 h).
	MaxAge time.Duration
	// SecureCookie marks the session cookie Secure even on plain HTTP requests (behind a TLS
	// proxy). It is always Secure on a TLS connection.
	SecureCookie bool
	// BcryptCost is the password hashing work factor (default bcrypt.DefaultCost).
	BcryptCost int
	// Clock defaults to time.Now.
	Clock func() time.Time
	// EmbedFrameAncestors are who may show the embed pages in a frame: the origins of the
	// authority's portal ("https://portail.example.gouv.fr"), or "'self'". Empty: 'self' only,
	// and a portal elsewhere cannot frame them. Every other page may be framed by nobody.
	EmbedFrameAncestors []string
	// OperatorNames are the on-call people's display names by operator id, from the
	// configuration: the alarm console shows "C. Durand", not "op-durand". Unknown ids are shown
	// as they are.
	OperatorNames map[string]string
}

func (c *WebConfig) setDefaults() {
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 12 * time.Hour
	}
	if c.MaxAge == 0 {
		c.MaxAge = 24 * time.Hour
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
}

// Validate reports every mistake at once.
func (c WebConfig) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("data folder is empty"))
	}
	if c.IdleTimeout < 0 || c.MaxAge < 0 {
		errs = append(errs, fmt.Errorf("session idle timeout %s and max age %s must be positive", c.IdleTimeout, c.MaxAge))
	}
	for _, a := range c.EmbedFrameAncestors {
		errs = append(errs, checkFrameAncestor(a))
	}
	return errors.Join(errs...)
}

// Web is the browser side of the server: users, sessions, dashboards, embed links.
type Web struct {
	cfg        WebConfig
	Users      *Users
	Dashboards DashboardStore
	Embeds     *EmbedLinks
	sessions   *sessions
	// ended is told when a session ends, a link is revoked or the users change.
	ended *broadcast
}

// OpenWeb opens (creating what is missing) the web files of a data folder.
func OpenWeb(cfg WebConfig) (*Web, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open web: %w", err)
	}
	users, err := OpenUsers(cfg.Dir, cfg.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("open web: %w", err)
	}
	users.now = cfg.Clock
	dash, err := OpenDashboards(filepath.Join(cfg.Dir, DashboardsFile))
	if err != nil {
		return nil, fmt.Errorf("open web: %w", err)
	}
	embeds, err := OpenEmbedLinks(cfg.Dir, cfg.Clock)
	if err != nil {
		return nil, fmt.Errorf("open web: %w", err)
	}
	ended := newBroadcast()
	users.changed, embeds.revoked = ended, ended
	sess, err := openSessions(filepath.Join(cfg.Dir, SessionsFile), cfg.IdleTimeout, cfg.MaxAge, cfg.Clock, ended)
	if err != nil {
		return nil, fmt.Errorf("open web: %w", err)
	}
	return &Web{cfg: cfg, Users: users, Dashboards: dash, Embeds: embeds, ended: ended, sessions: sess}, nil
}

// credentialWatch follows the credential an event stream was opened with: a session or an
// embed link, which can end while the stream runs.
type credentialWatch struct {
	// changed is closed when some credential ended (any session or link: the stream checks
	// whether it was its own).
	changed func() <-chan struct{}
	// check says whether the credential still holds and for how long at most.
	check func() (left time.Duration, ok bool)
}

// watch returns the watch of the request's credential; nil for an API key or an anonymous
// reader, which nothing here ends.
func (w *Web) watch(r *http.Request, p Principal) *credentialWatch {
	switch {
	case strings.HasPrefix(p.Actor, "user:"):
		c, err := r.Cookie(SessionCookie)
		if err != nil {
			return nil
		}
		token := c.Value
		return &credentialWatch{changed: w.ended.wait, check: func() (time.Duration, bool) {
			left, user, role, ok := w.sessions.remaining(token)
			if !ok {
				return 0, false
			}
			if u, err := w.Users.Lookup(user); err != nil || u.Disabled || u.Role != role {
				// As sessionOf: a user gone, disabled or given another role is logged out.
				if err == nil || errors.Is(err, ErrNoSuchUser) {
					_ = w.sessions.dropUser(user) // as sessionOf: refused either way
				}
				return 0, false
			}
			return left, true
		}}
	case strings.HasPrefix(p.Actor, embedActorPrefix):
		token := r.Header.Get(EmbedHeader)
		if token == "" {
			token = r.URL.Query().Get(EmbedParam)
		}
		return &credentialWatch{changed: w.ended.wait, check: func() (time.Duration, bool) {
			l, err := w.Embeds.Verify(token)
			if err != nil {
				return 0, false
			}
			return l.ExpiresAt.Sub(w.cfg.Clock()), true
		}}
	}
	return nil
}

// authenticators are tried after the server's own (API keys): the session cookie, then an
// embed token.
func (w *Web) authenticators() []Authenticator {
	return []Authenticator{w.sessionAuth(), w.Embeds.authenticator()}
}

const (
	typeNoWeb    = "urn:vigie:problem:no-web"
	typeNoConfig = "urn:vigie:problem:no-config-admin"
)

// webRoutes registers the endpoints of the browser UI under /api/v1. They are always served so
// the API and its document agree; without Deps.Web (or Deps.ConfigAdmin) they answer 501.
func (s *Server) webRoutes(r chi.Router) {
	web := r.With(s.needWeb)
	web.Post("/session", s.login)
	web.Get("/session", s.getSession)
	web.Delete("/session", s.logout)

	read := web.With(s.require(permRead))
	read.Get("/users", s.listUsers)
	read.Get("/dashboards", s.listDashboards)
	read.Post("/dashboards", s.createDashboard)
	read.Get("/dashboards/{id}", s.getDashboard)
	read.Put("/dashboards/{id}", s.putDashboard)
	read.Delete("/dashboards/{id}", s.deleteDashboard)
	read.Get("/dashboards/{id}/embeds", s.listEmbeds)
	read.Post("/dashboards/{id}/embeds", s.createEmbed)
	read.Delete("/embeds/{id}", s.revokeEmbed)

	cfg := r.With(s.needConfig, s.require(permRead))
	cfg.Get("/config", s.getConfig)
	cfg.Post("/config/check", s.checkConfig)
	cfg.Put("/config", s.putConfig)
}

func (s *Server) needWeb(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Web == nil {
			writeProblem(w, Problem{Type: typeNoWeb, Title: "Not Implemented", Status: http.StatusNotImplemented,
				Detail: "this server runs without user accounts (API keys only)", Instance: "urn:vigie:request:" + requestID(r.Context())})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) needConfig(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.ConfigAdmin == nil {
			writeProblem(w, Problem{Type: typeNoConfig, Title: "Not Implemented", Status: http.StatusNotImplemented,
				Detail: "this server does not offer its configuration to the API", Instance: "urn:vigie:request:" + requestID(r.Context())})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// caller is who makes a request, as the web endpoints need it: the actor recorded, the role
// used for sharing (an auditor is not a viewer there), and the dashboard an embed link is
// bound to.
type caller struct {
	actor     string
	role      UserRole
	admin     bool
	anonymous bool
	// embedDashboard is set for a request authenticated by an embed link.
	embedDashboard string
}

func (s *Server) callerOf(r *http.Request) caller {
	p, _ := PrincipalFrom(r.Context())
	c := caller{actor: p.Actor, admin: p.Role == RoleAdmin}
	switch {
	case p.Actor == "" || p.Actor == "anonymous":
		c.anonymous, c.role = true, UserViewer
	case strings.HasPrefix(p.Actor, embedActorPrefix):
		c.role = UserViewer
		if l, err := s.deps.Web.Embeds.Get(strings.TrimPrefix(p.Actor, embedActorPrefix)); err == nil {
			c.embedDashboard = l.Dashboard
		}
	case strings.HasPrefix(p.Actor, "user:"):
		if u, err := s.deps.Web.Users.Lookup(strings.TrimPrefix(p.Actor, "user:")); err == nil {
			c.role = u.Role
		}
	default: // an API key
		switch p.Role {
		case RoleAdmin:
			c.role = UserAdmin
		case RoleOperator:
			c.role = UserOperator
		default:
			c.role = UserViewer
		}
	}
	return c
}

// needLogin refuses an anonymous caller (public read) or an embed link an action that needs
// someone to record it against.
type needLoginError struct{ what string }

func (e *needLoginError) Error() string { return "log in to " + e.what }
func (e *needLoginError) Unwrap() error { return ErrUnauthenticated }

type adminOnlyError struct{ what string }

func (e *adminOnlyError) Error() string { return "only an administrator may " + e.what }
func (e *adminOnlyError) Unwrap() error { return ErrForbidden }

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	if c := s.callerOf(r); !c.admin {
		s.fail(w, r, &adminOnlyError{what: "list the users"})
		return
	}
	users, err := s.deps.Web.Users.List()
	if err != nil {
		s.fail(w, r, fmt.Errorf("list users: %w", err))
		return
	}
	s.writeValue(w, r, struct {
		Users []User `json:"users"`
	}{users})
}
