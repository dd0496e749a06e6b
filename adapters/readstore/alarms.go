package readstore

import (
	"context"
	"encoding/json"
	"time"
)

// The alarm views: the current state of every alarm (the alarm console), the history of each, and
// its activations (what the ISA-18.2 performance figures count). The alarms projection writes
// them in Batch.Alarms, with its checkpoint, like every other view.

// AlarmView is the current state of one alarm, keyed by its id.
type AlarmView struct {
	ID         string `json:"id"`
	Dam        string `json:"dam"`
	Condition  string `json:"condition"`
	Kind       string `json:"kind"`
	Class      string `json:"class"`
	Occurrence int    `json:"occurrence"`
	// Group is the situation the alarm belongs to (the id of its first alarm).
	Group string `json:"group"`
	// Source is what raised it (a sensor for every condition Vigie decides); Sensor repeats it
	// when it is a sensor, as the alarm console reads it.
	Source  string   `json:"source"`
	Sensor  string   `json:"sensor,omitempty"`
	Sources []string `json:"sources"`
	// State is the ISA-18.2 state: unack_active, ack_active, unack_rtn, normal, shelved,
	// suppressed_by_design, closed.
	State        string  `json:"state"`
	Active       bool    `json:"active"`
	Acknowledged bool    `json:"acknowledged"`
	Severity     string  `json:"severity"`
	Value        float64 `json:"value"` // the latest value reported, in Unit
	Peak         float64 `json:"peak"`
	Limit        float64 `json:"limit"`
	Unit         string  `json:"unit"`
	Detail       string  `json:"detail,omitempty"`
	// Summary tells the alarm in a sentence, in the site's language.
	Summary string `json:"summary"`
	// Since is when the condition first held, RaisedAt the sensor time that confirmed it;
	// AnnouncedAt when Vigie learnt it (recorded time).
	Since       time.Time `json:"since"`
	RaisedAt    time.Time `json:"raised_at"`
	AnnouncedAt time.Time `json:"announced_at"`
	// ActiveSince is the sensor time of the latest activation (raise or re-alarm).
	ActiveSince time.Time  `json:"active_since"`
	ReturnedAt  *time.Time `json:"returned_at,omitempty"`
	Late        bool       `json:"late,omitempty"`
	Historical  bool       `json:"historical,omitempty"`

	AckedBy  string     `json:"acked_by,omitempty"`
	AckedVia string     `json:"acked_via,omitempty"`
	AckedAt  *time.Time `json:"acked_at,omitempty"`
	// Shelve is set while shelved; ShelvedUntil and ShelveReason repeat it flat for the console.
	Shelve       *AlarmShelve       `json:"shelve,omitempty"`
	ShelvedUntil *time.Time         `json:"shelved_until,omitempty"`
	ShelveReason string             `json:"shelve_reason,omitempty"`
	Suppression  *AlarmSuppression  `json:"suppression,omitempty"`
	Closed       *AlarmClosure      `json:"closed,omitempty"`
	Level        int                `json:"escalation_level,omitempty"`
	Comments     []AlarmCommentView `json:"comments"`
	// Cascade is who was paged about the alarm, how, and when the next step fires. Stores do not
	// keep it: the API fills it from the cascade engine.
	Cascade *AlarmCascade `json:"cascade,omitempty"`

	// LastChangeAt is the time of the latest event (sensor time for the condition's, command time
	// for people's), UpdatedAt when it was recorded, Position its place in the log.
	LastChangeAt time.Time `json:"last_change_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Position     uint64    `json:"position"`
}

// AlarmCascade is the paging of an alarm as the cascade engine knows it.
type AlarmCascade struct {
	Running bool   `json:"running"`
	Run     int    `json:"run"`
	Policy  string `json:"policy,omitempty"`
	// Step is the step in progress (0 before the first).
	Step int `json:"step"`
	// StopReason says why the last run stopped (acknowledged, closed...), when not running.
	StopReason string `json:"stop_reason,omitempty"`
	// NextStepAt is when the pending timer fires: the next step, repetition or channel.
	NextStepAt    *time.Time          `json:"next_step_at,omitempty"`
	Notifications []AlarmNotification `json:"notifications"`
}

// AlarmNotification is one message to one operator on one channel.
type AlarmNotification struct {
	ID       string `json:"id"`
	Operator string `json:"operator"`
	Channel  string `json:"channel"`
	Step     int    `json:"step"`
	Repeat   int    `json:"repeat,omitempty"`
	Fallback bool   `json:"fallback,omitempty"`
	// Status: requested (being sent), sent, delivered or failed.
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// At is when it was requested.
	At time.Time `json:"at"`
}

// AlarmShelve is an operator's shelve in force.
type AlarmShelve struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	Until  time.Time `json:"until"`
	At     time.Time `json:"at"`
}

// AlarmSuppression is an alarm out of service (maintenance of its sensor or dam).
type AlarmSuppression struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	Since  time.Time `json:"since"`
}

// AlarmClosure is an operator's closing of an alarm.
type AlarmClosure struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// AlarmCommentView is one comment (or the comment of an acknowledgement).
type AlarmCommentView struct {
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// AlarmHistoryEntry is one event of an alarm, told and kept whole.
type AlarmHistoryEntry struct {
	AlarmID    string    `json:"alarm_id"`
	Dam        string    `json:"dam"`
	Position   uint64    `json:"position"`
	Type       string    `json:"type"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
	Actor      string    `json:"actor,omitempty"`
	Summary    string    `json:"summary"`
	// Data is the event (upcast to its current schema).
	Data json.RawMessage `json:"data"`
}

