package voice_test

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emiago/diago"
	"github.com/emiago/diago/audio"
	"github.com/emiago/diago/media"
	"github.com/emiago/sipgo"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/voice"
)

// The conformance suite compares the text a peer received with the message's text; a phone
// receives sound. The working peer here is a second diago endpoint (which the issue allows beside
// baresip) that answers every number, says "allô" (a short tone), and keeps the G.711 bytes it
// hears per call. The text it "received" is recognised by exact template matching: every text
// the notifier spoke is known (spySpeaker), and a call heard a text when its audio contains that
// text's rendering, G.711-encoded, byte for byte. That proves the phone heard the whole message —
// nothing weaker passes. Refusing (404) and busy (486) peers are SIPp, down is a closed port, stalled
// is notifytest's Blackhole; all over TCP.

// spySpeaker speaks with espeak-ng (fast, so that calls stay short) and remembers what it said.
type spySpeaker struct {
	speaker voice.Speaker
	mu      sync.Mutex
	said    map[string][]byte // text -> PCM
}

func (s *spySpeaker) Speak(ctx context.Context, lang, text string) ([]byte, error) {
	pcm, err := s.speaker.Speak(ctx, lang, text)
	if err == nil {
		s.mu.Lock()
		s.said[text] = pcm
		s.mu.Unlock()
	}
	return pcm, err
}

// recognise returns the text whose rendering the heard G.711 μ-law audio contains whole.
func (s *spySpeaker) recognise(heard []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	best := ""
	for text, pcm := range s.said {
		if len(text) > len(best) && bytes.Contains(heard, ulaw(pcm)) {
			best = text
		}
	}
	return best
}

// ulaw encodes PCM as the notifier sends it: 20 ms frames, the last one padded with silence.
func ulaw(pcm []byte) []byte {
	const frame = 320
	padded := append(append([]byte(nil), pcm...), make([]byte, (frame-len(pcm)%frame)%frame)...)
	out := make([]byte, len(padded)/2)
	_, _ = audio.EncodeUlawTo(out, padded)
	return out
}

// heardCall is one call as the diago phone took it.
type heardCall struct {
	to, id string
	ulaw   []byte
	done   bool
}

// diagoPhone answers every call on 127.0.0.1 over TCP.
type diagoPhone struct {
	addr  string
	mu    sync.Mutex
	calls []*heardCall
}

func startDiagoPhone(t *testing.T) *diagoPhone {
	t.Helper()
	port := freePort(t)
	ua, err := sipgo.NewUA(sipgo.WithUserAgent("phone"))
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	dg := diago.NewDiago(ua, diago.WithLogger(quiet),
		diago.WithTransport(diago.Transport{Transport: "tcp", BindHost: "127.0.0.1", BindPort: port}))
	p := &diagoPhone{addr: "127.0.0.1:" + strconv.Itoa(port)}
	ctx, cancel := context.WithCancel(context.Background())
	var handlers sync.WaitGroup
	t.Cleanup(func() {
		cancel()
		handlers.Wait()
		_ = ua.Close()
	})
	err = dg.ServeBackground(ctx, func(d *diago.DialogServerSession) {
		handlers.Add(1)
		defer handlers.Done()
		c := &heardCall{to: d.ToUser()}
		if h := d.InviteRequest.GetHeader("X-Vigie-Notification-Id"); h != nil {
			c.id = h.Value()
		}
		p.mu.Lock()
		p.calls = append(p.calls, c)
		p.mu.Unlock()
		med, err := d.Answer(diago.AnswerOptions{})
		if err != nil {
			return
		}
		go hello(med)
		r, err := med.AudioReader()
		if err != nil {
			return
		}
		buf := make([]byte, media.RTPBufSize)
		for {
			n, err := r.Read(buf)
			if err != nil {
				break
			}
			if med.RTPPacketReader.PacketHeader.PayloadType == 0 {
				p.mu.Lock()
				c.ulaw = append(c.ulaw, buf[:n]...)
				p.mu.Unlock()
			}
		}
		p.mu.Lock()
		c.done = true
		p.mu.Unlock()
	})
	if err != nil {
		t.Fatalf("diago phone: %v", err)
	}
	return p
}

// hello says "allô" (half a second of tone), so the notifier knows someone is there.
func hello(med *diago.DialogMedia) {
	w, err := med.AudioWriter()
	if err != nil {
		return
	}
	pcm := make([]byte, 320)
	out := make([]byte, 160)
	for f := 0; f < 25; f++ {
		for i := 0; i < 160; i++ {
			s := int16(6000 * math.Sin(2*math.Pi*300*float64(f*160+i)/voice.SampleRate))
			pcm[2*i], pcm[2*i+1] = byte(s), byte(uint16(s)>>8)
		}
		_, _ = audio.EncodeUlawTo(out, pcm)
		if _, err := w.Write(out); err != nil {
			return
		}
	}
}

// received is what the phone heard, finished calls only, as deliveries.
func (p *diagoPhone) received(spy *spySpeaker) []notifytest.Delivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []notifytest.Delivery
	for _, c := range p.calls {
		if c.done {
			out = append(out, notifytest.Delivery{To: c.to, ID: c.id, Text: spy.recognise(c.ulaw)})
		}
	}
	return out
}

func TestConformance(t *testing.T) {
	t.Parallel()
	need(t, "espeak-ng", "sox", "sipp")
	start := func(t *testing.T, s notifytest.State, logger *slog.Logger) notifytest.Peer {
		spy := &spySpeaker{speaker: voice.Espeak{Speed: 320}, said: map[string][]byte{}}
		var (
			addr string
			peer notifytest.Peer
		)
		switch s {
		case notifytest.Working:
			ph := startDiagoPhone(t)
			addr = ph.addr
			peer.Received = func(*testing.T) []notifytest.Delivery { return ph.received(spy) }
		case notifytest.Refusing:
			addr = startCalleeN(t, 100, "reject", "tcp", "code", "404", "reason", "Not Found").Addr
		case notifytest.Busy:
			addr = startCalleeN(t, 100, "reject", "tcp", "code", "486", "reason", "Busy Here").Addr
		case notifytest.Down:
			addr = notifytest.ClosedAddr(t)
		case notifytest.Stalled:
			b := notifytest.NewBlackhole(t, nil)
			addr, peer.Connected = b.Addr, b.Connected()
		}
		cfg := testConfig(addr, "tcp")
		cfg.Repeat, cfg.KeyWait = 1, 200*time.Millisecond
		n, err := voice.New(cfg, &acks{}, logger, voice.WithSpeaker(spy))
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		t.Cleanup(func() { _ = n.Close() })
		peer.Notifier = n
		return peer
	}
	notifytest.Run(t, notifytest.Harness{
		Channel:   notify.ChannelVoice,
		Start:     start,
		Recipient: func(n int) string { return "+3361" + strconv.Itoa(1000000+n%9000000) },
		Secrets:   []string{secret},
	})
}
