package sms

import (
	"strings"
	"unicode/utf16"
)

// The GSM 03.38 default alphabet (one septet each) and its extension table (two septets each:
// escape, then the character). French needs é, è, à, ù, É and Ç, which are in the default
// alphabet; ê, â, î, ô, û, ç (lower case), ë, ï, œ and the other capitals are not, and a text
// holding any of them goes as UCS-2 (70 characters per SMS instead of 160).
const (
	gsmBasic     = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

var gsmSeptets = func() map[rune]int {
	m := map[rune]int{}
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// Segments returns how many SMS a text takes and whether it must go as UCS-2: GSM-7 texts fit
// 160 septets in one SMS and 153 per part when concatenated, UCS-2 texts 70 and 67 UTF-16 units.
// The empty text takes one SMS.
func Segments(text string) (n int, ucs2 bool) {
	septets := 0
	for _, r := range text {
		s, ok := gsmSeptets[r]
		if !ok {
			ucs2 = true
			break
		}
		septets += s
	}
	units, single, multi := septets, 160, 153
	if ucs2 {
		units, single, multi = len(utf16.Encode([]rune(text))), 70, 67
	}
	if units <= single {
		return 1, ucs2
	}
	return (units + multi - 1) / multi, ucs2
}

// Truncate shortens text so that it takes at most maxSegments SMS, ending it with "..." when it
// cuts (three dots, which are GSM-7, unlike the ellipsis). maxSegments < 1 means no limit.
func Truncate(text string, maxSegments int) string {
	if maxSegments < 1 {
		return text
	}
	if n, _ := Segments(text); n <= maxSegments {
		return text
	}
	runes := []rune(text)
	lo, hi := 0, len(runes) // the longest prefix that fits is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if n, _ := Segments(cut(runes, mid)); n <= maxSegments {
			lo = mid
		} else {
			hi = mid
		}
	}
	return cut(runes, lo)
}

func cut(runes []rune, n int) string {
	return strings.TrimRight(string(runes[:n]), " ") + "..."
}
