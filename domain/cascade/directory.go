package cascade

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/vigie/vigie/domain/alarm"
)

// Operator is a person the cascade can call.
type Operator struct {
	ID    alarm.OperatorID
	Name  string
	Phone string // E.164, for sms and voice
	Email string
	// Language of this operator's messages; the directory's when empty.
	Language Language
}

// Address is where ch reaches the operator; "" when it cannot.
func (o Operator) Address(ch Channel) string {
	switch ch {
	case ChannelSMS, ChannelVoice:
		return o.Phone
	case ChannelEmail:
		return o.Email
	}
	return ""
}

// Group is a named set of operators a step can call together.
type Group struct {
	ID      string
	Members []alarm.OperatorID
}

// Directory is who can be called, as the configuration says now: operators and their addresses,
// groups and rotations. Targets are resolved against it at the instant a step starts, so a step
// reaches whoever is on duty then.
type Directory struct {
	Operators []Operator // all_operators calls them in this order
	Groups    []Group
	Rotations []Rotation
	// Language of operators who set none ("" : French).
	Language Language
	// Location is the site's time zone, for the times written in messages (UTC when nil).
	Location *time.Location
}

// Validate reports every inconsistency at once.
func (d Directory) Validate() error {
	var errs []error
	ops := map[alarm.OperatorID]bool{}
	for i, o := range d.Operators {
		if o.ID == "" {
			errs = append(errs, fmt.Errorf("operator %d: id is empty", i))
		}
		if ops[o.ID] {
			errs = append(errs, fmt.Errorf("operator %s listed twice", o.ID))
		}
		ops[o.ID] = true
		if o.Phone == "" && o.Email == "" {
			errs = append(errs, fmt.Errorf("operator %s: no phone and no email, nothing reaches them", o.ID))
		}
	}
	known := func(what string, id alarm.OperatorID) {
		if !ops[id] {
			errs = append(errs, fmt.Errorf("%s: unknown operator %s", what, id))
		}
	}
	for _, g := range d.Groups {
		for _, m := range g.Members {
			known("group "+g.ID, m)
		}
	}
	for _, r := range d.Rotations {
		if err := r.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("rotation %s: %w", r.ID, err))
		}
		for _, m := range r.Members {
			known("rotation "+r.ID, m)
		}
		for _, o := range r.Overrides {
			known("rotation "+r.ID+" override", o.Operator)
		}
	}
	return errors.Join(errs...)
}

// Recipient is an operator a step notifies, with the contacts the step may use, in the step's
// channel order: only the channels the operator has an address for.
type Recipient struct {
	Operator alarm.OperatorID `json:"operator"`
	Language Language         `json:"language"`
	Contacts []Contact        `json:"contacts"`
}

// Contact is an address on a channel.
type Contact struct {
	Channel Channel `json:"channel"`
	Address string  `json:"address"`
}

// Resolve turns a step's targets into recipients at instant `at`: who is on duty (rotation is
// the policy's), the group members, everyone, each operator once in the order first named.
// Problems lists what could not be resolved, in words for the log ("group:x: no such group",
// "op-durand: no email address"); an operator with no usable address is still listed, with no
// contact.
func (d Directory) Resolve(s Step, rotation string, at time.Time) (recipients []Recipient, problems []string) {
	var ids []alarm.OperatorID
	add := func(id alarm.OperatorID) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, t := range s.Targets {
		switch t.Kind {
		case TargetOnCall, TargetNextOnCall:
			r, ok := d.rotation(rotation)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: no rotation %q", t, rotation))
				continue
			}
			id := r.OnCall(at)
			if t.Kind == TargetNextOnCall {
				id = r.Next(at)
			}
			if id == "" {
				problems = append(problems, fmt.Sprintf("%s: nobody on duty in rotation %q", t, rotation))
				continue
			}
			add(id)
		case TargetOperator:
			add(alarm.OperatorID(t.ID))
		case TargetGroup:
			i := slices.IndexFunc(d.Groups, func(g Group) bool { return g.ID == t.ID })
			if i < 0 {
				problems = append(problems, fmt.Sprintf("%s: no such group", t))
				continue
			}
			for _, m := range d.Groups[i].Members {
				add(m)
			}
		case TargetAllOperators:
			for _, o := range d.Operators {
				add(o.ID)
			}
		default:
			problems = append(problems, fmt.Sprintf("%s: unknown target", t))
		}
	}
	for _, id := range ids {
		r := Recipient{Operator: id, Language: d.Language.orDefault(), Contacts: []Contact{}}
		i := slices.IndexFunc(d.Operators, func(o Operator) bool { return o.ID == id })
		if i < 0 {
			problems = append(problems, fmt.Sprintf("%s: unknown operator", id))
			recipients = append(recipients, r)
			continue
		}
		o := d.Operators[i]
		if o.Language != "" {
			r.Language = o.Language.orDefault()
		}
		for _, ch := range s.Channels {
			if a := o.Address(ch); a != "" {
				r.Contacts = append(r.Contacts, Contact{Channel: ch, Address: a})
			} else {
				problems = append(problems, fmt.Sprintf("%s: no %s address", id, ch))
			}
		}
		recipients = append(recipients, r)
	}
	return recipients, problems
}

func (d Directory) rotation(id string) (Rotation, bool) {
	i := slices.IndexFunc(d.Rotations, func(r Rotation) bool { return r.ID == id })
	if i < 0 {
		return Rotation{}, false
	}
	return d.Rotations[i], true
}
