package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/plistxml"
)

// plist wraps dict entries in the boilerplate Xcode writes.
func plist(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
` + body + `</dict>
</plist>
`
}

// want is one expected finding: the rule, the exact source text under its
// range, and a substring of its message.
type want struct {
	rule string
	at   string
	msg  string
}

// ruleCase is one table row: a document (dict body unless full is set),
// targets, the findings expected from the rules under test, and, when
// fixed is set, the document after applying the first finding's preferred
// fix.
type ruleCase struct {
	name    string
	body    string
	full    bool
	targets Targets
	want    []want
	fixed   string // expected dict body after the preferred fix of the first wanted finding
	hints   bool   // also expect hint-level findings (ignored otherwise: they are advice, not problems)
}

// runCases checks that, restricted to the rules named in wants (or in
// only), the findings are exactly the wanted ones.
func runCases(t *testing.T, only []string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.body
			if !tc.full {
				src = plist(tc.body)
			}
			res := Check([]byte(src), Options{Targets: tc.targets})
			var got []Finding
			for _, f := range res.Findings {
				if f.Severity == Hint && !tc.hints {
					continue
				}
				for _, r := range only {
					if f.Rule == r {
						got = append(got, f)
					}
				}
			}
			text := func(s plistxml.Span) string {
				if !s.IsValid() {
					return "<no span>"
				}
				return src[s.Start:s.End]
			}
			if len(got) != len(tc.want) {
				var lines []string
				for _, f := range got {
					lines = append(lines, fmt.Sprintf("  %s at %q: %s", f.Rule, text(f.Span), f.Message))
				}
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), strings.Join(lines, "\n"))
			}
			for i, w := range tc.want {
				f := got[i]
				if f.Rule != w.rule || text(f.Span) != w.at || !strings.Contains(f.Message, w.msg) {
					t.Errorf("finding %d = %s at %q: %q\nwant      %s at %q containing %q", i, f.Rule, text(f.Span), f.Message, w.rule, w.at, w.msg)
				}
			}
			if tc.fixed == "" {
				return
			}
			if len(got) == 0 || len(got[0].Fixes) == 0 {
				t.Fatalf("want a fix, the first finding has none")
			}
			fix := got[0].Fixes[0]
			for _, fx := range got[0].Fixes {
				if fx.Preferred {
					fix = fx
					break
				}
			}
			out, skipped := ApplyEdits([]byte(src), fix.Edits)
			if len(skipped) > 0 {
				t.Fatalf("fix %q has overlapping edits", fix.Title)
			}
			wantSrc := plist(tc.fixed)
			if tc.full {
				wantSrc = tc.fixed
			}
			if string(out) != wantSrc {
				t.Errorf("after fix %q:\n%s\nwant:\n%s", fix.Title, out, wantSrc)
			}
			after := Check(out, Options{Targets: tc.targets})
			for _, f := range after.Findings {
				if f.Rule == "syntax" && f.Severity == Error {
					t.Errorf("fix %q broke the document: %s", fix.Title, f.Message)
				}
				if f.Rule == got[0].Rule && f.Span.Start == got[0].Span.Start {
					t.Errorf("fix %q did not remove the finding: %s", fix.Title, f.Message)
				}
			}
		})
	}
}
