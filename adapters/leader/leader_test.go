package leader_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/leader"
)

func dsn() string {
	if v := os.Getenv("VIGIE_TEST_POSTGRES"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Two nodes want the same lock: one works at a time, and the standby takes over when the holder
// stops (as when its process dies: the server ends the session and its locks).
func TestPostgresLockRunsOneNodeAtATime(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	name := fmt.Sprintf("test-%d", time.Now().UnixNano())
	var running, maxRunning, turns atomic.Int32
	work := func(who string, started chan<- string) func(context.Context) error {
		return func(ctx context.Context) error {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				m := maxRunning.Load()
				if n <= m || maxRunning.CompareAndSwap(m, n) {
					break
				}
			}
			turns.Add(1)
			started <- who
			<-ctx.Done()
			return nil
		}
	}
	started := make(chan string, 4)
	var nodes [2]context.CancelFunc
	var wg sync.WaitGroup
	for i, who := range []string{"a", "b"} {
		l, err := leader.NewPostgres(dsn(), 50*time.Millisecond, logger)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		nodes[i] = cancel
		wg.Go(func() { l.Hold(ctx, name, work(who, started)) })
	}
	defer func() {
		for _, c := range nodes {
			c()
		}
		wg.Wait()
	}()
	first := <-started
	select {
	case who := <-started:
		t.Fatalf("%s started while %s holds the lock", who, first)
	case <-time.After(500 * time.Millisecond):
	}
	if first == "a" {
		nodes[0]()
	} else {
		nodes[1]()
	}
	select {
	case who := <-started:
		if who == first {
			t.Fatalf("%s took the lock again after stopping", who)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the standby did not take over within 10 s")
	}
	if maxRunning.Load() != 1 {
		t.Fatalf("%d nodes worked at once", maxRunning.Load())
	}
}

func TestNewPostgresRefuses(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := leader.NewPostgres("postgres://a b", 0, logger); err == nil {
		t.Error("a DSN that does not parse was accepted")
	}
	if _, err := leader.NewPostgres(dsn(), -time.Second, logger); err == nil {
		t.Error("a negative poll was accepted")
	}
	if _, err := leader.NewPostgres(dsn(), 0, nil); err == nil {
		t.Error("a nil logger was accepted")
	}
}
