package errdecode

import (
	"strings"
	"testing"

	"github.com/entitlint/entitlint/catalog"
)

// decodeCase is one message and what Decode must make of it: the kind
// ("" when it must not be recognised) and the keys it names, each with its
// catalog status ("key=status").
type decodeCase struct {
	id   string // seed-facts section 6 row, or the source of the wording
	text string
	kind string
	keys []string
}

// seedMessages is every row of seed-facts section 6 ("Error messages users
// hit"), with the seed's wording. Rows whose cause is not an entitlement
// must not be recognised: entitlint says so instead of guessing.
var seedMessages = []decodeCase{
	{"E1", `Provisioning profile "iOS Team Provisioning Profile: com.mybundle.id" doesn't include the com.apple.developer.background-modes entitlement.` + "\nAutomatic signing failed.",
		"profile-missing-entitlement", []string{"com.apple.developer.background-modes=hallucinated"}},
	{"E2", `Provisioning profile "iOS Team Provisioning Profile: "" doesn't include the com.apple.developer.callkit.call-directory entitlement.`,
		"profile-missing-entitlement", []string{"com.apple.developer.callkit.call-directory=hallucinated"}},
	{"E3", `Automatic signing failed Xcode failed to provision this target. Please file a bug report at https://feedbackassistant.apple.com and include the Update Signing report from the Report navigator.` +
		"\n" + `Provisioning profile "iOS Team Provisioning Profile: com.kikk.morsecode" doesn't include the com.apple.developer.in-app-purchase entitlement.`,
		"profile-missing-entitlement", []string{"com.apple.developer.in-app-purchase=hallucinated"}},
	{"E4", `Validation failed (409) Invalid Code Signing Entitlements. Your application bundle's signature contains code signing entitlements that are not supported on iOS. Specifically, key 'com.apple.developer.in-app-purchase' in 'Payload/[Removed].app/[Removed]' is not supported.`,
		"asc-unsupported-entitlement", []string{"com.apple.developer.in-app-purchase=hallucinated"}},
	{"E5", `Invalid code signing entitlements. Your application bundle’s signature contains code signing entitlements that aren’t supported on macOS. Specifically, the “[group.]” value for the com.apple.security.application-groups key … isn’t supported.`,
		"asc-unsupported-entitlement", []string{"com.apple.security.application-groups=real"}},
	{"E6", `Provisioning profile failed qualification Profile doesn't support App Groups.`,
		"profile-qualification", []string{"com.apple.security.application-groups=real"}},
	{"E7", `Provisioning profile "Mac Team Direct Provisioning Profile: ” failed qualification checks: Profile doesn't match the entitlements file's value for the com.apple.developer.networking.networkextension entitlement.`,
		"profile-value-mismatch", []string{"com.apple.developer.networking.networkextension=real"}},
	{"E8", `taskgated-helper <bundleid>: Unsatisfied entitlements: com.apple.developer.networking.networkextension, com.apple.developer.team-identifier`,
		"unsatisfied-entitlements", []string{"com.apple.developer.networking.networkextension=real", "com.apple.developer.team-identifier=real"}},
	{"E9", `Unsatisfied entitlements: com.apple.security.application-groups`,
		"unsatisfied-entitlements", []string{"com.apple.security.application-groups=real"}},
	{"E10", `The capability associated with "FAMILY_CONTROLS" could not be determined. Please file a bug report at https://feedbackassistant.apple.com and include the Update Signing report from the Report navigator.`,
		"capability-unknown", []string{"FAMILY_CONTROLS=hallucinated", "com.apple.developer.family-controls=real"}},
	{"E11", `provisioning errors (0xe8008015)`, "", nil},
	{"E12", `Failed to verify code signature of … : 0xe8008018 (The identity used to sign the executable is no longer valid.)`, "", nil},
	{"E13", `Warning: unable to build chain to self-signed root for signer "Apple Development: …"` + "\nerrSecInternalComponent", "", nil},
	{"E14", `error: The specified item could not be found in the keychain.` + "\nCSSMERR_TP_CERT_EXPIRED", "", nil},
	{"E15", `There is no signing certificate "iOS Development" found. No "iOS Development" signing certificate matching team ID "V7D5YBZRMV" with a private key was found.`, "", nil},
	{"E16", `Validation failed (409) Invalid Provisioning Profile. The provisioning profile included in the bundle … is invalid. [Missing code-signing certificate.]`, "", nil},
	{"E17", `The specified iOS provisioning profile '{profile}' could not be found. Please enable Automatic Provisioning from the iOS Bundle Signing page.`, "", nil},
	{"E18", `Provisioning profile does not allow this device.` + "\nThe application cannot be opened for an unexpected reason\nLaunchd job spawn failed", "", nil},
	{"E19", `The application “NoExec” can’t be opened.`, "trusted-execution-kill", nil},
	{"E19b", `You do not have permission to open the application “NoExec”.`, "trusted-execution-kill", nil},
	{"E20", `zsh: killed     OverClaim.app/Contents/MacOS/OverClaim`, "trusted-execution-kill", nil},
	{"E21", `Exception Type:  EXC_CRASH (SIGKILL (Code Signature Invalid))`, "", nil},
	{"E22", `Invalid Signature. Code failed to satisfy specified code requirement(s).` + "\n" + `Make sure you have signed your application with a distribution certificate, not an ad hoc certificate or a development certificate.`, "", nil},
	{"E23", `xpc_support_check_token: anchor apple error: Error Domain=NSOSStatusErrorDomain Code=-67050`, "", nil},
	{"E24", `in-kernel: com.apple.shortcuts.ShortcutsCommandLine disallowed without com.apple.private.security.restricted-application-groups`,
		"private-entitlement-required", []string{"com.apple.private.security.restricted-application-groups=private"}},
	{"E25", `exec_mach_imgact: not running binary "shortcuts" built against preview arm64e ABI`, "", nil},
	{"E26", `kernel (Sandbox) System Policy: mkdir(8917) deny(1) file-write-create /Applications/Google Chrome.app/foo`, "", nil},
	{"E27", `rejected, source=no usable signature` + "\nThe binary is not signed.", "", nil},
	{"E28", `A Notarization ticket is not stapled to this application.` + "\nFile added after outer app bundle was codesigned.", "", nil},
	{"E29", `dyld[88394]: Library not loaded: @rpath/CoreWaffleVarnishing.framework/Versions/A/CoreWaffleVarnishing`, "", nil},
	{"E30", `zsh: permission denied: NoExec.app/Contents/MacOS/NoExec`, "", nil},
	{"E31", `Gatekeeper-Can't evaluate` + "\nSigned By- Can't verify signature", "", nil},
	{"E32", "Trap inside `_libsecinit_appsandbox`", "", nil},
	{"E33", `Unidentified-developer prompt after signing a DMG`, "", nil},
	{"E34", `status: In Progress`, "", nil},
	// E35 is Determining's description, not a message; its real-world
	// form is Xcode's signing preamble on its own.
	{"E35", `Xcode reports this as a code signing error`, "", nil},
	{"E35 as pasted", `Automatic signing failed.`, "automatic-signing-failed", nil},
}

