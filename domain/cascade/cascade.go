// Package cascade is the notification cascade of an alarm: the on-call rotations, the escalation
// policies and their resolution to people and addresses, and the saga that pages operators step
// after step until someone acknowledges (stream "cascade-<alarm id>"), with the messages it sends
// and the replies it understands. It is pure: no I/O, time is a parameter, time zones come in as
// *time.Location. docs/cascade.md tells the whole story.
//
// The saga keeps its memory in the log. Its timers are events (StepScheduled) that a durable
// scheduler turns into Escalate inputs once due, and every decision is idempotent: after a crash
// it sees its inputs again and records nothing new.
package cascade

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// Category is the stream category: stream "cascade-<alarm id>". The cascade id is the alarm id,
// so a cascade is started at most once per alarm event, whoever delivers it and how often.
const Category = "cascade"

// Actor is who acts when the saga sends a command ("system:cascade").
const Actor alarm.OperatorID = "system:cascade"

// Sentinels for inputs the cascade cannot take; a failed decision records nothing.
var (
	// ErrWrongCascade: the input is about another alarm (the caller loaded the wrong stream).
	ErrWrongCascade = errors.New("input is about another alarm")
	// ErrUnknownNotification: an outcome for a notification this cascade never requested.
	ErrUnknownNotification = errors.New("unknown notification")
	// ErrInvalidInput: an input of no known type, or an outcome of no known status.
	ErrInvalidInput = errors.New("invalid cascade input")
)

// Setup is what the saga needs from the configuration in force: the policies, the people, and
// the grace given to late alarms. The lead's wiring converts the configuration into it.
type Setup struct {
	Policies  []Policy
	Directory Directory
	// LateGrace delays the first step of a cascade started by a late alarm (a gateway flushing its
	// buffer): if the alarm returns to normal meanwhile, nobody is woken for an episode that is
	// already over (docs/alarms.md §6). 0: no grace.
	LateGrace time.Duration
}

// PolicyFor returns the first policy that applies to an alarm of severity s on dam d (the
// configuration allows at most one). A policy without steps calls nobody and is skipped.
func (s Setup) PolicyFor(d dam.ID, sev dam.Severity) (Policy, bool) {
	for _, p := range s.Policies {
		if len(p.Steps) > 0 && p.AppliesTo(d, sev) {
			return p, true
		}
	}
	return Policy{}, false
}

// Input is what the saga reacts to: AlarmChanged, Escalate or Outcome.
type Input interface{ isInput() }

// AlarmChanged is an event of the alarm's stream, delivered in stream order, with the alarm's
// status right after it (the process manager folds the alarm stream up to Revision) and the facts
// to tell operators should it start a cascade.
type AlarmChanged struct {
	// Revision of Event in the alarm stream: an event at or below the last revision the cascade
	// decided on is a redelivery, ignored.
	Revision uint64
	Event    event.Event
	Status   alarm.Status
	Facts    Facts
}

// Escalate is a timer that came due: the scheduler sends it for the pending StepScheduled of a
// cascade (StepScheduled.Wake). It does nothing unless Stage is the cascade's pending stage and
// its time has come, so a duplicate, a late or an early timer, or one for a stopped cascade, is
// harmless.
type Escalate struct {
	AlarmID alarm.ID
	Stage
	// Facts, when set, are fresher facts for the messages of a step that starts now.
	Facts *Facts
}

// OutcomeStatus is what the notification pipeline learnt about a notification.
type OutcomeStatus string

const (
	OutcomeSent      OutcomeStatus = "sent"
	OutcomeDelivered OutcomeStatus = "delivered"
	OutcomeFailed    OutcomeStatus = "failed"
)

