package hashchain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// ErrReserved is returned by Append for the seal stream or the seal type: only the sealer writes
// seals, so a client of the store cannot forge one.
var ErrReserved = errors.New("reserved for the hash chain's seals")

// Options tune the sealer. The zero value seals only when Seal is called.
type Options struct {
	// Interval is how often the sealer seals what was committed since the last seal; 0 turns
	// automatic sealing off (and with it the seal on Close). It bounds how long an event stays
	// unsealed, i.e. open to an undetected change.
	Interval time.Duration
	// MaxSealEvents caps the events one seal covers (a backlog is sealed in several seals), and
	// with automatic sealing, a seal starts early once that many events were appended through the
	// decorator. Default 4096: a seal of about 45 KB.
	MaxSealEvents int
	// OnSeal, if set, is called with each seal once it is durable, e.g. to send its head to a
	// witness off the machine. It is called from the sealing goroutine and must not block long.
	OnSeal func(Sealed)
}

const defaultMaxSealEvents = 4096

// Validate reports every invalid option at once.
func (o Options) Validate() error {
	var errs []error
	if o.Interval < 0 {
		errs = append(errs, fmt.Errorf("Interval %v: must not be negative", o.Interval))
	}
	if o.MaxSealEvents < 0 {
		errs = append(errs, fmt.Errorf("MaxSealEvents %d: must not be negative", o.MaxSealEvents))
	}
	return errors.Join(errs...)
}

// Sealed is a seal once appended.
type Sealed struct {
	Seal
	// Position is the seal event's own position.
	Position uint64
}

// ChainHead is the chain head the seal commits to, the form to print or send away.
func (s Sealed) ChainHead() (Head, error) {
	h, err := ParseHash(s.Head)
	return Head{Position: s.To, Hash: h}, err
}

// Store is the decorator: it passes every call to the store it wraps, refuses appends to the seal
// stream, and seals, on demand (Seal) or on its own (Options.Interval). It adds nothing to an
// append but a string comparison per event and an atomic counter.
type Store struct {
	inner  eventstore.Store
	opts   Options
	logger *slog.Logger

	// appended counts events appended since the last seal, to start a seal early under load.
	appended atomic.Int64
	kick     chan struct{}

	// sealMu makes seals one at a time and guards state.
	sealMu sync.Mutex
	state  sealState

	stop      context.CancelFunc
	sealerEnd chan struct{}
	closeOnce sync.Once
}

// sealState is where the last seal ended.
type sealState struct {
	loaded bool
	seq    uint64 // of the next seal
	head   Head   // the chain after the last sealed event ({0, Genesis} before any seal)
}

var (
	_ eventstore.Store         = (*Store)(nil)
	_ eventstore.MultiAppender = (*Store)(nil)
)

// Wrap decorates inner. With Options.Interval > 0 it starts the sealer, which Close stops after a
// last seal. The sealer seals the whole log, appends that bypassed the decorator included; only
// the decorator keeps the seal stream to the sealer.
func Wrap(inner eventstore.Store, opts Options, logger *slog.Logger) (*Store, error) {
	var errs []error
	if inner == nil {
		errs = append(errs, errors.New("store is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if err := opts.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("hash chain: %w", err)
	}
	if opts.MaxSealEvents == 0 {
		opts.MaxSealEvents = defaultMaxSealEvents
	}
	s := &Store{inner: inner, opts: opts, logger: logger, kick: make(chan struct{}, 1)}
	if opts.Interval > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		s.stop = cancel
		s.sealerEnd = make(chan struct{})
		go s.sealer(ctx)
	}
	return s, nil
}

// Append appends to the wrapped store, unless the stream or an event type is the seal's.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.Revision, events ...eventstore.Event) (eventstore.AppendResult, error) {
	if err := reserved(stream, events); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: %w", stream, err)
	}
	res, err := s.inner.Append(ctx, stream, expected, events...)
	if err == nil {
		s.count(len(events))
	}
	return res, err
}

