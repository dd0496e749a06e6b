package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
)

// Problem is an RFC 9457 problem details body (application/problem+json).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Instance names the request ("urn:vigie:request:<id>", also in X-Request-ID): the key to
	// the server log, where the cause of a 500 is, and never in the body.
	Instance string      `json:"instance,omitempty"`
	Errors   []Violation `json:"errors,omitempty"`
}

// Violation is one located mistake in a request.
type Violation struct {
	// Index is the reading's place in the body, from 0.
	Index *int `json:"index,omitempty"`
	// Line and Column locate it in the body, from 1.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Field is the reading's field ("sensor", "time", "value"); Parameter a query parameter.
	Field     string `json:"field,omitempty"`
	Parameter string `json:"parameter,omitempty"`
	Sensor    string `json:"sensor,omitempty"`
	// Code and Params name the mistake for a client that words it in the user's language
	// (a configuration problem's code, e.g. "not_a_number"); Detail is its English.
	Code   string   `json:"code,omitempty"`
	Params []string `json:"params,omitempty"`
	Detail string   `json:"detail"`
}

// Problem types: stable identifiers clients can switch on, documented in docs/openapi.yaml.
const (
	typeBlank            = "about:blank"
	typeMalformedBody    = "urn:vigie:problem:malformed-body"
	typeInvalidReadings  = "urn:vigie:problem:invalid-readings"
	typeForbiddenSensors = "urn:vigie:problem:forbidden-sensors"
	typeTooLarge         = "urn:vigie:problem:too-large"
	typeInvalidParameter = "urn:vigie:problem:invalid-parameter"
	typeUnsupportedMedia = "urn:vigie:problem:unsupported-media-type"
	typeNotReady         = "urn:vigie:problem:not-ready"
)

// paramError is a query parameter or header that cannot be used (400).
type paramError struct {
	param  string
	reason string
}

func (e *paramError) Error() string { return fmt.Sprintf("parameter %s: %s", e.param, e.reason) }

// mediaTypeError is a body in a format this endpoint does not read (415).
type mediaTypeError struct{ got string }

func (e *mediaTypeError) Error() string {
	return fmt.Sprintf("content type %q is not accepted; send application/json or text/csv", e.got)
}

// notFound builds a 404 with a useful detail.
func notFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), readstore.ErrNotFound)
}

func index(i int) *int {
	if i < 0 {
		return nil
	}
	return &i
}

// classify is the one table from errors to HTTP statuses. Details of 4xx come from errors this
// package or the domain wrote for the client; a 5xx says nothing of its cause, which is logged.
func classify(err error) Problem {
	var (
		syntax    *SyntaxError
		items     *ItemsError
		invalid   *commands.InvalidReadingsError
		tooMany   *TooManyError
		maxBytes  *http.MaxBytesError
		param     *paramError
		mediaType *mediaTypeError
	)
	switch {
	case errors.As(err, &syntax):
		return Problem{Type: typeMalformedBody, Title: "Malformed body", Status: http.StatusBadRequest, Detail: syntax.Error(),
			Errors: []Violation{{Index: index(syntax.Index), Line: syntax.Line, Column: syntax.Column, Detail: syntax.Reason}}}
	case errors.As(err, &items):
		p := Problem{Type: typeInvalidReadings, Title: "Invalid readings", Status: http.StatusUnprocessableEntity,
			Detail: fmt.Sprintf("%d problem(s) in the readings; nothing was stored", len(items.Problems))}
		p.Errors = make([]Violation, len(items.Problems))
		for i, ip := range items.Problems {
			p.Errors[i] = Violation{Index: index(ip.Index), Line: ip.Line, Field: ip.Field, Sensor: ip.Sensor, Detail: ip.Reason}
		}
		return p
	case errors.As(err, &invalid):
		p := Problem{Type: typeInvalidReadings, Title: "Invalid readings", Status: http.StatusUnprocessableEntity,
			Detail: fmt.Sprintf("%d problem(s) in the readings; nothing was stored", len(invalid.Problems))}
		if invalid.Forbidden {
			p.Type, p.Title, p.Status = typeForbiddenSensors, "Sensors outside the key's scope", http.StatusForbidden
		}
		p.Errors = make([]Violation, len(invalid.Problems))
		for i, ip := range invalid.Problems {
			p.Errors[i] = Violation{Index: index(ip.Index), Sensor: string(ip.Sensor), Detail: ip.Reason}
		}
		return p
	case errors.As(err, &tooMany):
		return Problem{Type: typeTooLarge, Title: "Too many readings", Status: http.StatusRequestEntityTooLarge, Detail: tooMany.Error()}
	case errors.As(err, &maxBytes):
		return Problem{Type: typeTooLarge, Title: "Body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the body exceeds %d bytes; split the batch", maxBytes.Limit)}
	case errors.As(err, &param):
		return Problem{Type: typeInvalidParameter, Title: "Invalid parameter", Status: http.StatusBadRequest, Detail: param.Error(),
			Errors: []Violation{{Parameter: param.param, Detail: param.reason}}}
	case errors.As(err, &mediaType):
		return Problem{Type: typeUnsupportedMedia, Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType, Detail: mediaType.Error()}
	case errors.Is(err, readstore.ErrNotFound):
		return Problem{Type: typeBlank, Title: "Not Found", Status: http.StatusNotFound, Detail: err.Error()}
	case isUnauthenticated(err):
		return Problem{Type: typeBlank, Title: "Unauthorized", Status: http.StatusUnauthorized,
			Detail: "send a valid API key: Authorization: Bearer vg_..."}
	case errors.Is(err, ErrForbidden):
		return Problem{Type: typeBlank, Title: "Forbidden", Status: http.StatusForbidden, Detail: err.Error()}
	case errors.Is(err, eventstore.ErrConflict):
		return Problem{Type: typeBlank, Title: "Conflict", Status: http.StatusConflict, Detail: "a concurrent change won; retry"}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return Problem{Type: typeBlank, Title: "Service Unavailable", Status: http.StatusServiceUnavailable, Detail: "the request was cancelled or timed out; retry"}
	}
	return Problem{Type: typeBlank, Title: "Internal Server Error", Status: http.StatusInternalServerError,
		Detail: "the server failed; the cause is logged under this request's id"}
}

// fail answers a request with the problem err maps to.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := classify(err)
	id := requestID(r.Context())
	p.Instance = "urn:vigie:request:" + id
	switch {
	case p.Status >= 500 && !errors.Is(err, context.Canceled):
		s.log.Error("request failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", p.Status, "err", err)
	case p.Status >= 500:
		s.log.Debug("request cancelled", "request_id", id, "method", r.Method, "path", r.URL.Path, "err", err)
	case p.Status == http.StatusUnauthorized:
		challenge := `Bearer realm="vigie"`
		if !errors.Is(err, ErrNoCredentials) {
			challenge += `, error="invalid_token"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
	}
	if p.Status == http.StatusRequestEntityTooLarge {
		// The rest of an oversized body is not read: do not keep the connection for it.
		w.Header().Set("Connection", "close")
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p Problem) {
	b, err := json.Marshal(p)
	if err != nil {
		// A Problem holds only strings and ints: this cannot happen.
		b = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(b)
}
