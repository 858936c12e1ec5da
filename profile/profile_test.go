package profile_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/profile/profiletest"
)

const team = "ABCDE12345"

var created = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

func build(t *testing.T, s profiletest.Spec) []byte {
	t.Helper()
	data, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseDevelopmentProfile(t *testing.T) {
	spec := profiletest.IOSDevelopment(team, "com.example.app", created, map[string]any{
		"com.apple.security.application-groups": []any{"group.com.example.shared"},
	})
	spec.Certs = append(spec.Certs, profiletest.Cert{CommonName: "Apple Development: John Appleseed (QWE1234567)", Team: team,
		NotBefore: created, NotAfter: created.AddDate(0, 6, 0)})
	dir := t.TempDir()
	path := profiletest.Write(t, dir, "App_Dev.mobileprovision", spec)
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Path", p.Path, path},
		{"Name", p.Name, "iOS Team Provisioning Profile: com.example.app"},
		{"UUID", p.UUID, spec.UUID},
		{"TeamID", p.TeamID(), team},
		{"TeamName", p.TeamName, "Example Corp"},
		{"AppIDName", p.AppIDName, "XC com.example.app"},
		{"AppID", p.AppID(), team + ".com.example.app"},
		{"AppIDPrefix", p.AppIDPrefix(), team},
		{"Platforms", strings.Join(p.PlatformNames(), ","), "iOS,visionOS"},
		{"Devices", len(p.Devices), 2},
		{"Kind", p.Kind(), profile.Development},
		{"Created", p.CreationDate, created},
		{"Expires", p.ExpirationDate, created.AddDate(1, 0, 0)},
		{"Certificates", len(p.Certificates), 2},
		{"Cert CN", p.Certificates[0].CommonName, "Apple Development: Jane Appleseed (XYZ9876543)"},
		{"Cert team", p.Certificates[0].Team, team},
		{"Cert expiry", p.Certificates[1].NotAfter, created.AddDate(0, 6, 0)},
		{"Latest cert", p.LatestCertificate().CommonName, "Apple Development: Jane Appleseed (XYZ9876543)"},
		{"Signature valid", p.Signature.Valid, true},
		{"Signer", p.Signature.Signer, "Test Provisioning Profile Signing"},
		{"GetTaskAllow", p.GetTaskAllow(), true},
		{"Wildcard App ID", p.WildcardAppID(), false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if len(p.Certificates[0].SHA1) != 40 || len(p.Certificates[0].SHA256) != 64 {
		t.Errorf("fingerprints: %q %q", p.Certificates[0].SHA1, p.Certificates[0].SHA256)
	}
	if id, ok := p.BundleID(); !ok || id != "com.example.app" {
		t.Errorf("BundleID = %q, %v", id, ok)
	}
	groups, ok := profile.Strings(p.Entitlements["com.apple.security.application-groups"])
	if !ok || len(groups) != 1 || groups[0] != "group.com.example.shared" {
		t.Errorf("app groups = %v, %v", groups, ok)
	}
	// The same Cert always gives the same certificate, so golden files can
	// show fingerprints.
	again, _ := profile.Parse(build(t, spec))
	if again.Certificates[0].SHA1 != p.Certificates[0].SHA1 {
		t.Errorf("developer certificates are not deterministic")
	}
}

func TestKind(t *testing.T) {
	ios := []string{"iOS"}
	mac := []string{"OSX"}
	cases := []struct {
		name       string
		platforms  []string
		devices    []string
		allDevices bool
		getTask    any
		want       profile.Kind
	}{
		{"iOS development", ios, []string{"UDID"}, false, true, profile.Development},
		{"iOS ad hoc", ios, []string{"UDID"}, false, false, profile.AdHoc},
		{"iOS App Store", ios, nil, false, false, profile.AppStore},
		{"iOS enterprise", ios, nil, true, false, profile.Enterprise},
		{"macOS development", mac, []string{"UDID"}, false, nil, profile.Development},
		{"macOS App Store", mac, nil, false, nil, profile.AppStore},
		{"Developer ID", mac, nil, true, nil, profile.DeveloperID},
		{"Mac Catalyst style", []string{"OSX", "iOS"}, nil, true, false, profile.Enterprise},
		{"tvOS development without devices", []string{"tvOS"}, nil, false, true, profile.Development},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ents := map[string]any{"application-identifier": team + ".com.example.app"}
			if c.getTask != nil {
				ents["get-task-allow"] = c.getTask
			}
			s := profiletest.Spec{Name: c.name, UUID: "U", TeamID: team, Platforms: c.platforms, Devices: c.devices,
				AllDevices: c.allDevices, Expires: created.AddDate(1, 0, 0), Entitlements: ents}
			p, err := profile.Parse(build(t, s))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Kind(); got != c.want {
				t.Errorf("Kind = %s, want %s", got, c.want)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	cases := []struct {
		pattern, claimed string
		want             bool
	}{
		{"ABCDE12345.*", "ABCDE12345.com.example.app", true},
		{"ABCDE12345.*", "ABCDE12345.", true},
		{"ABCDE12345.*", "ZZZZZ12345.com.example.app", false},
		{"ABCDE12345.com.example.*", "ABCDE12345.com.example.app.widget", true},
		{"ABCDE12345.com.example.*", "ABCDE12345.com.other.app", false},
		{"*", "applinks:example.com", true},
		{"*", "", true},
		{"group.com.example.shared", "group.com.example.shared", true},
		{"group.com.example.shared", "group.com.example.Shared", false},
		{"group.com.example.shared", "group.com.example.shared2", false},
		{"packet-tunnel-provider-systemextension", "packet-tunnel-provider", false},
		{"iCloud.*", "iCloud.com.example.app", true},
		{"a*b", "a*b", true}, // a '*' that is not last is literal
		{"a*b", "axb", false},
	}
	for _, c := range cases {
		if got := profile.Matches(c.pattern, c.claimed); got != c.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", c.pattern, c.claimed, got, c.want)
		}
	}
	if !profile.IsWildcard("*") || !profile.IsWildcard("A.*") || profile.IsWildcard("a*b") {
		t.Error("IsWildcard")
	}
}

func TestExpand(t *testing.T) {
	explicit := &profile.Profile{TeamIdentifiers: []string{team}, AppIDPrefixes: []string{"PREFIX1234"},
		Entitlements: map[string]any{"application-identifier": "PREFIX1234.com.example.app"}}
	wild := &profile.Profile{TeamIdentifiers: []string{team},
		Entitlements: map[string]any{"application-identifier": team + ".*"}}
	cases := []struct {
		p      *profile.Profile
		in     string
		want   string
		wantOK bool
	}{
		{explicit, "$(AppIdentifierPrefix)com.example.shared", "PREFIX1234.com.example.shared", true},
		{explicit, "${AppIdentifierPrefix}com.example.shared", "PREFIX1234.com.example.shared", true},
		{explicit, "$(TeamIdentifierPrefix)group", team + ".group", true},
		{explicit, "$(AppIdentifierPrefix)$(CFBundleIdentifier)", "PREFIX1234.com.example.app", true},
		{explicit, "$(AppIdentifierPrefix)$(PRODUCT_BUNDLE_IDENTIFIER)", "PREFIX1234.com.example.app", true},
		{explicit, "group.$(PRODUCT_BUNDLE_IDENTIFIER:lower)", "group.$(PRODUCT_BUNDLE_IDENTIFIER:lower)", false},
		{explicit, "$(DEVELOPMENT_TEAM).x", "$(DEVELOPMENT_TEAM).x", false},
		{wild, "$(AppIdentifierPrefix)$(CFBundleIdentifier)", team + ".$(CFBundleIdentifier)", false},
		{wild, "plain", "plain", true},
	}
	for _, c := range cases {
		got, ok := c.p.Expand(c.in)
		if got != c.want || ok != c.wantOK {
			t.Errorf("Expand(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.wantOK)
		}
	}
}

func TestLookupSpellings(t *testing.T) {
	p := &profile.Profile{Entitlements: map[string]any{"com.apple.application-identifier": "A.b", "aps-environment": "development"}}
	if v, key, ok := p.Lookup("application-identifier"); !ok || key != "com.apple.application-identifier" || v != "A.b" {
		t.Errorf("Lookup(application-identifier) = %v %q %v", v, key, ok)
	}
	if _, key, ok := p.Lookup("com.apple.developer.aps-environment"); !ok || key != "aps-environment" {
		t.Errorf("Lookup(macOS aps-environment) = %q %v", key, ok)
	}
	if _, _, ok := p.Lookup("com.apple.developer.healthkit"); ok {
		t.Error("found a key the profile lacks")
	}
}

func TestSupports(t *testing.T) {
	cases := []struct {
		platforms []string
		target    string
		want      bool
	}{
		{[]string{"iOS"}, "ios", true},
		{[]string{"iOS"}, "ipados", true},
		{[]string{"iOS"}, "watchos", true},
		{[]string{"iOS"}, "visionos", true},
		{[]string{"iOS"}, "macos", false},
		{[]string{"iOS"}, "catalyst", false},
		{[]string{"iOS"}, "tvos", false},
		{[]string{"OSX"}, "macos", true},
		{[]string{"OSX"}, "catalyst", true},
		{[]string{"OSX"}, "driverkit", true},
		{[]string{"OSX"}, "ios", false},
		{[]string{"tvOS"}, "tvos", true},
		{[]string{"tvOS"}, "ios", false},
		{[]string{"xrOS"}, "visionos", true},
		{[]string{"xrOS"}, "ios", false},
	}
	for _, c := range cases {
		p := &profile.Profile{Platforms: c.platforms}
		if got := p.Supports(c.target); got != c.want {
			t.Errorf("%v supports %s = %v, want %v", c.platforms, c.target, got, c.want)
		}
	}
}

func TestDaysUntil(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		t    time.Time
		want int
	}{
		{now.Add(36 * time.Hour), 1},
		{now.Add(23 * time.Hour), 0},
		{now, 0},
		{now.Add(-time.Hour), 0},
		{now.Add(-49 * time.Hour), -2},
	}
	for _, c := range cases {
		if got := profile.DaysUntil(now, c.t); got != c.want {
			t.Errorf("DaysUntil(%v) = %d, want %d", c.t.Sub(now), got, c.want)
		}
	}
	p := &profile.Profile{ExpirationDate: now}
	if !p.Expired(now) || p.Expired(now.Add(-time.Second)) {
		t.Error("Expired")
	}
}

// A signature that does not verify is reported, not fatal: the profile is
// still read.
func TestTamperedSignature(t *testing.T) {
	data := build(t, profiletest.IOSDevelopment(team, "com.example.app", created, nil))
	i := bytes.Index(data, []byte("<string>"+team+".com.example.app"))
	if i < 0 {
		t.Fatal("payload not found")
	}
	data[i+len("<string>")+len(team)+1] = 'C' // same length, different content: the digest no longer matches
	p, err := profile.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Signature.Valid || p.Signature.Err == "" {
		t.Errorf("tampered profile: signature = %+v", p.Signature)
	}
	if p.AppID() != team+".Com.example.app" {
		t.Errorf("AppID = %q", p.AppID())
	}
}

func TestMalformed(t *testing.T) {
	good := build(t, profiletest.IOSDevelopment(team, "com.example.app", created, nil))
	notProfile, err := profiletest.Sign([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>com.example.app</string></dict></plist>`))
	if err != nil {
		t.Fatal(err)
	}
	notPlist, _ := profiletest.Sign([]byte("hello, world"))
	arrayRoot, _ := profiletest.Sign([]byte(`<plist version="1.0"><array><string>x</string></array></plist>`))
	payload, _ := profiletest.IOSDevelopment(team, "com.example.app", created, nil).Payload()
	detached, err := profiletest.SignDetached(payload)
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(i*7919 + i/13)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty file"},
		{"random bytes", random, "not a CMS"},
		{"text", []byte("not a profile at all"), "not a CMS"},
		{"bare plist", payload, "bare property list"},
		{"binary plist", []byte("bplist00\x08\x09"), "bare property list"},
		{"truncated CMS", good[:len(good)/2], "truncated"},
		{"truncated header", good[:40], "truncated"},
		{"ASN.1 that is not CMS", []byte{0x30, 0x03, 0x02, 0x01, 0x05}, "not a CMS"},
		{"CMS without content", detached, "no content"},
		{"plist that is not a profile", notProfile, "no Entitlements"},
		{"content that is not a plist", notPlist, "not a property list"},
		{"plist whose root is not a dict", arrayRoot, "not a dictionary"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := profile.Parse(c.data)
			if err == nil {
				t.Fatalf("parsed: %+v", p)
			}
			var pe *profile.Error
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *profile.Error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := profile.Load(filepath.Join(dir, "missing.mobileprovision")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.mobileprovision")
	os.WriteFile(bad, []byte("garbage"), 0o644)
	_, err := profile.Load(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+": ") {
		t.Errorf("error does not name the file: %v", err)
	}
}
