package kurrent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"github.com/vigie/vigie/adapters/eventstore"
)

// KurrentDB gives every event its position (a commit position: a byte offset in its transaction
// file) and its creation time; a client can set neither. A log moved here must keep its own, or
// its hash chain, which covers both (docs/audit.md), breaks. So an imported event carries its
// original position and recorded time in its user metadata, and the store reports those; events
// appended afterwards report their commit position, as before.
//
// Reads of $all must start at a commit position, so the store keeps the commit position of every
// imported event, in an index stream of its own (one event per Import call) loaded at Open:
// 16 bytes of memory per imported event. Reads after a position p below the last imported commit
// position start at the commit position of the imported event at p (or the one before it).
//
// The two numberings form one increasing sequence as long as every imported event's original
// position is at most its commit position; Import checks it (a log from the embedded or the
// PostgreSQL store, numbered 1, 2, 3…, always passes: each event takes more than one byte of
// KurrentDB's log), and refuses to go on when it does not hold.

// importIndexStream is the index of the imported events' commit positions (within the
// namespace). It is not part of the global log and cannot be appended to.
const importIndexStream = "vigie-import-index"

// importIndexType is the type of the index's events.
const importIndexType = "vigie.import-index"

// importIndexEvent maps the original positions of one Import call to their commit positions.
type importIndexEvent struct {
	Positions []uint64 `json:"positions"`
	Commits   []uint64 `json:"commits"`
}

// mark is an imported event's original position and its commit position.
type mark struct{ port, commit uint64 }

// importIDSpace derives the event ids of imported events, so that a batch written again after a
// lost answer is recognised by the server as the same events.
var importIDSpace = uuid.MustParse("4f1c7a56-8a63-4a3e-9d61-3c2b8f0e9a10")

// importID is an imported event's id: a function of where it is in the log.
func importID(r eventstore.Record) uuid.UUID {
	return uuid.NewSHA1(importIDSpace, []byte(strconv.FormatUint(r.Position, 10)+"\x00"+r.Stream+"\x00"+strconv.FormatUint(r.Revision, 10)))
}

// Import writes records with their own positions and recorded times (jsonl.Importer), into an
// empty store first, then continuing what the previous calls imported: positions increasing,
// each stream at its next revision (checked by the server through the expected revision). The
// consecutive records of one stream are one KurrentDB append (atomic); KurrentDB has no
// transaction across streams, so a failed Import leaves what it wrote before the failure: start
// again on an empty store (another namespace). Nothing may be appended before the import ends.
func (s *Store) Import(ctx context.Context, records []eventstore.Record) error {
	if err := s.importRecords(ctx, records); err != nil {
		return eventstore.ImportFailed(records, err)
	}
	return nil
}

