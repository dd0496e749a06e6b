package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/vigie/vigie/domain/sensor"
)

// ErrNoCredentials is returned by an Authenticator when the request carries none of the
// credentials it understands: the next one may try, and PublicRead may admit the request.
var ErrNoCredentials = errors.New("no credentials")

// ErrUnauthenticated is for credentials that are wrong, expired or revoked (401). An error may
// also say so by behaviour, with a method Unauthenticated() bool, as apikey.ErrInvalidKey does:
// this adapter does not import the key store.
var ErrUnauthenticated = errors.New("unauthenticated")

// ErrForbidden is for an authenticated principal whose role does not allow the request (403).
var ErrForbidden = errors.New("forbidden")

// Role is what a principal may do. The names are those of API keys.
type Role string

const (
	RoleGateway  Role = "gateway"
	RoleViewer   Role = "viewer"
	RoleOperator Role = "operator"
	RoleAdmin    Role = "admin"
)

// permission is an action a route needs.
type permission int

const (
	permIngest permission = iota + 1
	permRead
)

func (p permission) String() string {
	if p == permIngest {
		return "ingest readings"
	}
	return "consult"
}

// can is the permission table. Roles are not one ladder: a gateway only writes, a viewer only
// reads (a leaked dashboard key must not be able to inject water levels); operators and admins
// do both.
func (r Role) can(p permission) bool {
	switch p {
	case permIngest:
		return r == RoleGateway || r == RoleOperator || r == RoleAdmin
	case permRead:
		return r == RoleViewer || r == RoleOperator || r == RoleAdmin
	}
	return false
}

// Principal is who makes a request.
type Principal struct {
	// Actor is recorded as the author of what the request causes: "apikey:gw-nord", "user:durand".
	Actor string
	Role  Role
	// Allowed is the sensor scope for writes; nil allows every sensor.
	Allowed func(sensor.ID) bool
}

// Authenticator finds who makes a request. It returns ErrNoCredentials when the request carries
// none it understands, an error that is (or says it is) ErrUnauthenticated when they are wrong;
// any other error is a failure of the authenticator itself (500).
//
// Bearer API keys are one Authenticator; the UI's cookie sessions will be another, combined with
// FirstOf.
type Authenticator interface {
	Authenticate(r *http.Request) (Principal, error)
}

// AuthenticatorFunc adapts a function.
type AuthenticatorFunc func(r *http.Request) (Principal, error)

func (f AuthenticatorFunc) Authenticate(r *http.Request) (Principal, error) { return f(r) }

// BearerKeys reads "Authorization: Bearer <key>" and asks lookup who the key belongs to. The
// wiring adapts the key store, for instance:
//
//	httpapi.BearerKeys(func(token string) (httpapi.Principal, error) {
//		k, err := keys.Authenticate(token)
//		if err != nil {
//			return httpapi.Principal{}, err
//		}
//		return httpapi.Principal{Actor: k.Actor(), Role: httpapi.Role(k.Role), Allowed: k.Allows}, nil
//	})
func BearerKeys(lookup func(token string) (Principal, error)) Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (Principal, error) {
		h := r.Header.Get("Authorization")
		if h == "" {
			return Principal{}, ErrNoCredentials
		}
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return Principal{}, ErrNoCredentials
		}
		token = strings.TrimSpace(token)
		if token == "" {
			return Principal{}, ErrUnauthenticated
		}
		return lookup(token)
	})
}

// FirstOf asks each authenticator in turn until one finds credentials in the request.
func FirstOf(as ...Authenticator) Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (Principal, error) {
		for _, a := range as {
			p, err := a.Authenticate(r)
			if !errors.Is(err, ErrNoCredentials) {
				return p, err
			}
		}
		return Principal{}, ErrNoCredentials
	})
}

// isUnauthenticated recognises a 401 by sentinel or by behaviour.
func isUnauthenticated(err error) bool {
	if errors.Is(err, ErrUnauthenticated) || errors.Is(err, ErrNoCredentials) {
		return true
	}
	var u interface{ Unauthenticated() bool }
	return errors.As(err, &u) && u.Unauthenticated()
}

// PrincipalFrom returns the principal the request was authenticated as.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	st := stateOf(ctx)
	return st.principal, st.authed
}

// require authenticates the request and checks its role has the permission. Consultation admits
// anonymous requests when PublicRead is set; wrong credentials are refused even then, so a
// misconfigured client learns of it.
func (s *Server) require(perm permission) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, err := s.deps.Auth.Authenticate(r)
			switch {
			case errors.Is(err, ErrNoCredentials) && perm == permRead && s.cfg.PublicRead:
				p = Principal{Actor: "anonymous", Role: RoleViewer}
			case err != nil:
				if perm == permIngest && isUnauthenticated(err) {
					s.refused(r, "", http.StatusUnauthorized, nil, err.Error())
				}
				s.fail(w, r, err)
				return
			case !p.Role.can(perm):
				if perm == permIngest {
					s.refused(r, p.Actor, http.StatusForbidden, nil, "role "+string(p.Role)+" may not ingest")
				}
				s.fail(w, r, &forbiddenError{role: p.Role, perm: perm})
				return
			}
			if st, ok := r.Context().Value(requestStateKey{}).(*requestState); ok {
				st.principal, st.authed = p, true
				next.ServeHTTP(w, r)
				return
			}
			// Outside the router's middleware (a handler mounted elsewhere): a state of its own.
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestStateKey{}, &requestState{principal: p, authed: true})))
		})
	}
}

type forbiddenError struct {
	role Role
	perm permission
}

func (e *forbiddenError) Error() string {
	return "role " + string(e.role) + " may not " + e.perm.String()
}

func (e *forbiddenError) Unwrap() error { return ErrForbidden }
