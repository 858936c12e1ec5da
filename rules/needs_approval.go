package rules

import (
	"fmt"

	"github.com/entitlint/entitlint/catalog"
)

func init() {
	register(&Rule{
		ID:      "needs-approval",
		Title:   "A capability that needs Apple's approval to ship",
		Default: Info,
		Why: "Managed and request-only capabilities (Family Controls, CarPlay, critical alerts, the increased " +
			"memory limit's cousins, DriverKit families…) work in development builds but cannot be distributed " +
			"until Apple approves a request for your team. Knowing early avoids a release blocked at the last step.",
		Bad:   "<key>com.apple.developer.family-controls</key>\n<true/>",
		Good:  "<!-- the same, after requesting the capability from Apple for distribution -->",
		Facts: "catalog restriction class",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				k, ok := p.ctx.keyAt(i)
				if !ok {
					continue
				}
				if dep, _ := deprecatedOn(k, p.ctx.platforms); dep {
					continue // deprecated-key says more useful things
				}
				switch k.Restriction {
				case catalog.RestrictionManaged:
					p.Report(Finding{Span: e.KeyText, Key: e.Key,
						Message: fmt.Sprintf("%s is a managed capability: it works in development, but distribution needs Apple's authorisation for your team", e.Key)})
				case catalog.RestrictionApproval:
					p.Report(Finding{Span: e.KeyText, Key: e.Key,
						Message: fmt.Sprintf("%s needs Apple's approval: request it for your team before you distribute", e.Key)})
				}
			}
		},
	})
}
