package rules

import (
	"github.com/entitlint/entitlint/plistxml"
)

// Severity of a finding. The order matters: lower is more severe.
type Severity uint8

const (
	Error Severity = iota + 1
	Warning
	Info
	Hint
	// Off disables a rule (only meaningful in configuration).
	Off
)

var severityNames = map[Severity]string{Error: "error", Warning: "warning", Info: "info", Hint: "hint", Off: "off"}

// String returns "error", "warning", "info", "hint" or "off".
func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return "unknown"
}

// ParseSeverity reads a severity name as used in configs and flags.
func ParseSeverity(name string) (Severity, bool) {
	for s, n := range severityNames {
		if n == name {
			return s, true
		}
	}
	return 0, false
}

// Edit replaces the bytes in Span with NewText. Spans are byte offsets into
// the document the finding was computed on.
type Edit struct {
	Span    plistxml.Span
	NewText string
}

// Fix is one way to resolve a finding: a set of non-overlapping edits.
type Fix struct {
	Title string
	Edits []Edit
	// Safe fixes are applied by `entitlint fix` and the fix-all code action.
	// Unsafe ones (a guess among several candidates, a deletion that loses a
	// value the user may want elsewhere) are only offered as quick fixes.
	Safe bool
	// Preferred marks the best fix when a finding offers several.
	Preferred bool
}

// Related points at another place that explains a finding (for example the
// first occurrence of a duplicated key).
type Related struct {
	Span    plistxml.Span
	Message string
}

// Tag adds presentation hints that editors understand.
type Tag uint8

const (
	TagDeprecated Tag = 1 << iota
	TagUnnecessary
)

// Finding is one problem a rule found.
type Finding struct {
	Rule     string // the rule ID, e.g. "hallucinated-key"
	Severity Severity
	Span     plistxml.Span // the exact token; NoSpan for whole-file findings of binary plists
	Message  string
	Fixes    []Fix
	Related  []Related
	Tags     Tag
	// Key is the top-level entitlement key the finding is about, if any
	// (lets the LSP and hovers link findings to catalog entries).
	Key string
}
