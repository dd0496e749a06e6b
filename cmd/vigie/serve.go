package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/leader"
	"io"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/vigie/vigie/adapters/apikey"
	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/ingestion"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/mqtt"
	"github.com/vigie/vigie/adapters/notify/jobs"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/projections"
)

type serveFlags struct {
	config, data, addr, logLevel string
	demo                         bool
	demoSpeed                    float64
	demoTick                     time.Duration
	publicRead                   bool
	engines                      engines
	roles                        roles
	lock                         string
	bus, busPrefix, node         string
	pprofAddr                    string
}

func parseServe(args []string, stderr io.Writer, demo bool) (serveFlags, error) {
	name := "serve"
	if demo {
		name = "demo"
	}
	fs := flag.NewFlagSet("vigie "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f serveFlags
	fs.StringVar(&f.config, "config", envDefault("VIGIE_CONFIG", ""), "configuration file (env VIGIE_CONFIG; default ./vigie.yaml, else the built-in example)")
	fs.StringVar(&f.data, "data", envDefault("VIGIE_DATA", "vigie-data"), "data folder of the embedded stores (env VIGIE_DATA)")
	fs.StringVar(&f.addr, "addr", envDefault("VIGIE_ADDR", "127.0.0.1:8080"), "HTTP listen address (env VIGIE_ADDR)")
	fs.StringVar(&f.logLevel, "log-level", envDefault("VIGIE_LOG_LEVEL", "info"), "debug, info, warn or error (env VIGIE_LOG_LEVEL)")
	fs.BoolVar(&f.demo, "demo", demo, "feed a simulated storm on every configured dam")
	fs.Float64Var(&f.demoSpeed, "demo-speed", 120, "demo: simulated seconds per real second")
	fs.DurationVar(&f.demoTick, "demo-tick", time.Second, "demo: real time between two readings of a sensor")
	fs.BoolVar(&f.publicRead, "public-read", demo, "let anyone read the views without a key (default on for the demo only)")
	eng := engineFlags(fs)
	rolesFlag := fs.String("roles", envDefault("VIGIE_ROLES", "api,ingest,project,notify"), "what this node does (env VIGIE_ROLES): api, ingest (field sources), project (views and alarms), notify (cascade); project and notify run on one node at a time (docs/deploy.md)")
	fs.StringVar(&f.bus, "bus", envDefault("VIGIE_BUS", ""), "broker between the nodes (env VIGIE_BUS): amqp://… (RabbitMQ) or nats://… (NATS JetStream); empty when one process runs every role (docs/deploy.md)")
	fs.StringVar(&f.busPrefix, "bus-prefix", envDefault("VIGIE_BUS_PREFIX", "vigie"), "prefix of the bus's topics and queues (env VIGIE_BUS_PREFIX): deployments sharing a broker give each its own")
	fs.StringVar(&f.node, "node", envDefault("VIGIE_NODE", ""), "this node's name on the bus (env VIGIE_NODE; default host-port): an ingest node's replies come on a queue of its own")
	fs.StringVar(&f.pprofAddr, "pprof-addr", envDefault("VIGIE_PPROF_ADDR", ""), "serve Go's profiling endpoints (/debug/pprof/) on this loopback address, e.g. 127.0.0.1:6060 (env VIGIE_PPROF_ADDR; default off)")
	fs.StringVar(&f.lock, "lock", envDefault("VIGIE_LOCK", ""), "PostgreSQL URL of the leader lock for project and notify (env VIGIE_LOCK); default --events when it is PostgreSQL")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("vigie %s: unexpected argument %q", name, fs.Arg(0))
	}
	f.engines = *eng
	if f.node == "" {
		f.node = defaultNode(f.addr)
	}
	r, err := parseRoles(*rolesFlag)
	if err != nil {
		return f, fmt.Errorf("vigie %s: --roles: %w", name, err)
	}
	f.roles = r
	if f.demo && !(f.demoSpeed > 0) {
		return f, fmt.Errorf("vigie %s: --demo-speed %g must be positive", name, f.demoSpeed)
	}
	if f.demo && f.demoTick <= 0 {
		return f, fmt.Errorf("vigie %s: --demo-tick %s must be positive", name, f.demoTick)
	}
	return f, nil
}

