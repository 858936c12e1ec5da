package rules

import (
	"fmt"
	"strings"
)

const (
	pushKeyIOS   = "aps-environment"
	pushKeyMacOS = "com.apple.developer.aps-environment"
)

func init() {
	register(&Rule{
		ID:      "infoplist-background-modes",
		Title:   "Info.plist background modes that the entitlements do not back",
		Default: Warning,
		Why: "Background modes live in the Info.plist's `UIBackgroundModes`, and some only work with an entitlement or " +
			"other Info.plist keys beside them. `remote-notification` wakes the app for silent pushes, which need the " +
			"Push Notifications capability (`aps-environment`, `com.apple.developer.aps-environment` on macOS); " +
			"`voip` receives VoIP pushes through PushKit, which needs the same capability; `location` needs the " +
			"`NSLocationWhenInUseUsageDescription` purpose string, or location updates are never authorised. The " +
			"build succeeds either way: the app just never receives the push or the location. Runs only when the " +
			"Info.plist is known (`--info-plist`, `infoPlist` in the config, or an Xcode project).",
		Bad:   "<!-- Info.plist: UIBackgroundModes = [remote-notification] -->\n<key>com.apple.security.application-groups</key>\n<array>\n\t<string>group.com.example.app</string>\n</array>",
		Good:  "<!-- Info.plist: UIBackgroundModes = [remote-notification] -->\n<key>aps-environment</key>\n<string>development</string>\n<key>com.apple.security.application-groups</key>\n<array>\n\t<string>group.com.example.app</string>\n</array>",
		Facts: "Info.plist UIBackgroundModes values and their companions (seed facts X10, V18–V20)",
		Fixes: "adds aps-environment (development) to the entitlements (offered, not applied by `fix`: enable Push Notifications in Xcode instead when Xcode manages the file)",
		Run: func(p *Pass) {
			info := infoPlistRoot(p)
			c := p.ctx
			if info == nil || c.root == nil {
				return
			}
			modes := infoStringSet(info, "UIBackgroundModes")
			if len(modes) == 0 {
				return
			}
			name := infoPlistName(p)
			checkPushModes(p, modes, name)
			if modes["location"] && purposeString(info, "NSLocationWhenInUseUsageDescription") != purposeOK {
				p.Report(Finding{Span: rootAnchor(c),
					Message: fmt.Sprintf("%s declares the location background mode but has no NSLocationWhenInUseUsageDescription "+
						"(add NSLocationAlwaysAndWhenInUseUsageDescription too for Always authorisation): location updates are never authorised", name)})
			}
		},
	})
}

// checkPushModes reports remote-notification and voip background modes in a
// target whose entitlements claim no push environment.
func checkPushModes(p *Pass, modes map[string]bool, infoName string) {
	c := p.ctx
	if c.topEntry(pushKeyIOS) != nil || c.topEntry(pushKeyMacOS) != nil {
		return
	}
	var what []string
	if modes["remote-notification"] {
		what = append(what, "remote-notification")
	}
	if modes["voip"] {
		what = append(what, "voip")
	}
	if len(what) == 0 {
		return
	}
	key := pushKeyIOS
	if c.onlyOn("macos") {
		key = pushKeyMacOS
	}
	var why string
	switch {
	case len(what) == 2:
		why = "remote notifications and VoIP pushes (PushKit) never arrive"
	case what[0] == "voip":
		why = "PushKit needs the Push Notifications capability too, so VoIP pushes never arrive"
	default:
		why = "the app never gets a device token, so remote notifications never arrive"
	}
	modeWord := "mode"
	if len(what) > 1 {
		modeWord = "modes"
	}
	f := Finding{Span: rootAnchor(c), Key: key,
		Message: fmt.Sprintf("%s declares the %s background %s, but this file claims no %s: %s; enable Push Notifications (Signing & Capabilities)",
			infoName, strings.Join(what, " and "), modeWord, key, why)}
	if ed, ok := c.entryInsertion(key, "<string>development</string>"); ok {
		f.Fixes = []Fix{{Title: "Add " + key + " (development)", Edits: []Edit{ed}, Preferred: true}}
	}
	p.Report(f)
}
