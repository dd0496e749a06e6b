package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/sensor"
)

// AlarmService is the alarm engine as the API uses it: the alarm views and KPIs, and the
// commands of operators. The wiring joins commands.AlarmCommands, the read store's alarm views and
// the projections' KPIs.
type AlarmService interface {
	Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error)
	Alarm(ctx context.Context, id string) (readstore.AlarmView, error)
	AlarmHistory(ctx context.Context, id string) ([]readstore.AlarmHistoryEntry, error)
	AlarmKPIs(ctx context.Context, q readstore.AlarmKPIQuery) (readstore.AlarmKPIs, error)
	// WaitForAlarms blocks until the alarm views include the event at position (read your writes).
	WaitForAlarms(ctx context.Context, position uint64) error

	Acknowledge(ctx context.Context, cmd commands.AcknowledgeAlarm) (commands.AlarmResult, error)
	Comment(ctx context.Context, cmd commands.CommentAlarm) (commands.AlarmResult, error)
	Shelve(ctx context.Context, cmd commands.ShelveAlarm) (commands.AlarmResult, error)
	Unshelve(ctx context.Context, cmd commands.UnshelveAlarm) (commands.AlarmResult, error)
	Close(ctx context.Context, cmd commands.CloseAlarm) (commands.AlarmResult, error)
	RemoveFromService(ctx context.Context, cmd commands.RemoveFromService) (commands.MaintenanceResult, error)
	ReturnToService(ctx context.Context, cmd commands.ReturnToService) (commands.MaintenanceResult, error)
}

// Problem types of the alarm endpoints.
const (
	typeAlarmState     = "urn:vigie:problem:alarm-state"
	typeInvalidCommand = "urn:vigie:problem:invalid-command"
	typeNoAlarmEngine  = "urn:vigie:problem:no-alarm-engine"
)

const (
	// maxCommandBody bounds the body of an alarm command.
	maxCommandBody = 64 << 10
	// alarmsDefaultLimit and alarmsMaxLimit bound GET /alarms.
	alarmsDefaultLimit = 500
	alarmsMaxLimit     = 10_000
	// viewWait bounds how long a command's answer waits for the views to show it.
	viewWait = 5 * time.Second
)

// alarmRoutes registers the alarm endpoints under /api/v1. They are always served, so that the
// API and its document agree; without an AlarmService they answer 501.
func (s *Server) alarmRoutes(r chi.Router) {
	read := r.With(s.require(permRead), s.needAlarms)
	read.Get("/alarms", s.getAlarms)
	read.Get("/alarms/kpis", s.getAlarmKPIs)
	read.Get("/alarms/{id}", s.getAlarm)
	op := r.With(s.requireOperator, s.needAlarms)
	op.Post("/alarms/{id}/ack", s.alarmCommand(s.ack))
	op.Post("/alarms/{id}/comment", s.alarmCommand(s.comment))
	op.Post("/alarms/{id}/shelve", s.alarmCommand(s.shelve))
	op.Post("/alarms/{id}/unshelve", s.alarmCommand(s.unshelve))
	op.Post("/alarms/{id}/close", s.alarmCommand(s.closeAlarm))
	op.Post("/dams/{id}/out-of-service", s.maintenance(false, true))
	op.Post("/dams/{id}/in-service", s.maintenance(false, false))
	op.Post("/sensors/{id}/out-of-service", s.maintenance(true, true))
	op.Post("/sensors/{id}/in-service", s.maintenance(true, false))
}

func (s *Server) needAlarms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Alarms == nil {
			writeProblem(w, Problem{Type: typeNoAlarmEngine, Title: "Not Implemented", Status: http.StatusNotImplemented,
				Detail: "this server runs without the alarm engine", Instance: "urn:vigie:request:" + requestID(r.Context())})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireOperator admits operators and admins: the people who act on alarms. A viewer key reads
// them; a gateway key has nothing to do here.
func (s *Server) requireOperator(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.deps.Auth.Authenticate(r)
		switch {
		case err != nil:
			s.fail(w, r, err)
			return
		case p.Role != RoleOperator && p.Role != RoleAdmin:
			s.fail(w, r, &roleError{role: p.Role})
			return
		}
		if st, ok := r.Context().Value(requestStateKey{}).(*requestState); ok {
			st.principal, st.authed = p, true
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestStateKey{}, &requestState{principal: p, authed: true})))
	})
}

type roleError struct{ role Role }

func (e *roleError) Error() string {
	return "role " + string(e.role) + " may not act on alarms (operator or admin only)"
}

func (e *roleError) Unwrap() error { return ErrForbidden }