// AppendMulti passes a multi-stream append to the wrapped store, with Append's checks on every
// part.
//
// The decorator implements it whatever it wraps, since a Go type cannot offer a method only
// sometimes; but AppendMulti promises all or nothing, which only the wrapped store can keep. So
// over a store that cannot (KurrentDB), it writes nothing and returns an error wrapping
// errors.ErrUnsupported, on which eventstore.AppendInOrder falls back to Append, part by part,
// through this decorator: the same path as the store undecorated.
func (s *Store) AppendMulti(ctx context.Context, appends ...eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	n := 0
	for i, p := range appends {
		if err := reserved(p.Stream, p.Events); err != nil {
			return nil, fmt.Errorf("append part %d to %s: %w", i+1, p.Stream, err)
		}
		n += len(p.Events)
	}
	m, ok := s.inner.(eventstore.MultiAppender)
	if !ok {
		return nil, fmt.Errorf("hash chain: %T appends to one stream at a time: %w", s.inner, errors.ErrUnsupported)
	}
	res, err := m.AppendMulti(ctx, appends...)
	if err == nil {
		s.count(n)
	}
	return res, err
}

// reserved refuses what only the sealer writes: its stream, or an event of its type.
func reserved(stream string, events []eventstore.Event) error {
	if stream == SealStream {
		return ErrReserved
	}
	for i := range events {
		if events[i].Type == SealType {
			return fmt.Errorf("event %d of type %s: %w", i, SealType, ErrReserved)
		}
	}
	return nil
}

// count adds n appended events to those since the last seal and, with automatic sealing, asks for
// a seal once there are MaxSealEvents of them.
func (s *Store) count(n int) {
	if s.stop != nil && s.appended.Add(int64(n)) >= int64(s.opts.MaxSealEvents) {
		select {
		case s.kick <- struct{}{}:
		default: // a seal is already asked for
		}
	}
}

// ReadStream reads from the wrapped store.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	return s.inner.ReadStream(ctx, stream, from, limit)
}

// ReadAll reads from the wrapped store; the seals are part of the log.
func (s *Store) ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	return s.inner.ReadAll(ctx, after, limit)
}

// Subscribe subscribes to the wrapped store.
func (s *Store) Subscribe(ctx context.Context, after uint64, fn func(batch []eventstore.Record) error) error {
	return s.inner.Subscribe(ctx, after, fn)
}

// Head reads the wrapped store's head.
func (s *Store) Head(ctx context.Context) (uint64, error) { return s.inner.Head(ctx) }

// Close stops the sealer, seals what is left (with automatic sealing) and closes the wrapped
// store. A failed last seal is logged: the next start seals those events.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.stop == nil {
			return
		}
		s.stop()
		<-s.sealerEnd
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := s.Seal(ctx)
		if errors.Is(err, eventstore.ErrConflict) {
			_, err = s.Seal(ctx) // another sealer's seal: once more from the log
		}
		if err != nil && !errors.Is(err, eventstore.ErrClosed) {
			s.logger.Warn("last seal before closing failed; the next start seals these events", "err", err)
		}
	})
	return s.inner.Close()
}

// sealer seals every Interval, or sooner when MaxSealEvents were appended.
func (s *Store) sealer(ctx context.Context) {
	defer close(s.sealerEnd)
	tick := time.NewTicker(s.opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.kick:
		}
		if _, err := s.Seal(ctx); err != nil && ctx.Err() == nil {
			s.logger.Error("seal failed; will retry", "err", err)
		}
	}
}

