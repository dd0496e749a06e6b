package replay_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands/replay"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
	"github.com/vigie/vigie/examples"
)

// manyDams is the reference configuration with Méjean copied n times (d01 … dNN).
func manyDams(tb testing.TB, n int) *config.Config {
	tb.Helper()
	src := string(examples.Nimes())
	start := strings.Index(src, "  - id: mejean")
	end := strings.Index(src, "  - id: bassin-nord")
	block := src[start:end]
	var dams strings.Builder
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("d%02d", i)
		dams.WriteString(strings.ReplaceAll(block, "mejean", id))
	}
	rest := src[end:]
	next := regexp.MustCompile(`(?m)^[a-z_]+:`).FindStringIndex(rest) // the key after dams:
	doc := src[:start] + dams.String() + rest[next[0]:]
	cfg, err := config.Parse("many dams", []byte(doc))
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// yearLog writes a year of 1-minute readings of every sensor of cfg, posted by one gateway every
// `every` (one append per sensor per post, all recorded at the same instant, 7 s after the
// newest reading): a storm every 23 days lifts each dam to just over its crest and back.
func yearLog(tb testing.TB, dir string, cfg *config.Config, every time.Duration) (*embedded.Store, int) {
	tb.Helper()
	codec := newCodec(tb)
	st, err := embedded.Open(dir, embedded.Options{}, discard())
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	if d, err := strconv.Atoi(os.Getenv("VIGIE_BENCH_DAYS")); err == nil && d > 0 {
		end = start.AddDate(0, 0, d) // a shorter span, to profile
	}
	ids := cfg.SensorIDs()
	level := func(i int, t time.Time) float64 {
		h := t.Sub(start).Hours() + float64(i)*7 // dams' storms a few hours apart
		phase := math.Mod(h, 23*24)
		if phase > 24 {
			return 0.4
		}
		return 0.4 + 9.2*math.Sin(math.Pi*phase/24) // up to 9.6 m: over the 9 m crest
	}
	var (
		recs   []eventstore.Record
		pos    uint64
		revs   = map[string]uint64{}
		total  int
		ctx    = context.Background()
		flushN = 20000
	)
	flush := func() {
		if len(recs) == 0 {
			return
		}
		if err := st.Import(ctx, recs); err != nil {
			tb.Fatal(err)
		}
		recs = recs[:0]
	}
	for t := start; t.Before(end); t = t.Add(every) {
		at := t.Add(every - time.Minute + 7*time.Second)
		for i, id := range ids {
			var samples []gauge.Sample
			for m := t; m.Before(t.Add(every)); m = m.Add(time.Minute) {
				samples = append(samples, gauge.Sample{T: m, V: math.Round(level(i, m)*1000) / 1000, Q: sensor.Good})
			}
			total += len(samples)
			enc, err := codec.Encode(gauge.ReadingsRecorded{Sensor: id, Readings: samples}, eventstore.Metadata{Actor: "apikey:gw", CorrelationID: "post-" + strconv.FormatInt(at.Unix(), 10)})
			if err != nil {
				tb.Fatal(err)
			}
			stream := eventstore.StreamName(gauge.Category, string(id))
			pos++
			recs = append(recs, eventstore.Record{Position: pos, Stream: stream, Revision: revs[stream], Type: enc.Type, Schema: enc.Schema, Data: enc.Data, Meta: enc.Meta, RecordedAt: at})
			revs[stream]++
		}
		if len(recs) >= flushN {
			flush()
		}
	}
	flush()
	return st, total
}

// BenchmarkReplayYear replays a year of 1-minute readings of 20 dams (10.5 million readings)
// through the ingestion and the condition engine, without the cascade. The target is under a
// minute per replay: see ns/op, and cpu-s/op, the CPU the replay used (the machine is shared, 2
// cores: wall-clock figures measure the neighbours too). VIGIE_BENCH_DAYS shortens the span.
func BenchmarkReplayYear(b *testing.B) {
	for _, every := range []time.Duration{time.Hour, 10 * time.Minute} {
		b.Run("posts-every-"+every.String(), func(b *testing.B) {
			cfg := manyDams(b, 20)
			src, readings := yearLog(b, filepath.Join(b.TempDir(), "recorded"), cfg, every)
			defer src.Close()
			s := setupOf(b, cfg, false)
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				dir, err := os.MkdirTemp("", "vigie-replay-bench-")
				if err != nil {
					b.Fatal(err)
				}
				res, err := replay.Run(context.Background(), src, newCodec(b), s, replay.Options{Open: scratchIn(dir)}, discard())
				os.RemoveAll(dir)
				if err != nil {
					b.Fatal(err)
				}
				if res.Readings != readings {
					b.Fatalf("replayed %d readings of %d", res.Readings, readings)
				}
				if len(res.Replayed.Alarms()) == 0 {
					b.Fatal("a year of storms raised no alarm")
				}
			}
			b.ReportMetric(float64(readings)*float64(b.N)/b.Elapsed().Seconds(), "readings/s")
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
