package deploy_test

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vigie/vigie/adapters/bus/amqp"
	"github.com/vigie/vigie/adapters/eventstore/kurrent"
)

// vigieBin is the binary the deployment files are held to: built once for the package from this
// tree, or the one VIGIE_TEST_VIGIE_BIN names (a release about to be deployed).
var vigieBin string

func TestMain(m *testing.M) {
	if bin := os.Getenv("VIGIE_TEST_VIGIE_BIN"); bin != "" {
		vigieBin = bin
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "vigie-deploy-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	vigieBin = filepath.Join(dir, "vigie")
	if out, err := exec.Command("go", "build", "-o", vigieBin, "github.com/vigie/vigie/cmd/vigie").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build vigie: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serveFlags is what `vigie serve -h` says the binary takes.
type serveFlags struct {
	takesValue map[string]bool   // flag name -> takes a value (not a bool flag)
	env        map[string]string // VIGIE_* variable -> the flag that reads it
}

var (
	helpFlagLine = regexp.MustCompile(`^  -([a-z0-9-]+)(?: (\S+))?$`)
	helpEnv      = regexp.MustCompile(`\(env (VIGIE_[A-Z0-9_]+)`)
)

func binaryFlags(t *testing.T) serveFlags {
	t.Helper()
	cmd := exec.Command(vigieBin, "serve", "-h")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("vigie serve -h: %v", err)
	}
	f := serveFlags{takesValue: map[string]bool{}, env: map[string]string{}}
	last := ""
	for _, line := range strings.Split(stderr.String(), "\n") {
		if m := helpFlagLine.FindStringSubmatch(line); m != nil {
			last = m[1]
			f.takesValue[last] = m[2] != ""
			continue
		}
		if m := helpEnv.FindStringSubmatch(line); m != nil && last != "" {
			f.env[m[1]] = last
		}
	}
	for _, want := range []string{"roles", "events", "views", "bus", "lock", "config", "data", "addr"} {
		if !f.takesValue[want] {
			t.Fatalf("vigie serve -h lists no --%s taking a value; the deployment files rely on it:\n%s", want, stderr.String())
		}
	}
	return f
}

// parseServe reads the arguments of `vigie serve` as the flag package does (-x, --x, --x=v,
// --x v) and refuses flags the binary does not know.
func parseServe(f serveFlags, args []string) (map[string]string, error) {
	if len(args) == 0 || args[0] != "serve" {
		return nil, fmt.Errorf("command %q does not start with serve", args)
	}
	got := map[string]string{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return nil, fmt.Errorf("unexpected argument %q (vigie serve takes flags only)", a)
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takes, known := f.takesValue[name]
		switch {
		case !known:
			return nil, fmt.Errorf("flag --%s: vigie serve has no such flag", name)
		case takes && !hasValue:
			if i+1 == len(args) {
				return nil, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		case !takes && !hasValue:
			value = "true"
		}
		if _, dup := got[name]; dup {
			return nil, fmt.Errorf("flag --%s given twice", name)
		}
		got[name] = value
	}
	return got, nil
}

var knownRoles = []string{"api", "ingest", "project", "notify"}

func parseRoles(s string) ([]string, error) {
	var roles []string
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(r)
		if !slices.Contains(knownRoles, r) {
			return nil, fmt.Errorf("unknown role %q", r)
		}
		roles = append(roles, r)
	}
	return roles, nil
}

// secretNames are the variables the reference configuration names for its secrets (*_env keys,
// commented out or not): an environment file may set them.
func secretNames(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../examples/nimes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`_env:\s*([A-Z][A-Z0-9_]*)`).FindAllStringSubmatch(string(b), -1) {
		names[m[1]] = true
	}
	if len(names) == 0 {
		t.Fatal("examples/nimes.yaml names no secret variable (*_env): the check below would pass on anything")
	}
	return names
}

