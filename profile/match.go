package profile

import (
	"regexp"
	"strings"
)

// Entitlement keys the package knows by name.
const (
	AppIDKey    = "application-identifier"
	MacAppIDKey = "com.apple.application-identifier"
	TeamIDKey   = "com.apple.developer.team-identifier"
)

// spellings maps keys that have a different spelling on macOS to that
// spelling and back. TN3125: "A Mac Catalyst app uses both
// com.apple.application-identifier and application-identifier"; Xcode
// translates the others for Mac Catalyst.
var spellings = map[string]string{
	AppIDKey:                              MacAppIDKey,
	MacAppIDKey:                           AppIDKey,
	"aps-environment":                     "com.apple.developer.aps-environment",
	"com.apple.developer.aps-environment": "aps-environment",
	"get-task-allow":                      "com.apple.security.get-task-allow",
	"com.apple.security.get-task-allow":   "get-task-allow",
}

// Lookup returns the profile's value for an entitlement key, trying the
// key's other platform spelling (application-identifier and
// com.apple.application-identifier, …) when the profile lacks it. found is
// the key the value was found under.
func (p *Profile) Lookup(key string) (value any, found string, ok bool) {
	if v, ok := p.Entitlements[key]; ok {
		return v, key, true
	}
	if alt, ok := spellings[key]; ok {
		if v, ok := p.Entitlements[alt]; ok {
			return v, alt, true
		}
	}
	return nil, "", false
}

// IsWildcard reports whether a profile value is a wildcard pattern: it ends
// with "*" ("*", "ABCDE12345.*", "ABCDE12345.com.example.*").
func IsWildcard(pattern string) bool { return strings.HasSuffix(pattern, "*") }

// Matches reports whether a profile value authorises a claimed value. A
// value ending in "*" authorises every value that starts with what precedes
// the "*" (TN3125: "SKMME9E2Y8.* means that the app can claim any keychain
// access group with the SKMME9E2Y8. prefix"; a wildcard App ID
// "SKMME9E2Y8.com.example.apple-samplecode.*" applies to any App ID starting
// with "SKMME9E2Y8.com.example.apple-samplecode."). Anything else must be
// equal, case-sensitively. A "*" elsewhere than at the end is literal.
func Matches(pattern, claimed string) bool {
	if IsWildcard(pattern) {
		return strings.HasPrefix(claimed, pattern[:len(pattern)-1])
	}
	return pattern == claimed
}

// Strings returns a profile value as the list of string patterns it holds:
// a string is one pattern, an array its string items. ok is false for other
// types (booleans, dictionaries, numbers).
func Strings(v any) (patterns []string, ok bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []any:
		return strs(x), true
	}
	return nil, false
}

// MatchesAny reports whether any of the patterns authorises claimed.
func MatchesAny(patterns []string, claimed string) bool {
	for _, pat := range patterns {
		if Matches(pat, claimed) {
			return true
		}
	}
	return false
}

// buildVariable matches Xcode build-setting references: $(NAME), ${NAME},
// with or without a modifier.
var buildVariable = regexp.MustCompile(`\$\(([^()]*)\)|\$\{([^{}]*)\}`)

// Expand resolves the build variables whose value the profile determines:
// $(AppIdentifierPrefix) (the App ID prefix and a dot),
// $(TeamIdentifierPrefix) (the Team ID and a dot), and $(CFBundleIdentifier)
// and $(PRODUCT_BUNDLE_IDENTIFIER) when the profile's App ID is explicit.
// Both $(…) and ${…} forms are understood; a modifier ($(VAR:lower)) is
// not. ok is false when any variable is left unresolved.
func (p *Profile) Expand(s string) (out string, ok bool) {
	if !strings.Contains(s, "$") {
		return s, true
	}
	ok = true
	out = buildVariable.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		switch name {
		case "AppIdentifierPrefix":
			if pre := p.AppIDPrefix(); pre != "" {
				return pre + "."
			}
		case "TeamIdentifierPrefix":
			if team := p.TeamID(); team != "" {
				return team + "."
			}
		case "CFBundleIdentifier", "PRODUCT_BUNDLE_IDENTIFIER":
			if id, found := p.BundleID(); found {
				return id
			}
		}
		ok = false
		return m
	})
	return out, ok
}

// Apple's names in the Platform array, mapped to entitlint's platform IDs
// they cover.
var platformTargets = map[string][]string{
	"iOS":      {"ios", "ipados"},
	"OSX":      {"macos", "catalyst", "driverkit"},
	"macOS":    {"macos", "catalyst", "driverkit"},
	"tvOS":     {"tvos"},
	"watchOS":  {"watchos"},
	"xrOS":     {"visionos"},
	"visionOS": {"visionos"},
}

// platformAlso: targets that a profile for another platform also covers.
// watchOS apps are provisioned with iOS App IDs and profiles; visionOS runs
// iPad and iPhone apps, and iOS profiles list xrOS only since 2023; DriverKit
// drivers for iPadOS are signed with iOS profiles.
var platformAlso = map[string][]string{
	"watchos":   {"iOS"},
	"visionos":  {"iOS"},
	"driverkit": {"iOS"},
}

// IsMac reports whether the profile is for macOS (Platform OSX).
func (p *Profile) IsMac() bool {
	for _, pl := range p.Platforms {
		if pl == "OSX" || pl == "macOS" {
			return true
		}
	}
	return false
}

func (p *Profile) hasEmbeddedPlatform() bool {
	for _, pl := range p.Platforms {
		if pl != "OSX" && pl != "macOS" {
			return true
		}
	}
	return false
}

// KnowsPlatforms reports whether the profile names at least one platform
// this package understands (old or unusual profiles may not).
func (p *Profile) KnowsPlatforms() bool {
	for _, pl := range p.Platforms {
		if _, ok := platformTargets[pl]; ok {
			return true
		}
	}
	return false
}

// Supports reports whether the profile can sign code for an entitlint
// platform ID ("ios", "macos", "catalyst", …). Mac Catalyst apps use macOS
// profiles.
func (p *Profile) Supports(platform string) bool {
	for _, pl := range p.Platforms {
		for _, t := range platformTargets[pl] {
			if t == platform {
				return true
			}
		}
		for _, alt := range platformAlso[platform] {
			if pl == alt {
				return true
			}
		}
	}
	return false
}

// PlatformNames returns the profile's platforms in Apple's marketing
// spelling ("iOS", "macOS", "visionOS"…), without duplicates.
func (p *Profile) PlatformNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, pl := range p.Platforms {
		name := pl
		switch pl {
		case "OSX":
			name = "macOS"
		case "xrOS":
			name = "visionOS"
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}
