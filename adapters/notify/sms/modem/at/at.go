// Package at runs the AT command dialogue of a GSM modem (3GPP TS 27.007 and 27.005) over any
// byte stream: one command at a time, each waiting for its final result code (OK, ERROR,
// +CME ERROR, +CMS ERROR) under a timeout; the '>' prompt of AT+CMGS; and the unsolicited result
// codes (+CMTI, +CMT, +CDS…) that the modem sends between and during commands, handed over on a
// channel. Nothing in it waits a fixed time: every step waits for what the modem says.
//
// A Conn that loses its stream, or whose command went unanswered, is closed: the dialogue is out
// of step and only a new Conn (after re-initialising the modem) can be trusted again.
package at

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

var (
	// ErrClosed: the stream is closed or broken (modem unplugged, port gone).
	ErrClosed = errors.New("modem connection closed")
	// ErrTimeout: a command had no final answer in time; the Conn is closed.
	ErrTimeout = errors.New("no answer from the modem")
	// ErrError is the plain ERROR final result.
	ErrError = errors.New("modem answered ERROR")
)

// URC is an unsolicited result code: "+CMTI: \"SM\",3" is Name "+CMTI", Value "\"SM\",3". The
// codes followed by a PDU line (+CMT, +CDS, +CBM in PDU mode) carry it in PDU.
type URC struct {
	Name  string
	Value string
	PDU   string
}

// Conn is one AT dialogue. Its methods are safe for concurrent use; commands run one at a time.
type Conn struct {
	rw     io.ReadWriteCloser
	logger *slog.Logger

	turn chan struct{} // holds a token while a command runs
	urcs chan URC
	done chan struct{}

	mu     sync.Mutex
	cur    *pending
	err    error
	pduFor *URC // a two-line URC waiting for its PDU line (reader goroutine only)

	once sync.Once
}

type pending struct {
	cmd    string
	lines  chan string
	prompt chan struct{}
}

// maxLine bounds a line: longer garbage is cut into lines of this size.
const maxLine = 4096

// New starts reading rw. Close the Conn (or lose rw) to stop.
func New(rw io.ReadWriteCloser, logger *slog.Logger) *Conn {
	c := &Conn{
		rw: rw, logger: logger,
		turn: make(chan struct{}, 1), urcs: make(chan URC, 32), done: make(chan struct{}),
	}
	go c.read()
	return c
}

// URCs delivers the unsolicited result codes. A full channel drops them (a modem with stored
// messages is swept periodically, so a lost +CMTI is found again).
func (c *Conn) URCs() <-chan URC { return c.urcs }

// Done is closed once the Conn is closed.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err is why the Conn closed (wrapping ErrClosed or ErrTimeout), nil while it is open.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the stream.
func (c *Conn) Close() error {
	c.fail(ErrClosed)
	return nil
}

func (c *Conn) fail(err error) {
	c.once.Do(func() {
		c.mu.Lock()
		c.err = err
		c.mu.Unlock()
		close(c.done)
		_ = c.rw.Close()
	})
}

// Escape writes ESC, which ends a pending '>' prompt on a modem left in the middle of AT+CMGS by
// a previous process; a modem in command mode ignores it.
func (c *Conn) Escape(ctx context.Context) error {
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	return c.write("\x1b")
}

// Exec sends cmd ("AT+CMGF=0") and returns the lines of its answer before OK. ctx bounds the wait
// for the Conn's turn only: once written, a command runs to its final result, for at most
// timeout, whoever waits for it (an abandoned dialogue would be out of step). Errors: *CMSError,
// *CMEError, ErrError, ErrTimeout, ErrClosed, or ctx's error before the command was sent.
func (c *Conn) Exec(ctx context.Context, cmd string, timeout time.Duration) ([]string, error) {
	return c.run(ctx, cmd, nil, timeout, timeout)
}

// Submit sends cmd (AT+CMGS=<length>), waits up to promptTimeout for the '>' prompt, writes
// payload and Ctrl-Z, and waits up to timeout for the final result. An error result before the
// prompt (no network…) is returned as such; a missing prompt cancels with ESC and closes the Conn.
func (c *Conn) Submit(ctx context.Context, cmd, payload string, promptTimeout, timeout time.Duration) ([]string, error) {
	return c.run(ctx, cmd, &payload, promptTimeout, timeout)
}

