package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

// infoCase is one Info.plist cross-check: the entitlements dict body, the
// Info.plist dict body (nil: no Info.plist known), targets and the wanted
// findings of the infoplist-* rules.
type infoCase struct {
	name    string
	body    string
	info    *string
	targets Targets
	want    []want
	fixed   string // entitlements dict body after the first finding's preferred fix
}

func ip(body string) *string { return &body }

func runInfoCases(t *testing.T, cases []infoCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := plist(tc.body)
			opts := Options{Targets: tc.targets}
			if tc.info != nil {
				opts.InfoPlist = plistxml.Parse([]byte(plist(*tc.info)))
				opts.InfoPlistPath = "App/Info.plist"
			}
			res := Check([]byte(src), opts)
			var got []Finding
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Rule, "infoplist-") {
					got = append(got, f)
				}
			}
			text := func(s plistxml.Span) string {
				if !s.IsValid() {
					return "<no span>"
				}
				return src[s.Start:s.End]
			}
			if len(got) != len(tc.want) {
				var lines []string
				for _, f := range got {
					lines = append(lines, fmt.Sprintf("  %s at %q: %s", f.Rule, text(f.Span), f.Message))
				}
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), strings.Join(lines, "\n"))
			}
			for i, w := range tc.want {
				f := got[i]
				if f.Rule != w.rule || text(f.Span) != w.at || !strings.Contains(f.Message, w.msg) {
					t.Errorf("finding %d = %s at %q: %q\nwant      %s at %q containing %q", i, f.Rule, text(f.Span), f.Message, w.rule, w.at, w.msg)
				}
				if !strings.Contains(f.Message, "App/Info.plist") {
					t.Errorf("finding %d does not name the Info.plist: %q", i, f.Message)
				}
			}
			if tc.fixed == "" {
				return
			}
			if len(got) == 0 || len(got[0].Fixes) == 0 {
				t.Fatal("want a fix, the first finding has none")
			}
			fix := got[0].Fixes[0]
			if fix.Safe {
				t.Errorf("fix %q must not be safe: the value and the capability are the user's call", fix.Title)
			}
			out, skipped := ApplyEdits([]byte(src), fix.Edits)
			if len(skipped) > 0 {
				t.Fatal("overlapping edits")
			}
			if string(out) != plist(tc.fixed) {
				t.Errorf("after fix %q:\n%s\nwant:\n%s", fix.Title, out, plist(tc.fixed))
			}
			after := Check(out, opts)
			for _, f := range after.Findings {
				if f.Rule == got[0].Rule || f.Severity == Error {
					t.Errorf("after the fix: %s: %s", f.Rule, f.Message)
				}
			}
		})
	}
}

const (
	bgRemote   = "\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>remote-notification</string>\n\t</array>\n"
	bgVoIP     = "\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>voip</string>\n\t</array>\n"
	bgBoth     = "\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>remote-notification</string>\n\t\t<string>voip</string>\n\t</array>\n"
	bgLocation = "\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>location</string>\n\t</array>\n"
	groups     = "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.com.example.app</string>\n\t</array>\n"
	apsDev     = "\t<key>aps-environment</key>\n\t<string>development</string>\n"
)

