// Package report builds the post-flood report of a period from the event log alone: per dam the
// level and volume curves with the thresholds in force, the peak and the spillway's activity;
// every alarm with its notifications, deliveries, acknowledgements, escalations, shelves and
// out-of-service periods; the configuration changes; the response KPIs; and the story of the
// episode told by the timeline's summarisers. It is pure: the same events give the same report,
// so a report issued today can be rebuilt identically later from the same log, whose hash-chain
// head it prints (docs/report.md). Rendering is in report/render.
package report

import (
	"time"

	"github.com/vigie/vigie/projections"
)

// Report is the post-flood report of one period. Times are UTC; Location is the site's zone the
// renderers write them in. Durations are in seconds.
type Report struct {
	Language projections.Language `json:"language"`
	Site     string               `json:"site,omitempty"`
	From     time.Time            `json:"from"`
	To       time.Time            `json:"to"`
	Location string               `json:"time_zone"`
	Log      LogInfo              `json:"log"`
	// Configuration lists the configuration in force at the start of the period and every change
	// during it (config.applied, and the thresholds each gauge recorded).
	Configuration []ConfigChange `json:"configuration"`
	Dams          []DamReport    `json:"dams"`
	Alarms        []AlarmReport  `json:"alarms"`
	Notifications []Notification `json:"notifications"`
	KPIs          KPIs           `json:"kpis"`
	Story         []StoryLine    `json:"story"`
	// Warnings say what the report could not tell (a recorded configuration it cannot read).
	Warnings []string `json:"warnings,omitempty"`
	// Skipped counts the events of types the report does not know, by type.
	Skipped map[string]int `json:"skipped_event_types,omitempty"`
	loc     *time.Location
}

// Loc is the zone times are written in.
func (r *Report) Loc() *time.Location {
	if r.loc == nil {
		return time.UTC
	}
	return r.loc
}

// LogInfo says which part of the log the report was built from, and the hash-chain head that
// proves later the log was not altered since (vigie audit verify --anchor HEAD).
type LogInfo struct {
	Events        int    `json:"events"`
	FirstPosition uint64 `json:"first_position"`
	LastPosition  uint64 `json:"last_position"`
	ChainHead     string `json:"chain_head,omitempty"`
}

// ConfigChange is one configuration event: a whole configuration applied, or the thresholds a
// gauge took from it.
type ConfigChange struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor,omitempty"`
	Kind   string    `json:"kind"` // "config" or "thresholds"
	Source string    `json:"source,omitempty"`
	Digest string    `json:"digest,omitempty"`
	Dam    string    `json:"dam,omitempty"`
	Sensor string    `json:"sensor,omitempty"`
	// Changes summarises what changed (a configuration) or the thresholds now in force.
	Changes []string `json:"changes,omitempty"`
	// InForce: this is the configuration in force when the period began (recorded before it).
	InForce bool `json:"in_force_at_start,omitempty"`
}

// DamReport is what happened to one dam.
type DamReport struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Capacity float64 `json:"capacity_m3,omitempty"`
	Crest    float64 `json:"spillway_crest_m,omitempty"`
	// HasCurve: volume and fill are known (the storage curve was in the recorded configuration).
	HasCurve   bool            `json:"has_curve"`
	Sensors    []string        `json:"sensors"`
	Thresholds []ThresholdLine `json:"thresholds"`
	Series     []Point         `json:"series"`
	Peak       *Point          `json:"peak,omitempty"`
	Spill      []Interval      `json:"spillway"`
	// SpillSeconds is the total time over the crest within the period.
	SpillSeconds float64        `json:"spill_s"`
	Crossings    []Crossing     `json:"crossings"`
	OutOfService []Maintenance  `json:"out_of_service"`
	Quality      map[string]int `json:"quality"`
}

// ThresholdLine is a threshold in force during the period (Since: recorded at).
type ThresholdLine struct {
	Sensor   string    `json:"sensor"`
	Name     string    `json:"name"`
	Level    float64   `json:"level_m"`
	Severity string    `json:"severity"`
	Since    time.Time `json:"since"`
	// Until is set when a later configuration replaced it within the period.
	Until *time.Time `json:"until,omitempty"`
}

