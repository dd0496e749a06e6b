package httpapi_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/dam"
)

func TestConsultationAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		public  bool
		headers []string
		status  int
	}{
		{name: "no credentials", status: 401},
		{name: "wrong key", headers: []string{bearer("vg_wrong")}, status: 401},
		{name: "gateway may not read", headers: []string{bearer(tokGatewayAll)}, status: 403},
		{name: "viewer", headers: []string{bearer(tokViewer)}, status: 200},
		{name: "operator", headers: []string{bearer(tokOperator)}, status: 200},
		{name: "admin", headers: []string{bearer(tokAdmin)}, status: 200},
		{name: "public read without credentials", public: true, status: 200},
		{name: "public read still refuses a wrong key", public: true, headers: []string{bearer("vg_wrong")}, status: 401},
		{name: "public read does not make a gateway a reader", public: true, headers: []string{bearer(tokGatewayAll)}, status: 403},
	}
	paths := []string{"/api/v1/site", "/api/v1/dams", "/api/v1/dams/mejean", "/api/v1/sensors", "/api/v1/sensors/mejean.level",
		"/api/v1/sensors/mejean.level/series", "/api/v1/timeline", "/api/v1/events"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, httpapi.Config{PublicRead: tt.public})
			for _, p := range paths {
				rec := e.do(t, http.MethodGet, p, nil, tt.headers...)
				if rec.Code != tt.status {
					t.Errorf("GET %s: status %d, want %d (%s)", p, rec.Code, tt.status, rec.Body.String())
				}
			}
		})
	}
}

func TestPublicReadNeverOpensIngestion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	rec := e.do(t, http.MethodPost, "/api/v1/readings", strings.NewReader(`{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1}`))
	problem(t, rec, http.StatusUnauthorized)
}

type siteResponse struct {
	Name string `json:"name"`
	Dams []struct {
		ID             string  `json:"id"`
		CapacityM3     float64 `json:"capacity_m3"`
		SpillwayCrestM float64 `json:"spillway_crest_m"`
		Thresholds     []struct {
			Name     string  `json:"name"`
			LevelM   float64 `json:"level_m"`
			OnDelayS float64 `json:"on_delay_s"`
		} `json:"thresholds"`
		Sensors []struct {
			ID    string                 `json:"id"`
			State *readstore.SensorState `json:"state"`
		} `json:"sensors"`
		StorageCurve *struct {
			Kind   string `json:"kind"`
			Points []struct {
				H float64 `json:"h_m"`
				V float64 `json:"v_m3"`
			} `json:"points"`
		} `json:"storage_curve"`
	} `json:"dams"`
}

func TestSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	got := decode[siteResponse](t, e.do(t, http.MethodGet, "/api/v1/site", nil))
	if got.Name != "Nîmes" || len(got.Dams) != 3 {
		t.Fatalf("site = %+v", got)
	}
	m := got.Dams[0]
	if m.ID != "mejean" || m.CapacityM3 != 52000 || m.SpillwayCrestM != 9 || len(m.Thresholds) != 3 || m.Thresholds[1].OnDelayS != 60 || len(m.Sensors) != 1 {
		t.Errorf("mejean = %+v", m)
	}
	c := m.StorageCurve
	if c == nil || c.Kind != "power" || len(c.Points) != 51 || c.Points[0].V != 0 {
		t.Fatalf("mejean curve = %+v", c)
	}
	// Sampled up to the dyke: 10 m holds 520·10² m³.
	if last := c.Points[len(c.Points)-1]; last.H != 10.8 && last.H != 10 {
		t.Errorf("curve top = %+v", last)
	}
	for i := 1; i < len(c.Points); i++ {
		if c.Points[i].V < c.Points[i-1].V {
			t.Errorf("curve not increasing at %d: %+v", i, c.Points[i-1:i+1])
		}
	}
	if tc := got.Dams[2].StorageCurve; tc == nil || tc.Kind != "table" || len(tc.Points) != 3 {
		t.Errorf("table curve = %+v", tc)
	}
}