func TestInfoPlistBackgroundModes(t *testing.T) {
	const rule = "infoplist-background-modes"
	runInfoCases(t, []infoCase{
		{name: "no Info.plist known: quiet", body: groups},
		{name: "remote-notification with push", body: apsDev, info: ip(bgRemote)},
		{name: "remote-notification with the macOS push key", body: "\t<key>com.apple.developer.aps-environment</key>\n\t<string>production</string>\n", info: ip(bgRemote)},
		{name: "remote-notification without push", body: groups, info: ip(bgRemote),
			want:  []want{{rule, "<dict>", "App/Info.plist declares the remote-notification background mode, but this file claims no aps-environment"}},
			fixed: groups + apsDev},
		{name: "voip without push names PushKit", body: groups, info: ip(bgVoIP),
			want: []want{{rule, "<dict>", "PushKit needs the Push Notifications capability"}}},
		{name: "both modes: one finding", body: groups, info: ip(bgBoth),
			want: []want{{rule, "<dict>", "remote-notification and voip background modes"}}},
		{name: "macOS target gets the macOS push key", body: groups, info: ip(bgRemote), targets: Targets{Platforms: []string{"macos"}},
			want:  []want{{rule, "<dict>", "claims no com.apple.developer.aps-environment"}},
			fixed: groups + "\t<key>com.apple.developer.aps-environment</key>\n\t<string>development</string>\n"},
		{name: "Catalyst keeps the iOS spelling", body: groups, info: ip(bgRemote), targets: Targets{Platforms: []string{"ios", "catalyst"}},
			want: []want{{rule, "<dict>", "claims no aps-environment"}}},
		{name: "location without purpose string", body: groups, info: ip(bgLocation),
			want: []want{{rule, "<dict>", "location background mode but has no NSLocationWhenInUseUsageDescription"}}},
		{name: "location with an empty purpose string", body: groups,
			info: ip(bgLocation + "\t<key>NSLocationWhenInUseUsageDescription</key>\n\t<string> </string>\n"),
			want: []want{{rule, "<dict>", "NSLocationWhenInUseUsageDescription"}}},
		{name: "location with purpose string", body: groups,
			info: ip(bgLocation + "\t<key>NSLocationWhenInUseUsageDescription</key>\n\t<string>Shows runs on a map.</string>\n")},
		{name: "other modes are not this rule's business", body: groups,
			info: ip("\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>audio</string>\n\t\t<string>fetch</string>\n\t</array>\n")},
		{name: "Info.plist that is not a dict: quiet", body: groups, info: nil},
	})
	// An Info.plist whose root is not a dict says nothing either way.
	res := Check([]byte(plist(groups)), Options{InfoPlist: plistxml.Parse([]byte(`<plist version="1.0"><array/></plist>`)), InfoPlistPath: "x"})
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule, "infoplist-") {
			t.Errorf("array Info.plist: %s", f.Message)
		}
	}
}

func TestInfoPlistUsageDescription(t *testing.T) {
	const rule = "infoplist-usage-description"
	health := "\t<key>com.apple.developer.healthkit</key>\n\t<true/>\n"
	runInfoCases(t, []infoCase{
		{name: "no Info.plist known: quiet", body: health},
		{name: "HealthKit without purpose strings: one finding per string", body: health, info: ip(""),
			want: []want{
				{rule, "com.apple.developer.healthkit", "needs NSHealthShareUsageDescription in App/Info.plist"},
				{rule, "com.apple.developer.healthkit", "needs NSHealthUpdateUsageDescription in App/Info.plist: App Store Connect asks for both"},
			}},
		{name: "HealthKit with both", body: health, info: ip("\t<key>NSHealthShareUsageDescription</key>\n\t<string>Reads your workouts.</string>\n" +
			"\t<key>NSHealthUpdateUsageDescription</key>\n\t<string>Saves your workouts.</string>\n")},
		{name: "HealthKit with an empty update string", body: health, info: ip("\t<key>NSHealthShareUsageDescription</key>\n\t<string>Reads.</string>\n" +
			"\t<key>NSHealthUpdateUsageDescription</key>\n\t<string></string>\n"),
			want: []want{{rule, "com.apple.developer.healthkit", "NSHealthUpdateUsageDescription in App/Info.plist is empty"}}},
		{name: "HealthKit switched off", body: "\t<key>com.apple.developer.healthkit</key>\n\t<false/>\n", info: ip("")},
		{name: "health records only when claimed", body: "\t<key>com.apple.developer.healthkit.access</key>\n\t<array/>\n", info: ip("")},
		{name: "health records", body: "\t<key>com.apple.developer.healthkit.access</key>\n\t<array>\n\t\t<string>health-records</string>\n\t</array>\n", info: ip(""),
			want: []want{{rule, "com.apple.developer.healthkit.access", "NSHealthClinicalHealthRecordsShareUsageDescription"}}},
		{name: "NFC", body: "\t<key>com.apple.developer.nfc.readersession.formats</key>\n\t<array>\n\t\t<string>TAG</string>\n\t</array>\n", info: ip(""),
			want: []want{{rule, "com.apple.developer.nfc.readersession.formats", "needs NFCReaderUsageDescription in App/Info.plist"}}},
		{name: "NFC: the ISO 7816 list is optional", body: "\t<key>com.apple.developer.nfc.readersession.formats</key>\n\t<array>\n\t\t<string>TAG</string>\n\t</array>\n",
			info: ip("\t<key>NFCReaderUsageDescription</key>\n\t<string>Reads your badge.</string>\n")},
		{name: "HomeKit", body: "\t<key>com.apple.developer.homekit</key>\n\t<true/>\n", info: ip(""),
			want: []want{{rule, "com.apple.developer.homekit", "NSHomeKitUsageDescription"}}},
		{name: "Siri", body: "\t<key>com.apple.developer.siri</key>\n\t<true/>\n", info: ip("\t<key>NSCameraUsageDescription</key>\n\t<string>x</string>\n"),
			want: []want{{rule, "com.apple.developer.siri", "NSSiriUsageDescription"}}},
		{name: "Wi-Fi info does not require location", body: "\t<key>com.apple.developer.networking.wifi-info</key>\n\t<true/>\n", info: ip("")},
		{name: "macOS camera", body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>com.apple.security.device.camera</key>\n\t<true/>\n", info: ip(""),
			want: []want{{rule, "com.apple.security.device.camera", "NSCameraUsageDescription"}}},
		{name: "macOS calendars: any of the three", body: "\t<key>com.apple.security.personal-information.calendars</key>\n\t<true/>\n",
			info: ip("\t<key>NSCalendarsFullAccessUsageDescription</key>\n\t<string>Adds your bookings.</string>\n")},
		{name: "macOS calendars missing", body: "\t<key>com.apple.security.personal-information.calendars</key>\n\t<true/>\n", info: ip(""),
			want: []want{{rule, "com.apple.security.personal-information.calendars", "needs one of NSCalendarsUsageDescription, NSCalendarsFullAccessUsageDescription"}}},
		{name: "macOS Bluetooth (beyond the catalog)", body: "\t<key>com.apple.security.device.bluetooth</key>\n\t<true/>\n", info: ip(""),
			want: []want{{rule, "com.apple.security.device.bluetooth", "NSBluetoothAlwaysUsageDescription"}}},
		{name: "a duplicate key is reported once, on the last", body: "\t<key>com.apple.developer.homekit</key>\n\t<true/>\n\t<key>com.apple.developer.homekit</key>\n\t<true/>\n", info: ip(""),
			want: []want{{rule, "com.apple.developer.homekit", "NSHomeKitUsageDescription"}}},
		{name: "localised value (not a string) is trusted", body: "\t<key>com.apple.developer.homekit</key>\n\t<true/>\n",
			info: ip("\t<key>NSHomeKitUsageDescription</key>\n\t<dict/>\n")},
	})
}

