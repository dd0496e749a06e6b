package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	esembedded "github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/adapters/readstore"
	rsembedded "github.com/vigie/vigie/adapters/readstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/catalog"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/event"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/examples"
	"github.com/vigie/vigie/projections"
)

// alarmJSON is what the test reads of an alarm view.
type alarmJSON struct {
	ID          string    `json:"id"`
	Dam         string    `json:"dam"`
	Condition   string    `json:"condition"`
	Class       string    `json:"class"`
	State       string    `json:"state"`
	Active      bool      `json:"active"`
	Severity    string    `json:"severity"`
	RaisedAt    time.Time `json:"raised_at"`
	ReturnedAt  time.Time `json:"returned_at"`
	Late        bool      `json:"late"`
	Historical  bool      `json:"historical"`
	AckedBy     string    `json:"acked_by"`
	Summary     string    `json:"summary"`
	Suppression *struct {
		By string `json:"by"`
	} `json:"suppression"`
	History []struct {
		Type    string `json:"type"`
		Summary string `json:"summary"`
		Actor   string `json:"actor"`
	} `json:"history"`
}

// expectedAlarms recomputes, from the data and independently of the product, what each dam
// must raise: a level alarm per upward crossing, the stale episode of the dropout (from the gap
// between two readings), the frozen run, the implausible spike; for rate of rise and time to
// spill, only a deadline (before the alerte threshold, before the spillway crest).
type expectation struct {
	at       time.Time // zero: only before applies
	before   time.Time
	returned time.Time // zero: not checked
}

func expectedAlarms(t *testing.T, rows []stormRow) map[string]map[string]expectation {
	t.Helper()
	damOf := map[string]string{"mejean.level": "mejean", "bassin-nord.level": "bassin-nord", "barrage-est.level": "barrage-est"}
	crest := map[string]float64{"mejean": 9, "bassin-nord": 7.5, "barrage-est": 6}
	thresholds := map[string][]float64{"mejean.level": {3, 6, 8.5}, "bassin-nord.level": {2.5, 5, 7}, "barrage-est.level": {2, 4, 5.5}}
	out := map[string]map[string]expectation{"mejean": {}, "bassin-nord": {}, "barrage-est": {}}
	for _, c := range expectedCrossings(rows, thresholds, []string{"vigilance", "alerte", "crise"}, 0.05) {
		d, cond := damOf[c.Sensor], "level:"+c.Threshold
		e := out[d][cond]
		if c.Direction == "up" && e.at.IsZero() {
			e.at = c.At
		} else if c.Direction == "down" {
			e.returned = c.At
		}
		out[d][cond] = e
	}
	perSensor := map[string][]stormRow{}
	for _, r := range rows {
		perSensor[r.Sensor] = append(perSensor[r.Sensor], r)
	}
	for s, rs := range perSensor {
		d := damOf[s]
		var spilled time.Time
		var frozenStart, frozenEnd time.Time
		for i, r := range rs {
			if r.Injected == "spike" {
				out[d]["implausible:"+s] = expectation{at: r.Time}
				continue
			}
			if spilled.IsZero() && r.Value >= crest[d] {
				spilled = r.Time
			}
			if i > 0 && r.Time.Sub(rs[i-1].Time) >= 15*time.Minute {
				out[d]["stale:"+s] = expectation{at: rs[i-1].Time.Add(15 * time.Minute), returned: r.Time}
			}
			if r.Injected == "frozen" && frozenStart.IsZero() {
				frozenStart = r.Time
			}
			if !frozenStart.IsZero() && frozenEnd.IsZero() && r.Injected != "frozen" {
				frozenEnd = r.Time
			}
		}
		out[d]["rate_of_rise"] = expectation{before: out[d]["level:alerte"].at}
		out[d]["time_to_spill"] = expectation{before: spilled}
		if !frozenStart.IsZero() {
			// The run of equal values may begin a reading before the generator's label: 30 min
			// of it (frozen.after in nimes.yaml) makes the alarm, which ends at the next value.
			out[d]["frozen:"+s] = expectation{before: frozenEnd, returned: frozenEnd}
		}
	}
	return out
}

func TestAlarmsThroughTheAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	rows := readStorm(t, referenceStorm)
	data := t.TempDir()
	gateway := createKey(t, data, "gateway")
	operator := createKey(t, data, "operator")
	viewer := createKey(t, data, "viewer")
	srv := startServer(t, "--config", "../../examples/nimes.yaml", "--data", data)

	postStormRows(t, srv.base, gateway, rows)

	want := expectedAlarms(t, rows)
	total := 0
	for _, conds := range want {
		total += len(conds)
	}
	var alarms []alarmJSON
	list := func() []alarmJSON {
		var page struct{ Alarms []alarmJSON }
		srv.getJSONAuth(t, viewer, "/api/v1/alarms?limit=1000", &page)
		return page.Alarms
	}
	waitFor(t, 60*time.Second, fmt.Sprintf("%d alarms", total), func() bool {
		alarms = list()
		// The last of the storm: Barrage Est's vigilance alarm returns to normal at 09:50.
		return len(alarms) >= total && slices.ContainsFunc(alarms, func(a alarmJSON) bool {
			return a.ID == "barrage-est~level:vigilance~1" && a.State == "unack_rtn"
		})
	})

	byDam := map[string][]alarmJSON{}
	for _, a := range alarms {
		byDam[a.Dam] = append(byDam[a.Dam], a)
	}
	for d, conds := range want {
		got := byDam[d]
		sort.Slice(got, func(i, j int) bool { return got[i].RaisedAt.Before(got[j].RaisedAt) })
		var gotConds []string
		for _, a := range got {
			gotConds = append(gotConds, a.Condition)
			w, ok := conds[a.Condition]
			switch {
			case !ok:
				t.Errorf("%s: unexpected alarm %s raised at %s", d, a.ID, a.RaisedAt)
				continue
			case !w.at.IsZero() && !a.RaisedAt.Equal(w.at):
				t.Errorf("%s: %s raised at %s, want %s", d, a.Condition, a.RaisedAt, w.at)
			case !w.before.IsZero() && !a.RaisedAt.Before(w.before):
				t.Errorf("%s: %s raised at %s, want before %s", d, a.Condition, a.RaisedAt, w.before)
			case !w.returned.IsZero() && !a.ReturnedAt.Equal(w.returned):
				t.Errorf("%s: %s returned to normal at %s, want %s", d, a.Condition, a.ReturnedAt, w.returned)
			}
			if !a.Late {
				t.Errorf("%s: %s from a storm posted a year later is not late", d, a.ID)
			}
		}
		if len(got) != len(conds) {
			t.Errorf("%s: raised %v, want one of each of %v", d, gotConds, sortedKeys(conds))
		}
		t.Logf("%s raised, in order: %s", d, strings.Join(gotConds, ", "))
	}
	// The spike at 03:00 raises nothing but its technical alarm.
	for _, a := range byDam["mejean"] {
		if a.RaisedAt.Equal(rows[0].Time.Add(time.Hour)) && a.Condition != "implausible:mejean.level" {
			t.Errorf("the 03:00 spike raised %s", a.ID)
		}
	}
	stale := findAlarm(t, alarms, "bassin-nord~stale:bassin-nord.level~1")
	if stale.State != "unack_rtn" || !stale.Historical || stale.Class != "technical" {
		t.Errorf("stale alarm of the dropout: %+v, want a historical technical alarm back to normal", stale)
	}

	t.Run("commands", func(t *testing.T) { alarmCommands(t, srv, operator, viewer, alarms) })

	// The views survive a restart, and a rebuild from the log gives them back identical.
	before := list()
	srv.stop(t)
	run(t, "rebuild", "--data", data, "--config", "../../examples/nimes.yaml")
	srv = startServer(t, "--config", "../../examples/nimes.yaml", "--data", data)
	var after []alarmJSON
	waitFor(t, 30*time.Second, "alarm views after a rebuild", func() bool {
		after = list()
		return len(after) == len(before)
	})
	if a, b := canonical(t, after), canonical(t, before); a != b {
		t.Errorf("alarm views after rebuild and restart differ:\nbefore %s\nafter  %s", b, a)
	}
}

