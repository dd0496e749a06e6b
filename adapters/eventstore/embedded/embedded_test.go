package embedded_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/eventstore/eventstoretest"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func openStore(t testing.TB, dir string, opts embedded.Options) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(dir, opts, testLogger(t))
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil && !errors.Is(err, eventstore.ErrClosed) {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts embedded.Options
	}{
		{"Defaults", embedded.Options{}},
		// Tiny bounds make every group split and every subscription page, so the carry-over
		// between groups and the catch-up loop are exercised too.
		{"TinyBatches", embedded.Options{MaxBatch: 2, MaxBatchBytes: 512, ReadBatch: 3, QueueLength: 1}},
		// A scratch store (a replay's) skips the fsync; a clean close still keeps everything.
		{"Scratch", embedded.Options{Scratch: true}},
		// A tail of three records is trimmed at nearly every commit: subscribers read from it,
		// from Pebble, and across the two.
		{"TinyTail", embedded.Options{TailRecords: 3, TailBytes: 64}},
		{"NoTail", embedded.Options{TailRecords: -1, TailBytes: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			eventstoretest.Run(t, eventstoretest.Features{Durable: true, GaplessPositions: true}, func(t *testing.T) eventstoretest.Opener {
				dir := t.TempDir()
				logger := testLogger(t)
				return func() (eventstore.Store, error) { return embedded.Open(dir, tt.opts, logger) }
			})
		})
	}
}

func TestOpenValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		dir    string
		opts   embedded.Options
		logger *slog.Logger
	}{
		{"EmptyDir", "", embedded.Options{}, slog.New(slog.DiscardHandler)},
		{"NilLogger", t.TempDir(), embedded.Options{}, nil},
		{"NegativeMaxBatch", t.TempDir(), embedded.Options{MaxBatch: -1}, slog.New(slog.DiscardHandler)},
		{"NegativeMaxBatchBytes", t.TempDir(), embedded.Options{MaxBatchBytes: -1}, slog.New(slog.DiscardHandler)},
		{"NegativeReadBatch", t.TempDir(), embedded.Options{ReadBatch: -1}, slog.New(slog.DiscardHandler)},
		{"NegativeQueueLength", t.TempDir(), embedded.Options{QueueLength: -1}, slog.New(slog.DiscardHandler)},
		{"TailRecordsBelowMinusOne", t.TempDir(), embedded.Options{TailRecords: -2}, slog.New(slog.DiscardHandler)},
		{"TailBytesBelowMinusOne", t.TempDir(), embedded.Options{TailBytes: -2}, slog.New(slog.DiscardHandler)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := embedded.Open(tt.dir, tt.opts, tt.logger)
			if err == nil {
				_ = s.Close()
				t.Fatal("Open: got nil error")
			}
		})
	}
}

func TestOptionsValidateReportsEveryMistake(t *testing.T) {
	t.Parallel()
	err := embedded.Options{MaxBatch: -1, ReadBatch: -2}.Validate()
	if err == nil {
		t.Fatal("got nil error")
	}
	for _, want := range []string{"MaxBatch -1", "ReadBatch -2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestSecondOpenOfTheSameDirectoryFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	openStore(t, dir, embedded.Options{})
	if s, err := embedded.Open(dir, embedded.Options{}, testLogger(t)); err == nil {
		_ = s.Close()
		t.Fatal("second Open of an open directory: got nil error")
	}
}

func TestRecordedAtComesFromTheClockToTheMicrosecond(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CEST", 2*3600)
	times := []time.Time{
		time.Date(2026, 6, 1, 12, 30, 45, 123456789, paris),
		// Outside what UnixNano can hold: must still round-trip.
		time.Date(2300, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1600, 1, 1, 0, 0, 0, 999999999, time.UTC),
	}
	var mu sync.Mutex
	next := 0
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at := times[next%len(times)]
		next++
		return at
	}
	s := openStore(t, t.TempDir(), embedded.Options{Now: now})
	ctx := context.Background()
	for i := range times {
		if _, err := s.Append(ctx, "clock", eventstore.Any, eventstore.Event{Type: "t", Data: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))}); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	recs, err := s.ReadStream(ctx, "clock", 0, 10)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	for i, r := range recs {
		// Kept to the microsecond, the port's precision, as PostgreSQL does.
		if want := times[i].Truncate(time.Microsecond); !r.RecordedAt.Equal(want) {
			t.Errorf("event %d: RecordedAt %v, want %v", i, r.RecordedAt, want)
		}
	}
}

func TestAppendRefusesInvalidJSON(t *testing.T) {
	t.Parallel()
	s := openStore(t, t.TempDir(), embedded.Options{})
	_, err := s.Append(context.Background(), "bad", eventstore.NoStream, eventstore.Event{Type: "t", Data: json.RawMessage(`{"truncated":`)})
	if err == nil {
		t.Fatal("append of invalid JSON: got nil error")
	}
	if h, _ := s.Head(context.Background()); h != 0 {
		t.Fatalf("head %d after a refused append, want 0", h)
	}
}

// TestEmptyDataRoundTrips: no data is allowed (an event whose type says it all) and reads back as
// empty, not as invalid JSON.
func TestEmptyDataRoundTrips(t *testing.T) {
	t.Parallel()
	s := openStore(t, t.TempDir(), embedded.Options{})
	ctx := context.Background()
	if _, err := s.Append(ctx, "empty", eventstore.NoStream, eventstore.Event{Type: "t"}); err != nil {
		t.Fatalf("append: %v", err)
	}
	recs, err := s.ReadAll(ctx, 0, 10)
	if err != nil || len(recs) != 1 || len(recs[0].Data) != 0 {
		t.Fatalf("read: %v, %+v; want one record without data", err, recs)
	}
}

// TestCloseCommitsWhatWasHandedOver: appends racing with Close either land or get ErrClosed, and
// a subscription in catch-up ends with ErrClosed.
func TestCloseCommitsWhatWasHandedOver(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := embedded.Open(dir, embedded.Options{}, testLogger(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	var wg sync.WaitGroup
	results := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			_, err := s.Append(context.Background(), fmt.Sprintf("c%d", i), eventstore.NoStream, eventstore.Event{Type: "t"})
			results <- err
		})
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	wg.Wait()
	close(results)
	landed := 0
	for err := range results {
		switch {
		case err == nil:
			landed++
		case !errors.Is(err, eventstore.ErrClosed):
			t.Errorf("append racing Close: got %v, want nil or ErrClosed", err)
		}
	}
	s = openStore(t, dir, embedded.Options{})
	if h, _ := s.Head(context.Background()); h != uint64(landed) {
		t.Fatalf("head %d after reopening, %d appends were acknowledged", h, landed)
	}
}
