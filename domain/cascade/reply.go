package cascade

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrUnrecognisedReply: an SMS reply that is neither an acknowledgement nor a refusal. The reply
// handler answers with the expected form ("Répondre OK 4821") and the cascade goes on.
var ErrUnrecognisedReply = errors.New("reply not recognised")

// maxReply bounds the text looked at: an answer is a few characters, not a letter.
const maxReply = 64

var (
	ackWords = map[string]bool{"ok": true, "okay": true, "oui": true, "yes": true, "ack": true, "acquitte": true, "1": true}
	// Refusals are understood (the handler can say "noted, the next person is being called") but
	// acknowledge nothing.
	refusalWords = map[string]bool{"non": true, "no": true, "ko": true, "nok": true}
)

// ParseReply reads an operator's SMS answer. Acknowledgements: "OK 4821", "ok4821", "Ok, 4821.",
// "OUI", "oui 4821", "1", "1 4821", "ACK 4821", "acquitté", "yes" (any case, accents folded,
// punctuation around ignored). Refusals ("NON", "no 4821", "KO") give ack false and no error.
// code is the alarm's short code when given (3 to 8 digits, see ReplyCode), "" meaning "the alarm
// I was last paged for". Anything else — a bare code, extra words, letters in the code — is
// ErrUnrecognisedReply: a false acknowledgement would stop the paging, so the parser only accepts
// what cannot be misread. It never panics, whatever the input.
func ParseReply(text string) (code string, ack bool, err error) {
	if len(text) > maxReply*utf8.UTFMax || !utf8.ValidString(text) {
		return "", false, ErrUnrecognisedReply
	}
	s := strings.TrimFunc(foldAccents(strings.ToLower(text)), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
	if utf8.RuneCountInString(s) > maxReply {
		return "", false, ErrUnrecognisedReply
	}
	// The word: letters ("ok", "oui"), or the digit 1 followed by a separator or nothing.
	word := s
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		word = s[:i]
	}
	if word == "" && (s == "1" || (strings.HasPrefix(s, "1") && len(s) > 1 && isSeparator(rune(s[1])))) {
		word = "1"
	}
	rest := strings.TrimLeftFunc(s[len(word):], isSeparator)
	switch {
	case word == "":
		return "", false, ErrUnrecognisedReply
	case rest != "" && (len(rest) < 3 || len(rest) > 8 || strings.IndexFunc(rest, notDigit) >= 0):
		return "", false, ErrUnrecognisedReply
	case ackWords[word]:
		return rest, true, nil
	case refusalWords[word]:
		return rest, false, nil
	}
	return "", false, ErrUnrecognisedReply
}

// isSeparator is what may stand between the word and the code: "OK 4821", "OK-4821", "OK:4821",
// "ok, #4821".
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || r == ',' || r == ';' || r == ':' || r == '-' || r == '#' || r == '.' || r == '/'
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

// foldAccents maps the accented letters of French to their base letter ("acquitté" ->
// "acquitte"), enough to match words; s is lower case.
func foldAccents(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'é', 'è', 'ê', 'ë':
			return 'e'
		case 'à', 'â', 'ä':
			return 'a'
		case 'î', 'ï':
			return 'i'
		case 'ô', 'ö':
			return 'o'
		case 'ù', 'û', 'ü':
			return 'u'
		case 'ç':
			return 'c'
		}
		return r
	}, s)
}

// Key is what an operator's keypress during a voice call means.
type Key string

const (
	// KeyAcknowledge ("1"): the operator acknowledges the alarm the call is about.
	KeyAcknowledge Key = "acknowledge"
	// KeyRepeat ("0", "*"): play the message again.
	KeyRepeat Key = "repeat"
	// KeyUnknown: anything else; the call plays the instructions again, the cascade goes on.
	KeyUnknown Key = "unknown"
)

// InterpretDTMF reads the digits gathered during a call (a trailing "#", which ends the input on
// most IVRs, and spaces are ignored): "1" acknowledges, "0" or "*" repeats. Only a lone "1"
// acknowledges: "11" or "12" is a fumble, not a decision.
func InterpretDTMF(digits string) Key {
	d := strings.TrimRight(strings.TrimSpace(digits), "#")
	switch d {
	case "1":
		return KeyAcknowledge
	case "0", "*":
		return KeyRepeat
	}
	return KeyUnknown
}
