package hashchain_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
)

// sealedEmbeddedLog writes 60 events over 4 streams to an embedded store in dir, sealed, and
// closes it. It returns the log as written.
func sealedEmbeddedLog(t *testing.T, dir string) []eventstore.Record {
	t.Helper()
	inner := openEmbedded(t, dir)
	s, err := hashchain.Wrap(inner, hashchain.Options{MaxSealEvents: 25}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, s, 4, 30)
	mustSeal(t, s)
	appendN(t, s, 4, 30)
	mustSeal(t, s)
	rep := mustVerify(t, s)
	if rep.FirstBroken != nil || rep.Seals != 4 {
		t.Fatalf("before tampering: %+v", rep)
	}
	var log []eventstore.Record
	for after := uint64(0); ; {
		page, err := s.ReadAll(context.Background(), after, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		log = append(log, page...)
		after = page[len(page)-1].Position
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return log
}

// editPebble opens the store's directory with Pebble itself, as someone with access to the disk
// could, and lets edit change it.
func editPebble(t *testing.T, dir string, edit func(db *pebble.DB)) {
	t.Helper()
	db, err := pebble.Open(dir, &pebble.Options{Logger: quietPebble{}})
	if err != nil {
		t.Fatalf("open pebble directly: %v", err)
	}
	edit(db)
	if err := db.Close(); err != nil {
		t.Fatalf("close pebble: %v", err)
	}
}

// logKey is the embedded store's key of the event at pos (see embedded/encoding.go).
func logKey(pos uint64) []byte { return binary.BigEndian.AppendUint64([]byte{'l'}, pos) }

func TestVerifyFindsAByteChangedOnDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	log := sealedEmbeddedLog(t, dir)
	target := log[41] // an event in the third seal's range
	if target.Stream == hashchain.SealStream {
		t.Fatalf("position %d is a seal", target.Position)
	}

	editPebble(t, dir, func(db *pebble.DB) {
		v, closer, err := db.Get(logKey(target.Position))
		if err != nil {
			t.Fatalf("get position %d: %v", target.Position, err)
		}
		v = bytes.Clone(v)
		_ = closer.Close()
		i := bytes.Index(v, []byte(`"value":12.5`))
		if i < 0 {
			t.Fatalf("stored value %q holds no reading", v)
		}
		v[i+len(`"value":12.`)] = '6' // 12.5 m becomes 12.6 m: still valid JSON
		if err := db.Set(logKey(target.Position), v, pebble.Sync); err != nil {
			t.Fatal(err)
		}
	})

	rep := mustVerify(t, openEmbedded(t, dir))
	b := rep.FirstBroken
	if b == nil {
		t.Fatalf("verify missed the change: %+v", rep)
	}
	if b.Position != target.Position || b.Stream != target.Stream || b.Revision != target.Revision || !strings.Contains(b.Reason, "altered") {
		t.Fatalf("first broken %v, want position %d (%s@%d) altered", b, target.Position, target.Stream, target.Revision)
	}
	t.Logf("found: %v", b)
}

func TestVerifyFindsAnEventDeletedOnDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	log := sealedEmbeddedLog(t, dir)
	target := log[12]
	editPebble(t, dir, func(db *pebble.DB) {
		if err := db.Delete(logKey(target.Position), pebble.Sync); err != nil {
			t.Fatal(err)
		}
	})
	rep := mustVerify(t, openEmbedded(t, dir))
	if b := rep.FirstBroken; b == nil || b.Position != target.Position+1 || !strings.Contains(b.Reason, "missing") {
		t.Fatalf("first broken %v, want the event after position %d, with one missing before it", b, target.Position)
	}
}

// sealedMemLog is the log of the property test: events of every shape (empty data, empty
// metadata, several streams) in three seals, the last seal covering everything before it.
func sealedMemLog(t *testing.T) *memStore {
	t.Helper()
	mem := newMemStore()
	s := wrap(t, mem, hashchain.Options{MaxSealEvents: 6})
	ctx := context.Background()
	shapes := []eventstore.Event{
		event(0),
		{Type: "t"},
		{Type: "config.applied", Schema: 2, Data: []byte(`{"a":[1,2],"b":"é"}`), Meta: eventstore.Metadata{CausationID: "c", Actor: "user:durand"}},
	}
	for i := range 12 {
		e := shapes[i%len(shapes)]
		if _, err := s.Append(ctx, fmt.Sprintf("s-%d", i%3), eventstore.Any, e, e); err != nil {
			t.Fatal(err)
		}
		if i == 5 {
			mustSeal(t, s)
		}
	}
	mustSeal(t, s)
	appendN(t, s, 1, 1)
	mustSeal(t, s) // covers the previous seals
	return mem
}

// field is one stored field of a record as bytes, and how to put altered bytes back.
type field struct {
	name string
	get  func(r eventstore.Record) []byte
	set  func(r *eventstore.Record, b []byte)
}

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

