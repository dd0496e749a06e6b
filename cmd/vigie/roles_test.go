package main_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
)

// Several vigie processes on one PostgreSQL (log, views and leader lock), and a broker between
// them: an api+ingest node takes the readings, two project+notify nodes share the rest, one at a
// time. The reference storm goes in, the node paging the on-call operator is killed with -9
// during the wait, and the other takes over: step 2 comes on time, nobody is paged twice, the
// views are complete. The operator's SMS reply reaches the api node, which is not the notifier:
// it travels to the notifier and stops the cascade. Run with RabbitMQ, NATS JetStream, and with
// no broker (the nodes then meet in PostgreSQL only).
func TestRolesOnPostgresSurviveAKilledNode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	for _, b := range []struct{ name, url string }{
		{"rabbitmq", envOr("VIGIE_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/")},
		{"nats", envOr("VIGIE_TEST_NATS", "nats://127.0.0.1:4222")},
		{"no-broker", ""},
	} {
		t.Run(b.name, func(t *testing.T) { rolesSurviveAKilledNode(t, b.url) })
	}
}

func rolesSurviveAKilledNode(t *testing.T, busURL string) {
	pg := envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1e9)
	events, views := pg+"&schema=vigie_roles_"+suffix, pg+"&schema=vigie_roles_views_"+suffix
	t.Cleanup(func() { dropSchemas(t, pg, "vigie_roles_"+suffix, "vigie_roles_views_"+suffix) })
	t.Setenv("VIGIE_TEST_TWILIO_TOKEN", twilioToken)
	t.Setenv("VIGIE_TEST_ACK_SECRET", strings.Repeat("s3cr3t-", 8))
	gw := newSMSGateway(t)
	cfg := cascadeConfig(t, gw.srv.URL)
	node := func(roles, data string) *server {
		return startServer(t, "--config", cfg, "--data", data, "--public-read", "--events", events, "--views", views, "--roles", roles, "--bus", busURL, "--bus-prefix", "vigie-roles-"+suffix)
	}
	apiData := t.TempDir()
	key := createKey(t, apiData, "gateway")
	api := node("api,ingest", apiData)
	workers := []*server{node("project,notify", t.TempDir()), node("project,notify", t.TempDir())}
	t.Cleanup(func() {
		if t.Failed() {
			for i, s := range []*server{api, workers[0], workers[1]} {
				t.Logf("node %d logs:\n%s", i, s.Logs())
			}
		}
	})

	const id = alarm.ID("mejean~level:alerte~1")
	code := cascade.ReplyCode(id)
	postLiveStorm(t, api.base, key)
	waitFor(t, 30*time.Second, "step 1's SMS", func() bool { return len(gw.about(code)) >= 1 })

	holder := -1
	for i, w := range workers {
		if strings.Contains(w.Logs(), "leader lock: acquired") && strings.Contains(w.Logs(), "lock=notify") && leaderOf(w.Logs(), "notify") {
			holder = i
		}
	}
	if holder < 0 {
		t.Fatalf("no worker says it holds the notify lock:\n%s\n---\n%s", workers[0].Logs(), workers[1].Logs())
	}
	var stream []cascadeEvent
	var due time.Time
	waitFor(t, 10*time.Second, "step 2's timer", func() bool {
		stream = api.events(t, "cascade-"+string(id))
		for _, e := range stream {
			if e.Type == "cascade.step_scheduled" {
				due = timeOf(e.Data, "due_at")
			}
		}
		return !due.IsZero()
	})
	workers[holder].kill()
	standby := workers[1-holder]
	waitFor(t, time.Until(due)+20*time.Second, "step 2 from the standby", func() bool { return len(gw.about(code)) >= 2 })
	second := gw.about(code)[1]
	if late := second.At.Sub(due); late < -100*time.Millisecond || late > 2*time.Second {
		t.Errorf("step 2 reached the gateway %s after its planned time, want within 2 s (the standby takes the lock in ≤ 1 s)", late)
	}
	if !leaderOf(standby.Logs(), "notify") {
		t.Errorf("the standby does not say it took the notify lock:\n%s", standby.Logs())
	}
	time.Sleep(time.Second)
	sent := map[string]int{}
	for _, m := range gw.about(code) {
		sent[m.To]++
	}
	for to, n := range sent {
		if n != 1 {
			t.Errorf("%s got %d SMS about the alarm, want 1: %v", to, n, sent)
		}
	}
	// The api node serves what the projector wrote: the alarm, with its cascade.
	var view struct {
		State   string `json:"state"`
		Cascade struct {
			Step int `json:"step"`
		} `json:"cascade"`
	}
	waitFor(t, 20*time.Second, "the alarm at step 2 on the api node", func() bool {
		api.getJSON(t, "/api/v1/alarms/"+string(id), &view)
		return view.State == "unack_active" && view.Cascade.Step == 2
	})

	// The reply reaches the api node, which does not notify: with a broker it travels to the
	// notifier; without one the api node finds the cascade in the log and acknowledges itself.
	replySMS(t, api.base, second.To, "ok "+code)
	waitFor(t, 20*time.Second, "the cascade stopped by the reply", func() bool {
		return slices.Contains(typesOf(api.events(t, "cascade-"+string(id))), "cascade.stopped")
	})
	acked := api.events(t, "alarm-"+string(id))
	if i := slices.IndexFunc(acked, func(e cascadeEvent) bool { return e.Type == "alarm.acknowledged" }); i < 0 {
		t.Errorf("no alarm.acknowledged after the reply: %v", typesOf(acked))
	}
	if busURL != "" && !strings.Contains(standby.Logs(), "notification job done") {
		t.Errorf("the standby's logs show no notification job taken from the bus:\n%s", standby.Logs())
	}
}

