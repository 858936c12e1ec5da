package xcodeproj

import (
	"sort"
	"strings"
)

// Check is one entitlements file with one distinct set of settings: what a
// linter needs to check it the way the build signs it. A file shared by
// several targets or configurations with the same settings is one Check.
type Check struct {
	Entitlements string            // absolute path
	Platforms    []string          // entitlint platform ids, in variant order
	MinVersions  map[string]string // deployment targets by platform
	TeamID       string
	// InfoPlist, GenerateInfoPlist and InfoPlistKeys describe the target's
	// Info.plist (see Variant).
	InfoPlist         string
	GenerateInfoPlist bool
	InfoPlistKeys     map[string]string
	// Uses are the targets and configurations that sign with these settings.
	Uses []Use
}

// Use names a target and build configuration.
type Use struct {
	Target        string
	Kind          ProductKind
	Configuration string
}

// Checks groups the project's entitlements files by distinct settings, in
// target and configuration order. Variants of one configuration that share
// the file, team and Info.plist are merged (an iOS target with Mac Catalyst
// becomes one check for ios and catalyst); configurations and targets that
// end up with identical settings share a check.
func (p *Project) Checks() []*Check {
	var out []*Check
	byKey := map[string]*Check{}
	for _, t := range p.Targets {
		for _, c := range t.Configurations {
			var merged []*Check
			for _, v := range c.Variants {
				if v.Entitlements == "" {
					continue
				}
				var into *Check
				for _, m := range merged {
					if m.Entitlements == v.Entitlements && m.TeamID == v.TeamID && m.InfoPlist == v.InfoPlist &&
						m.GenerateInfoPlist == v.GenerateInfoPlist && sameMap(m.InfoPlistKeys, v.InfoPlistKeys) {
						into = m
						break
					}
				}
				if into == nil {
					into = &Check{Entitlements: v.Entitlements, TeamID: v.TeamID, InfoPlist: v.InfoPlist,
						GenerateInfoPlist: v.GenerateInfoPlist, InfoPlistKeys: v.InfoPlistKeys, MinVersions: map[string]string{}}
					merged = append(merged, into)
				}
				if v.Platform != "" && !contains(into.Platforms, v.Platform) {
					into.Platforms = append(into.Platforms, v.Platform)
				}
				if v.Platform != "" && v.MinVersion != "" {
					into.MinVersions[v.Platform] = v.MinVersion
				}
			}
			for _, m := range merged {
				use := Use{Target: t.Name, Kind: t.Kind, Configuration: c.Name}
				k := m.key()
				if prev, ok := byKey[k]; ok {
					prev.Uses = append(prev.Uses, use)
					continue
				}
				m.Uses = []Use{use}
				byKey[k] = m
				out = append(out, m)
			}
		}
	}
	return out
}

func (c *Check) key() string {
	var b strings.Builder
	b.WriteString(c.Entitlements)
	b.WriteString("\x00" + strings.Join(c.Platforms, ","))
	b.WriteString("\x00" + mapKey(c.MinVersions))
	b.WriteString("\x00" + c.TeamID + "\x00" + c.InfoPlist)
	if c.GenerateInfoPlist {
		b.WriteString("\x00gen")
	}
	b.WriteString("\x00" + mapKey(c.InfoPlistKeys))
	return b.String()
}

func mapKey(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + m[k] + "\x01")
	}
	return b.String()
}

func sameMap(a, b map[string]string) bool { return mapKey(a) == mapKey(b) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
