package notify

import (
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces a secret in errors and logs.
const Redacted = "[REDACTED]"

// Redact replaces every occurrence of each non-empty secret in s, then the values of URL query
// parameters and URL passwords (tokens and keys travel there).
func Redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, Redacted)
		}
	}
	return urlInText.ReplaceAllStringFunc(s, RedactURL)
}

var urlInText = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+`)

// RedactURL keeps what locates a resource (scheme, host, path, parameter names) and hides what
// authorises (password, parameter values, fragment). A string that is not a URL is hidden whole.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Redacted
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "REDACTED")
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{"REDACTED"}
		}
		u.RawQuery = q.Encode()
	}
	if u.Fragment != "" {
		u.Fragment = "REDACTED"
	}
	return u.String()
}

// RedactError returns err with its message passed through Redact. errors.Is and errors.As still
// see the original chain (context.Canceled stays detectable); only the text changes.
func RedactError(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := Redact(err.Error(), secrets...)
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
