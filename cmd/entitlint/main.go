// Command entitlint lints Apple .entitlements files and serves them to
// editors over the Language Server Protocol. See README.md.
package main

import (
	"os"

	"github.com/entitlint/entitlint/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], &cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Color:  isTerminal(os.Stdout),
	}))
}

// isTerminal reports whether f is a character device (a terminal), without
// a dependency: colors are only for people, never for pipes and CI logs.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
