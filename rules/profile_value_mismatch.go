package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
)

func init() {
	register(&Rule{
		ID:      "profile-value-mismatch",
		Title:   "A value the provisioning profile does not authorise",
		Default: Error,
		Why: "The profile authorises values, not just keys: the app groups, iCloud containers, keychain groups and " +
			"network extension types registered for the App ID, the team, the App ID itself, and whether the app " +
			"may be debugged. A claimed value outside them stops the build with \"Provisioning profile … doesn't " +
			"match the entitlements file's value for the … entitlement\". Profile values ending in `*` are " +
			"wildcards (`ABCDE12345.*` authorises any value starting with `ABCDE12345.`, `*` any value: TN3125); " +
			"arrays are checked item by item; a claimed `true` needs `true` in the profile. " +
			"`$(AppIdentifierPrefix)`, `$(TeamIdentifierPrefix)` and, with an explicit App ID, " +
			"`$(CFBundleIdentifier)`/`$(PRODUCT_BUNDLE_IDENTIFIER)` are resolved from the profile first; values " +
			"with other build variables are not checked. Developer ID profiles authorise the `-systemextension` " +
			"network extension values only. Runs only with a profile.",
		Bad:   "<!-- profile lists group.com.example.shared -->\n<key>com.apple.security.application-groups</key>\n<array>\n\t<string>group.com.example.other</string>\n</array>",
		Good:  "<!-- profile lists group.com.example.shared -->\n<key>com.apple.security.application-groups</key>\n<array>\n\t<string>group.com.example.shared</string>\n</array>",
		Facts: "the profile's Entitlements, TeamIdentifier and App ID; wildcard semantics from TN3125",
		Run:   runProfileValues,
	})
}

func runProfileValues(p *Pass) {
	pr, c := p.Opts.Profile, p.ctx
	if pr == nil || c.root == nil || profWrongPlatform(c, pr) {
		return
	}
	for _, e := range c.root.Entries() {
		if p.Full() {
			return
		}
		if e.Value == nil || !claims(e) {
			continue
		}
		allowed, ok := profAllowed(pr, e.Key)
		if !ok {
			continue // not in the profile: profile-missing-entitlement
		}
		switch e.Value.Kind {
		case plistxml.True:
			if !profTrueCovered(allowed) {
				p.Report(Finding{Span: e.Value.Span(), Key: e.Key,
					Message: profMismatchMessage(pr, e.Key, fmt.Sprintf("The file claims true; the profile has %s.", describeProfileValue(allowed))+profBoolHint(pr, e.Key))})
			}
		case plistxml.String, plistxml.Array:
			patterns, isStrings := profile.Strings(allowed)
			if !isStrings {
				continue // a type mismatch: wrong-type reports the file's side
			}
			for _, n := range stringValues(e.Value) {
				if p.Full() {
					return
				}
				checkProfileValue(p, pr, e.Key, patterns, n)
			}
		}
	}
}

// profAllowed returns what the profile allows for a key: its value (under
// either platform spelling), or the TeamIdentifier array for the team
// identifier entitlement. ok is false when the profile does not have it.
func profAllowed(pr *profile.Profile, key string) (allowed any, ok bool) {
	allowed, _, ok = pr.Lookup(key)
	if !ok && key == profile.TeamIDKey && len(pr.TeamIdentifiers) > 0 {
		return profAnySlice(pr.TeamIdentifiers), true
	}
	return allowed, ok
}

// profTrueCovered reports whether a claimed <true/> is authorised: the
// profile has true, or "*".
func profTrueCovered(allowed any) bool {
	b, isBool := allowed.(bool)
	return isBool && b || !isBool && allowed == "*"
}

// profValueCovered reports whether one claimed string is authorised by the
// profile's patterns, and returns it with the profile's build variables
// resolved. An empty value claims nothing; checked is false when the value
// has a build variable the profile cannot resolve (Xcode decides).
func profValueCovered(pr *profile.Profile, key string, patterns []string, raw string) (v string, covered, checked bool) {
	if raw = strings.TrimSpace(raw); raw == "" {
		return raw, true, true
	}
	v, resolved := pr.Expand(raw)
	if !resolved {
		return v, true, false
	}
	return v, profile.MatchesAny(patterns, v) || key == appGroupsKey && profMacAppGroup(pr, v), true
}

func checkProfileValue(p *Pass, pr *profile.Profile, key string, patterns []string, n *plistxml.Node) {
	raw := strings.TrimSpace(n.Text)
	v, covered, _ := profValueCovered(pr, key, patterns, raw)
	if covered {
		return
	}
	shown := fmt.Sprintf("%q", raw)
	if v != raw {
		shown = fmt.Sprintf("%q (%q)", raw, v)
	}
	var detail string
	switch key {
	case profile.TeamIDKey:
		detail = fmt.Sprintf("The file says team %s; the profile is for team %s.", shown, profQuoteList(patterns, 3))
	case profile.AppIDKey, profile.MacAppIDKey:
		detail = fmt.Sprintf("The file claims %s; the profile is for App ID %s.", shown, profQuoteList(patterns, 3))
	default:
		detail = fmt.Sprintf("%s is not authorised; ", shown)
		switch {
		case len(patterns) == 0:
			detail += "the profile allows no value."
		case profContains(patterns, v+"-systemextension"):
			detail += fmt.Sprintf("the profile authorises %q (Developer ID profiles carry only the -systemextension values).", v+"-systemextension")
		default:
			detail += "the profile allows " + profQuoteList(patterns, 5) + "."
		}
	}
	p.Report(Finding{Span: profValueSpan(n), Key: key, Message: profMismatchMessage(pr, key, detail)})
}

func profMismatchMessage(pr *profile.Profile, key, detail string) string {
	return fmt.Sprintf("Provisioning profile %q doesn't match the entitlements file's value for the %s entitlement. %s (%s)",
		pr.Name, key, detail, profileFile(pr))
}

func profBoolHint(pr *profile.Profile, key string) string {
	if key == "get-task-allow" || key == "com.apple.security.get-task-allow" {
		kind := map[profile.Kind]string{profile.AdHoc: "An ad hoc", profile.AppStore: "An App Store", profile.Enterprise: "An enterprise",
			profile.DeveloperID: "A Developer ID", profile.Development: "This development"}[pr.Kind()]
		return fmt.Sprintf(" %s profile does not allow debugging: remove the key (Xcode sets it from the profile).", kind)
	}
	return ""
}

func describeProfileValue(v any) string {
	switch x := v.(type) {
	case bool:
		return fmt.Sprintf("%t", x)
	case string:
		return fmt.Sprintf("%q", x)
	case []any:
		return "an array"
	case map[string]any:
		return "a dictionary"
	}
	return fmt.Sprintf("%v", v)
}

func profAnySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func profContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
