package at_test

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify/sms/modem/at"
)

func TestParseFinal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line      string
		wantFinal bool
		wantErr   string
	}{
		{"OK", true, ""},
		{" OK ", true, ""},
		{"ERROR", true, "ERROR"},
		{"+CMS ERROR: 500", true, "+CMS ERROR: 500 (unknown error)"},
		{"+CMS ERROR: unknown error", true, "+CMS ERROR: unknown error"},
		{"+CME ERROR: 10", true, "+CME ERROR: 10"},
		{"NO CARRIER", true, "NO CARRIER"},
		{"+CMGS: 12", false, ""},
		{"OKAY", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		final, err := at.ParseFinal(tt.line)
		if final != tt.wantFinal || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ParseFinal(%q) = %v, %v; want %v, %q", tt.line, final, err, tt.wantFinal, tt.wantErr)
		}
	}
}

func TestParseCMGS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lines   []string
		want    int
		wantErr bool
	}{
		{[]string{"+CMGS: 12"}, 12, false},
		{[]string{"+CMGS: 255,0791"}, 255, false},
		{[]string{"+CMGS:0"}, 0, false},
		{[]string{"+CMGS: 256"}, 0, true},
		{[]string{"+CMGS: x"}, 0, true},
		{nil, 0, true},
	}
	for _, tt := range tests {
		got, err := at.ParseCMGS(tt.lines)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseCMGS(%q) = %d, %v; want %d, error %v", tt.lines, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseCMTI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value   string
		mem     string
		index   int
		wantErr bool
	}{
		{`"SM",3`, "SM", 3, false},
		{`"ME", 12`, "ME", 12, false},
		{`SM,0`, "SM", 0, false},
		{`"SM"`, "", 0, true},
		{`"SM",-1`, "", 0, true},
		{`"SM",x`, "", 0, true},
		{`"S,M",1`, "S,M", 1, false},
	}
	for _, tt := range tests {
		mem, index, err := at.ParseCMTI(tt.value)
		if mem != tt.mem || index != tt.index || (err != nil) != tt.wantErr {
			t.Errorf("ParseCMTI(%q) = %q, %d, %v; want %q, %d, error %v", tt.value, mem, index, err, tt.mem, tt.index, tt.wantErr)
		}
	}
}

func TestParseCMGLAndCMGR(t *testing.T) {
	t.Parallel()
	pdu := "07913366003001F0040B913316325476F800006211921460058008CFB51C946E80"
	got, err := at.ParseCMGL([]string{"+CMGL: 1,0,,28", pdu, `+CMGL: 7,1,"Maman",28`, pdu})
	if err != nil || len(got) != 2 || got[0] != (at.Stored{Index: 1, Stat: 0, Length: 28, PDU: pdu}) || got[1].Index != 7 || got[1].Stat != 1 {
		t.Errorf("ParseCMGL = %+v, %v", got, err)
	}
	bad := [][]string{
		{"+CMGL: 1,0,,28"},               // no PDU line
		{"+CMGL: 1,0,,28", "not hex!"},   // PDU not hex
		{"+CMGL: a,0,,28", pdu},          // index not a number
		{"hello"},                        // not +CMGL
		{"+CMGL: 1", pdu},                // too few fields
		{"+CMGL: 1,0,,28", pdu + "0"},    // odd length
		{"+CMGL: 1,0,,28", pdu, "extra"}, // trailing garbage
	}
	for _, lines := range bad {
		if _, err := at.ParseCMGL(lines); err == nil {
			t.Errorf("ParseCMGL(%q): want an error", lines)
		}
	}
	s, err := at.ParseCMGR([]string{"+CMGR: 0,,28", pdu})
	if err != nil || s.Stat != 0 || s.Length != 28 || s.PDU != pdu {
		t.Errorf("ParseCMGR = %+v, %v", s, err)
	}
	for _, lines := range [][]string{nil, {"+CMGR: 0,,28"}, {"+CMGR: x,,28", pdu}, {"+CMGL: 0,,28", pdu}, {"+CMGR: 0,,28", "zz"}} {
		if _, err := at.ParseCMGR(lines); err == nil {
			t.Errorf("ParseCMGR(%q): want an error", lines)
		}
	}
}

func FuzzParsers(f *testing.F) {
	for _, s := range []string{
		"+CMGL: 1,0,,28\n07913366003001F0", "+CMGR: 0,,28\n00", "+CMGS: 12", "+CMTI: \"SM\",3",
		"+CMS ERROR: 500", "+CME ERROR: x", "OK", `+CMGL: 7,1,"a,b",28` + "\nAB", "+CMT: ,24", "\x00\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		_, _ = at.ParseFinal(s)
		if mr, err := at.ParseCMGS(lines); err == nil && (mr < 0 || mr > 255) {
			t.Errorf("ParseCMGS accepted %d", mr)
		}
		if _, i, err := at.ParseCMTI(s); err == nil && i < 0 {
			t.Errorf("ParseCMTI accepted index %d", i)
		}
		for _, st := range must(at.ParseCMGL(lines)) {
			if st.Index < 0 || st.PDU == "" || len(st.PDU)%2 != 0 {
				t.Errorf("ParseCMGL accepted %+v", st)
			}
		}
		_, _ = at.ParseCMGR(lines)
		if u, ok := at.ParseURC(s); ok && u.Name == "" {
			t.Error("ParseURC: URC without a name")
		}
	})
}

func must[T any](v T, _ error) T { return v }

// Whatever bytes the modem sends, the reader neither panics nor hangs a command forever.
func FuzzConnReader(f *testing.F) {
	f.Add([]byte("\r\n+CMTI: \"SM\",3\r\n\r\nOK\r\n"))
	f.Add([]byte("> \r\n+CMT: ,2\r\n\r\n+CDS: 5"))
	f.Add([]byte(strings.Repeat("A", 5000) + "\rOK\r"))
	f.Add([]byte("\r\n+CMS ERROR: 500\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pr, pw := io.Pipe()
		c := at.New(rwc{pr, io.Discard}, slog.New(slog.DiscardHandler))
		go func() {
			_, _ = pw.Write(data)
			_, _ = pw.Write([]byte("\r\nOK\r\n"))
		}()
		_, err := c.Exec(t.Context(), "AT", 500*time.Millisecond)
		if err != nil && !errors.Is(err, at.ErrError) && !errors.Is(err, at.ErrTimeout) {
			var cms *at.CMSError
			var cme *at.CMEError
			if !errors.As(err, &cms) && !errors.As(err, &cme) {
				t.Errorf("Exec: %v", err)
			}
		}
		_ = c.Close()
		_ = pw.Close()
		for range len(c.URCs()) {
			<-c.URCs()
		}
	})
}

type rwc struct {
	io.Reader
	io.Writer
}

func (r rwc) Close() error {
	if c, ok := r.Reader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
