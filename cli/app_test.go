package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entitlint/entitlint/machosig/machotest"
	"github.com/entitlint/entitlint/profile/profiletest"
)

const testTeam = "ABCDE12345"

func mustProfile(t *testing.T, s profiletest.Spec) []byte {
	t.Helper()
	data, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func signedExe(platform, minOS uint32, ident string, ents []byte, der bool) []byte {
	return signedExeFor(machotest.CPUArm64, 0, platform, minOS, ident, ents, der)
}

func signedExeFor(cpu, sub, platform, minOS uint32, ident string, ents []byte, der bool) []byte {
	sig := machotest.SigSpec{Identifier: ident, TeamID: testTeam, Entitlements: ents, Flags: 0x10000}
	if der {
		sig.DER = []byte{0x70, 0x03, 0x02, 0x01, 0x01}
	}
	return machotest.Spec{CPU: cpu, SubCPU: sub, BuildVersions: [][2]uint32{{platform, minOS}}, Sig: sig}.Build()
}

// macApp writes MyApp.app: a universal Developer ID app whose network
// extension value is the App Store one, with a widget claiming an app group
// its profile lacks and an unsigned login item.
func macApp(t *testing.T, dir string) string {
	created := time.Now().AddDate(0, -1, 0)
	appEnts := machotest.Entitlements(`	<key>com.apple.application-identifier</key>
	<string>ABCDE12345.com.example.myapp</string>
	<key>com.apple.developer.team-identifier</key>
	<string>ABCDE12345</string>
	<key>com.apple.developer.networking.networkextension</key>
	<array>
		<string>packet-tunnel-provider</string>
	</array>
	<key>com.apple.security.app-sandbox</key>
	<true/>
	<key>com.apple.security.network.client</key>
	<true/>
`)
	widgetEnts := machotest.Entitlements(`	<key>com.apple.security.app-sandbox</key>
	<true/>
	<key>com.apple.security.application-groups</key>
	<array>
		<string>group.com.example.shared</string>
	</array>
`)
	macOS13 := machotest.Version(13, 0, 0)
	fat := machotest.Fat(
		machotest.Slice{CPU: machotest.CPUX86_64, SubCPU: machotest.SubX86_64All,
			Data: signedExeFor(machotest.CPUX86_64, machotest.SubX86_64All, 1, macOS13, "com.example.myapp", appEnts, true)},
		machotest.Slice{CPU: machotest.CPUArm64, Data: signedExe(1, macOS13, "com.example.myapp", appEnts, true)})
	machotest.WriteTree(t, dir, map[string][]byte{
		"MyApp.app/Contents/Info.plist":  machotest.InfoPlist("com.example.myapp", "MyApp", true, nil),
		"MyApp.app/Contents/MacOS/MyApp": fat,
		"MyApp.app/Contents/embedded.provisionprofile": mustProfile(t, profiletest.MacDeveloperID(testTeam, "com.example.myapp", created,
			map[string]any{"com.apple.developer.networking.networkextension": []any{"packet-tunnel-provider-systemextension"}})),
		"MyApp.app/Contents/PlugIns/Widget.appex/Contents/Info.plist":   machotest.InfoPlist("com.example.myapp.widget", "Widget", false, nil),
		"MyApp.app/Contents/PlugIns/Widget.appex/Contents/MacOS/Widget": signedExe(1, macOS13, "com.example.myapp.widget", widgetEnts, true),
		"MyApp.app/Contents/PlugIns/Widget.appex/Contents/embedded.provisionprofile": mustProfile(t,
			profiletest.MacDeveloperID(testTeam, "com.example.myapp.widget", created, nil)),
		"MyApp.app/Contents/Library/LoginItems/Helper.app/Contents/Info.plist":   machotest.InfoPlist("com.example.myapp.helper", "Helper", false, nil),
		"MyApp.app/Contents/Library/LoginItems/Helper.app/Contents/MacOS/Helper": machotest.Spec{Unsigned: true}.Build(),
	})
	return filepath.Join(dir, "MyApp.app")
}

// iosIPA writes Shop.ipa: an iOS app claiming HealthKit without the
// purpose strings in its (binary) Info.plist, signed without DER
// entitlements, with a development profile that lacks HealthKit.
func iosIPA(t *testing.T, dir string) string {
	created := time.Now().AddDate(0, -1, 0)
	ents := machotest.Entitlements(`	<key>application-identifier</key>
	<string>ABCDE12345.com.example.shop</string>
	<key>aps-environment</key>
	<string>development</string>
	<key>com.apple.developer.healthkit</key>
	<true/>
	<key>get-task-allow</key>
	<true/>
`)
	files := map[string][]byte{
		"Payload/Shop.app/Info.plist": machotest.InfoPlist("com.example.shop", "Shop", true, nil),
		"Payload/Shop.app/Shop":       signedExe(2, machotest.Version(16, 0, 0), "com.example.shop", ents, false),
		"Payload/Shop.app/embedded.mobileprovision": mustProfile(t, profiletest.IOSDevelopment(testTeam, "com.example.shop", created,
			map[string]any{"aps-environment": "development"})),
		"../../escape.txt": []byte("never written"),
	}
	p := filepath.Join(dir, "Shop.ipa")
	if err := os.WriteFile(p, machotest.Zip(t, files), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type finding struct {
	File, Rule, Message string
	Range               struct{ Start struct{ Line, Column int } }
}

func jsonFindings(t *testing.T, out string) []finding {
	t.Helper()
	var rep struct{ Findings []finding }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rep.Findings
}

func fileRules(fs []finding) map[string][]string {
	out := map[string][]string{}
	for _, f := range fs {
		out[f.File] = append(out[f.File], f.Rule)
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

func TestCheckMacApp(t *testing.T) {
	dir := t.TempDir()
	macApp(t, dir)
	t.Chdir(dir)
	out, errOut, code := run(t, "", "check", "--format", "json", "MyApp.app")
	if code != ExitFindings {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	got := fileRules(jsonFindings(t, out))
	want := map[string][]string{
		"MyApp.app/Contents/MacOS/MyApp [x86_64, arm64] (embedded entitlements)":                        {"distribution", "profile-value-mismatch"},
		"MyApp.app/Contents/PlugIns/Widget.appex/Contents/MacOS/Widget [arm64] (embedded entitlements)": {"profile-missing-entitlement"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings by file:\n%v\nwant\n%v\nstderr:\n%s", got, want, errOut)
	}
	for _, w := range []string{
		"entitlint: MyApp.app/Contents/MacOS/MyApp [x86_64, arm64]: com.example.myapp, team ABCDE12345 (sha256 cdhash ",
		`; macos 13.0; profile "com.example.myapp Developer ID" (MyApp.app/Contents/embedded.provisionprofile, developer-id)`,
		"entitlint: MyApp.app/Contents/Library/LoginItems/Helper.app/Contents/MacOS/Helper: [arm64] is not signed: no entitlements to check",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	// Text output: the snippet is the extracted property list.
	out, _, _ = run(t, "", "check", "--no-color", "MyApp.app")
	for _, w := range []string{
		`MyApp.app/Contents/MacOS/MyApp [x86_64, arm64] (embedded entitlements):11:11: error: Provisioning profile "com.example.myapp Developer ID" doesn't match`,
		`the profile authorises "packet-tunnel-provider-systemextension"`,
		// The distribution comes from the embedded Developer ID profile.
		`(embedded entitlements):11:11: warning: Developer ID profiles authorise "packet-tunnel-provider-systemextension"`,
		"   11 | \t\t<string>packet-tunnel-provider</string>",
		"2 errors, 1 warning in 2 files (2 files checked)",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("text output lacks %q:\n%s", w, out)
		}
	}
}

// Flags win over the binary, the binary over the config file; the config
// file's profile (meant for source files) is not used for a built app.
func TestBuiltAppPrecedence(t *testing.T) {
	dir := t.TempDir()
	macApp(t, dir)
	t.Chdir(dir)
	os.WriteFile(".entitlint.json", []byte(`{"platforms": ["ios"], "profile": "Missing.mobileprovision", "infoPlist": "Missing.plist"}`), 0o644)
	files, stderr := checked(t, "MyApp.app")
	app := files["MyApp [x86_64, arm64] (embedded entitlements)"]
	if app == nil {
		t.Fatalf("files: %v", keysOf(files))
	}
	if !strings.Contains(stderr, "; macos 13.0; profile \"com.example.myapp Developer ID\"") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if got := app.Opts.Targets; !reflect.DeepEqual(got.Platforms, []string{"macos"}) || got.MinVersions["macos"] != "13.0" ||
		got.TeamID != testTeam || got.Distribution != "developer-id" {
		t.Errorf("targets from the binary: %+v", got)
	}
	if app.Opts.Profile == nil || app.Opts.Profile.Path != "MyApp.app/Contents/embedded.provisionprofile" ||
		app.Opts.InfoPlistPath != "MyApp.app/Contents/Info.plist" || app.Opts.InfoPlist == nil {
		t.Errorf("profile %+v, Info.plist %q", app.Opts.Profile, app.Opts.InfoPlistPath)
	}

	profiletest.Write(t, dir, "Other.provisionprofile", profiletest.MacDeveloperID("ZZZZZ99999", "com.example.other", time.Now().AddDate(0, -1, 0), nil))
	files, stderr = checked(t, "--platform", "catalyst", "--team-id", "ZZZZZ99999", "--profile", "Other.provisionprofile", "MyApp.app")
	app = files["MyApp [x86_64, arm64] (embedded entitlements)"]
	if got := app.Opts.Targets; !reflect.DeepEqual(got.Platforms, []string{"catalyst"}) || got.TeamID != "ZZZZZ99999" || got.Distribution != "" {
		t.Errorf("targets with flags: %+v", got)
	}
	if app.Opts.Profile == nil || app.Opts.Profile.Name != "com.example.other Developer ID" {
		t.Errorf("--profile not used: %+v", app.Opts.Profile)
	}
	if !strings.Contains(stderr, "; catalyst; profile Other.provisionprofile (--profile)") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func keysOf(m map[string]*fileResult) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCheckIPA(t *testing.T) {
	dir := t.TempDir()
	iosIPA(t, dir)
	t.Chdir(dir)
	out, errOut, code := run(t, "", "check", "--format", "json", "Shop.ipa")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	fs := jsonFindings(t, out)
	file := "Shop.ipa/Payload/Shop.app/Shop [arm64] (embedded entitlements)"
	if got := fileRules(fs); !reflect.DeepEqual(got, map[string][]string{file: {"infoplist-usage-description", "infoplist-usage-description", "profile-missing-entitlement"}}) {
		t.Errorf("findings: %v", got)
	}
	for _, f := range fs {
		if f.Rule == "infoplist-usage-description" && !strings.Contains(f.Message, "Shop.ipa/Payload/Shop.app/Info.plist") {
			t.Errorf("the bundle's Info.plist is not named: %s", f.Message)
		}
		if f.Rule == "profile-missing-entitlement" && (f.Range.Start.Line != 9 || !strings.Contains(f.Message, "com.apple.developer.healthkit")) {
			t.Errorf("position in the extracted plist: %+v", f)
		}
	}
	for _, w := range []string{
		"entitlint: Shop.ipa: 1 archive entries with absolute or \"..\" names ignored",
		"entitlint: Shop.ipa/Payload/Shop.app/Shop [arm64]: com.example.shop, team ABCDE12345",
		`; ios 16.0; profile "iOS Team Provisioning Profile: com.example.shop" (Shop.ipa/Payload/Shop.app/embedded.mobileprovision, development)`,
		"entitlint: Shop.ipa/Payload/Shop.app/Shop [arm64]: warning: the signature has no DER entitlements",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "escape.txt")); err == nil {
		t.Error("an archive entry was written")
	}
}

// A Mach-O named on its own is sniffed by its magic; its platform and
// team come from the binary; there is no profile.
func TestCheckBinary(t *testing.T) {
	dir := t.TempDir()
	ents := machotest.Entitlements("\t<key>com.apple.developer.app-groups</key>\n\t<array>\n\t\t<string>group.x</string>\n\t</array>\n")
	os.WriteFile(filepath.Join(dir, "tool"), signedExe(1, machotest.Version(14, 0, 0), "com.example.tool", ents, true), 0o755)
	t.Chdir(dir)
	out, errOut, code := run(t, "", "check", "--no-color", "tool")
	if code != ExitFindings || !strings.Contains(out, `tool [arm64] (embedded entitlements):5:7: error: "com.apple.developer.app-groups" is not an entitlement`) {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "entitlint: tool [arm64]: com.example.tool, team ABCDE12345") || !strings.Contains(errOut, "; macos 14.0; no embedded profile") {
		t.Errorf("stderr:\n%s", errOut)
	}
	// fix never touches a binary.
	_, errOut, code = run(t, "", "fix", "tool")
	if code != ExitUsage || !strings.Contains(errOut, "entitlint: tool: entitlements embedded in a code signature cannot be fixed") {
		t.Errorf("fix: exit %d, %s", code, errOut)
	}
	if data, _ := os.ReadFile("tool"); !strings.Contains(string(data), "com.apple.developer.app-groups") {
		t.Error("the binary was changed")
	}
}

func TestBuiltErrors(t *testing.T) {
	dir := t.TempDir()
	good := signedExe(2, machotest.Version(16, 0, 0), "com.example.a", machotest.Entitlements(""), true)
	machotest.WriteTree(t, dir, map[string][]byte{
		"Script.app/Info.plist":             machotest.InfoPlist("com.example.script", "Script", true, nil),
		"Script.app/Script":                 []byte("#!/bin/sh\n"),
		"Cut.app/Info.plist":                machotest.InfoPlist("com.example.cut", "Cut", true, nil),
		"Cut.app/Cut":                       good[:len(good)-100],
		"Junk.app/Info.plist":               machotest.InfoPlist("com.example.junk", "Junk", true, nil),
		"Junk.app/Junk":                     good,
		"Junk.app/embedded.mobileprovision": []byte("not a profile"),
		"NoInfo.app/NoInfo":                 good,
		"Plain.entitlements.app/x":          []byte("x"),
		"notes.ipa":                         []byte("not a zip"),
		"BadSig":                            machotest.Spec{Signature: []byte("garbage signature bytes")}.Build(),
	})
	t.Chdir(dir)
	for _, tt := range []struct {
		path string
		code int
		want string
	}{
		{"Script.app", ExitUsage, "entitlint: Script.app: Script.app/Script: not a Mach-O executable"},
		{"Cut.app", ExitUsage, "entitlint: Cut.app/Cut [arm64]: LC_CODE_SIGNATURE points at"},
		{"Junk.app", ExitOK, "entitlint: Junk.app/Junk: embedded profile Junk.app/embedded.mobileprovision is unreadable, profile checks skipped: not a provisioning profile"},
		{"NoInfo.app", ExitUsage, "entitlint: NoInfo.app: NoInfo.app/Info.plist: no such file or directory: not an app bundle"},
		{"notes.ipa", ExitUsage, "entitlint: notes.ipa: not an .ipa: zip: not a valid zip file"},
		{"BadSig", ExitUsage, "entitlint: BadSig [arm64]: code signature does not start with the embedded-signature magic"},
	} {
		_, errOut, code := run(t, "", "check", tt.path)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", tt.path, code, tt.code, errOut)
		}
	}
	// fix refuses built products before reading them.
	if _, errOut, code := run(t, "", "fix", "Junk.app"); code != ExitUsage || !strings.Contains(errOut, "cannot be fixed") {
		t.Errorf("fix: exit %d, %s", code, errOut)
	}
}
