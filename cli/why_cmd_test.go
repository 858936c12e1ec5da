package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const backgroundModesFile = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>aps-environment</key>
	<string>development</string>
	<key>com.apple.developer.background-modes</key>
	<array>
		<string>location</string>
	</array>
</dict>
</plist>
`

const e1 = `Provisioning profile “iOS Team Provisioning Profile: com.mybundle.id” doesn’t include the com.apple.developer.background-modes entitlement.`

func TestWhyText(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "App.entitlements")
	os.WriteFile(file, []byte(backgroundModesFile), 0o644)
	out, errOut, code := run(t, "", "why", "--file", file, "Xcode: error: "+e1)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{
		"1. Xcode: the provisioning profile does not authorise an entitlement the file claims [profile-missing-entitlement]",
		"com.apple.developer.background-modes is not an entitlement, and never was: it belongs in Info.plist: UIBackgroundModes",
		"Remove com.apple.developer.background-modes from the entitlements file and list the modes you need",
		"In your files:",
		file + ":7:7: com.apple.developer.background-modes is not an entitlement: it belongs in Info.plist (UIBackgroundModes)",
	} {
		// Prose is wrapped; compare it with the spacing collapsed.
		if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "\n   "+file+":7:7: ") {
		t.Errorf("the location is not on a line of its own:\n%s", out)
	}
}

func TestWhyNotRecognised(t *testing.T) {
	out, _, code := run(t, "", "why", "--file", os.DevNull, `Warning: unable to build chain to self-signed root for signer "Apple Development: Jane (ABCDE12345)"`)
	if code != ExitFindings || !strings.Contains(out, "Not an entitlements problem I recognise:") || !strings.Contains(out, "unable to build chain") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// A mix: the known message is explained, the other one listed.
	out, _, code = run(t, "", "why", "--file", os.DevNull, e1+"\n\nerrSecInternalComponent")
	if code != ExitOK || !strings.Contains(out, "Also pasted, not recognised (not an entitlements problem I recognise):") || !strings.Contains(out, "> errSecInternalComponent") {
		t.Errorf("mix: exit %d:\n%s", code, out)
	}
}

func TestWhyStdinAndJSON(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "App.entitlements")
	os.WriteFile(file, []byte(backgroundModesFile), 0o644)
	paste := "Unsatisfied entitlements: com.apple.security.application-groups\n\n" + e1 + "\n\nsomething else entirely went wrong here"
	for _, args := range [][]string{{"why", "--format", "json", "--file", file}, {"why", "--format", "json", "--file", file, "-"}} {
		out, errOut, code := run(t, paste, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		var rep struct {
			Version    int
			Recognised bool
			Messages   []struct {
				Kind      string
				Line      int
				Keys      []struct{ Key, Status, Advice string }
				Actions   []string
				Locations []struct {
					File         string
					Line, Column int
					Key, Note    string
				}
			}
			Unrecognised []string
			Files        []string
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if rep.Version != 1 || !rep.Recognised || len(rep.Messages) != 2 || len(rep.Unrecognised) != 1 || len(rep.Files) != 1 {
			t.Fatalf("report %+v", rep)
		}
		m := rep.Messages[1]
		if m.Kind != "profile-missing-entitlement" || m.Line != 3 || m.Keys[0].Status != "hallucinated" || len(m.Locations) != 1 ||
			m.Locations[0].Line != 7 || m.Locations[0].Column != 7 || m.Locations[0].Key != "com.apple.developer.background-modes" {
			t.Errorf("message %+v", m)
		}
	}
}

// Without --file, why looks for *.entitlements under the working directory,
// at most 4 levels down, skipping dependency folders.
func TestWhyFindsFiles(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"App/App.entitlements", "a/b/c/Deep.entitlements", "a/b/c/d/TooDeep.entitlements", "node_modules/x/X.entitlements"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(backgroundModesFile), 0o644)
	}
	t.Chdir(dir)
	out, _, code := run(t, "", "why", "--format", "json", e1)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var rep struct{ Files []string }
	json.Unmarshal([]byte(out), &rep)
	want := []string{filepath.Join("App", "App.entitlements"), filepath.Join("a", "b", "c", "Deep.entitlements")}
	if strings.Join(rep.Files, ",") != strings.Join(want, ",") {
		t.Errorf("files %v, want %v", rep.Files, want)
	}
}

func TestWhyUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"why"}, ExitUsage, "no message given"},
		{[]string{"why", "   "}, ExitUsage, "no message given"},
		{[]string{"why", "--format", "xml", "x"}, ExitUsage, "unknown --format"},
		{[]string{"why", "--file", "no/such.entitlements", e1}, ExitUsage, "no such file"},
		{[]string{"why", "-h"}, ExitOK, "Exit codes: 0 at least one message was recognised, 1 nothing was recognised"},
	}
	for _, tt := range tests {
		_, errOut, code := run(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.err) {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, errOut)
		}
	}
	out, _, _ := run(t, "", "--help")
	if !strings.Contains(out, "why ") {
		t.Errorf("usage does not list why:\n%s", out)
	}
}

// --info-plist and the infoPlist config field feed the infoplist-* rules.
func TestInfoPlistFlagAndConfig(t *testing.T) {
	dir := t.TempDir()
	ent := filepath.Join(dir, "App.entitlements")
	os.WriteFile(ent, []byte(`<plist version="1.0"><dict><key>com.apple.developer.homekit</key><true/></dict></plist>`), 0o644)
	os.WriteFile(filepath.Join(dir, "Info.plist"), []byte(`<plist version="1.0"><dict><key>UIBackgroundModes</key><array><string>remote-notification</string></array></dict></plist>`), 0o644)
	out, errOut, code := run(t, "", "check", "--fail-on", "warning", "--info-plist", filepath.Join(dir, "Info.plist"), ent)
	if code != ExitFindings || !strings.Contains(out, "infoplist-usage-description") || !strings.Contains(out, "infoplist-background-modes") ||
		!strings.Contains(out, "Info.plist declares the remote-notification background mode") {
		t.Errorf("flag: exit %d %s\n%s", code, errOut, out)
	}
	_, errOut, code = run(t, "", "check", "--info-plist", filepath.Join(dir, "Missing.plist"), ent)
	if code != ExitUsage || !strings.Contains(errOut, "Missing.plist") {
		t.Errorf("missing Info.plist: exit %d %s", code, errOut)
	}
	// The config's path is relative to the config file.
	os.WriteFile(filepath.Join(dir, ".entitlint.json"), []byte(`{"infoPlist": "Info.plist"}`), 0o644)
	t.Chdir(t.TempDir())
	out, _, _ = run(t, "", "check", "--format", "json", ent)
	if !strings.Contains(out, "infoplist-usage-description") {
		t.Errorf("config infoPlist not used:\n%s", out)
	}
	// Without an Info.plist the rules stay quiet.
	os.Remove(filepath.Join(dir, ".entitlint.json"))
	out, _, _ = run(t, "", "check", "--format", "json", ent)
	if strings.Contains(out, "infoplist-") {
		t.Errorf("infoplist rules ran without an Info.plist:\n%s", out)
	}
}