// leaderOf reports whether a node's logs say it acquired the named lock.
func leaderOf(logs, lock string) bool {
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "leader lock: acquired") && strings.Contains(line, "lock="+lock) {
			return true
		}
	}
	return false
}

func timeOf(data []byte, field string) time.Time {
	var m map[string]any
	if err := jsonUnmarshal(data, &m); err != nil {
		return time.Time{}
	}
	s, _ := m[field].(string)
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// An ingest node on its own (the field sources, near the gateways) hands its MQTT readings to the
// api nodes over the broker; they store them in the shared log. Every reading published arrives,
// once, and the ingest node says it used the bus.
func TestIngestNodeSendsFieldReadingsOverTheBus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	pg := envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	mqttAddr := envOr("VIGIE_TEST_MQTT", "127.0.0.1:1883")
	id := fieldRandomID(t)
	events, views := pg+"&schema=vigie_ingest_"+id, pg+"&schema=vigie_ingest_views_"+id
	t.Cleanup(func() { dropSchemas(t, pg, "vigie_ingest_"+id, "vigie_ingest_views_"+id) })
	prefix, clientID := "vigie-test-"+id, "vigie-test-ingest-"+id
	cfg := fieldConfig(t, mqttBlock(mqttAddr, clientID, prefix))
	common := []string{"--config", cfg, "--public-read", "--events", events, "--views", views,
		"--bus", envOr("VIGIE_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/"), "--bus-prefix", "vigie-ingest-" + id}
	api := startServer(t, append(common, "--data", t.TempDir(), "--roles", "api,project")...)
	field := startServer(t, append(common, "--data", t.TempDir(), "--roles", "ingest", "--node", "field-"+id)...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("api node:\n%s\nfield node:\n%s", api.Logs(), field.Logs())
		}
	})
	waitFor(t, 20*time.Second, "the field node subscribed", func() bool { return strings.Contains(field.Logs(), "subscribed") })

	var rows []stormRow
	for _, r := range readStorm(t, referenceStorm) {
		if r.Sensor == "mejean.level" && r.Injected != "spike" && len(rows) < 60 {
			rows = append(rows, r)
		}
	}
	if len(rows) != 60 {
		t.Fatalf("the reference storm has %d readings of mejean.level, want at least 60", len(rows))
	}
	pub := &mqttPublisher{t: t, addr: mqttAddr}
	defer pub.close()
	for _, r := range rows {
		pub.publish(stormTopic(prefix, r.Sensor), stormPayload(r))
	}
	waitFor(t, 30*time.Second, "every reading in the shared log", func() bool { return countReadings(logEvents(t, api)) >= len(rows) })
	time.Sleep(time.Second)
	if n := countReadings(logEvents(t, api)); n != len(rows) {
		t.Errorf("%d readings in the log, want %d (each once)", n, len(rows))
	}
	if !strings.Contains(api.Logs(), "storing readings from an ingest node") || !strings.Contains(api.Logs(), "node=field-"+id) {
		t.Errorf("the api node does not say it stored the field node's readings")
	}
	field.stop(t)
	dropMQTTSession(mqttAddr, clientID)
}
