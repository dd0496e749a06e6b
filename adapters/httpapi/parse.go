package httpapi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/sensor"
)

// SyntaxError is a body that cannot be read as readings at all (400): the parse stops there.
type SyntaxError struct {
	// Index is the reading being read, from 0; -1 when outside any reading (array brackets, CSV
	// header).
	Index int
	// Line and Column locate the error, from 1. Offset is the byte offset in JSON bodies.
	Line, Column int
	Offset       int
	Reason       string
}

func (e *SyntaxError) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("malformed body at line %d, column %d (reading %d): %s", e.Line, e.Column, e.Index, e.Reason)
	}
	return fmt.Sprintf("malformed body at line %d, column %d: %s", e.Line, e.Column, e.Reason)
}

// ItemsError lists every well-formed reading whose content is invalid (422): a missing field, a
// value that is not a finite number, a time that is not RFC 3339.
type ItemsError struct {
	Problems []ItemProblem
	// Total is the number of readings in the body, all refused with it.
	Total int
}

// ItemProblem is one thing wrong with one reading.
type ItemProblem struct {
	Index  int    // from 0
	Line   int    // CSV line, from 1; 0 for JSON
	Field  string // "sensor", "time", "value", or the unknown field's name
	Sensor string
	Reason string
}

func (e *ItemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d invalid reading(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-3)
			break
		}
		fmt.Fprintf(&b, "; reading %d %s: %s", p.Index, p.Field, p.Reason)
	}
	return b.String()
}

// TooManyError refuses a batch over the item limit (413).
type TooManyError struct{ Max int }

func (e *TooManyError) Error() string {
	return fmt.Sprintf("more than %d readings in one request; split the batch", e.Max)
}

// Sensor times must fit every store, including those that keep Unix nanoseconds (1678–2262):
// [1900-01-01, 2262-01-01) in Unix seconds.
const (
	minUnix = -2208988800
	maxUnix = 9214646400
)

// checkTime returns why t cannot be a sensor time, or "".
func checkTime(t time.Time) string {
	if u := t.Unix(); u < minUnix || u >= maxUnix {
		return "time must be between 1900 and 2261"
	}
	return ""
}

// ParseJSONReadings reads a JSON array of {"sensor","time","value"} objects, or one such object.
//
// It is a single pass over the bytes without reflection: strings are sliced in place (sensor ids
// are interned, so a batch of 1,000 readings of a few sensors allocates a few strings), numbers go
// straight to strconv. A syntax error stops at once (*SyntaxError); content errors are collected
// for every reading (*ItemsError); more than maxItems readings is a *TooManyError, found as soon
// as reading maxItems+1 starts.
func ParseJSONReadings(body []byte, maxItems int) ([]commands.Item, error) {
	p := jsonParser{b: body, max: maxItems}
	return p.parse()
}

type jsonParser struct {
	b        []byte
	pos      int
	max      int
	index    int // reading being parsed, -1 outside
	items    []commands.Item
	problems []ItemProblem
	intern   map[string]sensor.ID
	last     sensor.ID
	scratch  []byte // unescaped strings
}

