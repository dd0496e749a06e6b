package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// ReplayRequest asks for a what-if replay of a recorded period (docs/replay.md).
type ReplayRequest struct {
	// From and To bound the sensor time of the readings replayed; both set.
	From, To time.Time
	// YAML is the configuration to replay with; empty: the one the log recorded in force at From.
	YAML []byte
	// Cascade is "auto" (on when the log has cascade events), "on" or "off".
	Cascade string
	// Actor is who asked, for the server log (a replay records nothing in the real log).
	Actor string
}

// ReplayResult is the side-by-side comparison of what the log recorded and what the replay did.
type ReplayResult struct {
	// Config says which configuration was replayed: "api:<actor>" or "recorded:<source>".
	Config   string      `json:"config"`
	From     time.Time   `json:"from"`
	To       time.Time   `json:"to"`
	Readings int         `json:"readings"`
	Cascade  bool        `json:"cascade"`
	Alarms   []ReplayRow `json:"alarms"`
	// Same is true when the replay made exactly the recorded alarm and cascade decisions.
	Same bool `json:"same_decisions"`
	// DifferingStreams counts the streams whose decisions differ; Differences describes the
	// first few of them.
	DifferingStreams int      `json:"differing_streams"`
	Differences      []string `json:"differences"`
	// Skipped lists the recorded operator actions that had nothing to apply to in the replay.
	Skipped []string `json:"skipped"`
	// DurationMS is how long the replay took.
	DurationMS int64 `json:"duration_ms"`
}

// ReplayRow is one alarm on both sides; Recorded or Replayed is absent when it exists on one
// side only.
type ReplayRow struct {
	ID       string       `json:"id"`
	Recorded *ReplayAlarm `json:"recorded,omitempty"`
	Replayed *ReplayAlarm `json:"replayed,omitempty"`
	// ShiftSeconds is how much later (negative: earlier) the replay raised the alarm; absent
	// when the alarm is on one side only.
	ShiftSeconds *float64 `json:"shift_s,omitempty"`
}

// ReplayAlarm is an alarm as one side tells it.
type ReplayAlarm struct {
	Dam            string       `json:"dam"`
	Condition      string       `json:"condition"`
	Severity       string       `json:"severity"`
	Raised         time.Time    `json:"raised"`
	Value          float64      `json:"value"`
	Limit          float64      `json:"limit"`
	Unit           string       `json:"unit,omitempty"`
	Late           bool         `json:"late,omitempty"`
	Normal         *time.Time   `json:"returned_to_normal,omitempty"`
	Acknowledged   *time.Time   `json:"acknowledged,omitempty"`
	AcknowledgedBy string       `json:"acknowledged_by,omitempty"`
	Calls          []ReplayCall `json:"calls"`
}

// ReplayCall is one notification the cascade requested: who would have been paged, how, when.
type ReplayCall struct {
	At       time.Time `json:"at"`
	Step     int       `json:"step"`
	Operator string    `json:"operator"`
	// OperatorName is the operator's display name in the configuration replayed (else the
	// site's); absent when unknown.
	OperatorName string `json:"operator_name,omitempty"`
	Channel      string `json:"channel"`
}

// Replays runs what-if replays in a scratch store: the real log is only read, nothing is sent
// (cmd/vigie implements it over commands/replay). Replay returns *ReplayConfigError when the
// YAML has problems and wraps ErrInvalidReplay when the replay cannot be made as asked.
type Replays interface {
	Replay(ctx context.Context, q ReplayRequest) (ReplayResult, error)
}

// ErrInvalidReplay is wrapped by the errors of a replay that cannot be made as asked (no
// configuration recorded to replay with, say): the client's to fix, answered 422.
var ErrInvalidReplay = errors.New("invalid replay request")

// ReplayConfigError: the configuration given has problems, located in its text (422).
type ReplayConfigError struct {
	Problems []ConfigProblem
}

func (e *ReplayConfigError) Error() string {
	return fmt.Sprintf("the configuration has %d problem(s)", len(e.Problems))
}

