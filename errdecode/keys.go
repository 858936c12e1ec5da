package errdecode

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/entitlint/entitlint/catalog"
)

// explainKey says what the catalog knows about key. platform, when not
// empty, is the platform the message is about ("not supported on iOS").
func explainKey(cat *catalog.Catalog, key string, platform catalog.Platform) KeyInfo {
	if k, ok := cat.Lookup(key); ok {
		return KeyInfo{Key: key, Status: "real", Advice: realKeyAdvice(k, platform)}
	}
	if h, ok := cat.Hallucination(key); ok {
		info := KeyInfo{Key: key, Status: "hallucinated", Replacement: h.ReplacementFor(platform)}
		if h.Kind == catalog.KindInfoPlist && h.InfoPlist != nil {
			info.InfoPlistKey, info.InfoPlistValue = h.InfoPlist.Key, h.InfoPlist.Value
		}
		info.Advice = fmt.Sprintf("%s is not an entitlement, and never was: %s", key, hallucinationFix(h, platform))
		if h.Reason != "" {
			info.Advice += " " + strings.TrimSpace(h.Reason)
		}
		return info
	}
	if m, ok := cat.Private(key); ok {
		adv := fmt.Sprintf("%s is private to Apple: no provisioning profile can authorise it for your code. Remove it.", key)
		if m.Reason != "" {
			adv += " " + strings.TrimSpace(m.Reason)
		}
		return KeyInfo{Key: key, Status: "private", Advice: adv}
	}
	if ik, ok := cat.InfoPlist(key); ok {
		return KeyInfo{Key: key, Status: "info-plist",
			Advice: fmt.Sprintf("%s is an Info.plist key, not an entitlement (%s): move it to the target's Info.plist.", key, strings.TrimSuffix(ik.Summary, "."))}
	}
	adv := fmt.Sprintf("%s is not in entitlint's catalog (%s): it is probably misspelled or invented.", key, cat.Version())
	if s := cat.Suggest(key, 3); len(s) > 0 {
		names := make([]string, len(s))
		for i, x := range s {
			names[i] = x.Key
		}
		adv += " Did you mean " + strings.Join(names, ", ") + "?"
	}
	adv += " If Signing & Capabilities has no capability for what you want, the feature most likely needs no entitlement."
	return KeyInfo{Key: key, Status: "unknown", Advice: adv}
}

// hallucinationFix says what to do instead of a wrong key.
func hallucinationFix(h *catalog.Hallucination, platform catalog.Platform) string {
	switch h.Kind {
	case catalog.KindReplace:
		s := "use " + h.ReplacementFor(platform) + " instead"
		for p, r := range h.PlatformReplacements {
			if platform == "" {
				s += fmt.Sprintf(" (%s on %s)", r, p.DisplayName())
			}
		}
		return s + "."
	case catalog.KindInfoPlist:
		if h.InfoPlist != nil {
			s := "it belongs in Info.plist: " + h.InfoPlist.Key
			if h.InfoPlist.Value != "" {
				s += fmt.Sprintf(" with the value %q", h.InfoPlist.Value)
			}
			return s + "; remove it from the entitlements file."
		}
		return "it belongs in Info.plist; remove it from the entitlements file."
	case catalog.KindAppIDService:
		return "no entitlement is needed (the service is enabled on the App ID); remove the key."
	}
	return "no entitlement is needed; remove the key."
}

var restrictionAdvice = map[catalog.Restriction]string{
	catalog.RestrictionProfile:  "a provisioning profile must authorise it",
	catalog.RestrictionApproval: "Apple must approve a request before any profile can carry it; until then every build that claims it fails to sign",
	catalog.RestrictionManaged:  "it is a managed capability: it works in development, but distribution needs Apple's authorisation (request it in your developer account)",
	catalog.RestrictionNone:     "any signed code may claim it; no profile is involved",
}

func realKeyAdvice(k *catalog.Key, platform catalog.Platform) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is a real entitlement (%s)", k.Key, k.Title)
	validationRequired := k.Key == "com.apple.security.application-groups" && platform == catalog.MacOS
	if validationRequired {
		// AppGroups (Apple DTS): restricted on iOS, validation-required on
		// macOS; the catalog has one restriction for every platform.
		b.WriteString(": on macOS it is validation-required, not restricted: a claim no profile authorises still runs, but its entitlements are no longer trusted")
	} else if r, ok := restrictionAdvice[k.Restriction]; ok {
		b.WriteString(": " + r)
	}
	b.WriteString(".")
	if !validationRequired && (k.Restriction == catalog.RestrictionProfile || k.Restriction == catalog.RestrictionManaged) {
		if k.Capability != "" {
			fmt.Fprintf(&b, " Add it with the %s capability in Xcode's Signing & Capabilities: that also enables it on the App ID, and automatic signing regenerates the profile.", k.Capability)
		} else {
			b.WriteString(" Enable it on the App ID (Certificates, Identifiers & Profiles) and download a new profile.")
		}
	}
	if platform != "" && !availableOn(k, platform) {
		fmt.Fprintf(&b, " It does not exist on %s (it does on %s).", platform.DisplayName(), availability(k))
	}
	if k.Deprecated != nil {
		b.WriteString(" Deprecated")
		if k.Deprecated.Successor != "" {
			b.WriteString(": use " + k.Deprecated.Successor)
		}
		b.WriteString(".")
	}
	return b.String()
}

