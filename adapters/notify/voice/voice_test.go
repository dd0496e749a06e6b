package voice_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/voice"
)

// tone is a Speaker that "says" every text as a tone of the given length: the calls' mechanics
// do not need espeak-ng's 4 s sentences (one test speaks for real).
func tone(d time.Duration) voice.Speaker {
	return voice.SpeakerFunc(func(ctx context.Context, language, text string) ([]byte, error) {
		n := int(d.Seconds() * voice.SampleRate)
		pcm := make([]byte, 2*n)
		for i := range n {
			s := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/voice.SampleRate))
			pcm[2*i], pcm[2*i+1] = byte(s), byte(uint16(s)>>8)
		}
		return pcm, nil
	})
}

// acks records the acknowledgements a notifier hands over.
type acks struct {
	mu   sync.Mutex
	got  []voice.Ack
	fail error
}

func (a *acks) Acknowledge(ctx context.Context, ack voice.Ack) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail != nil {
		return a.fail
	}
	a.got = append(a.got, ack)
	return nil
}

func (a *acks) all() []voice.Ack {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]voice.Ack(nil), a.got...)
}

const secret = "s3cr3t-sip-password"

func testConfig(proxy, transport string) voice.Config {
	return voice.Config{
		Proxy:       proxy,
		Transport:   transport,
		Username:    "vigie",
		Password:    secret,
		BindHost:    "127.0.0.1",
		RingTimeout: 10 * time.Second,
		Repeat:      2,
		Pause:       200 * time.Millisecond,
		KeyWait:     2 * time.Second,
	}
}

func newNotifier(t *testing.T, cfg voice.Config, a voice.Acknowledger, logger *slog.Logger, opts ...voice.Option) *voice.Notifier {
	t.Helper()
	if logger == nil {
		logs := &notifytest.LogBuffer{}
		logger = logs.Logger()
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("notifier log:\n%s", logs.String())
			}
		})
	}
	if len(opts) == 0 {
		opts = []voice.Option{voice.WithSpeaker(tone(time.Second))}
	}
	n, err := voice.New(cfg, a, logger, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

func message(to string) notify.Message {
	return notify.Message{
		ID:       "mejean~level:alerte~3/1/1/0/op-durand/voice",
		AlarmID:  "mejean~level:alerte~3",
		Operator: "op-durand",
		Channel:  notify.ChannelVoice,
		To:       to,
		Language: "fr",
		Text:     "Vigie, essai. Barrage de Méjean.",
		AckURL:   "https://vigie.test/ack?t=acktoken-secret",
	}
}

// TestAnsweredAndOneAcknowledges: baresip answers, the operator presses 1 during the message, the
// acknowledgement reaches the Acknowledger with the operator, and the call ends.
func TestAnsweredAndOneAcknowledges(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, helloThenSilence(t))
	a := &acks{}
	logs := &notifytest.LogBuffer{}
	cfg := testConfig(ph.Addr, "udp")
	cfg.Repeat = 3
	n := newNotifier(t, cfg, a, logs.Logger(), voice.WithSpeaker(tone(3*time.Second)))
	m := message(ph.User)

	type result struct {
		res   voice.Result
		retry bool
		err   error
	}
	done := make(chan result, 1)
	go func() {
		res, retry, err := n.Call(context.Background(), m)
		done <- result{res, retry, err}
	}()
	ph.waitEvent(t, "CALL_ESTABLISHED", 10*time.Second)
	time.Sleep(500 * time.Millisecond) // the operator listens a little, then presses 1
	ph.command(t, "sndcode", "1")
	var r result
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the call did not end after the key 1")
	}
	if r.err != nil || !r.res.Acknowledged || !r.res.Answered {
		t.Fatalf("Call = %+v, retry %v, %v; want answered and acknowledged", r.res, r.retry, r.err)
	}
	if !strings.Contains(r.res.Keys, "1") {
		t.Errorf("keys %q, want a 1", r.res.Keys)
	}
	got := a.all()
	if len(got) != 1 || got[0].Operator != m.Operator || got[0].AlarmID != m.AlarmID || got[0].NotificationID != m.ID || got[0].To != m.To {
		t.Fatalf("acknowledgements %+v, want one by %s for %s", got, m.Operator, m.AlarmID)
	}
	if r.res.Talk > 8*time.Second {
		t.Errorf("call lasted %v: the 1 should have cut the three repetitions short", r.res.Talk)
	}
	ph.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	checkNoSecret(t, logs, r.err, m)
}

