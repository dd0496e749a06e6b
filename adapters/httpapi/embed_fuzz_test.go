package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
)

// FuzzEmbedVerify: an embed token comes from anyone on the internet (an iframe's URL). Verify
// never panics, and accepts nothing but the token it signed.
func FuzzEmbedVerify(f *testing.F) {
	dir := f.TempDir()
	links, err := httpapi.OpenEmbedLinks(dir, func() time.Time { return now })
	if err != nil {
		f.Fatal(err)
	}
	_, good, err := links.Create("d-1", "portail", "user:chef", time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add("")
	f.Add("ve1..")
	f.Add("ve1.e30.AAAA")
	f.Add(strings.Replace(good, "ve1.", "ve2.", 1))
	f.Add(good + "x")
	f.Fuzz(func(t *testing.T, token string) {
		l, err := links.Verify(token)
		if err == nil && (token != good || l.Dashboard != "d-1") {
			t.Fatalf("Verify(%q) accepted a token it did not sign: %+v", token, l)
		}
	})
}
