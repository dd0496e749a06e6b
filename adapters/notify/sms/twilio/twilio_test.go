package twilio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/sms/twilio"
)

const (
	accountSID = "AC0123456789abcdef0123456789abcdef"
	authToken  = "tok9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	callback   = "https://vigie.example.fr/api/v1/webhooks/sms/status"
)

func config(base string) twilio.Config {
	return twilio.Config{
		BaseURL: base, AccountSID: accountSID, AuthToken: authToken, From: "+33700000001",
		StatusCallbackURL: callback,
	}
}

func newNotifier(t *testing.T, cfg twilio.Config, logger *slog.Logger) *twilio.Notifier {
	t.Helper()
	n, err := twilio.New(cfg, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

// harness wires the suite to a Working/Refusing peer from working; Busy, Down and Stalled are
// the same for every peer.
func harness(working func(t *testing.T, s notifytest.State) (base string, cfg func(*twilio.Config), received func(*testing.T) []notifytest.Delivery)) notifytest.Harness {
	return notifytest.Harness{
		Channel: notify.ChannelSMS,
		Secrets: []string{authToken},
		AckLink: true,
		Recipient: func(n int) string {
			return fmt.Sprintf("+336%08d", 10000000+n)
		},
		Start: func(t *testing.T, s notifytest.State, logger *slog.Logger) notifytest.Peer {
			var p notifytest.Peer
			cfg := config("")
			switch s {
			case notifytest.Working, notifytest.Refusing:
				base, adjust, received := working(t, s)
				cfg.BaseURL = base
				if adjust != nil {
					adjust(&cfg)
				}
				p.Received = received
			case notifytest.Busy:
				cfg.BaseURL = busyPeer(t).URL
			case notifytest.Down:
				cfg.BaseURL = "http://" + notifytest.ClosedAddr(t)
			case notifytest.Stalled:
				b := notifytest.NewBlackhole(t, nil)
				cfg.BaseURL = "http://" + b.Addr
				p.Connected = b.Connected()
			}
			p.Notifier = newNotifier(t, cfg, logger)
			return p
		},
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	t.Run("ContractReceiver", func(t *testing.T) {
		t.Parallel()
		notifytest.Run(t, harness(func(t *testing.T, s notifytest.State) (string, func(*twilio.Config), func(*testing.T) []notifytest.Delivery) {
			c, srv := newContractPeer(t, s == notifytest.Refusing)
			return srv.URL, nil, c.deliveries
		}))
	})
	t.Run("Prism", func(t *testing.T) {
		t.Parallel()
		base := prismURL(t)
		notifytest.Run(t, harness(func(t *testing.T, s notifytest.State) (string, func(*twilio.Config), func(*testing.T) []notifytest.Delivery) {
			srv, rec := recordingProxy(t, base)
			if s == notifytest.Refusing {
				// An account id that is not one: Twilio answers 404, Prism 422 (the path breaks
				// the spec's pattern); either way the message can never go.
				return srv.URL, func(c *twilio.Config) { c.AccountSID = "ACnot-an-account" }, rec.deliveries
			}
			return srv.URL, nil, rec.deliveries
		}))
	})
}

// The request as Prism checked it: every field the spec knows, with the values Vigie means.
func TestPrismAcceptsTheRequest(t *testing.T) {
	t.Parallel()
	srv, rec := recordingProxy(t, prismURL(t))
	n := newNotifier(t, config(srv.URL), slog.New(slog.DiscardHandler))
	sent, retry, err := n.Send(context.Background(), notify.Message{ID: "m1", Channel: notify.ChannelSMS, To: "+33 6 12 34 56 78", Text: "Méjean : seuil d'alerte franchi"})
	if err != nil {
		t.Fatalf("Send = retry %v, %v", retry, err)
	}
	if sent.SID == "" {
		t.Error("no message sid in the answer")
	}
	forms := rec.forms()
	if len(forms) != 1 {
		t.Fatalf("prism accepted %d requests, want 1", len(forms))
	}
	want := map[string]string{"To": "+33612345678", "From": "+33700000001", "Body": "Méjean : seuil d'alerte franchi", "StatusCallback": callback}
	for k, v := range want {
		if got := forms[0].Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestOnSentGivesTheProviderID(t *testing.T) {
	t.Parallel()
	_, srv := newContractPeer(t, false)
	var got []string
	n, err := twilio.New(config(srv.URL), slog.New(slog.DiscardHandler), twilio.WithOnSent(func(m notify.Message, s twilio.Sent) {
		got = append(got, m.ID+"="+s.SID)
	}))
	if err != nil {
		t.Fatal(err)
	}
	sent, _, err := n.Send(context.Background(), notify.Message{ID: "m7", To: "+33612345678", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "m7="+sent.SID {
		t.Errorf("OnSent got %q, want [m7=%s]", got, sent.SID)
	}
}

func TestRequestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		adjust func(*twilio.Config)
		want   map[string]string
	}{
		{"from number", nil, map[string]string{"From": "+33700000001", "StatusCallback": callback}},
		{"messaging service", func(c *twilio.Config) { c.From = ""; c.MessagingServiceSID = "MG0123456789abcdef0123456789abcdef" },
			map[string]string{"From": "", "MessagingServiceSid": "MG0123456789abcdef0123456789abcdef"}},
		{"no receipts", func(c *twilio.Config) { c.StatusCallbackURL = "" }, map[string]string{"StatusCallback": ""}},
		{"base url with a path prefix slash", func(c *twilio.Config) { c.BaseURL += "/" }, map[string]string{"To": "+33612345678"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newContractPeer(t, false)
			cfg := config(srv.URL)
			if tt.adjust != nil {
				tt.adjust(&cfg)
			}
			n := newNotifier(t, cfg, slog.New(slog.DiscardHandler))
			sent, _, err := n.Send(context.Background(), notify.Message{ID: "m", To: "0033612345678", Text: "essai"})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if !strings.HasPrefix(sent.SID, "SM") || sent.Status != "queued" {
				t.Errorf("Send = %+v, want the sid and status of the answer", sent)
			}
			c.mu.Lock()
			defer c.mu.Unlock()
			if len(c.accepted) != 1 {
				t.Fatalf("receiver accepted %d requests, want 1", len(c.accepted))
			}
			for k, v := range tt.want {
				if got := c.accepted[0].Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// What each answer of the API means for a retry.
func TestRetryClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		wantRetry bool
		wantInErr string
	}{
		{"invalid number", 400, `{"code": 21211, "message": "The 'To' number +3361 is not a valid phone number.", "status": 400}`, false, "21211"},
		{"unsubscribed", 400, `{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}`, false, "21610"},
		{"bad credentials", 401, `{"code": 20003, "message": "Authenticate", "status": 401}`, false, "20003"},
		{"unknown account", 404, `{"code": 20404, "message": "The requested resource was not found", "status": 404}`, false, "404"},
		{"prism validation", 422, `{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"detail":"bad"}`, false, "Invalid request"},
		{"request timeout", 408, ``, true, "408"},
		{"rate limited", 429, `{"code": 20429, "message": "Too Many Requests", "status": 429}`, true, "20429"},
		{"server error", 500, `{"code": 20500, "message": "Internal Server Error", "status": 500}`, true, "20500"},
		{"bad gateway html", 502, `<html><body>Bad Gateway</body></html>`, true, "Bad Gateway"},
		{"unavailable", 503, ``, true, "503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			n := newNotifier(t, config(srv.URL), slog.New(slog.DiscardHandler))
			retry, err := n.Notify(context.Background(), notify.Message{ID: "m", To: "+33612345678", Text: "x"})
			if err == nil || retry != tt.wantRetry {
				t.Fatalf("Notify = retry %v, %v; want retry %v and an error", retry, err, tt.wantRetry)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantInErr)
			}
			var apiErr *twilio.APIError
			if !errors.As(err, &apiErr) || apiErr.HTTPStatus != tt.status {
				t.Errorf("error %v is not an APIError with status %d", err, tt.status)
			}
		})
	}
}

func TestInvalidRecipientIsNotSent(t *testing.T) {
	t.Parallel()
	for _, to := range []string{"", "06", "not a number", "+0612345678", "+33 6 12 34 56 78 99 99 99"} {
		t.Run(to, func(t *testing.T) {
			t.Parallel()
			c, srv := newContractPeer(t, false)
			n := newNotifier(t, config(srv.URL), slog.New(slog.DiscardHandler))
			retry, err := n.Notify(context.Background(), notify.Message{ID: "m", To: to, Text: "x"})
			if err == nil || retry {
				t.Fatalf("Notify(%q) = retry %v, %v; want retry false and an error", to, retry, err)
			}
			if got := c.deliveries(t); len(got) != 0 {
				t.Errorf("sent %v", got)
			}
		})
	}
}

// The client's own timeout is a temporary failure too.
func TestTimeoutIsRetryable(t *testing.T) {
	t.Parallel()
	b := notifytest.NewBlackhole(t, nil)
	cfg := config("http://" + b.Addr)
	cfg.Timeout = 200 * time.Millisecond
	n := newNotifier(t, cfg, slog.New(slog.DiscardHandler))
	retry, err := n.Notify(context.Background(), notify.Message{ID: "m", To: "+33612345678", Text: "x"})
	if err == nil || !retry {
		t.Fatalf("Notify = retry %v, %v; want retry true and an error", retry, err)
	}
}

func TestLongTextIsCut(t *testing.T) {
	t.Parallel()
	c, srv := newContractPeer(t, false)
	cfg := config(srv.URL)
	cfg.MaxSegments = 2
	n := newNotifier(t, cfg, slog.New(slog.DiscardHandler))
	if _, err := n.Notify(context.Background(), notify.Message{ID: "m", To: "+33612345678", Text: strings.Repeat("niveau ", 100)}); err != nil {
		t.Fatal(err)
	}
	got := c.deliveries(t)[0].Text
	if len(got) > 306 || !strings.HasSuffix(got, "...") {
		t.Errorf("body of %d characters %q, want at most 2 parts (306) ending with ...", len(got), got)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		adjust func(*twilio.Config)
		want   []string
	}{
		{"valid", nil, nil},
		{"everything wrong", func(c *twilio.Config) {
			*c = twilio.Config{BaseURL: "ftp://x", From: "", StatusCallbackURL: "nope", Timeout: -1, MaxSegments: 11}
		}, []string{"base_url", "account_sid is empty", "auth_token is empty", "set from", "status_callback_url", "timeout", "max_segments"}},
		{"from not E.164", func(c *twilio.Config) { c.From = "+0033" }, []string{"from"}},
		{"sender id too long", func(c *twilio.Config) { c.From = "VIGIE-NIMES-BARRAGES" }, []string{"11 characters"}},
		{"sender id", func(c *twilio.Config) { c.From = "VIGIE" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := config("https://api.twilio.com")
			if tt.adjust != nil {
				tt.adjust(&cfg)
			}
			err := cfg.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate = nil, want errors")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate = %q, want it to mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), authToken) {
				t.Error("Validate leaks the auth token")
			}
		})
	}
}

func FuzzParseAPIError(f *testing.F) {
	f.Add(400, []byte(`{"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}`))
	f.Add(429, []byte(`{"code": "20429", "message": 1}`))
	f.Add(422, []byte(`{"title":"Invalid request","detail":"x"}`))
	f.Add(502, []byte("<html>Bad Gateway</html>"))
	f.Add(500, []byte{})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := twilio.ParseAPIError(status, body)
		if e == nil || e.HTTPStatus != status || e.Error() == "" {
			t.Fatalf("ParseAPIError(%d, %q) = %+v", status, body, e)
		}
		if len([]rune(e.Message)) > 203 {
			t.Errorf("message of %d characters", len([]rune(e.Message)))
		}
	})
}
