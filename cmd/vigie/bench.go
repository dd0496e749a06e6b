package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// runBench is the load tool: it drives a Vigie server over HTTP with many clients and reports
// throughput and latency. Without --url it starts its own server on 127.0.0.1 with a scratch data
// folder and a generated configuration of --dams dams, so `vigie bench` alone measures this machine.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vigie bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "server to load (default: start one in-process on a scratch folder)")
	key := fs.String("key", "", "gateway API key (with --url)")
	clients := fs.Int("clients", 256, "concurrent clients")
	batch := fs.Int("batch", 1, "readings per request")
	duration := fs.Duration("duration", 10*time.Second, "how long to load")
	dams := fs.Int("dams", 0, "dams of the generated configuration, one level sensor each (without --url); default one per client, at least 20")
	sensorTime := fs.String("sensor-time", "auto", "ingest: live (each reading stamped now, as sensors posting as they read) or past (from a year ago, one a second: a back-fill); auto: live for single readings, past for batches")
	clientKind := fs.String("client", "raw", "raw: each client one keep-alive HTTP/1.1 connection written and read directly (as wrk does), so the load costs less CPU than the server; nethttp: Go's http.Client")
	mode := fs.String("mode", "ingest", "ingest: readings that cross nothing; crossing: one client, every reading crosses a threshold")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (client and, without --url, server) to this file")
	serverMode := fs.String("server", "inprocess", "without --url: inprocess (the server runs in this process), process (a `vigie serve` child process, measured apart) or null (a bare net/http handler that stores nothing and gives Vigie's answer: the ceiling this machine and load tool put on any net/http server)")
	serverProfile := fs.String("server-cpuprofile", "", "with --server process: write a CPU profile of the server alone, over the load but its first and last second, to this file (the server runs with --pprof-addr)")
	serverCPUs := fs.String("server-cpus", "", "with --server process: CPU list the server is pinned to (taskset -c), e.g. 1")
	clientCPUs := fs.String("client-cpus", "", "CPU list this process (the load) is pinned to (taskset -c), e.g. 0")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *clients < 1 || *batch < 1 || *duration <= 0 || *dams < 0 {
		return errors.New("vigie bench: --clients, --batch and --duration must be positive, --dams not negative")
	}
	if *dams == 0 {
		*dams = max(20, *clients)
	}
	if *clientKind != "raw" && *clientKind != "nethttp" {
		return fmt.Errorf("vigie bench: --client %q: want raw or nethttp", *clientKind)
	}
	switch *sensorTime {
	case "auto":
		*sensorTime = "past"
		if *batch == 1 {
			*sensorTime = "live"
		}
	case "live", "past":
	default:
		return fmt.Errorf("vigie bench: --sensor-time %q: want live, past or auto", *sensorTime)
	}
	if *mode != "ingest" && *mode != "crossing" {
		return fmt.Errorf("vigie bench: --mode %q: want ingest or crossing", *mode)
	}
	if *serverMode != "inprocess" && *serverMode != "process" && *serverMode != "null" {
		return fmt.Errorf("vigie bench: --server %q: want inprocess, process or null", *serverMode)
	}
	if *serverCPUs != "" && (*serverMode != "process" || *url != "") {
		return errors.New("vigie bench: --server-cpus needs --server process (and no --url)")
	}
	if *serverProfile != "" && (*serverMode != "process" || *url != "") {
		return errors.New("vigie bench: --server-cpuprofile needs --server process (and no --url)")
	}
	if *serverProfile != "" && *duration < 3*time.Second {
		return fmt.Errorf("vigie bench: --server-cpuprofile needs --duration of 3s or more, got %s", *duration)
	}
	if *clientCPUs != "" {
		if err := pin(os.Getpid(), *clientCPUs); err != nil {
			return err
		}
	}
	sensors := make([]string, *dams)
	for i := range sensors {
		sensors[i] = fmt.Sprintf("dam%02d.level", i)
	}
	// serverCPU reads the CPU time the server has used so far, when it runs in a process of its own.
	var serverCPU func() (time.Duration, error)
	if *url == "" && *serverMode == "null" {
		srv, err := nullServer()
		if err != nil {
			return err
		}
		defer srv.stop()
		*url, *key = srv.base, srv.key
	} else if *url == "" {
		srv, err := benchServer(ctx, *dams, *serverMode == "process", *serverCPUs, *serverProfile != "", stderr)
		if err != nil {
			return err
		}
		defer srv.stop()
		*url, *key, serverCPU = srv.base, srv.key, srv.cpu
		if *serverProfile != "" {
			profiled := profileServer(ctx, srv.pprof, *duration-2*time.Second, *serverProfile)
			defer func() {
				if err := <-profiled; err != nil {
					fmt.Fprintln(stderr, "vigie bench: server profile:", err)
				} else {
					fmt.Fprintln(stderr, "vigie bench: server profile in", *serverProfile)
				}
			}()
		}
	} else if *key == "" {
		return errors.New("vigie bench: --key is required with --url")
	}
	if *mode == "crossing" {
		*clients, *batch = 1, 1
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients}}
	// Each client owns its sensors (client c: sensors c, c+clients, …) as a gateway does, so the
	// readings of a sensor arrive in order, as they do from the field. Live, a reading carries
	// the time it is sent (strictly after the sensor's previous one); past, each sensor reads
	// once a second of sensor time from a year ago, so no reading is in the future however fast
	// the server goes (a gateway flushing its buffer). With more clients than sensors, clients
	// share sensors and their readings arrive out of order (stored late).
	ticks := make([]atomic.Int64, len(sensors))
	lastLive := make([]atomic.Int64, len(sensors))
	if *clients > len(sensors) && *mode == "ingest" {
		fmt.Fprintf(stderr, "vigie bench: %d clients share %d sensors: readings arrive out of order (give --dams %d for one sensor a client)\n", *clients, len(sensors), *clients)
	}
	var seq atomic.Int64
	start := time.Now().Add(-365 * 24 * time.Hour).Truncate(time.Second)
	lat := make([][]time.Duration, *clients)
	var failures atomic.Int64
	var firstErr atomic.Value
	loadCtx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	began := time.Now()
	var wg sync.WaitGroup
	cpu0 := processCPU()
	var srv0 time.Duration
	if serverCPU != nil {
		var err error
		if srv0, err = serverCPU(); err != nil {
			return err
		}
	}
	for c := 0; c < *clients; c++ {
		var owned []int
		for i := c % len(sensors); i < len(sensors); i += *clients {
			owned = append(owned, i)
		}
		wg.Go(func() {
			raw := &rawClient{url: *url, key: *key}
			defer raw.close()
			// The body is written by hand into a reused buffer: with fmt, the load tool spent more
			// CPU writing batches than the server spent parsing them, on the same two cores.
			var body []byte
			for loadCtx.Err() == nil {
				body = append(body[:0], '[')
				n0 := seq.Add(int64(*batch)) - int64(*batch)
				for j := 0; j < *batch; j++ {
					n := n0 + int64(j)
					i := owned[j%len(owned)]
					s := sensors[i]
					k := ticks[i].Add(1) - 1
					v := benchLevel(k)
					t := start.Add(time.Duration(k) * time.Second)
					if *sensorTime == "live" {
						v = 1.0 + float64(i%13)/100 // a level holding: a reading a millisecond apart cannot move
						now := time.Now().UnixNano()
						prev := lastLive[i].Load()
						if now <= prev {
							now = prev + 1000
						}
						lastLive[i].Store(now)
						t = time.Unix(0, now)
					}
					if *mode == "crossing" {
						s = sensors[0]
						v = []float64{1, 6.5}[n%2]                    // alternately over and under "alerte"
						t = start.Add(time.Duration(n) * time.Second) // one sensor: one reading a second
					}
					if j > 0 {
						body = append(body, ',')
					}
					body = appendBenchReading(body, s, t, v)
				}
				body = append(body, ']')
				t0 := time.Now()
				var err error
				if *clientKind == "raw" {
					err = raw.post(loadCtx, body)
				} else {
					req, _ := http.NewRequestWithContext(loadCtx, http.MethodPost, *url+"/api/v1/readings", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+*key)
					req.Header.Set("Content-Type", "application/json")
					var resp *http.Response
					resp, err = client.Do(req)
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							err = fmt.Errorf("status %d", resp.StatusCode)
						}
					}
				}
				if loadCtx.Err() != nil {
					return
				}
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	cpu := processCPU() - cpu0
	var srvCPU time.Duration
	if serverCPU != nil {
		srv1, err := serverCPU()
		if err != nil {
			return err
		}
		srvCPU = srv1 - srv0
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return fmt.Errorf("vigie bench: no request succeeded (%d failures, first: %v)", failures.Load(), firstErr.Load())
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	fmt.Fprintf(stdout, "mode %s, %d clients, %d readings/request, %s\n", *mode, *clients, *batch, elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "requests: %d ok, %d failed; %.0f requests/s, %.0f readings/s\n", len(all), failures.Load(), float64(len(all))/elapsed.Seconds(), float64(len(all)**batch)/elapsed.Seconds())
	fmt.Fprintf(stdout, "latency (request sent -> durable answer): p50 %s, p90 %s, p99 %s, max %s\n", q(0.5), q(0.9), q(0.99), all[len(all)-1])
	// CPU time tells what the server costs whatever the neighbours do: on the shared reference
	// machine the wall clock measures them too. Two dedicated cores serve at most 2 CPU-seconds a
	// second.
	readings := float64(len(all) * *batch)
	if serverCPU != nil {
		fmt.Fprintf(stdout, "cpu: server %s (%.1f µs/request, %.0f readings per server cpu-s), load tool %s\n",
			srvCPU.Round(time.Millisecond), float64(srvCPU.Microseconds())/float64(len(all)), readings/srvCPU.Seconds(), cpu.Round(time.Millisecond))
	} else if cpu > 0 {
		fmt.Fprintf(stdout, "cpu: server and load tool together %s (%.1f µs/request, %.0f readings per cpu-s)\n",
			cpu.Round(time.Millisecond), float64(cpu.Microseconds())/float64(len(all)), readings/cpu.Seconds())
	}
	if failures.Load() > 0 {
		return fmt.Errorf("vigie bench: %d requests failed, first: %v", failures.Load(), firstErr.Load())
	}
	return nil
}

// benchLevel is the level of a sensor's k-th reading in the past mode (one a second): a triangle
// between 1.00 and 1.12 m in steps of 1 cm, under every threshold and never faster than 36 m/h,
// so no reading is implausible or suspect (the default limits are 120 and 60 m/h). A sawtooth
// dropping 12 cm in one second made every thirteenth reading implausible, and the load then
// raised and closed a technical alarm per sensor every 13 readings instead of crossing nothing.
func benchLevel(k int64) float64 {
	step := k % 24
	if step > 12 {
		step = 24 - step
	}
	return 1.0 + float64(step)/100
}

// appendBenchReading appends one reading as the API takes it; sensor names need no escaping.
func appendBenchReading(b []byte, sensor string, t time.Time, v float64) []byte {
	b = append(b, `{"sensor":"`...)
	b = append(b, sensor...)
	b = append(b, `","time":"`...)
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","value":`...)
	b = strconv.AppendFloat(b, v, 'g', -1, 64)
	return append(b, '}')
}

// pin restricts a process (every thread of it) to a CPU list, with taskset(1).
func pin(pid int, cpus string) error {
	out, err := exec.Command("taskset", "-a", "-p", "-c", cpus, strconv.Itoa(pid)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("vigie bench: pin process %d to CPUs %s: %v: %s", pid, cpus, err, bytes.TrimSpace(out))
	}
	return nil
}

// benchTarget is the server a bench loads when given no --url.
type benchTarget struct {
	base, key string
	// pprof is the server's profiling endpoint, when asked for.
	pprof string
	// cpu is the server's CPU time so far; nil when it runs in this process.
	cpu  func() (time.Duration, error)
	stop func()
}

// nullServer answers every request as Vigie answers one accepted reading, after reading the body,
// and does nothing else. Loaded like Vigie, it measures what net/http, the loopback and the load
// tool cost on this machine: the most any Go HTTP server could do here, against which Vigie's
// figure is read.
func nullServer() (*benchTarget, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("null server: %w", err)
	}
	answer := []byte(`{"accepted":1,"duplicates":0,"rejected":0,"last_position":1,"results_complete":true,"results":[{"index":0,"status":"accepted","quality":"good"}]}`)
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(answer)
		}),
	}
	go func() { _ = srv.Serve(ln) }()
	return &benchTarget{base: "http://" + ln.Addr().String(), key: "null", stop: func() { _ = srv.Close() }}, nil
}

