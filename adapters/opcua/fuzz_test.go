package opcua_test

import (
	"math"
	"testing"
	"time"

	"github.com/gopcua/opcua/ua"

	"github.com/vigie/vigie/adapters/opcua"
)

// FuzzParseNodeMapping: any node mapping from a configuration file is refused with an error or
// gives a mapping whose node id prints back to itself and whose scaling keeps finite values
// finite or says so; never a panic (gopcua's node id parser included).
func FuzzParseNodeMapping(f *testing.F) {
	seeds := []struct {
		node, sensor, unit   string
		factor, offset, dead float64
		sampling             int64
	}{
		{"ns=2;s=Est.Level", "est.level", "", 1, 0, 0, 0},
		{"ns=2;i=1042", "est.level", "cm", 0.1, -50, 0.5, int64(time.Second)},
		{"nsu=urn:plc;s=L", "x", "ft", 1, 0, 0, 0},
		{"ns=4;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63", "x", "mm", 1, 0, 0, 0},
		{"ns=1;b=YWJj", "x", "in", 1e300, 1e300, 0, -1},
		{"i=85", "x", "m", math.SmallestNonzeroFloat64, 0, 0, 0},
		{"ns=;s=", "", "", 0, math.NaN(), math.Inf(1), 0},
		{"ns=1;g=zz", "x", "", 1, 0, 0, 0}, {"nsu=a;b=!!", "x", "", 1, 0, 0, 0}, {";", "x", "", 1, 0, 0, 0},
	}
	for _, s := range seeds {
		f.Add(s.node, s.sensor, s.unit, s.factor, s.offset, s.dead, s.sampling)
	}
	f.Fuzz(func(t *testing.T, node, sensor, unit string, factor, offset, deadband float64, sampling int64) {
		m, err := opcua.ParseNodeMapping(opcua.NodeConfig{Node: node, Sensor: sensor, Unit: unit, Factor: &factor,
			Offset: offset, Deadband: deadband, SamplingInterval: time.Duration(sampling)})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if m.ID == nil || m.Sensor == "" || m.Scale == 0 || math.IsNaN(m.Scale) || math.IsInf(m.Shift, 0) || m.Deadband < 0 {
			t.Fatalf("accepted an unusable mapping %+v", m)
		}
		if m.NamespaceURI == "" {
			again, err := ua.ParseNodeID(m.String())
			if err != nil || again.String() != m.ID.String() {
				t.Fatalf("node %q prints as %q, which parses to %v, %v", node, m.String(), again, err)
			}
		} else {
			id, err := m.Resolve([]string{"http://opcfoundation.org/UA/", m.NamespaceURI})
			if err != nil || id.Namespace() != 1 {
				t.Fatalf("node %q does not resolve in namespace 1: %v, %v", node, id, err)
			}
		}
		for _, raw := range []float64{0, 1, -1, 1e6} {
			if v, ok := m.Convert(raw); ok != (!math.IsNaN(v) && !math.IsInf(v, 0)) {
				t.Fatalf("Convert(%v) = %v, %t", raw, v, ok)
			}
		}
	})
}
