package alarm

import (
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// Events of the alarm stream ("alarm-<id>"). At is the sensor time for what the condition did
// (Raised, Reactivated, Updated, ReturnedToNormal) and the command time for what people and the
// cascade did. Values are in the Unit of Raised.

// Raised is recorded when a condition opens an alarm: the first event of its stream.
type Raised struct {
	AlarmID    ID           `json:"alarm_id"`
	Dam        dam.ID       `json:"dam"`
	Condition  Condition    `json:"condition"`
	Class      Class        `json:"class"`
	Occurrence int          `json:"occurrence"`
	Group      Group        `json:"group"`
	Source     string       `json:"source"`
	Severity   dam.Severity `json:"severity"`
	Value      float64      `json:"value"`
	Limit      float64      `json:"limit"`
	Unit       string       `json:"unit"`
	Detail     string       `json:"detail,omitempty"`
	Since      time.Time    `json:"since"`
	At         time.Time    `json:"at"`
	// Late: learnt long after At.
	Late bool `json:"late,omitempty"`
	// Historical: learnt late and already over by the end of the batch that revealed it (the same
	// decision records its ReturnedToNormal). It belongs to the record and waits for an
	// acknowledgement, but is not live: it starts no cascade. A late alarm still active is live.
	Historical bool `json:"historical,omitempty"`
	// Suppression is set when the alarm's source or dam was out of service when it was raised: it
	// starts suppressed by design and starts no cascade.
	Suppression *Suppression `json:"suppression,omitempty"`
}

// Reactivated is recorded when the condition of an alarm that returned to normal but is not over
// (not acknowledged, or shelved, or out of service) becomes active again: ISA-18.2's re-alarm of
// an unacknowledged alarm, which goes back to unacknowledged-active rather than opening another.
type Reactivated struct {
	AlarmID    ID           `json:"alarm_id"`
	Source     string       `json:"source"`
	Severity   dam.Severity `json:"severity"`
	Value      float64      `json:"value"`
	Detail     string       `json:"detail,omitempty"`
	Since      time.Time    `json:"since"`
	At         time.Time    `json:"at"`
	Late       bool         `json:"late,omitempty"`
	Historical bool         `json:"historical,omitempty"`
}

// Updated is recorded when an active alarm changes: its severity (PreviousSeverity is then set),
// a new worst value (Peak), or the set of sources keeping it active (Cleared: Source returned to
// normal while others remain). It carries the resulting severity, peak and sources.
type Updated struct {
	AlarmID          ID           `json:"alarm_id"`
	Source           string       `json:"source"`
	Severity         dam.Severity `json:"severity"`
	PreviousSeverity dam.Severity `json:"previous_severity,omitempty"`
	Value            float64      `json:"value"`
	Peak             float64      `json:"peak"`
	Sources          []string     `json:"sources"`
	Cleared          bool         `json:"cleared,omitempty"`
	At               time.Time    `json:"at"`
	Late             bool         `json:"late,omitempty"`
}

// ReturnedToNormal is recorded when the last source of an active alarm clears.
type ReturnedToNormal struct {
	AlarmID ID        `json:"alarm_id"`
	Source  string    `json:"source"`
	Value   float64   `json:"value"`
	Detail  string    `json:"detail,omitempty"`
	At      time.Time `json:"at"`
	Late    bool      `json:"late,omitempty"`
}

// Acknowledged is recorded when an operator acknowledges an unacknowledged alarm.
type Acknowledged struct {
	AlarmID ID         `json:"alarm_id"`
	By      OperatorID `json:"by"`
	Via     Channel    `json:"via"`
	Comment string     `json:"comment,omitempty"`
	At      time.Time  `json:"at"`
}

// Commented is an operator's note on an alarm, at any time, even closed.
type Commented struct {
	AlarmID ID         `json:"alarm_id"`
	By      OperatorID `json:"by"`
	Text    string     `json:"text"`
	At      time.Time  `json:"at"`
}

// Shelved is recorded when an operator shelves an alarm (or changes a shelve) until Until.
type Shelved struct {
	AlarmID ID         `json:"alarm_id"`
	By      OperatorID `json:"by"`
	Reason  string     `json:"reason"`
	Until   time.Time  `json:"until"`
	At      time.Time  `json:"at"`
}

// Unshelved is recorded when an operator unshelves an alarm (By) or its shelve expires (Expired,
// At being when the expiry was enforced). If the condition is still active the alarm goes back to
// unacknowledged-active, so it is annunciated again; if not, it is over (normal).
type Unshelved struct {
	AlarmID ID         `json:"alarm_id"`
	By      OperatorID `json:"by,omitempty"`
	Expired bool       `json:"expired,omitempty"`
	At      time.Time  `json:"at"`
}

// RemovedFromService is recorded when an alarm is suppressed by design (its sensor or dam in
// maintenance).
type RemovedFromService struct {
	AlarmID ID         `json:"alarm_id"`
	By      OperatorID `json:"by"`
	Reason  string     `json:"reason"`
	At      time.Time  `json:"at"`
}

// ReturnedToService ends a suppression; as with Unshelved, an alarm still active is annunciated
// again and one that returned to normal meanwhile is over.
type ReturnedToService struct {
	AlarmID ID         `json:"alarm_id"`
	By      OperatorID `json:"by"`
	At      time.Time  `json:"at"`
}

// Escalated is recorded when the cascade reaches a new step for an unacknowledged alarm.
type Escalated struct {
	AlarmID ID        `json:"alarm_id"`
	Level   int       `json:"level"`
	At      time.Time `json:"at"`
}

// Closed is recorded when an operator closes an alarm: over, whatever its acknowledgement.
type Closed struct {
	AlarmID ID         `json:"alarm_id"`
	By      OperatorID `json:"by"`
	Reason  string     `json:"reason"`
	At      time.Time  `json:"at"`
}

func (Raised) EventType() string             { return "alarm.raised" }
func (Reactivated) EventType() string        { return "alarm.reactivated" }
func (Updated) EventType() string            { return "alarm.updated" }
func (ReturnedToNormal) EventType() string   { return "alarm.returned_to_normal" }
func (Acknowledged) EventType() string       { return "alarm.acknowledged" }
func (Commented) EventType() string          { return "alarm.commented" }
func (Shelved) EventType() string            { return "alarm.shelved" }
func (Unshelved) EventType() string          { return "alarm.unshelved" }
func (RemovedFromService) EventType() string { return "alarm.removed_from_service" }
func (ReturnedToService) EventType() string  { return "alarm.returned_to_service" }
func (Escalated) EventType() string          { return "alarm.escalated" }
func (Closed) EventType() string             { return "alarm.closed" }

// Events of the board stream ("alarmboard-<dam>").

// SlotOpened is recorded when a condition of the dam gets a new alarm: the previous one (if any)
// is over. Group is the situation it joins.
type SlotOpened struct {
	Dam        dam.ID    `json:"dam"`
	Condition  Condition `json:"condition"`
	Occurrence int       `json:"occurrence"`
	AlarmID    ID        `json:"alarm_id"`
	Group      Group     `json:"group"`
	At         time.Time `json:"at"`
}

// MaintenanceStarted is recorded when a source of the dam (Scope: a sensor id), or the whole dam
// (empty Scope), goes out of service: its alarms are suppressed by design until it ends.
type MaintenanceStarted struct {
	Dam    dam.ID     `json:"dam"`
	Scope  string     `json:"scope,omitempty"`
	By     OperatorID `json:"by"`
	Reason string     `json:"reason"`
	At     time.Time  `json:"at"`
}

// MaintenanceEnded is recorded when a scope returns to service.
type MaintenanceEnded struct {
	Dam   dam.ID     `json:"dam"`
	Scope string     `json:"scope,omitempty"`
	By    OperatorID `json:"by"`
	At    time.Time  `json:"at"`
}

func (SlotOpened) EventType() string         { return "alarmboard.slot_opened" }
func (MaintenanceStarted) EventType() string { return "alarmboard.maintenance_started" }
func (MaintenanceEnded) EventType() string   { return "alarmboard.maintenance_ended" }

// Events lists a prototype of every event of this package (both streams), for the codec.
func Events() []event.Event {
	return []event.Event{
		Raised{}, Reactivated{}, Updated{}, ReturnedToNormal{}, Acknowledged{}, Commented{}, Shelved{},
		Unshelved{}, RemovedFromService{}, ReturnedToService{}, Escalated{}, Closed{},
		SlotOpened{}, MaintenanceStarted{}, MaintenanceEnded{},
	}
}