// Outcome is what happened to a requested notification: the pipeline reports it, the cascade
// records it (its stream is the notification log) and falls back to the recipient's next channel
// on a failure that is not retryable.
type Outcome struct {
	NotificationID string
	Status         OutcomeStatus
	ProviderRef    string // sent: the provider's message or call id
	Reason         string // failed: why, without secrets
	Retryable      bool   // failed: temporary (the pipeline keeps trying) or for good
}

func (AlarmChanged) isInput() {}
func (Escalate) isInput()     {}
func (Outcome) isInput()      {}

// NotificationID is the idempotency key of the notification of one operator on one channel at
// one stage: "<alarm id>/<run>/<step>/<repeat>/<operator>/<channel>". Re-deciding anything gives
// the same ID, so the pipeline's dedup sees a replayed request as the one it already sent.
func NotificationID(id alarm.ID, s Stage, op alarm.OperatorID, ch Channel) string {
	return fmt.Sprintf("%s/%d/%d/%d/%s/%s", id, s.Run, s.Step, s.Repeat, op, ch)
}

// Cascade is the saga of one alarm. Decide reacts to an input by recording events, or returns
// an error and records nothing.
type Cascade struct {
	id alarm.ID
	// revision is the stream revision of the last event folded, -1 for a new stream.
	revision int64
	// alarmRevision is the last alarm event decided on, -1 before any.
	alarmRevision int64

	run     int
	running bool
	reason  StopReason
	policy  Policy
	started time.Time // when the run started: the instant rotations are read at
	facts   Facts
	step    *stepRun
	pending *StepScheduled
	notes   map[string]*note

	changes []event.Event
}

// stepRun is the step in progress.
type stepRun struct {
	stage       Stage
	at, roundAt time.Time
	recipients  []Recipient
	facts       Facts
	unreachable bool
}

// note is what the cascade knows of one notification.
type note struct {
	stage           Stage
	operator        alarm.OperatorID
	channel         Channel
	sent, delivered bool
	failed, gaveUp  bool // gaveUp: failed for good
}

// New returns the cascade of alarm id with no events yet. Load folds its history.
func New(id alarm.ID) *Cascade {
	return &Cascade{id: id, revision: -1, alarmRevision: -1, notes: map[string]*note{}}
}

// Load folds stored events; revision is the stream revision of the last one.
func (c *Cascade) Load(revision uint64, history []event.Event) {
	for _, e := range history {
		c.apply(e)
	}
	c.revision = int64(revision)
}

func (c *Cascade) ID() alarm.ID { return c.id }

// Revision is the stream revision the cascade was loaded at (-1: new stream).
func (c *Cascade) Revision() int64 { return c.revision }

// Changes returns the events decided since loading, in order.
func (c *Cascade) Changes() []event.Event { return c.changes }

// ClearChanges is called once the changes are stored, so the cascade can keep deciding.
func (c *Cascade) ClearChanges(revision uint64) {
	c.changes = nil
	c.revision = int64(revision)
}

// Status is what a cascade knows, for a handler, a view or a test to read.
type Status struct {
	AlarmID alarm.ID
	// Run is the current or last run (0: never started).
	Run     int
	Running bool
	// Reason the last run stopped, while not running.
	Reason StopReason
	Policy string
	// Step is the stage of the step in progress (nil before the first step of the run).
	Step *Stage
	// Pending is the timer waiting (nil when none).
	Pending *StepScheduled
}

// Status returns a copy of what the cascade knows.
func (c *Cascade) Status() Status {
	s := Status{AlarmID: c.id, Run: c.run, Running: c.running, Policy: c.policy.ID}
	if !c.running {
		s.Reason = c.reason
	}
	if c.step != nil {
		st := c.step.stage
		s.Step = &st
	}
	if c.pending != nil {
		p := *c.pending
		s.Pending = &p
	}
	return s
}