// Point is one usable reading of a dam's level (its first level sensor).
type Point struct {
	T       time.Time `json:"t"`
	Sensor  string    `json:"sensor"`
	Level   float64   `json:"level_m"`
	Volume  *float64  `json:"volume_m3,omitempty"`
	Fill    *float64  `json:"fill_pct,omitempty"`
	Quality string    `json:"quality"`
}

// Interval is a spell over the spillway crest. To is nil when still spilling at the period's end
// (Seconds then counts to the last reading).
type Interval struct {
	From    time.Time  `json:"from"`
	To      *time.Time `json:"to,omitempty"`
	Seconds float64    `json:"duration_s"`
	// Max is the highest level of the spell.
	Max float64 `json:"max_level_m"`
}

// Crossing is a threshold crossing the gauge recorded.
type Crossing struct {
	At        time.Time `json:"at"`
	Sensor    string    `json:"sensor"`
	Threshold string    `json:"threshold"`
	Direction string    `json:"direction"`
	Level     float64   `json:"level_m"`
	Value     float64   `json:"value_m"`
	Late      bool      `json:"late,omitempty"`
}

// Maintenance is an out-of-service period of a dam or one of its sensors (Scope).
type Maintenance struct {
	Scope  string     `json:"scope"`
	From   time.Time  `json:"from"`
	To     *time.Time `json:"to,omitempty"`
	By     string     `json:"by"`
	Reason string     `json:"reason,omitempty"`
	EndBy  string     `json:"ended_by,omitempty"`
}

// AlarmReport is one alarm's life within the report.
type AlarmReport struct {
	ID         string  `json:"id"`
	Dam        string  `json:"dam"`
	Condition  string  `json:"condition"`
	Class      string  `json:"class"`
	Severity   string  `json:"severity"`
	Source     string  `json:"source"`
	Value      float64 `json:"value"`
	Limit      float64 `json:"limit"`
	Unit       string  `json:"unit,omitempty"`
	Peak       float64 `json:"peak"`
	Late       bool    `json:"late,omitempty"`
	Historical bool    `json:"historical,omitempty"`
	Suppressed bool    `json:"raised_out_of_service,omitempty"`
	// Raised is sensor time (when the condition was met), RaisedRecorded when the log learnt it.
	Raised           time.Time  `json:"raised"`
	RaisedRecorded   time.Time  `json:"raised_recorded"`
	ReturnedToNormal *time.Time `json:"returned_to_normal,omitempty"`
	// Acknowledged is the first acknowledgement; Acks all of them (an alarm annunciated again,
	// after a maintenance or a shelve, is acknowledged again).
	Acknowledged *Ack         `json:"acknowledged,omitempty"`
	Acks         []Ack        `json:"acknowledgements,omitempty"`
	Closed       *time.Time   `json:"closed,omitempty"`
	Escalations  []Escalation `json:"escalations,omitempty"`
	Shelves      []Shelve     `json:"shelves,omitempty"`
	OutOfService []Period     `json:"out_of_service,omitempty"`
	Comments     []Comment    `json:"comments,omitempty"`
	Runs         []Run        `json:"cascade_runs,omitempty"`
	// FirstNotificationSeconds is the delay from the alarm being recorded to its first
	// notification requested; AckSeconds from the alarm being recorded to its first
	// acknowledgement.
	FirstNotificationSeconds *float64 `json:"time_to_first_notification_s,omitempty"`
	AckSeconds               *float64 `json:"time_to_ack_s,omitempty"`
	Notifications            int      `json:"notifications"`
}

