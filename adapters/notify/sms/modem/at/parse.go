package at

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// CMSError is "+CMS ERROR: <n>", a message service failure (3GPP TS 27.005 §3.2.5). Code is -1
// when the modem gave text instead of a number (AT+CMEE=2).
type CMSError struct {
	Code int
	Text string
}

func (e *CMSError) Error() string {
	if e.Code < 0 {
		return "+CMS ERROR: " + e.Text
	}
	if s := cmsText[e.Code]; s != "" {
		return fmt.Sprintf("+CMS ERROR: %d (%s)", e.Code, s)
	}
	return fmt.Sprintf("+CMS ERROR: %d", e.Code)
}

// Temporary reports whether the same message may go through later. Permanent: the number does
// not exist or is barred, the network refuses this message as such, or the modem cannot encode
// it (malformed PDU, unsupported feature, no service centre configured). Temporary: congestion,
// no network, SIM busy or locked, memory full, unknown and manufacturer-specific errors (500+).
func (e *CMSError) Temporary() bool {
	if e.Code < 0 {
		return true
	}
	if e.Code >= 128 && e.Code <= 191 { // TP-PID, TP-DCS and command errors, TPDU not supported
		return false
	}
	return !cmsPermanent[e.Code]
}

var cmsPermanent = map[int]bool{
	1: true, 8: true, 10: true, 21: true, 29: true, 30: true, 50: true, 69: true, 81: true,
	95: true, 96: true, 97: true, 98: true, 99: true,
	193: true, 195: true, 196: true, 197: true, 198: true, 199: true,
	303: true, 304: true, 305: true, 330: true,
}

var cmsText = map[int]string{
	1: "unassigned number", 8: "operator determined barring", 10: "call barred",
	21: "short message transfer rejected", 27: "destination out of service", 29: "facility rejected",
	30: "unknown subscriber", 38: "network out of order", 41: "temporary failure", 42: "congestion",
	47: "resources unavailable", 50: "facility not subscribed", 69: "facility not implemented",
	96: "invalid mandatory information", 111: "protocol error", 192: "SC busy", 193: "no SC subscription",
	194: "SC system failure", 195: "invalid SME address", 196: "destination SME barred",
	300: "ME failure", 302: "operation not allowed", 303: "operation not supported",
	304: "invalid PDU mode parameter", 305: "invalid text mode parameter", 310: "SIM not inserted",
	311: "SIM PIN required", 313: "SIM failure", 314: "SIM busy", 316: "SIM PUK required",
	320: "memory failure", 321: "invalid memory index", 322: "memory full",
	330: "SMSC address unknown", 331: "no network service", 332: "network timeout", 500: "unknown error",
}

// CMEError is "+CME ERROR: <n>", a mobile equipment failure (3GPP TS 27.007 §9.2): SIM, PIN,
// network registration. Always worth a retry: they heal when the SIM or network does.
type CMEError struct {
	Code int
	Text string
}

func (e *CMEError) Error() string {
	if e.Code < 0 {
		return "+CME ERROR: " + e.Text
	}
	return fmt.Sprintf("+CME ERROR: %d", e.Code)
}

// Temporary is true: see CMEError.
func (e *CMEError) Temporary() bool { return true }

// ParseFinal reports whether line is a final result code, and the error it means (nil for OK).
func ParseFinal(line string) (final bool, err error) {
	line = strings.TrimSpace(line)
	switch line {
	case "OK":
		return true, nil
	case "ERROR":
		return true, ErrError
	case "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE", "COMMAND NOT SUPPORT":
		return true, fmt.Errorf("modem answered %s: %w", line, ErrError)
	}
	if v, ok := strings.CutPrefix(line, "+CMS ERROR:"); ok {
		code, text := errorCode(v)
		return true, &CMSError{Code: code, Text: text}
	}
	if v, ok := strings.CutPrefix(line, "+CME ERROR:"); ok {
		code, text := errorCode(v)
		return true, &CMEError{Code: code, Text: text}
	}
	return false, nil
}

func errorCode(v string) (int, string) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n, ""
	}
	if len(v) > 80 {
		v = v[:80]
	}
	return -1, v
}

// urcNames are the unsolicited result codes this package recognises. A line starting with one of
// them is a URC unless the running command names it (AT+CREG? answers +CREG: …).
var urcNames = []string{"+CMTI", "+CMT", "+CDSI", "+CDS", "+CBMI", "+CBM", "+CRING", "+CLIP", "+CREG", "+CGREG", "+CEREG", "+CUSD", "+CIEV", "RING"}

// ParseURC splits an unsolicited result code into name and value; ok is false for other lines.
func ParseURC(line string) (URC, bool) {
	line = strings.TrimSpace(line)
	for _, n := range urcNames {
		if n == "RING" {
			if line == "RING" {
				return URC{Name: n}, true
			}
			continue
		}
		if v, ok := strings.CutPrefix(line, n+":"); ok {
			return URC{Name: n, Value: strings.TrimSpace(v)}, true
		}
	}
	return URC{}, false
}