// Decide reacts to in at now (the caller's clock) with the configuration s in force.
//
//   - AlarmChanged: an alarm that needs attention (raised live, reactivated, annunciated again
//     after a shelve or maintenance, or its severity changed) starts a run if a policy covers it:
//     step 1 now, or after the grace for a late alarm. A running cascade stops once the alarm no
//     longer waits for an acknowledgement (acknowledged, over, shelved, out of service, closed).
//     Historical and suppressed alarms start nothing.
//   - Escalate: the pending timer is due: the next step, repetition or channel round.
//   - Outcome: recorded once; a failure for good falls back to the recipient's next channel of
//     the step, and a step nobody can be reached by gives way to the next step at once.
func (c *Cascade) Decide(in Input, s Setup, now time.Time) error {
	switch in := in.(type) {
	case AlarmChanged:
		return c.onAlarm(in, s, now)
	case Escalate:
		return c.onEscalate(in, s, now)
	case Outcome:
		return c.onOutcome(in, s, now)
	}
	return fmt.Errorf("cascade %s: input %T: %w", c.id, in, ErrInvalidInput)
}

func (c *Cascade) onAlarm(in AlarmChanged, s Setup, now time.Time) error {
	if in.Status.ID != c.id {
		return fmt.Errorf("cascade %s: alarm event %d of %s: %w", c.id, in.Revision, in.Status.ID, ErrWrongCascade)
	}
	if in.Event == nil {
		return fmt.Errorf("cascade %s: alarm event %d missing: %w", c.id, in.Revision, ErrInvalidInput)
	}
	if int64(in.Revision) <= c.alarmRevision {
		return nil
	}
	if c.running {
		if reason, ok := c.stopReason(in.Status.State); ok {
			c.record(Stopped{AlarmID: c.id, Run: c.run, Reason: reason, By: actor(in.Event), AlarmRevision: in.Revision, At: now})
		}
		return nil
	}
	if !startable(in) {
		return nil
	}
	p, ok := s.PolicyFor(in.Status.Dam, in.Status.Severity)
	if !ok {
		// A severity change with no policy is not worth a record: the raise already said so.
		if _, updated := in.Event.(alarm.Updated); !updated {
			c.record(Stopped{AlarmID: c.id, Reason: StopNoPolicy, AlarmRevision: in.Revision, At: now})
		}
		return nil
	}
	run := c.run + 1
	late := isLate(in.Event)
	facts := in.Facts.identified(Facts{
		AlarmID: c.id, Dam: in.Status.Dam, Condition: in.Status.Condition, Severity: in.Status.Severity,
	})
	c.record(Started{
		AlarmID: c.id, Run: run, Policy: p, Dam: in.Status.Dam, Condition: in.Status.Condition,
		Severity: in.Status.Severity, Late: late, AlarmRevision: in.Revision, Facts: facts, At: now,
	})
	first := Stage{Run: run, Step: 1}
	if late && s.LateGrace > 0 {
		c.record(StepScheduled{AlarmID: c.id, Stage: first, DueAt: now.Add(s.LateGrace), At: now})
		return nil
	}
	c.startStep(first, facts, s, now)
	return nil
}

// startable: the alarm waits for an acknowledgement, is annunciated, live, and the event is one
// that (re)opens the need to page.
func startable(in AlarmChanged) bool {
	if in.Status.State != alarm.StateUnackActive {
		return false
	}
	switch e := in.Event.(type) {
	case alarm.Raised:
		return !e.Historical && e.Suppression == nil
	case alarm.Reactivated:
		return !e.Historical
	case alarm.Unshelved, alarm.ReturnedToService:
		return true
	case alarm.Updated:
		return e.PreviousSeverity != ""
	}
	return false
}

func isLate(e event.Event) bool {
	switch e := e.(type) {
	case alarm.Raised:
		return e.Late
	case alarm.Reactivated:
		return e.Late
	}
	return false
}

