package cli

import "fmt"

// Placeholder until the catalog package lands (issue: catalog v1).
func explainKey(key string, env *Env) int {
	fmt.Fprintf(env.Stderr, "entitlint explain: %q is not a rule\n", key)
	return ExitUsage
}

func runCatalog(args []string, env *Env) int {
	fmt.Fprintln(env.Stderr, "entitlint catalog: not available yet")
	return ExitUsage
}
