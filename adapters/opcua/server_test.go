package opcua_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gopcua "github.com/gopcua/opcua"
	"github.com/gopcua/opcua/id"
	"github.com/gopcua/opcua/ua"

	"github.com/vigie/vigie/adapters/opcua"
)

// damSource is the read store's stand-in.
type damSource struct {
	mu   sync.Mutex
	dams []opcua.DamStatus
	err  error
}

func (s *damSource) DamStatuses(context.Context) ([]opcua.DamStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dams), s.err
}

func (s *damSource) set(f func(*damSource)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startServer(tb testing.TB, src opcua.Source) *opcua.Server {
	tb.Helper()
	s, err := opcua.NewServer(opcua.ServerConfig{Listen: "127.0.0.1:" + strconv.Itoa(freePort(tb)), Refresh: 50 * time.Millisecond}, src, testLogger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			tb.Error("server Run did not return")
		}
	})
	select {
	case <-s.Started():
	case err := <-done:
		tb.Fatalf("server stopped: %v", err)
	case <-time.After(90 * time.Second):
		// gopcua builds its standard node set at start: tens of seconds under the race detector
		// on a shared two-core machine, with the other server tests doing the same in parallel.
		tb.Fatal("server did not start")
	}
	return s
}

func connectTo(tb testing.TB, url string) *gopcua.Client {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := gopcua.NewClient(url, gopcua.SecurityMode(ua.MessageSecurityModeNone), gopcua.AutoReconnect(false))
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Connect(ctx); err != nil {
		tb.Fatalf("connect to %s: %v", url, err)
	}
	tb.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// browse returns the browse names of what id organizes or has as components.
func browse(tb testing.TB, c *gopcua.Client, node *ua.NodeID) map[string]*ua.NodeID {
	tb.Helper()
	res, err := c.Browse(context.Background(), &ua.BrowseRequest{NodesToBrowse: []*ua.BrowseDescription{{
		NodeID: node, BrowseDirection: ua.BrowseDirectionForward, ReferenceTypeID: ua.NewNumericNodeID(0, id.HierarchicalReferences),
		IncludeSubtypes: true, ResultMask: uint32(ua.BrowseResultMaskAll),
	}}})
	if err != nil || len(res.Results) != 1 || res.Results[0].StatusCode != ua.StatusOK {
		tb.Fatalf("browse %s: %v %+v", node, err, res)
	}
	out := map[string]*ua.NodeID{}
	for _, r := range res.Results[0].References {
		out[r.BrowseName.Name] = r.NodeID.NodeID
	}
	return out
}

func read(tb testing.TB, c *gopcua.Client, ids ...*ua.NodeID) []*ua.DataValue {
	tb.Helper()
	var nodes []*ua.ReadValueID
	for _, n := range ids {
		nodes = append(nodes, &ua.ReadValueID{NodeID: n, AttributeID: ua.AttributeIDValue})
	}
	res, err := c.Read(context.Background(), &ua.ReadRequest{NodesToRead: nodes, TimestampsToReturn: ua.TimestampsToReturnBoth})
	if err != nil {
		tb.Fatal(err)
	}
	return res.Results
}

func TestServerPublishesDams(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)
	tts := 90 * time.Minute
	src := &damSource{dams: []opcua.DamStatus{
		{Dam: "mejean", Name: "Barrage de Méjean", Level: 4.25, Time: at, Volume: 9392.5, FillPercent: 18.06, TimeToSpill: &tts, ActiveAlarms: 2},
		{Dam: "est", Name: "Barrage Est"},
	}}
	srv := startServer(t, src)
	c := connectTo(t, srv.URL())

	ns, err := c.FindNamespace(context.Background(), opcua.Namespace)
	if err != nil {
		t.Fatalf("namespace %s: %v", opcua.Namespace, err)
	}
	objects := browse(t, c, ua.NewNumericNodeID(0, id.ObjectsFolder))
	damsFolder, ok := objects["Dams"]
	if !ok {
		t.Fatalf("Objects holds %v, want Dams", objects)
	}
	dams := browse(t, c, damsFolder)
	if len(dams) != 2 || dams["mejean"] == nil || dams["est"] == nil {
		t.Fatalf("Dams holds %v, want mejean and est", dams)
	}
	vars := browse(t, c, dams["mejean"])
	for _, name := range []string{"Level", "Volume", "FillPercent", "TimeToSpill", "ActiveAlarms"} {
		n, ok := vars[name]
		if !ok || n.Namespace() != ns || n.StringID() != "mejean."+name {
			t.Errorf("mejean/%s: got %v, want ns=%d;s=mejean.%s", name, n, ns, name)
		}
	}

	id := func(dam, v string) *ua.NodeID { return ua.NewStringNodeID(ns, dam+"."+v) }
	got := read(t, c, id("mejean", "Level"), id("mejean", "Volume"), id("mejean", "FillPercent"), id("mejean", "TimeToSpill"), id("mejean", "ActiveAlarms"), id("est", "Level"), id("est", "ActiveAlarms"))
	want := []struct {
		value  any
		status ua.StatusCode
	}{{4.25, ua.StatusOK}, {9392.5, ua.StatusOK}, {18.06, ua.StatusOK}, {5400.0, ua.StatusOK}, {uint32(2), ua.StatusOK},
		{0.0, ua.StatusBadWaitingForInitialData}, {uint32(0), ua.StatusOK}}
	for i, w := range want {
		if got[i].Status != w.status || got[i].Status == ua.StatusOK && got[i].Value.Value() != w.value {
			t.Errorf("read %d: got %v (%v), want %v (%v)", i, got[i].Value.Value(), got[i].Status, w.value, w.status)
		}
	}
	if !got[0].SourceTimestamp.Equal(at) {
		t.Errorf("Level source time %v, want the reading's %v", got[0].SourceTimestamp, at)
	}

	// Read-only: a SCADA cannot change a level.
	wres, err := c.Write(context.Background(), &ua.WriteRequest{NodesToWrite: []*ua.WriteValue{{
		NodeID: id("mejean", "Level"), AttributeID: ua.AttributeIDValue,
		Value: &ua.DataValue{EncodingMask: ua.DataValueValue, Value: ua.MustVariant(0.0)},
	}}})
	if err == nil && (len(wres.Results) != 1 || wres.Results[0] == ua.StatusOK) {
		t.Errorf("write accepted: %+v", wres.Results)
	}

	// A subscriber sees the new level.
	notify := make(chan *gopcua.PublishNotificationData, 16)
	sub, err := c.Subscribe(context.Background(), &gopcua.SubscriptionParameters{Interval: 50 * time.Millisecond}, notify)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Monitor(context.Background(), ua.TimestampsToReturnBoth, gopcua.NewMonitoredItemCreateRequestWithDefaults(id("mejean", "Level"), ua.AttributeIDValue, 7)); err != nil {
		t.Fatal(err)
	}
	src.set(func(s *damSource) { s.dams[0].Level, s.dams[0].Time = 4.5, at.Add(5*time.Minute) })
	deadline := time.After(10 * time.Second)
	for seen := false; !seen; {
		select {
		case n := <-notify:
			if dc, ok := n.Value.(*ua.DataChangeNotification); ok {
				for _, it := range dc.MonitoredItems {
					seen = seen || it.ClientHandle == 7 && it.Value.Value.Value() == 4.5
				}
			}
		case <-deadline:
			t.Fatal("no data change with the new level")
		}
	}

	// The read store fails: the last values stay, flagged.
	src.set(func(s *damSource) { s.err = errors.New("read store unavailable") })
	waitFor(t, 10*time.Second, "uncertain values", func() bool {
		return read(t, c, id("mejean", "Level"))[0].Status == ua.StatusUncertainNoCommunicationLastUsableValue
	})
	if v := read(t, c, id("mejean", "Level"))[0].Value.Value(); v != 4.5 {
		t.Errorf("last usable level %v, want 4.5", v)
	}
}