var fields = []field{
	{"position", func(r eventstore.Record) []byte { return u64(r.Position) }, func(r *eventstore.Record, b []byte) { r.Position = binary.BigEndian.Uint64(b) }},
	{"stream", func(r eventstore.Record) []byte { return []byte(r.Stream) }, func(r *eventstore.Record, b []byte) { r.Stream = string(b) }},
	{"revision", func(r eventstore.Record) []byte { return u64(r.Revision) }, func(r *eventstore.Record, b []byte) { r.Revision = binary.BigEndian.Uint64(b) }},
	{"type", func(r eventstore.Record) []byte { return []byte(r.Type) }, func(r *eventstore.Record, b []byte) { r.Type = string(b) }},
	{"schema", func(r eventstore.Record) []byte { return u64(uint64(r.Schema)) }, func(r *eventstore.Record, b []byte) { r.Schema = int(binary.BigEndian.Uint64(b)) }},
	{"data", func(r eventstore.Record) []byte { return r.Data }, func(r *eventstore.Record, b []byte) { r.Data = b }},
	{"correlation_id", func(r eventstore.Record) []byte { return []byte(r.Meta.CorrelationID) }, func(r *eventstore.Record, b []byte) { r.Meta.CorrelationID = string(b) }},
	{"causation_id", func(r eventstore.Record) []byte { return []byte(r.Meta.CausationID) }, func(r *eventstore.Record, b []byte) { r.Meta.CausationID = string(b) }},
	{"actor", func(r eventstore.Record) []byte { return []byte(r.Meta.Actor) }, func(r *eventstore.Record, b []byte) { r.Meta.Actor = string(b) }},
	{"recorded_at.seconds", func(r eventstore.Record) []byte { return u64(uint64(r.RecordedAt.Unix())) }, func(r *eventstore.Record, b []byte) {
		r.RecordedAt = time.Unix(int64(binary.BigEndian.Uint64(b)), int64(r.RecordedAt.Nanosecond())).UTC()
	}},
	{"recorded_at.nanoseconds", func(r eventstore.Record) []byte {
		return binary.BigEndian.AppendUint32(nil, uint32(r.RecordedAt.Nanosecond()))
	}, func(r *eventstore.Record, b []byte) {
		r.RecordedAt = time.Unix(r.RecordedAt.Unix(), int64(binary.BigEndian.Uint32(b))).UTC()
	}},
}

// TestVerifyFindsEverySingleByteChange is the property test: every byte of every stored field of
// every event, changed alone (two ways), is found. For an ordinary event, Verify names that very
// event; for a seal, it names the seal or an event of its range (a changed digest cannot be told
// from a changed event). The last seal's own position and recorded time are the only bytes not
// covered: the next seal covers them, and until then an anchor does (see docs/audit.md).
func TestVerifyFindsEverySingleByteChange(t *testing.T) {
	t.Parallel()
	base := sealedMemLog(t)
	if rep := mustVerify(t, base); rep.FirstBroken != nil || rep.Seals < 3 || rep.Unsealed != 1 {
		t.Fatalf("unaltered log: %+v", rep)
	}
	recs := base.records()
	lastSeal := len(recs) - 1
	checked := 0
	for i, r := range recs {
		var sealAfter uint64
		if r.Stream == hashchain.SealStream {
			var seal hashchain.Seal
			if err := json.Unmarshal(r.Data, &seal); err != nil {
				t.Fatal(err)
			}
			sealAfter = seal.After
		}
		for _, f := range fields {
			if i == lastSeal && (f.name == "position" || strings.HasPrefix(f.name, "recorded_at")) {
				continue
			}
			orig := f.get(r)
			for b := range orig {
				for _, mask := range []byte{0x01, 0x80} {
					altered := base.clone()
					altered.alter(i, func(r *eventstore.Record) {
						v := bytes.Clone(orig)
						v[b] ^= mask
						f.set(r, v)
					})
					rep := mustVerify(t, altered)
					checked++
					brk := rep.FirstBroken
					switch {
					case brk == nil:
						t.Fatalf("position %d (%s): byte %d of %s ^ %#x went unseen", r.Position, r.Stream, b, f.name, mask)
					case f.name == "position":
						// The event moved: found, wherever the move put it.
					case sealAfter > 0 || r.Stream == hashchain.SealStream:
						if brk.Position <= sealAfter || brk.Position > r.Position {
							t.Fatalf("seal at %d: byte %d of %s ^ %#x: first broken %v, want in (%d, %d]", r.Position, b, f.name, mask, brk, sealAfter, r.Position)
						}
					case brk.Position != r.Position:
						t.Fatalf("position %d: byte %d of %s ^ %#x: first broken %v, want position %d", r.Position, b, f.name, mask, brk, r.Position)
					}
				}
			}
		}
	}
	t.Logf("%d single-byte changes over %d events, all found", checked, len(recs))
}

