package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestStartProfiling(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		addr, wantErr string
	}{
		{"0.0.0.0:6060", "only a loopback address"},
		{"192.0.2.7:6060", "only a loopback address"},
		{"example.org:6060", "only a loopback address"},
		{"6060", "--pprof-addr"},
	} {
		if stop, err := startProfiling(tc.addr, logger); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			if stop != nil {
				stop()
			}
			t.Errorf("startProfiling(%q) = %v, want an error with %q", tc.addr, err, tc.wantErr)
		}
	}

	var logs strings.Builder
	stop, err := startProfiling("127.0.0.1:0", slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	i := strings.Index(logs.String(), "pprof=")
	if i < 0 {
		t.Fatalf("no pprof= in the log: %s", logs.String())
	}
	base := strings.Fields(logs.String()[i+len("pprof="):])[0]
	resp, err := http.Get(base + "cmdline")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusOK || len(b) == 0 {
		t.Errorf("GET %scmdline: %d %q", base, resp.StatusCode, b)
	}
	if strings.Contains(logs.String(), "listening") || strings.Contains(logs.String(), " addr=") {
		t.Errorf("the profiling line would be read as the API's address by tools: %s", logs.String())
	}
}
