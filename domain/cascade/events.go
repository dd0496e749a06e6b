package cascade

import (
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// Events of the cascade stream ("cascade-<alarm id>"). At is the time of the decision (the
// caller's clock), never sensor time.

// Stage names one moment of a cascade: the Round-th channel round (ModeSequence; 0 is the step's
// start) of the Repeat-th repetition (0: the first time) of Step (from 1), in the cascade's Run
// (from 1; an alarm annunciated again after a shelve starts a new run).
type Stage struct {
	Run    int `json:"run"`
	Step   int `json:"step"`
	Repeat int `json:"repeat"`
	Round  int `json:"round"`
}

// Started is recorded when an alarm that needs someone's attention starts a cascade. It holds the
// policy in force, so the rest of the run never depends on today's configuration.
type Started struct {
	AlarmID   alarm.ID        `json:"alarm_id"`
	Run       int             `json:"run"`
	Policy    Policy          `json:"policy"`
	Dam       dam.ID          `json:"dam"`
	Condition alarm.Condition `json:"condition"`
	Severity  dam.Severity    `json:"severity"`
	// Late: started by an alarm learnt late; the first step waits for the grace (see Setup).
	Late bool `json:"late,omitempty"`
	// AlarmRevision is the revision of the alarm event that started it: an alarm event at or below
	// the last one decided on is a redelivery and changes nothing.
	AlarmRevision uint64    `json:"alarm_revision"`
	Facts         Facts     `json:"facts"`
	At            time.Time `json:"at"`
}

// StepScheduled is a timer: the cascade's next stage is due at DueAt. A scheduler reads the
// pending_steps view (the last StepScheduled of each running cascade not yet followed by a
// StepStarted, StepAdvanced or Stopped) and sends Escalate{AlarmID, Stage} once DueAt has come:
// timers survive a crash because they are in the log.
type StepScheduled struct {
	AlarmID alarm.ID `json:"alarm_id"`
	Stage
	DueAt time.Time `json:"due_at"`
	At    time.Time `json:"at"`
}

// Wake is the command the scheduler sends when the timer is due.
func (e StepScheduled) Wake() Escalate { return Escalate{AlarmID: e.AlarmID, Stage: e.Stage} }

// StepStarted is recorded when a step (or a repetition of the last one) begins: whom it calls,
// resolved at that instant, and what they are told. Level is the escalation level the alarm
// reaches (the step number): the dispatcher sends alarm.Escalate(Level), which is idempotent.
type StepStarted struct {
	AlarmID alarm.ID `json:"alarm_id"`
	Stage
	Level      int         `json:"level"`
	Recipients []Recipient `json:"recipients"`
	// Problems: targets that could not be resolved, operators without an address.
	Problems []string  `json:"problems,omitempty"`
	Facts    Facts     `json:"facts"`
	At       time.Time `json:"at"`
}

// StepAdvanced is recorded when a step in ModeSequence moves to the next channel (Round).
type StepAdvanced struct {
	AlarmID alarm.ID `json:"alarm_id"`
	Stage
	At time.Time `json:"at"`
}

// StepUnreachable is recorded when nobody of a step can be reached: every channel of every
// recipient failed for good, or there was none. The next step starts at once, without waiting
// for an acknowledgement that cannot come.
type StepUnreachable struct {
	AlarmID alarm.ID `json:"alarm_id"`
	Stage
	At time.Time `json:"at"`
}

// NotificationRequested asks for one message to one operator on one channel. NotificationID is
// the idempotency key (NotificationID()): the notification pipeline sends it at most once per ID
// as far as the log tells, and records the outcome on this stream.
type NotificationRequested struct {
	NotificationID string   `json:"notification_id"`
	AlarmID        alarm.ID `json:"alarm_id"`
	Stage
	Operator alarm.OperatorID `json:"operator"`
	Channel  Channel          `json:"channel"`
	Address  string           `json:"address"`
	Language Language         `json:"language"`
	Subject  string           `json:"subject,omitempty"`
	// Text holds LinkPlaceholder where the channel puts the acknowledgement link.
	Text      string `json:"text"`
	ReplyCode string `json:"reply_code"`
	// Fallback: requested because the recipient's previous channel failed for good.
	Fallback bool      `json:"fallback,omitempty"`
	At       time.Time `json:"at"`
}

// NotificationSent is recorded when a provider accepted a notification.
type NotificationSent struct {
	NotificationID string    `json:"notification_id"`
	AlarmID        alarm.ID  `json:"alarm_id"`
	ProviderRef    string    `json:"provider_ref,omitempty"`
	At             time.Time `json:"at"`
}

// NotificationDelivered is recorded when a provider confirmed delivery (SMS receipt, call
// answered).
type NotificationDelivered struct {
	NotificationID string    `json:"notification_id"`
	AlarmID        alarm.ID  `json:"alarm_id"`
	At             time.Time `json:"at"`
}

// NotificationFailed is recorded when a notification did not get through. Retryable: the failure
// was temporary (the pipeline may still get it through); otherwise it never will and the
// recipient's next channel is used at once.
type NotificationFailed struct {
	NotificationID string    `json:"notification_id"`
	AlarmID        alarm.ID  `json:"alarm_id"`
	Reason         string    `json:"reason"`
	Retryable      bool      `json:"retryable,omitempty"`
	At             time.Time `json:"at"`
}

// StopReason says why a cascade stopped.
type StopReason string

const (
	StopAcknowledged StopReason = "acknowledged"
	// StopReturnedToNormalAndAcked: the alarm is over (back to normal and acknowledged).
	StopReturnedToNormalAndAcked StopReason = "returned_to_normal_and_acked"
	StopClosed                   StopReason = "closed"
	StopShelved                  StopReason = "shelved"
	StopRemovedFromService       StopReason = "removed_from_service"
	// StopReturnedToNormalInGrace: a late alarm returned to normal before its first step.
	StopReturnedToNormalInGrace StopReason = "returned_to_normal_in_grace"
	// StopNoPolicy: no escalation policy covers the alarm's dam and severity: nobody is called.
	StopNoPolicy StopReason = "no_policy"
)

// Stopped is recorded when a cascade stops: pending steps are cancelled, nobody else is called.
// Run is 0 for an alarm that started no run (no policy).
type Stopped struct {
	AlarmID alarm.ID   `json:"alarm_id"`
	Run     int        `json:"run"`
	Reason  StopReason `json:"reason"`
	// By is the operator whose action stopped it (acknowledged, shelved, closed...), when known.
	By            alarm.OperatorID `json:"by,omitempty"`
	AlarmRevision uint64           `json:"alarm_revision"`
	At            time.Time        `json:"at"`
}

func (Started) EventType() string               { return "cascade.started" }
func (StepScheduled) EventType() string         { return "cascade.step_scheduled" }
func (StepStarted) EventType() string           { return "cascade.step_started" }
func (StepAdvanced) EventType() string          { return "cascade.step_advanced" }
func (StepUnreachable) EventType() string       { return "cascade.step_unreachable" }
func (NotificationRequested) EventType() string { return "cascade.notification_requested" }
func (NotificationSent) EventType() string      { return "cascade.notification_sent" }
func (NotificationDelivered) EventType() string { return "cascade.notification_delivered" }
func (NotificationFailed) EventType() string    { return "cascade.notification_failed" }
func (Stopped) EventType() string               { return "cascade.stopped" }

// Events lists a prototype of every event of this package, for the codec.
func Events() []event.Event {
	return []event.Event{
		Started{}, StepScheduled{}, StepStarted{}, StepAdvanced{}, StepUnreachable{},
		NotificationRequested{}, NotificationSent{}, NotificationDelivered{}, NotificationFailed{}, Stopped{},
	}
}