const (
	typeNoReplays       = "urn:vigie:problem:no-replays"
	typeReplayBusy      = "urn:vigie:problem:replay-busy"
	typeReplayTimeout   = "urn:vigie:problem:replay-timeout"
	typeInvalidConfig   = "urn:vigie:problem:invalid-config"
	typeInvalidReplay   = "urn:vigie:problem:invalid-replay"
	defaultReplayPeriod = 31 * 24 * time.Hour
	defaultReplayTime   = 5 * time.Minute
	// maxReplayDifferences bounds the differences described in the answer.
	maxReplayDifferences = 10
)

// ReplayLimits guard the server against replays: one at a time (the others get 429), over a
// bounded period, within a time limit.
type ReplayLimits struct {
	// MaxPeriod bounds to - from (default 31 days).
	MaxPeriod time.Duration
	// Timeout bounds one replay (default 5 minutes): beyond, it is abandoned and answered 503.
	Timeout time.Duration
}

func (l ReplayLimits) withDefaults() ReplayLimits {
	if l.MaxPeriod <= 0 {
		l.MaxPeriod = defaultReplayPeriod
	}
	if l.Timeout <= 0 {
		l.Timeout = defaultReplayTime
	}
	return l
}

// replayBody is the body of POST /api/v1/replay.
type replayBody struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Config  string `json:"config"`
	Cascade string `json:"cascade"`
}

// replayRoutes serves POST /api/v1/replay to auditors and administrators. The slot is the one
// replay that may run at a time: a replay reads the whole log and keeps a core busy.
func (s *Server) replayRoutes(r chi.Router) {
	slot := make(chan struct{}, 1)
	r.With(s.require(permRead)).Post("/replay", func(w http.ResponseWriter, r *http.Request) { s.postReplay(w, r, slot) })
}

