package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/profile/profiletest"
)

const profTeam = "ABCDE12345"

// profWant is one expected profile-* finding: the rule, the exact source
// text under its range, a substring of its message and, when set, its
// severity.
type profWant struct {
	rule string
	at   string
	msg  string
	sev  Severity
}

type profCase struct {
	name    string
	spec    profiletest.Spec // built, signed and parsed for the case
	body    string           // dict body
	targets Targets
	want    []profWant
}

// buildProfile goes through the real path: property list, CMS signature,
// profile.Parse.
func buildProfile(t *testing.T, s profiletest.Spec) *profile.Profile {
	t.Helper()
	data, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	pr, err := profile.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	pr.Path = "/work/profiles/" + strings.ReplaceAll(s.Name, " ", "_") + ".mobileprovision"
	return pr
}

func runProfileCases(t *testing.T, cases []profCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := plist(tc.body)
			pr := buildProfile(t, tc.spec)
			res := Check([]byte(src), Options{Targets: tc.targets, Profile: pr})
			var got []Finding
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Rule, "profile-") {
					got = append(got, f)
				}
			}
			text := func(s plistxml.Span) string {
				if !s.IsValid() {
					return "<no span>"
				}
				return src[s.Start:s.End]
			}
			if len(got) != len(tc.want) {
				var lines []string
				for _, f := range got {
					lines = append(lines, fmt.Sprintf("  %s %s at %q: %s", f.Rule, f.Severity, text(f.Span), f.Message))
				}
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), strings.Join(lines, "\n"))
			}
			for i, w := range tc.want {
				f := got[i]
				if f.Rule != w.rule || text(f.Span) != w.at || !strings.Contains(f.Message, w.msg) || w.sev != 0 && f.Severity != w.sev {
					t.Errorf("finding %d = %s %s at %q: %q\nwant      %s %v at %q containing %q", i, f.Rule, f.Severity, text(f.Span), f.Message, w.rule, w.sev, w.at, w.msg)
				}
			}
			// Without a profile, the profile rules say nothing.
			for _, f := range Check([]byte(src), Options{Targets: tc.targets}).Findings {
				if strings.HasPrefix(f.Rule, "profile-") {
					t.Errorf("finding without a profile: %s: %s", f.Rule, f.Message)
				}
			}
		})
	}
}

var profCreated = time.Now().UTC().AddDate(0, -1, 0).Truncate(time.Second)

// iosDev is an Xcode-managed iOS development ("team") profile.
func iosDev(extra map[string]any) profiletest.Spec {
	return profiletest.IOSDevelopment(profTeam, "com.example.app", profCreated, extra)
}

func macDevID(extra map[string]any) profiletest.Spec {
	return profiletest.MacDeveloperID(profTeam, "com.example.mac", profCreated, extra)
}

func with(s profiletest.Spec, f func(*profiletest.Spec)) profiletest.Spec {
	f(&s)
	return s
}

const teamProfileName = `"iOS Team Provisioning Profile: com.example.app"`

