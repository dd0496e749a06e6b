package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Key layout. One byte of prefix keeps each kind in its own contiguous key range, so a scan of one
// kind never reads another:
//
//	'l' pos(8, big-endian)                     -> record      the global log, in commit order
//	's' len(stream, uvarint) stream rev(8, BE) -> pos(8, BE)  the per-stream index
//	'h' stream                                 -> rev(8, BE)  the revision of each stream's last event
//	'm' "format"                               -> formatTag   what wrote this directory
//
// Big-endian integers sort like the numbers they encode. The stream name is length-prefixed rather
// than terminated so that any byte may appear in it and no stream's keys can fall inside another's
// range ("a" + revision never collides with "a\x00" + revision).
const (
	prefixLog   = 'l'
	prefixIndex = 's'
	prefixHead  = 'h'
	prefixMeta  = 'm'
)

// formatTag is stored once per directory; Open refuses a directory written in another layout
// rather than misreading it.
const formatTag = "vigie-eventstore-embedded/1"

const formatKey = string(prefixMeta) + "format"

// recordVersion is the first byte of every stored record, so the value encoding can evolve
// without rewriting the log.
const recordVersion = 1

func logKey(pos uint64) []byte {
	k := make([]byte, 9)
	k[0] = prefixLog
	binary.BigEndian.PutUint64(k[1:], pos)
	return k
}

func appendLogKey(dst []byte, pos uint64) []byte {
	dst = append(dst, prefixLog)
	return binary.BigEndian.AppendUint64(dst, pos)
}

// streamPrefix is the start of every index key of stream.
func streamPrefix(stream string) []byte {
	k := make([]byte, 0, 1+binary.MaxVarintLen64+len(stream)+8)
	k = append(k, prefixIndex)
	k = binary.AppendUvarint(k, uint64(len(stream)))
	return append(k, stream...)
}

func appendIndexKey(dst []byte, stream string, rev uint64) []byte {
	dst = append(dst, prefixIndex)
	dst = binary.AppendUvarint(dst, uint64(len(stream)))
	dst = append(dst, stream...)
	return binary.BigEndian.AppendUint64(dst, rev)
}

// appendRecord encodes everything of a record but its position, which is its key:
//
//	version(1) revision(uvarint) schema(varint) recorded-at seconds(varint) nanoseconds(uvarint)
//	then stream, type, correlation id, causation id, actor, data, each as uvarint length + bytes.
//
// Seconds and nanoseconds rather than UnixNano so that any time.Time an injected clock returns
// round-trips exactly instead of overflowing outside 1678..2262.
func appendRecord(dst []byte, stream string, rev uint64, at time.Time, e eventstore.Event) []byte {
	dst = append(dst, recordVersion)
	dst = binary.AppendUvarint(dst, rev)
	dst = binary.AppendVarint(dst, int64(e.Schema))
	dst = binary.AppendVarint(dst, at.Unix())
	dst = binary.AppendUvarint(dst, uint64(at.Nanosecond()))
	for _, s := range [...]string{stream, e.Type, e.Meta.CorrelationID, e.Meta.CausationID, e.Meta.Actor} {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(e.Data)))
	return append(dst, e.Data...)
}

// recordSize bounds the encoded size of a record, to size batches before encoding.
func recordSize(stream string, e eventstore.Event) int {
	return 1 + 4*binary.MaxVarintLen64 + 6*binary.MaxVarintLen64 +
		len(stream) + len(e.Type) + len(e.Meta.CorrelationID) + len(e.Meta.CausationID) + len(e.Meta.Actor) + len(e.Data)
}

var errCorrupt = errors.New("corrupt record")

// decodeRecord is the inverse of appendRecord. It copies what it keeps: Pebble reuses the buffer
// behind v.
func decodeRecord(pos uint64, v []byte) (eventstore.Record, error) {
	return (*pageAlloc)(nil).decode(pos, v)
}

// pageAlloc cuts the allocations of decoding a page of records, which is what a projection
// rebuild spends its time on: names repeat (the same few streams, types and actors), so each is
// allocated once per page, and the data of the whole page shares a few large buffers.
type pageAlloc struct {
	strs map[string]string
	slab []byte
}

const slabSize = 64 << 10

func newPageAlloc() *pageAlloc { return &pageAlloc{strs: map[string]string{}} }

func (a *pageAlloc) string(b []byte) string {
	if a == nil || len(b) > 256 {
		return string(b)
	}
	if s, ok := a.strs[string(b)]; ok { // the conversion in a map index does not allocate
		return s
	}
	s := string(b)
	a.strs[s] = s
	return s
}

func (a *pageAlloc) bytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	if a == nil || len(b) > slabSize/4 {
		return append([]byte(nil), b...)
	}
	if len(b) > cap(a.slab)-len(a.slab) {
		a.slab = make([]byte, 0, slabSize)
	}
	n := len(a.slab)
	a.slab = append(a.slab, b...)
	// Full slice expression: a caller appending to one record's data must not overwrite the next.
	return a.slab[n:len(a.slab):len(a.slab)]
}

func (a *pageAlloc) decode(pos uint64, v []byte) (eventstore.Record, error) {
	d := decoder{buf: v}
	if b := d.byte(); b != recordVersion {
		return eventstore.Record{}, fmt.Errorf("decode record at position %d: version %d unknown: %w", pos, b, errCorrupt)
	}
	r := eventstore.Record{Position: pos}
	r.Revision = d.uvarint()
	r.Schema = int(d.varint())
	sec := d.varint()
	nsec := d.uvarint()
	r.Stream = a.string(d.bytes())
	r.Type = a.string(d.bytes())
	r.Meta.CorrelationID = a.string(d.bytes())
	r.Meta.CausationID = a.string(d.bytes())
	r.Meta.Actor = a.string(d.bytes())
	r.Data = a.bytes(d.bytes())
	if d.err != nil {
		return eventstore.Record{}, fmt.Errorf("decode record at position %d: %w", pos, d.err)
	}
	if len(d.buf) != 0 {
		return eventstore.Record{}, fmt.Errorf("decode record at position %d: %d trailing bytes: %w", pos, len(d.buf), errCorrupt)
	}
	if nsec >= uint64(time.Second) {
		return eventstore.Record{}, fmt.Errorf("decode record at position %d: nanoseconds %d: %w", pos, nsec, errCorrupt)
	}
	r.RecordedAt = time.Unix(sec, int64(nsec)).UTC()
	return r, nil
}

// decoder reads fields in sequence and remembers the first error, so decodeRecord reads like the
// layout it decodes.
type decoder struct {
	buf []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%s: %w", what, errCorrupt)
	}
	d.buf = nil
}

func (d *decoder) byte() byte {
	if len(d.buf) < 1 {
		d.fail("truncated")
		return 0
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail("bad unsigned varint")
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.buf)) {
		d.fail("length beyond end")
		return nil
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}
