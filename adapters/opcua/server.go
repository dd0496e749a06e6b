package opcua

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopcua/opcua/id"
	"github.com/gopcua/opcua/server"
	"github.com/gopcua/opcua/ua"
)

// Namespace is the URI of the namespace Vigie's server publishes its nodes in.
const Namespace = "urn:vigie"

// DamStatus is what the server publishes about one dam.
type DamStatus struct {
	// Dam is the dam's id ("mejean"): its folder's browse name and the prefix of its node ids.
	Dam  string
	Name string // display name
	// Level (m) at Time, the sensor time of the latest reading; Time is zero before any reading,
	// and the values are then published with status BadWaitingForInitialData.
	Level float64
	Time  time.Time
	// Stale: no reading for longer than expected. Values are published with status
	// UncertainLastUsableValue.
	Stale       bool
	Volume      float64 // m³
	FillPercent float64
	// TimeToSpill is the forecast at the current trend, nil when the level is not rising;
	// Spilling is true when the level is at or above the spillway crest.
	TimeToSpill *time.Duration
	Spilling    bool
	// ActiveAlarms counts the dam's alarms that are not back to normal.
	ActiveAlarms int
}

// Source gives the current state of every dam (the read store's levels view). It must list every
// configured dam, even one without readings: the address space is built from the first answer.
type Source interface {
	DamStatuses(ctx context.Context) ([]DamStatus, error)
}

// Variables of each dam folder, in browse order.
var damVariables = []struct {
	name, description string
	dataType          uint32
}{
	{"Level", "Water level (m), at the time of the latest reading", id.Double},
	{"Volume", "Stored volume (m³)", id.Double},
	{"FillPercent", "Volume as a percentage of capacity", id.Double},
	{"TimeToSpill", "Seconds until the spillway crest at the current trend: -1 when not rising, 0 when spilling", id.Double},
	{"ActiveAlarms", "Number of the dam's alarms not back to normal", id.UInt32},
}

// Server is Vigie's OPC-UA server: a read-only, browsable view of every dam for a SCADA. Built on
// gopcua's server package, it offers security None only (gopcua's server does not complete
// Basic256Sha256 handshakes): expose it on a trusted network segment only.
type Server struct {
	cfg  ServerConfig
	src  Source
	log  *slog.Logger
	now  func() time.Time
	host string
	port int

	mu      sync.Mutex
	dams    map[string]*damNodes
	url     string
	started chan struct{}
	running atomic.Bool
}

type damNodes struct {
	vars []*variable // in damVariables order
}

// variable holds a node's current value; the server reads it on every Read and notification.
type variable struct {
	id  *ua.NodeID
	val atomic.Pointer[ua.DataValue]
}

// value is the node's ValueFunc: a copy, since gopcua encodes it while the next update comes.
func (v *variable) value() *ua.DataValue {
	dv := *v.val.Load()
	return &dv
}

// NewServer checks the configuration and refuses nil dependencies.
func NewServer(cfg ServerConfig, src Source, logger *slog.Logger) (*Server, error) {
	var errs []error
	if !cfg.Enabled() {
		errs = append(errs, errors.New("opcua: server listen is empty"))
	} else if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if src == nil {
		errs = append(errs, errors.New("opcua: server source is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("opcua: logger is nil"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new opcua server: %w", err)
	}
	cfg.setDefaults()
	host, port, _ := net.SplitHostPort(cfg.Listen)
	p, _ := strconv.Atoi(port)
	return &Server{cfg: cfg, src: src, log: logger.With("adapter", "opcua-server"), now: time.Now, host: host, port: p,
		dams: map[string]*damNodes{}, started: make(chan struct{})}, nil
}

// URL is the endpoint clients connect to, once Run has started the server.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Started is closed once the server listens.
func (s *Server) Started() <-chan struct{} { return s.started }

// Run builds the address space from the source's first answer, serves until ctx is cancelled,
// and refreshes the values every cfg.Refresh.
func (s *Server) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("opcua: server Run called twice")
	}
	first, err := s.src.DamStatuses(ctx)
	if err != nil {
		return fmt.Errorf("opcua server: list dams: %w", err)
	}
	advertised := s.cfg.EndpointHost
	if advertised == "" {
		advertised = s.host
	}
	opts := []server.Option{
		server.EndPoint(s.host, s.port), // the first endpoint is where gopcua listens
		server.EnableSecurity("None", ua.MessageSecurityModeNone),
		server.EnableAuthMode(ua.UserTokenTypeAnonymous),
		server.ServerName("Vigie"),
		server.ManufacturerName("Vigie"),
		server.ProductName("Vigie dam supervision"),
		server.SetLogger(gopcuaLogger{s.log}),
	}
	if advertised != s.host {
		opts = append(opts, server.EndPoint(advertised, s.port))
	}
	srv := server.New(opts...)
	ns := server.NewNodeNameSpace(srv, Namespace)
	if err := s.build(srv, ns, first); err != nil {
		return err
	}
	s.update(ns, first, nil)
	if err := srv.Start(ctx); err != nil {
		return fmt.Errorf("opcua server: listen on %s: %w", s.cfg.Listen, err)
	}
	defer srv.Close()
	s.mu.Lock()
	s.url = fmt.Sprintf("opc.tcp://%s", net.JoinHostPort(advertised, strconv.Itoa(s.port)))
	s.mu.Unlock()
	close(s.started)
	s.log.Info("OPC-UA server listening", "url", s.URL(), "dams", len(first), "security", "None")

	// Notifications go through their own goroutine: gopcua sends them on a channel while holding
	// a lock, and a stuck subscriber must not stop the values from being refreshed.
	// It is not waited for: a send stuck in gopcua would hold Run forever.
	changed := make(chan []*ua.NodeID, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case ids := <-changed:
				for _, id := range ids {
					ns.ChangeNotification(id)
				}
			}
		}
	}()

	tick := time.NewTicker(s.cfg.Refresh)
	defer tick.Stop()
	var pending []*ua.NodeID
	failing := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		statuses, err := s.src.DamStatuses(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !failing {
				s.log.Error("cannot read the dams' state: the OPC-UA server publishes the last values as uncertain", "err", err)
			}
			failing = true
		} else if failing {
			s.log.Info("dams' state readable again")
			failing = false
		}
		pending = append(pending, s.update(ns, statuses, err)...)
		if len(pending) > 0 {
			select {
			case changed <- pending:
				pending = nil
			default: // the notifier is busy: hand these over on the next tick
			}
		}
	}
}