func runServe(ctx context.Context, args []string, stderr io.Writer, demoMode bool) error {
	f, err := parseServe(args, stderr, demoMode)
	if err != nil {
		return err
	}
	logger, err := newLogger(stderr, f.logLevel)
	if err != nil {
		return err
	}
	if f.pprofAddr != "" {
		stop, err := startProfiling(f.pprofAddr, logger)
		if err != nil {
			return err
		}
		defer stop()
	}
	cfg, source, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	trend := projections.DefaultTrendWindow
	if f.demo {
		trend = max(time.Minute, time.Duration(float64(trend)/f.demoSpeed))
	}
	st, err := openStores(f.data, f.engines, cfg, trend, time.Second, logger)
	if err != nil {
		return err
	}
	defer st.Close()

	now := time.Now
	// The demo runs the physics faster than the clock its readings carry (gaugePolicies,
	// alarmRules); the time scale is recorded with the configuration, for replays.
	speed := 1.0
	if f.demo {
		speed = f.demoSpeed
	}
	ing, err := commands.NewIngester(st.events, st.codec, gaugePolicies(cfg, speed), now, logger.With("component", "ingest"))
	if err != nil {
		return err
	}
	// Nodes starting together on a shared log may race to record the configuration: the loser
	// of the append reads what the winner recorded and finds nothing left to record.
	err = recordConfig(ctx, st, cfg, source, speed, ing, now, logger)
	if errors.Is(err, eventstore.ErrConflict) {
		err = recordConfig(ctx, st, cfg, source, speed, ing, now, logger)
	}
	if err != nil {
		return fmt.Errorf("record configuration: %w", err)
	}
	keys, err := apikey.Open(apikey.Config{Dir: f.data, Logger: logger.With("component", "apikey")})
	if err != nil {
		return err
	}
	if f.demo {
		if err := demoAccount(f.data, logger); err != nil {
			return fmt.Errorf("demo account: %w", err)
		}
	}
	web, configAdmin, err := openWebUI(f.data, cfg, source, st, keys, now)
	if err != nil {
		return err
	}
	engine, err := commands.NewConditionEngine(st.events, st.codec, commands.EngineConfig{
		Dams: alarmRules(cfg, speed), LateAfter: cfg.Ingestion().LateAfter, Flood: floodRule(), Checkpoints: st.views,
	}, now, logger.With("component", "alarm-engine"))
	if err != nil {
		return err
	}
	alarmCmds, err := commands.NewAlarmCommands(st.events, st.codec, cfg.Dams(), floodRule(), now)
	if err != nil {
		return err
	}
	scheduler, err := commands.NewScheduler(engine, st.views, alarmCmds, logger.With("component", "scheduler"))
	if err != nil {
		return err
	}
	kpis, err := projections.NewAlarmKPIs(st.views, now)
	if err != nil {
		return err
	}
	// The channels call back into the engine (replies, receipts), which is built after them.
	late := &lateCascade{}
	ch, err := buildChannels(ctx, cfg.Notifications(), os.Getenv, channelDeps{
		Replies: late, Receipts: late, VoiceAcks: late, Language: cfg.Site().Language, Location: cfg.Site().Location,
	}, logger.With("component", "notify"))
	if err != nil {
		return err
	}
	defer ch.Close()
	for _, c := range cfg.UnconfiguredChannels() {
		logger.Warn("escalation steps use a channel with no provider: nobody is reached on it", "channel", c)
	}
	msgBus, err := openBus(f.bus, f.busPrefix, logger)
	if err != nil {
		return err
	}
	if msgBus != nil {
		defer msgBus.Close()
	}
	cascadeEngine, cb, err := newCascade(st, cfg, alarmCmds, cascadeDeps{Notifiers: ch.Notifiers, Links: ch.Dispatch.Links, Pipeline: ch.Pipeline, Dispatch: ch.Dispatch, Bus: msgBus}, now, logger)
	if err != nil {
		return fmt.Errorf("cascade: %w", err)
	}
	var caughtUp, projecting, notifying atomic.Bool
	answers := answerRouter{leader: notifying.Load, engine: cascadeEngine}
	if msgBus != nil {
		in, err := jobs.NewInbound(msgBus, now, logger.With("component", "answers"))
		if err != nil {
			return err
		}
		answers.forward = in
	}
	late.Set(answers)

	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel() // runs before wg.Wait: stop the goroutines, then wait for them

	// Ready once the projections have caught up with the log as it was at start-up.
	head, err := st.events.Head(ctx)
	if err != nil {
		return err
	}
	lock, err := leaderLock(f, logger)
	if err != nil {
		return err
	}
	var fwd *bus.Forwarder
	if msgBus != nil && f.roles.project {
		if fwd, err = newAlarmForwarder(st, msgBus, logger); err != nil {
			return err
		}
	}
	if f.roles.project {
		wg.Go(func() {
			lock.Hold(runCtx, "project", func(ctx context.Context) error {
				projecting.Store(true)
				defer projecting.Store(false)
				var turn sync.WaitGroup
				turn.Go(func() {
					if err := st.runner.Run(ctx); err != nil {
						logger.Error("projections stopped", "err", err)
					}
				})
				turn.Go(func() {
					if err := engine.Run(ctx); err != nil {
						logger.Error("alarm engine stopped", "err", err)
					}
				})
				turn.Go(func() {
					ticker := time.NewTicker(schedulerTick)
					defer ticker.Stop()
					if err := scheduler.Run(ctx, ticker.C); err != nil {
						logger.Error("scheduler stopped", "err", err)
					}
				})
				if fwd != nil {
					turn.Go(func() {
						if err := fwd.Run(ctx); err != nil && ctx.Err() == nil {
							logger.Error("alarm events forwarder stopped", "err", err)
						}
					})
				}
				turn.Go(func() {
					if err := st.runner.WaitFor(ctx, head); err == nil {
						caughtUp.Store(true)
						logger.Info("projections caught up", "position", head)
					}
				})
				turn.Wait()
				return nil
			})
		})
	}
	if f.roles.notify {
		if cb != nil {
			// Every notify node sends jobs; its queue exists before the leader publishes any.
			sub, err := cb.worker.Start(runCtx, cb.dispatcher)
			if err != nil {
				return err
			}
			wg.Go(func() {
				if err := sub.Wait(); err != nil && runCtx.Err() == nil {
					logger.Error("notification worker stopped", "err", err)
				}
			})
		}
		wg.Go(func() {
			lock.Hold(runCtx, "notify", func(ctx context.Context) error {
				notifying.Store(true)
				defer notifying.Store(false)
				if cb != nil {
					// The answers that reached the other nodes come to the leader.
					sctx, stop := context.WithCancel(ctx)
					inbound, err := jobs.StartInbound(sctx, msgBus, cascadeEngine, refusedForGood, logger.With("component", "answers"))
					if err != nil {
						stop()
						return err
					}
					defer func() { stop(); _ = inbound.Wait() }()
				}
				if err := cascadeEngine.Run(ctx); err != nil {
					logger.Error("cascade engine stopped", "err", err)
				}
				return nil
			})
		})
	}
	var fieldIngest mqtt.Ingester = ing
	if msgBus != nil {
		// The api nodes store what the ingest nodes send; an ingest node that is not an api node
		// sends its field readings to them (adapters/bus/ingestion).
		switch {
		case f.roles.api:
			sub, err := ingestion.Serve(runCtx, msgBus, ing, logger.With("component", "ingest-bus"))
			if err != nil {
				return err
			}
			wg.Go(func() { _ = sub.Wait() })
		case f.roles.ingest:
			client, err := ingestion.NewClient(msgBus, ingestion.ClientConfig{Node: f.node}, logger.With("component", "ingest-bus"))
			if err != nil {
				return fmt.Errorf("--node: %w", err)
			}
			sub, err := client.Start(runCtx)
			if err != nil {
				return err
			}
			wg.Go(func() { _ = sub.Wait() })
			fieldIngest = client
		}
	}
	var field *fieldSources
	if f.roles.ingest {
		field, err = startField(runCtx, cfg, st, fieldIngest, now, logger) // MQTT, OPC-UA, source alarms (field.go)
		if err != nil {
			return err
		}
		defer field.stop() // before the stores close
	}
	ready := func(ctx context.Context) error {
		// A standby of project or notify is ready: it serves the API and waits for its turn.
		if projecting.Load() {
			if !caughtUp.Load() {
				return fmt.Errorf("projections are catching up with the log (position %d)", head)
			}
			if pos, live := engine.Position(); !live {
				return fmt.Errorf("the alarm engine is catching up with the log (position %d of %d)", pos, head)
			}
		}
		if notifying.Load() {
			if pos, live := cascadeEngine.Position(); !live {
				return fmt.Errorf("the cascade engine is catching up with the log (position %d of %d)", pos, head)
			}
		}
		statuses, err := st.runner.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range statuses {
			if s.Parked != "" {
				return fmt.Errorf("projection %s is parked: %s", s.Name, s.Parked)
			}
		}
		return nil
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ui, err := uiFS()
	if err != nil {
		return err
	}
	deps := httpapi.Deps{
		Ingester:    ing,
		Auth:        httpapi.BearerKeys(keyLookup(keys)),
		Views:       st.views,
		Log:         st.events,
		Site:        httpapi.StaticSite{Name: cfg.Site().Name, Dams: cfg.Dams()},
		Ready:       ready,
		Metrics:     reg,
		UI:          ui,
		Alarms:      alarmService{AlarmCommands: alarmCmds, views: st.views, kpis: kpis, runner: st.runner, cascade: cascadeEngine, projecting: projecting.Load},
		Web:         web,
		ConfigAdmin: configAdmin,
		Refused:     field.refused,
		Webhooks:    ch.Webhooks,
		Reports:     reportMaker{store: st.events, codec: st.codec},
		Replays:     replayAPI{store: st.events, codec: st.codec, log: logger, names: operatorNames(cfg)},
	}
	if ch.AckVerifier != nil {
		deps.AckLinks, deps.LinkAck = ch.AckVerifier, answers
	}
	api, err := httpapi.New(httpapi.Config{
		PublicRead:   f.publicRead,
		MaxBodyBytes: cfg.Ingestion().MaxBodyBytes,
		MaxBatch:     cfg.Ingestion().MaxBatch,
	}, deps, logger.With("component", "http"))
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.addr, err)
	}
	var handler http.Handler = api
	if !f.roles.api {
		handler = operationsOnly(api)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("listening", "addr", "http://"+ln.Addr().String(), "data", f.data, "config", source, "public_read", f.publicRead)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	if f.demo {
		dm := &demo{dams: cfg.Dams(), ingest: ing.Handle, speed: f.demoSpeed, tick: f.demoTick, now: now,
			log: logger.With("component", "demo"), seed: uint64(time.Now().UnixNano())}
		wg.Go(func() {
			if err := dm.run(runCtx); err != nil {
				logger.Error("demo stopped", "err", err)
			}
		})
	}

	select {
	case <-ctx.Done():
		logger.Info("shutting down")
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	}
	api.CloseStreams()
	shutCtx, shutCancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer shutCancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Warn("http shutdown", "err", err)
	}
	return nil
}