func (s *Server) postReplay(w http.ResponseWriter, r *http.Request, slot chan struct{}) {
	if s.deps.Replays == nil {
		writeProblem(w, Problem{Type: typeNoReplays, Title: "Not Implemented", Status: http.StatusNotImplemented,
			Detail: "this server makes no replays", Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	c := s.callerOf(r)
	if c.anonymous || c.embedDashboard != "" || (c.role != UserAdmin && c.role != UserAuditor) {
		s.fail(w, r, fmt.Errorf("only an auditor or an administrator may replay: %w", ErrForbidden))
		return
	}
	limits := s.cfg.Replay.withDefaults()
	q, err := s.readReplayBody(w, r, limits)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.Actor = c.actor
	select {
	case slot <- struct{}{}:
		defer func() { <-slot }()
	default:
		w.Header().Set("Retry-After", "30")
		writeProblem(w, Problem{Type: typeReplayBusy, Title: "Too Many Requests", Status: http.StatusTooManyRequests,
			Detail: "a replay is already running; one runs at a time, retry when it is done", Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), limits.Timeout)
	defer cancel()
	start := time.Now()
	res, err := s.deps.Replays.Replay(ctx, q)
	elapsed := time.Since(start)
	var cfgErr *ReplayConfigError
	switch {
	case errors.As(err, &cfgErr):
		p := Problem{Type: typeInvalidConfig, Title: "Invalid configuration", Status: http.StatusUnprocessableEntity,
			Detail: fmt.Sprintf("%s; nothing was replayed", cfgErr.Error()), Instance: "urn:vigie:request:" + requestID(r.Context())}
		for _, cp := range cfgErr.Problems {
			p.Errors = append(p.Errors, Violation{Line: cp.Line, Column: cp.Column, Field: cp.Path, Code: cp.Code, Params: cp.Params, Detail: cp.Message})
		}
		writeProblem(w, p)
		return
	case errors.Is(err, ErrInvalidReplay):
		writeProblem(w, Problem{Type: typeInvalidReplay, Title: "Replay not possible", Status: http.StatusUnprocessableEntity,
			Detail: err.Error(), Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	case err != nil && ctx.Err() == context.DeadlineExceeded && r.Context().Err() == nil:
		s.log.Warn("replay timed out", "actor", q.Actor, "from", q.From, "to", q.To, "timeout", limits.Timeout, "request_id", requestID(r.Context()))
		writeProblem(w, Problem{Type: typeReplayTimeout, Title: "Replay timed out", Status: http.StatusServiceUnavailable,
			Detail:   fmt.Sprintf("the replay did not finish within %s and was abandoned; replay a shorter period", limits.Timeout),
			Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	case err != nil:
		s.fail(w, r, fmt.Errorf("replay %s..%s: %w", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339), err))
		return
	}
	res.DurationMS = elapsed.Milliseconds()
	s.log.Info("replay done", "actor", q.Actor, "from", q.From, "to", q.To, "config", res.Config, "alarms", len(res.Alarms),
		"same", res.Same, "duration", elapsed, "request_id", requestID(r.Context()))
	s.writeValue(w, r, normaliseReplay(res))
}

// readReplayBody reads and checks the request: the period defaults to the last 24 hours.
func (s *Server) readReplayBody(w http.ResponseWriter, r *http.Request, limits ReplayLimits) (ReplayRequest, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return ReplayRequest{}, &paramError{param: "Content-Type", reason: "send application/json"}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxConfigBody))
	if err != nil {
		return ReplayRequest{}, err
	}
	var b replayBody
	if len(strings.TrimSpace(string(raw))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			return ReplayRequest{}, &SyntaxError{Index: -1, Reason: "the body is not a replay request: " + err.Error()}
		}
	}
	now := s.now().UTC()
	q := ReplayRequest{YAML: []byte(b.Config), Cascade: b.Cascade}
	if q.Cascade == "" {
		q.Cascade = "auto"
	}
	if q.Cascade != "auto" && q.Cascade != "on" && q.Cascade != "off" {
		return q, &paramError{param: "cascade", reason: fmt.Sprintf("%q: want auto, on or off", b.Cascade)}
	}
	if q.From, err = parseTimeParam(url.Values{"from": {b.From}}, "from", now); err != nil {
		return q, err
	}
	if q.To, err = parseTimeParam(url.Values{"to": {b.To}}, "to", now); err != nil {
		return q, err
	}
	switch {
	case q.To.IsZero() && q.From.IsZero():
		q.To, q.From = now, now.Add(-24*time.Hour)
	case q.To.IsZero():
		q.To = q.From.Add(24 * time.Hour)
		if q.To.After(now) && now.After(q.From) {
			q.To = now
		}
	case q.From.IsZero():
		q.From = q.To.Add(-24 * time.Hour)
	}
	q.From, q.To = q.From.UTC(), q.To.UTC()
	if !q.To.After(q.From) {
		return q, &paramError{param: "to", reason: "must be after from"}
	}
	if q.To.Sub(q.From) > limits.MaxPeriod {
		return q, &paramError{param: "to", reason: fmt.Sprintf("the period lasts %s; a replay covers at most %s (%d days)",
			q.To.Sub(q.From).Round(time.Minute), limits.MaxPeriod, int(limits.MaxPeriod.Hours()/24))}
	}
	return q, nil
}

func normaliseReplay(r ReplayResult) ReplayResult {
	if r.Alarms == nil {
		r.Alarms = []ReplayRow{}
	}
	for i := range r.Alarms {
		for _, a := range []*ReplayAlarm{r.Alarms[i].Recorded, r.Alarms[i].Replayed} {
			if a != nil && a.Calls == nil {
				a.Calls = []ReplayCall{}
			}
		}
	}
	if r.DifferingStreams < len(r.Differences) {
		r.DifferingStreams = len(r.Differences)
	}
	if len(r.Differences) > maxReplayDifferences {
		r.Differences = r.Differences[:maxReplayDifferences]
	}
	if r.Differences == nil {
		r.Differences = []string{}
	}
	if r.Skipped == nil {
		r.Skipped = []string{}
	}
	r.Same = r.DifferingStreams == 0
	return r
}
