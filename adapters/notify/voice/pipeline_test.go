package voice_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/voice"
)

func newPipeline(t *testing.T, n notify.Notifier, clock notify.Clock) (*notify.Pipeline, *notify.MemoryLog) {
	t.Helper()
	log := notify.NewMemoryLog()
	p, err := notify.NewPipeline(n, notify.PipelineConfig{
		Backoff: notify.Backoff{Initial: 2 * time.Second, Max: 2 * time.Second, Multiplier: 2},
	}, notify.Deps{Log: log, Recorder: log, Logger: (&notifytest.LogBuffer{}).Logger(), Clock: clock,
		Random: func() float64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	return p, log
}

// TestPipelineRetriesBusyThenRecordsFailure: the operator's line stays busy; the pipeline calls
// again every 2 s (on a fake clock) until the step's deadline, 9 s after the first call, then
// records a retryable failure whose reason names the SIP status: calls at 0, 2, 4, 6 and 8 s.
func TestPipelineRetriesBusyThenRecordsFailure(t *testing.T) {
	t.Parallel()
	c := startCalleeN(t, 5, "reject", "udp", "code", "486", "reason", "Busy Here")
	n := newNotifier(t, testConfig(c.Addr, "udp"), &acks{}, nil)
	clock := notifytest.NewClock(time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC))
	p, log := newPipeline(t, n, clock)
	type result struct {
		o   notify.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		o, err := p.Send(context.Background(), message("0612345678"), clock.Now().Add(9*time.Second))
		done <- result{o, err}
	}()
	var r result
	for waiting := true; waiting; {
		_, added := clock.Pending()
		if d, ok := clock.NextWait(); ok {
			clock.Advance(d) // the back-off between two calls
			continue
		}
		select {
		case r = <-done:
			waiting = false
		case <-added:
		case <-time.After(20 * time.Second):
			t.Fatal("the pipeline neither waited nor returned within 20 s")
		}
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	o := r.o
	if o.Status != notify.StatusFailed || !o.Retryable || o.Attempts != 5 || !strings.Contains(o.Reason, "busy: SIP 486 Busy Here") {
		t.Fatalf("outcome %+v: want a retryable failure after 5 calls, reason with 486 Busy Here", o)
	}
	if got := log.Outcomes(); len(got) != 1 || got[0].Status != notify.StatusFailed {
		t.Fatalf("recorded %+v, want one failure", got)
	}
	c.wait(t) // SIPp took exactly its 5 calls
}

// TestPipelineDeliversOnceThenDedups: delivered through the pipeline, recorded as sent; the same
// notification sent again is a duplicate and the phone does not ring.
func TestPipelineDeliversOnceThenDedups(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, helloThenSilence(t))
	cfg := testConfig(ph.Addr, "udp")
	cfg.Repeat, cfg.KeyWait = 1, 300*time.Millisecond
	p, log := newPipeline(t, newNotifier(t, cfg, &acks{}, nil), notify.SystemClock())
	m := message(ph.User)
	deadline := time.Now().Add(30 * time.Second)
	if o, err := p.Send(context.Background(), m, deadline); err != nil || o.Status != notify.StatusSent {
		t.Fatalf("first Send = %+v, %v; want sent", o, err)
	}
	ph.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	if o, err := p.Send(context.Background(), m, deadline); err != nil || o.Status != notify.StatusDuplicate {
		t.Fatalf("second Send = %+v, %v; want duplicate", o, err)
	}
	if got := log.Outcomes(); len(got) != 1 || got[0].Status != notify.StatusSent || got[0].Channel != notify.ChannelVoice {
		t.Fatalf("recorded %+v, want one voice notification sent", got)
	}
	select {
	case ev := <-ph.events:
		if ev["type"] == "CALL_INCOMING" {
			t.Fatalf("the phone rang for a duplicate: %v", ev)
		}
	case <-time.After(300 * time.Millisecond):
	}
}

// BenchmarkEspeak measures a French message's text to speech (espeak-ng, then sox): what the
// cache saves per call.
func BenchmarkEspeak(b *testing.B) {
	need(b, "espeak-ng", "sox")
	text := voice.Render(message("0612345678")).Message
	for b.Loop() {
		if _, err := (voice.Espeak{}).Speak(context.Background(), "fr", text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedSpeakerHit: a cached message.
func BenchmarkCachedSpeakerHit(b *testing.B) {
	c, err := voice.NewCachedSpeaker(tone(time.Second), 64)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Speak(context.Background(), "fr", "Vigie, alarme haute."); err != nil {
			b.Fatal(err)
		}
	}
}
