package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// Series returns a sensor's readings in [From, To), as readstore.SeriesQuery and readstore.Point
// state (the step is rounded by readstore.BucketWidth). The parts of [From, To) that do not fill
// a whole roll-up bucket are read from the finer roll-ups and, for the last fraction of a minute,
// from the raw samples — all in one statement, so from one snapshot.
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
	segs := readstore.Cover(from, to, levels)
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
		if seg.Level == 0 {
			parts[i] = `SELECT ` + floorDivSQL("t", "1000000000") + ` AS k, (q <> '` + implausible + `')::int::int8 AS n,
				(q = '` + implausible + `')::int::int8 AS bad, v AS mn, v AS mx,
				CASE WHEN q = '` + implausible + `' THEN 0 ELSE v END AS sm, t AS lt, v AS lv
				FROM ` + s.n.samples + ` WHERE sid = ` + sid + ` AND t >= ` + arg(seg.From) + ` AND t < ` + arg(seg.To)
			continue
		}
		table := ""
		for j, r := range rollups {
			if r.secs == seg.Level {
				table = s.n.rollups[j]
			}
		}
		parts[i] = `SELECT b AS k, n, bad, mn, mx, sm, lt, lv FROM ` + table +
			` WHERE sid = ` + sid + ` AND b >= ` + arg(seg.From) + ` AND b < ` + arg(seg.To)
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
		var bucket int64
		var a readstore.Aggregate
		if err := rows.Scan(&bucket, &a.N, &a.Bad, &a.Min, &a.Max, &a.Sum, &a.Last); err != nil {
			return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
		}
		out = append(out, a.Point(bucket))
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
// coarsest first: that of the step's grain and the finer ones (none: read raw samples only).
func plan(want time.Duration) (step int64, levels []int64) {
	step, grain := readstore.BucketWidth(want)
	for _, r := range rollups {
		if r.secs <= grain {
			levels = append(levels, r.secs)
		}
	}
	return step, levels
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
		var v float64
		var q string
		if err := rows.Scan(&t, &v, &q); err != nil {
			return nil, fmt.Errorf("read samples: %w", err)
		}
		out = append(out, readstore.RawPoint(time.Unix(0, t).UTC(), v, q, q == implausible))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read samples: %w", err)
	}
	return out, nil
}