func TestProfileMissingEntitlement(t *testing.T) {
	runProfileCases(t, []profCase{
		{name: "seed: in-app-purchase and background-modes against a team profile", spec: iosDev(nil),
			body: "\t<key>com.apple.developer.in-app-purchase</key>\n\t<true/>\n" +
				"\t<key>com.apple.developer.background-modes</key>\n\t<array>\n\t\t<string>audio</string>\n\t</array>\n",
			want: []profWant{
				{"profile-missing-entitlement", "com.apple.developer.in-app-purchase",
					"Provisioning profile " + teamProfileName + " doesn't include the com.apple.developer.in-app-purchase entitlement. It is not an entitlement", Error},
				{"profile-missing-entitlement", "com.apple.developer.background-modes",
					"doesn't include the com.apple.developer.background-modes entitlement. It is not an entitlement: the setting belongs in Info.plist", Error},
			}},
		{name: "a capability not enabled on the App ID", spec: iosDev(nil),
			body: "\t<key>com.apple.developer.healthkit</key>\n\t<true/>\n",
			want: []profWant{{"profile-missing-entitlement", "com.apple.developer.healthkit",
				"Enable the HealthKit capability for App ID ABCDE12345.com.example.app and download the profile again. (iOS_Team_Provisioning_Profile:_com.example.app.mobileprovision)", 0}}},
		{name: "a capability Apple must approve", spec: iosDev(nil),
			body: "\t<key>com.apple.developer.carplay-audio</key>\n\t<true/>\n",
			want: []profWant{{"profile-missing-entitlement", "com.apple.developer.carplay-audio", "Apple must approve", 0}}},
		{name: "a wildcard App ID cannot carry capabilities",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Entitlements["application-identifier"] = profTeam + ".*" }),
			body: "\t<key>aps-environment</key>\n\t<string>development</string>\n",
			want: []profWant{{"profile-missing-entitlement", "aps-environment", "App ID ABCDE12345.* is a wildcard", 0}}},
		{name: "a private key", spec: iosDev(nil),
			body: "\t<key>com.apple.private.security.no-sandbox</key>\n\t<true/>\n",
			want: []profWant{{"profile-missing-entitlement", "com.apple.private.security.no-sandbox", "private to Apple", 0}}},
		{name: "authorised keys and keys that claim nothing", spec: iosDev(map[string]any{"com.apple.developer.healthkit": true}),
			body: "\t<key>application-identifier</key>\n\t<string>ABCDE12345.com.example.app</string>\n" +
				"\t<key>com.apple.developer.healthkit</key>\n\t<true/>\n" +
				"\t<key>com.apple.developer.siri</key>\n\t<false/>\n" +
				"\t<key>com.apple.developer.icloud-container-identifiers</key>\n\t<array/>\n",
			want: nil},
		{name: "keys that need no profile (catalog restriction none)", spec: iosDev(nil),
			body: "\t<key>com.apple.security.hardened-process</key>\n\t<true/>\n",
			want: nil},
		{name: "macOS: sandbox, hardened runtime, get-task-allow and Team ID app groups need no profile", spec: macDevID(nil),
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n" +
				"\t<key>com.apple.security.network.client</key>\n\t<true/>\n" +
				"\t<key>com.apple.security.cs.allow-jit</key>\n\t<true/>\n" +
				"\t<key>com.apple.security.get-task-allow</key>\n\t<true/>\n" +
				"\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>$(TeamIdentifierPrefix)shared</string>\n\t\t<string>ABCDE12345.cache</string>\n\t</array>\n",
			want: nil},
		{name: "macOS: a group. app group needs the profile", spec: macDevID(nil),
			body: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>ABCDE12345.cache</string>\n\t\t<string>group.com.example.shared</string>\n\t</array>\n",
			want: []profWant{{"profile-missing-entitlement", "com.apple.security.application-groups",
				"doesn't include the com.apple.security.application-groups entitlement", 0}}},
		{name: "macOS: a Team ID app group of another team needs the profile", spec: macDevID(nil),
			body: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>ZZZZZ99999.cache</string>\n\t</array>\n",
			want: []profWant{{"profile-missing-entitlement", "com.apple.security.application-groups", "doesn't include", 0}}},
		{name: "Mac Catalyst spellings: the iOS key finds the macOS one",
			spec: with(macDevID(map[string]any{"com.apple.developer.aps-environment": "development"}), func(s *profiletest.Spec) { s.AllDevices = false }),
			body: "\t<key>application-identifier</key>\n\t<string>ABCDE12345.com.example.mac</string>\n" +
				"\t<key>aps-environment</key>\n\t<string>development</string>\n",
			want: nil},
	})
}

