package clickhouse_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/adapters/readstore/clickhouse"
	"github.com/vigie/vigie/adapters/readstore/readstoretest"
)

// FuzzSeriesMatchesModel checks Series against the model on arbitrary readings
// (readstoretest.FuzzSeries). The corpus in testdata/fuzz holds this store's findings.
func FuzzSeriesMatchesModel(f *testing.F) {
	readstoretest.FuzzSeries(f, func(tb testing.TB) readstore.Store { return open(tb) })
}

// FuzzParseDSN: whatever the DSN, Open (up to its first connection attempt, which the bad ones
// never reach) neither panics nor repeats a password in its error.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"127.0.0.1:9000", "clickhouse://u:pw@127.0.0.1:1/db", "clickhouse://u:pw@[::1", "tcp://h:1?x=%zz",
		"http://u:pw@h:8123", "clickhouse://u:pw@h:notaport/d", ":", "clickhouse:///", "clickhouse://h:1/bad-db"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		opts, err := clickhouse.ParseDSN(dsn)
		if err != nil {
			if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
				if pw, ok := u.User.Password(); ok && len(pw) > 3 && strings.Contains(err.Error(), pw) {
					t.Errorf("error %q repeats the password", err)
				}
			}
			return
		}
		if len(opts.Addr) == 0 {
			t.Errorf("ParseDSN(%q) gave no address", dsn)
		}
	})
}
