package opcua_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/opcua"
)

func startClient(tb testing.TB, cfg opcua.Config, ing opcua.Ingester) (*opcua.Client, func()) {
	tb.Helper()
	c, err := opcua.New(cfg, ing, testLogger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			tb.Errorf("Run did not return after its context was cancelled")
		}
	}
	tb.Cleanup(stop)
	return c, stop
}

func fastEndpoint(name, url string) opcua.Endpoint {
	return opcua.Endpoint{
		Name:               name,
		URL:                url,
		PublishingInterval: 100 * time.Millisecond,
		SamplingInterval:   50 * time.Millisecond,
		Heartbeat:          300 * time.Millisecond,
		RequestTimeout:     3 * time.Second,
		ReconnectMin:       100 * time.Millisecond,
		ReconnectMax:       500 * time.Millisecond,
		Nodes: []opcua.NodeConfig{
			{Node: "ns=1;s=Mejean.Level", Sensor: "mejean.level"},
			{Node: "nsu=urn:vigie:test:opcua-server;s=Est.LevelCm", Sensor: "est.level", Unit: "cm"},
			{Node: "ns=1;s=Sud.Level", Sensor: "sud.level"},
		},
	}
}

func TestNoSecurityIngestsAndReconnects(t *testing.T) {
	t.Parallel()
	srv := startNodeServer(t, serverOptions{})
	rec := newRecorder("mejean.level", "est.level", "sud.level")
	c, _ := startClient(t, opcua.Config{Endpoints: []opcua.Endpoint{fastEndpoint("plc", srv.url())}}, rec)
	connected := func() bool { return c.States()["plc"].Connected }
	waitFor(t, 30*time.Second, "the session", connected)
	waitFor(t, 10*time.Second, "readings of every sensor", func() bool {
		return len(rec.of("mejean.level")) >= 5 && len(rec.of("est.level")) >= 5 && len(rec.of("sud.level")) >= 2
	})
	for _, it := range rec.of("est.level") {
		if it.Value < 1.5 || it.Value > 6.5 {
			t.Errorf("est.level %v: want 150..650 cm converted to metres", it.Value)
		}
	}
	st := c.Stats()["plc"]
	if st.Bad == 0 || st.Uncertain == 0 {
		t.Errorf("stats %+v: want Bad and Uncertain values from Sud.Level", st)
	}
	if s := c.States()["plc"]; s.Monitored != 3 || s.NodeErrors != 0 {
		t.Errorf("state %+v: want 3 nodes monitored", s)
	}

	// The server dies mid-stream and comes back on the same port: the client reconnects.
	srv.kill()
	waitFor(t, 10*time.Second, "the client to notice", func() bool { return !connected() })
	down := c.States()["plc"]
	if down.LastError == "" {
		t.Errorf("state %+v: want the reason of the disconnection", down)
	}
	restarted := time.Now()
	srv.restart()
	waitFor(t, 30*time.Second, "the session again", connected)
	waitFor(t, 10*time.Second, "readings from the restarted server", func() bool {
		for _, it := range rec.of("mejean.level") {
			if it.Time.After(restarted) {
				return true
			}
		}
		return false
	})
	if st := c.Stats()["plc"]; st.Sessions != 2 {
		t.Errorf("stats %+v: want 2 sessions", st)
	}
	if up := c.States()["plc"]; !up.Since.After(down.Since) {
		t.Errorf("state: down since %v, up since %v", down.Since, up.Since)
	}
}