func TestProfileValueMismatch(t *testing.T) {
	nePlist := func(values ...string) string {
		var b strings.Builder
		b.WriteString("\t<key>com.apple.developer.networking.networkextension</key>\n\t<array>\n")
		for _, v := range values {
			fmt.Fprintf(&b, "\t\t<string>%s</string>\n", v)
		}
		b.WriteString("\t</array>\n")
		return b.String()
	}
	devIDNE := macDevID(map[string]any{
		"com.apple.developer.networking.networkextension": []any{"packet-tunnel-provider-systemextension",
			"app-proxy-provider-systemextension", "content-filter-provider-systemextension", "dns-proxy-systemextension"},
		"com.apple.developer.system-extension.install": true,
	})
	runProfileCases(t, []profCase{
		{name: "seed: a group. app group not in the profile",
			spec: iosDev(map[string]any{"com.apple.security.application-groups": []any{"group.com.example.shared"}}),
			body: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.com.example.shared</string>\n\t\t<string>group.com.example.other</string>\n\t</array>\n",
			want: []profWant{{"profile-value-mismatch", "group.com.example.other",
				"Provisioning profile " + teamProfileName + " doesn't match the entitlements file's value for the com.apple.security.application-groups entitlement. \"group.com.example.other\" is not authorised; the profile allows \"group.com.example.shared\".", Error}}},
		{name: "seed: Developer ID profile and packet-tunnel-provider", spec: devIDNE,
			body: nePlist("packet-tunnel-provider"),
			want: []profWant{{"profile-value-mismatch", "packet-tunnel-provider",
				`the profile authorises "packet-tunnel-provider-systemextension"`, Error}}},
		{name: "Developer ID profile and the -systemextension values", spec: devIDNE,
			body: nePlist("packet-tunnel-provider-systemextension", "dns-proxy-systemextension"),
			want: nil},
		{name: "one bad item among good ones", spec: devIDNE,
			body: nePlist("content-filter-provider-systemextension", "app-push-provider"),
			want: []profWant{{"profile-value-mismatch", "app-push-provider", `"app-push-provider" is not authorised; the profile allows "packet-tunnel-provider-systemextension", "app-proxy-provider-systemextension"`, 0}}},
		{name: "seed: team identifier of another team", spec: iosDev(nil),
			body: "\t<key>com.apple.developer.team-identifier</key>\n\t<string>ZZZZZ99999</string>\n",
			want: []profWant{{"profile-value-mismatch", "ZZZZZ99999",
				`value for the com.apple.developer.team-identifier entitlement. The file says team "ZZZZZ99999"; the profile is for team "ABCDE12345".`, Error}}},
		{name: "team identifier checked against TeamIdentifier when the profile lacks the entitlement",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { delete(s.Entitlements, "com.apple.developer.team-identifier") }),
			body: "\t<key>com.apple.developer.team-identifier</key>\n\t<string>ZZZZZ99999</string>\n",
			want: []profWant{{"profile-value-mismatch", "ZZZZZ99999", `the profile is for team "ABCDE12345"`, 0}}},
		{name: "team identifier from $(TeamIdentifierPrefix) is not checked", spec: iosDev(nil),
			body: "\t<key>com.apple.developer.team-identifier</key>\n\t<string>$(DEVELOPMENT_TEAM)</string>\n",
			want: nil},
		{name: "seed: application-identifier of another app", spec: iosDev(nil),
			body: "\t<key>application-identifier</key>\n\t<string>ABCDE12345.com.example.other</string>\n",
			want: []profWant{{"profile-value-mismatch", "ABCDE12345.com.example.other",
				`The file claims "ABCDE12345.com.example.other"; the profile is for App ID "ABCDE12345.com.example.app".`, Error}}},
		{name: "seed: com.apple.application-identifier of another app", spec: macDevID(nil),
			body: "\t<key>com.apple.application-identifier</key>\n\t<string>ABCDE12345.com.example.other</string>\n",
			want: []profWant{{"profile-value-mismatch", "ABCDE12345.com.example.other",
				`value for the com.apple.application-identifier entitlement. The file claims "ABCDE12345.com.example.other"; the profile is for App ID "ABCDE12345.com.example.mac".`, 0}}},
		{name: "variables resolved from the profile", spec: iosDev(nil),
			body: "\t<key>application-identifier</key>\n\t<string>$(AppIdentifierPrefix)$(CFBundleIdentifier)</string>\n" +
				"\t<key>keychain-access-groups</key>\n\t<array>\n\t\t<string>$(AppIdentifierPrefix)com.example.shared</string>\n\t\t<string>${AppIdentifierPrefix}$(PRODUCT_BUNDLE_IDENTIFIER)</string>\n\t</array>\n",
			want: nil},
		{name: "a resolved variable that does not match", spec: iosDev(nil),
			body: "\t<key>application-identifier</key>\n\t<string>$(AppIdentifierPrefix)com.example.other</string>\n",
			want: []profWant{{"profile-value-mismatch", "$(AppIdentifierPrefix)com.example.other",
				`"$(AppIdentifierPrefix)com.example.other" ("ABCDE12345.com.example.other")`, 0}}},
		{name: "keychain group of another team against TEAMID.*", spec: iosDev(nil),
			body: "\t<key>keychain-access-groups</key>\n\t<array>\n\t\t<string>ABCDE12345.com.example.shared</string>\n\t\t<string>com.apple.token</string>\n\t\t<string>ZZZZZ99999.com.example.shared</string>\n\t</array>\n",
			want: []profWant{{"profile-value-mismatch", "ZZZZZ99999.com.example.shared", `the profile allows "ABCDE12345.*", "com.apple.token"`, 0}}},
		{name: "wildcard App ID: prefix wildcard",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Entitlements["application-identifier"] = profTeam + ".com.example.*" }),
			body: "\t<key>application-identifier</key>\n\t<string>ABCDE12345.com.example.app.widget</string>\n",
			want: nil},
		{name: "wildcard App ID: outside the prefix",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Entitlements["application-identifier"] = profTeam + ".com.example.*" }),
			body: "\t<key>application-identifier</key>\n\t<string>ABCDE12345.com.other.app</string>\n",
			want: []profWant{{"profile-value-mismatch", "ABCDE12345.com.other.app", `App ID "ABCDE12345.com.example.*"`, 0}}},
		{name: "wildcard App ID: $(CFBundleIdentifier) stays unresolved",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Entitlements["application-identifier"] = profTeam + ".*" }),
			body: "\t<key>application-identifier</key>\n\t<string>$(AppIdentifierPrefix)$(CFBundleIdentifier)</string>\n",
			want: nil},
		{name: "a lone * authorises everything",
			spec: iosDev(map[string]any{"com.apple.developer.associated-domains": "*", "com.apple.developer.icloud-services": "*"}),
			body: "\t<key>com.apple.developer.associated-domains</key>\n\t<array>\n\t\t<string>applinks:example.com</string>\n\t\t<string>webcredentials:*.example.com</string>\n\t</array>\n" +
				"\t<key>com.apple.developer.icloud-services</key>\n\t<array>\n\t\t<string>CloudKit</string>\n\t</array>\n",
			want: nil},
		{name: "a string claim covered by a profile array",
			spec: iosDev(map[string]any{"com.apple.developer.icloud-container-environment": []any{"Development", "Production"}}),
			body: "\t<key>com.apple.developer.icloud-container-environment</key>\n\t<string>Production</string>\n",
			want: nil},
		{name: "push environment of a development profile",
			spec: iosDev(map[string]any{"aps-environment": "development"}),
			body: "\t<key>aps-environment</key>\n\t<string>production</string>\n",
			want: []profWant{{"profile-value-mismatch", "production", `"production" is not authorised; the profile allows "development".`, 0}}},
		{name: "an empty allowlist array",
			spec: iosDev(map[string]any{"com.apple.developer.healthkit.access": []any{}}),
			body: "\t<key>com.apple.developer.healthkit.access</key>\n\t<array>\n\t\t<string>health-records</string>\n\t</array>\n",
			want: []profWant{{"profile-value-mismatch", "health-records", "the profile allows no value", 0}}},
		{name: "get-task-allow true with an App Store profile",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Devices = nil; s.Entitlements["get-task-allow"] = false }),
			body: "\t<key>get-task-allow</key>\n\t<true/>\n",
			want: []profWant{{"profile-value-mismatch", "<true/>", "The file claims true; the profile has false. An App Store profile does not allow debugging", 0}}},
		{name: "booleans: true needs true, false needs nothing",
			spec: iosDev(map[string]any{"com.apple.developer.healthkit": true, "com.apple.developer.siri": false}),
			body: "\t<key>com.apple.developer.healthkit</key>\n\t<true/>\n\t<key>com.apple.developer.siri</key>\n\t<false/>\n",
			want: nil},
		{name: "boolean true against a false profile value",
			spec: iosDev(map[string]any{"com.apple.developer.siri": false}),
			body: "\t<key>com.apple.developer.siri</key>\n\t<true/>\n",
			want: []profWant{{"profile-value-mismatch", "<true/>", "the profile has false", 0}}},
		{name: "macOS: Team ID app groups pass even when the profile lists others",
			spec: macDevID(map[string]any{"com.apple.security.application-groups": []any{"group.com.example.shared"}}),
			body: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>ABCDE12345.cache</string>\n\t\t<string>group.com.example.shared</string>\n\t\t<string>group.com.example.other</string>\n\t</array>\n",
			want: []profWant{{"profile-value-mismatch", "group.com.example.other", "not authorised", 0}}},
		{name: "other build variables are left alone",
			spec: iosDev(map[string]any{"com.apple.security.application-groups": []any{"group.com.example.shared"}}),
			body: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.$(PRODUCT_BUNDLE_IDENTIFIER:lower)</string>\n\t\t<string>$(APP_GROUP)</string>\n\t</array>\n",
			want: nil},
		{name: "dictionary and integer values are not compared",
			spec: iosDev(map[string]any{"com.apple.security.hardened-process.enhanced-security-version": 1}),
			body: "\t<key>com.apple.security.hardened-process.enhanced-security-version</key>\n\t<integer>2</integer>\n",
			want: nil},
	})
}

