package modem

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	rsms "github.com/rehiy/modem/sms"
	"github.com/rehiy/modem/sms/gsm7/charset"
	"github.com/rehiy/modem/sms/pdumode"
	"github.com/rehiy/modem/sms/tpdu"
)

// The channel speaks PDU mode (AT+CMGF=0) rather than text mode: text mode leaves the character
// set to AT+CSCS, which modems implement differently (and GSM vs UCS2 hex both for the text and
// the number), and it cannot send a message longer than one SMS. In PDU mode the channel encodes
// each SMS itself (github.com/rehiy/modem/sms, a fork of warthog618/sms): GSM-7 when the text
// fits the GSM alphabet (é, è, à, ù, É, Ç do), UCS-2 otherwise (ê, ç, œ…), split into concatenated
// parts with a reference number the phone uses to reassemble them; replies are decoded the same
// way whatever alphabet the operator's phone chose. AT+CSCS and AT+CSMP do not apply in PDU mode:
// the alphabet and the validity period are fields of the PDU.

// warmCodec builds, once, every character table of the PDU codec. The codec builds them lazily
// on first use without synchronisation (a data race between two messages encoded or decoded at
// the same time, found by the race detector); built up front, they are only ever read.
var warmCodec = sync.OnceFunc(func() {
	defer func() { _ = recover() }() // a table the codec cannot build is its problem, not a crash
	_ = charset.DefaultDecoder()
	_ = charset.DefaultEncoder()
	_ = charset.DefaultExtEncoder()
	for nli := charset.Default; nli <= charset.Urdu; nli++ {
		_ = charset.NewDecoder(nli)
		_ = charset.NewExtDecoder(nli)
		_ = charset.NewEncoder(nli)
		_ = charset.NewExtEncoder(nli)
	}
})

// segment is one SMS-SUBMIT ready for AT+CMGS.
type segment struct {
	hex    string // service centre address + TPDU, hex
	length int    // TPDU octets: the argument of AT+CMGS
}

// encoder builds SMS-SUBMIT PDUs; its concatenation reference counter lives as long as the
// channel, so that two long messages in a row do not share a reference.
type encoder struct {
	mu   sync.Mutex
	enc  *rsms.Encoder
	smsc string
}

func newEncoder(smsc string) *encoder {
	warmCodec()
	return &encoder{enc: rsms.NewEncoder(rsms.AsSubmit), smsc: strings.TrimPrefix(smsc, "+")}
}

// encode returns the parts of text to the E.164 number to.
func (e *encoder) encode(to, text string) (segs []segment, err error) {
	defer func() {
		if r := recover(); r != nil {
			segs, err = nil, fmt.Errorf("encode sms: %v", r)
		}
	}()
	e.mu.Lock()
	tpdus, err := e.enc.Encode([]byte(text), rsms.To(to))
	e.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("encode sms: %w", err)
	}
	smsc := pdumode.SmscAddress{}
	if e.smsc != "" {
		smsc.Address = tpdu.NewAddress(tpdu.FromNumber(e.smsc))
	}
	for i := range tpdus {
		b, err := tpdus[i].MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("encode sms part %d: %w", i+1, err)
		}
		p := pdumode.PDU{SMSC: smsc, TPDU: b}
		h, err := p.MarshalHexString()
		if err != nil {
			return nil, fmt.Errorf("encode sms part %d: %w", i+1, err)
		}
		segs = append(segs, segment{hex: strings.ToUpper(h), length: len(b)})
	}
	return segs, nil
}

// Incoming is one received SMS-DELIVER PDU, decoded.
type Incoming struct {
	From string    // E.164 ("+33612345678") for international numbers, else as given
	Text string    // this part's text
	At   time.Time // the service centre's time stamp; zero if absent or invalid
	// Parts, Part and Ref describe a concatenated message (Parts > 1).
	Parts, Part, Ref int
}

// errNotDeliver: the PDU is valid but not an SMS-DELIVER (a status report, a stored submit).
var errNotDeliver = errors.New("not an SMS-DELIVER")

// DecodeDeliver decodes the PDU line of +CMGR/+CMGL/+CMT (service centre address + TPDU, hex).
// It never panics, whatever the modem sent.
func DecodeDeliver(hexPDU string) (in Incoming, err error) {
	warmCodec()
	defer func() {
		if r := recover(); r != nil {
			in, err = Incoming{}, fmt.Errorf("decode pdu: %v", r)
		}
	}()
	raw, err := hex.DecodeString(strings.TrimSpace(hexPDU))
	if err != nil {
		return Incoming{}, fmt.Errorf("decode pdu: %w", err)
	}
	p, err := pdumode.UnmarshalBinary(raw)
	if err != nil {
		return Incoming{}, fmt.Errorf("decode pdu: service centre address: %w", err)
	}
	t, err := rsms.Unmarshal(p.TPDU, rsms.AsMT)
	if err != nil {
		return Incoming{}, fmt.Errorf("decode pdu: %w", err)
	}
	if t.SmsType() != tpdu.SmsDeliver {
		return Incoming{}, fmt.Errorf("decode pdu: %v: %w", t.SmsType(), errNotDeliver)
	}
	text, err := rsms.Decode([]*tpdu.TPDU{t})
	if err != nil {
		return Incoming{}, fmt.Errorf("decode pdu: user data: %w", err)
	}
	in = Incoming{From: t.OA.Number(), Text: string(text), Parts: 1, Part: 1}
	if !t.SCTS.IsZero() && t.SCTS.Year() >= 2000 {
		in.At = t.SCTS.Time
	}
	if parts, part, ref, ok := t.ConcatInfo(); ok && parts > 1 {
		if part < 1 || part > parts {
			return Incoming{}, fmt.Errorf("decode pdu: part %d of %d", part, parts)
		}
		in.Parts, in.Part, in.Ref = parts, part, ref
	}
	return in, nil
}
