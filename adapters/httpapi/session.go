package httpapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Browser sessions. A browser cannot put an API key on an EventSource, and should not keep one
// in JavaScript: people log in with a name and a password and get an HttpOnly cookie that the
// browser sends on every API call and on the SSE stream.
//
// CSRF: the cookie is SameSite=Strict, and every state-changing request authenticated by it must
// also carry the session's CSRF token in X-CSRF-Token (synchronizer token). The token is given
// by POST and GET /api/v1/session to the page's JavaScript only (a cross-site page cannot read
// the answer). Login itself accepts only a JSON body, which a cross-site form cannot send.

const (
	// SessionCookie is the name of the session cookie.
	SessionCookie = "vigie_session"
	// CSRFHeader carries the session's CSRF token on POST, PUT, PATCH and DELETE.
	CSRFHeader = "X-CSRF-Token"
	// SessionsFile is the name of the session file in the data folder.
	SessionsFile = "sessions.json"

	maxLoginBody = 4 << 10
	// loginFailures within loginWindow lock a name until the window has passed.
	loginFailures = 5
	loginWindow   = 5 * time.Minute
	// touchEvery is how often at most a session's last request is written to the file: a write
	// per request would make every API call of every screen a locked file rewrite.
	touchEvery = time.Minute
	// csrfLabel is what a session's CSRF token is the MAC of (see csrfToken).
	csrfLabel = "vigie csrf token v1"
)

// session is a live session as a request sees it.
type session struct {
	user      string
	role      UserRole
	csrf      string
	createdAt time.Time
}

// sessionRecord is a session as the file keeps it. The file holds no usable secret: the key is
// the SHA-256 of the cookie value (a copy of the file does not hand out live cookies), and the
// CSRF token is derived from the cookie value, not stored.
type sessionRecord struct {
	ID       string    `json:"id"` // base64url SHA-256 of the cookie value
	User     string    `json:"user"`
	Role     UserRole  `json:"role"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"`
}

// sessions are kept in sessions.json in the data folder (a sharedMap), so that nodes sharing the
// folder behind a load balancer honour each other's sessions: no sticky sessions, and a node
// that dies logs nobody out; a restart keeps them too. A logout through one node ends the session
// on every node at its next request.
//
// Idle expiry without a write per request: the file's last_seen is moved at most once per
// touchEvery per session, and each node also keeps the last request it served itself. A session
// is idle once now - max(file last_seen, this node's last request) > idle: exact on the node in
// use; another node may see it idle up to touchEvery early (a session unused for almost the
// whole idle timeout), which is the price of not writing on every request.
//
// The login lockout (failures) stays per node: sharing it would mean a locked file write on
// every failed attempt, and with N nodes a guesser gets at most N times loginFailures tries per
// window, still far too few against the password rules.
type sessions struct {
	idle, maxAge time.Duration
	now          func() time.Time
	// ended is told whenever a session ends (logout, expiry, user disabled, or removed from the
	// file by another node), so the event streams it opened close at once instead of running
	// until the browser reconnects.
	ended *broadcast
	file  *sharedMap[sessionRecord]

	// mu guards seen and failures. It is never held while calling file (whose reloaded hook
	// takes mu under the file's own lock).
	mu sync.Mutex
	// seen is this node's last request per session id (may be later than the file's last_seen).
	seen     map[string]time.Time
	failures map[string][]time.Time
}

