// Package embedded is the read store on SQLite (modernc.org/sqlite, pure Go): one file next to the
// embedded event store, no server to run.
//
// Durability: WAL with synchronous=NORMAL. A commit is then atomic and consistent but may be lost on
// power failure (never on a process crash). That is acceptable here and FULL is not worth its fsync
// per commit: the event log is the durable truth, every view can be rebuilt from it, and a view's
// rows and its checkpoint commit in one transaction, so a lost commit loses both together and the
// projection simply replays from the older checkpoint. A crash can never leave rows ahead of or
// behind their checkpoint.
package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/vigie/vigie/adapters/readstore"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// schemaVersion is kept in PRAGMA user_version. A file written with another layout is emptied and
// recreated rather than migrated: every view is rebuildable from the event log, and an empty store
// has every checkpoint at 0, so the projections rebuild it on their own.
//
// Version 2 dropped the minute roll-up and added states.trend_known. Version 3 stores samples
// in hourly chunks (chunk.go) instead of one row each.
const schemaVersion = 3

// pageSize is the page size of a new file. Bigger pages than SQLite's 4 KiB mean fewer B-tree
// splits and levels for the samples table, which grows by appends: 8 KiB commits big batches
// ~30 % faster; 16 KiB gains little more and doubles the bytes a small live commit writes to the
// WAL (one page per sensor touched). See docs/performance.md.
const pageSize = 8192

// rollup is one roll-up table: per sensor and bucket of secs seconds (aligned on the Unix epoch,
// bucket = t div secs, as ClickHouse's intDiv will compute it), the aggregates of the readings.
type rollup struct {
	secs  int64
	table string
}

// rollups lists the roll-up tables coarsest first, the order Series looks for the one to use.
//
// There is no minute roll-up: a sensor reports every few seconds to every minute, so a minute
// bucket holds 1 to ~20 readings and reading them from the samples table costs about what reading
// a roll-up row would (see Series and docs/performance.md), while keeping a minute roll-up cost
// nearly as much as storing the samples themselves. Minute-sized buckets are computed from the
// samples.
var rollups = [...]rollup{{86400, "rollup_1d"}, {3600, "rollup_1h"}}

// The layout. Times are Unix nanoseconds (NULL for a zero time.Time), buckets Unix seconds.
//
// Series tables (samples and roll-ups) are keyed by a sensor number from the sensors table: an
// integer key makes rows smaller and compares faster than the name repeated in every row. A
// sensor's series belongs to the projection that first wrote it (sensors.proj), so Reset removes a
// projection's series with range deletes on the primary key instead of scanning the whole table.
var schema = []string{
	`CREATE TABLE projections (
		id       INTEGER PRIMARY KEY,
		name     TEXT NOT NULL UNIQUE,
		position INTEGER NOT NULL
	)`,
	`CREATE TABLE sensors (
		id   INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE,
		dam  TEXT NOT NULL,
		proj INTEGER NOT NULL
	)`,
	// Qualities are numbered too: binding a string costs SQLite a copy per row.
	`CREATE TABLE qualities (
		id   INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE
	)`,
	// implausibleID (commit.go) is the 3 here.
	`INSERT INTO qualities (id, name) VALUES (1, 'good'), (2, 'suspect'), (3, 'implausible')`,
	// Segment seg of a sensor's samples of the hour starting at c (Unix seconds), packed in data
	// (chunk.go): n of them, the newest at tn (Unix ns). An hour's segments follow each other in
	// time.
	`CREATE TABLE chunks (
		sid  INTEGER NOT NULL,
		c    INTEGER NOT NULL,
		seg  INTEGER NOT NULL,
		n    INTEGER NOT NULL,
		tn   INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (sid, c, seg)
	) WITHOUT ROWID`,
	rollupDDL("rollup_1h"),
	rollupDDL("rollup_1d"),
	`CREATE TABLE states (
		sensor   TEXT PRIMARY KEY,
		proj     INTEGER NOT NULL,
		dam      TEXT NOT NULL,
		t        INTEGER,
		v        REAL NOT NULL,
		q        TEXT NOT NULL,
		rec      INTEGER,
		trend    REAL NOT NULL,
		trend_known INTEGER NOT NULL,
		volume   REAL NOT NULL,
		fill     REAL NOT NULL,
		spilling INTEGER NOT NULL,
		tts      INTEGER,
		above    TEXT NOT NULL,
		pos      INTEGER NOT NULL
	) WITHOUT ROWID`,
	`CREATE TABLE timeline (
		pos     INTEGER NOT NULL,
		proj    INTEGER NOT NULL,
		seq     INTEGER NOT NULL,
		stream  TEXT NOT NULL,
		type    TEXT NOT NULL,
		dam     TEXT NOT NULL,
		sensor  TEXT NOT NULL,
		t       INTEGER,
		rec     INTEGER,
		actor   TEXT NOT NULL,
		summary TEXT NOT NULL,
		data    BLOB,
		PRIMARY KEY (pos, proj, seq)
	) WITHOUT ROWID`,
	`CREATE INDEX timeline_dam ON timeline (dam, pos)`,
	`CREATE INDEX timeline_proj ON timeline (proj)`,
}

