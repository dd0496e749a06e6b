package opcua

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	gopcua "github.com/gopcua/opcua"
	"github.com/gopcua/opcua/id"
	"github.com/gopcua/opcua/ua"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
)

// Ingester stores readings durably: commands.Ingester satisfies it.
type Ingester interface {
	Handle(ctx context.Context, cmd commands.IngestReadings) (commands.IngestResult, error)
}

var _ Ingester = (*commands.Ingester)(nil)

// State is an endpoint's connectivity, for a technical alarm.
type State struct {
	// Connected is true while a session is up and its subscription monitors at least one node.
	Connected bool
	// Since is when Connected last changed (when Run started, before the first connection).
	Since time.Time
	// LastError is why the last attempt or session failed, or why nodes could not be monitored.
	LastError string
	// Monitored counts the nodes the server monitors; NodeErrors those it refused (unknown node,
	// no access): a refused node raises no alarm by itself but its sensor goes stale.
	Monitored, NodeErrors int
}

// Stats count what an endpoint did since the client was created.
type Stats struct {
	// Sessions established (the first connection and each reconnection).
	Sessions uint64
	// Values received in data changes.
	Values uint64
	// Readings given to the ingester, by outcome.
	Accepted, Duplicates, Rejected uint64
	// Uncertain values (ingested, or dropped with uncertain: skip).
	Uncertain uint64
	// Bad: values not ingested because their status is Bad, or they are not a finite number.
	Bad uint64
	// Refused: readings the ingester refused (unknown sensor, time far ahead of the clock...).
	Refused uint64
	// StoreRetries: attempts to store that failed for a reason that may pass.
	StoreRetries uint64
}

// Client subscribes to the configured OPC-UA servers and ingests their data changes.
type Client struct {
	ing       Ingester
	log       *slog.Logger
	now       func() time.Time
	endpoints []*endpoint
	running   atomic.Bool
}

type endpoint struct {
	c        *Client
	cfg      Endpoint
	mappings []NodeMapping
	trust    *trust
	cert     []byte
	key      *rsa.PrivateKey
	log      *slog.Logger

	quality map[uint32]Quality // last quality per node; used by the session goroutine only

	mu    sync.Mutex
	state State
	stats struct {
		sessions, values, accepted, duplicates, rejected, uncertain, bad, refused, retries atomic.Uint64
	}
}

