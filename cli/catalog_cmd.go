package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/entitlint/entitlint/catalog"
)

// explainKey prints what the catalog knows about an entitlement key.
func explainKey(key string, env *Env) int {
	cat := catalog.Builtin()
	w := env.Stdout
	if k, ok := cat.Lookup(key); ok {
		writeKey(w, cat, k)
		return ExitOK
	}
	if h, ok := cat.Hallucination(key); ok {
		fmt.Fprintf(w, "%s is not an entitlement.\n\n", key)
		switch h.Kind {
		case catalog.KindReplace:
			fmt.Fprintf(w, "Use instead: %s\n", h.Replacement)
			for p, r := range h.PlatformReplacements {
				fmt.Fprintf(w, "  on %s: %s\n", p.DisplayName(), r)
			}
		case catalog.KindInfoPlist:
			if h.InfoPlist != nil {
				fmt.Fprintf(w, "It belongs in Info.plist: %s", h.InfoPlist.Key)
				if h.InfoPlist.Value != "" {
					fmt.Fprintf(w, " (value %q)", h.InfoPlist.Value)
				}
				fmt.Fprintln(w)
			}
		default:
			fmt.Fprintln(w, "No entitlement is needed.")
		}
		if len(h.Alternatives) > 0 {
			fmt.Fprintf(w, "You may also have meant: %s\n", strings.Join(h.Alternatives, ", "))
		}
		fmt.Fprintf(w, "\n%s\n\nSource: %s (catalog %s)\n", h.Reason, h.Source, cat.Version())
		return ExitOK
	}
	if m, ok := cat.Private(key); ok {
		fmt.Fprintf(w, "%s is private to Apple: no provisioning profile can authorise it, and a third-party app that claims it is killed at launch.\n", key)
		if m.Reason != "" {
			fmt.Fprintf(w, "\n%s\n", m.Reason)
		}
		return ExitOK
	}
	if ik, ok := cat.InfoPlist(key); ok {
		fmt.Fprintf(w, "%s is an Info.plist key, not an entitlement: %s\n", key, ik.Summary)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "entitlint explain: %q is neither a rule nor an entitlement key in catalog %s\n", key, cat.Version())
	if s := cat.Suggest(key, 3); len(s) > 0 {
		names := make([]string, len(s))
		for i, x := range s {
			names[i] = x.Key
		}
		fmt.Fprintf(env.Stderr, "did you mean: %s\n", strings.Join(names, ", "))
	}
	return ExitUsage
}

var restrictionText = map[catalog.Restriction]string{
	catalog.RestrictionNone:     "none: any signed code may claim it",
	catalog.RestrictionProfile:  "needs a provisioning profile whose App ID has the capability",
	catalog.RestrictionApproval: "Apple must approve a request before a profile can carry it",
	catalog.RestrictionManaged:  "managed capability: works in development, distribution needs Apple's authorisation",
	catalog.RestrictionUnknown:  "not documented",
}

var macGroupText = map[catalog.MacOSGroup]string{
	catalog.GroupSandbox:         "App Sandbox (only applies when com.apple.security.app-sandbox is true)",
	catalog.GroupHardenedRuntime: "Hardened Runtime exception",
	catalog.GroupBoth:            "resource access, honoured by both the App Sandbox and the Hardened Runtime",
}

func writeKey(w io.Writer, cat *catalog.Catalog, k *catalog.Key) {
	fmt.Fprintf(w, "%s — %s\n\n%s\n\n", k.Key, k.Title, k.Summary)
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-12s %s\n", label+":", value)
		}
	}
	typ := strings.ReplaceAll(string(k.Type), "-", " ")
	if k.Format != "" {
		typ += " (" + string(k.Format) + ")"
	}
	row("Type", typ)
	if len(k.Values) > 0 {
		fmt.Fprintln(w, "Values:")
		for _, v := range k.Values {
			fmt.Fprintf(w, "  %-40s %s\n", v.Value, v.Summary)
		}
		if k.ValuesOpen {
			fmt.Fprintln(w, "  (other values may also be valid)")
		}
	}
	var plats []string
	for _, p := range catalog.AllPlatforms() {
		if info, ok := k.Platforms[p]; ok {
			s := p.DisplayName() + " " + info.Since
			if info.Deprecated != "" {
				s += "–" + info.Deprecated + " (deprecated)"
			}
			plats = append(plats, s)
		}
	}
	row("Platforms", strings.Join(plats, ", "))
	row("Restriction", restrictionText[k.Restriction])
	row("macOS", macGroupText[k.MacOSGroup])
	if k.Capability != "" {
		row("Add it in", "Xcode → target → Signing & Capabilities → + Capability → "+k.Capability)
	}
	if k.Deprecated != nil {
		d := "yes"
		if k.Deprecated.Successor != "" {
			d += ", use " + k.Deprecated.Successor
		}
		if k.Deprecated.Note != "" {
			d += " (" + k.Deprecated.Note + ")"
		}
		row("Deprecated", d)
	}
	row("Info.plist", strings.Join(k.InfoPlist, ", "))
	row("Related", strings.Join(k.Related, ", "))
	row("Docs", k.DocURL)
	if k.Note != "" {
		row("Note", k.Note)
	}
	row("Catalog", fmt.Sprintf("%s (facts of %s); entry added in %s", cat.Version(), cat.FactsDate(), k.AddedIn))
}

func runCatalog(args []string, env *Env) int {
	fs := flag.NewFlagSet("catalog", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, "dump the merged catalog as JSON")
	var extra listFlag
	fs.Var(&extra, "catalog", "extra catalog file(s) to merge (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: entitlint catalog [--json] [--catalog FILE]...\n\nPrints the catalog's version and counts, or dumps it as JSON.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return ExitOK
		}
		return ExitUsage
	}
	cat := catalog.Builtin()
	if len(extra) > 0 {
		var err error
		if cat, err = catalog.Load(extra...); err != nil {
			fmt.Fprintf(env.Stderr, "entitlint catalog: %v\n", err)
			return ExitUsage
		}
	}
	if *asJSON {
		if err := cat.WriteJSON(env.Stdout); err != nil {
			fmt.Fprintf(env.Stderr, "entitlint catalog: %v\n", err)
			return ExitUsage
		}
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "entitlint catalog %s (facts of %s)\n", cat.Version(), cat.FactsDate())
	fmt.Fprintf(env.Stdout, "  %d entitlement keys\n", len(cat.Keys()))
	for _, p := range catalog.AllPlatforms() {
		fmt.Fprintf(env.Stdout, "    %-13s %d\n", p.DisplayName(), len(cat.KeysFor(p)))
	}
	fmt.Fprintf(env.Stdout, "  %d known hallucinations\n", len(cat.Hallucinations()))
	fmt.Fprintf(env.Stdout, "  %d Info.plist keys and %d Info.plist patterns\n", len(cat.InfoPlistKeys()), len(cat.InfoPlistPatterns()))
	fmt.Fprintf(env.Stdout, "  %d private keys and %d private prefixes\n", len(cat.PrivateKeys()), len(cat.PrivatePrefixes()))
	return ExitOK
}