// TwoLine reports whether a URC is followed by a PDU line (in PDU mode).
func TwoLine(name string) bool { return name == "+CMT" || name == "+CDS" || name == "+CBM" }

// ParseCMGS reads the message reference from the answer of AT+CMGS ("+CMGS: 12" or, in PDU mode
// with an acknowledgement, "+CMGS: 12,<ackpdu>").
func ParseCMGS(lines []string) (int, error) {
	for _, l := range lines {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "+CMGS:"); ok {
			first, _, _ := strings.Cut(strings.TrimSpace(v), ",")
			mr, err := strconv.Atoi(strings.TrimSpace(first))
			if err != nil || mr < 0 || mr > 255 {
				return 0, fmt.Errorf("message reference %q: not in 0..255", first)
			}
			return mr, nil
		}
	}
	return 0, errors.New("no +CMGS in the answer")
}

// ParseCMTI reads "+CMTI: <mem>,<index>": a new message stored at index in mem.
func ParseCMTI(value string) (mem string, index int, err error) {
	f := fields(value)
	if len(f) != 2 {
		return "", 0, fmt.Errorf("+CMTI %q: want <mem>,<index>", value)
	}
	index, err = strconv.Atoi(f[1])
	if err != nil || index < 0 || index > 65535 {
		return "", 0, fmt.Errorf("+CMTI %q: index is not a number in 0..65535", value)
	}
	return f[0], index, nil
}

// Stored is one message in the modem's storage, in PDU mode.
type Stored struct {
	Index int
	// Stat: 0 received unread, 1 received read, 2 stored unsent, 3 stored sent.
	Stat int
	// Length of the TPDU in octets (the PDU line also holds the service centre's address).
	Length int
	// PDU is the hex line as the modem gave it.
	PDU string
}

// ParseCMGL reads the answer of AT+CMGL=<stat> in PDU mode: for each message,
// "+CMGL: <index>,<stat>,[<alpha>],<length>" then its PDU line.
func ParseCMGL(lines []string) ([]Stored, error) {
	var out []Stored
	for i := 0; i < len(lines); i++ {
		v, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "+CMGL:")
		if !ok {
			return out, fmt.Errorf("line %d %q: want +CMGL", i+1, trim(lines[i]))
		}
		f := fields(v)
		if len(f) < 3 {
			return out, fmt.Errorf("+CMGL %q: want <index>,<stat>,[<alpha>],<length>", trim(v))
		}
		idx, err1 := strconv.Atoi(f[0])
		st, err2 := strconv.Atoi(f[1])
		n, err3 := strconv.Atoi(f[len(f)-1])
		if err := errors.Join(err1, err2, err3); err != nil || idx < 0 || st < 0 || n < 0 {
			return out, fmt.Errorf("+CMGL %q: index, stat and length must be numbers", trim(v))
		}
		if i+1 >= len(lines) || !isHex(lines[i+1]) {
			return out, fmt.Errorf("+CMGL %d: no PDU line", idx)
		}
		i++
		out = append(out, Stored{Index: idx, Stat: st, Length: n, PDU: strings.TrimSpace(lines[i])})
	}
	return out, nil
}

// ParseCMGR reads the answer of AT+CMGR=<index> in PDU mode: "+CMGR: <stat>,[<alpha>],<length>"
// then the PDU line. Index is left 0 for the caller to fill.
func ParseCMGR(lines []string) (Stored, error) {
	if len(lines) != 2 {
		return Stored{}, fmt.Errorf("want 2 lines, got %d (empty slot?)", len(lines))
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(lines[0]), "+CMGR:")
	if !ok {
		return Stored{}, fmt.Errorf("%q: want +CMGR", trim(lines[0]))
	}
	f := fields(v)
	if len(f) < 2 {
		return Stored{}, fmt.Errorf("+CMGR %q: want <stat>,[<alpha>],<length>", trim(v))
	}
	st, err1 := strconv.Atoi(f[0])
	n, err2 := strconv.Atoi(f[len(f)-1])
	if errors.Join(err1, err2) != nil || st < 0 || n < 0 {
		return Stored{}, fmt.Errorf("+CMGR %q: stat and length must be numbers", trim(v))
	}
	if !isHex(lines[1]) {
		return Stored{}, errors.New("+CMGR: the PDU line is not hex")
	}
	return Stored{Stat: st, Length: n, PDU: strings.TrimSpace(lines[1])}, nil
}

// fields splits a parameter list on commas outside quotes, trimming spaces and quotes.
func fields(v string) []string {
	var (
		out    []string
		cur    strings.Builder
		quoted bool
	)
	for _, r := range v {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(out, strings.TrimSpace(cur.String()))
}

func isHex(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func trim(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
