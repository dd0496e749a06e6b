package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// maxRows is the most rows one multi-row INSERT carries. Bigger statements bind more parameters
// per call into SQLite; 256 rows of 12 columns stay far below its 32766-parameter limit, and
// measured gains flatten out before that.
const maxRows = 256

// multiInsert is one INSERT prepared for 1, 2, 4 … maxRows rows. Any row count is written as a sum
// of powers of two, so a handful of statements prepared once serve every batch size: statements
// cannot be prepared during a commit, which holds the writer's only connection.
type multiInsert struct {
	cols  int
	sized []*sql.Stmt // sized[k] inserts 1<<k rows
}

func prepareMulti(db *sql.DB, head string, cols int, tail string) (*multiInsert, error) {
	return prepareMultiSelect(db, head, "", cols, tail)
}

// prepareMultiSelect is prepareMulti inserting `SELECT sel FROM (VALUES …)` when sel is set, so that
// a row can bind fewer parameters than the table has columns (column1, column2 … in sel).
func prepareMultiSelect(db *sql.DB, head, sel string, cols int, tail string) (*multiInsert, error) {
	m := &multiInsert{cols: cols}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	for n := 1; n <= maxRows; n *= 2 {
		values := "VALUES " + strings.TrimSuffix(strings.Repeat(row+",", n), ",")
		q := head + " " + values + " " + tail
		if sel != "" {
			// WHERE true: without it SQLite would read ON CONFLICT as a join constraint.
			q = head + " SELECT " + sel + " FROM (" + values + ") WHERE true " + tail
		}
		st, err := db.Prepare(q)
		if err != nil {
			m.close()
			return nil, fmt.Errorf("prepare %s (%d rows): %w", head, n, err)
		}
		m.sized = append(m.sized, st)
	}
	return m, nil
}

// exec inserts the rows whose values lie flat in args (cols values a row).
func (m *multiInsert) exec(ctx context.Context, tx *sql.Tx, args []any) error {
	rows := len(args) / m.cols
	for rows > 0 {
		k := len(m.sized) - 1
		for 1<<k > rows {
			k--
		}
		n := 1 << k
		if _, err := tx.StmtContext(ctx, m.sized[k]).ExecContext(ctx, args[:n*m.cols]...); err != nil {
			return err
		}
		args = args[n*m.cols:]
		rows -= n
	}
	return nil
}

