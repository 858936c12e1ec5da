package rules

import (
	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "comment-double-hyphen",
		Title:   `"--" inside an XML comment`,
		Default: Error,
		Why: "XML forbids `--` inside a comment. `plutil -lint` and Xcode accept it, but the kernel's entitlements " +
			"parser (AMFI) does not: the signed app fails to launch or codesign reports " +
			"\"AMFIUnserializeXML: syntax error\". Commented-out keys and separator lines like `<!-- ---- -->` are the usual cause.",
		Bad:   "<!-- disabled -- see ticket 42 -->",
		Good:  "<!-- disabled - - see ticket 42 -->",
		Facts: "parser only",
		Fixes: "spaces out each run of hyphens (`--` becomes `- -`; safe: only comment text changes)",
		Run: func(p *Pass) {
			src := p.Doc.Src
			for _, run := range hyphenRuns(src, p.Doc.Problems, p.Doc.Comments) {
				repl := doubleHyphenReplacement(string(src[run.Start:run.End]))
				// A run that ends the comment text would otherwise touch "-->",
				// and one that starts it would touch "<!--".
				if run.End+3 <= len(src) && string(src[run.End:run.End+3]) == "-->" && repl != "" {
					repl += " "
				}
				if run.Start >= 4 && string(src[run.Start-4:run.Start]) == "<!--" && repl != "" {
					repl = " " + repl
				}
				msg := `"--" is not allowed inside a comment: codesign rejects the file (AMFIUnserializeXML)`
				if run.Len() > 2 {
					msg = `a run of hyphens is not allowed inside a comment ("--" is forbidden): codesign rejects the file (AMFIUnserializeXML)`
				}
				p.Report(Finding{Span: run, Message: msg, Fixes: []Fix{{
					Title: "Space out the hyphens", Safe: true, Preferred: true,
					Edits: []Edit{{Span: run, NewText: repl}},
				}}})
			}
		},
	})
}

// hyphenRuns merges the parser's "--" problems that touch or overlap into
// one span per run of hyphens, so a separator line is one finding with one
// fix instead of a finding per pair.
func hyphenRuns(src []byte, problems []plistxml.Problem, comments []plistxml.Comment) []plistxml.Span {
	var runs []plistxml.Span
	for _, pr := range problems {
		if pr.Code != plistxml.CodeCommentDoubleHyphen || !pr.Span.IsValid() || pr.Span.End > len(src) {
			continue
		}
		// The fix may only touch the comment's text, never its "<!--" or
		// "-->" (which the problem span can overlap, as in "<!----->").
		body := plistxml.Span{Start: 0, End: len(src)}
		for _, cm := range comments {
			if cm.Span.Start <= pr.Span.Start && pr.Span.Start < cm.Span.End && cm.Text.IsValid() {
				body = cm.Text
				break
			}
		}
		sp := plistxml.Span{Start: max(pr.Span.Start, body.Start), End: min(pr.Span.End, body.End)}
		if sp.Len() == 0 {
			continue
		}
		// Grow to the whole run of hyphens inside the text.
		for sp.Start > body.Start && src[sp.Start-1] == '-' {
			sp.Start--
		}
		for sp.End < body.End && src[sp.End] == '-' {
			sp.End++
		}
		if n := len(runs); n > 0 && sp.Start <= runs[n-1].End {
			runs[n-1].End = max(runs[n-1].End, sp.End)
			continue
		}
		runs = append(runs, sp)
	}
	return runs
}

// doubleHyphenReplacement spaces out a run of hyphens so that no two are
// adjacent ("--" -> "- -"); a lone "-" (the one before "-->") is dropped.
func doubleHyphenReplacement(s string) string {
	if s == "-" {
		return ""
	}
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}