func (s *Store) importRecords(ctx context.Context, records []eventstore.Record) error {
	if len(records) == 0 {
		return errors.New("no records")
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	s.importMu.Lock()
	defer s.importMu.Unlock()
	var errs []error
	for i, r := range records {
		where := "record " + strconv.Itoa(i)
		if r.Position == 0 || (i > 0 && r.Position <= records[i-1].Position) {
			errs = append(errs, fmt.Errorf("%s: position %d does not follow %d", where, r.Position, records[max(i-1, 0)].Position))
		}
		if err := validStream(r.Stream); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		if r.Type == "" || r.Type[0] == '$' {
			errs = append(errs, fmt.Errorf("%s: type %q is empty or starts with '$'", where, r.Type))
		}
		if r.RecordedAt.IsZero() {
			errs = append(errs, fmt.Errorf("%s: no recorded time", where))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// The store must hold nothing but what the previous calls imported.
	head, err := s.Head(ctx)
	if err != nil {
		return err
	}
	marks := s.marksNow()
	last := uint64(0)
	if len(marks) > 0 {
		last = marks[len(marks)-1].port
	}
	if head != last {
		if last == 0 {
			return fmt.Errorf("the store is not empty (head at %d): import into an empty store (namespace)", head)
		}
		return fmt.Errorf("the store's head is at %d, the import ended at %d: something was appended meanwhile", head, last)
	}
	if records[0].Position <= last {
		return fmt.Errorf("position %d does not follow the last imported one, %d", records[0].Position, last)
	}

	index := importIndexEvent{}
	for start := 0; start < len(records); {
		end := start + 1
		for end < len(records) && records[end].Stream == records[start].Stream {
			end++
		}
		commits, err := s.importRun(ctx, records[start:end])
		if err != nil {
			return err
		}
		for i, c := range commits {
			p := records[start+i].Position
			if p > c {
				return fmt.Errorf("position %d was given commit position %d by KurrentDB, below it: the store could not keep the log's order after this import (import into a fresh KurrentDB, or a log numbered from 1)", p, c)
			}
			index.Positions = append(index.Positions, p)
			index.Commits = append(index.Commits, c)
		}
		start = end
	}
	if err := s.appendIndex(ctx, index); err != nil {
		return err
	}
	s.mu.Lock()
	for i, p := range index.Positions {
		s.marks = append(s.marks, mark{port: p, commit: index.Commits[i]})
	}
	s.mu.Unlock()
	return nil
}

// importRun writes the consecutive records of one stream in one append and returns their commit
// positions.
func (s *Store) importRun(ctx context.Context, run []eventstore.Record) ([]uint64, error) {
	stream := run[0].Stream
	what := fmt.Sprintf("import %d events to %s at revision %d", len(run), stream, run[0].Revision)
	data := make([]kurrentdb.EventData, len(run))
	for i, r := range run {
		if r.Revision != run[0].Revision+uint64(i) {
			return nil, fmt.Errorf("%s: revision %d, want %d", what, r.Revision, run[0].Revision+uint64(i))
		}
		schema := r.Schema
		if schema < 1 {
			schema = 1
		}
		m, err := json.Marshal(meta{Schema: schema, CorrelationID: r.Meta.CorrelationID, CausationID: r.Meta.CausationID, Actor: r.Meta.Actor,
			Position: r.Position, RecordedAt: r.RecordedAt.UTC().Format(time.RFC3339Nano)})
		if err != nil {
			return nil, fmt.Errorf("%s: metadata: %w", what, err)
		}
		ct := kurrentdb.ContentTypeBinary
		if json.Valid(r.Data) {
			ct = kurrentdb.ContentTypeJson
		}
		data[i] = kurrentdb.EventData{EventID: importID(r), EventType: r.Type, ContentType: ct, Data: r.Data, Metadata: m}
	}
	expected := kurrentdb.StreamState(kurrentdb.NoStream{})
	if run[0].Revision > 0 {
		expected = kurrentdb.Revision(run[0].Revision - 1)
	}
	_, err := withClient(s, func(c *kurrentdb.Client) (*kurrentdb.WriteResult, error) {
		return c.AppendToStream(ctx, s.ns+stream, kurrentdb.AppendToStreamOptions{StreamState: expected}, data...)
	})
	if err != nil {
		if hasCode(err, kurrentdb.ErrorCodeWrongExpectedVersion) || hasCode(err, kurrentdb.ErrorCodeStreamRevisionConflict) {
			return nil, fmt.Errorf("%s: the stream is not at revision %d: %w (%v)", what, int64(run[0].Revision)-1, eventstore.ErrConflict, err)
		}
		return nil, s.fail(ctx, what, err)
	}
	back, err := s.readRaw(ctx, s.ns+stream, run[0].Revision, len(run))
	if err != nil {
		return nil, s.fail(ctx, what+": read the events back", err)
	}
	if len(back) != len(run) {
		return nil, fmt.Errorf("%s: read back %d events, want %d", what, len(back), len(run))
	}
	commits := make([]uint64, len(back))
	for i, e := range back {
		if e.Event == nil || e.Event.EventID != data[i].EventID {
			return nil, fmt.Errorf("%s: event %d read back is not the one written", what, i)
		}
		if commits[i], err = position(e); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	return commits, nil
}

// readRaw reads up to limit events of a KurrentDB stream from revision from, as stored.
func (s *Store) readRaw(ctx context.Context, stream string, from uint64, limit int) ([]*kurrentdb.ResolvedEvent, error) {
	return withClient(s, func(c *kurrentdb.Client) ([]*kurrentdb.ResolvedEvent, error) {
		rs, err := c.ReadStream(ctx, stream, kurrentdb.ReadStreamOptions{Direction: kurrentdb.Forwards, From: kurrentdb.Revision(from)}, uint64(limit))
		if err != nil {
			if hasCode(err, kurrentdb.ErrorCodeResourceNotFound) {
				return nil, nil
			}
			return nil, err
		}
		defer rs.Close()
		out, err := drain(rs)
		if hasCode(err, kurrentdb.ErrorCodeResourceNotFound) {
			return nil, nil
		}
		return out, err
	})
}

// appendIndex records one Import call's positions in the index stream.
func (s *Store) appendIndex(ctx context.Context, index importIndexEvent) error {
	b, err := json.Marshal(index)
	if err != nil {
		return fmt.Errorf("encode the import index: %w", err)
	}
	s.mu.Lock()
	n := s.indexEvents
	s.mu.Unlock()
	expected := kurrentdb.StreamState(kurrentdb.NoStream{})
	if n > 0 {
		expected = kurrentdb.Revision(n - 1)
	}
	e := kurrentdb.EventData{EventID: uuid.New(), EventType: importIndexType, ContentType: kurrentdb.ContentTypeJson, Data: b}
	if _, err := withClient(s, func(c *kurrentdb.Client) (*kurrentdb.WriteResult, error) {
		return c.AppendToStream(ctx, s.ns+importIndexStream, kurrentdb.AppendToStreamOptions{StreamState: expected}, e)
	}); err != nil {
		return s.fail(ctx, "record the import index", err)
	}
	s.mu.Lock()
	s.indexEvents++
	s.mu.Unlock()
	return nil
}

// loadMarks reads the import index (Open).
func (s *Store) loadMarks(ctx context.Context) error {
	var marks []mark
	n := uint64(0)
	for {
		page, err := s.readRaw(ctx, s.ns+importIndexStream, n, 256)
		if err != nil {
			return fmt.Errorf("read the import index: %w", err)
		}
		for _, e := range page {
			if e.Event == nil || e.Event.EventType != importIndexType {
				return fmt.Errorf("read the import index: event %d is not an index event", n)
			}
			var ix importIndexEvent
			if err := json.Unmarshal(e.Event.Data, &ix); err != nil || len(ix.Positions) != len(ix.Commits) {
				return fmt.Errorf("read the import index: event %d does not decode (%v)", n, err)
			}
			for i, p := range ix.Positions {
				if m := len(marks); m > 0 && (p <= marks[m-1].port || ix.Commits[i] <= marks[m-1].commit) {
					return fmt.Errorf("read the import index: event %d: position %d (commit %d) does not follow %d (%d)", n, p, ix.Commits[i], marks[m-1].port, marks[m-1].commit)
				}
				marks = append(marks, mark{port: p, commit: ix.Commits[i]})
			}
			n++
		}
		if len(page) < 256 {
			break
		}
	}
	s.mu.Lock()
	s.marks, s.indexEvents = marks, n
	s.mu.Unlock()
	return nil
}

func (s *Store) marksNow() []mark {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.marks
}

// commitAfter is the commit position to read $all from (exclusive) to see every event whose
// reported position is above after: after itself beyond the imported events, else the commit
// position of the last imported event at or before after (0 before the first).
func (s *Store) commitAfter(after uint64) uint64 {
	marks := s.marksNow()
	if len(marks) == 0 || after >= marks[len(marks)-1].commit {
		return after
	}
	i := sort.Search(len(marks), func(i int) bool { return marks[i].port > after })
	if i == 0 {
		return 0
	}
	return marks[i-1].commit
}
