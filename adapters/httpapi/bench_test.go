package httpapi_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// benchServer has a no-op ingester: what is measured is HTTP, auth, parsing and the response.
func benchServer(b *testing.B) *httpapi.Server {
	b.Helper()
	outcomes := make([]gauge.Outcome, 10_000)
	for i := range outcomes {
		outcomes[i] = gauge.Outcome{Status: gauge.Accepted, Quality: sensor.Good}
	}
	e := newEnv(b, httpapi.Config{}, func(d *httpapi.Deps) { d.Ingester = &nopIngester{outcomes: outcomes} })
	return e.srv
}

func benchHandler(b *testing.B, body []byte, readings int) {
	srv := benchServer(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, err := http.NewRequest(http.MethodPost, "/api/v1/readings", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Authorization", "Bearer "+tokGatewayAll)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("status %d: %s", rec.Code, rec.Body.String())
				return
			}
		}
	})
	reportCPU(b, cpuTime()-cpu0, readings)
}

// BenchmarkHandlerSingle: one reading per request, in process (no network).
func BenchmarkHandlerSingle(b *testing.B) {
	benchHandler(b, []byte(`{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1.234}`), 1)
}

// BenchmarkHandlerBatch1000: batches of 1,000, in process.
func BenchmarkHandlerBatch1000(b *testing.B) {
	benchHandler(b, batch(1000), 1000)
}

// benchLoopback goes through TCP on 127.0.0.1 with keep-alive clients: the client shares the two
// cores with the server, so the figure is a floor for the server alone.
func benchLoopback(b *testing.B, body []byte, readings int) {
	ts := httptest.NewServer(benchServer(b))
	b.Cleanup(ts.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	b.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.SetParallelism(16) // concurrent gateways
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/readings", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Authorization", "Bearer "+tokGatewayAll)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	reportCPU(b, cpuTime()-cpu0, readings)
}

func BenchmarkLoopbackSingle(b *testing.B) {
	benchLoopback(b, []byte(`{"sensor":"mejean.level","time":"2025-10-10T02:00:00Z","value":1.234}`), 1)
}

func BenchmarkLoopbackBatch1000(b *testing.B) {
	benchLoopback(b, batch(1000), 1000)
}

// reportCPU gives throughput per wall second and per CPU second: on two dedicated cores the
// product can do at most 2 / (CPU s/op) operations per second.
func reportCPU(b *testing.B, cpu time.Duration, readings int) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(b.N)*float64(readings)/b.Elapsed().Seconds(), "readings/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(b.N)*float64(readings)/cpu.Seconds(), "readings/cpu-s")
	}
}
