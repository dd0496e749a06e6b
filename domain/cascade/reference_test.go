package cascade_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/event"
)

// clock is the fake clock of a run: only the driver moves it, to the next timer or input.
type clock struct{ now time.Time }

func (c *clock) set(t time.Time) { c.now = t }

// saga drives a cascade as production does, with nothing kept in memory between inputs: each
// input loads the cascade from the log (as after a kill -9), decides, appends; every input is
// delivered twice (the second must record nothing); the notification pipeline reports every
// request sent; the scheduler serves the pending_steps view.
type saga struct {
	tb    testing.TB
	s     cascade.Setup
	clock *clock
	log   []event.Event
}

func (g *saga) deliver(in cascade.Input) {
	g.tb.Helper()
	for i := range 2 {
		c := load(g.log)
		if err := c.Decide(in, g.s, g.clock.now); err != nil {
			g.tb.Fatalf("%T at +%s: %v", in, g.clock.now.Sub(t0), err)
		}
		if i == 1 && len(c.Changes()) > 0 {
			g.tb.Fatalf("%T delivered again at +%s recorded %q", in, g.clock.now.Sub(t0), summaries(c.Changes()))
		}
		g.log = append(g.log, c.Changes()...)
		for _, e := range c.Changes() {
			if r, ok := e.(cascade.NotificationRequested); ok {
				g.deliver(cascade.Outcome{NotificationID: r.NotificationID, Status: cascade.OutcomeSent, ProviderRef: "ref-" + r.NotificationID})
			}
		}
	}
}

// pending is the pending_steps view: the last timer not yet followed by a step's progress or a stop.
func (g *saga) pending() *cascade.StepScheduled {
	var p *cascade.StepScheduled
	for _, e := range g.log {
		switch e := e.(type) {
		case cascade.StepScheduled:
			p = &e
		case cascade.StepStarted, cascade.StepAdvanced, cascade.Stopped:
			p = nil
		}
	}
	return p
}

// run serves timers until none is pending, delivering the other inputs at their time.
func (g *saga) run(inputs ...act) {
	g.tb.Helper()
	for {
		p := g.pending()
		if len(inputs) > 0 && (p == nil || !at(inputs[0].at).After(p.DueAt)) {
			g.clock.set(at(inputs[0].at))
			g.deliver(inputs[0].in)
			inputs = inputs[1:]
			continue
		}
		if p == nil {
			return
		}
		g.clock.set(p.DueAt)
		g.deliver(p.Wake())
	}
}

// pages lists who was paged when, and the levels reached, as the auditors read the log.
func (g *saga) pages() (pages []string, levels []int) {
	for _, e := range g.log {
		switch e := e.(type) {
		case cascade.NotificationRequested:
			pages = append(pages, fmt.Sprintf("+%s %s %s", e.At.Sub(t0), e.Operator, e.Channel))
		case cascade.StepStarted:
			levels = append(levels, e.Level)
		}
	}
	return pages, levels
}

func paged(offset string, ops ...alarm.OperatorID) []string {
	var out []string
	for _, op := range ops {
		for _, ch := range []cascade.Channel{sms, voice, email} {
			if ch == email && len(ops) == 1 {
				continue // steps 1 and 2 call and text
			}
			out = append(out, fmt.Sprintf("+%s %s %s", offset, op, ch))
		}
	}
	return out
}

// TestReferencePolicy runs the reference policy end to end: nobody answers for 34 minutes, then
// op-durand acknowledges by SMS.
func TestReferencePolicy(t *testing.T) {
	t.Parallel()
	g := &saga{tb: t, s: setup(t), clock: &clock{now: t0}}
	g.run(act{0, raised(0)}, act{34 * m, acked(1, alarm.StateAckActive)}, act{35 * m, due(1, 3, 3, 0)})

	var want []string
	want = append(want, paged("0s", martin)...)
	want = append(want, paged("5m0s", durand)...)
	for _, at := range []string{"10m0s", "20m0s", "30m0s"} {
		want = append(want, paged(at, bernard, durand, martin)...)
	}
	pages, levels := g.pages()
	if !reflect.DeepEqual(pages, want) {
		t.Errorf("pages\n%q\nwant\n%q", pages, want)
	}
	if want := []int{1, 2, 3, 3, 3}; !reflect.DeepEqual(levels, want) {
		t.Errorf("levels %v, want %v", levels, want)
	}
	last := g.log[len(g.log)-1]
	if got, want := summary(last), "stopped run 1 acknowledged by op-durand"; got != want {
		t.Errorf("last event %q, want %q", got, want)
	}
	if p := g.pending(); p != nil {
		t.Errorf("a timer is still pending after the stop: %+v", p)
	}
	sentCount := 0
	for _, e := range g.log {
		if _, ok := e.(cascade.NotificationSent); ok {
			sentCount++
		}
	}
	if sentCount != len(want) {
		t.Errorf("%d notifications recorded sent, want %d", sentCount, len(want))
	}
}

// TestHandoverDuringCascade: an alarm raised two minutes before the Monday handover, the day after
// the autumn change (08:00 CET = 07:00 UTC). Step 1 pages the outgoing operator, step 2 the
// incoming one: rotations are read at the run's start, so "next" is not the outgoing one again.
func TestHandoverDuringCascade(t *testing.T) {
	t.Parallel()
	start := utc("2025-10-27 06:58:00")
	g := &saga{tb: t, s: setup(t), clock: &clock{now: start}}
	g.deliver(raised(0))
	g.clock.set(start.Add(5 * m))
	g.deliver(due(1, 2, 0, 0))
	var got []string
	for _, e := range g.log {
		if s, ok := e.(cascade.StepStarted); ok {
			got = append(got, fmt.Sprintf("step %d %s %s", s.Step, s.At.In(paris(t)).Format("15:04 MST"), s.Recipients[0].Operator))
		}
	}
	want := []string{"step 1 07:58 CET op-martin", "step 2 08:03 CET op-durand"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