// TestAnsweredWithoutKeyIsDeliveredNotAcknowledged: baresip answers ("Allô ?") and listens; the
// message is played Repeat times, the phone hears it, nobody presses 1.
func TestAnsweredWithoutKeyIsDeliveredNotAcknowledged(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, helloThenSilence(t))
	a := &acks{}
	cfg := testConfig(ph.Addr, "tcp")
	cfg.KeyWait = time.Second
	n := newNotifier(t, cfg, a, nil)
	res, retry, err := n.Call(context.Background(), message(ph.User))
	if err != nil || retry {
		t.Fatalf("Call = %+v, retry %v, %v; want delivered", res, retry, err)
	}
	if !res.Answered || res.Acknowledged || res.Plays != 2 || res.CalleeSilent {
		t.Fatalf("result %+v, want answered, 2 plays, not acknowledged, callee heard", res)
	}
	if got := a.all(); len(got) != 0 {
		t.Fatalf("acknowledgements %+v, want none", got)
	}
	ph.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	eventually(t, 5*time.Second, "phone recording", func() bool { return activeSeconds(ph.heard(t)) > 0 })
	// Two 1 s repetitions: the phone heard about 2 s of tone (G.711 and jitter blur the edges).
	if heard := activeSeconds(ph.heard(t)); heard < 1.6 || heard > 2.6 {
		t.Errorf("the phone heard %.2f s of message, want about 2 s (2 × 1 s)", heard)
	}
}

// TestSpeaksFrenchWithEspeak: the real text-to-speech, through a real call.
func TestSpeaksFrenchWithEspeak(t *testing.T) {
	t.Parallel()
	need(t, "espeak-ng", "sox")
	ph := startPhone(t, helloThenSilence(t))
	cached, err := voice.NewCachedSpeaker(voice.Espeak{}, 8)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(ph.Addr, "udp")
	cfg.Repeat, cfg.KeyWait = 1, time.Second
	n := newNotifier(t, cfg, &acks{}, nil, voice.WithSpeaker(cached))
	m := message(ph.User)
	script := voice.Render(m)
	pcm, err := cached.Speak(context.Background(), "fr", script.Message)
	if err != nil {
		t.Fatal(err)
	}
	want := float64(len(pcm)) / 2 / voice.SampleRate
	res, _, err := n.Call(context.Background(), m)
	if err != nil || res.Plays != 1 {
		t.Fatalf("Call = %+v, %v; want delivered once", res, err)
	}
	ph.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	var heard float64
	eventually(t, 5*time.Second, "phone recording", func() bool { heard = activeSeconds(ph.heard(t)); return heard > 0 })
	// Speech has pauses: what is heard is most of the message, never more than it.
	if heard < 0.5*want || heard > want+0.5 {
		t.Errorf("the phone heard %.2f s of speech, want most of the %.2f s message", heard, want)
	}
	if cached.Len() != 3 {
		t.Errorf("cache holds %d texts, want 3 (message, thanks, acknowledgement error)", cached.Len())
	}
}

// TestSameNotificationIsNotCalledTwice: once delivered, the same notification ID never rings again.
func TestSameNotificationIsNotCalledTwice(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, helloThenSilence(t))
	cfg := testConfig(ph.Addr, "udp")
	cfg.Repeat, cfg.KeyWait = 1, 500*time.Millisecond
	n := newNotifier(t, cfg, &acks{}, nil)
	m := message(ph.User)
	var wg sync.WaitGroup
	results := make([]voice.Result, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _, errs[i] = n.Call(context.Background(), m)
		}()
	}
	wg.Wait()
	again, _, err := n.Call(context.Background(), m)
	if errs[0] != nil || errs[1] != nil || err != nil {
		t.Fatalf("calls: %v, %v, %v", errs[0], errs[1], err)
	}
	dups := 0
	for _, r := range append(results, again) {
		if r.Duplicate {
			dups++
		}
	}
	if dups != 2 || !again.Duplicate {
		t.Fatalf("results %+v, %+v, %+v: want one call and two duplicates", results[0], results[1], again)
	}
	ph.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	select {
	case ev := <-ph.events:
		if ev["type"] == "CALL_INCOMING" {
			t.Fatalf("the phone rang a second time: %v", ev)
		}
	case <-time.After(300 * time.Millisecond):
	}
}

// TestAckFailureIsToldAndNotAcknowledged: the key 1 is heard but the acknowledgement cannot be
// recorded: the result says so, the cascade must go on.
func TestAckFailureIsToldAndNotAcknowledged(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, helloThenSilence(t))
	a := &acks{fail: errors.New("event store unavailable")}
	cfg := testConfig(ph.Addr, "udp")
	cfg.Repeat = 3
	n := newNotifier(t, cfg, a, nil, voice.WithSpeaker(tone(3*time.Second)))
	done := make(chan voice.Result, 1)
	go func() {
		res, _, _ := n.Call(context.Background(), message(ph.User))
		done <- res
	}()
	ph.waitEvent(t, "CALL_ESTABLISHED", 10*time.Second)
	ph.command(t, "sndcode", "1")
	select {
	case res := <-done:
		if res.Acknowledged || res.AckErr == nil {
			t.Fatalf("result %+v, want not acknowledged with the acknowledger's error", res)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the call did not end")
	}
}

