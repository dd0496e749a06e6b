package projections_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/projections"
)

func TestComputeAlarmKPIs(t *testing.T) {
	t.Parallel()
	day := time.Date(2025, 10, 10, 0, 0, 0, 0, time.UTC)
	at := func(h, m, s int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
	}
	act := func(id, d, cond string, t time.Time, ackAfter time.Duration, annunciated bool) readstore.AlarmActivation {
		a := readstore.AlarmActivation{AlarmID: id, Position: uint64(t.Unix()), Dam: d, Condition: cond, At: t, AnnouncedAt: t.Add(time.Minute), Annunciated: annunciated}
		if ackAfter > 0 {
			a.AckedAt = a.AnnouncedAt.Add(ackAfter)
		}
		return a
	}
	// A flood on mejean: 12 alarms within 10 minutes, acknowledged after 1..12 min; a chattering
	// stale alarm on est (4 activations in 50 s); one suppressed raise not annunciated.
	var acts []readstore.AlarmActivation
	for i := range 12 {
		acts = append(acts, act("mejean~level:x~1", "mejean", "level:x", at(3, 0, i*40), time.Duration(i+1)*time.Minute, true))
	}
	for i := range 4 {
		acts = append(acts, act("est~stale:est.level~1", "est", "stale:est.level", at(4, 0, i*15), 0, true))
	}
	acts = append(acts, act("est~rate_of_rise~1", "est", "rate_of_rise", at(5, 0, 0), 0, false))
	acts = append(acts, act("mejean~level:y~1", "mejean", "level:y", day.Add(-time.Hour), time.Minute, true)) // outside the period
	now := at(30, 0, 0)
	current := []readstore.AlarmView{
		{ID: "mejean~level:x~1", Dam: "mejean", State: "unack_active", ActiveSince: at(3, 0, 0)},
		{ID: "est~stale:est.level~1", Dam: "est", State: "ack_active", ActiveSince: at(4, 0, 0)},
		{ID: "est~frozen:est.level~1", Dam: "est", State: "shelved", ActiveSince: at(4, 0, 0),
			Shelve: &readstore.AlarmShelve{By: "op", Reason: "sonde", Until: at(31, 0, 0)}},
	}
	q := readstore.AlarmKPIQuery{From: day, To: day.Add(24 * time.Hour)}
	k := projections.ComputeAlarmKPIs(q, acts, current, now)

	if len(k.Dams) != 2 || k.Dams[0].Dam != "est" || k.Dams[1].Dam != "mejean" {
		t.Fatalf("dams %+v", k.Dams)
	}
	est, mej := k.Dams[0], k.Dams[1]
	tests := []struct {
		name      string
		got, want any
	}{
		{"mejean annunciated", mej.Annunciated, 12},
		{"mejean busiest bucket", mej.MaxPerTenMinutes, 12},
		{"mejean busiest at", mej.MaxAt, at(3, 0, 0)},
		{"mejean floods", mej.FloodBuckets, 1},
		{"mejean per 10 min", mej.PerTenMinutes, 12.0 / 144},
		{"mejean TTA count", mej.TimeToAck.Count, 12},
		{"mejean TTA p50", time.Duration(mej.TimeToAck.P50), 6 * time.Minute},
		{"mejean TTA p90", time.Duration(mej.TimeToAck.P90), 11 * time.Minute},
		{"est annunciated (the suppressed raise is not)", est.Annunciated, 4},
		{"est unacknowledged", est.TimeToAck.Unacknowledged, 4},
		{"overall TTA count", k.TimeToAck.Count, 12},
		{"standing", k.Standing, 2},
		{"stale (active 24 h or more)", k.Stale, 2},
		{"shelved", len(k.Shelved), 1},
		{"top offender", k.Chattering[0].Condition, "level:x"},
		{"top offender activations", k.Chattering[0].Activations, 12},
		{"level:x chatters (2 within a minute, not 3)", k.Chattering[0].Chattering, false},
		{"stale chatters", k.Chattering[1].Chattering && k.Chattering[1].MaxPerMin == 4, true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}

	// One dam only.
	k = projections.ComputeAlarmKPIs(readstore.AlarmKPIQuery{From: day, To: day.Add(24 * time.Hour), Dam: "est"}, acts, current, at(5, 0, 0))
	if len(k.Dams) != 1 || k.Dams[0].Annunciated != 4 || k.Standing != 1 || k.Stale != 0 || len(k.Shelved) != 1 {
		t.Errorf("est alone: %+v", k)
	}
	// An empty period reports zeros, not nulls.
	k = projections.ComputeAlarmKPIs(readstore.AlarmKPIQuery{From: day, To: day.Add(time.Hour)}, nil, nil, now)
	if k.Dams == nil || k.Chattering == nil || k.Shelved == nil || k.StaleIDs == nil {
		t.Errorf("empty period: %+v", k)
	}
}

type fakeKPIViews struct{}

func (fakeKPIViews) Alarms(context.Context, readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	return nil, nil
}

func (fakeKPIViews) AlarmActivations(context.Context, readstore.ActivationQuery) ([]readstore.AlarmActivation, error) {
	return nil, nil
}

func TestAlarmKPIsRefuseAnEmptyPeriod(t *testing.T) {
	t.Parallel()
	k, err := projections.NewAlarmKPIs(fakeKPIViews{}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 10, 10, 0, 0, 0, 0, time.UTC)
	if _, err := k.KPIs(context.Background(), readstore.AlarmKPIQuery{From: day, To: day}); err == nil {
		t.Error("empty period accepted")
	}
	if _, err := projections.NewAlarmKPIs(nil, nil); err == nil {
		t.Error("nil dependencies accepted")
	}
}
