package hashchain

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Report is what Verify found.
type Report struct {
	// Events is how many events were read and chained.
	Events uint64
	// Head is the chain after the last event read: the value to print in a report and to give a
	// later Verify as an anchor.
	Head Head
	// Seals is how many seals were checked and held.
	Seals uint64
	// Sealed is the position up to which a seal that held covers the log; the Unsealed events
	// after it are chained but nothing commits to them yet.
	Sealed   uint64
	Unsealed uint64
	// FirstBroken names the first event that does not match the seals, the stream rules or an
	// anchor; nil when everything holds.
	FirstBroken *Break
}

// Break is where the log stops matching what was committed to.
type Break struct {
	// Position is the event's position; for events missing at the end of a sealed range, the
	// position after the last one left.
	Position uint64
	// Stream and Revision are those of the event at Position, when there is one.
	Stream   string
	Revision uint64
	Reason   string
}

func (b Break) String() string {
	if b.Stream == "" {
		return fmt.Sprintf("position %d: %s", b.Position, b.Reason)
	}
	return fmt.Sprintf("position %d (%s@%d): %s", b.Position, b.Stream, b.Revision, b.Reason)
}

// verifyPage is how many events Verify reads at once.
const verifyPage = 4096

// Verify reads the whole log, recomputes the chain and checks it:
//   - positions increase and each stream's revisions run 0, 1, 2... (a removed, duplicated or
//     moved event shows even where nothing is sealed yet);
//   - every seal is well formed, starts where the previous one ended, and what it covers has
//     exactly the events, digests and chain head it recorded;
//   - the chain passes through every anchor: heads taken earlier (a report, a log line).
//
// It stops at the first break and names it in Report.FirstBroken; the error is for failing to
// read. The log is read up to the head it has when Verify starts, so the store may be in use.
// Memory is about 80 bytes per event between two seals.
func Verify(ctx context.Context, store eventstore.Store, anchors ...Head) (Report, error) {
	head, err := store.Head(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("verify: %w", err)
	}
	// After the head is read, so that every seal at or below it is found.
	lastSeal, found, err := lastOf(ctx, store, SealStream)
	if err != nil {
		return Report{}, fmt.Errorf("verify: find the last seal: %w", err)
	}
	v := &verifier{chain: NewChain(Head{}), streams: map[string]uint64{}}
	for _, a := range anchors {
		switch {
		case a.Position > 0:
			v.anchors = append(v.anchors, a)
		case a.Hash != Genesis:
			v.fail(&Break{Reason: fmt.Sprintf("anchor %s: position 0 is always the genesis %s", a, Genesis)}, true)
			return v.report(), nil
		}
	}
	slices.SortFunc(v.anchors, func(a, b Head) int { return cmp.Compare(a.Position, b.Position) })
	if found {
		v.retain = lastSeal.Position
	}
	after := uint64(0)
	for after < head && !v.stop {
		page, err := store.ReadAll(ctx, after, verifyPage)
		if err != nil {
			return v.report(), fmt.Errorf("verify: read after position %d: %w", after, err)
		}
		if len(page) == 0 {
			v.fail(&Break{Position: after + 1, Reason: fmt.Sprintf("the store's head is %d but no event follows position %d", head, after)}, false)
			break
		}
		for _, r := range page {
			if r.Position > head || v.stop {
				after = head
				break
			}
			v.add(r)
			after = r.Position
		}
	}
	if !v.stop {
		v.finish()
	}
	return v.report(), nil
}

type verifier struct {
	chain   *Chain
	streams map[string]uint64 // the next revision of each stream
	anchors []Head
	next    int // the next anchor to reach

	// retain is the position of the last seal: events before it are kept until a seal covers
	// them; after it no seal can come, so nothing is kept.
	retain  uint64
	pending []pending

	events, seals, sealedEvents uint64
	lastTo                      uint64 // where the last seal that held ended

	broken *Break
	// draining: a break was found by a check on one event; the log is read on until a seal
	// covers it, which may name an earlier event (an altered one that only a seal can see).
	draining bool
	stop     bool
}

// pending is an event not covered by a seal yet.
type pending struct {
	pos, rev uint64
	stream   string
	digest   [DigestSize]byte
	head     Hash
}

func (v *verifier) fail(b *Break, bySeal bool) {
	if v.broken == nil || b.Position < v.broken.Position {
		v.broken = b
	}
	if bySeal || v.broken.Position > v.retain {
		v.stop = true // a seal is the last word, and no seal comes after retain
		return
	}
	v.draining = true
}

func breakAt(r eventstore.Record, format string, args ...any) *Break {
	return &Break{Position: r.Position, Stream: r.Stream, Revision: r.Revision, Reason: fmt.Sprintf(format, args...)}
}

