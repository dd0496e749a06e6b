package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/vigie/vigie/adapters/httpapi"
)

// cluster is API nodes sharing one data folder and one clock (nodes behind a load balancer).
type cluster struct {
	dir   string
	clock *clock
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	c := &cluster{dir: t.TempDir(), clock: &clock{t: now}}
	users, err := httpapi.OpenUsers(c.dir, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]httpapi.UserRole{"durand": httpapi.UserOperator, "chef": httpapi.UserAdmin} {
		if err := users.Add(name, role, password); err != nil {
			t.Fatalf("add %s: %v", name, err)
		}
	}
	return c
}

// node starts one more API node on the cluster's folder (a node added, or one restarted).
func (c *cluster) node(t *testing.T, cfg httpapi.Config) *webEnv {
	t.Helper()
	web, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: c.dir, BcryptCost: bcrypt.MinCost, Clock: c.clock.now,
		IdleTimeout: time.Hour, MaxAge: 4 * time.Hour})
	if err != nil {
		t.Fatalf("open web: %v", err)
	}
	e := newEnv(t, cfg, func(d *httpapi.Deps) { d.Web = web; d.Clock = c.clock.now })
	return &webEnv{env: e, web: web, clock: c.clock, dir: c.dir}
}

// sessionsFile reads sessions.json as it is on disk.
func (c *cluster) sessionsFile(t *testing.T) (raw string, records []map[string]any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dir, httpapi.SessionsFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sessions []map[string]any `json:"sessions"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("sessions.json: %v\n%s", err, b)
	}
	return string(b), doc.Sessions
}

func cookieValue(cookie string) string {
	return strings.TrimPrefix(cookie, "Cookie: "+httpapi.SessionCookie+"=")
}

// A session opened through one node is honoured by another, with the same CSRF token, and a
// logout through the other ends it on the first.
func TestSessionIsHonouredByEveryNodeOnTheDataFolder(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	a, b := c.node(t, httpapi.Config{}), c.node(t, httpapi.Config{})
	cookie, csrf := a.login(t, "durand")

	if got := decode[sessionBody](t, b.do(t, http.MethodGet, "/api/v1/session", nil, cookie)); got.User != "durand" || got.Role != "operator" || got.CSRFToken != csrf {
		t.Fatalf("session on the other node: %+v, want durand, operator, CSRF token %q", got, csrf)
	}
	tests := []struct {
		name, method, target string
		headers              []string
		want                 int
	}{
		{"read", http.MethodGet, "/api/v1/site", []string{cookie}, http.StatusOK},
		// Without an alarm engine an authorised command answers 501: authentication passed.
		{"write with the token", http.MethodPost, "/api/v1/alarms/x/ack", []string{cookie, httpapi.CSRFHeader + ": " + csrf}, http.StatusNotImplemented},
		{"write without the token", http.MethodPost, "/api/v1/alarms/x/ack", []string{cookie}, http.StatusForbidden},
		{"write with a forged token", http.MethodPost, "/api/v1/alarms/x/ack", []string{cookie, httpapi.CSRFHeader + ": forged"}, http.StatusForbidden},
		{"unknown cookie", http.MethodGet, "/api/v1/site", []string{"Cookie: " + httpapi.SessionCookie + "=forged"}, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := b.do(t, tc.method, tc.target, strings.NewReader(`{}`), tc.headers...)
			if rec.Code != tc.want {
				t.Fatalf("on the other node: status %d, want %d; body %s", rec.Code, tc.want, rec.Body)
			}
		})
	}

	if rec := b.do(t, http.MethodDelete, "/api/v1/session", nil, cookie, httpapi.CSRFHeader+": "+csrf); rec.Code != http.StatusNoContent {
		t.Fatalf("logout on the other node: status %d, body %s", rec.Code, rec.Body)
	}
	for name, n := range map[string]*webEnv{"first": a, "other": b} {
		if rec := n.do(t, http.MethodGet, "/api/v1/session", nil, cookie); rec.Code != http.StatusUnauthorized {
			t.Errorf("session on the %s node after logout: status %d, want 401", name, rec.Code)
		}
		if rec := n.do(t, http.MethodGet, "/api/v1/site", nil, cookie); rec.Code != http.StatusUnauthorized {
			t.Errorf("read on the %s node after logout: status %d, want 401", name, rec.Code)
		}
	}
}

// The file holds neither a cookie nor a CSRF token, is readable by the service only, and does
// not keep sessions nobody logged out of.
func TestSessionsFile(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	a, b := c.node(t, httpapi.Config{}), c.node(t, httpapi.Config{})
	cookie, csrf := a.login(t, "durand")

	st, err := os.Stat(filepath.Join(c.dir, httpapi.SessionsFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("sessions.json mode %v, want 0600", st.Mode().Perm())
	}
	raw, records := c.sessionsFile(t)
	if strings.Contains(raw, cookieValue(cookie)) || strings.Contains(raw, csrf) {
		t.Errorf("sessions.json holds the cookie or the CSRF token:\n%s", raw)
	}
	if len(records) != 1 || records[0]["user"] != "durand" || records[0]["role"] != "operator" ||
		records[0]["created"] == nil || records[0]["last_seen"] == nil {
		t.Fatalf("sessions.json records %v, want durand's with role, created and last_seen", records)
	}

	// A use is written at most once a minute.
	lastSeen := func() any {
		t.Helper()
		_, records := c.sessionsFile(t)
		if len(records) != 1 {
			t.Fatalf("sessions.json records %v, want one", records)
		}
		return records[0]["last_seen"]
	}
	created := lastSeen()
	for _, step := range []struct {
		wait    time.Duration
		written bool
	}{{30 * time.Second, false}, {30 * time.Second, true}, {20 * time.Second, false}} {
		before := lastSeen()
		c.clock.advance(step.wait)
		if rec := b.do(t, http.MethodGet, "/api/v1/site", nil, cookie); rec.Code != http.StatusOK {
			t.Fatalf("read: status %d", rec.Code)
		}
		if after := lastSeen(); (after != before) != step.written {
			t.Errorf("%s after login: last_seen %v -> %v, want written %v", c.clock.now().Sub(now), before, after, step.written)
		}
	}
	if lastSeen() == created {
		t.Error("last_seen never moved")
	}

	// Expired for every node (idle timeout plus the minute a use may wait to be written): the
	// next login, on either node, sweeps it.
	c.clock.advance(62 * time.Minute)
	b.login(t, "chef")
	if _, records := c.sessionsFile(t); len(records) != 1 || records[0]["user"] != "chef" {
		t.Errorf("sessions.json after the sweep: %v, want chef's only", records)
	}
}

// Idle expiry holds across nodes without a write per request: the file's last use moves at most
// once a minute, and each node also remembers the requests it served.
func TestSharedSessionIdleExpiry(t *testing.T) {
	t.Parallel()
	type step struct {
		wait   time.Duration
		node   int // 0 or 1
		target string
		want   int
	}
	site := "/api/v1/site"
	// usedEvery30s uses the session on node 0 every 30 s for 90 minutes (longer than the
	// one-hour idle timeout).
	var usedEvery30s []step
	for range 180 {
		usedEvery30s = append(usedEvery30s, step{30 * time.Second, 0, site, http.StatusOK})
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"unused ends on both nodes", []step{
			{61 * time.Minute, 0, site, http.StatusUnauthorized},
			{0, 1, site, http.StatusUnauthorized},
		}},
		{"used every 30 s on one node stays alive on the other", append(usedEvery30s,
			step{0, 1, "/api/v1/session", http.StatusOK},
			step{0, 1, site, http.StatusOK},
		)},
		{"used on one node until just before it idles, the other keeps it", []step{
			{59 * time.Minute, 1, site, http.StatusOK},
			{59 * time.Minute, 0, site, http.StatusOK},
			{59 * time.Minute, 1, site, http.StatusOK},
		}},
		{"used then left ends on both nodes", []step{
			{30 * time.Minute, 1, site, http.StatusOK},
			{61 * time.Minute, 0, site, http.StatusUnauthorized},
			{0, 1, site, http.StatusUnauthorized},
		}},
		{"max age despite activity on both nodes", []step{
			{50 * time.Minute, 0, site, http.StatusOK},
			{50 * time.Minute, 1, site, http.StatusOK},
			{50 * time.Minute, 0, site, http.StatusOK},
			{50 * time.Minute, 1, site, http.StatusOK},
			{50 * time.Minute, 0, site, http.StatusUnauthorized},
			{0, 1, site, http.StatusUnauthorized},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t)
			nodes := []*webEnv{c.node(t, httpapi.Config{}), c.node(t, httpapi.Config{})}
			cookie, _ := nodes[0].login(t, "durand")
			start := c.clock.now()
			for i, s := range tc.steps {
				c.clock.advance(s.wait)
				if rec := nodes[s.node].do(t, http.MethodGet, s.target, nil, cookie); rec.Code != s.want {
					t.Fatalf("step %d (%s after login) on node %d: status %d, want %d", i, c.clock.now().Sub(start), s.node, rec.Code, s.want)
				}
			}
		})
	}
}

// A node restarted on the same folder keeps the sessions, and when they were last used.
func TestSessionSurvivesARestart(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	a := c.node(t, httpapi.Config{})
	cookie, csrf := a.login(t, "durand")
	c.clock.advance(40 * time.Minute)
	if rec := a.do(t, http.MethodGet, "/api/v1/site", nil, cookie); rec.Code != http.StatusOK {
		t.Fatalf("read: status %d", rec.Code)
	}

	restarted := c.node(t, httpapi.Config{})
	c.clock.advance(40 * time.Minute) // 80 min after login, 40 after the last use
	if got := decode[sessionBody](t, restarted.do(t, http.MethodGet, "/api/v1/session", nil, cookie)); got.User != "durand" || got.CSRFToken != csrf {
		t.Fatalf("session after a restart: %+v, want durand's with CSRF token %q", got, csrf)
	}
	if rec := restarted.do(t, http.MethodPost, "/api/v1/alarms/x/ack", strings.NewReader(`{}`), cookie, httpapi.CSRFHeader+": "+csrf); rec.Code != http.StatusNotImplemented {
		t.Fatalf("write after a restart: status %d, want 501 (authenticated)", rec.Code)
	}
}

// A damaged sessions.json is reported naming the file: when a node starts, and to the log of a
// running node (the caller gets a 500 without the details).
func TestCorruptSessionsFile(t *testing.T) {
	t.Parallel()
	corrupt := func(t *testing.T, c *cluster) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(c.dir, httpapi.SessionsFile), []byte(`{"version": 1, "sessions": [{`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("at start", func(t *testing.T) {
		t.Parallel()
		c := newCluster(t)
		corrupt(t, c)
		_, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: c.dir, BcryptCost: bcrypt.MinCost})
		if err == nil || !strings.Contains(err.Error(), filepath.Join(c.dir, httpapi.SessionsFile)) {
			t.Fatalf("open web on a corrupt sessions.json: %v, want an error naming the file", err)
		}
	})
	t.Run("while running", func(t *testing.T) {
		t.Parallel()
		c := newCluster(t)
		a := c.node(t, httpapi.Config{})
		cookie, _ := a.login(t, "durand")
		corrupt(t, c)
		problem(t, a.do(t, http.MethodGet, "/api/v1/session", nil, cookie), http.StatusInternalServerError)
		if logs := a.logs.String(); !strings.Contains(logs, filepath.Join(c.dir, httpapi.SessionsFile)) {
			t.Errorf("the log does not name the file:\n%s", logs)
		}
	})
}

// A logout through one node closes the streams the session opened on another as soon as that
// node reads the file again (any session request there), not at the next heartbeat.
func TestLogoutThroughAnotherNodeEndsTheStreams(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	a, b := c.node(t, httpapi.Config{Heartbeat: time.Hour}), c.node(t, httpapi.Config{})
	srv := httptest.NewServer(a.srv)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	cookie, csrf := a.login(t, "durand")
	chef, _ := a.login(t, "chef")
	stream := openStream(t, ctx, srv.URL+"/api/v1/stream", cookie)
	if stream.resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: status %d", stream.resp.StatusCode)
	}
	stream.comment(t, "connected")

	if rec := b.do(t, http.MethodDelete, "/api/v1/session", nil, cookie, httpapi.CSRFHeader+": "+csrf); rec.Code != http.StatusNoContent {
		t.Fatalf("logout on the other node: status %d", rec.Code)
	}
	if rec := a.do(t, http.MethodGet, "/api/v1/session", nil, chef); rec.Code != http.StatusOK {
		t.Fatalf("another session on the first node: status %d", rec.Code)
	}
	stream.ends(t, 3*time.Second)
}
