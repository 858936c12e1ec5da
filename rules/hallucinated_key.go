package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "hallucinated-key",
		Title:   "A key that is not, and never was, an entitlement",
		Default: Error,
		Why: "Keys such as `com.apple.developer.app-groups`, `com.apple.developer.push-notifications` or " +
			"`com.apple.developer.in-app-purchase` look plausible and are repeated by forum answers and AI " +
			"assistants, but Apple never supported them. Xcode then looks for a provisioning profile that " +
			"authorises the key, cannot find one, and fails with an obscure signing error — often only on " +
			"device builds, since the simulator does not check signatures. The message says what is right instead: " +
			"the real key, an Info.plist setting, or nothing at all.",
		Bad:   "<key>com.apple.developer.app-groups</key>\n<array>\n\t<string>group.com.example.shared</string>\n</array>",
		Good:  "<key>com.apple.security.application-groups</key>\n<array>\n\t<string>group.com.example.shared</string>\n</array>",
		Facts: "catalog hallucinations (replacement, reason, Info.plist destination)",
		Fixes: "renames the key to the real one, or removes an entry that needs no entitlement",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				h, ok := p.ctx.hallucinationAt(i)
				if !ok {
					continue
				}
				reportHallucination(p, e, h)
			}
		},
	})
}

// replacementFor picks the replacement key for the file's platforms: a
// platform-specific one when every known target agrees on it.
//
// Inferred platforms are not trusted for this: a wrong guess would rewrite
// the key into the other platform's spelling.
func replacementFor(c *context, h *catalog.Hallucination) string {
	if len(c.platforms) > 0 && c.platformSource != "inferred" && len(h.PlatformReplacements) > 0 {
		var pick string
		for i, p := range c.platforms {
			r, ok := h.PlatformReplacements[catalog.Platform(p)]
			if !ok {
				r = h.Replacement
			}
			if i == 0 {
				pick = r
			} else if r != pick {
				return h.Replacement
			}
		}
		return pick
	}
	return h.Replacement
}

func reportHallucination(p *Pass, e *plistxml.Entry, h *catalog.Hallucination) {
	c := p.ctx
	f := Finding{Span: e.KeyText, Key: e.Key}
	remove := Fix{Title: "Remove " + e.Key, Edits: []Edit{c.entryRemoval(e)}}
	switch h.Kind {
	case catalog.KindReplace:
		repl := replacementFor(c, h)
		f.Message = fmt.Sprintf("%q is not an entitlement: use %s", e.Key, repl)
		if len(h.PlatformReplacements) > 0 && repl == h.Replacement {
			var alts []string
			for pl, r := range h.PlatformReplacements {
				alts = append(alts, fmt.Sprintf("%s on %s", r, platformName(string(pl))))
			}
			f.Message += " (" + strings.Join(alts, ", ") + ")"
		}
		main := renameKeyFixes(p, e, repl)
		if len(h.Alternatives) > 0 {
			// Several candidates: the preferred one is still a guess.
			for i := range main {
				main[i].Safe = false
			}
		}
		f.Fixes = append(f.Fixes, main...)
		for _, alt := range h.Alternatives {
			if alt != repl {
				f.Fixes = append(f.Fixes, guesses(renameKeyFixes(p, e, alt))...)
			}
		}
		f.Fixes = appendUnique(f.Fixes, remove)
	case catalog.KindInfoPlist:
		dest := "the target's Info.plist"
		if h.InfoPlist != nil && h.InfoPlist.Key != e.Key {
			dest = "Info.plist key " + h.InfoPlist.Key
			if h.InfoPlist.Value != "" {
				dest = fmt.Sprintf("the %q value of the Info.plist key %s", h.InfoPlist.Value, h.InfoPlist.Key)
			}
		}
		f.Message = fmt.Sprintf("%q is not an entitlement: it belongs in %s", e.Key, dest)
		remove.Title = "Remove " + e.Key + " (add it to Info.plist instead)"
		f.Fixes = append(f.Fixes, remove)
	default: // remove, app-id-service: nothing to claim
		f.Message = fmt.Sprintf("%q is not an entitlement and none is needed", e.Key)
		remove.Safe, remove.Preferred = true, true
		f.Fixes = []Fix{remove}
		for _, alt := range h.Alternatives {
			f.Fixes = appendUnique(f.Fixes, guesses(renameKeyFixes(p, e, alt))...)
		}
	}
	if h.Reason != "" {
		f.Message += ". " + strings.TrimSuffix(h.Reason, ".")
	}
	p.Report(f)
}

