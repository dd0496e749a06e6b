package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// now is the fake clock of every test: the reference storm's morning.
var now = time.Date(2025, 10, 10, 10, 0, 0, 0, time.UTC)

// fakeIngester validates like the real one (unknown sensor, scope) and accepts the rest; the real
// ingester is tested in commands/.
type fakeIngester struct {
	mu    sync.Mutex
	calls []commands.IngestReadings
	known map[sensor.ID]bool
	err   error
	// outcome decides each reading; nil accepts all as good.
	outcome func(i int, it commands.Item) gauge.Outcome
}

func newFakeIngester() *fakeIngester {
	return &fakeIngester{known: map[sensor.ID]bool{"mejean.level": true, "bassin-nord.level": true, "barrage-est.level": true}}
}

func (f *fakeIngester) Handle(_ context.Context, cmd commands.IngestReadings) (commands.IngestResult, error) {
	f.mu.Lock()
	f.calls = append(f.calls, cmd)
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return commands.IngestResult{}, err
	}
	var problems []commands.ItemProblem
	forbidden := 0
	for i, it := range cmd.Items {
		switch {
		case f.known != nil && !f.known[it.Sensor]:
			problems = append(problems, commands.ItemProblem{Index: i, Sensor: it.Sensor, Reason: "unknown sensor"})
		case cmd.Allowed != nil && !cmd.Allowed(it.Sensor):
			forbidden++
			problems = append(problems, commands.ItemProblem{Index: i, Sensor: it.Sensor, Reason: "this key may not write to this sensor"})
		}
	}
	if len(problems) > 0 {
		return commands.IngestResult{}, &commands.InvalidReadingsError{Problems: problems, Forbidden: forbidden == len(problems)}
	}
	res := commands.IngestResult{Outcomes: make([]gauge.Outcome, len(cmd.Items)), LastPosition: 42}
	for i, it := range cmd.Items {
		if f.outcome != nil {
			res.Outcomes[i] = f.outcome(i, it)
		} else {
			res.Outcomes[i] = gauge.Outcome{Status: gauge.Accepted, Quality: sensor.Good}
		}
	}
	return res, nil
}

func (f *fakeIngester) Calls() []commands.IngestReadings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// nopIngester accepts everything without looking: the benchmarks measure the HTTP side alone.
type nopIngester struct{ outcomes []gauge.Outcome }

func (n *nopIngester) Handle(_ context.Context, cmd commands.IngestReadings) (commands.IngestResult, error) {
	return commands.IngestResult{Outcomes: n.outcomes[:len(cmd.Items)], LastPosition: 1}, nil
}

type fakeViews struct {
	mu           sync.Mutex
	states       map[string]readstore.SensorState
	timeline     []readstore.TimelineEntry
	err          error
	lastSeries   readstore.SeriesQuery
	lastTimeline readstore.TimelineQuery
}

func newFakeViews() *fakeViews {
	v := &fakeViews{states: map[string]readstore.SensorState{
		"mejean.level": {Sensor: "mejean.level", Dam: "mejean", Time: now.Add(-time.Minute), Value: 6.2, Quality: "good", FillPct: 38.5, Above: []string{"vigilance", "alerte"}, Position: 40},
		// Removed from the configuration, still in the read store.
		"old.level": {Sensor: "old.level", Dam: "old", Time: now.Add(-24 * time.Hour), Value: 1, Quality: "good", Position: 3},
	}}
	for i := 1; i <= 25; i++ {
		d := "mejean"
		if i%2 == 0 {
			d = "bassin-nord"
		}
		v.timeline = append(v.timeline, readstore.TimelineEntry{Position: uint64(i), Stream: "sensor-" + d + ".level", Type: "sensor.threshold_crossed",
			Dam: d, Sensor: d + ".level", Time: now.Add(time.Duration(i-30) * time.Minute), RecordedAt: now.Add(time.Duration(i-30) * time.Minute),
			Actor: "apikey:gw", Summary: fmt.Sprintf("crossing %d, \"quoted\", with comma", i), Data: json.RawMessage(`{"n":1}`)})
	}
	return v
}

func (v *fakeViews) States(context.Context) ([]readstore.SensorState, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.err != nil {
		return nil, v.err
	}
	var out []readstore.SensorState
	for _, s := range v.states {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b readstore.SensorState) int { return strings.Compare(a.Sensor, b.Sensor) })
	return out, nil
}

