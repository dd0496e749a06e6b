package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
)

// maxPooledBody: larger request buffers are left to the GC rather than kept for the next request.
const maxPooledBody = 1 << 20

// postReadings parses the whole body before anything is handed to the ingester, so a refused
// request stores nothing; it answers only once Handle returned, when accepted readings are durable.
func (s *Server) postReadings(w http.ResponseWriter, r *http.Request) {
	items, release, err := s.readReadings(w, r)
	defer release()
	if err != nil {
		var ie *ItemsError
		if errors.As(err, &ie) {
			s.metrics.refused.Add(float64(ie.Total))
		}
		s.fail(w, r, err)
		return
	}
	p, _ := PrincipalFrom(r.Context())
	res, err := s.deps.Ingester.Handle(r.Context(), commands.IngestReadings{
		Items:         items,
		Actor:         p.Actor,
		CorrelationID: requestID(r.Context()),
		Allowed:       p.Allowed,
	})
	if err != nil {
		var invalid *commands.InvalidReadingsError
		if errors.As(err, &invalid) {
			s.metrics.refused.Add(float64(len(items)))
			s.refusedSensors(r, p.Actor, invalid)
		}
		s.fail(w, r, err)
		return
	}
	if len(res.Outcomes) != len(items) {
		s.fail(w, r, fmt.Errorf("ingester answered %d outcomes for %d readings", len(res.Outcomes), len(items)))
		return
	}
	accepted, duplicates, rejected := res.Counts()
	s.metrics.accepted.Add(float64(accepted))
	s.metrics.duplicate.Add(float64(duplicates))
	s.metrics.rejected.Add(float64(rejected))

	bp := s.getBuf(64 + 48*len(items))
	b := appendResult(*bp, res, accepted, duplicates, rejected, len(items) <= s.cfg.FullResultsUpTo)
	writeJSON(w, http.StatusOK, b)
	*bp = b
	s.putBuf(bp)
}

// readReadings decodes the body by content type. release returns the body buffer to the pool once
// the items (which never alias it) are no longer needed.
func (s *Server) readReadings(w http.ResponseWriter, r *http.Request) ([]commands.Item, func(), error) {
	noop := func() {}
	ct := mediaType(r.Header.Get("Content-Type"))
	if ct != "" && ct != "application/json" && ct != "text/csv" && ct != "application/csv" {
		return nil, noop, &mediaTypeError{got: ct}
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		// Refused before reading a byte.
		return nil, noop, &http.MaxBytesError{Limit: s.cfg.MaxBodyBytes}
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	if ct == "text/csv" || ct == "application/csv" {
		items, err := ParseCSVReadings(body, s.cfg.MaxBatch)
		return items, noop, err
	}
	bp := s.getBuf(int(max(r.ContentLength, 512)))
	release := func() { s.putBuf(bp) }
	b, err := readAll(body, *bp)
	*bp = b
	if err != nil {
		return nil, release, fmt.Errorf("read body: %w", err)
	}
	items, err := ParseJSONReadings(b, s.cfg.MaxBatch)
	return items, release, err
}

// mediaType lowercases the type and drops parameters ("application/json; charset=utf-8"), without
// mime.ParseMediaType's allocations on the hot path.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	for i := 0; i < len(ct); i++ {
		if 'A' <= ct[i] && ct[i] <= 'Z' {
			return strings.ToLower(ct)
		}
	}
	return ct
}

func (s *Server) getBuf(size int) *[]byte {
	if bp, ok := s.bufs.Get().(*[]byte); ok {
		if cap(*bp) >= size {
			*bp = (*bp)[:0]
			return bp
		}
		*bp = make([]byte, 0, size)
		return bp
	}
	b := make([]byte, 0, size)
	return &b
}

func (s *Server) putBuf(bp *[]byte) {
	if cap(*bp) <= maxPooledBody {
		s.bufs.Put(bp)
	}
}

// readAll is io.ReadAll into a reused buffer.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// appendResult writes the response by hand: at 250,000 readings/s, reflection would cost more
// than the parse. With full=false only the readings not accepted are listed.
func appendResult(b []byte, res commands.IngestResult, accepted, duplicates, rejected int, full bool) []byte {
	b = append(b, `{"accepted":`...)
	b = strconv.AppendInt(b, int64(accepted), 10)
	b = append(b, `,"duplicates":`...)
	b = strconv.AppendInt(b, int64(duplicates), 10)
	b = append(b, `,"rejected":`...)
	b = strconv.AppendInt(b, int64(rejected), 10)
	b = append(b, `,"last_position":`...)
	b = strconv.AppendUint(b, res.LastPosition, 10)
	b = append(b, `,"results_complete":`...)
	b = strconv.AppendBool(b, full)
	b = append(b, `,"results":[`...)
	first := true
	for i, o := range res.Outcomes {
		if !full && o.Status == gauge.Accepted {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"index":`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `,"status":`...)
		b = appendString(b, string(o.Status))
		if o.Quality != "" {
			b = append(b, `,"quality":`...)
			b = appendString(b, string(o.Quality))
		}
		if o.Reason != "" {
			b = append(b, `,"reason":`...)
			b = appendString(b, o.Reason)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendString appends s as a JSON string, replacing invalid UTF-8.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
