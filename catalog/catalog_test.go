package catalog

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite entitlements.json in canonical form")

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEmbeddedMatchesSchema validates entitlements.json against schema.json
// with the same validator Load uses for extra files, plus the file checks.
func TestEmbeddedMatchesSchema(t *testing.T) {
	sv, err := embeddedSchema()
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := parseFile("entitlements.json", builtinJSON, sv)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version == "" || f.FactsDate == "" || f.Private == nil ||
		len(f.Keys) == 0 || len(f.Hallucinations) == 0 || len(f.InfoPlistKeys) == 0 || len(f.InfoPlistPatterns) == 0 {
		t.Fatal("the embedded catalog must have every top-level field")
	}
	m := newMerger(Builtin())
	if err := m.check(); err != nil {
		t.Fatal(err)
	}
}

// TestCanonicalForm keeps entitlements.json in the form WriteJSON produces,
// so that hand edits stay diff-friendly. Run with -update to rewrite it.
func TestCanonicalForm(t *testing.T) {
	got, err := Builtin().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, builtinJSON) {
		return
	}
	if *update {
		if err := os.WriteFile("entitlements.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("rewrote entitlements.json; rebuild to embed it")
		return
	}
	t.Fatal("entitlements.json is not in canonical form (sorted entries, 2-space indent); run: go test ./catalog -run TestCanonicalForm -update")
}

