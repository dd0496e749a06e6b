package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	streams  prometheus.Gauge

	// Resolved once: the hot path does not hash label values.
	accepted, duplicate, rejected, refused prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	readings := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "vigie", Name: "readings_total",
		Help: "Readings received over HTTP by outcome: accepted, duplicate, rejected (by the domain), refused (well-formed readings of a request refused whole: nothing stored).",
	}, []string{"outcome"})
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "vigie", Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "vigie", Subsystem: "http", Name: "request_duration_seconds",
			Help:    "HTTP request duration by route pattern and method (event streams last as long as the client stays).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "vigie", Subsystem: "http", Name: "requests_in_flight", Help: "HTTP requests being served.",
		}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "vigie", Subsystem: "http", Name: "event_streams_open", Help: "Open Server-Sent Events streams.",
		}),
		accepted:  readings.WithLabelValues("accepted"),
		duplicate: readings.WithLabelValues("duplicate"),
		rejected:  readings.WithLabelValues("rejected"),
		refused:   readings.WithLabelValues("refused"),
	}
	for _, c := range []prometheus.Collector{readings, m.requests, m.duration, m.inFlight, m.streams} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register HTTP metrics: %w", err)
		}
	}
	return m, nil
}

// instrument counts and times requests by route pattern (never by raw path: ids in paths would
// make one series per sensor and per attacker's guess).
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.metrics.inFlight.Inc()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			s.metrics.inFlight.Dec()
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "other"
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
			s.metrics.duration.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status code. Unwrap lets http.ResponseController reach the
// connection (flush, deadlines) for event streams.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
