package rules

import "fmt"

func init() {
	register(&Rule{
		ID:      "private-entitlement",
		Title:   "An Apple-private entitlement",
		Default: Error,
		Why: "Keys such as `com.apple.private.*` or `platform-application` are reserved for Apple's own binaries. " +
			"No provisioning profile can authorise them, so a signed third-party app that claims one is killed " +
			"by the kernel at launch (AMFI), or the build fails to sign. Copying entitlements out of a system " +
			"binary is the usual way they get in.",
		Bad:   "<key>com.apple.private.security.restricted-application-groups</key>",
		Good:  "<!-- no private entitlement: use public API and the public keys -->",
		Facts: "catalog private prefixes and keys",
		Fixes: "removes the entry (offered, not applied by `fix`)",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				if _, real := p.ctx.keyAt(i); real || !p.ctx.privateAt(i) {
					continue
				}
				p.Report(Finding{Span: e.KeyText, Key: e.Key,
					Message: fmt.Sprintf("%q is private to Apple: no profile can authorise it and the app is killed at launch", e.Key),
					Fixes:   []Fix{{Title: "Remove " + e.Key, Edits: []Edit{p.ctx.entryRemoval(e)}, Preferred: true}}})
			}
		},
	})
}
