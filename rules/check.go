package rules

import (
	"github.com/entitlint/entitlint/plistxml"
)

// Options configure a run. The zero value checks with defaults.
// (Extended by the rules/config work: catalog, targets, severities.)
type Options struct {
	// Severity overrides a rule's default severity; Off disables it.
	Severity map[string]Severity
}

// Result is the outcome of checking one document.
type Result struct {
	Doc      *plistxml.Document
	Findings []Finding // sorted by position
}

// Check parses src and runs every enabled rule over it.
func Check(src []byte, opts Options) Result {
	doc := plistxml.Parse(src)
	return Result{Doc: doc, Findings: Run(doc, opts)}
}

// Run runs every enabled rule over an already parsed document.
func Run(doc *plistxml.Document, opts Options) []Finding {
	var out []Finding
	for _, p := range doc.Problems {
		out = append(out, Finding{Rule: "syntax", Severity: Error, Span: p.Span, Message: p.Message})
	}
	return out
}
