package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/apikey"
	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/setup"
	"github.com/vigie/vigie/examples"
)

// The configuration screen's back end: a check locates problems, an apply records config.applied
// with the actor and the changes and writes the file; a built-in configuration is read-only.
func TestConfigAdminChecksRecordsAndSaves(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vigie.yaml")
	if err := os.WriteFile(path, examples.Nimes(), 0o640); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := openStores(filepath.Join(dir, "data"), engines{}, cfg, time.Minute, time.Hour, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys, err := apikey.Open(apikey.Config{Dir: filepath.Join(dir, "data"), Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	_, admin, err := openWebUI(filepath.Join(dir, "data"), cfg, "file:"+path, st, keys, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// In force at start, as vigie serve records it (recordConfig).
	rec, err := commands.NewConfigRecorder(st.events, st.codec, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	startDoc, startDigest := cfg.Document()
	if _, err := rec.Handle(ctx, commands.ApplyConfig{Source: "file:" + path, Actor: "config:file:" + path, Digest: startDigest, Document: startDoc}); err != nil {
		t.Fatal(err)
	}

	text := string(examples.Nimes())
	bad := strings.Replace(text, "capacity_m3: 52000", "capacity_m3: -5", 1)
	if bad == text {
		t.Fatal("the example has no capacity_m3: 52000 to break")
	}
	res, err := admin.Check(ctx, []byte(bad))
	if err != nil || len(res.Problems) == 0 || res.Problems[0].Line == 0 || !strings.Contains(res.Problems[0].Path, "capacity_m3") {
		t.Fatalf("check of a negative capacity: %+v, %v; want a located problem", res, err)
	}
	// The UI words the problem from its code and parameters; the message stays for the logs.
	if p := res.Problems[0]; p.Code != "capacity_not_positive" || !slices.Equal(p.Params, []string{"-5"}) || !strings.Contains(p.Message, "got -5") {
		t.Errorf("problem %+v: want code capacity_not_positive, params [-5] and the English message", p)
	}
	if res, err := admin.Apply(ctx, "user:chef", []byte(bad)); err != nil || res.Applied {
		t.Fatalf("apply of a bad document: %+v, %v; want not applied", res, err)
	}

	good := strings.Replace(text, "capacity_m3: 52000", "capacity_m3: 53000", 1)
	res, err = admin.Apply(ctx, "user:chef", []byte(good))
	if err != nil || !res.Applied || !res.RestartNeeded || len(res.Changes) == 0 {
		t.Fatalf("apply: %+v, %v", res, err)
	}
	saved, _ := os.ReadFile(path)
	if string(saved) != good {
		t.Error("the configuration file was not rewritten")
	}
	recs, err := st.events.ReadAll(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var last setup.ConfigApplied
	for _, r := range recs {
		if r.Type == (setup.ConfigApplied{}).EventType() {
			ev, err := st.codec.Decode(r)
			if err != nil {
				t.Fatal(err)
			}
			last = ev.(setup.ConfigApplied)
		}
	}
	if last.Actor != "user:chef" || len(last.Changes) == 0 {
		t.Fatalf("last config.applied %+v: want recorded by user:chef with its changes", last)
	}
	// Saved in the editor, the configuration takes effect at the next start: recorded pending,
	// the replay keeps the one in force until the start records it again, in force.
	if !last.Pending {
		t.Errorf("config.applied by the editor (%s) is not pending", last.Digest)
	}
	if got, err := recordedConfig(ctx, st.events, st.codec, time.Time{}); err != nil || got.event.Digest != startDigest {
		t.Errorf("recorded configuration after the edit: %s by %s (pending %v), %v; want the one in force at start (%s)",
			got.event.Digest, got.event.Actor, got.event.Pending, err, startDigest)
	}
	if res, err := admin.Apply(ctx, "user:chef", []byte(good)); err != nil || !res.Applied {
		t.Fatalf("second apply of the same document: %+v, %v", res, err)
	}
	if n := countConfigApplied(t, st); n != 2 {
		t.Errorf("%d config.applied after the same document saved twice, want 2 (start, edit)", n)
	}
	snap, err := admin.Current(ctx)
	if err != nil || snap.YAML != good || snap.AppliedBy != "user:chef" || !snap.Editable {
		t.Fatalf("current after apply: %+v, %v", snap, err)
	}
	goodCfg, err := config.Parse("good", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	goodDoc, goodDigest := goodCfg.Document()
	if ok, err := rec.Handle(ctx, commands.ApplyConfig{Source: "file:" + path, Actor: "config:file:" + path, Digest: goodDigest, Document: goodDoc}); err != nil || !ok {
		t.Fatalf("the next start records the edited configuration: %v, %v; want recorded, in force", ok, err)
	}
	if got, err := recordedConfig(ctx, st.events, st.codec, time.Time{}); err != nil || got.event.Digest != goodDigest || got.event.Pending {
		t.Errorf("recorded configuration after the restart: %s (pending %v), %v; want the edited one (%s), in force",
			got.event.Digest, got.event.Pending, err, goodDigest)
	}

	_, builtin, err := openWebUI(filepath.Join(dir, "data"), cfg, "builtin:examples/nimes.yaml", st, keys, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := builtin.Apply(ctx, "user:chef", []byte(good)); !errors.Is(err, httpapi.ErrConfigReadOnly) {
		t.Fatalf("apply to a built-in configuration: %v, want ErrConfigReadOnly", err)
	}

	// The portal's origins come from the environment, checked: a wildcard would let any site
	// frame the embed pages.
	t.Setenv(EmbedOriginsEnv, "https://portail.example.gouv.fr 'self'")
	if _, _, err := openWebUI(filepath.Join(dir, "data"), cfg, "file:"+path, st, keys, time.Now); err != nil {
		t.Errorf("%s with two origins: %v", EmbedOriginsEnv, err)
	}
	t.Setenv(EmbedOriginsEnv, "*")
	if _, _, err := openWebUI(filepath.Join(dir, "data"), cfg, "file:"+path, st, keys, time.Now); err == nil || !strings.Contains(err.Error(), "frame ancestor") {
		t.Errorf("%s=*: error %v, want the wildcard refused", EmbedOriginsEnv, err)
	}
}

// A what-if replay given a configuration with mistakes answers them located and coded, as the
// configuration editor does (configProblems), so the replay page words them in French too.
func TestReplayAPIConfigProblemsCarryTheirCode(t *testing.T) {
	t.Parallel()
	text := string(examples.Nimes())
	bad := strings.Replace(text, "capacity_m3: 52000", "capacity_m3: -5", 1)
	if bad == text {
		t.Fatal("the example has no capacity_m3: 52000 to break")
	}
	// The configuration is checked before the log is read: no store is needed to refuse it.
	_, err := replayAPI{}.Replay(context.Background(), httpapi.ReplayRequest{YAML: []byte(bad), Cascade: "auto"})
	var cerr *httpapi.ReplayConfigError
	if !errors.As(err, &cerr) || len(cerr.Problems) == 0 {
		t.Fatalf("replay with a negative capacity: %v; want a *httpapi.ReplayConfigError", err)
	}
	p := cerr.Problems[0]
	if p.Code != "capacity_not_positive" || !slices.Equal(p.Params, []string{"-5"}) || p.Line == 0 || !strings.Contains(p.Message, "got -5") {
		t.Errorf("problem %+v: want located, code capacity_not_positive, params [-5] and the English message", p)
	}
}

func countConfigApplied(t *testing.T, st *stores) int {
	t.Helper()
	recs, err := st.events.ReadStream(context.Background(), setup.Stream, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

func TestUserCommand(t *testing.T) {
	data := t.TempDir()
	var out, errOut strings.Builder
	run := func(stdin string, args ...string) error {
		out.Reset()
		return runUser(append(args, "--data", data), strings.NewReader(stdin), &out, &errOut)
	}
	if err := run("un mot de passe assez long\n", "add", "--name", "c.durand", "--role", "operator"); err != nil {
		t.Fatalf("add: %v", err)
	}
	if err := run("court\n", "add", "--name", "s.martin"); err == nil || !strings.Contains(err.Error(), "at least") {
		t.Fatalf("short password: %v", err)
	}
	if err := run("", "add", "--name", "x", "--role", "gateway"); err == nil {
		t.Fatal("a gateway user was accepted")
	}
	if err := run("", "list"); err != nil || !strings.Contains(out.String(), "c.durand\toperator") {
		t.Fatalf("list: %q, %v", out.String(), err)
	}
	if err := run("", "disable", "--name", "c.durand"); err != nil {
		t.Fatal(err)
	}
	users, err := httpapi.OpenUsers(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := users.Check("c.durand", "un mot de passe assez long"); !errors.Is(err, httpapi.ErrBadCredentials) {
		t.Fatalf("a disabled user logs in: %v", err)
	}
}
