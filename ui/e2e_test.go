package ui_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
)

// updateScreenshots writes the end-to-end screenshots into docs/screenshots instead of a
// temporary folder: go test ./ui -run EndToEnd -update-screenshots. CI (CI=true, which
// scripts/test.sh sets) always does, so the screenshots in the README are those of the last run.
var updateScreenshots = flag.Bool("update-screenshots", false, "write the end-to-end screenshots into docs/screenshots (the default when CI=true)")

const e2ePassword = "e2e-motdepasse-long"

// TestEndToEndInChromium builds the vigie binary, runs `vigie demo` (the reference storm) on a
// port of the OS's choosing with three users, and drives the built UI in Debian's headless
// Chromium with playwright-core: every screen with its accessibility audit (overview.spec.mjs),
// then logins, live updates, acknowledging an alarm, a viewer who cannot act, a saved board, an
// embed link that cannot act, the configuration check (real.spec.mjs).
//
// It needs Node.js, ui/node_modules and /usr/bin/chromium: scripts/setup.d/ui.sh installs them.
// Without them it fails (it does not skip): CI must not pass without running it.
func TestEndToEndInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test in Chromium: not with -short")
	}
	requireTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()

	work := t.TempDir()
	bin := filepath.Join(work, "vigie")
	build := exec.CommandContext(ctx, goTool(), "build", "-o", bin, "github.com/vigie/vigie/cmd/vigie")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/vigie: %v\n%s", err, out)
	}

	data := filepath.Join(work, "data")
	users, err := httpapi.OpenUsers(data, 4) // bcrypt's minimum cost: this is a test
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]httpapi.UserRole{"operateur": httpapi.UserOperator, "admin": httpapi.UserAdmin, "lecteur": httpapi.UserViewer} {
		if err := users.Add(name, role, e2ePassword); err != nil {
			t.Fatal(err)
		}
	}

	// The authority's portal: a page on another origin that frames an embed link. Vigie is told
	// to let it (VIGIE_EMBED_ORIGINS); the same page from an origin not listed must be refused.
	portal := httptest.NewServer(http.HandlerFunc(portalPage))
	t.Cleanup(portal.Close)

	base, logs := startDemo(t, ctx, bin, data, work, "VIGIE_EMBED_ORIGINS="+portal.URL)
	shots := t.TempDir()
	if *updateScreenshots || os.Getenv("CI") == "true" {
		shots, _ = filepath.Abs(filepath.Join("..", "docs", "screenshots"))
	}
	env := []string{"BASE_URL=" + base, "E2E_PASSWORD=" + e2ePassword, "SCREENSHOTS=" + shots, "EXPECT_ALARMS=1",
		"PORTAL_URL=" + portal.URL}
	for _, spec := range []string{"e2e/overview.spec.mjs", "e2e/real.spec.mjs"} {
		t.Run(strings.TrimSuffix(filepath.Base(spec), ".spec.mjs"), func(t *testing.T) {
			node := exec.CommandContext(ctx, "node", spec)
			node.Env = append(os.Environ(), env...)
			out, err := node.CombinedOutput()
			t.Logf("%s:\n%s", spec, out)
			if err != nil {
				t.Errorf("%s failed: %v\nserver log (last lines):\n%s", spec, err, logs.tail(40))
			}
		})
	}
	t.Logf("screenshots in %s", shots)
}

// portalPage is the authority's portal of the end-to-end test: a page holding the embed link
// given in ?src= in an iframe.
func portalPage(w http.ResponseWriter, r *http.Request) {
	src := r.URL.Query().Get("src")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="fr"><title>Portail</title><body style="margin:0;font-family:sans-serif">
<header style="padding:12px;background:#00437a;color:#fff">Portail de la préfecture — crues</header>
<iframe src="%s" title="Vigie" style="width:100%%;height:620px;border:0"></iframe></body></html>`, html.EscapeString(src))
}

func requireTools(t *testing.T) {
	t.Helper()
	var missing []string
	if _, err := exec.LookPath("node"); err != nil {
		missing = append(missing, "node (Node.js 20)")
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		missing = append(missing, "/usr/bin/chromium (Debian package chromium)")
	}
	for _, mod := range []string{"playwright-core", "axe-core"} {
		if _, err := os.Stat(filepath.Join("node_modules", mod, "package.json")); err != nil {
			missing = append(missing, "ui/node_modules/"+mod+" (npm ci in ui/)")
		}
	}
	if len(missing) > 0 {
		t.Fatalf("the end-to-end test needs %s: run scripts/setup.d/ui.sh", strings.Join(missing, ", "))
	}
}

func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// serverLog keeps the server's log lines for the failure message.
type serverLog struct {
	lines chan string
	all   []string
}

func (l *serverLog) tail(n int) string {
drain:
	for {
		select {
		case s := <-l.lines:
			l.all = append(l.all, s)
		default:
			break drain
		}
	}
	if len(l.all) > n {
		return strings.Join(l.all[len(l.all)-n:], "\n")
	}
	return strings.Join(l.all, "\n")
}

func get(url string) (int, error) {
	res, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

var listening = regexp.MustCompile(`msg=listening addr=(http://\S+)`)

// startDemo runs `vigie demo` in dir (so no ./vigie.yaml is picked up) and returns its base URL
// once it is ready; the server is stopped with SIGINT when the test ends.
func startDemo(t *testing.T, ctx context.Context, bin, data, dir string, env ...string) (string, *serverLog) {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, "demo", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatalf("start vigie demo: %v", err)
	}
	logs := &serverLog{lines: make(chan string, 100_000)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if m := listening.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
			select {
			case logs.lines <- line:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	var base string
	select {
	case base = <-addr:
	case <-time.After(60 * time.Second):
		t.Fatalf("vigie demo did not say where it listens within 60 s:\n%s", logs.tail(40))
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		status, err := get(base + "/readyz")
		if err == nil && status == http.StatusOK {
			return base, logs
		}
		if time.Now().After(deadline) {
			t.Fatalf("vigie demo at %s not ready within 60 s (status %d, %v):\n%s", base, status, err, logs.tail(40))
		}
		time.Sleep(200 * time.Millisecond) // polling with a deadline
	}
}
