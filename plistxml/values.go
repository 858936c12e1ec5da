package plistxml

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"howett.net/plist"
)

// The decoders below mirror howett.net/plist v1.0.1 (xml_parser.go) exactly,
// so that a document we accept decodes to the same value there; the
// differential test in diff_test.go holds them to it. Where CoreFoundation is
// more lenient (whitespace around numbers, a leading '+'), we follow howett:
// such values are rejected by some tools, which is worth an error in a linter.

// valueProblem is what a decoder found wrong: an error or a warning, and
// optionally a byte range inside the text (-1 when the whole value is meant).
type valueProblem struct {
	sev        Severity
	msg        string
	start, end int // offsets into the decoded text, or -1
}

func valueErr(format string, args ...any) *valueProblem {
	return &valueProblem{sev: SevError, msg: fmt.Sprintf(format, args...), start: -1, end: -1}
}

// decodeInteger: an optional '-', then decimal digits or 0x/0X and hex digits.
// Non-negative values become uint64 in howett, negative ones (and "-0") int64.
func decodeInteger(n *Node) *valueProblem {
	s := n.Text
	if s == "" {
		return valueErr("empty <integer>: expected a number such as 0 or -1")
	}
	if isSpace(s[0]) || isSpace(s[len(s)-1]) {
		return valueErr("invalid integer %s: remove the whitespace around the number", quote(s))
	}
	neg := s[0] == '-'
	digits, base := s, 10
	if neg {
		digits = s[1:]
	}
	if len(digits) > 1 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') {
		digits, base = digits[2:], 16
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err == nil && neg && u > 1<<63 {
		err = strconv.ErrRange
	}
	if err != nil {
		switch {
		case errors.Is(err, strconv.ErrRange) && neg:
			return valueErr("integer %s is out of range: the smallest value is %d", quote(s), int64(math.MinInt64))
		case errors.Is(err, strconv.ErrRange):
			return valueErr("integer %s is out of range: the largest value is %d", quote(s), uint64(math.MaxUint64))
		case s[0] == '+':
			return valueErr("invalid integer %s: write it without the \"+\"", quote(s))
		}
		return valueErr("invalid integer %s: expected decimal digits with an optional \"-\", or 0x and hexadecimal digits", quote(s))
	}
	n.Valid = true
	if neg {
		n.bits |= bitSigned
	}
	switch {
	case neg:
		n.Int = -int64(u) // u == 1<<63 wraps to MinInt64, which is right
	case u <= math.MaxInt64:
		n.Int = int64(u)
	default:
		n.rareValues().uint, n.IsUint = u, true
	}
	return nil
}

// decodeReal accepts what strconv.ParseFloat accepts (howett uses it),
// including "nan", "inf" and "+infinity".
func decodeReal(n *Node) *valueProblem {
	s := n.Text
	if s == "" {
		return valueErr("empty <real>: expected a number such as 1.5")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		switch {
		case isSpace(s[0]) || isSpace(s[len(s)-1]):
			return valueErr("invalid real %s: remove the whitespace around the number", quote(s))
		case errors.Is(err, strconv.ErrRange):
			return valueErr("real %s is out of range for a 64-bit floating-point number", quote(s))
		}
		return valueErr("invalid real %s: expected a number such as 1.5, -2e10, nan or inf", quote(s))
	}
	n.rareValues().real, n.Valid = f, true
	return nil
}

// decodeDate parses RFC 3339 like howett. Apple's own parsers only take the
// form Xcode writes, so anything else is worth a warning.
func decodeDate(n *Node) *valueProblem {
	s := n.Text
	if s == "" {
		return valueErr("empty <date>: expected YYYY-MM-DDTHH:MM:SSZ, such as 2024-01-31T12:00:00Z")
	}
	t, err := time.ParseInLocation(time.RFC3339, s, time.UTC)
	if err != nil {
		return valueErr("invalid date %s: expected YYYY-MM-DDTHH:MM:SSZ, such as 2024-01-31T12:00:00Z", quote(s))
	}
	n.rareValues().date, n.Valid = t, true
	if len(s) != len("2006-01-02T15:04:05Z") || s[len(s)-1] != 'Z' {
		return &valueProblem{sev: SevWarning, start: -1, end: -1,
			msg: fmt.Sprintf("date %s: Apple's parsers accept only YYYY-MM-DDTHH:MM:SSZ (UTC, no fractional seconds)", quote(s))}
	}
	return nil
}

