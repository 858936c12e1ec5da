package rules

import (
	"fmt"
	"strings"
)

func init() {
	register(&Rule{
		ID:      "wildcard-value",
		Title:   "A wildcard value copied from a provisioning profile",
		Default: Error,
		Why: "Provisioning profiles authorise values with wildcards (`TEAMID.*`, `*`, `group.*` is not one of " +
			"them), but an app must claim concrete values. A `*` copied from `security cms -D` output into the " +
			"entitlements file is claimed literally: signing fails, or the app gets an identifier nobody else can match.",
		Bad:   "<key>keychain-access-groups</key>\n<array>\n\t<string>ABCDE12345.*</string>\n</array>",
		Good:  "<key>keychain-access-groups</key>\n<array>\n\t<string>$(AppIdentifierPrefix)com.example.app</string>\n</array>",
		Facts: "none (value shape)",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for _, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				if e.Value == nil {
					continue
				}
				for _, n := range stringValues(e.Value) {
					v := strings.TrimSpace(n.Text)
					if e.Key == "com.apple.developer.pass-type-identifiers" && (v == "$(TeamIdentifierPrefix)*" || v == "${TeamIdentifierPrefix}*") {
						continue // Xcode's Wallet capability writes this: all of the team's pass types
					}
					if v == "*" || strings.HasSuffix(v, ".*") || strings.HasPrefix(v, "*") && e.Key != associatedDomainsKey {
						p.Report(Finding{Span: n.Content(), Key: e.Key,
							Message: fmt.Sprintf("%q is a wildcard: provisioning profiles use wildcards, entitlements must claim concrete values", v)})
					}
				}
			}
		},
	})
}