// schedulerTick is how often the wall clock is looked at: stale sensors and shelve expiries are
// noticed within this much of their time.
const schedulerTick = 5 * time.Second

func keyLookup(keys *apikey.Store) func(string) (httpapi.Principal, error) {
	return func(token string) (httpapi.Principal, error) {
		k, err := keys.Authenticate(token)
		if err != nil {
			return httpapi.Principal{}, err
		}
		return httpapi.Principal{Actor: k.Actor(), Role: httpapi.Role(k.Role), Allowed: k.Allows}, nil
	}
}

// roles are what a node of a deployment does (docs/deploy.md, "Roles").
type roles struct{ api, ingest, project, notify bool }

func parseRoles(v string) (roles, error) {
	var r roles
	for _, name := range strings.Split(v, ",") {
		switch strings.TrimSpace(name) {
		case "api":
			r.api = true
		case "ingest":
			r.ingest = true
		case "project":
			r.project = true
		case "notify":
			r.notify = true
		case "":
		default:
			return r, fmt.Errorf("unknown role %q: say api, ingest, project or notify, separated by commas", strings.TrimSpace(name))
		}
	}
	if r == (roles{}) {
		return r, errors.New("no role: say api, ingest, project or notify, separated by commas")
	}
	return r, nil
}

// leaderLock is what keeps project and notify on one node at a time: a PostgreSQL advisory lock
// on --lock, or on --events when the log is in PostgreSQL; else a process-local lock (the
// embedded stores belong to one process anyway).
func leaderLock(f serveFlags, logger *slog.Logger) (leader.Lock, error) {
	dsn := f.lock
	if dsn == "" && (scheme(f.engines.events) == "postgres" || scheme(f.engines.events) == "postgresql") {
		dsn = f.engines.events
	}
	if dsn == "" {
		if f.engines.events != "" && (f.roles.project || f.roles.notify) {
			logger.Warn("no leader lock (give --lock postgres://…): run project and notify on one node only")
		}
		return leader.Local{}, nil
	}
	return leader.NewPostgres(withoutQueryParam(dsn, "schema"), 0, logger.With("component", "leader"))
}

// withoutQueryParam removes Vigie's own parameter from a URL DSN before pgx sees it.
func withoutQueryParam(dsn, name string) string {
	u, err := neturl.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn
	}
	q := u.Query()
	q.Del(name)
	u.RawQuery = q.Encode()
	return u.String()
}

// operationsOnly serves what a node without the api role still answers: health, readiness and
// metrics for the load balancer and the monitoring, and the providers' webhooks and the
// acknowledgement page, which belong with the notifier.
func operationsOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/healthz" || p == "/readyz" || p == "/metrics" || p == "/ack" || strings.HasPrefix(p, httpapi.WebhooksPath+"/") {
			h.ServeHTTP(w, r)
			return
		}
		http.Error(w, "this node does not serve the API (vigie serve --roles): ask an api node", http.StatusNotFound)
	})
}
