package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/readstore"
)

var _ readstore.AlarmViews = (*Store)(nil)

// The alarm views, as the embedded store keeps them: each row holds its view whole as JSON (data,
// bytea so that the bytes of an event's payload come back as they were written, which jsonb would
// reorder), with the columns the queries filter and order on beside it, and the projection that
// wrote it (proj) for Reset.
//
//   - alarm_views: one row per alarm, the newest position winning (a replayed older view leaves a
//     newer one alone);
//   - alarm_history: one row per (alarm, position), written once;
//   - alarm_activations: one row per (alarm, position), replaced by a later commit (an
//     acknowledgement fills AckedAt in).
func (n names) alarmDDL() []string {
	return []string{
		`CREATE TABLE ` + n.alarmViews + ` (
			id       text    PRIMARY KEY,
			proj     integer NOT NULL,
			dam      text    NOT NULL,
			state    text    NOT NULL,
			severity text    NOT NULL,
			class    text    NOT NULL,
			raised   bigint,
			pos      bigint  NOT NULL,
			data     bytea   NOT NULL
		)`,
		`CREATE INDEX ON ` + n.alarmViews + ` (raised DESC, id)`,
		`CREATE INDEX ON ` + n.alarmViews + ` (proj)`,
		`CREATE TABLE ` + n.alarmHistory + ` (
			alarm text    NOT NULL,
			pos   bigint  NOT NULL,
			proj  integer NOT NULL,
			data  bytea   NOT NULL,
			PRIMARY KEY (alarm, pos)
		)`,
		`CREATE INDEX ON ` + n.alarmHistory + ` (proj)`,
		`CREATE TABLE ` + n.alarmActivations + ` (
			alarm text    NOT NULL,
			pos   bigint  NOT NULL,
			proj  integer NOT NULL,
			dam   text    NOT NULL,
			t     bigint  NOT NULL,
			data  bytea   NOT NULL,
			PRIMARY KEY (alarm, pos)
		)`,
		`CREATE INDEX ON ` + n.alarmActivations + ` (t)`,
		`CREATE INDEX ON ` + n.alarmActivations + ` (proj)`,
	}
}

// validateAlarms refuses what the tables could not key or order (readstore.AlarmBatch.Check), and
// positions beyond bigint.
func validateAlarms(b readstore.AlarmBatch) []error {
	errs := b.Check(inRange)
	for _, v := range b.Views {
		if v.Position > math.MaxInt64 {
			errs = append(errs, fmt.Errorf("alarm view %s: position %d is beyond what the store keeps", v.ID, v.Position))
		}
	}
	for i, h := range b.History {
		if h.Position > math.MaxInt64 {
			errs = append(errs, fmt.Errorf("alarm history entry %d: position %d is beyond what the store keeps", i, h.Position))
		}
	}
	for _, a := range b.Activations {
		if a.Position > math.MaxInt64 {
			errs = append(errs, fmt.Errorf("alarm activation %s: position %d is beyond what the store keeps", a.AlarmID, a.Position))
		}
	}
	return errs
}

// alarms queues the alarm part of a batch. ON CONFLICT DO UPDATE may touch a row only once per
// statement, so views and activations are first reduced to one per key, by the rules the
// statements apply (the newest view; the last activation).
func (c *committer) alarms(batch *pgx.Batch, b readstore.AlarmBatch) error {
	if b.Empty() {
		return nil
	}
	if len(b.Views) > 0 {
		latest := map[string]int{}
		var order []string
		for i, v := range b.Views {
			k, ok := latest[v.ID]
			if !ok {
				order = append(order, v.ID)
			}
			if !ok || v.Position >= b.Views[k].Position {
				latest[v.ID] = i
			}
		}
		n := len(order)
		ids, dams, states, sevs, classes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		raised, poss, datas := make([]*int64, n), make([]int64, n), make([][]byte, n)
		for j, id := range order {
			v := b.Views[latest[id]]
			data, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("encode alarm %s: %w", v.ID, err)
			}
			ids[j], dams[j], states[j], sevs[j], classes[j] = v.ID, v.Dam, v.State, v.Severity, v.Class
			raised[j], poss[j], datas[j] = nanos(v.RaisedAt), int64(v.Position), data
		}
		// The newest event wins: a replayed older view leaves a newer one alone.
		batch.Queue(`INSERT INTO `+c.s.n.alarmViews+` AS a (proj, id, dam, state, severity, class, raised, pos, data)
			SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bytea[])
			ON CONFLICT (id) DO UPDATE SET proj = excluded.proj, dam = excluded.dam, state = excluded.state,
				severity = excluded.severity, class = excluded.class, raised = excluded.raised, pos = excluded.pos, data = excluded.data
			WHERE excluded.pos >= a.pos`,
			c.proj, ids, dams, states, sevs, classes, raised, poss, datas)
	}
	if len(b.History) > 0 {
		n := len(b.History)
		alarms, poss, datas := make([]string, n), make([]int64, n), make([][]byte, n)
		for i, h := range b.History {
			data, err := json.Marshal(h)
			if err != nil {
				return fmt.Errorf("encode history of alarm %s: %w", h.AlarmID, err)
			}
			alarms[i], poss[i], datas[i] = h.AlarmID, int64(h.Position), data
		}
		batch.Queue(`INSERT INTO `+c.s.n.alarmHistory+` (proj, alarm, pos, data)
			SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bytea[])
			ON CONFLICT DO NOTHING`, c.proj, alarms, poss, datas)
	}
	if len(b.Activations) > 0 {
		type key struct {
			alarm string
			pos   uint64
		}
		last := map[key]int{}
		var order []key
		for i, a := range b.Activations {
			k := key{a.AlarmID, a.Position}
			if _, ok := last[k]; !ok {
				order = append(order, k)
			}
			last[k] = i
		}
		n := len(order)
		alarms, dams, poss, ts, datas := make([]string, n), make([]string, n), make([]int64, n), make([]int64, n), make([][]byte, n)
		for j, k := range order {
			a := b.Activations[last[k]]
			data, err := json.Marshal(a)
			if err != nil {
				return fmt.Errorf("encode activation of alarm %s: %w", a.AlarmID, err)
			}
			alarms[j], dams[j], poss[j], ts[j], datas[j] = a.AlarmID, a.Dam, int64(a.Position), a.At.UnixNano(), data
		}
		batch.Queue(`INSERT INTO `+c.s.n.alarmActivations+` (proj, alarm, pos, dam, t, data)
			SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bytea[])
			ON CONFLICT (alarm, pos) DO UPDATE SET proj = excluded.proj, dam = excluded.dam, t = excluded.t, data = excluded.data`,
			c.proj, alarms, poss, dams, ts, datas)
	}
	return nil
}

