package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/entitlint/entitlint/catalog"
)

func init() {
	register(&Rule{
		ID:      "deprecated-key",
		Title:   "A deprecated entitlement",
		Default: Warning,
		Why: "Apple stopped honouring some keys in later OS versions (for example " +
			"`com.apple.developer.playable-content` after iOS 14, replaced by CarPlay audio). Claiming them does " +
			"nothing on current systems and may be rejected on upload; the message names the successor.",
		Bad:   "<key>com.apple.developer.playable-content</key>\n<true/>",
		Good:  "<key>com.apple.developer.carplay-audio</key>\n<true/>",
		Facts: "catalog deprecation and successor",
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
				dep, when := deprecatedOn(k, p.ctx.platforms)
				if !dep {
					continue
				}
				msg := fmt.Sprintf("%s is deprecated%s", e.Key, when)
				f := Finding{Span: e.KeyText, Key: e.Key, Tags: TagDeprecated}
				if k.Deprecated != nil && k.Deprecated.Successor != "" {
					msg += "; use " + k.Deprecated.Successor
					f.Fixes = renameKeyFixes(p, e, k.Deprecated.Successor)
					for i := range f.Fixes {
						f.Fixes[i].Safe = false
					}
				}
				if k.Deprecated != nil && k.Deprecated.Note != "" {
					msg += " (" + k.Deprecated.Note + ")"
				}
				f.Message = msg
				p.Report(f)
			}
		},
	})
}

// deprecatedOn reports whether a key is deprecated for the targets: on
// every known target platform where it exists, or, with unknown targets,
// on every platform where it exists. when describes it (" since iOS 14.0").
func deprecatedOn(k *catalog.Key, platforms []string) (bool, string) {
	if !k.DeprecatedOnSomePlatform() {
		return false, "" // the common case, without allocating
	}
	consider := platforms
	if len(consider) == 0 {
		for p := range k.Platforms {
			consider = append(consider, string(p))
		}
		sort.Strings(consider)
	}
	var parts []string
	for _, p := range consider {
		info, ok := k.Platforms[catalog.Platform(p)]
		if !ok {
			continue
		}
		if info.Deprecated == "" {
			return false, ""
		}
		parts = append(parts, platformName(p)+" "+info.Deprecated)
	}
	if len(parts) == 0 {
		return false, ""
	}
	return true, " (last supported: " + strings.Join(parts, ", ") + ")"
}
