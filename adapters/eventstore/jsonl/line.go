package jsonl

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie/vigie/adapters/eventstore"
)

// Line is one parsed line: a record and the chain hash the line carries ("" if none).
type Line struct {
	Record eventstore.Record
	Hash   string
}

// AppendLine appends r as one line, without the line break, with hash unless it is "". It fails
// on what JSON cannot hold exactly: a name that is not UTF-8, a time outside years 0..9999.
func AppendLine(dst []byte, r eventstore.Record, hash string) ([]byte, error) {
	for _, f := range [...][2]string{{"stream", r.Stream}, {"type", r.Type}, {"correlation_id", r.Meta.CorrelationID},
		{"causation_id", r.Meta.CausationID}, {"actor", r.Meta.Actor}} {
		if !utf8.ValidString(f[1]) {
			return dst, fmt.Errorf("position %d: %s %q is not UTF-8: JSON cannot hold it exactly", r.Position, f[0], f[1])
		}
	}
	at := r.RecordedAt.UTC()
	if y := at.Year(); y < 0 || y > 9999 {
		return dst, fmt.Errorf("position %d: recorded at %v: RFC 3339 holds years 0 to 9999 only", r.Position, r.RecordedAt)
	}
	dst = append(dst, `{"position":`...)
	dst = strconv.AppendUint(dst, r.Position, 10)
	dst = append(dst, `,"stream":`...)
	dst = appendString(dst, r.Stream)
	dst = append(dst, `,"revision":`...)
	dst = strconv.AppendUint(dst, r.Revision, 10)
	dst = append(dst, `,"type":`...)
	dst = appendString(dst, r.Type)
	dst = append(dst, `,"schema":`...)
	dst = strconv.AppendInt(dst, int64(r.Schema), 10)
	switch {
	case len(r.Data) == 0:
	case verbatim(r.Data):
		dst = append(dst, `,"data":`...)
		dst = append(dst, r.Data...)
	default:
		dst = append(dst, `,"data_base64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, r.Data)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"metadata":{`...)
	sep := ""
	for _, kv := range [...][2]string{{"correlation_id", r.Meta.CorrelationID}, {"causation_id", r.Meta.CausationID}, {"actor", r.Meta.Actor}} {
		if kv[1] == "" {
			continue
		}
		dst = append(dst, sep...)
		dst = append(dst, '"')
		dst = append(dst, kv[0]...)
		dst = append(dst, `":`...)
		dst = appendString(dst, kv[1])
		sep = ","
	}
	dst = append(dst, `},"recorded_at":"`...)
	dst = at.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, '"')
	if hash != "" {
		dst = append(dst, `,"hash":`...)
		dst = appendString(dst, hash)
	}
	return append(dst, '}'), nil
}

// verbatim tells whether data can stand as it is as the value of "data" and be read back byte for
// byte: valid JSON, no line break, nothing the parser would skip before or after the value.
func verbatim(data []byte) bool {
	if bytes.ContainsAny(data, "\r\n") || !json.Valid(data) {
		return false
	}
	isBlank := func(c byte) bool { return c == ' ' || c == '\t' }
	return !isBlank(data[0]) && !isBlank(data[len(data)-1])
}

