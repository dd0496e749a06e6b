package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ConfigAdmin is the configuration as the administration screen sees it. This package does not
// read YAML itself (it does not import adapters/config): the wiring implements it with
// config.Parse for the checks, config.Diff for the summary of changes and
// commands.ConfigRecorder, which records every applied change as a config.applied event (who,
// when, what changed, the whole document).
type ConfigAdmin interface {
	// Current is the configuration in force.
	Current(ctx context.Context) (ConfigSnapshot, error)
	// Check parses and validates a YAML document without applying it.
	Check(ctx context.Context, yaml []byte) (ConfigCheck, error)
	// Apply checks the document and, when it has no problem, records it as applied by actor and
	// saves it where the configuration is read from. A document with problems is not an error:
	// the check comes back with Applied false. ErrConfigReadOnly when it cannot be saved.
	Apply(ctx context.Context, actor string, yaml []byte) (ConfigCheck, error)
	// APIKeys lists the API keys (never their secrets).
	APIKeys(ctx context.Context) ([]APIKeyInfo, error)
}

// ErrConfigReadOnly: the configuration in force cannot be replaced from the API (it is built in,
// or its file is not writable).
var ErrConfigReadOnly = errors.New("the configuration cannot be changed from the web")

// ConfigSnapshot is the configuration in force.
type ConfigSnapshot struct {
	// Source says where it was read: "file:/etc/vigie/vigie.yaml", "builtin:examples/nimes.yaml".
	Source string `json:"source"`
	Digest string `json:"digest"`
	// YAML is the text as written, comments included.
	YAML string `json:"yaml"`
	// Document is the configuration as Vigie understood it (normalised JSON, as recorded in
	// config.applied): what the screen shows as tables.
	Document json.RawMessage `json:"document"`
	// Editable says whether Apply can save a new version.
	Editable bool `json:"editable"`
	// AppliedAt and AppliedBy are of the last recorded change, when known.
	AppliedAt *time.Time `json:"applied_at,omitempty"`
	AppliedBy string     `json:"applied_by,omitempty"`
}

// ConfigProblem is one mistake, located in the YAML text (1-based; 0 when unknown). Code and
// Params (adapters/config.Problem's) let the UI word it in the reader's language; Message is the
// English text, shown when the UI does not know the code.
type ConfigProblem struct {
	Line    int      `json:"line"`
	Column  int      `json:"column"`
	Path    string   `json:"path,omitempty"`
	Code    string   `json:"code,omitempty"`
	Params  []string `json:"params,omitempty"`
	Message string   `json:"message"`
}

// ConfigCheck is the verdict on a document.
type ConfigCheck struct {
	Valid    bool            `json:"valid"`
	Problems []ConfigProblem `json:"problems"`
	// Changes summarise the difference with the configuration in force, one sentence each.
	Changes []string `json:"changes"`
	// Applied is set by Apply when the document was recorded and saved; RestartNeeded when the
	// running server goes on with the previous one until restarted.
	Applied       bool   `json:"applied"`
	RestartNeeded bool   `json:"restart_needed,omitempty"`
	Digest        string `json:"digest,omitempty"`
}

// APIKeyInfo is an API key as the configuration screen lists it.
type APIKeyInfo struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	Sensors   string     `json:"sensors"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

const (
	maxConfigBody    = 2 << 20
	typeConfigLocked = "urn:vigie:problem:config-read-only"
)

// configJSON is GET /config: the configuration, and the keys for an administrator.
type configJSON struct {
	ConfigSnapshot
	APIKeys []APIKeyInfo `json:"api_keys,omitempty"`
}

// getConfig is for administrators (the document holds operators' phone numbers).
func (s *Server) getConfig(w http.ResponseWriter, r *http.Request) {
	if p, _ := PrincipalFrom(r.Context()); p.Role != RoleAdmin {
		s.fail(w, r, &adminOnlyError{what: "read the configuration"})
		return
	}
	snap, err := s.deps.ConfigAdmin.Current(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("read configuration: %w", err))
		return
	}
	keys, err := s.deps.ConfigAdmin.APIKeys(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("list API keys: %w", err))
		return
	}
	if keys == nil {
		keys = []APIKeyInfo{}
	}
	s.writeValue(w, r, configJSON{ConfigSnapshot: snap, APIKeys: keys})
}

func (s *Server) readConfigBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if p, _ := PrincipalFrom(r.Context()); p.Role != RoleAdmin {
		s.fail(w, r, &adminOnlyError{what: "check or change the configuration"})
		return nil, false
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxConfigBody))
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return b, true
}

func (s *Server) checkConfig(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readConfigBody(w, r)
	if !ok {
		return
	}
	res, err := s.deps.ConfigAdmin.Check(r.Context(), b)
	if err != nil {
		s.fail(w, r, fmt.Errorf("check configuration: %w", err))
		return
	}
	s.writeValue(w, r, normaliseCheck(res))
}

// putConfig applies a new configuration. A document with problems answers 422 with the same
// body as /config/check, so the screen shows the problems either way.
func (s *Server) putConfig(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readConfigBody(w, r)
	if !ok {
		return
	}
	p, _ := PrincipalFrom(r.Context())
	res, err := s.deps.ConfigAdmin.Apply(r.Context(), p.Actor, b)
	if errors.Is(err, ErrConfigReadOnly) {
		writeProblem(w, Problem{Type: typeConfigLocked, Title: "Configuration read-only", Status: http.StatusConflict,
			Detail: err.Error(), Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("apply configuration: %w", err))
		return
	}
	res = normaliseCheck(res)
	if !res.Valid {
		body, _ := json.Marshal(res)
		writeJSON(w, http.StatusUnprocessableEntity, body)
		return
	}
	s.log.Info("configuration applied from the API", "actor", p.Actor, "digest", res.Digest, "changes", len(res.Changes), "request_id", requestID(r.Context()))
	s.writeValue(w, r, res)
}

func normaliseCheck(c ConfigCheck) ConfigCheck {
	if c.Problems == nil {
		c.Problems = []ConfigProblem{}
	}
	if c.Changes == nil {
		c.Changes = []string{}
	}
	c.Valid = len(c.Problems) == 0
	return c
}