func alarmCommands(t *testing.T, srv *server, operator, viewer string, alarms []alarmJSON) {
	crise := "mejean~level:crise~1"
	tests := []struct {
		name, key, path string
		body            string
		status          int
		problem         string // problem type, for errors
		check           func(t *testing.T, body []byte)
	}{
		{name: "a viewer may not acknowledge", key: viewer, path: "/api/v1/alarms/" + crise + "/ack", body: `{}`, status: 403},
		{name: "unknown alarm", key: operator, path: "/api/v1/alarms/mejean~level:alerte~9/ack", body: `{}`, status: 404},
		{name: "acknowledge", key: operator, path: "/api/v1/alarms/" + url.PathEscape(crise) + "/ack", body: `{"comment":"vu, équipe sur place","via":"web"}`, status: 200,
			check: func(t *testing.T, body []byte) {
				var res struct {
					Alarm    alarmJSON
					Recorded int
				}
				json.Unmarshal(body, &res)
				if res.Alarm.State != "normal" || res.Alarm.AckedBy == "" || res.Recorded != 1 {
					t.Errorf("after ack: %s", body)
				}
			}},
		{name: "acknowledge again changes nothing", key: operator, path: "/api/v1/alarms/" + crise + "/ack", body: ``, status: 200,
			check: func(t *testing.T, body []byte) {
				if !strings.Contains(string(body), `"recorded":0`) {
					t.Errorf("second ack: %s", body)
				}
			}},
		{name: "shelving an alarm that is over", key: operator, path: "/api/v1/alarms/" + crise + "/shelve",
			body: `{"reason":"test","until":"` + time.Now().Add(time.Hour).UTC().Format(time.RFC3339) + `"}`, status: 409, problem: "urn:vigie:problem:alarm-state"},
		{name: "comment", key: operator, path: "/api/v1/alarms/" + crise + "/comment", body: `{"text":"revue après crue"}`, status: 200},
		{name: "empty comment", key: operator, path: "/api/v1/alarms/" + crise + "/comment", body: `{"text":""}`, status: 422, problem: "urn:vigie:problem:invalid-command"},
		{name: "malformed body", key: operator, path: "/api/v1/alarms/" + crise + "/comment", body: `{"txt":"x"}`, status: 400},
		{name: "close", key: operator, path: "/api/v1/alarms/" + crise + "/close", body: `{"reason":"crue terminée"}`, status: 200},
		{name: "shelve a closed alarm", key: operator, path: "/api/v1/alarms/" + crise + "/shelve",
			body: `{"reason":"test","until":"` + time.Now().Add(time.Hour).UTC().Format(time.RFC3339) + `"}`, status: 409, problem: "urn:vigie:problem:alarm-state"},
	}
	if a, ok := firstActive(alarms); ok {
		tests = append(tests, struct {
			name, key, path string
			body            string
			status          int
			problem         string
			check           func(t *testing.T, body []byte)
		}{name: "closing an active alarm", key: operator, path: "/api/v1/alarms/" + a.ID + "/close", body: `{"reason":"x"}`, status: 409, problem: "urn:vigie:problem:alarm-state"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := srv.postJSON(t, tt.key, tt.path, tt.body)
			if code != tt.status {
				t.Fatalf("POST %s: %d %s, want %d", tt.path, code, body, tt.status)
			}
			if tt.problem != "" && !strings.Contains(string(body), tt.problem) {
				t.Errorf("problem %s, want type %s", body, tt.problem)
			}
			if tt.check != nil {
				tt.check(t, body)
			}
		})
	}
	var got alarmJSON
	srv.getJSONAuth(t, viewer, "/api/v1/alarms/"+crise, &got)
	var types []string
	for _, h := range got.History {
		types = append(types, h.Type)
		if h.Summary == "" {
			t.Errorf("history entry %s has no summary", h.Type)
		}
	}
	if want := []string{"alarm.raised", "alarm.returned_to_normal", "alarm.acknowledged", "alarm.commented", "alarm.closed"}; !slices.Equal(types, want) {
		t.Errorf("history of %s: %v, want %v", crise, types, want)
	}

	// Maintenance of a sensor suppresses its alarms in progress; returning it to service shows
	// the active ones again, unacknowledged.
	code, body := srv.postJSON(t, operator, "/api/v1/sensors/bassin-nord.level/out-of-service", `{"reason":"remplacement de la sonde"}`)
	if code != 200 {
		t.Fatalf("out of service: %d %s", code, body)
	}
	var m struct{ Alarms []string }
	json.Unmarshal(body, &m)
	if len(m.Alarms) == 0 {
		t.Errorf("out of service suppressed no alarm: %s", body)
	}
	for _, id := range m.Alarms {
		var a alarmJSON
		srv.getJSONAuth(t, viewer, "/api/v1/alarms/"+id, &a)
		if a.State != "suppressed_by_design" || a.Suppression == nil {
			t.Errorf("%s after out of service: %s", id, a.State)
		}
	}
	if code, body := srv.postJSON(t, operator, "/api/v1/sensors/bassin-nord.level/in-service", ``); code != 200 {
		t.Fatalf("in service: %d %s", code, body)
	}
	if code, body := srv.postJSON(t, operator, "/api/v1/sensors/nowhere.level/out-of-service", `{"reason":"x"}`); code != 404 {
		t.Errorf("unknown sensor out of service: %d %s", code, body)
	}

	// KPIs over the storm's day.
	var k struct {
		Dams []struct {
			Dam         string
			Annunciated int
		}
		TimeToAck struct{ Count int } `json:"time_to_ack"`
		Standing  int
	}
	srv.getJSONAuth(t, viewer, "/api/v1/alarms/kpis?from=2025-10-10T00:00:00Z&to=2025-10-11T00:00:00Z", &k)
	if len(k.Dams) != 3 || k.TimeToAck.Count < 1 || k.Standing == 0 {
		t.Errorf("KPIs: %+v", k)
	}
	for _, d := range k.Dams {
		if d.Annunciated < 6 {
			t.Errorf("KPIs of %s: %d alarms annunciated", d.Dam, d.Annunciated)
		}
	}
}