// Ack is an acknowledgement. Seconds is its delay from the start of the annunciation it answers:
// the alarm recorded, or the start of the cascade run it stopped.
type Ack struct {
	By      string    `json:"by"`
	Via     string    `json:"via"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
	Seconds float64   `json:"delay_s"`
}

// Escalation is the cascade reaching a level (step) for the alarm.
type Escalation struct {
	Level int       `json:"level"`
	At    time.Time `json:"at"`
}

// Shelve is a shelving of the alarm until Until; Ended when it was unshelved or expired.
type Shelve struct {
	By      string     `json:"by"`
	Reason  string     `json:"reason"`
	From    time.Time  `json:"from"`
	Until   time.Time  `json:"until"`
	Ended   *time.Time `json:"ended,omitempty"`
	Expired bool       `json:"expired,omitempty"`
}

// Period is an out-of-service period of one alarm.
type Period struct {
	By     string     `json:"by"`
	Reason string     `json:"reason,omitempty"`
	From   time.Time  `json:"from"`
	To     *time.Time `json:"to,omitempty"`
}

// Comment is an operator's note.
type Comment struct {
	By   string    `json:"by"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Run is one run of the alarm's cascade.
type Run struct {
	Run        int        `json:"run"`
	Policy     string     `json:"policy"`
	Started    time.Time  `json:"started"`
	Stopped    *time.Time `json:"stopped,omitempty"`
	StopReason string     `json:"stop_reason,omitempty"`
	StopBy     string     `json:"stopped_by,omitempty"`
	Steps      []Step     `json:"steps"`
}

// Step is one step (or repetition) the cascade started: whom it called.
type Step struct {
	Step       int       `json:"step"`
	Repeat     int       `json:"repeat,omitempty"`
	At         time.Time `json:"at"`
	Recipients []string  `json:"recipients"`
	Problems   []string  `json:"problems,omitempty"`
	// Unreachable: nobody of the step could be reached.
	Unreachable bool `json:"unreachable,omitempty"`
}

// Notification is one message to one operator on one channel, and what became of it.
type Notification struct {
	ID        string     `json:"id"`
	Alarm     string     `json:"alarm"`
	Dam       string     `json:"dam"`
	Run       int        `json:"run"`
	Step      int        `json:"step"`
	Repeat    int        `json:"repeat,omitempty"`
	Operator  string     `json:"operator"`
	Channel   string     `json:"channel"`
	Fallback  bool       `json:"fallback,omitempty"`
	Requested time.Time  `json:"requested"`
	Sent      *time.Time `json:"sent,omitempty"`
	Delivered *time.Time `json:"delivered,omitempty"`
	Failed    *time.Time `json:"failed,omitempty"`
	Reason    string     `json:"failure,omitempty"`
	// Status is the last news: requested, sent, delivered, failed (for good), retrying.
	Status string `json:"status"`
}

// KPIs are the response indicators of the period: overall, per operator and per cascade step.
type KPIs struct {
	Overall    KPI   `json:"overall"`
	ByOperator []KPI `json:"by_operator"`
	ByStep     []KPI `json:"by_step"`
}

// KPI is one row of indicators. Alarms: alarms that paged (overall; per operator: that paged
// them; per step: that reached the step). FirstNotification: from the alarm recorded to its
// first notification (overall; per step: to the step's first start; per operator: to their first
// notification). Ack: the acknowledgements of paged alarms, each from the start of the
// annunciation it answers (Ack.Seconds; per operator: those they gave), and per step those given
// while the step was the last started, from that step's start.
type KPI struct {
	Key               string `json:"key"`
	Alarms            int    `json:"alarms"`
	Notifications     int    `json:"notifications"`
	Delivered         int    `json:"delivered"`
	Failed            int    `json:"failed"`
	Acks              int    `json:"acks"`
	FirstNotification Stat   `json:"time_to_first_notification"`
	Ack               Stat   `json:"time_to_ack"`
}

// Stat summarises delays in seconds; Count 0 when there are none.
type Stat struct {
	Count  int     `json:"count"`
	Median float64 `json:"median_s"`
	Mean   float64 `json:"mean_s"`
	Max    float64 `json:"max_s"`
}

// StoryLine is one line of the episode's story, as the timeline tells it.
type StoryLine struct {
	Position uint64    `json:"position"`
	At       time.Time `json:"at"`
	Recorded time.Time `json:"recorded"`
	Dam      string    `json:"dam,omitempty"`
	Type     string    `json:"type"`
	Actor    string    `json:"actor,omitempty"`
	Text     string    `json:"text"`
}
