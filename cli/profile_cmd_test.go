package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entitlint/entitlint/profile/profiletest"
)

// profileGoldenDir is absolute so tests that change directory still find it.
var profileGoldenDir, _ = filepath.Abs(filepath.Join("..", "testdata", "profile"))

func profileGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(profileGoldenDir, name)
	if *update {
		if err := os.MkdirAll(profileGoldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -run TestProfileCommand -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (run go test ./cli -run TestProfileCommand -update and review the diff):\n%s", name, got)
	}
}

// The golden profiles: fixed dates, names and certificates, so the output
// only changes when the command does.
var (
	goldenCreated = time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)
	goldenNow     = time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)
)

func goldenProfiles() map[string]profiletest.Spec {
	dev := profiletest.IOSDevelopment("ABCDE12345", "com.example.app", goldenCreated, map[string]any{
		"aps-environment":                                  "development",
		"com.apple.developer.associated-domains":           "*",
		"com.apple.security.application-groups":            []any{"group.com.example.shared"},
		"com.apple.developer.icloud-container-identifiers": []any{"iCloud.com.example.app"},
		"com.apple.developer.icloud-services":              "*",
		"com.apple.developer.ubiquity-kvstore-identifier":  "ABCDE12345.*",
	})
	dev.Extra = map[string]any{"IsXcodeManaged": true}
	dev.Certs = append(dev.Certs, profiletest.Cert{CommonName: "Apple Development: John Appleseed (QWE1234567)", Team: "ABCDE12345",
		NotBefore: goldenCreated.AddDate(-1, 0, 0), NotAfter: goldenCreated.AddDate(0, 2, 0)})
	devID := profiletest.MacDeveloperID("ABCDE12345", "com.example.vpn", goldenCreated, map[string]any{
		"com.apple.developer.networking.networkextension": []any{"packet-tunnel-provider-systemextension",
			"app-proxy-provider-systemextension", "content-filter-provider-systemextension", "dns-proxy-systemextension"},
		"com.apple.developer.system-extension.install": true,
		"com.apple.security.application-groups":        []any{"group.com.example.vpn", "ABCDE12345.*"},
	})
	return map[string]profiletest.Spec{"App_Dev.mobileprovision": dev, "VPN_Developer_ID.provisionprofile": devID}
}