// moreMessages are entitlement messages beyond the seed posts, with the
// wording users report (TN2415, App Store Connect mails, Xcode).
var moreMessages = []decodeCase{
	{"ITMS-90045", `ERROR ITMS-90045: "Invalid Code Signing Entitlements. Your application bundle's signature contains code signing entitlements that are not supported on iOS. Specifically, key 'com.apple.developer.user-fonts' in 'Payload/ExpoKitApp.app/ExpoKitApp' is not supported."`,
		"asc-unsupported-entitlement", []string{"com.apple.developer.user-fonts=real"}},
	{"ITMS-90045 private", `ERROR ITMS-90045: "Invalid Code Signing Entitlements. Your application bundle's signature contains code signing entitlements that are not supported on iOS. Specifically, key 'com.apple.private.security.container-required' in 'Payload/App.app/App' is not supported."`,
		"asc-unsupported-entitlement", []string{"com.apple.private.security.container-required=private"}},
	{"ITMS-90163", `ERROR ITMS-90163: "Invalid Code Signing Entitlements. The entitlements in your app bundle signature do not match the ones that are contained in the provisioning profile. The bundle contains a key that is not included in the provisioning profile: 'com.apple.developer.icloud-container-development-container-identifiers' in 'Payload/MyProject.app/MyProject'."`,
		"asc-key-not-in-profile", []string{"com.apple.developer.icloud-container-development-container-identifiers=real"}},
	{"ITMS-90164 get-task-allow", `ERROR ITMS-90164: "Invalid Code Signing Entitlements. The entitlements in your app bundle signature do not match the ones that are contained in the provisioning profile. According to the provisioning profile, the bundle contains a key value that is not allowed: 'true' for the key 'get-task-allow' in 'Payload/App.app/App'."`,
		"asc-value-not-allowed", []string{"get-task-allow=real"}},
	{"90164 keychain", `Asset validation failed (90164)` + "\n" + `Invalid Code Signing Entitlements. The entitlements in your app bundle signature do not match the ones that are contained in the provisioning profile. According to the provisioning profile, the bundle contains a key value that is not allowed: '[ "com.example.app" ]' for the key 'keychain-access-groups' in 'Payload/Play.app/Play'. (ID: 0a1b2c3d)`,
		"asc-value-not-allowed", []string{"keychain-access-groups=real"}},
	{"ITMS-90786", `ERROR ITMS-90786: "Invalid Entitlement. Apps that contain the 'com.apple.developer.coremedia.hls.low-latency' entitlement must be built with the iOS 13.0 SDK or later."`,
		"asc-entitlement-sdk", []string{"com.apple.developer.coremedia.hls.low-latency=real"}},
	{"ITMS-90078", `ITMS-90078: Missing Push Notification Entitlement - Your app appears to register with the Apple Push Notification service, but the app signature's entitlements do not include the 'aps-environment' entitlement. If your app uses the Apple Push Notification service, make sure your App ID is enabled for Push Notification in the Provisioning Portal, and resubmit after signing your app with a Distribution provisioning profile that includes the 'aps-environment' entitlement.`,
		"asc-missing-push", []string{"aps-environment=real"}},
	{"ITMS-90078 2024", `ITMS-90078: Missing potentially required entitlement - Your app, or a library that’s included in your app, uses Apple Push Notification service (APNs) registration APIs, but the APS Environment Entitlement isn’t included in the app signature’s entitlements.`,
		"asc-missing-push", []string{"aps-environment=real"}},
	{"ITMS-90296", `ERROR ITMS-90296: "App sandbox not enabled. The following executables must include the "com.apple.security.app-sandbox" entitlement with a Boolean value of true in the entitlements property list: [( "com.MyApp.pkg/Payload/MyApp.app/Contents/MacOS/MyApp" )]"`,
		"asc-sandbox-not-enabled", []string{"com.apple.security.app-sandbox=real"}},
	{"ITMS-90683", `ITMS-90683: Missing purpose string in Info.plist - Your app’s code references one or more APIs that access sensitive user data, or the app has one or more entitlements that permit such access. The Info.plist file for the “Home Assistant.app” bundle should contain a NSHealthUpdateUsageDescription key with a user-facing purpose string explaining clearly and completely why your app needs the data.`,
		"missing-purpose-string", []string{"com.apple.developer.healthkit=real"}},
	{"TCC crash", `Termination Reason:    Namespace TCC, Code 0` + "\n" + `This app has crashed because it attempted to access privacy-sensitive data without a usage description. The app's Info.plist must contain an NSBluetoothAlwaysUsageDescription key with a string value explaining to the user how the app uses this data.`,
		"missing-purpose-string", []string{"com.apple.security.device.bluetooth=real"}},
	{"0xE8008016 TN2415", `The executable was signed with invalid entitlements. The entitlements specified in your application's Code Signing Entitlements file do not match those specified in your provisioning profile.`,
		"invalid-entitlements-install", nil},
	{"0xe8008016 installd", `Failed to verify code signature of /var/installd/Library/Caches/com.apple.mobile.installd.staging/temp.PXCbNS/extracted/Payload/App.app : 0xe8008016 (The executable was signed with invalid entitlements.)`,
		"invalid-entitlements-install", nil},
	{"0xE8008016 Xcode 10", `The entitlements specified in your application’s Code Signing Entitlements file are invalid, not permitted, or do not match those specified in your provisioning profile. (0xE8008016).`,
		"invalid-entitlements-install", nil},
	{"AMFI", `Failed to parse entitlements: AMFIUnserializeXML: syntax error near line 12`, "amfi-syntax-error", nil},
	{"not found", `Entitlement com.apple.developer.push-notifications not found and could not be included in profile. This likely is not a valid entitlement and should be removed from your entitlements file.`,
		"entitlement-not-found", []string{"com.apple.developer.push-notifications=hallucinated"}},
	{"capability", `Provisioning profile "iOS Team Provisioning Profile: com.example.app" doesn't support the Push Notifications capability.`,
		"profile-missing-capability", []string{"aps-environment=real", "com.apple.developer.aps-environment=real"}},
	{"two keys", `Provisioning profile "iOS Team Provisioning Profile: com.example.app" doesn't include the com.apple.developer.healthkit and com.apple.developer.app-groups entitlements.`,
		"profile-missing-entitlement", []string{"com.apple.developer.healthkit=real", "com.apple.developer.app-groups=hallucinated"}},
	{"kvstore", `Provisioning profile "iOS Team Provisioning Profile: com.xxx.xxx" doesn't match the entitlements file's value for the com.apple.developer.ubiquity-kvstore-identifier entitlement.`,
		"profile-value-mismatch", []string{"com.apple.developer.ubiquity-kvstore-identifier=real"}},
	{"modified", `Entitlements file "Cotabby-Debug.entitlements" was modified during the build, which is not supported. You can disable this error by setting 'CODE_SIGN_ALLOW_ENTITLEMENTS_MODIFICATION' to 'YES', however this may cause the built product's code signature or provisioning profile to contain incorrect entitlements.`,
		"entitlements-modified-during-build", nil},
	{"missing file", `The file "/PATH/nativescript/platforms/ios/PROJECT_NAME/PROJECT_NAME.entitlements" could not be opened. Verify the value of the CODE_SIGN_ENTITLEMENTS build setting for target "nativescript" and build configuration "Release" is correct and that the file exists on disk.`,
		"entitlements-file-missing", nil},
	{"unknown key", `Provisioning profile "iOS Team Provisioning Profile: com.example.app" doesn't include the com.apple.developer.healthkitt entitlement.`,
		"profile-missing-entitlement", []string{"com.apple.developer.healthkitt=unknown"}},
}