// alarmJSON is an alarm with its history (GET /alarms/{id}).
type alarmJSON struct {
	alarmOut
	History []readstore.AlarmHistoryEntry `json:"history"`
}

type alarmsJSON struct {
	Alarms []alarmOut `json:"alarms"`
	Count  int        `json:"count"`
}

// alarmOut is an alarm as the API writes it: the view, whose cascade names the people paged
// and codes the failures it recognises, so the console shows names and words in the reader's
// language instead of configuration ids and the dispatcher's English.
type alarmOut struct {
	readstore.AlarmView
	Cascade *cascadeOut `json:"cascade,omitempty"` // shadows AlarmView.Cascade
}

type cascadeOut struct {
	readstore.AlarmCascade
	Notifications []notificationOut `json:"notifications"` // shadows AlarmCascade.Notifications
}

type notificationOut struct {
	readstore.AlarmNotification
	// OperatorName is the operator's display name from the configuration; absent when unknown.
	OperatorName string `json:"operator_name,omitempty"`
	// ReasonCode and ReasonParams name a failure reason the server recognises (see
	// failureReason); Reason keeps the recorded English text.
	ReasonCode   string         `json:"reason_code,omitempty"`
	ReasonParams []string       `json:"reason_params,omitempty"`
	ReasonCause  *reasonCodeOut `json:"reason_cause,omitempty"`
}

type reasonCodeOut struct {
	Code   string   `json:"code"`
	Params []string `json:"params,omitempty"`
}

// alarmOutOf dresses a view for the API.
func (s *Server) alarmOutOf(v readstore.AlarmView) alarmOut {
	out := alarmOut{AlarmView: v}
	if v.Cascade == nil {
		return out
	}
	c := &cascadeOut{AlarmCascade: *v.Cascade, Notifications: make([]notificationOut, len(v.Cascade.Notifications))}
	names := s.operatorNames()
	for i, n := range v.Cascade.Notifications {
		no := notificationOut{AlarmNotification: n, OperatorName: names[n.Operator]}
		if n.Reason != "" {
			if code, params, cause, ok := failureReason(n.Reason); ok {
				no.ReasonCode, no.ReasonParams = code, params
				if cause.Code != "" {
					no.ReasonCause = &cause
				}
			}
		}
		c.Notifications[i] = no
	}
	out.Cascade = c
	return out
}

// operatorNames are the on-call people's display names by operator id (WebConfig.OperatorNames).
func (s *Server) operatorNames() map[string]string {
	if s.deps.Web == nil {
		return nil
	}
	return s.deps.Web.cfg.OperatorNames
}

// failureReasons recognise the failure reasons the notification side records (the dispatcher,
// the delivery pipeline, the voice and SMS channels). The recorded text is English and is a fact
// of the log, never rewritten; the code is read off it when the API answers, so old events get
// one too. A reason no pattern knows keeps its text alone, and the console shows it as it is.
var failureReasons = []struct {
	code string
	re   *regexp.Regexp
}{
	{"channel_not_configured", regexp.MustCompile(`^no (\S+) channel is configured \(see notifications in the configuration\)$`)},
	{"rate_limited", regexp.MustCompile(`^rate limit: the recipient's next slot \(in (.+)\) is past the deadline$`)},
	{"deadline_passed", regexp.MustCompile(`^deadline passed before the first attempt$`)},
	{"call_no_answer", regexp.MustCompile(`^no answer(?:: (.*))?$`)},
	{"call_busy", regexp.MustCompile(`^busy(?:: (.*))?$`)},
	{"call_declined", regexp.MustCompile(`^declined(?:: (.*))?$`)},
	{"invalid_number", regexp.MustCompile(`^invalid number(?:: (.*))?$`)},
	{"call_refused", regexp.MustCompile(`^refused by the PBX(?:: (.*))?$`)},
	{"pbx_unavailable", regexp.MustCompile(`^PBX unavailable(?:: (.*))?$`)},
	{"call_hung_up_early", regexp.MustCompile(`^hung up before the message was heard(?:: (.*))?$`)},
	{"call_silent", regexp.MustCompile(`^answered but silent \(voicemail suspected\)(?:: (.*))?$`)},
	{"sms_undelivered", regexp.MustCompile(`^undelivered(?: \(error (\d+)(?:: .*)?\))?$`)},
	{"sms_failed", regexp.MustCompile(`^failed(?: \(error (\d+)(?:: .*)?\))?$`)},
}

// gaveUp is the pipeline's wrapping of the last error once its attempt budget is spent.
var gaveUp = regexp.MustCompile(`^gave up after (\d+) attempt\(s\): (.*)$`)

