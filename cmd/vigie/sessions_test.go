package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
)

// TestTwoAPINodesShareBrowserSessions runs two `vigie serve` processes on one data folder, with
// the shared engines (PostgreSQL), as behind a load balancer without sticky sessions: a person
// who logged in through one node is known to the other, with the same CSRF token, and a logout
// through the other ends the session on both.
func TestTwoAPINodesShareBrowserSessions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	pg := envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1e9)
	events, views := pg+"&schema=vigie_sess_"+suffix, pg+"&schema=vigie_sess_views_"+suffix
	t.Cleanup(func() { dropSchemas(t, pg, "vigie_sess_"+suffix, "vigie_sess_views_"+suffix) })

	data := t.TempDir()
	const password = "un mot de passe assez long"
	add := exec.Command(vigieBinary(t), "user", "add", "--name", "c.durand", "--role", "operator", "--data", data)
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("vigie user add: %v\n%s", err, out)
	}
	node := func() *server {
		return startServer(t, "--data", data, "--events", events, "--views", views, "--roles", "api")
	}
	a, b := node(), node()

	do := func(s *server, method, path, cookie, csrf string, body []byte) (int, []byte, *http.Response) {
		t.Helper()
		req, err := http.NewRequest(method, s.base+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: cookie})
		}
		if csrf != "" {
			req.Header.Set(httpapi.CSRFHeader, csrf)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, got, resp
	}
	type sessionBody struct {
		User      string `json:"user"`
		CSRFToken string `json:"csrf_token"`
	}

	login, _ := json.Marshal(map[string]string{"user": "c.durand", "password": password})
	code, body, resp := do(a, http.MethodPost, "/api/v1/session", "", "", login)
	if code != http.StatusOK {
		t.Fatalf("login on node A: %d %s\n%s", code, body, a.Logs())
	}
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == httpapi.SessionCookie {
			cookie = c.Value
		}
	}
	var onA sessionBody
	if err := json.Unmarshal(body, &onA); err != nil || cookie == "" || onA.CSRFToken == "" {
		t.Fatalf("login on node A: cookie %q, body %s (%v)", cookie, body, err)
	}

	code, body, _ = do(b, http.MethodGet, "/api/v1/session", cookie, "", nil)
	var onB sessionBody
	if code != http.StatusOK || json.Unmarshal(body, &onB) != nil || onB.User != "c.durand" || onB.CSRFToken != onA.CSRFToken {
		t.Fatalf("node B with node A's cookie: %d %s; want the session of c.durand with CSRF token %s", code, body, onA.CSRFToken)
	}
	if code, body, _ = do(b, http.MethodGet, "/api/v1/dams", cookie, "", nil); code != http.StatusOK {
		t.Fatalf("node B reads the dams with node A's session: %d %s", code, body)
	}

	if code, body, _ = do(b, http.MethodDelete, "/api/v1/session", cookie, onB.CSRFToken, nil); code/100 != 2 {
		t.Fatalf("logout on node B: %d %s", code, body)
	}
	for name, s := range map[string]*server{"A": a, "B": b} {
		if code, body, _ = do(s, http.MethodGet, "/api/v1/session", cookie, "", nil); code != http.StatusUnauthorized {
			t.Errorf("node %s after the logout on node B: %d %s, want 401", name, code, body)
		}
	}
}
