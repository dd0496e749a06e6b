package hashchain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vigie/vigie/adapters/eventstore"
)

// The seal events. The stream and type are reserved: the decorator refuses appends that use them,
// so only the sealer writes seals.
const (
	// SealStream is the stream of the seals; seal n is its revision n.
	SealStream = "audit-chain"
	// SealType is the type of a seal event.
	SealType = "audit.sealed"
	// SealSchema is the schema version of a seal's data.
	SealSchema = 1
	// SealActor is the metadata actor of every seal.
	SealActor = "system:hashchain"
	// DigestSize is how many bytes of each covered event's leaf a seal keeps: enough to name the
	// event that changed, while the full head makes the seal a 256-bit commitment.
	DigestSize = 8
)

// Seal is the data of an "audit.sealed" event: it commits to the chain up to position To.
type Seal struct {
	// Seq numbers the seals from 0; it equals the seal's revision in SealStream.
	Seq uint64 `json:"seq"`
	// After is the position the previous seal ended at (0 for the first seal): the seals cover
	// the log without gap or overlap.
	After uint64 `json:"after"`
	// To is the position of the last event covered. Events committed between To and the seal
	// itself are covered by the next seal.
	To uint64 `json:"to"`
	// Count is the number of events with a position in (After, To].
	Count uint64 `json:"count"`
	// Head is the chain value after the event at To, in hexadecimal.
	Head string `json:"head"`
	// Digests holds the first DigestSize bytes of the leaf of each covered event, in order.
	Digests []byte `json:"digests"`
}

// encodeSeal gives the seal's data. encoding/json writes a struct's fields in order and []byte as
// padded standard base64, so the encoding is canonical and Verify can demand it byte for byte.
func encodeSeal(s Seal) ([]byte, error) { return json.Marshal(s) }

var errMalformedSeal = errors.New("malformed seal")

// isSealCandidate tells which events Verify holds to the rules of a seal: either mark is enough,
// so that a one-byte change to a seal's stream or type cannot turn it into an ordinary event.
func isSealCandidate(r eventstore.Record) bool { return r.Stream == SealStream || r.Type == SealType }

// decodeSeal checks everything a seal record says about itself and returns its data. Only the
// seal's position and recorded time are left to the next seal.
func decodeSeal(r eventstore.Record) (Seal, error) {
	var s Seal
	switch {
	case r.Stream != SealStream:
		return s, fmt.Errorf("event of type %s in stream %q: %w", SealType, r.Stream, errMalformedSeal)
	case r.Type != SealType:
		return s, fmt.Errorf("event of type %q in stream %s: %w", r.Type, SealStream, errMalformedSeal)
	case r.Schema != SealSchema:
		return s, fmt.Errorf("schema %d, want %d: %w", r.Schema, SealSchema, errMalformedSeal)
	case r.Meta != (eventstore.Metadata{Actor: SealActor}):
		return s, fmt.Errorf("metadata %+v, want actor %s only: %w", r.Meta, SealActor, errMalformedSeal)
	}
	dec := json.NewDecoder(bytes.NewReader(r.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("data: %v: %w", err, errMalformedSeal)
	}
	canonical, err := encodeSeal(s)
	if err != nil || !bytes.Equal(canonical, r.Data) {
		return s, fmt.Errorf("data is not in canonical form: %w", errMalformedSeal)
	}
	switch {
	case s.Seq != r.Revision:
		return s, fmt.Errorf("seq %d at revision %d: %w", s.Seq, r.Revision, errMalformedSeal)
	case s.To <= s.After || s.To >= r.Position:
		return s, fmt.Errorf("covers (%d, %d] from position %d: %w", s.After, s.To, r.Position, errMalformedSeal)
	case s.Count == 0 || s.Count > s.To-s.After || uint64(len(s.Digests)) != s.Count*DigestSize:
		return s, fmt.Errorf("%d events with %d bytes of digests over (%d, %d]: %w", s.Count, len(s.Digests), s.After, s.To, errMalformedSeal)
	}
	if _, err := ParseHash(s.Head); err != nil {
		return s, fmt.Errorf("%v: %w", err, errMalformedSeal)
	}
	return s, nil
}

// lastOf returns the last event of stream, found in O(log n) reads: the port has no backward
// read, but "ReadStream from r returns something" holds for every r up to the last revision and
// for none after.
func lastOf(ctx context.Context, store eventstore.Store, stream string) (eventstore.Record, bool, error) {
	has := func(rev uint64) (eventstore.Record, bool, error) {
		recs, err := store.ReadStream(ctx, stream, rev, 1)
		if err != nil || len(recs) == 0 {
			return eventstore.Record{}, false, err
		}
		return recs[0], true, nil
	}
	last, ok, err := has(0)
	if err != nil || !ok {
		return eventstore.Record{}, false, err
	}
	// Invariant: some event is at or after revision lo, none is at or after hi.
	lo, hi := last.Revision, uint64(0)
	for step := uint64(1); hi == 0; step *= 2 {
		r, ok, err := has(lo + step)
		switch {
		case err != nil:
			return eventstore.Record{}, false, err
		case ok:
			last, lo = r, r.Revision
		default:
			hi = lo + step
		}
		if step > 1<<62 {
			return eventstore.Record{}, false, fmt.Errorf("stream %s: revisions beyond %d", stream, lo)
		}
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		r, ok, err := has(mid)
		switch {
		case err != nil:
			return eventstore.Record{}, false, err
		case ok:
			last, lo = r, r.Revision
		default:
			hi = mid
		}
	}
	return last, true, nil
}
