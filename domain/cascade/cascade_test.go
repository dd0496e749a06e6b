package cascade_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

const (
	sms   = cascade.ChannelSMS
	voice = cascade.ChannelVoice
	email = cascade.ChannelEmail
	m     = time.Minute
)

// sequence is the reference policy with a first step in sequence: an SMS, then a call one minute
// later if nobody acknowledged.
func sequence() cascade.Policy {
	p := crue()
	p.Steps[0].Mode = cascade.ModeSequence
	p.Steps[0].ChannelDelay = time.Minute
	return p
}

// Histories every table starts from.
var (
	step1 = []act{{0, raised(0)}}
	step2 = []act{{0, raised(0)}, {5 * m, due(1, 2, 0, 0)}}
	step3 = []act{{0, raised(0)}, {5 * m, due(1, 2, 0, 0)}, {10 * m, due(1, 3, 0, 0)}}
)

// The lines step 1 of the reference policy writes at +0 (op-martin is on duty).
var startStep1 = []string{
	"started run 1 policy crue",
	"step 1.1.0.0 level 1 [op-martin]",
	"notify op-martin sms +33600000002",
	"notify op-martin voice +33600000002",
	"scheduled 1.2.0.0 at +5m0s",
}

func TestDecide(t *testing.T) {
	t.Parallel()
	seq := []cascade.Policy{sequence()}
	tests := []struct {
		name     string
		policies []cascade.Policy // the reference policy when nil
		given    []act
		when     act
		want     []string
		wantErr  error
	}{
		// Starting.
		{name: "a live raise starts step 1 and schedules step 2 after its wait", when: act{0, raised(0)}, want: startStep1},
		{
			name: "a historical raise starts nothing",
			when: act{0, func() cascade.AlarmChanged {
				r := raise(dam.SeverityHigh)
				r.Late, r.Historical = true, true
				return changed(0, r, alarm.StateUnackActive, dam.SeverityHigh)
			}()},
			want: []string{},
		},
		{
			name: "a raise while in maintenance starts nothing",
			when: act{0, func() cascade.AlarmChanged {
				r := raise(dam.SeverityHigh)
				r.Suppression = &alarm.Suppression{By: martin, Reason: "dredging", Since: t0}
				return changed(0, r, alarm.StateSuppressed, dam.SeverityHigh)
			}()},
			want: []string{},
		},
		{
			name: "a raise no policy covers is recorded as such",
			when: act{0, changed(0, raise(dam.SeverityLow), alarm.StateUnackActive, dam.SeverityLow)},
			want: []string{"stopped run 0 no_policy"},
		},
		{
			name:  "a severity rising to one a policy covers starts the cascade",
			given: []act{{0, changed(0, raise(dam.SeverityLow), alarm.StateUnackActive, dam.SeverityLow)}},
			when: act{3 * m, changed(1, alarm.Updated{AlarmID: id, Severity: dam.SeverityHigh, PreviousSeverity: dam.SeverityLow},
				alarm.StateUnackActive, dam.SeverityHigh)},
			want: []string{
				"started run 1 policy crue", "step 1.1.0.0 level 1 [op-martin]",
				"notify op-martin sms +33600000002", "notify op-martin voice +33600000002", "scheduled 1.2.0.0 at +8m0s",
			},
		},
		{
			name:  "a new peak of an uncovered alarm records nothing",
			given: []act{{0, changed(0, raise(dam.SeverityLow), alarm.StateUnackActive, dam.SeverityLow)}},
			when:  act{3 * m, changed(1, alarm.Updated{AlarmID: id, Severity: dam.SeverityLow}, alarm.StateUnackActive, dam.SeverityLow)},
			want:  []string{},
		},
		{
			name:  "a raise delivered again after a crash changes nothing",
			given: []act{{0, raised(0)}, {1 * m, acked(1, alarm.StateAckActive)}},
			when:  act{2 * m, raised(0)},
			want:  []string{},
		},
		{
			name: "a late raise waits for the grace before step 1",
			when: act{0, func() cascade.AlarmChanged {
				r := raise(dam.SeverityHigh)
				r.Late = true
				return changed(0, r, alarm.StateUnackActive, dam.SeverityHigh)
			}()},
			want: []string{"started run 1 policy crue late", "scheduled 1.1.0.0 at +2m0s"},
		},
		{
			name:  "a late alarm back to normal during its grace stops before paging anyone",
			given: []act{{0, lateRaise()}},
			when:  act{1 * m, backToNormal(1)},
			want:  []string{"stopped run 1 returned_to_normal_in_grace"},
		},
		{
			name:  "a late alarm still active after its grace pages",
			given: []act{{0, lateRaise()}},
			when:  act{2 * m, due(1, 1, 0, 0)},
			want: []string{
				"step 1.1.0.0 level 1 [op-martin]", "notify op-martin sms +33600000002", "notify op-martin voice +33600000002",
				"scheduled 1.2.0.0 at +7m0s",
			},
		},

		// Timers.
		{
			name:  "no acknowledgement: step 2 exactly after the wait",
			given: step1,
			when:  act{5 * m, due(1, 2, 0, 0)},
			want: []string{
				"step 1.2.0.0 level 2 [op-durand]", "notify op-durand sms +33600000001", "notify op-durand voice +33600000001",
				"scheduled 1.3.0.0 at +10m0s",
			},
		},
		{name: "a timer firing early does nothing", given: step1, when: act{5*m - time.Nanosecond, due(1, 2, 0, 0)}, want: []string{}},
		{name: "a duplicate timer does nothing", given: step2, when: act{5*m + time.Second, due(1, 2, 0, 0)}, want: []string{}},
		{name: "a timer for a stage not pending does nothing", given: step1, when: act{10 * m, due(1, 3, 0, 0)}, want: []string{}},
		{
			name:  "a timer after the stop does nothing",
			given: []act{{0, raised(0)}, {2 * m, acked(1, alarm.StateAckActive)}},
			when:  act{5 * m, due(1, 2, 0, 0)},
			want:  []string{},
		},
		{
			name:  "a timer served late still gives the next step its whole wait",
			given: step1,
			when:  act{9 * m, due(1, 2, 0, 0)},
			want: []string{
				"step 1.2.0.0 level 2 [op-durand]", "notify op-durand sms +33600000001", "notify op-durand voice +33600000001",
				"scheduled 1.3.0.0 at +14m0s",
			},
		},
		{
			name:  "step 3 calls the supervisor and every operator, each once, and schedules its repeat",
			given: step2,
			when:  act{10 * m, due(1, 3, 0, 0)},
			want: append([]string{"step 1.3.0.0 level 3 [op-bernard op-durand op-martin]"}, append(everyone(),
				"scheduled 1.3.1.0 at +20m0s")...),
		},
		{
			name:  "the last step repeats every 10 minutes",
			given: step3,
			when:  act{20 * m, due(1, 3, 1, 0)},
			want: append([]string{"step 1.3.1.0 level 3 [op-bernard op-durand op-martin]"}, append(everyone(),
				"scheduled 1.3.2.0 at +30m0s")...),
		},

		// Stopping.
		{name: "an acknowledgement during step 1 stops at once", given: step1, when: act{2 * m, acked(1, alarm.StateAckActive)},
			want: []string{"stopped run 1 acknowledged by op-durand"}},
		{
			name:  "an acknowledgement arriving twice stops once",
			given: []act{{0, raised(0)}, {2 * m, acked(1, alarm.StateAckActive)}},
			when:  act{2*m + time.Second, acked(1, alarm.StateAckActive)},
			want:  []string{},
		},
		{
			name:  "a second acknowledgement event (web after SMS) finds the cascade stopped",
			given: []act{{0, raised(0)}, {2 * m, acked(1, alarm.StateAckActive)}},
			when:  act{3 * m, acked(2, alarm.StateAckActive)},
			want:  []string{},
		},
		{name: "back to normal unacknowledged: paging goes on", given: step2, when: act{6 * m, backToNormal(1)}, want: []string{}},
		{
			name:  "back to normal then acknowledged: over",
			given: []act{{0, raised(0)}, {1 * m, backToNormal(1)}},
			when:  act{2 * m, acked(2, alarm.StateNormal)},
			want:  []string{"stopped run 1 returned_to_normal_and_acked by op-durand"},
		},
		{
			name:  "a closed alarm stops the cascade",
			given: []act{{0, raised(0)}, {1 * m, backToNormal(1)}},
			when:  act{2 * m, changed(2, alarm.Closed{AlarmID: id, By: bernard, Reason: "false alarm"}, alarm.StateClosed, dam.SeverityHigh)},
			want:  []string{"stopped run 1 closed by op-bernard"},
		},
		{
			name:  "a shelved alarm stops the cascade",
			given: step1,
			when:  act{1 * m, changed(1, alarm.Shelved{AlarmID: id, By: martin, Reason: "gauge cleaned", Until: at(61 * m)}, alarm.StateShelved, dam.SeverityHigh)},
			want:  []string{"stopped run 1 shelved by op-martin"},
		},
		{
			name:  "an alarm removed from service stops the cascade",
			given: step1,
			when:  act{1 * m, changed(1, alarm.RemovedFromService{AlarmID: id, By: martin, Reason: "sensor replaced"}, alarm.StateSuppressed, dam.SeverityHigh)},
			want:  []string{"stopped run 1 removed_from_service by op-martin"},
		},
		{
			name: "an alarm annunciated again after its shelve starts a new run from step 1",
			given: []act{{0, raised(0)},
				{1 * m, changed(1, alarm.Shelved{AlarmID: id, By: martin, Reason: "r", Until: at(61 * m)}, alarm.StateShelved, dam.SeverityHigh)}},
			when: act{61 * m, changed(2, alarm.Unshelved{AlarmID: id, Expired: true}, alarm.StateUnackActive, dam.SeverityHigh)},
			want: []string{
				"started run 2 policy crue", "step 2.1.0.0 level 1 [op-martin]",
				"notify op-martin sms +33600000002", "notify op-martin voice +33600000002", "scheduled 2.2.0.0 at +1h6m0s",
			},
		},
		{
			name: "a timer of the previous run does nothing",
			given: []act{{0, raised(0)},
				{1 * m, changed(1, alarm.Shelved{AlarmID: id, By: martin, Reason: "r", Until: at(3 * m)}, alarm.StateShelved, dam.SeverityHigh)},
				{3 * m, changed(2, alarm.Unshelved{AlarmID: id, Expired: true}, alarm.StateUnackActive, dam.SeverityHigh)}},
			when: act{5 * m, due(1, 2, 0, 0)},
			want: []string{},
		},

		// Notifications.
		{name: "a send is recorded once", given: append(step1[:1:1], act{0, sent(nid(1, 1, 0, martin, sms))}), when: act{time.Second, sent(nid(1, 1, 0, martin, sms))}, want: []string{}},
		{
			name: "a delivery is recorded", given: step1, when: act{time.Second, cascade.Outcome{NotificationID: nid(1, 1, 0, martin, voice), Status: cascade.OutcomeDelivered}},
			want: []string{"delivered 1/1/0/op-martin/voice"},
		},
		{
			name:     "sequence: the first channel, the next one after its delay",
			policies: seq,
			when:     act{0, raised(0)},
			want:     []string{"started run 1 policy crue", "step 1.1.0.0 level 1 [op-martin]", "notify op-martin sms +33600000002", "scheduled 1.1.0.1 at +1m0s"},
		},
		{
			name:     "sequence: no acknowledgement, the next channel after its delay, then the step's end",
			policies: seq,
			given:    step1,
			when:     act{1 * m, due(1, 1, 0, 1)},
			want:     []string{"advanced 1.1.0.1", "notify op-martin voice +33600000002", "scheduled 1.2.0.0 at +5m0s"},
		},
		{
			name:     "sequence: a channel failing for good falls back to the next one at once",
			policies: seq,
			given:    step1,
			when:     act{10 * time.Second, failed(nid(1, 1, 0, martin, sms), false)},
			want:     []string{"failed 1/1/0/op-martin/sms retryable=false", "notify op-martin voice +33600000002 fallback"},
		},
		{
			name:     "sequence: the round after a fallback has nothing left to send",
			policies: seq,
			given:    append(step1[:1:1], act{10 * time.Second, failed(nid(1, 1, 0, martin, sms), false)}),
			when:     act{1 * m, due(1, 1, 0, 1)},
			want:     []string{"advanced 1.1.0.1", "scheduled 1.2.0.0 at +5m0s"},
		},
		{
			name:     "a temporary failure is left to the pipeline's retries",
			policies: seq,
			given:    step1,
			when:     act{10 * time.Second, failed(nid(1, 1, 0, martin, sms), true)},
			want:     []string{"failed 1/1/0/op-martin/sms retryable=true"},
		},
		{
			name:    "a temporary failure reported again is recorded once",
			given:   append(step1[:1:1], act{10 * time.Second, failed(nid(1, 1, 0, martin, sms), true)}),
			when:    act{20 * time.Second, failed(nid(1, 1, 0, martin, sms), true)},
			want:    []string{},
			wantErr: nil,
		},
		{
			name:  "parallel: one channel failing leaves the other; the step goes on",
			given: step1,
			when:  act{10 * time.Second, failed(nid(1, 1, 0, martin, sms), false)},
			want:  []string{"failed 1/1/0/op-martin/sms retryable=false"},
		},
		{
			name:  "every channel of the step failing for good: the next step at once",
			given: append(step1[:1:1], act{10 * time.Second, failed(nid(1, 1, 0, martin, sms), false)}),
			when:  act{20 * time.Second, failed(nid(1, 1, 0, martin, voice), false)},
			want: []string{
				"failed 1/1/0/op-martin/voice retryable=false", "unreachable 1.1.0.0",
				"step 1.2.0.0 level 2 [op-durand]", "notify op-durand sms +33600000001", "notify op-durand voice +33600000001",
				"scheduled 1.3.0.0 at +5m20s",
			},
		},
		{
			name:  "a failure of a step already over is recorded, nothing falls back",
			given: step2,
			when:  act{6 * m, failed(nid(1, 1, 0, martin, sms), false)},
			want:  []string{"failed 1/1/0/op-martin/sms retryable=false"},
		},
		{
			name:  "a failure after the stop is recorded, nothing falls back",
			given: []act{{0, raised(0)}, {1 * m, acked(1, alarm.StateAckActive)}},
			when:  act{2 * m, failed(nid(1, 1, 0, martin, sms), false)},
			want:  []string{"failed 1/1/0/op-martin/sms retryable=false"},
		},
		{
			name:     "a step that resolves to nobody gives way to the next at once",
			policies: []cascade.Policy{withRotation(crue(), "gone")},
			when:     act{0, raised(0)},
			want: []string{
				"started run 1 policy crue", "step 1.1.0.0 level 1 []", "unreachable 1.1.0.0",
				"step 1.2.0.0 level 2 []", "unreachable 1.2.0.0",
				"step 1.3.0.0 level 3 [op-bernard op-durand op-martin]",
				"notify op-bernard sms +33600000003", "notify op-bernard voice +33600000003", "notify op-bernard email bernard@example.org",
				"notify op-durand sms +33600000001", "notify op-durand voice +33600000001", "notify op-durand email durand@example.org",
				"notify op-martin sms +33600000002", "notify op-martin voice +33600000002", "notify op-martin email martin@example.org",
				"scheduled 1.3.1.0 at +10m0s",
			},
		},

		// Errors.
		{name: "an outcome of an unknown notification", given: step1, when: act{m, sent("nope")}, wantErr: cascade.ErrUnknownNotification},
		{name: "an outcome of no known status", given: step1, when: act{m, cascade.Outcome{NotificationID: nid(1, 1, 0, martin, sms), Status: "lost"}}, wantErr: cascade.ErrInvalidInput},
		{name: "a timer of another alarm", given: step1, when: act{5 * m, cascade.Escalate{AlarmID: "other", Stage: cascade.Stage{Run: 1, Step: 2}}}, wantErr: cascade.ErrWrongCascade},
		{
			name: "an event of another alarm",
			when: act{0, func() cascade.AlarmChanged { a := raised(0); a.Status.ID = "other"; return a }()}, wantErr: cascade.ErrWrongCascade,
		},
		{name: "no input", when: act{0, nil}, wantErr: cascade.ErrInvalidInput},
		{name: "an alarm change without its event", when: act{0, cascade.AlarmChanged{Status: status(alarm.StateUnackActive, dam.SeverityHigh)}}, wantErr: cascade.ErrInvalidInput},
		{
			name:  "a historical reactivation starts nothing",
			given: []act{{0, lateRaise()}, {1 * m, backToNormal(1)}},
			when: act{3 * m, changed(2, alarm.Reactivated{AlarmID: id, Severity: dam.SeverityHigh, Late: true, Historical: true},
				alarm.StateUnackActive, dam.SeverityHigh)},
			want: []string{},
		},
		{
			name:  "an alarm back in service while active starts a new run",
			given: []act{{0, raised(0)}, {1 * m, changed(1, alarm.RemovedFromService{AlarmID: id, By: martin, Reason: "r"}, alarm.StateSuppressed, dam.SeverityHigh)}},
			when:  act{30 * m, changed(2, alarm.ReturnedToService{AlarmID: id, By: martin}, alarm.StateUnackActive, dam.SeverityHigh)},
			want: []string{
				"started run 2 policy crue", "step 2.1.0.0 level 1 [op-martin]",
				"notify op-martin sms +33600000002", "notify op-martin voice +33600000002", "scheduled 2.2.0.0 at +35m0s",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := setup(t, tt.policies...)
			given := history(t, s, tt.given...)
			c := load(given)
			err := c.Decide(tt.when.in, s, at(tt.when.at))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if len(c.Changes()) != 0 {
					t.Errorf("a failed decision recorded %v", summaries(c.Changes()))
				}
				return
			}
			if got := summaries(c.Changes()); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n\t%q\nwant\n\t%q", got, tt.want)
			}
			// After a crash the saga sees its input again: nothing new.
			again := load(append(given, c.Changes()...))
			if err := again.Decide(tt.when.in, s, at(tt.when.at)); err != nil {
				t.Fatal(err)
			}
			if got := again.Changes(); len(got) != 0 {
				t.Errorf("deciding the same input again recorded %q", summaries(got))
			}
		})
	}
}