// openSessions opens (without creating) the session file at path.
func openSessions(path string, idle, maxAge time.Duration, now func() time.Time, ended *broadcast) (*sessions, error) {
	file, err := openSharedMap(path, "sessions", func(r sessionRecord) string { return r.ID })
	if err != nil {
		return nil, fmt.Errorf("open sessions: %w", err)
	}
	ss := &sessions{idle: idle, maxAge: maxAge, now: now, ended: ended, file: file,
		seen: map[string]time.Time{}, failures: map[string][]time.Time{}}
	// Sessions ended through another node (logout, user disabled, swept): the streams they
	// opened here close too. Own writes do not come here; they tell ended themselves.
	file.reloaded = func(old, cur map[string]sessionRecord) {
		var gone []string
		for id := range old {
			if _, ok := cur[id]; !ok {
				gone = append(gone, id)
			}
		}
		ss.forget(gone)
	}
	return ss, nil
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// sessionID is the key of a cookie value in the file.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// csrfToken is the session's CSRF token: an HMAC-SHA256 keyed by the cookie value. Derived
// rather than stored, so every node computes the same token without the file holding one (the
// file's hash of the cookie does not give it), and a token read by the page's JavaScript does
// not give the cookie back. It lasts as long as the session, as a stored token did.
func csrfToken(token string) string {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write([]byte(csrfLabel))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (ss *sessions) create(u User) (token string, s *session, err error) {
	now := ss.now()
	token = randomToken()
	id := sessionID(token)
	rec := sessionRecord{ID: id, User: u.Name, Role: u.Role, Created: now.UTC(), LastSeen: now.UTC()}
	var swept []string
	err = ss.file.update(func(m map[string]sessionRecord) error {
		// Sweep here, so the file does not grow with sessions nobody logged out of.
		for k, r := range m {
			if ss.stale(r, now) {
				delete(m, k)
				swept = append(swept, k)
			}
		}
		m[id] = rec
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("create session of %s: %w", u.Name, err)
	}
	ss.mu.Lock()
	ss.seen[id] = now
	ss.mu.Unlock()
	ss.forget(swept)
	return token, &session{user: u.Name, role: u.Role, csrf: csrfToken(token), createdAt: rec.Created}, nil
}

// errUnchanged makes an update leave the file alone.
var errUnchanged = errors.New("nothing to change")

// get returns the live session of a cookie value and counts this request as its use; nil when
// unknown or expired.
func (ss *sessions) get(token string) (*session, error) {
	if token == "" {
		return nil, nil
	}
	id := sessionID(token)
	now := ss.now()
	rec, ok, err := ss.lookup(id, now)
	if err != nil || !ok {
		return nil, err
	}
	ss.mu.Lock()
	if now.After(ss.seen[id]) {
		ss.seen[id] = now
	}
	ss.mu.Unlock()
	if now.Sub(rec.LastSeen) >= ss.touchInterval() {
		gone := false
		err := ss.file.update(func(m map[string]sessionRecord) error {
			r, ok := m[id]
			switch {
			case !ok: // ended through another node since the read
				gone = true
				return errUnchanged
			case !now.After(r.LastSeen): // another node touched it later
				return errUnchanged
			}
			r.LastSeen = now.UTC()
			m[id] = r
			return nil
		})
		if err != nil && !errors.Is(err, errUnchanged) {
			return nil, fmt.Errorf("note use of session of %s: %w", rec.User, err)
		}
		if gone {
			ss.forget([]string{id})
			return nil, nil
		}
	}
	return &session{user: rec.User, role: rec.Role, csrf: csrfToken(token), createdAt: rec.Created}, nil
}

// remaining says how long the session of a cookie value lives at most without another request,
// without counting this as one: an open event stream is not someone using the screen. ok is
// false once the session has ended, or when the file cannot be read (the stream ends, and the
// browser's reconnection meets the error).
func (ss *sessions) remaining(token string) (left time.Duration, user string, role UserRole, ok bool) {
	now := ss.now()
	rec, ok, err := ss.lookup(sessionID(token), now)
	if err != nil || !ok {
		return 0, "", "", false
	}
	last := ss.lastSeen(rec)
	return min(last.Add(ss.idle).Sub(now), rec.Created.Add(ss.maxAge).Sub(now)), rec.User, rec.Role, true
}

// lookup returns the record of a session id as the file has it now, if it is live. An expired
// session is not removed here (another node may have seen it later, within touchEvery): create
// sweeps it once it is expired for every node.
func (ss *sessions) lookup(id string, now time.Time) (sessionRecord, bool, error) {
	m, err := ss.file.read()
	if err != nil {
		return sessionRecord{}, false, fmt.Errorf("look up session: %w", err)
	}
	rec, ok := m[id]
	if !ok {
		return sessionRecord{}, false, nil
	}
	if now.Sub(ss.lastSeen(rec)) > ss.idle || now.Sub(rec.Created) > ss.maxAge {
		return sessionRecord{}, false, nil
	}
	return rec, true, nil
}

// lastSeen is the later of the file's last use of a session and this node's.
func (ss *sessions) lastSeen(rec sessionRecord) time.Time {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if t := ss.seen[rec.ID]; t.After(rec.LastSeen) {
		return t
	}
	return rec.LastSeen
}

// touchInterval is how often at most a use is written: once a minute, or more often under an idle
// timeout so short that a minute would matter.
func (ss *sessions) touchInterval() time.Duration { return min(touchEvery, ss.idle/4) }

// stale says a record has expired for every node: the file's last_seen is never more than
// touchEvery behind any node's last request.
func (ss *sessions) stale(r sessionRecord, now time.Time) bool {
	return now.Sub(r.Created) > ss.maxAge || now.Sub(r.LastSeen) > ss.idle+ss.touchInterval()
}

// forget drops this node's memory of sessions that ended, and tells the streams.
func (ss *sessions) forget(ids []string) {
	if len(ids) == 0 {
		return
	}
	ss.mu.Lock()
	for _, id := range ids {
		delete(ss.seen, id)
	}
	ss.mu.Unlock()
	ss.ended.fire()
}

// remove deletes the records match selects, in one write (none when nothing matches).
func (ss *sessions) remove(match func(sessionRecord) bool) error {
	var gone []string
	err := ss.file.update(func(m map[string]sessionRecord) error {
		gone = gone[:0]
		for id, r := range m {
			if match(r) {
				delete(m, id)
				gone = append(gone, id)
			}
		}
		if len(gone) == 0 {
			return errUnchanged
		}
		return nil
	})
	if err != nil && !errors.Is(err, errUnchanged) {
		return err
	}
	ss.forget(gone)
	return nil
}

// drop ends the session of a cookie value (logout).
func (ss *sessions) drop(token string) error {
	id := sessionID(token)
	if err := ss.remove(func(r sessionRecord) bool { return r.ID == id }); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// dropUser ends every session of a user (disabled, or role changed).
func (ss *sessions) dropUser(name string) error {
	if err := ss.remove(func(r sessionRecord) bool { return r.User == name }); err != nil {
		return fmt.Errorf("end sessions of %s: %w", name, err)
	}
	return nil
}

// locked reports how long a name must wait after too many failed logins (0: it may try).
func (ss *sessions) locked(name string) time.Duration {
	now := ss.now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	recent := ss.failures[name][:0]
	for _, t := range ss.failures[name] {
		if now.Sub(t) < loginWindow {
			recent = append(recent, t)
		}
	}
	ss.failures[name] = recent
	if len(recent) < loginFailures {
		return 0
	}
	return loginWindow - now.Sub(recent[0])
}

func (ss *sessions) failed(name string, ok bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ok {
		delete(ss.failures, name)
		return
	}
	if len(ss.failures) > 10_000 { // bound the memory a name-spraying client can take
		clear(ss.failures)
	}
	ss.failures[name] = append(ss.failures[name], ss.now())
}

// csrfError: a cookie-authenticated request changing state without the session's token.
type csrfError struct{}

func (csrfError) Error() string {
	return "missing or wrong " + CSRFHeader + " header: reload the page (the session's token comes with GET /api/v1/session)"
}
func (csrfError) Unwrap() error { return ErrForbidden }

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sessionAuth authenticates by the session cookie. An unknown or expired cookie counts as no
// credentials (the request goes on as anonymous where public read allows it, else 401), so a
// stale cookie never locks a public screen.
func (w *Web) sessionAuth() Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (Principal, error) {
		s, err := w.sessionOf(r)
		if err != nil {
			return Principal{}, err
		}
		if !safeMethod(r.Method) {
			got := r.Header.Get(CSRFHeader)
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) != 1 {
				return Principal{}, csrfError{}
			}
		}
		return Principal{Actor: "user:" + s.user, Role: s.role.apiRole()}, nil
	})
}

// sessionOf returns the request's live session, checking that its user still exists and is
// enabled; ErrNoCredentials if there is none.
func (w *Web) sessionOf(r *http.Request) (*session, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil, ErrNoCredentials
	}
	s, err := w.sessions.get(c.Value)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, ErrNoCredentials
	}
	u, err := w.Users.Lookup(s.user)
	if errors.Is(err, ErrNoSuchUser) || err == nil && (u.Disabled || u.Role != s.role) {
		// The user is refused on every request whatever the file says: a failed write only
		// leaves the records for the sweep.
		_ = w.sessions.dropUser(s.user)
		return nil, ErrNoCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("session of %s: %w", s.user, err)
	}
	return s, nil
}