var (
	versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+(\.[0-9]+)?$`)
	semverRE  = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
)

func TestIntegrity(t *testing.T) {
	c := Builtin()
	if !semverRE.MatchString(c.Version()) {
		t.Errorf("version %q is not semver", c.Version())
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(c.FactsDate()) {
		t.Errorf("factsDate %q", c.FactsDate())
	}
	seen := map[string]bool{}
	for _, k := range c.Keys() {
		if seen[k.Key] {
			t.Errorf("duplicate key %s", k.Key)
		}
		seen[k.Key] = true
		if k.Type == "" || k.Title == "" || k.Summary == "" || k.Restriction == "" || k.Source == "" {
			t.Errorf("%s: missing type, title, summary, restriction or source", k.Key)
		}
		if !strings.HasPrefix(k.DocURL, "https://developer.apple.com/") {
			t.Errorf("%s: docURL %q is not an Apple developer page", k.Key, k.DocURL)
		}
		if len(k.Platforms) == 0 {
			t.Errorf("%s: no platforms", k.Key)
		}
		for p, pi := range k.Platforms {
			if !p.Valid() {
				t.Errorf("%s: unknown platform %q", k.Key, p)
			}
			if !versionRE.MatchString(pi.Since) {
				t.Errorf("%s: %s since %q", k.Key, p, pi.Since)
			}
			if pi.Deprecated != "" && !versionRE.MatchString(pi.Deprecated) {
				t.Errorf("%s: %s deprecated %q", k.Key, p, pi.Deprecated)
			}
			if pi.Deprecated != "" && compareVersions(pi.Deprecated, pi.Since) < 0 {
				t.Errorf("%s: %s deprecated %s before it was introduced (%s)", k.Key, p, pi.Deprecated, pi.Since)
			}
		}
		if !semverRE.MatchString(k.AddedIn) || (k.ChangedIn != "" && !semverRE.MatchString(k.ChangedIn)) {
			t.Errorf("%s: addedIn/changedIn", k.Key)
		}
		if k.ValuesOpen && len(k.Values) == 0 {
			t.Errorf("%s: valuesOpen without values", k.Key)
		}
		for _, v := range k.Values {
			if v.Summary == "" {
				t.Errorf("%s: value %q has no summary", k.Key, v.Value)
			}
		}
		for _, r := range k.Related {
			if _, ok := c.Lookup(r); !ok {
				t.Errorf("%s: related key %q is not real", k.Key, r)
			}
			if r == k.Key {
				t.Errorf("%s: related to itself", k.Key)
			}
		}
		if k.Deprecated != nil && k.Deprecated.Successor != "" {
			if _, ok := c.Lookup(k.Deprecated.Successor); !ok {
				t.Errorf("%s: successor %q is not real", k.Key, k.Deprecated.Successor)
			}
		}
		// macOS groups only make sense for macOS keys.
		if k.MacOSGroup != GroupNone && !k.AvailableOn(MacOS) {
			t.Errorf("%s: macosGroup %q but not available on macOS", k.Key, k.MacOSGroup)
		}
		if strings.HasPrefix(k.Key, "com.apple.security.cs.") && k.MacOSGroup != GroupHardenedRuntime {
			t.Errorf("%s: Hardened Runtime exception must be in the hardened-runtime group", k.Key)
		}
		// Every other real key must not be classified elsewhere.
		if _, ok := c.hallByK[k.Key]; ok {
			t.Errorf("%s is both real and a hallucination", k.Key)
		}
		if _, ok := c.infoByK[k.Key]; ok {
			t.Errorf("%s is both real and an Info.plist key", k.Key)
		}
		if _, ok := c.privByK[k.Key]; ok {
			t.Errorf("%s is both real and private", k.Key)
		}
		for _, p := range c.prefixes {
			if strings.HasPrefix(k.Key, p.Prefix) {
				t.Errorf("%s matches private prefix %s", k.Key, p.Prefix)
			}
		}
		for i, re := range c.patRE {
			if re.MatchString(k.Key) {
				t.Errorf("%s matches Info.plist pattern %s", k.Key, c.patterns[i].Pattern)
			}
		}
		if c.IsPrivate(k.Key) {
			t.Errorf("IsPrivate(%s) for a real key", k.Key)
		}
		if _, ok := c.InfoPlist(k.Key); ok {
			t.Errorf("InfoPlist(%s) for a real key", k.Key)
		}
	}
	for _, h := range c.Hallucinations() {
		if h.Reason == "" || h.Source == "" {
			t.Errorf("hallucination %s: missing reason or source", h.Key)
		}
		refs := append([]string{}, h.Alternatives...)
		if h.Replacement != "" {
			refs = append(refs, h.Replacement)
		}
		for _, r := range h.PlatformReplacements {
			refs = append(refs, r)
		}
		for _, r := range refs {
			if _, ok := c.Lookup(r); !ok {
				t.Errorf("hallucination %s points at %q, which is not a real key", h.Key, r)
			}
		}
		switch h.Kind {
		case KindReplace:
			if h.Replacement == "" {
				t.Errorf("hallucination %s: replace without replacement", h.Key)
			}
		case KindInfoPlist:
			if h.InfoPlist == nil {
				t.Errorf("hallucination %s: info-plist without infoPlist", h.Key)
			} else if _, ok := c.InfoPlist(h.InfoPlist.Key); !ok {
				t.Errorf("hallucination %s: Info.plist key %q is not in the Info.plist list", h.Key, h.InfoPlist.Key)
			}
		case KindRemove, KindAppIDService:
		default:
			t.Errorf("hallucination %s: kind %q", h.Key, h.Kind)
		}
		if h.Replacement == h.Key {
			t.Errorf("hallucination %s replaces itself", h.Key)
		}
	}
	for _, k := range c.InfoPlistKeys() {
		if k.Summary == "" {
			t.Errorf("Info.plist key %s has no summary", k.Key)
		}
	}
	for _, k := range c.PrivateKeys() {
		if k.Reason == "" || k.Source == "" {
			t.Errorf("private key %s: missing reason or source", k.Key)
		}
	}
}

func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < 3; i++ {
		var x, y int
		if i < len(pa) {
			x = atoi(pa[i])
		}
		if i < len(pb) {
			y = atoi(pb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// words splits text into lower-case words for the "not copied" check.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// TestSummariesAreOurOwn is a crude check that no summary copies the
// research table's paraphrases: none identical, none sharing a run of 8 or
// more consecutive words.
func TestSummariesAreOurOwn(t *testing.T) {
	const run = 8
	grams := map[string]string{}
	exact := map[string]bool{}
	for _, s := range readLines(t, "testdata/source-summaries.txt") {
		exact[strings.ToLower(strings.TrimSpace(s))] = true
		w := words(s)
		for i := 0; i+run <= len(w); i++ {
			grams[strings.Join(w[i:i+run], " ")] = s
		}
	}
	check := func(what, text string) {
		if exact[strings.ToLower(strings.TrimSpace(text))] {
			t.Errorf("%s: summary identical to the source table", what)
			return
		}
		w := words(text)
		for i := 0; i+run <= len(w); i++ {
			if src, ok := grams[strings.Join(w[i:i+run], " ")]; ok {
				t.Errorf("%s: summary shares %d words with the source table (%q)", what, run, src)
				return
			}
		}
	}
	for _, k := range Builtin().Keys() {
		check(k.Key, k.Summary)
		for _, v := range k.Values {
			check(k.Key+"="+v.Value, v.Summary)
		}
	}
}

func TestCoverage(t *testing.T) {
	c := Builtin()
	for _, k := range readLines(t, "testdata/tsv-keys.txt") {
		if _, ok := c.Lookup(k); !ok {
			t.Errorf("key %s from the facts table is missing", k)
		}
	}
	if n := len(c.Keys()); n < 250 {
		t.Errorf("only %d real keys", n)
	}
	// Keys Xcode and the signing tools add themselves.
	for _, k := range []string{
		"application-identifier", "com.apple.application-identifier", "com.apple.developer.team-identifier",
		"get-task-allow", "com.apple.security.get-task-allow", "beta-reports-active", "keychain-access-groups",
		"aps-environment", "com.apple.developer.aps-environment", "com.apple.developer.icloud-container-environment",
		"com.apple.developer.ubiquity-kvstore-identifier", "com.apple.developer.ubiquity-container-identifiers",
		"com.apple.developer.icloud-container-identifiers", "com.apple.developer.icloud-services",
		"com.apple.developer.icloud-container-development-container-identifiers",
		"com.apple.developer.default-data-protection",
	} {
		if _, ok := c.Lookup(k); !ok {
			t.Errorf("signing key %s is missing", k)
		}
	}
}

// TestSeedHallucinations lists every wrong key from the seed facts
// (section 1, rows 1-21) and the catalog notes, with the expected fix.
func TestSeedHallucinations(t *testing.T) {
	c := Builtin()
	cases := []struct {
		key         string
		kind        HallucinationKind
		replacement string
	}{
		// seed facts section 1a (rows 1-16)
		{"com.apple.developer.push-notifications", KindReplace, "aps-environment"},
		{"com.apple.developer.in-app-purchase", KindAppIDService, ""},
		{"com.apple.InAppPurchase", KindAppIDService, ""},
		{"com.apple.developer.storekit", KindAppIDService, ""},
		{"com.apple.developer.app-groups", KindReplace, "com.apple.security.application-groups"},
		{"com.apple.developer.background-modes", KindInfoPlist, ""},
		{"UIBackgroundModes", KindInfoPlist, ""},
		{"com.apple.developer.voip-push-notification", KindInfoPlist, ""},
		{"com.apple.developer.family-controls.user-authorization", KindReplace, "com.apple.developer.family-controls"},
		{"com.apple.developer.device-activity", KindReplace, "com.apple.developer.family-controls"},
		{"com.apple.developer.managed-settings", KindReplace, "com.apple.developer.family-controls"},
		{"com.apple.developer.callkit.call-directory", KindRemove, ""},
		{"com.apple.developer.nearby-interaction", KindRemove, ""},
		{"com.apple.developer.secure-enclave", KindRemove, ""},
		{"com.apple.developer.networking.configuration", KindReplace, "com.apple.developer.networking.HotspotConfiguration"},
		{"com.apple.developer.musickit", KindAppIDService, ""},
		// section 1b: row 20 (row 17 is private, rows 18/19 are values, row 21 repeats row 2)
		{"FAMILY_CONTROLS", KindReplace, "com.apple.developer.family-controls"},
		// catalog notes: keys in code or the wild
		{"com.apple.developer.proximity-reader.tap-to-pay", KindReplace, "com.apple.developer.proximity-reader.payment.acceptance"},
		{"com.apple.developer.memory.transfer-accept", KindReplace, "com.apple.developer.memory.transfer_accept"},
		{"com.apple.security.device.print", KindReplace, "com.apple.security.print"},
		{"com.apple.security.networking", KindReplace, "com.apple.vm.networking"},
		{"com.apple.security.device-access", KindReplace, "com.apple.vm.device-access"},
		{"com.apple.security.cs.allow-unsafe-dyld-environment-variables", KindReplace, "com.apple.security.cs.allow-dyld-environment-variables"},
		{"com.apple.developer.nfc.readersession.iso7816.select-identifiers", KindInfoPlist, ""},
		{"com.apple.developer.nfc.readersession.felica.systemcodes", KindInfoPlist, ""},
	}
	for _, tc := range cases {
		h, ok := c.Hallucination(tc.key)
		if !ok {
			t.Errorf("%s: not a known hallucination", tc.key)
			continue
		}
		if h.Kind != tc.kind || h.Replacement != tc.replacement {
			t.Errorf("%s: got kind %s replacement %q, want %s %q", tc.key, h.Kind, h.Replacement, tc.kind, tc.replacement)
		}
	}
	push, _ := c.Hallucination("com.apple.developer.push-notifications")
	if got := push.ReplacementFor(MacOS); got != "com.apple.developer.aps-environment" {
		t.Errorf("push on macOS: %s", got)
	}
	if got := push.ReplacementFor(IOS); got != "aps-environment" {
		t.Errorf("push on iOS: %s", got)
	}
	voip, _ := c.Hallucination("com.apple.developer.voip-push-notification")
	if voip.InfoPlist == nil || voip.InfoPlist.Key != "UIBackgroundModes" || voip.InfoPlist.Value != "voip" {
		t.Errorf("voip: %+v", voip.InfoPlist)
	}
	// Real keys that look invented must not be listed.
	for _, real := range []string{"com.apple.developer.healthkit.background-delivery", "com.apple.developer.family-controls"} {
		if _, ok := c.Hallucination(real); ok {
			t.Errorf("%s is real", real)
		}
		if _, ok := c.Lookup(real); !ok {
			t.Errorf("%s should be real", real)
		}
	}
	// Row 17: private.
	if !c.IsPrivate("com.apple.private.security.restricted-application-groups") || !c.IsPrivate("com.apple.private.anything") {
		t.Error("com.apple.private.* must be private")
	}
}

func TestClassification(t *testing.T) {
	c := Builtin()
	for _, tc := range []struct {
		key                          string
		real, hall, private, infoKey bool
	}{
		{"com.apple.security.app-sandbox", true, false, false, false},
		{"NSCameraUsageDescription", false, false, false, true},
		{"NSWhateverUsageDescription", false, false, false, true},
		{"CFBundleShortVersionString", false, false, false, true},
		{"LSApplicationQueriesSchemes", false, false, false, true},
		{"UIBackgroundModes", false, true, false, true},
		{"platform-application", false, false, true, false},
		{"com.apple.rootless.install", false, false, true, false},
		{"task_for_pid-allow", false, false, true, false},
		{"com.apple.example.unknown", false, false, false, false},
	} {
		_, real := c.Lookup(tc.key)
		_, hall := c.Hallucination(tc.key)
		_, info := c.InfoPlist(tc.key)
		if real != tc.real || hall != tc.hall || c.IsPrivate(tc.key) != tc.private || info != tc.infoKey {
			t.Errorf("%s: real=%v hall=%v private=%v info=%v", tc.key, real, hall, c.IsPrivate(tc.key), info)
		}
	}
	ik, _ := c.InfoPlist("NSWhateverUsageDescription")
	if ik.Pattern == "" || ik.Key != "NSWhateverUsageDescription" {
		t.Errorf("pattern match: %+v", ik)
	}
	pm, _ := c.Private("com.apple.private.tcc.allow")
	if pm.Prefix != "com.apple.private." || pm.Reason == "" {
		t.Errorf("private match: %+v", pm)
	}
}

func TestKeyAccessors(t *testing.T) {
	c := Builtin()
	k, ok := c.Lookup("aps-environment")
	if !ok {
		t.Fatal("aps-environment missing")
	}
	if v, ok := k.Since(IOS); !ok || v != "10.0" {
		t.Errorf("aps-environment since iOS %q %v", v, ok)
	}
	if k.AvailableOn(MacOS) {
		t.Error("aps-environment is not the macOS key")
	}
	if _, ok := k.Value("production"); !ok {
		t.Error("production value")
	}
	mac := c.KeysFor(MacOS)
	found := false
	for i, k := range mac {
		if i > 0 && mac[i-1].Key >= k.Key {
			t.Fatal("KeysFor not sorted")
		}
		if !k.AvailableOn(MacOS) {
			t.Fatalf("%s not on macOS", k.Key)
		}
		if k.Key == "com.apple.developer.aps-environment" {
			found = true
		}
	}
	if !found {
		t.Error("KeysFor(macos) lacks com.apple.developer.aps-environment")
	}
	dk, _ := c.Lookup("com.apple.developer.driverkit.transport.usb")
	if !dk.AvailableOn(DriverKit) || !dk.AvailableOn(MacOS) {
		t.Error("DriverKit keys are available on driverkit and macos")
	}
	if s, ok := dk.DeprecatedOn(MacOS); ok {
		t.Errorf("transport.usb deprecated %s", s)
	}
	hv, _ := c.Lookup("com.apple.vm.hypervisor")
	if s, ok := hv.DeprecatedOn(MacOS); !ok || s != "11.0" || hv.Deprecated == nil || hv.Deprecated.Successor != "com.apple.security.hypervisor" {
		t.Errorf("vm.hypervisor deprecation %q %v %+v", s, ok, hv.Deprecated)
	}
	for _, tc := range []struct {
		key   string
		group MacOSGroup
	}{
		{"com.apple.security.network.client", GroupSandbox},
		{"com.apple.security.files.user-selected.read-write", GroupSandbox},
		{"com.apple.security.cs.disable-library-validation", GroupHardenedRuntime},
		{"com.apple.security.device.camera", GroupBoth},
		{"com.apple.security.device.audio-input", GroupBoth},
		{"com.apple.security.personal-information.location", GroupBoth},
		{"com.apple.security.automation.apple-events", GroupBoth},
		{"com.apple.security.app-sandbox", GroupNone},
		{"com.apple.security.application-groups", GroupNone},
	} {
		k, _ := c.Lookup(tc.key)
		if k.MacOSGroup != tc.group {
			t.Errorf("%s: group %q, want %q", tc.key, k.MacOSGroup, tc.group)
		}
	}
}

func BenchmarkBuiltinParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f, err := decodeFile(builtinJSON)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := newCatalog(f); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAnchoredLiteral(t *testing.T) {
	for pattern, want := range map[string]string{
		"^NS[A-Za-z]+UsageDescription$": "NS",
		"^CFBundle":                     "CFBundle",
		"^UT(Exported|Imported)Type":    "UT",
		"^ab*c":                         "a",
		"^a|^b":                         "",
		"NS":                            "",
	} {
		if got := anchoredLiteral(pattern); got != want {
			t.Errorf("anchoredLiteral(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestBuiltinVersionMatches(t *testing.T) {
	if BuiltinVersion() != Builtin().Version() {
		t.Errorf("BuiltinVersion %q, Builtin().Version() %q", BuiltinVersion(), Builtin().Version())
	}
}
