// Package cli implements the entitlint command line: subcommand dispatch,
// flag parsing, file collection and the output formats. cmd/entitlint is a
// thin main around Main so that every command can be tested in-process.
package cli

import (
	"fmt"
	"io"
	"strings"
)

// Exit codes, stable for CI scripts.
const (
	ExitOK       = 0 // no findings at or above the --fail-on level
	ExitFindings = 1 // findings at or above the --fail-on level
	ExitUsage    = 2 // bad usage, unreadable file, bad config
)

type command struct {
	name    string
	summary string
	run     func(args []string, env *Env) int
}

// Env is what a command talks to; tests substitute buffers.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Color enables ANSI colors in text output (stdout is a terminal).
	Color bool
}

func commands() []command {
	return []command{
		{"check", "lint entitlements files and report findings", runCheck},
		{"fix", "apply safe fixes to entitlements files", runFix},
		{"rules", "list the rules", runRules},
		{"explain", "explain a rule or an entitlement key", runExplain},
		{"why", "explain a signing or upload error message about entitlements", runWhy},
		{"catalog", "show the embedded catalog's version and counts (--json dumps it)", runCatalog},
		{"profile", "show what a provisioning profile authorises (--json for JSON)", runProfile},
		{"serve", "run the language server on stdio", func(args []string, env *Env) int {
			return runServe(args, env.Stdin, env.Stdout, env.Stderr)
		}},
		{"version", "print the version", runVersion},
	}
}

// Main runs entitlint with args (without the program name) and returns the
// exit code.
func Main(args []string, env *Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		usage(env.Stdout)
		return ExitOK
	case "--version", "-version":
		return runVersion(nil, env)
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], env)
		}
	}
	fmt.Fprintf(env.Stderr, "entitlint: unknown command %q\n\n", name)
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("entitlint finds mistakes in Apple .entitlements files.\n\nUsage:\n  entitlint <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'entitlint <command> -h' for a command's flags.\n")
	b.WriteString("Exit codes: 0 clean, 1 findings at the --fail-on level, 2 usage or I/O error.\n")
	io.WriteString(w, b.String())
}