func firstActive(alarms []alarmJSON) (alarmJSON, bool) {
	for _, a := range alarms {
		if a.Active && a.State != "suppressed_by_design" && !strings.HasPrefix(a.ID, "bassin-nord") {
			return a, true
		}
	}
	return alarmJSON{}, false
}

func findAlarm(t *testing.T, alarms []alarmJSON, id string) alarmJSON {
	t.Helper()
	for _, a := range alarms {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no alarm %s", id)
	return alarmJSON{}
}

// canonical is the alarm list as JSON, sorted by id, for comparing two states of the views.
func canonical(t *testing.T, alarms []alarmJSON) string {
	t.Helper()
	sort.Slice(alarms, func(i, j int) bool { return alarms[i].ID < alarms[j].ID })
	b, err := json.Marshal(alarms)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (s *server) getJSONAuth(t *testing.T, key, path string, into any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

func (s *server) postJSON(t *testing.T, key, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// fuzzWorld is the alarm engine in process, on the embedded stores, with a fake clock: ingestion,
// condition engine, alarm commands and the alarms projection, as `vigie serve` wires them.
type fuzzWorld struct {
	t       *testing.T
	clock   time.Time
	mu      sync.Mutex
	events  *esembedded.Store
	views   *rsembedded.Store
	codec   *eventstore.Codec
	ing     *commands.Ingester
	engine  *commands.ConditionEngine
	cmds    *commands.AlarmCommands
	runner  *projections.Runner
	rules   []commands.DamRules
	cfg     *config.Config
	stopEng func()
}

func (w *fuzzWorld) now() time.Time { w.mu.Lock(); defer w.mu.Unlock(); return w.clock }

func newFuzzWorld(t *testing.T) *fuzzWorld {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg, err := config.Parse("nimes", examples.Nimes())
	if err != nil {
		t.Fatal(err)
	}
	w := &fuzzWorld{t: t, clock: time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC), cfg: cfg}
	dir := t.TempDir()
	if w.events, err = esembedded.Open(filepath.Join(dir, "events"), esembedded.Options{Now: w.now}, logger); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.events.Close() })
	if w.views, err = rsembedded.Open(filepath.Join(dir, "views.db"), logger); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.views.Close() })
	if err := w.views.MigrateAlarms(context.Background()); err != nil {
		t.Fatal(err)
	}
	if w.codec, err = eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters()); err != nil {
		t.Fatal(err)
	}
	if w.ing, err = commands.NewIngester(w.events, w.codec, cfg.GaugePolicies(), w.now, logger); err != nil {
		t.Fatal(err)
	}
	if w.cmds, err = commands.NewAlarmCommands(w.events, w.codec, cfg.Dams(), alarm.FloodRule{Window: 10 * time.Minute}, w.now); err != nil {
		t.Fatal(err)
	}
	p, err := projections.NewAlarms(w.views, projections.French)
	if err != nil {
		t.Fatal(err)
	}
	if w.runner, err = projections.NewRunner(w.events, w.views, w.codec, logger, p); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.runner.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	w.startEngine()
	t.Cleanup(func() { w.stopEng() })
	return w
}

