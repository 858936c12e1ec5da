package xcodeproj

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

var fixtures, _ = filepath.Abs(filepath.Join("..", "testdata", "xcodeproj"))

func open(t *testing.T, rel string) *Project {
	t.Helper()
	p, err := Open(filepath.Join(fixtures, rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func variant(t *testing.T, p *Project, target, config string, i int) *Variant {
	t.Helper()
	tg, ok := p.Target(target)
	if !ok {
		t.Fatalf("no target %s", target)
	}
	c, ok := tg.Configuration(config)
	if !ok {
		t.Fatalf("target %s has no configuration %s", target, config)
	}
	if i >= len(c.Variants) {
		t.Fatalf("target %s %s has %d variants, want #%d", target, config, len(c.Variants), i)
	}
	return c.Variants[i]
}

// The iOS fixture: an app with Mac Catalyst, a widget extension and a test
// bundle; settings split between the project and the targets.
func TestShopFixture(t *testing.T) {
	p := open(t, "Shop/Shop.xcodeproj")
	dir := filepath.Join(fixtures, "Shop")
	if p.Name != "Shop" || p.Dir != dir || len(p.Warnings) != 0 {
		t.Fatalf("name %q dir %q warnings %v", p.Name, p.Dir, p.Warnings)
	}
	var kinds []string
	for _, tg := range p.Targets {
		kinds = append(kinds, tg.Name+":"+string(tg.Kind))
	}
	if got := strings.Join(kinds, " "); got != "Shop:app ShopWidgetExtension:app-extension ShopTests:tests" {
		t.Errorf("targets %s", got)
	}
	for _, config := range []string{"Debug", "Release"} {
		ios, cat := variant(t, p, "Shop", config, 0), variant(t, p, "Shop", config, 1)
		// $(TARGET_NAME)/$(TARGET_NAME).entitlements in Debug and
		// $(SRCROOT)/Shop/Shop.entitlements in Release are the same file.
		want := filepath.Join(dir, "Shop", "Shop.entitlements")
		for _, v := range []*Variant{ios, cat} {
			if v.Entitlements != want || v.TeamID != "ABCDE12345" || v.MinVersion != "16.0" || v.BundleID != "com.example.shop" {
				t.Errorf("%s %s: %+v", config, v.Platform, v)
			}
			if v.InfoPlist != filepath.Join(dir, "Shop", "Info.plist") || !v.GenerateInfoPlist ||
				v.InfoPlistKeys["NSHealthShareUsageDescription"] == "" {
				t.Errorf("%s %s Info.plist: %q %v %v", config, v.Platform, v.InfoPlist, v.GenerateInfoPlist, v.InfoPlistKeys)
			}
		}
		if ios.Platform != "ios" || ios.SDK != "iphoneos" || cat.Platform != "catalyst" || cat.SDK != "macosx" {
			t.Errorf("%s variants %s/%s %s/%s", config, ios.Platform, ios.SDK, cat.Platform, cat.SDK)
		}
		// The widget overrides the project's deployment target.
		if w := variant(t, p, "ShopWidgetExtension", config, 0); w.MinVersion != "17.0" || w.Entitlements != filepath.Join(dir, "ShopWidget", "ShopWidget.entitlements") {
			t.Errorf("widget %s: %+v", config, w)
		}
		if tv := variant(t, p, "ShopTests", config, 0); tv.Entitlements != "" {
			t.Errorf("tests sign with %q", tv.Entitlements)
		}
	}
	checks := p.Checks()
	if len(checks) != 2 {
		t.Fatalf("%d checks, want 2 (app and widget, Debug and Release merged)", len(checks))
	}
	app := checks[0]
	if !reflect.DeepEqual(app.Platforms, []string{"ios", "catalyst"}) ||
		!reflect.DeepEqual(app.MinVersions, map[string]string{"ios": "16.0", "catalyst": "16.0"}) ||
		app.TeamID != "ABCDE12345" || len(app.Uses) != 2 || app.Uses[1] != (Use{"Shop", KindApp, "Release"}) {
		t.Errorf("app check %+v", app)
	}
	if w := checks[1]; w.MinVersions["catalyst"] != "17.0" || w.Uses[0].Target != "ShopWidgetExtension" {
		t.Errorf("widget check %+v", w)
	}
}

// The macOS fixture: settings come from .xcconfig files (one including the
// other) found through the group tree; the system extension overrides the
// deployment target.
func TestFirewallFixture(t *testing.T) {
	p := open(t, "Firewall/Firewall.xcodeproj")
	if len(p.Warnings) != 0 {
		t.Fatalf("warnings %v", p.Warnings)
	}
	for _, config := range []string{"Debug", "Release"} {
		app := variant(t, p, "Firewall", config, 0)
		if app.Platform != "macos" || app.MinVersion != "13.0" || app.TeamID != "KLMNO67890" || app.BundleID != "com.example.firewall" {
			t.Errorf("app %s: %+v", config, app)
		}
		ext := variant(t, p, "FilterExtension", config, 0)
		if ext.MinVersion != "14.0" || ext.TeamID != "KLMNO67890" || ext.BundleID != "com.example.firewall.FilterExtension" ||
			ext.Entitlements != filepath.Join(fixtures, "Firewall", "FilterExtension", "FilterExtension.entitlements") {
			t.Errorf("extension %s: %+v", config, ext)
		}
	}
	if tg, _ := p.Target("FilterExtension"); tg.Kind != KindSystemExtension {
		t.Errorf("kind %s", tg.Kind)
	}
	if n := len(p.Checks()); n != 2 {
		t.Errorf("%d checks", n)
	}
}

// target is a native target for miniProject.
type target struct {
	name, productType string
	settings          map[string]string // Debug and Release
	release           map[string]string // Release only, over settings
}

// miniProject writes a project.pbxproj with the given project-level
// settings and targets, each with Debug and Release configurations.
func miniProject(t *testing.T, projectSettings map[string]string, targets ...target) string {
	t.Helper()
	var b strings.Builder
	id := 0
	next := func() string { id++; return fmt.Sprintf("A1B2C3D4E5F6%012X", id) }
	settings := func(m map[string]string) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var s strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&s, "\t\t\t\t%q = %q;\n", k, m[k])
		}
		return s.String()
	}
	configList := func(debug, release map[string]string) string {
		d, r, l := next(), next(), next()
		fmt.Fprintf(&b, "\t\t%s = {isa = XCBuildConfiguration; buildSettings = {\n%s\t\t\t}; name = Debug; };\n", d, settings(debug))
		fmt.Fprintf(&b, "\t\t%s = {isa = XCBuildConfiguration; buildSettings = {\n%s\t\t\t}; name = Release; };\n", r, settings(release))
		fmt.Fprintf(&b, "\t\t%s = {isa = XCConfigurationList; buildConfigurations = (%s, %s, ); defaultConfigurationName = Release; };\n", l, d, r)
		return l
	}
	b.WriteString("// !$*UTF8*$!\n{\n\tarchiveVersion = 1;\n\tobjectVersion = 56;\n\tobjects = {\n")
	var ids []string
	for _, tg := range targets {
		rel := map[string]string{}
		for k, v := range tg.settings {
			rel[k] = v
		}
		for k, v := range tg.release {
			rel[k] = v
		}
		l := configList(tg.settings, rel)
		tid := next()
		fmt.Fprintf(&b, "\t\t%s = {isa = PBXNativeTarget; buildConfigurationList = %s; name = %q; productType = %q; };\n", tid, l, tg.name, tg.productType)
		ids = append(ids, tid)
	}
	agg := next()
	fmt.Fprintf(&b, "\t\t%s = {isa = PBXAggregateTarget; name = Lint; };\n", agg)
	pl := configList(projectSettings, projectSettings)
	root := next()
	fmt.Fprintf(&b, "\t\t%s = {isa = PBXProject; buildConfigurationList = %s; projectDirPath = \"\"; targets = (%s, %s, ); };\n",
		root, pl, strings.Join(ids, ", "), agg)
	fmt.Fprintf(&b, "\t};\n\trootObject = %s;\n}\n", root)
	dir := filepath.Join(t.TempDir(), "Mini")
	proj := filepath.Join(dir, "Mini.xcodeproj")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "project.pbxproj"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return proj
}

