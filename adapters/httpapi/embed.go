package httpapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/readstore"
)

// Embed links let the authority's portal show a board in an iframe without anyone logging in.
// A link is a signed token (HMAC-SHA256 with a key kept in the data folder) naming a link
// record; the record says which board, until when, and whether it was revoked. The token grants
// a viewer's reads, and of the dashboards only its own: it can never acknowledge or change
// anything (the role table refuses), and revoking the record kills it at once.
//
// The token travels in the URL (an iframe's src, and EventSource, cannot set headers): the UI
// puts it in the X-Vigie-Embed header of its calls and in ?embed= on the stream.

const (
	// EmbedHeader and EmbedParam carry an embed token.
	EmbedHeader = "X-Vigie-Embed"
	EmbedParam  = "embed"
	// EmbedLinksFile and EmbedKeyFile are in the data folder.
	EmbedLinksFile = "embed-links.json"
	EmbedKeyFile   = "embed.key"

	embedActorPrefix  = "embed:"
	embedTokenVersion = "ve1"
	// DefaultEmbedLifetime and MaxEmbedLifetime bound a link's life.
	DefaultEmbedLifetime = 30 * 24 * time.Hour
	MaxEmbedLifetime     = 366 * 24 * time.Hour
)

// EmbedLink is a read-only link to one board.
type EmbedLink struct {
	ID        string     `json:"id"`
	Dashboard string     `json:"dashboard"`
	Label     string     `json:"label"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty"`
}

// EmbedLinks keeps the link records and the signing key. Nodes sharing a data volume share the
// links: a link revoked through one node is refused by every node at its next request, and the
// streams it opened there close (the file is read again when it changed).
type EmbedLinks struct {
	key   []byte
	now   func() time.Time
	links *sharedMap[EmbedLink]

	mu sync.Mutex
	// revoked is told when a link is revoked, so the streams it opened close at once (Web sets
	// it; nil is a broadcast nobody hears).
	revoked *broadcast
}

// OpenEmbedLinks reads the links of a data folder and its signing key, creating the key (32
// random bytes, mode 0600) the first time.
func OpenEmbedLinks(dir string, now func() time.Time) (*EmbedLinks, error) {
	if now == nil {
		now = time.Now
	}
	keyPath := filepath.Join(dir, EmbedKeyFile)
	key, err := os.ReadFile(keyPath)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
		if err := writeFileAtomic(keyPath, key); err != nil {
			return nil, fmt.Errorf("create embed key: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read embed key: %w", err)
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("embed key %s has %d bytes, want 32: delete it to make a new one (every link stops working)", keyPath, len(key))
	}
	links, err := openSharedMap(filepath.Join(dir, EmbedLinksFile), "links", func(l EmbedLink) string { return l.ID })
	if err != nil {
		return nil, fmt.Errorf("read embed links: %w", err)
	}
	e := &EmbedLinks{key: key, now: now, links: links}
	// A link revoked through another node: the streams it opened here close too.
	links.reloaded = func(old, cur map[string]EmbedLink) {
		for id, l := range cur {
			if l.RevokedAt != nil && old[id].RevokedAt == nil {
				e.fireRevoked()
				return
			}
		}
	}
	return e, nil
}

func (e *EmbedLinks) fireRevoked() {
	e.mu.Lock()
	b := e.revoked
	e.mu.Unlock()
	b.fire()
}

// Create records a link to a board and returns it with its token.
func (e *EmbedLinks) Create(dashboard, label, by string, lifetime time.Duration) (EmbedLink, string, error) {
	if lifetime <= 0 || lifetime > MaxEmbedLifetime {
		return EmbedLink{}, "", fmt.Errorf("a link lives between 1 s and %d days, not %s", int(MaxEmbedLifetime.Hours()/24), lifetime)
	}
	now := e.now().UTC()
	l := EmbedLink{ID: "e-" + randomToken()[:12], Dashboard: dashboard, Label: label, CreatedBy: by, CreatedAt: now,
		ExpiresAt: now.Add(lifetime).Truncate(time.Second)}
	if err := e.links.update(func(m map[string]EmbedLink) error {
		m[l.ID] = l
		return nil
	}); err != nil {
		return EmbedLink{}, "", err
	}
	return l, e.sign(l), nil
}

