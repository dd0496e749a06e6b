package clickhouse

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/vigie/vigie/adapters/readstore"
)

const stateColumns = `sensor, dam, t, v, q, rec, trend, trend_known, volume, fill, spilling, tts, has_tts, above, pos`

// States returns every sensor's state, by sensor name (in byte order).
func (s *Store) States(ctx context.Context) ([]readstore.SensorState, error) {
	rows, err := s.conn.Query(ctx, `SELECT `+stateColumns+` FROM `+s.t("states")+` FINAL ORDER BY sensor`)
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
	rows, err := s.conn.Query(ctx, `SELECT `+stateColumns+` FROM `+s.t("states")+` FINAL WHERE sensor = ?`, sensor)
	if err != nil {
		return readstore.SensorState{}, fmt.Errorf("read state of sensor %s: %w", sensor, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return readstore.SensorState{}, fmt.Errorf("read state of sensor %s: %w", sensor, err)
		}
		return readstore.SensorState{}, fmt.Errorf("state of sensor %s: %w", sensor, readstore.ErrNotFound)
	}
	st, err := scanState(rows)
	if err != nil {
		return readstore.SensorState{}, fmt.Errorf("read state of sensor %s: %w", sensor, err)
	}
	return st, nil
}

func scanState(r driver.Rows) (readstore.SensorState, error) {
	var st readstore.SensorState
	var t, rec, tts int64
	var known, spilling, hasTTS uint8
	if err := r.Scan(&st.Sensor, &st.Dam, &t, &st.Value, &st.Quality, &rec, &st.Trend, &known, &st.Volume, &st.FillPct,
		&spilling, &tts, &hasTTS, &st.Above, &st.Position); err != nil {
		return st, err
	}
	st.Time, st.RecordedAt = fromNanos(t), fromNanos(rec)
	st.TrendKnown, st.Spilling = known == 1, spilling == 1
	if hasTTS == 1 {
		d := readstore.Duration(tts)
		st.TimeToSpill = &d
	}
	if st.Above == nil {
		st.Above = []string{}
	}
	return st, nil
}

// clampNanos maps a query bound to the stored range, so a far-off bound still compares right.
func clampNanos(t time.Time) int64 { return readstore.ClampNanos(t, minTime, maxTime) }

// RecentSamples returns the last n usable samples of a sensor at or before t, oldest first. A
// sensor without samples gives none, not an error.
func (s *Store) RecentSamples(ctx context.Context, sensor string, t time.Time, n int) ([]readstore.Sample, error) {
	if n <= 0 {
		return []readstore.Sample{}, nil
	}
	rows, err := s.conn.Query(ctx, `SELECT dam, t, v, q, late, rec, pos, idx FROM `+s.t("samples")+`
		WHERE sensor = ? AND t <= ? AND `+usable+` ORDER BY t DESC LIMIT 1 BY t LIMIT ?`, sensor, clampNanos(t), n)
	if err != nil {
		return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
	}
	defer rows.Close()
	out := []readstore.Sample{}
	for rows.Next() {
		x := readstore.Sample{Sensor: sensor}
		var t, rec int64
		var late uint8
		var idx int32
		if err := rows.Scan(&x.Dam, &t, &x.Value, &x.Quality, &late, &rec, &x.Position, &idx); err != nil {
			return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
		}
		x.Time, x.RecordedAt, x.Late, x.Index = time.Unix(0, t).UTC(), fromNanos(rec), late == 1, int(idx)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read recent samples of %s: %w", sensor, err)
	}
	slices.Reverse(out) // read newest first, given oldest first
	return out, nil
}

