package voice_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/voice"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	ok := voice.Config{Proxy: "pbx.example:5060"}
	tests := []struct {
		name string
		edit func(*voice.Config)
		want []string // substrings of the error; none: valid
	}{
		{"minimal", func(*voice.Config) {}, nil},
		{"host without port", func(c *voice.Config) { c.Proxy = "192.0.2.10" }, nil},
		{"IPv6 with port, tcp", func(c *voice.Config) { c.Proxy = "[2001:db8::1]:5070"; c.Transport = "TCP" }, nil},
		{"no proxy", func(c *voice.Config) { c.Proxy = "" }, []string{"proxy"}},
		{"bad port", func(c *voice.Config) { c.Proxy = "pbx:99999" }, []string{"port must be"}},
		{"URI instead of host", func(c *voice.Config) { c.Proxy = "sip:pbx@example" }, []string{"want host"}},
		{"URI without user", func(c *voice.Config) { c.Proxy = "sip:pbx.example" }, []string{"port must be"}},
		{"tls not offered", func(c *voice.Config) { c.Transport = "tls" }, []string{"transport"}},
		{"password without user", func(c *voice.Config) { c.Password = "pw" }, []string{"without a username"}},
		{"from with a space", func(c *voice.Config) { c.From = "vigie astreinte" }, []string{"from"}},
		{"display name with quote", func(c *voice.Config) { c.DisplayName = `Vi"gie` }, []string{"display name"}},
		{"bind host name", func(c *voice.Config) { c.BindHost = "localhost" }, []string{"bind host"}},
		{"repeat 11", func(c *voice.Config) { c.Repeat = 11 }, []string{"repeat"}},
		{"negative ring", func(c *voice.Config) { c.RingTimeout = -time.Second }, []string{"ring timeout"}},
		{"every mistake at once", func(c *voice.Config) {
			c.Proxy, c.Transport, c.Repeat = "", "sctp", -1
		}, []string{"proxy", "transport", "repeat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := ok
			c.Username = ""
			tt.edit(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors about %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, want it to mention %q", err, w)
				}
			}
		})
	}
	t.Run("password never quoted", func(t *testing.T) {
		t.Parallel()
		c := voice.Config{Proxy: "pbx:1", Password: secret, Transport: "x"}
		if err := c.Validate(); err == nil || strings.Contains(err.Error(), secret) {
			t.Fatalf("Validate() = %v: want an error without the password", err)
		}
	})
}

