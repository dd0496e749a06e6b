package voice_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/voice"
)

// TestRejectedCalls: SIPp rings, then answers a final failure; each is classified, with the SIP
// status in the error, and retryable or not.
func TestRejectedCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code, reason string
		transport    string
		kind         error
		retry        bool
	}{
		{"486", "Busy Here", "udp", voice.ErrBusy, true},
		{"600", "Busy Everywhere", "tcp", voice.ErrBusy, true},
		{"603", "Decline", "udp", voice.ErrDeclined, true},
		{"480", "Temporarily Unavailable", "udp", voice.ErrNoAnswer, true},
		{"404", "Not Found", "tcp", voice.ErrInvalidNumber, false},
		{"484", "Address Incomplete", "udp", voice.ErrInvalidNumber, false},
		{"403", "Forbidden", "udp", voice.ErrRefused, false},
		{"503", "Service Unavailable", "udp", voice.ErrUnavailable, true},
	}
	for _, tt := range tests {
		t.Run(tt.code+" over "+tt.transport, func(t *testing.T) {
			t.Parallel()
			c := startCallee(t, "reject", tt.transport, "code", tt.code, "reason", tt.reason)
			logs := &notifytest.LogBuffer{}
			n := newNotifier(t, testConfig(c.Addr, tt.transport), &acks{}, logs.Logger())
			m := message("0612345678")
			res, retry, err := n.Call(context.Background(), m)
			if !errors.Is(err, tt.kind) || retry != tt.retry {
				t.Fatalf("Call = retry %v, %v; want retry %v and %v", retry, err, tt.retry, tt.kind)
			}
			var ce *voice.CallError
			if !errors.As(err, &ce) || ce.Status != atoi(tt.code) || res.Status != atoi(tt.code) || res.Answered {
				t.Fatalf("error %#v, result %+v: want a CallError with status %s, not answered", err, res, tt.code)
			}
			if !strings.Contains(err.Error(), tt.code+" "+tt.reason) {
				t.Errorf("error %q does not give the reason %q", err, tt.code+" "+tt.reason)
			}
			c.wait(t)
			checkNoSecret(t, logs, err, m)
		})
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = 10*n + int(r-'0')
	}
	return n
}

// TestNoAnswerTimesOut: the phone rings past RingTimeout: the call is cancelled (SIPp's scenario
// requires the CANCEL) and reported as a retryable no-answer.
func TestNoAnswerTimesOut(t *testing.T) {
	t.Parallel()
	c := startCallee(t, "noanswer", "udp")
	cfg := testConfig(c.Addr, "udp")
	cfg.RingTimeout = time.Second
	n := newNotifier(t, cfg, &acks{}, nil)
	began := time.Now()
	res, retry, err := n.Call(context.Background(), message("0612345678"))
	if !errors.Is(err, voice.ErrNoAnswer) || !retry || res.Answered {
		t.Fatalf("Call = %+v, retry %v, %v; want a retryable ErrNoAnswer", res, retry, err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("no-answer took %v with a 1 s ring timeout", took)
	}
	c.wait(t) // SIPp got the CANCEL and the ACK of its 487
}

// TestZeroDurationFirstDTMFIsHeard: SIPp answers and plays its own recording of a key 1, whose
// first RFC 4733 packet has duration 0 — which diago's reader would not hear
// (TestDiagoMissesZeroDurationFirstPacket). The call acknowledges.
func TestZeroDurationFirstDTMFIsHeard(t *testing.T) {
	t.Parallel()
	const pcap = "/usr/share/sip-tester/dtmf_2833_1.pcap" // shipped by Debian's sip-tester
	c := startCallee(t, "dtmf", "udp", "pcap", pcap)
	a := &acks{}
	cfg := testConfig(c.Addr, "udp")
	cfg.Repeat = 3
	n := newNotifier(t, cfg, a, nil, voice.WithSpeaker(tone(3*time.Second)))
	res, retry, err := n.Call(context.Background(), message("0612345678"))
	if err != nil || !res.Acknowledged || res.Keys != "1" {
		t.Fatalf("Call = %+v, retry %v, %v; want acknowledged by the key 1", res, retry, err)
	}
	if len(a.all()) != 1 {
		t.Fatalf("acknowledgements %+v, want 1", a.all())
	}
	c.wait(t) // SIPp got our BYE
}

// TestPeerDown: nothing listens at the PBX's address. Over TCP the refusal is immediate; over UDP
// nothing ever answers, and the call gives up at RingTimeout. Both are retryable.
func TestPeerDown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		transport string
		ring      time.Duration
		within    time.Duration
	}{{"tcp", 10 * time.Second, 2 * time.Second}, {"udp", time.Second, 3 * time.Second}} {
		t.Run(tt.transport, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(notifytest.ClosedAddr(t), tt.transport)
			cfg.RingTimeout = tt.ring
			n := newNotifier(t, cfg, &acks{}, nil)
			began := time.Now()
			_, retry, err := n.Call(context.Background(), message("0612345678"))
			if !errors.Is(err, voice.ErrUnavailable) || !retry {
				t.Fatalf("Call = retry %v, %v; want a retryable ErrUnavailable", retry, err)
			}
			if took := time.Since(began); took > tt.within {
				t.Errorf("peer down over %s: Call took %v, want < %v", tt.transport, took, tt.within)
			}
		})
	}
}

