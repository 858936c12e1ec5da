package machosig

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/machosig/machotest"
)

func exe(platform uint32, ident, team string, ents []byte) []byte {
	return machotest.Spec{BuildVersions: [][2]uint32{{platform, machotest.Version(14, 0, 0)}},
		Sig: machotest.SigSpec{Identifier: ident, TeamID: team, Entitlements: ents}}.Build()
}

// macApp is a macOS app with a widget, a system extension, an XPC service
// and a login item; the widget is the only other bundle with a profile.
func macApp() map[string][]byte {
	ents := machotest.Entitlements("<key>com.apple.security.app-sandbox</key><true/>")
	fat := machotest.Fat(
		machotest.Slice{CPU: machotest.CPUX86_64, SubCPU: 3, Data: exe(1, "com.example.app", "ABCDE12345", ents)},
		machotest.Slice{CPU: machotest.CPUArm64, Data: exe(1, "com.example.app", "ABCDE12345", ents)})
	return map[string][]byte{
		"MyApp.app/Contents/Info.plist":                                                                                      machotest.InfoPlist("com.example.app", "MyApp", true, nil),
		"MyApp.app/Contents/MacOS/MyApp":                                                                                     fat,
		"MyApp.app/Contents/embedded.provisionprofile":                                                                       []byte("profile bytes"),
		"MyApp.app/Contents/Resources/x.txt":                                                                                 []byte("x"),
		"MyApp.app/Contents/PlugIns/Widget.appex/Contents/Info.plist":                                                        machotest.InfoPlist("com.example.app.widget", "Widget", false, nil),
		"MyApp.app/Contents/PlugIns/Widget.appex/Contents/MacOS/Widget":                                                      exe(1, "com.example.app.widget", "ABCDE12345", ents),
		"MyApp.app/Contents/PlugIns/Widget.appex/Contents/embedded.provisionprofile":                                         []byte("widget profile"),
		"MyApp.app/Contents/PlugIns/NotABundle.txt":                                                                          []byte("x"),
		"MyApp.app/Contents/Library/SystemExtensions/com.example.app.vpn.systemextension/Contents/Info.plist":                machotest.InfoPlist("com.example.app.vpn", "com.example.app.vpn", false, nil),
		"MyApp.app/Contents/Library/SystemExtensions/com.example.app.vpn.systemextension/Contents/MacOS/com.example.app.vpn": exe(1, "com.example.app.vpn", "ABCDE12345", nil),
		"MyApp.app/Contents/XPCServices/Helper.xpc/Contents/Info.plist":                                                      machotest.InfoPlist("com.example.app.helper", "", false, nil),
		"MyApp.app/Contents/XPCServices/Helper.xpc/Contents/MacOS/Helper":                                                    exe(1, "com.example.app.helper", "ABCDE12345", nil),
		"MyApp.app/Contents/Library/LoginItems/Launcher.app/Contents/Info.plist":                                             machotest.InfoPlist("com.example.app.launcher", "Launcher", false, nil),
		"MyApp.app/Contents/Library/LoginItems/Launcher.app/Contents/MacOS/Launcher":                                         exe(1, "com.example.app.launcher", "ABCDE12345", nil),
	}
}

func iosApp(prefix string) map[string][]byte {
	ents := machotest.Entitlements("<key>aps-environment</key><string>production</string>")
	return map[string][]byte{
		prefix + "MyApp.app/Info.plist":                                   machotest.InfoPlist("com.example.app", "MyApp", true, nil),
		prefix + "MyApp.app/MyApp":                                        exe(2, "com.example.app", "ABCDE12345", ents),
		prefix + "MyApp.app/embedded.mobileprovision":                     []byte("ios profile"),
		prefix + "MyApp.app/PlugIns/Share.appex/Info.plist":               machotest.InfoPlist("com.example.app.share", "Share", true, nil),
		prefix + "MyApp.app/PlugIns/Share.appex/Share":                    exe(2, "com.example.app.share", "ABCDE12345", ents),
		prefix + "MyApp.app/PlugIns/Share.appex/embedded.mobileprovision": []byte("share profile"),
		prefix + "MyApp.app/Watch/MyWatch.app/Info.plist":                 machotest.InfoPlist("com.example.app.watch", "MyWatch", true, nil),
		prefix + "MyApp.app/Watch/MyWatch.app/MyWatch":                    exe(4, "com.example.app.watch", "ABCDE12345", nil),
		prefix + "MyApp.app/Frameworks/Lib.framework/Info.plist":          machotest.InfoPlist("com.example.lib", "Lib", true, nil),
	}
}