func (w *fuzzWorld) startEngine() {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var rules []commands.DamRules
	for _, dc := range w.cfg.DamConfigs() {
		r := commands.DamRules{Dam: dc.Dam()}
		for _, s := range dc.Sensors {
			r.Sensors = append(r.Sensors, commands.SensorRulesFor(s.Spec, s.StaleAfter))
		}
		rr := commands.RateOfRiseRule(1, 15*time.Minute, "high")
		ts := commands.TimeToSpillRule(time.Hour, 15*time.Minute, "critical")
		fr := commands.FrozenRule(30*time.Minute, 0.1, "medium")
		r.RateOfRise, r.TimeToSpill, r.Frozen = &rr, &ts, &fr
		rules = append(rules, r)
	}
	var err error
	w.engine, err = commands.NewConditionEngine(w.events, w.codec, commands.EngineConfig{Dams: rules, LateAfter: 5 * time.Minute,
		Flood: alarm.FloodRule{Window: 10 * time.Minute}, Checkpoints: w.views, CheckpointEvery: 16,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}, w.now, logger)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.engine.Run(ctx) }()
	w.stopEng = func() { cancel(); <-done }
}

// settle waits until the engine and the projection have handled the whole log.
func (w *fuzzWorld) settle() {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		head, err := w.events.Head(ctx)
		if err != nil {
			w.t.Fatal(err)
		}
		if err := w.engine.WaitFor(ctx, head); err != nil {
			w.t.Fatal(err)
		}
		if err := w.runner.WaitFor(ctx, head); err != nil {
			w.t.Fatal(err)
		}
		if again, _ := w.events.Head(ctx); again == head {
			return
		}
	}
}

// alarmIDs lists the alarms raised so far.
func (w *fuzzWorld) alarmIDs() []alarm.ID {
	recs, err := w.events.ReadAll(context.Background(), 0, 1<<20)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []alarm.ID
	for _, r := range recs {
		if r.Type == "alarm.raised" {
			out = append(out, alarm.ID(strings.TrimPrefix(r.Stream, "alarm-")))
		}
	}
	return out
}

// allowed is ISA-18.2's table (docs/alarms.md): in which states each event may be recorded.
var allowed = map[string][]alarm.State{
	"alarm.acknowledged": {alarm.StateUnackActive, alarm.StateUnackRTN},
	"alarm.shelved":      {alarm.StateUnackActive, alarm.StateAckActive, alarm.StateUnackRTN, alarm.StateShelved},
	// A shelve kept under a suppression may end (expiry or operator): see the report to the domain.
	"alarm.unshelved":            {alarm.StateShelved, alarm.StateSuppressed},
	"alarm.removed_from_service": {alarm.StateUnackActive, alarm.StateAckActive, alarm.StateUnackRTN, alarm.StateShelved},
	"alarm.returned_to_service":  {alarm.StateSuppressed},
	"alarm.closed":               {alarm.StateUnackRTN, alarm.StateNormal, alarm.StateShelved, alarm.StateSuppressed},
	"alarm.reactivated":          {alarm.StateUnackRTN, alarm.StateShelved, alarm.StateSuppressed},
	"alarm.updated":              {alarm.StateUnackActive, alarm.StateAckActive, alarm.StateShelved, alarm.StateSuppressed},
	"alarm.returned_to_normal":   {alarm.StateUnackActive, alarm.StateAckActive, alarm.StateShelved, alarm.StateSuppressed},
	"alarm.escalated":            {alarm.StateUnackActive, alarm.StateUnackRTN},
}

