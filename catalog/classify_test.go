package catalog

import (
	"reflect"
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
