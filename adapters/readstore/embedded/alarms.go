package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vigie/vigie/adapters/readstore"
)

var _ readstore.AlarmViews = (*Store)(nil)

// The alarm views' tables. Each row keeps its view whole as JSON (data), with the columns the
// queries filter and order on beside it: a view gains fields without a change of layout. They are
// created by MigrateAlarms, or by the first commit that writes alarm rows; a layout change of the
// store (schemaVersion) drops them with the rest and the projection rebuilds them.
var alarmSchema = []string{
	`CREATE TABLE IF NOT EXISTS alarm_views (
		id       TEXT PRIMARY KEY,
		proj     INTEGER NOT NULL,
		dam      TEXT NOT NULL,
		state    TEXT NOT NULL,
		severity TEXT NOT NULL,
		class    TEXT NOT NULL,
		raised   INTEGER,
		pos      INTEGER NOT NULL,
		data     BLOB NOT NULL
	) WITHOUT ROWID`,
	`CREATE INDEX IF NOT EXISTS alarm_views_raised ON alarm_views (raised)`,
	`CREATE INDEX IF NOT EXISTS alarm_views_state ON alarm_views (state)`,
	`CREATE INDEX IF NOT EXISTS alarm_views_proj ON alarm_views (proj)`,
	`CREATE TABLE IF NOT EXISTS alarm_history (
		alarm TEXT NOT NULL,
		pos   INTEGER NOT NULL,
		proj  INTEGER NOT NULL,
		data  BLOB NOT NULL,
		PRIMARY KEY (alarm, pos)
	) WITHOUT ROWID`,
	`CREATE INDEX IF NOT EXISTS alarm_history_proj ON alarm_history (proj)`,
	`CREATE TABLE IF NOT EXISTS alarm_activations (
		alarm TEXT NOT NULL,
		pos   INTEGER NOT NULL,
		proj  INTEGER NOT NULL,
		dam   TEXT NOT NULL,
		t     INTEGER NOT NULL,
		data  BLOB NOT NULL,
		PRIMARY KEY (alarm, pos)
	) WITHOUT ROWID`,
	`CREATE INDEX IF NOT EXISTS alarm_activations_t ON alarm_activations (t)`,
	`CREATE INDEX IF NOT EXISTS alarm_activations_proj ON alarm_activations (proj)`,
}

var alarmTables = []string{"alarm_views", "alarm_history", "alarm_activations"}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func createAlarmTables(ctx context.Context, db execer) error {
	for _, ddl := range alarmSchema {
		if _, err := db.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("create the alarm views: %w", err)
		}
	}
	return nil
}

// MigrateAlarms creates the alarm views' tables if they are missing. Call it after Open, before
// serving alarm queries.
func (s *Store) MigrateAlarms(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return createAlarmTables(ctx, s.write)
}

// alarms writes the alarm part of a batch inside the commit's transaction.
func (c *committer) alarms(ctx context.Context, b readstore.AlarmBatch) error {
	if b.Empty() {
		return nil
	}
	if err := validateAlarms(b); err != nil {
		return err
	}
	if err := createAlarmTables(ctx, c.tx); err != nil {
		return err
	}
	for _, v := range b.Views {
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode alarm %s: %w", v.ID, err)
		}
		// The newest event wins: a replayed older batch leaves a newer state alone.
		if _, err := c.tx.ExecContext(ctx, `INSERT INTO alarm_views (id, proj, dam, state, severity, class, raised, pos, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET proj = excluded.proj, dam = excluded.dam, state = excluded.state,
				severity = excluded.severity, class = excluded.class, raised = excluded.raised, pos = excluded.pos, data = excluded.data
			WHERE excluded.pos >= alarm_views.pos`,
			v.ID, c.proj, v.Dam, v.State, v.Severity, v.Class, nanos(v.RaisedAt), int64(v.Position), data); err != nil {
			return fmt.Errorf("upsert alarm %s: %w", v.ID, err)
		}
	}
	for _, h := range b.History {
		data, err := json.Marshal(h)
		if err != nil {
			return fmt.Errorf("encode history of alarm %s: %w", h.AlarmID, err)
		}
		if _, err := c.tx.ExecContext(ctx, `INSERT OR IGNORE INTO alarm_history (alarm, pos, proj, data) VALUES (?, ?, ?, ?)`,
			h.AlarmID, int64(h.Position), c.proj, data); err != nil {
			return fmt.Errorf("insert history of alarm %s: %w", h.AlarmID, err)
		}
	}
	for _, a := range b.Activations {
		data, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("encode activation of alarm %s: %w", a.AlarmID, err)
		}
		if _, err := c.tx.ExecContext(ctx, `INSERT INTO alarm_activations (alarm, pos, proj, dam, t, data) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (alarm, pos) DO UPDATE SET proj = excluded.proj, dam = excluded.dam, t = excluded.t, data = excluded.data`,
			a.AlarmID, int64(a.Position), c.proj, a.Dam, a.At.UnixNano(), data); err != nil {
			return fmt.Errorf("upsert activation of alarm %s: %w", a.AlarmID, err)
		}
	}
	return nil
}

