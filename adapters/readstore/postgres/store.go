// Package postgres is the read store on PostgreSQL (pgx/v5): the views of a deployment whose Vigie
// processes share one database, with the same semantics as the embedded SQLite store.
//
// A projection's rows and its checkpoint commit in one transaction, and the projection's row in the
// projections table is locked first (SELECT ... FOR UPDATE), so a batch replayed after a crash, or
// committed twice by two processes running the same projection, changes nothing. Readings are keyed
// by (sensor, sensor time): the first write of a reading wins and is rolled up exactly once, the
// rows the insert really added (RETURNING) being the ones folded into the 1 min, 1 h and 1 day
// roll-ups. Times are stored as Unix nanoseconds (bigint), as the embedded store does, so that
// readings keep their full precision and buckets are integer divisions of epoch seconds.
//
// Durability: a view commit does not wait for PostgreSQL's WAL flush (synchronous_commit off for
// that transaction only), as the embedded store runs SQLite with synchronous=NORMAL. A commit is
// still atomic and consistent, but a crash of the database server may lose the last ones; rows
// and checkpoint are lost together, and the projection replays them from the event log, which is
// the durable truth. A crash of Vigie loses nothing.
//
// Every view is rebuildable from the event log: a schema holding another layout has its views
// dropped and recreated, every checkpoint then reads 0, and the projections rebuild them.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vigie/vigie/adapters/readstore"
)

var _ readstore.Store = (*Store)(nil)

// layout is the version of the tables below; another one found at Open is dropped and recreated.
// 2 added the alarm views (alarms.go).
const layout = 2

// Options tune the store. The zero value gives the defaults.
type Options struct {
	// Schema is the PostgreSQL schema holding the views; it is created if missing. It belongs to
	// the read store: do not put the event log in it. Default "vigie_views".
	Schema string
	// MaxConns caps the connection pool. Default: the DSN's pool_max_conns, else pgxpool's
	// default.
	MaxConns int32
}

const defaultSchema = "vigie_views"

// Validate reports every invalid option at once.
func (o Options) Validate() error {
	var errs []error
	if len(o.Schema) > 63 || strings.ContainsRune(o.Schema, 0) {
		errs = append(errs, fmt.Errorf("Schema %q: must be at most 63 bytes without NUL", o.Schema))
	}
	if o.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("MaxConns %d: must not be negative", o.MaxConns))
	}
	return errors.Join(errs...)
}

// rollup is one roll-up table: per sensor and bucket of secs seconds (aligned on the Unix epoch,
// bucket = floor(t / secs) * secs), the aggregates of the readings.
type rollup struct {
	secs  int64
	table string // unqualified
}

// rollups lists the roll-up tables coarsest first, the order Series looks for the one to use.
var rollups = [...]rollup{{86400, "rollup_1d"}, {3600, "rollup_1h"}, {60, "rollup_1m"}}

// tableNames are every table the read store has ever created, dropped on a layout change.
var tableNames = []string{"views_layout", "projections", "sensors", "samples", "rollup_1m", "rollup_1h", "rollup_1d", "states", "timeline",
	"alarm_views", "alarm_history", "alarm_activations"}

// names holds the qualified, quoted table names.
type names struct {
	schema, layout, projections, sensors, samples, states, timeline string
	alarmViews, alarmHistory, alarmActivations                      string
	rollups                                                         [len(rollups)]string
}

func newNames(schema string) names {
	q := func(table string) string { return pgx.Identifier{schema, table}.Sanitize() }
	n := names{
		schema: pgx.Identifier{schema}.Sanitize(), layout: q("views_layout"), projections: q("projections"),
		sensors: q("sensors"), samples: q("samples"), states: q("states"), timeline: q("timeline"),
		alarmViews: q("alarm_views"), alarmHistory: q("alarm_history"), alarmActivations: q("alarm_activations"),
	}
	for i, r := range rollups {
		n.rollups[i] = q(r.table)
	}
	return n
}