// seed returns the wording of a seed row.
func seed(id string) string {
	for _, c := range seedMessages {
		if c.id == id {
			return c.text
		}
	}
	panic("no seed message " + id)
}

func checkCases(t *testing.T, cases []decodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			r := Decode(tc.text, nil)
			if tc.kind == "" {
				if r.Recognised() {
					t.Fatalf("recognised as %s (%s); want not recognised", r.Decoded[0].Kind, r.Decoded[0].Message)
				}
				if len(r.Unrecognised) == 0 {
					t.Errorf("not recognised, but not listed as unrecognised either")
				}
				return
			}
			if len(r.Decoded) != 1 {
				var kinds []string
				for _, d := range r.Decoded {
					kinds = append(kinds, d.Kind)
				}
				t.Fatalf("decoded %d messages %v, want one %s", len(r.Decoded), kinds, tc.kind)
			}
			d := r.Decoded[0]
			if d.Kind != tc.kind {
				t.Errorf("kind %s, want %s", d.Kind, tc.kind)
			}
			var got []string
			for _, k := range d.Keys {
				got = append(got, k.Key+"="+k.Status)
				if k.Advice == "" {
					t.Errorf("%s has no advice", k.Key)
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.keys, " ") {
				t.Errorf("keys %v, want %v", got, tc.keys)
			}
			if wantLine := 1 + strings.Count(tc.text[:strings.Index(tc.text, d.Message[:12])], "\n"); d.Line != wantLine {
				t.Errorf("line %d, want %d", d.Line, wantLine)
			}
			if d.Title == "" || d.Source == "" || len(d.Meaning) < 40 || len(d.Actions) == 0 || d.Message == "" {
				t.Errorf("incomplete: %+v", d)
			}
			if len(r.Unrecognised) > 0 {
				t.Errorf("left over as unrecognised: %q", r.Unrecognised)
			}
		})
	}
}

