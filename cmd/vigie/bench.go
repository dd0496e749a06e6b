package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"sort"
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
	dams := fs.Int("dams", 20, "dams of the generated configuration (without --url)")
	mode := fs.String("mode", "ingest", "ingest: readings that cross nothing; crossing: one client, every reading crosses a threshold")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (client and, without --url, server) to this file")
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
	if *clients < 1 || *batch < 1 || *duration <= 0 || *dams < 1 {
		return errors.New("vigie bench: --clients, --batch, --dams and --duration must be positive")
	}
	if *mode != "ingest" && *mode != "crossing" {
		return fmt.Errorf("vigie bench: --mode %q: want ingest or crossing", *mode)
	}
	sensors := make([]string, *dams)
	for i := range sensors {
		sensors[i] = fmt.Sprintf("dam%02d.level", i)
	}
	if *url == "" {
		base, k, stop, err := benchServer(ctx, *dams, stderr)
		if err != nil {
			return err
		}
		defer stop()
		*url, *key = base, k
	} else if *key == "" {
		return errors.New("vigie bench: --key is required with --url")
	}
	if *mode == "crossing" {
		*clients, *batch = 1, 1
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients}}
	var seq atomic.Int64
	start := time.Now().Add(-365 * 24 * time.Hour).Truncate(time.Second)
	lat := make([][]time.Duration, *clients)
	var failures atomic.Int64
	var firstErr atomic.Value
	loadCtx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	began := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < *clients; c++ {
		wg.Go(func() {
			var body bytes.Buffer
			for loadCtx.Err() == nil {
				body.Reset()
				body.WriteByte('[')
				for j := 0; j < *batch; j++ {
					n := seq.Add(1)
					s := sensors[int(n)%len(sensors)]
					v := 1.0 + float64(n%13)/100 // under every threshold
					if *mode == "crossing" {
						s = sensors[0]
						v = []float64{1, 6.5}[n%2] // alternately over and under "alerte"
					}
					if j > 0 {
						body.WriteByte(',')
					}
					// Each sensor reads once a second of sensor time: a sensor's readings arrive in order.
					t := start.Add(time.Duration(n/int64(len(sensors))) * time.Second)
					if *mode == "crossing" {
						t = start.Add(time.Duration(n) * time.Second) // one sensor: one reading a second
					}
					fmt.Fprintf(&body, `{"sensor":%q,"time":%q,"value":%g}`, s, t.UTC().Format(time.RFC3339), v)
				}
				body.WriteByte(']')
				req, _ := http.NewRequestWithContext(loadCtx, http.MethodPost, *url+"/api/v1/readings", bytes.NewReader(body.Bytes()))
				req.Header.Set("Authorization", "Bearer "+*key)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
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
	if failures.Load() > 0 {
		return fmt.Errorf("vigie bench: %d requests failed, first: %v", failures.Load(), firstErr.Load())
	}
	return nil
}

// benchServer starts `vigie serve` in-process on a scratch folder with n generated dams.
func benchServer(ctx context.Context, n int, stderr io.Writer) (base, key string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "vigie-bench-")
	if err != nil {
		return "", "", nil, err
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
		return "", "", nil, err
	}
	data := filepath.Join(dir, "data")
	var out bytes.Buffer
	if err := runAPIKey([]string{"create", "--data", data, "--name", "bench", "--sensors", "*"}, &out, stderr); err != nil {
		return "", "", nil, err
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	key = lines[len(lines)-1]

	srvCtx, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan struct{})
	var serveErr error
	go func() {
		serveErr = runServe(srvCtx, []string{"--config", cfgPath, "--data", data, "--addr", "127.0.0.1:0", "--log-level", "info"}, pw, false)
		pw.Close()
		close(done)
	}()
	addr := make(chan string, 1)
	re := regexp.MustCompile(`addr=(http://[0-9.:]+)`)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
			if line := sc.Text(); strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
				fmt.Fprintln(stderr, line)
			}
		}
	}()
	stop = func() {
		cancel()
		<-done
		os.RemoveAll(dir)
	}
	select {
	case base = <-addr:
		return base, key, stop, nil
	case <-done:
		stop()
		return "", "", nil, fmt.Errorf("bench server: %v", serveErr)
	case <-time.After(30 * time.Second):
		stop()
		return "", "", nil, errors.New("bench server did not start within 30 s")
	}
}
