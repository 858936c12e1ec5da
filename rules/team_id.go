package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

const teamIdentifierKey = "com.apple.developer.team-identifier"

var teamIDValue = regexp.MustCompile(`^[A-Z0-9]{10}$`)

func init() {
	register(&Rule{
		ID:      "team-id",
		Title:   "Team ID that does not match the team",
		Default: Error,
		Why: "The Team ID appears in several places: `com.apple.developer.team-identifier`, `<TeamID>.` app " +
			"groups, keychain groups and application identifiers. They must all name the team that signs the " +
			"app; a value copied from another project or another developer account fails signing (\"doesn't " +
			"match\") or gives an app that cannot share data with its extensions. A Team ID is 10 upper-case " +
			"letters and digits. Set your team with `teamID` in .entitlint.json or --team-id.",
		Bad:   "<key>com.apple.developer.team-identifier</key>\n<string>SKMME9E2Y8</string>  <!-- team is ABCDE12345 -->",
		Good:  "<key>com.apple.developer.team-identifier</key>\n<string>$(TeamIdentifierPrefix)</string>",
		Facts: "Team ID format (seed facts V17, V24); the configured team",
		Run:   runTeamID,
	})
}

func runTeamID(p *Pass) {
	c := p.ctx
	fileTeam := ""
	if e := c.topEntry(teamIdentifierKey); e != nil && e.Value != nil && e.Value.Kind == plistxml.String {
		v := strings.TrimSpace(e.Value.Text)
		switch {
		case hasVariable(v):
		case !teamIDValue.MatchString(v):
			p.Report(Finding{Span: e.Value.Content(), Key: teamIdentifierKey,
				Message: fmt.Sprintf("%q is not a Team ID (10 upper-case letters and digits)", v)})
		case c.teamID != "" && v != c.teamID:
			p.Report(Finding{Span: e.Value.Content(), Key: teamIdentifierKey,
				Message: fmt.Sprintf("team identifier %s is not your team %s", v, c.teamID)})
		default:
			fileTeam = v
		}
	}
	// Every TeamID-prefixed value must name the reference team: the
	// configured one, else the file's own team-identifier. (With a
	// configured team, app-group-id already compares app groups.)
	ref, source := c.teamID, "your team"
	if ref == "" {
		ref, source = fileTeam, teamIdentifierKey+" says the team is"
	}
	if ref == "" {
		return
	}
	for _, key := range teamPrefixedKeys {
		if key == appGroupsKey && c.teamID != "" {
			continue
		}
		e := c.topEntry(key)
		if e == nil || e.Value == nil {
			continue
		}
		for _, n := range stringValues(e.Value) {
			v := strings.TrimSpace(n.Text)
			if hasTeamIDPrefix(v) && v[:10] != ref {
				msg := fmt.Sprintf("%q starts with Team ID %s, but %s %s", v, v[:10], source, ref)
				if source == "your team" {
					msg = fmt.Sprintf("%q starts with Team ID %s, not your team %s", v, v[:10], ref)
				}
				p.Report(Finding{Span: n.Content(), Key: key, Message: msg})
			}
		}
	}
}

// teamPrefixedKeys hold values that start with a Team ID (or App ID prefix).
var teamPrefixedKeys = []string{appGroupsKey, keychainGroupsKey, "com.apple.developer.ubiquity-kvstore-identifier",
	"application-identifier", "com.apple.application-identifier", "com.apple.developer.pass-type-identifiers",
	"com.apple.developer.associated-appclip-app-identifiers", "com.apple.developer.parent-application-identifiers"}
