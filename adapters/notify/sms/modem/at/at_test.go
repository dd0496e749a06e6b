package at_test

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/sms/modem/at"
)

// pipe returns a Conn and the far end of its stream, both closed at t's cleanup.
func pipe(t *testing.T) (*at.Conn, net.Conn, *bufio.Reader) {
	t.Helper()
	near, far := net.Pipe()
	c := at.New(near, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = c.Close(); _ = far.Close() })
	return c, far, bufio.NewReader(far)
}

// expect reads one command (up to '\r') from the far end.
func expect(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	got, err := r.ReadString('\r')
	if err != nil {
		t.Errorf("read command: %v", err)
		return
	}
	if got = strings.TrimSuffix(got, "\r"); got != want {
		t.Errorf("modem got %q, want %q", got, want)
	}
}

func TestExec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cmd       string
		answer    string
		wantLines []string
		wantErr   error
		wantCode  int
	}{
		{"ok", "AT", "\r\nOK\r\n", nil, nil, 0},
		{"lines", "AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n", []string{"+CPIN: READY"}, nil, 0},
		{"echo skipped", "AT+CMGF=0", "AT+CMGF=0\r\r\nOK\r\n", nil, nil, 0},
		{"error", "AT+FOO", "\r\nERROR\r\n", nil, at.ErrError, 0},
		{"cms error", "AT+CMGR=9", "\r\n+CMS ERROR: 321\r\n", nil, &at.CMSError{}, 321},
		{"cme error", "AT+CPIN?", "\r\n+CME ERROR: 10\r\n", nil, &at.CMEError{}, 10},
		{"split reads", "AT+CSQ", "\r\n+CS", nil, nil, 0}, // completed below
		{"bare newlines", "AT+CGMI", "\nACME\nOK\n", []string{"ACME"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, far, r := pipe(t)
			go func() {
				expect(t, r, tt.cmd)
				_, _ = far.Write([]byte(tt.answer))
				if tt.name == "split reads" {
					_, _ = far.Write([]byte("Q: 20,99\r\n"))
					_, _ = far.Write([]byte("\r\nOK\r\n"))
				}
			}()
			lines, err := c.Exec(context.Background(), tt.cmd, 5*time.Second)
			if tt.name == "split reads" {
				tt.wantLines = []string{"+CSQ: 20,99"}
			}
			if strings.Join(lines, "|") != strings.Join(tt.wantLines, "|") {
				t.Errorf("lines %q, want %q", lines, tt.wantLines)
			}
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Errorf("err %v, want nil", err)
				}
			case *at.CMSError:
				var got *at.CMSError
				if !errors.As(err, &got) || got.Code != tt.wantCode {
					t.Errorf("err %v, want +CMS ERROR %d", err, tt.wantCode)
				}
			case *at.CMEError:
				var got *at.CMEError
				if !errors.As(err, &got) || got.Code != tt.wantCode {
					t.Errorf("err %v, want +CME ERROR %d", err, tt.wantCode)
				}
			default:
				if !errors.Is(err, want) {
					t.Errorf("err %v, want %v", err, want)
				}
			}
		})
	}
}

