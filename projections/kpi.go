package projections

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/alarm"
)

// ISA-18.2 figures.
const (
	// KPIBucket is the period alarm rates are counted over.
	KPIBucket = 10 * time.Minute
	// FloodAlarms in one bucket is an alarm flood.
	FloodAlarms = 10
	// ChatterWindow and ChatterCount: an alarm activating ChatterCount times or more within
	// ChatterWindow chatters.
	ChatterWindow = time.Minute
	ChatterCount  = 3
	// StaleAlarmAfter: an alarm active this long is stale.
	StaleAlarmAfter = 24 * time.Hour
	// chatterTop bounds the chattering offenders listed.
	chatterTop = 10
)

// KPIViews is what the figures are computed from (a subset of readstore.AlarmViews).
type KPIViews interface {
	Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error)
	AlarmActivations(ctx context.Context, q readstore.ActivationQuery) ([]readstore.AlarmActivation, error)
}

// AlarmKPIs computes the alarm-system performance figures from the alarm views.
type AlarmKPIs struct {
	views KPIViews
	now   func() time.Time
}

// NewAlarmKPIs needs the views and the clock the "current" figures are taken at.
func NewAlarmKPIs(views KPIViews, now func() time.Time) (*AlarmKPIs, error) {
	if views == nil || now == nil {
		return nil, errors.New("new alarm KPIs: views and clock are required")
	}
	return &AlarmKPIs{views: views, now: now}, nil
}

