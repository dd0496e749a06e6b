// Package httpapi is Vigie's HTTP API: ingestion of readings from gateways, consultation of the
// read models, the event log and its live stream (Server-Sent Events), health, readiness and
// Prometheus metrics, and the static UI. docs/openapi.yaml documents every route; a test keeps
// the two in step.
package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/dam"
)

// Ingester stores readings (commands.Ingester).
type Ingester interface {
	Handle(ctx context.Context, cmd commands.IngestReadings) (commands.IngestResult, error)
}

// Views are the read-store queries the API serves (a subset of readstore.Store).
type Views interface {
	States(ctx context.Context) ([]readstore.SensorState, error)
	State(ctx context.Context, sensor string) (readstore.SensorState, error)
	Series(ctx context.Context, q readstore.SeriesQuery) ([]readstore.Point, error)
	Timeline(ctx context.Context, q readstore.TimelineQuery) ([]readstore.TimelineEntry, error)
}

// EventLog reads and follows the global log (a subset of eventstore.Store).
type EventLog interface {
	ReadAll(ctx context.Context, after uint64, limit int) ([]eventstore.Record, error)
	Subscribe(ctx context.Context, after uint64, fn func(batch []eventstore.Record) error) error
	Head(ctx context.Context) (uint64, error)
}

// Site is the installation as configured: its name and its dams.
type Site struct {
	Name string
	Dams []dam.Dam
}

// SiteSource gives the site as configured now (the configuration may change while running).
type SiteSource interface {
	Site(ctx context.Context) (Site, error)
}

// StaticSite is a SiteSource that never changes.
type StaticSite Site

func (s StaticSite) Site(context.Context) (Site, error) { return Site(s), nil }

// Deps are what the server needs; all but UI, Clock and Alarms are required.
type Deps struct {
	Ingester Ingester
	Auth     Authenticator
	Views    Views
	Log      EventLog
	Site     SiteSource
	// Ready returns nil once the server can answer with current data (projections caught up),
	// else an error saying why not: it is shown in /readyz.
	Ready func(ctx context.Context) error
	// Metrics receives the API's collectors and is served at /metrics.
	Metrics *prometheus.Registry
	// UI, when set, is served at / with index.html as the fallback of unknown non-API paths.
	UI fs.FS
	// Clock is the time relative query times ("-24h") count from. Default time.Now.
	Clock func() time.Time
	// Alarms, when set, serves the alarm endpoints (alarms.go); without it they answer 501.
	Alarms AlarmService
	// Refused, when set, is told of each readings request refused for who sent it or what it
	// claims (refused.go): the technical alarm on clients hammering the API. It must not block.
	Refused func(RefusedRequest)
	// Web, when set, adds people's logins (session cookies, tried after Auth), dashboards and
	// embed links (web.go); without it those endpoints answer 501.
	Web *Web
	// ConfigAdmin, when set, serves the configuration to administrators (configadmin.go).
	ConfigAdmin ConfigAdmin
	// AckLinks and LinkAck, both set, serve GET and POST /ack, the page of the one-click
	// acknowledgement links of messages (ack.go); neither: not served.
	AckLinks AckLinkVerifier
	LinkAck  LinkAcknowledger
	// Webhooks, when set, is mounted at /api/v1/webhooks without API-key authentication: the
	// notification providers' callbacks, which authenticate their caller (webhooks.go).
	Webhooks http.Handler
	// Reports, when set, serves GET /api/v1/report, the post-flood report (report.go).
	Reports Reports
	// Replays, when set, serves POST /api/v1/replay, the what-if replay (replay.go).
	Replays Replays
}

