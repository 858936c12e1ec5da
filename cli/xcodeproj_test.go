package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	shopProject     = "testdata/xcodeproj/Shop/Shop.xcodeproj"
	firewallProject = "testdata/xcodeproj/Firewall/Firewall.xcodeproj"
)

// checked runs check in-process and returns what each file was checked
// with, keyed by "base name" (plus a counter for repeats).
func checked(t *testing.T, args ...string) (map[string]*fileResult, string) {
	t.Helper()
	var errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errb}
	f := newCheckFlags("check", env.Stderr)
	if err := f.fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	r, err := newRunner(f, env)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*fileResult{}
	for _, fr := range r.checkAll(f.fs.Args()) {
		if fr.Err != nil {
			t.Fatalf("%s: %v", fr.Path, fr.Err)
		}
		key := filepath.Base(fr.Path)
		for i := 2; out[key] != nil; i++ {
			key = filepath.Base(fr.Path) + "#" + string(rune('0'+i))
		}
		out[key] = fr
	}
	return out, errb.String()
}

func rulesOf(fr *fileResult) []string {
	var out []string
	for _, f := range fr.Result.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// The iOS project: the app and its widget are checked for iOS and Mac
// Catalyst with each target's deployment target, the project's Team ID and
// the Info.plist Xcode builds (file plus INFOPLIST_KEY_ settings).
func TestProjectModeShop(t *testing.T) {
	t.Chdir("..")
	files, stderr := checked(t, shopProject)
	if len(files) != 2 {
		t.Fatalf("checked %d files, want the app and the widget once each (Debug and Release agree)", len(files))
	}
	app, widget := files["Shop.entitlements"], files["ShopWidget.entitlements"]
	if app == nil || widget == nil {
		t.Fatalf("files %v", files)
	}
	if app.Path != filepath.Join("testdata", "xcodeproj", "Shop", "Shop", "Shop.entitlements") {
		t.Errorf("path %q", app.Path)
	}
	tg := app.Opts.Targets
	if !reflect.DeepEqual(tg.Platforms, []string{"ios", "catalyst"}) || !reflect.DeepEqual(tg.MinVersions, map[string]string{"ios": "16.0", "catalyst": "16.0"}) || tg.TeamID != "ABCDE12345" {
		t.Errorf("app targets %+v", tg)
	}
	if wt := widget.Opts.Targets; wt.MinVersions["ios"] != "17.0" || wt.MinVersions["catalyst"] != "17.0" || wt.TeamID != "ABCDE12345" {
		t.Errorf("widget targets %+v", wt)
	}
	if app.Opts.InfoPlist == nil || !strings.Contains(app.Opts.InfoPlistPath, "Shop/Info.plist (+ INFOPLIST_KEY_ build settings)") {
		t.Errorf("app Info.plist %q", app.Opts.InfoPlistPath)
	}
	// NSHealthShareUsageDescription comes from INFOPLIST_KEY_ settings, so
	// only the update string is missing; the deployment target reaches the
	// availability rule.
	wantRules := []string{"infoplist-background-modes", "infoplist-usage-description", "platform-availability"}
	if got := rulesOf(app); !reflect.DeepEqual(got, wantRules) {
		t.Errorf("app findings %v, want %v", got, wantRules)
	}
	for _, f := range app.Result.Findings {
		switch f.Rule {
		case "infoplist-usage-description":
			if !strings.Contains(f.Message, "NSHealthUpdateUsageDescription") {
				t.Errorf("usage: %s", f.Message)
			}
		case "platform-availability":
			if !strings.Contains(f.Message, "deployment target is 16.0") {
				t.Errorf("availability: %s", f.Message)
			}
		}
	}
	if got := rulesOf(widget); len(got) != 0 {
		t.Errorf("widget findings %v", got)
	}
	for _, want := range []string{
		"Shop.entitlements: target Shop (Debug, Release); ios 16.0, catalyst 16.0; team ABCDE12345; Info.plist",
		"ShopWidget.entitlements: target ShopWidgetExtension (Debug, Release); ios 17.0, catalyst 17.0; team ABCDE12345",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
}

// The macOS project: settings from .xcconfig files, a system extension with
// its own deployment target; the team from the xcconfig catches an app
// group of another team.
func TestProjectModeFirewall(t *testing.T) {
	t.Chdir("..")
	out, stderr, code := run(t, "", "check", "--format", "json", firewallProject)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var rep struct {
		Findings []struct{ File, Rule, Message string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, f := range rep.Findings {
		summary = append(summary, filepath.Base(f.File)+" "+f.Rule)
	}
	want := []string{"Firewall.entitlements app-group-id", "Firewall.entitlements infoplist-usage-description", "FilterExtension.entitlements app-group-id"}
	if !reflect.DeepEqual(summary, want) {
		t.Errorf("findings %v, want %v", summary, want)
	}
	for _, f := range rep.Findings {
		if f.Rule == "app-group-id" && strings.HasPrefix(filepath.Base(f.File), "Filter") && !strings.Contains(f.Message, "not your team KLMNO67890") {
			t.Errorf("team not applied: %s", f.Message)
		}
	}
	files, _ := checked(t, firewallProject)
	if tg := files["Firewall.entitlements"].Opts.Targets; !reflect.DeepEqual(tg.Platforms, []string{"macos"}) || tg.MinVersions["macos"] != "13.0" || tg.TeamID != "KLMNO67890" {
		t.Errorf("app %+v", tg)
	}
	if tg := files["FilterExtension.entitlements"].Opts.Targets; tg.MinVersions["macos"] != "14.0" {
		t.Errorf("extension %+v", tg)
	}
	if !strings.Contains(stderr, "FilterExtension.entitlements: target FilterExtension (Debug, Release); macos 14.0; team KLMNO67890") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// Flags win over the project; the project wins over the config file.
func TestProjectModePrecedence(t *testing.T) {
	t.Chdir("..")
	files, stderr := checked(t, "--platform", "ios", "--team-id", "ZZZZZ99999", firewallProject)
	for name, fr := range files {
		if tg := fr.Opts.Targets; !reflect.DeepEqual(tg.Platforms, []string{"ios"}) || tg.TeamID != "ZZZZZ99999" {
			t.Errorf("%s: flags lost: %+v", name, tg)
		}
	}
	if !strings.Contains(stderr, "; ios; team ZZZZZ99999;") {
		t.Errorf("stderr does not show the flags:\n%s", stderr)
	}
	cfg := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(cfg, []byte(`{"platforms": ["tvos"], "teamID": "CFGTEAM123", "distribution": "developer-id", "minVersions": {"tvos": "17.0"}}`), 0o644)
	files, _ = checked(t, "--config", cfg, firewallProject)
	tg := files["Firewall.entitlements"].Opts.Targets
	if !reflect.DeepEqual(tg.Platforms, []string{"macos"}) || tg.TeamID != "KLMNO67890" || tg.MinVersions["macos"] != "13.0" || tg.Distribution != "developer-id" {
		t.Errorf("project over config: %+v", tg)
	}
	// --info-plist replaces the project's Info.plist.
	info := filepath.Join(t.TempDir(), "Info.plist")
	os.WriteFile(info, []byte(`<plist version="1.0"><dict><key>NSBluetoothAlwaysUsageDescription</key><string>Finds your router.</string></dict></plist>`), 0o644)
	files, _ = checked(t, "--info-plist", info, firewallProject)
	if fr := files["Firewall.entitlements"]; fr.Opts.InfoPlistPath != info || strings.Contains(strings.Join(rulesOf(fr), " "), "infoplist-usage-description") {
		t.Errorf("--info-plist: %q %v", fr.Opts.InfoPlistPath, rulesOf(fr))
	}
}

// A directory holding an .xcodeproj is walked for *.entitlements as
// before; only an explicit .xcodeproj path switches to project mode.
func TestDirectoryWithProjectIsWalked(t *testing.T) {
	t.Chdir("..")
	files, stderr := checked(t, "testdata/xcodeproj/Shop")
	if len(files) != 2 || strings.Contains(stderr, "target") {
		t.Fatalf("files %d, stderr %q", len(files), stderr)
	}
	for name, fr := range files {
		if len(fr.Opts.Targets.Platforms) != 0 || fr.Opts.InfoPlist != nil {
			t.Errorf("%s got project settings in directory mode: %+v", name, fr.Opts.Targets)
		}
	}
	// A trailing slash still names the project.
	files, _ = checked(t, shopProject+"/")
	if len(files) != 2 || files["Shop.entitlements"].Opts.Targets.TeamID != "ABCDE12345" {
		t.Errorf("trailing slash: %d files", len(files))
	}
}

func TestProjectModeErrors(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "Broken.xcodeproj")
	os.MkdirAll(proj, 0o755)
	os.WriteFile(filepath.Join(proj, "project.pbxproj"), []byte("{ objects = { ; "), 0o644)
	_, stderr, code := run(t, "", "check", proj)
	if code != ExitUsage || !strings.Contains(stderr, "project.pbxproj") {
		t.Errorf("broken project: exit %d, %s", code, stderr)
	}

	// CODE_SIGN_ENTITLEMENTS pointing at a missing file names the target.
	data, err := os.ReadFile(filepath.Join("..", firewallProject, "project.pbxproj"))
	if err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(dir, "Moved.xcodeproj")
	os.MkdirAll(moved, 0o755)
	os.WriteFile(filepath.Join(moved, "project.pbxproj"), data, 0o644)
	_, stderr, code = run(t, "", "check", moved)
	if code != ExitUsage || !strings.Contains(stderr, "no such file or directory (CODE_SIGN_ENTITLEMENTS of target Firewall (Debug, Release)") {
		t.Errorf("missing entitlements: exit %d, %s", code, stderr)
	}
	if !strings.Contains(stderr, "Shared.xcconfig: no such file") {
		t.Errorf("missing xcconfig not reported: %s", stderr)
	}

	// A project whose targets sign without entitlements checks nothing.
	empty := filepath.Join(dir, "Empty.xcodeproj")
	os.MkdirAll(empty, 0o755)
	os.WriteFile(filepath.Join(empty, "project.pbxproj"), []byte(`{ objects = { P = { isa = PBXProject; targets = ( ); }; }; rootObject = P; }`), 0o644)
	out, stderr, code := run(t, "", "check", empty)
	if code != ExitOK || !strings.Contains(stderr, "nothing to check") || !strings.Contains(out, "no problems in 0 files") {
		t.Errorf("empty project: exit %d, %q %q", code, out, stderr)
	}
}

// A generated Info.plist (no INFOPLIST_FILE) holds only INFOPLIST_KEY_
// settings; a broken INFOPLIST_FILE skips the cross-checks with a note.
func TestProjectInfoPlist(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "App.entitlements"), []byte(`<plist version="1.0"><dict><key>com.apple.developer.homekit</key><true/><key>com.apple.developer.siri</key><true/></dict></plist>`), 0o644)
	os.WriteFile(filepath.Join(dir, "Broken.plist"), []byte(`<plist version="1.0"><dict><key>A</key>`), 0o644)
	write := func(name, settings string) string {
		proj := filepath.Join(dir, name+".xcodeproj")
		os.MkdirAll(proj, 0o755)
		os.WriteFile(filepath.Join(proj, "project.pbxproj"), []byte(`{ objects = {
			P = { isa = PBXProject; buildConfigurationList = PL; targets = ( T, ); };
			PL = { isa = XCConfigurationList; buildConfigurations = ( PD, ); };
			PD = { isa = XCBuildConfiguration; buildSettings = { SDKROOT = iphoneos; }; name = Debug; };
			T = { isa = PBXNativeTarget; name = App; productType = "com.apple.product-type.application"; buildConfigurationList = TL; };
			TL = { isa = XCConfigurationList; buildConfigurations = ( TD, ); };
			TD = { isa = XCBuildConfiguration; buildSettings = { CODE_SIGN_ENTITLEMENTS = App.entitlements; `+settings+` }; name = Debug; };
		}; rootObject = P; }`), 0o644)
		return proj
	}
	files, _ := checked(t, write("Generated", `GENERATE_INFOPLIST_FILE = YES; INFOPLIST_KEY_NSHomeKitUsageDescription = "Turns on the lights.";`))
	fr := files["App.entitlements"]
	if got := rulesOf(fr); !reflect.DeepEqual(got, []string{"infoplist-usage-description"}) || !strings.Contains(fr.Result.Findings[0].Message, "NSSiriUsageDescription in the generated Info.plist") {
		t.Errorf("generated: %v %+v", got, fr.Result.Findings)
	}
	files, stderr := checked(t, write("BrokenInfo", `INFOPLIST_FILE = Broken.plist;`))
	if fr := files["App.entitlements"]; fr.Opts.InfoPlist != nil || !strings.Contains(stderr, "Info.plist checks skipped") {
		t.Errorf("broken Info.plist: %v, stderr %s", fr.Opts.InfoPlistPath, stderr)
	}
}

// fix writes each file of a project once, even when several targets use it
// with different settings.
func TestProjectModeFix(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "D.xcodeproj")
	os.MkdirAll(proj, 0o755)
	os.WriteFile(filepath.Join(proj, "project.pbxproj"), []byte(`{ objects = {
		P = { isa = PBXProject; buildConfigurationList = PL; targets = ( A, B, ); };
		PL = { isa = XCConfigurationList; buildConfigurations = ( PD, ); };
		PD = { isa = XCBuildConfiguration; buildSettings = { SDKROOT = macosx; CODE_SIGN_ENTITLEMENTS = App.entitlements; }; name = Debug; };
		A = { isa = PBXNativeTarget; name = A; productType = "com.apple.product-type.application"; buildConfigurationList = AL; };
		AL = { isa = XCConfigurationList; buildConfigurations = ( AD, ); };
		AD = { isa = XCBuildConfiguration; buildSettings = { MACOSX_DEPLOYMENT_TARGET = 13.0; }; name = Debug; };
		B = { isa = PBXNativeTarget; name = B; productType = "com.apple.product-type.tool"; buildConfigurationList = BL; };
		BL = { isa = XCConfigurationList; buildConfigurations = ( BD, ); };
		BD = { isa = XCBuildConfiguration; buildSettings = { MACOSX_DEPLOYMENT_TARGET = 14.0; }; name = Debug; };
	}; rootObject = P; }`), 0o644)
	ent := filepath.Join(dir, "App.entitlements")
	os.WriteFile(ent, []byte("<plist version=\"1.0\">\n<dict>\n\t<key>com.apple.security.app-sandbox</key>\n\t<string>true</string>\n</dict>\n</plist>\n"), 0o644)
	files, _ := checked(t, proj)
	if len(files) != 2 {
		t.Fatalf("check: %d results, want the file twice (two deployment targets)", len(files))
	}
	_, stderr, code := run(t, "", "fix", proj)
	if code != ExitOK || !strings.Contains(stderr, "fixed once") || strings.Contains(stderr, "changed while") {
		t.Errorf("fix: exit %d, %s", code, stderr)
	}
	if got, _ := os.ReadFile(ent); !strings.Contains(string(got), "<true/>") {
		t.Errorf("not fixed:\n%s", got)
	}
}
