package jsonl

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Report is what Import loaded.
type Report struct {
	// Events is the number of events (lines) imported.
	Events uint64
	// Streams is the number of streams.
	Streams int
	// First and Last are the positions of the first and last events.
	First, Last uint64
	// Hashed tells whether the lines carried hashes, all checked.
	Hashed bool
	// Head is the hash chain after the last event, "position:hash", the form package hashchain
	// prints: the imported store verifies to the same head.
	Head string
}

// Import batches: bounded so that memory stays small, large so that a durable write carries many
// events.
const (
	importBatch      = 1024
	importBatchBytes = 4 << 20
)

// Import loads a log written by Export into store, which must be empty and implement Importer,
// and preserves everything: positions, streams, revisions, order, data bytes, metadata and
// recorded times. Every line is checked before it is written (see ParseLine); positions must
// increase, each stream's revisions run from 0 without gap, and if the first line has a hash,
// every line must have the right one (a file without any hash, such as a hand-written fixture,
// is accepted, and verified by its seals only).
//
// Lines are written in batches as they are read: on error, the store holds the batches written
// before it and is best thrown away.
func Import(ctx context.Context, r io.Reader, store eventstore.Store) (Report, error) {
	imp, ok := store.(Importer)
	if !ok {
		return Report{}, fmt.Errorf("import: %w", ErrNotImporter)
	}
	head, err := store.Head(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("import: %w", err)
	}
	if head != 0 {
		return Report{}, fmt.Errorf("import: head at position %d: %w", head, ErrNotEmpty)
	}
	in := importer{store: imp, streams: map[string]uint64{}, chain: newChain()}
	if err := in.run(ctx, r); err != nil {
		return in.report(), fmt.Errorf("import: %w", err)
	}
	return in.report(), nil
}

type importer struct {
	store   Importer
	streams map[string]uint64 // the next revision of each stream
	chain   *chain
	rep     Report

	batch      []eventstore.Record
	batchBytes int
	batchLine  int // the line of the batch's first record
}

func (in *importer) run(ctx context.Context, r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var buf []byte
	for n := 1; ; n++ {
		line, err := readLine(br, buf[:0])
		buf = line
		if err == io.EOF {
			return in.flush(ctx)
		}
		if err != nil {
			return &LineError{Line: n, Err: err}
		}
		if err := in.line(n, line); err != nil {
			return &LineError{Line: n, Err: err}
		}
		if len(in.batch) >= importBatch || in.batchBytes >= importBatchBytes {
			if err := in.flush(ctx); err != nil {
				return err
			}
		}
	}
}

// line checks one line and adds it to the batch.
func (in *importer) line(n int, b []byte) error {
	if len(b) == 0 {
		return errors.New("empty line")
	}
	if b[len(b)-1] == '\r' {
		return errors.New(`ends with \r: lines end with \n alone`)
	}
	l, err := ParseLine(b)
	if err != nil {
		return err
	}
	r := l.Record
	if n == 1 {
		in.rep.Hashed = l.Hash != ""
	}
	switch {
	case in.rep.Hashed && l.Hash == "":
		return errors.New("no hash, where the lines before have one")
	case !in.rep.Hashed && l.Hash != "":
		return errors.New("a hash, where the lines before have none")
	case in.rep.Events > 0 && r.Position <= in.rep.Last:
		return fmt.Errorf("position %d after %d: lines are not in position order", r.Position, in.rep.Last)
	}
	want, exists := in.streams[r.Stream]
	if r.Revision != want {
		return fmt.Errorf("%s at revision %d, want %d: a line of the stream is missing, repeated or out of order", r.Stream, r.Revision, want)
	}
	h := in.chain.add(r)
	if l.Hash != "" && l.Hash != h.String() {
		if n == 1 {
			return fmt.Errorf("hash %s does not follow from the start of a log (want %s): a partial export cannot be imported, or the line was altered", l.Hash, h)
		}
		return fmt.Errorf("hash %s, the chain gives %s: this line was altered, or one before it removed or moved", l.Hash, h)
	}
	in.streams[r.Stream] = want + 1
	if !exists {
		in.rep.Streams++
	}
	if in.rep.Events == 0 {
		in.rep.First = r.Position
	}
	in.rep.Last = r.Position
	in.rep.Events++
	if len(in.batch) == 0 {
		in.batchLine = n
	}
	in.batch = append(in.batch, r)
	in.batchBytes += len(b)
	return nil
}

func (in *importer) flush(ctx context.Context) error {
	if len(in.batch) == 0 {
		return nil
	}
	if err := in.store.Import(ctx, in.batch); err != nil {
		return fmt.Errorf("lines %d..%d: %w", in.batchLine, in.batchLine+len(in.batch)-1, err)
	}
	clear(in.batch)
	in.batch, in.batchBytes = in.batch[:0], 0
	return nil
}

func (in *importer) report() Report {
	rep := in.rep
	rep.Head = strconv.FormatUint(rep.Last, 10) + ":" + in.chain.head.String()
	return rep
}

var errLineTooLong = fmt.Errorf("longer than %d bytes", MaxLineBytes)

// readLine appends the next line to buf, without its line break. The last line may lack one; at
// the end of the input it returns io.EOF and nothing.
func readLine(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes+1 {
			return buf, errLineTooLong
		}
		buf = append(buf, chunk...)
		switch {
		case err == nil:
			return bytes.TrimSuffix(buf, []byte{'\n'}), nil
		case errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF && len(buf) > 0:
			return buf, nil
		default:
			return buf, err
		}
	}
}
