package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/apikey"
	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/examples"
)

// EmbedOriginsEnv names the origins (space-separated) allowed to frame the embed pages, the
// authority's portal: VIGIE_EMBED_ORIGINS="https://portail.example.gouv.fr". Unset: Vigie's
// own origin only.
const EmbedOriginsEnv = "VIGIE_EMBED_ORIGINS"

// openWebUI opens what the web UI needs beyond the read API: user accounts, sessions,
// dashboards and embed links in the data folder, and the configuration editor.
func openWebUI(data string, cfg *config.Config, source string, st *stores, keys *apikey.Store, now func() time.Time) (*httpapi.Web, httpapi.ConfigAdmin, error) {
	rec, err := commands.NewConfigRecorder(st.events, st.codec, now)
	if err != nil {
		return nil, nil, err
	}
	names := operatorNames(cfg)
	// The portal's origins that may frame the embed pages: an environment variable until the
	// configuration file has a place for them (EmbedOriginsEnv in docs/ui.md).
	web, err := httpapi.OpenWeb(httpapi.WebConfig{Dir: data, Clock: now, OperatorNames: names,
		EmbedFrameAncestors: strings.Fields(os.Getenv(EmbedOriginsEnv))})
	if err != nil {
		return nil, nil, err
	}
	text, err := configText(source)
	if err != nil {
		return nil, nil, err
	}
	return web, &configAdmin{source: source, cfg: cfg, text: text, rec: rec, keys: keys}, nil
}

// configText is the YAML of the configuration in force, as written.
func configText(source string) ([]byte, error) {
	if path, ok := strings.CutPrefix(source, "file:"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read configuration text: %w", err)
		}
		return b, nil
	}
	return examples.Nimes(), nil
}

// configAdmin implements httpapi.ConfigAdmin with adapters/config and the config recorder. An
// applied document is recorded (config.applied, pending, with the actor and the changes) and
// written to the configuration file; the running server goes on with the previous one until
// restarted (RestartNeeded), when recordConfig records the same document again, in force.
type configAdmin struct {
	source string
	rec    *commands.ConfigRecorder
	keys   *apikey.Store

	mu   sync.Mutex
	cfg  *config.Config
	text []byte
}

func (c *configAdmin) editablePath() (string, bool) {
	path, ok := strings.CutPrefix(c.source, "file:")
	return path, ok
}

func (c *configAdmin) Current(ctx context.Context) (httpapi.ConfigSnapshot, error) {
	c.mu.Lock()
	cfg, text := c.cfg, c.text
	c.mu.Unlock()
	doc, digest := cfg.Document()
	_, editable := c.editablePath()
	snap := httpapi.ConfigSnapshot{Source: c.source, Digest: digest, YAML: string(text), Document: doc, Editable: editable}
	if prev, _, ok, err := c.rec.Previous(ctx); err != nil {
		return snap, err
	} else if ok {
		at := prev.At
		snap.AppliedAt, snap.AppliedBy = &at, prev.Actor
	}
	return snap, nil
}

func (c *configAdmin) check(yaml []byte) (*config.Config, httpapi.ConfigCheck, error) {
	next, err := config.Parse("vigie.yaml", yaml)
	var verr *config.ValidationError
	if errors.As(err, &verr) {
		return nil, httpapi.ConfigCheck{Problems: configProblems(verr)}, nil
	}
	if err != nil {
		return nil, httpapi.ConfigCheck{}, err
	}
	c.mu.Lock()
	cur := c.cfg
	c.mu.Unlock()
	_, digest := next.Document()
	return next, httpapi.ConfigCheck{Valid: true, Changes: config.Diff(cur, next), Digest: digest}, nil
}

// configProblems turns the configuration's problems into the API's: located, coded for the UI
// to word them in the reader's language, with the English message besides.
func configProblems(verr *config.ValidationError) []httpapi.ConfigProblem {
	ps := make([]httpapi.ConfigProblem, len(verr.Problems))
	for i, p := range verr.Problems {
		ps[i] = httpapi.ConfigProblem{Line: p.Line, Column: p.Column, Path: p.Path, Code: string(p.Code), Params: p.Params, Message: p.Message}
	}
	return ps
}

func (c *configAdmin) Check(_ context.Context, yaml []byte) (httpapi.ConfigCheck, error) {
	_, res, err := c.check(yaml)
	return res, err
}

