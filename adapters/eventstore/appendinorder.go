package eventstore

import (
	"context"
	"errors"
	"fmt"
)

// AppendInOrder appends the parts to s in their order and returns one result per part.
//
// When s is a MultiAppender (and can honour it), the parts are one atomic commit: all of them or
// none. Otherwise each part is appended on its own, one after the other, stopping at the first
// error, which it returns with the results of the parts appended before it: a crash or a conflict
// can then leave the first parts written and the rest not, so callers order the parts so that any
// prefix of them is a state they can resume from.
//
// An invalid call (no parts, a part with an empty stream name or no events) is refused before
// anything is written, with an error other than ErrConflict.
func AppendInOrder(ctx context.Context, s Store, appends ...StreamAppend) ([]AppendResult, error) {
	if err := validateParts(appends); err != nil {
		return nil, fmt.Errorf("append in order: %w", err)
	}
	if m, ok := s.(MultiAppender); ok {
		res, err := m.AppendMulti(ctx, appends...)
		if !errors.Is(err, errors.ErrUnsupported) {
			return res, err
		}
		// A wrapper whose inner store cannot commit several streams at once: nothing was
		// written, append part by part.
	}
	results := make([]AppendResult, 0, len(appends))
	for i, p := range appends {
		res, err := s.Append(ctx, p.Stream, p.Expected, p.Events...)
		if err != nil {
			return results, fmt.Errorf("append part %d of %d (%s): %w", i+1, len(appends), p.Stream, err)
		}
		results = append(results, res)
	}
	return results, nil
}

// validateParts reports every mistake of an AppendMulti or AppendInOrder call that no store
// could accept.
func validateParts(appends []StreamAppend) error {
	if len(appends) == 0 {
		return errors.New("no parts")
	}
	var errs []error
	for i, p := range appends {
		if p.Stream == "" {
			errs = append(errs, fmt.Errorf("part %d: stream name is empty", i+1))
		}
		if len(p.Events) == 0 {
			errs = append(errs, fmt.Errorf("part %d (%s): no events", i+1, p.Stream))
		}
	}
	return errors.Join(errs...)
}