func TestVerifyFindsStructuralChanges(t *testing.T) {
	t.Parallel()
	base := sealedMemLog(t)
	recs := base.records()
	sealPos := map[int]bool{}
	for i, r := range recs {
		if r.Stream == hashchain.SealStream {
			sealPos[i] = true
		}
	}
	// The log: appends of two events to s-0, s-1, s-2, s-0... from position 1; seals 0 and 1 at
	// positions 13 and 14 cover 1..6 and 7..12.
	if recs[12].Type != hashchain.SealType || recs[13].Type != hashchain.SealType {
		t.Fatalf("the log is not laid out as this test expects: %+v", recs[12:14])
	}
	tests := []struct {
		name   string
		change func(m *memStore)
		want   uint64 // position of the first broken event
		reason string
	}{
		{"RemovedEvent", func(m *memStore) { m.remove(3) }, 5, "missing"},
		{"SwappedEventsOfTwoStreams", func(m *memStore) {
			m.alter(3, func(r *eventstore.Record) { r.Position = 5 })
			m.alter(4, func(r *eventstore.Record) { r.Position = 4 }) // the other one, still at index 4
		}, 4, "swapped"},
		{"InsertedEvent", func(m *memStore) {
			m.mu.Lock()
			defer m.mu.Unlock()
			// Positions 8 and up move one place on, as if written with a gap kept for it.
			for i := 7; i < len(m.recs); i++ {
				m.recs[i].Position++
			}
			extra := m.recs[0]
			extra.Position, extra.Stream, extra.Revision = 8, "intruder", 0
			m.recs = append(m.recs[:7], append([]eventstore.Record{extra}, m.recs[7:]...)...)
		}, 8, "inserted"},
		{"RemovedSeal", func(m *memStore) { m.remove(12) }, 14, "removed"},
		{"RemovedTheLastEventsOfASealedRange", func(m *memStore) {
			m.remove(10)
			m.remove(10)
		}, 11, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := base.clone()
			tt.change(m)
			rep := mustVerify(t, m)
			b := rep.FirstBroken
			if b == nil {
				t.Fatalf("unseen: %+v", rep)
			}
			if (tt.want != 0 && b.Position != tt.want) || !strings.Contains(b.Reason, tt.reason) {
				t.Fatalf("first broken %v, want position %d and %q", b, tt.want, tt.reason)
			}
			t.Logf("found: %v", b)
		})
	}
}

// TestTruncationNeedsAnAnchor: cutting the tail with its seals leaves a log that is consistent in
// itself; only a head taken before (a report, a log line) shows the cut.
func TestTruncationNeedsAnAnchor(t *testing.T) {
	t.Parallel()
	base := sealedMemLog(t)
	full := mustVerify(t, base)
	anchor := full.Head
	recs := base.records()
	cut := base.clone()
	for range 5 {
		cut.remove(len(cut.records()) - 1)
	}
	if rep := mustVerify(t, cut); rep.FirstBroken != nil {
		t.Fatalf("without an anchor: %v (the cut log should verify on its own)", rep.FirstBroken)
	}
	rep := mustVerify(t, cut, anchor)
	if b := rep.FirstBroken; b == nil || b.Position != anchor.Position || !strings.Contains(b.Reason, "truncated") {
		t.Fatalf("with anchor %v: first broken %v, want truncation at %d", anchor, b, anchor.Position)
	}

	// An anchor also pins the unsealed tail: change the last event, which no seal covers yet.
	tail := base.clone()
	appendN(t, tail, 1, 1)
	anchor = mustVerify(t, tail).Head
	tail.alter(len(recs), func(r *eventstore.Record) { r.Data = []byte(`{"value":99}`) })
	if rep := mustVerify(t, tail); rep.FirstBroken != nil || rep.Unsealed != 2 {
		t.Fatalf("unsealed change without anchor: %+v", rep)
	}
	if rep := mustVerify(t, tail, anchor); rep.FirstBroken == nil || rep.FirstBroken.Position != anchor.Position {
		t.Fatalf("unsealed change with anchor %v: %v", anchor, rep.FirstBroken)
	}

	// Position 0 is the genesis, in every log, even an empty one.
	if rep := mustVerify(t, newMemStore(), hashchain.Head{Hash: hashchain.Genesis}); rep.FirstBroken != nil {
		t.Fatalf("genesis anchor on an empty log: %v", rep.FirstBroken)
	}
	if rep := mustVerify(t, base, hashchain.Head{}); rep.FirstBroken == nil {
		t.Fatal("a zero anchor at position 0: unseen")
	}

	// An anchor whose position is gone.
	gone := base.clone()
	gone.remove(len(recs) - 2)
	if rep := mustVerify(t, gone, hashchain.Head{Position: recs[len(recs)-2].Position, Hash: hashchain.Genesis}); rep.FirstBroken == nil {
		t.Fatal("anchor at a removed position: unseen")
	}
}

func TestVerifyReportsReadErrors(t *testing.T) {
	t.Parallel()
	mem := sealedMemLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := hashchain.Verify(ctx, mem); err == nil {
		t.Fatal("verify with a cancelled context: got nil error")
	}
}

// quietPebble keeps Pebble's recovery chatter out of the test output.
type quietPebble struct{}

func (quietPebble) Infof(string, ...any)         {}
func (quietPebble) Errorf(string, ...any)        {}
func (quietPebble) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }
