package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "infoplist-usage-description",
		Title:   "An entitlement whose purpose string is missing from Info.plist",
		Default: Warning,
		Why: "Entitlements such as HealthKit, HomeKit, Siri, NFC tag reading or (on macOS) the App Sandbox's camera, " +
			"microphone, contacts and location keys give access to private data, and the system asks the user " +
			"first with the purpose string from the target's Info.plist (`NSHealthShareUsageDescription`, " +
			"`NSHomeKitUsageDescription`, `NFCReaderUsageDescription`…). Without it the request fails or the app " +
			"is terminated, and App Store Connect flags the upload (ITMS-90683 \"Missing purpose string in " +
			"Info.plist\"). Runs only when the Info.plist is known (`--info-plist`, `infoPlist` in the config, or " +
			"`entitlint check App.xcodeproj`, which also counts `INFOPLIST_KEY_…` build settings).",
		Bad:   "<!-- Info.plist has no NSHomeKitUsageDescription -->\n<key>com.apple.developer.homekit</key>\n<true/>",
		Good:  "<!-- Info.plist: <key>NSHomeKitUsageDescription</key><string>Controls your lights.</string> -->\n<key>com.apple.developer.homekit</key>\n<true/>",
		Facts: "catalog infoPlist lists per key, refined by entitlint's purpose-string table",
		Run: func(p *Pass) {
			info := infoPlistRoot(p)
			c := p.ctx
			if info == nil || c.root == nil {
				return
			}
			seen := map[string]bool{}
			for i := len(c.root.Entries()) - 1; i >= 0 && !p.Full(); i-- {
				e := c.root.Entries()[i] // the last duplicate is the one that counts
				if seen[e.Key] || !claims(e) {
					continue
				}
				seen[e.Key] = true
				checkPurposeStrings(p, info, e)
			}
		},
	})
}

func checkPurposeStrings(p *Pass, info *plistxml.Node, e *plistxml.Entry) {
	key := e.Key
	groups := UsageDescriptions(p.ctx.cat, key)
	if len(groups) == 0 {
		return
	}
	spec := usageOverrides[key]
	if spec.ifValue != "" {
		found := false
		for _, n := range stringValues(e.Value) {
			if strings.TrimSpace(n.Text) == spec.ifValue {
				found = true
			}
		}
		if !found {
			return
		}
	}
	name := infoPlistName(p)
	for _, g := range groups {
		state := purposeMissing
		for _, ik := range g {
			if s := purposeString(info, ik); s > state {
				state = s
			}
		}
		if state == purposeOK {
			continue
		}
		want := g[0]
		if len(g) > 1 {
			want = "one of " + strings.Join(g, ", ")
		}
		var msg string
		if state == purposeEmpty {
			msg = fmt.Sprintf("%s needs a purpose string, but %s in %s is empty", key, want, name)
		} else {
			msg = fmt.Sprintf("%s needs %s in %s", key, want, name)
		}
		if spec.why != "" {
			msg += ": " + spec.why
		} else {
			msg += ": without it the system refuses access (or terminates the app) and App Store Connect flags the upload (ITMS-90683)"
		}
		p.Report(Finding{Span: e.KeyText, Key: key, Message: msg})
	}
}