// dataSpace is what howett strips from <data> before decoding base64.
func dataSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// decodeData decodes standard, padded base64 with whitespace allowed anywhere.
// A bad character is reported at its own offset in the text.
func decodeData(n *Node) *valueProblem {
	s := n.Text
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !dataSpace(s[i]) {
			clean = append(clean, s[i])
		}
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	m, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) < len(clean) && !isBase64Char(clean[ce]) {
			// map the offset in the cleaned text back to the text
			pos, seen := 0, 0
			for i := 0; i < len(s); i++ {
				if dataSpace(s[i]) {
					continue
				}
				if seen == int(ce) {
					pos = i
					break
				}
				seen++
			}
			return &valueProblem{sev: SevError, start: pos, end: pos + 1,
				msg: fmt.Sprintf("invalid base64 in <data>: unexpected %q", s[pos])}
		}
		return valueErr("invalid base64 in <data>: the data is truncated or badly padded (base64 comes in groups of 4 characters, padded with \"=\")")
	}
	n.rareValues().data, n.Valid = out[:m], true
	return nil
}

func isBase64Char(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
}

// decodeBool: <true/> and <false/> carry no content. The value is still
// unambiguous, so the node stays Valid (as documented on Node.Valid).
func decodeBool(n *Node) *valueProblem {
	n.Valid = true
	if strings.TrimLeft(n.Text, " \t\r\n") != "" {
		return valueErr("<%s/> takes no content: found %s", n.Kind, quote(strings.TrimSpace(n.Text)))
	}
	return nil
}

// ToValue converts the node to the Go value howett.net/plist produces when
// unmarshalling into interface{}: map[string]any (duplicate keys: last wins;
// keys without a value are dropped), []any, string, uint64 for non-negative
// integers and int64 for negative ones (and "-0"), float64 (float32 for
// single-precision binary reals), bool, time.Time, []byte, and plist.UID for
// a dict whose only entry is "CF$UID" with an integer value.
// Invalid nodes and scalars that did not decode give nil.
func (n *Node) ToValue() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Dict:
		if uid, ok := n.uid(); ok {
			return uid
		}
		m := make(map[string]any, len(n.Entries()))
		for _, e := range n.Entries() {
			if e.Value != nil {
				m[e.Key] = e.Value.ToValue()
			}
		}
		return m
	case Array:
		out := make([]any, len(n.Items()))
		for i, it := range n.Items() {
			out[i] = it.ToValue()
		}
		return out
	case String:
		return n.Text
	case True:
		return true
	case False:
		return false
	}
	if !n.Valid {
		return nil
	}
	switch n.Kind {
	case Integer:
		switch {
		case n.signed():
			return n.Int
		case n.IsUint:
			return n.Uint()
		}
		return uint64(n.Int)
	case Real:
		if n.single() {
			return float32(n.Real())
		}
		return n.Real()
	case Date:
		return n.Date()
	case Data:
		return n.Data()
	}
	return nil
}

// uid mirrors howett's maybeUID: CoreFoundation keyed archives write UIDs as
// a dict with the single key "CF$UID".
func (n *Node) uid() (plist.UID, bool) {
	var only *Entry
	for _, e := range n.Entries() {
		if e.Value == nil {
			continue
		}
		if only != nil {
			return 0, false
		}
		only = e
	}
	if only == nil || only.Key != "CF$UID" || only.Value.Kind != Integer || !only.Value.Valid {
		return 0, false
	}
	v := only.Value
	if v.IsUint {
		return plist.UID(v.Uint()), true
	}
	return plist.UID(uint64(v.Int)), true
}
