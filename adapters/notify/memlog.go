package notify

import (
	"context"
	"sync"
)

// MemoryLog is a Log and a Recorder in memory, for tests and demos. A deployment's notification log
// is the cascade stream, which survives restarts; this one does not.
type MemoryLog struct {
	mu       sync.Mutex
	sent     map[string]bool
	outcomes []Outcome
}

var (
	_ Log      = (*MemoryLog)(nil)
	_ Recorder = (*MemoryLog)(nil)
)

// NewMemoryLog returns an empty log.
func NewMemoryLog() *MemoryLog { return &MemoryLog{sent: map[string]bool{}} }

// Sent reports whether an outcome with status sent was recorded for id.
func (l *MemoryLog) Sent(ctx context.Context, id string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent[id], nil
}

// Record appends o.
func (l *MemoryLog) Record(ctx context.Context, o Outcome) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.outcomes = append(l.outcomes, o)
	if o.Status == StatusSent {
		l.sent[o.MessageID] = true
	}
	return nil
}

// Outcomes returns a copy of what was recorded, in order.
func (l *MemoryLog) Outcomes() []Outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Outcome(nil), l.outcomes...)
}