// checkLog folds every alarm stream event by event and fails on an illegal transition, and checks
// that each condition of each dam has at most one alarm in progress.
func (w *fuzzWorld) checkLog(step int) {
	w.t.Helper()
	inProgress := map[string][]alarm.ID{}
	for _, id := range w.alarmIDs() {
		recs, err := w.events.ReadStream(context.Background(), "alarm-"+string(id), 0, 1<<20)
		if err != nil {
			w.t.Fatal(err)
		}
		a := alarm.New(id)
		for i, r := range recs {
			e, err := w.codec.Decode(r)
			if err != nil {
				w.t.Fatal(err)
			}
			before := a.State()
			if (i == 0) != (r.Type == "alarm.raised") {
				var dump []string
				for _, x := range recs {
					dump = append(dump, fmt.Sprintf("%d %s %+v %s", x.Position, x.Type, x.Meta, x.Data))
				}
				board, _ := w.events.ReadStream(context.Background(), "alarmboard-"+strings.Split(string(id), "~")[0], 0, 1000)
				for _, x := range board {
					dump = append(dump, fmt.Sprintf("board %d %s %+v %s", x.Position, x.Type, x.Meta, x.Data))
				}
				w.t.Fatalf("step %d: %s event %d is %s:\n%s", step, id, i, r.Type, strings.Join(dump, "\n"))
			}
			if states, ok := allowed[r.Type]; ok && !slices.Contains(states, before) {
				w.t.Fatalf("step %d: %s recorded %s in state %s (%s)", step, id, r.Type, before, r.Data)
			}
			a.Load(r.Revision, []event.Event{e})
		}
		if !a.Done() {
			k := string(a.Status().Dam) + "/" + string(a.Status().Condition)
			inProgress[k] = append(inProgress[k], id)
		}
	}
	for k, ids := range inProgress {
		if len(ids) > 1 {
			w.t.Fatalf("step %d: %s has %d alarms in progress: %v", step, k, len(ids), ids)
		}
	}
}