func (c *Conn) acquire(ctx context.Context) error {
	select {
	case <-c.done:
		return c.closedErr()
	default:
	}
	select {
	case c.turn <- struct{}{}:
		return nil
	case <-c.done:
		return c.closedErr()
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Conn) release() { <-c.turn }

func (c *Conn) closedErr() error {
	if err := c.Err(); err != nil {
		return err
	}
	return ErrClosed
}

func (c *Conn) write(s string) error {
	if _, err := io.WriteString(c.rw, s); err != nil {
		err = fmt.Errorf("write: %v: %w", err, ErrClosed)
		c.fail(err)
		return err
	}
	return nil
}

func (c *Conn) run(ctx context.Context, cmd string, payload *string, firstTimeout, timeout time.Duration) ([]string, error) {
	if err := c.acquire(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", redact(cmd), err)
	}
	defer c.release()
	p := &pending{cmd: cmd, lines: make(chan string, 256), prompt: make(chan struct{}, 1)}
	c.mu.Lock()
	c.cur = p
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.cur = nil
		c.mu.Unlock()
	}()
	began := time.Now()
	if err := c.write(cmd + "\r"); err != nil {
		return nil, fmt.Errorf("%s: %w", redact(cmd), err)
	}
	timer := time.NewTimer(firstTimeout)
	defer timer.Stop()
	var lines []string
	waitingPrompt := payload != nil
	for {
		var prompt <-chan struct{}
		if waitingPrompt {
			prompt = p.prompt
		}
		select {
		case <-prompt:
			waitingPrompt = false
			if err := c.write(*payload + "\x1a"); err != nil {
				return nil, fmt.Errorf("%s: %w", redact(cmd), err)
			}
			timer.Reset(timeout)
		case line := <-p.lines:
			if line == cmd || (payload != nil && strings.TrimLeft(line, "> ") == *payload) {
				continue // echo
			}
			if final, err := ParseFinal(line); final {
				c.logger.Debug("at", "cmd", redact(cmd), "lines", len(lines), "err", err, "took", time.Since(began))
				if err != nil {
					return lines, fmt.Errorf("%s: %w", redact(cmd), err)
				}
				return lines, nil
			}
			lines = append(lines, line)
		case <-timer.C:
			if waitingPrompt {
				_, _ = io.WriteString(c.rw, "\x1b")
			}
			err := fmt.Errorf("%s: %w after %v", redact(cmd), ErrTimeout, time.Since(began).Round(time.Millisecond))
			c.fail(err)
			return lines, err
		case <-c.done:
			return lines, fmt.Errorf("%s: %w", redact(cmd), c.closedErr())
		}
	}
}

// redact hides the PIN of AT+CPIN="…" (and any argument of a command that sets a password).
func redact(cmd string) string {
	u := strings.ToUpper(cmd)
	if strings.HasPrefix(u, "AT+CPIN=") || strings.HasPrefix(u, "AT+CPWD=") || strings.HasPrefix(u, "AT+CLCK=") {
		return cmd[:strings.IndexByte(cmd, '=')+1] + "[REDACTED]"
	}
	return cmd
}

func (c *Conn) read() {
	buf := make([]byte, 1024)
	var partial []byte
	for {
		n, err := c.rw.Read(buf)
		for _, b := range buf[:n] {
			switch b {
			case '\r', '\n':
				if len(partial) > 0 {
					c.line(string(partial))
					partial = partial[:0]
				}
			default:
				partial = append(partial, b)
				if len(partial) >= maxLine {
					c.line(string(partial))
					partial = partial[:0]
				}
			}
		}
		if strings.TrimSpace(string(partial)) == ">" {
			c.promptSeen()
			partial = partial[:0]
		}
		if err != nil {
			if errors.Is(err, ErrClosed) {
				c.fail(err)
			} else {
				c.fail(fmt.Errorf("read: %v: %w", err, ErrClosed))
			}
			return
		}
		if n == 0 {
			select {
			case <-c.done:
				return
			default:
			}
		}
	}
}

func (c *Conn) promptSeen() {
	c.mu.Lock()
	p := c.cur
	c.mu.Unlock()
	if p == nil {
		return
	}
	select {
	case p.prompt <- struct{}{}:
	default:
	}
}

// line routes one line: to the pending two-line URC, to the URCs, or to the running command.
func (c *Conn) line(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if c.pduFor != nil {
		u := *c.pduFor
		c.pduFor = nil
		u.PDU = s
		c.emit(u)
		return
	}
	if s == ">" {
		c.promptSeen()
		return
	}
	c.mu.Lock()
	p := c.cur
	c.mu.Unlock()
	if u, ok := ParseURC(s); ok && (p == nil || !strings.Contains(strings.ToUpper(p.cmd), u.Name)) {
		if TwoLine(u.Name) {
			c.pduFor = &u
			return
		}
		c.emit(u)
		return
	}
	if p == nil {
		c.logger.Debug("at: line outside any command", "line", s)
		return
	}
	select {
	case p.lines <- s:
	default:
		c.logger.Warn("at: answer too long, line dropped", "cmd", redact(p.cmd))
	}
}

func (c *Conn) emit(u URC) {
	select {
	case c.urcs <- u:
	default:
		c.logger.Warn("at: unsolicited result dropped", "urc", u.Name)
	}
}
