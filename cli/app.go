package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/entitlint/entitlint/config"
	"github.com/entitlint/entitlint/machosig"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/rules"
)

// Built-app mode: `entitlint check MyApp.app`, `MyApp.ipa` or a Mach-O
// binary checks the entitlements embedded in the code signature of every
// executable (the app, its extensions, system extensions, XPC services,
// login items, watch app and App Clip), each against its own embedded
// provisioning profile and Info.plist, with the platform the binary was
// built for. Findings name the executable, its architectures and
// "(embedded entitlements)"; their lines and columns are positions in the
// entitlements property list extracted from the signature.
//
// Precedence, highest first: command-line flags, the binary (platforms,
// deployment targets, signing team; the embedded profile's distribution
// kind), the workspace config file. The config file's profile and
// infoPlist describe source files, not the built product: the embedded
// profile and the bundle's own Info.plist replace them (--profile and
// --info-plist still win).

// errFixBuilt: a signature cannot be edited in place.
var errFixBuilt = errors.New("entitlements embedded in a code signature cannot be fixed: fix the target's .entitlements file and build and sign again (use check to see the findings)")

// embeddedCheck is what a built product says about one entitlements blob.
type embeddedCheck struct {
	source        string         // the path given on the command line (config lookup)
	layer         *config.Config // from the binary: platforms, deployment targets, team, distribution
	profile       *profile.Profile
	infoPlist     *plistxml.Document
	infoPlistPath string
}

// builtKind says whether a path named on the command line is a built
// product: "bundle" (.app, .appex, .systemextension, .xpc directory), "ipa",
// "binary" (a file that starts like a Mach-O), or "".
func builtKind(p string, st fs.FileInfo) string {
	name := strings.ToLower(strings.TrimRight(filepath.ToSlash(p), "/"))
	if st.IsDir() {
		for _, ext := range []string{".app", ".appex", ".systemextension", ".xpc"} {
			if strings.HasSuffix(name, ext) {
				return "bundle"
			}
		}
		return ""
	}
	if !st.Mode().IsRegular() {
		return ""
	}
	if strings.HasSuffix(name, ".ipa") {
		return "ipa"
	}
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	var head [4]byte
	if n, _ := f.Read(head[:]); n == len(head) && machosig.IsMachO(head[:]) {
		return "binary"
	}
	return ""
}

// collectBuilt reads a built product and returns one file per distinct
// entitlements blob, telling on standard error what each is checked with.
func (r *runner) collectBuilt(p, kind string) []fileResult {
	if r.fixing {
		return []fileResult{{Path: p, Err: errFixBuilt}}
	}
	var bundle *machosig.Bundle
	var err error
	switch kind {
	case "bundle":
		bundle, err = machosig.ReadApp(p, machosig.DefaultLimits)
	case "ipa":
		bundle, err = machosig.ReadIPA(p, machosig.DefaultLimits)
	default:
		var f *machosig.File
		f, err = machosig.Open(p)
		bundle = &machosig.Bundle{Targets: []machosig.Target{{Path: p, Executable: p, Binary: f}}}
	}
	if err != nil {
		return []fileResult{{Path: p, Err: cleanErr(err)}}
	}
	for _, w := range bundle.Warnings {
		fmt.Fprintf(r.env.Stderr, "entitlint: %s: %s\n", p, w)
	}
	var out []fileResult
	for i := range bundle.Targets {
		out = append(out, r.builtTarget(p, &bundle.Targets[i])...)
	}
	return out
}

// archGroup is architectures of one executable with the same entitlements
// and platforms: a universal binary's slices are checked once.
type archGroup struct {
	cpus   []string
	xml    []byte
	source string // "embedded entitlements" or the simulator section
	arch   *machosig.Arch
}

func (r *runner) builtTarget(p string, t *machosig.Target) []fileResult {
	if t.Err != nil {
		return []fileResult{{Path: p, Err: t.Err}}
	}
	warn := func(format string, args ...any) {
		fmt.Fprintf(r.env.Stderr, "entitlint: %s: %s\n", t.Executable, fmt.Sprintf(format, args...))
	}
	var pr *profile.Profile
	if t.Profile != nil {
		var err error
		if pr, err = profile.Parse(t.Profile); err != nil {
			warn("embedded profile %s is unreadable, profile checks skipped: %v", t.ProfilePath, err)
			pr = nil
		} else {
			pr.Path = t.ProfilePath
		}
	}
	var info *plistxml.Document
	if t.InfoPlist != nil {
		if doc := plistxml.Parse(t.InfoPlist); doc.RootDict() != nil {
			info = doc
		}
	}
	var out []fileResult
	var groups []*archGroup
	for i := range t.Binary.Archs {
		a := &t.Binary.Archs[i]
		label := fmt.Sprintf("%s [%s]", t.Executable, a.CPU)
		if a.Err != nil {
			out = append(out, fileResult{Path: label, Err: a.Err})
			continue
		}
		xml, source, ok := a.Entitlements()
		switch {
		case ok:
		case a.Signature == nil:
			warn("[%s] is not signed: no entitlements to check", a.CPU)
			continue
		case a.Signature.HasDEREntitlements():
			warn("[%s] has only DER entitlements, which entitlint does not decode: nothing checked", a.CPU)
			continue
		default:
			warn("[%s] is signed without entitlements: nothing to check", a.CPU)
			continue
		}
		var g *archGroup
		for _, cand := range groups {
			if bytes.Equal(cand.xml, xml) && cand.source == source && samePlatforms(cand.arch.Platforms, a.Platforms) {
				g = cand
				break
			}
		}
		if g == nil {
			g = &archGroup{xml: xml, source: source, arch: a}
			groups = append(groups, g)
		}
		g.cpus = append(g.cpus, a.CPU)
	}
	for _, g := range groups {
		layer := binaryLayer(g.arch, pr, r.flags.Profile == "")
		label := fmt.Sprintf("%s [%s]", t.Executable, strings.Join(g.cpus, ", "))
		fmt.Fprintf(r.env.Stderr, "entitlint: %s: %s\n", label, r.describeBuilt(t, g.arch, layer, pr))
		for _, w := range signatureWarnings(g.arch, pr) {
			fmt.Fprintf(r.env.Stderr, "entitlint: %s: warning: %s\n", label, w)
		}
		out = append(out, fileResult{
			Path: fmt.Sprintf("%s (%s)", label, g.source),
			Src:  g.xml,
			embedded: &embeddedCheck{source: p, layer: layer, profile: pr, infoPlist: info,
				infoPlistPath: t.InfoPlistPath},
		})
	}
	return out
}