func alarmViewsDump(t *testing.T, v *rsembedded.Store) string {
	t.Helper()
	ctx := context.Background()
	all, err := v.Alarms(ctx, readstore.AlarmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	dump := map[string]any{"alarms": all}
	for _, a := range all {
		h, err := v.AlarmHistory(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		dump[a.ID] = h
	}
	acts, err := v.AlarmActivations(ctx, readstore.ActivationQuery{From: time.Unix(0, 0), To: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	dump["activations"] = acts
	b, _ := json.Marshal(dump)
	return string(b)
}

// FuzzAlarmEngine plays random scripts of readings (in order, late, implausible), wall-clock
// ticks, operator commands, maintenance and engine restarts. Commands fail only with the domain's
// refusals; every alarm stream only ever holds legal transitions with one alarm in progress per
// condition; and the alarm views rebuilt from the log equal the live ones.
func FuzzAlarmEngine(f *testing.F) {
	f.Add([]byte{0, 0, 80, 0, 4, 120, 0, 8, 200, 5, 0, 0, 1, 2, 0, 4, 60, 0, 8, 0, 0})
	f.Add([]byte{1, 1, 255, 1, 4, 60, 3, 40, 0, 4, 40, 0, 6, 0, 10, 7, 0, 0, 10, 1, 3, 11, 1, 0, 8, 0, 0, 13, 0, 0})
	f.Add([]byte{2, 2, 100, 2, 4, 100, 2, 4, 100, 2, 4, 100, 2, 4, 100, 2, 4, 100, 2, 4, 100, 2, 4, 100, 2, 4, 100, 5, 0, 0, 9, 0, 0})
	// Long random scripts run in a quarter of a second each without -fuzz (under -fuzz, the whole
	// binary, SQLite included, is instrumented and an execution takes seconds).
	r := rand.New(rand.NewPCG(7, 11))
	for range 10 {
		seed := make([]byte, 300)
		for i := range seed {
			seed[i] = byte(r.IntN(256))
		}
		f.Add(seed)
	}
	f.Fuzz(playAlarmScript)
}

// playAlarmScript is FuzzAlarmEngine's property: 3 bytes a step (operation, minutes, argument).
func playAlarmScript(t *testing.T, script []byte) {
	sensors := []sensor.ID{"mejean.level", "bassin-nord.level", "barrage-est.level"}
	{
		if len(script) > 300 {
			script = script[:300]
		}
		w := newFuzzWorld(t)
		ctx := context.Background()
		level := map[sensor.ID]float64{}
		for step := 0; len(script) >= 3; step++ {
			op, x, y := script[0]%14, script[1], script[2]
			script = script[3:]
			w.mu.Lock()
			w.clock = w.clock.Add(time.Duration(x%16) * time.Minute)
			now := w.clock
			w.mu.Unlock()
			ids := w.alarmIDs()
			pick := func() alarm.ID {
				if len(ids) == 0 {
					return "mejean~level:alerte~1"
				}
				return ids[int(y)%len(ids)]
			}
			var err error
			switch op {
			case 0, 1, 2, 3: // a reading, moving the level up or down, or a spike
				s := sensors[int(y)%3]
				switch {
				case y == 255:
					_, err = w.ing.Handle(ctx, commands.IngestReadings{Items: []commands.Item{{Sensor: s, Time: now, Value: 99}}})
				case op == 3: // late: a gateway flushing readings of an hour ago
					items := []commands.Item{}
					for m := range 6 {
						items = append(items, commands.Item{Sensor: s, Time: now.Add(-time.Hour + time.Duration(m)*time.Minute), Value: level[s] + float64(m)*0.3})
					}
					_, err = w.ing.Handle(ctx, commands.IngestReadings{Items: items})
				default:
					level[s] = max(0, min(10, level[s]+float64(int(y%64)-24)/10))
					_, err = w.ing.Handle(ctx, commands.IngestReadings{Items: []commands.Item{{Sensor: s, Time: now, Value: level[s]}}})
				}
				if err != nil {
					t.Fatalf("step %d: ingest: %v", step, err)
				}
			case 4:
				if err := w.engine.Tick(ctx, now); err != nil {
					t.Fatalf("step %d: tick: %v", step, err)
				}
			case 5:
				_, err = w.cmds.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: pick(), By: "op", Via: alarm.ViaWeb})
			case 6:
				_, err = w.cmds.Shelve(ctx, commands.ShelveAlarm{AlarmID: pick(), By: "op", Reason: "r", Until: now.Add(time.Duration(y%30) * time.Hour)})
			case 7:
				_, err = w.cmds.Unshelve(ctx, commands.UnshelveAlarm{AlarmID: pick(), By: "op"})
			case 8:
				_, err = w.cmds.Close(ctx, commands.CloseAlarm{AlarmID: pick(), By: "op", Reason: "r"})
			case 9:
				_, err = w.cmds.Comment(ctx, commands.CommentAlarm{AlarmID: pick(), By: "op", Text: "c"})
			case 10, 11:
				var d dam.ID
				var s sensor.ID
				if y&1 == 0 {
					d = w.cfg.Dams()[int(y>>1)%3].ID
				} else {
					s = sensors[int(y>>1)%3]
				}
				if op == 10 {
					_, err = w.cmds.RemoveFromService(ctx, commands.RemoveFromService{Dam: d, Sensor: s, By: "op", Reason: "r"})
				} else {
					_, err = w.cmds.ReturnToService(ctx, commands.ReturnToService{Dam: d, Sensor: s, By: "op"})
				}
			case 12:
				for _, id := range ids {
					if _, err = w.cmds.ExpireShelve(ctx, commands.ExpireShelve{AlarmID: id}); err != nil {
						break
					}
				}
			case 13:
				w.settle()
				w.stopEng()
				w.startEngine()
			}
			if err != nil && !refusal(err) {
				t.Fatalf("step %d: op %d: %v", step, op, err)
			}
			w.settle()
			w.checkLog(step)
		}
		live := alarmViewsDump(t, w.views)
		rebuiltViews, err := rsembedded.Open(filepath.Join(t.TempDir(), "rebuilt.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer rebuiltViews.Close()
		p, err := projections.NewAlarms(rebuiltViews, projections.French)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := projections.NewRunner(w.events, rebuiltViews, w.codec, slog.New(slog.NewTextHandler(io.Discard, nil)), p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rb.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		if rebuilt := alarmViewsDump(t, rebuiltViews); rebuilt != live {
			t.Fatalf("alarm views rebuilt from the log differ from the live ones:\nlive    %s\nrebuilt %s", live, rebuilt)
		}
	}
}

// refusal tells the domain's answers to a command that does not apply from a failure.
func refusal(err error) bool {
	for _, e := range []error{alarm.ErrNotRaised, alarm.ErrNotActive, alarm.ErrStillActive, alarm.ErrShelved, alarm.ErrOutOfService,
		alarm.ErrAlreadyClosed, alarm.ErrShelveExpiryInPast, alarm.ErrShelveTooLong, commands.ErrUnknownScope} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
