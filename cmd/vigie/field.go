package main

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/mqtt"
	"github.com/vigie/vigie/adapters/opcua"
	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/sensor"
)

// fieldPoll is how often the field sources' connectivity is looked at: an unreachable source is
// noticed within this much of its delay.
const fieldPoll = time.Second

// fieldSources are the MQTT subscribers and the OPC-UA client `vigie serve` runs from the field
// block, feeding the same ingester as the HTTP API, and the monitor of the technical alarms about
// sources (docs/field.md, docs/alarms.md "Source alarms").
type fieldSources struct {
	monitor *commands.SourceMonitor
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	log     *slog.Logger
}

// fieldAdapters is the field block converted to the adapters' configurations.
type fieldAdapters struct {
	brokers []namedBroker
	opcua   opcua.Config
}

type namedBroker struct {
	name string
	cfg  mqtt.Config
	dams []dam.ID
}

// adaptField converts the field block and lets each adapter check what only it can (topic
// filters, node ids); its findings are located at the block's line and column.
func adaptField(cfg *config.Config) (fieldAdapters, error) {
	f := cfg.Field()
	var out fieldAdapters
	var problems []config.Problem
	for _, b := range f.MQTT {
		mc := mqtt.Config{
			Broker: b.Broker, ClientID: b.ClientID, Username: b.Username, Password: b.Password,
			TLS:             mqtt.TLS{CAFile: b.TLS.CAFile, CertFile: b.TLS.CertFile, KeyFile: b.TLS.KeyFile, ServerName: b.TLS.ServerName},
			DeadLetterTopic: b.DeadLetterTopic, KeepAlive: b.KeepAlive, SessionExpiry: b.SessionExpiry, ConnectTimeout: b.ConnectTimeout,
			ReconnectMin: b.ReconnectMin, ReconnectMax: b.ReconnectMax, MaxPayloadBytes: b.MaxPayloadBytes, MaxReadings: b.MaxReadings,
			InFlight: b.InFlight, Workers: b.Workers, RetryMax: b.RetryMax,
		}
		for _, s := range b.Subscriptions {
			mc.Subscriptions = append(mc.Subscriptions, mqtt.Subscription{Topic: s.Topic, Sensor: s.Sensor})
		}
		if err := mc.Validate(); err != nil {
			for _, e := range flatten(err) {
				problems = append(problems, b.Place.Problem(f.File, "%s", strings.TrimPrefix(e.Error(), "mqtt: ")))
			}
		}
		out.brokers = append(out.brokers, namedBroker{name: "mqtt:" + b.Name, cfg: mc, dams: brokerDams(cfg, b)})
	}
	for _, e := range f.OPCUA.Endpoints {
		ec := opcua.Endpoint{
			Name: e.Name, URL: e.URL, SecurityPolicy: e.SecurityPolicy, SecurityMode: e.SecurityMode,
			CertificateFile: e.CertificateFile, PrivateKeyFile: e.PrivateKeyFile, ApplicationURI: e.ApplicationURI,
			ServerCertificateFile: e.ServerCertificateFile, ServerThumbprint: e.ServerThumbprint, ServerCAFile: e.ServerCAFile,
			Username: e.Username, Password: e.Password, PublishingInterval: e.PublishingInterval, SamplingInterval: e.SamplingInterval,
			QueueSize: e.QueueSize, Timestamps: e.Timestamps, Uncertain: e.Uncertain, Heartbeat: e.Heartbeat,
			RequestTimeout: e.RequestTimeout, ReconnectMin: e.ReconnectMin, ReconnectMax: e.ReconnectMax, RetryMax: e.RetryMax,
		}
		nodeProblem := false
		for _, n := range e.Nodes {
			nc := opcua.NodeConfig{Node: n.Node, Sensor: n.Sensor, Factor: n.Factor, Offset: n.Offset, Unit: n.Unit, Deadband: n.Deadband, SamplingInterval: n.SamplingInterval}
			if _, err := opcua.ParseNodeMapping(nc); err != nil {
				nodeProblem = true
				for _, e := range flatten(err) {
					problems = append(problems, n.Place.Problem(f.File, "%v", e))
				}
			}
			ec.Nodes = append(ec.Nodes, nc)
		}
		if err := ec.Validate(); err != nil && !nodeProblem {
			for _, err := range flatten(err) {
				problems = append(problems, e.Place.Problem(f.File, "%v", err))
			}
		}
		out.opcua.Endpoints = append(out.opcua.Endpoints, ec)
	}
	if s := f.OPCUA.Server; s.Listen != "" {
		out.opcua.Server = opcua.ServerConfig{Listen: s.Listen, EndpointHost: s.EndpointHost, Refresh: s.Refresh}
	}
	if len(problems) > 0 {
		return out, &config.ValidationError{Problems: problems}
	}
	return out, nil
}

