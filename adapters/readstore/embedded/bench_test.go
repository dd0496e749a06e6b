package embedded_test

import (
	"testing"

	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

// The embedded store runs in this process: its CPU time is the process's.

func benchStore(b *testing.B) readstoretest.BenchStore {
	return readstoretest.BenchStore{Store: open(b)}
}

// BenchmarkCommitSamples: readstoretest.BenchCommitSamples.
func BenchmarkCommitSamples(b *testing.B) {
	readstoretest.BenchCommitSamples(b, benchStore)
}

// BenchmarkSeriesYear: readstoretest.BenchSeriesYear. Minute-sized buckets are computed from the
// samples, so the 5 s sensor's week and day are the worst case of reading them.
func BenchmarkSeriesYear(b *testing.B) {
	readstoretest.BenchSeriesYear(b, benchStore(b), 10000)
}