// rollupDDL: n counts usable readings, bad implausible ones; mn, mx, sm, lt (time of the last
// usable reading) and lv (its value) cover usable readings only and stay 0 while n is 0 (NULLs
// would cost every scan a nullable type for nothing: n says whether they mean anything).
func rollupDDL(table string) string {
	return `CREATE TABLE ` + table + ` (
		sid INTEGER NOT NULL,
		b   INTEGER NOT NULL,
		n   INTEGER NOT NULL,
		bad INTEGER NOT NULL,
		mn  REAL NOT NULL,
		mx  REAL NOT NULL,
		sm  REAL NOT NULL,
		lt  INTEGER NOT NULL,
		lv  REAL NOT NULL,
		PRIMARY KEY (sid, b)
	) WITHOUT ROWID`
}

// Store is the embedded read store. It is safe for concurrent use: commits are serialised on one
// writer connection, queries run on a pool of readers that WAL lets proceed during a commit.
type Store struct {
	logger *slog.Logger
	write  *sql.DB
	read   *sql.DB

	// mu serialises Commit and Reset, and guards what follows: the writer's caches, which mirror
	// committed rows only (see commit.go).
	mu        sync.Mutex
	sensors   map[string]sensorRow
	qualities map[string]int64
	// tails describe the newest stored segment of a series (by sensor number), where known: a
	// commit of readings newer than its newest needs no look-up of what is stored.
	tails   map[int64]tail
	stmts   *statements
	scratch scratch
}

// scratch is memory the writer reuses from one commit to the next.
type scratch struct {
	items []item
	// sorted and counts serve sortItems.
	sorted []item
	counts []int
	rows   []*rowBuffer
	// arena holds the encoded records appended to chunks; old, merged and enc the segments of a
	// chunk being merged.
	arena, enc  []byte
	old, merged []stored
}

var _ readstore.Store = (*Store)(nil)

// sensorRow caches one row of the sensors table.
type sensorRow struct {
	id   int64
	dam  string
	proj int64
}

// Open opens or creates the read store in the SQLite file at path.
func Open(path string, logger *slog.Logger) (*Store, error) {
	if path == "" {
		return nil, errors.New("open read store: path is empty")
	}
	if logger == nil {
		return nil, errors.New("open read store: logger is nil")
	}
	// A URI keeps the path literal whatever characters it holds.
	base := (&url.URL{Scheme: "file", OmitHost: true, Path: path}).String()
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=temp_store(memory)"
	write, err := sql.Open("sqlite", base+pragmas+"&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open read store %s: %w", path, err)
	}
	// One writer connection: SQLite admits one writer at a time anyway, and the caches below
	// assume it.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	s := &Store{logger: logger, write: write}
	if err := s.migrate(context.Background(), path); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", base+pragmas+"&_pragma=cache_size(-16384)&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open read store %s for reading: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(4)
	s.read = read
	if s.stmts, err = prepare(s.write); err != nil {
		s.Close()
		return nil, fmt.Errorf("open read store %s: %w", path, err)
	}
	if err := s.loadCaches(context.Background()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open read store %s: %w", path, err)
	}
	return s, nil
}