// New checks the configuration, reads the certificate files and refuses nil dependencies. Only
// cfg.Endpoints is used; the server is NewServer's.
func New(cfg Config, ing Ingester, logger *slog.Logger) (*Client, error) {
	var errs []error
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if ing == nil {
		errs = append(errs, errors.New("opcua: ingester is nil"))
	}
	if logger == nil {
		errs = append(errs, errors.New("opcua: logger is nil"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new opcua client: %w", err)
	}
	c := &Client{ing: ing, log: logger.With("adapter", "opcua"), now: time.Now}
	for _, ec := range cfg.Endpoints {
		ec.setDefaults()
		e := &endpoint{c: c, cfg: ec, log: c.log.With("endpoint", ec.Name), quality: map[uint32]Quality{}}
		for _, n := range ec.Nodes {
			m, _ := ParseNodeMapping(n) // checked by Validate
			e.mappings = append(e.mappings, m)
		}
		if ec.SecurityPolicy != PolicyNone {
			var err error
			if e.trust, err = loadTrust(ec, c.now); err != nil {
				errs = append(errs, fmt.Errorf("opcua: endpoint %s: %w", ec.Name, err))
			}
			if e.cert, err = readCertificate(ec.CertificateFile); err != nil {
				errs = append(errs, fmt.Errorf("opcua: endpoint %s: certificate_file: %w", ec.Name, err))
			}
			if e.key, err = readPrivateKey(ec.PrivateKeyFile); err != nil {
				errs = append(errs, fmt.Errorf("opcua: endpoint %s: private_key_file: %w", ec.Name, err))
			}
		}
		c.endpoints = append(c.endpoints, e)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new opcua client: %w", err)
	}
	return c, nil
}

// States returns each endpoint's connectivity, by endpoint name.
func (c *Client) States() map[string]State {
	out := make(map[string]State, len(c.endpoints))
	for _, e := range c.endpoints {
		e.mu.Lock()
		out[e.cfg.Name] = e.state
		e.mu.Unlock()
	}
	return out
}

// Stats returns each endpoint's counters, by endpoint name.
func (c *Client) Stats() map[string]Stats {
	out := make(map[string]Stats, len(c.endpoints))
	for _, e := range c.endpoints {
		s := &e.stats
		out[e.cfg.Name] = Stats{
			Sessions: s.sessions.Load(), Values: s.values.Load(), Accepted: s.accepted.Load(),
			Duplicates: s.duplicates.Load(), Rejected: s.rejected.Load(), Uncertain: s.uncertain.Load(),
			Bad: s.bad.Load(), Refused: s.refused.Load(), StoreRetries: s.retries.Load(),
		}
	}
	return out
}

// Run keeps a session with every endpoint until ctx is cancelled, reconnecting with back-off
// and subscribing again after any failure. It returns nil once ctx is cancelled.
func (c *Client) Run(ctx context.Context) error {
	if !c.running.CompareAndSwap(false, true) {
		return errors.New("opcua: Run called twice")
	}
	var wg sync.WaitGroup
	for _, e := range c.endpoints {
		e.setState(func(s *State) { *s = State{Since: c.now()} })
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.run(ctx)
		}()
	}
	wg.Wait()
	return nil
}

func (e *endpoint) setState(f func(*State)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	was := e.state.Connected
	f(&e.state)
	if e.state.Connected != was {
		e.state.Since = e.c.now()
	}
}

func (e *endpoint) run(ctx context.Context) {
	attempt := 0
	for ctx.Err() == nil {
		up, err := e.session(ctx)
		if ctx.Err() != nil {
			break
		}
		if up {
			attempt = 0
		}
		attempt++
		delay := e.cfg.ReconnectMin
		for i := 1; i < attempt && delay < e.cfg.ReconnectMax; i++ {
			delay *= 2
		}
		delay = min(delay, e.cfg.ReconnectMax)
		e.setState(func(s *State) { s.Connected, s.LastError = false, err.Error() })
		level := slog.LevelWarn
		if errors.Is(err, ErrUntrustedServer) {
			level = slog.LevelError
		}
		e.log.Log(ctx, level, "OPC-UA session failed, reconnecting", "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
	}
	e.setState(func(s *State) { s.Connected = false })
}

// session connects, subscribes and ingests until the connection fails or ctx ends; up reports
// whether it got as far as monitoring nodes.
func (e *endpoint) session(ctx context.Context) (up bool, err error) {
	cl, err := e.connect(ctx)
	if err != nil {
		return false, err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = cl.Close(closeCtx)
	}()
	e.stats.sessions.Add(1)

	notify := make(chan *gopcua.PublishNotificationData, 16)
	sub, err := cl.Subscribe(ctx, &gopcua.SubscriptionParameters{Interval: e.cfg.PublishingInterval}, notify)
	if err != nil {
		return false, fmt.Errorf("create subscription: %w", err)
	}
	monitored, err := e.monitor(ctx, cl, sub)
	if err != nil {
		return false, err
	}
	e.setState(func(s *State) { s.Connected = true })
	e.log.Info("OPC-UA session up", "url", e.cfg.URL, "security", e.cfg.SecurityPolicy, "monitored", monitored)

	heartbeat := time.NewTicker(e.cfg.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return true, nil
		case n := <-notify:
			if n.Error != nil {
				return true, fmt.Errorf("subscription: %w", n.Error)
			}
			if dc, ok := n.Value.(*ua.DataChangeNotification); ok {
				e.ingest(ctx, dc)
			}
		case <-heartbeat.C:
			if st := cl.State(); st != gopcua.Connected {
				return true, fmt.Errorf("connection %s", st)
			}
			if err := e.heartbeat(ctx, cl); err != nil {
				return true, err
			}
		}
	}
}

// connect checks the server's certificate when security is on, then opens a session.
func (e *endpoint) connect(ctx context.Context) (*gopcua.Client, error) {
	dial, cancel := context.WithTimeout(ctx, e.cfg.RequestTimeout)
	defer cancel()
	eps, err := gopcua.GetEndpoints(dial, e.cfg.URL, gopcua.DialTimeout(e.cfg.RequestTimeout), gopcua.RequestTimeout(e.cfg.RequestTimeout))
	if err != nil {
		return nil, fmt.Errorf("get endpoints of %s: %w", e.cfg.URL, err)
	}
	mode := ua.MessageSecurityModeNone
	if e.cfg.SecurityMode == ModeSignAndEncrypt {
		mode = ua.MessageSecurityModeSignAndEncrypt
	}
	ep, err := gopcua.SelectEndpoint(eps, e.cfg.SecurityPolicy, mode)
	if err != nil {
		return nil, fmt.Errorf("%s offers no endpoint with security %s/%s: %w", e.cfg.URL, e.cfg.SecurityPolicy, e.cfg.SecurityMode, err)
	}
	opts := []gopcua.Option{
		gopcua.AutoReconnect(false), // reconnection is ours: a fresh session and subscription each time
		gopcua.ApplicationURI(e.cfg.ApplicationURI),
		gopcua.ApplicationName("Vigie"),
		gopcua.ProductURI("urn:vigie"),
		gopcua.SessionName("vigie-" + e.cfg.Name),
		gopcua.RequestTimeout(e.cfg.RequestTimeout),
		gopcua.DialTimeout(e.cfg.RequestTimeout),
		gopcua.SessionTimeout(10 * time.Minute),
	}
	authType := ua.UserTokenTypeAnonymous
	if e.cfg.Username != "" {
		authType = ua.UserTokenTypeUserName
		opts = append(opts, gopcua.AuthUsername(e.cfg.Username, e.cfg.Password))
	} else {
		opts = append(opts, gopcua.AuthAnonymous())
	}
	if e.trust != nil {
		if err := e.trust.check(ep.ServerCertificate); err != nil {
			return nil, fmt.Errorf("%s: %w", e.cfg.URL, err)
		}
		opts = append(opts, gopcua.Certificate(e.cert), gopcua.PrivateKey(e.key))
	}
	opts = append(opts, gopcua.SecurityFromEndpoint(ep, authType))
	if e.trust != nil {
		opts = append(opts, gopcua.RemoteCertificate(ep.ServerCertificate)) // the checked one
	}
	cl, err := gopcua.NewClient(e.cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("client for %s: %w", e.cfg.URL, err)
	}
	if err := connectSafely(dial, cl); err != nil {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = cl.Close(closeCtx)
		return nil, fmt.Errorf("connect to %s: %w", e.cfg.URL, err)
	}
	return cl, nil
}

// connectSafely turns a panic of gopcua v0.8.0 into an error: when a server's session signature
// does not verify, CreateSession logs it and returns no session and no error, and Connect then
// dereferences the missing session. A server must not be able to crash Vigie.
func connectSafely(ctx context.Context, cl *gopcua.Client) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the server's session could not be established (its signature may not verify): %v", r)
		}
	}()
	return cl.Connect(ctx)
}

