package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const infoPlistXML = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>NSHomeKitUsageDescription</key>
	<string>Controls your lights.</string>
</dict>
</plist>
`

// infoPlist is relative to the file (or, for flags, the working directory)
// that set it, whatever the other layers do with Dir.
func TestInfoPlistPathAndMerge(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "App"), 0o755)
	os.WriteFile(filepath.Join(dir, "App", "Info.plist"), []byte(infoPlistXML), 0o644)
	os.WriteFile(filepath.Join(dir, FileName), []byte(`{"infoPlist": "App/Info.plist"}`), 0o644)
	file, err := Load(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := file.InfoPlistPath(), filepath.Join(dir, "App", "Info.plist"); got != want {
		t.Errorf("InfoPlistPath = %q, want %q", got, want)
	}
	// A flag layer that sets catalogs moves Dir; infoPlist keeps its anchor.
	flags := &Config{Catalogs: []string{"x.json"}, Dir: "/elsewhere"}
	merged := Merge(file, flags)
	if got, want := merged.InfoPlistPath(), filepath.Join(dir, "App", "Info.plist"); got != want {
		t.Errorf("after merge InfoPlistPath = %q, want %q", got, want)
	}
	// A flag layer that sets infoPlist wins, relative to its own Dir.
	merged = Merge(file, &Config{InfoPlist: "Other/Info.plist", Dir: "/work"})
	if got := merged.InfoPlistPath(); got != filepath.Join("/work", "Other", "Info.plist") {
		t.Errorf("flag InfoPlistPath = %q", got)
	}
	// Options loads and parses it.
	opts, err := Merge(file, nil).Options()
	if err != nil {
		t.Fatal(err)
	}
	if opts.InfoPlist == nil || opts.InfoPlist.RootDict() == nil || opts.InfoPlistPath == "" {
		t.Fatalf("Options did not load the Info.plist: %+v", opts.InfoPlistPath)
	}
}

func TestInfoPlistErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Parse([]byte(`{"infoPlist": ""}`), "c.json"); err == nil || !strings.Contains(err.Error(), "infoPlist: must be a path") {
		t.Errorf("empty path: %v", err)
	}
	if _, err := Parse([]byte(`{"infoPlist": 3}`), "c.json"); err == nil || !strings.Contains(err.Error(), "expected a string") {
		t.Errorf("wrong type: %v", err)
	}
	missing := &Config{InfoPlist: filepath.Join(dir, "nope.plist")}
	if _, err := missing.Options(); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	broken := filepath.Join(dir, "Broken.plist")
	os.WriteFile(broken, []byte("<plist version=\"1.0\">\n<dict>\n<key>A</key>\n<string>x</dict>\n</plist>\n"), 0o644)
	if _, err := (&Config{InfoPlist: broken}).Options(); err == nil || !strings.Contains(err.Error(), "Broken.plist:") {
		t.Errorf("broken file: %v", err)
	}
	arr := filepath.Join(dir, "Array.plist")
	os.WriteFile(arr, []byte(`<plist version="1.0"><array/></plist>`), 0o644)
	if _, err := (&Config{InfoPlist: arr}).Options(); err == nil || !strings.Contains(err.Error(), "dictionary at its root") {
		t.Errorf("array root: %v", err)
	}
}