type targetSummary struct {
	path, kind, id, exe, profile string
	archs                        int
	err                          string
}

func summarise(b *Bundle) []targetSummary {
	var out []targetSummary
	for _, t := range b.Targets {
		s := targetSummary{path: t.Path, kind: t.Kind, id: t.BundleID, exe: t.Executable, profile: t.ProfilePath}
		if t.Binary != nil {
			s.archs = len(t.Binary.Archs)
		}
		if t.Err != nil {
			s.err = t.Err.Error()
		}
		out = append(out, s)
	}
	return out
}

func TestReadMacApp(t *testing.T) {
	dir := t.TempDir()
	machotest.WriteTree(t, dir, macApp())
	// A symlinked extension is not followed out of the bundle.
	if err := os.Symlink(dir, filepath.Join(dir, "MyApp.app/Contents/PlugIns/Link.appex")); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "MyApp.app")
	b, err := ReadApp(app+"/", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.ToSlash(app)
	want := []targetSummary{
		{p, "app", "com.example.app", p + "/Contents/MacOS/MyApp", p + "/Contents/embedded.provisionprofile", 2, ""},
		{p + "/Contents/PlugIns/Widget.appex", "appex", "com.example.app.widget", p + "/Contents/PlugIns/Widget.appex/Contents/MacOS/Widget",
			p + "/Contents/PlugIns/Widget.appex/Contents/embedded.provisionprofile", 1, ""},
		{p + "/Contents/Library/SystemExtensions/com.example.app.vpn.systemextension", "systemextension", "com.example.app.vpn",
			p + "/Contents/Library/SystemExtensions/com.example.app.vpn.systemextension/Contents/MacOS/com.example.app.vpn", "", 1, ""},
		{p + "/Contents/XPCServices/Helper.xpc", "xpc", "com.example.app.helper", p + "/Contents/XPCServices/Helper.xpc/Contents/MacOS/Helper", "", 1, ""},
		{p + "/Contents/Library/LoginItems/Launcher.app", "app", "com.example.app.launcher", p + "/Contents/Library/LoginItems/Launcher.app/Contents/MacOS/Launcher", "", 1, ""},
	}
	got := summarise(b)
	if len(got) != len(want) {
		t.Fatalf("targets:\n%+v\nwant\n%+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("target %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	if string(b.Targets[0].Profile) != "profile bytes" || b.Targets[0].Binary.Archs[1].Signature.TeamID() != "ABCDE12345" {
		t.Errorf("app target: %+v", b.Targets[0])
	}
	if len(b.Warnings) != 0 {
		t.Errorf("warnings: %q", b.Warnings)
	}
}

func TestReadIOSAppAndIPA(t *testing.T) {
	dir := t.TempDir()
	machotest.WriteTree(t, dir, iosApp(""))
	b, err := ReadApp(filepath.Join(dir, "MyApp.app"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(b *Bundle, p string) {
		t.Helper()
		want := []targetSummary{
			{p, "app", "com.example.app", p + "/MyApp", p + "/embedded.mobileprovision", 1, ""},
			{p + "/PlugIns/Share.appex", "appex", "com.example.app.share", p + "/PlugIns/Share.appex/Share", p + "/PlugIns/Share.appex/embedded.mobileprovision", 1, ""},
			{p + "/Watch/MyWatch.app", "app", "com.example.app.watch", p + "/Watch/MyWatch.app/MyWatch", "", 1, ""},
		}
		got := summarise(b)
		if len(got) != len(want) {
			t.Fatalf("targets:\n%+v\nwant\n%+v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("target %d:\n got %+v\nwant %+v", i, got[i], want[i])
			}
		}
		if a := b.Targets[0].Binary.Archs[0]; a.Platforms[0].Target() != "ios" || a.Signature == nil || a.Signature.Entitlements == nil {
			t.Errorf("app arch: %+v", a)
		}
	}
	check(b, filepath.ToSlash(filepath.Join(dir, "MyApp.app")))

	files := iosApp("Payload/")
	files["iTunesMetadata.plist"] = []byte("<plist/>")
	files["../../etc/evil"] = []byte("x")
	files["/abs/evil"] = []byte("x")
	files["Payload/../../evil"] = []byte("x")
	files[`Payload\evil`] = []byte("x")
	ipa := filepath.Join(dir, "MyApp.ipa")
	if err := os.WriteFile(ipa, machotest.Zip(t, files), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err = ReadIPA(ipa, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	check(b, filepath.ToSlash(ipa)+"/Payload/MyApp.app")
	if len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "4 archive entries") {
		t.Errorf("warnings = %q", b.Warnings)
	}
	// Nothing was written next to the archive.
	if _, err := os.Stat(filepath.Join(dir, "evil")); err == nil {
		t.Error("an archive entry was written to disk")
	}
}

func TestBundleErrors(t *testing.T) {
	dir := t.TempDir()
	machotest.WriteTree(t, dir, map[string][]byte{
		"Script.app/Contents/Info.plist":            machotest.InfoPlist("com.example.script", "Script", false, nil),
		"Script.app/Contents/MacOS/Script":          []byte("#!/bin/sh\necho not a Mach-O\n"),
		"Missing.app/Info.plist":                    machotest.InfoPlist("com.example.missing", "Missing", true, nil),
		"Empty.app/README":                          []byte("x"),
		"BadPlist.app/Info.plist":                   []byte("<plist><array>"),
		"Slash.app/Info.plist":                      machotest.InfoPlist("com.example.slash", "../../../bin/sh", false, nil),
		"NoExe.app/Info.plist":                      machotest.InfoPlist("com.example.noexe", "", true, nil),
		"NoExe.app/NoExe":                           exe(2, "com.example.noexe", "", nil),
		"Truncated.app/Info.plist":                  machotest.InfoPlist("com.example.t", "T", true, nil),
		"Truncated.app/T":                           exe(2, "com.example.t", "", nil)[:0x4000+20],
		"BadProfile.app/Info.plist":                 machotest.InfoPlist("com.example.bp", "BP", true, nil),
		"BadProfile.app/BP":                         exe(2, "com.example.bp", "", nil),
		"BadProfile.app/embedded.mobileprovision/x": []byte("a directory named like a profile"),
	})
	for _, tt := range []struct{ app, want string }{
		{"Script.app", "Script.app/Contents/MacOS/Script: not a Mach-O executable"},
		{"Missing.app", "Missing.app/Missing: no such executable (CFBundleExecutable in"},
		{"Empty.app", "Empty.app/Info.plist: no such file or directory: not an app bundle"},
		{"BadPlist.app", "BadPlist.app/Info.plist: not a property list"},
		{"Slash.app", `CFBundleExecutable "../../../bin/sh" is not a file name`},
		{"NoExe.app", ""},
		{"Truncated.app", ""},
		{"BadProfile.app", ""},
	} {
		b, err := ReadApp(filepath.Join(dir, tt.app), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tt.app, err)
		}
		tg := b.Targets[0]
		switch {
		case tt.want == "" && tg.Err != nil:
			t.Errorf("%s: %v", tt.app, tg.Err)
		case tt.want != "" && (tg.Err == nil || !strings.Contains(tg.Err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.app, tg.Err, tt.want)
		}
	}
	b, _ := ReadApp(filepath.Join(dir, "Script.app"), Limits{})
	if !errors.Is(b.Targets[0].Err, ErrNotMachO) {
		t.Errorf("a script is not ErrNotMachO: %v", b.Targets[0].Err)
	}
	b, _ = ReadApp(filepath.Join(dir, "NoExe.app"), Limits{})
	if b.Targets[0].Binary == nil || !strings.HasSuffix(b.Targets[0].Executable, "NoExe.app/NoExe") {
		t.Errorf("executable named after the bundle: %+v", b.Targets[0])
	}
	b, _ = ReadApp(filepath.Join(dir, "Truncated.app"), Limits{})
	if a := b.Targets[0].Binary.Archs[0]; a.Err == nil || !strings.Contains(a.Err.Error(), "past the end") {
		t.Errorf("truncated executable: %+v", a)
	}
	b, _ = ReadApp(filepath.Join(dir, "BadProfile.app"), Limits{})
	if b.Targets[0].Profile != nil {
		t.Errorf("a directory was read as the profile")
	}
	if _, err := ReadApp(filepath.Join(dir, "Script.app/Contents/Info.plist"), Limits{}); err == nil {
		t.Error("a file read as a bundle")
	}
}

func TestIPALimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A 4 MB executable of zeros compresses to a few kilobytes.
	bomb := map[string][]byte{
		"Payload/Bomb.app/Info.plist": machotest.InfoPlist("com.example.bomb", "Bomb", true, nil),
		"Payload/Bomb.app/Bomb":       make([]byte, 4<<20),
	}
	p := write("bomb.ipa", machotest.Zip(t, bomb))
	b, err := ReadIPA(p, Limits{MaxFile: 1 << 20, MaxTotal: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if e := b.Targets[0].Err; e == nil || !strings.Contains(e.Error(), "over the 1 MB limit") {
		t.Errorf("per-file limit: %v", e)
	}
	b, _ = ReadIPA(p, Limits{MaxFile: 8 << 20, MaxTotal: 2 << 20})
	if e := b.Targets[0].Err; e == nil || !strings.Contains(e.Error(), "expands to more than the 2 MB limit") {
		t.Errorf("total limit: %v", e)
	}

	// An entry that declares a small size and decompresses to more.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	info := machotest.InfoPlist("com.example.liar", "Liar", true, nil)
	w, _ := zw.Create("Payload/Liar.app/Info.plist")
	w.Write(info)
	big := bytes.Repeat([]byte{0xcf, 0xfa, 0xed, 0xfe}, 1<<18) // 1 MB
	raw, err := zw.CreateRaw(&zip.FileHeader{Name: "Payload/Liar.app/Liar", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(big[:100]), CompressedSize64: uint64(len(big)), UncompressedSize64: 100})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write(big)
	zw.Close()
	b, err = ReadIPA(write("liar.ipa", buf.Bytes()), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if e := b.Targets[0].Err; e == nil || !strings.Contains(e.Error(), "Liar.app/Liar: archive entry: zip: not a valid zip file") {
		t.Errorf("an entry larger than it declares: %v", e)
	}

	if _, err := ReadIPA(write("notzip.ipa", []byte("PK but not really")), Limits{}); err == nil || !strings.Contains(err.Error(), "not an .ipa") {
		t.Errorf("not a zip: %v", err)
	}
	if _, err := ReadIPA(write("nopayload.ipa", machotest.Zip(t, map[string][]byte{"MyApp.app/Info.plist": info})), Limits{}); err == nil ||
		!strings.Contains(err.Error(), "no Payload/*.app") {
		t.Errorf("no payload: %v", err)
	}
	// Many bundles: only MaxTargets are read, with a warning.
	many := map[string][]byte{"Payload/M.app/Info.plist": machotest.InfoPlist("com.example.m", "M", true, nil), "Payload/M.app/M": exe(2, "m", "", nil)}
	for _, n := range []string{"a", "b", "c", "d"} {
		many["Payload/M.app/PlugIns/"+n+".appex/Info.plist"] = machotest.InfoPlist("com.example.m."+n, n, true, nil)
	}
	b, err = ReadIPA(write("many.ipa", machotest.Zip(t, many)), Limits{MaxTargets: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Targets) != 3 || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "more than 3 bundles") {
		t.Errorf("targets %d, warnings %q", len(b.Targets), b.Warnings)
	}
}

func TestSafeName(t *testing.T) {
	for name, want := range map[string]bool{
		"Payload/A.app/Info.plist": true, "a": true, "": false, ".": false, "..": false, "../a": false, "/a": false,
		"a/../b": false, "a//b": false, "./a": false, `a\b`: false, "C:/x": false, "a\x00b": false, "a/./b": false,
	} {
		if got := safeName(name); got != want {
			t.Errorf("safeName(%q) = %v", name, got)
		}
	}
}