// failureReason codes a recorded failure reason. Parameters are the values the text quotes
// (an optional detail is "" when absent). "gave up after N attempt(s): cause" is gave_up with
// N and the cause's text, and the cause's own code when it has one.
func failureReason(reason string) (code string, params []string, cause reasonCodeOut, ok bool) {
	if m := gaveUp.FindStringSubmatch(reason); m != nil {
		if c, p, _, ok := failureReason(m[2]); ok && c != "gave_up" {
			cause = reasonCodeOut{Code: c, Params: p}
		}
		return "gave_up", []string{m[1], m[2]}, cause, true
	}
	for _, f := range failureReasons {
		if m := f.re.FindStringSubmatch(reason); m != nil {
			return f.code, m[1:], reasonCodeOut{}, true
		}
	}
	return "", nil, reasonCodeOut{}, false
}

// FailureReasonCodes lists every code failureReason can give, for the test that checks the UI
// translates each one.
func FailureReasonCodes() []string {
	codes := []string{"gave_up"}
	for _, f := range failureReasons {
		codes = append(codes, f.code)
	}
	return codes
}

var (
	alarmStates = []string{string(alarm.StateUnackActive), string(alarm.StateAckActive), string(alarm.StateUnackRTN), string(alarm.StateNormal),
		string(alarm.StateShelved), string(alarm.StateSuppressed), string(alarm.StateClosed)}
	alarmSeverities = []string{string(dam.SeverityLow), string(dam.SeverityMedium), string(dam.SeverityHigh), string(dam.SeverityCritical)}
	alarmClasses    = []string{string(alarm.ClassProcess), string(alarm.ClassTechnical)}
)

func oneOf(param string, vals, allowed []string) error {
	for _, v := range vals {
		if !slices.Contains(allowed, v) {
			return &paramError{param: param, reason: fmt.Sprintf("%q is not one of %v", v, allowed)}
		}
	}
	return nil
}

func (s *Server) getAlarms(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	now := s.now().UTC()
	aq := readstore.AlarmQuery{States: splitList(q["state"]), Dams: splitList(q["dam"]), Severities: splitList(q["severity"]), Classes: splitList(q["class"])}
	err := errors.Join(oneOf("state", aq.States, alarmStates), oneOf("severity", aq.Severities, alarmSeverities), oneOf("class", aq.Classes, alarmClasses))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if aq.From, err = parseTimeParam(q, "from", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if aq.To, err = parseTimeParam(q, "to", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if aq.Limit, err = parseLimit(q, alarmsDefaultLimit, alarmsMaxLimit); err != nil {
		s.fail(w, r, err)
		return
	}
	views, err := s.deps.Alarms.Alarms(r.Context(), aq)
	if err != nil {
		s.fail(w, r, fmt.Errorf("list alarms: %w", err))
		return
	}
	out := make([]alarmOut, len(views))
	for i, v := range views {
		out[i] = s.alarmOutOf(v)
	}
	s.writeValue(w, r, alarmsJSON{Alarms: out, Count: len(out)})
}

func alarmParam(r *http.Request) (string, error) {
	raw := chi.URLParam(r, "id")
	id, err := url.PathUnescape(raw)
	if err != nil || id == "" {
		return "", &paramError{param: "id", reason: "must be an alarm id, like mejean~level:alerte~1"}
	}
	return id, nil
}

func (s *Server) getAlarm(w http.ResponseWriter, r *http.Request) {
	id, err := alarmParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.deps.Alarms.Alarm(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("get alarm: %w", err))
		return
	}
	h, err := s.deps.Alarms.AlarmHistory(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("get alarm history: %w", err))
		return
	}
	if h == nil {
		h = []readstore.AlarmHistoryEntry{}
	}
	s.writeValue(w, r, alarmJSON{alarmOut: s.alarmOutOf(v), History: h})
}

func (s *Server) getAlarmKPIs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	now := s.now().UTC()
	var kq readstore.AlarmKPIQuery
	var err error
	if kq.To, err = parseTimeParam(q, "to", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if kq.To.IsZero() {
		kq.To = now
	}
	if kq.From, err = parseTimeParam(q, "from", now); err != nil {
		s.fail(w, r, err)
		return
	}
	if kq.From.IsZero() {
		kq.From = kq.To.Add(-24 * time.Hour)
	}
	if !kq.From.Before(kq.To) {
		s.fail(w, r, &paramError{param: "from", reason: "must be before to"})
		return
	}
	kq.Dam = q.Get("dam")
	k, err := s.deps.Alarms.AlarmKPIs(r.Context(), kq)
	if err != nil {
		s.fail(w, r, fmt.Errorf("alarm KPIs: %w", err))
		return
	}
	s.writeValue(w, r, k)
}

