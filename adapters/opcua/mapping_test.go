package opcua_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gopcua/opcua/ua"

	"github.com/vigie/vigie/adapters/opcua"
)

func ptr(f float64) *float64 { return &f }

func TestParseNodeMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       opcua.NodeConfig
		raw, want float64 // Convert(raw) == want
		wantNode  string
		wantErr   []string
	}{
		{name: "metres as they come", cfg: opcua.NodeConfig{Node: "ns=2;s=Est.Level", Sensor: "est.level"}, raw: 4.25, want: 4.25, wantNode: "ns=2;s=Est.Level"},
		{name: "centimetres", cfg: opcua.NodeConfig{Node: "ns=2;i=1042", Sensor: "est.level", Unit: "cm"}, raw: 425, want: 4.25, wantNode: "ns=2;i=1042"},
		{name: "raw counts scaled to mm", cfg: opcua.NodeConfig{Node: "ns=3;s=AI7", Sensor: "est.level", Factor: ptr(0.5), Offset: -100, Unit: "mm"}, raw: 9000, want: 4.4, wantNode: "ns=3;s=AI7"},
		{name: "feet", cfg: opcua.NodeConfig{Node: "ns=1;s=L", Sensor: "x", Unit: "ft"}, raw: 10, want: 3.048, wantNode: "ns=1;s=L"},
		{name: "namespace URI", cfg: opcua.NodeConfig{Node: "nsu=urn:plc-est;s=Est.Level", Sensor: "est.level"}, raw: 1, want: 1, wantNode: "nsu=urn:plc-est;s=Est.Level"},
		{name: "namespace 0 numeric", cfg: opcua.NodeConfig{Node: "i=2258", Sensor: "x"}, raw: 1, want: 1, wantNode: "i=2258"},
		{name: "guid", cfg: opcua.NodeConfig{Node: "ns=4;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63", Sensor: "x"}, raw: 1, want: 1, wantNode: "ns=4;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63"},
		{name: "deadband and sampling", cfg: opcua.NodeConfig{Node: "ns=2;s=L", Sensor: "x", Deadband: 0.01, SamplingInterval: 250 * time.Millisecond}, raw: 1, want: 1, wantNode: "ns=2;s=L"},

		{name: "empty", cfg: opcua.NodeConfig{}, wantErr: []string{"node is empty", "sensor is empty"}},
		{name: "bad namespace", cfg: opcua.NodeConfig{Node: "ns=x;s=L", Sensor: "x"}, wantErr: []string{"invalid namespace id"}},
		{name: "namespace out of range", cfg: opcua.NodeConfig{Node: "ns=70000;s=L", Sensor: "x"}, wantErr: []string{"out of range"}},
		{name: "empty identifier", cfg: opcua.NodeConfig{Node: "ns=2;s=", Sensor: "x"}, wantErr: []string{"empty identifier"}},
		{name: "empty namespace URI", cfg: opcua.NodeConfig{Node: "nsu=;s=L", Sensor: "x"}, wantErr: []string{"empty namespace URI"}},
		{name: "no namespace prefix", cfg: opcua.NodeConfig{Node: "2;s=L", Sensor: "x"}, wantErr: []string{"must start with ns="}},
		{name: "bad numeric id", cfg: opcua.NodeConfig{Node: "ns=2;i=abc", Sensor: "x"}, wantErr: []string{"invalid numeric id"}},
		{name: "unknown unit, zero factor, negative deadband", cfg: opcua.NodeConfig{Node: "ns=2;s=L", Sensor: "x", Unit: "furlong", Factor: ptr(0), Deadband: -1},
			wantErr: []string{`unit "furlong"`, "factor 0", "deadband -1"}},
		{name: "infinite offset", cfg: opcua.NodeConfig{Node: "ns=2;s=L", Sensor: "x", Offset: math.Inf(1)}, wantErr: []string{"offset +Inf"}},
		{name: "control character in sensor", cfg: opcua.NodeConfig{Node: "ns=2;s=L", Sensor: "x\n"}, wantErr: []string{"control characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := opcua.ParseNodeMapping(tt.cfg)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("got %+v, want errors %q", m, tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, ok := m.Convert(tt.raw)
			if !ok || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Convert(%v) = %v, %t; want %v", tt.raw, got, ok, tt.want)
			}
			if m.String() != tt.wantNode {
				t.Errorf("node %q, want %q", m.String(), tt.wantNode)
			}
		})
	}
}

