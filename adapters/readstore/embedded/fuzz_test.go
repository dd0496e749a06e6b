package embedded_test

import (
	"testing"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

// FuzzSeriesMatchesModel checks Series against the model on arbitrary readings
// (readstoretest.FuzzSeries).
func FuzzSeriesMatchesModel(f *testing.F) {
	readstoretest.FuzzSeries(f, func(tb testing.TB) readstore.Store { return open(tb) })
}
