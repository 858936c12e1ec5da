package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/entitlint/entitlint/profile"
)

// profileNow is the clock of `entitlint profile` (tests pin it).
var profileNow = time.Now

func runProfile(args []string, env *Env) int {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: entitlint profile [--json] FILE\n\n"+
			"Shows what a provisioning profile (.mobileprovision, .provisionprofile) authorises: its team,\n"+
			"App ID, platforms, kind, dates, certificates, devices and entitlements (wildcards marked).\n"+
			"Check entitlements against it with: entitlint check --profile FILE App.entitlements\n\nFlags:\n")
		fs.PrintDefaults()
	}
	// Flags may come before or after the file.
	var files []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if err == flag.ErrHelp {
				return ExitOK
			}
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(env.Stderr, "entitlint profile: give one provisioning profile (try: entitlint profile App.mobileprovision)")
		return ExitUsage
	}
	p, err := profile.Load(files[0])
	if err != nil {
		if _, ok := err.(*profile.Error); !ok {
			err = fmt.Errorf("%s: %w", files[0], cleanErr(err))
		}
		fmt.Fprintf(env.Stderr, "entitlint profile: %v\n", err)
		return ExitUsage
	}
	now := profileNow()
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(profileJSON(p, now)); err != nil {
			fmt.Fprintf(env.Stderr, "entitlint profile: %v\n", err)
			return ExitUsage
		}
		return ExitOK
	}
	writeProfile(env.Stdout, p, now)
	return ExitOK
}

// relDays says when t is relative to now: "expires in 12 days", "expired 3 days ago".
func relDays(now, t time.Time) string {
	days := profile.DaysUntil(now, t)
	switch {
	case !now.Before(t) && days == 0:
		return "expired today"
	case !now.Before(t) && days == -1:
		return "expired 1 day ago"
	case !now.Before(t):
		return fmt.Sprintf("expired %d days ago", -days)
	case days == 0:
		return "expires today"
	case days == 1:
		return "expires in 1 day"
	}
	return fmt.Sprintf("expires in %d days", days)
}

func writeProfile(w io.Writer, p *profile.Profile, now time.Time) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-14s%s\n", label+":", fmt.Sprintf(format, args...))
	}
	orNone := func(s string) string {
		if s == "" {
			return "(none)"
		}
		return s
	}
	line("Name", "%s", orNone(p.Name))
	line("File", "%s", p.Path)
	line("UUID", "%s", orNone(p.UUID))
	kind := string(p.Kind())
	if p.IsXcodeManaged {
		kind += " (managed by Xcode)"
	}
	line("Kind", "%s", kind)
	team := p.TeamID()
	if p.TeamName != "" {
		team = fmt.Sprintf("%s (%s)", p.TeamName, p.TeamID())
	}
	line("Team", "%s", orNone(team))
	appID := orNone(p.AppID())
	if p.WildcardAppID() {
		appID += "  (wildcard App ID)"
	}
	if p.AppIDName != "" {
		appID += fmt.Sprintf("  %q", p.AppIDName)
	}
	line("App ID", "%s", appID)
	line("Platforms", "%s", orNone(strings.Join(p.PlatformNames(), ", ")))
	if !p.CreationDate.IsZero() {
		line("Created", "%s", p.CreationDate.Format("2006-01-02 15:04 MST"))
	}
	if p.ExpirationDate.IsZero() {
		line("Expires", "(no ExpirationDate)")
	} else {
		line("Expires", "%s (%s)", p.ExpirationDate.Format("2006-01-02 15:04 MST"), relDays(now, p.ExpirationDate))
	}
	switch {
	case p.ProvisionsAllDevices:
		line("Devices", "all devices")
	case len(p.Devices) == 1:
		line("Devices", "1 provisioned device")
	case len(p.Devices) > 1:
		line("Devices", "%d provisioned devices", len(p.Devices))
	default:
		line("Devices", "none (distribution through the App Store or TestFlight)")
	}
	sig := p.Signature
	signer := ""
	if sig.Signer != "" {
		signer = fmt.Sprintf(" by %q", sig.Signer)
		if sig.Issuer != "" && sig.Issuer != sig.Signer {
			signer += fmt.Sprintf(" (issued by %q)", sig.Issuer)
		}
	}
	if sig.Valid {
		line("Signature", "valid CMS signature%s; the chain to Apple's root certificates is not checked", signer)
	} else {
		line("Signature", "does not verify%s: %s", signer, sig.Err)
	}
	line("Certificates", "%d", len(p.Certificates))
	for _, c := range p.Certificates {
		if c.Err != "" {
			fmt.Fprintf(w, "  (unreadable: %s)\n", c.Err)
			continue
		}
		fmt.Fprintf(w, "  %s\n", orNone(c.CommonName))
		var facts []string
		if c.Team != "" {
			facts = append(facts, "team "+c.Team)
		}
		facts = append(facts, fmt.Sprintf("valid until %s (%s)", c.NotAfter.Format("2006-01-02"), relDays(now, c.NotAfter)), "SHA-1 "+c.SHA1)
		fmt.Fprintf(w, "    %s\n", strings.Join(facts, ", "))
	}
	keys := p.EntitlementKeys()
	line("Entitlements", "%d", len(keys))
	width := 0
	for _, k := range keys {
		width = max(width, len(k))
	}
	for _, k := range keys {
		vals := entitlementLines(p.Entitlements[k])
		for i, v := range vals {
			label := ""
			if i == 0 {
				label = k
			}
			fmt.Fprintf(w, "  %-*s  %s\n", width, label, v)
		}
	}
}

