package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

const networkExtensionKey = "com.apple.developer.networking.networkextension"

func init() {
	register(&Rule{
		ID:      "distribution",
		Title:   "A value wrong for the distribution method",
		Default: Warning,
		Why: "Some values are right for one distribution method and wrong for another: `get-task-allow` true " +
			"is refused by the App Store; a Developer ID network extension must use the `-systemextension` " +
			"provider values; the Mac App Store requires the App Sandbox and rejects temporary exceptions " +
			"without a justification. Set the method with `distribution` in .entitlint.json or --distribution.",
		Bad:   "<!-- entitlint: distribution=developer-id -->\n<key>com.apple.developer.networking.networkextension</key>\n<array>\n\t<string>packet-tunnel-provider</string>\n</array>",
		Good:  "<array>\n\t<string>packet-tunnel-provider-systemextension</string>\n</array>",
		Facts: "distribution rules from the seed facts (V14–V16); catalog macOS groups",
		Run: func(p *Pass) {
			c := p.ctx
			if c.root == nil || c.distribution == "" {
				return
			}
			switch c.distribution {
			case "app-store":
				checkAppStore(p)
			case "developer-id":
				checkDeveloperID(p)
			}
		},
	})
}

func checkAppStore(p *Pass) {
	c := p.ctx
	for _, key := range []string{"get-task-allow", "com.apple.security.get-task-allow"} {
		if e := c.topEntry(key); e != nil && e.Value != nil && e.Value.Kind == plistxml.True {
			p.Report(Finding{Span: e.Value.Span(), Key: key,
				Message: key + " is true: App Store builds must not be debuggable (the distribution profile sets it to false)",
				Fixes:   []Fix{{Title: "Remove " + key + " (Xcode adds the right value when signing)", Edits: []Edit{c.entryRemoval(e)}, Preferred: true}}})
		}
	}
	if !c.onlyOn("macos") {
		return
	}
	if !c.isTrue(appSandboxKey) {
		span := plistxml.NoSpan
		if e := c.topEntry(appSandboxKey); e != nil {
			span = e.KeyText
		} else if c.root != nil {
			span = c.root.OpenTag()
		}
		p.Report(Finding{Span: span, Key: appSandboxKey,
			Message: "the Mac App Store requires the App Sandbox: set " + appSandboxKey + " to true"})
	}
	for _, e := range c.root.Entries() {
		if strings.HasPrefix(e.Key, "com.apple.security.temporary-exception.") {
			p.Report(Finding{Span: e.KeyText, Key: e.Key,
				Message: e.Key + ": App Review asks for a justification of every temporary exception and may reject it; prefer a supported API"})
		}
	}
}

func checkDeveloperID(p *Pass) {
	c := p.ctx
	e := c.topEntry(networkExtensionKey)
	if e == nil || e.Value == nil {
		return
	}
	for _, n := range stringValues(e.Value) {
		v := n.Text
		switch v {
		case "packet-tunnel-provider", "app-proxy-provider", "content-filter-provider", "dns-proxy":
			want := v + "-systemextension"
			p.Report(Finding{Span: n.Content(), Key: networkExtensionKey,
				Message: fmt.Sprintf("Developer ID profiles authorise %q, not %q: a Developer ID app signed with this value fails with \"profile doesn't match the entitlements file's value\". Check the exported app's entitlements (codesign -d --entitlements -); if you sign outside Xcode, claim %q", want, v, want)})
		}
	}
}
