package clickhouse

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// Series returns a sensor's readings in [From, To), as readstore.SeriesQuery and readstore.Point
// state (the step is rounded by readstore.BucketWidth). The parts of [From, To) that do not fill
// a whole roll-up bucket are read from the finer roll-ups and, for the last fraction of a minute,
// from the raw samples, all in one query.
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
	// Every segment gives rows of partial aggregates keyed by their start in seconds (k): merged
	// roll-up buckets, or raw samples taken as one-reading aggregates. The outer query merges them
	// into buckets of step seconds. Column types are spelt out: UNION ALL wants them equal.
	var args []any
	parts := make([]string, len(segs))
	for i, seg := range segs {
		if seg.Level == 0 {
			parts[i] = `SELECT ` + floorDivSQL("t", "1000000000") + ` AS k,
				toUInt64(` + usable + `) AS n, toUInt64(NOT (` + usable + `)) AS bad, v AS mn, v AS mx,
				if(` + usable + `, v, 0) AS sm, t AS lt, v AS lv
				FROM ` + s.t("samples") + ` WHERE sensor = ? AND t >= ? AND t < ?`
			args = append(args, q.Sensor, seg.From, seg.To)
			continue
		}
		table := ""
		for _, r := range rollups {
			if r.secs == seg.Level {
				table = r.table
			}
		}
		parts[i] = `SELECT b AS k, countIfMerge(n) AS n, countIfMerge(bad) AS bad, minIfMerge(mn) AS mn, maxIfMerge(mx) AS mx,
				sumIfMerge(sm) AS sm, maxIfMerge(lt) AS lt, argMaxIfMerge(lv) AS lv
			FROM ` + s.t(table) + ` WHERE sensor = ? AND b >= ? AND b < ? GROUP BY b`
		args = append(args, q.Sensor, seg.From, seg.To)
	}
	query := fmt.Sprintf(`SELECT %s * %d AS bucket, sum(n), sum(bad), minIf(mn, n > 0), maxIf(mx, n > 0), sum(sm),
			argMaxIf(lv, lt, n > 0)
		FROM (%s)
		GROUP BY bucket ORDER BY bucket`, floorDivSQL("k", fmt.Sprint(step)), step, strings.Join(parts, "\nUNION ALL\n"))
	rows, err := s.conn.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
	}
	defer rows.Close()
	out := []readstore.Point{}
	for rows.Next() {
		var bucket int64
		var n, bad uint64
		var a readstore.Aggregate
		if err := rows.Scan(&bucket, &n, &bad, &a.Min, &a.Max, &a.Sum, &a.Last); err != nil {
			return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
		}
		a.N, a.Bad = int64(n), int64(bad)
		out = append(out, a.Point(bucket))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("series of %s: %w", q.Sensor, err)
	}
	return out, nil
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
	rows, err := s.conn.Query(ctx, `SELECT t, v, q FROM `+s.t("samples")+`
		WHERE sensor = ? AND t >= ? AND t < ? ORDER BY t LIMIT 1 BY t`, sensor, from, to)
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
		out = append(out, readstore.RawPoint(time.Unix(0, t).UTC(), v, q, q == "implausible"))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read samples: %w", err)
	}
	return out, nil
}
