package errdecode

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/rules"
)

// Regular expression pieces. Patterns use \s+ between words so that a
// message wrapped over several lines still matches; quotes are already
// ASCII (normalise).
const (
	doesnt  = `(?:doesn't|does\s+not)`
	keyTok  = `[A-Za-z0-9][\w.\-]*[A-Za-z0-9]`
	keyList = keyTok + `(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)` + keyTok + `)*`
)

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

var quoted = regexp.MustCompile(`"([^"]+)"`)

const (
	srcXcode   = "Xcode"
	srcASC     = "App Store Connect"
	srcInstall = "device install (installd)"
)

// verifyProfile is the shared advice for comparing what was signed with
// what the profile allows.
const verifyProfile = "Compare what was signed (`codesign -d --entitlements - --xml App.app`) with what the profile allows (`security cms -D -i App.app/embedded.mobileprovision`, the Entitlements dictionary), or let `entitlint check --profile App.mobileprovision App.entitlements` compare them."

// patterns, most specific first: a text claimed by one pattern is not
// matched again by a later one; the context patterns come last. They are
// compiled on first use: only `entitlint why` needs them, and compiling
// them took 2 ms and 1.3 MB at the start of every command, the language
// server's included.
var patterns = sync.OnceValue(func() []pattern {
	ps := messagePatterns()
	for _, c := range contextPatterns() {
		kind := "context"
		if c.signing {
			kind = "context-signing"
		}
		ps = append(ps, pattern{kind: kind, re: c.re})
	}
	return ps
})