// Seal appends seals covering every event committed up to now and not sealed yet, in seals of at
// most MaxSealEvents events, and returns them (none when there was nothing new but seals).
//
// It trusts the last seal in the log to resume from (checking it is Verify's job), so a start
// costs a few reads, not a pass over the log. After an error, such as ErrConflict when another
// sealer appended a seal meanwhile, the next call starts again from the log.
func (s *Store) Seal(ctx context.Context) ([]Sealed, error) {
	s.sealMu.Lock()
	defer s.sealMu.Unlock()
	if !s.state.loaded {
		st, err := loadSealState(ctx, s.inner)
		if err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		s.state = st
	}
	head, err := s.inner.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	var out []Sealed
	for s.state.head.Position < head {
		sealed, ok, err := s.sealOnce(ctx, head)
		if err != nil {
			// Another sealer's seal (ErrConflict), or an append whose outcome is unknown (its
			// context ended while it was being written): start again from the log.
			s.state.loaded = false
			return out, fmt.Errorf("seal %d after position %d: %w", s.state.seq, s.state.head.Position, err)
		}
		if !ok {
			break
		}
		out = append(out, sealed)
	}
	return out, nil
}

// sealOnce seals up to MaxSealEvents events after the last seal, stopping at head. ok is false
// when the only events to seal are seals: sealing them would seal the seal forever.
func (s *Store) sealOnce(ctx context.Context, head uint64) (Sealed, bool, error) {
	chain := NewChain(s.state.head)
	max := s.opts.MaxSealEvents
	digests := make([]byte, 0, DigestSize*min(max, 1024))
	var count uint64
	onlySeals := true
	after := s.state.head.Position
read:
	for count < uint64(max) && after < head {
		page, err := s.inner.ReadAll(ctx, after, min(max-int(count), 1024))
		if err != nil {
			return Sealed{}, false, err
		}
		if len(page) == 0 {
			return Sealed{}, false, fmt.Errorf("no event after position %d below head %d", after, head)
		}
		for _, r := range page {
			if r.Position > head {
				break read
			}
			leaf, _, err := chain.Add(r)
			if err != nil {
				return Sealed{}, false, err
			}
			digests = append(digests, leaf[:DigestSize]...)
			count++
			onlySeals = onlySeals && r.Stream == SealStream
			after = r.Position
		}
	}
	if count == 0 || onlySeals {
		return Sealed{}, false, nil
	}
	end := chain.Head()
	seal := Seal{Seq: s.state.seq, After: s.state.head.Position, To: end.Position, Count: count, Head: end.Hash.String(), Digests: digests}
	data, err := encodeSeal(seal)
	if err != nil {
		return Sealed{}, false, err
	}
	expected := eventstore.NoStream
	if seal.Seq > 0 {
		expected = eventstore.At(seal.Seq - 1)
	}
	// A seal being written is finished even if ctx ends: an append abandoned halfway has an
	// unknown outcome, and the next seal would conflict with it if it landed after all.
	res, err := s.inner.Append(context.WithoutCancel(ctx), SealStream, expected, eventstore.Event{
		Type: SealType, Schema: SealSchema, Data: data, Meta: eventstore.Metadata{Actor: SealActor},
	})
	if err != nil {
		return Sealed{}, false, err
	}
	s.state.seq++
	s.state.head = end
	s.appended.Store(0)
	sealed := Sealed{Seal: seal, Position: res.FirstPosition}
	s.logger.Info("event log sealed", "seq", seal.Seq, "after", seal.After, "to", seal.To,
		"events", seal.Count, "head", end.String(), "position", sealed.Position)
	if s.opts.OnSeal != nil {
		s.opts.OnSeal(sealed)
	}
	return sealed, true, nil
}

// loadSealState finds where the last seal of the log ended.
func loadSealState(ctx context.Context, store eventstore.Store) (sealState, error) {
	last, ok, err := lastOf(ctx, store, SealStream)
	if err != nil {
		return sealState{}, fmt.Errorf("find the last seal: %w", err)
	}
	if !ok {
		return sealState{loaded: true, head: Head{Hash: Genesis}}, nil
	}
	seal, err := decodeSeal(last)
	if err != nil {
		return sealState{}, fmt.Errorf("last seal at position %d: %w (run Verify)", last.Position, err)
	}
	h, _ := ParseHash(seal.Head) // checked by decodeSeal
	return sealState{loaded: true, seq: seal.Seq + 1, head: Head{Position: seal.To, Hash: h}}, nil
}
