package hashchain_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
)

// vectorRecord is the test vector of docs/audit.md: an independent implementation of the chain
// must find the same leaf and head.
var vectorRecord = eventstore.Record{
	Position: 1, Stream: "sensor-mejean.level", Revision: 0, Type: "sensor.readings_recorded", Schema: 1,
	Data:       json.RawMessage(`{"level_m":4.25}`),
	Meta:       eventstore.Metadata{CorrelationID: "req-1", Actor: "apikey:gw-nord"},
	RecordedAt: time.Date(2026, 11, 4, 3, 0, 0, 500, time.UTC),
}

const (
	vectorGenesis = "f6d13338657162b392ccddd78bb543d121aaad9da82a05ac7018e1dc8c816572"
	vectorLeaf    = "9e2bf298dd5eb0ac7b6a56efedcca137cd02e135da6cee1c01b1735ea0d0b383"
	vectorHead    = "db30356e7ac901a44d973403f3242d3591baacd492e00b173f13703fe6727064"
)

// TestVector pins the byte layout: changing it breaks every chain already sealed, so it takes a
// new Genesis ("v2") and this test's update, never a silent edit.
func TestVector(t *testing.T) {
	t.Parallel()
	if got := hashchain.Genesis.String(); got != vectorGenesis {
		t.Errorf("genesis %s, want %s", got, vectorGenesis)
	}
	leaf := hashchain.Leaf(vectorRecord)
	if got := leaf.String(); got != vectorLeaf {
		t.Errorf("leaf %s, want %s", got, vectorLeaf)
	}
	c := hashchain.NewChain(hashchain.Head{})
	_, head, err := c.Add(vectorRecord)
	if err != nil {
		t.Fatal(err)
	}
	if got := head.Hash.String(); got != vectorHead {
		t.Errorf("head %s, want %s", got, vectorHead)
	}
	if head != (hashchain.Head{Position: 1, Hash: hashchain.Link(hashchain.Genesis, 1, leaf)}) {
		t.Errorf("chain head %v is not Link(Genesis, 1, leaf)", head)
	}
}

// TestLeafCoversEveryField: a field added to Record or Metadata must be added to the leaf (and to
// docs/audit.md), or changes to it would go unseen.
func TestLeafCoversEveryField(t *testing.T) {
	t.Parallel()
	if n := reflect.TypeFor[eventstore.Metadata]().NumField(); n != 3 {
		t.Errorf("Metadata has %d fields, the leaf covers 3: add the new ones to AppendLeafInput", n)
	}
	if n := reflect.TypeFor[eventstore.Record]().NumField(); n != 8 {
		t.Errorf("Record has %d fields, the chain covers 8: add the new ones to AppendLeafInput", n)
	}
	base := hashchain.Leaf(vectorRecord)
	for name, change := range map[string]func(r *eventstore.Record){
		"Revision":      func(r *eventstore.Record) { r.Revision++ },
		"Schema":        func(r *eventstore.Record) { r.Schema++ },
		"Seconds":       func(r *eventstore.Record) { r.RecordedAt = r.RecordedAt.Add(time.Second) },
		"Nanoseconds":   func(r *eventstore.Record) { r.RecordedAt = r.RecordedAt.Add(1) },
		"Stream":        func(r *eventstore.Record) { r.Stream += "x" },
		"Type":          func(r *eventstore.Record) { r.Type += "x" },
		"CorrelationID": func(r *eventstore.Record) { r.Meta.CorrelationID += "x" },
		"CausationID":   func(r *eventstore.Record) { r.Meta.CausationID += "x" },
		"Actor":         func(r *eventstore.Record) { r.Meta.Actor += "x" },
		"Data":          func(r *eventstore.Record) { r.Data = json.RawMessage(`{"level_m":4.26}`) },
		// Length prefixes: moving a byte from one field to the next changes the leaf.
		"Boundary": func(r *eventstore.Record) { r.Stream, r.Type = r.Stream+"s", r.Type[1:] },
	} {
		r := vectorRecord
		change(&r)
		if hashchain.Leaf(r) == base {
			t.Errorf("changing %s leaves the leaf unchanged", name)
		}
	}
	// The time zone is not what the event says: the same instant anywhere has the same leaf.
	r := vectorRecord
	r.RecordedAt = r.RecordedAt.In(time.FixedZone("CET", 3600))
	if hashchain.Leaf(r) != base {
		t.Error("the same instant in another zone changes the leaf")
	}
	// The position is in the link, not the leaf.
	r = vectorRecord
	r.Position = 7
	if hashchain.Leaf(r) != base {
		t.Error("the position changes the leaf")
	}
	if hashchain.Link(hashchain.Genesis, 1, base) == hashchain.Link(hashchain.Genesis, 7, base) {
		t.Error("the position does not change the link")
	}
}

func TestChainRefusesOutOfOrder(t *testing.T) {
	t.Parallel()
	c := hashchain.NewChain(hashchain.Head{})
	if _, _, err := c.Add(vectorRecord); err != nil {
		t.Fatal(err)
	}
	before := c.Head()
	if _, _, err := c.Add(vectorRecord); err == nil {
		t.Fatal("adding position 1 twice: got nil error")
	}
	if c.Head() != before {
		t.Fatal("a refused record moved the head")
	}
}

func TestParseHead(t *testing.T) {
	t.Parallel()
	h := hashchain.Head{Position: 1234, Hash: hashchain.Genesis}
	got, err := hashchain.ParseHead(h.String())
	if err != nil || got != h {
		t.Fatalf("ParseHead(%q) = %v, %v; want %v", h.String(), got, err, h)
	}
	for _, bad := range []string{
		"", "1234", ":" + vectorGenesis, "-1:" + vectorGenesis, "12:" + vectorGenesis[:63],
		"12:" + vectorGenesis + "0", "12:" + "B2" + vectorGenesis[2:], "12:zz" + vectorGenesis[2:],
	} {
		if _, err := hashchain.ParseHead(bad); err == nil {
			t.Errorf("ParseHead(%q): got nil error", bad)
		}
	}
}