func TestUsageDescriptionsTable(t *testing.T) {
	cat := catalog.Builtin()
	for key, spec := range usageOverrides {
		if _, ok := cat.Lookup(key); !ok {
			t.Errorf("override for %s, which the catalog does not know", key)
		}
		for _, g := range spec.groups {
			for _, ik := range g {
				if _, ok := cat.InfoPlist(ik); !ok {
					t.Errorf("%s: %s is not recognised as an Info.plist key by the catalog", key, ik)
				}
			}
		}
	}
	if got := EntitlementsNeeding(cat, "NSHomeKitUsageDescription"); strings.Join(got, ",") != "com.apple.developer.homekit" {
		t.Errorf("EntitlementsNeeding(NSHomeKitUsageDescription) = %v", got)
	}
	if got := UsageDescriptions(cat, "com.apple.developer.networking.wifi-info"); got != nil {
		t.Errorf("wifi-info needs %v, want nothing", got)
	}
}

// Single-line files get the key inserted before </dict> without newlines.
func TestEntryInsertionInline(t *testing.T) {
	src := `<plist version="1.0"><dict><key>com.apple.security.application-groups</key><array><string>group.a.b</string></array></dict></plist>`
	opts := Options{InfoPlist: plistxml.Parse([]byte(plist(bgRemote))), InfoPlistPath: "Info.plist"}
	res := Check([]byte(src), opts)
	for _, f := range res.Findings {
		if f.Rule != "infoplist-background-modes" {
			continue
		}
		out, _ := ApplyEdits([]byte(src), f.Fixes[0].Edits)
		want := `<string>group.a.b</string></array><key>aps-environment</key><string>development</string></dict>`
		if !strings.Contains(string(out), want) {
			t.Errorf("got %s", out)
		}
		return
	}
	t.Fatal("no finding")
}
