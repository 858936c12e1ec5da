package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
)

func init() {
	register(&Rule{
		ID:      "profile-platform",
		Title:   "A provisioning profile for another platform",
		Default: Error,
		Why: "Profiles are made for a platform (their `Platform` list: iOS — which also covers iPadOS and " +
			"watchOS apps —, OSX for macOS and Mac Catalyst, tvOS, xrOS for visionOS). Signing with a profile " +
			"for another platform fails however right the entitlements are. With known target platforms " +
			"(config, `--platform`, a platform comment, or a file that is unmistakably macOS) each must be " +
			"covered by the profile; with unknown targets, keys that do not exist on macOS are warned about when " +
			"the profile is a macOS one (unless they are the iOS spellings Xcode translates for Mac Catalyst). " +
			"When no target is covered, profile-missing-entitlement and profile-value-mismatch stay quiet: this one " +
			"finding says it all. Runs only with a profile.",
		Bad:   "<!-- entitlint: platform=macos --> <!-- profile: an iOS profile -->\n<key>com.apple.security.app-sandbox</key>\n<true/>",
		Good:  "<!-- entitlint: platform=macos --> <!-- profile: a macOS profile (.provisionprofile) -->\n<key>com.apple.security.app-sandbox</key>\n<true/>",
		Facts: "the profile's Platform list; catalog platforms",
		Run:   runProfilePlatform,
	})
}

func runProfilePlatform(p *Pass) {
	pr, c := p.Opts.Profile, p.ctx
	if pr == nil || c.root == nil || !pr.KnowsPlatforms() {
		return
	}
	profilePlatforms := strings.Join(pr.PlatformNames(), ", ")
	if len(c.platforms) > 0 {
		var wrong []string
		for _, t := range c.platforms {
			if !pr.Supports(t) {
				wrong = append(wrong, platformName(t))
			}
		}
		if len(wrong) == 0 {
			return
		}
		from := map[string]string{"comment": "the platform comment", "inferred": "its keys"}[c.platformSource]
		if from == "" {
			from = "--platform or .entitlint.json"
		}
		p.Report(Finding{Span: profRootSpan(c),
			Message: fmt.Sprintf("Provisioning profile %q is for %s, but this file is signed for %s (from %s): use a profile for %s (%s)",
				pr.Name, profilePlatforms, strings.Join(wrong, ", "), from, strings.Join(wrong, ", "), profileFile(pr))})
		return
	}
	// Unknown targets: only a macOS profile with keys that macOS (and Mac
	// Catalyst) does not have says something.
	if !pr.IsMac() || pr.Supports("ios") || pr.Supports("tvos") || pr.Supports("visionos") {
		return
	}
	for i, e := range c.root.Entries() {
		if p.Full() {
			return
		}
		k, ok := c.keyAt(i)
		if !ok || profOnMac(k) || platformSpellings[e.Key]["macos"] != "" {
			continue
		}
		p.Report(Finding{Span: e.KeyText, Key: e.Key, Severity: Warning,
			Message: fmt.Sprintf("%s is not available on macOS, but provisioning profile %q is a macOS profile; if this file is for a Mac Catalyst target, say so with platform=catalyst (%s)",
				e.Key, pr.Name, profileFile(pr))})
	}
}

func profOnMac(k *catalog.Key) bool {
	return k.AvailableOn(catalog.MacOS) || k.AvailableOn(catalog.Catalyst) || k.AvailableOn(catalog.DriverKit)
}

// profWrongPlatform reports whether the file's known target platforms are
// none of the profile's: profile-platform then says so once, and the
// key-by-key comparisons would only add noise.
func profWrongPlatform(c *context, pr *profile.Profile) bool {
	if len(c.platforms) == 0 || !pr.KnowsPlatforms() {
		return false
	}
	for _, t := range c.platforms {
		if pr.Supports(t) {
			return false
		}
	}
	return true
}

// profRootSpan is where whole-file profile findings go: the root <dict> tag.
func profRootSpan(c *context) plistxml.Span {
	if c.root == nil {
		return plistxml.NoSpan
	}
	if c.root.OpenTag().IsValid() {
		return c.root.OpenTag()
	}
	return c.root.Span()
}