// KPIs computes the figures of [q.From, q.To) for q.Dam (every dam if empty).
func (k *AlarmKPIs) KPIs(ctx context.Context, q readstore.AlarmKPIQuery) (readstore.AlarmKPIs, error) {
	if q.From.IsZero() || q.To.IsZero() || !q.From.Before(q.To) {
		return readstore.AlarmKPIs{}, fmt.Errorf("alarm KPIs: the period [%s, %s) is empty", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	acts, err := k.views.AlarmActivations(ctx, readstore.ActivationQuery{Dam: q.Dam, From: q.From, To: q.To})
	if err != nil {
		return readstore.AlarmKPIs{}, fmt.Errorf("alarm KPIs: %w", err)
	}
	cq := readstore.AlarmQuery{States: []string{string(alarm.StateUnackActive), string(alarm.StateAckActive), string(alarm.StateShelved)}}
	if q.Dam != "" {
		cq.Dams = []string{q.Dam}
	}
	current, err := k.views.Alarms(ctx, cq)
	if err != nil {
		return readstore.AlarmKPIs{}, fmt.Errorf("alarm KPIs: %w", err)
	}
	return ComputeAlarmKPIs(q, acts, current, k.now()), nil
}

// ComputeAlarmKPIs is the computation: acts are the activations of the period, current the alarms
// active or shelved now.
//
//   - alarm rate: annunciated activations (raises and re-alarms shown to an operator) per dam,
//     on average per 10 minutes of the period, the busiest 10-minute bucket (aligned on the
//     epoch) and the buckets of 10 or more (floods);
//   - time to acknowledge: from when Vigie recorded an annunciated activation to its
//     acknowledgement, median and 90th percentile (nearest rank);
//   - standing alarms: active now and shown; stale: standing for 24 h or more;
//   - chattering: conditions by activations in the period, chattering when 3 fall within a minute;
//   - shelved alarms now.
func ComputeAlarmKPIs(q readstore.AlarmKPIQuery, acts []readstore.AlarmActivation, current []readstore.AlarmView, now time.Time) readstore.AlarmKPIs {
	out := readstore.AlarmKPIs{From: q.From, To: q.To, Dam: q.Dam, Now: now, StaleAfter: readstore.Duration(StaleAlarmAfter),
		Dams: []readstore.DamAlarmKPI{}, StaleIDs: []string{}, Chattering: []readstore.ChatteringOffender{}, Shelved: []readstore.ShelvedAlarm{}}
	dams := map[string]*readstore.DamAlarmKPI{}
	damOf := func(d string) *readstore.DamAlarmKPI {
		if x := dams[d]; x != nil {
			return x
		}
		x := &readstore.DamAlarmKPI{Dam: d}
		dams[d] = x
		return x
	}
	if q.Dam != "" {
		damOf(q.Dam)
	}
	in := func(a readstore.AlarmActivation) bool {
		return (q.Dam == "" || a.Dam == q.Dam) && !a.At.Before(q.From) && a.At.Before(q.To)
	}
	buckets := map[string]map[int64]int{}
	var allTTA []time.Duration
	ttas := map[string][]time.Duration{}
	type condKey struct{ dam, cond string }
	chatter := map[condKey][]time.Time{}
	for _, a := range acts {
		if !in(a) {
			continue
		}
		chatter[condKey{a.Dam, a.Condition}] = append(chatter[condKey{a.Dam, a.Condition}], a.At)
		if !a.Annunciated {
			continue
		}
		x := damOf(a.Dam)
		x.Annunciated++
		if buckets[a.Dam] == nil {
			buckets[a.Dam] = map[int64]int{}
		}
		buckets[a.Dam][a.At.Unix()/int64(KPIBucket/time.Second)]++
		if a.AckedAt.IsZero() {
			x.TimeToAck.Unacknowledged++
			out.TimeToAck.Unacknowledged++
			continue
		}
		tta := max(0, a.AckedAt.Sub(a.AnnouncedAt))
		ttas[a.Dam] = append(ttas[a.Dam], tta)
		allTTA = append(allTTA, tta)
	}
	periods := float64(q.To.Sub(q.From)) / float64(KPIBucket)
	for d, x := range dams {
		if periods > 0 {
			x.PerTenMinutes = float64(x.Annunciated) / periods
		}
		for b, n := range buckets[d] {
			at := time.Unix(b*int64(KPIBucket/time.Second), 0).UTC()
			if n > x.MaxPerTenMinutes || (n == x.MaxPerTenMinutes && at.Before(x.MaxAt)) {
				x.MaxPerTenMinutes, x.MaxAt = n, at
			}
			if n >= FloodAlarms {
				x.FloodBuckets++
			}
		}
		x.TimeToAck = timeToAck(ttas[d], x.TimeToAck.Unacknowledged)
	}
	out.TimeToAck = timeToAck(allTTA, out.TimeToAck.Unacknowledged)

	for _, v := range current {
		if q.Dam != "" && v.Dam != q.Dam {
			continue
		}
		switch alarm.State(v.State) {
		case alarm.StateShelved:
			if v.Shelve != nil {
				out.Shelved = append(out.Shelved, readstore.ShelvedAlarm{ID: v.ID, Dam: v.Dam, By: v.Shelve.By, Reason: v.Shelve.Reason, Until: v.Shelve.Until})
			}
		case alarm.StateUnackActive, alarm.StateAckActive:
			x := damOf(v.Dam)
			x.Standing++
			out.Standing++
			if now.Sub(v.ActiveSince) >= StaleAlarmAfter {
				x.Stale++
				out.Stale++
				out.StaleIDs = append(out.StaleIDs, v.ID)
			}
		}
	}
	slices.Sort(out.StaleIDs)
	slices.SortFunc(out.Shelved, func(a, b readstore.ShelvedAlarm) int { return cmp.Compare(a.ID, b.ID) })

	for k, times := range chatter {
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		most := 0
		for i, j := 0, 0; j < len(times); j++ {
			for times[j].Sub(times[i]) > ChatterWindow {
				i++
			}
			most = max(most, j-i+1)
		}
		out.Chattering = append(out.Chattering, readstore.ChatteringOffender{Dam: k.dam, Condition: k.cond, Activations: len(times), MaxPerMin: most, Chattering: most >= ChatterCount})
	}
	slices.SortFunc(out.Chattering, func(a, b readstore.ChatteringOffender) int {
		return cmp.Or(cmp.Compare(b.Activations, a.Activations), cmp.Compare(b.MaxPerMin, a.MaxPerMin), cmp.Compare(a.Dam, b.Dam), cmp.Compare(a.Condition, b.Condition))
	})
	out.Chattering = out.Chattering[:min(len(out.Chattering), chatterTop)]

	for _, d := range slices.Sorted(maps.Keys(dams)) {
		out.Dams = append(out.Dams, *dams[d])
	}
	return out
}

func timeToAck(ds []time.Duration, unacked int) readstore.TimeToAck {
	t := readstore.TimeToAck{Count: len(ds), Unacknowledged: unacked}
	if len(ds) == 0 {
		return t
	}
	slices.Sort(ds)
	rank := func(p int) time.Duration { return ds[max(0, (p*len(ds)+99)/100-1)] } // nearest rank
	t.P50, t.P90 = readstore.Duration(rank(50)), readstore.Duration(rank(90))
	return t
}