func TestDams(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	list := decode[siteResponse](t, e.do(t, http.MethodGet, "/api/v1/dams", nil))
	if len(list.Dams) != 3 || list.Dams[0].StorageCurve != nil {
		t.Errorf("dams = %+v (the list carries no curve)", list)
	}
	type damResponse = struct {
		ID      string `json:"id"`
		Sensors []struct {
			ID    string                 `json:"id"`
			State *readstore.SensorState `json:"state"`
		} `json:"sensors"`
	}
	d := decode[damResponse](t, e.do(t, http.MethodGet, "/api/v1/dams/mejean", nil))
	if d.ID != "mejean" || len(d.Sensors) != 1 || d.Sensors[0].State == nil || d.Sensors[0].State.Value != 6.2 {
		t.Errorf("dam = %+v", d)
	}
	d = decode[damResponse](t, e.do(t, http.MethodGet, "/api/v1/dams/bassin-nord", nil))
	if len(d.Sensors) != 1 || d.Sensors[0].State != nil {
		t.Errorf("a sensor that never reported has a state: %+v", d)
	}
	problem(t, e.do(t, http.MethodGet, "/api/v1/dams/nowhere", nil), http.StatusNotFound)
}

// A dam placed in the configuration carries its coordinates wherever the dam is served, for
// the dashboards' map; one without has no location key at all (not a dam at 0°, 0°).
func TestDamsCarryTheirLocation(t *testing.T) {
	t.Parallel()
	site := testSite(t)
	site.Dams[0].Location = &dam.Location{Lat: 43.8735, Lon: 4.3305}
	e := newEnv(t, httpapi.Config{PublicRead: true}, func(d *httpapi.Deps) { d.Site = httpapi.StaticSite(site) })
	type located struct {
		ID       string          `json:"id"`
		Location *map[string]any `json:"location"`
	}
	want := map[string]any{"lat": 43.8735, "lon": 4.3305}
	for _, target := range []string{"/api/v1/dams", "/api/v1/site"} {
		got := decode[struct {
			Dams []located `json:"dams"`
		}](t, e.do(t, http.MethodGet, target, nil))
		if len(got.Dams) != 3 {
			t.Fatalf("%s: %d dams", target, len(got.Dams))
		}
		if l := got.Dams[0].Location; l == nil || fmt.Sprint(*l) != fmt.Sprint(want) {
			t.Errorf("%s: mejean's location %v, want %v", target, l, want)
		}
		if l := got.Dams[1].Location; l != nil {
			t.Errorf("%s: bassin-nord, not located, has location %v", target, *l)
		}
	}
	one := decode[located](t, e.do(t, http.MethodGet, "/api/v1/dams/mejean", nil))
	if one.Location == nil || fmt.Sprint(*one.Location) != fmt.Sprint(want) {
		t.Errorf("/api/v1/dams/mejean: location %v, want %v", one.Location, want)
	}
	if rec := e.do(t, http.MethodGet, "/api/v1/dams/bassin-nord", nil); strings.Contains(rec.Body.String(), `"location"`) {
		t.Errorf("/api/v1/dams/bassin-nord: %s has a location", rec.Body)
	}
}

func TestSensors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	type sensorResponse = struct {
		ID    string                 `json:"id"`
		Dam   string                 `json:"dam"`
		Unit  string                 `json:"unit"`
		State *readstore.SensorState `json:"state"`
	}
	list := decode[struct {
		Sensors []sensorResponse `json:"sensors"`
	}](t, e.do(t, http.MethodGet, "/api/v1/sensors", nil))
	var ids []string
	for _, s := range list.Sensors {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, " ") != "mejean.level bassin-nord.level barrage-est.level old.level" {
		t.Errorf("sensors = %v: configured ones in order, then those only the read store knows", ids)
	}
	tests := []struct {
		id     string
		status int
		unit   string
		state  bool
	}{
		{id: "mejean.level", status: 200, unit: "m", state: true},
		{id: "bassin-nord.level", status: 200, unit: "m"},
		{id: "old.level", status: 200, state: true},
		{id: "nowhere.level", status: 404},
	}
	for _, tt := range tests {
		rec := e.do(t, http.MethodGet, "/api/v1/sensors/"+tt.id, nil)
		if tt.status != 200 {
			problem(t, rec, tt.status)
			continue
		}
		s := decode[sensorResponse](t, rec)
		if s.ID != tt.id || s.Unit != tt.unit || (s.State != nil) != tt.state {
			t.Errorf("sensor %s = %+v", tt.id, s)
		}
	}
}