// monitor creates a monitored item per node; nodes the server refuses are logged and counted.
func (e *endpoint) monitor(ctx context.Context, cl *gopcua.Client, sub *gopcua.Subscription) (int, error) {
	var reqs []*ua.MonitoredItemCreateRequest
	var handles []int
	var problems []string
	namespaces := cl.Namespaces()
	for i, m := range e.mappings {
		nodeID, err := m.Resolve(namespaces)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", m, err))
			continue
		}
		sampling := e.cfg.SamplingInterval
		if m.SamplingInterval > 0 {
			sampling = m.SamplingInterval
		}
		params := &ua.MonitoringParameters{
			ClientHandle:     uint32(i),
			SamplingInterval: float64(sampling) / float64(time.Millisecond),
			QueueSize:        uint32(e.cfg.QueueSize),
			DiscardOldest:    true,
		}
		if m.Deadband > 0 {
			params.Filter = ua.NewExtensionObject(&ua.DataChangeFilter{
				Trigger: ua.DataChangeTriggerStatusValue, DeadbandType: uint32(ua.DeadbandTypeAbsolute), DeadbandValue: m.Deadband,
			})
		} else {
			// A new source timestamp with the same value is a new reading: a level that holds still
			// still proves its sensor alive (stale), and a stuck one must be seen repeating (frozen).
			// The default trigger (status or value) would hide both.
			params.Filter = ua.NewExtensionObject(&ua.DataChangeFilter{Trigger: ua.DataChangeTriggerStatusValueTimestamp})
		}
		reqs = append(reqs, &ua.MonitoredItemCreateRequest{
			ItemToMonitor:       &ua.ReadValueID{NodeID: nodeID, AttributeID: ua.AttributeIDValue, DataEncoding: &ua.QualifiedName{}},
			MonitoringMode:      ua.MonitoringModeReporting,
			RequestedParameters: params,
		})
		handles = append(handles, i)
	}
	monitored := 0
	if len(reqs) > 0 {
		res, err := sub.Monitor(ctx, ua.TimestampsToReturnBoth, reqs...)
		if err != nil {
			return 0, fmt.Errorf("create monitored items: %w", err)
		}
		for j, r := range res.Results {
			if j >= len(handles) {
				break
			}
			if r.StatusCode != ua.StatusOK {
				problems = append(problems, fmt.Sprintf("%s: %v", e.mappings[handles[j]], r.StatusCode))
				continue
			}
			monitored++
		}
	}
	for _, p := range problems {
		e.log.Error("OPC-UA node not monitored: its sensor gets no readings", "node", p)
	}
	e.setState(func(s *State) {
		s.Monitored, s.NodeErrors = monitored, len(problems)
		if len(problems) > 0 {
			s.LastError = fmt.Sprintf("%d node(s) not monitored: %v", len(problems), problems)
		}
	})
	if monitored == 0 {
		return 0, fmt.Errorf("no node could be monitored: %v", problems)
	}
	return monitored, nil
}

