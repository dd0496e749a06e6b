package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
)

// sseEvent is one dispatched event, or a comment (heartbeat) when Comment is set.
type sseEvent struct {
	ID, Event, Data, Comment string
}

// sseClient reads a stream line by line in a goroutine and hands over whole events.
type sseClient struct {
	resp   *http.Response
	events chan sseEvent
}

func openStream(t *testing.T, ctx context.Context, url string, headers ...string) *sseClient {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("open stream: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	c := &sseClient{resp: resp, events: make(chan sseEvent, 100)}
	if resp.StatusCode != http.StatusOK {
		return c
	}
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev != (sseEvent{}) {
					c.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				ev.Comment = strings.TrimSpace(line[1:])
			case strings.HasPrefix(line, "id: "):
				ev.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data = line[6:]
			}
		}
	}()
	return c
}

// next returns the next event that is not a comment, failing after a deadline.
func (c *sseClient) next(t *testing.T) sseEvent {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				t.Fatal("stream ended")
			}
			if ev.ID == "" && ev.Comment != "" {
				continue
			}
			return ev
		case <-deadline:
			t.Fatal("no event within 5 s")
		}
	}
}

func (c *sseClient) comment(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				t.Fatal("stream ended")
			}
			if ev.Comment == want && ev.ID == "" {
				return
			}
		case <-deadline:
			t.Fatalf("no %q comment within 5 s", want)
		}
	}
}

func ids(t *testing.T, c *sseClient, n int) string {
	t.Helper()
	var got []string
	for range n {
		ev := c.next(t)
		got = append(got, ev.ID+"/"+ev.Event)
	}
	return strings.Join(got, " ")
}

func TestStreamResumesFromLastEventID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	e.log.Append("a.one", "a.two", "b.three", "a.four", "b.five")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := openStream(t, ctx, ts.URL+"/api/v1/stream", bearer(tokViewer), "Last-Event-ID: 2")
	if c.resp.StatusCode != 200 || c.resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %q", c.resp.StatusCode, c.resp.Header.Get("Content-Type"))
	}
	if got := ids(t, c, 3); got != "3/b.three 4/a.four 5/b.five" {
		t.Fatalf("catch-up = %s", got)
	}
	e.log.Append("a.six")
	ev := c.next(t)
	if ev.ID != "6" || ev.Event != "a.six" {
		t.Fatalf("live event = %+v", ev)
	}
	var data struct {
		Position uint64          `json:"position"`
		Type     string          `json:"type"`
		Stream   string          `json:"stream"`
		Time     time.Time       `json:"time"`
		Data     json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal([]byte(ev.Data), &data); err != nil || data.Position != 6 || data.Type != "a.six" || string(data.Data) != `{"n":6}` {
		t.Errorf("data = %s (%v)", ev.Data, err)
	}

	// The connection drops; the client comes back with the last id it saw and misses nothing.
	cancel()
	e.log.Append("a.seven", "b.eight")
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	c2 := openStream(t, ctx2, ts.URL+"/api/v1/stream?after=1", bearer(tokViewer), "Last-Event-ID: "+ev.ID)
	if got := ids(t, c2, 2); got != "7/a.seven 8/b.eight" {
		t.Fatalf("after reconnect = %s (Last-Event-ID wins over ?after=)", got)
	}
}

func TestStreamStartsAtHeadOrAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	e.log.Append("old.one", "old.two")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	live := openStream(t, ctx, ts.URL+"/api/v1/stream")
	live.comment(t, "connected")
	from1 := openStream(t, ctx, ts.URL+"/api/v1/stream?after=1")
	if got := ids(t, from1, 1); got != "2/old.two" {
		t.Errorf("?after=1 starts with %s", got)
	}
	e.log.Append("new.three")
	if got := ids(t, live, 1); got != "3/new.three" {
		t.Errorf("a stream without a start gives %s, want only what comes after the head", got)
	}
}

func TestStreamFiltersTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	e.log.Append("sensor.readings_recorded", "sensor.threshold_crossed", "alarm.raised", "config.applied", "alarm.acknowledged")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := openStream(t, ctx, ts.URL+"/api/v1/stream?after=0&types=sensor.threshold_crossed,alarm.*")
	if got := ids(t, c, 3); got != "2/sensor.threshold_crossed 3/alarm.raised 5/alarm.acknowledged" {
		t.Errorf("filtered = %s", got)
	}
}

func TestStreamHeartbeatAndShutdown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true, Heartbeat: 20 * time.Millisecond})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := openStream(t, ctx, ts.URL+"/api/v1/stream")
	c.comment(t, "heartbeat")

	e.srv.CloseStreams()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-c.events:
			if ok {
				continue
			}
		case <-deadline:
			t.Fatal("stream still open 5 s after CloseStreams")
		}
		break
	}
	// The subscription ended with the handler.
	pollUntil(t, func() bool { return e.log.Subscribers() == 0 }, "subscription still running after the stream closed")
}

func TestStreamRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{})
	problem(t, e.do(t, http.MethodGet, "/api/v1/stream", nil), http.StatusUnauthorized)
	problem(t, e.do(t, http.MethodGet, "/api/v1/stream", nil, bearer(tokGatewayAll)), http.StatusForbidden)
	p := problem(t, e.do(t, http.MethodGet, "/api/v1/stream", nil, bearer(tokViewer), "Last-Event-ID: abc"), http.StatusBadRequest)
	if len(p.Errors) != 1 || p.Errors[0].Parameter != "Last-Event-ID" {
		t.Errorf("problem = %+v", p)
	}
}

