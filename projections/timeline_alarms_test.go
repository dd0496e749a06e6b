package projections_test

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/projections"
)

var alarmT0 = time.Date(2025, 10, 10, 3, 21, 0, 0, time.UTC)

// alarmRecord wraps an alarm or board event as the runner hands it over.
func alarmRecord(pos uint64, e event.Event, actor string) projections.Decoded {
	stream := ""
	switch e := e.(type) {
	case alarm.SlotOpened:
		stream = "alarmboard-" + string(e.Dam)
	case alarm.MaintenanceStarted:
		stream = "alarmboard-" + string(e.Dam)
	case alarm.MaintenanceEnded:
		stream = "alarmboard-" + string(e.Dam)
	default:
		raw, _ := json.Marshal(e)
		var id struct {
			AlarmID string `json:"alarm_id"`
		}
		json.Unmarshal(raw, &id)
		stream = "alarm-" + id.AlarmID
	}
	raw, _ := json.Marshal(e)
	return projections.Decoded{Record: eventstore.Record{Position: pos, Stream: stream, Type: e.EventType(), Schema: 1, Data: raw,
		RecordedAt: alarmT0.Add(time.Hour), Meta: eventstore.Metadata{Actor: actor}}, Event: e}
}

func TestAlarmSummaries(t *testing.T) {
	t.Parallel()
	const id = alarm.ID("mejean~level:alerte~1")
	raised := alarm.Raised{AlarmID: id, Dam: "mejean", Condition: "level:alerte", Class: alarm.ClassProcess, Occurrence: 1, Group: "mejean~level:alerte~1",
		Source: "mejean.level", Severity: dam.SeverityHigh, Value: 6.029, Limit: 6, Unit: "m", Since: alarmT0, At: alarmT0, Late: true}
	stale := alarm.Raised{AlarmID: "bassin-nord~stale:bassin-nord.level~1", Dam: "bassin-nord", Condition: "stale:bassin-nord.level", Class: alarm.ClassTechnical,
		Occurrence: 1, Source: "bassin-nord.level", Severity: dam.SeverityMedium, Value: 900, Limit: 900, Unit: "s", At: alarmT0, Late: true, Historical: true}
	spill := alarm.Raised{AlarmID: "mejean~time_to_spill~1", Dam: "mejean", Condition: "time_to_spill", Class: alarm.ClassProcess, Occurrence: 1,
		Source: "mejean.level", Severity: dam.SeverityCritical, Value: 3540, Limit: 3600, Unit: "s", At: alarmT0,
		Suppression: &alarm.Suppression{By: "op", Reason: "r", Since: alarmT0}}
	until := alarmT0.Add(2 * time.Hour)
	tests := []struct {
		name   string
		e      event.Event
		fr, en string
		sensor string
		actor  string
	}{
		{"raised", raised,
			"Alarme levée sur mejean (haute) : niveau au-dessus du seuil alerte, 6.029 m (seuil 6.00 m) — appris en retard",
			"Alarm raised on mejean (high): level above the alerte threshold, 6.029 m (threshold 6.00 m) — learnt late", "mejean.level", "system:alarm-engine"},
		{"raised historical", stale,
			"Alarme levée sur bassin-nord (moyenne) : capteur bassin-nord.level muet, aucune lecture depuis 15 min — historique, appris en retard et déjà fini",
			"Alarm raised on bassin-nord (medium): sensor bassin-nord.level silent, no reading for 15 min — historical, learnt late and already over",
			"bassin-nord.level", "system:alarm-engine"},
		{"raised out of service", spill,
			"Alarme levée sur mejean (critique) : déversement proche, crête atteinte dans 59 min (seuil 1 h) — hors service",
			"Alarm raised on mejean (critical): spill forecast soon, crest reached in 59 min (limit 1 h) — out of service", "mejean.level", "system:alarm-engine"},
		{"reactivated", alarm.Reactivated{AlarmID: id, Source: "mejean.level", Severity: dam.SeverityHigh, Value: 6.1, At: alarmT0},
			"Alarme de nouveau active sur mejean : niveau au-dessus du seuil alerte, 6.10 m", "Alarm active again on mejean: level above the alerte threshold, 6.10 m", "mejean.level", "system:alarm-engine"},
		{"updated", alarm.Updated{AlarmID: id, Source: "mejean.level", Severity: dam.SeverityCritical, PreviousSeverity: dam.SeverityHigh, Value: 7, Peak: 7, Sources: []string{"mejean.level"}, At: alarmT0},
			"Alarme mise à jour « niveau au-dessus du seuil alerte » de mejean : sévérité haute → critique, pic 7.00 m",
			"Alarm updated “level above the alerte threshold” of mejean: severity high → critical, peak 7.00 m", "mejean.level", "system:alarm-engine"},
		{"returned to normal", alarm.ReturnedToNormal{AlarmID: id, Source: "mejean.level", Value: 5.9, At: alarmT0},
			"Alarme revenue à la normale « niveau au-dessus du seuil alerte » de mejean", "Alarm back to normal “level above the alerte threshold” of mejean", "mejean.level", "system:alarm-engine"},
		{"acknowledged", alarm.Acknowledged{AlarmID: id, By: "op-durand", Via: alarm.ViaSMS, Comment: "en route", At: alarmT0},
			"Alarme acquittée « niveau au-dessus du seuil alerte » de mejean par op-durand (sms) : « en route »",
			"Alarm acknowledged “level above the alerte threshold” of mejean by op-durand (sms): “en route”", "", "op-durand"},
		{"commented", alarm.Commented{AlarmID: id, By: "op-martin", Text: "vanne ouverte", At: alarmT0},
			"Commentaire de op-martin sur l'alarme « niveau au-dessus du seuil alerte » de mejean : « vanne ouverte »",
			"Comment by op-martin on the alarm “level above the alerte threshold” of mejean: “vanne ouverte”", "", "op-martin"},
		{"shelved", alarm.Shelved{AlarmID: id, By: "op-martin", Reason: "capteur en panne", Until: until, At: alarmT0},
			"Alarme mise en attente « niveau au-dessus du seuil alerte » de mejean par op-martin jusqu'au 2025-10-10 05:21 UTC : capteur en panne",
			"Alarm shelved “level above the alerte threshold” of mejean by op-martin until 2025-10-10 05:21 UTC: capteur en panne", "", "op-martin"},
		{"unshelved", alarm.Unshelved{AlarmID: id, By: "op-martin", At: alarmT0},
			"Alarme sortie d'attente « niveau au-dessus du seuil alerte » de mejean par op-martin", "Alarm unshelved “level above the alerte threshold” of mejean by op-martin", "", "op-martin"},
		{"shelve expired", alarm.Unshelved{AlarmID: id, Expired: true, At: alarmT0},
			"Fin de l'attente de l'alarme « niveau au-dessus du seuil alerte » de mejean", "Shelve expired for the alarm “level above the alerte threshold” of mejean", "", "system:scheduler"},
		{"removed from service", alarm.RemovedFromService{AlarmID: "mejean~frozen:mejean.level~2", By: "op", Reason: "sonde changée", At: alarmT0},
			"Alarme mise hors service « capteur mejean.level figé » de mejean par op : sonde changée",
			"Alarm removed from service “sensor mejean.level frozen” of mejean by op: sonde changée", "mejean.level", "op"},
		{"returned to service", alarm.ReturnedToService{AlarmID: id, By: "op", At: alarmT0},
			"Alarme remise en service « niveau au-dessus du seuil alerte » de mejean par op", "Alarm returned to service “level above the alerte threshold” of mejean by op", "", "op"},
		{"escalated", alarm.Escalated{AlarmID: id, Level: 2, At: alarmT0},
			"Escalade au niveau 2 de l'alarme « niveau au-dessus du seuil alerte » de mejean", "Escalated to level 2 for the alarm “level above the alerte threshold” of mejean", "", "system:alarm-engine"},
		{"closed", alarm.Closed{AlarmID: id, By: "op", Reason: "crue finie", At: alarmT0},
			"Alarme clôturée « niveau au-dessus du seuil alerte » de mejean par op : crue finie", "Alarm closed “level above the alerte threshold” of mejean by op: crue finie", "", "op"},
		{"slot opened in a situation", alarm.SlotOpened{Dam: "mejean", Condition: "rate_of_rise", Occurrence: 2, AlarmID: "mejean~rate_of_rise~2", Group: "mejean~level:alerte~1", At: alarmT0},
			"Occurrence 2 ouverte sur mejean : montée rapide du niveau (dans la situation mejean~level:alerte~1)",
			"Occurrence 2 opened on mejean: fast rise of the level (in situation mejean~level:alerte~1)", "", "system:alarm-engine"},
		{"sensor out of service", alarm.MaintenanceStarted{Dam: "mejean", Scope: "mejean.level", By: "op", Reason: "étalonnage", At: alarmT0},
			"Capteur mejean.level (mejean) mis hors service par op : étalonnage", "Sensor mejean.level (mejean) taken out of service by op: étalonnage", "mejean.level", "op"},
		{"dam back in service", alarm.MaintenanceEnded{Dam: "mejean", By: "op", At: alarmT0},
			"Barrage mejean remis en service par op", "Dam mejean returned to service by op", "", "op"},
	}
	summarizers := projections.DefaultSummarizers()
	maps.Copy(summarizers, projections.AlarmSummarizers())
	for _, e := range alarm.Events() {
		if _, ok := summarizers[e.EventType()]; !ok {
			t.Errorf("no summary for %s", e.EventType())
		}
	}
	for _, lang := range []projections.Language{projections.French, projections.English} {
		tl, err := projections.NewTimeline(lang, summarizers)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			t.Run(string(lang)+"/"+tc.name, func(t *testing.T) {
				b, err := tl.Handle(context.Background(), []projections.Decoded{alarmRecord(7, tc.e, "system:alarm-engine")})
				if err != nil {
					t.Fatalf("Handle: %v", err)
				}
				if len(b.Timeline) != 1 {
					t.Fatalf("%d entries, want 1", len(b.Timeline))
				}
				e := b.Timeline[0]
				want := tc.fr
				if lang == projections.English {
					want = tc.en
				}
				if e.Summary != want {
					t.Errorf("summary\n got %q\nwant %q", e.Summary, want)
				}
				if e.Dam == "" || !e.Time.Equal(alarmT0) || e.Sensor != tc.sensor || e.Actor != tc.actor || !json.Valid(e.Data) || !strings.HasPrefix(e.Stream, "alarm") {
					t.Errorf("entry %+v: want dam, time %s, sensor %q, actor %q, JSON data", e, alarmT0, tc.sensor, tc.actor)
				}
			})
		}
	}
}

