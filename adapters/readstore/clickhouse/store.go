// Package clickhouse is the read store on ClickHouse (github.com/ClickHouse/clickhouse-go/v2, native
// protocol): the views of a deployment with years of readings from many dams, with the semantics
// of the embedded and PostgreSQL stores (readstoretest checks all three alike).
//
// ClickHouse has no multi-statement transactions, so a commit is made idempotent instead of
// atomic: every row is keyed, and a batch written again (a crash between its rows and its
// checkpoint, then the replay) changes nothing.
//
//   - Readings go to samples, a ReplacingMergeTree ORDER BY (sensor, t). Before inserting, the
//     committer reads which (sensor, time) keys of the batch are stored already and leaves them
//     out: the first write of a reading wins, and a replayed one is neither stored nor rolled up
//     twice.
//   - The 1 min, 1 h and 1 day roll-ups are AggregatingMergeTree tables fed by materialized views
//     on samples, so they are written by the same INSERT as the readings (no window between the
//     two) and collapse to one row per (sensor, bucket) as ClickHouse merges parts.
//   - States, timeline entries and the alarm views are ReplacingMergeTree tables keyed as the port
//     keys them; queries read them with FINAL, or with argMax grouped by key where a filter is on
//     a column a newer version changes (a filter run as PREWHERE applies before FINAL collapses).
//   - Checkpoints are rows of a ReplacingMergeTree versioned by a counter of the store.
//
// Times are Int64 Unix nanoseconds (18.16 has no DateTime64) and buckets are integer divisions of
// epoch seconds (18.16 has no toStartOfInterval): the SQL runs on 18.16 and on current servers.
// LowCardinality, which 18.16 only takes behind a setting, is not used.
//
// One process commits a given projection at a time (the runner's rule); commits of one Store are
// serialised. Reset deletes with ALTER TABLE ... DELETE and waits until the mutations are done.
package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"regexp"
	"strings"
	"sync"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/vigie/vigie/adapters/readstore"
)

var (
	_ readstore.Store      = (*Store)(nil)
	_ readstore.AlarmViews = (*Store)(nil)
)

// layout is the version of the tables below; another one found at Open is dropped and recreated,
// and the projections rebuild the views from the event log.
const layout = 1

// DefaultDatabase holds the views unless the DSN or Options name another.
const DefaultDatabase = "vigie_views"

// Options tune the store. The zero value gives the defaults.
type Options struct {
	// Database holds the views; it is created if missing and belongs to the read store. Default:
	// the DSN's database if it names one other than "default", else DefaultDatabase.
	Database string
	// MaxConns caps the connection pool. Default 8.
	MaxConns int
	// MutationTimeout bounds how long Reset waits for ClickHouse to apply its deletes. Default
	// 5 min.
	MutationTimeout time.Duration
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Validate reports every invalid option at once.
func (o Options) Validate() error {
	var errs []error
	if o.Database != "" && !identifier.MatchString(o.Database) {
		errs = append(errs, fmt.Errorf("Database %q: must be letters, digits and _, not starting with a digit, at most 63", o.Database))
	}
	if o.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("MaxConns %d: must not be negative", o.MaxConns))
	}
	if o.MutationTimeout < 0 {
		errs = append(errs, fmt.Errorf("MutationTimeout %s: must not be negative", o.MutationTimeout))
	}
	return errors.Join(errs...)
}

// Store is the ClickHouse read store. It is safe for concurrent use.
type Store struct {
	conn   driver.Conn
	db     string // quoted-safe identifier (Options.Validate)
	opts   Options
	logger *slog.Logger

	// mu serialises commits and resets: a commit reads which rows are stored before writing.
	mu sync.Mutex
	// ver is the last version given to a checkpoint row (ReplacingMergeTree keeps the highest).
	verMu sync.Mutex
	ver   uint64
}

