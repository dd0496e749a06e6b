package cascade_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without zone data

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// The fake clock: t0 is Friday 10 October 2025, 03:00 UTC (05:00 in Nîmes), the night of the
// reference storm; at(d) is d later.
var t0 = time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func paris(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

const (
	mejean  = dam.ID("mejean")
	durand  = alarm.OperatorID("op-durand")
	martin  = alarm.OperatorID("op-martin")
	bernard = alarm.OperatorID("op-bernard")
)

var (
	alerte = alarm.Condition("level:alerte")
	id     = alarm.NewID(mejean, alerte, 1)
)

// nimes is examples/nimes.yaml as the wiring converts it: three operators, the supervisors'
// group, the weekly rotation handing over on Monday at 08:00 (op-durand from 6 January 2025).
// On t0, in the 40th week, op-martin is on duty and op-durand is next.
func nimes(tb testing.TB) cascade.Directory {
	tb.Helper()
	loc := paris(tb)
	return cascade.Directory{
		Operators: []cascade.Operator{
			{ID: durand, Name: "Camille Durand", Phone: "+33600000001", Email: "durand@example.org"},
			{ID: martin, Name: "Sacha Martin", Phone: "+33600000002", Email: "martin@example.org"},
			{ID: bernard, Name: "Dominique Bernard", Phone: "+33600000003", Email: "bernard@example.org"},
		},
		Groups: []cascade.Group{{ID: "supervisors", Members: []alarm.OperatorID{bernard}}},
		Rotations: []cascade.Rotation{{
			ID: "astreinte", Members: []alarm.OperatorID{durand, martin}, Location: loc,
			Start:    time.Date(2025, 1, 6, 8, 0, 0, 0, loc),
			Handover: cascade.Handover{Weekday: time.Monday, Hour: 8},
		}},
		Language: cascade.French,
		Location: loc,
	}
}

// crue is the reference policy (shared/reference/dams.yaml): the on-call operator, then the next
// one, 5 minutes each, then the supervisor and every operator, repeated every 10 minutes.
func crue() cascade.Policy {
	return cascade.Policy{
		ID: "crue", AllDams: true, Severities: []dam.Severity{dam.SeverityHigh, dam.SeverityCritical}, Rotation: "astreinte",
		Steps: []cascade.Step{
			{Targets: []cascade.Target{{Kind: cascade.TargetOnCall}}, Channels: []cascade.Channel{cascade.ChannelSMS, cascade.ChannelVoice}, WaitForAck: 5 * time.Minute},
			{Targets: []cascade.Target{{Kind: cascade.TargetNextOnCall}}, Channels: []cascade.Channel{cascade.ChannelSMS, cascade.ChannelVoice}, WaitForAck: 5 * time.Minute},
			{
				Targets:  []cascade.Target{{Kind: cascade.TargetGroup, ID: "supervisors"}, {Kind: cascade.TargetAllOperators}},
				Channels: []cascade.Channel{cascade.ChannelSMS, cascade.ChannelVoice, cascade.ChannelEmail},
			},
		},
		RepeatLastEvery: 10 * time.Minute,
	}
}

func setup(tb testing.TB, policies ...cascade.Policy) cascade.Setup {
	tb.Helper()
	if len(policies) == 0 {
		policies = []cascade.Policy{crue()}
	}
	return cascade.Setup{Policies: policies, Directory: nimes(tb), LateGrace: 2 * time.Minute}
}

// Alarm events as the process manager delivers them: the event, its revision, the status after.

func status(st alarm.State, sev dam.Severity) alarm.Status {
	return alarm.Status{
		ID: id, Dam: mejean, Condition: alerte, Class: alarm.ClassProcess, Occurrence: 1, State: st,
		Active: st == alarm.StateUnackActive || st == alarm.StateAckActive, Severity: sev, RaisedAt: t0,
	}
}

func facts() cascade.Facts {
	level, fill := 6.12, 72.4
	return cascade.Facts{
		DamName: "Barrage de Méjean", Value: 6.12, Limit: 6, Unit: "m", Level: &level, Fill: &fill,
		TimeToSpill: 100 * time.Minute, Since: t0,
	}
}

func raise(sev dam.Severity) alarm.Raised {
	return alarm.Raised{
		AlarmID: id, Dam: mejean, Condition: alerte, Class: alarm.ClassProcess, Occurrence: 1, Group: alarm.Group(id),
		Source: "mejean.level", Severity: sev, Value: 6.12, Limit: 6, Unit: "m", Since: t0, At: t0,
	}
}

func changed(rev uint64, e event.Event, st alarm.State, sev dam.Severity) cascade.AlarmChanged {
	return cascade.AlarmChanged{Revision: rev, Event: e, Status: status(st, sev), Facts: facts()}
}

func raised(rev uint64) cascade.AlarmChanged {
	return changed(rev, raise(dam.SeverityHigh), alarm.StateUnackActive, dam.SeverityHigh)
}

func acked(rev uint64, st alarm.State) cascade.AlarmChanged {
	return changed(rev, alarm.Acknowledged{AlarmID: id, By: durand, Via: alarm.ViaSMS}, st, dam.SeverityHigh)
}

func backToNormal(rev uint64) cascade.AlarmChanged {
	return changed(rev, alarm.ReturnedToNormal{AlarmID: id, Source: "mejean.level", Value: 5.8}, alarm.StateUnackRTN, dam.SeverityHigh)
}

func due(run, step, repeat, round int) cascade.Escalate {
	return cascade.Escalate{AlarmID: id, Stage: cascade.Stage{Run: run, Step: step, Repeat: repeat, Round: round}}
}

func nid(run, step, repeat int, op alarm.OperatorID, ch cascade.Channel) string {
	return cascade.NotificationID(id, cascade.Stage{Run: run, Step: step, Repeat: repeat}, op, ch)
}

func failed(nid string, retryable bool) cascade.Outcome {
	return cascade.Outcome{NotificationID: nid, Status: cascade.OutcomeFailed, Reason: "invalid number", Retryable: retryable}
}

func sent(nid string) cascade.Outcome {
	return cascade.Outcome{NotificationID: nid, Status: cascade.OutcomeSent, ProviderRef: "SM123"}
}

// act is one input at one time of the fake clock.
type act struct {
	at time.Duration
	in cascade.Input
}

// history plays acts on a new cascade, as many command handlers would (load, decide, append),
// and returns the stored events.
func history(tb testing.TB, s cascade.Setup, acts ...act) []event.Event {
	tb.Helper()
	var log []event.Event
	for _, a := range acts {
		c := load(log)
		if err := c.Decide(a.in, s, at(a.at)); err != nil {
			tb.Fatalf("given %T at +%s: %v", a.in, a.at, err)
		}
		log = append(log, c.Changes()...)
	}
	return log
}

func load(log []event.Event) *cascade.Cascade {
	c := cascade.New(id)
	if len(log) > 0 {
		c.Load(uint64(len(log)-1), log)
	}
	return c
}

// summary writes an event in a line a table can hold; times are offsets from t0.
func summary(e event.Event) string {
	st := func(s cascade.Stage) string { return fmt.Sprintf("%d.%d.%d.%d", s.Run, s.Step, s.Repeat, s.Round) }
	short := func(n string) string { return strings.TrimPrefix(n, string(id)+"/") }
	switch e := e.(type) {
	case cascade.Started:
		late := ""
		if e.Late {
			late = " late"
		}
		return fmt.Sprintf("started run %d policy %s%s", e.Run, e.Policy.ID, late)
	case cascade.StepScheduled:
		return fmt.Sprintf("scheduled %s at +%s", st(e.Stage), e.DueAt.Sub(t0))
	case cascade.StepStarted:
		var ops []string
		for _, r := range e.Recipients {
			ops = append(ops, string(r.Operator))
		}
		return fmt.Sprintf("step %s level %d %v", st(e.Stage), e.Level, ops)
	case cascade.StepAdvanced:
		return "advanced " + st(e.Stage)
	case cascade.StepUnreachable:
		return "unreachable " + st(e.Stage)
	case cascade.NotificationRequested:
		fb := ""
		if e.Fallback {
			fb = " fallback"
		}
		return fmt.Sprintf("notify %s %s %s%s", e.Operator, e.Channel, e.Address, fb)
	case cascade.NotificationSent:
		return "sent " + short(e.NotificationID)
	case cascade.NotificationDelivered:
		return "delivered " + short(e.NotificationID)
	case cascade.NotificationFailed:
		return fmt.Sprintf("failed %s retryable=%t", short(e.NotificationID), e.Retryable)
	case cascade.Stopped:
		by := ""
		if e.By != "" {
			by = " by " + string(e.By)
		}
		return fmt.Sprintf("stopped run %d %s%s", e.Run, e.Reason, by)
	}
	return fmt.Sprintf("%T", e)
}

func summaries(es []event.Event) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, summary(e))
	}
	return out
}
