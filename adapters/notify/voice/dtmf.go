package voice

import (
	"errors"
	"fmt"
)

// Event is one RFC 4733 §2.3 telephone-event payload: 4 bytes per event (redundant events of the
// same packet, RFC 4733 §2.5.1.5, follow in further 4-byte blocks and are ignored here).
type Event struct {
	// Code is the event: 0-9, 10 '*', 11 '#', 12-15 'A'-'D' (RFC 4733 §3.2); others are not DTMF.
	Code uint8
	// End is the E bit: the last packets of an event (sent three times) carry it.
	End bool
	// Volume is the power level in -dBm0 (0 to 63).
	Volume uint8
	// Duration is in timestamp units since the event's start (its RTP timestamp). A sender may
	// start an event with duration 0 (RFC 4733 §2.5.1.2 allows it, SIPp's recordings and some
	// phones do it).
	Duration uint16
}

// ErrShortEvent: a telephone-event payload shorter than 4 bytes.
var ErrShortEvent = errors.New("telephone-event payload shorter than 4 bytes")

// ParseEvent reads the first event of an RFC 4733 payload.
func ParseEvent(payload []byte) (Event, error) {
	if len(payload) < 4 {
		return Event{}, fmt.Errorf("parse telephone-event %x: %w", payload, ErrShortEvent)
	}
	return Event{
		Code:     payload[0],
		End:      payload[1]&0x80 != 0,
		Volume:   payload[1] & 0x3f,
		Duration: uint16(payload[2])<<8 | uint16(payload[3]),
	}, nil
}

// Key is the DTMF key of an event code, or 0 when the code is not a DTMF key.
func Key(code uint8) rune {
	const keys = "0123456789*#ABCD"
	if int(code) < len(keys) {
		return rune(keys[code])
	}
	return 0
}

// KeyDetector turns the telephone-event packets of one RTP stream into key presses.
//
// Why not diago's reader: media.RTPDtmfReader remembers the first packet of an event (the one with
// the marker bit) and, at the end packet, reports the key only if that first packet's duration was
// not 0. A key press whose first packet has duration 0 — legal, and what SIPp's recordings and
// some phones send — is never reported: the operator presses 1 and nothing happens.
//
// This detector follows RFC 4733 §2.5.1 instead: every packet of an event carries the event's
// start as its RTP timestamp, so a new timestamp is a new key press, whatever the duration, the
// marker bit (it may be lost) or the end bit (the three end packets may all be lost). A key is
// reported once, at the first packet seen of its event: the operator is answered as soon as they
// press, and a long press or the retransmitted end packets never count twice.
type KeyDetector struct {
	// recent holds the timestamps of the last events seen, so that a late or reordered packet of
	// an event already reported does not report it again.
	recent [4]uint32
	n      int // events seen, for recent's ring
}

// Feed takes one telephone-event packet: its RTP timestamp and payload. It returns the key
// when the packet starts a key press not seen before.
func (d *KeyDetector) Feed(timestamp uint32, payload []byte) (rune, bool) {
	ev, err := ParseEvent(payload)
	if err != nil {
		return 0, false
	}
	key := Key(ev.Code)
	if key == 0 {
		return 0, false
	}
	for i := 0; i < min(d.n, len(d.recent)); i++ {
		if d.recent[i] == timestamp {
			return 0, false
		}
	}
	d.recent[d.n%len(d.recent)] = timestamp
	d.n++
	return key, true
}
