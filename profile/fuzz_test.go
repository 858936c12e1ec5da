package profile_test

import (
	"testing"

	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/profile/profiletest"
)

// FuzzParseProfile: Parse never panics, and what it accepts is usable.
func FuzzParseProfile(f *testing.F) {
	good, err := profiletest.IOSDevelopment(team, "com.example.app", created, nil).Build()
	if err != nil {
		f.Fatal(err)
	}
	mac, _ := profiletest.MacDeveloperID(team, "com.example.mac", created, nil).Build()
	notProfile, _ := profiletest.Sign([]byte(`<plist version="1.0"><dict><key>Entitlements</key><string>x</string></dict></plist>`))
	f.Add(good)
	f.Add(mac)
	f.Add(good[:len(good)/3])
	f.Add(notProfile)
	f.Add([]byte{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80, 0x00, 0x00})
	f.Add([]byte("bplist00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := profile.Parse(data)
		if err != nil {
			if p != nil {
				t.Fatal("a profile and an error")
			}
			return
		}
		// Everything a rule or the CLI calls must work on what Parse returns.
		_ = p.Kind()
		_ = p.TeamID()
		_, _ = p.BundleID()
		_, _ = p.Expand("$(AppIdentifierPrefix)$(CFBundleIdentifier)")
		_ = p.PlatformNames()
		_ = p.LatestCertificate()
		for _, k := range p.EntitlementKeys() {
			_, _ = profile.Strings(p.Entitlements[k])
		}
	})
}
