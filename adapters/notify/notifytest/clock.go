package notifytest

import (
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
)

// Clock is a fake notify.Clock: time moves only when the test calls Advance, and WaitForWaiters
// tells the test when the code under test is waiting on it (so no test sleeps to wait).
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	changed chan struct{} // closed and replaced whenever a waiter is added
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

var _ notify.Clock = (*Clock)(nil)

// NewClock returns a clock showing start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, changed: make(chan struct{})}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After fires once the clock has been advanced by d (at once if d ≤ 0).
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), ch: ch})
	close(c.changed)
	c.changed = make(chan struct{})
	return ch
}

// Advance moves the clock by d and fires the waiters that fall due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
			continue
		}
		kept = append(kept, w)
	}
	c.waiters = kept
}

// Waiters counts the pending After calls.
func (c *Clock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// Pending returns the number of pending After calls and a channel closed when another is added.
func (c *Clock) Pending() (n int, added <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters), c.changed
}

// NextWait is how far the earliest pending waiter is from now; ok is false when none is pending.
func (c *Clock) NextWait() (d time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, w := range c.waiters {
		if wd := w.at.Sub(c.now); i == 0 || wd < d {
			d = wd
		}
	}
	return d, len(c.waiters) > 0
}

// WaitForWaiters blocks until at least n After calls are pending, and fails the test if that has
// not happened within 10 s of real time (the code under test is stuck elsewhere).
func (c *Clock) WaitForWaiters(tb testing.TB, n int) {
	tb.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		c.mu.Lock()
		got, changed := len(c.waiters), c.changed
		c.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-timeout.C:
			tb.Fatalf("fake clock: %d waiters after 10 s, want %d", got, n)
		}
	}
}
