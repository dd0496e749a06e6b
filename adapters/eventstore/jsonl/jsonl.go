// Package jsonl moves an event log out of a store and into another, of any adapter, as JSON
// Lines: one event per line, in position order, readable by anyone with a text editor or jq.
//
//	{"position":12,"stream":"sensor-mejean.level","revision":3,"type":"sensor.readings_recorded",
//	 "schema":1,"data":{...},"metadata":{"correlation_id":"req-9","actor":"apikey:gw-nord"},
//	 "recorded_at":"2026-11-04T03:00:00.5Z","hash":"9f86d0…"}
//
// (one line in the file). The fields are those of eventstore.Record, plus:
//   - data is the event's bytes exactly as stored. Bytes that cannot stand verbatim in a line
//     (not JSON, a line break, leading or trailing blanks) are written as "data_base64" instead;
//     an event without data has neither.
//   - hash is the hash chain's value after the event (docs/audit.md): each line commits to every
//     line before it, so Import finds a line altered, removed or moved in the file, and the
//     imported store verifies against its seals like the original.
//
// Import is strict: unknown or repeated fields, a number where a string belongs, a revision out
// of sequence, a wrong hash — every problem stops it with the line's number.
package jsonl

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Importer is what a store must offer to be imported into: writing records as they are,
// positions, revisions and recorded times included, which the port's Append cannot do (it gives
// positions and stamps the time itself). The embedded adapter implements it.
//
// Import is called with consecutive batches of the log, in order; each batch is written whole or
// not at all.
type Importer interface {
	Import(ctx context.Context, records []eventstore.Record) error
}

// ErrNotImporter is returned by Import for a store that does not implement Importer.
var ErrNotImporter = errors.New("the store cannot import records as they are (it does not implement jsonl.Importer)")

// ErrNotEmpty is returned by Import for a store that already holds events.
var ErrNotEmpty = errors.New("the store is not empty")

// LineError is a problem with one line of the input.
type LineError struct {
	Line int // from 1
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// MaxLineBytes bounds one line (one event): an input that never ends a line cannot make Import
// hold it all in memory.
const MaxLineBytes = 64 << 20