// appendString appends s as a JSON string. s is valid UTF-8. Only what JSON requires is escaped
// (and U+2028, U+2029, which some JavaScript readers take for line breaks).
func appendString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '\u2028' || r == '\u2029' {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\u202`...)
				dst = append(dst, hexDigits[r&0xf])
				start = i + size
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// ParseLine reads one line (without its line break) strictly: one JSON object, nothing after it,
// no unknown or repeated field, every required field present and of its type.
func ParseLine(line []byte) (Line, error) {
	var l Line
	r := &l.Record
	var seen uint16
	const (
		fPosition = 1 << iota
		fStream
		fRevision
		fType
		fSchema
		fData
		fDataBase64
		fMetadata
		fRecordedAt
		fHash
	)
	err := parseObject(line, func(key string, raw []byte) error {
		var f uint16
		var err error
		switch key {
		case "position":
			f = fPosition
			r.Position, err = parseUint(raw)
			if err == nil && r.Position == 0 {
				err = errors.New("positions start at 1")
			}
		case "stream":
			f = fStream
			r.Stream, err = parseName(raw)
		case "revision":
			f = fRevision
			r.Revision, err = parseUint(raw)
		case "type":
			f = fType
			r.Type, err = parseName(raw)
		case "schema":
			f = fSchema
			var n int64
			n, err = strconv.ParseInt(string(raw), 10, 0)
			r.Schema = int(n)
		case "data":
			f = fData
			r.Data = bytes.Clone(raw) // raw is in the caller's buffer
		case "data_base64":
			f = fDataBase64
			var s string
			if s, err = parseString(raw); err == nil {
				r.Data, err = base64.StdEncoding.Strict().DecodeString(s)
				if err == nil && len(r.Data) == 0 {
					err = errors.New("empty: an event without data has no data field")
				}
			}
		case "metadata":
			f = fMetadata
			err = parseMetadata(raw, &r.Meta)
		case "recorded_at":
			f = fRecordedAt
			var s string
			if s, err = parseString(raw); err == nil {
				r.RecordedAt, err = time.Parse(time.RFC3339Nano, s)
			}
		case "hash":
			f = fHash
			if l.Hash, err = parseString(raw); err == nil {
				err = checkHash(l.Hash)
			}
		default:
			return fmt.Errorf("unknown field %q", key)
		}
		seen |= f // parseObject refuses a field twice
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		return nil
	})
	if err != nil {
		return Line{}, err
	}
	var missing []string
	for _, req := range []struct {
		f    uint16
		name string
	}{{fPosition, "position"}, {fStream, "stream"}, {fRevision, "revision"}, {fType, "type"}, {fSchema, "schema"}, {fMetadata, "metadata"}, {fRecordedAt, "recorded_at"}} {
		if seen&req.f == 0 {
			missing = append(missing, req.name)
		}
	}
	if len(missing) > 0 {
		return Line{}, fmt.Errorf("missing %q", missing)
	}
	if seen&fData != 0 && seen&fDataBase64 != 0 {
		return Line{}, errors.New("both data and data_base64")
	}
	return l, nil
}

// parseObject walks the members of the JSON object in b, refusing repeated keys and anything
// after the object. fn gets each value's bytes exactly as they are in b (not a copy).
//
// It checks b with json.Valid once and then walks it by hand: encoding/json's Decoder, member by
// member, made Import three times slower.
func parseObject(b []byte, fn func(key string, raw []byte) error) error {
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not a JSON object")
	}
	if !json.Valid(b) {
		var v any
		err := json.Unmarshal(b, &v) // for the reason and the offset
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return err
	}
	keys := make([]string, 0, 10)
	i := skipBlanks(b, 1)
	for b[i] != '}' {
		end := endOfString(b, i)
		key, err := unquote(b[i:end])
		if err != nil {
			return err
		}
		if slices.Contains(keys, key) {
			return fmt.Errorf("field %q twice", key)
		}
		keys = append(keys, key)
		i = skipBlanks(b, skipBlanks(b, end)+1) // past ':'
		end = endOfValue(b, i)
		if err := fn(key, b[i:end]); err != nil {
			return err
		}
		i = skipBlanks(b, end)
		if b[i] == ',' {
			i = skipBlanks(b, i+1)
		}
	}
	if rest := len(b) - i - 1; rest != 0 {
		return fmt.Errorf("%d bytes after the object", rest)
	}
	return nil
}

// The helpers below walk JSON that json.Valid accepted.

func skipBlanks(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// endOfString returns the index after the string that starts at b[i].
func endOfString(b []byte, i int) int {
	for i++; b[i] != '"'; i++ {
		if b[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// endOfValue returns the index after the value that starts at b[i].
func endOfValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return endOfString(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = endOfString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[i])) {
		i++
	}
	return i
}

// unquote decodes a JSON string, quotes included, without the decoder when nothing is escaped.
func unquote(raw []byte) (string, error) {
	if !utf8.Valid(raw) {
		return "", errors.New("not UTF-8") // the decoder would silently replace the bytes
	}
	plain := true
	for _, c := range raw[1 : len(raw)-1] {
		if c == '\\' || c < 0x20 {
			plain = false
			break
		}
	}
	if plain {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

func parseMetadata(raw []byte, m *eventstore.Metadata) error {
	return parseObject(raw, func(key string, raw []byte) error {
		var dst *string
		switch key {
		case "correlation_id":
			dst = &m.CorrelationID
		case "causation_id":
			dst = &m.CausationID
		case "actor":
			dst = &m.Actor
		default:
			return fmt.Errorf("unknown field %q", key)
		}
		s, err := parseString(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		*dst = s
		return nil
	})
}

func parseUint(raw []byte) (uint64, error) {
	return strconv.ParseUint(string(raw), 10, 64)
}

// parseString reads a JSON string, refusing null, other types and bytes that are not UTF-8.
func parseString(raw []byte) (string, error) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", fmt.Errorf("%.40s is not a string", raw)
	}
	return unquote(raw)
}

func parseName(raw []byte) (string, error) {
	s, err := parseString(raw)
	if err == nil && s == "" {
		err = errors.New("empty")
	}
	return s, err
}

func checkHash(s string) error {
	if len(s) != 64 {
		return fmt.Errorf("%q: want 64 lower-case hexadecimal digits", s)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("%q: want 64 lower-case hexadecimal digits", s)
		}
	}
	_, err := hex.DecodeString(s)
	return err
}
