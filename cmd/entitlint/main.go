// Command entitlint lints Apple .entitlements files and serves them to
// editors over the Language Server Protocol. See README.md.
package main

import (
	"os"

	"golang.org/x/term"

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

// isTerminal reports whether f is a terminal: colors and indented JSON are
// for people, never for pipes, files and CI logs. (Being a character device
// is not enough: /dev/null is one, and writing indented, colored output
// nobody reads made `check > /dev/null` 30% slower.)
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
