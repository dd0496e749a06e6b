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
		var x stored
		err := c.eachSample(ctx, sid, seg.From, seg.To, func(r *chunkReader) error {
			for r.next(&x) {
				if x.t < seg.From {
					continue
				}
				if x.t >= seg.To {
					break
				}
				var a agg
				a.AddReading(x.t, x.v, x.q == implausibleID)
				m.add(readstore.FloorDiv(x.t, int64(time.Second)), a)
			}
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

// eachSample calls f with a reader of each chunk segment of the series that may hold samples in
// [from, to) (Unix ns), in time order. f reads what it needs of it; the reader's error, if any,
// is returned after f. A segment whose first record is not newer than the last one read before
// is an error, as within a segment.
func (c rawConn) eachSample(ctx context.Context, sid, from, to int64, f func(r *chunkReader) error) error {
	var prev int64
	seen := false
	return c.each(ctx, `SELECT c, data FROM chunks WHERE sid = ? AND c >= ? AND c <= ? ORDER BY c, seg`,
		[]int64{sid, chunkOf(from), chunkOf(to - 1)}, 2, func(v []driver.Value) error {
			ch, ok := asInt(v[0], true)
			data, isBlob := v[1].([]byte)
			if !ok || !isBlob {
				return fmt.Errorf("unexpected types in a chunk row: %T, %T", v[0], v[1])
			}
			r := newChunkReader(ch, data)
			r.prev, r.first = prev, !seen
			if err := f(&r); err != nil {
				return err
			}
			if !r.first {
				prev, seen = r.prev, true
			}
			return r.err
		})
}

// qualityNames maps the quality numbers to their names, read in the caller's snapshot.
func (c rawConn) qualityNames(ctx context.Context) (map[int64]string, error) {
	names := map[int64]string{}
	err := c.each(ctx, `SELECT id, name FROM qualities`, nil, 2, func(v []driver.Value) error {
		id, ok := asInt(v[0], true)
		switch x := v[1].(type) {
		case string:
			names[id] = x
		case []byte:
			names[id] = string(x)
		default:
			ok = false
		}
		if !ok {
			return fmt.Errorf("unexpected types in a quality row: %T, %T", v[0], v[1])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read qualities: %w", err)
	}
	return names, nil
}

// rawPoints returns each reading in [from, to) as a point of its own.
func rawPoints(ctx context.Context, c rawConn, sid, from, to int64) ([]readstore.Point, error) {
	names, err := c.qualityNames(ctx)
	if err != nil {
		return nil, err
	}
	out := []readstore.Point{}
	var x stored
	err = c.eachSample(ctx, sid, from, to, func(r *chunkReader) error {
		for r.next(&x) {
			if x.t < from {
				continue
			}
			if x.t >= to {
				break
			}
			q, ok := names[x.q]
			if !ok {
				return fmt.Errorf("sample at %d has unknown quality number %d", x.t, x.q)
			}
			out = append(out, readstore.RawPoint(time.Unix(0, x.t).UTC(), x.v, q, x.q == implausibleID))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read samples: %w", err)
	}
	return out, nil
}
