package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The load tool writes its bodies by hand: they must be what fmt wrote before, valid JSON.
func TestAppendBenchReadingMatchesFmt(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 10, 10, 3, 42, 10, 0, time.FixedZone("CEST", 2*3600))
	for _, v := range []float64{1, 1.05, 1.12, 6.5, 0.1 + 0.2, 1e21, -3e-7} {
		got := string(appendBenchReading(nil, "dam07.level", at, v))
		want := fmt.Sprintf(`{"sensor":%q,"time":%q,"value":%g}`, "dam07.level", at.UTC().Format(time.RFC3339), v)
		if got != want {
			t.Errorf("value %g: got %s, want %s", v, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("value %g: %s is not valid JSON", v, got)
		}
	}
}

func TestProcessCPUGrows(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	before, err := childCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	x := 0
	for {
		for i := range 10_000_000 {
			x += i
		}
		now, err := childCPU(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if now > before {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("CPU time stayed at %s after 5 s of work (%d)", now, x)
		}
	}
}

// The load tool itself runs: against Vigie (every request answered as durable, none failed) and
// against the null server that gives the machine's ceiling.
func TestBenchRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	for _, server := range []string{"null", "inprocess"} {
		t.Run(server, func(t *testing.T) {
			var out, errs strings.Builder
			args := []string{"--server", server, "--clients", "4", "--batch", "1", "--duration", "300ms"}
			if err := runBench(t.Context(), args, &out, &errs); err != nil {
				t.Fatalf("vigie bench %v: %v\n%s", args, err, errs.String())
			}
			if !strings.Contains(out.String(), " 0 failed;") || !strings.Contains(out.String(), "requests/s") {
				t.Errorf("unexpected report:\n%s", out.String())
			}
		})
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--server", "elsewhere"}, "want inprocess, process or null"},
		{[]string{"--server", "inprocess", "--server-cpuprofile", "x.prof"}, "needs --server process"},
		{[]string{"--server", "process", "--server-cpuprofile", "x.prof", "--duration", "1s"}, "3s or more"},
	} {
		var out, errs strings.Builder
		if err := runBench(t.Context(), tc.args, &out, &errs); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("vigie bench %v: got %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

// The past-mode load moves under every threshold at a plausible, unremarkable rate: a reading a
// second never changes by more than 1 cm (36 m/h, under the default suspect rate of 60 m/h).
func TestBenchLevelIsPlausible(t *testing.T) {
	t.Parallel()
	prev := benchLevel(0)
	for k := int64(1); k < 1000; k++ {
		v := benchLevel(k)
		if d := v - prev; d > 0.0100001 || d < -0.0100001 {
			t.Fatalf("reading %d: %.3f after %.3f, a jump of %.3f m in a second", k, v, prev, d)
		}
		if v < 1 || v > 1.12+1e-9 {
			t.Fatalf("reading %d: %.3f outside 1.00..1.12", k, v)
		}
		prev = v
	}
}
