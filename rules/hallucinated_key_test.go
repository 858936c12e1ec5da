package rules

import "testing"

// Every wrong key of seed-facts section 1 (rows 1–21) is caught with the
// right answer. The row number is in the case name.
func TestHallucinatedKey(t *testing.T) {
	mac := Targets{Platforms: []string{"macos"}}
	runCases(t, []string{"hallucinated-key"}, []ruleCase{
		{
			name:  "row 1: push-notifications is aps-environment",
			body:  "\t<key>com.apple.developer.push-notifications</key>\n\t<string>development</string>\n",
			want:  []want{{"hallucinated-key", "com.apple.developer.push-notifications", "use aps-environment"}},
			fixed: "\t<key>aps-environment</key>\n\t<string>development</string>\n",
		},
		{
			name:    "row 1 on macOS: push is com.apple.developer.aps-environment",
			body:    "\t<key>com.apple.developer.push-notifications</key>\n\t<string>production</string>\n",
			targets: mac,
			want:    []want{{"hallucinated-key", "com.apple.developer.push-notifications", "use com.apple.developer.aps-environment"}},
			fixed:   "\t<key>com.apple.developer.aps-environment</key>\n\t<string>production</string>\n",
		},
		{
			name:  "row 1 with a boolean value: the fix also writes a valid value",
			body:  "\t<key>com.apple.developer.push-notifications</key>\n\t<true/>\n",
			want:  []want{{"hallucinated-key", "com.apple.developer.push-notifications", "aps-environment"}},
			fixed: "\t<key>aps-environment</key>\n\t<string>development</string>\n",
		},
		{
			name:  "row 2: in-app-purchase needs no entitlement",
			body:  "\t<key>com.apple.developer.in-app-purchase</key>\n\t<true/>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
			want:  []want{{"hallucinated-key", "com.apple.developer.in-app-purchase", "none is needed"}},
			fixed: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
		},
		{name: "row 3: com.apple.InAppPurchase", body: "\t<key>com.apple.InAppPurchase</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.InAppPurchase", "none is needed"}}},
		{name: "row 4: com.apple.developer.storekit", body: "\t<key>com.apple.developer.storekit</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.storekit", "none is needed"}}},
		{
			name:  "row 5: app-groups is com.apple.security.application-groups",
			body:  "\t<key>com.apple.developer.app-groups</key>\n\t<array>\n\t\t<string>group.com.example</string>\n\t</array>\n",
			want:  []want{{"hallucinated-key", "com.apple.developer.app-groups", "use com.apple.security.application-groups"}},
			fixed: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.com.example</string>\n\t</array>\n",
		},
		{name: "row 6: background-modes belongs in Info.plist", body: "\t<key>com.apple.developer.background-modes</key>\n\t<array>\n\t\t<string>location</string>\n\t</array>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.background-modes", "UIBackgroundModes"}}},
		{name: "row 7: UIBackgroundModes belongs in Info.plist", body: "\t<key>UIBackgroundModes</key>\n\t<array>\n\t\t<string>voip</string>\n\t</array>\n",
			want: []want{{"hallucinated-key", "UIBackgroundModes", "Info.plist"}}},
		{name: "row 8: voip-push-notification is the voip background mode", body: "\t<key>com.apple.developer.voip-push-notification</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.voip-push-notification", "voip"}}},
		{
			name:  "row 9: family-controls.user-authorization is family-controls",
			body:  "\t<key>com.apple.developer.family-controls.user-authorization</key>\n\t<true/>\n",
			want:  []want{{"hallucinated-key", "com.apple.developer.family-controls.user-authorization", "com.apple.developer.family-controls"}},
			fixed: "\t<key>com.apple.developer.family-controls</key>\n\t<true/>\n",
		},
		{name: "row 10: device-activity uses family-controls", body: "\t<key>com.apple.developer.device-activity</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.device-activity", "com.apple.developer.family-controls"}}},
		{name: "row 11: managed-settings", body: "\t<key>com.apple.developer.managed-settings</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.managed-settings", "family-controls"}}},
		{name: "row 12: callkit.call-directory needs no entitlement", body: "\t<key>com.apple.developer.callkit.call-directory</key>\n\t<array>\n\t\t<string>call-blocking</string>\n\t</array>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.callkit.call-directory", "none is needed"}}},
		{name: "row 13: nearby-interaction needs no entitlement", body: "\t<key>com.apple.developer.nearby-interaction</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.nearby-interaction", "none is needed"}}},
		{name: "row 14: secure-enclave needs no entitlement", body: "\t<key>com.apple.developer.secure-enclave</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.secure-enclave", "none is needed"}}},
		{
			name:  "row 15: networking.configuration is HotspotConfiguration",
			body:  "\t<key>com.apple.developer.networking.configuration</key>\n\t<true/>\n",
			want:  []want{{"hallucinated-key", "com.apple.developer.networking.configuration", "com.apple.developer.networking.HotspotConfiguration"}},
			fixed: "\t<key>com.apple.developer.networking.HotspotConfiguration</key>\n\t<true/>\n",
		},
		{name: "row 16: musickit is an App ID service", body: "\t<key>com.apple.developer.musickit</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "com.apple.developer.musickit", "none is needed"}}},
		{name: "row 20: FAMILY_CONTROLS is a capability name", body: "\t<key>FAMILY_CONTROLS</key>\n\t<true/>\n",
			want: []want{{"hallucinated-key", "FAMILY_CONTROLS", "com.apple.developer.family-controls"}}},
		{
			name: "replacement already claimed: remove instead of creating a duplicate",
			body: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.a</string>\n\t</array>\n" +
				"\t<key>com.apple.developer.app-groups</key>\n\t<array>\n\t\t<string>group.a</string>\n\t</array>\n",
			want:  []want{{"hallucinated-key", "com.apple.developer.app-groups", "com.apple.security.application-groups"}},
			fixed: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.a</string>\n\t</array>\n",
		},
	})
}

