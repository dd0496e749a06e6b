package embedded

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"
)

// The chunk encoding is internal to the store, so its tests are too; the conformance suite checks
// the store built on it from outside.

func TestChunkRoundTrips(t *testing.T) {
	t.Parallel()
	hour := int64(time.Hour)
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC).UnixNano()
	tests := []struct {
		name    string
		c       int64
		samples []stored
	}{
		{"empty", chunkOf(at), nil},
		{"one whole-second reading with its recorded-at", chunkOf(at), []stored{
			{t: at + int64(time.Minute), v: 3.25, q: 1, rec: at + int64(time.Minute) + 2e9, hasRec: true, pos: 7, idx: 0},
		}},
		{"nanoseconds, late, no recorded-at, negative index", chunkOf(at), []stored{
			{t: at, v: -1, q: 2, late: true, pos: 1, idx: -3},
			{t: at + 1, v: math.Copysign(0, -1), q: 3, pos: math.MaxUint64, idx: math.MaxInt64},
			{t: at + hour - 1, v: math.MaxFloat64, q: 1 << 40, rec: at - hour, hasRec: true, pos: 2, idx: math.MinInt64},
		}},
		{"before 1970", chunkOf(-at), []stored{
			{t: -at, v: 1, q: 1, rec: -at + 5, hasRec: true},
			{t: -at + 1e9, v: 2, q: 1},
		}},
		{"first chunk of the range, whose start wraps", chunkOf(math.MinInt64), []stored{
			{t: math.MinInt64, v: 1, q: 1, rec: math.MaxInt64, hasRec: true},
			{t: math.MinInt64 + 1, v: 2, q: 1, rec: math.MinInt64, hasRec: true},
		}},
		{"last chunk of the range", chunkOf(math.MaxInt64), []stored{
			{t: math.MaxInt64 - 1e9, v: 1, q: 1},
			{t: math.MaxInt64, v: 2, q: 1, rec: math.MinInt64, hasRec: true},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			enc := encodeChunk(nil, tc.c, tc.samples)
			got, err := decodeChunk(nil, tc.c, enc)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(got) != len(tc.samples) {
				t.Fatalf("decoded %d samples, want %d", len(got), len(tc.samples))
			}
			for i := range got {
				if !sameStored(got[i], tc.samples[i]) {
					t.Errorf("sample %d = %+v, want %+v", i, got[i], tc.samples[i])
				}
			}
			// Appending records one by one, as SQL concatenation does, gives the same bytes.
			var cat []byte
			for _, x := range tc.samples {
				cat = append(cat, encodeChunk(nil, tc.c, []stored{x})...)
			}
			if !bytes.Equal(cat, enc) {
				t.Errorf("records appended one by one differ from the chunk encoded at once")
			}
		})
	}
}

// sameStored compares two samples, values by their bits (-0 and NaN included).
func sameStored(a, b stored) bool {
	return a.t == b.t && math.Float64bits(a.v) == math.Float64bits(b.v) && a.q == b.q && a.late == b.late &&
		a.hasRec == b.hasRec && (!a.hasRec || a.rec == b.rec) && a.pos == b.pos && a.idx == b.idx
}

// A whole-second reading costs a few bytes beside its value: the layout is meant to be compact.
func TestChunkRecordSize(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC).UnixNano()
	x := stored{t: at + 59*int64(time.Minute), v: 3.1, q: 1, rec: at + 59*int64(time.Minute) + 2e9, hasRec: true, pos: 500000, idx: 3}
	if n := len(appendSample(nil, chunkOf(at), x)); n > 20 {
		t.Errorf("a one-minute reading takes %d bytes, want at most 20", n)
	}
}

func TestChunkRefusesCorruptData(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC).UnixNano()
	c := chunkOf(at)
	one := encodeChunk(nil, c, []stored{{t: at + 5e9, v: 1, q: 1, rec: at, hasRec: true, pos: 3, idx: 1}})
	tests := []struct {
		name string
		data []byte
	}{
		{"cut in the value", one[:5]},
		{"cut before the index", one[:len(one)-1]},
		{"bad varint", bytes.Repeat([]byte{0xff}, 11)},
		{"same time twice", append(append([]byte{}, one...), one...)},
		{"time out of order", encodeChunk(append([]byte{}, one...), c, []stored{{t: at, v: 1, q: 1}})},
		{"offset beyond the chunk", encodeChunk(nil, c, []stored{{t: at + int64(time.Hour), v: 1, q: 1}})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := decodeChunk(nil, c, tc.data); !errors.Is(err, errChunk) {
				t.Errorf("decode = %v, want %v", err, errChunk)
			}
		})
	}
}

// FuzzChunkDecode: any bytes decode without panicking, and whatever decodes re-encodes to the
// same bytes (a chunk has one encoding), so what the store reads back is what it wrote.
func FuzzChunkDecode(f *testing.F) {
	at := time.Date(2025, 10, 10, 3, 0, 0, 0, time.UTC).UnixNano()
	c := chunkOf(at)
	f.Add(c, encodeChunk(nil, c, []stored{{t: at, v: 1, q: 1, rec: at + 2e9, hasRec: true, pos: 1}, {t: at + 1, v: 2, q: 3, late: true, pos: 2, idx: 5}}))
	f.Add(chunkOf(math.MinInt64), encodeChunk(nil, chunkOf(math.MinInt64), []stored{{t: math.MinInt64, v: 1, q: 1}}))
	f.Add(c, []byte{})
	f.Add(c, []byte{0x80})
	f.Fuzz(func(t *testing.T, c int64, data []byte) {
		got, err := decodeChunk(nil, c, data)
		if err != nil {
			if !errors.Is(err, errChunk) {
				t.Fatalf("decode error %v does not wrap errChunk", err)
			}
			return
		}
		if again := encodeChunk(nil, c, got); !bytes.Equal(again, data) {
			// Varints have a few encodings of one number; ours is the shortest. Decoding ours
			// must give the same samples.
			back, err := decodeChunk(nil, c, again)
			if err != nil || len(back) != len(got) {
				t.Fatalf("re-encoded chunk decodes to %d samples, %v; want %d", len(back), err, len(got))
			}
			for i := range back {
				if !sameStored(back[i], got[i]) {
					t.Fatalf("sample %d re-decodes as %+v, want %+v", i, back[i], got[i])
				}
			}
		}
	})
}
