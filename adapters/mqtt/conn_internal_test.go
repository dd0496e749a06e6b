package mqtt

import (
	"bytes"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// A leaving Subscriber's connection closes only once the peer (the broker) has read everything
// written and closed its side, or after linger if it never does; otherwise it closes at once.
func TestLingerConnClose(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		leaving    bool
		peerCloses bool // the peer closes, slowly, once it has read to the end of stream
		linger     time.Duration
		check      func(t *testing.T, waited time.Duration, peerClosed bool)
	}{
		{name: "LeavingWaitsForThePeerToClose", leaving: true, peerCloses: true, linger: time.Hour,
			check: func(t *testing.T, _ time.Duration, peerClosed bool) {
				if !peerClosed {
					t.Error("Close returned before the peer closed its side")
				}
			}},
		{name: "LeavingGivesUpAfterLinger", leaving: true, peerCloses: false, linger: 300 * time.Millisecond,
			check: func(t *testing.T, waited time.Duration, _ bool) {
				if waited < 300*time.Millisecond {
					t.Errorf("Close returned after %v, before the linger of 300ms", waited)
				}
			}},
		{name: "NotLeavingDoesNotWait", leaving: false, peerCloses: false, linger: time.Hour,
			check: func(*testing.T, time.Duration, bool) {}}, // returning at all is the check
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			read := make(chan []byte, 1)
			release := make(chan struct{})
			defer close(release)
			var peerClosed atomic.Bool
			go func() {
				c, err := ln.Accept()
				if err != nil {
					read <- nil
					return
				}
				b, _ := io.ReadAll(c) // to our half-close, or our close
				read <- b
				if !tc.peerCloses {
					<-release
					c.Close()
					return
				}
				// A busy broker: without the wait in Close, Close would return during this.
				time.Sleep(200 * time.Millisecond)
				peerClosed.Store(true)
				c.Close()
			}()
			raw, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			var leaving atomic.Bool
			leaving.Store(tc.leaving)
			c := &lingerConn{Conn: raw, leaving: &leaving, linger: tc.linger}
			payload := bytes.Repeat([]byte("puback"), 1000)
			if _, err := c.Write(payload); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			closed := make(chan error, 1)
			go func() { closed <- c.Close() }()
			select {
			case err := <-closed:
				if err != nil {
					t.Errorf("Close: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("Close did not return")
			}
			tc.check(t, time.Since(start), peerClosed.Load())
			if got := <-read; !bytes.Equal(got, payload) {
				t.Errorf("the peer read %d bytes, want the %d written", len(got), len(payload))
			}
		})
	}
}