func TestReadStoreFailureIs500(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	e.views.err = errors.New("clickhouse: connection refused")
	for _, p := range []string{"/api/v1/sensors", "/api/v1/sensors/mejean.level", "/api/v1/dams/mejean", "/api/v1/timeline", "/api/v1/timeline?format=csv"} {
		rec := e.do(t, http.MethodGet, p, nil)
		problem(t, rec, http.StatusInternalServerError)
		if strings.Contains(rec.Body.String(), "clickhouse") {
			t.Errorf("GET %s shows the cause: %s", p, rec.Body.String())
		}
	}
}

func TestSeries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		query    string
		status   int
		from, to time.Time
		step     time.Duration
	}{
		{name: "defaults: last 24 h, ~1000 points", query: "", status: 200, from: now.Add(-24 * time.Hour), to: now, step: 2 * time.Minute},
		{name: "relative range within 6 h is raw", query: "?from=-6h", status: 200, from: now.Add(-6 * time.Hour), to: now},
		{name: "days", query: "?from=-7d&to=now", status: 200, from: now.Add(-7 * 24 * time.Hour), to: now, step: 15 * time.Minute},
		{name: "absolute range, step in seconds", query: "?from=2025-10-10T02:00:00Z&to=2025-10-10T10:00:00%2B02:00&step=300", status: 200,
			from: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), to: time.Date(2025, 10, 10, 8, 0, 0, 0, time.UTC), step: 5 * time.Minute},
		{name: "step as a duration", query: "?from=-2h&step=10m", status: 200, from: now.Add(-2 * time.Hour), to: now, step: 10 * time.Minute},
		{name: "raw asked explicitly", query: "?from=-2d&step=raw", status: 200, from: now.Add(-48 * time.Hour), to: now},
		{name: "raw over too long a range", query: "?from=-30d&step=raw", status: 400},
		{name: "too many points", query: "?from=-30d&step=1s", status: 400},
		{name: "bad time", query: "?from=yesterday", status: 400},
		{name: "bad step", query: "?step=often", status: 400},
		{name: "NaN step", query: "?step=NaN", status: 400},
		{name: "step under a second", query: "?step=0.5", status: 400},
		{name: "from after to", query: "?from=-1h&to=-2h", status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, httpapi.Config{PublicRead: true})
			rec := e.do(t, http.MethodGet, "/api/v1/sensors/mejean.level/series"+tt.query, nil)
			if tt.status != 200 {
				p := problem(t, rec, tt.status)
				if len(p.Errors) != 1 || p.Errors[0].Parameter == "" {
					t.Errorf("problem does not name the parameter: %+v", p)
				}
				return
			}
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			q, _ := e.views.Queries()
			if q.Sensor != "mejean.level" || !q.From.Equal(tt.from) || !q.To.Equal(tt.to) || q.Step != tt.step {
				t.Errorf("query = %+v, want from %s to %s step %s", q, tt.from, tt.to, tt.step)
			}
			got := decode[struct {
				StepS  float64           `json:"step_s"`
				Points []readstore.Point `json:"points"`
			}](t, rec)
			if got.StepS != tt.step.Seconds() || len(got.Points) != 1 {
				t.Errorf("series = %+v", got)
			}
		})
	}
}

