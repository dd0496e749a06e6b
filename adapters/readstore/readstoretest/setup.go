package readstoretest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"testing"
	"time"
)

// What the adapters' tests need to set a store up on a real server, whatever the engine.

// Discard is a logger that writes nothing, for stores under test.
func Discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TempName returns the name of a database or schema (kind, for messages) of the test's own,
// "vigie_test_" and 12 random hex digits, and calls drop with it when the test ends, reporting a
// failure to drop as an error of the test.
func TempName(tb testing.TB, kind string, drop func(ctx context.Context, name string) error) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "vigie_test_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := drop(ctx, name); err != nil {
			tb.Errorf("drop %s %s: %v", kind, name, err)
		}
	})
	return name
}

// CloseAtEnd closes c when the test ends, reporting a failure to close as an error of the test.
func CloseAtEnd(tb testing.TB, c io.Closer) {
	tb.Cleanup(func() {
		if err := c.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
}
