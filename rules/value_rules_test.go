package rules

import "testing"

func TestWrongType(t *testing.T) {
	runCases(t, []string{"wrong-type"}, []ruleCase{
		{
			name:  "string YES for a boolean",
			body:  "\t<key>com.apple.security.app-sandbox</key>\n\t<string>YES</string>\n",
			want:  []want{{"wrong-type", "<string>YES</string>", "must be a boolean"}},
			fixed: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
		},
		{
			name:  "string false for a boolean",
			body:  "\t<key>com.apple.security.network.client</key>\n\t<string>false</string>\n",
			want:  []want{{"wrong-type", "<string>false</string>", "must be a boolean"}},
			fixed: "\t<key>com.apple.security.network.client</key>\n\t<false/>\n",
		},
		{
			name:  "V1: a single string where an array is needed is wrapped",
			body:  "\t<key>com.apple.developer.associated-domains</key>\n\t<string>applinks:example.com</string>\n",
			want:  []want{{"wrong-type", "<string>applinks:example.com</string>", "must be an <array> of <string>"}},
			fixed: "\t<key>com.apple.developer.associated-domains</key>\n\t<array>\n\t\t<string>applinks:example.com</string>\n\t</array>\n",
		},
		{
			name: "boolean where a string is needed",
			body: "\t<key>aps-environment</key>\n\t<true/>\n",
			want: []want{{"wrong-type", "<true/>", "must be a <string>"}},
		},
		{
			name: "array item of the wrong kind",
			body: "\t<key>com.apple.developer.associated-domains</key>\n\t<array>\n\t\t<true/>\n\t</array>\n",
			want: []want{{"wrong-type", "<true/>", "every item"}},
		},
		{name: "right types are fine", body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>aps-environment</key>\n\t<string>production</string>\n"},
	})
}

func TestInvalidValue(t *testing.T) {
	runCases(t, []string{"invalid-value"}, []ruleCase{
		{
			name:  "aps-environment letter case is a safe fix",
			body:  "\t<key>aps-environment</key>\n\t<string>Development</string>\n",
			want:  []want{{"invalid-value", "Development", `did you mean "development"`}},
			fixed: "\t<key>aps-environment</key>\n\t<string>development</string>\n",
		},
		{
			name: "aps-environment made-up value",
			body: "\t<key>aps-environment</key>\n\t<string>sandbox</string>\n",
			want: []want{{"invalid-value", "sandbox", "not a valid value for aps-environment"}},
		},
		{
			name: "network extension value invented by a DSL",
			body: "\t<key>com.apple.developer.networking.networkextension</key>\n\t<array>\n\t\t<string>transparent-proxy-provider</string>\n\t</array>\n",
			want: []want{{"invalid-value", "transparent-proxy-provider", "not a valid value"}},
		},
		{
			name: "V14: both packet tunnel spellings are valid values",
			body: "\t<key>com.apple.developer.networking.networkextension</key>\n\t<array>\n\t\t<string>packet-tunnel-provider</string>\n\t\t<string>packet-tunnel-provider-systemextension</string>\n\t</array>\n",
		},
		{
			name: "icloud-services",
			body: "\t<key>com.apple.developer.icloud-services</key>\n\t<array>\n\t\t<string>CloudKit</string>\n\t\t<string>iCloudDrive</string>\n\t</array>\n",
			want: []want{{"invalid-value", "iCloudDrive", "not a valid value"}},
		},
		{
			name: "build variables are never flagged",
			body: "\t<key>aps-environment</key>\n\t<string>$(APS_ENVIRONMENT)</string>\n",
		},
	})
}

func TestAppGroupID(t *testing.T) {
	ios := Targets{Platforms: []string{"ios"}}
	mac := Targets{Platforms: []string{"macos"}}
	groups := func(ids ...string) string {
		s := "\t<key>com.apple.security.application-groups</key>\n\t<array>\n"
		for _, id := range ids {
			s += "\t\t<string>" + id + "</string>\n"
		}
		return s + "\t</array>\n"
	}
	runCases(t, []string{"app-group-id"}, []ruleCase{
		{name: "V3: iOS style is fine", body: groups("group.eskimo1.test"), targets: ios},
		{name: "V4: macOS style is fine on macOS", body: groups("SKMME9E2Y8.eskimo1.test"), targets: mac},
		{name: "V10: a mix is fine on macOS", body: groups("group.eskimo1.test", "SKMME9E2Y8.eskimo1.test"), targets: mac},
		{name: "V4: macOS style with unknown platform is fine", body: groups("SKMME9E2Y8.eskimo1.test")},
		{name: "macOS style via variable", body: groups("$(TeamIdentifierPrefix)com.example.shared"), targets: mac},
		{name: "V2/V19: no prefix", body: groups("com.example.shared"),
			want: []want{{"app-group-id", "com.example.shared", `must start with "group."`}}},
		{name: "V2: nothing after group.", body: groups("group."),
			want: []want{{"app-group-id", "group.", "no name"}}},
		{name: "upper-case prefix", body: groups("Group.com.example"),
			want: []want{{"app-group-id", "Group.com.example", "lower-case"}}},
		{name: "TeamID style on iOS", body: groups("SKMME9E2Y8.eskimo1.test"), targets: ios,
			want: []want{{"app-group-id", "SKMME9E2Y8.eskimo1.test", "iOS-family platforms do not support"}}},
		{name: "other team's ID", body: groups("SKMME9E2Y8.eskimo1.test"), targets: Targets{Platforms: []string{"macos"}, TeamID: "ABCDE12345"},
			want: []want{{"app-group-id", "SKMME9E2Y8.eskimo1.test", "not your team ABCDE12345"}}},
		{name: "V22: Apple's group", body: groups("group.com.apple.shortcuts"),
			want: []want{{"app-group-id", "group.com.apple.shortcuts", "belongs to Apple"}}},
		{name: "bad characters", body: groups("group.com example"),
			want: []want{{"app-group-id", "group.com example", "may only contain"}}},
	})
}

func TestAssociatedDomain(t *testing.T) {
	domains := func(ds ...string) string {
		s := "\t<key>com.apple.developer.associated-domains</key>\n\t<array>\n"
		for _, d := range ds {
			s += "\t\t<string>" + d + "</string>\n"
		}
		return s + "\t</array>\n"
	}
	runCases(t, []string{"associated-domain"}, []ruleCase{
		{name: "valid entries", body: domains("applinks:example.com", "webcredentials:example.com", "applinks:*.example.com", "applinks:example.com?mode=developer", "appclips:example.com", "activitycontinuation:example.com")},
		{name: "a URL", body: domains("https://example.com/app"),
			want:  []want{{"associated-domain", "https://example.com/app", "is a URL"}},
			fixed: domains("applinks:example.com")},
		{name: "no service", body: domains("example.com"),
			want:  []want{{"associated-domain", "example.com", "no service prefix"}},
			fixed: domains("applinks:example.com")},
		{name: "a path", body: domains("applinks:example.com/path"),
			want:  []want{{"associated-domain", "applinks:example.com/path", "has a path"}},
			fixed: domains("applinks:example.com")},
		{name: "a port", body: domains("applinks:example.com:8443"),
			want: []want{{"associated-domain", "applinks:example.com:8443", "has a port"}}},
		{name: "bad mode", body: domains("applinks:example.com?mode=debug"),
			want: []want{{"associated-domain", "applinks:example.com?mode=debug", "?mode=developer"}}},
		{name: "wildcard in the middle", body: domains("applinks:www.*.example.com"),
			want: []want{{"associated-domain", "applinks:www.*.example.com", "wildcard"}}},
		{name: "unknown service", body: domains("applink:example.com"),
			want:  []want{{"associated-domain", "applink:example.com", "unknown associated-domain service"}},
			fixed: domains("applinks:example.com")},
	})
}

func TestWildcardValue(t *testing.T) {
	runCases(t, []string{"wildcard-value"}, []ruleCase{
		{name: "keychain group copied from a profile", body: "\t<key>keychain-access-groups</key>\n\t<array>\n\t\t<string>ABCDE12345.*</string>\n\t</array>\n",
			want: []want{{"wildcard-value", "ABCDE12345.*", "wildcard"}}},
		{name: "application-identifier wildcard", body: "\t<key>application-identifier</key>\n\t<string>ABCDE12345.*</string>\n",
			want: []want{{"wildcard-value", "ABCDE12345.*", "wildcard"}}},
		{name: "associated domain wildcard subdomain is fine", body: "\t<key>com.apple.developer.associated-domains</key>\n\t<array>\n\t\t<string>applinks:*.example.com</string>\n\t</array>\n"},
	})
}