func TestSeriesOfUnknownSensor(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	problem(t, e.do(t, http.MethodGet, "/api/v1/sensors/nowhere/series", nil), http.StatusNotFound)
	// Configured but never reported: an empty series, not a 404.
	rec := e.do(t, http.MethodGet, "/api/v1/sensors/bassin-nord.level/series", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"points":[]`) {
		t.Errorf("status %d body %s", rec.Code, rec.Body.String())
	}
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	type page = struct {
		Entries   []readstore.TimelineEntry `json:"entries"`
		NextAfter uint64                    `json:"next_after"`
	}
	p := decode[page](t, e.do(t, http.MethodGet, "/api/v1/timeline?dam=mejean&type=sensor.threshold_crossed,other&after=2&limit=5&from=-1h", nil))
	if len(p.Entries) != 5 || p.Entries[0].Position != 3 || p.NextAfter != 11 {
		t.Errorf("page = %d entries from %d, next %d", len(p.Entries), p.Entries[0].Position, p.NextAfter)
	}
	_, q := e.views.Queries()
	if q.Dam != "mejean" || strings.Join(q.Types, ",") != "sensor.threshold_crossed,other" || q.After != 2 || q.Limit != 5 || !q.From.Equal(now.Add(-time.Hour)) {
		t.Errorf("query = %+v", q)
	}
	p = decode[page](t, e.do(t, http.MethodGet, "/api/v1/timeline?after=1000", nil))
	if p.Entries == nil || len(p.Entries) != 0 || p.NextAfter != 1000 {
		t.Errorf("past the end: %+v", p)
	}
	for _, bad := range []string{"?limit=0", "?limit=10001", "?after=-1", "?format=xml", "?to=soon"} {
		problem(t, e.do(t, http.MethodGet, "/api/v1/timeline"+bad, nil), http.StatusBadRequest)
	}
}

func TestTimelineCSVExport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		rows  int
	}{
		{query: "?format=csv", rows: 25},                 // everything, page after page
		{query: "?format=csv&limit=4", rows: 4},          // as asked
		{query: "?format=csv&dam=bassin-nord", rows: 12}, // filtered
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, httpapi.Config{PublicRead: true})
			rec := e.do(t, http.MethodGet, "/api/v1/timeline"+tt.query, nil)
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
			}
			rows, err := csv.NewReader(rec.Body).ReadAll()
			if err != nil {
				t.Fatalf("export is not CSV: %v", err)
			}
			if len(rows) != tt.rows+1 || rows[0][0] != "position" {
				t.Fatalf("%d rows (header %v), want %d + header", len(rows), rows[0], tt.rows)
			}
			if !strings.Contains(rows[1][7], `"quoted", with comma`) {
				t.Errorf("summary garbled: %q", rows[1][7])
			}
		})
	}
}

func TestEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	e.log.Append("sensor.configured", "sensor.readings_recorded", "sensor.readings_recorded", "sensor.threshold_crossed")
	type page = struct {
		Events []struct {
			Position uint64         `json:"position"`
			Stream   string         `json:"stream"`
			Revision uint64         `json:"revision"`
			Type     string         `json:"type"`
			Schema   int            `json:"schema"`
			Time     time.Time      `json:"time"`
			Data     map[string]any `json:"data"`
			Metadata struct {
				Actor string `json:"actor"`
			} `json:"metadata"`
		} `json:"events"`
		NextAfter uint64 `json:"next_after"`
	}
	p := decode[page](t, e.do(t, http.MethodGet, "/api/v1/events?after=1&limit=2", nil))
	if len(p.Events) != 2 || p.Events[0].Position != 2 || p.NextAfter != 3 {
		t.Fatalf("page = %+v", p)
	}
	ev := p.Events[0]
	if ev.Stream != "sensor-mejean.level" || ev.Revision != 1 || ev.Type != "sensor.readings_recorded" || ev.Schema != 1 ||
		!ev.Time.Equal(now.Add(2*time.Second)) || ev.Data["n"] != float64(2) || ev.Metadata.Actor != "apikey:gw" {
		t.Errorf("event = %+v", ev)
	}
	p = decode[page](t, e.do(t, http.MethodGet, "/api/v1/events?after=3", nil))
	if len(p.Events) != 1 || p.NextAfter != 4 {
		t.Errorf("last page = %+v", p)
	}
	p = decode[page](t, e.do(t, http.MethodGet, "/api/v1/events?after=4", nil))
	if p.Events == nil || len(p.Events) != 0 || p.NextAfter != 4 {
		t.Errorf("at the head = %+v", p)
	}
	for _, bad := range []string{"?limit=0", "?limit=10001", "?limit=x", "?after=x"} {
		problem(t, e.do(t, http.MethodGet, "/api/v1/events"+bad, nil), http.StatusBadRequest)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	if rec := e.do(t, http.MethodGet, "/healthz", nil); rec.Code != 200 {
		t.Errorf("healthz = %d", rec.Code)
	}
	e.ready.set(errors.New("projection alarm-board.v1 at 120 of 4000"))
	p := problem(t, e.do(t, http.MethodGet, "/readyz", nil), http.StatusServiceUnavailable)
	if !strings.Contains(p.Detail, "alarm-board.v1 at 120") {
		t.Errorf("readyz does not say why: %+v", p)
	}
	e.ready.set(nil)
	if rec := e.do(t, http.MethodGet, "/readyz", nil); rec.Code != 200 {
		t.Errorf("readyz = %d once caught up", rec.Code)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	body := `[{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1},{"sensor":"mejean.level","time":"2025-10-10T02:01:00Z","value":1}]`
	e.do(t, http.MethodPost, "/api/v1/readings", strings.NewReader(body), bearer(tokGatewayAll))
	e.do(t, http.MethodPost, "/api/v1/readings", strings.NewReader(`[{"sensor":"mejean.level"}]`), bearer(tokGatewayAll))
	e.do(t, http.MethodGet, "/api/v1/sensors/mejean.level", nil)
	rec := e.do(t, http.MethodGet, "/metrics", nil)
	if rec.Code != 200 {
		t.Fatalf("metrics status %d", rec.Code)
	}
	for _, want := range []string{
		`vigie_readings_total{outcome="accepted"} 2`,
		`vigie_readings_total{outcome="refused"} 1`,
		`vigie_http_requests_total{code="200",method="POST",route="/api/v1/readings"} 1`,
		`vigie_http_requests_total{code="422",method="POST",route="/api/v1/readings"} 1`,
		`vigie_http_requests_total{code="401",method="GET",route="/api/v1/sensors/{id}"} 1`,
		`vigie_http_request_duration_seconds_count{method="POST",route="/api/v1/readings"} 2`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestNewRefusesMissingDeps(t *testing.T) {
	t.Parallel()
	_, err := httpapi.New(httpapi.Config{MaxBatch: -1}, httpapi.Deps{}, nil)
	if err == nil {
		t.Fatal("New accepted nil dependencies")
	}
	for _, want := range []string{"max batch", "ingester", "authenticator", "views", "event log", "site", "readiness", "metrics", "logger"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestNewRefusesARegistryUsedTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	_, err := httpapi.New(httpapi.Config{}, httpapi.Deps{Ingester: newFakeIngester(), Auth: fakeKeys(), Views: newFakeViews(), Log: newMemLog(),
		Site: httpapi.StaticSite{}, Ready: e.ready.check, Metrics: e.reg}, slog.New(slog.DiscardHandler))
	if err == nil {
		t.Fatal("two servers registered the same metrics")
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	problem(t, e.do(t, http.MethodGet, "/api/v1/nothing", nil), http.StatusNotFound)
	problem(t, e.do(t, http.MethodGet, "/", nil), http.StatusNotFound) // no UI
	problem(t, e.do(t, http.MethodDelete, "/api/v1/sensors", nil), http.StatusMethodNotAllowed)
}

func TestUI(t *testing.T) {
	t.Parallel()
	ui := fstest.MapFS{
		"index.html":    {Data: []byte("<!doctype html><title>Vigie</title>")},
		"assets/app.js": {Data: []byte("console.log('vigie')")},
	}
	e := newEnv(t, httpapi.Config{PublicRead: true}, func(d *httpapi.Deps) { d.UI = ui })
	tests := []struct {
		path   string
		status int
		body   string
	}{
		{path: "/", status: 200, body: "<title>Vigie"},
		{path: "/assets/app.js", status: 200, body: "console.log"},
		{path: "/dams/mejean", status: 200, body: "<title>Vigie"}, // SPA route
		{path: "/assets", status: 200, body: "<title>Vigie"},      // a folder is not listed
		{path: "/../../etc/passwd", status: 200, body: "<title>Vigie"},
		{path: "/assets/old-bundle.js", status: 404},
		{path: "/api/v1/nothing", status: 404},
		{path: "/api", status: 404},
	}
	for _, tt := range tests {
		rec := e.do(t, http.MethodGet, tt.path, nil)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("GET %s = %d %q, want %d with %q", tt.path, rec.Code, rec.Body.String(), tt.status, tt.body)
		}
	}
	if rec := e.do(t, http.MethodPost, "/dams/mejean", nil); rec.Code != 404 {
		t.Errorf("POST to a UI path = %d, want 404", rec.Code)
	}
}

func TestPanicIs500(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true}, func(d *httpapi.Deps) { d.Site = panickingSite{} })
	rec := e.do(t, http.MethodGet, "/api/v1/site", nil)
	problem(t, rec, http.StatusInternalServerError)
	if !strings.Contains(e.logs.String(), "panic: boom") {
		t.Error("panic not logged")
	}
}

type panickingSite struct{}

func (panickingSite) Site(context.Context) (httpapi.Site, error) {
	panic("boom")
}
