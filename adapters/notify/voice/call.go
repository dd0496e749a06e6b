package voice

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/emiago/diago"
	"github.com/emiago/diago/audio"
	"github.com/emiago/diago/media"

	"github.com/vigie/vigie/domain/cascade"
)

// conversation plays the message and listens for keys.
type conversation struct {
	ctx     context.Context
	keys    <-chan rune
	hungUp  <-chan struct{}
	player  *player
	plays   int
	pressed string
}

// over reports whether the call is over (hung up, cancelled, too long).
func (c *conversation) over() bool {
	select {
	case <-c.hungUp:
		return true
	case <-c.ctx.Done():
		return true
	default:
		return false
	}
}

// converse speaks the message up to cfg.Repeat times, then waits cfg.KeyWait for a key. A 1
// ends it (KeyAcknowledge); a 0 or * plays the message again at once; other keys are noted and
// ignored. It returns KeyAcknowledge, or "" when the call ended otherwise.
func (c *conversation) converse(message []byte, cfg Config) cascade.Key {
	for repeats := 0; ; repeats++ {
		if c.over() {
			return ""
		}
		key, complete := c.play(message, true)
		if complete {
			c.plays++
		}
		if key == cascade.KeyAcknowledge {
			return key
		}
		if key == cascade.KeyRepeat && repeats < 2*cfg.Repeat {
			continue
		}
		wait := cfg.Pause
		if c.plays >= cfg.Repeat {
			wait = cfg.KeyWait
		}
		key = c.waitKey(wait)
		switch {
		case key == cascade.KeyAcknowledge:
			return key
		case key == cascade.KeyRepeat && repeats < 2*cfg.Repeat:
			continue
		case c.plays >= cfg.Repeat:
			return ""
		}
	}
}

// note records a key and says what it means.
func (c *conversation) note(k rune) cascade.Key {
	c.pressed += string(k)
	return cascade.InterpretDTMF(string(k))
}

// play sends pcm; when interruptible, a 1, 0 or * stops it and is returned. complete is true
// when all of pcm was sent.
func (c *conversation) play(pcm []byte, interruptible bool) (cascade.Key, bool) {
	for off := 0; off < len(pcm); off += frameBytes {
		if c.over() {
			return "", false
		}
		select {
		case k := <-c.keys:
			if key := c.note(k); interruptible && key != cascade.KeyUnknown {
				return key, false
			}
		default:
		}
		if err := c.player.frame(pcm[off:min(off+frameBytes, len(pcm))]); err != nil {
			return "", false
		}
	}
	return "", true
}

// waitKey waits up to d for a meaningful key, sending silence meanwhile (some PBXs and phones
// drop a call whose RTP stops).
func (c *conversation) waitKey(d time.Duration) cascade.Key {
	silence := make([]byte, frameBytes)
	for frames := int(d / frameDur); frames > 0; frames-- {
		if c.over() {
			return ""
		}
		select {
		case k := <-c.keys:
			if key := c.note(k); key != cascade.KeyUnknown {
				return key
			}
		default:
		}
		if err := c.player.frame(silence); err != nil {
			return ""
		}
	}
	return ""
}

const (
	frameDur   = 20 * time.Millisecond
	frameBytes = SampleRate * 2 / 50 // 20 ms of 16-bit samples
)

// player encodes 20 ms frames of PCM with the negotiated G.711 law; the RTP writer paces them.
type player struct {
	w      io.Writer
	encode func(dst, pcm []byte) (int, error)
	buf    []byte
	pcm    []byte
}

func newPlayer(med *diago.DialogMedia) (*player, error) {
	codec := media.CodecAudioFromSession(med.MediaSession())
	p := &player{buf: make([]byte, frameBytes/2), pcm: make([]byte, frameBytes)}
	switch codec.PayloadType {
	case 0:
		p.encode = audio.EncodeUlawTo
	case 8:
		p.encode = audio.EncodeAlawTo
	default:
		return nil, fmt.Errorf("negotiated codec %s (%d) is not G.711", codec.Name, codec.PayloadType)
	}
	w, err := med.AudioWriter()
	if err != nil {
		return nil, err
	}
	p.w = w
	return p, nil
}

func (p *player) frame(pcm []byte) error {
	n := copy(p.pcm, pcm)
	clear(p.pcm[n:]) // the last frame is padded with silence
	if _, err := p.encode(p.buf, p.pcm); err != nil {
		return err
	}
	_, err := p.w.Write(p.buf)
	return err
}

// listener reads the callee's RTP: telephone-events become keys (through our KeyDetector, not
// diago's reader, see KeyDetector), audio is only measured, to tell a silent line.
type listener struct {
	keys  chan rune
	heard atomic.Bool
	done  chan struct{}
}

// silenceLevel: a frame whose peak stays under it (-50 dBFS) is silence.
const silenceLevel = 100

func listen(med *diago.DialogMedia) (*listener, error) {
	r, err := med.AudioReader()
	if err != nil {
		return nil, err
	}
	var eventPT int = -1
	for _, c := range med.MediaSession().CommonCodecs() {
		if c.Matches(media.CodecTelephoneEvent8000) {
			eventPT = int(c.PayloadTypeRecv())
		}
	}
	audioPT := media.CodecAudioFromSession(med.MediaSession()).PayloadTypeRecv()
	decode := audio.DecodeUlawTo
	if audioPT == 8 {
		decode = audio.DecodeAlawTo
	}
	l := &listener{keys: make(chan rune, 32), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		var det KeyDetector
		buf := make([]byte, media.RTPBufSize)
		pcm := make([]byte, 2*media.RTPBufSize)
		for {
			n, err := r.Read(buf)
			if err != nil {
				return
			}
			hdr := med.RTPPacketReader.PacketHeader
			switch int(hdr.PayloadType) {
			case eventPT:
				if k, ok := det.Feed(hdr.Timestamp, buf[:n]); ok {
					select {
					case l.keys <- k:
					default: // 32 keys unread: the callee is mashing the keypad
					}
				}
			case int(audioPT):
				if l.heard.Load() {
					continue
				}
				m, _ := decode(pcm, buf[:n])
				for i := 0; i+1 < m; i += 2 {
					s := int16(uint16(pcm[i]) | uint16(pcm[i+1])<<8)
					if s > silenceLevel || s < -silenceLevel {
						l.heard.Store(true)
						break
					}
				}
			}
		}
	}()
	return l, nil
}

// wait waits for the reader to stop (the media closes on hang-up), at most 2 s.
func (l *listener) wait() {
	select {
	case <-l.done:
	case <-time.After(2 * time.Second):
	}
}
