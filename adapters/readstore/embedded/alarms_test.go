package embedded_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

var alarmAt = time.Date(2025, 10, 10, 3, 21, 0, 0, time.UTC)

func alarmBatch(state string, pos uint64) readstore.Batch {
	id := "mejean~level:alerte~1"
	return readstore.Batch{Alarms: readstore.AlarmBatch{
		Views: []readstore.AlarmView{{ID: id, Dam: "mejean", Condition: "level:alerte", Class: "process", Severity: "high", State: state,
			RaisedAt: alarmAt, Position: pos, Sources: []string{"mejean.level"}, Comments: []readstore.AlarmCommentView{}}},
		History: []readstore.AlarmHistoryEntry{{AlarmID: id, Dam: "mejean", Position: pos, Type: "alarm.x", At: alarmAt, Summary: state, Data: json.RawMessage(`{}`)}},
		Activations: []readstore.AlarmActivation{{AlarmID: id, Position: 1, Dam: "mejean", Condition: "level:alerte", At: alarmAt, Annunciated: true,
			AckedBy: state}},
	}}
}

// The alarm views commit with the checkpoint: a batch at or before the checkpoint changes nothing,
// the newest state of an alarm wins, and Reset drops them with the rest.
func TestAlarmViewsCommit(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	const id = "mejean~level:alerte~1"
	// Before anything was written (and before MigrateAlarms), the views read as empty.
	if got, err := s.Alarms(ctx, readstore.AlarmQuery{}); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v %v", got, err)
	}
	if _, err := s.Alarm(ctx, id); !errors.Is(err, readstore.ErrNotFound) {
		t.Fatalf("unknown alarm: %v", err)
	}
	if err := s.MigrateAlarms(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.MigrateAlarms(ctx); err != nil {
		t.Fatalf("MigrateAlarms twice: %v", err)
	}
	steps := []struct {
		name  string
		pos   uint64
		batch readstore.Batch
		state string
		hist  int
	}{
		{"first", 10, alarmBatch("unack_active", 10), "unack_active", 1},
		{"replayed", 10, alarmBatch("ack_active", 10), "unack_active", 1},
		{"newer", 12, alarmBatch("normal", 12), "normal", 2},
		{"an older view in a newer batch", 13, alarmBatch("closed", 11), "normal", 3},
	}
	for _, st := range steps {
		if err := s.Commit(ctx, "alarms.v1", st.pos, st.batch); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		v, err := s.Alarm(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		h, err := s.AlarmHistory(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.State != st.state || len(h) != st.hist {
			t.Errorf("%s: state %s with %d history entries, want %s and %d", st.name, v.State, len(h), st.state, st.hist)
		}
	}
	acts, err := s.AlarmActivations(ctx, readstore.ActivationQuery{From: alarmAt, To: alarmAt.Add(time.Second), Dam: "mejean"})
	if err != nil || len(acts) != 1 || acts[0].AckedBy != "closed" {
		t.Errorf("activations %+v %v: want the last upsert", acts, err)
	}
	if cp, _ := s.Checkpoint(ctx, "alarms.v1"); cp != 13 {
		t.Errorf("checkpoint %d", cp)
	}
	if err := s.Reset(ctx, "alarms.v1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Alarms(ctx, readstore.AlarmQuery{}); len(got) != 0 {
		t.Errorf("after Reset: %d alarms", len(got))
	}
	if acts, _ := s.AlarmActivations(ctx, readstore.ActivationQuery{From: alarmAt, To: alarmAt.Add(time.Second)}); len(acts) != 0 {
		t.Errorf("after Reset: %d activations", len(acts))
	}
}

func TestAlarmViewsRefuseWhatTheyCannotKey(t *testing.T) {
	t.Parallel()
	s := open(t)
	b := readstore.Batch{Alarms: readstore.AlarmBatch{Views: []readstore.AlarmView{{ID: ""}}, Activations: []readstore.AlarmActivation{{AlarmID: "a"}}}}
	if err := s.Commit(context.Background(), "alarms.v1", 1, b); err == nil {
		t.Fatal("a view without id and an activation without time were committed")
	}
	if cp, _ := s.Checkpoint(context.Background(), "alarms.v1"); cp != 0 {
		t.Errorf("checkpoint moved to %d by a refused batch", cp)
	}
}