type embedClaims struct {
	Link      string `json:"l"`
	Dashboard string `json:"d"`
	Expires   int64  `json:"e"`
}

func (e *EmbedLinks) sign(l EmbedLink) string {
	payload, _ := json.Marshal(embedClaims{Link: l.ID, Dashboard: l.Dashboard, Expires: l.ExpiresAt.Unix()})
	p := base64.RawURLEncoding.EncodeToString(payload)
	return embedTokenVersion + "." + p + "." + base64.RawURLEncoding.EncodeToString(e.mac(p))
}

func (e *EmbedLinks) mac(payload string) []byte {
	m := hmac.New(sha256.New, e.key)
	m.Write([]byte(embedTokenVersion + "." + payload))
	return m.Sum(nil)
}

// embedError is a token that does not open anything (401).
type embedError struct{ reason string }

func (e *embedError) Error() string         { return "embed link " + e.reason }
func (e *embedError) Unauthenticated() bool { return true }

// Verify returns the live link a token names.
func (e *EmbedLinks) Verify(token string) (EmbedLink, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] != embedTokenVersion {
		return EmbedLink{}, &embedError{reason: "is malformed"}
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, e.mac(parts[1])) {
		return EmbedLink{}, &embedError{reason: "has a wrong signature"}
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(parts[1])
	var c embedClaims
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return EmbedLink{}, &embedError{reason: "is malformed"}
	}
	l, err := e.Get(c.Link)
	switch {
	case err != nil:
		return EmbedLink{}, &embedError{reason: "was deleted"}
	case l.RevokedAt != nil:
		return EmbedLink{}, &embedError{reason: "was revoked"}
	case !e.now().Before(l.ExpiresAt) || e.now().Unix() >= c.Expires:
		return EmbedLink{}, &embedError{reason: "has expired"}
	case l.Dashboard != c.Dashboard:
		return EmbedLink{}, &embedError{reason: "does not match its record"}
	}
	return l, nil
}

// Get returns a link record.
func (e *EmbedLinks) Get(id string) (EmbedLink, error) {
	m, err := e.links.read()
	if err != nil {
		return EmbedLink{}, err
	}
	l, ok := m[id]
	if !ok {
		return EmbedLink{}, notFound("no embed link %s", id)
	}
	return l, nil
}

