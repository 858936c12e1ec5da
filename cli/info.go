package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/entitlint/entitlint/rules"
	"github.com/entitlint/entitlint/version"
)

func runVersion(_ []string, env *Env) int {
	fmt.Fprintf(env.Stdout, "entitlint %s\n", version.Version)
	return ExitOK
}

func runRules(args []string, env *Env) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(env.Stdout, "Usage: entitlint rules\n\nLists every rule with its default severity. 'entitlint explain RULE' shows one.")
		return ExitOK
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tDEFAULT\tFIX\tTITLE")
	for _, r := range rules.All() {
		fix := ""
		if r.Fixes != "" {
			fix = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Default, fix, r.Title)
	}
	tw.Flush()
	return ExitOK
}

// explainRule prints one rule's documentation.
func explainRule(r *rules.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (default: %s)\n%s\n\n%s\n", r.ID, r.Default, r.Title, r.Why)
	if r.Facts != "" {
		fmt.Fprintf(&b, "\nUses: %s\n", r.Facts)
	}
	if r.Fixes != "" {
		fmt.Fprintf(&b, "Fixes: %s\n", r.Fixes)
	}
	if r.Bad != "" {
		fmt.Fprintf(&b, "\nBad:\n%s\n", indent(r.Bad))
	}
	if r.Good != "" {
		fmt.Fprintf(&b, "\nGood:\n%s\n", indent(r.Good))
	}
	fmt.Fprintf(&b, "\nDocs: %s\n", r.DocsURL())
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}

func runExplain(args []string, env *Env) int {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.Stderr, "Usage: entitlint explain RULE|KEY\n\nShows a rule's documentation, or what entitlint knows about an entitlement key.")
		return ExitUsage
	}
	if r, ok := rules.Lookup(args[0]); ok {
		fmt.Fprint(env.Stdout, explainRule(r))
		return ExitOK
	}
	return explainKey(args[0], env)
}
