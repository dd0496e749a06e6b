package kurrent

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

// clients holds the current KurrentDB client and replaces it when it has closed itself.
//
// The client runs discovery (gossip, or the single node) on first use and after a node becomes
// unavailable. When discovery gives up (MaxDiscoverAttempts, 10 by default), the client closes
// itself for good: every later call fails with ErrorCodeConnectionClosed, even once the cluster is
// back. A long-running Vigie node must survive a cluster restart, so the store builds a new client
// from the same configuration instead.
type clients struct {
	config *kurrentdb.Configuration
	logger *slog.Logger

	mu         sync.Mutex
	current    *kurrentdb.Client
	generation uint64 // counts clients built, so that two callers replace a dead one only once
	closed     bool
}

func newClients(config *kurrentdb.Configuration, logger *slog.Logger) (*clients, error) {
	c, err := kurrentdb.NewClient(config)
	if err != nil {
		return nil, fmt.Errorf("kurrentdb client: %w", err)
	}
	return &clients{config: config, logger: logger, current: c, generation: 1}, nil
}

// get returns the current client and its generation.
func (cs *clients) get() (*kurrentdb.Client, uint64, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.current, cs.generation, !cs.closed
}

// replace builds a new client if generation is still the current one: the caller saw that client
// close itself. It reports whether a client (new or already replaced by another caller) is there to
// retry with.
func (cs *clients) replace(generation uint64, cause error) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.closed {
		return false
	}
	if generation != cs.generation {
		return true // someone else already replaced it
	}
	c, err := kurrentdb.NewClient(cs.config)
	if err != nil {
		// NewClient only validates the configuration, which was valid at Open.
		cs.logger.Error("kurrentdb: cannot recreate the client", "err", err)
		return false
	}
	_ = cs.current.Close()
	cs.current = c
	cs.generation++
	cs.logger.Warn("kurrentdb: the client closed itself after discovery gave up; recreated it", "generation", cs.generation, "cause", cause)
	return true
}

func (cs *clients) close() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.closed {
		return
	}
	cs.closed = true
	_ = cs.current.Close()
}

// isConnectionClosed reports whether err says the client has closed itself (discovery gave up).
func isConnectionClosed(err error) bool {
	return hasCode(err, kurrentdb.ErrorCodeConnectionClosed)
}

func hasCode(err error, code kurrentdb.ErrorCode) bool {
	var e *kurrentdb.Error
	return errors.As(err, &e) && e.Code() == code
}

// withClient runs op with the current client. If the client has closed itself, it is replaced and
// op runs once more with the new one: every op is safe to repeat (reads, and appends whose event
// ids are fixed before the first try, which the server deduplicates).
func withClient[T any](s *Store, op func(*kurrentdb.Client) (T, error)) (T, error) {
	var zero T
	for attempt := 0; ; attempt++ {
		c, gen, ok := s.clients.get()
		if !ok {
			return zero, errClosed()
		}
		v, err := op(c)
		if err == nil || !isConnectionClosed(err) || s.isClosed() || attempt > 0 {
			return v, err
		}
		if !s.clients.replace(gen, err) {
			return v, err
		}
	}
}