func TestProfileExpired(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	valid := func(s *profiletest.Spec) {}
	cert := func(cn string, notAfter time.Time) profiletest.Cert {
		return profiletest.Cert{CommonName: cn, Team: profTeam, NotBefore: now.AddDate(-1, 0, 0), NotAfter: notAfter}
	}
	body := "\t<key>get-task-allow</key>\n\t<true/>\n"
	runProfileCases(t, []profCase{
		{name: "valid", spec: with(iosDev(nil), valid), body: body},
		{name: "expired profile",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Expires = now.Add(-72*time.Hour - time.Minute) }), body: body,
			want: []profWant{{"profile-expired", "<dict>", "Provisioning profile " + teamProfileName + " expired on " +
				now.Add(-72*time.Hour-time.Minute).Format("2006-01-02") + " (3 days ago)", Error}}},
		{name: "profile expiring in 5 days",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Expires = now.Add(5*24*time.Hour + time.Hour) }), body: body,
			want: []profWant{{"profile-expired", "<dict>", "(in 5 days): renew it", Warning}}},
		{name: "profile expiring in 20 days",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Expires = now.AddDate(0, 0, 20) }), body: body},
		{name: "every certificate expired",
			spec: with(iosDev(nil), func(s *profiletest.Spec) {
				s.Certs = []profiletest.Cert{cert("Apple Development: A (AAAAAAAAAA)", now.AddDate(0, 0, -10)), cert("Apple Development: B (BBBBBBBBBB)", now.AddDate(0, 0, -2))}
			}), body: body,
			want: []profWant{{"profile-expired", "<dict>", `Every certificate in provisioning profile ` + teamProfileName + ` has expired ("Apple Development: B (BBBBBBBBBB)" on`, Error}}},
		{name: "one certificate expired, one valid",
			spec: with(iosDev(nil), func(s *profiletest.Spec) {
				s.Certs = []profiletest.Cert{cert("Apple Development: A (AAAAAAAAAA)", now.AddDate(0, 0, -10)), cert("Apple Development: B (BBBBBBBBBB)", now.AddDate(0, 3, 0))}
			}), body: body},
		{name: "the only certificate expires soon",
			spec: with(iosDev(nil), func(s *profiletest.Spec) {
				s.Certs = []profiletest.Cert{cert("Apple Development: A (AAAAAAAAAA)", now.Add(10*24*time.Hour+time.Hour))}
			}), body: body,
			want: []profWant{{"profile-expired", "<dict>", "The only certificate in provisioning profile " + teamProfileName + " expires within 14 days", Warning}}},
		{name: "expired profile and certificates",
			spec: with(iosDev(nil), func(s *profiletest.Spec) {
				s.Expires = now.AddDate(0, 0, -1)
				s.Certs = []profiletest.Cert{cert("Apple Development: A (AAAAAAAAAA)", now.AddDate(0, 0, -1))}
			}), body: body,
			want: []profWant{
				{"profile-expired", "<dict>", "expired on", Error},
				{"profile-expired", "<dict>", "The only certificate", Error},
			}},
	})
}

