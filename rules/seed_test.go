package rules

// Seed-fact coverage: one case per row of /work/shared/docs/seed-facts.md
// (section 1 rows 1–21, section 2 V1–V25, section 3 P1–P26, section 4
// rows 4#1–4#15, numbered top to bottom) that is catchable from the
// entitlements file alone, plus the linter's own inputs (target platforms,
// deployment targets, distribution method, Team ID). Each case name starts
// with "seed <row id>"; the comment above it quotes the row's point.
//
// Section 4 rows, top to bottom: 4#1 family-controls, 4#2 DeviceActivity,
// 4#3 ManagedSettings, 4#4 FAMILY_CONTROLS, 4#5 application-groups,
// 4#6 keychain-access-groups, 4#7 networkextension, 4#8 team-identifier,
// 4#9 any restricted entitlement on macOS, 4#10 daemons/agents,
// 4#11 restricted-application-groups, 4#12 com.apple.private.*,
// 4#13 App Sandbox/Hardened Runtime, 4#14 managed capabilities in general,
// 4#15 features that need no entitlement.
//
// Rule IDs "keychain-access-group" (V12) and "team-id" (V17, X16) and the
// V5 hint's wording are placeholders: no rule reports these yet.
//
// Rows that need another file or a service are listed here instead, and
// TestSeedCoverage checks that every row has exactly one of the two.
//
// not file-local: V6 — group IDs are allocated to a team on the Developer website; only the portal knows who owns a group ID
// not file-local: V13 — whether the profile carries com.apple.security.application-groups with these values needs the provisioning profile
// not file-local: P4 — restricted (iOS) vs validation-required (macOS) only matters against a profile; it is hover text, not a diagnostic
// not file-local: P6 — Xcode 16.3 behaviour and the Register App Groups build setting live in the project, not the entitlements
// not file-local: P7 — which class a claim falls in only bites when the profile does not authorise it; needs the profile
// not file-local: P10 — the hardened runtime is a codesign option (--options runtime), not an entitlement key
// not file-local: P11 — trap vs cleared entitlements-validated flag depends on profile authorisation at launch
// not file-local: P12 — app groups + data protection keychain on macOS needs a profile that authorises the groups
// not file-local: P14 — whether the code touches an app group container is in the code, not the entitlements
// not file-local: P15 — using an app group as a keychain access group is an API call; nothing to see in the file
// not file-local: P16 — keychain-access-groups being restricted needs the profile to check authorisation
// not file-local: P17 — daemon/agent wrapping is bundle structure, not entitlements content
// not file-local: P19 — an unauthorised restricted entitlement is only detectable against the embedded profile
// not file-local: P21 — device registration (hardware UUID vs UDID) is portal and profile data
// not file-local: P22 — arm64e support is an architecture/OS fact, context only
// not file-local: P23 — signature digest algorithms are a codesign concern, context only
// not file-local: P24 — historical portal/profile behaviour; the file-local corollary (group. IDs are fine on macOS) is P5
// not file-local: P26 — running App Store distribution-signed code is about the signing identity, not the file
// not file-local: 4#5 — per-platform restriction of app groups needs the profile; the value shape is covered by V2–V10
// not file-local: 4#6 — keychain-access-groups authorisation needs the profile
// not file-local: 4#7 — exact network-extension values must match the profile; the file-local part is V14/1b#18
// not file-local: 4#8 — team-identifier must match the profile and certificate team; the configured-team part is V17
// not file-local: 4#9 — "any restricted entitlement not authorised" needs the profile
// not file-local: 4#10 — daemons/agents needing an app-like wrapper is bundle structure
// not file-local: 4#14 — links to Developer Account Help and forum posts: hover/docs content, not a diagnostic

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// seedRun is what a check sees: the document, the targets and the
// findings of the case's rules.
type seedRun struct {
	src     string
	targets Targets
	got     []Finding
}

// seedCase is one seed-facts row. Findings of the rules in rules (every
// registered rule when rules is nil) must be exactly want; check, when set,
// sees those same findings for assertions runCases cannot express.
type seedCase struct {
	name    string
	body    string
	full    bool
	targets Targets
	rules   []string
	want    []want
	fixed   string
	check   func(t *testing.T, c seedRun)
	hints   bool
	known   string // known issue: skip with this reason (only when the fix is out of reach)
}

func allRuleIDs() []string {
	var ids []string
	for _, r := range All() {
		ids = append(ids, r.ID)
	}
	return ids
}