// Open connects to the server at dsn and creates the database and tables if missing. dsn is
// either host:port or a URL as clickhouse-go reads it: clickhouse://[user[:password]@]host:port[/database][?settings].
// Only the native protocol works with every server Vigie supports (see docs/clickhouse.md).
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
		return nil, fmt.Errorf("open clickhouse read store: %w", err)
	}
	chOpts, err := parseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("open clickhouse read store: %w", err)
	}
	if opts.Database == "" {
		opts.Database = DefaultDatabase
		if d := chOpts.Auth.Database; d != "" && d != "default" {
			opts.Database = d
		}
		if err := opts.Validate(); err != nil {
			return nil, fmt.Errorf("open clickhouse read store: the dsn's database: %w", err)
		}
	}
	if opts.MaxConns == 0 {
		opts.MaxConns = 8
	}
	if opts.MutationTimeout == 0 {
		opts.MutationTimeout = 5 * time.Minute
	}
	// Connect to "default": the views' database may not exist yet. Every statement names its
	// tables in full.
	chOpts.Auth.Database = "default"
	chOpts.MaxOpenConns, chOpts.MaxIdleConns = opts.MaxConns, opts.MaxConns
	if chOpts.DialTimeout == 0 {
		chOpts.DialTimeout = 10 * time.Second
	}
	where := fmt.Sprintf("database %s on %s", opts.Database, strings.Join(chOpts.Addr, ","))
	conn, err := ch.Open(chOpts)
	if err != nil {
		return nil, fmt.Errorf("open clickhouse read store (%s): %w", where, err)
	}
	s := &Store{conn: conn, db: opts.Database, opts: opts, logger: logger}
	if err := s.migrate(ctx); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("open clickhouse read store (%s): %w", where, err)
	}
	return s, nil
}

// parseDSN reads host:port or a clickhouse:// URL. The error never repeats the DSN, which may
// hold a password.
func parseDSN(dsn string) (*ch.Options, error) {
	if !strings.Contains(dsn, "://") {
		// net's error would repeat the address, which may hold a password by mistake.
		if _, _, err := net.SplitHostPort(dsn); err != nil {
			return nil, errors.New("dsn: want host:port or clickhouse://host:port/database")
		}
		return &ch.Options{Addr: []string{dsn}, Protocol: ch.Native}, nil
	}
	if !strings.HasPrefix(dsn, "clickhouse://") && !strings.HasPrefix(dsn, "tcp://") {
		return nil, errors.New("dsn: only the native protocol (clickhouse:// or tcp://) is supported")
	}
	o, err := ch.ParseDSN(dsn)
	if err != nil {
		return nil, errors.New("dsn: cannot be parsed as clickhouse://[user[:password]@]host:port[/database]")
	}
	if o.Protocol != ch.Native {
		return nil, errors.New("dsn: only the native protocol is supported")
	}
	return o, nil
}

// t returns the full name of a table of the store.
func (s *Store) t(table string) string { return s.db + "." + table }

// tableNames are every table and view the store has ever created, dropped on a layout change
// (materialized views first: they write into the roll-ups).
var tableNames = []string{
	"mv_rollup_1m", "mv_rollup_1h", "mv_rollup_1d",
	"views_layout", "projections", "samples", "rollup_1m", "rollup_1h", "rollup_1d", "states", "timeline",
	"alarm_views", "alarm_history", "alarm_activations",
}

// dataTables are the tables Reset deletes a projection's rows from.
var dataTables = []string{"samples", "rollup_1m", "rollup_1h", "rollup_1d", "states", "timeline",
	"alarm_views", "alarm_history", "alarm_activations"}

// rollup is one roll-up table: per sensor and bucket of secs seconds (aligned on the Unix epoch,
// bucket = floor(t / secs) * secs), the partial aggregates of the readings.
type rollup struct {
	secs  int64
	table string
}

// rollups lists the roll-up tables coarsest first, the order Series looks for the one to use.
var rollups = [...]rollup{{86400, "rollup_1d"}, {3600, "rollup_1h"}, {60, "rollup_1m"}}

// usable is the SQL condition for a reading the figures count (implausible ones are counted
// apart).
const usable = `q != 'implausible'`

// floorDivSQL is SQL for x divided by d rounded down, in Int64 (intDiv truncates towards zero).
func floorDivSQL(x, d string) string {
	return `(intDiv(toInt64(` + x + `), toInt64(` + d + `)) - toInt64(modulo(toInt64(` + x + `), toInt64(` + d + `)) < 0))`
}

