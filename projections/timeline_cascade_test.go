package projections_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/projections"
)

func cascadeRecord(pos uint64, id alarm.ID, e event.Event) projections.Decoded {
	raw, _ := json.Marshal(e)
	return projections.Decoded{Record: eventstore.Record{Position: pos, Stream: "cascade-" + string(id), Type: e.EventType(), Schema: 1, Data: raw,
		RecordedAt: alarmT0, Meta: eventstore.Metadata{Actor: "system:cascade"}}, Event: e}
}

// The cascade reads as the story an auditor expects: who was paged, by what, what came of it.
func TestCascadeSummaries(t *testing.T) {
	t.Parallel()
	const id = alarm.ID("mejean~level:alerte~1")
	nid := cascade.NotificationID(id, cascade.Stage{Run: 1, Step: 1}, "op-durand", cascade.ChannelSMS)
	at := alarmT0.Add(11 * time.Second)
	tests := []struct {
		e      event.Event
		fr, en string
	}{
		{cascade.Started{AlarmID: id, Run: 1, Policy: cascade.Policy{ID: "crue"}, Dam: "mejean", At: at},
			"Cascade d'astreinte démarrée (politique crue)", "On-call cascade started (policy crue)"},
		{cascade.StepStarted{AlarmID: id, Stage: cascade.Stage{Run: 1, Step: 2}, Level: 2, At: at,
			Recipients: []cascade.Recipient{{Operator: "op-martin", Contacts: []cascade.Contact{{Channel: cascade.ChannelSMS}, {Channel: cascade.ChannelVoice}}}}},
			"Étape 2 : appel de Sacha Martin (SMS, Appel vocal)", "Step 2: paging Sacha Martin (SMS, Voice call)"},
		{cascade.NotificationRequested{NotificationID: nid, AlarmID: id, Operator: "op-durand", Channel: cascade.ChannelSMS, Address: "+33600000001", At: at},
			"SMS à Camille Durand (+33600000001)", "SMS to Camille Durand (+33600000001)"},
		{cascade.NotificationFailed{NotificationID: nid, AlarmID: id, Reason: "HTTP 500", At: at},
			"SMS à Camille Durand : échec — HTTP 500", "SMS to Camille Durand: failed — HTTP 500"},
		{cascade.NotificationDelivered{NotificationID: nid, AlarmID: id, At: at}, "SMS à Camille Durand : remis", "SMS to Camille Durand: delivered"},
		{cascade.Stopped{AlarmID: id, Run: 1, Reason: cascade.StopAcknowledged, By: "op-martin", At: at},
			"Cascade arrêtée : alarme acquittée par Sacha Martin", "Cascade stopped: alarm acknowledged by Sacha Martin"},
	}
	names := map[string]string{"op-durand": "Camille Durand", "op-martin": "Sacha Martin"}
	for _, lang := range []projections.Language{projections.French, projections.English} {
		tl, err := projections.NewTimeline(lang, projections.CascadeSummarizers(names))
		if err != nil {
			t.Fatal(err)
		}
		for i, tc := range tests {
			b, err := tl.Handle(context.Background(), []projections.Decoded{cascadeRecord(uint64(i+1), id, tc.e)})
			if err != nil {
				t.Fatalf("%s: %v", tc.e.EventType(), err)
			}
			want := tc.fr
			if lang == projections.English {
				want = tc.en
			}
			if len(b.Timeline) != 1 || b.Timeline[0].Summary != want || b.Timeline[0].Dam != "mejean" || !b.Timeline[0].Time.Equal(at) {
				t.Errorf("%s (%s): got %+v, want %q on mejean at %s", tc.e.EventType(), lang, b.Timeline, want, at)
			}
		}
		b, err := tl.Handle(context.Background(), []projections.Decoded{cascadeRecord(99, id, cascade.StepScheduled{AlarmID: id, DueAt: at})})
		if err != nil || len(b.Timeline) != 0 {
			t.Errorf("a timer gets no line: %+v, %v", b.Timeline, err)
		}
	}
}
