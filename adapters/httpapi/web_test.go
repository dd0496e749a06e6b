package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/vigie/vigie/adapters/httpapi"
)

// clock is a settable fake clock shared by the server and the web store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type webEnv struct {
	*env
	web   *httpapi.Web
	clock *clock
	dir   string
}

const password = "correct horse battery"

func newWebEnv(t *testing.T, cfg httpapi.Config, modify ...func(*httpapi.Deps)) *webEnv {
	t.Helper()
	c := &clock{t: now}
	dir := t.TempDir()
	web, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: dir, BcryptCost: bcrypt.MinCost, Clock: c.now, IdleTimeout: time.Hour, MaxAge: 4 * time.Hour})
	if err != nil {
		t.Fatalf("open web: %v", err)
	}
	for name, role := range map[string]httpapi.UserRole{"durand": httpapi.UserOperator, "martin": httpapi.UserViewer, "chef": httpapi.UserAdmin, "audit": httpapi.UserAuditor} {
		if err := web.Users.Add(name, role, password); err != nil {
			t.Fatalf("add %s: %v", name, err)
		}
	}
	e := newEnv(t, cfg, append([]func(*httpapi.Deps){func(d *httpapi.Deps) { d.Web = web; d.Clock = c.now }}, modify...)...)
	return &webEnv{env: e, web: web, clock: c, dir: dir}
}

type sessionBody struct {
	User      string `json:"user"`
	Role      string `json:"role"`
	CSRFToken string `json:"csrf_token"`
}

// login returns the session cookie header and the CSRF token.
func (e *webEnv) login(t *testing.T, user string) (cookie, csrf string) {
	t.Helper()
	rec := e.do(t, http.MethodPost, "/api/v1/session", strings.NewReader(`{"user":"`+user+`","password":"`+password+`"}`), "Content-Type: application/json")
	if rec.Code != http.StatusOK {
		t.Fatalf("login %s: status %d, body %s", user, rec.Code, rec.Body)
	}
	res := rec.Result()
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == httpapi.SessionCookie {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/", c)
	}
	b := decode[sessionBody](t, rec)
	if b.User != user || b.CSRFToken == "" {
		t.Fatalf("login answer %+v", b)
	}
	return "Cookie: " + httpapi.SessionCookie + "=" + c.Value, b.CSRFToken
}

func TestLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, contentType string
		want                    int
	}{
		{"good", `{"user":"durand","password":"` + password + `"}`, "application/json", http.StatusOK},
		{"wrong password", `{"user":"durand","password":"nope nope nope"}`, "application/json", http.StatusUnauthorized},
		{"unknown user", `{"user":"nobody","password":"` + password + `"}`, "application/json", http.StatusUnauthorized},
		{"form post (cross-site)", `user=durand&password=x`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"empty", `{}`, "application/json", http.StatusBadRequest},
	}
	e := newWebEnv(t, httpapi.Config{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, http.MethodPost, "/api/v1/session", strings.NewReader(tc.body), "Content-Type: "+tc.contentType)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tc.want, rec.Body)
			}
		})
	}
}

func TestLoginLocksANameAfterRepeatedFailures(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{})
	for range 5 {
		e.do(t, http.MethodPost, "/api/v1/session", strings.NewReader(`{"user":"martin","password":"wrong password"}`), "Content-Type: application/json")
	}
	rec := e.do(t, http.MethodPost, "/api/v1/session", strings.NewReader(`{"user":"martin","password":"`+password+`"}`), "Content-Type: application/json")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("6th attempt: status %d (Retry-After %q), want 429 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	e.clock.advance(6 * time.Minute)
	e.login(t, "martin")
}

func TestSessionAuthenticatesReadsAndTheStream(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{}) // no public read
	if rec := e.do(t, http.MethodGet, "/api/v1/site", nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous: status %d, want 401", rec.Code)
	}
	cookie, _ := e.login(t, "martin")
	if rec := e.do(t, http.MethodGet, "/api/v1/site", nil, cookie); rec.Code != http.StatusOK {
		t.Fatalf("with session: status %d, body %s", rec.Code, rec.Body)
	}
	// The SSE stream takes the cookie too (EventSource sends it; it cannot send a header).
	srv := httptest.NewServer(e.srv)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/stream", nil)
	req.Header.Set("Cookie", strings.TrimPrefix(cookie, "Cookie: "))
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: status %d, content type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestCookieWritesNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{})
	cookie, csrf := e.login(t, "durand")
	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		// Without an alarm engine an authorised command answers 501: authentication passed.
		{"no token", []string{cookie}, http.StatusForbidden},
		{"wrong token", []string{cookie, httpapi.CSRFHeader + ": forged"}, http.StatusForbidden},
		{"right token", []string{cookie, httpapi.CSRFHeader + ": " + csrf}, http.StatusNotImplemented},
		{"API key needs none", []string{bearer(tokOperator)}, http.StatusNotImplemented},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, http.MethodPost, "/api/v1/alarms/x/ack", strings.NewReader(`{}`), tc.headers...)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tc.want, rec.Body)
			}
		})
	}
}

