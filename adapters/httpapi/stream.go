package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
)

// typeFilter keeps events whose type is listed, or starts with a listed "prefix.*".
type typeFilter struct {
	exact    map[string]bool
	prefixes []string
}

func newTypeFilter(list []string) *typeFilter {
	if len(list) == 0 {
		return nil
	}
	f := &typeFilter{exact: map[string]bool{}}
	for _, t := range list {
		if p, ok := strings.CutSuffix(t, "*"); ok {
			f.prefixes = append(f.prefixes, p)
		} else {
			f.exact[t] = true
		}
	}
	return f
}

func (f *typeFilter) keep(t string) bool {
	if f == nil || f.exact[t] {
		return true
	}
	for _, p := range f.prefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// streamStart is where a stream resumes: after the Last-Event-ID a reconnecting EventSource sends,
// else after ?after= (a first connection cannot set headers), else after the current head (live
// only).
func (s *Server) streamStart(r *http.Request) (uint64, error) {
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, &paramError{param: "Last-Event-ID", reason: "must be an event position"}
		}
		return n, nil
	}
	if r.URL.Query().Has("after") {
		return parseAfter(r.URL.Query())
	}
	head, err := s.deps.Log.Head(r.Context())
	if err != nil {
		return 0, fmt.Errorf("event log head: %w", err)
	}
	return head, nil
}

// stream serves the log as Server-Sent Events. Each event's id is its position, so a client that
// reconnects with Last-Event-ID misses nothing; a comment line every Heartbeat keeps proxies from
// closing an idle connection and lets the client notice a dead one.
//
// Subscribe calls fn from its own goroutine; fn hands each batch to this handler and waits until
// it is written, so only this goroutine writes to the connection, a slow client slows only its
// own subscription, and the batch is never used after fn returns.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	after, err := s.streamStart(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	filter := newTypeFilter(splitList(r.URL.Query()["types"]))

	rc := http.NewResponseController(w)
	// The server's write timeout suits requests, not a stream that lasts hours.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.fail(w, r, fmt.Errorf("clear write deadline: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx would buffer the stream
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte("retry: 2000\n: connected\n\n")); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		return
	}
	s.metrics.streams.Inc()
	defer s.metrics.streams.Dec()

	ctx, cancel := context.WithCancel(r.Context())
	stop := context.AfterFunc(s.streams, cancel)
	defer stop()
	type handoff struct {
		batch []eventstore.Record
		done  chan struct{}
	}
	batches := make(chan handoff)
	subErr := make(chan error, 1)
	go func() {
		subErr <- s.deps.Log.Subscribe(ctx, after, func(batch []eventstore.Record) error {
			h := handoff{batch: batch, done: make(chan struct{})}
			select {
			case batches <- h:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case <-h.done:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	defer func() {
		cancel()
		<-subErr // the subscription must not outlive the handler
	}()

	// A stream opened with a session or an embed link ends with it: at once when it is ended
	// (logout, revocation), at its expiry otherwise, and at the latest at the next heartbeat
	// (the users file edited by another process). The browser then reconnects and is refused.
	var (
		watch   *credentialWatch
		ended   <-chan struct{}
		expiry  = time.NewTimer(time.Hour)
		expired <-chan time.Time
	)
	defer expiry.Stop()
	if s.deps.Web != nil {
		p, _ := PrincipalFrom(r.Context())
		watch = s.deps.Web.watch(r, p)
	}
	// live re-checks the credential; false when it has ended.
	live := func() bool {
		if watch == nil {
			return true
		}
		ch := watch.changed() // before the check: an end in between closes ch
		left, ok := watch.check()
		if !ok {
			return false
		}
		ended = ch
		expiry.Reset(left + time.Second/10)
		expired = expiry.C
		return true
	}
	if !live() {
		return
	}
	heartbeat := time.NewTicker(s.cfg.Heartbeat)
	defer heartbeat.Stop()
	var buf []byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-ended:
			if !live() {
				s.endStream(w, rc)
				return
			}
		case <-expired:
			if !live() {
				s.endStream(w, rc)
				return
			}
		case err := <-subErr:
			subErr <- err // for the deferred wait
			if ctx.Err() == nil {
				// The client reconnects with Last-Event-ID and resumes where it was.
				s.log.Error("event stream subscription ended", "request_id", requestID(r.Context()), "after", after, "err", err)
			}
			return
		case h := <-batches:
			buf = buf[:0]
			for _, rec := range h.batch {
				after = rec.Position
				if !filter.keep(rec.Type) {
					continue
				}
				if buf, err = appendSSE(buf, rec); err != nil {
					close(h.done)
					s.log.Error("encode event for stream", "request_id", requestID(r.Context()), "position", rec.Position, "err", err)
					return
				}
			}
			close(h.done)
			if len(buf) == 0 {
				continue
			}
			if _, err := w.Write(buf); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			heartbeat.Reset(s.cfg.Heartbeat)
		case <-heartbeat.C:
			if !live() {
				s.endStream(w, rc)
				return
			}
			if _, err := w.Write([]byte(": heartbeat\n\n")); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
}

// endStream says why a stream ends before it does: the browser reconnects by itself, and is
// then refused (401) or served as an anonymous reader.
func (s *Server) endStream(w http.ResponseWriter, rc *http.ResponseController) {
	if _, err := w.Write([]byte(": credentials ended\n\n")); err == nil {
		_ = rc.Flush()
	}
}

// broadcast wakes every waiter at once: fire closes the channel wait gave, and makes a new
// one. A nil broadcast is one nobody listens to.
type broadcast struct {
	mu sync.Mutex
	ch chan struct{}
}

func newBroadcast() *broadcast { return &broadcast{ch: make(chan struct{})} }

func (b *broadcast) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}

func (b *broadcast) fire() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.ch)
	b.ch = make(chan struct{})
}

// appendSSE writes one event: id (its position), event (its type, stripped of line breaks that
// would end the field) and data (the /events JSON, which json.Marshal keeps on one line).
func appendSSE(b []byte, rec eventstore.Record) ([]byte, error) {
	data, err := json.Marshal(toEvent(rec))
	if err != nil {
		return b, fmt.Errorf("encode event %d: %w", rec.Position, err)
	}
	b = append(b, "id: "...)
	b = strconv.AppendUint(b, rec.Position, 10)
	b = append(b, "\nevent: "...)
	t := rec.Type
	if strings.ContainsAny(t, "\r\n") {
		t = strings.NewReplacer("\r", "", "\n", "").Replace(t)
	}
	b = append(b, t...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	return append(b, "\n\n"...), nil
}
