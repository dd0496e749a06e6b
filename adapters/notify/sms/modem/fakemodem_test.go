package modem_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	rsms "github.com/rehiy/modem/sms"
	"github.com/rehiy/modem/sms/pdumode"
	"github.com/rehiy/modem/sms/tpdu"

	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/sms/modem"
)

// ptyPair is a pseudo-terminal pair made by socat: the channel opens Near as its serial port, the
// scripted modem holds Far. Killing socat is unplugging the modem: both ends hang up and the
// links disappear, as /dev/ttyUSB2 does.
type ptyPair struct {
	Near, Far string
	cmd       *exec.Cmd
	exited    chan struct{}
}

func requireSocat(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("socat")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("socat is not installed: scripts/setup.d/sms.sh installs it")
		}
		t.Skip("socat is not installed: run scripts/setup.d/sms.sh (apt-get install socat)")
	}
	return path
}

// startPTY starts socat with links near and far in dir; it is killed at t's cleanup.
func startPTY(t testing.TB, dir string) *ptyPair {
	t.Helper()
	socat := requireSocat(t)
	p := &ptyPair{Near: filepath.Join(dir, "modem"), Far: filepath.Join(dir, "far"), exited: make(chan struct{})}
	stderr := &lockedBuffer{}
	p.cmd = exec.Command(socat, "-d", "-d",
		"pty,raw,echo=0,link="+p.Near, "pty,raw,echo=0,link="+p.Far)
	p.cmd.Stderr = stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start socat: %v", err)
	}
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(p.Unplug)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err1 := os.Stat(p.Near)
		_, err2 := os.Stat(p.Far)
		if err1 == nil && err2 == nil && strings.Count(stderr.String(), "PTY is") >= 2 {
			return p
		}
		select {
		case <-p.exited:
			t.Fatalf("socat exited: %s", stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("socat links not there after 10 s: %s", stderr.String())
		}
	}
}

// lockedBuffer is a bytes.Buffer written by a process and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Unplug kills socat and waits for it.
func (p *ptyPair) Unplug() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
	}
	<-p.exited
}

// mode is how the scripted modem answers AT+CMGS.
type mode int

const (
	accept  mode = iota
	refuse       // +CMS ERROR: 1 (unassigned number)
	busy         // +CMS ERROR: 500
	stalled      // reads everything, answers nothing
)

type stored struct {
	stat int
	pdu  string // hex, SMSC + TPDU
	tlen int
}

// fakeModem is a scripted GSM modem answering AT commands in PDU mode on the far end of a pty.
type fakeModem struct {
	t    testing.TB
	f    *os.File
	mode mode
	pin  string

	wmu sync.Mutex // one writer at a time

	mu        sync.Mutex
	unlocked  bool
	commands  []string
	inbox     map[int]stored
	nextIndex int
	mr        int
	parts     map[string][]*tpdu.TPDU // reassembly of concatenated submits, by recipient+ref
	got       []notifytest.Delivery

	connected chan struct{}
	connOnce  sync.Once
	done      chan struct{}
}

// warmCodec makes the channel build the PDU codec's tables before the test's own code uses the
// codec from other goroutines (the codec builds them lazily, unsynchronised).
func warmCodec() { _, _ = modem.DecodeDeliver("") }

func startModem(t testing.TB, far string, m mode, pin string) *fakeModem {
	t.Helper()
	warmCodec()
	f, err := os.OpenFile(far, os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("open far end: %v", err)
	}
	fm := &fakeModem{
		t: t, f: f, mode: m, pin: pin, unlocked: pin == "", inbox: map[int]stored{}, nextIndex: 1,
		parts: map[string][]*tpdu.TPDU{}, connected: make(chan struct{}), done: make(chan struct{}),
	}
	go fm.serve()
	t.Cleanup(fm.Close)
	return fm
}

// Close hangs up the far end and waits for the script to stop.
func (fm *fakeModem) Close() {
	_ = fm.f.Close()
	<-fm.done
}

func (fm *fakeModem) write(s string) {
	fm.wmu.Lock()
	defer fm.wmu.Unlock()
	_, _ = fm.f.WriteString(s)
}