// migrate creates the tables, or drops and recreates them when the file holds another layout.
func (s *Store) migrate(ctx context.Context, path string) error {
	var version int
	if err := s.write.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("open read store %s: read schema version: %w", path, err)
	}
	if version == schemaVersion {
		return nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("open read store %s: begin schema change: %w", path, err)
	}
	defer tx.Rollback()
	if version != 0 {
		s.logger.Warn("read store layout changed: dropping every view, projections rebuild them from the event log",
			"path", path, "found", version, "want", schemaVersion)
		rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
		if err != nil {
			return fmt.Errorf("open read store %s: list tables: %w", path, err)
		}
		var tables []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return fmt.Errorf("open read store %s: list tables: %w", path, err)
			}
			tables = append(tables, name)
		}
		rows.Close()
		for _, t := range tables {
			if _, err := tx.ExecContext(ctx, `DROP TABLE "`+t+`"`); err != nil {
				return fmt.Errorf("open read store %s: drop %s: %w", path, t, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("open read store %s: drop the old layout: %w", path, err)
	}
	s.setPageSize(ctx, path)
	tx, err = s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("open read store %s: begin schema change: %w", path, err)
	}
	defer tx.Rollback()
	for _, ddl := range schema {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("open read store %s: create schema: %w", path, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return fmt.Errorf("open read store %s: set schema version: %w", path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("open read store %s: commit schema: %w", path, err)
	}
	return nil
}

// setPageSize gives an empty file pages of pageSize bytes. SQLite fixes the page size when it
// writes the file's first page, and a WAL file keeps it, so the file leaves WAL for a VACUUM (of
// an empty file: instant). A failure only costs speed: it is logged, not returned.
func (s *Store) setPageSize(ctx context.Context, path string) {
	var size int
	if err := s.write.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil || size == pageSize {
		return
	}
	for _, q := range []string{
		`PRAGMA journal_mode = DELETE`,
		fmt.Sprintf(`PRAGMA page_size = %d`, pageSize),
		`VACUUM`,
		`PRAGMA journal_mode = WAL`,
	} {
		if _, err := s.write.ExecContext(ctx, q); err != nil {
			s.logger.Warn("read store: could not change the page size", "path", path, "step", q, "err", err)
			if _, err := s.write.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
				s.logger.Error("read store: could not return to WAL mode", "path", path, "err", err)
			}
			return
		}
	}
}

// loadCaches fills the sensor and quality caches from their tables; called at open and after a
// failed commit, whose cache changes may not match what was rolled back.
func (s *Store) loadCaches(ctx context.Context) error {
	sensors := map[string]sensorRow{}
	err := scanAll(ctx, s.write, `SELECT id, name, dam, proj FROM sensors`, func(rows *sql.Rows) error {
		var name string
		var r sensorRow
		if err := rows.Scan(&r.id, &name, &r.dam, &r.proj); err != nil {
			return err
		}
		sensors[name] = r
		return nil
	})
	if err != nil {
		return fmt.Errorf("load sensors: %w", err)
	}
	qualities, err := loadQualities(ctx, s.write)
	if err != nil {
		return err
	}
	s.sensors, s.qualities, s.tails = sensors, qualities, map[int64]tail{}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func scanAll(ctx context.Context, db querier, query string, row func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query)
	return forEachRow(rows, err, row)
}

// loadQualities maps quality names to their numbers.
func loadQualities(ctx context.Context, db querier) (map[string]int64, error) {
	m := map[string]int64{}
	err := scanAll(ctx, db, `SELECT id, name FROM qualities`, func(rows *sql.Rows) error {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		m[name] = id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load qualities: %w", err)
	}
	return m, nil
}

// rebuildCheckpointPages is how many WAL pages trigger a checkpoint during a rebuild, instead of
// SQLite's 1000: a rebuild rewrites the same pages over and over (the end of each series), and a
// checkpoint copies each to the database file and syncs it.
const rebuildCheckpointPages = 16384

var _ readstore.Rebuilder = (*Store)(nil)

// BeginRebuild checkpoints the WAL less often until EndRebuild. Durability stays as it is
// (synchronous=NORMAL): a rebuild is mostly CPU-bound here, and synchronous=OFF would let a power
// cut corrupt the file rather than only lose the last commits (docs/performance.md).
func (s *Store) BeginRebuild(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, rebuildCheckpointPages)); err != nil {
		return fmt.Errorf("begin rebuild: %w", err)
	}
	return nil
}

