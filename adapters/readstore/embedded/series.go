package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// Series returns a sensor's readings in [From, To).
//
// Step 0 gives the raw readings, each with its quality (an implausible one has Count 0 and
// Implausible 1, and its value in Min, Max, Avg and Last so that it can be shown flagged).
//
// Otherwise the points are buckets aligned on the Unix epoch (start = t div step, in seconds), so
// the first one may start before From; they hold only readings in [From, To). The step is that of
// the coarsest roll-up not wider than Step (1 day, 1 h, 1 min), times the smallest whole number
// that reaches Step: 9 h 17 min over 1 h roll-ups gives 10 h buckets. That keeps every bucket
// exact, made of whole roll-up buckets, and the count at most (To-From)/Step + 1. The parts of
// [From, To) that do not fill a whole roll-up bucket are read from the finer roll-ups and, for
// the last fraction of a minute, from the raw samples. A bucket whose readings were all
// implausible has Count 0 and zero values. Buckets without readings are left out.
func (s *Store) Series(ctx context.Context, q readstore.SeriesQuery) ([]readstore.Point, error) {
	if q.Step < 0 {
		return nil, fmt.Errorf("series of %s: step %s is negative", q.Sensor, q.Step)
	}
	from, to := clampNanos(q.From), clampNanos(q.To)
	if from >= to {
		return []readstore.Point{}, nil
	}
	// One read transaction: every part of the answer comes from the same snapshot.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("series of %s: begin: %w", q.Sensor, err)
	}
	defer tx.Rollback()
	var sid int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM sensors WHERE name = ?`, q.Sensor).Scan(&sid)
	if errors.Is(err, sql.ErrNoRows) {
		return []readstore.Point{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("series of %s: find sensor: %w", q.Sensor, err)
	}
	if q.Step == 0 {
		pts, err := rawPoints(ctx, tx, sid, from, to)
		if err != nil {
			return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
		}
		return pts, nil
	}
	step, levels := plan(q.Step)
	m := merger{step: step, out: []readstore.Point{}}
	for _, seg := range cover(from, to, levels, nil) {
		if err := m.read(ctx, tx, sid, seg); err != nil {
			return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
		}
	}
	return m.finish(), nil
}

// plan turns a requested step into the bucket width in seconds and the roll-up widths to read,
// coarsest first (none: read raw samples only).
func plan(want time.Duration) (step int64, levels []int64) {
	step = max(1, int64((want+time.Second-1)/time.Second))
	for i, r := range rollups {
		if r.secs <= step {
			step = (step + r.secs - 1) / r.secs * r.secs
			for _, f := range rollups[i:] {
				levels = append(levels, f.secs)
			}
			return step, levels
		}
	}
	return step, nil
}

// segment is a part of the queried range read from one source: a roll-up of level seconds for
// the buckets starting in [from, to) (seconds), or raw samples (level 0) in [from, to) (ns).
type segment struct {
	level    int64
	from, to int64
}

// cover splits [from, to) (ns) into segments in time order: whole buckets of the coarsest level in
// the middle, finer levels for the ragged ends.
func cover(from, to int64, levels []int64, out []segment) []segment {
	if from >= to {
		return out
	}
	if len(levels) == 0 {
		return append(out, segment{level: 0, from: from, to: to})
	}
	width := levels[0] * int64(time.Second)
	if from > math.MaxInt64-width {
		return cover(from, to, levels[1:], out) // no whole bucket fits before the end of time
	}
	a := -floorDiv(-from, width) * width // first bucket boundary at or after from
	b := floorDiv(to, width) * width     // last bucket boundary at or before to
	if a >= b {
		return cover(from, to, levels[1:], out)
	}
	out = cover(from, a, levels[1:], out)
	out = append(out, segment{level: levels[0], from: a / int64(time.Second), to: b / int64(time.Second)})
	return cover(b, to, levels[1:], out)
}

// merger folds rows, which arrive in time order, into buckets of step seconds.
type merger struct {
	step int64
	cur  agg
	curB int64
	open bool
	out  []readstore.Point
}

func (m *merger) add(bucket int64, a agg) {
	b := floorDiv(bucket, m.step) * m.step
	if m.open && b != m.curB {
		m.flush()
	}
	if !m.open {
		m.cur, m.curB, m.open = agg{}, b, true
	}
	m.cur.merge(a)
}

func (m *merger) flush() {
	if !m.open {
		return
	}
	a := m.cur
	m.open = false
	if a.n == 0 && a.bad == 0 {
		return
	}
	p := readstore.Point{Time: time.Unix(m.curB, 0).UTC(), Count: int(a.n), Implausible: int(a.bad)}
	if a.n > 0 {
		p.Min, p.Max, p.Avg, p.Last = a.mn, a.mx, a.sm/float64(a.n), a.lv
	}
	m.out = append(m.out, p)
}

func (m *merger) finish() []readstore.Point {
	m.flush()
	return m.out
}

func (m *merger) read(ctx context.Context, tx *sql.Tx, sid int64, seg segment) error {
	if seg.level == 0 {
		rows, err := tx.QueryContext(ctx, `SELECT t, v, q = ? FROM samples WHERE sid = ? AND t >= ? AND t < ? ORDER BY t`,
			implausibleID, sid, seg.from, seg.to)
		if err != nil {
			return fmt.Errorf("read samples: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t int64
			var v float64
			var bad bool
			if err := rows.Scan(&t, &v, &bad); err != nil {
				return fmt.Errorf("read samples: %w", err)
			}
			var a agg
			a.addReading(t, v, bad)
			m.add(floorDiv(t, int64(time.Second)), a)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read samples: %w", err)
		}
		return nil
	}
	table := ""
	for _, r := range rollups {
		if r.secs == seg.level {
			table = r.table
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT b, n, bad, mn, mx, sm, lt, lv FROM `+table+
		` WHERE sid = ? AND b >= ? AND b < ? ORDER BY b`, sid, seg.from, seg.to)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b int64
		var a agg
		if err := rows.Scan(&b, &a.n, &a.bad, &a.mn, &a.mx, &a.sm, &a.lt, &a.lv); err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		m.add(b, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	return nil
}

// rawPoints returns each reading in [from, to) as a point of its own.
func rawPoints(ctx context.Context, tx *sql.Tx, sid, from, to int64) ([]readstore.Point, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.t, s.v, qu.name FROM samples s JOIN qualities qu ON qu.id = s.q
		WHERE s.sid = ? AND s.t >= ? AND s.t < ? ORDER BY s.t`, sid, from, to)
	if err != nil {
		return nil, fmt.Errorf("read samples: %w", err)
	}
	defer rows.Close()
	out := []readstore.Point{}
	for rows.Next() {
		var t int64
		var p readstore.Point
		if err := rows.Scan(&t, &p.Last, &p.Quality); err != nil {
			return nil, fmt.Errorf("read samples: %w", err)
		}
		p.Time = time.Unix(0, t).UTC()
		p.Min, p.Max, p.Avg = p.Last, p.Last, p.Last
		if p.Quality == implausible {
			p.Implausible = 1
		} else {
			p.Count = 1
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read samples: %w", err)
	}
	return out, nil
}