func TestProfilePlatform(t *testing.T) {
	tvos := with(iosDev(nil), func(s *profiletest.Spec) { s.Platforms = []string{"tvOS"} })
	runProfileCases(t, []profCase{
		{name: "iOS profile, macOS target", spec: iosDev(nil), targets: Targets{Platforms: []string{"macos"}},
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
			want: []profWant{{"profile-platform", "<dict>",
				"Provisioning profile " + teamProfileName + " is for iOS, visionOS, but this file is signed for macOS (from --platform or .entitlint.json): use a profile for macOS", Error}}},
		{name: "a wrong platform is said once, not key by key", spec: iosDev(nil), targets: Targets{Platforms: []string{"macos"}},
			body: "\t<key>com.apple.developer.system-extension.install</key>\n\t<true/>\n\t<key>com.apple.developer.team-identifier</key>\n\t<string>ZZZZZ99999</string>\n",
			want: []profWant{{"profile-platform", "<dict>", "is for iOS, visionOS, but this file is signed for macOS", Error}}},
		{name: "iOS profile, file unmistakably macOS", spec: iosDev(nil),
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>com.apple.security.network.client</key>\n\t<true/>\n",
			want: []profWant{{"profile-platform", "<dict>", "signed for macOS (from its keys)", 0}}},
		{name: "macOS profile, iOS target", spec: macDevID(nil), targets: Targets{Platforms: []string{"ios"}},
			body: "\t<key>keychain-access-groups</key>\n\t<array>\n\t\t<string>ABCDE12345.shared</string>\n\t</array>\n",
			want: []profWant{{"profile-platform", "<dict>", "is for macOS, but this file is signed for iOS", 0}}},
		{name: "macOS profile, Mac Catalyst target", spec: macDevID(nil), targets: Targets{Platforms: []string{"catalyst"}},
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n"},
		{name: "iOS profile, watchOS and iPadOS targets", spec: iosDev(nil), targets: Targets{Platforms: []string{"watchos", "ipados"}},
			body: "\t<key>get-task-allow</key>\n\t<true/>\n"},
		{name: "iOS profile, tvOS target", spec: iosDev(nil), targets: Targets{Platforms: []string{"ios", "tvos"}},
			body: "\t<key>get-task-allow</key>\n\t<true/>\n",
			want: []profWant{{"profile-platform", "<dict>", "signed for tvOS", 0}}},
		{name: "tvOS profile, tvOS target", spec: tvos, targets: Targets{Platforms: []string{"tvos"}},
			body: "\t<key>get-task-allow</key>\n\t<true/>\n"},
		{name: "unknown targets: macOS profile and iOS-only keys",
			spec: macDevID(map[string]any{"com.apple.developer.homekit": true, "com.apple.developer.aps-environment": "development"}),
			body: "\t<key>aps-environment</key>\n\t<string>development</string>\n" +
				"\t<key>com.apple.developer.homekit</key>\n\t<true/>\n",
			want: []profWant{{"profile-platform", "com.apple.developer.homekit",
				"com.apple.developer.homekit is not available on macOS, but provisioning profile \"com.example.mac Developer ID\" is a macOS profile; if this file is for a Mac Catalyst target", Warning}}},
		{name: "unknown targets: iOS profile and shared keys", spec: iosDev(map[string]any{"com.apple.developer.homekit": true}),
			body: "\t<key>com.apple.developer.homekit</key>\n\t<true/>\n"},
		{name: "profile without a known platform",
			spec: with(iosDev(nil), func(s *profiletest.Spec) { s.Platforms = nil }), targets: Targets{Platforms: []string{"macos"}},
			body: "\t<key>get-task-allow</key>\n\t<true/>\n"},
	})
}
