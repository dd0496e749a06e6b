package embedded

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// Series returns a sensor's readings in [From, To), as readstore.SeriesQuery and readstore.Point
// state. The step is rounded by readstore.BucketWidth (9 h 17 min gives 10 h buckets), which
// keeps every bucket exact and the count at most (To-From)/Step + 1. Whole days and hours of the
// range are read from the roll-ups, the ragged ends and minute-sized buckets from the samples.
func (s *Store) Series(ctx context.Context, q readstore.SeriesQuery) ([]readstore.Point, error) {
	if q.Step < 0 {
		return nil, fmt.Errorf("series of %s: step %s is negative", q.Sensor, q.Step)
	}
	from, to := clampNanos(q.From), clampNanos(q.To)
	if from >= to {
		return []readstore.Point{}, nil
	}
	var out []readstore.Point
	err := s.readRaw(ctx, func(c rawConn) error {
		sid, ok, err := c.sensorID(ctx, q.Sensor)
		if err != nil || !ok {
			return err
		}
		if q.Step == 0 {
			out, err = rawPoints(ctx, c, sid, from, to)
			return err
		}
		step, levels := plan(q.Step)
		m := merger{step: step, out: []readstore.Point{}}
		for _, seg := range readstore.Cover(from, to, levels) {
			if err := m.read(ctx, c, sid, seg); err != nil {
				return err
			}
		}
		out = m.finish()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
	}
	if out == nil {
		out = []readstore.Point{}
	}
	return out, nil
}

// rawConn is a connection of the read pool used through the driver directly. A series can read
// a hundred thousand samples (a week of a gauge reporting every 5 s), and database/sql's per-row
// conversions and locking cost more than SQLite's own scan: going round them halves the time of
// such a query (docs/performance.md).
type rawConn struct {
	q driver.QueryerContext
	e driver.ExecerContext
}

// readRaw runs f in one read transaction on one connection, so every part of an answer comes
// from the same snapshot.
func (s *Store) readRaw(ctx context.Context, f func(c rawConn) error) error {
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("get a connection: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		q, ok1 := dc.(driver.QueryerContext)
		e, ok2 := dc.(driver.ExecerContext)
		if !ok1 || !ok2 {
			return fmt.Errorf("the SQLite driver's connection (%T) cannot run queries directly", dc)
		}
		if _, err := e.ExecContext(ctx, `BEGIN`, nil); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		ferr := f(rawConn{q: q, e: e})
		if _, err := e.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`, nil); err != nil {
			// Left inside a transaction, the connection must not go back to the pool.
			return errors.Join(ferr, fmt.Errorf("end the read transaction: %w", err), driver.ErrBadConn)
		}
		return ferr
	})
}

// each runs query and calls row with each result row's values (int64, float64, string, []byte
// or nil), valid until the next call.
func (c rawConn) each(ctx context.Context, query string, args []int64, cols int, row func(v []driver.Value) error) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := c.q.QueryContext(ctx, query, named)
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]driver.Value, cols)
	for {
		if err := rows.Next(dest); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := row(dest); err != nil {
			return err
		}
	}
}

// sensorID finds a sensor's series number; ok is false for a sensor without one.
func (c rawConn) sensorID(ctx context.Context, name string) (id int64, ok bool, err error) {
	rows, err := c.q.QueryContext(ctx, `SELECT id FROM sensors WHERE name = ?`, []driver.NamedValue{{Ordinal: 1, Value: name}})
	if err != nil {
		return 0, false, fmt.Errorf("find sensor: %w", err)
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	switch err := rows.Next(dest); {
	case err == io.EOF:
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("find sensor: %w", err)
	}
	id, ok = dest[0].(int64)
	if !ok {
		return 0, false, fmt.Errorf("find sensor: id is a %T", dest[0])
	}
	return id, true, nil
}

// plan turns a requested step into the bucket width in seconds and the roll-up widths to read,
// coarsest first: those that divide the step (none: read samples only).
func plan(want time.Duration) (step int64, levels []int64) {
	step, _ = readstore.BucketWidth(want)
	for _, r := range rollups {
		if step%r.secs == 0 {
			levels = append(levels, r.secs)
		}
	}
	return step, levels
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
	b := readstore.FloorDiv(bucket, m.step) * m.step
	if m.open && b != m.curB {
		m.flush()
	}
	if !m.open {
		m.cur, m.curB, m.open = agg{}, b, true
	}
	m.cur.Merge(a)
}

func (m *merger) flush() {
	if !m.open {
		return
	}
	a := m.cur
	m.open = false
	if a.N == 0 && a.Bad == 0 {
		return
	}
	m.out = append(m.out, a.Point(m.curB))
}

func (m *merger) finish() []readstore.Point {
	m.flush()
	return m.out
}

func (m *merger) read(ctx context.Context, c rawConn, sid int64, seg readstore.Segment) error {
	if seg.Level == 0 {
		// The value of an implausible reading is not needed: only its count.
		err := c.each(ctx, `SELECT t, CASE WHEN q = ? THEN NULL ELSE v END FROM samples WHERE sid = ? AND t >= ? AND t < ? ORDER BY t`,
			[]int64{implausibleID, sid, seg.From, seg.To}, 2, func(v []driver.Value) error {
				t, ok := v[0].(int64)
				if !ok {
					return fmt.Errorf("sample time is a %T", v[0])
				}
				var a agg
				switch x := v[1].(type) {
				case float64:
					a.AddReading(t, x, false)
				case int64: // should the driver hand back a whole REAL as an integer
					a.AddReading(t, float64(x), false)
				case nil:
					a.AddReading(t, 0, true)
				default:
					return fmt.Errorf("sample value is a %T", v[1])
				}
				m.add(readstore.FloorDiv(t, int64(time.Second)), a)
				return nil
			})
		if err != nil {
			return fmt.Errorf("read samples: %w", err)
		}
		return nil
	}
	table := ""
	for _, r := range rollups {
		if r.secs == seg.Level {
			table = r.table
		}
	}
	err := c.each(ctx, `SELECT b, n, bad, mn, mx, sm, lt, lv FROM `+table+` WHERE sid = ? AND b >= ? AND b < ? ORDER BY b`,
		[]int64{sid, seg.From, seg.To}, 8, func(v []driver.Value) error {
			var a agg
			b, ok := asInt(v[0], true)
			a.N, ok = asInt(v[1], ok)
			a.Bad, ok = asInt(v[2], ok)
			a.Min, ok = asFloat(v[3], ok)
			a.Max, ok = asFloat(v[4], ok)
			a.Sum, ok = asFloat(v[5], ok)
			a.LastT, ok = asInt(v[6], ok)
			a.Last, ok = asFloat(v[7], ok)
			if !ok {
				return fmt.Errorf("unexpected types in a row: %T", v)
			}
			m.add(b, a)
			return nil
		})
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	return nil
}

func asInt(v driver.Value, ok bool) (int64, bool) {
	x, is := v.(int64)
	return x, ok && is
}

// asFloat reads a REAL column, which SQLite hands back as an integer when it stored it as one.
func asFloat(v driver.Value, ok bool) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, ok
	case int64:
		return float64(x), ok
	}
	return 0, false
}

// rawPoints returns each reading in [from, to) as a point of its own.
func rawPoints(ctx context.Context, c rawConn, sid, from, to int64) ([]readstore.Point, error) {
	out := []readstore.Point{}
	err := c.each(ctx, `SELECT s.t, s.v, qu.name FROM samples s JOIN qualities qu ON qu.id = s.q
		WHERE s.sid = ? AND s.t >= ? AND s.t < ? ORDER BY s.t`, []int64{sid, from, to}, 3, func(v []driver.Value) error {
		t, ok := asInt(v[0], true)
		val, ok := asFloat(v[1], ok)
		var q string
		switch x := v[2].(type) {
		case string:
			q = x
		case []byte:
			q = string(x)
		default:
			ok = false
		}
		if !ok {
			return fmt.Errorf("unexpected types in a row: %T", v)
		}
		out = append(out, readstore.RawPoint(time.Unix(0, t).UTC(), val, q, q == implausible))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read samples: %w", err)
	}
	return out, nil
}