// ddl is the layout. Times are Unix nanoseconds (NULL for a zero time.Time), buckets Unix seconds.
//
// Series tables (samples and roll-ups) are keyed by a sensor number from the sensors table. A
// sensor's series belongs to the projection that first wrote it (sensors.proj), so that Reset
// removes a projection's series and a second projection cannot count the same readings twice.
// Roll-up rows: n counts usable readings, bad implausible ones; mn, mx, sm, lt (time of the last
// usable reading) and lv (its value) cover usable readings only and stay 0 while n is 0.
func (n names) ddl() []string {
	stmts := []string{
		`CREATE SCHEMA IF NOT EXISTS ` + n.schema,
		`CREATE TABLE ` + n.layout + ` (id boolean PRIMARY KEY DEFAULT true CHECK (id), version integer NOT NULL)`,
		fmt.Sprintf(`INSERT INTO %s (version) VALUES (%d)`, n.layout, layout),
		`CREATE TABLE ` + n.projections + ` (
			id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			name     text    NOT NULL UNIQUE,
			position bigint  NOT NULL
		)`,
		`CREATE TABLE ` + n.sensors + ` (
			id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			name text    NOT NULL UNIQUE,
			dam  text    NOT NULL,
			proj integer NOT NULL
		)`,
		`CREATE INDEX ON ` + n.sensors + ` (proj)`,
		`CREATE TABLE ` + n.samples + ` (
			sid  integer          NOT NULL,
			t    bigint           NOT NULL,
			v    double precision NOT NULL,
			q    text             NOT NULL,
			late boolean          NOT NULL,
			rec  bigint,
			pos  bigint           NOT NULL,
			idx  integer          NOT NULL,
			PRIMARY KEY (sid, t)
		)`,
	}
	for _, r := range n.rollups {
		stmts = append(stmts, `CREATE TABLE `+r+` (
			sid integer          NOT NULL,
			b   bigint           NOT NULL,
			n   bigint           NOT NULL,
			bad bigint           NOT NULL,
			mn  double precision NOT NULL,
			mx  double precision NOT NULL,
			sm  double precision NOT NULL,
			lt  bigint           NOT NULL,
			lv  double precision NOT NULL,
			PRIMARY KEY (sid, b)
		)`)
	}
	return append(stmts,
		`CREATE TABLE `+n.states+` (
			sensor   text             PRIMARY KEY,
			proj     integer          NOT NULL,
			dam      text             NOT NULL,
			t        bigint,
			v        double precision NOT NULL,
			q        text             NOT NULL,
			rec      bigint,
			trend    double precision NOT NULL,
			trend_known boolean       NOT NULL,
			volume   double precision NOT NULL,
			fill     double precision NOT NULL,
			spilling boolean          NOT NULL,
			tts      bigint,
			above    text[]           NOT NULL,
			pos      bigint           NOT NULL
		)`,
		`CREATE INDEX ON `+n.states+` (proj)`,
		`CREATE TABLE `+n.timeline+` (
			pos     bigint  NOT NULL,
			proj    integer NOT NULL,
			seq     integer NOT NULL,
			stream  text    NOT NULL,
			type    text    NOT NULL,
			dam     text    NOT NULL,
			sensor  text    NOT NULL,
			t       bigint,
			rec     bigint,
			actor   text    NOT NULL,
			summary text    NOT NULL,
			data    bytea,
			PRIMARY KEY (pos, proj, seq)
		)`,
		`CREATE INDEX ON `+n.timeline+` (dam, pos)`,
		`CREATE INDEX ON `+n.timeline+` (proj)`,
	)
}

// Store is the PostgreSQL read store. It is safe for concurrent use, and several Stores (several
// processes) may share one schema.
type Store struct {
	pool   *pgxpool.Pool
	n      names
	schema string
	logger *slog.Logger
}

