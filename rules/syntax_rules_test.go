package rules

import "testing"

func TestSyntaxRules(t *testing.T) {
	runCases(t, []string{"syntax", "comment-double-hyphen", "duplicate-key", "unsupported-value-type", "empty-value"}, []ruleCase{
		{
			name:  "double hyphen in a comment",
			body:  "\t<!-- disabled -- see ticket -->\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
			want:  []want{{"comment-double-hyphen", "--", "codesign"}},
			fixed: "\t<!-- disabled - - see ticket -->\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
		},
		{
			name:  "duplicate key keeps the last value",
			body:  "\t<key>aps-environment</key>\n\t<string>development</string>\n\t<key>aps-environment</key>\n\t<string>production</string>\n",
			want:  []want{{"duplicate-key", "aps-environment", "duplicate key"}},
			fixed: "\t<key>aps-environment</key>\n\t<string>production</string>\n",
		},
		{
			name: "key without value",
			body: "\t<key>com.apple.security.app-sandbox</key>\n\t<key>com.apple.security.network.client</key>\n\t<true/>\n",
			want: []want{{"syntax", "<key>com.apple.security.app-sandbox</key>", "no value"}},
		},
		{
			name: "data, date and real cannot be signed",
			body: "\t<key>com.example.a</key>\n\t<real>1.5</real>\n\t<key>com.example.b</key>\n\t<date>2024-01-01T00:00:00Z</date>\n\t<key>com.example.c</key>\n\t<data>AAAA</data>\n",
			want: []want{
				{"unsupported-value-type", "<real>", "cannot be encoded"},
				{"unsupported-value-type", "<date>", "cannot be encoded"},
				{"unsupported-value-type", "<data>", "cannot be encoded"},
			},
		},
		{
			name: "empty array",
			body: "\t<key>com.apple.developer.associated-domains</key>\n\t<array/>\n",
			want: []want{{"empty-value", "<array/>", "empty array"}},
		},
		{
			name: "root must be a dict",
			full: true,
			body: "<plist version=\"1.0\">\n<array>\n</array>\n</plist>\n",
			want: []want{{"syntax", "<array>", "must be a <dict>"}},
		},
	})
}

func TestSuppressions(t *testing.T) {
	runCases(t, []string{"unknown-key", "unused-suppression"}, []ruleCase{
		{name: "next-line suppression", body: "\t<!-- entitlint-disable-next-line unknown-key -->\n\t<key>com.example.x</key>\n\t<true/>\n"},
		{name: "file-wide suppression", body: "\t<!-- entitlint-disable unknown-key -->\n\t<key>com.example.x</key>\n\t<true/>\n\t<key>com.example.y</key>\n\t<true/>\n"},
		{
			name:  "unused suppression is reported with a fix",
			body:  "\t<!-- entitlint-disable-next-line unknown-key -->\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
			want:  []want{{"unused-suppression", "<!-- entitlint-disable-next-line unknown-key -->", "unused"}},
			fixed: "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
		},
		{
			name: "unknown rule in a suppression",
			body: "\t<!-- entitlint-disable no-such-rule -->\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n",
			want: []want{{"unused-suppression", "<!-- entitlint-disable no-such-rule -->", "unknown rule"}},
		},
	})
}