func (p *jsonParser) parse() ([]commands.Item, error) {
	p.index = -1
	p.ws()
	if p.pos >= len(p.b) {
		return nil, p.syntax("the body is empty; send a JSON array of readings")
	}
	switch p.b[p.pos] {
	case '[':
		// ~60 bytes a reading; a pre-sized slice saves the regrowth copies.
		p.items = make([]commands.Item, 0, min(len(p.b)/56+1, p.max+1))
		p.pos++
		p.ws()
		if p.peek() == ']' {
			p.pos++
			break
		}
		for {
			if len(p.items) == p.max {
				return nil, &TooManyError{Max: p.max}
			}
			p.index = len(p.items)
			p.ws()
			if p.peek() != '{' {
				return nil, p.syntax("a reading must be a JSON object")
			}
			if err := p.object(); err != nil {
				return nil, err
			}
			p.ws()
			c := p.peek()
			p.pos++
			if c == ']' {
				break
			}
			if c != ',' {
				p.pos--
				return nil, p.syntax("expected ',' or ']' after a reading")
			}
		}
	case '{':
		if p.max < 1 {
			return nil, &TooManyError{Max: p.max}
		}
		p.items = make([]commands.Item, 0, 1)
		p.index = 0
		if err := p.object(); err != nil {
			return nil, err
		}
	default:
		return nil, p.syntax("the body must be a JSON array of readings or one reading object")
	}
	p.index = -1
	p.ws()
	if p.pos < len(p.b) {
		return nil, p.syntax("unexpected data after the readings")
	}
	if len(p.items) == 0 {
		return nil, &ItemsError{Problems: []ItemProblem{{Index: -1, Reason: "the body holds no readings"}}}
	}
	if len(p.problems) > 0 {
		return nil, &ItemsError{Problems: p.problems, Total: len(p.items)}
	}
	return p.items, nil
}

const (
	seenSensor = 1 << iota
	seenTime
	seenValue
)

// object parses one reading and appends it, valid or not (the index must stay aligned).
func (p *jsonParser) object() error {
	p.pos++ // '{'
	var it commands.Item
	var seen int
	bad := false
	problem := func(field, reason string) {
		bad = true
		p.problems = append(p.problems, ItemProblem{Index: p.index, Field: field, Sensor: string(it.Sensor), Reason: reason})
	}
	p.ws()
	if p.peek() == '}' {
		p.pos++
	} else {
		for {
			p.ws()
			if p.peek() != '"' {
				return p.syntax("expected a field name in double quotes")
			}
			key, err := p.str()
			if err != nil {
				return err
			}
			p.ws()
			if p.peek() != ':' {
				return p.syntax("expected ':' after a field name")
			}
			p.pos++
			p.ws()
			var flag int
			switch string(key) {
			case "sensor":
				flag = seenSensor
			case "time":
				flag = seenTime
			case "value":
				flag = seenValue
			}
			if flag != 0 && seen&flag != 0 {
				problem(string(key), "field given twice")
				if err := p.skip(); err != nil {
					return err
				}
				flag = -1
			}
			switch flag {
			case -1:
			case seenSensor:
				seen |= flag
				if p.peek() != '"' {
					if err := p.skip(); err != nil {
						return err
					}
					problem("sensor", "sensor must be a string")
					break
				}
				s, err := p.str()
				if err != nil {
					return err
				}
				if len(s) == 0 {
					problem("sensor", "sensor is empty")
					break
				}
				if !utf8.Valid(s) {
					problem("sensor", "sensor is not valid UTF-8")
					break
				}
				it.Sensor = p.sensorID(s)
			case seenTime:
				seen |= flag
				if p.peek() != '"' {
					if err := p.skip(); err != nil {
						return err
					}
					problem("time", "time must be an RFC 3339 string such as \"2025-10-10T02:00:00Z\"")
					break
				}
				s, err := p.str()
				if err != nil {
					return err
				}
				t, err := time.Parse(time.RFC3339, string(s))
				if err != nil {
					problem("time", fmt.Sprintf("time %q is not RFC 3339 (e.g. \"2025-10-10T02:00:00Z\")", truncate(s)))
					break
				}
				if why := checkTime(t); why != "" {
					problem("time", why)
					break
				}
				it.Time = t
			case seenValue:
				seen |= flag
				v, why, err := p.number()
				if err != nil {
					return err
				}
				if why != "" {
					problem("value", why)
					break
				}
				it.Value = v
			default:
				name := truncate(key)
				if err := p.skip(); err != nil {
					return err
				}
				problem(name, fmt.Sprintf("unknown field %q (a reading has sensor, time and value)", name))
			}
			p.ws()
			c := p.peek()
			p.pos++
			if c == '}' {
				break
			}
			if c != ',' {
				p.pos--
				return p.syntax("expected ',' or '}' in a reading")
			}
		}
	}
	for _, f := range []struct {
		flag int
		name string
	}{{seenSensor, "sensor"}, {seenTime, "time"}, {seenValue, "value"}} {
		if seen&f.flag == 0 {
			problem(f.name, f.name+" is missing")
		}
	}
	if bad {
		it = commands.Item{} // never hand on a half-read reading
	}
	p.items = append(p.items, it)
	return nil
}