func TestSeedMessages(t *testing.T) { checkCases(t, seedMessages) }
func TestMoreMessages(t *testing.T) { checkCases(t, moreMessages) }

// Advice comes from the catalog: replacements for hallucinations,
// capabilities for real keys, removal for private keys.
func TestAdviceFromCatalog(t *testing.T) {
	r := Decode(`Provisioning profile "P" doesn't include the com.apple.developer.app-groups entitlement.`, nil)
	k := r.Decoded[0].Keys[0]
	if k.Replacement != "com.apple.security.application-groups" || !strings.Contains(strings.Join(r.Decoded[0].Actions, " "), "Replace com.apple.developer.app-groups with com.apple.security.application-groups") {
		t.Errorf("hallucination: %+v %q", k, r.Decoded[0].Actions)
	}
	r = Decode(`Provisioning profile "P" doesn't include the com.apple.developer.homekit entitlement.`, nil)
	if acts := strings.Join(r.Decoded[0].Actions, " "); !strings.Contains(acts, "Add the HomeKit capability") {
		t.Errorf("real key: %q", acts)
	}
	r = Decode(`Provisioning profile "P" doesn't include the com.apple.developer.push-notifications entitlement.`, nil)
	if k := r.Decoded[0].Keys[0]; k.Replacement != "aps-environment" || !strings.Contains(k.Advice, "com.apple.developer.aps-environment on macOS") {
		t.Errorf("platform replacement: %+v", k)
	}
	r = Decode(`Unsatisfied entitlements: com.apple.security.application-groups`, nil)
	if acts := strings.Join(r.Decoded[0].Actions, " "); !strings.Contains(acts, "validation-required") {
		t.Errorf("app groups on macOS: %q", acts)
	}
	// A key the platform lacks.
	r = Decode(`Invalid Code Signing Entitlements. Your application bundle's signature contains code signing entitlements that are not supported on iOS. Specifically, key 'com.apple.security.app-sandbox' in 'Payload/A.app/A' is not supported.`, nil)
	if k := r.Decoded[0].Keys[0]; !strings.Contains(k.Advice, "does not exist on iOS") {
		t.Errorf("platform: %s", k.Advice)
	}
	// The Developer ID network extension case names the suffix.
	r = Decode(seed("E7"), nil)
	if acts := strings.Join(r.Decoded[0].Actions, " "); !strings.Contains(acts, "-systemextension") {
		t.Errorf("NE: %q", acts)
	}
	// An extra catalog is used when given.
	if r := Decode(`Unsatisfied entitlements: com.apple.developer.homekit`, catalog.Builtin()); r.Decoded[0].Keys[0].Status != "real" {
		t.Error("explicit catalog")
	}
}

