package cascade_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// samples has one fully populated value of every event type, so the goldens pin every field.
func samples() []event.Event {
	f := facts()
	f.AlarmID, f.Dam, f.Condition, f.Severity, f.Spilling = id, mejean, alerte, dam.SeverityHigh, true
	seq := sequence()
	seq.Dams, seq.AllDams = []dam.ID{mejean}, false
	stage := cascade.Stage{Run: 2, Step: 3, Repeat: 1, Round: 1}
	n := cascade.NotificationID(id, stage, martin, sms)
	return []event.Event{
		cascade.Started{
			AlarmID: id, Run: 2, Policy: seq, Dam: mejean, Condition: alerte, Severity: dam.SeverityHigh, Late: true,
			AlarmRevision: 7, Facts: f, At: t0,
		},
		cascade.StepScheduled{AlarmID: id, Stage: stage, DueAt: at(10 * time.Minute), At: t0},
		cascade.StepStarted{
			AlarmID: id, Stage: stage, Level: 3,
			Recipients: []cascade.Recipient{{Operator: martin, Language: cascade.English, Contacts: []cascade.Contact{{Channel: sms, Address: "+33600000002"}}}},
			Problems:   []string{"op-martin: no email address"}, Facts: f, At: t0,
		},
		cascade.StepAdvanced{AlarmID: id, Stage: stage, At: at(time.Minute)},
		cascade.StepUnreachable{AlarmID: id, Stage: stage, At: at(2 * time.Minute)},
		cascade.NotificationRequested{
			NotificationID: n, AlarmID: id, Stage: stage, Operator: martin, Channel: sms, Address: "+33600000002",
			Language: cascade.English, Subject: "subject", Text: "VIGIE HIGH ALARM ... {link}", ReplyCode: cascade.ReplyCode(id),
			Fallback: true, At: t0,
		},
		cascade.NotificationSent{NotificationID: n, AlarmID: id, ProviderRef: "SM123", At: at(time.Second)},
		cascade.NotificationDelivered{NotificationID: n, AlarmID: id, At: at(5 * time.Second)},
		cascade.NotificationFailed{NotificationID: n, AlarmID: id, Reason: "invalid number", Retryable: true, At: at(3 * time.Second)},
		cascade.Stopped{AlarmID: id, Run: 2, Reason: cascade.StopAcknowledged, By: durand, AlarmRevision: 9, At: at(4 * time.Minute)},
	}
}

func goldenPath(e event.Event) string {
	return filepath.Join("testdata", strings.TrimPrefix(e.EventType(), "cascade.")+".v1.json")
}

// TestGoldenEvents pins each event's JSON, the contract with every stored event: a change here is a
// new schema version with an upcaster, and the old fixture stays. go test -update rewrites them.
func TestGoldenEvents(t *testing.T) {
	t.Parallel()
	for _, e := range samples() {
		t.Run(e.EventType(), func(t *testing.T) {
			t.Parallel()
			got, err := json.MarshalIndent(e, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := goldenPath(e)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s changed: the stored schema is a contract.\ngot:\n%s\nwant:\n%s", path, got, want)
			}
			back := reflect.New(reflect.TypeOf(e))
			if err := json.Unmarshal(want, back.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Elem().Interface(), e) {
				t.Errorf("decoded %+v, want %+v", back.Elem().Interface(), e)
			}
		})
	}
}

func TestEventsListsEveryTypeOnce(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range cascade.Events() {
		if reflect.TypeOf(p).Kind() == reflect.Pointer {
			t.Errorf("%s: prototype is a pointer", p.EventType())
		}
		if !strings.HasPrefix(p.EventType(), cascade.Category+".") {
			t.Errorf("%s: not in the %s category", p.EventType(), cascade.Category)
		}
		if seen[p.EventType()] {
			t.Errorf("%s listed twice", p.EventType())
		}
		seen[p.EventType()] = true
	}
	for _, s := range samples() {
		if !seen[s.EventType()] {
			t.Errorf("%s is not in Events()", s.EventType())
		}
		delete(seen, s.EventType())
	}
	for typ := range seen {
		t.Errorf("%s has no golden sample", typ)
	}
}