// Config tunes the server; zero fields take the defaults shown.
type Config struct {
	// MaxBodyBytes bounds a readings body (default 8 MiB): beyond, 413.
	MaxBodyBytes int64
	// MaxBatch bounds the readings of one request (default 10,000): beyond, 413.
	MaxBatch int
	// FullResultsUpTo: a batch of at most this many readings gets one result per reading
	// (default 1,000); a larger one lists only the readings not accepted, with the counts.
	FullResultsUpTo int
	// PublicRead lets consultation run without credentials (demo); ingestion always needs a key.
	PublicRead bool
	// Heartbeat is the period of SSE comment lines that keep proxies from closing an idle stream
	// (default 15 s).
	Heartbeat time.Duration
	// MaxRawRange bounds the range of a raw series (default 7 days): beyond, ask for a step.
	MaxRawRange time.Duration
	// MaxPoints bounds the buckets of a series (default 10,000).
	MaxPoints int
	// Replay guards POST /api/v1/replay (zero fields: 31 days, 5 minutes).
	Replay ReplayLimits
}

func (c *Config) setDefaults() {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 8 << 20
	}
	if c.MaxBatch == 0 {
		c.MaxBatch = 10_000
	}
	if c.FullResultsUpTo == 0 {
		c.FullResultsUpTo = 1_000
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = 15 * time.Second
	}
	if c.MaxRawRange == 0 {
		c.MaxRawRange = 7 * 24 * time.Hour
	}
	if c.MaxPoints == 0 {
		c.MaxPoints = 10_000
	}
}

// Validate reports every mistake at once.
func (c Config) Validate() error {
	var errs []error
	if c.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("max body bytes %d must be positive", c.MaxBodyBytes))
	}
	if c.MaxBatch < 0 {
		errs = append(errs, fmt.Errorf("max batch %d must be positive", c.MaxBatch))
	}
	if c.FullResultsUpTo < 0 {
		errs = append(errs, fmt.Errorf("full results up to %d must be positive", c.FullResultsUpTo))
	}
	if c.Heartbeat < 0 {
		errs = append(errs, fmt.Errorf("heartbeat %s must be positive", c.Heartbeat))
	}
	if c.MaxRawRange < 0 {
		errs = append(errs, fmt.Errorf("max raw range %s must be positive", c.MaxRawRange))
	}
	if c.MaxPoints < 0 {
		errs = append(errs, fmt.Errorf("max points %d must be positive", c.MaxPoints))
	}
	return errors.Join(errs...)
}

func (d Deps) validate() error {
	var errs []error
	if d.Ingester == nil {
		errs = append(errs, errors.New("ingester is nil"))
	}
	if d.Auth == nil {
		errs = append(errs, errors.New("authenticator is nil"))
	}
	if d.Views == nil {
		errs = append(errs, errors.New("views are nil"))
	}
	if d.Log == nil {
		errs = append(errs, errors.New("event log is nil"))
	}
	if d.Site == nil {
		errs = append(errs, errors.New("site source is nil"))
	}
	if d.Ready == nil {
		errs = append(errs, errors.New("readiness func is nil"))
	}
	if d.Metrics == nil {
		errs = append(errs, errors.New("metrics registry is nil"))
	}
	errs = append(errs, d.validateLinks())
	return errors.Join(errs...)
}

// Server is the HTTP API. It is an http.Handler.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	router  *chi.Mux
	metrics *metrics
	now     func() time.Time

	// ids are the request ids: a random prefix per process and a counter, unique and cheap.
	idPrefix string
	idSeq    atomic.Uint64

	bufs sync.Pool // *[]byte request bodies

	// streams ends every SSE stream on CloseStreams (server shutdown).
	streams      context.Context
	closeStreams context.CancelFunc
}

// New validates its inputs, registers the metrics and builds the router.
func New(cfg Config, deps Deps, logger *slog.Logger) (*Server, error) {
	cfg.setDefaults()
	errs := []error{cfg.Validate(), deps.validate()}
	if logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new HTTP API: %w", err)
	}
	m, err := newMetrics(deps.Metrics)
	if err != nil {
		return nil, fmt.Errorf("new HTTP API: %w", err)
	}
	var prefix [6]byte
	_, _ = rand.Read(prefix[:])
	s := &Server{cfg: cfg, deps: deps, log: logger, metrics: m, now: deps.Clock, idPrefix: hex.EncodeToString(prefix[:]) + "-"}
	if s.now == nil {
		s.now = time.Now
	}
	s.streams, s.closeStreams = context.WithCancel(context.Background())
	if deps.Web != nil {
		s.deps.Auth = FirstOf(append([]Authenticator{deps.Auth}, deps.Web.authenticators()...)...)
	}
	s.router = s.routes()
	return s, nil
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Routes exposes the router for chi.Walk (the OpenAPI test lists the routes with it).
func (s *Server) Routes() chi.Routes { return s.router }

