package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
)

const associatedDomainsKey = "com.apple.developer.associated-domains"

// Services Apple documents for associated domains.
var associatedServices = []string{"applinks", "webcredentials", "activitycontinuation", "appclips"}

func init() {
	register(&Rule{
		ID:      "associated-domain",
		Title:   "Malformed associated-domain entry",
		Default: Error,
		Why: "Each entry must be `<service>:<domain>[?mode=developer|managed|developer+managed]` with a service " +
			"of applinks, webcredentials, activitycontinuation or appclips. The system fetches " +
			"`https://<domain>/.well-known/apple-app-site-association` itself, so a scheme, a path or a port in " +
			"the entry means the file is never found and universal links or password autofill silently stop " +
			"working. A wildcard is only allowed as the leading `*.` label.",
		Bad:   "<string>https://example.com/app</string>",
		Good:  "<string>applinks:example.com</string>",
		Facts: "associated domains format",
		Fixes: "removes a scheme, path or trailing slash; offers the service prefix",
		Run: func(p *Pass) {
			for _, key := range []string{associatedDomainsKey, "com.apple.developer.associated-domains.mdm-managed"} {
				e := p.ctx.topEntry(key)
				if e == nil || e.Value == nil {
					continue
				}
				if key != associatedDomainsKey {
					continue // the MDM key is a boolean; only the main key holds domains
				}
				for _, n := range stringValues(e.Value) {
					checkAssociatedDomain(p, n)
				}
			}
		},
	})
}

func checkAssociatedDomain(p *Pass, n *plistxml.Node) {
	raw := n.Text
	span := n.Content()
	if t := strings.TrimSpace(raw); t == "" || hasVariable(raw) || t == "*" || strings.HasSuffix(t, ".*") {
		return // empty-value and wildcard-value report these
	}
	report := func(msg string, fixes ...Fix) {
		p.Report(Finding{Span: span, Key: associatedDomainsKey, Message: msg, Fixes: fixes})
	}
	replaceWith := func(title, text string, safe bool) Fix {
		return Fix{Title: title, Edits: []Edit{p.ctx.replaceText(n, text)}, Safe: safe, Preferred: true}
	}
	entry := strings.TrimSpace(raw)
	// A URL pasted whole: "https://example.com/path".
	if i := strings.Index(entry, "://"); i >= 0 {
		rest := entry[i+3:]
		host := rest
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			host = rest[:j]
		}
		fixes := []Fix{}
		for k, s := range []string{"applinks", "webcredentials"} {
			f := replaceWith("Replace with "+s+":"+host, s+":"+host, false)
			f.Preferred = k == 0
			fixes = append(fixes, f)
		}
		report(fmt.Sprintf("%q is a URL: an associated domain is \"<service>:<domain>\", e.g. \"applinks:%s\"", raw, host), fixes...)
		return
	}
	service, rest, ok := strings.Cut(entry, ":")
	if !ok || strings.Contains(service, ".") { // no service prefix at all: "example.com"
		fixes := []Fix{}
		for k, s := range []string{"applinks", "webcredentials"} {
			f := replaceWith("Add \""+s+":\"", s+":"+entry, false)
			f.Preferred = k == 0
			fixes = append(fixes, f)
		}
		report(fmt.Sprintf("%q has no service prefix: use applinks:, webcredentials:, activitycontinuation: or appclips:", raw), fixes...)
		return
	}
	if !isAssociatedService(service) {
		msg := fmt.Sprintf("unknown associated-domain service %q (use applinks, webcredentials, activitycontinuation or appclips)", service)
		var fixes []Fix
		for _, s := range nearestValues(service, associatedServices) {
			fixes = append(fixes, replaceWith("Replace with "+s+":", s+":"+rest, strings.EqualFold(s, service)))
			break
		}
		report(msg, fixes...)
		return
	}
	domain, mode, hasMode := strings.Cut(rest, "?")
	if hasMode {
		m, ok := strings.CutPrefix(mode, "mode=")
		if !ok || (m != "developer" && m != "managed" && m != "developer+managed") {
			report(fmt.Sprintf("%q: the only query allowed is ?mode=developer, ?mode=managed or ?mode=developer+managed", raw))
			return
		}
	}
	suffix := ""
	if hasMode {
		suffix = "?" + mode
	}
	if i := strings.IndexByte(domain, '/'); i >= 0 {
		clean := service + ":" + domain[:i] + suffix
		report(fmt.Sprintf("%q has a path: the domain alone is enough (the system reads /.well-known/apple-app-site-association)", raw),
			replaceWith("Replace with "+clean, clean, true))
		return
	}
	if i := strings.LastIndexByte(domain, ':'); i >= 0 {
		report(fmt.Sprintf("%q has a port: associated domains are always fetched over HTTPS on port 443", raw))
		return
	}
	labels := strings.Split(domain, ".")
	for i, l := range labels {
		if l == "*" && i == 0 && len(labels) > 2 {
			continue
		}
		if strings.Contains(l, "*") {
			report(fmt.Sprintf("%q: a wildcard is only allowed as the first label, as in \"%s:*.example.com\"", raw, service))
			return
		}
		if !isHostLabel(l) {
			report(fmt.Sprintf("%q: %q is not a valid domain (letters, digits and hyphens between dots; use punycode for international names)", raw, domain))
			return
		}
	}
	if len(labels) < 2 {
		report(fmt.Sprintf("%q: %q is not a fully qualified domain", raw, domain))
	}
}

func isAssociatedService(s string) bool {
	for _, x := range associatedServices {
		if s == x {
			return true
		}
	}
	return false
}
