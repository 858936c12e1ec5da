package rules

import (
	"github.com/entitlint/entitlint/plistxml"
)

// Targets describe what the entitlements are built for. Every field is
// optional: unknown targets make rules say less, never guess.
type Targets struct {
	// Platforms the file is signed for ("ios", "macos", "catalyst", "tvos",
	// "watchos", "visionos", "driverkit"). Empty means unknown: only what is
	// wrong on every platform is reported.
	Platforms []string
	// MinVersions are deployment targets by platform, e.g. {"ios": "15.0"}.
	MinVersions map[string]string
	// Distribution is "app-store", "developer-id", "ad-hoc", "enterprise",
	// "development" or "" when unknown.
	Distribution string
	// TeamID is the 10-character Apple team identifier, or "".
	TeamID string
}

// Options configure a run. The zero value checks with defaults.
type Options struct {
	Targets Targets
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
