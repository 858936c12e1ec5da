package plistxml

import (
	"fmt"
	"slices"
)

// MaxProblems caps Document.Problems so that garbage input stays cheap: the
// last slot is taken by one CodeLimit problem saying the rest was dropped.
const MaxProblems = 1000

// maxCharProblems caps the problems reported per kind of bad character
// (invalid UTF-8, control characters): a Latin-1 file would otherwise report
// every accented letter.
const maxCharProblems = 20

// sink collects problems up to MaxProblems.
type sink struct {
	probs   []Problem
	dropped bool
}

// full reports whether further problems are dropped; callers check it before
// formatting a message so that garbage input does not pay for Sprintf.
func (k *sink) full() bool { return k.dropped }

func (k *sink) add(p Problem) {
	if k.dropped {
		return
	}
	if len(k.probs) == MaxProblems-1 {
		k.dropped = true
		p = Problem{Code: CodeLimit, Severity: SevError, Span: p.Span,
			Message: fmt.Sprintf("too many problems: only the first %d are reported", MaxProblems-1)}
	}
	k.probs = append(k.probs, p)
}

func (k *sink) errorf(code Code, span Span, format string, args ...any) {
	k.report(code, SevError, span, format, args...)
}

func (k *sink) report(code Code, sev Severity, span Span, format string, args ...any) {
	if k.dropped {
		return
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	k.add(Problem{Code: code, Severity: sev, Span: span, Message: msg})
}

// withChars returns k's problems with the character problems found on
// another goroutine (chars) put where checkChars would have put them, right
// after the BOM problem, and capped again as if they had been reported in
// that order. Only the cap differs from a sequential run, when the parser
// alone came near it: it kept nodes for unknown elements a little longer.
func (k *sink) withChars(chars *sink, bom bool) *sink {
	if len(chars.probs) == 0 {
		return k
	}
	out := &sink{probs: make([]Problem, 0, min(len(k.probs)+len(chars.probs), MaxProblems))}
	rest := k.probs
	if bom {
		out.add(rest[0])
		rest = rest[1:]
	}
	for _, p := range chars.probs {
		out.add(p)
	}
	for _, p := range rest {
		out.add(p)
	}
	return out
}

// sorted returns the problems in source order (stable, so that problems at
// the same offset keep the order in which they were found). NoSpan sorts first.
func (k *sink) sorted() []Problem {
	slices.SortStableFunc(k.probs, func(a, b Problem) int { return a.Span.Start - b.Span.Start })
	return k.probs
}

// HasErrors reports whether the document has at least one error-severity problem.
func (d *Document) HasErrors() bool {
	for _, p := range d.Problems {
		if p.Severity == SevError {
			return true
		}
	}
	return false
}

// String names the severity ("error", "warning", "info").
func (s Severity) String() string {
	switch s {
	case SevError:
		return "error"
	case SevWarning:
		return "warning"
	case SevInfo:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", uint8(s))
}

// quote renders a snippet of source text for a message, shortened so that a
// pasted blob does not produce a screen-long diagnostic.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}
