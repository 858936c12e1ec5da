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
			p.Report(Finding{Span: e.Value.Content, Key: teamIdentifierKey,
				Message: fmt.Sprintf("%q is not a Team ID (10 upper-case letters and digits)", v)})
		case c.teamID != "" && v != c.teamID:
			p.Report(Finding{Span: e.Value.Content, Key: teamIdentifierKey,
				Message: fmt.Sprintf("team identifier %s is not your team %s", v, c.teamID)})
		default:
			fileTeam = v
		}
	}
	// With a configured team, app-group-id and the profile checks compare
	// against it; without one, the file's own team-identifier is the
	// reference for every TeamID-prefixed value.
	if c.teamID != "" || fileTeam == "" {
		return
	}
	for _, key := range []string{appGroupsKey, keychainGroupsKey, "com.apple.developer.ubiquity-kvstore-identifier",
		"application-identifier", "com.apple.application-identifier"} {
		e := c.topEntry(key)
		if e == nil || e.Value == nil {
			continue
		}
		for _, n := range stringValues(e.Value) {
			v := strings.TrimSpace(n.Text)
			if teamIDPrefix.MatchString(v) && v[:10] != fileTeam {
				p.Report(Finding{Span: n.Content, Key: key,
					Message: fmt.Sprintf("%q starts with Team ID %s, but %s says the team is %s", v, v[:10], teamIdentifierKey, fileTeam)})
			}
		}
	}
}