func (v *fakeViews) State(_ context.Context, id string) (readstore.SensorState, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.err != nil {
		return readstore.SensorState{}, v.err
	}
	s, ok := v.states[id]
	if !ok {
		return readstore.SensorState{}, fmt.Errorf("state of %s: %w", id, readstore.ErrNotFound)
	}
	return s, nil
}

func (v *fakeViews) Series(_ context.Context, q readstore.SeriesQuery) ([]readstore.Point, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.lastSeries = q
	if v.err != nil {
		return nil, v.err
	}
	if q.Sensor != "mejean.level" {
		return nil, nil
	}
	return []readstore.Point{{Time: q.From, Min: 1, Max: 2, Avg: 1.5, Last: 2, Count: 3}}, nil
}

func (v *fakeViews) Timeline(_ context.Context, q readstore.TimelineQuery) ([]readstore.TimelineEntry, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.lastTimeline = q
	if v.err != nil {
		return nil, v.err
	}
	var out []readstore.TimelineEntry
	for _, e := range v.timeline {
		if e.Position <= q.After || q.Dam != "" && e.Dam != q.Dam || len(q.Types) > 0 && !slices.Contains(q.Types, e.Type) ||
			!q.From.IsZero() && e.Time.Before(q.From) || !q.To.IsZero() && !e.Time.Before(q.To) {
			continue
		}
		out = append(out, e)
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

func (v *fakeViews) Queries() (readstore.SeriesQuery, readstore.TimelineQuery) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.lastSeries, v.lastTimeline
}

// memLog is an in-memory event log: ReadAll, and Subscribe that catches up then follows.
type memLog struct {
	mu      sync.Mutex
	recs    []eventstore.Record
	changed chan struct{} // closed and replaced by every append
	subs    int
}

func newMemLog() *memLog { return &memLog{changed: make(chan struct{})} }

func (l *memLog) Append(types ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range types {
		p := uint64(len(l.recs) + 1)
		l.recs = append(l.recs, eventstore.Record{Position: p, Stream: "sensor-mejean.level", Revision: p - 1, Type: t, Schema: 1,
			Data: json.RawMessage(fmt.Sprintf(`{"n": %d}`, p)), Meta: eventstore.Metadata{Actor: "apikey:gw", CorrelationID: "c"}, RecordedAt: now.Add(time.Duration(p) * time.Second)})
	}
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *memLog) ReadAll(_ context.Context, after uint64, limit int) ([]eventstore.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if after >= uint64(len(l.recs)) {
		return nil, nil
	}
	recs := l.recs[after:]
	return slices.Clone(recs[:min(limit, len(recs))]), nil
}

func (l *memLog) Subscribe(ctx context.Context, after uint64, fn func([]eventstore.Record) error) error {
	l.mu.Lock()
	l.subs++
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.subs--
		l.mu.Unlock()
	}()
	for {
		l.mu.Lock()
		var batch []eventstore.Record
		if after < uint64(len(l.recs)) {
			batch = slices.Clone(l.recs[after:])
		}
		changed := l.changed
		l.mu.Unlock()
		if len(batch) > 0 {
			if err := fn(batch); err != nil {
				return err
			}
			after = batch[len(batch)-1].Position
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

func (l *memLog) Head(context.Context) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return uint64(len(l.recs)), nil
}

func (l *memLog) Subscribers() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.subs
}

// testSite is the reference customer (shared/reference/dams.yaml), with a table curve on the
// third dam to cover both kinds.
func testSite(t testing.TB) httpapi.Site {
	t.Helper()
	table, err := dam.NewTableCurve([]dam.CurvePoint{{Height: 0, Volume: 0}, {Height: 3, Volume: 6000}, {Height: 6, Volume: 23000}})
	if err != nil {
		t.Fatal(err)
	}
	spec := func(id string, maxPlausible float64) sensor.Spec {
		return sensor.Spec{ID: sensor.ID(id), Kind: "water_level", Unit: "m", PlausibleMin: -0.2, PlausibleMax: maxPlausible, Period: 5 * time.Minute}
	}
	th := func(v, a, c float64) []dam.Threshold {
		return []dam.Threshold{{Name: "vigilance", Level: v, Severity: dam.SeverityLow}, {Name: "alerte", Level: a, Severity: dam.SeverityHigh, OnDelay: time.Minute},
			{Name: "crise", Level: c, Severity: dam.SeverityCritical}}
	}
	return httpapi.Site{Name: "Nîmes", Dams: []dam.Dam{
		{ID: "mejean", Name: "Barrage de Méjean", Capacity: 52000, DykeHeight: 10, SpillwayCrest: 9, Curve: dam.PowerCurve{A: 520, B: 2},
			Sensors: []sensor.Spec{spec("mejean.level", 11)}, Thresholds: th(3, 6, 8.5)},
		{ID: "bassin-nord", Name: "Bassin Nord", Capacity: 75000, SpillwayCrest: 7.5, Curve: dam.PowerCurve{A: 3000, B: 1.6},
			Sensors: []sensor.Spec{spec("bassin-nord.level", 9)}, Thresholds: th(2.5, 5, 7)},
		{ID: "barrage-est", Name: "Barrage Est", Capacity: 23000, SpillwayCrest: 6, Curve: table,
			Sensors: []sensor.Spec{spec("barrage-est.level", 7.5)}, Thresholds: th(2, 4, 5.5)},
	}}
}

// authFailure says "unauthenticated" by behaviour, as apikey.ErrInvalidKey does.
type authFailure struct{}

func (authFailure) Error() string         { return "invalid or revoked API key" }
func (authFailure) Unauthenticated() bool { return true }

// Tokens of the fake key store.
const (
	tokGatewayNord = "vg_gw_nord"
	tokGatewayAll  = "vg_gw_all"
	tokViewer      = "vg_viewer"
	tokOperator    = "vg_operator"
	tokAdmin       = "vg_admin"
	tokBroken      = "vg_store_down"
)

func fakeKeys() httpapi.Authenticator {
	return httpapi.BearerKeys(func(token string) (httpapi.Principal, error) {
		switch token {
		case tokGatewayNord:
			return httpapi.Principal{Actor: "apikey:gw-nord", Role: httpapi.RoleGateway, Allowed: func(id sensor.ID) bool { return strings.HasPrefix(string(id), "bassin-nord.") }}, nil
		case tokGatewayAll:
			return httpapi.Principal{Actor: "apikey:gw-all", Role: httpapi.RoleGateway}, nil
		case tokViewer:
			return httpapi.Principal{Actor: "apikey:screen", Role: httpapi.RoleViewer}, nil
		case tokOperator:
			return httpapi.Principal{Actor: "apikey:op", Role: httpapi.RoleOperator}, nil
		case tokAdmin:
			return httpapi.Principal{Actor: "apikey:admin", Role: httpapi.RoleAdmin}, nil
		case tokBroken:
			return httpapi.Principal{}, errors.New("key file unreadable: secret detail")
		}
		return httpapi.Principal{}, fmt.Errorf("authenticate: %w", authFailure{})
	})
}

// syncBuffer collects log lines written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type env struct {
	srv      *httpapi.Server
	ingester *fakeIngester
	views    *fakeViews
	log      *memLog
	reg      *prometheus.Registry
	logs     *syncBuffer
	ready    *readiness
}

