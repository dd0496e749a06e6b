package cascade_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
)

func astreinte(tb testing.TB) cascade.Rotation {
	tb.Helper()
	return nimes(tb).Rotations[0]
}

// utc is an instant written in UTC, so that the tests say which side of a DST change it is.
func utc(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRotationOnCall(t *testing.T) {
	t.Parallel()
	loc := paris(t)
	weekly := astreinte(t) // Monday 08:00, op-durand from 6 January 2025, then op-martin
	// A weekly rotation handing over on Sunday at 08:00: the handover falls on the DST days.
	sunday := cascade.Rotation{
		ID: "dimanche", Members: []alarm.OperatorID{durand, martin}, Location: loc,
		Start: time.Date(2025, 3, 2, 0, 0, 0, 0, loc), Handover: cascade.Handover{Weekday: time.Sunday, Hour: 8},
	}
	daily := cascade.Rotation{
		ID: "quotidienne", Members: []alarm.OperatorID{durand, martin, bernard}, Location: loc,
		Start: time.Date(2025, 3, 28, 0, 0, 0, 0, loc), Handover: cascade.Handover{Hour: 8, EveryDays: 1},
	}
	holiday := weekly
	holiday.Overrides = []cascade.Override{{
		From: time.Date(2025, 12, 22, 8, 0, 0, 0, loc), To: time.Date(2025, 12, 29, 8, 0, 0, 0, loc), Operator: bernard,
	}}
	tests := []struct {
		name string
		r    cascade.Rotation
		at   time.Time
		want alarm.OperatorID
	}{
		{"the first handover", weekly, time.Date(2025, 1, 6, 8, 0, 0, 0, loc), durand},
		{"a second before the first handover, turns extend backwards", weekly, time.Date(2025, 1, 6, 7, 59, 59, 0, loc), martin},
		{"a week later, a second before", weekly, time.Date(2025, 1, 13, 7, 59, 59, 0, loc), durand},
		{"a week later", weekly, time.Date(2025, 1, 13, 8, 0, 0, 0, loc), martin},
		{"the storm night", weekly, t0, martin},
		{"years later (turn 334)", weekly, time.Date(2031, 6, 2, 8, 0, 0, 0, loc), durand},

		// The week after the spring change: Monday 31 March 08:00 CEST is 06:00 UTC, not 07:00.
		{"spring, Monday: 07:59:59 CEST", weekly, utc("2025-03-31 05:59:59"), martin},
		{"spring, Monday: 08:00 CEST", weekly, utc("2025-03-31 06:00:00"), durand},
		// The week after the autumn change: Monday 27 October 08:00 CET is 07:00 UTC.
		{"autumn, Monday: 07:59:59 CET", weekly, utc("2025-10-27 06:59:59"), martin},
		{"autumn, Monday: 08:00 CEST would have been", weekly, utc("2025-10-27 06:00:00"), martin},
		{"autumn, Monday: 08:00 CET", weekly, utc("2025-10-27 07:00:00"), durand},

		// Handover on the last Sunday of March (02:00 CET -> 03:00 CEST) and of October (03:00 CEST -> 02:00 CET).
		{"last Sunday of March, 07:59:59 CEST", sunday, utc("2025-03-30 05:59:59"), martin},
		{"last Sunday of March, 08:00 CEST", sunday, utc("2025-03-30 06:00:00"), durand},
		{"the Sunday before, 08:00 CET", sunday, utc("2025-03-23 07:00:00"), martin},
		{"the Sunday before, 07:59:59 CET", sunday, utc("2025-03-23 06:59:59"), durand},
		{"last Sunday of October, 07:59:59 CET", sunday, utc("2025-10-26 06:59:59"), martin},
		{"last Sunday of October, 08:00 CET", sunday, utc("2025-10-26 07:00:00"), durand},
		{"last Sunday of October, 02:30 the second time (CET)", sunday, utc("2025-10-26 01:30:00"), martin},

		// A daily rotation across the spring change: the 23-hour day still hands over at 08:00.
		{"daily: Saturday 07:59:59 CET", daily, utc("2025-03-29 06:59:59"), durand},
		{"daily: Saturday 08:00 CET", daily, utc("2025-03-29 07:00:00"), martin},
		{"daily: Sunday 07:59:59 CEST", daily, utc("2025-03-30 05:59:59"), martin},
		{"daily: Sunday 08:00 CEST", daily, utc("2025-03-30 06:00:00"), bernard},
		{"daily: Monday 08:00 CEST", daily, utc("2025-03-31 06:00:00"), durand},

		// Overrides take precedence.
		{"holiday cover: just before", holiday, time.Date(2025, 12, 22, 7, 59, 0, 0, loc), martin},
		{"holiday cover: from its start", holiday, time.Date(2025, 12, 22, 8, 0, 0, 0, loc), bernard},
		{"holiday cover: to its end, excluded", holiday, time.Date(2025, 12, 29, 7, 59, 59, 0, loc), bernard},
		{"holiday cover: over", holiday, time.Date(2025, 12, 29, 8, 0, 0, 0, loc), martin},

		{"no members", cascade.Rotation{Start: t0}, t0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.r.OnCall(tt.at); got != tt.want {
				t.Errorf("on call at %s (%s): %q, want %q", tt.at.Format(time.RFC3339), tt.at.In(loc).Format("Mon 15:04 MST"), got, tt.want)
			}
		})
	}
}

