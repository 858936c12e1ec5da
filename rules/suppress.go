package rules

import (
	"regexp"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

// A directive is a suppression comment:
//
//	<!-- entitlint-disable-next-line unknown-key -->   the next line only
//	<!-- entitlint-disable unknown-key, wildcard-value -->  the whole file
//
// With no rule named, every rule is suppressed. A directive that
// suppresses nothing is itself reported (unused-suppression) so stale
// comments do not pile up.
type directive struct {
	span     plistxml.Span // the comment
	nextLine bool
	line     int // for next-line: the line (0-based) the directive applies to
	rules    []string
	used     map[string]bool
}

var directivePattern = regexp.MustCompile(`^\s*entitlint-disable(-next-line)?(?:\s+(.*?))?\s*$`)

func parseDirectives(doc *plistxml.Document) []directive {
	var out []directive
	for _, cm := range doc.Comments {
		m := directivePattern.FindSubmatch(doc.Src[cm.Text.Start:cm.Text.End])
		if m == nil {
			continue
		}
		d := directive{span: cm.Span, nextLine: len(m[1]) > 0, used: map[string]bool{}}
		d.rules = strings.FieldsFunc(string(m[2]), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if d.nextLine {
			d.line = lineOf(doc.Src, cm.Span.End) + 1
		}
		out = append(out, d)
	}
	return out
}

// lineOf counts the newlines before off (0-based line).
func lineOf(src []byte, off int) int {
	n := 0
	for _, b := range src[:min(off, len(src))] {
		if b == '\n' {
			n++
		}
	}
	return n
}

func (d *directive) matches(rule string) bool {
	if len(d.rules) == 0 {
		return true
	}
	for _, r := range d.rules {
		if r == rule {
			return true
		}
	}
	return false
}

// applySuppressions drops suppressed findings and reports unused or unknown
// directives.
func applySuppressions(c *context, findings []Finding, sev map[string]Severity) []Finding {
	if len(c.directives) == 0 {
		return findings
	}
	kept := findings[:0]
	for _, f := range findings {
		suppressed := false
		var line = -1
		for i := range c.directives {
			d := &c.directives[i]
			if !d.matches(f.Rule) {
				continue
			}
			if d.nextLine {
				if line < 0 {
					line = lineOf(c.doc.Src, max(f.Span.Start, 0))
				}
				if line != d.line {
					continue
				}
			}
			d.used[f.Rule] = true
			suppressed = true
		}
		if !suppressed {
			kept = append(kept, f)
		}
	}
	rule, _ := Lookup("unused-suppression")
	level := rule.Default
	if s, ok := sev[rule.ID]; ok {
		level = s
	}
	if level == Off {
		return kept
	}
	for _, d := range c.directives {
		fix := Fix{Title: "Remove the unused suppression comment", Edits: []Edit{c.commentRemoval(d.span)}, Safe: true, Preferred: true}
		if len(d.rules) == 0 {
			if len(d.used) == 0 {
				kept = append(kept, Finding{Rule: rule.ID, Severity: level, Span: d.span, Tags: TagUnnecessary,
					Message: "this suppression comment suppresses nothing", Fixes: []Fix{fix}})
			}
			continue
		}
		for _, r := range d.rules {
			if s, ok := sev[r]; ok && s == Off {
				continue // disabled in the config: the comment is redundant, not wrong
			}
			if _, known := Lookup(r); !known {
				kept = append(kept, Finding{Rule: rule.ID, Severity: level, Span: d.span,
					Message: "unknown rule \"" + r + "\" in suppression comment (see `entitlint rules`)"})
				continue
			}
			if !d.used[r] {
				kept = append(kept, Finding{Rule: rule.ID, Severity: level, Span: d.span, Tags: TagUnnecessary,
					Message: "suppression of " + r + " is unused: no " + r + " finding here", Fixes: []Fix{fix}})
			}
		}
	}
	return kept
}

// commentRemoval deletes a comment and, when it stands alone on its line,
// the line.
func (c *context) commentRemoval(s plistxml.Span) Edit {
	e := &plistxml.Entry{Span: s}
	return c.entryRemoval(e)
}

func init() {
	register(&Rule{
		ID:      "unused-suppression",
		Title:   "Suppression comment that suppresses nothing",
		Default: Warning,
		Why: "An `entitlint-disable` comment that no longer matches a finding hides nothing today but will silently " +
			"hide a real problem later, and a misspelled rule name never worked. Remove stale suppressions.",
		Bad:   "<!-- entitlint-disable-next-line unknown-key -->\n<key>com.apple.security.app-sandbox</key>\n<true/>",
		Good:  "<key>com.apple.security.app-sandbox</key>\n<true/>",
		Fixes: "removes the comment",
	})
}