// TestContext: a PBX that accepts the connection and never answers (notifytest.Blackhole); the
// caller's cancel or deadline ends Call within 2 s with ctx's error, retryable. A ctx already done
// places no call at all.
func TestContext(t *testing.T) {
	t.Parallel()
	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		b := notifytest.NewBlackhole(t, nil)
		logs := &notifytest.LogBuffer{}
		n := newNotifier(t, testConfig(b.Addr, "tcp"), &acks{}, logs.Logger())
		ctx, cancel := context.WithCancel(context.Background())
		type result struct {
			retry bool
			err   error
		}
		done := make(chan result, 1)
		m := message("0612345678")
		go func() {
			_, retry, err := n.Call(ctx, m)
			done <- result{retry, err}
		}()
		select {
		case <-b.Connected():
		case <-time.After(10 * time.Second):
			t.Fatal("the INVITE never reached the PBX")
		}
		cancel()
		cancelled := time.Now()
		r := <-done
		if !errors.Is(r.err, context.Canceled) || !r.retry {
			t.Fatalf("cancelled: retry %v, %v; want retry and context.Canceled", r.retry, r.err)
		}
		if took := time.Since(cancelled); took > 2*time.Second {
			t.Errorf("Call returned %v after the cancel", took)
		}
		checkNoSecret(t, logs, r.err, m)
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		b := notifytest.NewBlackhole(t, nil)
		n := newNotifier(t, testConfig(b.Addr, "tcp"), &acks{}, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		began := time.Now()
		_, retry, err := n.Call(ctx, message("0612345678"))
		if !errors.Is(err, context.DeadlineExceeded) || !retry {
			t.Fatalf("deadline: retry %v, %v; want retry and context.DeadlineExceeded", retry, err)
		}
		if took := time.Since(began); took > 2300*time.Millisecond {
			t.Errorf("Call returned %v after it began, deadline 300 ms", took)
		}
	})
	t.Run("done before", func(t *testing.T) {
		t.Parallel()
		b := notifytest.NewBlackhole(t, nil)
		n := newNotifier(t, testConfig(b.Addr, "tcp"), &acks{}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, retry, err := n.Call(ctx, message("0612345678"))
		if !errors.Is(err, context.Canceled) || !retry {
			t.Fatalf("done ctx: retry %v, %v; want retry and context.Canceled", retry, err)
		}
		select {
		case <-b.Connected():
			t.Fatal("a call was placed with a done ctx")
		case <-time.After(300 * time.Millisecond):
		}
	})
}

// TestInvalidMessages are refused for good, before any call.
func TestInvalidMessages(t *testing.T) {
	t.Parallel()
	b := notifytest.NewBlackhole(t, nil)
	n := newNotifier(t, testConfig(b.Addr, "tcp"), &acks{}, nil)
	for _, to := range []string{"", "06 12", "sip:evil@example.com", "+", "0612345678;transport=tcp"} {
		m := message(to)
		_, retry, err := n.Call(context.Background(), m)
		if err == nil || retry {
			t.Errorf("To %q: retry %v, %v; want a permanent error", to, retry, err)
		}
	}
	select {
	case <-b.Connected():
		t.Fatal("a call was placed for an invalid number")
	case <-time.After(200 * time.Millisecond):
	}
}

// TestDigestAuth: the PBX challenges the INVITE; the right password gets through (SIPp verifies
// the digest and answers 486), a wrong one is refused for good (403). The password is in no error
// nor log line.
func TestDigestAuth(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		password string
		kind     error
		retry    bool
	}{{"right password", secret, voice.ErrBusy, true}, {"wrong password", "not-" + secret, voice.ErrRefused, false}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := startCallee(t, "auth", "udp", "user", "vigie", "password", secret)
			logs := &notifytest.LogBuffer{}
			cfg := testConfig(c.Addr, "udp")
			cfg.Password = tt.password
			n := newNotifier(t, cfg, &acks{}, logs.Logger())
			m := message("0612345678")
			_, retry, err := n.Call(context.Background(), m)
			if !errors.Is(err, tt.kind) || retry != tt.retry {
				t.Fatalf("Call = retry %v, %v; want retry %v and %v", retry, err, tt.retry, tt.kind)
			}
			c.wait(t)
			checkNoSecret(t, logs, err, m)
			if strings.Contains(logs.String()+err.Error(), tt.password) {
				t.Errorf("the password appears in the logs or the error")
			}
		})
	}
}

// TestClosedNotifierPlacesNoCall: after Close, Call fails (retryable: another process may call)
// and nothing reaches the PBX.
func TestClosedNotifierPlacesNoCall(t *testing.T) {
	t.Parallel()
	b := notifytest.NewBlackhole(t, nil)
	n := newNotifier(t, testConfig(b.Addr, "tcp"), &acks{}, nil)
	if err := n.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, retry, err := n.Call(context.Background(), message("0612345678")); err == nil || !retry {
		t.Fatalf("Call after Close = retry %v, %v; want a retryable error", retry, err)
	}
	select {
	case <-b.Connected():
		t.Fatal("a closed notifier placed a call")
	case <-time.After(200 * time.Millisecond):
	}
}
