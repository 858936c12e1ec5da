package catalog

import (
	"testing"
	"time"
)

func TestSuggest(t *testing.T) {
	c := Builtin()
	cases := []struct {
		typo, want string
	}{
		{"com.apple.security.cs.disable-library-validationr", "com.apple.security.cs.disable-library-validation"},
		{"com.apple.security.aplication-groups", "com.apple.security.application-groups"},
		{"com.apple.developer.asociated-domains", "com.apple.developer.associated-domains"},
		// case errors
		{"com.apple.developer.Associated-domains", "com.apple.developer.associated-domains"},
		{"com.apple.developer.networking.hotspotconfiguration", "com.apple.developer.networking.HotspotConfiguration"},
		{"com.apple.developer.classkit-environment", "com.apple.developer.ClassKit-environment"},
		// missing letters / segments
		{"aps-enviroment", "aps-environment"},
		{"com.apple.security.disable-library-validation", "com.apple.security.cs.disable-library-validation"},
		{"com.apple.developer.icloud-container-identifier", "com.apple.developer.icloud-container-identifiers"},
		{"keychain-access-group", "keychain-access-groups"},
		{"com.apple.developer.ubiquity-kvstore-identifer", "com.apple.developer.ubiquity-kvstore-identifier"},
		// swapped letters
		{"com.apple.secuirty.app-sandbox", "com.apple.security.app-sandbox"},
		{"com.apple.security.network.clinet", "com.apple.security.network.client"},
		// punctuation
		{"com.apple.developer.healthkit.backgrounddelivery", "com.apple.developer.healthkit.background-delivery"},
		{"com.apple.security.files.user-selected.readwrite", "com.apple.security.files.user-selected.read-write"},
		{"com.apple.developer.networking.network-extension", "com.apple.developer.networking.networkextension"},
		// wrong namespace, same last segment
		{"com.apple.developer.app-sandbox", "com.apple.security.app-sandbox"},
		// extra letters
		{"get-task-allowed", "get-task-allow"},
		{"com.apple.security.device.camra", "com.apple.security.device.camera"},
	}
	for _, tc := range cases {
		got := c.Suggest(tc.typo, 3)
		if len(got) == 0 || got[0].Key != tc.want {
			t.Errorf("Suggest(%q) = %v, want %s first", tc.typo, got, tc.want)
		}
	}
}

func TestSuggestDetails(t *testing.T) {
	c := Builtin()
	if got := c.Suggest("aps-environment", 1); len(got) != 1 || got[0].Distance != 0 {
		t.Errorf("exact key: %v", got)
	}
	if got := c.Suggest("APS-ENVIRONMENT", 1); len(got) != 1 || got[0].Key != "aps-environment" || got[0].Distance != 1 {
		t.Errorf("case-only difference counts 1: %v", got)
	}
	if got := c.Suggest("com.apple.security.cs.disable-library-validationr", 1); got[0].Distance != 1 {
		t.Errorf("distance: %v", got)
	}
	if got := c.Suggest("com.apple.secuirty.app-sandbox", 1); got[0].Distance != 1 {
		t.Errorf("a transposition counts 1: %v", got)
	}
	if got := c.Suggest("totally-unrelated-garbage-string-xyz", 5); len(got) != 0 {
		t.Errorf("garbage: %v", got)
	}
	if got := c.Suggest("", 5); got != nil {
		t.Errorf("empty: %v", got)
	}
	if got := c.Suggest("aps-environment", 0); got != nil {
		t.Errorf("max 0: %v", got)
	}
	got := c.Suggest("com.apple.developer.carplay-audo", 10)
	for i := 1; i < len(got); i++ {
		if got[i-1].Distance > got[i].Distance {
			t.Fatalf("not ranked: %v", got)
		}
	}
	if len(got) > 10 {
		t.Fatalf("more than max: %d", len(got))
	}
}

func TestOSA(t *testing.T) {
	var buf osaBuf
	for _, tc := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"abc", "abc", 0},
		{"abc", "acb", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3},
		{"flaw", "lawn", 2}, {"abcdef", "badcfe", 3},
	} {
		if got := osaBounded(tc.a, tc.b, 10, &buf); got != tc.d {
			t.Errorf("osa(%q,%q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
		if got := osaBounded(tc.b, tc.a, 10, &buf); got != tc.d {
			t.Errorf("osa(%q,%q) = %d, want %d", tc.b, tc.a, got, tc.d)
		}
		if tc.d > 0 {
			if got := osaBounded(tc.a, tc.b, tc.d-1, &buf); got <= tc.d-1 {
				t.Errorf("bounded osa(%q,%q,%d) = %d, want > limit", tc.a, tc.b, tc.d-1, got)
			}
		}
	}
}

// TestSuggestSpeed guards the "< 50µs per call" budget loosely (CI machines
// vary); BenchmarkSuggest gives the real number.
func TestSuggestSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	c := Builtin()
	const n = 2000
	start := time.Now()
	for i := 0; i < n; i++ {
		c.Suggest("com.apple.security.cs.disable-library-validationr", 5)
	}
	if per := time.Since(start) / n; per > 500*time.Microsecond {
		t.Errorf("Suggest takes %v per call", per)
	}
}

func BenchmarkSuggest(b *testing.B) {
	c := Builtin()
	typos := []string{
		"com.apple.security.cs.disable-library-validationr",
		"com.apple.developer.asociated-domains",
		"aps-enviroment",
		"com.apple.security.disable-library-validation",
		"totally-unrelated-garbage-string-xyz",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Suggest(typos[i%len(typos)], 5)
	}
}
