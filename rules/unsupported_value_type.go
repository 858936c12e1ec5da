package rules

import (
	"fmt"

	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "unsupported-value-type",
		Title:   "<data>, <date> or <real> in entitlements",
		Default: Error,
		Why: "Entitlements are embedded in the code signature twice: as XML and as DER. The DER encoding only " +
			"knows dictionaries, arrays, strings, integers and booleans, so codesign fails (or newer systems " +
			"refuse to launch the app) when a value is <data>, <date> or <real>. No public entitlement uses them.",
		Bad:   "<key>com.example.limit</key>\n<real>1.5</real>",
		Good:  "<key>com.example.limit</key>\n<integer>2</integer>",
		Facts: "parser only",
		Run: func(p *Pass) {
			check := func(top *plistxml.Node, key string) {
				plistxml.Walk(top, func(n *plistxml.Node) bool {
					switch n.Kind {
					case plistxml.Data, plistxml.Date, plistxml.Real:
						p.Report(Finding{Span: n.OpenTag(), Key: key,
							Message: fmt.Sprintf("<%s> values cannot be encoded in a code signature (only dict, array, string, integer and boolean can)", n.Kind)})
					}
					return true
				})
			}
			if root := p.Doc.RootDict(); root != nil {
				for _, e := range root.Entries() {
					check(e.Value, e.Key)
				}
			} else {
				check(p.Doc.Root, "")
			}
		},
	})
}
