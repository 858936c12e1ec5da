package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/entitlint/entitlint/rules"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown field", "{\n  \"platform\": [\"ios\"]\n}", `c.json:2:3: platform: unknown field (known: platforms, minVersions, distribution, teamID, rules, catalogs, exclude, maxFileSize`},
		{"unknown platform", `{"platforms": ["android"]}`, `c.json:1:15: platforms[0]: unknown platform "android" (known: ios, ipados, macos, catalyst, tvos, watchos, visionos, driverkit)`},
		{"wrong type", `{"platforms": "ios"}`, `c.json:1:15: platforms: wrong type: expected an array of strings`},
		{"bad team", `{"teamID": "abc"}`, `c.json:1:12: teamID: "abc" is not a Team ID (10 upper-case letters and digits)`},
		{"bad distribution", `{"distribution": "testflight"}`, `c.json:1:18: distribution: unknown distribution "testflight" (known: app-store, developer-id, ad-hoc, enterprise, development)`},
		{"unknown rule", `{"rules": {"no-such-rule": "off"}}`, `c.json:1:11: rules.no-such-rule: unknown rule "no-such-rule" (see ` + "`entitlint rules`" + `)`},
		{"bad severity", `{"rules": {"unknown-key": "fatal"}}`, `c.json:1:11: rules.unknown-key: unknown severity "fatal" (use error, warning, info, hint or off)`},
		{"bad version", `{"minVersions": {"ios": "sixteen"}}`, `c.json:1:17: minVersions.ios: "sixteen" is not a version like 16.0`},
		{"negative size", `{"maxFileSize": -1}`, `c.json:1:17: maxFileSize: must not be negative`},
		{"not an object", `[1]`, `c.json:1:1: expected a JSON object`},
		{"syntax", "{\n  \"platforms\": [\"ios\",]\n}", `c.json:2:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), "c.json")
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); len(got) < len(tt.want) || got[:len(tt.want)] != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	c, err := Parse([]byte(`{"entitlint": {"platforms": ["macos"], "distribution": "developer-id", "teamID": "ABCDE12345",
		"rules": {"needs-approval": "off", "unknown-key": "error"}, "minVersions": {"macos": "13.0"}, "maxFileSize": 1000}}`), "LSP settings")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Platforms, []string{"macos"}) || c.Distribution != "developer-id" || c.TeamID != "ABCDE12345" || c.Limit() != 1000 {
		t.Errorf("%+v", c)
	}
	sev := c.Severities()
	if sev["needs-approval"] != rules.Off || sev["unknown-key"] != rules.Error {
		t.Errorf("severities %v", sev)
	}
	for _, empty := range []string{"", "  ", "null", "{}"} {
		if c, err := Parse([]byte(empty), "x"); err != nil || c == nil {
			t.Errorf("%q: %v", empty, err)
		}
	}
}

func TestMergeAndFind(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(dir, FileName), []byte(`{"platforms": ["ios"], "rules": {"unknown-key": "off"}, "catalogs": ["extra.json"]}`), 0o644)
	c, err := ForFile(filepath.Join(sub, "App.entitlements"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Dir != dir || !reflect.DeepEqual(c.CatalogPaths(), []string{filepath.Join(dir, "extra.json")}) {
		t.Errorf("dir %q catalogs %v", c.Dir, c.CatalogPaths())
	}
	over := &Config{Platforms: []string{"macos"}, Rules: map[string]string{"needs-approval": "off"}}
	m := Merge(c, over)
	if !reflect.DeepEqual(m.Platforms, []string{"macos"}) || m.Rules["unknown-key"] != "off" || m.Rules["needs-approval"] != "off" {
		t.Errorf("merge: %+v", m)
	}
	if len(c.Rules) != 1 {
		t.Error("merge modified its input")
	}
	if none, _ := ForFile(filepath.Join(t.TempDir(), "x.entitlements")); none == nil || len(none.Platforms) != 0 {
		t.Error("a directory without config should give an empty config")
	}
}

func TestExcluded(t *testing.T) {
	c := &Config{Dir: "/p", Exclude: []string{"Pods/**", "*Tests.entitlements", "build/*.entitlements"}}
	for path, want := range map[string]bool{
		"/p/Pods/X/X.entitlements":     true,
		"/p/App/AppTests.entitlements": true,
		"/p/build/a.entitlements":      true,
		"/p/App/App.entitlements":      false,
	} {
		if got := c.Excluded(path); got != want {
			t.Errorf("Excluded(%s) = %v", path, got)
		}
	}
}

func TestOptionsLoadsCatalogs(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "extra.json"), []byte(`{"keys": []}`), 0o644)
	c := &Config{Dir: dir, Catalogs: []string{"missing.json"}}
	if _, err := c.Options(); err == nil {
		t.Error("a missing extra catalog must be an error")
	}
}