// readEnvFile reads KEY=VALUE lines as systemd and compose do (comments and blank lines skipped).
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`).MatchString(k) {
			t.Errorf("%s:%d: not a KEY=VALUE line: %q", path, n+1, line)
			continue
		}
		env[k] = v
	}
	return env
}

// checkEnvNames: a VIGIE_* variable is one a flag reads or a secret the configuration names; a
// misspelt one would be ignored silently.
func checkEnvNames(t *testing.T, path string, env map[string]string, f serveFlags, secrets map[string]bool) {
	t.Helper()
	for k := range env {
		if _, ok := f.env[k]; !ok && !secrets[k] {
			t.Errorf("%s sets %s: no flag of vigie serve reads it and examples/nimes.yaml names no such secret", path, k)
		}
	}
}

// testCA writes a CA certificate: the KurrentDB client reads tlsCAFile while parsing the URL.
func testCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var tlsCAFile = regexp.MustCompile(`([?&]tlsCAFile=)([^&]*)`)

// engineURLs checks the four engine URLs with the parsers that will read them, and returns the
// hosts they name and the CA file the KurrentDB URL reads.
func engineURLs(t *testing.T, where string, v map[string]string) (hosts []string, caFile string) {
	t.Helper()
	events := v["events"]
	if m := tlsCAFile.FindStringSubmatch(events); m != nil {
		caFile = m[2]
		events = tlsCAFile.ReplaceAllString(events, "${1}"+testCA(t))
	}
	if !strings.HasPrefix(events, "esdb://") && !strings.HasPrefix(events, "kurrentdb://") {
		t.Errorf("%s: --events is not a KurrentDB URL", where)
	} else if _, err := kurrent.ParseURL(events); err != nil {
		t.Errorf("%s: --events: %v", where, err)
	} else {
		rest := events[strings.Index(events, "@")+1:]
		rest, _, _ = strings.Cut(rest, "?")
		for _, hp := range strings.Split(strings.TrimSuffix(rest, "/"), ",") {
			hosts = append(hosts, hostOf(t, where, hp))
		}
	}
	if caFile == "" {
		t.Errorf("%s: --events has no tlsCAFile: the cluster's certificates would be checked against the system's roots", where)
	}
	if err := amqp.ValidateURL(v["bus"]); err != nil {
		t.Errorf("%s: --bus: %v", where, err)
	}
	for flag, schemes := range map[string][]string{"views": {"clickhouse"}, "lock": {"postgres", "postgresql"}, "bus": {"amqp", "amqps"}} {
		u, err := url.Parse(v[flag])
		switch {
		case err != nil:
			t.Errorf("%s: --%s does not parse", where, flag)
		case !slices.Contains(schemes, u.Scheme):
			t.Errorf("%s: --%s scheme %q, want one of %v", where, flag, u.Scheme, schemes)
		case u.User == nil:
			t.Errorf("%s: --%s names no user", where, flag)
		default:
			hosts = append(hosts, hostOf(t, where, u.Host))
		}
	}
	return hosts, caFile
}

func hostOf(t *testing.T, where, hostport string) string {
	t.Helper()
	h, p, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Errorf("%s: %q is not host:port", where, hostport)
		return hostport
	}
	if _, err := strconv.Atoi(p); err != nil {
		t.Errorf("%s: port of %q", where, hostport)
	}
	return h
}

// --- compose ---

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image    string   `yaml:"image"`
	Build    any      `yaml:"build"`
	Command  []string `yaml:"command"`
	EnvFile  []string `yaml:"env_file"`
	Volumes  []string `yaml:"volumes"`
	Profiles []string `yaml:"profiles"`
}

var composeVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])[^}]*)?\}`)

// interpolate replaces ${VAR}, ${VAR:?msg}... as docker compose does, with a dummy value for
// each variable, which must be defined in env.example; $$ is a literal $.
func interpolate(t *testing.T, text string, defined map[string]string) string {
	t.Helper()
	const dollar = "\x00dollar\x00"
	text = strings.ReplaceAll(text, "$$", dollar)
	text = composeVar.ReplaceAllStringFunc(text, func(m string) string {
		name := composeVar.FindStringSubmatch(m)[1]
		if _, ok := defined[name]; !ok {
			t.Errorf("compose.yaml uses ${%s}, which env.example does not define", name)
		}
		return "pw-" + strings.ToLower(name)
	})
	return strings.ReplaceAll(text, dollar, "$")
}