func messagePatterns() []pattern {
	return []pattern{
		{kind: "profile-value-mismatch", re: re(`(?:Provisioning\s+profile\s+"([^"\n]*"?)"\s+(?:failed\s+qualification\s+checks:?\s*)?)?(?:Profile\s+)?` + doesnt +
			`\s+match\s+the\s+entitlements\s+file's\s+values?\s+for\s+the\s+(` + keyTok + `)\s+entitlements?\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the provisioning profile authorises this entitlement with other values", Source: srcXcode,
					Keys: explainKeys(cat, []string{m[2]}, "")}
				d.Meaning = "A profile authorises values as well as keys. " + profileName(m[1]) + "includes " + m[2] +
					", but not with the value(s) in the entitlements file."
				d.Actions = valueMismatchActions(m[2])
				return d
			}},
		{kind: "profile-qualification", re: re(`Provisioning\s+profile\s+(?:"([^"\n]*"?)"\s+)?failed\s+qualification(?:\s+checks)?:?\s+Profile\s+` + doesnt + `\s+support\s+(?:the\s+)?([^.\n]+?)(?:\s+capability)?\.`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the provisioning profile lacks a capability the entitlements claim", Source: srcXcode,
					Keys: explainKeys(cat, capabilityKeys(cat, m[2]), "")}
				d.Meaning = fmt.Sprintf("The entitlements claim %s, but the App ID behind %sdoes not have that capability, so the profile cannot authorise it (an app without those keys would pass).",
					orCapability(d.Keys, m[2]), profileName(m[1]))
				d.Actions = []string{
					fmt.Sprintf("Enable %s for the App ID (Signing & Capabilities in Xcode, or Certificates, Identifiers & Profiles), then regenerate and download the profile.", strings.TrimSpace(m[2])),
					"Or, if the target does not need it, remove the key(s) from its entitlements file.",
				}
				return d
			}},
		{kind: "profile-missing-entitlement", re: re(`Provisioning\s+profile\s+"([^"\n]*"?)"\s+` + doesnt + `\s+include\s+the\s+(` + keyList + `)\s+entitlements?\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the provisioning profile does not authorise an entitlement the file claims", Source: srcXcode,
					Keys: explainKeys(cat, splitKeys(m[2]), "")}
				d.Meaning = "Xcode looks for (or creates) a provisioning profile that authorises every key in the entitlements file; " +
					profileName(m[1]) + "does not include " + keyNames(d.Keys) + "."
				if !allReal(d.Keys) {
					d.Meaning += " A key that is not a real entitlement can never be in a profile, so signing fails until it is removed. Simulator builds still succeed: the simulator does not check signing."
				}
				d.Actions = append(keyActions(d.Keys), capabilityActions(cat, d.Keys)...)
				d.Actions = append(d.Actions, "Let automatic signing regenerate the profile (or download a new one for manual signing) and build for a device again.")
				if allReal(d.Keys) {
					d.Actions = append(d.Actions, "With the profile at hand, `entitlint check --profile X.mobileprovision` predicts this error before a build.")
				}
				return d
			}},
		{kind: "profile-missing-capability", re: re(`Provisioning\s+profile\s+"([^"\n]*"?)"\s+` + doesnt + `\s+support\s+the\s+([^.\n]+?)\s+capabilit(?:y|ies)\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the provisioning profile lacks a capability", Source: srcXcode, Keys: explainKeys(cat, capabilityKeys(cat, m[2]), "")}
				d.Meaning = fmt.Sprintf("%sdoes not support %s, which the target's entitlements claim (%s).", profileName(m[1]), m[2], orCapability(d.Keys, m[2]))
				d.Actions = []string{
					fmt.Sprintf("Enable %s on the App ID (automatic signing does this when you add the capability in Signing & Capabilities), then regenerate the profile.", m[2]),
					"With manual signing: enable it in Certificates, Identifiers & Profiles, then download and select the new profile.",
				}
				return d
			}},
		{kind: "asc-unsupported-entitlement", tail: true, re: re(`Invalid\s+Code\s+Signing\s+Entitlements\.?\s+Your\s+application\s+bundle's\s+signature\s+contains\s+code\s+signing\s+entitlements\s+that\s+(?:are\s+not|aren't)\s+supported\s+on\s+(\w+)\.\s+Specifically,\s+` +
			`(?:value\s+'([^'\n]*)'\s+for\s+key\s+'([^'\n]+)'|key\s+'([^'\n]+)'|the\s+"([^"\n]*)"\s+value\s+for\s+the\s+(` + keyTok + `)\s+key)` +
			`(?:[^\n]{0,300}?(?:is\s+not|isn't)\s+supported\.?)?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				platform := platformOf(m[1])
				key, value := m[4], ""
				if m[3] != "" {
					key, value = m[3], m[2]
				} else if m[6] != "" {
					key, value = m[6], m[5]
				}
				d := &Decoded{Title: "an entitlement was rejected at upload (ITMS-90045, 409 Invalid Code Signing Entitlements)", Source: srcASC,
					Keys: explainKeys(cat, []string{key}, platform)}
				if value != "" {
					d.Values = []string{value}
					d.Meaning = fmt.Sprintf("The uploaded app claims %s with the value %q, which is not allowed for %s apps.", key, value, platform.DisplayName())
					d.Actions = valueActions(key, value)
					return d
				}
				d.Meaning = fmt.Sprintf("The uploaded app claims %s, which App Store Connect does not accept for %s apps. The build and the simulator never complain; only the upload checks.", key, platform.DisplayName())
				d.Actions = keyActions(d.Keys)
				if allReal(d.Keys) {
					d.Actions = append(d.Actions, fmt.Sprintf("%s exists, but not for this upload: check the platform and that it is not a development-only or Apple-approved key the distribution profile lacks.", key))
				}
				d.Actions = append(d.Actions, "Archive and upload a new build.")
				return d
			}},
		{kind: "asc-key-not-in-profile", tail: true, re: re(`(?:Invalid\s+Code\s+Signing\s+Entitlements\.?\s+The\s+entitlements\s+in\s+your\s+app\s+bundle\s+signature\s+do\s+not\s+match\s+the\s+ones\s+that\s+are\s+contained\s+in\s+the\s+provisioning\s+profile\.\s+)?` +
			`The\s+bundle\s+contains\s+a\s+key\s+that\s+is\s+not\s+included\s+in\s+the\s+provisioning\s+profile:\s+'([^'\n]+)'(?:\s+in\s+'[^'\n]*')?\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "a signed entitlement is not in the distribution profile (ITMS-90163)", Source: srcASC,
					Keys: explainKeys(cat, []string{m[1]}, "")}
				d.Meaning = fmt.Sprintf("The app was signed with %s, but the distribution profile embedded in it does not include that key.", m[1])
				d.Actions = append(keyActions(d.Keys), capabilityActions(cat, d.Keys)...)
				d.Actions = append(d.Actions, "Development-only keys (such as com.apple.developer.icloud-container-development-container-identifiers) must not be copied from a development profile into the signed entitlements.", verifyProfile)
				return d
			}},
		{kind: "asc-value-not-allowed", tail: true, re: re(`(?:Invalid\s+Code\s+Signing\s+Entitlements\.?\s+The\s+entitlements\s+in\s+your\s+app\s+bundle\s+signature\s+do\s+not\s+match\s+the\s+ones\s+that\s+are\s+contained\s+in\s+the\s+provisioning\s+profile\.\s+)?` +
			`According\s+to\s+the\s+provisioning\s+profile,\s+the\s+bundle\s+contains\s+a\s+key\s+value\s+that\s+is\s+not\s+allowed:\s+'([^']*)'\s+for\s+the\s+key\s+'([^'\n]+)'(?:\s+in\s+'[^'\n]*')?\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				value := collapse(m[1])
				d := &Decoded{Title: "an entitlement value the distribution profile does not allow (ITMS-90164)", Source: srcASC,
					Keys: explainKeys(cat, []string{m[2]}, ""), Values: []string{value}}
				d.Meaning = fmt.Sprintf("The app was signed with %s = %s, a value the embedded distribution profile does not allow.", m[2], value)
				d.Actions = valueActions(m[2], value)
				return d
			}},
		{kind: "asc-entitlement-sdk", tail: true, re: re(`Invalid\s+Entitlement\.?\s+Apps\s+that\s+contain\s+the\s+'([^'\n]+)'\s+entitlement\s+must\s+be\s+built\s+with\s+the\s+([\w .]+?)\s+SDK\s+or\s+later\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "an entitlement needs a newer SDK (ITMS-90786)", Source: srcASC,
					Keys: explainKeys(cat, []string{m[1]}, "")}
				d.Meaning = fmt.Sprintf("%s only exists from the %s SDK on, and the app was built with an older one.", m[1], m[2])
				d.Actions = []string{fmt.Sprintf("Build with an Xcode that ships the %s SDK or later, or remove %s.", m[2], m[1])}
				return d
			}},
		{kind: "asc-missing-push", tail: true, re: re(`Missing\s+(?:Push\s+Notification\s+Entitlement|potentially\s+required\s+entitlement)\s*-?\s*Your\s+app[^\n]{0,300}?` +
			`(?:'aps-environment'|"aps-environment"|APS\s+Environment)\s+[Ee]ntitlement[^\n.]*\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the app registers for push without the push entitlement (ITMS-90078)", Source: srcASC,
					Keys: explainKeys(cat, []string{"aps-environment"}, "")}
				d.Meaning = "The binary (or a library in it) calls the APNs registration APIs, but the signed entitlements have no aps-environment. This is a warning: the upload goes through."
				d.Actions = []string{
					"If the app uses push notifications: add the Push Notifications capability (it adds aps-environment), then archive again; distribution signing sets the value to production.",
					"If it does not: a library references the APIs; the warning can be ignored, or the library replaced.",
				}
				return d
			}},
		{kind: "asc-sandbox-not-enabled", tail: true, re: re(`App\s+sandbox\s+not\s+enabled\.?\s+The\s+following\s+executables\s+must\s+include\s+the\s+"?com\.apple\.security\.app-sandbox"?\s+entitlement\s+with\s+a\s+Boolean\s+value\s+of\s+true\s+in\s+the\s+entitlements\s+property\s+list:?\s*(\[[^\]]*\]\s*\)?\s*\]?)?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "an executable is not sandboxed (ITMS-90296)", Source: srcASC,
					Keys: explainKeys(cat, []string{"com.apple.security.app-sandbox"}, catalog.MacOS)}
				for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
					d.Values = append(d.Values, q[1])
				}
				d.Meaning = "The Mac App Store requires the App Sandbox for every executable in the package, helpers and nested apps included, and the ones listed were signed without com.apple.security.app-sandbox = true."
				d.Actions = []string{
					"Sign each listed executable with an entitlements file that has com.apple.security.app-sandbox set to <true/>.",
					"Helper tools and nested executables launched by the app: add com.apple.security.inherit (with app-sandbox) so they inherit the app's sandbox.",
				}
				return d
			}},
		{kind: "unsatisfied-entitlements", re: re(`Unsatisfied\s+entitlements?:\s*(` + keyList + `)`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the embedded profile does not authorise these entitlements", Source: "macOS (taskgated-helper)",
					Keys: explainKeys(cat, splitKeys(m[1]), catalog.MacOS)}
				d.Meaning = "At launch, macOS checks the claimed entitlements against the embedded provisioning profile (Contents/embedded.provisionprofile). The listed keys are not authorised by it."
				d.Actions = keyActions(d.Keys)
				for _, k := range d.Keys {
					switch k.Key {
					case "com.apple.security.application-groups":
						d.Actions = append(d.Actions, "App groups are validation-required on macOS: the app keeps running, but its entitlements are no longer trusted, so the data protection keychain ignores them and app group containers may prompt. Use a profile that lists the groups (Mac profiles authorise TEAMID.* since June 2025).")
					case "com.apple.developer.team-identifier":
						d.Actions = append(d.Actions, "com.apple.developer.team-identifier must match the team of the profile and of the signing certificate: sign with a certificate, profile and App ID from one team.")
					}
				}
				d.Actions = append(d.Actions, "Embed a profile that authorises every listed key, from the same team as the signing certificate. "+verifyProfile)
				return d
			}},
		{kind: "entitlement-not-found", re: re(`Entitlement\s+(` + keyTok + `)\s+not\s+found\s+and\s+could\s+not\s+be\s+included\s+in\s+profile\.?(?:\s+This\s+likely\s+is\s+not\s+a\s+valid\s+entitlement\s+and\s+should\s+be\s+removed\s+from\s+your\s+entitlements\s+file\.?)?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "Xcode cannot put this entitlement in any profile", Source: srcXcode, Keys: explainKeys(cat, []string{m[1]}, "")}
				d.Meaning = fmt.Sprintf("Xcode's automatic signing does not know %s as a capability, so no profile can carry it.", m[1])
				d.Actions = append(keyActions(d.Keys), capabilityActions(cat, d.Keys)...)
				if allReal(d.Keys) {
					d.Actions = append(d.Actions, "The key is real but Xcode cannot add it on its own: it needs Apple's approval or manual setup on the App ID first.")
				}
				return d
			}},
		{kind: "invalid-entitlements-install", tail: true, re: re(`(?:Failed\s+to\s+verify\s+code\s+signature\s+of\s+[^\n]*?:\s*)?(?:0xe8008016\s*\(?)?The\s+executable\s+was\s+signed\s+with\s+invalid\s+entitlements\.?\)?` +
			`|The\s+entitlements\s+specified\s+in\s+your\s+application's\s+Code\s+Signing\s+Entitlements\s+file\s+(?:are\s+invalid,\s+not\s+permitted,\s+or\s+)?do\s+not\s+match\s+those\s+specified\s+in\s+your\s+provisioning\s+profile\.?(?:\s*\(0xE8008016\)\.?)?` +
			`|\b0xe8008016\b|-402620394`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the device refused to install: entitlements the profile does not allow (0xE8008016)", Source: srcInstall}
				d.Meaning = "The signed entitlements contain a key, or a value, that the embedded provisioning profile does not authorise, so the device refuses to install the app (or an extension inside it)."
				d.Actions = []string{
					"Remove keys no profile can authorise: invented keys, Apple-private keys, Info.plist keys (entitlint lists them below when it finds the files).",
					"Make sure each target (the app and every extension) is signed with its own profile, and that the profile includes every capability the target claims.",
					verifyProfile,
				}
				return d
			}},
		{kind: "amfi-syntax-error", re: re(`(?:Failed\s+to\s+parse\s+entitlements:\s*)?AMFIUnserializeXML:\s*syntax\s+error\s+near\s+line\s+(\d+)`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "codesign could not parse the entitlements XML", Source: "codesign (AMFI)"}
				d.nearLine, _ = strconv.Atoi(m[1])
				d.Meaning = fmt.Sprintf("codesign parses entitlements with AMFI's XML parser, which is stricter than plutil and Xcode: it stopped near line %s. The usual causes: \"--\" inside an XML comment, a DOCTYPE with an internal subset, a non-UTF-8 encoding, or malformed XML.", m[1])
				d.Actions = []string{
					"Run `entitlint check` on the entitlements file: the syntax and comment-double-hyphen rules report what AMFI rejects, with fixes.",
					"Xcode signs a processed copy (.xcent), so the line number may be off by a few lines from the source file.",
				}
				return d
			}},
		{kind: "capability-unknown", re: re(`The\s+capability\s+associated\s+with\s+"([^"\n]+)"\s+could\s+not\s+be\s+determined\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "Xcode could not resolve a capability", Source: srcXcode, Keys: explainKeys(cat, []string{m[1]}, "")}
				d.Meaning = fmt.Sprintf("%s is Xcode's identifier for a capability, not an entitlement key; Xcode failed to map it while updating signing. The cause is not documented.", m[1])
				if len(d.Keys) == 1 && d.Keys[0].Replacement != "" {
					r := d.Keys[0].Replacement
					d.Keys = append(d.Keys, explainKey(cat, r, ""))
					d.Meaning = fmt.Sprintf("%s is Xcode's identifier for the capability behind %s; Xcode failed to map it while updating signing. The cause is not documented.", m[1], r)
					d.Actions = []string{
						fmt.Sprintf("Check that the entitlements file claims %s exactly (not an invented variant such as %s.user-authorization).", r, r),
						"Check that the team is a paid team and that the capability is enabled on the App ID; managed capabilities need Apple's approval for distribution.",
					}
				}
				d.Actions = append(d.Actions, "If it persists, do what Xcode says: file a bug with the Update Signing report from the Report navigator.")
				return d
			}},
		{kind: "private-entitlement-required", re: re(`(?:(` + keyTok + `)\s+)?disallowed\s+without\s+(com\.apple\.private\.` + `[\w.\-]*[\w])`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the system refused something that needs an Apple-private entitlement", Source: "kernel / sandbox", Keys: explainKeys(cat, []string{m[2]}, "")}
				who := "The process"
				if m[1] != "" {
					who = m[1]
					d.Values = []string{m[1]}
				}
				d.Meaning = fmt.Sprintf("%s tried to use something (such as one of Apple's restricted app groups) that only code signed with %s may use. That entitlement is private to Apple: no profile can give it to you.", who, m[2])
				d.Actions = []string{
					"If this is your code: stop using what needs it (for example an Apple app group such as group.com.apple.*), and remove any com.apple.private.* key from your entitlements.",
					"If the process is one of Apple's (com.apple.*), it is an OS problem, not yours: report it with Feedback Assistant.",
				}
				return d
			}},
		{kind: "missing-purpose-string", tail: true, re: re(`(?:(?:ITMS-90683:\s*)?Missing\s+purpose\s+string\s+in\s+Info\.plist[^\n]{0,400}?|This\s+app\s+has\s+crashed\s+because\s+it\s+attempted\s+to\s+access\s+privacy-sensitive\s+data\s+without\s+a\s+usage\s+description\.\s*)?` +
			`(?:should|must)\s+contain\s+an?\s+(\w+UsageDescription)\s+key(?:\s+with\s+a\s+(?:user-facing\s+purpose\s+)?string\s+value[^\n.]*\.?)?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "a purpose string is missing from Info.plist", Source: "App Store Connect (ITMS-90683) / privacy (TCC)",
					InfoPlistKeys: []string{m[1]}, Keys: explainKeys(cat, rules.EntitlementsNeeding(cat, m[1]), "")}
				d.Meaning = fmt.Sprintf("The app uses an API (or claims an entitlement) that needs permission, and Info.plist has no %s to explain why. At run time the system terminates the app when it asks; App Store Connect flags the upload.", m[1])
				d.Actions = []string{
					fmt.Sprintf("Add %s to the target's Info.plist (or the INFOPLIST_KEY_%s build setting) with a sentence that tells the user why.", m[1], m[1]),
					"If a library references the API and your app never calls it, the key is still required.",
				}
				if len(d.Keys) > 0 {
					d.Actions = append(d.Actions, "`entitlint check --info-plist Info.plist` (or `entitlint check App.xcodeproj`) catches this before upload.")
				}
				return d
			}},
		{kind: "entitlements-modified-during-build", re: re(`Entitlements\s+file\s+"([^"\n]+)"\s+was\s+modified\s+during\s+the\s+build,?\s+which\s+is\s+not\s+supported\.?(?:\s+You\s+can\s+disable\s+this\s+error\s+by\s+setting\s+'?CODE_SIGN_ALLOW_ENTITLEMENTS_MODIFICATION'?\s+to\s+'?YES'?[^\n.]*\.?)?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the entitlements file changed while Xcode was building", Source: srcXcode, Values: []string{m[1]}}
				d.Meaning = fmt.Sprintf("Xcode records %s when the build starts and refuses to sign if it changed before the signing step: a script build phase, a plugin, or a tool rewrote it during the build.", m[1])
				d.Actions = []string{
					"Move whatever writes the file out of the build (run it before building), or have it write a separate file that CODE_SIGN_ENTITLEMENTS points to from the start.",
					"A Debug-only file that contains nothing but get-task-allow is redundant: Xcode injects it itself; delete the file and the setting.",
					"Setting CODE_SIGN_ALLOW_ENTITLEMENTS_MODIFICATION = YES hides the error, but the app may then be signed with entitlements you did not review.",
				}
				return d
			}},
		{kind: "entitlements-file-missing", re: re(`The\s+file\s+"([^"\n]+\.entitlements)"\s+(?:couldn't|could\s+not)\s+be\s+opened(?:\s+because\s+there\s+is\s+no\s+such\s+file)?\.?` +
			`(?:\s+Verify\s+the\s+value\s+of\s+the\s+CODE_SIGN_ENTITLEMENTS\s+build\s+setting\s+for\s+target\s+"([^"\n]*)"(?:\s+and\s+build\s+configuration\s+"([^"\n]*)")?[^\n]*)?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "CODE_SIGN_ENTITLEMENTS points at a file that does not exist", Source: srcXcode, Values: []string{m[1]}}
				where := "the target"
				if m[2] != "" {
					where = fmt.Sprintf("target %q", m[2])
					if m[3] != "" {
						where += fmt.Sprintf(" (%s)", m[3])
					}
				}
				d.Meaning = fmt.Sprintf("The CODE_SIGN_ENTITLEMENTS build setting of %s names %s, which is not there: the file was moved, renamed or never committed.", where, m[1])
				d.Actions = []string{
					"Fix the path in Build Settings → Code Signing Entitlements (it is relative to the project folder), or restore the file.",
					"`entitlint check App.xcodeproj` shows where every target's setting resolves and reports missing files.",
				}
				return d
			}},
		{kind: "trusted-execution-kill", re: re(`zsh:\s+killed\s+\S+|\bKilled:\s*9\b|The\s+application\s+"([^"\n]+)"\s+can't\s+be\s+opened\.?|You\s+do\s+not\s+have\s+permission\s+to\s+open\s+the\s+application\s+"([^"\n]+)"\.?`),
			build: func(m []string, cat *catalog.Catalog) *Decoded {
				d := &Decoded{Title: "the app was killed at launch (possibly its entitlements)", Source: "macOS (trusted execution)"}
				d.Meaning = "macOS stopped the program before it ran. One common cause is an entitlements problem: a restricted entitlement that no embedded provisioning profile authorises makes the system kill the process. Other causes are not about entitlements (a missing execute bit, an arm64e binary, a damaged signature)."
				d.Actions = []string{
					"Look for keys a profile must authorise (listed below when entitlint finds the files) and embed a profile that authorises them, or remove them.",
					"`log stream --predicate 'sender == \"AppleMobileFileIntegrity\" OR sender == \"taskgated-helper\"'` while launching shows the exact reason.",
				}
				return d
			}},
	}
}

// contextPatterns claim text that only frames the real message. Xcode's
// signing preambles stand for a signing failure when nothing else was
// recognised (kind "automatic-signing-failed"); the upload preambles do not.
type contextPattern struct {
	re      *regexp.Regexp
	signing bool
}

func contextPatterns() []contextPattern {
	return []contextPattern{
		{re(`Automatic\s+signing\s+failed\.?`), true},
		{re(`Xcode\s+failed\s+to\s+provision\s+this\s+target\.?`), true},
		{re(`Please\s+file\s+a\s+bug\s+report\s+at\s+\S+\s+and\s+include\s+the\s+Update\s+Signing\s+report\s+from\s+the\s+Report\s+navigator\.?`), false},
		{re(`(?:Asset\s+)?Validation\s+failed\s*\(\d+\)`), false},
		{re(`(?:ERROR|WARNING)\s+ITMS-\d+:?`), false},
		{re(`Termination\s+Reason:\s+Namespace\s+TCC,\s+Code\s+\w+`), false},
		{re(`Unable\s+to\s+install\s+"[^"\n]*"`), false},
	}
}

