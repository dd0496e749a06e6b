package bustest

import (
	"io"
	"strings"
	"testing"
)

// Refused checks what an adapter's constructor returned for a configuration it must refuse: no
// bus, an error that names each of want, and never the password secret that was in the URL.
func Refused(t *testing.T, b io.Closer, err error, want []string, secret string) {
	t.Helper()
	if err == nil {
		_ = b.Close()
		t.Fatal("got a bus, want an error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
	if secret != "" && strings.Contains(err.Error(), secret) {
		t.Errorf("error %q leaks the password", err)
	}
}
