//go:build unix

package commands_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
)

// cpuTime is the process's user and system CPU time.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAverage() string {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return "?"
	}
	return fmt.Sprintf("%.2f", float64(si.Loads[0])/65536)
}

// BenchmarkReadingToAlarmRaised measures, on the embedded store (fsync'd appends), the time from
// posting a reading that crosses a threshold to its alarm.Raised being durable (seen by a
// subscriber of the log, which only sees acknowledged appends), while other gauges post 1,000
// readings/s in the background, 10 per request every 10 ms. Each round raises a new occurrence,
// so the board append (SlotOpened) and the alarm append are both on the measured path. Reported:
// p50/p99 of that latency, p50/p99 of the reading's own append (ingest), the engine's reaction
// (from the reading durable to its alarm durable: two fsync'd appends, board then alarm, and the
// hop through the log), and the CPU time the background load costs per second.
//
// Sub-benchmarks: the number of background gauges (so each reports 1,000/n readings/s) and
// whether they have the process conditions (rate of rise, time to spill: least-squares fits over
// a 15-minute window, whose cost grows with the readings in it).
func BenchmarkReadingToAlarmRaised(b *testing.B) {
	for _, bc := range []struct {
		gauges  int
		process bool
	}{{0, false}, {40, false}, {100, true}, {1000, true}} {
		b.Run(fmt.Sprintf("gauges=%d/process=%v", bc.gauges, bc.process), func(b *testing.B) { benchAlarmLatency(b, bc.gauges, bc.process) })
	}
}

func benchAlarmLatency(b *testing.B, background int, process bool) {
	r := newLatencyRig(b, background, process)
	store, engine, cmds := r.store, r.engine, r.cmds
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	wg.Go(func() { engine.Run(ctx) })

	// A subscriber of the log reports when each probe alarm event becomes durable.
	seen := make(chan eventstore.Record, 16)
	head, _ := store.Head(ctx)
	wg.Go(func() {
		store.Subscribe(ctx, head, func(recs []eventstore.Record) error {
			for _, r := range recs {
				if strings.HasPrefix(r.Stream, "alarm-probe~") {
					select {
					case seen <- r:
					case <-ctx.Done():
						return ctx.Err()
					}
				}
			}
			return nil
		})
	})
	r.background(ctx, b, &wg)
	waitType := func(typ string) time.Time {
		for {
			select {
			case r := <-seen:
				if r.Type == typ {
					return time.Now()
				}
			case <-time.After(10 * time.Second):
				b.Fatalf("no %s within 10 s", typ)
			}
		}
	}
	post := func(v float64) time.Duration { return r.post(ctx, b, v) }
	// The background's own CPU cost (ingestion, log, condition monitors), over one second of it
	// alone: a CPU-time figure the other engineers' load on the machine hardly changes.
	time.Sleep(200 * time.Millisecond) // warm-up of the background load, not a wait for a condition
	bgCPU, bgWall := cpuTime(b), time.Now()
	time.Sleep(time.Second) // measuring a rate over a period
	bgRate := (cpuTime(b) - bgCPU).Seconds() / time.Since(bgWall).Seconds() * 1000
	b.Logf("load average at start: %s", loadAverage())
	lat := make([]time.Duration, 0, b.N)
	ingest := make([]time.Duration, 0, b.N)
	react := make([]time.Duration, 0, b.N) // from the reading durable to its alarm durable
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		in := post(6.5)
		l := waitType("alarm.raised").Sub(start)
		ingest, lat, react = append(ingest, in), append(lat, l), append(react, l-in)
		b.StopTimer()
		post(2)
		waitType("alarm.returned_to_normal")
		id := alarm.ID(fmt.Sprintf("probe~level:alerte~%d", i+1))
		if _, err := cmds.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: id, By: "bench", Via: alarm.ViaAPI}); err != nil {
			b.Fatal(err)
		}
		waitType("alarm.acknowledged")
		b.StartTimer()
	}
	b.StopTimer()
	b.Logf("load average at end: %s", loadAverage())
	for _, d := range [][]time.Duration{lat, ingest, react} {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
	b.ReportMetric(float64(ingest[len(ingest)/2].Microseconds()), "ingest-p50-µs")
	b.ReportMetric(float64(ingest[min(len(ingest)-1, len(ingest)*99/100)].Microseconds()), "ingest-p99-µs")
	b.ReportMetric(float64(react[len(react)/2].Microseconds()), "engine-p50-µs")
	b.ReportMetric(bgRate, "bg-cpu-ms/s")
}