// Timeline returns the entries matching q, in position order. From and To bound Time as [From, To).
// Entries are never changed once written, so it does not matter whether a filter runs before
// FINAL collapses a replayed copy (as PREWHERE does) or after.
func (s *Store) Timeline(ctx context.Context, q readstore.TimelineQuery) ([]readstore.TimelineEntry, error) {
	var where []string
	var args []any
	if q.Dam != "" {
		where, args = append(where, `dam = ?`), append(args, q.Dam)
	}
	if len(q.Types) > 0 {
		where, args = append(where, `has(?, type)`), append(args, q.Types)
	}
	if !q.From.IsZero() {
		where, args = append(where, `t >= ? AND t != ?`), append(args, clampNanos(q.From), int64(noTime))
	}
	if !q.To.IsZero() {
		where, args = append(where, `t < ? AND t != ?`), append(args, clampNanos(q.To), int64(noTime))
	}
	if q.After > 0 {
		where, args = append(where, `pos > ?`), append(args, q.After)
	}
	query := `SELECT pos, stream, type, dam, sensor, t, rec, actor, summary, data FROM ` + s.t("timeline") + ` FINAL`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY pos, proj, seq`
	if q.Limit > 0 {
		query += fmt.Sprintf(` LIMIT %d`, q.Limit)
	}
	rows, err := s.conn.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read timeline: %w", err)
	}
	defer rows.Close()
	out := []readstore.TimelineEntry{}
	for rows.Next() {
		var e readstore.TimelineEntry
		var t, rec int64
		var data string
		if err := rows.Scan(&e.Position, &e.Stream, &e.Type, &e.Dam, &e.Sensor, &t, &rec, &e.Actor, &e.Summary, &data); err != nil {
			return nil, fmt.Errorf("read timeline: %w", err)
		}
		e.Time, e.RecordedAt = fromNanos(t), fromNanos(rec)
		if data != "" {
			e.Data = json.RawMessage(data)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read timeline: %w", err)
	}
	return out, nil
}

// Alarms returns the alarm views matching q, newest raise first (ties by id; an alarm without a
// raise time last). The newest version of each alarm is picked (argMax by position) before the
// filters apply: a state an alarm has left must not match.
func (s *Store) Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	var where []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) > 0 {
			where, args = append(where, `has(?, `+col+`)`), append(args, vals)
		}
	}
	in("state", q.States)
	in("dam", q.Dams)
	in("severity", q.Severities)
	in("class", q.Classes)
	if !q.From.IsZero() {
		where, args = append(where, `raised >= ? AND raised != ?`), append(args, clampNanos(q.From), int64(noTime))
	}
	if !q.To.IsZero() {
		where, args = append(where, `raised < ? AND raised != ?`), append(args, clampNanos(q.To), int64(noTime))
	}
	query := `SELECT data FROM (
		SELECT id, argMax(data, pos) AS data, argMax(state, pos) AS state, argMax(dam, pos) AS dam,
			argMax(severity, pos) AS severity, argMax(class, pos) AS class, argMax(raised, pos) AS raised
		FROM ` + s.t("alarm_views") + ` GROUP BY id)`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY raised DESC, id`
	if q.Limit > 0 {
		query += fmt.Sprintf(` LIMIT %d`, q.Limit)
	}
	out := []readstore.AlarmView{}
	if err := s.scanJSON(ctx, query, args, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read alarms: %w", err)
	}
	return out, nil
}

// Alarm returns one alarm view, readstore.ErrNotFound if there is none.
func (s *Store) Alarm(ctx context.Context, id string) (readstore.AlarmView, error) {
	var found bool
	var v readstore.AlarmView
	err := s.scanJSON(ctx, `SELECT argMax(data, pos) FROM `+s.t("alarm_views")+` WHERE id = ? GROUP BY id`, []any{id}, func(b []byte) error {
		found = true
		return json.Unmarshal(b, &v)
	})
	if err != nil {
		return readstore.AlarmView{}, fmt.Errorf("read alarm %s: %w", id, err)
	}
	if !found {
		return readstore.AlarmView{}, fmt.Errorf("alarm %s: %w", id, readstore.ErrNotFound)
	}
	return v, nil
}

// AlarmHistory returns an alarm's events in log order (none for an unknown alarm).
func (s *Store) AlarmHistory(ctx context.Context, id string) ([]readstore.AlarmHistoryEntry, error) {
	out := []readstore.AlarmHistoryEntry{}
	if err := s.scanJSON(ctx, `SELECT data FROM `+s.t("alarm_history")+` FINAL WHERE alarm = ? ORDER BY pos`, []any{id}, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read history of alarm %s: %w", id, err)
	}
	return out, nil
}

// AlarmActivations returns the activations of [q.From, q.To) (sensor time), oldest first. The
// filters are on what an activation never changes (its time and dam), so they may run before
// FINAL picks the newest version.
func (s *Store) AlarmActivations(ctx context.Context, q readstore.ActivationQuery) ([]readstore.AlarmActivation, error) {
	query := `SELECT data FROM ` + s.t("alarm_activations") + ` FINAL WHERE t >= ? AND t < ?`
	args := []any{clampNanos(q.From), clampNanos(q.To)}
	if q.Dam != "" {
		query, args = query+` AND dam = ?`, append(args, q.Dam)
	}
	query += ` ORDER BY t, alarm, pos`
	out := []readstore.AlarmActivation{}
	if err := s.scanJSON(ctx, query, args, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read alarm activations: %w", err)
	}
	return out, nil
}

// scanJSON runs a query whose rows are one JSON document each.
func (s *Store) scanJSON(ctx context.Context, query string, args []any, row func([]byte) error) error {
	rows, err := s.conn.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return err
		}
		if err := row([]byte(b)); err != nil {
			return err
		}
	}
	return rows.Err()
}