func TestRolesOfSessions(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{})
	for _, tc := range []struct {
		user string
		want int
	}{{"martin", http.StatusForbidden}, {"audit", http.StatusForbidden}, {"durand", http.StatusNotImplemented}, {"chef", http.StatusNotImplemented}} {
		cookie, csrf := e.login(t, tc.user)
		rec := e.do(t, http.MethodPost, "/api/v1/alarms/x/ack", strings.NewReader(`{}`), cookie, httpapi.CSRFHeader+": "+csrf)
		if rec.Code != tc.want {
			t.Errorf("%s acknowledging: status %d, want %d", tc.user, rec.Code, tc.want)
		}
	}
	cookie, _ := e.login(t, "audit")
	if b := decode[sessionBody](t, e.do(t, http.MethodGet, "/api/v1/session", nil, cookie)); b.Role != "auditor" {
		t.Errorf("auditor's session says role %q", b.Role)
	}
}

func TestSessionEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		end  func(e *webEnv, cookie, csrf string)
	}{
		{"logout", func(e *webEnv, cookie, csrf string) {
			if rec := e.do(t, http.MethodDelete, "/api/v1/session", nil, cookie, httpapi.CSRFHeader+": "+csrf); rec.Code != http.StatusNoContent {
				t.Fatalf("logout: status %d", rec.Code)
			}
		}},
		{"idle", func(e *webEnv, _, _ string) { e.clock.advance(61 * time.Minute) }},
		{"max age despite activity", func(e *webEnv, cookie, _ string) {
			for range 5 {
				e.clock.advance(50 * time.Minute)
				e.do(t, http.MethodGet, "/api/v1/site", nil, cookie)
			}
		}},
		{"user disabled", func(e *webEnv, _, _ string) {
			if err := e.web.Users.SetDisabled("durand", true); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newWebEnv(t, httpapi.Config{})
			cookie, csrf := e.login(t, "durand")
			tc.end(e, cookie, csrf)
			if rec := e.do(t, http.MethodGet, "/api/v1/session", nil, cookie); rec.Code != http.StatusUnauthorized {
				t.Fatalf("session after %s: status %d, want 401", tc.name, rec.Code)
			}
			if rec := e.do(t, http.MethodGet, "/api/v1/site", nil, cookie); rec.Code != http.StatusUnauthorized {
				t.Fatalf("read after %s: status %d, want 401", tc.name, rec.Code)
			}
		})
	}
}

func TestLogoutNeedsTheCSRFToken(t *testing.T) {
	t.Parallel()
	e := newWebEnv(t, httpapi.Config{})
	cookie, _ := e.login(t, "durand")
	if rec := e.do(t, http.MethodDelete, "/api/v1/session", nil, cookie); rec.Code != http.StatusForbidden {
		t.Fatalf("logout without token: status %d, want 403", rec.Code)
	}
}

func TestUsersFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	u, err := httpapi.OpenUsers(dir, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user string
		role       httpapi.UserRole
		pw         string
		wantErr    string
	}{
		{"ok", "c.durand", httpapi.UserOperator, password, ""},
		{"again", "c.durand", httpapi.UserOperator, password, "already exists"},
		{"short password", "s.martin", httpapi.UserViewer, "short", "at least 10"},
		{"bad name", "Durand!", httpapi.UserViewer, password, "lower-case"},
		{"bad role", "x", "gateway", password, "is not one of"},
	}
	for _, tc := range tests {
		err := u.Add(tc.user, tc.role, tc.pw)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: Add error %v, want %q", tc.name, err, tc.wantErr)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, httpapi.UsersFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), password) || !strings.Contains(string(raw), `"hash": "$2a$`) {
		t.Errorf("users.json must hold a bcrypt hash, never the password:\n%s", raw)
	}
	// Another process (the server) sees the user, and checks the password.
	other, err := httpapi.OpenUsers(dir, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Check("c.durand", password); err != nil {
		t.Errorf("check: %v", err)
	}
	if _, err := other.Check("c.durand", "wrong wrong wrong"); !errors.Is(err, httpapi.ErrBadCredentials) {
		t.Errorf("wrong password: %v, want ErrBadCredentials", err)
	}
}

func TestWebEndpointsWithoutWebAnswer501(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	for _, target := range []string{"/api/v1/session", "/api/v1/dashboards", "/api/v1/config"} {
		if rec := e.do(t, http.MethodGet, target, nil, bearer(tokAdmin)); rec.Code != http.StatusNotImplemented {
			t.Errorf("GET %s: status %d, want 501", target, rec.Code)
		}
	}
}

// decodeJSON reads any JSON answer.
func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	return m
}
