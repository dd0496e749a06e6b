package jsonl

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/vigie/vigie/adapters/eventstore"
)

// exportPage is how many events Export reads at once.
const exportPage = 1024

// Export writes the events of store at positions from..to, both included, to w, one line each in
// position order. from 0 means from the start; to 0 means up to the head when Export starts, so
// that a log in use gives a consistent prefix. The hashes chain from the start of the log: the
// events before from are read, not written. Only a complete export (from 0 or 1) can be imported.
func Export(ctx context.Context, store eventstore.Store, w io.Writer, from, to uint64) error {
	if err := export(ctx, store, w, from, to); err != nil {
		return fmt.Errorf("export positions %d..%d: %w", from, to, err)
	}
	return nil
}

func export(ctx context.Context, store eventstore.Store, w io.Writer, from, to uint64) error {
	head, err := store.Head(ctx)
	if err != nil {
		return err
	}
	if to == 0 || to > head {
		to = head
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	c := newChain()
	var line []byte
	for after := uint64(0); after < to; {
		page, err := store.ReadAll(ctx, after, exportPage)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return fmt.Errorf("the store's head is %d but no event follows position %d", head, after)
		}
		for _, r := range page {
			if r.Position <= after {
				return fmt.Errorf("position %d after %d: the store reads out of order", r.Position, after)
			}
			if r.Position > to {
				break
			}
			h := c.add(r)
			after = r.Position
			if r.Position < from {
				continue
			}
			line, err = AppendLine(line[:0], r, h.String())
			if err != nil {
				return err
			}
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
		if page[len(page)-1].Position > to {
			break
		}
	}
	return bw.Flush()
}