// Of returns the links of a board, newest first.
func (e *EmbedLinks) Of(dashboard string) ([]EmbedLink, error) {
	m, err := e.links.read()
	if err != nil {
		return nil, err
	}
	var out []EmbedLink
	for _, l := range m {
		if l.Dashboard == dashboard {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b EmbedLink) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out, nil
}

// Revoke ends a link now; revoking twice is harmless.
func (e *EmbedLinks) Revoke(id, by string) (EmbedLink, error) {
	var out EmbedLink
	revoked := false
	err := e.links.update(func(m map[string]EmbedLink) error {
		l, ok := m[id]
		if !ok {
			return notFound("no embed link %s", id)
		}
		if l.RevokedAt == nil {
			now := e.now().UTC()
			l.RevokedAt, l.RevokedBy = &now, by
			m[id], revoked = l, true
		}
		out = l
		return nil
	})
	if err != nil {
		return EmbedLink{}, err
	}
	if revoked {
		e.fireRevoked()
	}
	return out, nil
}

// RevokeDashboard revokes every live link of a board (the board was deleted).
func (e *EmbedLinks) RevokeDashboard(dashboard string) error {
	links, err := e.Of(dashboard)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.RevokedAt == nil {
			if _, err := e.Revoke(l.ID, "dashboard deleted"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *EmbedLinks) authenticator() Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (Principal, error) {
		token := r.Header.Get(EmbedHeader)
		if token == "" {
			token = r.URL.Query().Get(EmbedParam)
		}
		if token == "" {
			return Principal{}, ErrNoCredentials
		}
		l, err := e.Verify(token)
		if err != nil {
			return Principal{}, err
		}
		return Principal{Actor: embedActorPrefix + l.ID, Role: RoleViewer}, nil
	})
}

type embedCreateBody struct {
	Label string `json:"label"`
	// ExpiresInS is the link's life in seconds (default 30 days, at most 366).
	ExpiresInS int64 `json:"expires_in_s"`
}

type embedJSON struct {
	EmbedLink
	// Token and URL are given once, at creation.
	Token string `json:"token,omitempty"`
	URL   string `json:"url,omitempty"`
}

type embedsJSON struct {
	Embeds []EmbedLink `json:"embeds"`
}

func (s *Server) listEmbeds(w http.ResponseWriter, r *http.Request) {
	d, c, ok := s.dashboardParam(w, r)
	if !ok {
		return
	}
	if !c.canEdit(d) {
		s.fail(w, r, fmt.Errorf("only the board's owner or an administrator sees its embed links: %w", ErrForbidden))
		return
	}
	links, err := s.deps.Web.Embeds.Of(d.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if links == nil {
		links = []EmbedLink{}
	}
	s.writeValue(w, r, embedsJSON{Embeds: links})
}

func (s *Server) createEmbed(w http.ResponseWriter, r *http.Request) {
	d, c, ok := s.dashboardParam(w, r)
	if !ok {
		return
	}
	if !c.canEdit(d) {
		s.fail(w, r, fmt.Errorf("only the board's owner or an administrator may make an embed link: %w", ErrForbidden))
		return
	}
	var b embedCreateBody
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCommandBody))
	if err == nil && len(bytes.TrimSpace(raw)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		err = dec.Decode(&b)
	}
	if err != nil {
		s.failDashboard(w, r, &badBody{err: err})
		return
	}
	life := DefaultEmbedLifetime
	if b.ExpiresInS != 0 {
		life = time.Duration(b.ExpiresInS) * time.Second
	}
	if life <= 0 || life > MaxEmbedLifetime {
		s.fail(w, r, &paramError{param: "expires_in_s", reason: fmt.Sprintf("a link lives between 1 s and %d days", int(MaxEmbedLifetime.Hours()/24))})
		return
	}
	l, token, err := s.deps.Web.Embeds.Create(d.ID, strings.TrimSpace(b.Label), c.actor, life)
	if err != nil {
		s.fail(w, r, fmt.Errorf("create embed link: %w", err))
		return
	}
	s.log.Info("embed link created", "link", l.ID, "dashboard", d.ID, "by", c.actor, "expires_at", l.ExpiresAt)
	out, _ := json.Marshal(embedJSON{EmbedLink: l, Token: token, URL: "/embed/" + d.ID + "?token=" + token})
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) revokeEmbed(w http.ResponseWriter, r *http.Request) {
	c := s.callerOf(r)
	l, err := s.deps.Web.Embeds.Get(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, derr := s.deps.Web.Dashboards.Get(r.Context(), l.Dashboard)
	allowed := c.embedDashboard == "" && !c.anonymous && (c.admin || c.actor == l.CreatedBy || derr == nil && c.actor == d.Owner)
	if derr != nil && !errors.Is(derr, readstore.ErrNotFound) {
		s.fail(w, r, derr)
		return
	}
	if !allowed {
		s.fail(w, r, fmt.Errorf("only the link's author, the board's owner or an administrator may revoke it: %w", ErrForbidden))
		return
	}
	l, err = s.deps.Web.Embeds.Revoke(l.ID, c.actor)
	if err != nil {
		s.fail(w, r, fmt.Errorf("revoke embed link: %w", err))
		return
	}
	s.log.Info("embed link revoked", "link", l.ID, "by", c.actor)
	s.writeValue(w, r, l)
}
