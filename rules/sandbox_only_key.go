package rules

import (
	"fmt"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

const appSandboxKey = "com.apple.security.app-sandbox"

func init() {
	register(&Rule{
		ID:      "sandbox-only-key",
		Title:   "An App Sandbox key without the App Sandbox",
		Default: Warning,
		Why: "On macOS, keys such as `com.apple.security.network.client` or " +
			"`com.apple.security.files.user-selected.read-write` only refine the App Sandbox. Without " +
			"`com.apple.security.app-sandbox` set to true they do nothing: the app is not sandboxed at all " +
			"(and cannot go to the Mac App Store), which is rarely what the author meant. Hardened Runtime keys " +
			"(`com.apple.security.cs.*`) and resource keys used by both are not affected.",
		Bad:   "<key>com.apple.security.network.client</key>\n<true/>",
		Good:  "<key>com.apple.security.app-sandbox</key>\n<true/>\n<key>com.apple.security.network.client</key>\n<true/>",
		Facts: "catalog macOS groups (sandbox, hardened runtime, both)",
		Run: func(p *Pass) {
			c := p.ctx
			if c.root == nil || c.isTrue(appSandboxKey) {
				return
			}
			// Only on macOS proper: Catalyst and iOS files never carry these
			// without meaning to, and Xcode handles Catalyst's sandbox itself.
			if !c.onlyOn("macos") {
				return
			}
			sandbox := c.topEntry(appSandboxKey)
			explicitFalse := sandbox != nil && sandbox.Value != nil && sandbox.Value.Kind == plistxml.False
			for i, e := range c.root.Entries() {
				k, ok := c.keyAt(i)
				if !ok || k.MacOSGroup != catalog.GroupSandbox {
					continue
				}
				why := "the App Sandbox is not enabled"
				switch {
				case explicitFalse:
					why = appSandboxKey + " is false"
				case sandbox != nil:
					why = appSandboxKey + " is not <true/>"
				}
				p.Report(Finding{Span: e.KeyText, Key: e.Key,
					Message: fmt.Sprintf("%s only applies inside the App Sandbox, but %s: it has no effect", e.Key, why)})
			}
		},
	})
}
