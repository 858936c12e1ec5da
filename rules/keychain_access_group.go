package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

const keychainGroupsKey = "keychain-access-groups"

func init() {
	register(&Rule{
		ID:      "keychain-access-group",
		Title:   "Keychain access group without an App ID prefix",
		Default: Error,
		Why: "Every keychain access group an app claims must start with an App ID prefix — normally written " +
			"`$(AppIdentifierPrefix)` so Xcode fills in your Team ID — because the provisioning profile only " +
			"authorises `<TeamID>.*`. A bare name fails signing or, worse, the keychain calls fail at run time " +
			"with errSecMissingEntitlement. Groups such as `apple` are Apple's own. App group IDs (`group.…`) can " +
			"be used as keychain groups without listing them here.",
		Bad:   "<key>keychain-access-groups</key>\n<array>\n\t<string>com.example.shared</string>\n</array>",
		Good:  "<key>keychain-access-groups</key>\n<array>\n\t<string>$(AppIdentifierPrefix)com.example.shared</string>\n</array>",
		Facts: "keychain access group format (seed facts V11, V12)",
		Fixes: "adds the $(AppIdentifierPrefix) prefix",
		Run: func(p *Pass) {
			e := p.ctx.topEntry(keychainGroupsKey)
			if e == nil || e.Value == nil {
				return
			}
			for _, n := range stringValues(e.Value) {
				if p.Full() {
					return
				}
				checkKeychainGroup(p, n)
			}
		},
	})
}

func checkKeychainGroup(p *Pass, n *plistxml.Node) {
	id := strings.TrimSpace(n.Text)
	if id == "" || strings.Contains(id, "*") {
		return // empty-value and wildcard-value report these
	}
	switch {
	case strings.HasPrefix(id, "$(AppIdentifierPrefix)"), strings.HasPrefix(id, "${AppIdentifierPrefix}"),
		strings.HasPrefix(id, "$(TeamIdentifierPrefix)"), strings.HasPrefix(id, "${TeamIdentifierPrefix}"),
		hasTeamIDPrefix(id), strings.HasPrefix(id, "group."):
		return
	case hasVariable(id):
		return // a variable may expand to the prefix
	case id == "com.apple.token":
		return // every profile grants it (CryptoTokenKit's kSecAttrAccessGroupToken)
	}
	f := Finding{Span: n.Content(), Key: keychainGroupsKey}
	if id == "apple" || strings.HasPrefix(id, "com.apple.") {
		f.Message = fmt.Sprintf("keychain access group %q belongs to Apple and has no App ID prefix: your profile cannot authorise it", id)
	} else {
		f.Message = fmt.Sprintf("keychain access group %q has no App ID prefix: write $(AppIdentifierPrefix)%s", id, id)
		f.Fixes = []Fix{{Title: "Add the $(AppIdentifierPrefix) prefix", Safe: true, Preferred: true,
			Edits: []Edit{{Span: plistxml.Span{Start: n.Content().Start, End: n.Content().Start}, NewText: "$(AppIdentifierPrefix)"}}}}
	}
	p.Report(f)
}
