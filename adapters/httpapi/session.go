package httpapi

import (
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

	maxLoginBody = 4 << 10
	// loginFailures within loginWindow lock a name until the window has passed.
	loginFailures = 5
	loginWindow   = 5 * time.Minute
)

type session struct {
	user      string
	role      UserRole
	csrf      string
	createdAt time.Time
	lastSeen  time.Time
}

// sessions are kept in memory: a restart of the server logs everyone out (they log in again;
// nothing else is lost). The map is keyed by the SHA-256 of the cookie value, so a heap dump does
// not hand out live cookies.
type sessions struct {
	idle, maxAge time.Duration
	now          func() time.Time
	// ended is told whenever a session ends (logout, expiry, user disabled), so the event
	// streams it opened close at once instead of running until the browser reconnects.
	ended *broadcast

	mu       sync.Mutex
	byHash   map[[32]byte]*session
	failures map[string][]time.Time
}

func newSessions(idle, maxAge time.Duration, now func() time.Time, ended *broadcast) *sessions {
	return &sessions{idle: idle, maxAge: maxAge, now: now, ended: ended, byHash: map[[32]byte]*session{}, failures: map[string][]time.Time{}}
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (ss *sessions) create(u User) (token string, s *session) {
	now := ss.now()
	token = randomToken()
	s = &session{user: u.Name, role: u.Role, csrf: randomToken(), createdAt: now, lastSeen: now}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.byHash[sha256.Sum256([]byte(token))] = s
	ss.sweepLocked(now)
	return token, s
}

// get returns the live session of a cookie value and touches it; nil when unknown or expired.
func (ss *sessions) get(token string) *session {
	if token == "" {
		return nil
	}
	key := sha256.Sum256([]byte(token))
	now := ss.now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.byHash[key]
	if s == nil {
		return nil
	}
	if ss.expired(s, now) {
		ss.endLocked(key)
		return nil
	}
	s.lastSeen = now
	c := *s
	return &c
}

// remaining says how long the session of a cookie value lives at most without another request,
// without counting this as one: an open event stream is not someone using the screen. ok is
// false once the session has ended.
func (ss *sessions) remaining(token string) (left time.Duration, user string, role UserRole, ok bool) {
	key := sha256.Sum256([]byte(token))
	now := ss.now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.byHash[key]
	if s == nil {
		return 0, "", "", false
	}
	if ss.expired(s, now) {
		ss.endLocked(key)
		return 0, "", "", false
	}
	return min(s.lastSeen.Add(ss.idle).Sub(now), s.createdAt.Add(ss.maxAge).Sub(now)), s.user, s.role, true
}

func (ss *sessions) expired(s *session, now time.Time) bool {
	return now.Sub(s.lastSeen) > ss.idle || now.Sub(s.createdAt) > ss.maxAge
}

// endLocked removes a session and tells the streams.
func (ss *sessions) endLocked(key [32]byte) {
	delete(ss.byHash, key)
	ss.ended.fire()
}

func (ss *sessions) drop(token string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.endLocked(sha256.Sum256([]byte(token)))
}

// dropUser ends every session of a user (disabled, or role changed).
func (ss *sessions) dropUser(name string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, s := range ss.byHash {
		if s.user == name {
			ss.endLocked(k)
		}
	}
}

func (ss *sessions) sweepLocked(now time.Time) {
	for k, s := range ss.byHash {
		if ss.expired(s, now) {
			ss.endLocked(k)
		}
	}
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
	s := w.sessions.get(c.Value)
	if s == nil {
		return nil, ErrNoCredentials
	}
	u, err := w.Users.Lookup(s.user)
	if errors.Is(err, ErrNoSuchUser) || err == nil && (u.Disabled || u.Role != s.role) {
		w.sessions.dropUser(s.user)
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
	token, sess := web.sessions.create(u)
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
		if sess := web.sessions.get(c.Value); sess != nil {
			if subtle.ConstantTimeCompare([]byte(r.Header.Get(CSRFHeader)), []byte(sess.csrf)) != 1 {
				s.fail(w, r, csrfError{})
				return
			}
			web.sessions.drop(c.Value)
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
