package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/entitlint/entitlint/config"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
	"github.com/entitlint/entitlint/xcodeproj"
	"howett.net/plist"
)

// Project mode: `entitlint check App.xcodeproj` checks every target's
// entitlements file with the platforms, deployment targets, Team ID and
// Info.plist the project builds it with. Precedence, highest first:
// command-line flags, the project, the workspace config file.

// projectCheck is what an Xcode project says about one entitlements file.
type projectCheck struct {
	project string // the .xcodeproj as given on the command line
	check   *xcodeproj.Check
}

// isXcodeProject reports whether a command-line path names an .xcodeproj
// directory (only an explicit project path switches to project mode).
func isXcodeProject(p string) bool {
	return strings.HasSuffix(strings.TrimRight(filepath.ToSlash(p), "/"), ".xcodeproj")
}

var (
	teamIDSetting  = regexp.MustCompile(`^[A-Z0-9]{10}$`)
	versionSetting = regexp.MustCompile(`^\d+(\.\d+){0,2}$`)
)

// collectProject reads a project and returns one file per distinct
// settings, telling on standard error what each is checked with.
func (r *runner) collectProject(path string) []fileResult {
	proj, err := xcodeproj.Open(path)
	if err != nil {
		return []fileResult{{Path: path, Err: err}}
	}
	for _, w := range proj.Warnings {
		fmt.Fprintf(r.env.Stderr, "entitlint: %s: %s\n", path, w)
	}
	checks := proj.Checks()
	if len(checks) == 0 {
		fmt.Fprintf(r.env.Stderr, "entitlint: %s: no target sets CODE_SIGN_ENTITLEMENTS: nothing to check\n", path)
	}
	var out []fileResult
	fixed := map[string]bool{}
	for _, c := range checks {
		disp := displayPath(c.Entitlements)
		if cfg, err := r.configFor(c.Entitlements); err == nil && cfg.Excluded(c.Entitlements) {
			continue
		}
		if r.fixing {
			// One file, one write: fix it with its first settings; the
			// others show up in `check`.
			if fixed[c.Entitlements] {
				fmt.Fprintf(r.env.Stderr, "entitlint: %s: %s: also used by %s; fixed once, with the settings above (run check to see all)\n", path, disp, usesText(c.Uses))
				continue
			}
			fixed[c.Entitlements] = true
		}
		pc := &projectCheck{project: path, check: c}
		fmt.Fprintf(r.env.Stderr, "entitlint: %s: %s: %s\n", path, disp, r.describe(pc))
		out = append(out, fileResult{Path: disp, project: pc})
	}
	return out
}

// describe says which targets use a file and with what, as it will be
// checked (flags win over the project).
func (r *runner) describe(pc *projectCheck) string {
	c := pc.check
	var parts []string
	parts = append(parts, usesText(c.Uses))
	layer := projectLayer(c)
	platforms := layer.Platforms
	if len(r.flags.Platforms) > 0 {
		platforms = r.flags.Platforms
	}
	if len(platforms) == 0 {
		parts = append(parts, "platform unknown")
	} else {
		var ps []string
		for _, p := range platforms {
			if v := layer.MinVersions[p]; v != "" && len(r.flags.Platforms) == 0 {
				p += " " + v
			}
			ps = append(ps, p)
		}
		parts = append(parts, strings.Join(ps, ", "))
	}
	if team := r.flags.TeamID; team != "" {
		parts = append(parts, "team "+team)
	} else if layer.TeamID != "" {
		parts = append(parts, "team "+layer.TeamID)
	}
	switch {
	case r.flags.InfoPlist != "":
		parts = append(parts, "Info.plist "+displayPath(r.flags.InfoPlistPath()))
	case c.InfoPlist != "" || c.GenerateInfoPlist:
		parts = append(parts, "Info.plist "+infoPlistLabel(c))
	}
	return strings.Join(parts, "; ")
}

// usesText renders `target Shop (Debug, Release)`, several targets joined.
func usesText(uses []xcodeproj.Use) string {
	var order []string
	configs := map[string][]string{}
	for _, u := range uses {
		if _, ok := configs[u.Target]; !ok {
			order = append(order, u.Target)
		}
		configs[u.Target] = append(configs[u.Target], u.Configuration)
	}
	var parts []string
	for _, t := range order {
		parts = append(parts, fmt.Sprintf("target %s (%s)", t, strings.Join(configs[t], ", ")))
	}
	return strings.Join(parts, ", ")
}

