package projections_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/embedded"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/projections"
)

// alarmScript is the life of three alarms, in log order, each event recorded a minute after the
// previous one.
func alarmScript() []event.Event {
	lvl, ror, ttsID := alarm.ID("mejean~level:alerte~1"), alarm.ID("mejean~rate_of_rise~1"), alarm.ID("est~time_to_spill~1")
	at := func(m int) time.Time { return alarmT0.Add(time.Duration(m) * time.Minute) }
	raise := func(id alarm.ID, d dam.ID, c alarm.Condition, sev dam.Severity, m int) alarm.Raised {
		return alarm.Raised{AlarmID: id, Dam: d, Condition: c, Class: c.Class(), Occurrence: 1, Group: alarm.Group(id), Source: string(d) + ".level",
			Severity: sev, Value: 6.1, Limit: 6, Unit: "m", Since: at(m), At: at(m)}
	}
	suppressed := raise(ttsID, "est", "time_to_spill", dam.SeverityCritical, 3)
	suppressed.Suppression = &alarm.Suppression{By: "op-bernard", Reason: "vidange", Since: at(0)}
	return []event.Event{
		alarm.SlotOpened{Dam: "mejean", Condition: "level:alerte", Occurrence: 1, AlarmID: lvl, Group: alarm.Group(lvl), At: at(0)},
		raise(lvl, "mejean", "level:alerte", dam.SeverityHigh, 0),
		raise(ror, "mejean", "rate_of_rise", dam.SeverityHigh, 1),
		alarm.Updated{AlarmID: lvl, Source: "mejean.level", Severity: dam.SeverityHigh, Value: 6.4, Peak: 6.4, Sources: []string{"mejean.level"}, At: at(2)},
		suppressed,
		alarm.Acknowledged{AlarmID: lvl, By: "op-durand", Via: alarm.ViaWeb, Comment: "vu", At: at(4)},
		alarm.ReturnedToNormal{AlarmID: ror, Source: "mejean.level", Value: 0.2, At: at(5)},
		alarm.Reactivated{AlarmID: ror, Source: "mejean.level", Severity: dam.SeverityHigh, Value: 1.3, Since: at(6), At: at(6)},
		alarm.Shelved{AlarmID: ror, By: "op-martin", Reason: "capteur douteux", Until: at(60), At: at(7)},
		alarm.ReturnedToNormal{AlarmID: lvl, Source: "mejean.level", Value: 5.9, At: at(8)},
		alarm.Unshelved{AlarmID: ror, Expired: true, At: at(60)},
		alarm.Commented{AlarmID: ror, By: "op-martin", Text: "toujours en hausse", At: at(61)},
		alarm.Acknowledged{AlarmID: ror, By: "op-martin", Via: alarm.ViaSMS, At: at(62)},
		alarm.ReturnedToNormal{AlarmID: ror, Source: "mejean.level", Value: 0.1, At: at(63)},
		alarm.Closed{AlarmID: ror, By: "op-bernard", Reason: "revue faite", At: at(64)},
	}
}

// appendScript appends events to the in-memory log, the i-th recorded i minutes after alarmT0.
func appendScript(t *testing.T, e *env, events []event.Event, first int) {
	t.Helper()
	for i, ev := range events {
		d := alarmRecord(0, ev, "")
		enc, err := e.codec.Encode(ev, eventstore.Metadata{Actor: "system:alarm-engine"})
		if err != nil {
			t.Fatal(err)
		}
		e.clock = alarmT0.Add(time.Duration(first+i) * time.Minute)
		if _, err := e.events.Append(context.Background(), d.Stream, eventstore.Any, enc); err != nil {
			t.Fatal(err)
		}
	}
}