// validateAlarms refuses what the tables could not key or order (readstore.AlarmBatch.Check).
func validateAlarms(b readstore.AlarmBatch) error { return errors.Join(b.Check(inRange)...) }

// resetAlarms drops a projection's alarm rows inside Reset's transaction (nothing if the tables
// were never created).
func resetAlarms(ctx context.Context, tx *sql.Tx, proj int64) error {
	for _, table := range alarmTables {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil {
			return fmt.Errorf("look for %s: %w", table, err)
		}
		if n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE proj = ?`, proj); err != nil {
			return fmt.Errorf("reset %s: %w", table, err)
		}
	}
	return nil
}

// missingTable tells an alarm query on a store where no alarm was ever written: no rows.
func missingTable(err error) bool {
	return err != nil && strings.Contains(err.Error(), "no such table: alarm_")
}

// Alarms returns the alarm views matching q, newest raise first.
func (s *Store) Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error) {
	var where []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+` IN (`+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+`)`)
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("state", q.States)
	in("dam", q.Dams)
	in("severity", q.Severities)
	in("class", q.Classes)
	if !q.From.IsZero() {
		where = append(where, `raised >= ?`)
		args = append(args, q.From.UnixNano())
	}
	if !q.To.IsZero() {
		where = append(where, `raised < ?`)
		args = append(args, q.To.UnixNano())
	}
	query := `SELECT data FROM alarm_views`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY raised DESC, id`
	if q.Limit > 0 {
		query += fmt.Sprintf(` LIMIT %d`, q.Limit)
	}
	out := []readstore.AlarmView{}
	if err := scanJSON(ctx, s.read, query, args, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read alarms: %w", err)
	}
	return out, nil
}

// Alarm returns one alarm view, readstore.ErrNotFound if there is none.
func (s *Store) Alarm(ctx context.Context, id string) (readstore.AlarmView, error) {
	var b []byte
	err := s.read.QueryRowContext(ctx, `SELECT data FROM alarm_views WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) || missingTable(err) {
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
	if err := scanJSON(ctx, s.read, `SELECT data FROM alarm_history WHERE alarm = ? ORDER BY pos`, []any{id}, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read history of alarm %s: %w", id, err)
	}
	return out, nil
}

// AlarmActivations returns the activations of [q.From, q.To) (sensor time), oldest first.
func (s *Store) AlarmActivations(ctx context.Context, q readstore.ActivationQuery) ([]readstore.AlarmActivation, error) {
	query := `SELECT data FROM alarm_activations WHERE t >= ? AND t < ?`
	args := []any{q.From.UnixNano(), q.To.UnixNano()}
	if q.Dam != "" {
		query += ` AND dam = ?`
		args = append(args, q.Dam)
	}
	query += ` ORDER BY t, alarm, pos`
	out := []readstore.AlarmActivation{}
	if err := scanJSON(ctx, s.read, query, args, readstore.AppendJSON(&out)); err != nil {
		return nil, fmt.Errorf("read alarm activations: %w", err)
	}
	return out, nil
}

// scanJSON runs a query whose rows are one JSON blob each; a missing alarm table reads as empty.
func scanJSON(ctx context.Context, db *sql.DB, query string, args []any, row func([]byte) error) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if missingTable(err) {
		return nil
	}
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