func samePlatforms(a, b []machosig.Platform) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// binaryLayer is the config layer a binary contributes: its platforms and
// deployment targets, its signing team, and the distribution kind of its
// embedded profile when that is the profile in use.
func binaryLayer(a *machosig.Arch, pr *profile.Profile, embeddedInUse bool) *config.Config {
	l := &config.Config{}
	for _, p := range a.Platforms {
		t := p.Target()
		if t == "" || contains(l.Platforms, t) {
			continue
		}
		l.Platforms = append(l.Platforms, t)
		if versionSetting.MatchString(p.MinOS) {
			if l.MinVersions == nil {
				l.MinVersions = map[string]string{}
			}
			l.MinVersions[t] = p.MinOS
		}
	}
	if s := a.Signature; s != nil && teamIDSetting.MatchString(s.TeamID()) {
		l.TeamID = s.TeamID()
	}
	if pr != nil && embeddedInUse {
		l.Distribution = string(pr.Kind())
	}
	return l
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// describeBuilt says what an executable is and what it is checked with.
func (r *runner) describeBuilt(t *machosig.Target, a *machosig.Arch, layer *config.Config, pr *profile.Profile) string {
	var parts []string
	if s := a.Signature; s != nil {
		sig := s.Identifier()
		if sig == "" {
			sig = "no signing identifier"
		}
		switch {
		case s.TeamID() != "":
			sig += ", team " + s.TeamID()
		case s.AdHoc():
			sig += ", ad hoc signature"
		}
		if cd := s.CodeDirectory(); cd != nil && cd.CDHash != "" {
			sig += fmt.Sprintf(" (%s cdhash %s)", cd.HashType, cd.CDHash)
		}
		parts = append(parts, sig)
	} else if t.BundleID != "" {
		parts = append(parts, t.BundleID)
	}
	platforms := layer.Platforms
	fromFlags := len(r.flags.Platforms) > 0
	if fromFlags {
		platforms = r.flags.Platforms
	}
	var ps []string
	for _, p := range platforms {
		if v := layer.MinVersions[p]; v != "" && !fromFlags {
			p += " " + v
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		parts = append(parts, "platform unknown")
	} else {
		parts = append(parts, strings.Join(ps, ", "))
	}
	switch {
	case r.flags.Profile != "":
		parts = append(parts, "profile "+displayPath(r.flags.ProfilePath())+" (--profile)")
	case pr != nil:
		parts = append(parts, fmt.Sprintf("profile %q (%s, %s)", pr.Name, pr.Path, pr.Kind()))
	default:
		parts = append(parts, "no embedded profile")
	}
	return strings.Join(parts, "; ")
}

// signatureWarnings are problems of the signature itself that no rule sees
// in the entitlements: they are printed, not reported as findings.
func signatureWarnings(a *machosig.Arch, pr *profile.Profile) []string {
	var out []string
	s := a.Signature
	if s == nil {
		return nil
	}
	embeddedOS := false
	for _, p := range a.Platforms {
		switch p.ID {
		case machosig.PlatformIOS, machosig.PlatformTVOS, machosig.PlatformWatchOS, machosig.PlatformVisionOS:
			embeddedOS = true
		}
	}
	if embeddedOS && s.Entitlements != nil && !s.HasDEREntitlements() {
		out = append(out, "the signature has no DER entitlements: iOS 15, tvOS 15, watchOS 8 and later refuse to launch it (sign again with Xcode 13 or later)")
	}
	if pr != nil && s.TeamID() != "" && pr.TeamID() != "" && s.TeamID() != pr.TeamID() {
		out = append(out, fmt.Sprintf("signed by team %s, but the embedded profile %q is for team %s", s.TeamID(), pr.Name, pr.TeamID()))
	}
	return out
}

// checkEmbedded checks one extracted entitlements blob.
func (r *runner) checkEmbedded(fr *fileResult) {
	e := fr.embedded
	base := r.explicit
	if base == nil {
		var err error
		if base, err = config.ForFile(e.source); err != nil {
			fr.Err = fmt.Errorf("config: %w", err)
			return
		}
	}
	// The config file's profile and Info.plist are the source files'; the
	// built product carries its own.
	stripped := *base
	stripped.Profile, stripped.InfoPlist = "", ""
	cfg := config.Merge(config.Merge(&stripped, e.layer), r.flags)
	opts, err := cfg.Options()
	if err != nil {
		fr.Err = fmt.Errorf("config: %w", err)
		return
	}
	if opts.Profile == nil {
		opts.Profile = e.profile
	}
	if opts.InfoPlist == nil && e.infoPlist != nil {
		opts.InfoPlist, opts.InfoPlistPath = e.infoPlist, e.infoPlistPath
	}
	fr.Opts = opts
	fr.Result = rules.Check(fr.Src, opts)
}