// AlarmActivation is one time an alarm's condition became active (a raise or a re-alarm): what
// the alarm rate, the time to acknowledge and chattering are computed from. Keyed by (AlarmID,
// Position).
type AlarmActivation struct {
	AlarmID   string `json:"alarm_id"`
	Position  uint64 `json:"position"`
	Dam       string `json:"dam"`
	Condition string `json:"condition"`
	Class     string `json:"class"`
	Severity  string `json:"severity"`
	// At is the sensor time; AnnouncedAt when Vigie recorded it.
	At          time.Time `json:"at"`
	AnnouncedAt time.Time `json:"announced_at"`
	// Annunciated is false for an activation nobody was shown (shelved, out of service).
	Annunciated bool `json:"annunciated"`
	Historical  bool `json:"historical,omitempty"`
	// AckedAt is when an operator acknowledged it (zero until then).
	AckedAt time.Time `json:"acked_at"`
	AckedBy string    `json:"acked_by,omitempty"`
}

// AlarmBatch is what the alarms projection writes for one batch of events: upserts of views (the
// newest Position wins), history entries and activations (keyed, so a replay changes nothing).
type AlarmBatch struct {
	Views       []AlarmView
	History     []AlarmHistoryEntry
	Activations []AlarmActivation
}

// Empty reports whether the batch writes nothing.
func (b AlarmBatch) Empty() bool {
	return len(b.Views) == 0 && len(b.History) == 0 && len(b.Activations) == 0
}

// AlarmQuery filters the alarm views; zero fields do not filter. Results are newest raise first.
type AlarmQuery struct {
	States     []string
	Dams       []string
	Severities []string
	Classes    []string
	// From and To bound RaisedAt: [From, To).
	From, To time.Time
	Limit    int
}

// ActivationQuery selects activations by sensor time, [From, To), and dam.
type ActivationQuery struct {
	Dam      string
	From, To time.Time
}

// AlarmViews is the read-store port of the alarm views.
type AlarmViews interface {
	Alarms(ctx context.Context, q AlarmQuery) ([]AlarmView, error)
	// Alarm returns one alarm, ErrNotFound if there is none of that id.
	Alarm(ctx context.Context, id string) (AlarmView, error)
	// AlarmHistory returns an alarm's events in log order.
	AlarmHistory(ctx context.Context, id string) ([]AlarmHistoryEntry, error)
	AlarmActivations(ctx context.Context, q ActivationQuery) ([]AlarmActivation, error)
}

// AlarmKPIQuery asks for the alarm performance figures over [From, To), for one dam or all.
type AlarmKPIQuery struct {
	From, To time.Time
	Dam      string
}

// AlarmKPIs are the ISA-18.2 alarm-system performance figures.
type AlarmKPIs struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Dam  string    `json:"dam,omitempty"`
	// Now is the time the "current" figures (standing, stale, shelved) are taken at.
	Now  time.Time     `json:"now"`
	Dams []DamAlarmKPI `json:"dams"`
	// TimeToAck covers every dam selected.
	TimeToAck TimeToAck `json:"time_to_ack"`
	// Standing alarms are active now and shown (neither shelved nor out of service); stale ones
	// have been active for StaleAfter or longer.
	Standing   int                  `json:"standing"`
	Stale      int                  `json:"stale"`
	StaleAfter Duration             `json:"stale_after_s"`
	StaleIDs   []string             `json:"stale_alarms"`
	Chattering []ChatteringOffender `json:"chattering"`
	Shelved    []ShelvedAlarm       `json:"shelved"`
}

// DamAlarmKPI is the alarm rate of one dam.
type DamAlarmKPI struct {
	Dam string `json:"dam"`
	// Annunciated counts the alarms shown to operators (raises and re-alarms) in the period.
	Annunciated int `json:"annunciated"`
	// PerTenMinutes is their average rate; MaxPerTenMinutes the busiest 10-minute bucket
	// (aligned on the epoch) and MaxAt its start. FloodBuckets counts buckets of 10 alarms or more
	// (ISA-18.2's flood).
	PerTenMinutes    float64   `json:"per_10_min"`
	MaxPerTenMinutes int       `json:"max_per_10_min"`
	MaxAt            time.Time `json:"max_at,omitempty"`
	FloodBuckets     int       `json:"flood_buckets"`
	TimeToAck        TimeToAck `json:"time_to_ack"`
	Standing         int       `json:"standing"`
	Stale            int       `json:"stale"`
}

// TimeToAck summarises the times from annunciation to acknowledgement.
type TimeToAck struct {
	Count int      `json:"count"`
	P50   Duration `json:"p50_s"`
	P90   Duration `json:"p90_s"`
	// Unacknowledged counts the annunciated activations of the period still waiting.
	Unacknowledged int `json:"unacknowledged"`
}

// ChatteringOffender is a condition that activated often in the period. Chattering is true when
// it activated 3 times or more within a minute (ISA-18.2's chattering alarm).
type ChatteringOffender struct {
	Dam         string `json:"dam"`
	Condition   string `json:"condition"`
	Activations int    `json:"activations"`
	MaxPerMin   int    `json:"max_per_minute"`
	Chattering  bool   `json:"chattering"`
}

// ShelvedAlarm is an alarm shelved now.
type ShelvedAlarm struct {
	ID     string    `json:"id"`
	Dam    string    `json:"dam"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	Until  time.Time `json:"until"`
}

// AppendJSON returns a function that decodes one JSON document (a row of a store that keeps the
// alarm views whole, as JSON) into a T and appends it to out.
func AppendJSON[T any](out *[]T) func(doc []byte) error {
	return func(doc []byte) error {
		var v T
		if err := json.Unmarshal(doc, &v); err != nil {
			return err
		}
		*out = append(*out, v)
		return nil
	}
}