func TestNewRefusesMissingDependencies(t *testing.T) {
	t.Parallel()
	logger := (&notifytest.LogBuffer{}).Logger()
	cfg := voice.Config{Proxy: "127.0.0.1:5060", BindHost: "127.0.0.1"}
	if _, err := voice.New(cfg, nil, logger); err == nil || !strings.Contains(err.Error(), "acknowledger") {
		t.Errorf("New without acknowledger = %v, want an error", err)
	}
	if _, err := voice.New(cfg, &acks{}, nil); err == nil || !strings.Contains(err.Error(), "logger") {
		t.Errorf("New without logger = %v, want an error", err)
	}
	if _, err := voice.New(voice.Config{}, &acks{}, logger); err == nil {
		t.Error("New with an empty config succeeded")
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	alarm := notify.Alarm{Dam: "mejean", DamName: "Barrage de Méjean", Condition: "level:alerte",
		Severity: "alerte", Level: 5.92, Fill: 87.5, TimeToSpill: 135 * time.Minute,
		At: time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC)}
	tests := []struct {
		name     string
		m        notify.Message
		contains []string
		absent   []string
	}{
		{"rendered from the alarm, French", notify.Message{Alarm: alarm},
			[]string{"Barrage de Méjean", "5,92 m", "Appuyez sur 1 pour acquitter"}, []string{"{link}"}},
		{"rendered from the alarm, English", notify.Message{Language: "en", Alarm: alarm},
			[]string{"Barrage de Méjean", "Press 1 to acknowledge"}, []string{"Appuyez"}},
		{"unknown language is French", notify.Message{Language: "de", Alarm: alarm},
			[]string{"Appuyez sur 1"}, nil},
		{"text as given, instruction kept once", notify.Message{Text: "Vigie. Méjean en alerte. Appuyez sur 1 pour acquitter."},
			[]string{"Vigie. Méjean en alerte. Appuyez sur 1 pour acquitter."}, []string{"réécouter"}},
		{"instruction appended when missing, link dropped", notify.Message{Text: "Méjean en alerte. {link}", AckURL: "https://x/ack?t=tok"},
			[]string{"Méjean en alerte. Appuyez sur 1 pour acquitter"}, []string{"{link}", "tok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := voice.Render(tt.m)
			for _, c := range tt.contains {
				if !strings.Contains(s.Message, c) {
					t.Errorf("message %q does not contain %q", s.Message, c)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(s.Message, a) {
					t.Errorf("message %q contains %q", s.Message, a)
				}
			}
			if strings.Count(strings.ToLower(s.Message), "1 pour acquitter")+strings.Count(strings.ToLower(s.Message), "press 1") != 1 {
				t.Errorf("message %q: want the instruction exactly once", s.Message)
			}
			if s.Thanks == "" || s.AckError == "" {
				t.Errorf("script %+v lacks its answers", s)
			}
		})
	}
}

func TestCachedSpeaker(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	release := make(chan struct{})
	slow := voice.SpeakerFunc(func(ctx context.Context, lang, text string) ([]byte, error) {
		calls.Add(1)
		<-release
		if text == "fail" {
			return nil, errors.New("espeak-ng: no voice")
		}
		return []byte(lang + ":" + text), nil
	})
	c, err := voice.NewCachedSpeaker(slow, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Ten concurrent callers of one text: one rendering.
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if pcm, err := c.Speak(context.Background(), "fr", "a"); err != nil || string(pcm) != "fr:a" {
				t.Errorf("Speak = %q, %v", pcm, err)
			}
		}()
	}
	eventually(t, 2*time.Second, "first rendering started", func() bool { return calls.Load() == 1 })
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d renderings for 10 concurrent callers, want 1", n)
	}
	// Languages are apart; the least recently used is evicted; failures are not cached.
	for _, k := range [][2]string{{"en", "a"}, {"fr", "b"}, {"fr", "a"}} {
		if _, err := c.Speak(context.Background(), k[0], k[1]); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("%d renderings, want 4 (fr:a, en:a, fr:b, fr:a again after eviction)", n)
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	for range 2 {
		if _, err := c.Speak(context.Background(), "fr", "fail"); err == nil {
			t.Fatal("a failed rendering returned no error")
		}
	}
	if n := calls.Load(); n != 6 {
		t.Errorf("%d renderings, want 6: a failure is tried again", n)
	}
}

func TestEspeak(t *testing.T) {
	t.Parallel()
	need(t, "espeak-ng", "sox")
	pcm, err := voice.Espeak{}.Speak(context.Background(), "fr", "-v en Barrage de Méjean, appuyez sur 1.")
	if err != nil {
		t.Fatal(err)
	}
	secs := float64(len(pcm)) / 2 / voice.SampleRate
	if len(pcm)%2 != 0 || secs < 1.5 || secs > 8 {
		t.Fatalf("%d bytes (%.2f s) of audio, want 16-bit samples for 1.5 to 8 s of speech", len(pcm), secs)
	}
	if activeSeconds(samples(pcm)) < 1 {
		t.Errorf("the speech is mostly silent")
	}
	_, err = voice.Espeak{EspeakPath: "/nonexistent/espeak-ng"}.Speak(context.Background(), "fr", "x")
	if err == nil || !errors.Is(err, exec.ErrNotFound) && !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing espeak-ng: %v, want an error naming it", err)
	}
}

