package rules

import (
	"fmt"
	"strings"
)

// Reference renders the rules reference (docs/rules.md) from the rule
// definitions, so the documentation cannot drift from the code.
func Reference() string {
	var b strings.Builder
	b.WriteString("# entitlint rules\n\n")
	b.WriteString("<!-- Generated from the rule definitions by `go test ./rules -run TestReference -update`. Do not edit. -->\n\n")
	b.WriteString("Every rule has a stable ID. Change a rule's severity or turn it off with `rules` in `.entitlint.json`\n")
	b.WriteString("or `--rule ID=SEVERITY`; silence one place with `<!-- entitlint-disable-next-line ID -->`.\n\n")
	b.WriteString("| rule | default | fix | what it finds |\n| --- | --- | --- | --- |\n")
	for _, r := range All() {
		fix := ""
		if r.Fixes != "" {
			fix = "yes"
		}
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", r.ID, r.ID, r.Default, fix, r.Title)
	}
	for _, r := range All() {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** — default severity: %s\n\n%s\n", r.ID, r.Title, r.Default, r.Why)
		if r.Facts != "" {
			fmt.Fprintf(&b, "\nUses: %s.\n", r.Facts)
		}
		if r.Fixes != "" {
			fmt.Fprintf(&b, "\nFixes: %s.\n", r.Fixes)
		}
		if r.Bad != "" {
			fmt.Fprintf(&b, "\nBad:\n\n```xml\n%s\n```\n", strings.TrimRight(r.Bad, "\n"))
		}
		if r.Good != "" {
			fmt.Fprintf(&b, "\nGood:\n\n```xml\n%s\n```\n", strings.TrimRight(r.Good, "\n"))
		}
	}
	return b.String()
}