// heartbeat reads the server's clock: a dead connection the network did not report shows here.
func (e *endpoint) heartbeat(parent context.Context, cl *gopcua.Client) error {
	ctx, cancel := context.WithTimeout(parent, e.cfg.RequestTimeout)
	defer cancel()
	res, err := cl.Read(ctx, &ua.ReadRequest{NodesToRead: []*ua.ReadValueID{{
		NodeID: ua.NewNumericNodeID(0, id.Server_ServerStatus_CurrentTime), AttributeID: ua.AttributeIDValue,
	}}})
	if err == nil && (len(res.Results) != 1 || res.Results[0].Status != ua.StatusOK) {
		err = errors.New("unexpected answer")
	}
	if err != nil && parent.Err() == nil {
		return fmt.Errorf("heartbeat: %w", err)
	}
	return nil
}

// ingest turns a data change into readings and stores them. OPC-UA has no end-to-end
// acknowledgement: this blocks the subscription while the store fails, and the server keeps
// queue_size samples per node meanwhile.
func (e *endpoint) ingest(ctx context.Context, dc *ua.DataChangeNotification) {
	received := e.c.now()
	var items []commands.Item
	var nodes []NodeMapping
	for _, n := range dc.MonitoredItems {
		if n == nil || n.Value == nil || int(n.ClientHandle) >= len(e.mappings) {
			continue
		}
		e.stats.values.Add(1)
		m := e.mappings[n.ClientHandle]
		dv := n.Value
		q := QualityOf(dv.Status)
		if last, seen := e.quality[n.ClientHandle]; seen && last != q || !seen && q != Good {
			// Logged when it changes, not for every sample of a sensor that stays Bad.
			e.log.Warn("OPC-UA value quality changed", "node", m, "sensor", m.Sensor, "quality", q, "status", dv.Status,
				"ingested", q == Good || q == Uncertain && e.cfg.Uncertain == UncertainIngest)
		}
		e.quality[n.ClientHandle] = q
		switch q {
		case Bad:
			e.stats.bad.Add(1)
			continue
		case Uncertain:
			e.stats.uncertain.Add(1)
			if e.cfg.Uncertain == UncertainSkip {
				continue
			}
			// Stored suspect (commands.Item.Uncertain): used, but shown flagged.
		}
		raw, err := numeric(dv.Value)
		if err == nil && (math.IsNaN(raw) || math.IsInf(raw, 0)) {
			err = fmt.Errorf("value %v is not finite", raw)
		}
		v, ok := m.Convert(raw)
		if err == nil && !ok {
			err = fmt.Errorf("value %v scales to %v", raw, v)
		}
		if err != nil {
			e.stats.bad.Add(1)
			e.log.Warn("OPC-UA value not ingested", "node", m, "sensor", m.Sensor, "reason", err)
			continue
		}
		items = append(items, commands.Item{Sensor: m.Sensor, Time: timestamp(dv, e.cfg.Timestamps, received), Value: v, Uncertain: q == Uncertain})
		nodes = append(nodes, m)
	}
	if len(items) == 0 {
		return
	}
	cmd := commands.IngestReadings{Items: items, Actor: "opcua:" + e.cfg.Name, CorrelationID: correlationID()}
	delay := 100 * time.Millisecond
	for len(cmd.Items) > 0 {
		res, err := e.c.ing.Handle(ctx, cmd)
		var invalid *commands.InvalidReadingsError
		switch {
		case err == nil:
			e.counted(cmd, res)
			return
		case errors.As(err, &invalid):
			// Drop the refused readings, store the others.
			bad := map[int]bool{}
			for _, p := range invalid.Problems {
				if p.Index < 0 || p.Index >= len(cmd.Items) {
					bad = nil // the command as a whole: nothing can be saved
					break
				}
				bad[p.Index] = true
				e.log.Warn("OPC-UA reading refused", "node", nodes[p.Index], "sensor", p.Sensor, "reason", p.Reason)
			}
			var keep []commands.Item
			var keptNodes []NodeMapping
			for i, it := range cmd.Items {
				if bad != nil && !bad[i] {
					keep, keptNodes = append(keep, it), append(keptNodes, nodes[i])
				}
			}
			e.stats.refused.Add(uint64(len(cmd.Items) - len(keep)))
			cmd.Items, nodes = keep, keptNodes
			continue
		case ctx.Err() != nil:
			return
		}
		e.stats.retries.Add(1)
		e.log.Warn("cannot store OPC-UA readings, retrying", "readings", len(cmd.Items), "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, e.cfg.RetryMax)
	}
}

func (e *endpoint) counted(cmd commands.IngestReadings, res commands.IngestResult) {
	accepted, duplicate, rejected := res.Counts()
	e.stats.accepted.Add(uint64(accepted))
	e.stats.duplicates.Add(uint64(duplicate))
	e.stats.rejected.Add(uint64(rejected))
	for i, o := range res.Outcomes {
		if o.Status == gauge.Rejected {
			e.log.Warn("OPC-UA reading rejected", "sensor", cmd.Items[i].Sensor, "time", cmd.Items[i].Time, "reason", o.Reason)
		}
	}
}

func correlationID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "opcua:" + hex.EncodeToString(b[:])
}
