package jsonl

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"github.com/vigie/vigie/adapters/eventstore"
)

// The hash chain of docs/audit.md, written out here because adapters do not import each other
// (arch_test.go): jsonl may use the port only. TestHashesAreTheHashChains checks, line by line,
// that it computes what package hashchain computes.

type hash [sha256.Size]byte

func (h hash) String() string { return hex.EncodeToString(h[:]) }

var genesis = hash(sha256.Sum256([]byte("vigie hash chain v1")))

type chain struct {
	head hash
	buf  []byte
}

func newChain() *chain { return &chain{head: genesis} }

// add chains r after the previous record and returns the new value.
func (c *chain) add(r eventstore.Record) hash {
	b := c.buf[:0]
	b = binary.BigEndian.AppendUint64(b, r.Revision)
	b = binary.BigEndian.AppendUint64(b, uint64(int64(r.Schema)))
	b = binary.BigEndian.AppendUint64(b, uint64(r.RecordedAt.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(r.RecordedAt.Nanosecond()))
	for _, s := range [...]string{r.Stream, r.Type, r.Meta.CorrelationID, r.Meta.CausationID, r.Meta.Actor} {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(len(r.Data)))
	b = append(b, r.Data...)
	leaf := sha256.Sum256(b)

	var link [2*sha256.Size + 8]byte
	copy(link[:], c.head[:])
	binary.BigEndian.PutUint64(link[sha256.Size:], r.Position)
	copy(link[sha256.Size+8:], leaf[:])
	c.head = sha256.Sum256(link[:])
	c.buf = b
	return c.head
}