func TestPlatformsAndConditions(t *testing.T) {
	proj := miniProject(t, map[string]string{"IPHONEOS_DEPLOYMENT_TARGET": "15.0", "DEVELOPMENT_TEAM": "ABCDE12345"},
		target{name: "Catalyst", productType: "com.apple.product-type.application", settings: map[string]string{
			"SDKROOT": "iphoneos", "SUPPORTS_MACCATALYST": "YES",
			"CODE_SIGN_ENTITLEMENTS":              "App/App.entitlements",
			"CODE_SIGN_ENTITLEMENTS[sdk=macosx*]": "App/AppMac.entitlements",
			"DEVELOPMENT_TEAM[sdk=macosx*]":       "FGHIJ67890",
		}},
		target{name: "Everywhere", productType: "com.apple.product-type.application", settings: map[string]string{
			"SDKROOT": "auto", "SUPPORTED_PLATFORMS": "iphoneos iphonesimulator macosx xros xrsimulator",
			"MACOSX_DEPLOYMENT_TARGET": "14.0", "XROS_DEPLOYMENT_TARGET": "1.0",
			"CODE_SIGN_ENTITLEMENTS": "Everywhere/Everywhere.entitlements",
		}},
		target{name: "Pad", productType: "com.apple.product-type.application", settings: map[string]string{
			"SDKROOT": "iphoneos", "TARGETED_DEVICE_FAMILY": "2", "SUPPORTS_MAC_DESIGNED_FOR_IPHONE_IPAD": "YES",
			"CODE_SIGN_ENTITLEMENTS": "Pad.entitlements",
		}},
		target{name: "Watch", productType: "com.apple.product-type.application.watchapp2", settings: map[string]string{
			"SDKROOT": "watchos", "WATCHOS_DEPLOYMENT_TARGET": "9.0", "CODE_SIGN_ENTITLEMENTS": "Watch/Watch.entitlements",
		}},
		target{name: "TV", productType: "com.apple.product-type.application", settings: map[string]string{
			"SDKROOT": "appletvos", "TVOS_DEPLOYMENT_TARGET": "17.0", "CODE_SIGN_ENTITLEMENTS": "TV.entitlements",
		}},
		target{name: "Driver", productType: "com.apple.product-type.driver-extension", settings: map[string]string{
			"SDKROOT": "driverkit", "DRIVERKIT_DEPLOYMENT_TARGET": "21.0", "CODE_SIGN_ENTITLEMENTS": "Driver/Driver.entitlements",
		}},
	)
	p, err := Open(proj)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Targets) != 6 {
		t.Fatalf("%d targets (the aggregate target must be skipped)", len(p.Targets))
	}
	dir := filepath.Dir(proj)
	summary := func(name string) string {
		tg, _ := p.Target(name)
		var parts []string
		for _, v := range tg.Configurations[0].Variants {
			rel, _ := filepath.Rel(dir, v.Entitlements)
			parts = append(parts, fmt.Sprintf("%s/%s %s %s %s", v.Platform, v.SDK, v.MinVersion, v.TeamID, rel))
		}
		return strings.Join(parts, " | ")
	}
	tests := []struct{ target, want string }{
		{"Catalyst", "ios/iphoneos 15.0 ABCDE12345 App/App.entitlements | catalyst/macosx 15.0 FGHIJ67890 App/AppMac.entitlements"},
		{"Everywhere", "ios/iphoneos 15.0 ABCDE12345 Everywhere/Everywhere.entitlements | macos/macosx 14.0 ABCDE12345 Everywhere/Everywhere.entitlements | visionos/xros 1.0 ABCDE12345 Everywhere/Everywhere.entitlements"},
		{"Pad", "ipados/iphoneos 15.0 ABCDE12345 Pad.entitlements"},
		{"Watch", "watchos/watchos 9.0 ABCDE12345 Watch/Watch.entitlements"},
		{"TV", "tvos/appletvos 17.0 ABCDE12345 TV.entitlements"},
		{"Driver", "driverkit/driverkit 21.0 ABCDE12345 Driver/Driver.entitlements"},
	}
	for _, tt := range tests {
		if got := summary(tt.target); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.target, got, tt.want)
		}
	}
	if v := variant(t, p, "Pad", "Debug", 0); !v.DesignedForIPad {
		t.Error("Pad: SUPPORTS_MAC_DESIGNED_FOR_IPHONE_IPAD not seen")
	}
	if tg, _ := p.Target("Watch"); tg.Kind != KindWatchApp {
		t.Errorf("watch kind %s", tg.Kind)
	}
	// A conditional entitlements file for Catalyst makes two checks; the
	// multiplatform target is one check for three platforms.
	var got []string
	for _, c := range p.Checks() {
		rel, _ := filepath.Rel(dir, c.Entitlements)
		got = append(got, rel+"="+strings.Join(c.Platforms, ","))
	}
	want := "App/App.entitlements=ios App/AppMac.entitlements=catalyst Everywhere/Everywhere.entitlements=ios,macos,visionos " +
		"Pad.entitlements=ipados Watch/Watch.entitlements=watchos TV.entitlements=tvos Driver/Driver.entitlements=driverkit"
	if strings.Join(got, " ") != want {
		t.Errorf("checks\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestVariablesAndConfigurations(t *testing.T) {
	proj := miniProject(t, map[string]string{"SDKROOT": "macosx", "MACOSX_DEPLOYMENT_TARGET": "12.0", "ENT_DIR": "Signing"},
		target{name: "My App", productType: "com.apple.product-type.application", settings: map[string]string{
			"CODE_SIGN_ENTITLEMENTS":         "$(ENT_DIR)/${PRODUCT_NAME:rfc1034identifier}-$(CONFIGURATION).entitlements",
			"PRODUCT_NAME":                   "$(TARGET_NAME)",
			"PRODUCT_BUNDLE_IDENTIFIER":      "com.example.$(PRODUCT_NAME:rfc1034identifier)",
			"MACOSX_DEPLOYMENT_TARGET":       "$(inherited)",
			"INFOPLIST_FILE":                 "$(PROJECT_DIR)/My App/Info.plist",
			"DEVELOPMENT_TEAM[config=Debug]": "DEBUG12345",
			"DEVELOPMENT_TEAM":               "ABCDE12345",
		}},
		target{name: "Unresolved", productType: "com.apple.product-type.tool", settings: map[string]string{
			"CODE_SIGN_ENTITLEMENTS": "$(SIGNING_DIR)/Tool.entitlements",
		}},
	)
	p, err := Open(proj)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(proj)
	d, r := variant(t, p, "My App", "Debug", 0), variant(t, p, "My App", "Release", 0)
	if d.Entitlements != filepath.Join(dir, "Signing", "My-App-Debug.entitlements") || r.Entitlements != filepath.Join(dir, "Signing", "My-App-Release.entitlements") {
		t.Errorf("entitlements %q / %q", d.Entitlements, r.Entitlements)
	}
	if d.BundleID != "com.example.My-App" || d.MinVersion != "12.0" || d.InfoPlist != filepath.Join(dir, "My App", "Info.plist") {
		t.Errorf("debug %+v", d)
	}
	if d.TeamID != "DEBUG12345" || r.TeamID != "ABCDE12345" {
		t.Errorf("config-conditional team: %s / %s", d.TeamID, r.TeamID)
	}
	u := variant(t, p, "Unresolved", "Debug", 0)
	if !reflect.DeepEqual(u.Unresolved, []string{"SIGNING_DIR"}) || len(p.Warnings) != 2 || !strings.Contains(p.Warnings[0], "cannot resolve $(SIGNING_DIR)") {
		t.Errorf("unresolved %v, warnings %q", u.Unresolved, p.Warnings)
	}
	if n := len(p.Checks()); n != 3 {
		t.Errorf("%d checks, want 3 (Debug and Release differ for My App, not for the tool)", n)
	}
}

func TestXCConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Base.xcconfig"), []byte("// base\nDEVELOPMENT_TEAM = ABCDE12345 // trailing comment\nOTHER = a\n#include? \"Missing.xcconfig\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "App.xcconfig"), []byte("#include \"Base.xcconfig\"\n#include \"App.xcconfig\"\n"+
		"OTHER = $(inherited) b;\nCODE_SIGN_ENTITLEMENTS[sdk=macosx*] = Mac.entitlements\n#include \"Gone.xcconfig\"\nnot a setting\n"), 0o644)
	l, warns := readXCConfig(filepath.Join(dir, "App.xcconfig"))
	if len(warns) != 1 || !strings.Contains(warns[0], "Gone.xcconfig") {
		t.Errorf("warnings %q", warns)
	}
	st := stack{l}
	if v, _ := st.raw("DEVELOPMENT_TEAM", env{}); v != "ABCDE12345" {
		t.Errorf("team %q", v)
	}
	if v, _ := st.raw("OTHER", env{}); v != "a b" {
		t.Errorf("inherited within a layer: %q", v)
	}
	if v, ok := st.raw("CODE_SIGN_ENTITLEMENTS", env{sdk: "iphoneos"}); ok {
		t.Errorf("macOS-only setting applied to iphoneos: %q", v)
	}
	if v, _ := st.raw("CODE_SIGN_ENTITLEMENTS", env{sdk: "macosx"}); v != "Mac.entitlements" {
		t.Errorf("conditional %q", v)
	}
}

