package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

const appGroupsKey = "com.apple.security.application-groups"

func init() {
	register(&Rule{
		ID:      "app-group-id",
		Title:   "Malformed app group identifier",
		Default: Error,
		Why: "Each app group must be `group.<name>` (iOS style, registered on the Developer website) or " +
			"`<TeamID>.<name>` (macOS style). Anything else is rejected by App Store Connect (\"Invalid code " +
			"signing entitlements\") or gives the app a container no other process can share. TeamID-style " +
			"groups only exist on macOS: on iOS, tvOS, watchOS and visionOS a profile cannot authorise them.",
		Bad:   "<key>com.apple.security.application-groups</key>\n<array>\n\t<string>com.example.shared</string>\n</array>",
		Good:  "<key>com.apple.security.application-groups</key>\n<array>\n\t<string>group.com.example.shared</string>\n</array>",
		Facts: "app group ID formats (seed facts V1–V10, V22)",
		Run: func(p *Pass) {
			e := p.ctx.topEntry(appGroupsKey)
			if e == nil || e.Value == nil {
				return
			}
			for _, n := range stringValues(e.Value) {
				checkAppGroup(p, n)
			}
		},
	})
}

func checkAppGroup(p *Pass, n *plistxml.Node) {
	c := p.ctx
	id := strings.TrimSpace(n.Text)
	span := n.Content()
	if span.Len() == 0 {
		span = n.Span()
	}
	report := func(sev Severity, msg string) {
		p.Report(Finding{Span: span, Key: appGroupsKey, Severity: sev, Message: msg})
	}
	if id == "" || strings.Contains(id, "*") {
		return // empty-value and wildcard-value report these
	}
	// $(TeamIdentifierPrefix) expands to "TEAMID." — a macOS-style group.
	teamStyleVar := strings.HasPrefix(id, "$(TeamIdentifierPrefix)") || strings.HasPrefix(id, "${TeamIdentifierPrefix}")
	plain := variable.ReplaceAllString(id, "x")
	switch {
	case strings.HasPrefix(id, "group."):
		name := strings.TrimPrefix(plain, "group.")
		if name == "" || name == "x" && !hasVariable(id) {
			report(0, fmt.Sprintf("app group %q has no name after \"group.\"", id))
			return
		}
		if !isGroupName(name) || strings.Contains(name, "..") || strings.HasSuffix(name, ".") {
			report(0, fmt.Sprintf("app group %q: the name after \"group.\" may only contain letters, digits, '.', '-' and '_'", id))
			return
		}
		if strings.HasPrefix(id, "group.com.apple.") || strings.HasPrefix(id, "group.is.workflow.") {
			report(Warning, fmt.Sprintf("app group %q belongs to Apple: a profile of yours cannot authorise it", id))
		}
	case teamStyleVar || hasTeamIDPrefix(id):
		name := plain
		if teamStyleVar {
			name = variable.ReplaceAllString(strings.TrimPrefix(strings.TrimPrefix(id, "$(TeamIdentifierPrefix)"), "${TeamIdentifierPrefix}"), "x")
		} else {
			name = id[11:]
		}
		if name == "" || !isGroupName(variable.ReplaceAllString(name, "x")) {
			report(0, fmt.Sprintf("app group %q has no valid name after the Team ID", id))
			return
		}
		if c.onlyOn("ios", "ipados", "tvos", "watchos", "visionos") {
			report(0, fmt.Sprintf("app group %q uses the macOS Team ID style, which iOS-family platforms do not support: use \"group.%s\" registered on the Developer website", id, name))
			return
		}
		if !teamStyleVar && c.teamID != "" && !strings.HasPrefix(id, c.teamID+".") {
			report(0, fmt.Sprintf("app group %q starts with Team ID %s, not your team %s", id, id[:10], c.teamID))
			return
		}
		// Apple recommends iOS-style IDs for new code (they work on every
		// platform); macOS-style ones stay valid, so this is only a hint, and
		// not on $(TeamIdentifierPrefix), which Xcode's own template writes.
		if teamStyleVar {
			return
		}
		report(Hint, fmt.Sprintf("app group %q uses the macOS-only Team ID style; new code should prefer an iOS-style \"group.\" ID, which works on every platform", id))
	case hasVariable(id):
		// A variable may expand to "group." or a Team ID prefix: nothing certain to say.
	default:
		if strings.HasPrefix(strings.ToLower(id), "group.") {
			report(0, fmt.Sprintf("app group %q: the prefix must be lower-case \"group.\"", id))
			return
		}
		report(0, fmt.Sprintf("app group %q must start with \"group.\" (or, on macOS only, your Team ID and a dot)", id))
	}
}