// genericSigningFailure explains "Automatic signing failed" pasted alone.
func genericSigningFailure(msg string) *Decoded {
	return &Decoded{Kind: "automatic-signing-failed", Title: "Xcode could not sign the target (the detail is in the next message)", Source: srcXcode,
		Message: msg,
		Meaning: "Xcode's automatic signing could not find or create a profile for the target. When the entitlements are the cause, it is usually a key no profile can authorise: an invented key, an Info.plist key, or an Apple-private one; Xcode then reports it in a message such as `Provisioning profile \"…\" doesn't include the … entitlement`.",
		Actions: []string{
			"Paste the whole error from the Issue navigator (or the Update Signing report) into `entitlint why`.",
			"Run `entitlint check` on the target's entitlements file (entitlint lists suspicious keys below when it finds the files).",
		}}
}

func profileName(name string) string {
	name = strings.TrimSpace(strings.TrimRight(name, `"`))
	if name == "" {
		return "the profile "
	}
	return fmt.Sprintf("profile %q ", name)
}

func orCapability(keys []KeyInfo, capability string) string {
	if len(keys) > 0 {
		return keyNames(keys)
	}
	return "what the " + strings.TrimSpace(capability) + " capability adds"
}

// capabilityActions says how to add real keys that need a profile.
func capabilityActions(cat *catalog.Catalog, keys []KeyInfo) []string {
	var out []string
	for _, ki := range keys {
		if ki.Status != "real" {
			continue
		}
		k, _ := cat.Lookup(ki.Key)
		switch k.Restriction {
		case catalog.RestrictionApproval:
			out = append(out, fmt.Sprintf("%s needs Apple's approval: request it (see %s); until it is granted, no profile can include it.", k.Key, k.DocURL))
		case catalog.RestrictionManaged:
			out = append(out, fmt.Sprintf("%s is managed: fine in development, but distribution needs Apple's authorisation, requested from your developer account.", k.Key))
		default:
			if k.Capability != "" {
				out = append(out, fmt.Sprintf("Add the %s capability to the target in Signing & Capabilities (rather than editing the entitlements file by hand), so the App ID and the profile get it too.", k.Capability))
			} else {
				out = append(out, fmt.Sprintf("Enable the capability behind %s on the App ID (Certificates, Identifiers & Profiles) and download a new profile.", k.Key))
			}
		}
	}
	return out
}

