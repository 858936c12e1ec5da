package rules

import (
	"fmt"

	"github.com/entitlint/entitlint/profile"
)

// profileExpiryWarningDays: a profile or certificate closer to its end than
// this gets a warning.
const profileExpiryWarningDays = 14

func init() {
	register(&Rule{
		ID:      "profile-expired",
		Title:   "A provisioning profile (or all its certificates) expired or about to",
		Default: Error,
		Why: "An expired profile cannot sign anything and apps it signed stop launching (on iOS, at the next " +
			"launch after the expiry date; development and ad hoc profiles last a year at most). A profile whose " +
			"developer certificates have all expired is just as dead: no signing identity matches it. Both are " +
			"errors; less than 14 days left is a warning, to renew before the build breaks. Runs only with a profile.",
		Bad:   "<!-- profile: App_Dev.mobileprovision, ExpirationDate 2024-05-01 -->\n<dict>",
		Good:  "<!-- profile: App_Dev.mobileprovision, downloaded again, ExpirationDate next year -->\n<dict>",
		Facts: "the profile's ExpirationDate and its DeveloperCertificates' validity",
		Run:   runProfileExpired,
	})
}

func runProfileExpired(p *Pass) {
	pr, c := p.Opts.Profile, p.ctx
	if pr == nil || c.root == nil {
		return
	}
	span := profRootSpan(c)
	now := profileNow()
	if !pr.ExpirationDate.IsZero() {
		days := pr.DaysLeft(now)
		date := pr.ExpirationDate.Format("2006-01-02")
		switch {
		case pr.Expired(now):
			p.Report(Finding{Span: span, Severity: Error,
				Message: fmt.Sprintf("Provisioning profile %q expired on %s (%s): nothing can be signed with it and what it signed no longer launches; download a new one (%s)",
					pr.Name, date, profAgo(-days), profileFile(pr))})
		case days < profileExpiryWarningDays:
			p.Report(Finding{Span: span, Severity: Warning,
				Message: fmt.Sprintf("Provisioning profile %q expires on %s (%s): renew it before then (%s)",
					pr.Name, date, profIn(days), profileFile(pr))})
		}
	}
	latest := pr.LatestCertificate()
	if latest == nil {
		return
	}
	days := profile.DaysUntil(now, latest.NotAfter)
	date := latest.NotAfter.Format("2006-01-02")
	every := "Every certificate in"
	if len(pr.Certificates) == 1 {
		every = "The only certificate in"
	}
	switch {
	case !now.Before(latest.NotAfter):
		p.Report(Finding{Span: span, Severity: Error,
			Message: fmt.Sprintf("%s provisioning profile %q has expired (%q on %s): no signing identity can use the profile; create a certificate and regenerate the profile (%s)",
				every, pr.Name, latest.CommonName, date, profileFile(pr))})
	case days < profileExpiryWarningDays:
		p.Report(Finding{Span: span, Severity: Warning,
			Message: fmt.Sprintf("%s provisioning profile %q expires within %d days (%q on %s, %s): renew the certificate and regenerate the profile (%s)",
				every, pr.Name, profileExpiryWarningDays, latest.CommonName, date, profIn(days), profileFile(pr))})
	}
}

func profAgo(days int) string {
	switch days {
	case 0:
		return "today"
	case 1:
		return "1 day ago"
	}
	return fmt.Sprintf("%d days ago", days)
}

func profIn(days int) string {
	switch days {
	case 0:
		return "today"
	case 1:
		return "in 1 day"
	}
	return fmt.Sprintf("in %d days", days)
}
