package gauge

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/sensor"
)

// sensor.readings_recorded is most of the log: every accepted reading is in one. Encoding/json
// spends ~2 µs of reflection on each (a rebuild's decoding, an ingestion's encoding), more than
// the rest of their handling; the methods below do the same work directly, in a quarter of the
// instructions (docs/performance.md).
//
// The contract is exactness, not a new format: MarshalJSON writes the bytes encoding/json writes
// for the plain struct (the golden file pins them), and UnmarshalJSON gives the value, or the
// error, json.Unmarshal gives. The fast paths cover what this codebase writes (the known keys, once
// each, in any order and spacing; strings without escapes); anything else (escapes, other
// spellings of the keys, unknown or repeated keys, nulls, malformed input) takes encoding/json's
// reflective path on the plain struct. FuzzReadingsRecordedDecodesAsEncodingJSON and
// FuzzReadingsRecordedEncodesAsEncodingJSON check both directions against encoding/json. Because
// each method is exact on its own, the codec calls them directly, without json.Marshal's output
// validation or json.Unmarshal's input scan.

// plainRecorded is ReadingsRecorded without its methods: what encoding/json does by reflection.
type plainRecorded ReadingsRecorded

// MarshalJSON writes exactly what encoding/json writes for the struct.
func (e ReadingsRecorded) MarshalJSON() ([]byte, error) {
	b, ok := e.appendJSON(make([]byte, 0, 48+len(e.Sensor)+len(e.Dam)+len(e.Readings)*56))
	if !ok {
		return json.Marshal(plainRecorded(e))
	}
	return b, nil
}

// appendJSON appends the event's JSON; ok is false for what it leaves to encoding/json (strings
// that need escaping, values JSON cannot hold, times outside years 0–9999).
func (e ReadingsRecorded) appendJSON(b []byte) ([]byte, bool) {
	ok := true
	b = append(b, `{"sensor":`...)
	b, ok = appendString(b, string(e.Sensor), ok)
	b = append(b, `,"dam":`...)
	b, ok = appendString(b, string(e.Dam), ok)
	if e.Readings == nil {
		return append(b, `,"readings":null}`...), ok
	}
	b = append(b, `,"readings":[`...)
	for i := range e.Readings {
		s := &e.Readings[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"t":"`...)
		var err error
		if b, err = s.T.AppendText(b); err != nil {
			return b, false
		}
		b = append(b, `","v":`...)
		b, ok = appendFloat(b, s.V, ok)
		b = append(b, `,"q":`...)
		b, ok = appendString(b, string(s.Q), ok)
		if s.Why != "" {
			b = append(b, `,"why":`...)
			b, ok = appendString(b, s.Why, ok)
		}
		if s.Late {
			b = append(b, `,"late":true`...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), ok
}

// appendString appends s quoted when it needs no escaping by encoding/json's rules (which also
// escape <, > and &, and check UTF-8); otherwise it reports !ok.
func appendString(b []byte, s string, ok bool) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			return b, false
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), ok
}

// appendFloat formats like encoding/json's float64 encoder (ES6 number formatting).
func appendFloat(b []byte, f float64, ok bool) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, ok
}

// UnmarshalJSON sets e as json.Unmarshal would set the plain struct.
func (e *ReadingsRecorded) UnmarshalJSON(data []byte) error {
	// The fast path builds a fresh value: decoding into one that holds something keeps parts of
	// it, in ways only the reflective path reproduces.
	if e.Sensor == "" && e.Dam == "" && e.Readings == nil {
		if v, ok := decodeRecorded(data); ok {
			*e = v
			return nil
		}
	}
	return json.Unmarshal(data, (*plainRecorded)(e))
}

// decoder is a strict reader of the JSON this codebase writes. Every method reports !ok for
// anything it does not handle, valid or not, and the caller falls back to encoding/json.
type decoder struct {
	data []byte
	// str is data as a string, made once: the decoded strings are substrings of it, so an event
	// costs one string allocation however many readings it holds.
	str string
	i   int
}

func decodeRecorded(data []byte) (ReadingsRecorded, bool) {
	d := decoder{data: data, str: string(data)}
	var e ReadingsRecorded
	if !d.open('{') {
		return e, false
	}
	var seen [3]bool
	for first := true; ; first = false {
		if d.open('}') {
			break
		}
		if !first && !d.open(',') {
			return e, false
		}
		key, ok := d.key()
		if !ok {
			return e, false
		}
		switch key {
		case "sensor":
			s, ok := d.stringValue(&seen[0])
			if !ok {
				return e, false
			}
			e.Sensor = sensor.ID(s)
		case "dam":
			s, ok := d.stringValue(&seen[1])
			if !ok {
				return e, false
			}
			e.Dam = dam.ID(s)
		case "readings":
			if seen[2] || !d.open('[') {
				return e, false
			}
			seen[2] = true
			if !d.readings(&e) {
				return e, false
			}
		default:
			return e, false
		}
	}
	d.space()
	return e, d.i == len(d.data)
}