// EndRebuild restores the usual checkpointing and checkpoints the WAL whole, truncating it.
func (s *Store) EndRebuild(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, q := range []string{`PRAGMA wal_autocheckpoint = 1000`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := s.write.ExecContext(ctx, q); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", q, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("end rebuild: %w", err)
	}
	return nil
}

// Close releases the database. Queries after Close fail.
func (s *Store) Close() error {
	var errs []error
	if s.stmts != nil {
		errs = append(errs, s.stmts.close())
	}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close read store: %w", err)
	}
	return nil
}

// Checkpoint is the last position the projection committed, 0 if none.
func (s *Store) Checkpoint(ctx context.Context, projection string) (uint64, error) {
	var pos int64
	err := s.read.QueryRowContext(ctx, `SELECT position FROM projections WHERE name = ?`, projection).Scan(&pos)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read checkpoint of %s: %w", projection, err)
	}
	return uint64(pos), nil
}

// Reset drops the projection's series, states, timeline entries and checkpoint.
func (s *Store) Reset(ctx context.Context, projection string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.reset(ctx, projection)
	// Whatever happened, the cache must again mirror the table.
	if lerr := s.loadCaches(ctx); lerr != nil && err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("reset %s: %w", projection, err)
	}
	return nil
}

func (s *Store) reset(ctx context.Context, projection string) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var proj int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM projections WHERE name = ?`, projection).Scan(&proj)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // never committed: nothing to drop, and no table scan for it
	}
	if err != nil {
		return fmt.Errorf("find projection: %w", err)
	}
	// A table holding only this projection's rows is emptied with an unqualified DELETE, which
	// SQLite carries out by freeing its pages instead of deleting row by row: a rebuild's reset then
	// costs next to nothing whatever the size of the views.
	seriesAlone, err := onlyOwner(ctx, tx, `SELECT min(proj), max(proj) FROM sensors`, proj)
	if err != nil {
		return err
	}
	timelineAlone, err := onlyOwner(ctx, tx, `SELECT min(proj), max(proj) FROM timeline`, proj)
	if err != nil {
		return err
	}
	owned := ` WHERE sid IN (SELECT id FROM sensors WHERE proj = ?)`
	var qs []string
	for _, table := range append([]string{"chunks"}, rollupTables()...) {
		if seriesAlone {
			qs = append(qs, `DELETE FROM `+table)
		} else {
			qs = append(qs, `DELETE FROM `+table+owned)
		}
	}
	if timelineAlone {
		qs = append(qs, `DELETE FROM timeline`)
	} else {
		qs = append(qs, `DELETE FROM timeline WHERE proj = ?`)
	}
	qs = append(qs, `DELETE FROM sensors WHERE proj = ?`, `DELETE FROM states WHERE proj = ?`, `DELETE FROM projections WHERE id = ?`)
	for _, q := range qs {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, proj)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	if err := resetAlarms(ctx, tx, proj); err != nil { // alarms.go
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// onlyOwner tells whether a table's rows all belong to projection proj (or there are none), from
// a query of the least and greatest owner.
func onlyOwner(ctx context.Context, tx *sql.Tx, query string, proj int64) (bool, error) {
	var lo, hi sql.NullInt64
	if err := tx.QueryRowContext(ctx, query).Scan(&lo, &hi); err != nil {
		return false, fmt.Errorf("%s: %w", query, err)
	}
	return !lo.Valid || (lo.Int64 == proj && hi.Int64 == proj), nil
}

func rollupTables() []string {
	out := make([]string, 0, len(rollups))
	for _, r := range rollups {
		out = append(out, r.table)
	}
	return out
}