// Open connects to the database at dsn (a postgres:// URL or key=value string, as pgx reads it)
// and creates the schema and tables if missing.
func Open(ctx context.Context, dsn string, opts Options, logger *slog.Logger) (*Store, error) {
	var errs []error
	if dsn == "" {
		errs = append(errs, errors.New("dsn is empty"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if err := opts.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("open read store: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open read store: parse the dsn: %w", redact(err, dsn))
	}
	// Vigie's own "schema" parameter (postgres://host/db?schema=vigie_views) names the schema, so
	// that one flag or variable can say where the views are; it must agree with Options.Schema.
	if fromDSN, ok := cfg.ConnConfig.RuntimeParams["schema"]; ok {
		delete(cfg.ConnConfig.RuntimeParams, "schema")
		if opts.Schema != "" && opts.Schema != fromDSN {
			return nil, fmt.Errorf("open read store: the dsn names schema %q and Options.Schema %q", fromDSN, opts.Schema)
		}
		opts.Schema = fromDSN
		if err := opts.Validate(); err != nil {
			return nil, fmt.Errorf("open read store: %w", err)
		}
	}
	if opts.Schema == "" {
		opts.Schema = defaultSchema
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	where := fmt.Sprintf("schema %s on %s:%d/%s", opts.Schema, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open read store (%s): %w", where, err)
	}
	s := &Store{pool: pool, n: newNames(opts.Schema), schema: opts.Schema, logger: logger}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open read store (%s): %w", where, err)
	}
	return s, nil
}

// redact removes the DSN, which may hold a password, from an error message.
func redact(err error, dsn string) error {
	return errors.New(strings.ReplaceAll(err.Error(), dsn, "<dsn>"))
}

// migrate creates the tables, or drops and recreates them when the schema holds another layout.
// An advisory lock serialises processes opening the same schema at once.
func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin schema change: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "vigie-views:"+s.schema); err != nil {
		return fmt.Errorf("lock the schema: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, s.n.layout).Scan(&exists); err != nil {
		return fmt.Errorf("read layout: %w", err)
	}
	if exists {
		var version int
		if err := tx.QueryRow(ctx, `SELECT version FROM `+s.n.layout).Scan(&version); err != nil {
			return fmt.Errorf("read layout: %w", err)
		}
		if version == layout {
			return nil
		}
		s.logger.Warn("read store layout changed: dropping every view, projections rebuild them from the event log",
			"schema", s.schema, "found", version, "want", layout)
		for _, t := range tableNames {
			if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS `+pgx.Identifier{s.schema, t}.Sanitize()); err != nil {
				return fmt.Errorf("drop %s: %w", t, err)
			}
		}
	}
	for _, q := range append(s.n.ddl(), s.n.alarmDDL()...) {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit schema: %w", err)
	}
	return nil
}

// Close releases the connections. Queries after Close fail.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Checkpoint is the last position the projection committed, 0 if none.
func (s *Store) Checkpoint(ctx context.Context, projection string) (uint64, error) {
	var pos int64
	err := s.pool.QueryRow(ctx, `SELECT position FROM `+s.n.projections+` WHERE name = $1`, projection).Scan(&pos)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read checkpoint of %s: %w", projection, err)
	}
	return uint64(pos), nil
}

// Reset drops the projection's series, states, timeline entries, alarm views and checkpoint.
func (s *Store) Reset(ctx context.Context, projection string) error {
	if err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var proj int32
		err := tx.QueryRow(ctx, `SELECT id FROM `+s.n.projections+` WHERE name = $1 FOR UPDATE`, projection).Scan(&proj)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // never committed: nothing to drop
		}
		if err != nil {
			return fmt.Errorf("find projection: %w", err)
		}
		owned := `sid IN (SELECT id FROM ` + s.n.sensors + ` WHERE proj = $1)`
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM `+s.n.samples+` WHERE `+owned, proj)
		for _, r := range s.n.rollups {
			b.Queue(`DELETE FROM `+r+` WHERE `+owned, proj)
		}
		b.Queue(`DELETE FROM `+s.n.sensors+` WHERE proj = $1`, proj)
		b.Queue(`DELETE FROM `+s.n.states+` WHERE proj = $1`, proj)
		b.Queue(`DELETE FROM `+s.n.timeline+` WHERE proj = $1`, proj)
		for _, t := range []string{s.n.alarmViews, s.n.alarmHistory, s.n.alarmActivations} {
			b.Queue(`DELETE FROM `+t+` WHERE proj = $1`, proj)
		}
		b.Queue(`DELETE FROM `+s.n.projections+` WHERE id = $1`, proj)
		return tx.SendBatch(ctx, b).Close()
	}); err != nil {
		return fmt.Errorf("reset %s: %w", projection, err)
	}
	return nil
}
