package twilio_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/adapters/notify/sms"
)

// contractReceiver checks each request against Twilio's documented format for creating a message
// (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource) and
// answers as Twilio does: 201 with the message resource, or 4xx with Twilio's error document.
type contractReceiver struct {
	sid, token string
	refuse     bool // every request is refused as an invalid number (21211)

	mu        sync.Mutex
	accepted  []url.Values
	violation []string
}

var messagesPath = regexp.MustCompile(`^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages\.json$`)

func (c *contractReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fail := func(status, code int, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		c.mu.Lock()
		c.violation = append(c.violation, msg)
		c.mu.Unlock()
		writeTwilioError(w, status, code, msg)
	}
	m := messagesPath.FindStringSubmatch(r.URL.Path)
	if m == nil || r.Method != http.MethodPost {
		fail(http.StatusNotFound, 20404, "The requested resource %s %s was not found", r.Method, r.URL.Path)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != c.sid || pass != c.token || m[1] != c.sid {
		fail(http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		fail(http.StatusUnsupportedMediaType, 0, "content type %q", ct)
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(http.StatusBadRequest, 0, "form: %v", err)
		return
	}
	f := r.PostForm
	switch {
	case !sms.ValidE164(f.Get("To")):
		fail(http.StatusBadRequest, 21211, "The 'To' number %s is not a valid phone number.", f.Get("To"))
	case f.Get("From") == "" && f.Get("MessagingServiceSid") == "":
		fail(http.StatusBadRequest, 21603, "The 'From' phone number is required.")
	case f.Get("Body") == "":
		fail(http.StatusBadRequest, 21602, "Message body is required.")
	case utf8.RuneCountInString(f.Get("Body")) > 1600:
		fail(http.StatusBadRequest, 21617, "The concatenated message body exceeds the 1600 character limit.")
	case f.Has("StatusCallback") && !absoluteURL(f.Get("StatusCallback")):
		fail(http.StatusBadRequest, 21609, "Invalid StatusCallback")
	case c.refuse:
		writeTwilioError(w, http.StatusBadRequest, 21211, fmt.Sprintf("The 'To' number %s is not a valid phone number.", f.Get("To")))
	default:
		c.mu.Lock()
		c.accepted = append(c.accepted, f)
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"sid": "SM" + randomHex(16), "account_sid": c.sid, "status": "queued",
			"to": f.Get("To"), "from": f.Get("From"), "body": f.Get("Body"), "api_version": "2010-04-01",
		})
	}
}

func (c *contractReceiver) deliveries(*testing.T) []notifytest.Delivery {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]notifytest.Delivery, len(c.accepted))
	for i, f := range c.accepted {
		out[i] = notifytest.Delivery{To: f.Get("To"), Text: f.Get("Body")}
	}
	return out
}

func (c *contractReceiver) violations() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.violation...)
}

func writeTwilioError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"code": code, "message": msg, "more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code), "status": status,
	})
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newContractPeer starts a receiver for t; it fails t at cleanup if a request broke the contract
// (a refused-by-design request is not a violation).
func newContractPeer(t *testing.T, refuse bool) (*contractReceiver, *httptest.Server) {
	t.Helper()
	c := &contractReceiver{sid: accountSID, token: authToken, refuse: refuse}
	srv := httptest.NewServer(c)
	t.Cleanup(func() {
		srv.Close()
		for _, v := range c.violations() {
			t.Errorf("request broke Twilio's documented format: %s", v)
		}
	})
	return c, srv
}
