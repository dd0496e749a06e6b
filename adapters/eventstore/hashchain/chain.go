// Package hashchain makes the event log tamper-evident, over any eventstore.Store.
//
// Every event of the global log is chained to the one before it, in position order:
//
//	leaf(e) = SHA-256(what e says: revision, schema, recorded-at, stream, type, metadata, data)
//	h(0)    = Genesis
//	h(e)    = SHA-256(h(previous event) || position(e) || leaf(e))
//
// The chain is a pure function of what is stored, so it costs nothing at append time. What makes
// it evidence is the seal: a sealer (Store, the decorator Wrap returns) periodically appends an
// "audit.sealed" event to the reserved stream "audit-chain" holding the chain head up to a
// position and an 8-byte digest of each event it covers. A later change to any sealed event, a
// deletion, an insertion or a reordering no longer matches the seal; Verify walks the log,
// recomputes the chain, checks every seal and names the first event that does not match. The
// seals are themselves events of the log, so each seal is covered by the next one.
//
// A chain without a secret proves nothing against someone who can rewrite the whole log and
// every seal after the change: only a head that left the machine (printed in a report, sent to
// the authority, shipped in the logs) pins the past. Verify takes such heads as anchors.
// docs/audit.md gives the threat model and the exact byte layout, so that the chain can be
// checked without this code.
package hashchain

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Hash is a SHA-256 digest.
type Hash [sha256.Size]byte

// String is the hash in lower-case hexadecimal.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash reads 64 lower-case hexadecimal digits, the form String writes.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) || strings.ToLower(s) != s {
		return h, fmt.Errorf("hash %q: want %d lower-case hexadecimal digits", s, 2*len(h))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("hash %q: %w", s, err)
	}
	return h, nil
}

// Genesis is the chain value before the first event.
var Genesis = Hash(sha256.Sum256([]byte("vigie hash chain v1")))

// Head is a point of the chain: the chain value after the event at Position. The head of an
// empty log is {0, Genesis}. Printed as "position:hash", it is what a report quotes and what
// Verify takes back as an anchor.
type Head struct {
	Position uint64
	Hash     Hash
}

func (h Head) String() string { return strconv.FormatUint(h.Position, 10) + ":" + h.Hash.String() }

// ParseHead reads the form Head.String writes: "1234:9f86d0…".
func ParseHead(s string) (Head, error) {
	pos, hash, ok := strings.Cut(s, ":")
	if !ok {
		return Head{}, fmt.Errorf("head %q: want position:hash", s)
	}
	p, err := strconv.ParseUint(pos, 10, 64)
	if err != nil {
		return Head{}, fmt.Errorf("head %q: position: %w", s, err)
	}
	h, err := ParseHash(hash)
	if err != nil {
		return Head{}, fmt.Errorf("head %q: %w", s, err)
	}
	return Head{Position: p, Hash: h}, nil
}

// AppendLeafInput appends the bytes whose SHA-256 is the leaf of r: fixed-width big-endian
// integers, then each string as an 8-byte length and its bytes, so that no two records share an
// encoding. The position is not in the leaf (it is in the link), so that an event removed from a
// sealed range leaves the leaves of the others unchanged and Verify can tell "missing" from
// "altered".
//
//	revision u64 | schema i64 | recorded-at unix seconds i64 | nanoseconds u32 |
//	stream | type | correlation id | causation id | actor | data
func AppendLeafInput(dst []byte, r eventstore.Record) []byte {
	dst = binary.BigEndian.AppendUint64(dst, r.Revision)
	dst = binary.BigEndian.AppendUint64(dst, uint64(int64(r.Schema)))
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.RecordedAt.Unix()))
	dst = binary.BigEndian.AppendUint32(dst, uint32(r.RecordedAt.Nanosecond()))
	for _, s := range [...]string{r.Stream, r.Type, r.Meta.CorrelationID, r.Meta.CausationID, r.Meta.Actor} {
		dst = binary.BigEndian.AppendUint64(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	dst = binary.BigEndian.AppendUint64(dst, uint64(len(r.Data)))
	return append(dst, r.Data...)
}

// Leaf hashes what r says, without its position.
func Leaf(r eventstore.Record) Hash { return sha256.Sum256(AppendLeafInput(nil, r)) }

// Link is the chain value after an event at position whose leaf is leaf, prev being the value
// before it: SHA-256(prev || position u64 || leaf).
func Link(prev Hash, position uint64, leaf Hash) Hash {
	var b [2*sha256.Size + 8]byte
	copy(b[:], prev[:])
	binary.BigEndian.PutUint64(b[sha256.Size:], position)
	copy(b[sha256.Size+8:], leaf[:])
	return sha256.Sum256(b[:])
}

// Chain computes the chain event by event. The zero value is not usable: use NewChain.
type Chain struct {
	head Head
	buf  []byte
}

// NewChain starts a chain at head: Head{} or {0, Genesis} for a log from its start, a seal's
// head to resume after it.
func NewChain(head Head) *Chain {
	if head == (Head{}) {
		head.Hash = Genesis
	}
	return &Chain{head: head}
}

// errOrder is returned by Add for a record that does not come after the previous one.
var errOrder = errors.New("position does not increase")

// Add chains r, which must come after the previous record, and returns its leaf and the new head.
func (c *Chain) Add(r eventstore.Record) (leaf Hash, head Head, err error) {
	if r.Position <= c.head.Position {
		return Hash{}, c.head, fmt.Errorf("position %d after %d: %w", r.Position, c.head.Position, errOrder)
	}
	c.buf = AppendLeafInput(c.buf[:0], r)
	leaf = sha256.Sum256(c.buf)
	c.head = Head{Position: r.Position, Hash: Link(c.head.Hash, r.Position, leaf)}
	return leaf, c.head, nil
}

// Head is the chain value after the last record added.
func (c *Chain) Head() Head { return c.head }
