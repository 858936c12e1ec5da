package cli

import (
	"strings"
	"unicode/utf8"
)

// printable replaces what a terminal or a CI log would interpret rather
// than show: C0 control characters (ESC starts the escape sequences that
// retitle windows, rewrite the clipboard or hide lines; tab is kept), DEL,
// C1 controls, and the Unicode bidirectional overrides and isolates that
// reorder how a line reads ("Trojan Source"). Each becomes U+FFFD, one
// column wide, so carets under a source line stay aligned; so does invalid
// UTF-8 (a lone 0x9B is CSI to an 8-bit terminal). Messages and source
// lines come from the checked file, which may be hostile.
func printable(s string) string {
	if strings.IndexFunc(s, unprintable) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unprintable(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func unprintable(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, 0x80 <= r && r < 0xa0:
		return true
	case 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}
