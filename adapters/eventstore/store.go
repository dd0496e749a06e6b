// Package eventstore is the port every event store adapter implements: append to a stream with an
// expected revision, read a stream, and read or follow the global log. It knows nothing of the
// domain: events arrive already encoded (see Codec).
package eventstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrConflict is returned by Append when the stream's current revision is not the expected one.
// Callers reload the stream and decide again.
var ErrConflict = errors.New("wrong expected revision")

// ErrClosed is returned by every method once Close was called.
var ErrClosed = errors.New("event store closed")

// Revision is the expected revision of a stream at append time.
//
// Revisions count events in a stream from 0: a stream holding 3 events is at revision 2.
type Revision int64

const (
	// Any skips the concurrency check.
	Any Revision = -2
	// NoStream expects the stream not to exist yet.
	NoStream Revision = -1
)

// At expects the stream's last event to be at revision r.
func At(r uint64) Revision { return Revision(r) }

func (r Revision) String() string {
	switch r {
	case Any:
		return "any"
	case NoStream:
		return "no-stream"
	}
	return fmt.Sprintf("%d", int64(r))
}

// Metadata travels with every event; it never reaches an aggregate.
type Metadata struct {
	CorrelationID string `json:"correlation_id,omitempty"`
	CausationID   string `json:"causation_id,omitempty"`
	// Actor is who caused the event: "apikey:gw-nord", "user:durand", "system:cascade".
	Actor string `json:"actor,omitempty"`
}

// Event is one encoded event to append.
type Event struct {
	Type   string
	Schema int
	Data   json.RawMessage
	Meta   Metadata
	// JSONChecked says Data is known to be valid JSON: Codec.Encode sets it (its output comes from
	// encoding/json or from a MarshalJSON proven byte-identical to it). Stores check Data
	// themselves otherwise; checking again what the codec just wrote cost a third of the
	// ingestion path's instructions.
	JSONChecked bool
}

// Record is a stored event as read back. RecordedAt is when the store committed it, to the
// microsecond: an adapter stamps no finer (PostgreSQL keeps no more), so a log keeps its times,
// and its hash chain, when it moves between adapters; an imported record keeps the time it carries.
type Record struct {
	// Position is the event's place in the global log, from 1, without gaps in the embedded store.
	Position uint64 `json:"position"`
	Stream   string `json:"stream"`
	// Revision is the event's place in its stream, from 0.
	Revision   uint64          `json:"revision"`
	Type       string          `json:"type"`
	Schema     int             `json:"schema"`
	Data       json.RawMessage `json:"data"`
	Meta       Metadata        `json:"metadata"`
	RecordedAt time.Time       `json:"recorded_at"`
}

// AppendResult tells where an append landed.
type AppendResult struct {
	// FirstPosition and LastPosition are the global positions of the first and last appended events.
	FirstPosition, LastPosition uint64
	// Revision is the stream's revision after the append (that of its last event).
	Revision uint64
}

// Store is the event store port.
//
// Append is durable when it returns nil: an adapter acknowledges only what survives a crash (the
// embedded adapter fsyncs, group-committing concurrent appends). Appends to one stream are atomic:
// all events or none.
type Store interface {
	// Append adds events to stream if the stream is at the expected revision, else ErrConflict.
	Append(ctx context.Context, stream string, expected Revision, events ...Event) (AppendResult, error)
	// ReadStream returns up to limit events of stream from revision from (inclusive), in order.
	// A stream that does not exist reads as empty.
	ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]Record, error)
	// ReadAll returns up to limit events of the global log with a position greater than after.
	ReadAll(ctx context.Context, after uint64, limit int) ([]Record, error)
	// Subscribe calls fn with every event after position after, in global order, in batches: first
	// what is stored (catch-up), then new events as they are committed (live). It returns when ctx
	// ends (ctx.Err()) or fn fails (fn's error). fn is never called concurrently.
	Subscribe(ctx context.Context, after uint64, fn func(batch []Record) error) error
	// Head is the position of the last committed event, 0 for an empty store.
	Head(ctx context.Context) (uint64, error)
	Close() error
}

// StreamAppend is one part of an AppendMulti call: events for one stream, at an expected revision.
type StreamAppend struct {
	Stream   string
	Expected Revision
	Events   []Event
}

// MultiAppender is the optional capability of a store that commits appends to several streams as
// one: a decision that touches several streams (an alarm board and its alarms) is then recorded
// whole or not at all, and waits for one durable commit instead of one per stream. Call it through
// AppendInOrder, which falls back to one Append per part on a store that cannot.
type MultiAppender interface {
	// AppendMulti appends every part, all or nothing, and is durable when it returns nil, as
	// Append is.
	//
	// Every part's expected revision is checked against the stream as the earlier parts of the
	// same call leave it: two parts on one stream are allowed and chain (the second expects the
	// revision the first ends at). If any check fails, nothing is written and the error wraps
	// ErrConflict and names the stream. An invalid call (no parts, a part with an empty stream or
	// no events, an invalid event) is an error other than ErrConflict and writes nothing.
	//
	// The events take consecutive positions in the order of the parts, no other event between
	// them, and it returns one result per part, in the same order. If ctx ends while the call is
	// queued or being written, the error is ctx's and the outcome is unknown, as for Append.
	//
	// A store that wraps another may implement it and yet be unable to honour it, because the
	// store it wraps cannot: it then writes nothing and returns an error wrapping
	// errors.ErrUnsupported, on which AppendInOrder falls back.
	AppendMulti(ctx context.Context, appends ...StreamAppend) ([]AppendResult, error)
}

// ImportFailed is an importer's error (jsonl.Importer) naming the batch it was given: how many
// events, at which positions.
func ImportFailed(records []Record, err error) error {
	if len(records) == 0 {
		return fmt.Errorf("import: %w", err)
	}
	return fmt.Errorf("import %d events at positions %d..%d: %w", len(records), records[0].Position, records[len(records)-1].Position, err)
}

// StreamName joins a category and an id: "sensor-mejean.level".
func StreamName(category, id string) string { return category + "-" + id }
