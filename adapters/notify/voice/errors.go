package voice

import (
	"errors"
	"fmt"
)

// Sentinels for how a call failed; a *CallError wraps one of them.
var (
	// ErrNoAnswer: the phone rang until RingTimeout, or the network said the callee is not
	// reachable now (408, 480). Retryable.
	ErrNoAnswer = errors.New("no answer")
	// ErrBusy: 486 Busy Here or 600 Busy Everywhere: the operator is on another call. Retryable.
	ErrBusy = errors.New("busy")
	// ErrDeclined: 603 Decline, the operator rejected the call. Retryable: the cascade goes on,
	// and a declined call is no acknowledgement.
	ErrDeclined = errors.New("declined")
	// ErrInvalidNumber: 404, 410, 484, 485, 604: nobody will ever answer this number. Not retryable.
	ErrInvalidNumber = errors.New("invalid number")
	// ErrRefused: the PBX refused the call for good (401/407 without valid credentials, 403,
	// 488/606 no common codec, other 4xx/6xx). Not retryable: the configuration must change.
	ErrRefused = errors.New("refused by the PBX")
	// ErrUnavailable: the PBX or trunk failed (5xx) or could not be reached. Retryable.
	ErrUnavailable = errors.New("PBX unavailable")
	// ErrHungUpEarly: answered, then hung up before the message had been heard once. Retryable.
	ErrHungUpEarly = errors.New("hung up before the message was heard")
	// ErrSilentAnswer: answered, the message was played, but not a sound came back from the callee
	// during the whole call and no key was pressed: what a voicemail recording (after its beep) or
	// a phone answered by mistake in a pocket looks like. Retryable.
	ErrSilentAnswer = errors.New("answered but silent (voicemail suspected)")
)

// CallError says why a call failed: Kind is one of the sentinels above, Status the SIP final
// response when there was one (486, 404…).
type CallError struct {
	Kind   error
	Status int
	Reason string // the response's reason phrase, or what happened
}

func (e *CallError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%v: SIP %d %s", e.Kind, e.Status, e.Reason)
	}
	if e.Reason != "" {
		return fmt.Sprintf("%v: %s", e.Kind, e.Reason)
	}
	return e.Kind.Error()
}

func (e *CallError) Unwrap() error { return e.Kind }

// Retryable reports whether calling again later may succeed.
func (e *CallError) Retryable() bool {
	switch e.Kind {
	case ErrInvalidNumber, ErrRefused:
		return false
	}
	return true
}

// statusError classifies the final response of an INVITE that was not answered.
func statusError(code int, reason string) *CallError {
	var kind error
	switch {
	case code == 486 || code == 600:
		kind = ErrBusy
	case code == 603:
		kind = ErrDeclined
	case code == 408 || code == 480 || code == 487:
		kind = ErrNoAnswer
	case code == 404 || code == 410 || code == 484 || code == 485 || code == 604:
		kind = ErrInvalidNumber
	case code >= 500 && code < 600:
		kind = ErrUnavailable
	default: // 401/407 after the challenge, 403, 488, 606, other 4xx and 6xx
		kind = ErrRefused
	}
	return &CallError{Kind: kind, Status: code, Reason: reason}
}