func TestStreamEndsWhenClientLeaves(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpapi.Config{PublicRead: true})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	for i := range 5 {
		ctx, cancel := context.WithCancel(context.Background())
		c := openStream(t, ctx, ts.URL+"/api/v1/stream")
		c.comment(t, "connected")
		e.log.Append(fmt.Sprintf("t.%d", i))
		c.next(t)
		cancel()
	}
	pollUntil(t, func() bool { return e.log.Subscribers() == 0 }, "subscriptions leak after clients left")
}

// pollUntil polls cond until it holds or 5 s pass.
func pollUntil(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(2 * time.Millisecond) // polling interval
	}
}

// ends waits for a stream to end, and fails if it does not within d.
func (c *sseClient) ends(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case _, ok := <-c.events:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("the stream still runs %s later", d)
		}
	}
}

// TestStreamEndsWithItsCredential: a stream opened by a session or an embed link closes when
// that session or link ends, promptly (not at the browser's next reconnection); streams of other
// credentials go on.
func TestStreamEndsWithItsCredential(t *testing.T) {
	t.Parallel()
	type opened struct {
		headers []string
		query   string
	}
	tests := []struct {
		name string
		// heartbeat: a long one shows the end is told, not found at the next heartbeat.
		heartbeat time.Duration
		open      func(t *testing.T, e *webEnv) (opened, func())
	}{
		{"logout", time.Hour, func(t *testing.T, e *webEnv) (opened, func()) {
			cookie, csrf := e.login(t, "durand")
			return opened{headers: []string{cookie}}, func() {
				if rec := e.do(t, http.MethodDelete, "/api/v1/session", nil, cookie, httpapi.CSRFHeader+": "+csrf); rec.Code != http.StatusNoContent {
					t.Errorf("logout: status %d", rec.Code)
				}
			}
		}},
		{"user disabled", time.Hour, func(t *testing.T, e *webEnv) (opened, func()) {
			cookie, _ := e.login(t, "durand")
			return opened{headers: []string{cookie}}, func() {
				if err := e.web.Users.SetDisabled("durand", true); err != nil {
					t.Error(err)
				}
			}
		}},
		{"session idle", 20 * time.Millisecond, func(t *testing.T, e *webEnv) (opened, func()) {
			cookie, _ := e.login(t, "durand")
			return opened{headers: []string{cookie}}, func() { e.clock.advance(61 * time.Minute) }
		}},
		{"session max age", 20 * time.Millisecond, func(t *testing.T, e *webEnv) (opened, func()) {
			cookie, _ := e.login(t, "durand")
			other, _ := e.login(t, "martin")
			return opened{headers: []string{cookie}}, func() {
				for range 5 { // activity elsewhere in the session keeps it from idling, not from aging
					e.clock.advance(50 * time.Minute)
					e.do(t, http.MethodGet, "/api/v1/site", nil, cookie)
					e.do(t, http.MethodGet, "/api/v1/site", nil, other)
				}
			}
		}},
		{"embed link revoked", time.Hour, func(t *testing.T, e *webEnv) (opened, func()) {
			l, token, err := e.web.Embeds.Create("d-board", "portail", "user:chef", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return opened{query: "?" + httpapi.EmbedParam + "=" + token}, func() {
				if _, err := e.web.Embeds.Revoke(l.ID, "user:chef"); err != nil {
					t.Error(err)
				}
			}
		}},
		{"embed link expired", 20 * time.Millisecond, func(t *testing.T, e *webEnv) (opened, func()) {
			_, token, err := e.web.Embeds.Create("d-board", "portail", "user:chef", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return opened{query: "?" + httpapi.EmbedParam + "=" + token}, func() { e.clock.advance(2 * time.Minute) }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newWebEnv(t, httpapi.Config{Heartbeat: tc.heartbeat})
			srv := httptest.NewServer(e.srv)
			t.Cleanup(srv.Close)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			o, end := tc.open(t, e)
			c := openStream(t, ctx, srv.URL+"/api/v1/stream"+o.query, o.headers...)
			if c.resp.StatusCode != http.StatusOK {
				t.Fatalf("stream: status %d", c.resp.StatusCode)
			}
			// Bystanders: an API key's stream, and another person's session.
			key := openStream(t, ctx, srv.URL+"/api/v1/stream", bearer(tokViewer))
			chef, _ := e.login(t, "chef")
			other := openStream(t, ctx, srv.URL+"/api/v1/stream", chef)
			c.comment(t, "connected")

			started := time.Now()
			end()
			c.ends(t, 3*time.Second)
			if tc.heartbeat == time.Hour && time.Since(started) > time.Second {
				t.Errorf("the stream ended %s after its credential: want at once", time.Since(started))
			}

			// The others go on: they still get events.
			e.log.Append("sensor.reading_recorded")
			if ev := key.next(t); ev.Event != "sensor.reading_recorded" {
				t.Errorf("API key's stream: got %+v after another credential ended", ev)
			}
			if tc.name != "session max age" && tc.name != "session idle" {
				// (The chef's session ages with the fake clock too.)
				if ev := other.next(t); ev.Event != "sensor.reading_recorded" {
					t.Errorf("other session's stream: got %+v after another credential ended", ev)
				}
			}
			// And the browser's reconnection is refused.
			again := openStream(t, ctx, srv.URL+"/api/v1/stream"+o.query, o.headers...)
			if again.resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("reconnection: status %d, want 401", again.resp.StatusCode)
			}
		})
	}
}
