// Package leader runs a piece of work on one process at a time among several: the projector and
// the notifier of a deployment with several `vigie serve` nodes on shared engines
// (docs/deploy.md, "Roles"). A standby waits for the lock and takes over when the holder dies.
//
// The lock is PostgreSQL's session advisory lock: held by a connection, released by the server
// the moment that connection ends (a process killed with -9 drops its TCP connection), with no
// lease to tune and no clock to trust. Work that loses its lock is cancelled before another node
// can start it only as far as the network lets the holder notice: the work under the lock must
// therefore be safe to run twice for a moment — Vigie's process managers are (idempotent
// decisions, optimistic concurrency on every append).
package leader

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Lock runs work while this process holds the named lock.
type Lock interface {
	// Hold waits for the lock, runs work with a context cancelled when the lock is lost, then
	// waits for the lock again, until ctx ends (it then returns nil). work returning an error ends
	// its turn: the lock is released and taken again.
	Hold(ctx context.Context, name string, work func(context.Context) error) error
}

// Local is the lock of a single process (the embedded stores, which one process owns): work
// runs at once and for as long as ctx lasts.
type Local struct{}

// Hold runs work until ctx ends, again after a failure (after a second).
func (Local) Hold(ctx context.Context, name string, work func(context.Context) error) error {
	for ctx.Err() == nil {
		if err := work(ctx); err != nil && ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	return nil
}

// Postgres holds locks as PostgreSQL session advisory locks, one connection per held lock.
type Postgres struct {
	dsn    string
	poll   time.Duration
	logger *slog.Logger
}

// NewPostgres checks dsn (without connecting) and returns the lock. poll is how often a standby
// tries the lock and the holder checks its connection; default 500 ms.
func NewPostgres(dsn string, poll time.Duration, logger *slog.Logger) (*Postgres, error) {
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return nil, errors.New("leader lock: the PostgreSQL address does not parse")
	}
	if poll < 0 {
		return nil, fmt.Errorf("leader lock: poll %s is negative", poll)
	}
	if logger == nil {
		return nil, errors.New("leader lock: nil logger")
	}
	if poll == 0 {
		poll = 500 * time.Millisecond
	}
	return &Postgres{dsn: dsn, poll: poll, logger: logger}, nil
}

// key is the advisory lock's number for a name.
func key(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("vigie/leader/" + name))
	return int64(h.Sum64())
}

// Hold implements Lock.
func (p *Postgres) Hold(ctx context.Context, name string, work func(context.Context) error) error {
	log := p.logger.With("lock", name)
	for ctx.Err() == nil {
		conn, err := p.acquire(ctx, name)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("leader lock: cannot reach PostgreSQL; trying again", "err", err)
				sleep(ctx, p.poll)
			}
			continue
		}
		log.Info("leader lock: acquired, starting the work")
		err = p.holding(ctx, conn, work)
		conn.Close(context.Background()) // the server releases the lock with the session
		if ctx.Err() == nil {
			log.Warn("leader lock: turn ended; waiting for the lock again", "err", err)
			sleep(ctx, p.poll)
		}
	}
	return nil
}

// acquire connects and waits until the lock is this session's.
func (p *Postgres) acquire(ctx context.Context, name string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, p.dsn)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	waiting := false
	for {
		var got bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", key(name)).Scan(&got); err != nil {
			conn.Close(context.Background())
			return nil, fmt.Errorf("try the lock: %w", err)
		}
		if got {
			return conn, nil
		}
		if !waiting {
			p.logger.Info("leader lock: held by another node; standing by", "lock", name)
			waiting = true
		}
		if !sleep(ctx, p.poll) {
			conn.Close(context.Background())
			return nil, ctx.Err()
		}
	}
}

// holding runs work while conn answers, and cancels it as soon as the connection fails.
func (p *Postgres) holding(ctx context.Context, conn *pgx.Conn, work func(context.Context) error) error {
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan error, 1)
	go func() { done <- work(wctx) }()
	t := time.NewTicker(p.poll)
	defer t.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-t.C:
			pctx, pcancel := context.WithTimeout(ctx, 2*p.poll+time.Second)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil && ctx.Err() == nil {
				cancel(fmt.Errorf("lock lost: %w", err))
				<-done
				return fmt.Errorf("lost the connection holding the lock: %w", err)
			}
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}