func (fm *fakeModem) answer(lines ...string) {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("\r\n" + l + "\r\n")
	}
	fm.write(b.String())
}

func (fm *fakeModem) serve() {
	defer close(fm.done)
	r := bufio.NewReader(fm.f)
	var line []byte
	for {
		c, err := r.ReadByte()
		if err != nil {
			return
		}
		fm.connOnce.Do(func() { close(fm.connected) })
		if fm.mode == stalled {
			continue
		}
		switch c {
		case 0x1b, '\n':
			continue
		case '\r':
			cmd := string(line)
			line = line[:0]
			if cmd != "" {
				fm.command(cmd, r)
			}
		default:
			line = append(line, c)
		}
	}
}

func (fm *fakeModem) command(cmd string, r *bufio.Reader) {
	fm.mu.Lock()
	fm.commands = append(fm.commands, cmd)
	unlocked := fm.unlocked
	fm.mu.Unlock()
	switch {
	case cmd == "AT" || cmd == "ATE0" || cmd == "AT+CMEE=1" || cmd == "AT+CMGF=0" || strings.HasPrefix(cmd, "AT+CNMI="):
		fm.answer("OK")
	case cmd == "AT+CPIN?":
		if unlocked {
			fm.answer("+CPIN: READY", "OK")
		} else {
			fm.answer("+CPIN: SIM PIN", "OK")
		}
	case strings.HasPrefix(cmd, "AT+CPIN="):
		if strings.Trim(strings.TrimPrefix(cmd, "AT+CPIN="), `"`) == fm.pin {
			fm.mu.Lock()
			fm.unlocked = true
			fm.mu.Unlock()
			fm.answer("OK")
		} else {
			fm.answer("+CME ERROR: 16")
		}
	case !unlocked:
		fm.answer("+CMS ERROR: 311")
	case strings.HasPrefix(cmd, "AT+CMGS="):
		fm.submit(cmd, r)
	case strings.HasPrefix(cmd, "AT+CMGR="):
		i, _ := strconv.Atoi(strings.TrimPrefix(cmd, "AT+CMGR="))
		fm.mu.Lock()
		s, ok := fm.inbox[i]
		if ok && s.stat == 0 {
			fm.inbox[i] = stored{stat: 1, pdu: s.pdu, tlen: s.tlen}
		}
		fm.mu.Unlock()
		if !ok {
			fm.answer("+CMS ERROR: 321")
			return
		}
		fm.answer(fmt.Sprintf("+CMGR: %d,,%d", s.stat, s.tlen), s.pdu, "OK")
	case cmd == "AT+CMGL=4":
		fm.mu.Lock()
		idx := make([]int, 0, len(fm.inbox))
		for i := range fm.inbox {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		var lines []string
		for _, i := range idx {
			s := fm.inbox[i]
			lines = append(lines, fmt.Sprintf("+CMGL: %d,%d,,%d", i, s.stat, s.tlen), s.pdu)
		}
		fm.mu.Unlock()
		fm.answer(append(lines, "OK")...)
	case strings.HasPrefix(cmd, "AT+CMGD="):
		i, _ := strconv.Atoi(strings.TrimPrefix(cmd, "AT+CMGD="))
		fm.mu.Lock()
		delete(fm.inbox, i)
		fm.mu.Unlock()
		fm.answer("OK")
	default:
		fm.answer("ERROR")
	}
}

// submit plays AT+CMGS: the prompt, the PDU up to Ctrl-Z, then the network's answer.
func (fm *fakeModem) submit(cmd string, r *bufio.Reader) {
	n, _ := strconv.Atoi(strings.TrimPrefix(cmd, "AT+CMGS="))
	fm.write("\r\n> ")
	var b strings.Builder
	for {
		c, err := r.ReadByte()
		if err != nil {
			return
		}
		if c == 0x1b { // ESC cancels, as on a real modem: no answer
			return
		}
		if c == 0x1a {
			break
		}
		b.WriteByte(c)
	}
	pdu := b.String()
	switch fm.mode {
	case refuse:
		fm.answer("+CMS ERROR: 1")
		return
	case busy:
		fm.answer("+CMS ERROR: 500")
		return
	}
	if err := fm.receive(pdu, n); err != nil {
		fm.t.Errorf("scripted modem: bad submit PDU %q: %v", pdu, err)
		fm.answer("+CMS ERROR: 304")
		return
	}
	fm.mu.Lock()
	fm.mr = (fm.mr + 1) % 256
	mr := fm.mr
	fm.mu.Unlock()
	fm.answer(fmt.Sprintf("+CMGS: %d", mr), "OK")
}

// receive decodes an SMS-SUBMIT and records the message once all its parts are in.
func (fm *fakeModem) receive(hexPDU string, tpduLen int) error {
	p, err := pdumode.UnmarshalHexString(hexPDU)
	if err != nil {
		return err
	}
	if len(p.TPDU) != tpduLen {
		return fmt.Errorf("AT+CMGS=%d but the TPDU has %d octets", tpduLen, len(p.TPDU))
	}
	t, err := rsms.Unmarshal(p.TPDU, rsms.AsMO)
	if err != nil {
		return err
	}
	if t.SmsType() != tpdu.SmsSubmit {
		return errors.New("not an SMS-SUBMIT")
	}
	to := t.DA.Number()
	segs := []*tpdu.TPDU{t}
	if parts, _, ref, ok := t.ConcatInfo(); ok && parts > 1 {
		key := fmt.Sprintf("%s/%d", to, ref)
		fm.mu.Lock()
		fm.parts[key] = append(fm.parts[key], t)
		segs = fm.parts[key]
		if len(segs) < parts {
			fm.mu.Unlock()
			return nil
		}
		delete(fm.parts, key)
		fm.mu.Unlock()
		sort.Slice(segs, func(i, j int) bool {
			_, a, _, _ := segs[i].ConcatInfo()
			_, b, _, _ := segs[j].ConcatInfo()
			return a < b
		})
		if !rsms.IsCompleteMessage(segs) {
			return errors.New("concatenated parts do not make a message")
		}
	}
	text, err := rsms.Decode(segs)
	if err != nil {
		return err
	}
	fm.mu.Lock()
	fm.got = append(fm.got, notifytest.Delivery{To: to, Text: string(text)})
	fm.mu.Unlock()
	return nil
}

func (fm *fakeModem) deliveries(*testing.T) []notifytest.Delivery {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	return append([]notifytest.Delivery(nil), fm.got...)
}

func (fm *fakeModem) inboxSize() int {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	return len(fm.inbox)
}

func (fm *fakeModem) sent(prefix string) int {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	n := 0
	for _, c := range fm.commands {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// deliverPDUs encodes an SMS-DELIVER from "from" (several parts when long), as a network would
// store it, with the SMSC's address and time stamp.
func deliverPDUs(t testing.TB, from, text string, at time.Time) []stored {
	t.Helper()
	warmCodec()
	tpdus, err := rsms.Encode([]byte(text), rsms.AsDeliver, rsms.From(from))
	if err != nil {
		t.Fatal(err)
	}
	var out []stored
	for i := range tpdus {
		tpdus[i].SCTS = tpdu.Timestamp{Time: at}
		b, err := tpdus[i].MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		p := pdumode.PDU{SMSC: pdumode.SmscAddress{Address: tpdu.NewAddress(tpdu.FromNumber("+33609001390"))}, TPDU: b}
		h, err := p.MarshalHexString()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, stored{pdu: strings.ToUpper(h), tlen: len(b)})
	}
	return out
}

// push stores a message from "from" and announces each part with +CMTI (unless quiet: then it
// waits in storage for a sweep).
func (fm *fakeModem) push(from, text string, at time.Time, quiet bool) {
	for _, s := range deliverPDUs(fm.t, from, text, at) {
		fm.mu.Lock()
		i := fm.nextIndex
		fm.nextIndex++
		fm.inbox[i] = s
		fm.mu.Unlock()
		if !quiet {
			fm.write(fmt.Sprintf("\r\n+CMTI: \"SM\",%d\r\n", i))
		}
	}
}