// guesses marks fixes as alternatives: offered, never preferred or applied
// automatically.
func guesses(fixes []Fix) []Fix {
	for i := range fixes {
		fixes[i].Safe, fixes[i].Preferred = false, false
	}
	return fixes
}

// appendUnique appends fixes whose edits are not already offered.
func appendUnique(list []Fix, fixes ...Fix) []Fix {
	for _, fx := range fixes {
		dup := false
		for _, have := range list {
			if sameEdits(have.Edits, fx.Edits) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, fx)
		}
	}
	return list
}

func sameEdits(a, b []Edit) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// renameKeyFixes offers renaming an entry's key. Renaming is safe when the
// target key is not already claimed and the current value has the type the
// target key wants; otherwise the rename is only offered, and when the
// target key is already present, removing this entry is offered instead.
func renameKeyFixes(p *Pass, e *plistxml.Entry, to string) []Fix {
	c := p.ctx
	if existing := c.topEntry(to); existing != nil {
		// The real key is already there: the wrong one is only noise.
		return []Fix{{Title: fmt.Sprintf("Remove %s (%s is already claimed)", e.Key, to), Edits: []Edit{c.entryRemoval(e)}, Safe: true, Preferred: true}}
	}
	k, known := c.cat.Lookup(to)
	fix := Fix{Title: "Replace with " + to, Preferred: true,
		Edits: []Edit{{Span: e.KeyText, NewText: escapeText(to)}}}
	if known && c.platformSource != "inferred" && len(c.platforms) > 0 {
		for _, pl := range c.platforms {
			if !availableOn(k, pl) {
				// Renaming into a key the target platform lacks only trades
				// one finding for another: offer it, never prefer it.
				fix.Title += " (not available on " + platformName(pl) + ")"
				fix.Preferred = false
				return []Fix{fix}
			}
		}
	}
	if known && e.Value != nil && valueFits(k.Type, e.Value) {
		fix.Safe = true
		return []Fix{fix}
	}
	if known && e.Value != nil {
		if v, ok := defaultValueXML(k, c.indentOf(e.Span.Start)); ok {
			fix.Title = fmt.Sprintf("Replace with %s and a %s value", to, k.Type)
			fix.Edits = append(fix.Edits, Edit{Span: e.Value.Span(), NewText: v})
		}
	}
	return []Fix{fix}
}

// valueFits reports whether a value node has the shape a key type wants.
func valueFits(t catalog.ValueType, v *plistxml.Node) bool {
	switch t {
	case catalog.TypeBoolean:
		return v.Kind.IsBool()
	case catalog.TypeString:
		return v.Kind == plistxml.String
	case catalog.TypeInteger:
		return v.Kind == plistxml.Integer
	case catalog.TypeArrayOfStrings:
		if v.Kind != plistxml.Array {
			return false
		}
		for _, it := range v.Items() {
			if it.Kind != plistxml.String {
				return false
			}
		}
		return true
	case catalog.TypeStringOrArray:
		return v.Kind == plistxml.String || valueFits(catalog.TypeArrayOfStrings, v)
	case catalog.TypeDictionary:
		return v.Kind == plistxml.Dict
	case catalog.TypeArrayOfDictionaries:
		if v.Kind != plistxml.Array {
			return false
		}
		for _, it := range v.Items() {
			if it.Kind != plistxml.Dict {
				return false
			}
		}
		return true
	}
	return true
}

// defaultValueXML is a starting value for a key, used when a fix has to
// replace a value of the wrong type.
func defaultValueXML(k *catalog.Key, indent string) (string, bool) {
	first := ""
	if len(k.Values) > 0 {
		first = k.Values[0].Value
	}
	switch k.Type {
	case catalog.TypeBoolean:
		return "<true/>", true
	case catalog.TypeString:
		if first != "" {
			return "<string>" + escapeText(first) + "</string>", true
		}
	case catalog.TypeArrayOfStrings, catalog.TypeStringOrArray:
		if first != "" {
			return "<array>\n" + indent + "\t<string>" + escapeText(first) + "</string>\n" + indent + "</array>", true
		}
	}
	return "", false
}

// escapeText escapes a string for XML character data.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "<>&") {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

var platformNames = map[string]string{"ios": "iOS", "ipados": "iPadOS", "macos": "macOS", "catalyst": "Mac Catalyst",
	"tvos": "tvOS", "watchos": "watchOS", "visionos": "visionOS", "driverkit": "DriverKit"}

func platformName(p string) string {
	if n, ok := platformNames[p]; ok {
		return n
	}
	return p
}
