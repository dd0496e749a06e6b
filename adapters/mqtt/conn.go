package mqtt

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/proxy"
)

// disconnectLinger bounds how long a leaving Subscriber waits for the broker to close the
// connection after DISCONNECT.
const disconnectLinger = 2 * time.Second

// dial opens the network connection to the broker, as autopaho's own dialer does (TCP, or TLS
// for mqtts://, through the proxy named by all_proxy if any), wrapped so that a Subscriber
// leaving for good closes it gracefully (lingerConn).
func (s *Subscriber) dial(ctx context.Context, u *url.URL) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ConnectTimeout)
	defer cancel()
	conn, err := proxy.Dial(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	if s.tls != nil {
		tc := tls.Client(conn, s.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return nil, err
		}
		conn = tc
	}
	return &lingerConn{Conn: conn, leaving: &s.leaving, linger: disconnectLinger}, nil
}

// lingerConn is the connection to the broker. paho writes a packet with several writes from
// several goroutines, under the Locker (as packets.NewThreadSafeConn does).
//
// Its Close, once the Subscriber is leaving, waits until the broker has closed its side. paho
// writes DISCONNECT and closes the socket at once, while the broker may not have read the
// acknowledgements written just before: if Vigie starts again under the same client id before
// the broker has read them (a restart by the service manager, a standby taking over), the
// broker hands the new session a takeover and delivers those messages again; and closing a
// socket with unread data makes the kernel send a reset, which may drop them altogether. The
// broker closes the connection only after it has processed DISCONNECT, hence every
// acknowledgement before it, so reading to end of stream first makes "acknowledged" mean
// "known to the broker" when Run returns.
type lingerConn struct {
	net.Conn
	sync.Mutex
	leaving *atomic.Bool
	linger  time.Duration
}

func (c *lingerConn) Close() error {
	if c.leaving.Load() {
		if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite() // nothing follows DISCONNECT; a broker that missed it sees the end
		}
		// paho's reader may be reading too: whichever of the two sees the end, the other sees it
		// again (or the deadline), and nothing is left unread when the socket closes.
		if c.Conn.SetReadDeadline(time.Now().Add(c.linger)) == nil {
			_, _ = io.Copy(io.Discard, c.Conn)
		}
	}
	return c.Conn.Close()
}