// Pasted text is messy: curly quotes, wrapped lines, prefixes, several
// messages at once, repeats.
func TestMessyInput(t *testing.T) {
	wrapped := "Xcode: error: Provisioning profile “iOS Team Provisioning Profile: com.mybundle.id”\n   doesn’t include the\n\tcom.apple.developer.background-modes   entitlement."
	r := Decode(wrapped, nil)
	if len(r.Decoded) != 1 || r.Decoded[0].Kind != "profile-missing-entitlement" || r.Decoded[0].Keys[0].Key != "com.apple.developer.background-modes" {
		t.Fatalf("wrapped: %+v", r.Decoded)
	}
	if !strings.Contains(r.Decoded[0].Message, `"iOS Team Provisioning Profile: com.mybundle.id" doesn't include the com.apple.developer.background-modes entitlement.`) {
		t.Errorf("message not normalised: %q", r.Decoded[0].Message)
	}
	many := strings.Join([]string{
		seed("E1"),             // E1
		"",                     //
		"error: " + seed("E4"), // E4
		"warning: errSecInternalComponent happened.", // not ours
		seed("E8"), // E8
		"",
		"Some unrelated build log line that says nothing useful",
		seed("E24"), // E24
	}, "\n")
	r = Decode(many, nil)
	var kinds []string
	for _, d := range r.Decoded {
		kinds = append(kinds, d.Kind)
	}
	want := "profile-missing-entitlement asc-unsupported-entitlement unsatisfied-entitlements private-entitlement-required"
	if strings.Join(kinds, " ") != want {
		t.Errorf("kinds %v\nwant %s", kinds, want)
	}
	if r.Decoded[2].Line != 6 || r.Decoded[3].Line != 9 {
		t.Errorf("lines %d %d", r.Decoded[2].Line, r.Decoded[3].Line)
	}
	if len(r.Unrecognised) != 2 || !strings.Contains(r.Unrecognised[0], "errSecInternalComponent") || !strings.Contains(r.Unrecognised[1], "unrelated build log") {
		t.Errorf("unrecognised %q", r.Unrecognised)
	}
	// installd prints the 0xe8008016 text twice: one explanation.
	twice := "Unable to install \"App\"\nThe executable was signed with invalid entitlements.\nThe entitlements specified in your application’s Code Signing Entitlements file do not match those specified in your provisioning profile. (0xE8008016)."
	if r := Decode(twice, nil); len(r.Decoded) != 1 || len(r.Unrecognised) != 0 {
		t.Errorf("repeat not merged: %d, left over %q", len(r.Decoded), r.Unrecognised)
	}
	// Nothing at all.
	if r := Decode("   \n\n", nil); r.Recognised() || len(r.Unrecognised) != 0 {
		t.Errorf("blank: %+v", r)
	}
}

