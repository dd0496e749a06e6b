package main

import (
	"testing"
	"time"

	"github.com/vigie/vigie/commands/replay"
)

// The people a replay pages are named as the configuration names them; one it does not know
// keeps their id alone.
func TestReplayCallsNameTheOperators(t *testing.T) {
	at := time.Date(2025, 10, 10, 3, 42, 0, 0, time.UTC)
	a := &replay.Alarm{ID: "mejean~level:alerte~1", Calls: []replay.Call{
		{At: at, Step: 1, Operator: "op-durand", Channel: "sms"},
		{At: at, Step: 2, Operator: "op-inconnu", Channel: "sms"},
	}}
	got := apiAlarm(a, map[string]string{"op-durand": "Camille Durand"})
	if len(got.Calls) != 2 || got.Calls[0].OperatorName != "Camille Durand" || got.Calls[1].OperatorName != "" || got.Calls[1].Operator != "op-inconnu" {
		t.Fatalf("calls %+v", got.Calls)
	}
	if apiAlarm(nil, nil) != nil {
		t.Fatal("no alarm: want nil")
	}
}
