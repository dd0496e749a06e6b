// Package commands holds the command handlers: load an aggregate from its stream, let it decide,
// append what it decided at the revision it was loaded at.
package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// maxConflictRetries bounds reload-and-retry on ErrConflict (another writer on the same stream).
const maxConflictRetries = 3

// Ingester handles IngestReadings.
//
// Each sensor has a lane that keeps its aggregate in memory and combines the submissions that
// queue up while a write is in flight into one append ("flat combining"): 256 clients posting one
// reading each to the same sensor cost one fsync per round, not 256. Concurrent appends to
// different sensors are group-committed by the store.
type Ingester struct {
	store    eventstore.Store
	codec    *eventstore.Codec
	policies map[sensor.ID]gauge.Policy
	now      func() time.Time
	log      *slog.Logger

	mu     sync.Mutex
	lanes  map[sensor.ID]*lane
	source string // who configuration changes are attributed to
}

func (h *Ingester) configActor() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.source
}

// NewIngester refuses nil dependencies and invalid policies.
func NewIngester(store eventstore.Store, codec *eventstore.Codec, policies map[sensor.ID]gauge.Policy, now func() time.Time, logger *slog.Logger) (*Ingester, error) {
	var errs []error
	if store == nil {
		errs = append(errs, errors.New("event store is nil"))
	}
	if codec == nil {
		errs = append(errs, errors.New("codec is nil"))
	}
	if now == nil {
		errs = append(errs, errors.New("clock is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	for id, p := range policies {
		if _, err := gauge.New(p); err != nil {
			errs = append(errs, fmt.Errorf("policy of %s: %w", id, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new ingester: %w", err)
	}
	return &Ingester{store: store, codec: codec, policies: policies, now: now, log: logger, lanes: map[sensor.ID]*lane{}, source: "config"}, nil
}

// Configure loads every configured sensor and records the thresholds in force where they changed
// since the last run, so a configuration change is in the log before the next reading.
func (h *Ingester) Configure(ctx context.Context, actor string) error {
	h.mu.Lock()
	h.source = actor
	h.mu.Unlock()
	var errs []error
	for id := range h.policies {
		l := h.lane(id)
		if err := l.run(ctx, &submission{done: make(chan struct{})}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Handle validates the whole command, then stores each sensor's readings; it returns once every
// accepted reading is durable.
func (h *Ingester) Handle(ctx context.Context, cmd IngestReadings) (IngestResult, error) {
	now := h.now()
	if err := h.validate(cmd, now); err != nil {
		return IngestResult{}, err
	}
	meta := eventstore.Metadata{Actor: cmd.Actor, CorrelationID: cmd.CorrelationID}
	groups, order, indexes := group(cmd.Items, meta)

	errs := make([]error, len(order))
	var wg sync.WaitGroup
	for i, id := range order[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i+1] = h.lane(id).run(ctx, groups[id])
		}()
	}
	errs[0] = h.lane(order[0]).run(ctx, groups[order[0]])
	wg.Wait()

	res := IngestResult{Outcomes: make([]gauge.Outcome, len(cmd.Items))}
	for i, id := range order {
		if errs[i] != nil {
			// Other sensors' readings may be stored: the caller retries and gets duplicates for them.
			return IngestResult{}, fmt.Errorf("ingest %d readings of %s: %w", len(groups[id].readings), id, errs[i])
		}
		s := groups[id]
		if indexes == nil { // one sensor: outcomes are in item order already
			copy(res.Outcomes, s.outcomes)
		}
		for j, idx := range indexes[id] {
			res.Outcomes[idx] = s.outcomes[j]
		}
		res.LastPosition = max(res.LastPosition, s.position)
	}
	return res, nil
}

// group splits the items into one submission per sensor, in the order sensors first appear;
// indexes maps each submission's readings back to the items. A command of one sensor's readings,
// the usual case (a single reading, a gateway flushing one gauge), needs no maps: indexes is then
// nil and the readings are in item order.
func group(items []Item, meta eventstore.Metadata) (groups map[sensor.ID]*submission, order []sensor.ID, indexes map[sensor.ID][]int) {
	reading := func(it Item) sensor.Reading {
		return sensor.Reading{Time: it.Time, Value: it.Value, Uncertain: it.Uncertain}
	}
	first := items[0].Sensor
	one := true
	for _, it := range items[1:] {
		if it.Sensor != first {
			one = false
			break
		}
	}
	if one {
		s := &submission{meta: meta, done: make(chan struct{}), readings: make([]sensor.Reading, len(items))}
		for i, it := range items {
			s.readings[i] = reading(it)
		}
		return map[sensor.ID]*submission{first: s}, []sensor.ID{first}, nil
	}
	groups, indexes = map[sensor.ID]*submission{}, map[sensor.ID][]int{}
	for i, it := range items {
		s, ok := groups[it.Sensor]
		if !ok {
			s = &submission{meta: meta, done: make(chan struct{})}
			groups[it.Sensor] = s
			order = append(order, it.Sensor)
		}
		s.readings = append(s.readings, reading(it))
		indexes[it.Sensor] = append(indexes[it.Sensor], i)
	}
	return groups, order, indexes
}

func (h *Ingester) validate(cmd IngestReadings, now time.Time) error {
	var problems []ItemProblem
	forbidden := 0
	if len(cmd.Items) == 0 {
		return &InvalidReadingsError{Problems: []ItemProblem{{Index: -1, Reason: "no readings"}}}
	}
	for i, it := range cmd.Items {
		p, known := h.policies[it.Sensor]
		switch {
		case !known:
			problems = append(problems, ItemProblem{Index: i, Sensor: it.Sensor, Reason: ReasonUnknownSensor})
		case cmd.Allowed != nil && !cmd.Allowed(it.Sensor):
			forbidden++
			problems = append(problems, ItemProblem{Index: i, Sensor: it.Sensor, Reason: ReasonForbiddenSensor})
		case math.IsNaN(it.Value) || math.IsInf(it.Value, 0):
			problems = append(problems, ItemProblem{Index: i, Sensor: it.Sensor, Reason: "value is not a finite number"})
		case it.Time.IsZero():
			problems = append(problems, ItemProblem{Index: i, Sensor: it.Sensor, Reason: "time is missing"})
		case it.Time.Sub(now) > p.MaxFuture:
			problems = append(problems, ItemProblem{Index: i, Sensor: it.Sensor, Reason: fmt.Sprintf("time %s is %s ahead of the server clock (at most %s allowed)", it.Time.Format(time.RFC3339), it.Time.Sub(now).Round(time.Second), p.MaxFuture)})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &InvalidReadingsError{Problems: problems, Forbidden: forbidden == len(problems)}
}

func (h *Ingester) lane(id sensor.ID) *lane {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.lanes[id]
	if !ok {
		l = &lane{h: h, id: id, stream: eventstore.StreamName(gauge.Category, string(id))}
		h.lanes[id] = l
	}
	return l
}

// submission is one command's readings for one sensor, waiting for its lane.
type submission struct {
	readings []sensor.Reading
	meta     eventstore.Metadata
	outcomes []gauge.Outcome
	position uint64
	err      error
	done     chan struct{}
}

// lane serialises the decisions of one sensor's aggregate.
type lane struct {
	h      *Ingester
	id     sensor.ID
	stream string

	mu    sync.Mutex
	queue []*submission
	busy  bool
	g     *gauge.Gauge // nil until loaded, and after a failed append (its state is unknown)
}

// run queues s and waits for it. The first caller to find the lane idle drains the queue; the
// others wait. After one round, a leader hands what queued meanwhile to a new goroutine so its
// own caller is not held by other clients' traffic.
func (l *lane) run(ctx context.Context, s *submission) error {
	l.mu.Lock()
	l.queue = append(l.queue, s)
	lead := !l.busy
	l.busy = true
	l.mu.Unlock()
	if lead {
		l.round(ctx)
	}
	select {
	case <-s.done:
		return s.err
	case <-ctx.Done():
		// The submission may still be stored: a retry then reads as duplicates.
		return ctx.Err()
	}
}

func (l *lane) round(ctx context.Context) {
	l.mu.Lock()
	batch := l.queue
	l.queue = nil
	l.mu.Unlock()

	// A round must not be cut short by one caller's ctx: others wait on it.
	l.process(context.WithoutCancel(ctx), batch)
	for _, s := range batch {
		close(s.done)
	}

	l.mu.Lock()
	if len(l.queue) == 0 {
		l.busy = false
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	go l.round(context.WithoutCancel(ctx))
}

func (l *lane) process(ctx context.Context, batch []*submission) {
	var err error
	for attempt := 0; attempt < maxConflictRetries; attempt++ {
		err = l.try(ctx, batch)
		if !errors.Is(err, eventstore.ErrConflict) {
			break
		}
		l.h.log.Warn("concurrent writer on sensor stream, reloading", "sensor", l.id, "attempt", attempt+1)
	}
	if err != nil {
		for _, s := range batch {
			s.err = err
		}
	}
}

func (l *lane) try(ctx context.Context, batch []*submission) error {
	if l.g == nil {
		g, err := l.load(ctx)
		if err != nil {
			return err
		}
		l.g = g
	}
	g := l.g
	now := l.h.now()
	var events []eventstore.Event
	var owners []*submission // the submission each event belongs to, to hand back positions
	encode := func(meta eventstore.Metadata, owner *submission) error {
		for _, e := range g.Changes()[len(events):] {
			enc, err := l.h.codec.Encode(e, meta)
			if err != nil {
				return fmt.Errorf("encode %s: %w", e.EventType(), err)
			}
			events = append(events, enc)
			owners = append(owners, owner)
		}
		return nil
	}
	// A threshold change is attributed to the configuration, not to the gateway whose reading
	// happened to load the sensor.
	g.Configure(l.h.configActor(), now)
	if err := encode(eventstore.Metadata{Actor: l.h.configActor()}, nil); err != nil {
		l.g = nil
		return err
	}
	for _, s := range batch {
		if s.readings == nil {
			continue
		}
		s.outcomes = g.Record(s.readings, now)
		if err := encode(s.meta, s); err != nil {
			l.g = nil
			return err
		}
	}
	if len(events) == 0 {
		return nil
	}
	expected := eventstore.NoStream
	if g.Revision() >= 0 {
		expected = eventstore.At(uint64(g.Revision()))
	}
	res, err := l.h.store.Append(ctx, l.stream, expected, events...)
	if err != nil {
		l.g = nil // its in-memory state includes what was not stored
		return fmt.Errorf("append %d events to %s at %s: %w", len(events), l.stream, expected, err)
	}
	g.ClearChanges(res.Revision)
	for i, o := range owners {
		if o != nil {
			o.position = max(o.position, res.FirstPosition+uint64(i))
		}
	}
	return nil
}

func (l *lane) load(ctx context.Context) (*gauge.Gauge, error) {
	p, ok := l.h.policies[l.id]
	if !ok {
		return nil, fmt.Errorf("load %s: unknown sensor", l.id)
	}
	g, err := gauge.New(p)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", l.id, err)
	}
	history, last, err := readStream(ctx, l.h.store, l.h.codec, l.stream)
	if err != nil {
		return nil, err
	}
	if len(history) > 0 {
		g.Load(last, history)
	}
	return g, nil
}

// readStream reads and decodes a whole stream; last is the revision of its last event.
func readStream(ctx context.Context, store eventstore.Store, codec *eventstore.Codec, stream string) ([]event.Event, uint64, error) {
	recs, err := readRecords(ctx, store, stream)
	if err != nil {
		return nil, 0, err
	}
	events, err := decodeRecords(codec, recs)
	if err != nil {
		return nil, 0, err
	}
	var last uint64
	if len(recs) > 0 {
		last = recs[len(recs)-1].Revision
	}
	return events, last, nil
}
