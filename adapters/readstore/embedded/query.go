package embedded

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

const stateColumns = `sensor, dam, t, v, q, rec, trend, trend_known, volume, fill, spilling, tts, above, pos`

// States returns every sensor's state, by sensor name.
func (s *Store) States(ctx context.Context) ([]readstore.SensorState, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+stateColumns+` FROM states ORDER BY sensor`)
	if err != nil {
		return nil, fmt.Errorf("read states: %w", err)
	}
	defer rows.Close()
	out := []readstore.SensorState{}
	for rows.Next() {
		st, err := scanState(rows)
		if err != nil {
			return nil, fmt.Errorf("read states: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read states: %w", err)
	}
	return out, nil
}

// State returns one sensor's state, readstore.ErrNotFound if it has none.
func (s *Store) State(ctx context.Context, sensor string) (readstore.SensorState, error) {
	st, err := scanState(s.read.QueryRowContext(ctx, `SELECT `+stateColumns+` FROM states WHERE sensor = ?`, sensor))
	if errors.Is(err, sql.ErrNoRows) {
		return readstore.SensorState{}, fmt.Errorf("state of sensor %s: %w", sensor, readstore.ErrNotFound)
	}
	if err != nil {
		return readstore.SensorState{}, fmt.Errorf("read state of sensor %s: %w", sensor, err)
	}
	return st, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanState(r scanner) (readstore.SensorState, error) {
	var st readstore.SensorState
	var t, rec, tts sql.NullInt64
	var spilling, trendKnown int64
	var above string
	var pos int64
	if err := r.Scan(&st.Sensor, &st.Dam, &t, &st.Value, &st.Quality, &rec, &st.Trend, &trendKnown, &st.Volume, &st.FillPct,
		&spilling, &tts, &above, &pos); err != nil {
		return st, err
	}
	st.Time, st.RecordedAt = fromNanos(t), fromNanos(rec)
	st.Spilling, st.TrendKnown = spilling != 0, trendKnown != 0
	if tts.Valid {
		d := readstore.Duration(tts.Int64)
		st.TimeToSpill = &d
	}
	if err := json.Unmarshal([]byte(above), &st.Above); err != nil {
		return st, fmt.Errorf("decode thresholds above of %s: %w", st.Sensor, err)
	}
	st.Position = uint64(pos)
	return st, nil
}

// fromNanos reads a stored time back, in UTC.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// clampNanos maps a query bound to the stored range, so a far-off bound still compares right.
func clampNanos(t time.Time) int64 { return readstore.ClampNanos(t, minTime, maxTime) }

// RecentSamples returns the last n usable samples of a sensor at or before t, oldest first. A
// sensor without samples gives none, not an error.
func (s *Store) RecentSamples(ctx context.Context, sensor string, t time.Time, n int) ([]readstore.Sample, error) {
	if n <= 0 {
		return []readstore.Sample{}, nil
	}
	at := clampNanos(t)
	out := []readstore.Sample{}
	err := s.readRaw(ctx, func(c rawConn) error {
		var sid int64
		var dam string
		rows, err := c.q.QueryContext(ctx, `SELECT id, dam FROM sensors WHERE name = ?`,
			[]driver.NamedValue{{Ordinal: 1, Value: sensor}})
		if err != nil {
			return fmt.Errorf("find sensor: %w", err)
		}
		dest := make([]driver.Value, 2)
		err = rows.Next(dest)
		rows.Close()
		switch {
		case err == io.EOF:
			return nil
		case err != nil:
			return fmt.Errorf("find sensor: %w", err)
		}
		sid, _ = dest[0].(int64)
		switch x := dest[1].(type) {
		case string:
			dam = x
		case []byte:
			dam = string(x)
		}
		names, err := c.qualityNames(ctx)
		if err != nil {
			return err
		}
		// Newest segment first; within a segment, records are oldest first.
		var chunk []stored
		return c.each(ctx, `SELECT c, data FROM chunks WHERE sid = ? AND c <= ? ORDER BY c DESC, seg DESC`,
			[]int64{sid, chunkOf(at)}, 2, func(v []driver.Value) error {
				if len(out) >= n {
					return errEnough
				}
				ch, ok := asInt(v[0], true)
				data, isBlob := v[1].([]byte)
				if !ok || !isBlob {
					return fmt.Errorf("unexpected types in a chunk row: %T, %T", v[0], v[1])
				}
				var err error
				if chunk, err = decodeChunk(chunk[:0], ch, data); err != nil {
					return err
				}
				for k := len(chunk) - 1; k >= 0 && len(out) < n; k-- {
					x := chunk[k]
					if x.t > at || x.q == implausibleID {
						continue
					}
					q, ok := names[x.q]
					if !ok {
						return fmt.Errorf("sample at %d has unknown quality number %d", x.t, x.q)
					}
					smp := readstore.Sample{Sensor: sensor, Dam: dam, Time: time.Unix(0, x.t).UTC(), Value: x.v,
						Quality: q, Late: x.late, Position: x.pos, Index: int(x.idx)}
					if x.hasRec {
						smp.RecordedAt = time.Unix(0, x.rec).UTC()
					}
					out = append(out, smp)
				}
				return nil
			})
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
	}
	slices.Reverse(out) // read newest first, given oldest first
	return out, nil
}

// errEnough stops a scan that has read all it needs.
var errEnough = errors.New("enough rows")

// Timeline returns the entries matching q, in position order. From and To bound Time as [From, To).
func (s *Store) Timeline(ctx context.Context, q readstore.TimelineQuery) ([]readstore.TimelineEntry, error) {
	var where []string
	var args []any
	if q.Dam != "" {
		where, args = append(where, `dam = ?`), append(args, q.Dam)
	}
	if len(q.Types) > 0 {
		where = append(where, `type IN (`+strings.TrimSuffix(strings.Repeat("?,", len(q.Types)), ",")+`)`)
		for _, t := range q.Types {
			args = append(args, t)
		}
	}
	if !q.From.IsZero() {
		where, args = append(where, `t >= ?`), append(args, clampNanos(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, `t < ?`), append(args, clampNanos(q.To))
	}
	if q.After > 0 {
		if q.After >= math.MaxInt64 {
			return []readstore.TimelineEntry{}, nil
		}
		where, args = append(where, `pos > ?`), append(args, int64(q.After))
	}
	query := `SELECT pos, stream, type, dam, sensor, t, rec, actor, summary, data FROM timeline`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY pos, proj, seq`
	if q.Limit > 0 {
		query, args = query+` LIMIT ?`, append(args, q.Limit)
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read timeline: %w", err)
	}
	defer rows.Close()
	out := []readstore.TimelineEntry{}
	for rows.Next() {
		var e readstore.TimelineEntry
		var pos int64
		var t, rec sql.NullInt64
		var data []byte
		if err := rows.Scan(&pos, &e.Stream, &e.Type, &e.Dam, &e.Sensor, &t, &rec, &e.Actor, &e.Summary, &data); err != nil {
			return nil, fmt.Errorf("read timeline: %w", err)
		}
		e.Position, e.Time, e.RecordedAt = uint64(pos), fromNanos(t), fromNanos(rec)
		if len(data) > 0 {
			e.Data = json.RawMessage(data)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read timeline: %w", err)
	}
	return out, nil
}
