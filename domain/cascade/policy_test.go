package cascade_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	d := nimes(t)
	d.Operators = append(d.Operators, cascade.Operator{ID: "op-petit", Phone: "+33600000004", Language: cascade.English})
	d.Groups = append(d.Groups, cascade.Group{ID: "night", Members: []alarm.OperatorID{"op-petit", martin}})
	target := func(k cascade.TargetKind, id string) cascade.Target { return cascade.Target{Kind: k, ID: id} }
	phone := func(n string) []cascade.Contact {
		return []cascade.Contact{{Channel: sms, Address: "+3360000000" + n}, {Channel: voice, Address: "+3360000000" + n}}
	}
	tests := []struct {
		name         string
		targets      []cascade.Target
		channels     []cascade.Channel
		rotation     string
		want         []cascade.Recipient
		wantProblems []string
	}{
		{
			name: "on call and next on call, read at the instant given", targets: []cascade.Target{target(cascade.TargetOnCall, ""), target(cascade.TargetNextOnCall, "")},
			channels: []cascade.Channel{sms, voice}, rotation: "astreinte",
			want: []cascade.Recipient{{Operator: martin, Language: cascade.French, Contacts: phone("2")}, {Operator: durand, Language: cascade.French, Contacts: phone("1")}},
		},
		{
			name: "each operator once, in the order first named", targets: []cascade.Target{target(cascade.TargetGroup, "night"), target(cascade.TargetAllOperators, ""), target(cascade.TargetOperator, string(martin))},
			channels: []cascade.Channel{sms, voice}, rotation: "astreinte",
			want: []cascade.Recipient{
				{Operator: "op-petit", Language: cascade.English, Contacts: phone("4")}, {Operator: martin, Language: cascade.French, Contacts: phone("2")},
				{Operator: durand, Language: cascade.French, Contacts: phone("1")}, {Operator: bernard, Language: cascade.French, Contacts: phone("3")},
			},
		},
		{
			name: "an operator without an address for a channel gets the others", targets: []cascade.Target{target(cascade.TargetOperator, "op-petit")},
			channels:     []cascade.Channel{email, sms},
			want:         []cascade.Recipient{{Operator: "op-petit", Language: cascade.English, Contacts: []cascade.Contact{{Channel: sms, Address: "+33600000004"}}}},
			wantProblems: []string{"op-petit: no email address"},
		},
		{
			name: "what cannot be resolved is said", targets: []cascade.Target{target(cascade.TargetOnCall, ""), target(cascade.TargetGroup, "gone"), target(cascade.TargetOperator, "op-gone")},
			channels: []cascade.Channel{sms}, rotation: "gone",
			want:         []cascade.Recipient{{Operator: "op-gone", Language: cascade.French, Contacts: []cascade.Contact{}}},
			wantProblems: []string{`on_call: no rotation "gone"`, "group:gone: no such group", "op-gone: unknown operator"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, problems := d.Resolve(cascade.Step{Targets: tt.targets, Channels: tt.channels}, tt.rotation, t0)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("recipients\n%+v\nwant\n%+v", got, tt.want)
			}
			if !reflect.DeepEqual(problems, tt.wantProblems) {
				t.Errorf("problems %q, want %q", problems, tt.wantProblems)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	t.Parallel()
	p := crue()
	if !p.AppliesTo(mejean, dam.SeverityCritical) || p.AppliesTo(mejean, dam.SeverityLow) {
		t.Error("crue applies to high and critical alarms of every dam only")
	}
	only := cascade.Policy{Dams: []dam.ID{"bassin-nord"}, Severities: []dam.Severity{dam.SeverityLow}}
	if only.AppliesTo(mejean, dam.SeverityLow) || !only.AppliesTo("bassin-nord", dam.SeverityLow) {
		t.Error("a policy listing dams applies to those only")
	}
	if err := nimes(t).Validate(); err != nil {
		t.Errorf("the reference directory: %v", err)
	}
	tests := []struct {
		name   string
		change func(*cascade.Policy)
		want   []string
	}{
		{"the reference policy", func(*cascade.Policy) {}, nil},
		{"sequence within the wait", func(p *cascade.Policy) {
			p.Steps[0].Mode, p.Steps[0].ChannelDelay = cascade.ModeSequence, time.Minute
		}, nil},
		{"every mistake at once", func(p *cascade.Policy) {
			p.ID, p.AllDams, p.Severities, p.Rotation = "", false, []dam.Severity{"grave"}, ""
			p.Steps[0].Targets = append(p.Steps[0].Targets, cascade.Target{Kind: cascade.TargetGroup}, cascade.Target{Kind: "boss"})
			p.Steps[0].Channels = []cascade.Channel{sms, sms, "fax"}
			p.Steps[1].WaitForAck = 0
			p.Steps[1].Mode = "random"
			p.Steps[2].Mode = cascade.ModeSequence
			p.RepeatLastEvery = -time.Minute
		}, []string{
			"id is empty", "applies to no dam", `severity "grave"`, "repeat every -1m0s", "step 1: target on_call needs the policy's rotation",
			"step 1: target group needs an id", `step 1: unknown target kind "boss"`, "step 1: channel sms listed twice", `step 1: unknown channel "fax"`,
			"step 2: wait for ack must be > 0", `step 2: unknown mode "random"`, "step 3: sequence needs a channel delay",
		}},
		{"a sequence longer than its step", func(p *cascade.Policy) {
			p.Steps[2].Mode, p.Steps[2].ChannelDelay = cascade.ModeSequence, 5*time.Minute
		}, []string{"step 3: its 3 channels take 10m0s in sequence, not less than the 10m0s the step lasts"}},
		{"no steps", func(p *cascade.Policy) { p.Steps = nil }, []string{"no step"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := crue()
			tt.change(&p)
			err := p.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
		})
	}
}