func (d *decoder) readings(e *ReadingsRecorded) bool {
	// Size the slice from a cheap count of objects in the rest of the input: usually exact.
	e.Readings = make([]Sample, 0, bytes.Count(d.data[d.i:], []byte{'{'}))
	if d.open(']') {
		return true
	}
	for {
		var s Sample
		if !d.sample(&s) {
			return false
		}
		e.Readings = append(e.Readings, s)
		if d.open(']') {
			return true
		}
		if !d.open(',') {
			return false
		}
	}
}

func (d *decoder) sample(s *Sample) bool {
	if !d.open('{') {
		return false
	}
	var seen [5]bool
	for first := true; ; first = false {
		if d.open('}') {
			return true
		}
		if !first && !d.open(',') {
			return false
		}
		key, ok := d.key()
		if !ok {
			return false
		}
		switch key {
		case "t":
			if seen[0] {
				return false
			}
			seen[0] = true
			start := d.i
			if _, ok := d.stringValue(nil); !ok {
				return false
			}
			// Exactly what encoding/json calls: time.Time's own method, given the quoted literal.
			if err := s.T.UnmarshalJSON(d.data[start:d.i]); err != nil {
				return false
			}
		case "v":
			if seen[1] {
				return false
			}
			seen[1] = true
			v, ok := d.number()
			if !ok {
				return false
			}
			s.V = v
		case "q":
			q, ok := d.stringValue(&seen[2])
			if !ok {
				return false
			}
			s.Q = sensor.Quality(q)
		case "why":
			why, ok := d.stringValue(&seen[3])
			if !ok {
				return false
			}
			s.Why = why
		case "late":
			if seen[4] {
				return false
			}
			seen[4] = true
			d.space()
			switch {
			case d.literal("true"):
				s.Late = true
			case d.literal("false"):
				s.Late = false
			default:
				return false
			}
		default:
			return false
		}
	}
}

func (d *decoder) space() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// open consumes c after optional white space; it consumes nothing else when c is not next.
func (d *decoder) open(c byte) bool {
	d.space()
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *decoder) literal(lit string) bool {
	if len(d.data)-d.i >= len(lit) && d.str[d.i:d.i+len(lit)] == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// key reads `"name" :`.
func (d *decoder) key() (string, bool) {
	k, ok := d.stringValue(nil)
	if !ok || !d.open(':') {
		return "", false
	}
	return k, true
}

// stringValue reads a string without escapes, made of valid UTF-8 and no control characters.
// seen, when given, refuses a key met twice and marks it.
func (d *decoder) stringValue(seen *bool) (string, bool) {
	if seen != nil {
		if *seen {
			return "", false
		}
		*seen = true
	}
	if !d.open('"') {
		return "", false
	}
	data, start, i := d.data, d.i, d.i
	ascii := true
	for i < len(data) {
		c := data[i]
		if plain[c] {
			i++
			continue
		}
		switch {
		case c == '"':
			s := d.str[start:i]
			d.i = i + 1
			if !ascii && !utf8.ValidString(s) {
				return "", false // encoding/json replaces bad bytes with U+FFFD
			}
			return s, true
		case c >= utf8.RuneSelf:
			ascii = false
			i++
		default: // an escape or a control character
			return "", false
		}
	}
	return "", false
}

// plain marks the bytes a string holds as they are: ASCII but for quotes, backslashes and
// control characters.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// number reads a JSON number (RFC 8259 grammar) and converts it as encoding/json does.
func (d *decoder) number() (float64, bool) {
	d.space()
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.data) && d.data[d.i] >= '0' && d.data[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.i < len(d.data) && d.data[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.data) && d.data[d.i] == '0':
		d.i++
	case digits() == 0:
		return 0, false
	}
	if d.i < len(d.data) && d.data[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return 0, false
		}
	}
	if d.i < len(d.data) && (d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		d.i++
		if d.i < len(d.data) && (d.data[d.i] == '+' || d.data[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(d.str[start:d.i], 64)
	if err != nil {
		return 0, false // out of range: encoding/json's error, from its own path
	}
	return v, true
}
