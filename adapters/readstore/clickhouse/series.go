package clickhouse

import (
	"context"
	"fmt"
	"math"
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
// raw samples, all in one query. A bucket whose readings were all implausible has Count 0 and zero
// values. Buckets without readings are left out.
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
	// Every segment gives rows of partial aggregates keyed by their start in seconds (k): merged
	// roll-up buckets, or raw samples taken as one-reading aggregates. The outer query merges them
	// into buckets of step seconds. Column types are spelt out: UNION ALL wants them equal.
	var args []any
	parts := make([]string, len(segs))
	for i, seg := range segs {
		if seg.level == 0 {
			parts[i] = `SELECT ` + floorDivSQL("t", "1000000000") + ` AS k,
				toUInt64(` + usable + `) AS n, toUInt64(NOT (` + usable + `)) AS bad, v AS mn, v AS mx,
				if(` + usable + `, v, 0) AS sm, t AS lt, v AS lv
				FROM ` + s.t("samples") + ` WHERE sensor = ? AND t >= ? AND t < ?`
			args = append(args, q.Sensor, seg.from, seg.to)
			continue
		}
		table := ""
		for _, r := range rollups {
			if r.secs == seg.level {
				table = r.table
			}
		}
		parts[i] = `SELECT b AS k, countIfMerge(n) AS n, countIfMerge(bad) AS bad, minIfMerge(mn) AS mn, maxIfMerge(mx) AS mx,
				sumIfMerge(sm) AS sm, maxIfMerge(lt) AS lt, argMaxIfMerge(lv) AS lv
			FROM ` + s.t(table) + ` WHERE sensor = ? AND b >= ? AND b < ? GROUP BY b`
		args = append(args, q.Sensor, seg.from, seg.to)
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

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
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
		var p readstore.Point
		if err := rows.Scan(&t, &p.Last, &p.Quality); err != nil {
			return nil, fmt.Errorf("read samples: %w", err)
		}
		p.Time = time.Unix(0, t).UTC()
		p.Min, p.Max, p.Avg = p.Last, p.Last, p.Last
		if p.Quality == "implausible" {
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