// TestSpeechFailureIsPermanent: without text-to-speech the call is not placed, and retrying will
// not help.
func TestSpeechFailureIsPermanent(t *testing.T) {
	t.Parallel()
	b := notifytest.NewBlackhole(t, nil)
	broken := voice.WithSpeaker(voice.Espeak{EspeakPath: "/nonexistent/espeak-ng"})
	n := newNotifier(t, testConfig(b.Addr, "tcp"), &acks{}, nil, broken)
	_, retry, err := n.Call(context.Background(), message("0612345678"))
	if err == nil || retry {
		t.Fatalf("Call = retry %v, %v; want a permanent error", retry, err)
	}
	select {
	case <-b.Connected():
		t.Fatal("a call was placed without its audio")
	case <-time.After(200 * time.Millisecond):
	}
}

func samples(pcm []byte) []int16 {
	out := make([]int16, len(pcm)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(pcm[2*i:]))
	}
	return out
}

// wav builds a RIFF/WAVE file.
func wav(format, channels uint16, rate uint32, bits uint16, data []byte) []byte {
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(4 + 8 + 16 + 8 + len(data)))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(format)
	le(channels)
	le(rate)
	le(rate * uint32(channels) * uint32(bits) / 8)
	le(channels * bits / 8)
	le(bits)
	b.WriteString("data")
	le(uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}

func TestReadWAV(t *testing.T) {
	t.Parallel()
	data := []byte{1, 0, 2, 0, 0xff, 0x7f}
	streamed := wav(1, 1, 8000, 16, data)
	binary.LittleEndian.PutUint32(streamed[40:], 0xffffffff) // sox writing to a pipe
	tests := []struct {
		name    string
		file    []byte
		want    []byte
		wantErr string
	}{
		{"8 kHz mono 16-bit", wav(1, 1, 8000, 16, data), data, ""},
		{"streamed, unknown data size", streamed, data, ""},
		{"22 kHz (espeak-ng's own output)", wav(1, 1, 22050, 16, data), nil, "22050 Hz"},
		{"stereo", wav(1, 2, 8000, 16, data), nil, "2 channel"},
		{"8-bit", wav(1, 1, 8000, 8, data), nil, "8 bits"},
		{"not a WAV", []byte("ID3\x04 an mp3"), nil, "not a RIFF/WAVE"},
		{"cut in the fmt chunk", wav(1, 1, 8000, 16, data)[:30], nil, "cut"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := voice.ReadWAV(bytes.NewReader(tt.file))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadWAV = %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("ReadWAV = %x, %v; want %x", got, err, tt.want)
			}
		})
	}
}

func TestPrerendered(t *testing.T) {
	t.Parallel()
	p := voice.Prerendered{Audio: map[string][]byte{voice.PrerenderedKey("fr", "Bonjour"): {1, 2}}}
	if pcm, err := p.Speak(context.Background(), "fr", "Bonjour"); err != nil || !bytes.Equal(pcm, []byte{1, 2}) {
		t.Fatalf("Speak(recorded) = %v, %v", pcm, err)
	}
	if _, err := p.Speak(context.Background(), "en", "Bonjour"); err == nil {
		t.Fatal("Speak(unknown) without fallback succeeded")
	}
	p.Fallback = tone(time.Second)
	if pcm, err := p.Speak(context.Background(), "en", "Hello"); err != nil || len(pcm) != 2*voice.SampleRate {
		t.Fatalf("Speak(unknown) with fallback = %d bytes, %v", len(pcm), err)
	}
}

// FuzzReadWAV: a pre-rendered file comes from outside; reading it never panics, and what it returns
// is whole 16-bit samples.
func FuzzReadWAV(f *testing.F) {
	f.Add(wav(1, 1, 8000, 16, []byte{1, 0, 2, 0}))
	f.Add(wav(1, 1, 8000, 16, []byte{1, 0, 2})[:40])
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pcm, err := voice.ReadWAV(bytes.NewReader(data))
		if err == nil && len(pcm)%2 != 0 {
			t.Fatalf("odd number of bytes: %d", len(pcm))
		}
	})
}
