package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Import writes records exactly as they are, positions, revisions and recorded times included
// (jsonl.Importer): it is how a log moves to PostgreSQL, from the embedded store for instance,
// where Append would give new positions and stamp the time of the move, and break the log's hash
// chain.
//
// The records must continue the log: the first one at the position after the head, the next ones
// at consecutive positions (this store's positions have no gaps), each at the next revision of its
// stream. All of them or none are written, in one transaction that takes the head lock like an
// append, so appends of any process wait meanwhile; subscribers see the imported events as they
// would appended ones.
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
	n := len(records)
	positions, revisions := make([]int64, n), make([]int64, n)
	streams, types, metas := make([]string, n), make([]string, n), make([]string, n)
	schemas, subs := make([]int32, n), make([]int16, n)
	datas := make([][]byte, n)
	times := make([]time.Time, n)
	next := map[string]uint64{} // the revision each stream's next record must have, once seen
	var names []string
	var errs []error
	for i, r := range records {
		where := "record " + strconv.Itoa(i)
		if r.Position != records[0].Position+uint64(i) || r.Position == 0 || r.Position > math.MaxInt64 {
			errs = append(errs, fmt.Errorf("%s: position %d, want %d (consecutive, from 1)", where, r.Position, records[0].Position+uint64(i)))
		}
		if r.Stream == "" || !validText(r.Stream) || r.Type == "" || !validText(r.Type) {
			errs = append(errs, fmt.Errorf("%s: stream %q and type %q must be non-empty UTF-8 without NUL", where, r.Stream, r.Type))
		}
		if r.Schema < math.MinInt32 || r.Schema > math.MaxInt32 {
			errs = append(errs, fmt.Errorf("%s: schema %d does not fit 32 bits", where, r.Schema))
		}
		if len(r.Data) > 0 && !json.Valid(r.Data) {
			errs = append(errs, fmt.Errorf("%s: data is not valid JSON", where))
		}
		m := r.Meta
		if !validText(m.CorrelationID) || !validText(m.CausationID) || !validText(m.Actor) {
			errs = append(errs, fmt.Errorf("%s: metadata is not UTF-8 without NUL", where))
		}
		if r.RecordedAt.IsZero() {
			errs = append(errs, fmt.Errorf("%s: no recorded time", where))
		}
		if want, seen := next[r.Stream]; seen && r.Revision != want {
			errs = append(errs, fmt.Errorf("%s: stream %s at revision %d, want %d", where, r.Stream, r.Revision, want))
		} else if !seen {
			names = append(names, r.Stream)
		}
		if r.Revision >= math.MaxInt64 {
			errs = append(errs, fmt.Errorf("%s: revision %d is beyond what the store keeps", where, r.Revision))
		}
		next[r.Stream] = r.Revision + 1
		meta, err := json.Marshal(m)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: encode metadata: %w", where, err))
		}
		data := []byte(r.Data)
		if data == nil {
			data = []byte{}
		}
		positions[i], revisions[i], streams[i], types[i], metas[i] = int64(r.Position), int64(r.Revision), r.Stream, r.Type, string(meta)
		schemas[i], datas[i], times[i], subs[i] = int32(r.Schema), data, r.RecordedAt, subMicro(r.RecordedAt)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}

	end, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer end()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return queryErr(ctx, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if s.forceSync {
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = on`); err != nil {
			return queryErr(ctx, err)
		}
	}
	var head int64
	if err := tx.QueryRow(ctx, `SELECT position FROM `+s.t.head+` FOR UPDATE`).Scan(&head); err != nil {
		return fmt.Errorf("lock the head: %w", queryErr(ctx, err))
	}
	if uint64(head)+1 != records[0].Position {
		return fmt.Errorf("the log's head is at %d: the records must start at %d", head, head+1)
	}
	rows, err := tx.Query(ctx, s.headsQuery(), names)
	if err != nil {
		return fmt.Errorf("read stream heads: %w", queryErr(ctx, err))
	}
	heads := map[string]int64{}
	if err := scanHeads(rows, heads); err != nil {
		return queryErr(ctx, err)
	}
	firsts := map[string]uint64{}
	for _, r := range records {
		if _, ok := firsts[r.Stream]; !ok {
			firsts[r.Stream] = r.Revision
		}
	}
	for _, name := range names {
		want := uint64(0)
		if last, ok := heads[name]; ok {
			want = uint64(last) + 1
		}
		if firsts[name] != want {
			errs = append(errs, fmt.Errorf("stream %s starts at revision %d, want %d", name, firsts[name], want))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	last := positions[n-1]
	if _, err := tx.Exec(ctx, `INSERT INTO `+s.t.events+` (`+recordColumns+`)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::integer[], $6::bytea[], $7::text[]::jsonb[], $8::timestamptz[], $9::smallint[])`,
		positions, streams, revisions, types, schemas, datas, metas, times, subs); err != nil {
		return fmt.Errorf("write: %w", queryErr(ctx, err))
	}
	if _, err := tx.Exec(ctx, `UPDATE `+s.t.head+` SET position = $1`, last); err != nil {
		return fmt.Errorf("move the head: %w", queryErr(ctx, err))
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, s.t.channel, strconv.FormatInt(last, 10)); err != nil {
		return fmt.Errorf("notify: %w", queryErr(ctx, err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit, outcome unknown: %w", queryErr(ctx, err))
	}
	s.wakeUp()
	return nil
}
