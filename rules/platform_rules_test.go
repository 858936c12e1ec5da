package rules

import "testing"

func TestPlatformAvailability(t *testing.T) {
	mac := Targets{Platforms: []string{"macos"}}
	ios := Targets{Platforms: []string{"ios"}}
	runCases(t, []string{"platform-availability"}, []ruleCase{
		{
			name: "aps-environment on macOS is com.apple.developer.aps-environment", targets: mac,
			body:  "\t<key>aps-environment</key>\n\t<string>development</string>\n",
			want:  []want{{"platform-availability", "aps-environment", "use com.apple.developer.aps-environment"}},
			fixed: "\t<key>com.apple.developer.aps-environment</key>\n\t<string>development</string>\n",
		},
		{
			name: "macOS push spelling on iOS", targets: ios,
			body:  "\t<key>com.apple.developer.aps-environment</key>\n\t<string>development</string>\n",
			want:  []want{{"platform-availability", "com.apple.developer.aps-environment", "use aps-environment"}},
			fixed: "\t<key>aps-environment</key>\n\t<string>development</string>\n",
		},
		{
			name: "sandbox key on iOS", targets: ios,
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
			want: []want{{"platform-availability", "com.apple.security.app-sandbox", "not available on iOS"}},
		},
		{
			name: "Catalyst: iOS spellings next to sandbox keys are fine", targets: Targets{Platforms: []string{"catalyst"}},
			body: "\t<key>aps-environment</key>\n\t<string>development</string>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
		},
		{
			name: "unknown platform, Catalyst-looking file: no inference, no finding",
			body: "\t<key>aps-environment</key>\n\t<string>development</string>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
		},
		{
			name: "platform from a comment",
			body: "<!-- entitlint: platform=macos -->\n<plist version=\"1.0\">\n<dict>\n\t<key>aps-environment</key>\n\t<string>development</string>\n</dict>\n</plist>\n",
			full: true,
			want: []want{{"platform-availability", "aps-environment", "use com.apple.developer.aps-environment"}},
		},
		{
			name: "newer than the deployment target", targets: Targets{Platforms: []string{"ios"}, MinVersions: map[string]string{"ios": "14.0"}},
			body: "\t<key>com.apple.developer.kernel.increased-memory-limit</key>\n\t<true/>\n",
			want: []want{{"platform-availability", "com.apple.developer.kernel.increased-memory-limit", "deployment target is 14.0"}},
		},
	})
}

func TestSandboxOnlyKey(t *testing.T) {
	mac := Targets{Platforms: []string{"macos"}}
	runCases(t, []string{"sandbox-only-key"}, []ruleCase{
		{name: "network.client without sandbox", targets: mac,
			body: "\t<key>com.apple.security.network.client</key>\n\t<true/>\n",
			want: []want{{"sandbox-only-key", "com.apple.security.network.client", "only applies inside the App Sandbox"}}},
		{name: "with sandbox it is fine", targets: mac,
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>com.apple.security.network.client</key>\n\t<true/>\n"},
		{name: "hardened runtime keys never need the sandbox", targets: mac,
			body: "\t<key>com.apple.security.cs.allow-jit</key>\n\t<true/>\n\t<key>com.apple.security.device.audio-input</key>\n\t<true/>\n"},
		{name: "sandbox explicitly false", targets: mac,
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<false/>\n\t<key>com.apple.security.files.user-selected.read-only</key>\n\t<true/>\n",
			want: []want{{"sandbox-only-key", "com.apple.security.files.user-selected.read-only", "is false"}}},
		{name: "unknown platform says nothing",
			body: "\t<key>aps-environment</key>\n\t<string>development</string>\n\t<key>com.apple.security.network.client</key>\n\t<true/>\n"},
	})
}

func TestDistribution(t *testing.T) {
	runCases(t, []string{"distribution"}, []ruleCase{
		{name: "get-task-allow for the App Store", targets: Targets{Distribution: "app-store"},
			body: "\t<key>get-task-allow</key>\n\t<true/>\n",
			want: []want{{"distribution", "<true/>", "must not be debuggable"}}},
		{name: "V14: Developer ID network extension", targets: Targets{Platforms: []string{"macos"}, Distribution: "developer-id"},
			body: "\t<key>com.apple.developer.networking.networkextension</key>\n\t<array>\n\t\t<string>packet-tunnel-provider</string>\n\t</array>\n",
			want: []want{{"distribution", "packet-tunnel-provider", "packet-tunnel-provider-systemextension"}}},
		{name: "Developer ID with the right value", targets: Targets{Platforms: []string{"macos"}, Distribution: "developer-id"},
			body: "\t<key>com.apple.developer.networking.networkextension</key>\n\t<array>\n\t\t<string>packet-tunnel-provider-systemextension</string>\n\t</array>\n"},
		{name: "Mac App Store without sandbox", targets: Targets{Platforms: []string{"macos"}, Distribution: "app-store"},
			body: "\t<key>com.apple.security.cs.allow-jit</key>\n\t<true/>\n",
			want: []want{{"distribution", "<dict>", "requires the App Sandbox"}}},
		{name: "temporary exception for the Mac App Store", targets: Targets{Platforms: []string{"macos"}, Distribution: "app-store"},
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>com.apple.security.temporary-exception.mach-lookup.global-name</key>\n\t<array>\n\t\t<string>com.example.helper</string>\n\t</array>\n",
			want: []want{{"distribution", "com.apple.security.temporary-exception.mach-lookup.global-name", "justification"}}},
		{name: "no distribution, no findings",
			body: "\t<key>get-task-allow</key>\n\t<true/>\n"},
	})
}

func TestNeedsApprovalAndDeprecated(t *testing.T) {
	runCases(t, []string{"needs-approval", "deprecated-key"}, []ruleCase{
		{name: "V23: family controls is managed",
			body: "\t<key>com.apple.developer.family-controls</key>\n\t<true/>\n",
			want: []want{{"needs-approval", "com.apple.developer.family-controls", "managed capability"}}},
		{name: "playable-content is deprecated",
			body: "\t<key>com.apple.developer.playable-content</key>\n\t<true/>\n",
			want: []want{{"deprecated-key", "com.apple.developer.playable-content", "deprecated"}}},
	})
}