// Alarms returns the alarm views matching q, newest raise first (ties by id; an alarm without a
// raise time last).
func (s *Store) Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	in := func(col string, vals []string) {
		if len(vals) > 0 {
			where = append(where, col+` = ANY(`+arg(vals)+`::text[])`)
		}
	}
	in("state", q.States)
	in("dam", q.Dams)
	in("severity", q.Severities)
	in("class", q.Classes)
	if !q.From.IsZero() {
		where = append(where, `raised >= `+arg(clampNanos(q.From)))
	}
	if !q.To.IsZero() {
		where = append(where, `raised < `+arg(clampNanos(q.To)))
	}
	query := `SELECT data FROM ` + s.n.alarmViews
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY raised DESC NULLS LAST, id COLLATE "C"`
	if q.Limit > 0 {
		query += ` LIMIT ` + arg(q.Limit)
	}
	out := []readstore.AlarmView{}
	if err := s.scanJSON(ctx, query, args, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read alarms: %w", err)
	}
	return out, nil
}

// Alarm returns one alarm view, readstore.ErrNotFound if there is none.
func (s *Store) Alarm(ctx context.Context, id string) (readstore.AlarmView, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM `+s.n.alarmViews+` WHERE id = $1`, id).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return readstore.AlarmView{}, fmt.Errorf("alarm %s: %w", id, readstore.ErrNotFound)
	}
	if err != nil {
		return readstore.AlarmView{}, fmt.Errorf("read alarm %s: %w", id, err)
	}
	var v readstore.AlarmView
	if err := json.Unmarshal(b, &v); err != nil {
		return readstore.AlarmView{}, fmt.Errorf("read alarm %s: %w", id, err)
	}
	return v, nil
}

// AlarmHistory returns an alarm's events in log order (none for an unknown alarm).
func (s *Store) AlarmHistory(ctx context.Context, id string) ([]readstore.AlarmHistoryEntry, error) {
	out := []readstore.AlarmHistoryEntry{}
	if err := s.scanJSON(ctx, `SELECT data FROM `+s.n.alarmHistory+` WHERE alarm = $1 ORDER BY pos`, []any{id}, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read history of alarm %s: %w", id, err)
	}
	return out, nil
}

// AlarmActivations returns the activations of [q.From, q.To) (sensor time), oldest first.
func (s *Store) AlarmActivations(ctx context.Context, q readstore.ActivationQuery) ([]readstore.AlarmActivation, error) {
	query := `SELECT data FROM ` + s.n.alarmActivations + ` WHERE t >= $1 AND t < $2`
	args := []any{clampNanos(q.From), clampNanos(q.To)}
	if q.Dam != "" {
		query += ` AND dam = $3`
		args = append(args, q.Dam)
	}
	query += ` ORDER BY t, alarm COLLATE "C", pos`
	out := []readstore.AlarmActivation{}
	if err := s.scanJSON(ctx, query, args, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read alarm activations: %w", err)
	}
	return out, nil
}

// scanJSON runs a query whose rows are one JSON document each.
func (s *Store) scanJSON(ctx context.Context, query string, args []any, row func([]byte) error) error {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return err
		}
		if err := row(b); err != nil {
			return err
		}
	}
	return rows.Err()
}
