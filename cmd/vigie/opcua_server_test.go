package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopcua/opcua"
	"github.com/gopcua/opcua/ua"

	vopcua "github.com/vigie/vigie/adapters/opcua"
)

// Vigie's own OPC-UA server, started by vigie serve from field.opcua.server: a SCADA browsing it
// with gopcua's client reads each dam's level, fill and active alarms as the views have them.
func TestOPCUAServerPublishesTheViews(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := l.Addr().String()
	l.Close()
	src, err := os.ReadFile("../../examples/nimes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "vigie.yaml")
	text := withoutBlock(string(src), "field:") + fmt.Sprintf("\nfield:\n  opcua:\n    server: {listen: %q, refresh: 200ms}\n", listen)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	key := createKey(t, data, "gateway")
	srv := startServer(t, "--config", cfg, "--data", data, "--public-read")

	now := time.Now().Add(-time.Minute)
	body, _ := json.Marshal([]map[string]any{
		{"sensor": "mejean.level", "time": now.Format(time.RFC3339Nano), "value": 6.4},
	})
	if code, resp, err := post(context.Background(), srv.base, key, "application/json", body); err != nil || code != 200 {
		t.Fatalf("post: %d %s %v", code, resp, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := opcua.NewClient("opc.tcp://"+listen, opcua.SecurityMode(ua.MessageSecurityModeNone))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the OPC-UA server", func() bool { return c.Connect(ctx) == nil })
	defer c.Close(context.Background())
	ns, err := c.FindNamespace(ctx, vopcua.Namespace)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) *ua.DataValue {
		resp, err := c.Read(ctx, &ua.ReadRequest{NodesToRead: []*ua.ReadValueID{{NodeID: ua.NewStringNodeID(ns, "mejean."+name), AttributeID: ua.AttributeIDValue}}})
		if err != nil || len(resp.Results) != 1 {
			t.Fatalf("read mejean.%s: %v", name, err)
		}
		return resp.Results[0]
	}
	waitFor(t, 20*time.Second, "mejean's level over OPC-UA", func() bool {
		v := read("Level")
		return v.Status == ua.StatusOK && v.Value != nil && v.Value.Float() == 6.4
	})
	if v := read("FillPercent"); v.Status != ua.StatusOK || !(v.Value.Float() > 0) {
		t.Errorf("FillPercent %v (%v)", v.Value, v.Status)
	}
	// 6.4 m is over vigilance and alerte: their alarms are active on the board.
	waitFor(t, 20*time.Second, "mejean's active alarms over OPC-UA", func() bool {
		v := read("ActiveAlarms")
		return v.Status == ua.StatusOK && v.Value != nil && v.Value.Value() == uint32(2)
	})
}
