package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Samples are stored in chunks: per sensor and hour, rows of the chunks table (segments of at
// most segmentRecords readings, see commit.go) holding that hour's readings packed in time
// order. One row per reading cost ~1.9 µs of SQLite's B-tree work per reading, the bound of a
// rebuild and of batched ingestion; a segment divides it by the readings it holds (60 for an hour
// of a gauge reporting every minute). See docs/performance.md.
//
// A segment's data is the concatenation of its samples' records, each encoded on its own relative
// to the chunk's start, so that readings newer than everything stored are appended by SQL
// concatenation without reading the segment back (the usual case, and the only one of a live
// commit in time order). A record is:
//
//	uvarint  time offset from the chunk start: seconds<<1 when whole, else nanoseconds<<1 | 1
//	uvarint  quality number<<2 | late<<1 | has recorded-at
//	8 bytes  value, IEEE 754 bits, little-endian
//	varint   recorded-at minus time, in nanoseconds (only with has recorded-at; wraps, like the
//	         time offset, so that any two times of the int64 range round-trip)
//	uvarint  event position
//	varint   index of the reading in its event
//
// Records are in strictly increasing time order, within a segment and from one segment to the
// next: a time is stored once per series (the first write wins).

// chunkSecs is the width of a chunk, aligned on the Unix epoch like the hourly roll-up's buckets.
const chunkSecs = 3600

// chunkOf is the start, in Unix seconds, of the chunk holding time t (Unix nanoseconds).
func chunkOf(t int64) int64 { return bucketOf(t, chunkSecs) }

// chunkBase is the chunk start in nanoseconds. It may wrap for the first chunk before 1678;
// offsets computed from it wrap back, so times still round-trip exactly.
func chunkBase(c int64) int64 { return c * int64(time.Second) }

// stored is one sample as a chunk keeps it.
type stored struct {
	t    int64 // Unix nanoseconds
	v    float64
	q    int64 // number in the qualities table
	late bool
	rec  int64 // Unix nanoseconds, meaningful when hasRec
	// hasRec is false for a zero recorded-at (stored NULL in the former layout).
	hasRec bool
	pos    uint64
	idx    int64
}

// appendSample appends the record of x to dst, for the chunk starting at c (seconds).
func appendSample(dst []byte, c int64, x stored) []byte {
	off := uint64(x.t - chunkBase(c))
	if off%uint64(time.Second) == 0 {
		dst = binary.AppendUvarint(dst, off/uint64(time.Second)<<1)
	} else {
		dst = binary.AppendUvarint(dst, off<<1|1)
	}
	flags := uint64(x.q) << 2
	if x.late {
		flags |= 2
	}
	if x.hasRec {
		flags |= 1
	}
	dst = binary.AppendUvarint(dst, flags)
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(x.v))
	if x.hasRec {
		dst = binary.AppendVarint(dst, x.rec-x.t)
	}
	dst = binary.AppendUvarint(dst, x.pos)
	return binary.AppendVarint(dst, x.idx)
}

var errChunk = errors.New("corrupt sample chunk")

// chunkReader reads a chunk's records in order, without allocating.
type chunkReader struct {
	base  int64
	data  []byte
	prev  int64
	first bool
	err   error
}

func newChunkReader(c int64, data []byte) chunkReader {
	return chunkReader{base: chunkBase(c), data: data, first: true}
}

// next decodes the next record into x; it returns false at the end of the chunk or on an error,
// which err then holds.
func (r *chunkReader) next(x *stored) bool {
	if len(r.data) == 0 || r.err != nil {
		return false
	}
	off := r.uvarint()
	flags := r.uvarint()
	if r.err != nil {
		return false
	}
	if len(r.data) < 8 {
		r.err = fmt.Errorf("%w: value cut short", errChunk)
		return false
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.data))
	r.data = r.data[8:]
	var d int64
	if flags&1 != 0 {
		d = r.varint()
	}
	pos := r.uvarint()
	idx := r.varint()
	if r.err != nil {
		return false
	}
	if off&1 == 0 {
		secs := off >> 1
		if secs > math.MaxUint64/uint64(time.Second) {
			r.err = fmt.Errorf("%w: time offset of %d s out of range", errChunk, secs)
			return false
		}
		off = secs * uint64(time.Second)
	} else {
		off >>= 1
	}
	if off >= chunkSecs*uint64(time.Second) {
		r.err = fmt.Errorf("%w: time offset %d ns beyond the chunk", errChunk, off)
		return false
	}
	t := r.base + int64(off)
	if !r.first && t <= r.prev {
		r.err = fmt.Errorf("%w: times out of order", errChunk)
		return false
	}
	r.first, r.prev = false, t
	q := flags >> 2
	if q > math.MaxInt64 {
		r.err = fmt.Errorf("%w: quality number out of range", errChunk)
		return false
	}
	*x = stored{t: t, v: v, q: int64(q), late: flags&2 != 0, hasRec: flags&1 != 0, pos: pos, idx: idx}
	if x.hasRec {
		x.rec = t + d
	}
	return true
}

func (r *chunkReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.err = fmt.Errorf("%w: bad varint", errChunk)
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *chunkReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data)
	if n <= 0 {
		r.err = fmt.Errorf("%w: bad varint", errChunk)
		return 0
	}
	r.data = r.data[n:]
	return v
}

// decodeChunk appends a chunk segment's samples to dst, whose samples must all be older.
func decodeChunk(dst []stored, c int64, data []byte) ([]stored, error) {
	r := newChunkReader(c, data)
	if len(dst) > 0 {
		r.prev, r.first = dst[len(dst)-1].t, false
	}
	var x stored
	for r.next(&x) {
		dst = append(dst, x)
	}
	return dst, r.err
}

// encodeChunk appends the records of samples, in strictly increasing time order, to dst.
func encodeChunk(dst []byte, c int64, samples []stored) []byte {
	for _, x := range samples {
		dst = appendSample(dst, c, x)
	}
	return dst
}
