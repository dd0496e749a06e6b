package eventstore_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
)

// oneByOne hides the embedded store's AppendMulti, as a store that commits one stream at a time,
// and remembers the streams it was asked to append to.
type oneByOne struct {
	eventstore.Store
	calls []string
}

func (o *oneByOne) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	o.calls = append(o.calls, stream)
	return o.Store.Append(ctx, stream, expected, events...)
}

// unsupported implements MultiAppender but cannot honour it, as the hash chain decorator over
// such a store.
type unsupported struct{ oneByOne }

func (u *unsupported) AppendMulti(context.Context, ...eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	return nil, fmt.Errorf("cannot: %w", errors.ErrUnsupported)
}

func openEmbedded(t *testing.T) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(t.TempDir(), embedded.Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func ev(id string) eventstore.Event {
	return eventstore.Event{Type: "test.happened", Schema: 1, Data: []byte(`{"id":"` + id + `"}`)}
}

func part(stream string, expected eventstore.Revision, ids ...string) eventstore.StreamAppend {
	p := eventstore.StreamAppend{Stream: stream, Expected: expected}
	for _, id := range ids {
		p.Events = append(p.Events, ev(id))
	}
	return p
}

func streamLen(t *testing.T, s eventstore.Store, stream string) int {
	t.Helper()
	recs, err := s.ReadStream(context.Background(), stream, 0, 100)
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	return len(recs)
}

func TestAppendInOrder(t *testing.T) {
	t.Parallel()
	// The call: a board, then two alarms; "alarm-2" exists already, so the third part conflicts.
	call := []eventstore.StreamAppend{
		part("board", eventstore.NoStream, "b1", "b2"),
		part("alarm-1", eventstore.NoStream, "a1"),
		part("alarm-2", eventstore.NoStream, "a2"),
	}
	tests := []struct {
		name string
		wrap func(*embedded.Store) (eventstore.Store, *oneByOne)
		// wantResults and wantCalls are the results returned and the streams appended to when
		// the last part conflicts.
		wantResults int
		wantCalls   []string
	}{
		{"MultiAppender", func(s *embedded.Store) (eventstore.Store, *oneByOne) { return s, nil }, 0, nil},
		{"OneByOne", func(s *embedded.Store) (eventstore.Store, *oneByOne) {
			o := &oneByOne{Store: s}
			return o, o
		}, 2, []string{"board", "alarm-1", "alarm-2"}},
		{"UnsupportedMultiAppender", func(s *embedded.Store) (eventstore.Store, *oneByOne) {
			u := &unsupported{oneByOne{Store: s}}
			return u, &u.oneByOne
		}, 2, []string{"board", "alarm-1", "alarm-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inner := openEmbedded(t)
			s, spy := tt.wrap(inner)
			ctx := context.Background()

			res, err := eventstore.AppendInOrder(ctx, s, part("alarm-2", eventstore.NoStream, "seed"))
			if err != nil || len(res) != 1 || res[0].FirstPosition != 1 {
				t.Fatalf("seed: results %+v, error %v", res, err)
			}

			// A conflict on the last part: all or nothing with AppendMulti, the parts before it
			// and their results otherwise.
			res, err = eventstore.AppendInOrder(ctx, s, call...)
			if !errors.Is(err, eventstore.ErrConflict) {
				t.Fatalf("got %v, want ErrConflict", err)
			}
			if len(res) != tt.wantResults {
				t.Fatalf("%d results with the conflict, want %d: %+v", len(res), tt.wantResults, res)
			}
			wantLens := map[string]int{"board": 0, "alarm-1": 0, "alarm-2": 1}
			if tt.wantResults > 0 {
				wantLens = map[string]int{"board": 2, "alarm-1": 1, "alarm-2": 1}
				if res[0].Revision != 1 || res[1].FirstPosition != res[0].LastPosition+1 {
					t.Fatalf("results %+v, want the board at revision 1 then alarm-1 next", res)
				}
			}
			for stream, want := range wantLens {
				if got := streamLen(t, inner, stream); got != want {
					t.Errorf("%s holds %d events, want %d", stream, got, want)
				}
			}
			if spy != nil && !reflect.DeepEqual(spy.calls[1:], tt.wantCalls) {
				t.Errorf("appended to %v, want %v", spy.calls[1:], tt.wantCalls)
			}

			// A conflict on the first part stops before the others.
			if spy != nil {
				spy.calls = nil
				_, err := eventstore.AppendInOrder(ctx, s, part("alarm-2", eventstore.NoStream, "x"), part("alarm-3", eventstore.NoStream, "y"))
				if !errors.Is(err, eventstore.ErrConflict) {
					t.Fatalf("got %v, want ErrConflict", err)
				}
				if want := []string{"alarm-2"}; !reflect.DeepEqual(spy.calls, want) {
					t.Errorf("appended to %v, want only %v: it must stop at the first error", spy.calls, want)
				}
				if got := streamLen(t, inner, "alarm-3"); got != 0 {
					t.Errorf("alarm-3 holds %d events after a conflict before it", got)
				}
			}
		})
	}
}

func TestAppendInOrderRefusesInvalidCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		parts []eventstore.StreamAppend
	}{
		{"NoParts", nil},
		{"EmptyStream", []eventstore.StreamAppend{part("ok", eventstore.Any, "x"), part("", eventstore.Any, "y")}},
		{"PartWithoutEvents", []eventstore.StreamAppend{part("ok", eventstore.Any, "x"), part("empty", eventstore.Any)}},
	}
	inner := openEmbedded(t)
	for _, s := range []eventstore.Store{inner, &oneByOne{Store: inner}} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%T/%s", s, tt.name), func(t *testing.T) {
				res, err := eventstore.AppendInOrder(context.Background(), s, tt.parts...)
				if err == nil || errors.Is(err, eventstore.ErrConflict) || res != nil {
					t.Fatalf("got %+v, %v; want no results and an error other than ErrConflict", res, err)
				}
			})
		}
	}
	if h, err := inner.Head(context.Background()); err != nil || h != 0 {
		t.Fatalf("head %d (%v) after invalid calls, want 0", h, err)
	}
}
