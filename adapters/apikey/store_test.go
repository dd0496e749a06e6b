package apikey_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/apikey"
)

func open(t *testing.T, dir string, recheck time.Duration) *apikey.Store {
	t.Helper()
	s, err := apikey.Open(apikey.Config{
		Dir:     dir,
		Now:     func() time.Time { return time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC) },
		Recheck: recheck,
		Logger:  slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("open key store in %s: %v", dir, err)
	}
	return s
}

func copyFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, apikey.FileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOpenValidatesConfig(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  apikey.Config
		want []string
	}{
		{name: "empty", cfg: apikey.Config{}, want: []string{"data folder is empty", "logger is nil"}},
		{name: "missing folder", cfg: apikey.Config{Dir: "/nonexistent/vigie", Logger: slog.New(slog.DiscardHandler)}, want: []string{"no such file"}},
		{name: "not a folder", cfg: apikey.Config{Dir: file, Logger: slog.New(slog.DiscardHandler)}, want: []string{"not a directory"}},
		{name: "negative recheck", cfg: apikey.Config{Dir: t.TempDir(), Recheck: -1, Logger: slog.New(slog.DiscardHandler)}, want: []string{"recheck"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := apikey.Open(tt.cfg)
			if err == nil {
				t.Fatal("Open succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestCreateAuthenticateRevoke(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir, time.Second)

	plain, key, err := s.Create("gw-nord", "bassin-nord.*", "")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if !strings.HasPrefix(plain, "vg_"+key.ID+"_") {
		t.Errorf("plaintext %q does not start with vg_<id>_", plain)
	}
	if key.Role != apikey.Gateway || key.Name != "gw-nord" || key.Sensors.String() != "bassin-nord.*" || key.Actor() != "apikey:gw-nord" {
		t.Errorf("created key = %+v", key)
	}

	got, err := s.Authenticate(plain)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	if got.ID != key.ID || !got.Allows("bassin-nord.level") || got.Allows("mejean.level") {
		t.Errorf("authenticated key = %+v, scope wrong", got)
	}

	// The file is private and holds no secret.
	info, err := os.Stat(filepath.Join(dir, apikey.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %o, want 600", perm)
	}
	raw, err := os.ReadFile(filepath.Join(dir, apikey.FileName))
	if err != nil {
		t.Fatal(err)
	}
	secret := plain[len("vg_")+16+1:]
	if bytes.Contains(raw, []byte(secret)) {
		t.Error("key file holds the plaintext secret")
	}

	wrong := plain[:len(plain)-1] + map[bool]string{true: "B", false: "A"}[plain[len(plain)-1] == 'A']
	for name, token := range map[string]string{
		"wrong secret": wrong,
		"unknown id":   "vg_0000000000000000_" + secret,
		"malformed":    "hello",
	} {
		if _, err := s.Authenticate(token); !errors.Is(err, apikey.ErrInvalidKey) {
			t.Errorf("%s: Authenticate error = %v, want ErrInvalidKey", name, err)
		}
	}

	if err := s.Revoke(key.ID); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if err := s.Revoke(key.ID); err != nil {
		t.Errorf("revoke again: %v, want nil (idempotent)", err)
	}
	if _, err := s.Authenticate(plain); !errors.Is(err, apikey.ErrInvalidKey) {
		t.Errorf("revoked key: Authenticate error = %v, want ErrInvalidKey", err)
	}
	keys, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || !keys[0].Revoked() {
		t.Errorf("List = %+v, want the one revoked key", keys)
	}
	if err := s.Revoke("0000000000000000"); !errors.Is(err, apikey.ErrNotFound) {
		t.Errorf("revoke unknown: %v, want ErrNotFound", err)
	}
}

func TestCreateRefuses(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir(), time.Second)
	if _, _, err := s.Create("gw-nord", "*", apikey.Gateway); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, key, sensors string
		role               apikey.Role
		want               []string
	}{
		{name: "everything wrong at once", key: "bad name", sensors: "[", role: "root", want: []string{"key name", "sensor pattern", "role"}},
		{name: "empty scope", key: "gw-x", sensors: "", want: []string{`use "*"`}},
		{name: "name in use", key: "gw-nord", sensors: "*", want: []string{"already named"}},
		{name: "name too long", key: strings.Repeat("a", 65), sensors: "*", want: []string{"1 to 64"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.Create(tt.key, tt.sensors, tt.role)
			if err == nil {
				t.Fatal("Create succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestNameReusableAfterRevocation(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir(), time.Second)
	_, k, err := s.Create("gw-nord", "*", apikey.Gateway)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(k.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Create("gw-nord", "*", apikey.Gateway); err != nil {
		t.Fatalf("create after revoke: %v", err)
	}
}

// The server and the CLI are two processes sharing the file; two Stores on one folder stand for them.
func TestServerSeesKeysCreatedByCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	server := open(t, dir, 20*time.Millisecond)
	cli := open(t, dir, time.Hour)

	plain, key, err := cli.Create("gw-est", "barrage-est.*", apikey.Gateway)
	if err != nil {
		t.Fatal(err)
	}
	// An unknown id makes the server look at once: no wait.
	if _, err := server.Authenticate(plain); err != nil {
		t.Fatalf("server does not see the key just created: %v", err)
	}

	if err := open(t, dir, time.Hour).Revoke(key.ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := server.Authenticate(plain)
		if errors.Is(err, apikey.ErrInvalidKey) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("revocation not seen after 5 s (recheck 20 ms): Authenticate error = %v", err)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not a wait for a condition
	}
}

func TestConcurrentCreatesLoseNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stores := []*apikey.Store{open(t, dir, time.Hour), open(t, dir, time.Hour)}
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, _, errs[i] = stores[i%2].Create(fmt.Sprintf("gw-%02d", i), "*", apikey.Gateway)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	keys, err := open(t, dir, time.Hour).List()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != n {
		t.Fatalf("%d keys in the file, want %d", len(keys), n)
	}
}

func TestOpenFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		want    []string // error fragments; none means it opens
	}{
		{fixture: "valid.json"},
		{fixture: "bad-version.json", want: []string{"format version 2"}},
		{fixture: "unknown-field.json", want: []string{"unknown field"}},
		{fixture: "bad-entries.json", want: []string{"id \"XYZ\"", "key name", "role \"root\"", "sensor pattern", "hash"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			_, err := apikey.Open(apikey.Config{Dir: copyFixture(t, tt.fixture), Logger: slog.New(slog.DiscardHandler)})
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("Open succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestFixtureKeys(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t, "valid.json")
	s := open(t, dir, time.Second)
	token, err := os.ReadFile(filepath.Join("testdata", "valid.token"))
	if err != nil {
		t.Fatal(err)
	}
	plain := strings.TrimSpace(string(token))
	k, err := s.Authenticate(plain)
	if err != nil {
		t.Fatalf("authenticate fixture key: %v", err)
	}
	if k.Name != "gw-nord" || k.Role != apikey.Gateway {
		t.Errorf("key = %+v", k)
	}
	// Same secret, revoked key id.
	if _, err := s.Authenticate(strings.Replace(plain, "0123456789abcdef", "fedcba9876543210", 1)); !errors.Is(err, apikey.ErrInvalidKey) {
		t.Errorf("revoked fixture key: %v, want ErrInvalidKey", err)
	}
	keys, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Name != "old-tool" {
		t.Errorf("List = %+v, want 2 keys, oldest first", keys)
	}
}

func TestBrokenFileWhileRunningKeepsLastGoodKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var logs syncBuffer
	s, err := apikey.Open(apikey.Config{Dir: dir, Recheck: time.Nanosecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := s.Create("gw-nord", "*", apikey.Gateway)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, apikey.FileName)
	if err := os.WriteFile(path+".new", []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.Authenticate(plain); err != nil {
			t.Fatalf("a broken key file locked out a valid key: %v", err)
		}
	}
	if n := strings.Count(logs.String(), "API key file invalid"); n != 1 {
		t.Errorf("broken file reported %d times, want once:\n%s", n, logs.String())
	}
	if _, err := apikey.Open(apikey.Config{Dir: dir, Logger: slog.New(slog.DiscardHandler)}); err == nil {
		t.Fatal("Open accepted a broken key file at start-up")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func FuzzDecodeFile(f *testing.F) {
	for _, name := range []string{"valid.json", "bad-version.json", "bad-entries.json", "unknown-field.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := apikey.DecodeFile(b)
		if err != nil && keys != nil {
			t.Fatalf("DecodeFile returned keys with error %v", err)
		}
	})
}

func BenchmarkAuthenticate(b *testing.B) {
	s, err := apikey.Open(apikey.Config{Dir: b.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	plain, _, err := s.Create("gw", "*", apikey.Gateway)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Authenticate(plain); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