// sessionJSON is the answer of the session endpoints.
type sessionJSON struct {
	User      string    `json:"user"`
	Role      UserRole  `json:"role"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
	// IdleTimeoutS is how long the session survives without a request.
	IdleTimeoutS int64 `json:"idle_timeout_s"`
}

func (w *Web) sessionBody(s *session) sessionJSON {
	return sessionJSON{User: s.user, Role: s.role, CSRFToken: s.csrf, ExpiresAt: s.createdAt.Add(w.cfg.MaxAge).UTC(),
		IdleTimeoutS: int64(w.cfg.IdleTimeout / time.Second)}
}

type loginBody struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

const typeLogin = "urn:vigie:problem:login"

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	web := s.deps.Web
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		s.fail(w, r, &mediaTypeError{got: r.Header.Get("Content-Type")})
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLoginBody))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b loginBody
	if err := json.Unmarshal(raw, &b); err != nil || b.User == "" || b.Password == "" {
		writeProblem(w, Problem{Type: typeLogin, Title: "Malformed login", Status: http.StatusBadRequest,
			Detail: `send {"user": "...", "password": "..."} as JSON`, Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	if wait := web.sessions.locked(b.User); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		writeProblem(w, Problem{Type: typeLogin, Title: "Too many attempts", Status: http.StatusTooManyRequests,
			Detail:   fmt.Sprintf("too many wrong passwords for this name: try again in %d minute(s)", int(wait.Minutes())+1),
			Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	u, err := web.Users.Check(b.User, b.Password)
	web.sessions.failed(b.User, err == nil)
	if errors.Is(err, ErrBadCredentials) {
		s.log.Info("login refused", "user", b.User, "request_id", requestID(r.Context()))
		writeProblem(w, Problem{Type: typeLogin, Title: "Login refused", Status: http.StatusUnauthorized,
			Detail: ErrBadCredentials.Error(), Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("login: %w", err))
		return
	}
	token, sess, err := web.sessions.create(u)
	if err != nil {
		s.fail(w, r, fmt.Errorf("login: %w", err))
		return
	}
	http.SetCookie(w, web.cookie(r, token, int(web.cfg.MaxAge/time.Second)))
	s.log.Info("login", "user", u.Name, "role", u.Role, "request_id", requestID(r.Context()))
	s.writeValue(w, r, web.sessionBody(sess))
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	sess, err := s.deps.Web.sessionOf(r)
	if errors.Is(err, ErrNoCredentials) {
		writeProblem(w, Problem{Type: typeLogin, Title: "Unauthorized", Status: http.StatusUnauthorized,
			Detail: "not logged in, or the session has expired", Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeValue(w, r, s.deps.Web.sessionBody(sess))
}

// logout ends the session. It needs the CSRF token (a cross-site page must not log people out
// of a control-room screen); without a live session it just clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	web := s.deps.Web
	c, err := r.Cookie(SessionCookie)
	if err == nil {
		sess, err := web.sessions.get(c.Value)
		if err != nil {
			s.fail(w, r, fmt.Errorf("logout: %w", err))
			return
		}
		if sess != nil {
			if subtle.ConstantTimeCompare([]byte(r.Header.Get(CSRFHeader)), []byte(sess.csrf)) != 1 {
				s.fail(w, r, csrfError{})
				return
			}
			if err := web.sessions.drop(c.Value); err != nil {
				s.fail(w, r, fmt.Errorf("logout: %w", err))
				return
			}
			s.log.Info("logout", "user", sess.user, "request_id", requestID(r.Context()))
		}
	}
	http.SetCookie(w, web.cookie(r, "", -1))
	w.WriteHeader(http.StatusNoContent)
}

func (w *Web) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: w.cfg.SecureCookie || r.TLS != nil, SameSite: http.SameSiteStrictMode}
}
