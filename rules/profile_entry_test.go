package rules

import (
	"reflect"
	"testing"

	"github.com/entitlint/entitlint/plistxml"
)

// profileEntryBody claims one of every kind of thing the profile rules
// tell apart.
const profileEntryBody = `	<key>aps-environment</key>
	<string>development</string>
	<key>com.apple.developer.healthkit</key>
	<true/>
	<key>com.apple.security.application-groups</key>
	<array>
		<string>group.com.example.shared</string>
		<string>group.com.example.other</string>
	</array>
	<key>keychain-access-groups</key>
	<array>
		<string>$(AppIdentifierPrefix)com.example.app</string>
		<string>$(SOMETHING_ELSE)x</string>
	</array>
	<key>get-task-allow</key>
	<true/>
	<key>com.apple.developer.siri</key>
	<false/>
	<key>com.apple.security.app-sandbox</key>
	<true/>
	<key>com.apple.developer.team-identifier</key>
	<string>ABCDE12345</string>
	<key>com.example.custom</key>
	<dict>
		<key>a</key>
		<true/>
	</dict>
	<key>com.apple.developer.associated-domains</key>
	<array>
		<string>applinks:example.com</string>
	</array>
`

func TestProfileEntry(t *testing.T) {
	ios := buildProfile(t, iosDev(map[string]any{
		"aps-environment":                        "development",
		"com.apple.security.application-groups":  []any{"group.com.example.shared"},
		"com.apple.developer.associated-domains": "*",
		"com.example.custom":                     map[string]any{"a": true},
	}))
	mac := buildProfile(t, macDevID(nil))
	src := plist(profileEntryBody)
	doc := plistxml.Parse([]byte(src))
	verdicts := func(opts Options) map[string]ProfileVerdict {
		out := map[string]ProfileVerdict{}
		for _, e := range doc.RootDict().Entries() {
			out[e.Key] = ProfileEntry(doc, opts, e)
		}
		return out
	}
	got := verdicts(Options{Profile: ios})
	want := map[string]ProfileVerdict{
		"aps-environment":                        {Status: ProfileAuthorised},
		"com.apple.developer.healthkit":          {Status: ProfileMissing},
		"com.apple.security.application-groups":  {Status: ProfileValueNotCovered, Uncovered: []string{"group.com.example.other"}},
		"keychain-access-groups":                 {Status: ProfileUnchecked}, // the second value has a build variable
		"get-task-allow":                         {Status: ProfileAuthorised},
		"com.apple.developer.siri":               {Status: ProfileNothingClaimed},
		"com.apple.security.app-sandbox":         {Status: ProfileNotNeeded}, // restriction none
		"com.apple.developer.team-identifier":    {Status: ProfileAuthorised},
		"com.example.custom":                     {Status: ProfileUnchecked},  // a dict: not compared
		"com.apple.developer.associated-domains": {Status: ProfileAuthorised}, // "*"
	}
	if !reflect.DeepEqual(got, want) {
		for k := range want {
			if !reflect.DeepEqual(got[k], want[k]) {
				t.Errorf("%s: %+v, want %+v", k, got[k], want[k])
			}
		}
	}
	if v := ProfileEntry(doc, Options{}, doc.RootDict().Entries()[0]); v.Status != ProfileNone {
		t.Errorf("without a profile: %+v", v)
	}
	// An iOS file with a macOS profile: the platform says it all.
	if v := verdicts(Options{Profile: mac, Targets: Targets{Platforms: []string{"ios"}}})["aps-environment"]; v.Status != ProfileWrongPlatform {
		t.Errorf("wrong platform: %+v", v)
	}
	// A boolean the profile has as false.
	appStore := buildProfile(t, iosDev(map[string]any{"get-task-allow": false}))
	if v := verdicts(Options{Profile: appStore})["get-task-allow"]; v.Status != ProfileValueNotCovered || !reflect.DeepEqual(v.Uncovered, []string{"true"}) {
		t.Errorf("get-task-allow false: %+v", v)
	}

	// Parity with the rules, on every profile and target used above.
	for _, opts := range []Options{{Profile: ios}, {Profile: mac}, {Profile: appStore},
		{Profile: mac, Targets: Targets{Platforms: []string{"macos"}}}, {Profile: ios, Targets: Targets{Platforms: []string{"macos"}}}} {
		reported := map[string]map[string]bool{}
		for _, f := range Check([]byte(src), opts).Findings {
			if reported[f.Rule] == nil {
				reported[f.Rule] = map[string]bool{}
			}
			reported[f.Rule][f.Key] = true
		}
		for key, v := range verdicts(opts) {
			if (v.Status == ProfileMissing) != reported["profile-missing-entitlement"][key] {
				t.Errorf("%s with %s: verdict %+v, profile-missing-entitlement reported: %v", key, opts.Profile.Name, v, reported["profile-missing-entitlement"][key])
			}
			if (v.Status == ProfileValueNotCovered) != reported["profile-value-mismatch"][key] {
				t.Errorf("%s with %s: verdict %+v, profile-value-mismatch reported: %v", key, opts.Profile.Name, v, reported["profile-value-mismatch"][key])
			}
			// The whole-file profile-platform finding has no key.
			if (v.Status == ProfileWrongPlatform) != reported["profile-platform"][""] {
				t.Errorf("%s with %s: verdict %+v, profile-platform: %v", key, opts.Profile.Name, v, reported["profile-platform"])
			}
		}
	}
}