// flatten splits joined errors.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// brokerDams are the dams a broker can feed: those of the sensors its subscriptions can name. A
// subscription whose payloads name their sensor can feed any dam.
func brokerDams(cfg *config.Config, b config.MQTTBroker) []dam.ID {
	var res []*regexp.Regexp
	for _, s := range b.Subscriptions {
		if s.Sensor == "" {
			return allDams(cfg)
		}
		// {name} captures one topic level: anything but '/', '+', '#' and NUL, not empty (the
		// braces come out of QuoteMeta escaped).
		expr := captureRE.ReplaceAllString(regexp.QuoteMeta(s.Sensor), `[^/+#\x00]+`)
		re, err := regexp.Compile("^" + expr + "$")
		if err != nil {
			return allDams(cfg)
		}
		res = append(res, re)
	}
	var out []dam.ID
	for _, dc := range cfg.DamConfigs() {
		for _, s := range dc.Sensors {
			if matchesAny(res, string(s.ID)) {
				out = append(out, dc.ID)
				break
			}
		}
	}
	return out
}

var captureRE = regexp.MustCompile(`\\\{[A-Za-z0-9_]+\\\}`)

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func allDams(cfg *config.Config) []dam.ID {
	var out []dam.ID
	for _, dc := range cfg.DamConfigs() {
		out = append(out, dc.ID)
	}
	return out
}

// endpointDams are the dams of the sensors an endpoint's nodes map.
func endpointDams(cfg *config.Config, e opcua.Endpoint) []dam.ID {
	var out []dam.ID
	for _, n := range e.Nodes {
		if _, d, ok := cfg.Sensor(sensor.ID(n.Sensor)); ok && !containsDam(out, d) {
			out = append(out, d)
		}
	}
	return out
}

func containsDam(ds []dam.ID, d dam.ID) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// startField starts the field sources and the source alarms; stop ends them. It runs even without
// a field block: the alarm on refused readings requests is on by default.
func startField(ctx context.Context, cfg *config.Config, st *stores, ing mqtt.Ingester, now func() time.Time, logger *slog.Logger) (*fieldSources, error) {
	logger = logger.With("component", "field")
	ad, err := adaptField(cfg)
	if err != nil {
		return nil, err
	}
	f := cfg.Field()
	alarms, err := commands.NewSourceAlarms(st.events, st.codec, floodRule())
	if err != nil {
		return nil, err
	}
	conn, err := commands.NewConnectivityWatch(commands.ConnectivityRule{After: f.UnreachableAfter, Severity: f.UnreachableSeverity})
	if err != nil {
		return nil, err
	}
	var rejects *commands.RejectionWatch
	if r := f.RejectedRequests; r.Enabled {
		if rejects, err = commands.NewRejectionWatch(commands.RejectionRule{Requests: r.Count, Window: r.Window, Severity: r.Severity}); err != nil {
			return nil, err
		}
	}
	started := now()
	var runs []func(context.Context) error
	var sources []commands.WatchedSource
	for _, b := range ad.brokers {
		sub, err := mqtt.New(b.cfg, ing, logger)
		if err != nil {
			return nil, fmt.Errorf("field source %s: %w", b.name, err)
		}
		runs = append(runs, sub.Run)
		sources = append(sources, commands.WatchedSource{Name: b.name, Dams: b.dams, State: func() commands.SourceState {
			s := sub.State()
			return sourceState(s.Connected, s.Since, s.LastError, started)
		}})
	}
	if len(ad.opcua.Endpoints) > 0 {
		client, err := opcua.New(opcua.Config{Endpoints: ad.opcua.Endpoints}, ing, logger)
		if err != nil {
			return nil, fmt.Errorf("field source opcua: %w", err)
		}
		runs = append(runs, client.Run)
		for _, e := range ad.opcua.Endpoints {
			sources = append(sources, commands.WatchedSource{Name: "opcua:" + e.Name, Dams: endpointDams(cfg, e), State: func() commands.SourceState {
				s := client.States()[e.Name]
				return sourceState(s.Connected, s.Since, s.LastError, started)
			}})
		}
	}
	if ad.opcua.Server.Enabled() {
		srv, err := opcua.NewServer(ad.opcua.Server, damStatuses{views: st.views, dams: cfg.Dams()}, logger.With("component", "opcua-server"))
		if err != nil {
			return nil, fmt.Errorf("field.opcua.server: %w", err)
		}
		runs = append(runs, srv.Run)
	}
	monitor, err := commands.NewSourceMonitor(alarms, conn, rejects, sources, now, logger)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	fs := &fieldSources{monitor: monitor, cancel: cancel, log: logger}
	for _, run := range runs {
		fs.wg.Go(func() {
			if err := run(ctx); err != nil {
				logger.Error("field source stopped", "err", err)
			}
		})
	}
	fs.wg.Go(func() { _ = monitor.Run(ctx, fieldPoll) })
	if len(sources) > 0 {
		logger.Info("field sources started", "sources", len(sources))
	}
	return fs, nil
}

