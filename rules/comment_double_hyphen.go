package rules

import "github.com/entitlint/entitlint/plistxml"

func init() {
	register(&Rule{
		ID:      "comment-double-hyphen",
		Title:   `"--" inside an XML comment`,
		Default: Error,
		Why: "XML forbids `--` inside a comment. `plutil -lint` and Xcode accept it, but the kernel's entitlements " +
			"parser (AMFI) does not: the signed app fails to launch or codesign reports " +
			"\"AMFIUnserializeXML: syntax error\". Commented-out keys and separator lines like `<!-- ---- -->` are the usual cause.",
		Bad:   "<!-- disabled -- see ticket 42 -->",
		Good:  "<!-- disabled - see ticket 42 -->",
		Facts: "parser only",
		Fixes: "replaces each `--` with `- -` (safe: only comment text changes)",
		Run: func(p *Pass) {
			for _, pr := range p.Doc.Problems {
				if pr.Code != plistxml.CodeCommentDoubleHyphen || !pr.Span.IsValid() {
					continue
				}
				p.Report(Finding{Span: pr.Span, Message: pr.Message, Fixes: []Fix{{
					Title: `Replace "--" with "- -"`, Safe: true, Preferred: true,
					Edits: []Edit{{Span: pr.Span, NewText: doubleHyphenReplacement(p.ctx.text(pr.Span))}},
				}}})
			}
		},
	})
}

// doubleHyphenReplacement spaces out a run of hyphens so that no two are
// adjacent ("--" -> "- -", "-" before "-->" -> "").
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