// stopReason says whether a running cascade stops with the alarm in state st.
func (c *Cascade) stopReason(st alarm.State) (StopReason, bool) {
	switch st {
	case alarm.StateAckActive:
		return StopAcknowledged, true
	case alarm.StateNormal:
		return StopReturnedToNormalAndAcked, true
	case alarm.StateClosed:
		return StopClosed, true
	case alarm.StateShelved:
		return StopShelved, true
	case alarm.StateSuppressed:
		return StopRemovedFromService, true
	case alarm.StateUnackRTN:
		// Back to normal but unacknowledged: someone must still acknowledge, so paging goes on;
		// unless no step has started yet (a late alarm in its grace).
		return StopReturnedToNormalInGrace, c.step == nil
	}
	return "", false
}

func actor(e event.Event) alarm.OperatorID {
	switch e := e.(type) {
	case alarm.Acknowledged:
		return e.By
	case alarm.Shelved:
		return e.By
	case alarm.RemovedFromService:
		return e.By
	case alarm.Closed:
		return e.By
	}
	return ""
}

func (c *Cascade) onEscalate(in Escalate, s Setup, now time.Time) error {
	if in.AlarmID != c.id {
		return fmt.Errorf("cascade %s: escalate %s: %w", c.id, in.AlarmID, ErrWrongCascade)
	}
	p := c.pending
	if !c.running || p == nil || p.Stage != in.Stage || now.Before(p.DueAt) {
		return nil
	}
	if in.Round > 0 {
		if c.step == nil || !sameStep(c.step.stage, in.Stage) {
			return nil // a round of no step in progress: only a damaged log has one
		}
		c.advance(in.Stage, s, now)
		return nil
	}
	facts := c.facts
	if in.Facts != nil {
		facts = in.Facts.identified(c.facts)
	}
	c.startStep(in.Stage, facts, s, now)
	return nil
}

func (c *Cascade) onOutcome(in Outcome, s Setup, now time.Time) error {
	n, ok := c.notes[in.NotificationID]
	if !ok {
		return fmt.Errorf("cascade %s: outcome %s of %q: %w", c.id, in.Status, in.NotificationID, ErrUnknownNotification)
	}
	id := in.NotificationID
	switch in.Status {
	case OutcomeSent:
		if !n.sent {
			c.record(NotificationSent{NotificationID: id, AlarmID: c.id, ProviderRef: in.ProviderRef, At: now})
		}
	case OutcomeDelivered:
		if !n.delivered {
			c.record(NotificationDelivered{NotificationID: id, AlarmID: c.id, At: now})
		}
	case OutcomeFailed:
		// A failure after delivery is stale news; a temporary failure is recorded once.
		if n.delivered || n.gaveUp || (in.Retryable && n.failed) {
			return nil
		}
		c.record(NotificationFailed{NotificationID: id, AlarmID: c.id, Reason: in.Reason, Retryable: in.Retryable, At: now})
		if !in.Retryable {
			c.fallBack(n, s, now)
		}
	default:
		return fmt.Errorf("cascade %s: outcome %q of %q: %w", c.id, in.Status, id, ErrInvalidInput)
	}
	return nil
}

// startStep begins a step (or a repetition of the last): resolve whom to call, notify them on the
// first channel (sequence) or all (parallel), then wait: a timer for the next round, step or
// repetition. If nobody can be reached, the next step starts at once.
//
// Rotations are read at the run's start, not at the step's: on_call and next_on_call are the
// incident's on-call operator and their backup throughout. Read at each step, an alarm raised at
// 07:58 before an 08:00 handover would page the outgoing operator at step 1 and again as "next"
// at step 2, and never the incoming one.
func (c *Cascade) startStep(stage Stage, facts Facts, s Setup, now time.Time) {
	if stage.Step < 1 || stage.Step > len(c.policy.Steps) {
		return
	}
	step := c.policy.Steps[stage.Step-1]
	recipients, problems := s.Directory.Resolve(step, c.policy.Rotation, c.started)
	c.record(StepStarted{
		AlarmID: c.id, Stage: stage, Level: stage.Step, Recipients: recipients, Problems: problems, Facts: facts, At: now,
	})
	for _, r := range c.step.recipients {
		if step.Mode == ModeSequence {
			c.requestNext(r, false, s, now)
			continue
		}
		for _, ct := range r.Contacts {
			c.request(r, ct, false, s, now)
		}
	}
	if c.exhausted() {
		if c.giveUpStep(s, now) {
			return
		}
	}
	c.schedule(now)
}

