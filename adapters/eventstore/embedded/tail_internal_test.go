package embedded

import (
	"fmt"
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
)

func recs(from, to uint64) []eventstore.Record {
	var out []eventstore.Record
	for p := from; p <= to; p++ {
		out = append(out, eventstore.Record{Position: p, Data: []byte(fmt.Sprintf(`{"p":%d}`, p))})
	}
	return out
}

func positions(rs []eventstore.Record) []uint64 {
	var out []uint64
	for _, r := range rs {
		out = append(out, r.Position)
	}
	return out
}

func TestTailRead(t *testing.T) {
	t.Parallel()
	tl := newTail(100, 1<<20)
	tl.add(recs(5, 7))
	tl.add(recs(8, 10))
	for _, tc := range []struct {
		after uint64
		n     int
		want  []uint64 // nil: not in the tail
	}{
		{4, 6, []uint64{5, 6, 7, 8, 9, 10}},
		{6, 2, []uint64{7, 8}},
		{9, 1, []uint64{10}},
		{3, 2, nil},  // position 4 was never in it
		{9, 2, nil},  // 11 is not written yet
		{10, 1, nil}, // at the head
		{4, 0, nil},
	} {
		got, ok := tl.read(tc.after, tc.n)
		if ok != (tc.want != nil) || fmt.Sprint(positions(got)) != fmt.Sprint(tc.want) && tc.want != nil {
			t.Errorf("read(%d, %d) = %v, %v; want %v", tc.after, tc.n, positions(got), ok, tc.want)
		}
	}
	var nilTail *tail
	if _, ok := nilTail.read(0, 1); ok {
		t.Error("a disabled tail served a read")
	}
	nilTail.add(recs(1, 2)) // no panic
}

func TestTailTrimsAndKeepsWhatItHandedOut(t *testing.T) {
	t.Parallel()
	tl := newTail(4, 1<<20)
	tl.add(recs(1, 4))
	held, ok := tl.read(0, 4)
	if !ok {
		t.Fatal("read of 1..4 missed")
	}
	tl.add(recs(5, 6)) // 6 records > 4: the older half goes
	if _, ok := tl.read(0, 1); ok {
		t.Error("position 1 still served after the trim")
	}
	got, ok := tl.read(3, 3)
	if !ok || fmt.Sprint(positions(got)) != "[4 5 6]" {
		t.Errorf("after the trim: read(3, 3) = %v, %v", positions(got), ok)
	}
	if fmt.Sprint(positions(held)) != "[1 2 3 4]" || string(held[0].Data) != `{"p":1}` {
		t.Errorf("records handed out before the trim changed: %v", positions(held))
	}
	// By bytes too: each record holds 7 bytes of data.
	tb := newTail(1000, 20)
	tb.add(recs(1, 3))
	if _, ok := tb.read(0, 1); ok {
		t.Error("the byte bound did not trim")
	}
	// A gap (never with one writer) resets rather than serving a hole.
	tg := newTail(1000, 1<<20)
	tg.add(recs(1, 2))
	tg.add(recs(5, 6))
	if _, ok := tg.read(0, 1); ok {
		t.Error("records before a gap still served")
	}
	if got, ok := tg.read(4, 2); !ok || fmt.Sprint(positions(got)) != "[5 6]" {
		t.Errorf("after a gap: %v, %v", positions(got), ok)
	}
}