// projectLayer is the config layer a project check contributes. Values the
// config would reject (an unexpanded variable, a Team ID that is not one)
// are left out rather than failing the run.
func projectLayer(c *xcodeproj.Check) *config.Config {
	l := &config.Config{Platforms: c.Platforms}
	for p, v := range c.MinVersions {
		if versionSetting.MatchString(v) {
			if l.MinVersions == nil {
				l.MinVersions = map[string]string{}
			}
			l.MinVersions[p] = v
		}
	}
	if teamIDSetting.MatchString(c.TeamID) {
		l.TeamID = c.TeamID
	}
	return l
}

// checkProjectFile checks one entitlements file from a project.
func (r *runner) checkProjectFile(fr *fileResult) {
	c := fr.project.check
	var err error
	base := r.explicit
	if base == nil {
		if base, err = config.ForFile(c.Entitlements); err != nil {
			fr.Err = fmt.Errorf("config: %w", err)
			return
		}
	}
	cfg := config.Merge(config.Merge(base, projectLayer(c)), r.flags)
	opts, err := cfg.Options()
	if err != nil {
		fr.Err = fmt.Errorf("config: %w", err)
		return
	}
	// Read before the Info.plist: a missing file is the error to report.
	src, size, err := readFileLimited(c.Entitlements, opts.SizeLimit())
	if err != nil {
		fr.Err = fmt.Errorf("%v (CODE_SIGN_ENTITLEMENTS of %s in %s)", cleanErr(err), usesText(c.Uses), fr.project.project)
		return
	}
	if r.flags.InfoPlist == "" && (c.InfoPlist != "" || c.GenerateInfoPlist) {
		// The project knows this target's Info.plist: it replaces any
		// infoPlist from the config file, which cannot know the target.
		doc, err := projectInfoPlist(c)
		if err != nil {
			fmt.Fprintf(r.env.Stderr, "entitlint: %s: Info.plist checks skipped: %v\n", fr.Path, err)
			opts.InfoPlist, opts.InfoPlistPath = nil, ""
		} else {
			opts.InfoPlist, opts.InfoPlistPath = doc, infoPlistLabel(c)
		}
	}
	fr.Opts = opts
	if src == nil {
		fr.Result = rules.TooLarge(size, opts)
		return
	}
	fr.Src = src
	fr.Result = rules.Check(fr.Src, opts)
}

// infoPlistLabel names a target's Info.plist in messages.
func infoPlistLabel(c *xcodeproj.Check) string {
	switch {
	case c.InfoPlist != "" && c.GenerateInfoPlist:
		return displayPath(c.InfoPlist) + " (+ INFOPLIST_KEY_ build settings)"
	case c.InfoPlist != "":
		return displayPath(c.InfoPlist)
	}
	return "the generated Info.plist (INFOPLIST_KEY_ build settings)"
}

// projectInfoPlist builds the Info.plist the build will produce, as far as
// purpose strings and background modes go: INFOPLIST_FILE, plus the
// INFOPLIST_KEY_* settings when GENERATE_INFOPLIST_FILE is on.
func projectInfoPlist(c *xcodeproj.Check) (*plistxml.Document, error) {
	if !c.GenerateInfoPlist {
		return config.LoadInfoPlist(c.InfoPlist)
	}
	values := map[string]any{}
	if c.InfoPlist != "" {
		data, err := os.ReadFile(c.InfoPlist)
		if err != nil {
			return nil, fmt.Errorf("INFOPLIST_FILE %s: %v", displayPath(c.InfoPlist), cleanErr(err))
		}
		if err := decodePlist(data, &values); err != nil {
			return nil, fmt.Errorf("INFOPLIST_FILE %s: %v", displayPath(c.InfoPlist), err)
		}
	}
	keys := make([]string, 0, len(c.InfoPlistKeys))
	for k := range c.InfoPlistKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, set := values[k]; !set {
			values[k] = c.InfoPlistKeys[k]
		}
	}
	out, err := plist.MarshalIndent(values, plist.XMLFormat, "\t")
	if err != nil {
		return nil, err
	}
	return plistxml.Parse(out), nil
}

// decodePlist decodes an XML or binary property list with a dict root.
func decodePlist(data []byte, into *map[string]any) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("unreadable property list (%v)", v)
		}
	}()
	if err := plistxml.CheckBinary(data); err != nil {
		return err
	}
	if _, err := plist.Unmarshal(data, into); err != nil {
		return fmt.Errorf("not a property list with a dictionary at its root: %v", err)
	}
	return nil
}

// displayPath shortens an absolute path to one relative to the working
// directory when it lies below it.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
