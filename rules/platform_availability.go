package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "platform-availability",
		Title:   "A key not available on the target platform or OS version",
		Default: Warning,
		Why: "Many keys exist on one platform only, or under a different spelling: push is `aps-environment` on " +
			"iOS but `com.apple.developer.aps-environment` on macOS, the App ID is `application-identifier` on " +
			"iOS and `com.apple.application-identifier` on macOS. A key the platform does not know is ignored or " +
			"fails profile matching. Platforms come from the config, a `<!-- entitlint: platform=macos -->` " +
			"comment or the file itself; with none known, this rule stays quiet. Mac Catalyst files may use the " +
			"iOS spellings: Xcode translates them.",
		Bad:   "<!-- entitlint: platform=macos -->\n<key>aps-environment</key>\n<string>development</string>",
		Good:  "<!-- entitlint: platform=macos -->\n<key>com.apple.developer.aps-environment</key>\n<string>development</string>",
		Facts: "catalog platforms and since-versions; platform spellings",
		Fixes: "renames a key to its spelling for the target platform",
		Run: func(p *Pass) {
			c := p.ctx
			if c.root == nil || len(c.platforms) == 0 {
				return
			}
			for i, e := range c.root.Entries() {
				k, ok := c.keyAt(i)
				if !ok {
					continue
				}
				checkAvailability(p, e, k)
			}
		},
	})
}

// platformSpellings maps a key to its spelling on another platform family.
var platformSpellings = map[string]map[string]string{
	"aps-environment":                     {"macos": "com.apple.developer.aps-environment"},
	"com.apple.developer.aps-environment": {"ios": "aps-environment", "ipados": "aps-environment", "tvos": "aps-environment", "watchos": "aps-environment", "visionos": "aps-environment"},
	"application-identifier":              {"macos": "com.apple.application-identifier"},
	"com.apple.application-identifier":    {"ios": "application-identifier", "ipados": "application-identifier", "tvos": "application-identifier", "watchos": "application-identifier", "visionos": "application-identifier"},
	"get-task-allow":                      {"macos": "com.apple.security.get-task-allow"},
	"com.apple.security.get-task-allow":   {"ios": "get-task-allow", "ipados": "get-task-allow", "tvos": "get-task-allow", "watchos": "get-task-allow", "visionos": "get-task-allow"},
}

// availableOn treats Mac Catalyst as accepting iOS keys (Xcode translates
// the spellings and most iOS capabilities carry over) and iPadOS as iOS
// when the catalog has no iPadOS column for a key.
func availableOn(k *catalog.Key, platform string) bool {
	if k.AvailableOn(catalog.Platform(platform)) {
		return true
	}
	switch platform {
	case "catalyst":
		return k.AvailableOn(catalog.IOS) || k.AvailableOn(catalog.IPadOS) || k.AvailableOn(catalog.MacOS)
	case "ipados":
		// Driver extensions are built for DriverKit but ship inside iPadOS and
		// macOS apps, whose entitlements files name them as their platform.
		return k.AvailableOn(catalog.IOS) || k.AvailableOn(catalog.DriverKit)
	case "ios":
		return k.AvailableOn(catalog.IPadOS)
	case "macos":
		return k.AvailableOn(catalog.DriverKit)
	}
	return false
}

func checkAvailability(p *Pass, e *plistxml.Entry, k *catalog.Key) {
	c := p.ctx
	var missing []string
	// One file shared by an iOS target and its Mac Catalyst build carries
	// the Mac's App Sandbox keys too; Xcode applies each where it belongs.
	sharedWithCatalyst := c.includes("catalyst") && availableOn(k, "catalyst")
	for _, pl := range c.platforms {
		if !availableOn(k, pl) && !(sharedWithCatalyst && (pl == "ios" || pl == "ipados")) {
			missing = append(missing, pl)
		}
	}
	if len(missing) > 0 {
		f := Finding{Span: e.KeyText, Key: e.Key}
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = platformName(m)
		}
		f.Message = fmt.Sprintf("%s is not available on %s", e.Key, strings.Join(names, ", "))
		if alt, ok := spellingFor(e.Key, missing); ok {
			f.Message += "; use " + alt
			if len(missing) == len(c.platforms) {
				f.Fixes = renameKeyFixes(p, e, alt)
			}
		} else if avail := availableList(k); avail != "" {
			f.Message += " (available on " + avail + ")"
		}
		if c.platformSource == "inferred" {
			f.Severity = Info
			f.Message += " (platform inferred from the other keys; set it with --platform or a platform comment)"
		}
		p.Report(f)
		return
	}
	// Version check: the key is newer than the deployment target.
	for _, pl := range c.platforms {
		minV, ok := p.Opts.Targets.MinVersions[pl]
		if !ok {
			continue
		}
		since, ok := k.Since(catalog.Platform(pl))
		if ok && versionLess(minV, since) {
			p.Report(Finding{Span: e.KeyText, Key: e.Key, Severity: Info,
				Message: fmt.Sprintf("%s needs %s %s, but the deployment target is %s: it has no effect on older systems", e.Key, platformName(pl), since, minV)})
		}
	}
}

// spellingFor returns the spelling of key for the missing platforms, if all agree.
func spellingFor(key string, missing []string) (string, bool) {
	m, ok := platformSpellings[key]
	if !ok {
		return "", false
	}
	alt := ""
	for _, pl := range missing {
		a, ok := m[pl]
		if !ok || (alt != "" && a != alt) {
			return "", false
		}
		alt = a
	}
	return alt, alt != ""
}

func availableList(k *catalog.Key) string {
	var out []string
	for _, pl := range []string{"ios", "ipados", "macos", "catalyst", "tvos", "watchos", "visionos", "driverkit"} {
		if since, ok := k.Since(catalog.Platform(pl)); ok {
			out = append(out, platformName(pl)+" "+since)
		}
	}
	return strings.Join(out, ", ")
}

// versionLess compares dotted versions numerically ("9.0" < "10.0").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}
