// Package voice is the voice-call notification channel: it calls the operator through the
// utility's PBX or SIP trunk (diago on sipgo), speaks the message (espeak-ng and sox, or
// pre-rendered audio), repeats it, and asks the operator to press 1 to acknowledge. A 1 is handed
// to an Acknowledger, which the wiring turns into alarm.Acknowledge with the operator as actor.
//
// Key presses are read from the RTP stream by this package's KeyDetector (RFC 4733), not by
// diago's DTMF reader, which misses a key whose first packet has duration 0 (see KeyDetector).
//
// The outcomes, their retryability and the tests against real peers (baresip, SIPp) are in
// docs/voice.md.
package voice