func TestResolveNamespaceURI(t *testing.T) {
	t.Parallel()
	m, err := opcua.ParseNodeMapping(opcua.NodeConfig{Node: "nsu=urn:plc-est;s=Est.Level", Sensor: "est.level"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := m.Resolve([]string{"http://opcfoundation.org/UA/", "urn:other", "urn:plc-est"})
	if err != nil || id.String() != "ns=2;s=Est.Level" {
		t.Errorf("got %v, %v; want ns=2;s=Est.Level", id, err)
	}
	if _, err := m.Resolve([]string{"http://opcfoundation.org/UA/"}); err == nil || !strings.Contains(err.Error(), "not on the server") {
		t.Errorf("got %v, want a missing namespace", err)
	}
}

func TestQualityAndValues(t *testing.T) {
	t.Parallel()
	qualities := []struct {
		code ua.StatusCode
		want opcua.Quality
	}{
		{ua.StatusOK, opcua.Good}, {ua.StatusCode(0x00960000), opcua.Good}, // GoodLocalOverride
		{ua.StatusUncertain, opcua.Uncertain}, {ua.StatusCode(0x40900000), opcua.Uncertain}, // UncertainLastUsableValue
		{ua.StatusBad, opcua.Bad}, {ua.StatusCode(0x808C0000), opcua.Bad}, {ua.StatusCode(0xC0000000), opcua.Bad},
	}
	for _, q := range qualities {
		if got := opcua.QualityOf(q.code); got != q.want {
			t.Errorf("QualityOf(%#x) = %s, want %s", uint32(q.code), got, q.want)
		}
	}
	values := []struct {
		in      any
		want    float64
		wantErr bool
	}{
		{float64(4.5), 4.5, false}, {float32(2.5), 2.5, false}, {int16(-3), -3, false}, {uint32(7), 7, false},
		{int64(1 << 40), 1 << 40, false}, {uint8(9), 9, false}, {"4.5", 0, true}, {true, 0, true},
	}
	for _, v := range values {
		got, err := opcua.Numeric(ua.MustVariant(v.in))
		if (err != nil) != v.wantErr || got != v.want {
			t.Errorf("numeric(%T %v) = %v, %v; want %v (error %t)", v.in, v.in, got, err, v.want, v.wantErr)
		}
	}
	if _, err := opcua.Numeric(nil); err == nil {
		t.Error("numeric(nil): want an error")
	}

	src := time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)
	srv := src.Add(time.Second)
	recv := src.Add(time.Minute)
	times := []struct {
		name string
		dv   ua.DataValue
		mode string
		want time.Time
	}{
		{"source", ua.DataValue{SourceTimestamp: src, ServerTimestamp: srv}, opcua.TimestampSource, src},
		{"source missing: server", ua.DataValue{ServerTimestamp: srv}, opcua.TimestampSource, srv},
		{"none: receipt", ua.DataValue{}, opcua.TimestampSource, recv},
		{"server", ua.DataValue{SourceTimestamp: src, ServerTimestamp: srv}, opcua.TimestampServer, srv},
		{"receive", ua.DataValue{SourceTimestamp: src, ServerTimestamp: srv}, opcua.TimestampReceive, recv},
		{"OPC-UA epoch is no time", ua.DataValue{SourceTimestamp: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)}, opcua.TimestampSource, recv},
	}
	for _, tt := range times {
		if got := opcua.Timestamp(&tt.dv, tt.mode, recv); !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