// advance is the next round of a step in sequence: every recipient's next channel.
func (c *Cascade) advance(stage Stage, s Setup, now time.Time) {
	c.record(StepAdvanced{AlarmID: c.id, Stage: stage, At: now})
	for _, r := range c.step.recipients {
		c.requestNext(r, false, s, now)
	}
	c.schedule(now)
}

// fallBack reacts to notification n failing for good: the recipient's next channel of the step in
// progress at once, or, when nobody of the step is left to try, the next step.
func (c *Cascade) fallBack(n *note, s Setup, now time.Time) {
	if !c.running || c.step == nil || !sameStep(n.stage, c.step.stage) {
		return
	}
	i := slices.IndexFunc(c.step.recipients, func(r Recipient) bool { return r.Operator == n.operator })
	if i >= 0 && c.requestNext(c.step.recipients[i], true, s, now) {
		return
	}
	if !c.step.unreachable && c.exhausted() {
		c.giveUpStep(s, now)
	}
}

// giveUpStep records that nobody of the step in progress can be reached and starts the next step
// now; it reports whether it did (false on the last step, whose repetition, if any, keeps its
// timer).
func (c *Cascade) giveUpStep(s Setup, now time.Time) bool {
	cur := c.step.stage
	c.record(StepUnreachable{AlarmID: c.id, Stage: cur, At: now})
	if cur.Step >= len(c.policy.Steps) {
		return false
	}
	c.startStep(Stage{Run: cur.Run, Step: cur.Step + 1}, c.facts, s, now)
	return true
}

// schedule records the next timer of the step in progress: the step's end (the next step, or the
// next repetition of the last step), or sooner the next channel round of a sequence. Waits count
// from the step's actual start, so a step started late (the scheduler was down) still gives its
// recipients their whole wait.
func (c *Cascade) schedule(now time.Time) {
	cur := c.step
	step := c.policy.Steps[cur.stage.Step-1]
	var (
		due  time.Time
		next Stage
		ok   bool
	)
	switch {
	case cur.stage.Step < len(c.policy.Steps):
		due, next, ok = cur.at.Add(step.WaitForAck), Stage{Run: cur.stage.Run, Step: cur.stage.Step + 1}, true
	case c.policy.RepeatLastEvery > 0:
		due, next, ok = cur.at.Add(c.policy.RepeatLastEvery), Stage{Run: cur.stage.Run, Step: cur.stage.Step, Repeat: cur.stage.Repeat + 1}, true
	}
	if step.Mode == ModeSequence && c.untried() {
		round := cur.stage
		round.Round++
		if d := cur.roundAt.Add(step.ChannelDelay); !ok || d.Before(due) {
			due, next, ok = d, round, true
		}
	}
	if ok {
		// A round served late can find its step's end already passed: due now, then.
		c.record(StepScheduled{AlarmID: c.id, Stage: next, DueAt: maxTime(due, now), At: now})
	}
}

// requestNext requests the recipient's first contact of the step not requested yet; false when
// there is none left.
func (c *Cascade) requestNext(r Recipient, fallback bool, s Setup, now time.Time) bool {
	for _, ct := range r.Contacts {
		if _, done := c.notes[NotificationID(c.id, c.step.stage, r.Operator, ct.Channel)]; !done {
			c.request(r, ct, fallback, s, now)
			return true
		}
	}
	return false
}

