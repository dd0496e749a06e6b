package voice

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
)

// SampleRate of the audio a Speaker returns and the call carries (G.711).
const SampleRate = 8000

// Speaker turns text into speech: 8 kHz mono signed 16-bit little-endian PCM, the format the call
// encodes to G.711 20 ms at a time.
type Speaker interface {
	Speak(ctx context.Context, language, text string) ([]byte, error)
}

// SpeakerFunc adapts a function to Speaker.
type SpeakerFunc func(ctx context.Context, language, text string) ([]byte, error)

// Speak calls f.
func (f SpeakerFunc) Speak(ctx context.Context, language, text string) ([]byte, error) {
	return f(ctx, language, text)
}

// Espeak speaks with espeak-ng, converted by sox to 8 kHz mono 16-bit: espeak-ng writes 22 kHz,
// and telephone audio is 8 kHz (sox's resampler low-passes it properly, unlike decimating).
type Espeak struct {
	// Voices maps a message language to an espeak-ng voice; default {"fr": "fr", "en": "en"}, and
	// "fr" for any other language.
	Voices map[string]string
	// Speed in words per minute (espeak-ng -s); default 150: slower than espeak's 175, a phone line
	// at 3 a.m. is no place to hurry.
	Speed int
	// EspeakPath and SoxPath default to "espeak-ng" and "sox" on $PATH.
	EspeakPath, SoxPath string
}

func (e Espeak) voice(language string) string {
	voices := e.Voices
	if voices == nil {
		voices = map[string]string{"fr": "fr", "en": "en"}
	}
	if v, ok := voices[language]; ok {
		return v
	}
	if v, ok := voices["fr"]; ok {
		return v
	}
	return "fr"
}

// Speak runs `espeak-ng -v VOICE --stdout` with the text on its standard input (never on the
// command line: a text starting with '-' would be an option), then sox to 8 kHz mono s16le raw.
func (e Espeak) Speak(ctx context.Context, language, text string) ([]byte, error) {
	espeak, sox := e.EspeakPath, e.SoxPath
	if espeak == "" {
		espeak = "espeak-ng"
	}
	if sox == "" {
		sox = "sox"
	}
	speed := e.Speed
	if speed == 0 {
		speed = 150
	}
	voice := e.voice(language)
	var wav, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, espeak, "-v", voice, "-s", fmt.Sprint(speed), "--stdout")
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout, cmd.Stderr = &wav, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("text to speech: %s -v %s: %w (%s)", espeak, voice, err, strings.TrimSpace(stderr.String()))
	}
	pcm, err := convert(ctx, sox, wav.Bytes())
	if err != nil {
		return nil, fmt.Errorf("text to speech: %w", err)
	}
	if len(pcm) == 0 {
		return nil, fmt.Errorf("text to speech: %s -v %s produced no audio for %d characters", espeak, voice, len(text))
	}
	return pcm, nil
}

