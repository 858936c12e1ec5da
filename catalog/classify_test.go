package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Classify is Lookup, Hallucination, InfoPlist and IsPrivate in one call;
// it must answer exactly what they answer, for every kind of name.
func TestClassifyAgreesWithLookups(t *testing.T) {
	c := Builtin()
	names := []string{"", "com.example.unknown", "NSCameraUsageDescription", "NSSomethingUsageDescription",
		"UIBackgroundModes", "com.apple.private.tcc.allow", "com.apple.private.anything.at.all",
		"com.apple.developer.app-groups", "aps-environment", "APS-ENVIRONMENT"}
	for _, k := range c.Keys() {
		names = append(names, k.Key, k.Key+"x")
	}
	for _, h := range c.Hallucinations() {
		names = append(names, h.Key)
	}
	for _, k := range c.InfoPlistKeys() {
		names = append(names, k.Key)
	}
	for _, k := range c.PrivateKeys() {
		names = append(names, k.Key)
	}
	for _, p := range c.PrivatePrefixes() {
		names = append(names, p.Prefix+"x")
	}
	kinds := map[string]int{}
	for _, name := range names {
		got := c.Classify(name)
		var want Class
		want.Key, _ = c.Lookup(name)
		want.Hallucination, _ = c.Hallucination(name)
		want.InfoPlist, _ = c.InfoPlist(name)
		want.Private = c.IsPrivate(name)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Classify(%q) = %+v, separate lookups say %+v", name, got, want)
		}
		switch {
		case got.Key != nil:
			kinds["real"]++
		case got.Hallucination != nil:
			kinds["hallucination"]++
		case got.InfoPlist != nil:
			kinds["info"]++
		case got.Private:
			kinds["private"]++
		default:
			kinds["unknown"]++
		}
	}
	for _, kind := range []string{"real", "hallucination", "info", "private", "unknown"} {
		if kinds[kind] == 0 {
			t.Errorf("no %s name among the %d tried: the test does not cover it", kind, len(names))
		}
	}
}

// TestPatternAndPrefixFilters: the cheap tests in front of the Info.plist
// patterns (first byte) and the private prefixes (their common start) never
// hide a match, including for a pattern with no literal prefix (which makes
// every key a candidate) and private prefixes that share less.
func TestPatternAndPrefixFilters(t *testing.T) {
	extra := filepath.Join(t.TempDir(), "extra.json")
	err := os.WriteFile(extra, []byte(`{
		"infoPlistPatterns": [{"pattern": "^[a-z]+Thing$", "summary": "A test pattern.", "addedIn": "1.0.0"}],
		"private": {"prefixes": [{"prefix": "net.example.private.", "reason": "A test prefix.", "source": "https://example.com/private", "addedIn": "1.0.0"}]}
	}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(extra)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Catalog{Builtin(), loaded} {
		names := []string{"", "a", "N", "NS", "NSCameraUsageDescription", "UIFoo", "uiFoo", "CFBundleName", "c", "com",
			"com.apple.private.x", "com.apple.privat", "com.apple.rootless.x", "net.example.private.x", "net.example.privat",
			"fooThing", "FooThing", "Thing", "com.apple.developer.app-groups"}
		for _, k := range c.Keys() {
			names = append(names, k.Key, k.Key[:len(k.Key)/2])
		}
		for _, name := range names {
			var want *InfoPlistKey
			for i, re := range c.patRE {
				if re.MatchString(name) {
					p := c.patterns[i]
					want = &InfoPlistKey{Key: name, Summary: p.Summary, AddedIn: p.AddedIn, ChangedIn: p.ChangedIn, Pattern: p.Pattern}
					break
				}
			}
			if got := c.infoPattern(name); !reflect.DeepEqual(got, want) {
				t.Errorf("infoPattern(%q) = %+v, every pattern tried says %+v", name, got, want)
			}
			wantPrivate := false
			for _, p := range c.prefixes {
				wantPrivate = wantPrivate || strings.HasPrefix(name, p.Prefix)
			}
			if _, got := c.privatePrefix(name); got != wantPrivate {
				t.Errorf("privatePrefix(%q) = %v, every prefix tried says %v", name, got, wantPrivate)
			}
		}
	}
	if c := loaded; c.infoPattern("fooThing") == nil || !c.IsPrivate("net.example.private.x") {
		t.Errorf("the test catalog's own pattern and prefix do not match")
	}
}
