package clickhouse_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/vigie/vigie/adapters/readstore/clickhouse"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

// Figures reported next to wall-clock ones, because the machine is shared: the CPU time of this
// process and that of the ClickHouse server (the whole server, found in /proc: it counts only
// when the server runs on this machine, and only while nothing else uses it).

func benchStore(b *testing.B) (readstoretest.BenchStore, string) {
	b.Helper()
	db := newDatabase(b)
	s, err := clickhouse.Open(context.Background(), testDSN(), clickhouse.Options{Database: db, MaxConns: 4}, discard())
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return readstoretest.BenchStore{Store: s, ServerCPU: serverCPU, Server: "ch"}, db
}

// serverCPU is the CPU time of the clickhouse-server processes of this machine (0 if none).
func serverCPU(testing.TB) time.Duration {
	var total time.Duration
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(d + "/comm")
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(comm)), "clickhouse-serv") {
			continue
		}
		if cpu, ok := readstoretest.ProcCPU(filepath.Base(d)); ok {
			total += cpu
		}
	}
	return total
}

// BenchmarkCommitSamples: readstoretest.BenchCommitSamples (the three roll-ups are materialized
// views, run in the same INSERT).
func BenchmarkCommitSamples(b *testing.B) {
	readstoretest.BenchCommitSamples(b, func(b *testing.B) readstoretest.BenchStore {
		bs, _ := benchStore(b)
		return bs
	})
}

// BenchmarkSeriesYear: readstoretest.BenchSeriesYear, and the "query-time" cases, which compute
// the same year from the raw samples with no roll-up, to measure what the roll-ups buy.
func BenchmarkSeriesYear(b *testing.B) {
	bs, db := benchStore(b)
	readstoretest.BenchSeriesYear(b, bs, 50000)
	ctx := context.Background()
	conn, err := ch.Open(&ch.Options{Addr: []string{chAddr()}})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	start, year, day := readstoretest.SeriesYearStart(), 365*24*time.Hour, 24*time.Hour
	// The same year buckets computed at query time from the 525,600 raw samples: what a store
	// without roll-ups would do.
	for _, step := range []time.Duration{year / 1000, day} {
		b.Run(fmt.Sprintf("query-time/year/%s", step.Round(time.Second)), func(b *testing.B) {
			secs := int64(readstoretest.BucketStep(step) / time.Second)
			query := fmt.Sprintf(`SELECT intDiv(intDiv(t, 1000000000), %d) * %d AS bucket,
					countIf(q != 'implausible'), countIf(q = 'implausible'), minIf(v, q != 'implausible'), maxIf(v, q != 'implausible'),
					sumIf(v, q != 'implausible'), argMaxIf(v, t, q != 'implausible')
				FROM %s.samples WHERE sensor = ? AND t >= ? AND t < ? GROUP BY bucket ORDER BY bucket`, secs, secs, db)
			var n int
			cpu, srv := bs.CPU(b)
			for b.Loop() {
				rows, err := conn.Query(ctx, query, readstoretest.SeriesYearSensor, start.UnixNano(), start.Add(year).UnixNano())
				if err != nil {
					b.Fatal(err)
				}
				n = 0
				for rows.Next() {
					n++
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
			bs.ReportQuery(b, n, cpu, srv)
		})
	}
}
