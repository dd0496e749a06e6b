package config

import (
	"fmt"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
)

// DefaultLateGrace delays the first step of a cascade started by a late alarm (a gateway flushing
// its buffer), so an episode already over by then wakes nobody (docs/alarms.md §6).
const DefaultLateGrace = 2 * time.Minute

// CascadeSetup converts the people, rotations and escalation policies into what the cascade saga
// needs. The configuration was validated when loaded; the domain validates again, so a mismatch
// between the two rule sets is an error here rather than a cascade that cannot page anyone.
func (c *Config) CascadeSetup() (cascade.Setup, error) {
	loc := c.site.Location
	if loc == nil {
		loc = time.UTC
	}
	dir := cascade.Directory{Language: cascade.Language(c.site.Language), Location: loc}
	for _, o := range c.operators {
		dir.Operators = append(dir.Operators, cascade.Operator{
			ID: alarm.OperatorID(o.ID), Name: o.Name, Phone: o.Phone, Email: o.Email,
			Language: cascade.Language(o.Language),
		})
	}
	for _, g := range c.groups {
		dir.Groups = append(dir.Groups, cascade.Group{ID: g.ID, Members: operatorIDs(g.Members)})
	}
	for _, r := range c.rotations {
		cr := cascade.Rotation{
			ID: r.ID, Members: operatorIDs(r.Members), Location: loc, Start: r.Start,
			Handover: cascade.Handover{Weekday: r.Handover.Weekday, Hour: r.Handover.Hour, Minute: r.Handover.Minute, EveryDays: 7},
		}
		for _, o := range r.Overrides {
			cr.Overrides = append(cr.Overrides, cascade.Override{From: o.From, To: o.To, Operator: alarm.OperatorID(o.Operator)})
		}
		dir.Rotations = append(dir.Rotations, cr)
	}
	if err := dir.Validate(); err != nil {
		return cascade.Setup{}, fmt.Errorf("cascade setup: people and rotations: %w", err)
	}
	setup := cascade.Setup{Directory: dir, LateGrace: DefaultLateGrace}
	for _, p := range c.policies {
		cp := cascade.Policy{
			ID: p.ID, AllDams: p.AllDams, Dams: append(p.Dams[:0:0], p.Dams...),
			Severities: append(p.Severities[:0:0], p.Severities...), Rotation: p.Rotation,
			RepeatLastEvery: p.RepeatLastEvery,
		}
		for _, s := range p.Steps {
			cs := cascade.Step{
				Mode: cascade.Mode(s.Mode), ChannelDelay: s.ChannelDelay, WaitForAck: s.WaitForAck,
			}
			for _, t := range s.Targets {
				cs.Targets = append(cs.Targets, cascade.Target{Kind: cascade.TargetKind(t.Kind), ID: t.ID})
			}
			for _, ch := range s.Channels {
				cs.Channels = append(cs.Channels, cascade.Channel(ch))
			}
			cp.Steps = append(cp.Steps, cs)
		}
		if err := cp.Validate(); err != nil {
			return cascade.Setup{}, fmt.Errorf("cascade setup: escalation policy %s: %w", p.ID, err)
		}
		setup.Policies = append(setup.Policies, cp)
	}
	return setup, nil
}

func operatorIDs(ids []string) []alarm.OperatorID {
	out := make([]alarm.OperatorID, len(ids))
	for i, id := range ids {
		out[i] = alarm.OperatorID(id)
	}
	return out
}