func (v *verifier) add(r eventstore.Record) {
	prev := v.chain.Head()
	if r.Position <= prev.Position {
		v.fail(breakAt(r, "position %d comes after %d: the log is out of order", r.Position, prev.Position), true)
		return
	}
	if want := v.streams[r.Stream]; r.Revision != want && !v.draining {
		v.fail(breakAt(r, "revision %d where the stream is at revision %d: an event of %s was removed, added or moved", r.Revision, want, r.Stream), false)
	}
	v.streams[r.Stream] = r.Revision + 1
	if isSealCandidate(r) {
		seal, b := v.checkSeal(r)
		switch {
		case b != nil:
			v.fail(b, true)
		case v.draining && seal.To >= v.broken.Position:
			v.stop = true // this seal held and covers the break: nothing earlier is wrong
		}
		if v.stop {
			return
		}
	}
	leaf, head, _ := v.chain.Add(r) // order checked above
	v.events++
	if r.Position < v.retain {
		p := pending{pos: r.Position, rev: r.Revision, stream: r.Stream, head: head.Hash}
		copy(p.digest[:], leaf[:])
		v.pending = append(v.pending, p)
	}
	for ; v.next < len(v.anchors) && v.anchors[v.next].Position <= r.Position; v.next++ {
		if v.draining {
			continue
		}
		switch a := v.anchors[v.next]; {
		case a.Position < r.Position:
			v.fail(breakAt(r, "anchor %s: no event at position %d any more (this is the next one)", a, a.Position), false)
		case a.Hash != head.Hash:
			v.fail(breakAt(r, "anchor %s: the chain here is %s: the log up to this event changed after the anchor was taken", a, head.Hash), false)
		}
	}
	if v.draining && r.Position >= v.retain {
		v.stop = true // no seal comes after retain to name an earlier event
	}
}

// checkSeal checks a seal against the events it covers and, if it holds, forgets them.
func (v *verifier) checkSeal(r eventstore.Record) (Seal, *Break) {
	seal, err := decodeSeal(r)
	if err != nil {
		return seal, breakAt(r, "seal: %v", err)
	}
	if seal.After != v.lastTo {
		return seal, breakAt(r, "seal %d starts after position %d, but the previous seal ended at %d: a seal was removed or altered", seal.Seq, seal.After, v.lastTo)
	}
	if r.Position > v.retain {
		return seal, breakAt(r, "seal %d is after the last event that %s reads back (position %d): the stream and the log disagree", seal.Seq, SealStream, v.retain)
	}
	n := sort.Search(len(v.pending), func(i int) bool { return v.pending[i].pos > seal.To })
	covered := v.pending[:n]
	m := int(seal.Count)
	digest := func(i int) (d [DigestSize]byte) {
		copy(d[:], seal.Digests[i*DigestSize:])
		return d
	}
	at := func(p pending, format string, args ...any) *Break {
		return &Break{Position: p.pos, Stream: p.stream, Revision: p.rev, Reason: fmt.Sprintf(format, args...)}
	}
	for i := range min(n, m) {
		p := covered[i]
		if p.digest == digest(i) {
			continue
		}
		switch {
		case i+1 < m && i+1 < n && p.digest == digest(i+1) && covered[i+1].digest == digest(i):
			return seal, at(p, "this event and the next were swapped since seal %d (position %d) recorded them", seal.Seq, r.Position)
		case i+1 < m && p.digest == digest(i+1):
			return seal, at(p, "an event that seal %d (position %d) recorded just before this one is missing", seal.Seq, r.Position)
		case i+1 < n && covered[i+1].digest == digest(i):
			return seal, at(p, "this event is not one that seal %d (position %d) recorded: it was inserted", seal.Seq, r.Position)
		default:
			return seal, at(p, "this event differs from what seal %d (position %d) recorded: it was altered", seal.Seq, r.Position)
		}
	}
	switch {
	case n < m:
		missingAfter := seal.After
		if n > 0 {
			missingAfter = covered[n-1].pos
		}
		return seal, &Break{Position: missingAfter + 1, Reason: fmt.Sprintf(
			"seal %d (position %d) recorded %d events up to position %d, the log holds %d: the events after position %d are missing",
			seal.Seq, r.Position, m, seal.To, n, missingAfter)}
	case n > m:
		return seal, at(covered[m], "this event is beyond the %d that seal %d (position %d) recorded: it was inserted", m, seal.Seq, r.Position)
	}
	last := covered[n-1]
	if last.pos != seal.To {
		return seal, breakAt(r, "seal %d ends at position %d, but the last event it covers is at %d: positions were changed", seal.Seq, seal.To, last.pos)
	}
	if last.head.String() != seal.Head {
		return seal, breakAt(r, "seal %d records head %s, the chain at position %d is %s: positions were changed or the seal altered", seal.Seq, seal.Head, seal.To, last.head)
	}
	v.pending = append(v.pending[:0], v.pending[n:]...)
	v.lastTo = seal.To
	v.seals++
	v.sealedEvents += seal.Count
	return seal, nil
}

// finish checks the anchors beyond the end of the log.
func (v *verifier) finish() {
	end := v.chain.Head().Position
	if v.next < len(v.anchors) && !v.draining {
		a := v.anchors[v.next]
		v.fail(&Break{Position: a.Position, Reason: fmt.Sprintf(
			"anchor %s is beyond the end of the log at position %d: the log was truncated (or the anchor is from another log)", a, end)}, true)
	}
}

func (v *verifier) report() Report {
	return Report{
		Events:      v.events,
		Head:        v.chain.Head(),
		Seals:       v.seals,
		Sealed:      v.lastTo,
		Unsealed:    v.events - v.sealedEvents,
		FirstBroken: v.broken,
	}
}
