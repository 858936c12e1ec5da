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
			for _, run := range hyphenRuns(src, p.Doc.Problems) {
				repl := doubleHyphenReplacement(string(src[run.Start:run.End]))
				// A run that ends the comment body would otherwise touch "-->".
				if run.End+3 <= len(src) && string(src[run.End:run.End+3]) == "-->" && repl != "" {
					repl += " "
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
func hyphenRuns(src []byte, problems []plistxml.Problem) []plistxml.Span {
	var runs []plistxml.Span
	for _, pr := range problems {
		if pr.Code != plistxml.CodeCommentDoubleHyphen || !pr.Span.IsValid() || pr.Span.End > len(src) {
			continue
		}
		sp := pr.Span
		// Grow to the whole run of hyphens, without eating the "<!--"
		// before it or the "-->" after it.
		for sp.Start > 0 && src[sp.Start-1] == '-' && !(sp.Start >= 4 && string(src[sp.Start-4:sp.Start]) == "<!--") {
			sp.Start--
		}
		for sp.End < len(src) && src[sp.End] == '-' && !(sp.End+3 <= len(src) && string(src[sp.End:sp.End+3]) == "-->") {
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
