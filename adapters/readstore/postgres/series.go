package postgres

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
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
// that reaches Step (readstoretest.BucketStep). The parts of [From, To) that do not fill a whole
// roll-up bucket are read from the finer roll-ups and, for the last fraction of a minute, from the
// raw samples — all in one statement, so from one snapshot. A bucket whose readings were all
// implausible has Count 0 and zero values. Buckets without readings are left out.
func (s *Store) Series(ctx context.Context, q readstore.SeriesQuery) ([]readstore.Point, error) {
	if q.Step < 0 {
		return nil, fmt.Errorf("series of %s: step %s is negative", q.Sensor, q.Step)
	}
	from, to := clampNanos(q.From), clampNanos(q.To)
	if from >= to {
		return []readstore.Point{}, nil
	}
	if q.Step == 0 {
		pts, err := s.rawPoints(ctx, q.Sensor, from, to)
		if err != nil {
			return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
		}
		return pts, nil
	}
	step, levels := plan(q.Step)
	segs := cover(from, to, levels, nil)
	// One statement over every segment (so one snapshot): each row, a roll-up bucket or a raw
	// sample taken as a one-reading aggregate, is keyed by its start in seconds, and the server
	// merges them into buckets of step seconds. Floor division keeps times before 1970 in the
	// bucket before them.
	sid := `(SELECT id FROM ` + s.n.sensors + ` WHERE name = $1)`
	args := []any{q.Sensor, step}
	arg := func(v int64) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	parts := make([]string, len(segs))
	for i, seg := range segs {
		if seg.level == 0 {
			parts[i] = `SELECT ` + floorDivSQL("t", "1000000000") + ` AS k, (q <> '` + implausible + `')::int::int8 AS n,
				(q = '` + implausible + `')::int::int8 AS bad, v AS mn, v AS mx,
				CASE WHEN q = '` + implausible + `' THEN 0 ELSE v END AS sm, t AS lt, v AS lv
				FROM ` + s.n.samples + ` WHERE sid = ` + sid + ` AND t >= ` + arg(seg.from) + ` AND t < ` + arg(seg.to)
			continue
		}
		table := ""
		for j, r := range rollups {
			if r.secs == seg.level {
				table = s.n.rollups[j]
			}
		}
		parts[i] = `SELECT b AS k, n, bad, mn, mx, sm, lt, lv FROM ` + table +
			` WHERE sid = ` + sid + ` AND b >= ` + arg(seg.from) + ` AND b < ` + arg(seg.to)
	}
	query := `SELECT ` + floorDivSQL("k", "$2::int8") + ` * $2::int8 AS bucket, sum(n)::int8, sum(bad)::int8,
			coalesce(min(mn) FILTER (WHERE n > 0), 0), coalesce(max(mx) FILTER (WHERE n > 0), 0),
			sum(sm), coalesce((array_agg(lv ORDER BY lt DESC) FILTER (WHERE n > 0))[1], 0)
		FROM (` + strings.Join(parts, "\nUNION ALL\n") + `) AS rows
		GROUP BY 1 ORDER BY 1`
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
	}
	defer rows.Close()
	out := []readstore.Point{}
	for rows.Next() {
		var bucket, n, bad int64
		var p readstore.Point
		var sum float64
		if err := rows.Scan(&bucket, &n, &bad, &p.Min, &p.Max, &sum, &p.Last); err != nil {
			return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
		}
		p.Time, p.Count, p.Implausible = time.Unix(bucket, 0).UTC(), int(n), int(bad)
		if n > 0 {
			p.Avg = sum / float64(n)
		} else {
			p.Min, p.Max, p.Last = 0, 0, 0
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
	}
	return out, nil
}

// floorDivSQL is SQL for x divided by d rounded down (PostgreSQL's / truncates towards zero).
func floorDivSQL(x, d string) string {
	return `((` + x + ` - ((` + x + ` % ` + d + `) + ` + d + `) % ` + d + `) / ` + d + `)`
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

// rawPoints returns each reading in [from, to) as a point of its own.
func (s *Store) rawPoints(ctx context.Context, sensor string, from, to int64) ([]readstore.Point, error) {
	rows, err := s.pool.Query(ctx, `SELECT t, v, q FROM `+s.n.samples+`
		WHERE sid = (SELECT id FROM `+s.n.sensors+` WHERE name = $1) AND t >= $2 AND t < $3 ORDER BY t`, sensor, from, to)
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