func (m *multiInsert) close() error {
	var errs []error
	for _, st := range m.sized {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// statements are the writer's prepared statements.
type statements struct {
	projection    *sql.Stmt
	newProjection *sql.Stmt
	checkpoint    *sql.Stmt
	newSensor     *sql.Stmt
	sensorDam     *sql.Stmt
	newQuality    *sql.Stmt
	tail          *sql.Stmt
	segmentEnds   *sql.Stmt
	segments      *sql.Stmt
	dropSegments  *sql.Stmt
	putSegment    *sql.Stmt
	states        *multiInsert
	// appendChunks appends records to chunk segments, creating those that do not exist
	// (chunk.go).
	appendChunks *multiInsert
	rollups      [len(rollups)]*multiInsert
	// singles are the roll-ups of buckets holding one usable reading, the usual case of small
	// live batches: 4 parameters bound instead of 9.
	singles  [len(rollups)]*multiInsert
	timeline *multiInsert
}

// rollupMerge folds a batch's partial aggregate of a bucket into the stored one. Every right-hand
// side reads the row as it was before this update, as SQL defines it, so the order of the
// assignments does not matter. A late reading merges like any other: min, max, sum and count are
// order-free, and last moves only to a newer time.
const rollupMerge = `ON CONFLICT (sid, b) DO UPDATE SET
	mn  = CASE WHEN excluded.n = 0 THEN mn WHEN n = 0 THEN excluded.mn ELSE min(mn, excluded.mn) END,
	mx  = CASE WHEN excluded.n = 0 THEN mx WHEN n = 0 THEN excluded.mx ELSE max(mx, excluded.mx) END,
	sm  = sm + excluded.sm,
	lv  = CASE WHEN excluded.n > 0 AND (n = 0 OR excluded.lt > lt) THEN excluded.lv ELSE lv END,
	lt  = CASE WHEN excluded.n > 0 AND (n = 0 OR excluded.lt > lt) THEN excluded.lt ELSE lt END,
	n   = n + excluded.n,
	bad = bad + excluded.bad`

// stateUpsert keeps the newest sensor time: an older state is ignored, an equal one replaces
// (a threshold crossing changes Above without a newer reading). The rows of one multi-row
// statement are upserted in order, as so many statements would be.
const stateUpsert = `ON CONFLICT (sensor) DO UPDATE SET
		proj = excluded.proj, dam = excluded.dam, t = excluded.t, v = excluded.v, q = excluded.q,
		rec = excluded.rec, trend = excluded.trend, trend_known = excluded.trend_known,
		volume = excluded.volume, fill = excluded.fill,
		spilling = excluded.spilling, tts = excluded.tts, above = excluded.above, pos = excluded.pos
	WHERE states.t IS NULL OR excluded.t >= states.t`

func prepare(db *sql.DB) (st *statements, err error) {
	st = &statements{}
	defer func() {
		if err != nil {
			st.close()
		}
	}()
	one := func(dst **sql.Stmt, q string) {
		if err != nil {
			return
		}
		if *dst, err = db.Prepare(q); err != nil {
			err = fmt.Errorf("prepare %q: %w", q, err)
		}
	}
	one(&st.projection, `SELECT id, position FROM projections WHERE name = ?`)
	one(&st.newProjection, `INSERT INTO projections (name, position) VALUES (?, 0) RETURNING id`)
	one(&st.checkpoint, `UPDATE projections SET position = ? WHERE id = ?`)
	one(&st.newSensor, `INSERT INTO sensors (name, dam, proj) VALUES (?, ?, ?) RETURNING id`)
	one(&st.sensorDam, `UPDATE sensors SET dam = ? WHERE id = ?`)
	one(&st.newQuality, `INSERT INTO qualities (name) VALUES (?) RETURNING id`)
	one(&st.tail, `SELECT c, seg, n, tn FROM chunks WHERE sid = ? ORDER BY c DESC, seg DESC LIMIT 1`)
	one(&st.segmentEnds, `SELECT seg, tn FROM chunks WHERE sid = ? AND c = ? ORDER BY seg`)
	one(&st.segments, `SELECT data FROM chunks WHERE sid = ? AND c = ? AND seg >= ? ORDER BY seg`)
	one(&st.dropSegments, `DELETE FROM chunks WHERE sid = ? AND c = ? AND seg >= ?`)
	one(&st.putSegment, `INSERT INTO chunks (sid, c, seg, n, tn, data) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return st, err
	}
	if st.states, err = prepareMulti(db,
		`INSERT INTO states (sensor, proj, dam, t, v, q, rec, trend, trend_known, volume, fill, spilling, tts, above, pos)`, 15,
		stateUpsert); err != nil {
		return st, err
	}
	// || makes TEXT of two BLOBs, byte for byte; the CAST gives the BLOB back.
	if st.appendChunks, err = prepareMulti(db, `INSERT INTO chunks (sid, c, seg, n, tn, data)`, 6,
		`ON CONFLICT (sid, c, seg) DO UPDATE SET n = n + excluded.n, tn = excluded.tn,
			data = CAST(data || excluded.data AS BLOB)`); err != nil {
		return st, err
	}
	for i, r := range rollups {
		if st.rollups[i], err = prepareMulti(db, `INSERT INTO `+r.table+` (sid, b, n, bad, mn, mx, sm, lt, lv)`, 9,
			rollupMerge); err != nil {
			return st, err
		}
		if st.singles[i], err = prepareMultiSelect(db, `INSERT INTO `+r.table+` (sid, b, n, bad, mn, mx, sm, lt, lv)`,
			`column1, column2, 1, 0, column3, column3, column3, column4, column3`, 4, rollupMerge); err != nil {
			return st, err
		}
	}
	if st.timeline, err = prepareMulti(db,
		`INSERT INTO timeline (pos, proj, seq, stream, type, dam, sensor, t, rec, actor, summary, data)`, 12,
		`ON CONFLICT DO NOTHING`); err != nil {
		return st, err
	}
	return st, nil
}

func (st *statements) close() error {
	var errs []error
	for _, s := range []*sql.Stmt{st.projection, st.newProjection, st.checkpoint, st.newSensor, st.sensorDam,
		st.newQuality, st.tail, st.segmentEnds, st.segments, st.dropSegments, st.putSegment} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	for _, m := range append(append([]*multiInsert{st.appendChunks, st.states, st.timeline}, st.rollups[:]...), st.singles[:]...) {
		if m != nil {
			errs = append(errs, m.close())
		}
	}
	return errors.Join(errs...)
}