// URCs arriving before, during and after a command go to URCs, not into the answer; a +CMT is
// followed by its PDU line.
func TestUnsolicited(t *testing.T) {
	t.Parallel()
	c, far, r := pipe(t)
	go func() {
		_, _ = far.Write([]byte("\r\n+CMTI: \"SM\",3\r\n"))
		expect(t, r, "AT+CMGL=4")
		_, _ = far.Write([]byte("\r\n+CMGL: 1,1,,5\r\n0011000B91\r\n\r\n+CMTI: \"ME\",4\r\n\r\nRING\r\n+CMT: ,24\r\n07913366003001F0\r\n\r\nOK\r\n"))
	}()
	lines, err := c.Exec(context.Background(), "AT+CMGL=4", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if want := "+CMGL: 1,1,,5|0011000B91"; strings.Join(lines, "|") != want {
		t.Errorf("lines %q, want %q", lines, want)
	}
	want := []at.URC{
		{Name: "+CMTI", Value: `"SM",3`},
		{Name: "+CMTI", Value: `"ME",4`},
		{Name: "RING"},
		{Name: "+CMT", Value: ",24", PDU: "07913366003001F0"},
	}
	for i, w := range want {
		select {
		case got := <-c.URCs():
			if got != w {
				t.Errorf("URC %d = %+v, want %+v", i, got, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("URC %d never came", i)
		}
	}
}

func TestSubmit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		modem   func(t *testing.T, far net.Conn, r *bufio.Reader)
		wantErr error
	}{
		{"sent", func(t *testing.T, far net.Conn, r *bufio.Reader) {
			expect(t, r, "AT+CMGS=17")
			_, _ = far.Write([]byte("\r\n> "))
			pdu, _ := r.ReadString(0x1a)
			if pdu != "0011000B913316325476F80000AA05E8329BFD06\x1a" {
				t.Errorf("payload %q", pdu)
			}
			_, _ = far.Write([]byte("\r\n+CMGS: 42\r\n\r\nOK\r\n"))
		}, nil},
		{"refused after the pdu", func(t *testing.T, far net.Conn, r *bufio.Reader) {
			expect(t, r, "AT+CMGS=17")
			_, _ = far.Write([]byte("\r\n>"))
			_, _ = r.ReadString(0x1a)
			_, _ = far.Write([]byte("\r\n+CMS ERROR: 42\r\n"))
		}, &at.CMSError{Code: 42}},
		{"refused before the prompt", func(t *testing.T, far net.Conn, r *bufio.Reader) {
			expect(t, r, "AT+CMGS=17")
			_, _ = far.Write([]byte("\r\n+CMS ERROR: 331\r\n"))
		}, &at.CMSError{Code: 331}},
		{"no prompt", func(t *testing.T, far net.Conn, r *bufio.Reader) {
			expect(t, r, "AT+CMGS=17")
			if b, _ := r.ReadByte(); b != 0x1b {
				t.Errorf("got %q after the missing prompt, want ESC", b)
			}
		}, at.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, far, r := pipe(t)
			go tt.modem(t, far, r)
			lines, err := c.Submit(context.Background(), "AT+CMGS=17", "0011000B913316325476F80000AA05E8329BFD06", 300*time.Millisecond, 5*time.Second)
			switch want := tt.wantErr.(type) {
			case nil:
				if mr, perr := at.ParseCMGS(lines); err != nil || perr != nil || mr != 42 {
					t.Errorf("Submit = %q, %v; want +CMGS: 42", lines, err)
				}
			case *at.CMSError:
				var got *at.CMSError
				if !errors.As(err, &got) || got.Code != want.Code {
					t.Errorf("Submit err %v, want %v", err, want)
				}
			default:
				if !errors.Is(err, want) {
					t.Errorf("Submit err %v, want %v", err, want)
				}
			}
		})
	}
}

// An unanswered command closes the Conn; so does a lost stream. Both are reported.
func TestTimeoutAndHangUp(t *testing.T) {
	t.Parallel()
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		c, _, r := pipe(t)
		go func() { _, _ = r.ReadString('\r') }()
		_, err := c.Exec(context.Background(), "AT", 100*time.Millisecond)
		if !errors.Is(err, at.ErrTimeout) {
			t.Fatalf("err %v, want ErrTimeout", err)
		}
		<-c.Done()
		if _, err := c.Exec(context.Background(), "AT", time.Second); !errors.Is(err, at.ErrTimeout) {
			t.Errorf("after a timeout: err %v, want the Conn closed by the timeout", err)
		}
	})
	t.Run("hang up", func(t *testing.T) {
		t.Parallel()
		c, far, r := pipe(t)
		go func() {
			_, _ = r.ReadString('\r')
			_ = far.Close()
		}()
		_, err := c.Exec(context.Background(), "AT", 5*time.Second)
		if !errors.Is(err, at.ErrClosed) {
			t.Fatalf("err %v, want ErrClosed", err)
		}
		if !errors.Is(c.Err(), at.ErrClosed) {
			t.Errorf("Err() = %v, want ErrClosed", c.Err())
		}
	})
	t.Run("ctx while waiting for the turn", func(t *testing.T) {
		t.Parallel()
		c, far, r := pipe(t)
		first := make(chan error, 1)
		go func() {
			_, err := c.Exec(context.Background(), "AT+SLOW", 5*time.Second)
			first <- err
		}()
		expect(t, r, "AT+SLOW")
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := c.Exec(ctx, "AT", 5*time.Second); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err %v, want DeadlineExceeded", err)
		}
		_, _ = far.Write([]byte("\r\nOK\r\n"))
		if err := <-first; err != nil {
			t.Errorf("first command: %v", err)
		}
	})
}

func TestPINIsRedacted(t *testing.T) {
	t.Parallel()
	c, far, r := pipe(t)
	go func() {
		_, _ = r.ReadString('\r')
		_, _ = far.Write([]byte("\r\n+CME ERROR: 16\r\n"))
	}()
	_, err := c.Exec(context.Background(), `AT+CPIN="90817263"`, 5*time.Second)
	if err == nil || strings.Contains(err.Error(), "90817263") {
		t.Fatalf("err %v: want an error without the PIN", err)
	}
}

func TestCMSTemporary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code int
		want bool
	}{
		{1, false}, {8, false}, {21, false}, {30, false}, {96, false}, {130, false}, {176, false}, {195, false}, {304, false}, {330, false},
		{27, true}, {38, true}, {41, true}, {42, true}, {47, true}, {192, true}, {300, true}, {310, true}, {311, true},
		{322, true}, {331, true}, {332, true}, {500, true}, {512, true}, {-1, true},
	}
	for _, tt := range tests {
		if got := (&at.CMSError{Code: tt.code}).Temporary(); got != tt.want {
			t.Errorf("+CMS ERROR: %d Temporary = %v, want %v", tt.code, got, tt.want)
		}
	}
}
