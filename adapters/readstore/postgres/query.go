package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/readstore"
)

// States returns every sensor's state, by sensor name (in byte order, whatever the database's
// collation).
func (s *Store) States(ctx context.Context) ([]readstore.SensorState, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+stateColumns+` FROM `+s.n.states+` ORDER BY sensor COLLATE "C"`)
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
	st, err := scanState(s.pool.QueryRow(ctx, `SELECT `+stateColumns+` FROM `+s.n.states+` WHERE sensor = $1`, sensor))
	if errors.Is(err, pgx.ErrNoRows) {
		return readstore.SensorState{}, fmt.Errorf("state of sensor %s: %w", sensor, readstore.ErrNotFound)
	}
	if err != nil {
		return readstore.SensorState{}, fmt.Errorf("read state of sensor %s: %w", sensor, err)
	}
	return st, nil
}

func scanState(r pgx.Row) (readstore.SensorState, error) {
	var st readstore.SensorState
	var t, rec, tts *int64
	var pos int64
	if err := r.Scan(&st.Sensor, &st.Dam, &t, &st.Value, &st.Quality, &rec, &st.Trend, &st.TrendKnown, &st.Volume, &st.FillPct,
		&st.Spilling, &tts, &st.Above, &pos); err != nil {
		return st, err
	}
	st.Time, st.RecordedAt = fromNanos(t), fromNanos(rec)
	if tts != nil {
		d := readstore.Duration(*tts)
		st.TimeToSpill = &d
	}
	if st.Above == nil {
		st.Above = []string{}
	}
	st.Position = uint64(pos)
	return st, nil
}

// fromNanos reads a stored time back, in UTC.
func fromNanos(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(0, *n).UTC()
}

// clampNanos maps a query bound to the stored range, so a far-off bound still compares right.
func clampNanos(t time.Time) int64 { return readstore.ClampNanos(t, minTime, maxTime) }

// RecentSamples returns the last n usable samples of a sensor at or before t, oldest first. A
// sensor without samples gives none, not an error.
func (s *Store) RecentSamples(ctx context.Context, sensor string, t time.Time, n int) ([]readstore.Sample, error) {
	if n <= 0 {
		return []readstore.Sample{}, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT se.dam, x.t, x.v, x.q, x.late, x.rec, x.pos, x.idx
		FROM `+s.n.sensors+` se JOIN `+s.n.samples+` x ON x.sid = se.id
		WHERE se.name = $1 AND x.t <= $2 AND x.q <> $3
		ORDER BY x.t DESC LIMIT $4`, sensor, clampNanos(t), implausible, n)
	if err != nil {
		return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
	}
	defer rows.Close()
	out := []readstore.Sample{}
	for rows.Next() {
		x := readstore.Sample{Sensor: sensor}
		var t, pos int64
		var rec *int64
		var idx int32
		if err := rows.Scan(&x.Dam, &t, &x.Value, &x.Quality, &x.Late, &rec, &pos, &idx); err != nil {
			return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
		}
		x.Time, x.RecordedAt = time.Unix(0, t).UTC(), fromNanos(rec)
		x.Position, x.Index = uint64(pos), int(idx)
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
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Dam != "" {
		where = append(where, `dam = `+arg(q.Dam))
	}
	if len(q.Types) > 0 {
		where = append(where, `type = ANY(`+arg(q.Types)+`::text[])`)
	}
	if !q.From.IsZero() {
		where = append(where, `t >= `+arg(clampNanos(q.From)))
	}
	if !q.To.IsZero() {
		where = append(where, `t < `+arg(clampNanos(q.To)))
	}
	if q.After > 0 {
		if q.After >= math.MaxInt64 {
			return []readstore.TimelineEntry{}, nil
		}
		where = append(where, `pos > `+arg(int64(q.After)))
	}
	query := `SELECT pos, stream, type, dam, sensor, t, rec, actor, summary, data FROM ` + s.n.timeline
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY pos, proj, seq`
	if q.Limit > 0 {
		query += ` LIMIT ` + arg(q.Limit)
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read timeline: %w", err)
	}
	defer rows.Close()
	out := []readstore.TimelineEntry{}
	for rows.Next() {
		var e readstore.TimelineEntry
		var pos int64
		var t, rec *int64
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