// build creates Objects/Dams/<dam>/<variable> before the server starts (gopcua's nodes are not
// safe to extend while clients browse).
func (s *Server) build(srv *server.Server, ns *server.NodeNameSpace, dams []DamStatus) error {
	ns0, err := srv.Namespace(0)
	if err != nil {
		return fmt.Errorf("opcua server: %w", err)
	}
	objects := ns0.Node(ua.NewNumericNodeID(0, id.ObjectsFolder))
	folderType := ns0.Node(ua.NewNumericNodeID(0, id.FolderType))
	varType := ns0.Node(ua.NewNumericNodeID(0, id.BaseDataVariableType))
	if objects == nil || folderType == nil || varType == nil {
		return errors.New("opcua server: gopcua's standard nodes are missing")
	}
	root := folder(ns, "Dams", "Dams", "Every dam Vigie supervises")
	root.AddRef(folderType, id.HasTypeDefinition, true)
	objects.AddRef(root, id.Organizes, true)
	for _, d := range dams {
		if d.Dam == "" {
			return errors.New("opcua server: the source lists a dam without id")
		}
		if _, dup := s.dams[d.Dam]; dup {
			return fmt.Errorf("opcua server: the source lists dam %s twice", d.Dam)
		}
		name := d.Name
		if name == "" {
			name = d.Dam
		}
		f := folder(ns, d.Dam, d.Dam, name)
		f.SetDisplayName(name, "")
		f.AddRef(folderType, id.HasTypeDefinition, true)
		root.AddRef(f, id.Organizes, true)
		nodes := &damNodes{}
		for _, v := range damVariables {
			vr := &variable{id: ua.NewStringNodeID(ns.ID(), d.Dam+"."+v.name)}
			vr.val.Store(&ua.DataValue{EncodingMask: ua.DataValueStatusCode, Status: ua.StatusBadWaitingForInitialData})
			n := server.NewNode(vr.id, map[ua.AttributeID]*ua.DataValue{
				ua.AttributeIDNodeClass:       server.DataValueFromValue(uint32(ua.NodeClassVariable)),
				ua.AttributeIDBrowseName:      server.DataValueFromValue(&ua.QualifiedName{NamespaceIndex: ns.ID(), Name: v.name}),
				ua.AttributeIDDisplayName:     server.DataValueFromValue(ua.NewLocalizedText(v.name)),
				ua.AttributeIDDescription:     server.DataValueFromValue(ua.NewLocalizedText(v.description)),
				ua.AttributeIDDataType:        server.DataValueFromValue(ua.NewNumericExpandedNodeID(0, v.dataType)),
				ua.AttributeIDValueRank:       server.DataValueFromValue(int32(-1)),
				ua.AttributeIDAccessLevel:     server.DataValueFromValue(byte(ua.AccessLevelTypeCurrentRead)),
				ua.AttributeIDUserAccessLevel: server.DataValueFromValue(byte(ua.AccessLevelTypeCurrentRead)),
			}, nil, vr.value)
			ns.AddNode(n)
			n.AddRef(varType, id.HasTypeDefinition, true)
			f.AddRef(n, id.HasComponent, true)
			nodes.vars = append(nodes.vars, vr)
		}
		s.dams[d.Dam] = nodes
	}
	return nil
}

