package cascade

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/vigie/vigie/domain/dam"
)

// TargetKind says whom an escalation step calls.
type TargetKind string

const (
	TargetOnCall       TargetKind = "on_call"       // the rotation's member on duty
	TargetNextOnCall   TargetKind = "next_on_call"  // who takes duty next (Rotation.Next)
	TargetOperator     TargetKind = "operator"      // one named operator (ID)
	TargetGroup        TargetKind = "group"         // every member of a group (ID)
	TargetAllOperators TargetKind = "all_operators" // everyone in the directory
)

// Target is one recipient of a step; ID is set for operator and group.
type Target struct {
	Kind TargetKind `json:"kind"`
	ID   string     `json:"id,omitempty"`
}

// String is the configuration's spelling: "on_call", "operator:op-durand".
func (t Target) String() string {
	if t.ID != "" {
		return string(t.Kind) + ":" + t.ID
	}
	return string(t.Kind)
}

func (t Target) validate() error {
	switch t.Kind {
	case TargetOnCall, TargetNextOnCall, TargetAllOperators:
		if t.ID != "" {
			return fmt.Errorf("target %s takes no id", t)
		}
	case TargetOperator, TargetGroup:
		if t.ID == "" {
			return fmt.Errorf("target %s needs an id", t.Kind)
		}
	default:
		return fmt.Errorf("unknown target kind %q", t.Kind)
	}
	return nil
}

// Channel carries a notification.
type Channel string

const (
	ChannelSMS   Channel = "sms"
	ChannelVoice Channel = "voice"
	ChannelEmail Channel = "email"
)

// Valid reports whether ch is a known channel.
func (ch Channel) Valid() bool { return ch == ChannelSMS || ch == ChannelVoice || ch == ChannelEmail }

// Mode says how a step uses its channels.
type Mode string

const (
	// ModeParallel notifies every recipient on every channel at once (also when empty).
	ModeParallel Mode = "parallel"
	// ModeSequence notifies every recipient on the first channel, then, while nobody acknowledges,
	// on the next one every ChannelDelay (SMS, then a call a minute later). A channel that fails for
	// good is replaced by the recipient's next one at once.
	ModeSequence Mode = "sequence"
)

// Step is one stage of an escalation.
type Step struct {
	Targets  []Target  `json:"targets"`
	Channels []Channel `json:"channels"`
	Mode     Mode      `json:"mode,omitempty"`
	// ChannelDelay: in ModeSequence, the time between one channel and the next.
	ChannelDelay time.Duration `json:"channel_delay,omitempty"`
	// WaitForAck: how long the step waits for an acknowledgement before the next step starts
	// (counted from the step's start). Required on every step but the last.
	WaitForAck time.Duration `json:"wait_for_ack,omitempty"`
}

// Policy says who is called, how and in which order for the alarms it applies to. A cascade
// records the policy it follows when it starts, so a configuration change does not alter a
// cascade in progress and the log tells what was in force.
type Policy struct {
	ID string `json:"id"`
	// AllDams: the policy applies to every dam; otherwise to Dams.
	AllDams    bool           `json:"all_dams,omitempty"`
	Dams       []dam.ID       `json:"dams,omitempty"`
	Severities []dam.Severity `json:"severities"`
	// Rotation whose on_call and next_on_call the steps mean.
	Rotation string `json:"rotation,omitempty"`
	Steps    []Step `json:"steps"`
	// RepeatLastEvery repeats the last step, counted from its previous start, until someone
	// acknowledges; 0: no repeat.
	RepeatLastEvery time.Duration `json:"repeat_last_every,omitempty"`
}

// AppliesTo reports whether an alarm of severity s on dam d follows this policy.
func (p Policy) AppliesTo(d dam.ID, s dam.Severity) bool {
	return (p.AllDams || slices.Contains(p.Dams, d)) && slices.Contains(p.Severities, s)
}

// Validate reports every inconsistency at once.
func (p Policy) Validate() error {
	var errs []error
	if p.ID == "" {
		errs = append(errs, errors.New("id is empty"))
	}
	if !p.AllDams && len(p.Dams) == 0 {
		errs = append(errs, errors.New("applies to no dam"))
	}
	if len(p.Severities) == 0 {
		errs = append(errs, errors.New("applies to no severity"))
	}
	for _, s := range p.Severities {
		if !s.Valid() {
			errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", s))
		}
	}
	if len(p.Steps) == 0 {
		errs = append(errs, errors.New("no step"))
	}
	if p.RepeatLastEvery < 0 {
		errs = append(errs, fmt.Errorf("repeat every %s: must be ≥ 0", p.RepeatLastEvery))
	}
	for i, s := range p.Steps {
		last := i == len(p.Steps)-1
		for _, err := range s.problems(p, last) {
			errs = append(errs, fmt.Errorf("step %d: %w", i+1, err))
		}
	}
	return errors.Join(errs...)
}

// problems lists what is wrong with step s of policy p.
func (s Step) problems(p Policy, last bool) []error {
	var errs []error
	if len(s.Targets) == 0 {
		errs = append(errs, errors.New("no target"))
	}
	for _, t := range s.Targets {
		if err := t.validate(); err != nil {
			errs = append(errs, err)
		}
		if (t.Kind == TargetOnCall || t.Kind == TargetNextOnCall) && p.Rotation == "" {
			errs = append(errs, fmt.Errorf("target %s needs the policy's rotation", t))
		}
	}
	if len(s.Channels) == 0 {
		errs = append(errs, errors.New("no channel"))
	}
	for i, ch := range s.Channels {
		if !ch.Valid() {
			errs = append(errs, fmt.Errorf("unknown channel %q", ch))
		}
		if slices.Index(s.Channels, ch) < i {
			errs = append(errs, fmt.Errorf("channel %s listed twice", ch))
		}
	}
	switch s.Mode {
	case "", ModeParallel:
	case ModeSequence:
		if s.ChannelDelay <= 0 {
			errs = append(errs, errors.New("sequence needs a channel delay > 0"))
		}
	default:
		errs = append(errs, fmt.Errorf("unknown mode %q", s.Mode))
	}
	if !last && s.WaitForAck <= 0 {
		errs = append(errs, errors.New("wait for ack must be > 0 on every step but the last"))
	}
	if s.WaitForAck < 0 {
		errs = append(errs, fmt.Errorf("wait for ack %s: must be ≥ 0", s.WaitForAck))
	}
	// The step would end before its last channel is tried.
	if s.Mode == ModeSequence && s.ChannelDelay > 0 && len(s.Channels) > 1 {
		span := time.Duration(len(s.Channels)-1) * s.ChannelDelay
		end := s.WaitForAck
		if last {
			end = p.RepeatLastEvery
		}
		if end > 0 && span >= end {
			errs = append(errs, fmt.Errorf("its %d channels take %s in sequence, not less than the %s the step lasts", len(s.Channels), span, end))
		}
	}
	return errs
}