// convert runs sox to turn any audio file sox reads into 8 kHz mono s16le raw PCM.
func convert(ctx context.Context, sox string, in []byte) ([]byte, error) {
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, sox, "-q", "-", "-t", "raw", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("convert to 8 kHz mono 16-bit with %s: %w (%s)", sox, err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}

// CachedSpeaker remembers the audio of the last Size texts it spoke (per language): a cascade
// calls several operators with the same message, and a repetition of the last step speaks the
// same words again. espeak-ng and sox take 30-50 ms per message on the reference machine
// (BenchmarkEspeak); a cached one costs microseconds and never forks a process.
type CachedSpeaker struct {
	speaker Speaker
	size    int

	mu      sync.Mutex
	entries map[[32]byte]*list.Element
	order   *list.List // front: most recently used
	// flights de-duplicates concurrent renderings of one text.
	flights map[[32]byte]*flight
}

type cacheEntry struct {
	key [32]byte
	pcm []byte
}

type flight struct {
	done chan struct{}
	pcm  []byte
	err  error
}

// NewCachedSpeaker caches s's audio for the last size texts (size ≥ 1; 64 if 0).
func NewCachedSpeaker(s Speaker, size int) (*CachedSpeaker, error) {
	if s == nil {
		return nil, errors.New("cached speaker: nil speaker")
	}
	if size < 0 {
		return nil, fmt.Errorf("cached speaker: size %d is negative", size)
	}
	if size == 0 {
		size = 64
	}
	return &CachedSpeaker{speaker: s, size: size, entries: map[[32]byte]*list.Element{},
		order: list.New(), flights: map[[32]byte]*flight{}}, nil
}

func cacheKey(language, text string) [32]byte {
	return sha256.Sum256([]byte(language + "\x00" + text))
}

// Speak returns the cached audio of text, or speaks it once however many callers ask at once.
// The returned slice is shared: callers must not modify it.
func (c *CachedSpeaker) Speak(ctx context.Context, language, text string) ([]byte, error) {
	key := cacheKey(language, text)
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*cacheEntry).pcm, nil
	}
	f, ok := c.flights[key]
	if !ok {
		f = &flight{done: make(chan struct{})}
		c.flights[key] = f
		c.mu.Unlock()
		// The rendering is shared: one caller's ctx must not cancel it for the others.
		f.pcm, f.err = c.speaker.Speak(context.WithoutCancel(ctx), language, text)
		c.mu.Lock()
		delete(c.flights, key)
		if f.err == nil {
			c.entries[key] = c.order.PushFront(&cacheEntry{key: key, pcm: f.pcm})
			for c.order.Len() > c.size {
				last := c.order.Back()
				c.order.Remove(last)
				delete(c.entries, last.Value.(*cacheEntry).key)
			}
		}
		close(f.done)
		c.mu.Unlock()
		return f.pcm, f.err
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.pcm, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Len is the number of texts cached.
func (c *CachedSpeaker) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Prerendered is a Speaker for audio recorded or rendered beforehand (a voice actor's "Vigie,
// alarme" prompts, a cloud TTS run offline): texts it does not know go to Fallback, or fail.
type Prerendered struct {
	// Audio maps language + "\x00" + text (see PrerenderedKey) to 8 kHz mono s16le PCM.
	Audio    map[string][]byte
	Fallback Speaker
}

// PrerenderedKey is the key of Prerendered.Audio for a text in a language.
func PrerenderedKey(language, text string) string { return language + "\x00" + text }

// Speak returns the recorded audio of text, or the fallback's.
func (p Prerendered) Speak(ctx context.Context, language, text string) ([]byte, error) {
	if pcm, ok := p.Audio[PrerenderedKey(language, text)]; ok {
		return pcm, nil
	}
	if p.Fallback != nil {
		return p.Fallback.Speak(ctx, language, text)
	}
	return nil, fmt.Errorf("no recorded audio for a %d-character %q text", len(text), language)
}

// ReadWAV reads a RIFF/WAVE file of 8 kHz mono 16-bit PCM (what `sox in -r 8000 -c 1 -b 16 out.wav`
// writes) and returns its samples, for Prerendered. Any other format is refused, naming it.
func ReadWAV(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read wav: %w", err)
	}
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return nil, errors.New("read wav: not a RIFF/WAVE file")
	}
	var fmtSeen bool
	for off := 12; off+8 <= len(data); {
		id := string(data[off : off+4])
		size := int(binary.LittleEndian.Uint32(data[off+4 : off+8]))
		body := data[off+8:]
		if size > len(body) {
			if id != "data" {
				return nil, fmt.Errorf("read wav: chunk %q of %d bytes is cut at %d", id, size, len(body))
			}
			size = len(body) // streamed WAVs (sox to a pipe) have a placeholder data size
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return nil, fmt.Errorf("read wav: fmt chunk of %d bytes", size)
			}
			format := binary.LittleEndian.Uint16(body[0:2])
			channels := binary.LittleEndian.Uint16(body[2:4])
			rate := binary.LittleEndian.Uint32(body[4:8])
			bits := binary.LittleEndian.Uint16(body[14:16])
			if format != 1 || channels != 1 || rate != SampleRate || bits != 16 {
				return nil, fmt.Errorf("read wav: format %d, %d channel(s), %d Hz, %d bits; want PCM (1), mono, 8000 Hz, 16 bits", format, channels, rate, bits)
			}
			fmtSeen = true
		case "data":
			if !fmtSeen {
				return nil, errors.New("read wav: data chunk before the fmt chunk")
			}
			return append([]byte(nil), body[:size&^1]...), nil
		}
		off += 8 + size + size&1
	}
	return nil, errors.New("read wav: no data chunk")
}
