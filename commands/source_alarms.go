package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
)

// Technical alarms about the sources of readings rather than one sensor: a field source (an
// OPC-UA endpoint, an MQTT broker) Vigie cannot reach, and a client whose readings the API keeps
// refusing (bad key, unknown sensor). docs/alarms.md "Source alarms" gives the decisions.

// SystemBoard is the alarm board of what belongs to no dam: a client hammering the readings API.
// Dam ids cannot start with '_' (adapters/config), so it never collides with a dam's board.
const SystemBoard dam.ID = "_system"

// SourceAlarmsActor is the actor of what SourceAlarms records.
const SourceAlarmsActor = "system:source-alarms"

// SourceTrigger is a source condition becoming active or inactive.
type SourceTrigger struct {
	// Dams are the boards the alarm goes to, one alarm each; empty: SystemBoard.
	Dams []dam.ID
	// Kind is condition.KindEndpointUnreachable or condition.KindUnknownSensor.
	Kind condition.Kind
	// Source qualifies the condition and names what reported it: "opcua:plc-est", "mqtt:main",
	// "addr:192.0.2.7", "sensor:foo.level".
	Source   string
	Active   bool
	Severity dam.Severity
	// Value is compared with Limit in Unit: seconds unreachable, or requests refused in the window.
	Value, Limit float64
	Unit         string
	Detail       string
	// At is the wall-clock time the change was decided; Since when the new state first held.
	At, Since time.Time
}

// SourceAlarms records source triggers on alarm boards. It writes the same streams as the
// condition engine (boards, then alarms, at the revision read), so the two never lose each
// other's changes: a conflict is decided again from the store.
type SourceAlarms struct {
	store eventstore.Store
	codec *eventstore.Codec
	flood alarm.FloodRule
	mu    sync.Mutex // one decision at a time: triggers of one source arrive in order
}

// NewSourceAlarms refuses nil dependencies.
func NewSourceAlarms(store eventstore.Store, codec *eventstore.Codec, flood alarm.FloodRule) (*SourceAlarms, error) {
	var errs []error
	if store == nil {
		errs = append(errs, errors.New("event store is nil"))
	}
	if codec == nil {
		errs = append(errs, errors.New("codec is nil"))
	}
	if flood.Window < 0 {
		errs = append(errs, fmt.Errorf("flood window %s must be ≥ 0", flood.Window))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new source alarms: %w", err)
	}
	return &SourceAlarms{store: store, codec: codec, flood: flood}, nil
}