func TestLocate(t *testing.T) {
	src := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<!-- added by hand -- do not remove -->
	<key>com.apple.developer.background-modes</key>
	<array>
		<string>location</string>
	</array>
	<key>com.apple.security.application-groups</key>
	<array>
		<string>group.</string>
		<string>group.com.example.ok</string>
	</array>
	<key>com.apple.developer.homekit</key>
	<true/>
	<key>keychain-access-groups</key>
	<array>
		<string>$(AppIdentifierPrefix)com.example.shared</string>
	</array>
</dict>
</plist>
`)
	loc := func(text string) []string {
		r := Decode(text, nil)
		if !r.Recognised() {
			t.Fatalf("not recognised: %s", text)
		}
		var out []string
		for _, l := range r.Decoded[0].Locate("App.entitlements", src, nil) {
			out = append(out, l.String())
		}
		return out
	}
	tests := []struct {
		text string
		want []string
	}{
		{seed("E1"), []string{"App.entitlements:5:7: com.apple.developer.background-modes is not an entitlement: it belongs in Info.plist (UIBackgroundModes)"}},
		{seed("E5"), []string{"App.entitlements:9:7: com.apple.security.application-groups is claimed here",
			`App.entitlements:11:11: app group "group." is neither group.<name> nor <TeamID>.<name>`}},
		{`Failed to parse entitlements: AMFIUnserializeXML: syntax error near line 4`, []string{
			"App.entitlements:4:",
			"App.entitlements:4:1: line 4, where AMFI stopped"}},
		{`The executable was signed with invalid entitlements.`, []string{`App.entitlements:5:7: "com.apple.developer.background-modes" is not an entitlement`}},
		{`ITMS-90683: Missing purpose string in Info.plist - The Info.plist file for the “A.app” bundle should contain a NSHomeKitUsageDescription key with a user-facing purpose string.`,
			[]string{"App.entitlements:14:7: com.apple.developer.homekit needs NSHomeKitUsageDescription in Info.plist"}},
		{`ERROR ITMS-90296: "App sandbox not enabled. The following executables must include the "com.apple.security.app-sandbox" entitlement with a Boolean value of true in the entitlements property list: [( "A.pkg/Payload/A.app/Contents/MacOS/A" )]"`,
			[]string{"App.entitlements:3:1: no com.apple.security.app-sandbox in this file"}},
		{seed("E20"), []string{`App.entitlements:5:7: "com.apple.developer.background-modes" is not an entitlement`, "App.entitlements:16:7: keychain-access-groups is restricted"}},
	}
	for _, tt := range tests {
		got := loc(tt.text)
		if len(got) != len(tt.want) {
			t.Errorf("%.60s…:\n got %q\nwant %q", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tt.want[i]) {
				t.Errorf("%.60s…: location %d = %q, want prefix %q", tt.text, i, got[i], tt.want[i])
			}
		}
	}
}

// Hostile input never panics and stays fast.
func TestHostileInput(t *testing.T) {
	inputs := []string{
		strings.Repeat(`Provisioning profile "`, 1000),
		strings.Repeat("Unsatisfied entitlements: ab, ", 600),
		strings.Repeat("\u201c\u2019\n", 2000),
		"\x00\xff\xfe" + strings.Repeat("x", 20000),
	}
	for _, in := range inputs {
		r := Decode(in, nil)
		for _, d := range r.Decoded {
			d.Locate("x.entitlements", []byte(in), nil)
		}
	}
}