func TestProfileCommand(t *testing.T) {
	dir := t.TempDir()
	for name, spec := range goldenProfiles() {
		profiletest.Write(t, dir, name, spec)
	}
	defer func(f func() time.Time) { profileNow = f }(profileNow)
	profileNow = func() time.Time { return goldenNow }
	t.Chdir(dir)
	for _, c := range []struct{ file, golden string }{
		{"App_Dev.mobileprovision", "dev.text.golden"},
		{"VPN_Developer_ID.provisionprofile", "developer-id.text.golden"},
	} {
		out, errOut, code := run(t, "", "profile", c.file)
		if code != ExitOK || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %s", c.file, code, errOut)
		}
		profileGolden(t, c.golden, out)
	}
	// --json before or after the file.
	out, errOut, code := run(t, "", "profile", "App_Dev.mobileprovision", "--json")
	if code != ExitOK {
		t.Fatalf("--json: exit %d, stderr %s", code, errOut)
	}
	profileGolden(t, "dev.json.golden", out)
	if again, _, _ := run(t, "", "profile", "--json", "App_Dev.mobileprovision"); again != out {
		t.Error("--json before the file gives another output")
	}
	var doc struct {
		Kind         string
		Expired      bool
		DaysLeft     int
		Entitlements []struct {
			Key       string
			Wildcards []string
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	wild := map[string][]string{}
	for _, e := range doc.Entitlements {
		wild[e.Key] = e.Wildcards
	}
	if doc.Kind != "development" || doc.Expired || doc.DaysLeft != 11 || len(wild["keychain-access-groups"]) != 1 || len(wild["aps-environment"]) != 0 {
		t.Errorf("JSON: %+v", doc)
	}
}

func TestProfileCommandExpired(t *testing.T) {
	dir := t.TempDir()
	spec := goldenProfiles()["App_Dev.mobileprovision"]
	path := profiletest.Write(t, dir, "Old.mobileprovision", spec)
	defer func(f func() time.Time) { profileNow = f }(profileNow)
	profileNow = func() time.Time { return spec.Expires.AddDate(0, 0, 3) }
	out, _, code := run(t, "", "profile", path)
	if code != ExitOK || !strings.Contains(out, "(expired 3 days ago)") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestProfileCommandErrors(t *testing.T) {
	dir := t.TempDir()
	good, err := goldenProfiles()["App_Dev.mobileprovision"].Build()
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := goldenProfiles()["App_Dev.mobileprovision"].Payload()
	notProfile, _ := profiletest.Sign([]byte(`<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>x</string></dict></plist>`))
	detached, _ := profiletest.SignDetached(payload)
	files := map[string][]byte{
		"random.mobileprovision":     []byte(strings.Repeat("\xff\x00garbage", 300)),
		"truncated.mobileprovision":  good[:len(good)*2/3],
		"payload.plist":              payload,
		"notprofile.mobileprovision": notProfile,
		"detached.mobileprovision":   detached,
		"empty.mobileprovision":      nil,
	}
	for name, data := range files {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"profile", filepath.Join(dir, "random.mobileprovision")}, "random.mobileprovision: not a provisioning profile: not a CMS (PKCS #7) signed message"},
		{[]string{"profile", filepath.Join(dir, "truncated.mobileprovision")}, "truncated.mobileprovision: not a provisioning profile: the CMS structure is truncated"},
		{[]string{"profile", filepath.Join(dir, "payload.plist")}, "bare property list, not a signed provisioning profile"},
		{[]string{"profile", filepath.Join(dir, "notprofile.mobileprovision")}, "has no Entitlements, UUID or ExpirationDate"},
		{[]string{"profile", filepath.Join(dir, "detached.mobileprovision")}, "carries no content"},
		{[]string{"profile", filepath.Join(dir, "empty.mobileprovision")}, "empty file"},
		{[]string{"profile", filepath.Join(dir, "missing.mobileprovision")}, "missing.mobileprovision: no such file or directory"},
		{[]string{"profile"}, "give one provisioning profile"},
		{[]string{"profile", "a", "b"}, "give one provisioning profile"},
		{[]string{"profile", "--bogus", "a"}, "flag provided but not defined"},
	}
	for _, c := range cases {
		out, errOut, code := run(t, "", c.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
	if _, errOut, code := run(t, "", "profile", "-h"); code != ExitOK || !strings.Contains(errOut, "Usage: entitlint profile") {
		t.Errorf("-h: exit %d, %q", code, errOut)
	}
}

// check --profile and the profile config field run the profile rules.
func TestCheckWithProfile(t *testing.T) {
	dir := t.TempDir()
	spec := profiletest.IOSDevelopment("ABCDE12345", "com.example.app", time.Now().AddDate(0, -1, 0), map[string]any{
		"com.apple.security.application-groups": []any{"group.com.example.shared"},
	})
	profiletest.Write(t, dir, "App_Dev.mobileprovision", spec)
	file := filepath.Join(dir, "App.entitlements")
	os.WriteFile(file, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>com.apple.developer.healthkit</key>
	<true/>
	<key>com.apple.security.application-groups</key>
	<array>
		<string>group.com.example.other</string>
	</array>
</dict>
</plist>
`), 0o644)
	want := []string{
		`App.entitlements:5:7: error: Provisioning profile "iOS Team Provisioning Profile: com.example.app" doesn't include the com.apple.developer.healthkit entitlement.`,
		`App.entitlements:9:11: error: Provisioning profile "iOS Team Provisioning Profile: com.example.app" doesn't match the entitlements file's value for the com.apple.security.application-groups entitlement.`,
		"(App_Dev.mobileprovision) [profile-value-mismatch]",
	}
	t.Chdir(dir)
	out, errOut, code := run(t, "", "check", "--no-color", "--profile", "App_Dev.mobileprovision", "App.entitlements")
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// Without the profile: no profile findings.
	if out, _, _ := run(t, "", "check", "App.entitlements"); strings.Contains(out, "profile-") {
		t.Errorf("profile findings without a profile:\n%s", out)
	}
	// The same from the config file.
	os.WriteFile(filepath.Join(dir, ".entitlint.json"), []byte(`{"profile": "App_Dev.mobileprovision"}`), 0o644)
	if out, _, code := run(t, "", "check", "--no-color", "App.entitlements"); code != ExitFindings || !strings.Contains(out, want[0]) {
		t.Errorf("with the config: exit %d\n%s", code, out)
	}
	// A bad --profile is a usage error, reported once.
	os.WriteFile(filepath.Join(dir, "Bad.mobileprovision"), []byte("garbage"), 0o644)
	_, errOut, code = run(t, "", "check", "--profile", "Bad.mobileprovision", "App.entitlements", dir)
	if code != ExitUsage || strings.Count(errOut, "Bad.mobileprovision") != 1 || !strings.Contains(errOut, "entitlint check: profile Bad.mobileprovision: not a provisioning profile") {
		t.Errorf("bad --profile: exit %d, stderr %q", code, errOut)
	}
	// A bad profile in the config is a per-file configuration error.
	os.WriteFile(filepath.Join(dir, ".entitlint.json"), []byte(`{"profile": "Missing.mobileprovision"}`), 0o644)
	if _, errOut, code := run(t, "", "check", "App.entitlements"); code != ExitUsage || !strings.Contains(errOut, "Missing.mobileprovision: no such file or directory") {
		t.Errorf("missing profile in config: exit %d, stderr %q", code, errOut)
	}
}
