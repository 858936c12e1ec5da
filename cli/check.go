package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/entitlint/entitlint/config"
	"github.com/entitlint/entitlint/rules"
)

// checkFlags are shared by check and fix.
type checkFlags struct {
	fs           *flag.FlagSet
	format       string
	failOn       string
	configPath   string
	platforms    listFlag
	distribution string
	teamID       string
	catalogs     listFlag
	ruleSev      listFlag
	stdinName    string
	noColor      bool
	jobs         int
	infoPlist    string
	profile      string
}

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

func newCheckFlags(name string, stderr io.Writer) *checkFlags {
	f := &checkFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.fs.SetOutput(stderr)
	f.fs.StringVar(&f.configPath, "config", "", "use this config file instead of the nearest "+config.FileName)
	f.fs.Var(&f.platforms, "platform", "target platform(s): ios, ipados, macos, catalyst, tvos, watchos, visionos, driverkit (repeatable or comma-separated)")
	f.fs.StringVar(&f.distribution, "distribution", "", "distribution method: app-store, developer-id, ad-hoc, enterprise, development")
	f.fs.StringVar(&f.teamID, "team-id", "", "your 10-character Apple Team ID (checks TeamID-prefixed values)")
	f.fs.Var(&f.catalogs, "catalog", "extra catalog file(s) merged over the built-in catalog (repeatable)")
	f.fs.Var(&f.ruleSev, "rule", "override a rule's severity, RULE=error|warning|info|hint|off (repeatable)")
	f.fs.StringVar(&f.stdinName, "stdin-filename", "stdin.entitlements", "file name to report for input read from '-'")
	f.fs.IntVar(&f.jobs, "jobs", 0, "files checked in parallel (default: number of CPUs)")
	f.fs.StringVar(&f.infoPlist, "info-plist", "", "the target's Info.plist, cross-checked against the entitlements (background modes, purpose strings)")
	f.fs.StringVar(&f.profile, "profile", "", "the provisioning profile (.mobileprovision, .provisionprofile) the entitlements are signed with: every claim must be authorised by it")
	return f
}

// flagConfig turns the target flags into a config layer that wins over
// every config file.
func (f *checkFlags) flagConfig() (*config.Config, error) {
	var b strings.Builder
	b.WriteString("{")
	sep := ""
	add := func(k string, v string) {
		fmt.Fprintf(&b, "%s%q:%s", sep, k, v)
		sep = ","
	}
	if len(f.platforms) > 0 {
		add("platforms", jsonStrings(f.platforms))
	}
	if f.distribution != "" {
		add("distribution", jsonString(f.distribution))
	}
	if f.teamID != "" {
		add("teamID", jsonString(f.teamID))
	}
	if len(f.ruleSev) > 0 {
		var rb strings.Builder
		rb.WriteString("{")
		for i, r := range f.ruleSev {
			id, sev, ok := strings.Cut(r, "=")
			if !ok {
				return nil, fmt.Errorf("--rule %q: want RULE=SEVERITY", r)
			}
			if i > 0 {
				rb.WriteString(",")
			}
			fmt.Fprintf(&rb, "%s:%s", jsonString(id), jsonString(sev))
		}
		rb.WriteString("}")
		add("rules", rb.String())
	}
	if len(f.catalogs) > 0 {
		add("catalogs", jsonStrings(f.catalogs))
	}
	if f.infoPlist != "" {
		add("infoPlist", jsonString(f.infoPlist))
	}
	if f.profile != "" {
		add("profile", jsonString(f.profile))
	}
	b.WriteString("}")
	c, err := config.Parse([]byte(b.String()), "command-line flags")
	if err != nil {
		// Strip the synthetic position: flags have none.
		if ce, ok := err.(*config.Error); ok {
			ce.Line, ce.Col = 0, 0
		}
		return nil, err
	}
	if wd, err := os.Getwd(); err == nil {
		c.Dir = wd // --catalog paths are relative to the working directory
	}
	return c, nil
}

func runCheck(args []string, env *Env) int {
	f := newCheckFlags("check", env.Stderr)
	f.fs.StringVar(&f.format, "format", "text", "output format: text, json, sarif, github")
	f.fs.StringVar(&f.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning, info, hint")
	f.fs.BoolVar(&f.noColor, "no-color", false, "never color text output")
	f.fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: entitlint check [flags] PATH...\n\nChecks entitlements files. Directories are searched for *.entitlements files;\nfiles named explicitly are checked whatever their name; '-' reads standard input.\nAn .xcodeproj checks its targets' files; an .app, .ipa or Mach-O executable\nchecks the entitlements embedded in its code signatures.\n\nFlags:\n")
		f.fs.PrintDefaults()
	}
	if err := f.fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return ExitOK
		}
		return ExitUsage
	}
	format, ok := formats[f.format]
	if !ok {
		fmt.Fprintf(env.Stderr, "entitlint check: unknown --format %q (use text, json, sarif or github)\n", f.format)
		return ExitUsage
	}
	failOn, ok := rules.ParseSeverity(f.failOn)
	if !ok || failOn == rules.Off {
		fmt.Fprintf(env.Stderr, "entitlint check: unknown --fail-on %q (use error, warning, info or hint)\n", f.failOn)
		return ExitUsage
	}
	if f.fs.NArg() == 0 {
		fmt.Fprintln(env.Stderr, "entitlint check: no paths given (try: entitlint check path/to/App.entitlements)")
		return ExitUsage
	}
	run, err := newRunner(f, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "entitlint check: %v\n", err)
		return ExitUsage
	}
	run.gc = startBatchGC() // until the report is written
	defer run.gc.stop()
	run.encodeJSON = f.format == "json" && !env.Color
	results := run.checkAll(f.fs.Args())
	color := env.Color && !f.noColor && os.Getenv("NO_COLOR") == ""
	if err := format(env.Stdout, results, style{Color: color, Terminal: env.Color}); err != nil {
		fmt.Fprintf(env.Stderr, "entitlint check: writing output: %v\n", err)
		return ExitUsage
	}
	code := ExitOK
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(env.Stderr, "entitlint: %s: %v\n", r.Path, r.Err)
			code = ExitUsage
			continue
		}
		for _, fd := range r.Result.Findings {
			if fd.Severity <= failOn && code == ExitOK {
				code = ExitFindings
			}
		}
	}
	return code
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func jsonStrings(list []string) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = jsonString(s)
	}
	return "[" + strings.Join(parts, ",") + "]"
}
