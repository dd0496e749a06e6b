package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// readingKey identifies a reading; time as Unix nanoseconds, since time.Time values of the same
// instant differ as map keys (location, monotonic clock).
type readingKey struct {
	Sensor string
	Time   int64
}

// TestKill9DuringIngestionLosesNothing SIGKILLs the server repeatedly while clients post, then
// checks that every reading that got a success answer is in the log exactly once, that the views
// hold every reading, and that they equal a rebuild from scratch.
func TestKill9DuringIngestionLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	data := t.TempDir()
	key := createKey(t, data, "gateway")
	args := []string{"--config", "../../examples/nimes.yaml", "--data", data, "--public-read"}
	sensors := []string{"mejean.level", "bassin-nord.level", "barrage-est.level"}
	base := time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Second)
	var seq atomic.Int64
	var mu sync.Mutex
	acked := map[readingKey]float64{}

	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 4; round++ {
		srv := startServer(t, args...)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for c := 0; c < 16; c++ {
			wg.Go(func() {
				for ctx.Err() == nil {
					n := 1 + rand.IntN(20) // single readings and small batches
					var items []map[string]any
					var keys []readingKey
					var vals []float64
					for range n {
						i := seq.Add(1)
						at := base.Add(time.Duration(i) * time.Second)
						k := readingKey{Sensor: sensors[i%3], Time: at.UnixNano()}
						v := math.Round((3+2.5*math.Sin(float64(i)/3000))*1000) / 1000
						items = append(items, map[string]any{"sensor": k.Sensor, "time": at.Format(time.RFC3339), "value": v})
						keys = append(keys, k)
						vals = append(vals, v)
					}
					body, _ := json.Marshal(items)
					code, _, err := post(ctx, srv.base, key, "application/json", body)
					if err == nil && code == http.StatusOK {
						mu.Lock()
						for j, k := range keys {
							acked[k] = vals[j]
						}
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(300+rng.IntN(1200)) * time.Millisecond) // let the storm of requests run, then crash
		srv.kill()
		cancel()
		wg.Wait()
	}
	mu.Lock()
	defer mu.Unlock()
	if len(acked) < 100 {
		t.Fatalf("only %d readings acknowledged before the crashes: the test did not load the server", len(acked))
	}

	srv := startServer(t, args...)
	waitFor(t, 60*time.Second, "readyz", func() bool {
		resp, err := http.Get(srv.base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	// The log: every acknowledged reading once, no reading twice.
	inLog := map[readingKey]int{}
	for after := 0; ; {
		var page struct {
			Events []struct {
				Type string `json:"type"`
				Data struct {
					Sensor   string `json:"sensor"`
					Readings []struct {
						T time.Time `json:"t"`
						V float64   `json:"v"`
					} `json:"readings"`
				} `json:"data"`
			} `json:"events"`
			NextAfter int `json:"next_after"`
		}
		srv.getJSON(t, fmt.Sprintf("/api/v1/events?after=%d&limit=5000", after), &page)
		for _, e := range page.Events {
			if e.Type != "sensor.readings_recorded" {
				continue
			}
			for _, r := range e.Data.Readings {
				inLog[readingKey{Sensor: e.Data.Sensor, Time: r.T.UnixNano()}]++
			}
		}
		if len(page.Events) == 0 {
			break
		}
		after = page.NextAfter
	}
	for k, n := range inLog {
		if n != 1 {
			t.Errorf("%s at %s is %d times in the log", k.Sensor, time.Unix(0, k.Time).UTC(), n)
		}
	}
	missing := 0
	for k := range acked {
		if inLog[k] == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged readings are not in the log", missing, len(acked))
	}

	// The views hold every reading in the log.
	perSensor := map[string]int{}
	for k := range inLog {
		perSensor[k.Sensor]++
	}
	from := base.Format(time.RFC3339)
	to := base.Add(time.Duration(seq.Load()+1) * time.Second).Format(time.RFC3339)
	for _, s := range sensors {
		var series struct {
			Points []json.RawMessage `json:"points"`
		}
		waitFor(t, 30*time.Second, "series of "+s, func() bool {
			srv.getJSON(t, fmt.Sprintf("/api/v1/sensors/%s/series?from=%s&to=%s&step=raw", s, from, to), &series)
			return len(series.Points) == perSensor[s]
		})
	}

	// The views equal a rebuild from scratch.
	snapshot := func(s *server) (states, timeline any) {
		s.getJSON(t, "/api/v1/sensors", &states)
		s.getJSON(t, "/api/v1/timeline?limit=10000", &timeline)
		return
	}
	liveStates, liveTimeline := snapshot(srv)
	srv.stop(t)
	run(t, "rebuild", "--config", "../../examples/nimes.yaml", "--data", data)
	srv = startServer(t, args...)
	waitFor(t, 60*time.Second, "readyz after rebuild", func() bool {
		resp, err := http.Get(srv.base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	rebuiltStates, rebuiltTimeline := snapshot(srv)
	if !reflect.DeepEqual(liveStates, rebuiltStates) {
		t.Errorf("sensor states differ after a rebuild:\nlive    %v\nrebuilt %v", liveStates, rebuiltStates)
	}
	if !reflect.DeepEqual(liveTimeline, rebuiltTimeline) {
		t.Errorf("timeline differs after a rebuild")
	}
	t.Logf("%d readings acknowledged across 4 crashes, %d in the log", len(acked), len(inLog))
}
