package rules

import (
	"fmt"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
)

func init() {
	register(&Rule{
		ID:      "profile-missing-entitlement",
		Title:   "An entitlement the provisioning profile does not include",
		Default: Error,
		Why: "A provisioning profile's Entitlements dictionary is an allowlist: every entitlement the app claims " +
			"must be in it, or Xcode stops the build with \"Provisioning profile … doesn't include the … " +
			"entitlement\", and an app signed anyway does not install or is killed at launch. The fix is on the " +
			"Developer website (enable the capability on the App ID, then download the profile again) or in the file " +
			"(remove a key that is not an entitlement). Keys that need no profile are skipped: those the catalog " +
			"marks as needing none, and on macOS the App Sandbox and Hardened Runtime keys, " +
			"com.apple.security.get-task-allow and Team ID-prefixed app groups (TN3125). Runs only with a profile " +
			"(`--profile`, or `profile` in .entitlint.json).",
		Bad:   "<!-- profile: App_Dev.mobileprovision, without HealthKit -->\n<key>com.apple.developer.healthkit</key>\n<true/>",
		Good:  "<!-- profile: App_Dev.mobileprovision, downloaded again after enabling HealthKit on the App ID -->\n<key>com.apple.developer.healthkit</key>\n<true/>",
		Facts: "the profile's Entitlements; catalog restrictions, hallucinations and private keys",
		Run:   runProfileMissing,
	})
}

func runProfileMissing(p *Pass) {
	pr, c := p.Opts.Profile, p.ctx
	if pr == nil || c.root == nil || profWrongPlatform(c, pr) {
		return
	}
	for _, e := range c.root.Entries() {
		if p.Full() {
			return
		}
		if !profMissing(c.cat, pr, e) {
			continue
		}
		p.Report(Finding{Span: e.KeyText, Key: e.Key,
			Message: fmt.Sprintf("Provisioning profile %q doesn't include the %s entitlement. %s (%s)",
				pr.Name, e.Key, profMissingHint(c.cat, pr, e.Key), profileFile(pr))})
	}
}

// profMissing reports whether a top-level entry claims a key that the
// profile does not include and that needs one: what
// profile-missing-entitlement reports, and what ProfileEntry tells hovers.
func profMissing(cat *catalog.Catalog, pr *profile.Profile, e *plistxml.Entry) bool {
	if e.Value == nil || e.Key == "" || !claims(e) {
		return false
	}
	if _, _, ok := pr.Lookup(e.Key); ok || needsNoProfile(cat, pr, e.Key) {
		return false
	}
	if e.Key == appGroupsKey && profMacGroupsCovered(pr, e.Value) {
		return false
	}
	if e.Key == profile.TeamIDKey && len(pr.TeamIdentifiers) > 0 {
		return false // profile-value-mismatch compares it with TeamIdentifier
	}
	return true
}

// profMacGroupsCovered: every claimed app group is a Team ID-style group the
// macOS profile's team authorises without listing it.
func profMacGroupsCovered(pr *profile.Profile, v *plistxml.Node) bool {
	items := stringValues(v)
	if len(items) == 0 {
		return false
	}
	for _, n := range items {
		g, ok := pr.Expand(n.Text)
		if !ok || !profMacAppGroup(pr, g) {
			return false
		}
	}
	return true
}

// profMissingHint says what to do about a key the profile lacks.
func profMissingHint(cat *catalog.Catalog, pr *profile.Profile, key string) string {
	if h, ok := cat.Hallucination(key); ok {
		switch h.Kind {
		case catalog.KindAppIDService:
			return "It is not an entitlement: the service is enabled on the App ID, remove the key (see hallucinated-key)."
		case catalog.KindInfoPlist:
			return "It is not an entitlement: the setting belongs in Info.plist (see hallucinated-key)."
		case catalog.KindReplace:
			if r := h.Replacement; r != "" {
				return fmt.Sprintf("It is not an entitlement: use %s (see hallucinated-key).", r)
			}
		}
		return "It is not an entitlement: remove it (see hallucinated-key)."
	}
	if cat.IsPrivate(key) {
		return "It is private to Apple: no profile of yours can include it."
	}
	k, known := cat.Lookup(key)
	if !known {
		return "No profile includes a key Apple does not know; check its spelling."
	}
	capability := "the capability"
	if k.Capability != "" {
		capability = "the " + k.Capability + " capability"
	}
	if pr.WildcardAppID() {
		return fmt.Sprintf("The profile's App ID %s is a wildcard, which cannot carry %s: use an explicit App ID.", pr.AppID(), capability)
	}
	switch k.Restriction {
	case catalog.RestrictionApproval, catalog.RestrictionManaged:
		return fmt.Sprintf("Apple must approve %s for your team first; then enable it on the App ID and download the profile again.", capability)
	}
	appID := "the App ID"
	if id := pr.AppID(); id != "" {
		appID = "App ID " + id
	}
	return fmt.Sprintf("Enable %s for %s and download the profile again.", capability, appID)
}