// sensorID interns ids: most batches hold a few sensors, and a map lookup with string(b) does
// not allocate. The map is made only once a second sensor shows up.
func (p *jsonParser) sensorID(b []byte) sensor.ID {
	if string(b) == string(p.last) {
		return p.last
	}
	if p.last == "" {
		p.last = sensor.ID(b)
		return p.last
	}
	if p.intern == nil {
		p.intern = make(map[string]sensor.ID, 8)
		p.intern[string(p.last)] = p.last
	}
	id, ok := p.intern[string(b)]
	if !ok {
		id = sensor.ID(b)
		p.intern[string(id)] = id
	}
	p.last = id
	return id
}

func (p *jsonParser) peek() byte {
	if p.pos < len(p.b) {
		return p.b[p.pos]
	}
	return 0
}

func (p *jsonParser) ws() {
	for p.pos < len(p.b) {
		switch p.b[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// str reads a string at p.pos ('"'); the result aliases the body or p.scratch and is only valid
// until the next call.
func (p *jsonParser) str() ([]byte, error) {
	start := p.pos + 1
	for i := start; i < len(p.b); i++ {
		switch c := p.b[i]; {
		case c == '"':
			p.pos = i + 1
			return p.b[start:i], nil
		case c == '\\':
			return p.unescape(start)
		case c < 0x20:
			p.pos = i
			return nil, p.syntax("control character in a string")
		}
	}
	p.pos = len(p.b)
	return nil, p.syntax("unterminated string")
}

func (p *jsonParser) unescape(start int) ([]byte, error) {
	out := p.scratch[:0]
	i := start
	for i < len(p.b) {
		c := p.b[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.scratch = out
			return out, nil
		case c < 0x20:
			p.pos = i
			return nil, p.syntax("control character in a string")
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(p.b) {
			break
		}
		e := p.b[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(p.b, i)
			if !ok {
				p.pos = i
				return nil, p.syntax(`invalid \u escape`)
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(p.b, i+2); ok && i+1 < len(p.b) && p.b[i] == '\\' && p.b[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						i += 6
						out = utf8.AppendRune(out, dec)
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			p.pos = i - 1
			return nil, p.syntax("invalid escape in a string")
		}
	}
	p.pos = len(p.b)
	return nil, p.syntax("unterminated string")
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// number reads the value. A JSON number gives (v, "", nil); a well-formed JSON value that is not a
// finite number gives a reason (422). NaN, Infinity and -Infinity are not JSON, but Python's json
// module and some PLC gateways write them bare: they are read as tokens and refused as values
// (422) rather than as syntax (400), which tells the sender what is actually wrong.
func (p *jsonParser) number() (float64, string, error) {
	start := p.pos
	c := p.peek()
	if c == 'N' || c == 'I' || c == '-' && p.pos+1 < len(p.b) && p.b[p.pos+1] == 'I' {
		for _, tok := range []string{"NaN", "Infinity", "-Infinity"} {
			if p.lit(tok) {
				return 0, "value " + tok + " is not a finite number", nil
			}
		}
	}
	if c != '-' && (c < '0' || c > '9') {
		switch c {
		case '"':
			if _, err := p.str(); err != nil {
				return 0, "", err
			}
			return 0, "value must be a JSON number, not a string", nil
		case 'n':
			if err := p.skip(); err != nil {
				return 0, "", err
			}
			return 0, "value is null", nil
		}
		if err := p.skip(); err != nil {
			return 0, "", err
		}
		return 0, "value must be a JSON number", nil
	}
	if err := p.lexNumber(); err != nil {
		return 0, "", err
	}
	v, err := strconv.ParseFloat(string(p.b[start:p.pos]), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Sprintf("value %s is out of range", truncate(p.b[start:p.pos])), nil
	}
	return v, "", nil
}

// lexNumber checks the JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (p *jsonParser) lexNumber() error {
	if p.peek() == '-' {
		p.pos++
	}
	switch c := p.peek(); {
	case c == '0':
		p.pos++
	case '1' <= c && c <= '9':
		p.digits()
	default:
		return p.syntax("invalid number")
	}
	if p.peek() == '.' {
		p.pos++
		if !p.digits() {
			return p.syntax("invalid number: digits expected after '.'")
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if !p.digits() {
			return p.syntax("invalid number: digits expected in the exponent")
		}
	}
	return nil
}

func (p *jsonParser) digits() bool {
	start := p.pos
	for p.pos < len(p.b) && '0' <= p.b[p.pos] && p.b[p.pos] <= '9' {
		p.pos++
	}
	return p.pos > start
}

// skip checks and skips any JSON value (an unknown field's, or a value of the wrong type), to a
// depth that a reading never needs.
func (p *jsonParser) skip() error { return p.skipDepth(0) }

func (p *jsonParser) skipDepth(depth int) error {
	if depth > 32 {
		return p.syntax("value nested too deeply")
	}
	p.ws()
	switch c := p.peek(); {
	case c == '"':
		_, err := p.str()
		return err
	case c == '-' || '0' <= c && c <= '9':
		return p.lexNumber()
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		p.pos++
		p.ws()
		if p.peek() == end {
			p.pos++
			return nil
		}
		for {
			p.ws()
			if c == '{' {
				if p.peek() != '"' {
					return p.syntax("expected a field name in double quotes")
				}
				if _, err := p.str(); err != nil {
					return err
				}
				p.ws()
				if p.peek() != ':' {
					return p.syntax("expected ':' after a field name")
				}
				p.pos++
			}
			if err := p.skipDepth(depth + 1); err != nil {
				return err
			}
			p.ws()
			d := p.peek()
			p.pos++
			if d == end {
				return nil
			}
			if d != ',' {
				p.pos--
				return p.syntax(fmt.Sprintf("expected ',' or '%c'", end))
			}
		}
	}
	for _, lit := range []string{"true", "false", "null"} {
		if p.lit(lit) {
			return nil
		}
	}
	if p.pos >= len(p.b) {
		return p.syntax("unexpected end of body")
	}
	return p.syntax(fmt.Sprintf("unexpected character %q", p.b[p.pos]))
}

// lit consumes a literal token if the body has it at p.pos.
func (p *jsonParser) lit(tok string) bool {
	if len(p.b)-p.pos >= len(tok) && string(p.b[p.pos:p.pos+len(tok)]) == tok {
		p.pos += len(tok)
		return true
	}
	return false
}

// syntax locates the error at p.pos: lines are counted only here, on the error path.
func (p *jsonParser) syntax(reason string) *SyntaxError {
	pos := min(p.pos, len(p.b))
	line, col := 1, 1
	for _, c := range p.b[:pos] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	if pos >= len(p.b) && len(p.b) > 0 && !strings.HasPrefix(reason, "unexpected end") && !strings.HasPrefix(reason, "unterminated") {
		reason = "unexpected end of body: " + reason
	}
	return &SyntaxError{Index: p.index, Line: line, Column: col, Offset: pos, Reason: reason}
}

// truncate keeps echoed input short in error messages.
func truncate(b []byte) string {
	const n = 64
	if len(b) > n {
		return strings.ToValidUTF8(string(b[:n]), "\uFFFD") + "…"
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// ParseCSVReadings reads CSV with a header line naming the columns time, sensor and value in any
// order (case-insensitive). Other columns are ignored, so an export with extra columns (the
// reference storm file has "injected") can be replayed as is. It reads r as a stream; errors are
// located by line and column.
func ParseCSVReadings(r io.Reader, maxItems int) ([]commands.Item, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &SyntaxError{Index: -1, Line: 1, Column: 1, Reason: "the body is empty; the first line must be a header: time,sensor,value"}
	}
	if err != nil {
		return nil, csvError(err, -1)
	}
	cols := map[string]int{"time": -1, "sensor": -1, "value": -1}
	for i, name := range header {
		if i == 0 {
			name = strings.TrimPrefix(name, "\uFEFF") // spreadsheet exports start with a BOM
		}
		name = strings.ToLower(strings.TrimSpace(name))
		at, known := cols[name]
		if !known {
			continue
		}
		if at >= 0 {
			return nil, &SyntaxError{Index: -1, Line: 1, Column: i + 1, Reason: fmt.Sprintf("column %q appears twice in the header", name)}
		}
		cols[name] = i
	}
	var missing []string
	for _, name := range []string{"time", "sensor", "value"} {
		if cols[name] < 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, &SyntaxError{Index: -1, Line: 1, Column: 1, Reason: fmt.Sprintf("the header lacks column(s) %s; the first line must name the columns time, sensor, value (any order)", strings.Join(missing, ", "))}
	}
	ti, si, vi := cols["time"], cols["sensor"], cols["value"]

	var (
		items    []commands.Item
		problems []ItemProblem
		intern   = map[string]sensor.ID{}
	)
	for index := 0; ; index++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err, index)
		}
		if index == maxItems {
			return nil, &TooManyError{Max: maxItems}
		}
		line, _ := cr.FieldPos(0)
		var it commands.Item
		bad := false
		problem := func(field, reason string) {
			bad = true
			problems = append(problems, ItemProblem{Index: index, Line: line, Field: field, Sensor: string(it.Sensor), Reason: reason})
		}
		if s := strings.TrimSpace(rec[si]); s == "" {
			problem("sensor", "sensor is missing")
		} else if !utf8.ValidString(s) {
			problem("sensor", "sensor is not valid UTF-8")
		} else {
			id, ok := intern[s]
			if !ok {
				id = sensor.ID(strings.Clone(s)) // the record's memory is reused
				intern[s] = id
			}
			it.Sensor = id
		}
		if s := strings.TrimSpace(rec[ti]); s == "" {
			problem("time", "time is missing")
		} else if t, err := time.Parse(time.RFC3339, s); err != nil {
			problem("time", fmt.Sprintf("time %q is not RFC 3339 (e.g. \"2025-10-10T02:00:00Z\")", truncate([]byte(s))))
		} else if why := checkTime(t); why != "" {
			problem("time", why)
		} else {
			it.Time = t
		}
		if s := strings.TrimSpace(rec[vi]); s == "" {
			problem("value", "value is missing")
		} else if v, why := parseCSVValue(s); why != "" {
			problem("value", why)
		} else {
			it.Value = v
		}
		if bad {
			it = commands.Item{}
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil, &ItemsError{Problems: []ItemProblem{{Index: -1, Reason: "the body holds no readings, only a header"}}}
	}
	if len(problems) > 0 {
		return nil, &ItemsError{Problems: problems, Total: len(items)}
	}
	return items, nil
}

// parseCSVValue accepts decimal numbers only: strconv also reads hexadecimal floats and
// underscores, which no sensor writes and which would hide a garbled column.
func parseCSVValue(s string) (float64, string) {
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		return 0, fmt.Sprintf("value %q is not a finite number", truncate([]byte(s)))
	}
	if err != nil || strings.ContainsAny(s, "xX_pP") {
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Sprintf("value %q is out of range", truncate([]byte(s)))
		}
		return 0, fmt.Sprintf("value %q is not a number", truncate([]byte(s)))
	}
	return v, ""
}

// csvError turns encoding/csv's errors into located syntax errors; a read error (the body limit
// reached, the client gone) is passed on as is.
func csvError(err error, index int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			reason = "this line does not have as many fields as the header"
		}
		return &SyntaxError{Index: index, Line: pe.Line, Column: pe.Column, Reason: reason}
	}
	return fmt.Errorf("read CSV body: %w", err)
}