func TestRotationNext(t *testing.T) {
	t.Parallel()
	loc := paris(t)
	weekly := astreinte(t)
	day := cascade.Override{From: time.Date(2025, 10, 8, 12, 0, 0, 0, loc), To: time.Date(2025, 10, 9, 12, 0, 0, 0, loc), Operator: bernard}
	swapped := weekly
	swapped.Overrides = []cascade.Override{day}
	single := cascade.Rotation{Members: []alarm.OperatorID{durand}, Location: loc, Start: weekly.Start, Handover: weekly.Handover}
	tests := []struct {
		name string
		r    cascade.Rotation
		at   time.Time
		want alarm.OperatorID
	}{
		{"the other member", weekly, t0, durand},
		{"the other member, across the autumn change", weekly, utc("2025-10-27 06:59:59"), durand},
		{"right after the handover", weekly, utc("2025-10-27 07:00:00"), martin},
		{"a cover coming before the handover is next", swapped, time.Date(2025, 10, 7, 12, 0, 0, 0, loc), bernard},
		{"during a cover, the member it covers comes back next", swapped, time.Date(2025, 10, 8, 13, 0, 0, 0, loc), martin},
		{"after a cover, the next member", swapped, time.Date(2025, 10, 9, 13, 0, 0, 0, loc), durand},
		{"a single member is their own next", single, t0, durand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.r.Next(tt.at); got != tt.want {
				t.Errorf("next at %s: %q, want %q", tt.at.In(loc).Format(time.RFC3339), got, tt.want)
			}
		})
	}
	if got, want := weekly.NextHandover(t0), utc("2025-10-13 06:00:00"); !got.Equal(want) {
		t.Errorf("next handover %s, want %s", got, want)
	}
	if got, want := weekly.NextHandover(utc("2025-10-20 07:00:00")), utc("2025-10-27 07:00:00"); !got.Equal(want) {
		t.Errorf("next handover across the autumn change %s, want %s", got, want)
	}
}

func TestRotationValidate(t *testing.T) {
	t.Parallel()
	loc := paris(t)
	ok := astreinte(t)
	tests := []struct {
		name   string
		change func(*cascade.Rotation)
		want   []string // parts of the error, "" for none
	}{
		{"valid", func(*cascade.Rotation) {}, nil},
		{"daily rotations ignore the weekday", func(r *cascade.Rotation) { r.Handover.EveryDays, r.Handover.Weekday = 1, time.Friday }, nil},
		{"every mistake at once", func(r *cascade.Rotation) {
			r.Members = []alarm.OperatorID{durand, durand}
			r.Handover.Hour = 24
			r.Start = time.Date(2025, 1, 7, 8, 0, 0, 0, loc)
			r.Overrides = []cascade.Override{
				{From: at(0), To: at(time.Hour), Operator: bernard},
				{From: at(30 * time.Minute), To: at(2 * time.Hour), Operator: martin},
				{From: at(3 * time.Hour), To: at(3 * time.Hour)},
			}
		}, []string{"listed twice", "24:00", "is a Tuesday", "override 1 overlaps override 0", "override 2: operator missing", "override 2: from"}},
		{"no members, no start", func(r *cascade.Rotation) { r.Members, r.Start = nil, time.Time{} }, []string{"no members", "start date missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := ok
			tt.change(&r)
			err := r.Validate()
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
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