type readiness struct {
	mu  sync.Mutex
	err error
}

func (r *readiness) set(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

func (r *readiness) check(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func newEnv(t testing.TB, cfg httpapi.Config, modify ...func(*httpapi.Deps)) *env {
	t.Helper()
	e := &env{ingester: newFakeIngester(), views: newFakeViews(), log: newMemLog(), reg: prometheus.NewRegistry(), logs: &syncBuffer{}, ready: &readiness{}}
	deps := httpapi.Deps{
		Ingester: e.ingester, Auth: fakeKeys(), Views: e.views, Log: e.log, Site: httpapi.StaticSite(testSite(t)),
		Ready: e.ready.check, Metrics: e.reg, Clock: func() time.Time { return now },
	}
	for _, m := range modify {
		m(&deps)
	}
	srv, err := httpapi.New(cfg, deps, slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	e.srv = srv
	return e
}

// do sends a request; headers come as "Name: value".
func (e *env) do(t testing.TB, method, target string, body io.Reader, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for _, h := range headers {
		k, v, ok := strings.Cut(h, ":")
		if !ok {
			t.Fatalf("bad header %q", h)
		}
		req.Header.Set(k, strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec
}

func bearer(token string) string { return "Authorization: Bearer " + token }

// decode fails the test unless the body is JSON of the given shape.
func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s body %q: %v", rec.Header().Get("Content-Type"), rec.Body.String(), err)
	}
	return v
}

// problem checks a problem+json answer and returns it.
func problem(t testing.TB, rec *httptest.ResponseRecorder, status int) httpapi.Problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	p := decode[httpapi.Problem](t, rec)
	if p.Status != status || p.Title == "" || p.Type == "" || !strings.HasPrefix(p.Instance, "urn:vigie:request:") {
		t.Fatalf("problem = %+v: status, title, type or instance wrong", p)
	}
	return p
}