func (c *Cascade) request(r Recipient, ct Contact, fallback bool, s Setup, now time.Time) {
	id := NotificationID(c.id, c.step.stage, r.Operator, ct.Channel)
	if _, done := c.notes[id]; done {
		return
	}
	m := Render(r.Language, ct.Channel, c.step.facts, s.Directory.Location)
	c.record(NotificationRequested{
		NotificationID: id, AlarmID: c.id, Stage: c.step.stage, Operator: r.Operator, Channel: ct.Channel,
		Address: ct.Address, Language: r.Language, Subject: m.Subject, Text: m.Text, ReplyCode: ReplyCode(c.id),
		Fallback: fallback, At: now,
	})
}

// untried reports whether some recipient of the step has a contact not requested yet.
func (c *Cascade) untried() bool {
	for _, r := range c.step.recipients {
		for _, ct := range r.Contacts {
			if _, done := c.notes[NotificationID(c.id, c.step.stage, r.Operator, ct.Channel)]; !done {
				return true
			}
		}
	}
	return false
}

// exhausted reports whether nobody of the step can be reached any more: every contact of every
// recipient failed for good (true when there was none to try).
func (c *Cascade) exhausted() bool {
	for _, r := range c.step.recipients {
		for _, ct := range r.Contacts {
			n := c.notes[NotificationID(c.id, c.step.stage, r.Operator, ct.Channel)]
			if n == nil || !n.gaveUp {
				return false
			}
		}
	}
	return true
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func sameStep(a, b Stage) bool { return a.Run == b.Run && a.Step == b.Step && a.Repeat == b.Repeat }

// identified fills the identity of the alarm (id, dam, condition, severity) from g where f
// leaves it empty.
func (f Facts) identified(g Facts) Facts {
	if f.AlarmID == "" {
		f.AlarmID = g.AlarmID
	}
	if f.Dam == "" {
		f.Dam = g.Dam
	}
	if f.Condition == "" {
		f.Condition = g.Condition
	}
	if f.Severity == "" {
		f.Severity = g.Severity
	}
	return f
}

func (c *Cascade) record(e event.Event) {
	c.apply(e)
	c.changes = append(c.changes, e)
}

// apply folds an event. It never fails and never validates: what is in the log happened.
func (c *Cascade) apply(e event.Event) {
	switch e := e.(type) {
	case Started:
		c.run, c.running, c.reason = e.Run, true, ""
		c.policy, c.started, c.facts, c.step, c.pending = e.Policy, e.At, e.Facts, nil, nil
		c.alarmRevision = max(c.alarmRevision, int64(e.AlarmRevision))
	case Stopped:
		c.running, c.reason, c.pending = false, e.Reason, nil
		c.alarmRevision = max(c.alarmRevision, int64(e.AlarmRevision))
	case StepScheduled:
		c.pending = &e
	case StepStarted:
		c.step = &stepRun{stage: e.Stage, at: e.At, roundAt: e.At, recipients: e.Recipients, facts: e.Facts}
		c.facts, c.pending = e.Facts, nil
	case StepAdvanced:
		if c.step != nil && sameStep(c.step.stage, e.Stage) {
			c.step.stage.Round, c.step.roundAt = e.Round, e.At
		}
		c.pending = nil
	case StepUnreachable:
		if c.step != nil && sameStep(c.step.stage, e.Stage) {
			c.step.unreachable = true
		}
	case NotificationRequested:
		c.notes[e.NotificationID] = &note{stage: e.Stage, operator: e.Operator, channel: e.Channel}
	case NotificationSent:
		if n := c.notes[e.NotificationID]; n != nil {
			n.sent = true
		}
	case NotificationDelivered:
		if n := c.notes[e.NotificationID]; n != nil {
			n.delivered = true
		}
	case NotificationFailed:
		if n := c.notes[e.NotificationID]; n != nil {
			n.failed = true
			n.gaveUp = n.gaveUp || !e.Retryable
		}
	}
}
