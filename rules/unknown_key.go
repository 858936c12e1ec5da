package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "unknown-key",
		Title:   "A key entitlint's catalog does not know",
		Default: Warning,
		Why: "A misspelled key is silently ignored at run time: the app builds and signs, and the capability is " +
			"simply missing (or Xcode fails to find a profile for the unknown key). When the key is a real one " +
			"that is newer than this entitlint, or private to your company, add it with an extra catalog " +
			"(`catalogs` in .entitlint.json) instead of suppressing the warning.",
		Bad:   "<key>com.apple.security.aplication-groups</key>",
		Good:  "<key>com.apple.security.application-groups</key>",
		Facts: "catalog keys, typo suggestions",
		Fixes: "did-you-mean replacements with the nearest real keys",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				if _, ok := p.ctx.keyAt(i); ok {
					continue
				}
				if _, ok := p.ctx.hallucinationAt(i); ok {
					continue
				}
				if p.ctx.privateAt(i) {
					continue
				}
				if _, ok := p.ctx.infoPlistAt(i); ok {
					continue
				}
				reportUnknown(p, e)
			}
		},
	})
}

func reportUnknown(p *Pass, e *plistxml.Entry) {
	f := Finding{Span: e.KeyText, Key: e.Key}
	if strings.TrimSpace(e.Key) == "" {
		f.Message = "empty key"
		p.Report(f)
		return
	}
	sugg := p.ctx.cat.Suggest(e.Key, 3)
	if len(sugg) == 0 {
		f.Message = fmt.Sprintf("unknown entitlement %q: not in entitlint's catalog %s", e.Key, p.ctx.cat.Version())
		p.Report(f)
		return
	}
	names := make([]string, len(sugg))
	for i, s := range sugg {
		names[i] = s.Key
	}
	f.Message = fmt.Sprintf("unknown entitlement %q; did you mean %s?", e.Key, names[0])
	for i, s := range sugg {
		fixes := renameKeyFixes(p, e, s.Key)
		for j := range fixes {
			// A typo fix is a guess: never applied without a person choosing it.
			fixes[j].Safe = false
			fixes[j].Preferred = i == 0 && fixes[j].Preferred
		}
		f.Fixes = append(f.Fixes, fixes...)
	}
	p.Report(f)
}