// ddl is the layout. Times are Int64 Unix nanoseconds; a zero time.Time is stored as noTime.
// Every row names the projection that wrote it (proj), for Reset.
func (s *Store) ddl() []string {
	stmts := []string{
		`CREATE DATABASE IF NOT EXISTS ` + s.db,
		`CREATE TABLE ` + s.t("views_layout") + ` (version UInt32) ENGINE = TinyLog`,
		`CREATE TABLE ` + s.t("projections") + ` (name String, position UInt64, ver UInt64)
			ENGINE = ReplacingMergeTree(ver) ORDER BY name`,
		`CREATE TABLE ` + s.t("samples") + ` (
			sensor String, t Int64, proj String, dam String, v Float64, q String, late UInt8,
			rec Int64, pos UInt64, idx Int32
		) ENGINE = ReplacingMergeTree ORDER BY (sensor, t)`,
	}
	for _, r := range rollups {
		stmts = append(stmts,
			`CREATE TABLE `+s.t(r.table)+` (
				sensor String, b Int64, proj String,
				n   AggregateFunction(countIf, UInt8),
				bad AggregateFunction(countIf, UInt8),
				mn  AggregateFunction(minIf, Float64, UInt8),
				mx  AggregateFunction(maxIf, Float64, UInt8),
				sm  AggregateFunction(sumIf, Float64, UInt8),
				lt  AggregateFunction(maxIf, Int64, UInt8),
				lv  AggregateFunction(argMaxIf, Float64, Int64, UInt8)
			) ENGINE = AggregatingMergeTree ORDER BY (sensor, b, proj)`,
			fmt.Sprintf(`CREATE MATERIALIZED VIEW %s TO %s AS
				SELECT sensor, %s * %d AS b, proj,
					countIfState(`+usable+`) AS n, countIfState(NOT (`+usable+`)) AS bad,
					minIfState(v, `+usable+`) AS mn, maxIfState(v, `+usable+`) AS mx, sumIfState(v, `+usable+`) AS sm,
					maxIfState(t, `+usable+`) AS lt, argMaxIfState(v, t, `+usable+`) AS lv
				FROM %s GROUP BY sensor, b, proj`,
				s.t("mv_"+r.table), s.t(r.table), floorDivSQL("t", fmt.Sprint(r.secs*int64(time.Second))), r.secs, s.t("samples")),
		)
	}
	return append(stmts,
		`CREATE TABLE `+s.t("states")+` (
			sensor String, proj String, dam String, t Int64, v Float64, q String, rec Int64,
			trend Float64, trend_known UInt8, volume Float64, fill Float64, spilling UInt8,
			tts Int64, has_tts UInt8, above Array(String), pos UInt64, ver UInt64
		) ENGINE = ReplacingMergeTree(ver) ORDER BY sensor`,
		`CREATE TABLE `+s.t("timeline")+` (
			pos UInt64, proj String, seq UInt32, stream String, type String, dam String, sensor String,
			t Int64, rec Int64, actor String, summary String, data String
		) ENGINE = ReplacingMergeTree ORDER BY (pos, proj, seq)`,
		`CREATE TABLE `+s.t("alarm_views")+` (
			id String, proj String, dam String, state String, severity String, class String,
			raised Int64, pos UInt64, data String
		) ENGINE = ReplacingMergeTree(pos) ORDER BY id`,
		`CREATE TABLE `+s.t("alarm_history")+` (alarm String, pos UInt64, proj String, data String)
			ENGINE = ReplacingMergeTree ORDER BY (alarm, pos)`,
		`CREATE TABLE `+s.t("alarm_activations")+` (
			alarm String, pos UInt64, proj String, dam String, t Int64, data String, ver UInt64
		) ENGINE = ReplacingMergeTree(ver) ORDER BY (alarm, pos)`,
	)
}

// noTime stands for the zero time.Time in a time column (1677-09-21, before any reading the
// store accepts).
const noTime = math.MinInt64

