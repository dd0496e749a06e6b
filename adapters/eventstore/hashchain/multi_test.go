package hashchain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/hashchain"
)

func parts(stream string, n int) []eventstore.StreamAppend {
	return []eventstore.StreamAppend{
		{Stream: stream + "-a", Expected: eventstore.NoStream, Events: []eventstore.Event{event(n)}},
		{Stream: stream + "-b", Expected: eventstore.NoStream, Events: []eventstore.Event{event(n + 1), event(n + 2)}},
	}
}

func TestAppendMultiRefusesTheSealStreamAndType(t *testing.T) {
	t.Parallel()
	s := wrap(t, openEmbedded(t, t.TempDir()), hashchain.Options{})
	ctx := context.Background()
	ok := eventstore.StreamAppend{Stream: "sensor-x", Expected: eventstore.Any, Events: []eventstore.Event{event(0)}}
	for name, bad := range map[string]eventstore.StreamAppend{
		"SealStream": {Stream: hashchain.SealStream, Expected: eventstore.Any, Events: []eventstore.Event{event(1)}},
		"SealType":   {Stream: "sensor-y", Expected: eventstore.Any, Events: []eventstore.Event{event(1), {Type: hashchain.SealType}}},
	} {
		if _, err := s.AppendMulti(ctx, ok, bad); !errors.Is(err, hashchain.ErrReserved) {
			t.Errorf("%s: got %v, want ErrReserved", name, err)
		}
		if _, err := eventstore.AppendInOrder(ctx, s, ok, bad); !errors.Is(err, hashchain.ErrReserved) {
			t.Errorf("%s through AppendInOrder: got %v, want ErrReserved", name, err)
		}
	}
	if h, _ := s.Head(ctx); h != 0 {
		t.Fatalf("head %d after refused appends", h)
	}
}

// Over a store that commits several streams at once, the decorator passes the call through: one
// commit, all or nothing.
func TestAppendMultiPassesThrough(t *testing.T) {
	t.Parallel()
	s := wrap(t, openEmbedded(t, t.TempDir()), hashchain.Options{})
	ctx := context.Background()
	res, err := s.AppendMulti(ctx, parts("p", 0)...)
	if err != nil {
		t.Fatalf("append multi: %v", err)
	}
	if len(res) != 2 || res[0].FirstPosition != 1 || res[1].LastPosition != 3 {
		t.Fatalf("results %+v, want positions 1 then 2..3", res)
	}
	// The first part would land, the second conflicts: nothing lands.
	bad := parts("q", 10)
	bad[1].Stream = "p-b"
	if _, err := s.AppendMulti(ctx, bad...); !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if h, _ := s.Head(ctx); h != 3 {
		t.Fatalf("head %d after a refused call, want 3", h)
	}
}

// Over a store that cannot (memStore appends one stream at a time), AppendMulti promises nothing
// it cannot keep: it writes nothing and says ErrUnsupported, and AppendInOrder appends part by
// part through the decorator.
func TestAppendMultiOverAStoreThatCannot(t *testing.T) {
	t.Parallel()
	mem := newMemStore()
	s := wrap(t, mem, hashchain.Options{})
	ctx := context.Background()
	if _, err := s.AppendMulti(ctx, parts("p", 0)...); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
	if h, _ := s.Head(ctx); h != 0 {
		t.Fatalf("head %d after an unsupported call, want 0", h)
	}
	res, err := eventstore.AppendInOrder(ctx, s, parts("p", 0)...)
	if err != nil {
		t.Fatalf("append in order: %v", err)
	}
	if len(res) != 2 || res[0].FirstPosition != 1 || res[1].FirstPosition != 2 || res[1].LastPosition != 3 {
		t.Fatalf("results %+v, want positions 1 then 2..3", res)
	}
	if got := len(mem.records()); got != 3 {
		t.Fatalf("inner store holds %d events, want 3", got)
	}
}

// Events appended by AppendMulti count towards an early seal as Append's do.
func TestAppendMultiKicksTheSealer(t *testing.T) {
	t.Parallel()
	sealed := make(chan hashchain.Sealed, 16)
	s := wrap(t, openEmbedded(t, t.TempDir()), hashchain.Options{
		Interval: time.Hour, MaxSealEvents: 3, // only the kick can seal within the test
		OnSeal: func(x hashchain.Sealed) { sealed <- x },
	})
	if _, err := s.AppendMulti(context.Background(), parts("k", 0)...); err != nil {
		t.Fatalf("append multi: %v", err)
	}
	select {
	case x := <-sealed:
		if x.To != 3 {
			t.Fatalf("seal up to position %d, want 3", x.To)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no seal after MaxSealEvents events appended by AppendMulti")
	}
}
