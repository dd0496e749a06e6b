package kurrent

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"github.com/vigie/vigie/adapters/eventstore"
)

// filter is the server-side filter of the global log: the namespace's streams, or every event
// whose type does not start with '$' (system events: stats, metadata, projection links).
func (s *Store) filter() *kurrentdb.SubscriptionFilter {
	if s.ns != "" {
		return &kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Prefixes: []string{s.ns}}
	}
	return kurrentdb.ExcludeSystemEventsFilter()
}

// fnError marks the subscriber's own error, which ends Subscribe as it is.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

// badEventError marks an event the adapter cannot turn into a record (foreign metadata, an
// explicit transaction): resubscribing would meet it again, so it ends Subscribe.
type badEventError struct{ err error }

func (e badEventError) Error() string { return e.err.Error() }
func (e badEventError) Unwrap() error { return e.err }

// Subscribe follows the global log after position after with a catch-up subscription to $all
// (server-side filtered): stored events first, then live ones, in batches of up to MaxBatch.
//
// A dropped subscription (node restart, leader change, network) is resumed from the last position
// fn accepted, with a capped back-off, and a client that gave up discovery is recreated: a
// projection keeps running through a cluster restart. Only errors that retrying cannot fix
// (access denied, authentication) end it.
func (s *Store) Subscribe(ctx context.Context, after uint64, fn func(batch []eventstore.Record) error) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	// last is the position of the last event delivered, as reported; from is where the
	// subscription resumes in $all (a commit position: they differ for imported events).
	last, from := after, max(s.commitAfter(after), s.floor)
	delay := 50 * time.Millisecond
	for {
		delivered, err := s.follow(ctx, &last, &from, fn)
		if s.isClosed() {
			return eventstore.ErrClosed
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var fe fnError
		if errors.As(err, &fe) {
			return fe.err
		}
		var be badEventError
		if permanent(err) || errors.As(err, &be) {
			return fmt.Errorf("subscribe to the global log after %d: %w", last, err)
		}
		if delivered {
			delay = 50 * time.Millisecond
		}
		s.logger.Warn("kurrentdb: subscription dropped; resuming", "after", last, "in", delay, "err", err)
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			continue // the checks above return
		}
		delay = min(2*delay, s.opts.MaxResubscribeDelay)
	}
}

// permanent reports whether retrying a subscription cannot help.
func permanent(err error) bool {
	for _, code := range []kurrentdb.ErrorCode{kurrentdb.ErrorCodeAccessDenied, kurrentdb.ErrorCodeUnauthenticated, kurrentdb.ErrorCodeUnsupportedFeature} {
		if hasCode(err, code) {
			return true
		}
	}
	return false
}

// follow runs one subscription from the commit position from until it drops, ctx ends or fn
// fails. last is the position of the last event fn accepted, from its commit position; delivered
// says whether fn was called at all.
func (s *Store) follow(ctx context.Context, last, from *uint64, fn func([]eventstore.Record) error) (delivered bool, err error) {
	sub, err := withClient(s, func(c *kurrentdb.Client) (*kurrentdb.Subscription, error) {
		return c.SubscribeToAll(ctx, kurrentdb.SubscribeToAllOptions{From: allFrom(*from), Filter: s.filter()})
	})
	if err != nil {
		return false, err
	}
	events := make(chan *kurrentdb.SubscriptionEvent, s.opts.MaxBatch)
	pumpDone := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(pumpDone)
		for {
			e := sub.Recv()
			select {
			case events <- e:
			case <-stop:
				return
			}
			if e.SubscriptionDropped != nil {
				return
			}
		}
	}()
	defer func() {
		close(stop)
		_ = sub.Close()
		<-pumpDone
	}()

	queued := *last // the position of the last event put in a batch
	var batch []eventstore.Record
	var batchCommit uint64 // the commit position of the batch's last event
	// take handles one subscription message; it returns the error that ends the subscription.
	take := func(e *kurrentdb.SubscriptionEvent) error {
		switch {
		case e.SubscriptionDropped != nil:
			if e.SubscriptionDropped.Error != nil {
				return e.SubscriptionDropped.Error
			}
			return errors.New("subscription dropped")
		case e.EventAppeared != nil:
			rec, ok, err := s.record(e.EventAppeared)
			if err != nil {
				return badEventError{err}
			}
			if ok && rec.Position > queued {
				commit, err := position(e.EventAppeared)
				if err != nil {
					return badEventError{err}
				}
				batch = append(batch, rec)
				queued, batchCommit = rec.Position, commit
			}
		}
		return nil // checkpoints, caught-up and fell-behind notices carry nothing to deliver
	}
	for {
		var ended error
		select {
		case e := <-events:
			ended = take(e)
		case <-ctx.Done():
			return delivered, ctx.Err()
		}
	drain:
		for ended == nil && len(batch) < s.opts.MaxBatch {
			select {
			case e := <-events:
				ended = take(e)
			default:
				break drain
			}
		}
		if len(batch) > 0 {
			if ctx.Err() != nil {
				return delivered, ctx.Err()
			}
			if err := fn(batch); err != nil {
				return delivered, fnError{err}
			}
			delivered = true
			*last, *from = batch[len(batch)-1].Position, batchCommit
			batch = nil
		}
		if ended != nil {
			return delivered, ended
		}
	}
}