// entitlementLines renders a value for the text output: one line per array
// item, wildcards marked.
func entitlementLines(v any) []string {
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return []string{"(empty array: no value allowed)"}
		}
		out := make([]string, 0, len(x))
		for _, it := range x {
			out = append(out, scalarText(it))
		}
		return out
	}
	return []string{scalarText(v)}
}

func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		switch {
		case x == "*":
			return "*  (wildcard: any value)"
		case profile.IsWildcard(x):
			return fmt.Sprintf("%s  (wildcard: any value starting with %q)", x, strings.TrimSuffix(x, "*"))
		case x == "":
			return `""`
		}
		return x
	case bool:
		return fmt.Sprintf("%t", x)
	case []byte:
		return fmt.Sprintf("<%d bytes of data>", len(x))
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " = " + scalarText(x[k])
		}
		return "{" + strings.Join(parts, "; ") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = scalarText(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("%v", v)
}

// The JSON output; fields are only ever added.
type profileOut struct {
	Version      int              `json:"version"`
	File         string           `json:"file"`
	Name         string           `json:"name"`
	UUID         string           `json:"uuid"`
	Kind         profile.Kind     `json:"kind"`
	XcodeManaged bool             `json:"xcodeManaged"`
	Team         profileTeamOut   `json:"team"`
	AppID        string           `json:"appID"`
	AppIDName    string           `json:"appIDName,omitempty"`
	BundleID     string           `json:"bundleID,omitempty"`
	WildcardApp  bool             `json:"wildcardAppID"`
	Platforms    []string         `json:"platforms"`
	Created      *time.Time       `json:"created,omitempty"`
	Expires      *time.Time       `json:"expires,omitempty"`
	Expired      bool             `json:"expired"`
	DaysLeft     *int             `json:"daysLeft,omitempty"`
	Devices      profileDevsOut   `json:"devices"`
	Signature    profileSigOut    `json:"signature"`
	Certificates []profileCertOut `json:"certificates"`
	Entitlements []profileEntOut  `json:"entitlements"`
}

type profileTeamOut struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type profileDevsOut struct {
	All   bool     `json:"all"`
	Count int      `json:"count"`
	UDIDs []string `json:"udids"`
}

type profileSigOut struct {
	Valid bool `json:"valid"`
	// ChainChecked is always false: entitlint does not verify the signer
	// against Apple's root certificates.
	ChainChecked bool   `json:"chainChecked"`
	Signer       string `json:"signer,omitempty"`
	Issuer       string `json:"issuer,omitempty"`
	Error        string `json:"error,omitempty"`
}

type profileCertOut struct {
	CommonName   string     `json:"commonName,omitempty"`
	Team         string     `json:"team,omitempty"`
	Organization string     `json:"organization,omitempty"`
	Serial       string     `json:"serial,omitempty"`
	NotBefore    *time.Time `json:"notBefore,omitempty"`
	NotAfter     *time.Time `json:"notAfter,omitempty"`
	Expired      bool       `json:"expired"`
	SHA1         string     `json:"sha1,omitempty"`
	SHA256       string     `json:"sha256,omitempty"`
	Error        string     `json:"error,omitempty"`
}

type profileEntOut struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
	// Wildcards lists the values that are wildcard patterns.
	Wildcards []string `json:"wildcards,omitempty"`
}

func profileJSON(p *profile.Profile, now time.Time) profileOut {
	timePtr := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	out := profileOut{Version: 1, File: p.Path, Name: p.Name, UUID: p.UUID, Kind: p.Kind(), XcodeManaged: p.IsXcodeManaged,
		Team:  profileTeamOut{ID: p.TeamID(), Name: p.TeamName},
		AppID: p.AppID(), AppIDName: p.AppIDName, WildcardApp: p.WildcardAppID(),
		Platforms: append([]string{}, p.Platforms...),
		Created:   timePtr(p.CreationDate), Expires: timePtr(p.ExpirationDate), Expired: p.Expired(now),
		Devices:      profileDevsOut{All: p.ProvisionsAllDevices, Count: len(p.Devices), UDIDs: append([]string{}, p.Devices...)},
		Signature:    profileSigOut{Valid: p.Signature.Valid, Signer: p.Signature.Signer, Issuer: p.Signature.Issuer, Error: p.Signature.Err},
		Certificates: []profileCertOut{},
		Entitlements: []profileEntOut{},
	}
	out.BundleID, _ = p.BundleID()
	if !p.ExpirationDate.IsZero() {
		d := p.DaysLeft(now)
		out.DaysLeft = &d
	}
	for _, c := range p.Certificates {
		co := profileCertOut{CommonName: c.CommonName, Team: c.Team, Organization: c.Organization, Serial: c.Serial,
			NotBefore: timePtr(c.NotBefore), NotAfter: timePtr(c.NotAfter), SHA1: c.SHA1, SHA256: c.SHA256, Error: c.Err}
		co.Expired = c.Err == "" && !now.Before(c.NotAfter)
		out.Certificates = append(out.Certificates, co)
	}
	for _, k := range p.EntitlementKeys() {
		v := p.Entitlements[k]
		e := profileEntOut{Key: k, Value: v}
		if pats, ok := profile.Strings(v); ok {
			for _, s := range pats {
				if profile.IsWildcard(s) {
					e.Wildcards = append(e.Wildcards, s)
				}
			}
		}
		out.Entitlements = append(out.Entitlements, e)
	}
	return out
}