// sourceState adapts an adapter's state; before the adapter's Run set its start, the source
// counts as disconnected since the field sources started.
func sourceState(connected bool, since time.Time, lastErr string, started time.Time) commands.SourceState {
	if since.IsZero() {
		since = started
	}
	return commands.SourceState{Connected: connected, Since: since, LastError: lastErr}
}

// stop ends the sources and waits for them: messages being stored are left unacknowledged and
// the broker delivers them again (read as duplicates).
func (f *fieldSources) stop() {
	if f == nil {
		return
	}
	f.cancel()
	f.wg.Wait()
}

// refused counts a refused readings request against its client: by address when no key was
// recognised, by claimed sensor otherwise (an address may be a proxy carrying good clients too).
func (f *fieldSources) refused(r httpapi.RefusedRequest) {
	if f == nil {
		return
	}
	detail := fmt.Sprintf("HTTP %d from %s", r.Status, r.RemoteAddr)
	if r.Actor != "" {
		detail += " (" + r.Actor + ")"
	}
	detail += ": " + clipText(r.Reason, 200)
	if len(r.Sensors) == 0 {
		f.monitor.Rejected("addr:"+safeKey(r.RemoteAddr), detail)
		return
	}
	for _, s := range r.Sensors {
		f.monitor.Rejected("sensor:"+safeKey(string(s)), detail)
	}
}

// safeKey keeps a client-given text usable in an alarm condition, stream name and URL: at most 64
// of [a-z0-9._:-]; anything else is one key ("other") so forged names cannot multiply alarms.
func safeKey(s string) string {
	if s == "" || len(s) > 64 {
		return "other"
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == ':') {
			return "other"
		}
	}
	return s
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// damStatuses is what Vigie's OPC-UA server publishes, read from the level and alarm views.
type damStatuses struct {
	views interface {
		State(ctx context.Context, sensor string) (readstore.SensorState, error)
		Alarms(ctx context.Context, q readstore.AlarmQuery) ([]readstore.AlarmView, error)
	}
	dams []dam.Dam
}

func (d damStatuses) DamStatuses(ctx context.Context) ([]opcua.DamStatus, error) {
	active, err := d.views.Alarms(ctx, readstore.AlarmQuery{States: []string{string(alarm.StateUnackActive), string(alarm.StateAckActive)}})
	if err != nil {
		return nil, fmt.Errorf("active alarms: %w", err)
	}
	counts, stale := map[string]int{}, map[string]bool{}
	for _, a := range active {
		counts[a.Dam]++
		if strings.HasPrefix(a.Condition, "stale:") {
			stale[a.Dam] = true
		}
	}
	out := make([]opcua.DamStatus, 0, len(d.dams))
	for _, dm := range d.dams {
		s := opcua.DamStatus{Dam: string(dm.ID), Name: dm.Name, ActiveAlarms: counts[string(dm.ID)], Stale: stale[string(dm.ID)]}
		st, ok, err := damLevel(ctx, d.views, dm)
		if err != nil {
			return nil, err
		}
		if ok {
			s.Level, s.Time, s.Volume, s.FillPercent, s.Spilling = st.Value, st.Time, st.Volume, st.FillPct, st.Spilling
			if st.TimeToSpill != nil {
				tts := time.Duration(*st.TimeToSpill)
				s.TimeToSpill = &tts
			}
		}
		out = append(out, s)
	}
	return out, nil
}