func lateRaise() cascade.AlarmChanged {
	r := raise(dam.SeverityHigh)
	r.Late = true
	return changed(0, r, alarm.StateUnackActive, dam.SeverityHigh)
}

func withRotation(p cascade.Policy, rotation string) cascade.Policy {
	p.Rotation = rotation
	return p
}

// everyone is the notifications of step 3 of the reference policy.
func everyone() []string {
	return []string{
		"notify op-bernard sms +33600000003", "notify op-bernard voice +33600000003", "notify op-bernard email bernard@example.org",
		"notify op-durand sms +33600000001", "notify op-durand voice +33600000001", "notify op-durand email durand@example.org",
		"notify op-martin sms +33600000002", "notify op-martin voice +33600000002", "notify op-martin email martin@example.org",
	}
}

// TestNotificationRequested pins one request whole: the idempotency key, the address, the text in
// the operator's language with the reply code and the link placeholder.
func TestNotificationRequested(t *testing.T) {
	t.Parallel()
	s := setup(t)
	c := cascade.New(id)
	if err := c.Decide(raised(0), s, t0); err != nil {
		t.Fatal(err)
	}
	var got cascade.NotificationRequested
	for _, e := range c.Changes() {
		if r, ok := e.(cascade.NotificationRequested); ok {
			got = r
			break
		}
	}
	want := cascade.NotificationRequested{
		NotificationID: "mejean~level:alerte~1/1/1/0/op-martin/sms", AlarmID: id, Stage: cascade.Stage{Run: 1, Step: 1},
		Operator: martin, Channel: sms, Address: "+33600000002", Language: cascade.French,
		Text: "VIGIE ALARME HAUTE Barrage de Méjean : seuil « alerte » atteint. Niveau 6,12 m, remplissage 72 %, " +
			"déversement dans 1 h 40. Depuis 10/10 05:00. Répondre OK " + cascade.ReplyCode(id) + " pour acquitter. {link}",
		ReplyCode: cascade.ReplyCode(id), At: t0,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}

// TestStatus reads what a cascade knows after a restart.
func TestStatus(t *testing.T) {
	t.Parallel()
	s := setup(t)
	c := load(history(t, s, step2...))
	got := c.Status()
	if !got.Running || got.Run != 1 || got.Policy != "crue" || got.Step == nil || got.Step.Step != 2 {
		t.Fatalf("status %+v", got)
	}
	if got.Pending == nil || got.Pending.Stage != (cascade.Stage{Run: 1, Step: 3}) || !got.Pending.DueAt.Equal(at(10*m)) {
		t.Fatalf("pending %+v, want step 3 at +10m", got.Pending)
	}
	if w := got.Pending.Wake(); w != due(1, 3, 0, 0) {
		t.Errorf("wake %+v", w)
	}
	stopped := load(history(t, s, act{0, raised(0)}, act{m, acked(1, alarm.StateAckActive)})).Status()
	if stopped.Running || stopped.Reason != cascade.StopAcknowledged || stopped.Pending != nil {
		t.Errorf("stopped status %+v", stopped)
	}
}