// runSeedCases runs each case through runCases, then its check, then
// fixesClean: every fix offered for a seed row must leave a document
// without new errors or warnings.
func runSeedCases(t *testing.T, cases []seedCase) {
	t.Helper()
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			if sc.known != "" {
				t.Skip("known issue: " + sc.known)
			}
			only := sc.rules
			if only == nil {
				only = allRuleIDs()
			}
			runCases(t, only, []ruleCase{{name: "findings", body: sc.body, full: sc.full, targets: sc.targets, want: sc.want, fixed: sc.fixed, hints: sc.hints}})
			if t.Failed() {
				return
			}
			src := sc.body
			if !sc.full {
				src = plist(sc.body)
			}
			var got []Finding
			for _, f := range Check([]byte(src), Options{Targets: sc.targets}).Findings {
				if len(sc.rules) == 0 || contains(sc.rules, f.Rule) {
					got = append(got, f)
				}
			}
			run := seedRun{src: src, targets: sc.targets, got: got}
			if sc.check != nil {
				sc.check(t, run)
			}
			fixesClean()(t, run)
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Building blocks for dict bodies, indented like Xcode writes them.

func kv(key, value string) string { return "\t<key>" + key + "</key>\n\t" + value + "\n" }

func strArray(vals ...string) string {
	s := "<array>\n"
	for _, v := range vals {
		s += "\t\t<string>" + v + "</string>\n"
	}
	return s + "\t</array>"
}

func str(v string) string { return "<string>" + v + "</string>" }

const yes = "<true/>"

func appGroups(ids ...string) string { return kv(appGroupsKey, strArray(ids...)) }

// Assertions for check.

// severities: finding i has severity s[i].
func severities(s ...Severity) func(*testing.T, seedRun) {
	return func(t *testing.T, c seedRun) {
		got := c.got
		for i, want := range s {
			if i >= len(got) {
				t.Errorf("finding %d missing", i)
				continue
			}
			if got[i].Severity != want {
				t.Errorf("finding %d (%s) has severity %s, want %s", i, got[i].Rule, got[i].Severity, want)
			}
		}
	}
}

// noneAbove: no finding of any rule is more severe than s.
func noneAbove(s Severity) func(*testing.T, seedRun) {
	return func(t *testing.T, c seedRun) {
		got := c.got
		for _, f := range got {
			if f.Severity < s {
				t.Errorf("unexpected %s %s: %s", f.Severity, f.Rule, f.Message)
			}
		}
	}
}

// fixTitles: finding i offers a fix whose title contains each of titles.
func fixTitles(i int, titles ...string) func(*testing.T, seedRun) {
	return func(t *testing.T, c seedRun) {
		got := c.got
		if i >= len(got) {
			t.Fatalf("finding %d missing", i)
		}
		for _, want := range titles {
			found := false
			for _, fx := range got[i].Fixes {
				if strings.Contains(fx.Title, want) {
					found = true
				}
			}
			if !found {
				var have []string
				for _, fx := range got[i].Fixes {
					have = append(have, fx.Title)
				}
				t.Errorf("finding %d: no fix titled like %q; fixes: %q", i, want, have)
			}
		}
	}
}

// bestFix: finding i marks exactly one fix as preferred, its title
// contains title, and no other fix is marked safe (alternatives are
// guesses: offered, never applied unasked).
func bestFix(i int, title string) func(*testing.T, seedRun) {
	return func(t *testing.T, c seedRun) {
		got := c.got
		if i >= len(got) {
			t.Fatalf("finding %d missing", i)
		}
		var pref, safe []string
		for _, fx := range got[i].Fixes {
			if fx.Preferred {
				pref = append(pref, fx.Title)
			}
			if fx.Safe && !strings.Contains(fx.Title, title) {
				safe = append(safe, fx.Title)
			}
		}
		if len(pref) != 1 || !strings.Contains(pref[0], title) {
			t.Errorf("finding %d: preferred fixes %q, want exactly one titled like %q", i, pref, title)
		}
		if len(safe) > 0 {
			t.Errorf("finding %d: alternative fixes marked safe: %q", i, safe)
		}
	}
}

// fixesClean: applying any fix offered by any finding adds no error or
// warning (by rule and key) that the document did not have before.
func fixesClean() func(*testing.T, seedRun) {
	return func(t *testing.T, c seedRun) {
		type rk struct{ rule, key string }
		serious := func(fs []Finding) map[rk]bool {
			m := map[rk]bool{}
			for _, f := range fs {
				if f.Severity <= Warning {
					m[rk{f.Rule, f.Key}] = true
				}
			}
			return m
		}
		before := serious(Check([]byte(c.src), Options{Targets: c.targets}).Findings)
		for _, f := range c.got {
			for _, fx := range f.Fixes {
				out, _ := ApplyEdits([]byte(c.src), fx.Edits)
				for _, g := range Check(out, Options{Targets: c.targets}).Findings {
					if g.Severity <= Warning && !before[rk{g.Rule, g.Key}] {
						t.Errorf("fix %q (for %s) introduces %s %s: %s", fx.Title, f.Rule, g.Severity, g.Rule, g.Message)
					}
				}
			}
		}
	}
}

// noSafeFix: finding i has no fix that `entitlint fix` would apply unasked.
func noSafeFix(i int) func(*testing.T, seedRun) {
	return func(t *testing.T, c seedRun) {
		got := c.got
		if i >= len(got) {
			t.Fatalf("finding %d missing", i)
		}
		for _, fx := range got[i].Fixes {
			if fx.Safe {
				t.Errorf("finding %d: fix %q is marked safe", i, fx.Title)
			}
		}
	}
}

// messagesLack: no finding's message contains any of the words.
func messagesLack(words ...string) func(*testing.T, seedRun) {
	return func(t *testing.T, c seedRun) {
		got := c.got
		for _, f := range got {
			for _, w := range words {
				if strings.Contains(strings.ToLower(f.Message), w) {
					t.Errorf("%s on %s mentions %q: %s", f.Rule, f.Key, w, f.Message)
				}
			}
		}
	}
}

var (
	seedIOS    = Targets{Platforms: []string{"ios"}}
	seedMac    = Targets{Platforms: []string{"macos"}}
	seedDevID  = Targets{Platforms: []string{"macos"}, Distribution: "developer-id"}
	seedMacMAS = Targets{Platforms: []string{"macos"}, Distribution: "app-store"}
)

func seedCases() []seedCase {
	const hk = "hallucinated-key"
	return []seedCase{
		// ---- Section 1a: keys listed in Determining ----

		// Row 1: push-notifications is not a key; the entitlement is aps-environment.
		{name: "seed 1a#1 push-notifications", targets: seedIOS,
			body:  kv("com.apple.developer.push-notifications", str("development")),
			want:  []want{{hk, "com.apple.developer.push-notifications", "use aps-environment"}},
			fixed: kv("aps-environment", str("development"))},
		// Row 2: in-app purchase has no entitlement (explicit App ID); delete the key.
		{name: "seed 1a#2 in-app-purchase", targets: seedIOS,
			body:  kv("com.apple.developer.in-app-purchase", yes) + kv("aps-environment", str("production")),
			want:  []want{{hk, "com.apple.developer.in-app-purchase", "none is needed"}},
			fixed: kv("aps-environment", str("production")),
			check: bestFix(0, "Remove")},
		// Row 3: com.apple.InAppPurchase: same as row 2, no entitlement.
		{name: "seed 1a#3 com.apple.InAppPurchase",
			body: kv("com.apple.InAppPurchase", yes),
			want: []want{{hk, "com.apple.InAppPurchase", "none is needed"}}},
		// Row 4: com.apple.developer.storekit: same as row 2, no entitlement.
		{name: "seed 1a#4 storekit",
			body:  kv("com.apple.developer.storekit", yes) + kv("aps-environment", str("production")),
			want:  []want{{hk, "com.apple.developer.storekit", "explicit App ID"}},
			fixed: kv("aps-environment", str("production")),
			check: bestFix(0, "Remove")},
		// Row 5: app-groups is com.apple.security.application-groups.
		{name: "seed 1a#5 app-groups",
			body:  kv("com.apple.developer.app-groups", strArray("group.eskimo1.test")),
			want:  []want{{hk, "com.apple.developer.app-groups", "use com.apple.security.application-groups"}},
			fixed: appGroups("group.eskimo1.test")},
		// Row 6: background-modes is the Info.plist key UIBackgroundModes, not an entitlement.
		{name: "seed 1a#6 background-modes", targets: seedIOS,
			body: kv("com.apple.developer.background-modes", strArray("location")),
			want: []want{{hk, "com.apple.developer.background-modes", "Info.plist key UIBackgroundModes"}}},
		// Row 7: UIBackgroundModes used as an entitlement key: move it to Info.plist.
		{name: "seed 1a#7 UIBackgroundModes", targets: seedIOS,
			body: kv("UIBackgroundModes", strArray("location")),
			want: []want{{hk, "UIBackgroundModes", "Info.plist"}}},
		// Row 8: voip-push-notification: no entitlement; the voip value of UIBackgroundModes.
		{name: "seed 1a#8 voip-push-notification", targets: seedIOS,
			body: kv("com.apple.developer.voip-push-notification", yes),
			want: []want{{hk, "com.apple.developer.voip-push-notification", `the "voip" value of the Info.plist key UIBackgroundModes`}}},
		// Row 9: family-controls.user-authorization is com.apple.developer.family-controls.
		{name: "seed 1a#9 family-controls.user-authorization", targets: seedIOS,
			body:  kv("com.apple.developer.family-controls.user-authorization", yes),
			want:  []want{{hk, "com.apple.developer.family-controls.user-authorization", "use com.apple.developer.family-controls"}},
			fixed: kv("com.apple.developer.family-controls", yes)},
		// Row 10: device-activity has no key of its own: Family Controls' key and rules.
		{name: "seed 1a#10 device-activity", targets: seedIOS,
			body:  kv("com.apple.developer.device-activity", yes),
			want:  []want{{hk, "com.apple.developer.device-activity", "use com.apple.developer.family-controls"}},
			fixed: kv("com.apple.developer.family-controls", yes)},
		// Row 11: managed-settings: family-controls for ManagedSettings, nothing for ManagedApp; two quick fixes.
		{name: "seed 1a#11 managed-settings", targets: seedIOS,
			body:  kv("com.apple.developer.managed-settings", yes),
			want:  []want{{hk, "com.apple.developer.managed-settings", "ManagedApp"}},
			fixed: kv("com.apple.developer.family-controls", yes),
			check: fixTitles(0, "Replace with com.apple.developer.family-controls", "Remove com.apple.developer.managed-settings")},
		// Row 12: callkit.call-directory: no entitlement for Call Directory; delete the key.
		{name: "seed 1a#12 callkit.call-directory", targets: seedIOS,
			body: kv("com.apple.developer.callkit.call-directory", yes),
			want: []want{{hk, "com.apple.developer.callkit.call-directory", "none is needed"}}},
		// Row 13: nearby-interaction: no entitlement for Nearby Interaction.
		{name: "seed 1a#13 nearby-interaction", targets: seedIOS,
			body:  kv("com.apple.developer.nearby-interaction", yes) + kv("aps-environment", str("development")),
			want:  []want{{hk, "com.apple.developer.nearby-interaction", "none is needed"}},
			fixed: kv("aps-environment", str("development")),
			check: bestFix(0, "Remove")},
		// Row 14: secure-enclave: no entitlement (iOS: nothing; macOS: data protection keychain).
		{name: "seed 1a#14 secure-enclave", targets: seedIOS,
			body: kv("com.apple.developer.secure-enclave", yes),
			want: []want{{hk, "com.apple.developer.secure-enclave", "none is needed"}}},
		// Row 15: networking.configuration: Wi-Fi configuration uses networking.HotspotConfiguration.
		{name: "seed 1a#15 networking.configuration",
			body:  kv("com.apple.developer.networking.configuration", yes),
			want:  []want{{hk, "com.apple.developer.networking.configuration", "use com.apple.developer.networking.HotspotConfiguration"}},
			fixed: kv("com.apple.developer.networking.HotspotConfiguration", yes)},
		// Row 16: musickit: no entitlement; enable MusicKit under App Services of the App ID.
		{name: "seed 1a#16 musickit", targets: seedIOS,
			body: kv("com.apple.developer.musickit", yes),
			want: []want{{hk, "com.apple.developer.musickit", "App Services"}}},

		// ---- Section 1b: other wrong keys and values ----

		// Row 17: com.apple.private.* (restricted-application-groups): Apple-private, remove.
		{name: "seed 1b#17 com.apple.private.security.restricted-application-groups", targets: seedMac,
			body:  kv("com.apple.private.security.restricted-application-groups", yes) + kv(appSandboxKey, yes),
			want:  []want{{"private-entitlement", "com.apple.private.security.restricted-application-groups", "private to Apple"}},
			fixed: kv(appSandboxKey, yes)},
		// Row 18: Developer ID profiles authorise packet-tunnel-provider-systemextension, not packet-tunnel-provider.
		{name: "seed 1b#18 packet-tunnel-provider with Developer ID", targets: seedDevID,
			body: kv(networkExtensionKey, strArray("packet-tunnel-provider")),
			want: []want{{"distribution", "packet-tunnel-provider", `authorise "packet-tunnel-provider-systemextension"`}}},
		// Row 19: an app group with neither "group." nor "<TeamID>." is rejected at upload.
		{name: "seed 1b#19 app group without a prefix", targets: seedMacMAS,
			body: kv(appSandboxKey, yes) + appGroups("eskimo1.test"),
			want: []want{{"app-group-id", "eskimo1.test", `must start with "group."`}}},
		// Row 20: FAMILY_CONTROLS is a capability identifier, not a key: com.apple.developer.family-controls.
		{name: "seed 1b#20 FAMILY_CONTROLS", targets: seedIOS,
			body:  kv("FAMILY_CONTROLS", yes),
			want:  []want{{hk, "FAMILY_CONTROLS", "use com.apple.developer.family-controls"}},
			fixed: kv("com.apple.developer.family-controls", yes)},
		// Row 21: a .NET MAUI Entitlements.plist (CRLF, spaces) with in-app-purchase: remove the key.
		{name: "seed 1b#21 .NET MAUI Entitlements.plist", full: true, targets: seedIOS,
			body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\r\n<plist version=\"1.0\">\r\n<dict>\r\n" +
				"    <key>aps-environment</key>\r\n    <string>development</string>\r\n" +
				"    <key>com.apple.developer.in-app-purchase</key>\r\n    <true/>\r\n</dict>\r\n</plist>\r\n",
			want: []want{{hk, "com.apple.developer.in-app-purchase", "none is needed"}},
			fixed: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\r\n<plist version=\"1.0\">\r\n<dict>\r\n" +
				"    <key>aps-environment</key>\r\n    <string>development</string>\r\n</dict>\r\n</plist>\r\n"},

		// ---- Section 2: value rules ----

		// V1: app groups are "a string or an array of strings"; the linter should prefer the array form.
		{name: "seed V1 app groups as a single string", targets: seedMac,
			body:  kv(appGroupsKey, str("group.eskimo1.test")),
			want:  []want{{"wrong-type", "<string>group.eskimo1.test</string>", "<array>"}},
			fixed: appGroups("group.eskimo1.test"),
			check: noneAbove(Warning)}, // a string is accepted by App Store Connect: prefer, not require, the array
		// V2: each app group is "group." + name or "<TeamID>." + name.
		{name: "seed V2 app group shapes", targets: seedMac,
			body: appGroups("group.com.example.a", "SKMME9E2Y8.com.example.b", "group.", "SKMME9E2Y8.", "example.shared"),
			want: []want{
				{"app-group-id", "group.", "no name"},
				{"app-group-id", "SKMME9E2Y8.", "no valid name after the Team ID"},
				{"app-group-id", "example.shared", `must start with "group."`},
			}},
		// V3: iOS-style app group IDs start with "group.", e.g. group.eskimo1.test.
		{name: "seed V3 iOS-style group is fine", targets: seedIOS,
			body: appGroups("group.eskimo1.test")},
		// V4: macOS-style IDs start with the Team ID, e.g. SKMME9E2Y8.eskimo1.test (at most a V5 hint).
		{name: "seed V4 macOS-style group is fine on macOS", targets: seedMac,
			body: appGroups("SKMME9E2Y8.eskimo1.test"), rules: []string{},
			check: noneAbove(Hint)},
		// V5: prefer group. IDs in new code: a hint, not an error, on TEAMID. IDs.
		{name: "seed V5 hint to prefer group. over TEAMID.", targets: seedMac,
			body: appGroups("SKMME9E2Y8.eskimo1.test"), rules: []string{"app-group-id"}, hints: true,
			want:  []want{{"app-group-id", "SKMME9E2Y8.eskimo1.test", "group."}},
			check: severities(Hint)},
		// V7: a TEAMID. group can't be registered on the website, so iOS-family profiles can't carry it.
		{name: "seed V7 TEAMID. group on iOS", targets: seedIOS,
			body: appGroups("SKMME9E2Y8.eskimo1.test"),
			want: []want{{"app-group-id", "SKMME9E2Y8.eskimo1.test", `use "group.eskimo1.test"`}}},
		// V8: profiles carry the wildcard TEAM_ID.*; an entitlements file must claim concrete IDs (one finding).
		{name: "seed V8 TEAM_ID.* copied from a profile", targets: seedMac,
			body: appGroups("SKMME9E2Y8.*"),
			want: []want{{"wildcard-value", "SKMME9E2Y8.*", "wildcard"}}},
		// V9: for the Mac App Store every group starts with your Team ID or is assigned to your team.
		{name: "seed V9 Mac App Store group of another team",
			targets: Targets{Platforms: []string{"macos"}, Distribution: "app-store", TeamID: "ABCDE12345"},
			body:    kv(appSandboxKey, yes) + appGroups("ABCDE12345.eskimo1.test", "SKMME9E2Y8.eskimo1.test"),
			want:    []want{{"app-group-id", "SKMME9E2Y8.eskimo1.test", "not your team ABCDE12345"}}},
		// V10: one Mac app may claim both group. and TEAMID. IDs (supported since Jun 2025): do not flag a mix.
		{name: "seed V10 mixing group styles on macOS", targets: seedMac,
			body: appGroups("group.eskimo1.test", "SKMME9E2Y8.eskimo1.test"), rules: []string{},
			check: noneAbove(Hint)},
		// V11: an app group name works as a keychain access group without listing it: no duplication demanded.
		{name: "seed V11 no keychain duplication demanded", targets: seedIOS,
			body: appGroups("group.com.example.shared") + kv("keychain-access-groups", strArray("$(AppIdentifierPrefix)com.example.app"))},
		// V12: keychain-access-groups values start with an App ID prefix; Apple-only groups (e.g. apple) are not yours.
		{name: "seed V12 keychain access group prefixes", targets: seedIOS,
			body: kv("keychain-access-groups", strArray("$(AppIdentifierPrefix)com.example.app", "SKMME9E2Y8.com.example.shared", "com.example.shared", "apple")),
			want: []want{
				{"keychain-access-group", "com.example.shared", "App ID prefix"},
				{"keychain-access-group", "apple", "App ID prefix"},
			}},
		// V14: networkextension is an array of strings; Developer ID uses the -systemextension values.
		{name: "seed V14 network extension shape and Developer ID value", targets: seedDevID,
			body: kv(networkExtensionKey, str("packet-tunnel-provider")),
			want: []want{
				{"wrong-type", "<string>packet-tunnel-provider</string>", "must be an <array> of <string>"},
				{"distribution", "packet-tunnel-provider", "packet-tunnel-provider-systemextension"},
			}},
		// V15: the mismatch surfaces as "Profile doesn't match the entitlements file's value…".
		{name: "seed V15 message names the profile error", targets: seedDevID,
			body: kv(networkExtensionKey, strArray("dns-proxy")),
			want: []want{{"distribution", "dns-proxy", "profile doesn't match the entitlements file's value"}}},
		// V16: hand-editing -systemextension into the Xcode file broke the build: no blind automatic rewrite.
		{name: "seed V16 no automatic -systemextension rewrite", targets: seedDevID,
			body:  kv(networkExtensionKey, strArray("packet-tunnel-provider")),
			want:  []want{{"distribution", "packet-tunnel-provider", "systemextension"}},
			check: noSafeFix(0)},
		// V17: com.apple.developer.team-identifier is the Team ID and must be the signing team's.
		{name: "seed V17 team-identifier of another team",
			targets: Targets{Platforms: []string{"macos"}, TeamID: "ABCDE12345"},
			body:    kv("com.apple.developer.team-identifier", str("SKMME9E2Y8")),
			want:    []want{{"team-id", "SKMME9E2Y8", "ABCDE12345"}}},
		// V18: UIBackgroundModes values (location, remote-notification, voip) belong in Info.plist: one finding.
		{name: "seed V18 background mode values", targets: seedIOS,
			body: kv("com.apple.developer.background-modes", strArray("location", "remote-notification", "voip")),
			want: []want{{hk, "com.apple.developer.background-modes", "UIBackgroundModes"}}},
		// V19: remote-notification is the UIBackgroundModes value that goes with push.
		{name: "seed V19 push names remote-notification", targets: seedIOS,
			body: kv("com.apple.developer.push-notifications", yes),
			want: []want{{hk, "com.apple.developer.push-notifications", "remote-notification in UIBackgroundModes"}}},
		// V20: location comes with NSLocation…UsageDescription keys, which are Info.plist keys.
		{name: "seed V20 NSLocation usage description in entitlements", targets: seedIOS,
			body: kv("NSLocationWhenInUseUsageDescription", str("Shows nearby stores")),
			want: []want{{"info-plist-key", "NSLocationWhenInUseUsageDescription", "Info.plist key"}}},
		// V21: call-blocking and caller-identification are invented values under an invented key: delete the whole key.
		{name: "seed V21 call-directory invented values", targets: seedIOS,
			body:  kv("com.apple.developer.callkit.call-directory", strArray("call-blocking", "caller-identification")) + kv("aps-environment", str("development")),
			want:  []want{{hk, "com.apple.developer.callkit.call-directory", "none is needed"}},
			fixed: kv("aps-environment", str("development"))},
		// V22: group.com.apple.* and group.is.workflow.* belong to Apple: warn.
		{name: "seed V22 Apple's app groups",
			body: appGroups("group.com.apple.shortcuts", "group.is.workflow.my.app"),
			want: []want{
				{"app-group-id", "group.com.apple.shortcuts", "belongs to Apple"},
				{"app-group-id", "group.is.workflow.my.app", "belongs to Apple"},
			},
			check: severities(Warning, Warning)},
		// V23: family-controls is managed: works in development, distribution needs a request (info).
		{name: "seed V23 family-controls is managed", targets: Targets{Platforms: []string{"ipados"}},
			body:  kv("com.apple.developer.family-controls", yes),
			want:  []want{{"needs-approval", "com.apple.developer.family-controls", "managed capability"}},
			check: severities(Info)},
		// V24: Team IDs are 10 upper-case alphanumerics; only that shape is a TEAMID. prefix.
		{name: "seed V24 Team ID shape", targets: seedMac,
			body: appGroups("skmme9e2y8.eskimo1.test", "SKMME9E2Y.eskimo1.test"),
			want: []want{
				{"app-group-id", "skmme9e2y8.eskimo1.test", `must start with "group."`},
				{"app-group-id", "SKMME9E2Y.eskimo1.test", `must start with "group."`},
			}},
		// V25: not in the seed (aps-environment values, $(TeamIdentifierPrefix), boolean types): catalog facts instead.
		{name: "seed V25 facts from other sources",
			body: kv("aps-environment", str("Development")) + kv(appSandboxKey, str("YES")) +
				appGroups("$(TeamIdentifierPrefix)com.example.shared"),
			want: []want{
				{"invalid-value", "Development", `did you mean "development"`},
				{"wrong-type", "<string>YES</string>", "must be a boolean"},
			},
			fixed: kv("aps-environment", str("development")) + kv(appSandboxKey, str("YES")) +
				appGroups("$(TeamIdentifierPrefix)com.example.shared")},

		// ---- Section 3: platform rules ----

		// P1: push is aps-environment on iOS and com.apple.developer.aps-environment on macOS.
		{name: "seed P1 push key on macOS", targets: seedMac,
			body:  kv("aps-environment", str("production")),
			want:  []want{{"platform-availability", "aps-environment", "use com.apple.developer.aps-environment"}},
			fixed: kv("com.apple.developer.aps-environment", str("production"))},
		// P2: Secure Enclave needs no entitlement; on macOS the data protection keychain gives access.
		{name: "seed P2 secure-enclave on macOS", targets: seedMac,
			body:  kv("com.apple.developer.secure-enclave", yes) + kv(appSandboxKey, yes),
			want:  []want{{hk, "com.apple.developer.secure-enclave", "data protection keychain"}},
			fixed: kv(appSandboxKey, yes),
			check: bestFix(0, "Remove")},
		// P3: to configure Wi-Fi on iOS the key is com.apple.developer.networking.HotspotConfiguration.
		{name: "seed P3 Wi-Fi configuration on iOS", targets: seedIOS,
			body:  kv("com.apple.developer.networking.configuration", yes),
			want:  []want{{hk, "com.apple.developer.networking.configuration", "HotspotConfiguration"}},
			fixed: kv("com.apple.developer.networking.HotspotConfiguration", yes)},
		// P5: group. IDs work on every platform, on macOS since a website change (Feb 2025), not an OS release.
		{name: "seed P5 group. IDs on an old macOS deployment target",
			targets: Targets{Platforms: []string{"macos"}, MinVersions: map[string]string{"macos": "10.13"}},
			body:    appGroups("group.eskimo1.test")},
		// P8: App Sandbox and Hardened Runtime keys are unrestricted opt-ins on macOS: nothing to approve.
		{name: "seed P8 sandbox and hardened runtime are opt-ins", targets: seedMac,
			body: kv(appSandboxKey, yes) + kv("com.apple.security.network.client", yes) +
				kv("com.apple.security.cs.allow-jit", yes) + kv("com.apple.security.cs.disable-library-validation", yes)},
		// P9: the App Sandbox is mandatory for Mac App Store apps (checked at upload).
		{name: "seed P9 Mac App Store without the sandbox", targets: seedMacMAS,
			body: kv("com.apple.security.cs.allow-jit", yes),
			want: []want{{"distribution", "<dict>", "requires the App Sandbox"}}},
		// P13: macOS 15 container protection, condition C: a TEAMID. group must be the app's own Team ID.
		{name: "seed P13 direct distribution with another team's group",
			targets: Targets{Platforms: []string{"macos"}, Distribution: "developer-id", TeamID: "ABCDE12345"},
			body:    appGroups("group.eskimo1.test", "SKMME9E2Y8.eskimo1.test"),
			want:    []want{{"app-group-id", "SKMME9E2Y8.eskimo1.test", "not your team ABCDE12345"}}},
		// P18: macOS Developer ID network extensions use the -systemextension values.
		{name: "seed P18 Developer ID proxy and filter values", targets: seedDevID,
			body: kv(networkExtensionKey, strArray("app-proxy-provider", "content-filter-provider")),
			want: []want{
				{"distribution", "app-proxy-provider", "app-proxy-provider-systemextension"},
				{"distribution", "content-filter-provider", "content-filter-provider-systemextension"},
			}},
		// P20: the simulator does not sign, so only device builds fail: the linter says so.
		{name: "seed P20 simulator gap", targets: seedIOS,
			body:  kv("com.apple.developer.background-modes", strArray("remote-notification")),
			want:  []want{{hk, "com.apple.developer.background-modes", "simulator"}},
			check: severities(Error)},
		// P25: Mac App Store review stops apps using another team's app group (here Apple's).
		{name: "seed P25 Mac App Store with Apple's group", targets: seedMacMAS,
			body: kv(appSandboxKey, yes) + appGroups("group.is.workflow.shortcuts"),
			want: []want{{"app-group-id", "group.is.workflow.shortcuts", "belongs to Apple"}}},

		// ---- Section 4: restricted / managed / private (rows numbered top to bottom) ----

		// 4#1: family-controls is managed: request authorisation for distribution.
		{name: "seed 4#1 family-controls for the App Store",
			targets: Targets{Platforms: []string{"ios"}, Distribution: "app-store"},
			body:    kv("com.apple.developer.family-controls", yes),
			want:    []want{{"needs-approval", "com.apple.developer.family-controls", "distribution needs Apple's authorisation"}}},
		// 4#2: DeviceActivity has Family Controls' restrictions (managed).
		{name: "seed 4#2 DeviceActivity is managed like Family Controls", targets: seedIOS,
			body: kv("com.apple.developer.device-activity", yes),
			want: []want{{hk, "com.apple.developer.device-activity", "approved by Apple"}}},
		// 4#3: ManagedSettings has Family Controls' restrictions; ManagedApp is not gated.
		{name: "seed 4#3 ManagedSettings vs ManagedApp", targets: seedIOS,
			body:  kv("com.apple.developer.managed-settings", yes),
			want:  []want{{hk, "com.apple.developer.managed-settings", "ManagedApp framework, it needs no entitlement"}},
			check: fixTitles(0, "com.apple.developer.family-controls", "Remove")},
		// 4#4: FAMILY_CONTROLS is the capability identifier; with the real key present, just remove it.
		{name: "seed 4#4 FAMILY_CONTROLS next to the real key", targets: seedIOS,
			body: kv("FAMILY_CONTROLS", yes) + kv("com.apple.developer.family-controls", yes),
			want: []want{
				{hk, "FAMILY_CONTROLS", "com.apple.developer.family-controls"},
				{"needs-approval", "com.apple.developer.family-controls", "managed capability"},
			},
			fixed: kv("com.apple.developer.family-controls", yes)},
		// 4#11: restricted-application-groups is Apple-private (Apple's binaries and group.com.apple.* groups).
		{name: "seed 4#11 shortcuts entitlements copied", targets: seedMac,
			body: kv("com.apple.private.security.restricted-application-groups", yes) + appGroups("group.com.apple.shortcuts"),
			want: []want{
				{"private-entitlement", "com.apple.private.security.restricted-application-groups", "no profile can authorise it"},
				{"app-group-id", "group.com.apple.shortcuts", "belongs to Apple"},
			}},
		// 4#12: any com.apple.private.* key cannot be authorised for third-party code.
		{name: "seed 4#12 any com.apple.private key",
			body: kv("com.apple.private.tcc.allow", strArray("kTCCServiceAccessibility")),
			want: []want{{"private-entitlement", "com.apple.private.tcc.allow", "private to Apple"}}},
		// 4#13: App Sandbox / Hardened Runtime are unrestricted opt-ins: no profile, nothing to request.
		{name: "seed 4#13 sandboxed hardened Mac App Store app", targets: seedMacMAS,
			body: kv(appSandboxKey, yes) + kv("com.apple.security.files.user-selected.read-only", yes) +
				kv("com.apple.security.cs.allow-jit", yes)},
		// 4#15: IAP, MusicKit, background modes, VoIP, Call Directory, Nearby Interaction, Secure Enclave: no entitlement, nothing to request.
		{name: "seed 4#15 features without an entitlement", targets: seedIOS,
			body: kv("com.apple.developer.in-app-purchase", yes) + kv("com.apple.developer.musickit", yes) +
				kv("com.apple.developer.background-modes", strArray("audio")) + kv("com.apple.developer.voip-push-notification", yes) +
				kv("com.apple.developer.callkit.call-directory", yes) + kv("com.apple.developer.nearby-interaction", yes) +
				kv("com.apple.developer.secure-enclave", yes),
			want: []want{
				{hk, "com.apple.developer.in-app-purchase", "none is needed"},
				{hk, "com.apple.developer.musickit", "none is needed"},
				{hk, "com.apple.developer.background-modes", "UIBackgroundModes"},
				{hk, "com.apple.developer.voip-push-notification", "voip"},
				{hk, "com.apple.developer.callkit.call-directory", "none is needed"},
				{hk, "com.apple.developer.nearby-interaction", "none is needed"},
				{hk, "com.apple.developer.secure-enclave", "none is needed"},
			},
			check: messagesLack("request", "approv")},

		// ---- Section 5, the parts catchable from the file alone (extras) ----

		// X16: the TEAMID. app-group prefix and com.apple.developer.team-identifier must be the same team.
		{name: "seed X16 team consistency inside the file", targets: seedMac,
			body: kv("com.apple.developer.team-identifier", str("ABCDE12345")) + appGroups("SKMME9E2Y8.eskimo1.test"),
			want: []want{{"team-id", "SKMME9E2Y8.eskimo1.test", "ABCDE12345"}}},
		// X22: $(TeamIdentifierPrefix) expands to "TEAMID.": a macOS-style group, wrong on iOS.
		{name: "seed X22 variables are expanded before prefix checks", targets: seedIOS,
			body: appGroups("$(TeamIdentifierPrefix)com.example.shared"),
			want: []want{{"app-group-id", "$(TeamIdentifierPrefix)com.example.shared", "iOS-family platforms do not support"}}},
	}
}

func TestSeedFacts(t *testing.T) {
	runSeedCases(t, seedCases())
}

// seedRows is every row id of seed-facts.md sections 1–4, transcribed.
var seedRows = func() []string {
	var rows []string
	for i := 1; i <= 16; i++ {
		rows = append(rows, "1a#"+itoa(i))
	}
	for i := 17; i <= 21; i++ {
		rows = append(rows, "1b#"+itoa(i))
	}
	for i := 1; i <= 25; i++ {
		rows = append(rows, "V"+itoa(i))
	}
	for i := 1; i <= 26; i++ {
		rows = append(rows, "P"+itoa(i))
	}
	for i := 1; i <= 15; i++ {
		rows = append(rows, "4#"+itoa(i))
	}
	return rows
}()

// seedExtraRows are section 5 rows with a case although the section is out
// of scope.
var seedExtraRows = []string{"X16", "X22"}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

var notFileLocalLine = regexp.MustCompile(`(?m)^// not file-local: (\S+) — (.*)$`)

// TestSeedCoverage fails when a seed row has neither a case nor a
// not-file-local entry, has both, or when a case or entry names a row that
// does not exist.
func TestSeedCoverage(t *testing.T) {
	src, err := os.ReadFile("seed_test.go")
	if err != nil {
		t.Fatal(err)
	}
	notLocal := map[string]bool{}
	for _, m := range notFileLocalLine.FindAllStringSubmatch(string(src), -1) {
		if strings.TrimSpace(m[2]) == "" {
			t.Errorf("not file-local: %s has no reason", m[1])
		}
		if notLocal[m[1]] {
			t.Errorf("not file-local: %s listed twice", m[1])
		}
		notLocal[m[1]] = true
	}
	covered := map[string]bool{}
	for _, c := range seedCases() {
		f := strings.Fields(c.name)
		if len(f) < 3 || f[0] != "seed" {
			t.Errorf("case %q: name must be \"seed <row> <what>\"", c.name)
			continue
		}
		if covered[f[1]] {
			t.Errorf("row %s has more than one case", f[1])
		}
		covered[f[1]] = true
	}
	known := map[string]bool{}
	for _, r := range append(append([]string{}, seedRows...), seedExtraRows...) {
		known[r] = true
	}
	for _, r := range seedRows {
		switch {
		case covered[r] && notLocal[r]:
			t.Errorf("row %s has a case and a not-file-local entry", r)
		case !covered[r] && !notLocal[r]:
			t.Errorf("row %s has neither a case nor a not-file-local entry", r)
		}
	}
	for r := range covered {
		if !known[r] {
			t.Errorf("case for unknown row %s", r)
		}
	}
	for r := range notLocal {
		if !known[r] {
			t.Errorf("not-file-local entry for unknown row %s", r)
		}
	}
	t.Logf("%d rows: %d with a case, %d not file-local; %d section-5 extras", len(seedRows), len(covered)-len(seedExtraRows), len(notLocal), len(seedExtraRows))
}
