package embedded_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
)

// The crash test re-executes this test binary as a helper process that appends from many
// goroutines and prints each acknowledged append; the parent kills it with SIGKILL at a random
// moment, reopens the directory and checks that every acknowledged append is there, intact, and
// that nothing torn or half-appended is.
const (
	crashHelperEnv = "VIGIE_EMBEDDED_CRASH_HELPER_DIR"
	crashRunEnv    = "VIGIE_EMBEDDED_CRASH_RUN"
	crashWriters   = 16
)

// crashPayload is fully determined by (run, writer, append, index), so the parent can check each
// stored event byte for byte, whether or not its acknowledgement reached it.
type crashPayload struct {
	Run    int    `json:"run"`
	Writer int    `json:"writer"`
	Append int    `json:"append"`
	Index  int    `json:"index"`
	Count  int    `json:"count"`
	Pad    string `json:"pad"`
}

func crashStream(run, writer int) string { return fmt.Sprintf("crash-r%d-w%d", run, writer) }

// crashAppendSize varies the number and size of events per append so batches mix.
func crashAppendSize(nth int) int { return 1 + nth%3 }

func crashEvent(run, writer, nth, index int) eventstore.Event {
	p := crashPayload{Run: run, Writer: writer, Append: nth, Index: index, Count: crashAppendSize(nth),
		Pad: strings.Repeat(string(rune('a'+(writer+nth+index)%26)), 50+(nth*37)%900)}
	data, _ := json.Marshal(p)
	return eventstore.Event{Type: "crash.test", Schema: 1, Data: data, Meta: eventstore.Metadata{Actor: fmt.Sprintf("writer:%d", writer)}}
}

// TestCrashHelper is the helper process; it does nothing in a normal run.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashHelperEnv)
	if dir == "" {
		t.Skip("helper process of TestKillNineLosesNothingAcknowledged")
	}
	var run int
	if _, err := fmt.Sscan(os.Getenv(crashRunEnv), &run); err != nil {
		t.Fatalf("%s: %v", crashRunEnv, err)
	}
	s, err := embedded.Open(dir, embedded.Options{}, testLogger(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	// The parent kills us; the deadline only stops an orphan.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out sync.Mutex
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			expected := eventstore.NoStream
			for i := 0; ctx.Err() == nil; i++ {
				events := make([]eventstore.Event, crashAppendSize(i))
				for j := range events {
					events[j] = crashEvent(run, w, i, j)
				}
				res, err := s.Append(ctx, crashStream(run, w), expected, events...)
				if err != nil {
					return
				}
				expected = eventstore.At(res.Revision)
				line := fmt.Sprintf("ack %d %d %d %d %d\n", w, i, res.FirstPosition, res.LastPosition, res.Revision)
				out.Lock()
				_, _ = os.Stdout.WriteString(line) // one write per line: a pipe keeps it whole
				out.Unlock()
			}
		})
	}
	wg.Wait()
}

type crashAck struct {
	run, writer, append int
	first, last, rev    uint64
}

func TestKillNineLosesNothingAcknowledged(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts helper processes")
	}
	dir := t.TempDir()
	var acks []crashAck
	for run := range 5 {
		killAfter := 10 + rand.IntN(400)
		got := crashOnce(t, dir, run, killAfter)
		t.Logf("run %d: killed after %d acknowledged appends (aimed at %d)", run, len(got), killAfter)
		acks = append(acks, got...)
		checkAfterCrash(t, dir, run, acks)
	}
}

// crashOnce runs the helper on dir until it has acknowledged killAfter appends, kills it with
// SIGKILL and returns every acknowledgement it printed.
func crashOnce(t *testing.T, dir string, run, killAfter int) []crashAck {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+dir, fmt.Sprintf("%s=%d", crashRunEnv, run))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("stdout pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start helper: %v", err)
	}
	lines := make(chan string)
	readDone := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		readDone <- sc.Err()
	}()

	var acks []crashAck
	parse := func(line string) {
		if !strings.HasPrefix(line, "ack ") {
			return // the test framework's own output
		}
		a := crashAck{run: run}
		if _, err := fmt.Sscan(line[4:], &a.writer, &a.append, &a.first, &a.last, &a.rev); err != nil {
			t.Errorf("helper printed %q: %v", line, err)
			return
		}
		acks = append(acks, a)
	}
	deadline := time.NewTimer(time.Minute)
	defer deadline.Stop()
	killed := false
	for !killed {
		select {
		case line, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatalf("helper exited before being killed after %d acks; stderr:\n%s", len(acks), stderr.String())
			}
			parse(line)
			killed = len(acks) >= killAfter
		case <-deadline.C:
			killed = true
			t.Errorf("helper acknowledged %d appends in a minute, aimed at %d", len(acks), killAfter)
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatalf("kill helper: %v", err)
	}
	// What the helper wrote before dying is still in the pipe: those are acknowledgements too.
	for line := range lines {
		parse(line)
	}
	if err := <-readDone; err != nil && err != io.EOF {
		t.Fatalf("read helper output: %v", err)
	}
	_ = cmd.Wait() // "signal: killed" is the expected outcome
	return acks
}

