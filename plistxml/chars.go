package plistxml

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// asciiOK marks the ASCII bytes allowed in an XML document.
var asciiOK = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = true
	}
	t['\t'], t['\n'], t['\r'] = true, true, true
	return
}()

// checkChars reports bytes that cannot appear in an XML document: invalid
// UTF-8 (CodeEncoding), NUL and other control characters, U+FFFE and U+FFFF.
// Each kind is capped at maxCharProblems plus one summary, because a file
// saved as Latin-1 would otherwise report every accented letter.
func checkChars(src []byte, k *sink) {
	var nEnc, nCtl int
	report := func(n *int, code Code, span Span, msg string) {
		*n++
		switch {
		case *n <= maxCharProblems:
			k.errorf(code, span, "%s", msg)
		case *n == maxCharProblems+1:
			k.errorf(code, span, "more invalid characters follow: only the first %d are reported", maxCharProblems)
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		if asciiOK[c] {
			i++
			continue
		}
		if c < 0x80 { // a run of control characters
			j := i + 1
			for j < len(src) && src[j] < 0x20 && !asciiOK[src[j]] {
				j++
			}
			if c == 0 {
				report(&nCtl, CodeSyntax, Span{i, j}, "NUL byte is not allowed in XML (is this a UTF-16 or binary file?)")
			} else {
				report(&nCtl, CodeSyntax, Span{i, j}, fmt.Sprintf("control character U+%04X is not allowed in XML", c))
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			j := i + 1
			for j < len(src) && src[j] >= 0x80 {
				if r, size := utf8.DecodeRune(src[j:]); r != utf8.RuneError || size > 1 {
					break
				}
				j++
			}
			report(&nEnc, CodeEncoding, Span{i, j}, "invalid UTF-8 ("+hexBytes(src[i:j])+"): the file must be saved as UTF-8")
			i = j
			continue
		}
		if r == 0xFFFE || r == 0xFFFF {
			report(&nCtl, CodeSyntax, Span{i, i + size}, fmt.Sprintf("character U+%04X is not allowed in XML", r))
		}
		i += size
	}
}

func hexBytes(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i == 4 {
			sb.WriteString(" …")
			break
		}
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "0x%02X", c)
	}
	return sb.String()
}

// detectWide recognises UTF-16 and UTF-32 by their byte-order mark or by the
// NUL bytes interleaved with ASCII ("<\x00?\x00"). Such a file is reported
// once instead of producing hundreds of problems about NUL bytes.
func detectWide(src []byte) (Span, string, bool) {
	has := func(p string) bool { return bytes.HasPrefix(src, []byte(p)) }
	const advice = ": entitlements must be UTF-8; convert the file (for example with plutil -convert xml1)"
	switch {
	case has("\x00\x00\xFE\xFF") || has("\xFF\xFE\x00\x00"):
		return Span{0, 4}, "the file is UTF-32 encoded (byte-order mark)" + advice, true
	case has("\xFE\xFF") || has("\xFF\xFE"):
		return Span{0, 2}, "the file is UTF-16 encoded (byte-order mark)" + advice, true
	}
	if len(src) < 4 {
		return Span{}, "", false
	}
	nz := func(i int) bool { return src[i] != 0 }
	switch {
	case !nz(0) && !nz(1) && !nz(2) && nz(3), nz(0) && !nz(1) && !nz(2) && !nz(3):
		return Span{0, 4}, "the file looks UTF-32 encoded (NUL bytes around every character)" + advice, true
	case nz(0) && !nz(1) && nz(2) && !nz(3), !nz(0) && nz(1) && !nz(2) && nz(3):
		return Span{0, 2}, "the file looks UTF-16 encoded (a NUL byte beside every ASCII character)" + advice, true
	}
	return Span{}, "", false
}