// benchServer starts `vigie serve` on a scratch folder with n generated dams: in this process, or
// as a child process (optionally pinned to cpus) so that its CPU time is measured apart from the
// load's.
func benchServer(ctx context.Context, n int, child bool, cpus string, profiled bool, stderr io.Writer) (*benchTarget, error) {
	dir, err := os.MkdirTemp("", "vigie-bench-")
	if err != nil {
		return nil, err
	}
	var cfg strings.Builder
	cfg.WriteString("version: 1\nsite: {name: bench, time_zone: Europe/Paris, language: fr}\ndams:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&cfg, `  - id: dam%02d
    name: Dam %d
    capacity_m3: 52000
    dyke_height_m: 10
    spillway_crest_m: 9
    storage_curve: {power: {a: 520, b: 2}}
    sensors:
      - {id: dam%02d.level, kind: water_level, unit: m, plausible_range: [-0.2, 11], period: 1m}
    thresholds:
      - {name: vigilance, level_m: 3, severity: low}
      - {name: alerte, level_m: 6, severity: high}
`, i, i, i)
	}
	cfg.WriteString(`operators:
  - {id: op-a, name: Operator A, phone: "+33600000001", email: a@example.org}
rotations:
  - {id: astreinte, members: [op-a], handover: {weekday: monday, at: "08:00"}, start: 2025-01-06}
escalation_policies:
  - id: default
    applies_to: {dams: all, severities: [high, critical]}
    steps:
      - {targets: [on_call], channels: [sms], wait_for_ack: 5m}
`)
	cfgPath := filepath.Join(dir, "bench.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	var out bytes.Buffer
	if err := runAPIKey([]string{"create", "--data", data, "--name", "bench", "--sensors", "*"}, &out, stderr); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	tgt := &benchTarget{key: lines[len(lines)-1]}
	serveArgs := []string{"serve", "--config", cfgPath, "--data", data, "--addr", "127.0.0.1:0", "--log-level", "info"}
	if profiled {
		serveArgs = append(serveArgs, "--pprof-addr", "127.0.0.1:0")
	}

	srvCtx, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan struct{})
	var serveErr error
	if child {
		self, err := os.Executable()
		if err != nil {
			cancel()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("bench server: %w", err)
		}
		cmd := exec.CommandContext(srvCtx, self, serveArgs...)
		if cpus != "" {
			cmd = exec.CommandContext(srvCtx, "taskset", append([]string{"-c", cpus, self}, serveArgs...)...)
		}
		// Stopped like an operator stops it, so that it closes its stores.
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = 30 * time.Second
		cmd.Stdout, cmd.Stderr = pw, pw
		if err := cmd.Start(); err != nil {
			cancel()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("bench server: %w", err)
		}
		pid := cmd.Process.Pid // taskset execs the server: same process
		tgt.cpu = func() (time.Duration, error) { return childCPU(pid) }
		go func() {
			serveErr = cmd.Wait()
			pw.Close()
			close(done)
		}()
	} else {
		go func() {
			serveErr = runServe(srvCtx, serveArgs[1:], pw, false)
			pw.Close()
			close(done)
		}()
	}
	addr := make(chan string, 1)
	re := regexp.MustCompile(`addr=(http://[0-9.:]+)`)
	pprofRE := regexp.MustCompile(`pprof=(http://[0-9.:]+)`)
	pprofAt := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
			if m := pprofRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case pprofAt <- m[1]:
				default:
				}
			}
			if line := sc.Text(); strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
				fmt.Fprintln(stderr, line)
			}
		}
	}()
	tgt.stop = func() {
		cancel()
		<-done
		os.RemoveAll(dir)
	}
	select {
	case tgt.base = <-addr:
		if profiled {
			select {
			case tgt.pprof = <-pprofAt:
			case <-time.After(10 * time.Second):
				tgt.stop()
				return nil, errors.New("bench server: no profiling endpoint within 10 s")
			}
		}
		return tgt, nil
	case <-done:
		tgt.stop()
		return nil, fmt.Errorf("bench server: %v", serveErr)
	case <-time.After(30 * time.Second):
		tgt.stop()
		return nil, errors.New("bench server did not start within 30 s")
	}
}