// CloseStreams ends every open event stream: http.Server.Shutdown waits for handlers, and an SSE
// handler never ends by itself. Wire it with http.Server.RegisterOnShutdown.
func (s *Server) CloseStreams() { s.closeStreams() }

func (s *Server) routes() *chi.Mux {
	r := chi.NewRouter()
	r.Use(s.withRequestID, s.instrument, s.recoverPanic)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, Problem{Type: typeBlank, Title: "Method Not Allowed", Status: http.StatusMethodNotAllowed,
			Detail: r.Method + " is not allowed on " + r.URL.Path, Instance: "urn:vigie:request:" + requestID(r.Context())})
	})

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(s.deps.Metrics, promhttp.HandlerOpts{Registry: s.deps.Metrics}))

	r.Route("/api/v1", func(r chi.Router) {
		r.With(s.require(permIngest)).Post("/readings", s.postReadings)
		r.Group(func(r chi.Router) {
			r.Use(s.require(permRead))
			r.Get("/site", s.getSite)
			r.Get("/dams", s.getDams)
			r.Get("/dams/{id}", s.getDam)
			r.Get("/sensors", s.getSensors)
			r.Get("/sensors/{id}", s.getSensor)
			r.Get("/sensors/{id}/series", s.getSeries)
			r.Get("/timeline", s.getTimeline)
			r.Get("/events", s.getEvents)
			r.Get("/stream", s.stream)
		})
		s.alarmRoutes(r)
		s.webRoutes(r)
		s.webhookRoutes(r)
		s.reportRoutes(r)
		s.replayRoutes(r)
	})
	s.ackRoutes(r)
	return r
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, []byte(`{"status":"ok"}`))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Ready(r.Context()); err != nil {
		// The reason is meant for the operator looking at the probe: shown, not hidden.
		writeProblem(w, Problem{Type: typeNotReady, Title: "Not ready", Status: http.StatusServiceUnavailable,
			Detail: err.Error(), Instance: "urn:vigie:request:" + requestID(r.Context())})
		return
	}
	writeJSON(w, http.StatusOK, []byte(`{"status":"ready"}`))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if s.deps.UI != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !isAPIPath(r.URL.Path) {
		s.serveUI(w, r)
		return
	}
	s.fail(w, r, notFound("no route for %s %s", r.Method, r.URL.Path))
}

// requestState is what the middlewares learn about a request, in one context value: each
// r.WithContext copies the whole request, so there is one per request, not one per fact.
type requestState struct {
	id        string
	principal Principal
	authed    bool
}

type requestStateKey struct{}

func stateOf(ctx context.Context) *requestState {
	st, _ := ctx.Value(requestStateKey{}).(*requestState)
	if st == nil {
		return &requestState{}
	}
	return st
}

func requestID(ctx context.Context) string { return stateOf(ctx).id }

// withRequestID takes the caller's X-Request-ID when it is sane (a gateway may log its own), else
// makes one. It becomes the correlation id of the events the request causes.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !saneID(id) {
			id = s.idPrefix + strconv.FormatUint(s.idSeq.Add(1), 36)
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestStateKey{}, &requestState{id: id})))
	})
}

func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// recoverPanic answers 500 and logs the panic instead of dropping the connection.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler { //nolint:errorlint // net/http compares it the same way
				panic(v)
			}
			s.fail(w, r, fmt.Errorf("panic: %v", v))
		}()
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func isAPIPath(p string) bool {
	return p == "/api" || len(p) >= 5 && p[:5] == "/api/"
}