// Another stack browses and reads the server: node-opcua's client.
func TestServerWithNodeOPCUAClient(t *testing.T) {
	t.Parallel()
	dir := serverDir(t)
	at := time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)
	src := &damSource{dams: []opcua.DamStatus{{Dam: "mejean", Name: "Méjean", Level: 4.25, Time: at, Volume: 9392.5, FillPercent: 18, Spilling: true, ActiveAlarms: 1}}}
	srv := startServer(t, src)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "client.js", srv.URL(), "mejean")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("node-opcua client: %v: %s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	for _, line := range strings.Split(string(out), "\n") { // node-opcua logs on stdout too
		if res, ok := strings.CutPrefix(line, "RESULT "); ok {
			if err := json.Unmarshal([]byte(res), &got); err != nil {
				t.Fatalf("client printed %q: %v", res, err)
			}
		}
	}
	if got == nil {
		t.Fatalf("no RESULT line in %q", out)
	}
	want := map[string]string{
		"Level":        `{"value":4.25,"status":"Good"}`,
		"Volume":       `{"value":9392.5,"status":"Good"}`,
		"FillPercent":  `{"value":18,"status":"Good"}`,
		"TimeToSpill":  `{"value":0,"status":"Good"}`,
		"ActiveAlarms": `{"value":1,"status":"Good"}`,
	}
	for k, w := range want {
		if string(got[k]) != w {
			t.Errorf("%s: got %s, want %s", k, got[k], w)
		}
	}
}
