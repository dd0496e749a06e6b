package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/vigie/vigie/adapters/notify/sms"
)

// SignatureHeader carries Twilio's signature of a webhook request.
const SignatureHeader = "X-Twilio-Signature"

// maxWebhookBody bounds a webhook's form (Twilio's are below 4 KiB).
const maxWebhookBody = 64 << 10

// Signature is Twilio's signature of a webhook request: base64(HMAC-SHA1(authToken, URL +
// the form's parameters sorted by name, each name followed by its value)). fullURL is the URL the
// gateway called, query included.
func Signature(authToken, fullURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vals := slices.Clone(form[k])
		slices.Sort(vals)
		vals = slices.Compact(vals) // a repeated value counts once, as in Twilio's own libraries
		for _, v := range vals {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ValidSignature reports whether signature is the signature of the request: computed on fullURL
// as it is, then with the default port added or removed (gateways differ in what they sign,
// Twilio's own libraries accept both). The comparison takes constant time.
func ValidSignature(authToken, fullURL string, form url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	got := []byte(signature)
	for _, u := range urlVariants(fullURL) {
		if hmac.Equal(got, []byte(Signature(authToken, u, form))) {
			return true
		}
	}
	return false
}

func urlVariants(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return []string{raw}
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	other := *u
	switch {
	case u.Port() == "" && def != "":
		other.Host = u.Host + ":" + def
	case u.Port() != "" && u.Port() == def:
		other.Host = u.Hostname()
		if strings.Contains(other.Host, ":") {
			other.Host = "[" + other.Host + "]"
		}
	default:
		return []string{raw}
	}
	return []string{raw, other.String()}
}

// StatusHandler is the receipts webhook (the lead mounts it at /api/v1/webhooks/sms/status and
// gives its public URL as status_callback_url). It checks the signature (403 when wrong), then
// hands MessageStatus delivered to receipts.Delivered, and undelivered or failed to
// receipts.Failed with the error code; the intermediate statuses (queued, sent…) are ignored. It
// answers 204, or 500 when receipts fails.
func (n *Notifier) StatusHandler(receipts sms.Receipts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, ok := n.verified(w, r)
		if !ok {
			return
		}
		sid := firstNonEmpty(form.Get("MessageSid"), form.Get("SmsSid"))
		status := firstNonEmpty(form.Get("MessageStatus"), form.Get("SmsStatus"))
		if sid == "" || status == "" {
			http.Error(w, "MessageSid and MessageStatus are required", http.StatusBadRequest)
			return
		}
		var err error
		switch status {
		case "delivered":
			err = receipts.Delivered(r.Context(), sid)
		case "undelivered", "failed":
			err = receipts.Failed(r.Context(), sid, failureReason(status, form.Get("ErrorCode"), form.Get("ErrorMessage")))
		default:
			n.logger.Debug("sms status ignored", "sid", sid, "status", status)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if err != nil {
			n.logger.Error("sms receipt not recorded", "sid", sid, "status", status, "err", err)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		n.logger.Debug("sms receipt", "sid", sid, "status", status)
		w.WriteHeader(http.StatusNoContent)
	})
}

// InboundHandler is the webhook of the SMS operators send to the gateway's number (the lead
// mounts it at /api/v1/webhooks/sms/inbound). It checks the signature (403 when wrong), hands
// From and Body to replies, dated by the clock, and answers an empty TwiML document (no SMS back),
// or 500 when replies fails.
func (n *Notifier) InboundHandler(replies sms.Replies) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, ok := n.verified(w, r)
		if !ok {
			return
		}
		from := form.Get("From")
		if from == "" || !form.Has("Body") {
			http.Error(w, "From and Body are required", http.StatusBadRequest)
			return
		}
		if err := replies.Reply(r.Context(), from, form.Get("Body"), n.now()); err != nil {
			n.logger.Error("sms reply not handled", "from", from, "sid", form.Get("MessageSid"), "err", err)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		n.logger.Debug("sms reply", "from", from, "sid", form.Get("MessageSid"))
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`))
	})
}

// verified parses a webhook's form and checks its signature, answering the request itself when
// it fails.
func (n *Notifier) verified(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return nil, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxWebhookBody)
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "unreadable form", status)
		return nil, false
	}
	full := n.publicURL(r)
	if !ValidSignature(n.cfg.AuthToken, full, r.PostForm, r.Header.Get(SignatureHeader)) {
		n.logger.Warn("sms webhook with a missing or wrong signature", "url", full, "remote", r.RemoteAddr)
		http.Error(w, "invalid signature", http.StatusForbidden)
		return nil, false
	}
	return r.PostForm, true
}

// publicURL is the URL the gateway called: WebhookBaseURL (or the request's scheme and host)
// followed by the request's path and query.
func (n *Notifier) publicURL(r *http.Request) string {
	base := strings.TrimRight(n.cfg.WebhookBaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
			scheme = p
		}
		base = scheme + "://" + r.Host
	}
	return base + r.URL.RequestURI()
}

// failureReason reads a failed status, with the meaning of the error codes operators meet.
func failureReason(status, code, message string) string {
	reason := status
	if code != "" {
		reason += " (error " + code
		if m := firstNonEmpty(message, errorCodes[code]); m != "" {
			reason += ": " + m
		}
		reason += ")"
	}
	if len(reason) > 300 {
		reason = reason[:300]
	}
	return reason
}

var errorCodes = map[string]string{
	"30003": "unreachable destination handset",
	"30004": "message blocked",
	"30005": "unknown destination handset",
	"30006": "landline or unreachable carrier",
	"30007": "message filtered by the carrier",
	"30008": "unknown error",
	"21211": "invalid 'To' phone number",
	"21610": "recipient unsubscribed (replied STOP)",
}
