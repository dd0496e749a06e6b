package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	rows, err := s.read.QueryContext(ctx, `SELECT se.dam, s.t, s.v, qu.name, s.late, s.rec, s.pos, s.idx
		FROM sensors se JOIN samples s ON s.sid = se.id JOIN qualities qu ON qu.id = s.q
		WHERE se.name = ? AND s.t <= ? AND s.q <> ?
		ORDER BY s.t DESC LIMIT ?`, sensor, clampNanos(t), implausibleID, n)
	if err != nil {
		return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
	}
	defer rows.Close()
	out := []readstore.Sample{}
	for rows.Next() {
		x := readstore.Sample{Sensor: sensor}
		var t int64
		var rec sql.NullInt64
		var late, pos, idx int64
		if err := rows.Scan(&x.Dam, &t, &x.Value, &x.Quality, &late, &rec, &pos, &idx); err != nil {
			return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
		}
		x.Time, x.RecordedAt = time.Unix(0, t).UTC(), fromNanos(rec)
		x.Late, x.Position, x.Index = late != 0, uint64(pos), int(idx)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
	}
	slices.Reverse(out) // read newest first, given oldest first
	return out, nil
}

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