// Record routes t to the board of each of its dams and appends what it changes there. A trigger
// that changes nothing (a clear with no alarm in progress) records nothing.
func (h *SourceAlarms) Record(ctx context.Context, t SourceTrigger) error {
	if t.Kind != condition.KindEndpointUnreachable && t.Kind != condition.KindUnknownSensor {
		return fmt.Errorf("record source alarm: kind %q is not a source condition", t.Kind)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	dams := t.Dams
	if len(dams) == 0 {
		dams = []dam.ID{SystemBoard}
	}
	meta := eventstore.Metadata{Actor: SourceAlarmsActor,
		CausationID: "source:" + t.Source + "@" + strconv.FormatInt(t.At.UnixNano(), 10)}
	var errs []error
	for _, d := range dams {
		if err := h.recordOn(ctx, d, t, meta); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (h *SourceAlarms) recordOn(ctx context.Context, d dam.ID, t SourceTrigger, meta eventstore.Metadata) error {
	tr := alarm.Trigger{
		Dam: d, Condition: alarm.NewCondition(t.Kind, t.Source), Source: t.Source, Active: t.Active, Severity: t.Severity,
		Value: t.Value, Limit: t.Limit, Unit: t.Unit, Detail: t.Detail, At: t.At, Since: t.Since,
	}
	for attempt := 1; ; attempt++ {
		err := h.decide(ctx, d, tr, meta)
		if err == nil {
			return nil
		}
		if !errors.Is(err, eventstore.ErrConflict) || attempt >= maxConflictRetries {
			return fmt.Errorf("record %s %s on %s: %w", tr.Condition, map[bool]string{true: "active", false: "inactive"}[t.Active], d, err)
		}
	}
}

// decide loads the board and the alarm of the trigger's slot, lets them decide, and records the
// decision as the condition engine does (recordDecision: one commit where the store can, else the
// board first, so that a crash in between leaves a slot whose alarm the next trigger raises).
func (h *SourceAlarms) decide(ctx context.Context, d dam.ID, tr alarm.Trigger, meta eventstore.Metadata) error {
	recs, err := readRecords(ctx, h.store, boardStream(d))
	if err != nil {
		return err
	}
	board, err := alarm.NewBoard(d, h.flood)
	if err != nil {
		return err
	}
	history, err := decodeRecords(h.codec, recs)
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		board.Load(recs[len(recs)-1].Revision, history)
	}
	id := board.Slot(tr.Condition)
	arecs, err := readRecords(ctx, h.store, alarmStream(id))
	if err != nil {
		return err
	}
	current := alarm.New(id)
	ahistory, err := decodeRecords(h.codec, arecs)
	if err != nil {
		return err
	}
	if len(arecs) > 0 {
		current.Load(arecs[len(arecs)-1].Revision, ahistory)
	}
	touched, err := board.Observe(current, tr)
	if err != nil {
		return err
	}
	return recordDecision(ctx, h.store, h.codec, d, board, touched, meta)
}

// SourceState is a field source's connectivity as its adapter reports it.
type SourceState struct {
	Connected bool
	// Since is when Connected last changed (when the source started, before a first connection).
	Since     time.Time
	LastError string
}

// ConnectivityRule says when an unreachable source raises its alarm.
type ConnectivityRule struct {
	// After: a source disconnected for this long is unreachable. Short outages (a broker restart,
	// a PLC switching over) are the reconnection's business, not an operator's.
	After    time.Duration
	Severity dam.Severity
}

// ConnectivityWatch decides, from the states a source reports over time, when its
// endpoint_unreachable alarm is raised and cleared. It is pure: time is a parameter.
type ConnectivityWatch struct {
	rule     ConnectivityRule
	reported map[string]bool // the state last recorded, per source
}

// NewConnectivityWatch checks the rule.
func NewConnectivityWatch(rule ConnectivityRule) (*ConnectivityWatch, error) {
	var errs []error
	if rule.After <= 0 {
		errs = append(errs, fmt.Errorf("unreachable delay %s must be positive", rule.After))
	}
	if !rule.Severity.Valid() {
		errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", rule.Severity))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("connectivity rule: %w", err)
	}
	return &ConnectivityWatch{rule: rule, reported: map[string]bool{}}, nil
}

// Observe compares a source's state now with what was last recorded and returns the trigger to
// record, if any; the caller calls Recorded once it is stored, so a failed append is tried again
// on the next observation. The first decision about a source is made only once it is definite
// (connected, or unreachable for After): an alarm a previous run left active is cleared by a
// reconnection, not by a restart that has not tried yet.
func (w *ConnectivityWatch) Observe(source string, dams []dam.ID, st SourceState, now time.Time) (SourceTrigger, bool) {
	down := now.Sub(st.Since)
	unreachable := !st.Connected && down >= w.rule.After
	last, known := w.reported[source]
	switch {
	case known && last == unreachable:
		return SourceTrigger{}, false
	case !known && !st.Connected && !unreachable:
		return SourceTrigger{}, false
	}
	t := SourceTrigger{
		Dams: slices.Clone(dams), Kind: condition.KindEndpointUnreachable, Source: source, Active: unreachable,
		Severity: w.rule.Severity, Limit: w.rule.After.Seconds(), Unit: condition.UnitSeconds, At: now, Since: st.Since,
	}
	if unreachable {
		t.Value = down.Seconds()
		t.Detail = fmt.Sprintf("%s unreachable for %s", source, down.Round(time.Second))
		if st.LastError != "" {
			t.Detail += ": " + st.LastError
		}
	} else {
		t.Detail = source + " reachable again"
	}
	return t, true
}

// Recorded notes that the trigger Observe returned is stored.
func (w *ConnectivityWatch) Recorded(t SourceTrigger) { w.reported[t.Source] = t.Active }

// RejectionRule says when refused readings requests from one client raise an alarm.
type RejectionRule struct {
	// Requests refused within Window from one key (a client address, a claimed sensor) raise the
	// alarm; it clears once a whole Window passes without a refusal from that key.
	Requests int
	Window   time.Duration
	Severity dam.Severity
}

// maxRejectionKeys bounds the memory a flood of forged addresses can take.
const maxRejectionKeys = 4096

// RejectionWatch counts refused readings requests per key in a sliding window. It is pure: time
// is a parameter.
type RejectionWatch struct {
	rule RejectionRule
	keys map[string]*rejections
}

type rejections struct {
	times  []time.Time // the newest rule.Requests refusals, oldest first
	active bool
	since  time.Time
	detail string
}

// NewRejectionWatch checks the rule.
func NewRejectionWatch(rule RejectionRule) (*RejectionWatch, error) {
	var errs []error
	if rule.Requests < 1 {
		errs = append(errs, fmt.Errorf("requests %d must be at least 1", rule.Requests))
	}
	if rule.Window <= 0 {
		errs = append(errs, fmt.Errorf("window %s must be positive", rule.Window))
	}
	if !rule.Severity.Valid() {
		errs = append(errs, fmt.Errorf("severity %q is not one of low, medium, high, critical", rule.Severity))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("rejection rule: %w", err)
	}
	return &RejectionWatch{rule: rule, keys: map[string]*rejections{}}, nil
}

// Rejected counts one refused request from key at `at` and returns the trigger that raises the
// alarm when the key reaches the limit (once: later refusals while active record nothing).
func (w *RejectionWatch) Rejected(key, detail string, at time.Time) (SourceTrigger, bool) {
	r := w.keys[key]
	if r == nil {
		if len(w.keys) >= maxRejectionKeys {
			w.evict()
		}
		r = &rejections{}
		w.keys[key] = r
	}
	r.times = append(r.times, at)
	if n := len(r.times); n > w.rule.Requests {
		r.times = slices.Delete(r.times, 0, n-w.rule.Requests)
	}
	r.detail = detail
	if r.active || len(r.times) < w.rule.Requests || at.Sub(r.times[0]) > w.rule.Window {
		return SourceTrigger{}, false
	}
	r.active, r.since = true, r.times[0]
	return SourceTrigger{
		Kind: condition.KindUnknownSensor, Source: key, Active: true, Severity: w.rule.Severity,
		Value: float64(len(r.times)), Limit: float64(w.rule.Requests), Unit: "requests",
		Detail: fmt.Sprintf("%d readings requests refused within %s from %s, the last: %s", len(r.times), w.rule.Window, key, detail),
		At:     at, Since: r.since,
	}, true
}

// Tick clears the alarms of keys without a refusal for a whole window, and forgets idle keys.
func (w *RejectionWatch) Tick(now time.Time) []SourceTrigger {
	var out []SourceTrigger
	for _, key := range sortedKeys(w.keys) {
		r := w.keys[key]
		last := r.times[len(r.times)-1]
		if now.Sub(last) < w.rule.Window {
			continue
		}
		if r.active {
			out = append(out, SourceTrigger{
				Kind: condition.KindUnknownSensor, Source: key, Active: false, Severity: w.rule.Severity,
				Limit: float64(w.rule.Requests), Unit: "requests", At: now, Since: last,
				Detail: fmt.Sprintf("no refused request from %s for %s", key, w.rule.Window),
			})
		}
		delete(w.keys, key)
	}
	return out
}

// evict forgets the inactive key refused longest ago (active ones must still be cleared).
func (w *RejectionWatch) evict() {
	oldest := ""
	var at time.Time
	for k, r := range w.keys {
		if last := r.times[len(r.times)-1]; !r.active && (oldest == "" || last.Before(at)) {
			oldest, at = k, last
		}
	}
	if oldest != "" {
		delete(w.keys, oldest)
	}
}

// WatchedSource is a field source whose connectivity raises an alarm.
type WatchedSource struct {
	// Name is the alarm's qualifier and source: "opcua:plc-est", "mqtt:main".
	Name string
	// Dams fed by the source: each gets the alarm. Empty: SystemBoard.
	Dams  []dam.ID
	State func() SourceState
}

// SourceMonitor runs the watches: it polls the sources' states, takes the API's refusals, and
// records the triggers in order, off the request path.
type SourceMonitor struct {
	alarms  *SourceAlarms
	conn    *ConnectivityWatch
	rejects *RejectionWatch
	sources []WatchedSource
	now     func() time.Time
	log     *slog.Logger

	mu      sync.Mutex // guards rejects and pending
	pending []SourceTrigger
	wake    chan struct{}
}

// NewSourceMonitor refuses nil dependencies. rejects may be nil (no API refusal alarm).
func NewSourceMonitor(alarms *SourceAlarms, conn *ConnectivityWatch, rejects *RejectionWatch, sources []WatchedSource, now func() time.Time, logger *slog.Logger) (*SourceMonitor, error) {
	var errs []error
	if alarms == nil {
		errs = append(errs, errors.New("source alarms are nil"))
	}
	if conn == nil && len(sources) > 0 {
		errs = append(errs, errors.New("connectivity watch is nil"))
	}
	if now == nil {
		errs = append(errs, errors.New("clock is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	names := map[string]bool{}
	for i, s := range sources {
		switch {
		case s.Name == "" || s.State == nil:
			errs = append(errs, fmt.Errorf("source %d: name and state are required", i))
		case names[s.Name]:
			errs = append(errs, fmt.Errorf("source %s given twice", s.Name))
		}
		names[s.Name] = true
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new source monitor: %w", err)
	}
	return &SourceMonitor{alarms: alarms, conn: conn, rejects: rejects, sources: sources, now: now, log: logger, wake: make(chan struct{}, 1)}, nil
}

// Rejected takes one refused readings request from key (called on the request path: it only
// counts, the alarm is recorded by Run).
func (m *SourceMonitor) Rejected(key, detail string) {
	if m.rejects == nil {
		return
	}
	m.mu.Lock()
	t, ok := m.rejects.Rejected(key, detail, m.now())
	if ok {
		m.pending = append(m.pending, t)
	}
	m.mu.Unlock()
	if ok {
		select {
		case m.wake <- struct{}{}:
		default:
		}
	}
}

// Run polls every `every` until ctx ends. A trigger that cannot be recorded is logged and tried
// again on the next poll (connectivity), or kept pending (refusals).
func (m *SourceMonitor) Run(ctx context.Context, every time.Duration) error {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		m.Poll(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-m.wake:
		}
	}
}

// Poll does one round: sources' states, refusal windows, pending triggers.
func (m *SourceMonitor) Poll(ctx context.Context) {
	now := m.now()
	for _, s := range m.sources {
		t, ok := m.conn.Observe(s.Name, s.Dams, s.State(), now)
		if !ok {
			continue
		}
		if err := m.alarms.Record(ctx, t); err != nil {
			m.log.Error("source alarm not recorded, retrying", "source", s.Name, "active", t.Active, "err", err)
			continue
		}
		m.conn.Recorded(t)
		m.log.Log(ctx, map[bool]slog.Level{true: slog.LevelWarn, false: slog.LevelInfo}[t.Active], "field source connectivity alarm", "source", s.Name, "active", t.Active, "detail", t.Detail)
	}
	m.mu.Lock()
	if m.rejects != nil {
		m.pending = append(m.pending, m.rejects.Tick(now)...)
	}
	pending := m.pending
	m.pending = nil
	m.mu.Unlock()
	for i, t := range pending {
		if err := m.alarms.Record(ctx, t); err != nil {
			m.log.Error("refused-requests alarm not recorded, retrying", "source", t.Source, "active", t.Active, "err", err)
			m.mu.Lock()
			m.pending = append(slices.Clone(pending[i:]), m.pending...)
			m.mu.Unlock()
			return
		}
		m.log.Log(ctx, map[bool]slog.Level{true: slog.LevelWarn, false: slog.LevelInfo}[t.Active], "refused readings requests alarm", "source", t.Source, "active", t.Active, "detail", t.Detail)
	}
}
