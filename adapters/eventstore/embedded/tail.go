package embedded

import (
	"sync"

	"github.com/vigie/vigie/adapters/eventstore"
)

// tail keeps the records of the latest commits in memory. The live subscribers (projections,
// alarm and cascade engines) wake at every commit and read the few events it added: from here
// rather than through a Pebble iterator each, whose set-up costs more than the handful of events
// it returns (a single-reading load commits ~1,000 times a second, and three subscribers follow).
//
// Records are immutable once added: the writer copies the events' data into memory of the tail's
// own, and a read gets fresh records and a fresh copy of their data, so nothing a caller does
// reaches the tail or another reader.
type tail struct {
	maxRecords int
	maxBytes   int

	mu    sync.RWMutex
	first uint64              // position of recs[0]; 0 while empty
	recs  []eventstore.Record // positions first, first+1, …: no gaps
	bytes int                 // data held
}

func newTail(maxRecords, maxBytes int) *tail {
	return &tail{maxRecords: maxRecords, maxBytes: maxBytes}
}

// add appends the records of one commit, which follow the last ones added. When the tail is over
// its bounds the older half goes (into a new array: slices handed out earlier stay intact).
func (t *tail) add(recs []eventstore.Record) {
	if t == nil || len(recs) == 0 {
		return
	}
	size := 0
	for _, r := range recs {
		size += len(r.Data)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.recs) > 0 && recs[0].Position != t.first+uint64(len(t.recs)) {
		// Not contiguous (cannot happen with one writer): start again rather than serve a gap.
		t.recs, t.bytes, t.first = nil, 0, 0
	}
	if len(t.recs) == 0 {
		t.first = recs[0].Position
	}
	t.recs = append(t.recs, recs...)
	t.bytes += size
	if len(t.recs) > t.maxRecords || t.bytes > t.maxBytes {
		keep := len(t.recs) / 2
		drop := len(t.recs) - keep
		for _, r := range t.recs[:drop] {
			t.bytes -= len(r.Data)
		}
		t.recs = append(make([]eventstore.Record, 0, max(keep*2, 64)), t.recs[drop:]...)
		t.first += uint64(drop)
	}
}

// read returns the n records after position after when the tail holds all of them.
func (t *tail) read(after uint64, n int) ([]eventstore.Record, bool) {
	if t == nil || n <= 0 {
		return nil, false
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if len(t.recs) == 0 || after+1 < t.first || after+uint64(n) > t.first+uint64(len(t.recs))-1 {
		return nil, false
	}
	i := int(after + 1 - t.first)
	out := make([]eventstore.Record, n)
	copy(out, t.recs[i:i+n])
	// The data is copied too, as a read from Pebble gives it: a reader may then do anything with
	// what it got.
	ownData(out)
	return out, true
}

// ownData gives the records data of their own: copies, in one buffer for them all. Empty data
// becomes nil, as decodeRecord gives it.
func ownData(recs []eventstore.Record) {
	size := 0
	for _, r := range recs {
		size += len(r.Data)
	}
	buf := make([]byte, 0, size)
	for i := range recs {
		d := recs[i].Data
		if len(d) == 0 {
			recs[i].Data = nil
			continue
		}
		n := len(buf)
		buf = append(buf, d...)
		// Full slice expression: a caller appending to one record's data must not overwrite the next.
		recs[i].Data = buf[n:len(buf):len(buf)]
	}
}