// commandBody is the body of every alarm command; each reads the fields it needs. "comment" is
// accepted for the text of /comment, as the alarm console sends it.
type commandBody struct {
	Comment string    `json:"comment"`
	Text    string    `json:"text"`
	Reason  string    `json:"reason"`
	Until   time.Time `json:"until"`
	Via     string    `json:"via"`
}

// badBody is a command body that is not the JSON expected (400).
type badBody struct{ err error }

func (e *badBody) Error() string {
	return "the body must be a JSON object of the command's fields: " + e.err.Error()
}
func (e *badBody) Unwrap() error { return e.err }

func readCommandBody(w http.ResponseWriter, r *http.Request) (commandBody, error) {
	var b commandBody
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCommandBody))
	if err != nil {
		return b, err
	}
	if len(raw) == 0 {
		return b, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return b, &badBody{err: err}
	}
	return b, nil
}

// command runs one alarm command for an operator.
type command func(ctx context.Context, id alarm.ID, by alarm.OperatorID, correlation string, b commandBody) (commands.AlarmResult, error)

func (s *Server) alarmCommand(run command) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := alarmParam(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		body, err := readCommandBody(w, r)
		if err != nil {
			s.failAlarm(w, r, err)
			return
		}
		p, _ := PrincipalFrom(r.Context())
		res, err := run(r.Context(), alarm.ID(id), alarm.OperatorID(p.Actor), requestID(r.Context()), body)
		if err != nil {
			s.failAlarm(w, r, err)
			return
		}
		s.waitForAlarms(r, res.Position)
		v, err := s.deps.Alarms.Alarm(r.Context(), id)
		if err != nil && !errors.Is(err, readstore.ErrNotFound) {
			s.fail(w, r, fmt.Errorf("read alarm %s back: %w", id, err))
			return
		}
		s.writeValue(w, r, commandJSON{Alarm: s.alarmOutOf(v), Position: res.Position, Recorded: res.Recorded})
	}
}

type commandJSON struct {
	Alarm    alarmOut `json:"alarm"`
	Position uint64   `json:"position"`
	// Recorded is the number of events recorded: 0 when the command changed nothing (an alarm
	// already acknowledged).
	Recorded int `json:"recorded"`
}

// waitForAlarms lets the answer show what the command did; a timeout only costs freshness.
func (s *Server) waitForAlarms(r *http.Request, position uint64) {
	if position == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), viewWait)
	defer cancel()
	if err := s.deps.Alarms.WaitForAlarms(ctx, position); err != nil {
		s.log.Warn("alarm views late: answering with what they hold", "request_id", requestID(r.Context()), "position", position, "err", err)
	}
}

func via(b commandBody) alarm.Channel {
	if b.Via == "" {
		return alarm.ViaAPI
	}
	return alarm.Channel(b.Via)
}

func (s *Server) ack(ctx context.Context, id alarm.ID, by alarm.OperatorID, corr string, b commandBody) (commands.AlarmResult, error) {
	return s.deps.Alarms.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: id, By: by, Via: via(b), Comment: b.Comment, CorrelationID: corr})
}

func (s *Server) comment(ctx context.Context, id alarm.ID, by alarm.OperatorID, corr string, b commandBody) (commands.AlarmResult, error) {
	text := b.Text
	if text == "" {
		text = b.Comment
	}
	return s.deps.Alarms.Comment(ctx, commands.CommentAlarm{AlarmID: id, By: by, Text: text, CorrelationID: corr})
}

func (s *Server) shelve(ctx context.Context, id alarm.ID, by alarm.OperatorID, corr string, b commandBody) (commands.AlarmResult, error) {
	return s.deps.Alarms.Shelve(ctx, commands.ShelveAlarm{AlarmID: id, By: by, Reason: b.Reason, Until: b.Until, CorrelationID: corr})
}

func (s *Server) unshelve(ctx context.Context, id alarm.ID, by alarm.OperatorID, corr string, _ commandBody) (commands.AlarmResult, error) {
	return s.deps.Alarms.Unshelve(ctx, commands.UnshelveAlarm{AlarmID: id, By: by, CorrelationID: corr})
}

func (s *Server) closeAlarm(ctx context.Context, id alarm.ID, by alarm.OperatorID, corr string, b commandBody) (commands.AlarmResult, error) {
	return s.deps.Alarms.Close(ctx, commands.CloseAlarm{AlarmID: id, By: by, Reason: b.Reason, CorrelationID: corr})
}

type maintenanceJSON struct {
	Dam       string `json:"dam"`
	Sensor    string `json:"sensor,omitempty"`
	InService bool   `json:"in_service"`
	// Alarms are the alarms the command suppressed or returned to service.
	Alarms   []string `json:"alarms"`
	Position uint64   `json:"position"`
}

// maintenance takes a dam or a sensor out of service (out) or returns it.
func (s *Server) maintenance(isSensor, out bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, err := url.PathUnescape(chi.URLParam(r, "id"))
		if err != nil || raw == "" {
			s.fail(w, r, &paramError{param: "id", reason: "must be a dam or sensor id"})
			return
		}
		body, err := readCommandBody(w, r)
		if err != nil {
			s.failAlarm(w, r, err)
			return
		}
		p, _ := PrincipalFrom(r.Context())
		by, corr := alarm.OperatorID(p.Actor), requestID(r.Context())
		var d dam.ID
		var sn sensor.ID
		if isSensor {
			sn = sensor.ID(raw)
		} else {
			d = dam.ID(raw)
		}
		var res commands.MaintenanceResult
		if out {
			res, err = s.deps.Alarms.RemoveFromService(r.Context(), commands.RemoveFromService{Dam: d, Sensor: sn, By: by, Reason: body.Reason, CorrelationID: corr})
		} else {
			res, err = s.deps.Alarms.ReturnToService(r.Context(), commands.ReturnToService{Dam: d, Sensor: sn, By: by, CorrelationID: corr})
		}
		if err != nil {
			s.failAlarm(w, r, err)
			return
		}
		s.waitForAlarms(r, res.Position)
		ids := make([]string, len(res.Alarms))
		for i, id := range res.Alarms {
			ids[i] = string(id)
		}
		s.writeValue(w, r, maintenanceJSON{Dam: string(res.Dam), Sensor: string(sn), InService: !out, Alarms: ids, Position: res.Position})
	}
}

// stateHints explains the refusals of an alarm in a state that does not allow the command (409).
var stateHints = []struct {
	err  error
	hint string
}{
	{alarm.ErrShelved, "the alarm is shelved: unshelve it first"},
	{alarm.ErrOutOfService, "the alarm is out of service (maintenance): return it to service first"},
	{alarm.ErrAlreadyClosed, "the alarm is closed: it only takes comments"},
	{alarm.ErrStillActive, "the alarm's condition is still active: close it once back to normal, or take its sensor out of service first"},
	{alarm.ErrNotActive, "the alarm is over (back to normal and acknowledged): there is nothing to shelve"},
}

var invalidCommand = []error{
	alarm.ErrReasonRequired, alarm.ErrCommentRequired, alarm.ErrOperatorRequired, alarm.ErrShelveExpiryInPast,
	alarm.ErrShelveTooLong, alarm.ErrInvalidChannel, alarm.ErrInvalidLevel,
}

// failAlarm answers an alarm command's failure: the domain's refusals first, then the general
// table (classify).
func (s *Server) failAlarm(w http.ResponseWriter, r *http.Request, err error) {
	p, ok := classifyAlarm(err)
	if !ok {
		s.fail(w, r, err)
		return
	}
	p.Instance = "urn:vigie:request:" + requestID(r.Context())
	writeProblem(w, p)
}

func classifyAlarm(err error) (Problem, bool) {
	var bad *badBody
	switch {
	case errors.As(err, &bad):
		return Problem{Type: typeMalformedBody, Title: "Malformed body", Status: http.StatusBadRequest, Detail: bad.Error()}, true
	case errors.Is(err, alarm.ErrNotRaised):
		return Problem{Type: typeBlank, Title: "Not Found", Status: http.StatusNotFound, Detail: "no such alarm: " + err.Error()}, true
	case errors.Is(err, commands.ErrUnknownScope):
		return Problem{Type: typeBlank, Title: "Not Found", Status: http.StatusNotFound, Detail: err.Error()}, true
	}
	for _, h := range stateHints {
		if errors.Is(err, h.err) {
			return Problem{Type: typeAlarmState, Title: "Not possible in the alarm's state", Status: http.StatusConflict, Detail: h.hint + " (" + err.Error() + ")"}, true
		}
	}
	for _, e := range invalidCommand {
		if errors.Is(err, e) {
			return Problem{Type: typeInvalidCommand, Title: "Invalid command", Status: http.StatusUnprocessableEntity, Detail: err.Error()}, true
		}
	}
	return Problem{}, false
}