func TestPrivateAndInfoPlistKeys(t *testing.T) {
	runCases(t, []string{"private-entitlement", "info-plist-key", "unknown-key"}, []ruleCase{
		{name: "row 17: com.apple.private.* is private", body: "\t<key>com.apple.private.security.restricted-application-groups</key>\n\t<true/>\n",
			want: []want{{"private-entitlement", "com.apple.private.security.restricted-application-groups", "killed at launch"}}},
		{name: "platform-application is private", body: "\t<key>platform-application</key>\n\t<true/>\n",
			want: []want{{"private-entitlement", "platform-application", "private to Apple"}}},
		{name: "usage description is an Info.plist key", body: "\t<key>NSCameraUsageDescription</key>\n\t<string>Scan codes</string>\n",
			want:  []want{{"info-plist-key", "NSCameraUsageDescription", "Info.plist"}},
			fixed: ""},
		{name: "LSApplicationQueriesSchemes", body: "\t<key>LSApplicationQueriesSchemes</key>\n\t<array/>\n",
			want: []want{{"info-plist-key", "LSApplicationQueriesSchemes", "Info.plist"}}},
		{name: "a real key is none of these", body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n"},
	})
}

func TestUnknownKey(t *testing.T) {
	runCases(t, []string{"unknown-key"}, []ruleCase{
		{
			name:  "typo gets a did-you-mean fix",
			body:  "\t<key>com.apple.security.aplication-groups</key>\n\t<array>\n\t\t<string>group.a</string>\n\t</array>\n",
			want:  []want{{"unknown-key", "com.apple.security.aplication-groups", "did you mean com.apple.security.application-groups"}},
			fixed: "\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.a</string>\n\t</array>\n",
		},
		{name: "trailing typo", body: "\t<key>com.apple.security.cs.disable-library-validationr</key>\n\t<true/>\n",
			want: []want{{"unknown-key", "com.apple.security.cs.disable-library-validationr", "com.apple.security.cs.disable-library-validation"}}},
		{name: "company key without suggestion", body: "\t<key>com.example.feature-flag</key>\n\t<true/>\n",
			want: []want{{"unknown-key", "com.example.feature-flag", "not in entitlint's catalog"}}},
		{name: "suppressed on the next line", body: "\t<!-- entitlint-disable-next-line unknown-key -->\n\t<key>com.example.feature-flag</key>\n\t<true/>\n"},
	})
}
