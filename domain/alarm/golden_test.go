package alarm_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// samples has one fully populated value of every event type, so the goldens pin every field.
func samples() []event.Event {
	until := at(60)
	return []event.Event{
		alarm.Raised{
			AlarmID: id, Dam: mejean, Condition: alerte, Class: alarm.ClassProcess, Occurrence: 1, Group: "mejean~level:vigilance~1",
			Source: gaugeA, Severity: dam.SeverityHigh, Value: 6.02, Limit: 6, Unit: "m", Detail: "crossed upwards",
			Since: at(0), At: at(2), Late: true, Historical: true,
			Suppression: &alarm.Suppression{By: martin, Reason: "dredging", Since: at(-60)},
		},
		alarm.Reactivated{AlarmID: id, Source: gaugeA, Severity: dam.SeverityHigh, Value: 6.1, Detail: "again", Since: at(9), At: at(10), Late: true, Historical: true},
		alarm.Updated{
			AlarmID: id, Source: gaugeB, Severity: dam.SeverityCritical, PreviousSeverity: dam.SeverityHigh,
			Value: 6.4, Peak: 6.4, Sources: []string{gaugeA, gaugeB}, Cleared: true, At: at(12), Late: true,
		},
		alarm.ReturnedToNormal{AlarmID: id, Source: gaugeA, Value: 5.85, Detail: "crossed downwards", At: at(30), Late: true},
		alarm.Acknowledged{AlarmID: id, By: durand, Via: alarm.ViaSMS, Comment: "on my way", At: at(3)},
		alarm.Commented{AlarmID: id, By: durand, Text: "debris on the grid", At: at(20)},
		alarm.Shelved{AlarmID: id, By: durand, Reason: "gauge being cleaned", Until: until, At: at(5)},
		alarm.Unshelved{AlarmID: id, By: martin, Expired: true, At: at(61)},
		alarm.RemovedFromService{AlarmID: id, By: martin, Reason: "sensor replaced", At: at(6)},
		alarm.ReturnedToService{AlarmID: id, By: martin, At: at(90)},
		alarm.Escalated{AlarmID: id, Level: 2, At: at(10)},
		alarm.Closed{AlarmID: id, By: martin, Reason: "reviewed after the storm", At: at(120)},
		alarm.SlotOpened{Dam: mejean, Condition: alerte, Occurrence: 1, AlarmID: id, Group: "mejean~level:vigilance~1", At: at(2)},
		alarm.MaintenanceStarted{Dam: mejean, Scope: gaugeA, By: martin, Reason: "dredging", At: at(-60)},
		alarm.MaintenanceEnded{Dam: mejean, Scope: gaugeA, By: martin, At: at(180)},
	}
}

func goldenPath(e event.Event) string {
	return filepath.Join("testdata", strings.TrimPrefix(e.EventType(), "alarm.")+".v1.json")
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
			// The fixture decodes back to the same event.
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
	for _, p := range alarm.Events() {
		if reflect.TypeOf(p).Kind() == reflect.Pointer {
			t.Errorf("%s: prototype is a pointer", p.EventType())
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