// FuzzAlarmSummaries: whatever an alarm event holds, its summary is made without failing.
func FuzzAlarmSummaries(f *testing.F) {
	f.Add("mejean~level:alerte~1", "level:alerte", 6.03, 6.0, "m", uint8(0))
	f.Add("x~time_to_spill~2", "time_to_spill", -1.0, 3600.0, "s", uint8(3))
	f.Add("~~", "", 0.0, 0.0, "", uint8(9))
	f.Fuzz(func(t *testing.T, id, cond string, v, limit float64, unit string, kind uint8) {
		events := []event.Event{
			alarm.Raised{AlarmID: alarm.ID(id), Dam: "d", Condition: alarm.Condition(cond), Value: v, Limit: limit, Unit: unit, At: alarmT0},
			alarm.Reactivated{AlarmID: alarm.ID(id), Value: v, At: alarmT0},
			alarm.Updated{AlarmID: alarm.ID(id), Value: v, Peak: limit, PreviousSeverity: dam.Severity(unit), At: alarmT0},
			alarm.SlotOpened{Dam: "d", Condition: alarm.Condition(cond), AlarmID: alarm.ID(id), Group: alarm.Group(unit), At: alarmT0},
		}
		summarizers := projections.AlarmSummarizers()
		for _, lang := range []projections.Language{projections.French, projections.English} {
			tl, err := projections.NewTimeline(lang, summarizers)
			if err != nil {
				t.Fatal(err)
			}
			e := events[int(kind)%len(events)]
			if _, err := tl.Handle(context.Background(), []projections.Decoded{alarmRecord(1, e, "a")}); err != nil && !strings.Contains(err.Error(), "encode") {
				t.Fatalf("%T: %v", e, err)
			}
		}
	})
}
