package cascade_test

import (
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

// FuzzCascade plays random scripts of alarm events, timers (due, early, stale), redeliveries and
// notification outcomes through a cascade reloaded from its log before every input. Whatever the
// script: no panic, every input decided twice records nothing the second time, no notification is
// requested twice, nothing is requested or scheduled while stopped, and timers are never due
// before they were set.
func FuzzCascade(f *testing.F) {
	f.Add([]byte{0, 5, 5, 5, 1})
	f.Add([]byte{0, 6, 6, 6, 6, 5, 2, 1})
	f.Add([]byte{128, 5, 14, 22, 30, 5, 3, 4, 5, 5})
	f.Add([]byte{0, 7, 7, 0, 1, 5})
	f.Fuzz(func(t *testing.T, script []byte) {
		if len(script) > 64 {
			return
		}
		policies := []cascade.Policy{crue()}
		if len(script) > 0 && script[0]&0x80 != 0 {
			policies = []cascade.Policy{sequence()}
		}
		s := setup(t, policies...)
		var (
			log    []event.Event
			now    = t0
			rev    uint64
			inputs []cascade.AlarmChanged
		)
		emit := func(e event.Event, st alarm.State) cascade.AlarmChanged {
			in := changed(rev, e, st, dam.SeverityHigh)
			rev++
			inputs = append(inputs, in)
			return in
		}
		decide := func(in cascade.Input) {
			for i := range 2 {
				c := load(log)
				if err := c.Decide(in, s, now); err != nil {
					return // unknown notification, wrong stage...: nothing recorded, checked below
				}
				if i == 1 && len(c.Changes()) > 0 {
					t.Fatalf("%+v decided again recorded %q", in, summaries(c.Changes()))
				}
				log = append(log, c.Changes()...)
			}
		}
		for i, b := range script {
			var pending *cascade.StepScheduled
			var requested []string
			for _, e := range log {
				switch e := e.(type) {
				case cascade.StepScheduled:
					pending = &e
				case cascade.StepStarted, cascade.StepAdvanced, cascade.Stopped:
					pending = nil
				case cascade.NotificationRequested:
					requested = append(requested, e.NotificationID)
				}
			}
			switch b % 8 {
			case 0:
				if rev == 0 {
					decide(emit(raise(dam.SeverityHigh), alarm.StateUnackActive))
				} else {
					decide(emit(alarm.Reactivated{AlarmID: id, Severity: dam.SeverityHigh}, alarm.StateUnackActive))
				}
			case 1:
				decide(emit(alarm.Acknowledged{AlarmID: id, By: durand, Via: alarm.ViaSMS}, alarm.StateAckActive))
			case 2:
				decide(emit(alarm.ReturnedToNormal{AlarmID: id}, alarm.StateUnackRTN))
			case 3:
				decide(emit(alarm.Shelved{AlarmID: id, By: martin, Reason: "r", Until: now.Add(time.Hour)}, alarm.StateShelved))
			case 4:
				decide(emit(alarm.Unshelved{AlarmID: id, By: martin}, alarm.StateUnackActive))
			case 5:
				if pending != nil {
					if pending.DueAt.After(now) {
						now = pending.DueAt
					}
					decide(pending.Wake())
				}
			case 6:
				if len(requested) > 0 {
					n := requested[int(b>>3)%len(requested)]
					status := []cascade.OutcomeStatus{cascade.OutcomeSent, cascade.OutcomeDelivered, cascade.OutcomeFailed, cascade.OutcomeFailed}[int(b>>3)%4]
					decide(cascade.Outcome{NotificationID: n, Status: status, Retryable: b&0x40 != 0, Reason: "x"})
				}
			case 7:
				now = now.Add(time.Duration(b>>3) * time.Minute)
				decide(due(int(b>>5)%3, int(b>>3)%4, 0, 0))
				if len(inputs) > 0 {
					decide(inputs[i%len(inputs)]) // a redelivery
				}
			}
		}
		// The whole log.
		running := false
		seen := map[string]bool{}
		for _, e := range log {
			switch e := e.(type) {
			case cascade.Started:
				running = true
			case cascade.Stopped:
				running = false
			case cascade.NotificationRequested:
				if !running {
					t.Fatalf("%s requested while stopped", e.NotificationID)
				}
				if seen[e.NotificationID] {
					t.Fatalf("%s requested twice", e.NotificationID)
				}
				seen[e.NotificationID] = true
			case cascade.StepScheduled:
				if !running {
					t.Fatalf("%+v scheduled while stopped", e)
				}
				if e.DueAt.Before(e.At) {
					t.Fatalf("%+v is due before it was set", e)
				}
			}
		}
	})
}
