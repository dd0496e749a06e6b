package kurrent

import (
	"context"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

// SetFloor makes s ignore every event at or before position floor, as if the log began after it:
// each conformance subtest on a shared server then starts from an empty log without scanning what
// earlier runs left. Call it before using s.
func SetFloor(s *Store, floor uint64) { s.floor = floor }

// RawHead is the position of the last event of $all, system events included (0 if none).
func RawHead(ctx context.Context, s *Store) (uint64, error) {
	page, err := s.readAllRaw(ctx, kurrentdb.Backwards, kurrentdb.End{}, 1)
	if err != nil || len(page) == 0 {
		return 0, err
	}
	return position(page[0])
}