func (c *configAdmin) Apply(ctx context.Context, actor string, yaml []byte) (httpapi.ConfigCheck, error) {
	path, ok := c.editablePath()
	if !ok {
		return httpapi.ConfigCheck{}, fmt.Errorf("%w: it is built in (%s); start Vigie with --config FILE to edit it here", httpapi.ErrConfigReadOnly, c.source)
	}
	next, res, err := c.check(yaml)
	if err != nil || next == nil {
		return res, err
	}
	doc, digest := next.Document()
	// Recorded first: a change on disk that the log does not know of would be unaudited. Pending:
	// the running service goes on with the previous configuration until it restarts, when
	// recordConfig records this one again, in force; a replay applies it from there, as the
	// service did, not from now (docs/replay.md).
	if _, err := c.rec.Handle(ctx, commands.ApplyConfig{Source: c.source, Actor: actor, Digest: digest, Document: doc, Changes: res.Changes, Pending: true}); err != nil {
		return res, err
	}
	if err := writeConfigFile(path, yaml); err != nil {
		return res, fmt.Errorf("%w: %v", httpapi.ErrConfigReadOnly, err)
	}
	c.mu.Lock()
	c.cfg, c.text = next, yaml
	c.mu.Unlock()
	res.Applied, res.RestartNeeded = true, true
	return res, nil
}

func writeConfigFile(path string, b []byte) error {
	tmp := path + ".new"
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (c *configAdmin) APIKeys(context.Context) ([]httpapi.APIKeyInfo, error) {
	keys, err := c.keys.List()
	if err != nil {
		return nil, err
	}
	out := make([]httpapi.APIKeyInfo, 0, len(keys))
	for _, k := range keys {
		info := httpapi.APIKeyInfo{ID: k.ID, Name: k.Name, Role: string(k.Role), Sensors: k.Sensors.String(), CreatedAt: k.CreatedAt}
		if !k.RevokedAt.IsZero() {
			t := k.RevokedAt
			info.RevokedAt = &t
		}
		out = append(out, info)
	}
	return out, nil
}

// runUser is `vigie user add|list|passwd|disable|enable`: the accounts of the web UI.
//
//	vigie user add --data DIR --name durand --role operator   # reads the password on stdin
func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("vigie user: say add, list, passwd, disable or enable")
	}
	verb := args[0]
	fs := flag.NewFlagSet("vigie user "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envDefault("VIGIE_DATA", "vigie-data"), "data folder (env VIGIE_DATA)")
	name := fs.String("name", "", "user name (lower case: durand, c.martin)")
	role := fs.String("role", "operator", "viewer, auditor, operator or admin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	users, err := httpapi.OpenUsers(*data, 0)
	if err != nil {
		return err
	}
	readPassword := func() (string, error) {
		fmt.Fprintf(stderr, "password for %s (at least %d characters): ", *name, httpapi.MinPasswordLen)
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("read password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	switch verb {
	case "add":
		r, err := httpapi.ParseUserRole(*role)
		if err != nil {
			return err
		}
		pw, err := readPassword()
		if err != nil {
			return err
		}
		if err := users.Add(*name, r, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s added with role %s\n", *name, r)
	case "passwd":
		pw, err := readPassword()
		if err != nil {
			return err
		}
		if err := users.SetPassword(*name, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed\n", *name)
	case "disable", "enable":
		if err := users.SetDisabled(*name, verb == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s %sd\n", *name, verb)
	case "list":
		list, err := users.List()
		if err != nil {
			return err
		}
		for _, u := range list {
			state := ""
			if u.Disabled {
				state = " (disabled)"
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s%s\n", u.Name, u.Role, u.CreatedAt.Format(time.RFC3339), state)
		}
	default:
		return fmt.Errorf("vigie user: unknown verb %q (add, list, passwd, disable, enable)", verb)
	}
	return nil
}

// demoAccount gives the demo someone to log in as: when the data folder has no user yet, an
// "operateur" account (role operator) with a random password, written in the log once. A real
// installation creates its accounts with `vigie user add`; the demo creates none if one exists.
func demoAccount(data string, logger *slog.Logger) error {
	users, err := httpapi.OpenUsers(data, 0)
	if err != nil {
		return err
	}
	list, err := users.List()
	if err != nil || len(list) > 0 {
		return err
	}
	var b [9]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	password := base64.RawURLEncoding.EncodeToString(b[:])
	if err := users.Add("operateur", httpapi.UserOperator, password); err != nil {
		return err
	}
	logger.Warn("demo: log in to the web UI as operateur with this password (shown once; vigie user passwd changes it)", "user", "operateur", "password", password)
	return nil
}

// operatorNames are the configuration's operators' display names by id.
func operatorNames(cfg *config.Config) map[string]string {
	names := map[string]string{}
	for _, o := range cfg.Operators() {
		names[o.ID] = o.Name
	}
	return names
}
