package alarm

import "errors"

// Sentinels for the conditions a caller acts on (the HTTP API maps them to statuses, an SMS reply
// to an answer). Commands wrap them with the detail that helps.
var (
	// ErrNotRaised: the alarm's stream is empty; there is nothing to act on.
	ErrNotRaised = errors.New("alarm not raised")
	// ErrNotActive: the alarm is back to normal and acknowledged; there is nothing to shelve.
	ErrNotActive = errors.New("alarm not active")
	// ErrStillActive: closing an alarm whose condition is active and in service would leave the dam
	// in that condition with no alarm; remove it from service first.
	ErrStillActive = errors.New("alarm condition still active")
	// ErrShelved: a shelved alarm is not acknowledged; unshelve it first.
	ErrShelved = errors.New("alarm shelved")
	// ErrOutOfService: the alarm is suppressed by design (maintenance).
	ErrOutOfService = errors.New("alarm out of service")
	// ErrAlreadyClosed: the alarm is closed; only comments are still taken.
	ErrAlreadyClosed = errors.New("alarm already closed")

	ErrShelveExpiryInPast = errors.New("shelve expiry not after the command time")
	ErrShelveTooLong      = errors.New("shelve longer than allowed")
	ErrReasonRequired     = errors.New("reason required")
	ErrCommentRequired    = errors.New("comment text required")
	ErrOperatorRequired   = errors.New("operator required")
	ErrInvalidChannel     = errors.New("invalid channel")
	ErrInvalidLevel       = errors.New("invalid escalation level")

	// ErrInvalidTrigger: a condition change that cannot be recorded (unknown condition, missing
	// time, a value JSON cannot hold, another dam's).
	ErrInvalidTrigger = errors.New("invalid trigger")
	// ErrWrongAlarm: the alarm handed to the board is not the one its slot names (the caller loaded
	// the wrong stream).
	ErrWrongAlarm = errors.New("alarm is not the one of its slot")
)
