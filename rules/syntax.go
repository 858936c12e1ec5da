package rules

import "github.com/entitlint/entitlint/plistxml"

func init() {
	register(&Rule{
		ID:      "syntax",
		Title:   "The file is not a well-formed property list",
		Default: Error,
		Why: "Xcode, codesign and the kernel all read entitlements as an XML property list. A file that is not " +
			"well-formed, is not a plist, has a root that is not a dictionary, or has a key without a value (or a " +
			"value without a key) fails signing, or worse, is read differently by different tools: most of them " +
			"silently drop what they cannot pair. Binary plists are read too, but their findings have no position.",
		Bad:   "<dict>\n\t<key>com.apple.security.app-sandbox</key>\n\t<key>com.apple.security.network.client</key>\n\t<true/>\n</dict>",
		Good:  "<dict>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>com.apple.security.network.client</key>\n\t<true/>\n</dict>",
		Facts: "parser only",
		Run:   runSyntax,
	})
}

func runSyntax(p *Pass) {
	for _, pr := range p.Doc.Problems {
		if pr.Code == plistxml.CodeCommentDoubleHyphen || pr.Code == plistxml.CodeDuplicateKey {
			continue // their own rules, with fixes
		}
		sev := Error
		switch pr.Severity {
		case plistxml.SevWarning:
			sev = Warning
		case plistxml.SevInfo:
			sev = Info
		}
		p.Report(Finding{Severity: sev, Span: pr.Span, Message: pr.Message})
	}
	if p.Doc.Root != nil && p.Doc.Root.Kind != plistxml.Dict {
		p.Report(Finding{Span: p.Doc.Root.OpenTag(),
			Message: "the root of an entitlements file must be a <dict>, found <" + p.Doc.Root.Kind.String() + ">"})
	}
}
