package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

// emptyArrayMeaningless lists keys whose empty array claims a capability
// for nothing. Other keys are left alone: Xcode itself writes <array/> for
// com.apple.developer.healthkit.access, icloud-container-identifiers (key-
// value storage only), in-app-payments and more.
var emptyArrayMeaningless = map[string]bool{
	"com.apple.developer.associated-domains":          true,
	"com.apple.security.application-groups":           true,
	"com.apple.developer.networking.networkextension": true,
	"com.apple.developer.nfc.readersession.formats":   true,
	"keychain-access-groups":                          true,
}

func init() {
	register(&Rule{
		ID:      "empty-value",
		Title:   "Empty array or string where a value is required",
		Default: Warning,
		Why: "An empty `<array/>` or `<string></string>` claims a capability without saying what for: an empty " +
			"app-group or associated-domains list does nothing at run time, yet still has to be in the " +
			"provisioning profile, and an empty string is never a valid identifier. It is usually a placeholder " +
			"that was never filled in.",
		Bad:   "<key>com.apple.developer.associated-domains</key>\n<array/>",
		Good:  "<key>com.apple.developer.associated-domains</key>\n<array>\n\t<string>applinks:example.com</string>\n</array>",
		Facts: "key value types",
		Fixes: "removes the entry (offered, not applied by `fix`)",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				v := e.Value
				if v == nil {
					continue
				}
				empty := ""
				switch {
				case v.Kind == plistxml.Array && len(v.Items()) == 0:
					if !emptyArrayMeaningless[e.Key] {
						continue // Xcode writes <array/> for several capabilities (HealthKit, iCloud KVS…)
					}
					empty = "an empty array"
				case v.Kind == plistxml.String && strings.TrimSpace(v.Text) == "":
					empty = "an empty string"
				case v.Kind == plistxml.Array:
					for _, it := range v.Items() {
						if it.Kind == plistxml.String && strings.TrimSpace(it.Text) == "" {
							p.Report(Finding{Span: it.Span(), Key: e.Key, Message: fmt.Sprintf("empty string in %s", e.Key)})
						}
					}
				}
				if empty == "" {
					continue
				}
				// Keys whose empty array is meaningful (e.g. keychain groups handled
				// by Xcode) are still worth a look; dictionary-typed keys are not
				// checked here.
				if k, ok := p.ctx.keyAt(i); ok && k.Type == catalog.TypeDictionary {
					continue
				}
				p.Report(Finding{Span: v.Span(), Key: e.Key,
					Message: fmt.Sprintf("%s has %s: it claims the capability without a value", e.Key, empty),
					Fixes:   []Fix{{Title: "Remove " + e.Key, Edits: []Edit{p.ctx.entryRemoval(e)}}}})
			}
		},
	})
}
