package rules

import (
	"fmt"

	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "duplicate-key",
		Title:   "A key appears twice in the same dictionary",
		Default: Error,
		Why: "codesign refuses an entitlements dictionary with a repeated key, while Xcode, PlistBuddy and most " +
			"other tools silently keep the last value. The two readers disagree about what the app claims, so " +
			"the build that worked locally fails to sign, or ships the value you did not mean.",
		Bad:   "<key>aps-environment</key>\n<string>development</string>\n<key>aps-environment</key>\n<string>production</string>",
		Good:  "<key>aps-environment</key>\n<string>production</string>",
		Facts: "parser only",
		Fixes: "removes one of the two entries (safe when both values are identical)",
		Run: func(p *Pass) {
			if p.Doc.Root == nil || !hasDuplicateProblem(p.Doc) {
				return
			}
			plistxml.Walk(p.Doc.Root, func(n *plistxml.Node) bool {
				if n.Kind == plistxml.Dict {
					checkDuplicates(p, n)
				}
				return !p.Full()
			})
		},
	})
}

func checkDuplicates(p *Pass, dict *plistxml.Node) {
	seen := map[string][]*plistxml.Entry{}
	for _, e := range dict.Entries() {
		if p.Full() {
			return
		}
		earlier := seen[e.Key]
		seen[e.Key] = append(earlier, e)
		if len(earlier) == 0 {
			continue
		}
		prev := earlier[0]
		same := prev.Value != nil && e.Value != nil && p.ctx.sameText(prev.Value.Span(), e.Value.Span())
		msg := fmt.Sprintf("duplicate key %q: codesign rejects the file, other tools keep only this last one", e.Key)
		if same {
			msg = fmt.Sprintf("duplicate key %q with the same value: codesign rejects the file", e.Key)
		}
		// Keeping this value means removing every earlier entry, not just
		// the first: with three copies, one removal would leave a duplicate.
		keep := Fix{Title: "Remove the earlier entry (keep this value, as Xcode does)", Safe: same, Preferred: true}
		if len(earlier) > 1 {
			keep.Title = fmt.Sprintf("Remove the %d earlier entries (keep this value, as Xcode does)", len(earlier))
		}
		for _, x := range earlier {
			keep.Edits = append(keep.Edits, p.ctx.entryRemoval(x))
		}
		p.Report(Finding{
			Span:    e.KeyText,
			Message: msg,
			Key:     e.Key,
			Related: []Related{{Span: prev.KeyText, Message: "first defined here"}},
			Fixes: []Fix{
				keep,
				{Title: "Remove this entry (keep the first value)", Edits: []Edit{p.ctx.entryRemoval(e)}},
			},
		})
	}
}

// hasDuplicateProblem: the parser already noticed every repeated key while
// building the tree, so the rule only has work to do when it did (XML
// documents), or when positions are unknown (binary plists).
func hasDuplicateProblem(doc *plistxml.Document) bool {
	if doc.Format != plistxml.FormatXML {
		return true
	}
	for _, pr := range doc.Problems {
		if pr.Code == plistxml.CodeDuplicateKey {
			return true
		}
	}
	return false
}
