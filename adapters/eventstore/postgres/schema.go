package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// format is kept in the head row: a schema written with another layout is refused, never misread
// (unlike views, the log cannot be rebuilt from anything else).
const format = "vigie-events/1"

// tables names the store's tables inside its schema, quoted once.
type tables struct {
	schema, events, head string
	// channel is the LISTEN/NOTIFY channel appends notify: one per schema.
	channel string
}

func newTables(schema string) tables {
	return tables{
		schema:  pgx.Identifier{schema}.Sanitize(),
		events:  pgx.Identifier{schema, "events"}.Sanitize(),
		head:    pgx.Identifier{schema, "head"}.Sanitize(),
		channel: schema + ".events",
	}
}

// ddl creates the layout if it is missing.
//
//   - events is the log. position is the global position, assigned by the appender that holds the
//     head row's lock, so positions are gapless and in commit order (see the package comment).
//     data holds the event's JSON exactly as given (bytea: jsonb would reorder keys and drop
//     duplicates, and a hash chain over the log needs the exact bytes). metadata is jsonb so that
//     operators can query it. recorded_ns holds the nanoseconds of the recorded time past
//     recorded_at's microsecond, so that a log moved from the embedded store (see Import) keeps
//     its times, and its hash chain, exactly.
//   - head is one row: the last position given out, and the layout's format. Its row lock is the
//     log's only serialisation point.
func (t tables) ddl() []string {
	return []string{
		`CREATE SCHEMA IF NOT EXISTS ` + t.schema,
		`CREATE TABLE IF NOT EXISTS ` + t.events + ` (
			position       bigint      PRIMARY KEY,
			stream         text        NOT NULL,
			revision       bigint      NOT NULL,
			type           text        NOT NULL,
			schema_version integer     NOT NULL,
			data           bytea       NOT NULL,
			metadata       jsonb       NOT NULL,
			recorded_at    timestamptz NOT NULL,
			recorded_ns    smallint    NOT NULL DEFAULT 0 CHECK (recorded_ns BETWEEN 0 AND 999),
			CONSTRAINT events_stream_revision UNIQUE (stream, revision),
			CONSTRAINT events_position_positive CHECK (position > 0),
			CONSTRAINT events_revision_not_negative CHECK (revision >= 0)
		)`,
		`CREATE TABLE IF NOT EXISTS ` + t.head + ` (
			id       boolean PRIMARY KEY DEFAULT true CHECK (id),
			position bigint  NOT NULL CHECK (position >= 0),
			format   text    NOT NULL
		)`,
		`INSERT INTO ` + t.head + ` (id, position, format) VALUES (true, 0, '` + format + `') ON CONFLICT (id) DO NOTHING`,
	}
}

// migrate creates the schema and tables if missing and checks the layout. Two processes opening
// the same schema at once are serialised by an advisory lock: CREATE ... IF NOT EXISTS alone
// races on the catalog.
func migrate(ctx context.Context, pool *pgxpool.Pool, t tables) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "vigie-schema:"+t.schema); err != nil {
		return fmt.Errorf("lock the schema: %w", err)
	}
	for _, q := range t.ddl() {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("create the layout: %w", err)
		}
	}
	var got string
	var head int64
	if err := tx.QueryRow(ctx, `SELECT format, position FROM `+t.head).Scan(&got, &head); err != nil {
		return fmt.Errorf("read the layout's format: %w", err)
	}
	if got != format {
		return fmt.Errorf("schema holds layout %q, want %q", got, format)
	}
	// The head row and the log must agree: a head behind the log would hand out positions twice.
	var last int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(position), 0) FROM `+t.events).Scan(&last); err != nil {
		return fmt.Errorf("read the last position: %w", err)
	}
	if last != head {
		return errors.Join(errCorrupt, fmt.Errorf("head row says %d, the last event is at %d", head, last))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit the layout: %w", err)
	}
	return nil
}

var errCorrupt = errors.New("event store corrupt")