// valueMismatchActions explains a profile that authorises other values.
func valueMismatchActions(key string) []string {
	switch key {
	case "com.apple.developer.networking.networkextension":
		return []string{
			"Developer ID profiles authorise the -systemextension values (packet-tunnel-provider-systemextension, app-proxy-provider-systemextension, content-filter-provider-systemextension, dns-proxy-systemextension), while Xcode's file has the plain ones.",
			"Do not hand-edit the suffix into the Xcode-managed file (the build then fails); export with Developer ID distribution, or sign the exported app with an entitlements file that has the -systemextension values.",
			verifyProfile,
		}
	case "com.apple.security.application-groups":
		return []string{
			"Every app group in the file must be registered to your team and enabled on the App ID (group.<name>), or, on macOS, start with your Team ID.",
			"Regenerate the profile after adding a group so it lists it.",
			verifyProfile,
		}
	case "com.apple.developer.ubiquity-kvstore-identifier":
		return []string{
			"The default value $(TeamIdentifierPrefix)$(CFBundleIdentifier) changes with the team; after an app transfer Apple keeps the old team's identifier: set the value the profile expects.",
			verifyProfile,
		}
	case "keychain-access-groups":
		return []string{"Each keychain access group must start with the App ID prefix: write $(AppIdentifierPrefix)<group>.", verifyProfile}
	}
	return []string{
		"Make the values in the entitlements file ones the profile allows (or enable them on the App ID and regenerate the profile).",
		verifyProfile,
	}
}

// valueActions explains a value App Store Connect rejected.
func valueActions(key, value string) []string {
	switch key {
	case "get-task-allow", "com.apple.security.get-task-allow":
		return []string{
			"get-task-allow = true marks a development build: archive with the Release configuration and sign with a distribution profile.",
			"Do not set get-task-allow in your entitlements file: Xcode adds it to Debug builds itself.",
		}
	case "com.apple.security.application-groups":
		return []string{
			"Each app group must be `group.<name>` (registered to your team) or, on macOS, `<TeamID>.<name>`; an empty name after `group.` is rejected.",
			"The profile must list each `group.` group (Mac profiles can since February 2025): regenerate it after adding groups.",
		}
	case "keychain-access-groups":
		return []string{"Keychain access groups must start with the App ID prefix: write $(AppIdentifierPrefix)<group>, not a bare identifier.", verifyProfile}
	case "aps-environment", "com.apple.developer.aps-environment":
		return []string{"A distribution profile authorises aps-environment = production; let Xcode's export set it rather than hard-coding development."}
	}
	return []string{fmt.Sprintf("Change %s to a value the distribution profile allows, or enable that value on the App ID and regenerate the profile.", key), verifyProfile}
}