// Broken and hostile projects are errors, never panics.
func TestBadProjects(t *testing.T) {
	cases := map[string]string{
		"empty":           "",
		"not a plist":     "{{{{ ((( ;;; \x00\xff",
		"array root":      "( a, b )",
		"no root object":  "{ objects = { }; }",
		"wrong root type": "{ objects = { X = { isa = PBXGroup; }; }; rootObject = X; }",
		"strings inside":  "{ objects = \"x\"; rootObject = ( ); }",
	}
	for name, src := range cases {
		if _, err := Parse([]byte(src), "/tmp/X.xcodeproj"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Open(filepath.Join(t.TempDir(), "None.xcodeproj")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing project: %v", err)
	}
	// Targets and lists of the wrong shape are skipped, not fatal.
	odd := `{ objects = {
		P = { isa = PBXProject; buildConfigurationList = L; targets = ( T, Q, "", ); };
		L = { isa = XCConfigurationList; buildConfigurations = ( C, Missing, ); };
		C = { isa = XCBuildConfiguration; buildSettings = ( x ); name = Debug; };
		T = { isa = PBXNativeTarget; name = T; buildConfigurationList = ( ); };
		Q = "not an object";
	}; rootObject = P; }`
	p, err := Parse([]byte(odd), "/tmp/Odd.xcodeproj")
	if err != nil || len(p.Targets) != 1 || len(p.Checks()) != 0 {
		t.Errorf("odd project: %v %+v", err, p)
	}
	// Random mutations of a real project never panic.
	data, err := os.ReadFile(filepath.Join(fixtures, "Shop", "Shop.xcodeproj", "project.pbxproj"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		m := append([]byte(nil), data...)
		for j := 0; j < 1+rng.Intn(8); j++ {
			const junk = "{}();=\",/*\x00a$("
			m[rng.Intn(len(m))] = junk[rng.Intn(len(junk))]
		}
		if rng.Intn(4) == 0 {
			m = m[:rng.Intn(len(m))]
		}
		p, err := Parse(m, "/tmp/Shop.xcodeproj")
		if err == nil {
			p.Checks()
		}
	}
}

func TestKindOf(t *testing.T) {
	for pt, want := range map[string]ProductKind{
		"com.apple.product-type.application":                           KindApp,
		"com.apple.product-type.application.on-demand-install-capable": KindAppClip,
		"com.apple.product-type.app-extension":                         KindAppExtension,
		"com.apple.product-type.extensionkit-extension":                KindAppExtension,
		"com.apple.product-type.system-extension":                      KindSystemExtension,
		"com.apple.product-type.driver-extension":                      KindDriverExtension,
		"com.apple.product-type.application.watchapp2":                 KindWatchApp,
		"com.apple.product-type.watchkit2-extension":                   KindWatchExtension,
		"com.apple.product-type.application.watchapp2-container":       KindWatchContainer,
		"com.apple.product-type.something-new":                         KindOther,
	} {
		if got := KindOf(pt); got != want {
			t.Errorf("KindOf(%s) = %s, want %s", pt, got, want)
		}
	}
}