func folder(ns *server.NodeNameSpace, nodeID, browse, description string) *server.Node {
	n := server.NewNode(ua.NewStringNodeID(ns.ID(), nodeID), map[ua.AttributeID]*ua.DataValue{
		ua.AttributeIDNodeClass:     server.DataValueFromValue(uint32(ua.NodeClassObject)),
		ua.AttributeIDBrowseName:    server.DataValueFromValue(&ua.QualifiedName{NamespaceIndex: ns.ID(), Name: browse}),
		ua.AttributeIDDisplayName:   server.DataValueFromValue(ua.NewLocalizedText(browse)),
		ua.AttributeIDDescription:   server.DataValueFromValue(ua.NewLocalizedText(description)),
		ua.AttributeIDEventNotifier: server.DataValueFromValue(byte(0)),
	}, nil, nil)
	ns.AddNode(n)
	return n
}

// update stores the new values and returns the nodes whose value changed. With srcErr, the last
// values stay, marked UncertainNoCommunicationLastUsableValue.
func (s *Server) update(ns *server.NodeNameSpace, dams []DamStatus, srcErr error) []*ua.NodeID {
	now := s.now()
	var changed []*ua.NodeID
	set := func(v *variable, dv *ua.DataValue) {
		old := v.val.Load()
		if old != nil && sameValue(old, dv) {
			return
		}
		v.val.Store(dv)
		changed = append(changed, v.id)
	}
	if srcErr != nil {
		for _, d := range s.dams {
			for _, v := range d.vars {
				old := *v.val.Load()
				if old.Status == ua.StatusBadWaitingForInitialData {
					continue
				}
				old.Status, old.EncodingMask = ua.StatusUncertainNoCommunicationLastUsableValue, old.EncodingMask|ua.DataValueStatusCode
				old.ServerTimestamp = now
				set(v, &old)
			}
		}
		return changed
	}
	for _, d := range dams {
		nodes, ok := s.dams[d.Dam]
		if !ok {
			continue // a dam added after start: published after a restart
		}
		status := ua.StatusOK
		switch {
		case d.Time.IsZero():
			status = ua.StatusBadWaitingForInitialData
		case d.Stale:
			status = ua.StatusUncertainLastUsableValue
		}
		tts := -1.0
		switch {
		case d.Spilling:
			tts = 0
		case d.TimeToSpill != nil:
			tts = d.TimeToSpill.Seconds()
		}
		values := []any{d.Level, d.Volume, d.FillPercent, tts, uint32(max(d.ActiveAlarms, 0))}
		for i, v := range nodes.vars {
			st, src := status, d.Time
			if damVariables[i].name == "ActiveAlarms" {
				st, src = ua.StatusOK, time.Time{} // known whether or not there are readings
			}
			set(v, dataValue(values[i], st, src, now))
		}
	}
	return changed
}

func dataValue(v any, status ua.StatusCode, source, now time.Time) *ua.DataValue {
	dv := &ua.DataValue{EncodingMask: ua.DataValueValue | ua.DataValueServerTimestamp, Value: ua.MustVariant(v), ServerTimestamp: now}
	if status != ua.StatusOK {
		dv.Status, dv.EncodingMask = status, dv.EncodingMask|ua.DataValueStatusCode
	}
	if !source.IsZero() {
		dv.SourceTimestamp, dv.EncodingMask = source, dv.EncodingMask|ua.DataValueSourceTimestamp
	}
	return dv
}

// sameValue compares what a subscriber sees change: value, status, source time.
func sameValue(a, b *ua.DataValue) bool {
	if a.Status != b.Status || !a.SourceTimestamp.Equal(b.SourceTimestamp) || (a.Value == nil) != (b.Value == nil) {
		return false
	}
	return a.Value == nil || a.Value.Value() == b.Value.Value()
}

// gopcuaLogger passes gopcua's printf-style server logs to slog at debug level.
type gopcuaLogger struct{ l *slog.Logger }

func (g gopcuaLogger) Debug(msg string, args ...any) { g.l.Debug(fmt.Sprintf(msg, args...)) }
func (g gopcuaLogger) Info(msg string, args ...any)  { g.l.Debug(fmt.Sprintf(msg, args...)) }
func (g gopcuaLogger) Warn(msg string, args ...any)  { g.l.Warn(fmt.Sprintf(msg, args...)) }
func (g gopcuaLogger) Error(msg string, args ...any) { g.l.Error(fmt.Sprintf(msg, args...)) }
