package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "identifier-format",
		Title:   "Identifier without its required prefix",
		Default: Error,
		Why: "iCloud containers are `iCloud.<id>`, merchant IDs `merchant.<id>`, pass type IDs `<TeamID>.pass.<id>`, " +
			"and key-value stores and App IDs start with the Team ID (`$(TeamIdentifierPrefix)`, " +
			"`$(AppIdentifierPrefix)`). These identifiers are registered on the Developer website with their " +
			"prefix; without it the profile never matches and signing fails, or the capability silently uses a " +
			"container nobody registered.",
		Bad:   "<key>com.apple.developer.icloud-container-identifiers</key>\n<array>\n\t<string>com.example.app</string>\n</array>",
		Good:  "<key>com.apple.developer.icloud-container-identifiers</key>\n<array>\n\t<string>iCloud.com.example.app</string>\n</array>",
		Facts: "catalog value formats (icloud-container-id, merchant-id, pass-type-id, ubiquity-kvstore-id, app-id)",
		Fixes: "adds the missing prefix or corrects its letter case",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				k, ok := p.ctx.keyAt(i)
				if !ok || e.Value == nil {
					continue
				}
				for _, n := range stringValues(e.Value) {
					checkIdentifier(p, e.Key, k.Format, n)
				}
			}
		},
	})
}

// stripTeamPrefix removes a Team ID or App ID prefix (literal or variable)
// and reports whether there was one.
func stripTeamPrefix(v string) (string, bool) {
	for _, pre := range []string{"$(TeamIdentifierPrefix)", "${TeamIdentifierPrefix}", "$(AppIdentifierPrefix)", "${AppIdentifierPrefix}"} {
		if rest, ok := strings.CutPrefix(v, pre); ok {
			return rest, true
		}
	}
	if hasTeamIDPrefix(v) {
		return v[11:], true
	}
	return v, false
}

func checkIdentifier(p *Pass, key string, format catalog.Format, n *plistxml.Node) {
	v := strings.TrimSpace(n.Text)
	if v == "" || strings.Contains(v, "*") {
		return // empty-value and wildcard-value report these
	}
	report := func(msg string, fixes ...Fix) {
		p.Report(Finding{Span: n.Content(), Key: key, Message: msg, Fixes: fixes})
	}
	prefixFix := func(want string) []Fix {
		lower := strings.ToLower(want)
		if strings.HasPrefix(strings.ToLower(v), lower) {
			return []Fix{{Title: "Write the prefix as " + want, Safe: true, Preferred: true,
				Edits: []Edit{{Span: plistxml.Span{Start: n.Content().Start, End: n.Content().Start + len(want)}, NewText: want}}}}
		}
		return []Fix{{Title: "Add the " + want + " prefix", Preferred: true,
			Edits: []Edit{{Span: plistxml.Span{Start: n.Content().Start, End: n.Content().Start}, NewText: want}}}}
	}
	switch format {
	case catalog.FormatICloudContainerID:
		if !strings.HasPrefix(v, "iCloud.") && !startsWithVariable(v) {
			report(fmt.Sprintf("iCloud container %q must start with \"iCloud.\"", v), prefixFix("iCloud.")...)
		}
	case catalog.FormatMerchantID:
		if !strings.HasPrefix(v, "merchant.") && !startsWithVariable(v) {
			report(fmt.Sprintf("merchant ID %q must start with \"merchant.\"", v), prefixFix("merchant.")...)
		}
	case catalog.FormatPassTypeID:
		rest, ok := stripTeamPrefix(v)
		if !ok && !startsWithVariable(v) {
			report(fmt.Sprintf("pass type ID %q must start with your Team ID: write $(TeamIdentifierPrefix)%s", v, v))
		} else if ok && !strings.HasPrefix(rest, "pass.") && !startsWithVariable(rest) {
			report(fmt.Sprintf("pass type ID %q: after the Team ID it must start with \"pass.\"", v))
		}
	case catalog.FormatUbiquityKVStoreID, catalog.FormatAppID:
		if _, ok := stripTeamPrefix(v); !ok && !startsWithVariable(v) {
			what := "key-value store identifier"
			pre := "$(TeamIdentifierPrefix)"
			if format == catalog.FormatAppID {
				what, pre = "App ID", "$(AppIdentifierPrefix)"
			}
			report(fmt.Sprintf("%s %q must start with the Team ID (write %s%s)", what, v, pre, v),
				Fix{Title: "Add the " + pre + " prefix", Preferred: true,
					Edits: []Edit{{Span: plistxml.Span{Start: n.Content().Start, End: n.Content().Start}, NewText: pre}}})
		}
	}
}

// startsWithVariable: a value such as $(ICLOUD_CONTAINER) may expand to anything.
func startsWithVariable(v string) bool {
	return strings.HasPrefix(v, "$(") || strings.HasPrefix(v, "${")
}