func availableOn(k *catalog.Key, p catalog.Platform) bool {
	if k.AvailableOn(p) {
		return true
	}
	switch p {
	case catalog.Catalyst:
		return k.AvailableOn(catalog.IOS) || k.AvailableOn(catalog.MacOS)
	case catalog.IOS:
		return k.AvailableOn(catalog.IPadOS)
	case catalog.IPadOS:
		return k.AvailableOn(catalog.IOS)
	}
	return false
}

func availability(k *catalog.Key) string {
	var out []string
	for _, p := range catalog.AllPlatforms() {
		if since, ok := k.Since(p); ok {
			out = append(out, p.DisplayName()+" "+since)
		}
	}
	return strings.Join(out, ", ")
}

// platformOf reads "iOS", "macOS", "tvOS"… from a message.
func platformOf(s string) catalog.Platform {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ios":
		return catalog.IOS
	case "ipados":
		return catalog.IPadOS
	case "macos", "mac os x", "os x":
		return catalog.MacOS
	case "tvos":
		return catalog.TVOS
	case "watchos":
		return catalog.WatchOS
	case "visionos", "xros":
		return catalog.VisionOS
	}
	return ""
}

var keySplit = regexp.MustCompile(`\s*,\s*(?:and\s+)?|\s+and\s+`)

// splitKeys splits "a, b and c" into keys.
func splitKeys(s string) []string {
	var out []string
	for _, k := range keySplit.Split(strings.TrimSpace(s), -1) {
		k = strings.Trim(k, `'".`)
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

// capabilityKeys maps an Xcode capability name ("App Groups", "Push
// Notifications") to the keys it adds. Umbrella capabilities with many keys
// (App Sandbox, Hardened Runtime) give none.
func capabilityKeys(cat *catalog.Catalog, name string) []string {
	name = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), "capability"))
	var out []string
	for _, k := range cat.Keys() {
		if k.Capability != "" && strings.EqualFold(k.Capability, name) {
			out = append(out, k.Key)
		}
	}
	if len(out) > 4 {
		return nil
	}
	return out
}

func explainKeys(cat *catalog.Catalog, keys []string, platform catalog.Platform) []KeyInfo {
	out := make([]KeyInfo, 0, len(keys))
	seen := map[string]bool{}
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, explainKey(cat, k, platform))
		}
	}
	return out
}

// keyActions turns key statuses into the first things to do.
func keyActions(keys []KeyInfo) []string {
	var out []string
	for _, k := range keys {
		switch k.Status {
		case "hallucinated":
			switch {
			case k.InfoPlistKey == "UIBackgroundModes" && k.InfoPlistValue != "":
				out = append(out, fmt.Sprintf("Remove %s from the entitlements file and add %s to UIBackgroundModes in Info.plist (Signing & Capabilities → Background Modes does it).", k.Key, k.InfoPlistValue))
			case k.InfoPlistKey == "UIBackgroundModes":
				out = append(out, fmt.Sprintf("Remove %s from the entitlements file and list the modes you need (remote-notification, location, voip…) in UIBackgroundModes in Info.plist (Signing & Capabilities → Background Modes does it).", k.Key))
			case k.InfoPlistKey != "":
				out = append(out, fmt.Sprintf("Move %s from the entitlements file to Info.plist (%s).", k.Key, k.InfoPlistKey))
			case k.Replacement != "":
				out = append(out, fmt.Sprintf("Replace %s with %s in the entitlements file.", k.Key, k.Replacement))
			default:
				out = append(out, fmt.Sprintf("Remove %s from the entitlements file.", k.Key))
			}
		case "private":
			out = append(out, fmt.Sprintf("Remove %s: it is Apple-private.", k.Key))
		case "info-plist":
			out = append(out, fmt.Sprintf("Move %s from the entitlements file to Info.plist.", k.Key))
		case "unknown":
			out = append(out, fmt.Sprintf("Check the spelling of %s; if it is not a documented entitlement, remove it.", k.Key))
		}
	}
	return out
}

// allReal reports whether every key is a real entitlement.
func allReal(keys []KeyInfo) bool {
	for _, k := range keys {
		if k.Status != "real" {
			return false
		}
	}
	return len(keys) > 0
}

func keyNames(keys []KeyInfo) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Key
	}
	return strings.Join(names, ", ")
}
