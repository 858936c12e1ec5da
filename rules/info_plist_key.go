package rules

import "fmt"

func init() {
	register(&Rule{
		ID:      "info-plist-key",
		Title:   "An Info.plist key in an entitlements file",
		Default: Error,
		Why: "Keys such as `UIBackgroundModes`, `NSCameraUsageDescription` or `LSApplicationQueriesSchemes` are " +
			"read from the app's Info.plist. In the entitlements file they do nothing except make Xcode look for " +
			"a profile that authorises them, which fails signing on device. Move the key to Info.plist (in Xcode: " +
			"the target's Info tab, or Signing & Capabilities → Background Modes).",
		Bad:   "<key>UIBackgroundModes</key>\n<array>\n\t<string>remote-notification</string>\n</array>",
		Good:  "<!-- in Info.plist, not in .entitlements -->\n<key>UIBackgroundModes</key>\n<array>\n\t<string>remote-notification</string>\n</array>",
		Facts: "catalog Info.plist keys and patterns",
		Fixes: "removes the entry from the entitlements file (offered, not applied by `fix`: move it first)",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				if _, real := p.ctx.keyAt(i); real {
					continue
				}
				if _, hall := p.ctx.hallucinationAt(i); hall {
					continue // hallucinated-key explains it with more detail
				}
				if _, ok := p.ctx.infoPlistAt(i); !ok {
					continue
				}
				p.Report(Finding{Span: e.KeyText, Key: e.Key,
					Message: fmt.Sprintf("%s is an Info.plist key, not an entitlement: move it to the target's Info.plist", e.Key),
					Fixes:   []Fix{{Title: "Remove " + e.Key + " (move it to Info.plist)", Edits: []Edit{p.ctx.entryRemoval(e)}, Preferred: true}}})
			}
		},
	})
}