func TestCompose(t *testing.T) {
	flags := binaryFlags(t)
	secrets := secretNames(t)
	dotEnv := readEnvFile(t, "compose/env.example")
	raw, err := os.ReadFile("compose/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal([]byte(interpolate(t, string(raw), dotEnv)), &cf); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}

	var nodes []string
	for name, s := range cf.Services {
		if s.Build != nil || strings.HasPrefix(s.Image, "vigie") {
			nodes = append(nodes, name)
		}
	}
	slices.Sort(nodes)
	if len(nodes) != 3 {
		t.Fatalf("vigie services: got %v, want 3 nodes", nodes)
	}
	roleCount := map[string]int{}
	ports := map[string]string{}
	for _, name := range nodes {
		s := cf.Services[name]
		where := "compose.yaml, service " + name
		v, err := parseServe(flags, s.Command)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		for _, want := range []string{"roles", "events", "views", "bus", "lock", "config", "data", "addr"} {
			if v[want] == "" {
				t.Errorf("%s: no --%s", where, want)
			}
		}
		roles, err := parseRoles(v["roles"])
		if err != nil {
			t.Errorf("%s: --roles: %v", where, err)
		}
		for _, r := range roles {
			roleCount[r]++
		}
		_, ports[name], _ = net.SplitHostPort(v["addr"])

		hosts, caFile := engineURLs(t, where, v)
		for _, h := range hosts {
			if _, ok := cf.Services[h]; !ok {
				t.Errorf("%s: an engine URL names host %q, which is no service", where, h)
			}
		}
		mounts := map[string]string{} // container path -> host path or volume
		for _, m := range s.Volumes {
			parts := strings.Split(m, ":")
			if len(parts) < 2 {
				t.Errorf("%s: volume %q has no target", where, m)
				continue
			}
			mounts[parts[1]] = parts[0]
			if strings.HasPrefix(parts[0], ".") {
				continue
			}
			if _, ok := cf.Volumes[parts[0]]; !ok {
				t.Errorf("%s: volume %q is not declared", where, parts[0])
			}
		}
		for _, p := range []string{v["config"], caFile, v["data"]} {
			if _, ok := mounts[p]; !ok && p != "" {
				t.Errorf("%s: %s is not mounted", where, p)
			}
		}
		if src := mounts[v["config"]]; strings.HasPrefix(src, ".") {
			if _, err := os.Stat(filepath.Join("compose", src)); err != nil {
				t.Errorf("%s: the configuration mounted, %s: %v", where, src, err)
			}
		}
		for _, ef := range s.EnvFile {
			example := filepath.Join("compose", ef+".example")
			checkEnvNames(t, example, readEnvFile(t, example), flags, secrets)
		}
	}
	// Stateless API everywhere, standbys for the leaders, and one MQTT session (client_id).
	for role, want := range map[string]func(int) bool{
		"api": func(n int) bool { return n >= 2 }, "project": func(n int) bool { return n >= 2 },
		"notify": func(n int) bool { return n >= 2 }, "ingest": func(n int) bool { return n == 1 },
	} {
		if !want(roleCount[role]) {
			t.Errorf("role %s on %d nodes: want api, project and notify on 2 or more, ingest on exactly 1", role, roleCount[role])
		}
	}

	t.Run("HAProxyBalancesTheNodes", func(t *testing.T) {
		b, err := os.ReadFile("compose/haproxy.cfg")
		if err != nil {
			t.Fatal(err)
		}
		servers := map[string]string{}
		for _, m := range regexp.MustCompile(`(?m)^\s*server\s+\S+\s+([a-z0-9-]+):(\d+)`).FindAllStringSubmatch(string(b), -1) {
			servers[m[1]] = m[2]
		}
		for _, n := range nodes {
			if servers[n] != ports[n] {
				t.Errorf("haproxy.cfg: node %s at port %q, want a server line for it at its --addr port %s", n, servers[n], ports[n])
			}
		}
		if len(servers) != len(nodes) {
			t.Errorf("haproxy.cfg servers %v, want exactly the nodes %v", servers, nodes)
		}
		if !strings.Contains(string(b), "uri /readyz") {
			t.Error("haproxy.cfg: health check is not /readyz")
		}
	})

	t.Run("DockerfileGoMatchesGoMod", func(t *testing.T) {
		mod, err := os.ReadFile("../go.mod")
		if err != nil {
			t.Fatal(err)
		}
		df, err := os.ReadFile("compose/Dockerfile")
		if err != nil {
			t.Fatal(err)
		}
		want := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
		got := regexp.MustCompile(`(?m)^FROM golang:(\d+\.\d+)`).FindSubmatch(df)
		if want == nil || got == nil || string(got[1]) != string(want[1]) {
			t.Errorf("Dockerfile builds with golang:%s, go.mod says go %s", got, want)
		}
	})
}

// --- systemd ---

// unit is a parsed unit file: section -> key -> values in order (keys may repeat).
type unit map[string]map[string][]string

func readUnit(t *testing.T, path string) unit {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unit{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		case section == "":
			t.Fatalf("%s:%d: %q outside a section", path, n, line)
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s:%d: %q is not key=value", path, n, line)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

func (u unit) last(section, key string) string {
	v := u[section][key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

var units = []struct {
	file      string
	wantRoles []string
}{
	{"vigie-api.service", []string{"api"}},
	{"vigie-worker.service", []string{"project", "notify"}},
}

func TestSystemdUnits(t *testing.T) {
	flags := binaryFlags(t)
	secrets := secretNames(t)
	env := readEnvFile(t, "systemd/vigie.env.example")
	checkEnvNames(t, "systemd/vigie.env.example", env, flags, secrets)
	// The engines come from the environment file: each variable is the flag's.
	fromEnv := map[string]string{}
	for _, name := range []string{"events", "views", "bus", "lock"} {
		key := "VIGIE_" + strings.ToUpper(name)
		if flags.env[key] != name {
			t.Fatalf("vigie serve -h does not say --%s reads %s", name, key)
		}
		if env[key] == "" {
			t.Errorf("vigie.env.example sets no %s", key)
		}
		fromEnv[name] = env[key]
	}
	engineURLs(t, "vigie.env.example", fromEnv)

	all := map[string]bool{}
	for _, tc := range units {
		t.Run(tc.file, func(t *testing.T) {
			u := readUnit(t, filepath.Join("systemd", tc.file))
			svc := u["Service"]
			for key, want := range map[string]string{
				"ProtectSystem": "strict", "NoNewPrivileges": "yes", "Restart": "always",
				"EnvironmentFile": "/etc/vigie/vigie.env", "StateDirectory": "vigie", "User": "vigie",
			} {
				if got := u.last("Service", key); got != want {
					t.Errorf("[Service] %s=%q, want %q", key, got, want)
				}
			}
			if len(svc["CapabilityBoundingSet"]) == 0 || u.last("Service", "CapabilityBoundingSet") != "" {
				t.Error("[Service] CapabilityBoundingSet= (empty: no capability) is missing")
			}
			if u.last("Install", "WantedBy") != "multi-user.target" {
				t.Error("[Install] WantedBy=multi-user.target is missing")
			}
			exec := strings.Fields(u.last("Service", "ExecStart"))
			if len(exec) < 2 || !filepath.IsAbs(exec[0]) || filepath.Base(exec[0]) != "vigie" {
				t.Fatalf("ExecStart=%q, want /…/vigie serve …", exec)
			}
			v, err := parseServe(flags, exec[1:])
			if err != nil {
				t.Fatalf("ExecStart: %v", err)
			}
			for _, secret := range []string{"events", "views", "bus", "lock"} {
				if _, ok := v[secret]; ok {
					t.Errorf("ExecStart gives --%s: its URL holds a password, which belongs in the environment file", secret)
				}
			}
			if want := "/var/lib/" + u.last("Service", "StateDirectory"); v["data"] != want {
				t.Errorf("--data %q, want the StateDirectory %s", v["data"], want)
			}
			roles, err := parseRoles(v["roles"])
			if err != nil {
				t.Fatalf("--roles: %v", err)
			}
			for _, r := range tc.wantRoles {
				if !slices.Contains(roles, r) {
					t.Errorf("--roles %v, want %s among them", roles, r)
				}
			}
			for _, r := range roles {
				all[r] = true
			}
		})
	}
	for _, r := range knownRoles {
		if !all[r] {
			t.Errorf("no unit runs the role %s", r)
		}
	}

	t.Run("SystemdAnalyze", func(t *testing.T) {
		sa, err := exec.LookPath("systemd-analyze")
		if err != nil {
			t.Skip("systemd-analyze is not installed: the units are checked by the parser above only")
		}
		dir := t.TempDir()
		var paths []string
		for _, tc := range units {
			b, err := os.ReadFile(filepath.Join("systemd", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			// verify checks that ExecStart's binary exists: point it at the one built here.
			b = bytes.ReplaceAll(b, []byte("/usr/local/bin/vigie"), []byte(vigieBin))
			p := filepath.Join(dir, tc.file)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		if out, err := exec.Command(sa, append([]string{"verify"}, paths...)...).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
		for _, p := range paths {
			out, err := exec.Command(sa, "security", "--offline=yes", p).CombinedOutput()
			if err != nil {
				t.Logf("systemd-analyze security --offline not available (%v): exposure not checked", err)
				continue
			}
			m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
			if m == nil {
				t.Errorf("systemd-analyze security %s: no exposure level in\n%s", filepath.Base(p), out)
				continue
			}
			if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2.0 {
				t.Errorf("%s: exposure level %.1f, want 2.0 or less (the hardening was weakened?)", filepath.Base(p), level)
			}
		}
	})
}
