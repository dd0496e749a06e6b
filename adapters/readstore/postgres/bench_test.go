package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/readstore/postgres"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

// Figures reported next to wall-clock ones, because the machine is shared: the CPU time of this
// process and that of the PostgreSQL backends serving the benchmark's connections (found by their
// application_name), per unit of work.

func benchStore(b *testing.B) readstoretest.BenchStore {
	b.Helper()
	schema := newSchema(b)
	app := "vigie_bench_" + strings.TrimPrefix(schema, "vigie_test_")
	sep := "?"
	if strings.Contains(testDSN(), "?") {
		sep = "&"
	}
	s, err := postgres.Open(context.Background(), testDSN()+sep+"application_name="+app, postgres.Options{Schema: schema, MaxConns: 4}, discard())
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return readstoretest.BenchStore{Store: s, ServerCPU: func(tb testing.TB) time.Duration { return backendCPU(tb, app) }, Server: "pg"}
}

// backendCPU sums the CPU time of the server processes serving connections named app (read from
// /proc: it counts only when the server runs on this machine).
func backendCPU(tb testing.TB, app string) time.Duration {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, app)
	if err != nil {
		tb.Fatalf("list backends: %v", err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		tb.Fatalf("list backends: %v", err)
	}
	var total time.Duration
	for _, pid := range pids {
		if cpu, ok := readstoretest.ProcCPU(strconv.Itoa(int(pid))); ok {
			total += cpu
		}
	}
	return total
}

// BenchmarkCommitSamples: readstoretest.BenchCommitSamples.
func BenchmarkCommitSamples(b *testing.B) {
	readstoretest.BenchCommitSamples(b, benchStore)
}

// BenchmarkSeriesYear: readstoretest.BenchSeriesYear.
func BenchmarkSeriesYear(b *testing.B) {
	readstoretest.BenchSeriesYear(b, benchStore(b), 10000)
}