func toNanos(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == noTime {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// migrate creates the tables, or drops and recreates them when the database holds another
// layout.
func (s *Store) migrate(ctx context.Context) error {
	if err := s.conn.Exec(ctx, `CREATE DATABASE IF NOT EXISTS `+s.db); err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	var exists uint8
	if err := s.conn.QueryRow(ctx, `SELECT count() > 0 FROM system.tables WHERE database = ? AND name = 'views_layout'`, s.db).Scan(&exists); err != nil {
		return fmt.Errorf("read layout: %w", err)
	}
	if exists == 1 {
		var version uint32
		err := s.conn.QueryRow(ctx, `SELECT max(version) FROM `+s.t("views_layout")).Scan(&version)
		if err != nil {
			return fmt.Errorf("read layout: %w", err)
		}
		if version == layout {
			return s.loadVersion(ctx)
		}
		s.logger.Warn("read store layout changed: dropping every view, projections rebuild them from the event log",
			"database", s.db, "found", version, "want", layout)
	}
	// Whatever a migration cut short left is dropped (materialized views first), and views_layout
	// is written last: until it is, the next Open starts again from here.
	for _, t := range tableNames {
		if err := s.conn.Exec(ctx, `DROP TABLE IF EXISTS `+s.t(t)); err != nil {
			return fmt.Errorf("drop %s: %w", t, err)
		}
	}
	stmts := s.ddl()
	for _, q := range append(stmts[2:], stmts[1]) {
		if err := s.conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	if err := s.insert(ctx, "views_layout (version)", []any{uint32(layout)}); err != nil {
		return fmt.Errorf("write layout: %w", err)
	}
	return s.loadVersion(ctx)
}

// loadVersion starts the checkpoint versions above every stored one and at least at the clock, so
// that another process's, or an earlier run's, never outranks a new checkpoint.
func (s *Store) loadVersion(ctx context.Context) error {
	var v uint64
	if err := s.conn.QueryRow(ctx, `SELECT max(ver) FROM `+s.t("projections")).Scan(&v); err != nil {
		return fmt.Errorf("read checkpoint versions: %w", err)
	}
	s.verMu.Lock()
	s.ver = max(s.ver, v)
	s.verMu.Unlock()
	return nil
}

// nextVersion returns a version above every one given before.
func (s *Store) nextVersion() uint64 {
	s.verMu.Lock()
	defer s.verMu.Unlock()
	s.ver = max(s.ver+1, uint64(time.Now().UnixNano()))
	return s.ver
}

// insert writes rows into a table of the store ("table (columns)"). Every insert goes through the
// native protocol's data blocks: 18.16 waits for a block even after INSERT ... VALUES.
func (s *Store) insert(ctx context.Context, into string, rows ...[]any) error {
	batch, err := s.conn.PrepareBatch(ctx, `INSERT INTO `+s.db+`.`+into)
	if err != nil {
		return err
	}
	defer func() { _ = batch.Abort() }()
	for _, r := range rows {
		if err := batch.Append(r...); err != nil {
			return err
		}
	}
	return batch.Send()
}

// Close releases the connections. Queries after Close fail.
func (s *Store) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("close clickhouse read store: %w", err)
	}
	return nil
}

// Checkpoint is the last position the projection committed, 0 if none.
func (s *Store) Checkpoint(ctx context.Context, projection string) (uint64, error) {
	var pos uint64
	if err := s.conn.QueryRow(ctx, `SELECT argMax(position, ver) FROM `+s.t("projections")+` WHERE name = ?`, projection).Scan(&pos); err != nil {
		return 0, fmt.Errorf("read checkpoint of %s: %w", projection, err)
	}
	return pos, nil
}

func (s *Store) setCheckpoint(ctx context.Context, projection string, position uint64) error {
	if err := s.insert(ctx, "projections (name, position, ver)", []any{projection, position, s.nextVersion()}); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}

// Reset drops the projection's rows and its checkpoint. The deletes are ClickHouse mutations,
// which run in the background: Reset waits until they are done (Options.MutationTimeout), so
// that a rebuild starting next finds the views empty.
func (s *Store) Reset(ctx context.Context, projection string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reset(ctx, projection); err != nil {
		return fmt.Errorf("reset %s: %w", projection, err)
	}
	return nil
}

func (s *Store) reset(ctx context.Context, projection string) error {
	// The checkpoint goes first: if a delete fails, the projection starts again from zero anyway,
	// and its rows written again are keyed.
	if err := s.setCheckpoint(ctx, projection, 0); err != nil {
		return err
	}
	var tables []string
	for _, table := range dataTables {
		var n uint64
		if err := s.conn.QueryRow(ctx, `SELECT count() FROM `+s.t(table)+` WHERE proj = ?`, projection).Scan(&n); err != nil {
			return fmt.Errorf("count rows of %s: %w", table, err)
		}
		if n == 0 {
			continue // no mutation for nothing: each one rewrites parts
		}
		if err := s.conn.Exec(ctx, `ALTER TABLE `+s.t(table)+` DELETE WHERE proj = ?`, projection); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
		tables = append(tables, table)
	}
	return s.awaitMutations(ctx, tables)
}

// awaitMutations polls system.mutations until the tables have none left to do.
func (s *Store) awaitMutations(ctx context.Context, tables []string) error {
	if len(tables) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.MutationTimeout)
	defer cancel()
	wait := 5 * time.Millisecond
	for {
		var pending uint64
		if err := s.conn.QueryRow(ctx, `SELECT count() FROM system.mutations WHERE database = ? AND has(?, table) AND is_done = 0`,
			s.db, tables).Scan(&pending); err != nil {
			return fmt.Errorf("wait for the deletes of %s: %w", strings.Join(tables, ", "), err)
		}
		if pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for the deletes of %s (%d pending): %w", strings.Join(tables, ", "), pending, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}