// profileServer asks the server's profiling endpoint for a CPU profile of d, starting a second
// into the load (past the connections' set-up), and writes it to path. The channel gets the
// outcome.
func profileServer(ctx context.Context, base string, d time.Duration, path string) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- func() error {
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
				return ctx.Err()
			}
			secs := max(1, int(d.Seconds()))
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", base, secs), nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
				return fmt.Errorf("status %d: %s", resp.StatusCode, b)
			}
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			if _, err := io.Copy(f, resp.Body); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}()
	}()
	return done
}

// childCPU reads the user and system CPU time of a process (every thread of it) from /proc
// (Linux).
func childCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read the server's CPU time: %w", err)
	}
	// Fields after the command name, which is in parentheses and may hold spaces: state is the
	// first, utime and stime the 12th and 13th.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("read the server's CPU time: unexpected /proc/%d/stat", pid)
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("read the server's CPU time: %w", err)
		}
		ticks += n
	}
	const clockTicks = 100 // USER_HZ, 100 on every Linux architecture Go supports
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// processCPU is this process's CPU time so far, 0 where /proc is not there.
func processCPU() time.Duration {
	d, err := childCPU(os.Getpid())
	if err != nil {
		return 0
	}
	return d
}

// rawClient posts readings on one keep-alive HTTP/1.1 connection of its own, writing the request
// and reading the answer directly, as load generators such as wrk do: Go's http.Client spends two
// goroutines and several channel hand-offs a request, and on two cores shared with the server
// that was a third of the CPU. The answer is parsed in full (http.ReadResponse) and must be 200.
type rawClient struct {
	url, key string
	conn     net.Conn
	r        *bufio.Reader
	req      []byte
}

func (c *rawClient) post(ctx context.Context, body []byte) error {
	if c.conn == nil {
		u, err := neturl.Parse(c.url)
		if err != nil {
			return err
		}
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", u.Host)
		if err != nil {
			return err
		}
		c.conn, c.r = conn, bufio.NewReader(conn)
		c.req = fmt.Appendf(nil, "POST /api/v1/readings HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: ", u.Host, c.key)
	}
	n := len(c.req)
	req := strconv.AppendInt(c.req, int64(len(body)), 10)
	req = append(req, "\r\n\r\n"...)
	req = append(req, body...)
	c.req = req[:n]
	// A request in flight when the load ends is answered and counted out by the caller; the
	// deadline only keeps a server that stopped answering from hanging the tool.
	_ = c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.conn.Write(req); err != nil {
		c.close()
		return err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.close()
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		c.close()
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if resp.Close {
		c.close()
	}
	return nil
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}