// TestSilentAnswerIsRetryableFailure: a line that answers and never makes a sound (a voicemail
// recording after its beep, a phone answered in a pocket) is not a delivery.
func TestSilentAnswerIsRetryableFailure(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, silentWAV(t))
	cfg := testConfig(ph.Addr, "udp")
	cfg.Repeat, cfg.KeyWait = 1, 500*time.Millisecond
	n := newNotifier(t, cfg, &acks{}, nil)
	res, retry, err := n.Call(context.Background(), message(ph.User))
	if !errors.Is(err, voice.ErrSilentAnswer) || !retry || !res.CalleeSilent {
		t.Fatalf("Call = %+v, retry %v, %v; want a retryable ErrSilentAnswer", res, retry, err)
	}
}

// checkNoSecret fails if the password or the acknowledgement token is in err or the logs.
func checkNoSecret(t *testing.T, logs *notifytest.LogBuffer, err error, m notify.Message) {
	t.Helper()
	texts := []string{logs.String()}
	if err != nil {
		texts = append(texts, err.Error())
	}
	for _, s := range []string{secret, "acktoken-secret"} {
		for _, text := range texts {
			if strings.Contains(text, s) {
				t.Errorf("secret %q leaked in:\n%s", s, text)
			}
		}
	}
}

// TestHangUpDuringFirstMessageIsRetryable: the operator picks up and hangs up at once (a reflex at
// 3 a.m.): the message was not heard, so nothing was delivered.
func TestHangUpDuringFirstMessageIsRetryable(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, helloThenSilence(t))
	n := newNotifier(t, testConfig(ph.Addr, "udp"), &acks{}, nil, voice.WithSpeaker(tone(5*time.Second)))
	type result struct {
		res   voice.Result
		retry bool
		err   error
	}
	done := make(chan result, 1)
	go func() {
		res, retry, err := n.Call(context.Background(), message(ph.User))
		done <- result{res, retry, err}
	}()
	ph.waitEvent(t, "CALL_ESTABLISHED", 10*time.Second)
	// The operator hears the first words and hangs up. (Without this human delay the BYE can
	// beat diago's own bookkeeping of the ACK it just sent, and is answered 481: see docs/voice.md.)
	time.Sleep(300 * time.Millisecond)
	ph.command(t, "hangup", "")
	select {
	case r := <-done:
		if !errors.Is(r.err, voice.ErrHungUpEarly) || !r.retry || !r.res.Answered || r.res.Plays != 0 {
			t.Fatalf("Call = %+v, retry %v, %v; want a retryable ErrHungUpEarly", r.res, r.retry, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Call did not notice the hang-up")
	}
}

// TestZeroRepeatsTheMessage: a 0 during the message starts it again from the beginning.
func TestZeroRepeatsTheMessage(t *testing.T) {
	t.Parallel()
	ph := startPhone(t, helloThenSilence(t))
	cfg := testConfig(ph.Addr, "udp")
	cfg.Repeat, cfg.KeyWait = 1, 500*time.Millisecond
	n := newNotifier(t, cfg, &acks{}, nil, voice.WithSpeaker(tone(2*time.Second)))
	done := make(chan voice.Result, 1)
	go func() {
		res, _, err := n.Call(context.Background(), message(ph.User))
		if err != nil {
			t.Errorf("Call: %v", err)
		}
		done <- res
	}()
	ph.waitEvent(t, "CALL_ESTABLISHED", 10*time.Second)
	time.Sleep(time.Second)
	ph.command(t, "sndcode", "0")
	res := <-done
	if res.Keys != "0" || res.Plays != 1 || res.Acknowledged {
		t.Fatalf("result %+v, want keys \"0\", one complete play, not acknowledged", res)
	}
	ph.waitEvent(t, "CALL_CLOSED", 10*time.Second)
	// Part of the first play (the 0 comes about 1 s after the answer, give or take the load), then
	// the whole 2 s message again: more than one play, less than two.
	var heard float64
	eventually(t, 5*time.Second, "phone recording", func() bool { heard = activeSeconds(ph.heard(t)); return heard > 0 })
	if heard < 2.2 || heard > 4.1 {
		t.Errorf("the phone heard %.2f s of message, want part of a 2 s play, then 2 s again", heard)
	}
}