// checkAfterCrash reopens dir and checks the log against every acknowledgement of every run so far.
func checkAfterCrash(t *testing.T, dir string, lastRun int, acks []crashAck) {
	t.Helper()
	s := openStore(t, dir, embedded.Options{})
	defer s.Close()
	ctx := context.Background()
	var log []eventstore.Record
	for {
		page, err := s.ReadAll(ctx, uint64(len(log)), 5000)
		if err != nil {
			t.Fatalf("read after crash: %v", err)
		}
		if len(page) == 0 {
			break
		}
		log = append(log, page...)
	}
	head, err := s.Head(ctx)
	if err != nil || head != uint64(len(log)) {
		t.Fatalf("head %d (%v), log holds %d events", head, err, len(log))
	}

	// Every stored event is intact and in its place: positions gapless, each stream made of whole
	// appends in order, each event exactly what its writer appended.
	type streamState struct{ rev, append, index int }
	streams := map[string]*streamState{}
	for i, r := range log {
		if r.Position != uint64(i+1) {
			t.Fatalf("event %d at position %d: positions are not gapless", i, r.Position)
		}
		if strings.HasPrefix(r.Stream, "after-crash-") {
			continue // appended by an earlier check
		}
		var p crashPayload
		if err := json.Unmarshal(r.Data, &p); err != nil {
			t.Fatalf("position %d: torn data %q: %v", r.Position, r.Data, err)
		}
		want := crashEvent(p.Run, p.Writer, p.Append, p.Index)
		if r.Stream != crashStream(p.Run, p.Writer) || string(r.Data) != string(want.Data) || r.Meta != want.Meta || r.Type != want.Type || r.RecordedAt.IsZero() {
			t.Fatalf("position %d: record %+v is not what was appended", r.Position, r)
		}
		st := streams[r.Stream]
		if st == nil {
			st = &streamState{}
			streams[r.Stream] = st
		}
		if r.Revision != uint64(st.rev) || p.Append != st.append || p.Index != st.index {
			t.Fatalf("position %d: %s revision %d holds append %d event %d, want revision %d append %d event %d",
				r.Position, r.Stream, r.Revision, p.Append, p.Index, st.rev, st.append, st.index)
		}
		st.rev++
		st.index++
		if st.index == crashAppendSize(st.append) {
			st.append, st.index = st.append+1, 0
		}
	}
	for name, st := range streams {
		if st.index != 0 {
			t.Fatalf("%s ends inside append %d (%d of %d events): an append was torn", name, st.append, st.index, crashAppendSize(st.append))
		}
	}

	// Every acknowledged append is there, where it was acknowledged.
	for _, a := range acks {
		if a.last > uint64(len(log)) || a.first == 0 {
			t.Fatalf("run %d writer %d append %d acknowledged at %d..%d is lost (head %d)", a.run, a.writer, a.append, a.first, a.last, len(log))
		}
		first, last := log[a.first-1], log[a.last-1]
		var pf, pl crashPayload
		_ = json.Unmarshal(first.Data, &pf)
		_ = json.Unmarshal(last.Data, &pl)
		wantCount := crashAppendSize(a.append)
		if pf.Run != a.run || pf.Writer != a.writer || pf.Append != a.append || pf.Index != 0 ||
			pl.Append != a.append || pl.Index != wantCount-1 || last.Revision != a.rev || a.last-a.first+1 != uint64(wantCount) {
			t.Fatalf("run %d writer %d append %d acknowledged at %d..%d revision %d, found %+v .. %+v", a.run, a.writer, a.append, a.first, a.last, a.rev, pf, pl)
		}
	}

	// The store carries on after recovery.
	res, err := s.Append(ctx, fmt.Sprintf("after-crash-%d", lastRun), eventstore.NoStream, eventstore.Event{Type: "t"})
	if err != nil || res.FirstPosition != uint64(len(log))+1 {
		t.Fatalf("append after crash: %+v, %v; want position %d", res, err, len(log)+1)
	}
}