// alarmViewsJSON is everything the alarm views hold, for comparing two builds.
func alarmViewsJSON(t *testing.T, v *embedded.Store) []byte {
	t.Helper()
	ctx := context.Background()
	all, err := v.Alarms(ctx, readstore.AlarmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	dump := map[string]any{"alarms": all}
	for _, a := range all {
		h, err := v.AlarmHistory(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		dump["history:"+a.ID] = h
	}
	acts, err := v.AlarmActivations(ctx, readstore.ActivationQuery{From: alarmT0.Add(-time.Hour), To: alarmT0.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	dump["activations"] = acts
	b, err := json.MarshalIndent(dump, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func alarmsRunner(t *testing.T, e *env) *projections.Runner {
	t.Helper()
	p, err := projections.NewAlarms(e.views, projections.English)
	if err != nil {
		t.Fatal(err)
	}
	r, err := projections.NewRunner(e.events, e.views, e.codec, e.logger, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAlarmViews(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 4)
	script := alarmScript()
	appendScript(t, e, script, 0)
	r := alarmsRunner(t, e)
	stop := start(t, r)
	waitFor(t, r, uint64(len(script)))
	stop()
	ctx := context.Background()

	tests := []struct {
		id        string
		state     alarm.State
		ackedBy   string
		comments  int
		history   []string
		shelved   bool
		suppessed bool
	}{
		{id: "mejean~level:alerte~1", state: alarm.StateNormal, ackedBy: "op-durand", comments: 1,
			history: []string{"alarm.raised", "alarm.updated", "alarm.acknowledged", "alarm.returned_to_normal"}},
		{id: "mejean~rate_of_rise~1", state: alarm.StateClosed, ackedBy: "op-martin", comments: 1,
			history: []string{"alarm.raised", "alarm.returned_to_normal", "alarm.reactivated", "alarm.shelved", "alarm.unshelved",
				"alarm.commented", "alarm.acknowledged", "alarm.returned_to_normal", "alarm.closed"}},
		{id: "est~time_to_spill~1", state: alarm.StateSuppressed, history: []string{"alarm.raised"}, suppessed: true},
	}
	for _, tt := range tests {
		v, err := e.views.Alarm(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		h, err := e.views.AlarmHistory(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, x := range h {
			types = append(types, x.Type)
			if x.Summary == "" || x.Dam == "" {
				t.Errorf("%s: history entry %+v", tt.id, x)
			}
		}
		if alarm.State(v.State) != tt.state || v.AckedBy != tt.ackedBy || len(v.Comments) != tt.comments || !slices.Equal(types, tt.history) ||
			(v.Suppression != nil) != tt.suppessed {
			t.Errorf("%s: state %s, acked by %q, %d comments, history %v, suppression %v", tt.id, v.State, v.AckedBy, len(v.Comments), types, v.Suppression)
		}
		if v.Summary == "" || v.RaisedAt.IsZero() || v.AnnouncedAt.IsZero() || v.Position == 0 {
			t.Errorf("%s: view %+v", tt.id, v)
		}
	}
	// Filters.
	filters := []struct {
		q    readstore.AlarmQuery
		want []string
	}{
		{readstore.AlarmQuery{Dams: []string{"mejean"}}, []string{"mejean~rate_of_rise~1", "mejean~level:alerte~1"}},
		{readstore.AlarmQuery{States: []string{"closed", "suppressed_by_design"}}, []string{"est~time_to_spill~1", "mejean~rate_of_rise~1"}},
		{readstore.AlarmQuery{Severities: []string{"critical"}}, []string{"est~time_to_spill~1"}},
		{readstore.AlarmQuery{Classes: []string{"technical"}}, nil},
		{readstore.AlarmQuery{From: alarmT0.Add(time.Minute), To: alarmT0.Add(3 * time.Minute)}, []string{"mejean~rate_of_rise~1"}},
		{readstore.AlarmQuery{Limit: 1}, []string{"est~time_to_spill~1"}},
	}
	for _, f := range filters {
		got, err := e.views.Alarms(ctx, f.q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, v := range got {
			ids = append(ids, v.ID)
		}
		if !slices.Equal(ids, f.want) {
			t.Errorf("Alarms(%+v) = %v, want %v", f.q, ids, f.want)
		}
	}
	// Activations: the raise of the level alarm acknowledged 4 min later; the rate alarm's raise
	// never acknowledged (it re-alarmed), its re-alarm acknowledged after the shelve; the raise out
	// of service not annunciated.
	acts, err := e.views.AlarmActivations(ctx, readstore.ActivationQuery{From: alarmT0, To: alarmT0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	type act struct {
		id          string
		annunciated bool
		acked       bool
	}
	var got []act
	for _, a := range acts {
		got = append(got, act{a.AlarmID, a.Annunciated, !a.AckedAt.IsZero()})
	}
	want := []act{{"mejean~level:alerte~1", true, true}, {"mejean~rate_of_rise~1", true, false}, {"est~time_to_spill~1", false, false}, {"mejean~rate_of_rise~1", true, true}}
	if !slices.Equal(got, want) {
		t.Errorf("activations %+v, want %+v", got, want)
	}

	// Rebuilt from the log, and built again with restarts between every few events, the views are
	// identical.
	live := alarmViewsJSON(t, e.views)
	if _, err := r.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := alarmViewsJSON(t, e.views); string(rebuilt) != string(live) {
		t.Errorf("rebuilt alarm views differ:\n%s\nlive:\n%s", rebuilt, live)
	}
	e2 := newEnv(t, 2)
	for cut := 3; cut <= len(script); cut += 3 {
		appendScript(t, e2, script[cut-3:cut], cut-3)
		r := alarmsRunner(t, e2)
		stop := start(t, r)
		waitFor(t, r, uint64(cut))
		stop()
	}
	if got := alarmViewsJSON(t, e2.views); string(got) != string(live) {
		t.Errorf("alarm views built with restarts differ:\n%s\nlive:\n%s", got, live)
	}
}

func TestNewAlarmsValidates(t *testing.T) {
	t.Parallel()
	if _, err := projections.NewAlarms(nil, "de"); err == nil {
		t.Fatal("nil views and a bad language accepted")
	}
}
