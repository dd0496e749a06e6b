package opcua

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gopcua/opcua/ua"

	"github.com/vigie/vigie/domain/sensor"
)

// NodeConfig maps one OPC-UA variable to a sensor, as configured.
type NodeConfig struct {
	// Node is the variable's node id in OPC-UA's text form: "ns=2;s=Est.Level", "ns=3;i=1042",
	// or with the namespace URI, which survives a server renumbering its namespaces:
	// "nsu=urn:plc-est;s=Est.Level".
	Node string `yaml:"node"`
	// Sensor is the Vigie sensor the readings go to.
	Sensor string `yaml:"sensor"`
	// Factor and Offset scale the raw value in the server's unit: (raw × factor + offset).
	// Factor defaults to 1.
	Factor *float64 `yaml:"factor"`
	Offset float64  `yaml:"offset"`
	// Unit is the unit of the scaled value, converted to metres: m (default), cm, mm, ft, in.
	Unit string `yaml:"unit"`
	// Deadband, in the server's raw unit, is the smallest change the server reports (absolute
	// deadband); 0 reports every change.
	Deadband float64 `yaml:"deadband"`
	// SamplingInterval overrides the endpoint's for this node.
	SamplingInterval time.Duration `yaml:"sampling_interval"`
}

// metres per unit.
var units = map[string]float64{"m": 1, "cm": 0.01, "mm": 0.001, "ft": 0.3048, "in": 0.0254}

// NodeMapping is a checked NodeConfig.
type NodeMapping struct {
	// NamespaceURI is set for an "nsu=" node id: the namespace index is looked up on each
	// connection (Resolve).
	NamespaceURI string
	// ID is the node id with its identifier; its namespace index is only meaningful once
	// resolved when NamespaceURI is set.
	ID     *ua.NodeID
	Sensor sensor.ID
	// Scale and Shift turn a raw value into metres: raw × Scale + Shift.
	Scale, Shift     float64
	Deadband         float64
	SamplingInterval time.Duration // 0: the endpoint's

	ident string // the identifier part: "s=Est.Level"
}

// ParseNodeMapping checks a node mapping from the configuration: node id syntax, sensor id,
// unit, and a scaling that maps finite raw values to finite levels.
func ParseNodeMapping(c NodeConfig) (NodeMapping, error) {
	var errs []error
	m := NodeMapping{Sensor: sensor.ID(c.Sensor), Deadband: c.Deadband, SamplingInterval: c.SamplingInterval}
	if err := m.parseNode(c.Node); err != nil {
		errs = append(errs, err)
	}
	switch {
	case c.Sensor == "":
		errs = append(errs, errors.New("sensor is empty"))
	case !utf8.ValidString(c.Sensor) || strings.ContainsFunc(c.Sensor, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		errs = append(errs, fmt.Errorf("sensor %q holds invalid or control characters", c.Sensor))
	}
	factor := 1.0
	if c.Factor != nil {
		factor = *c.Factor
	}
	unit := c.Unit
	if unit == "" {
		unit = "m"
	}
	perUnit, ok := units[unit]
	if !ok {
		errs = append(errs, fmt.Errorf("unit %q must be one of m, cm, mm, ft, in", clip(unit)))
	}
	switch {
	case !finite(factor) || factor == 0:
		errs = append(errs, fmt.Errorf("factor %v must be a finite number other than 0", factor))
	case !finite(c.Offset):
		errs = append(errs, fmt.Errorf("offset %v must be finite", c.Offset))
	case ok:
		m.Scale, m.Shift = factor*perUnit, c.Offset*perUnit
		if !finite(m.Scale) || m.Scale == 0 || !finite(m.Shift) {
			errs = append(errs, fmt.Errorf("factor %v and offset %v overflow once converted from %s", factor, c.Offset, unit))
		}
	}
	if !finite(c.Deadband) || c.Deadband < 0 {
		errs = append(errs, fmt.Errorf("deadband %v must be ≥ 0", c.Deadband))
	}
	if c.SamplingInterval < 0 {
		errs = append(errs, fmt.Errorf("sampling_interval %v is negative", c.SamplingInterval))
	}
	if err := errors.Join(errs...); err != nil {
		return NodeMapping{}, err
	}
	return m, nil
}

func (m *NodeMapping) parseNode(s string) error {
	switch {
	case s == "":
		return errors.New("node is empty (e.g. \"ns=2;s=Est.Level\")")
	case !utf8.ValidString(s):
		return errors.New("node id is not valid UTF-8")
	case len(s) > 4096:
		return errors.New("node id is longer than 4096 bytes")
	}
	ns, ident, hasNS := strings.Cut(s, ";")
	if !hasNS {
		ns, ident = "ns=0", s
	}
	if uri, isURI := strings.CutPrefix(ns, "nsu="); isURI {
		if uri == "" {
			return fmt.Errorf("node %q: empty namespace URI", clip(s))
		}
		m.NamespaceURI = uri
		ns = "ns=1" // placeholder until Resolve
	} else if !strings.HasPrefix(ns, "ns=") {
		return fmt.Errorf("node %q must start with ns=<index>; or nsu=<uri>;", clip(s))
	}
	// A bare identifier ("ns=2;Level") is a string id.
	if ident == "" || len(ident) == 2 && strings.Contains("isgb", ident[:1]) && ident[1] == '=' {
		return fmt.Errorf("node %q has an empty identifier", clip(s))
	}
	id, err := ua.ParseNodeID(ns + ";" + ident)
	if err != nil {
		return fmt.Errorf("node %q: %v", clip(s), err)
	}
	m.ID, m.ident = id, ident
	return nil
}

// Resolve returns the node id to monitor, looking the namespace URI up in the server's
// namespace array.
func (m NodeMapping) Resolve(namespaces []string) (*ua.NodeID, error) {
	if m.NamespaceURI == "" {
		return m.ID, nil
	}
	for i, uri := range namespaces {
		if uri == m.NamespaceURI {
			return ua.ParseNodeID(fmt.Sprintf("ns=%d;%s", i, m.ident))
		}
	}
	return nil, fmt.Errorf("namespace %q is not on the server", m.NamespaceURI)
}

// Convert scales a raw value to metres; false when the result is not a finite number.
func (m NodeMapping) Convert(raw float64) (float64, bool) {
	v := raw*m.Scale + m.Shift
	return v, finite(v)
}

// String is the node as configured: "nsu=urn:plc;s=Level" or gopcua's form of the id.
func (m NodeMapping) String() string {
	if m.NamespaceURI != "" {
		return "nsu=" + m.NamespaceURI + ";" + m.ident
	}
	return m.ID.String()
}

// key identifies the node within an endpoint.
func (m NodeMapping) key() string { return m.String() }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func clip(s string) string {
	const n = 64
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "\uFFFD") + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
