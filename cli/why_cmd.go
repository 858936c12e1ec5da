package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/term"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/errdecode"
	"github.com/entitlint/entitlint/rules"
)

const whyUsage = `Usage: entitlint why [--file FILE]... [--format text|json] "MESSAGE"
       pbpaste | entitlint why [flags]

Explains a signing, install, upload or launch error about entitlements: which
key it is about, what it means and what to do. Paste the whole message (or
several); quotes, wrapped lines and "error:" prefixes do not matter. With
no MESSAGE, or MESSAGE "-", the message is read from standard input.

The offending lines are shown as file:line:col in the --file files or,
without --file, in the *.entitlements files under the current directory
(4 levels deep).

Exit codes: 0 at least one message was recognised, 1 nothing was recognised
("not an entitlements problem I recognise"), 2 usage error or unreadable file.

Flags:
`

// maxWhyInput bounds what is read as a message.
const maxWhyInput = 1 << 20

// whySearchDepth is how deep `why` looks for entitlements files.
const whySearchDepth = 4

func runWhy(args []string, env *Env) int {
	fs := flag.NewFlagSet("why", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var files listFlag
	fs.Var(&files, "file", "entitlements file to point into (repeatable; default: *.entitlements under the current directory)")
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, whyUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return ExitOK
		}
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(env.Stderr, "entitlint why: unknown --format %q (use text or json)\n", *format)
		return ExitUsage
	}
	msg, err := whyMessage(fs.Args(), env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "entitlint why: %v\n", err)
		return ExitUsage
	}
	if strings.TrimSpace(msg) == "" {
		fmt.Fprintln(env.Stderr, "entitlint why: no message given (try: entitlint why \"Provisioning profile … doesn't include the … entitlement.\")")
		return ExitUsage
	}
	explicit := len(files) > 0
	if !explicit {
		files = findEntitlements(".", whySearchDepth)
	}
	type source struct {
		name string
		src  []byte
	}
	var sources []source
	for _, f := range files {
		// Files over the size limit are not read (nor located in).
		src, _, err := readFileLimited(f, rules.DefaultMaxFileSize)
		if err == nil && src == nil {
			err = fmt.Errorf("over the %d MB limit: not read", rules.DefaultMaxFileSize>>20)
		}
		if err != nil {
			if explicit {
				fmt.Fprintf(env.Stderr, "entitlint why: %s: %v\n", f, cleanErr(err))
				return ExitUsage
			}
			continue
		}
		sources = append(sources, source{f, src})
	}
	cat := catalog.Builtin()
	res := errdecode.Decode(msg, cat)
	report := whyReport{Version: 1, Recognised: res.Recognised(), Messages: []whyMessageJSON{}, Unrecognised: res.Unrecognised, Files: []string{}}
	for _, s := range sources {
		report.Files = append(report.Files, s.name)
	}
	for _, d := range res.Decoded {
		m := whyMessageJSON{Decoded: d, Locations: []errdecode.Location{}}
		for _, s := range sources {
			m.Locations = append(m.Locations, d.Locate(s.name, s.src, cat)...)
		}
		report.Messages = append(report.Messages, m)
	}
	if report.Unrecognised == nil {
		report.Unrecognised = []string{}
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return ExitUsage
		}
	} else {
		writeWhyText(env.Stdout, &report)
	}
	if !report.Recognised {
		return ExitFindings
	}
	return ExitOK
}

// whyMessage joins the arguments, or reads standard input for none or "-".
func whyMessage(args []string, env *Env) (string, error) {
	if len(args) > 0 && !(len(args) == 1 && args[0] == "-") {
		return strings.Join(args, " "), nil
	}
	if f, ok := env.Stdin.(*os.File); ok && len(args) == 0 {
		if term.IsTerminal(int(f.Fd())) {
			return "", errors.New("no message given: pass it as an argument, or pipe it in")
		}
	}
	data, err := io.ReadAll(io.LimitReader(env.Stdin, maxWhyInput))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %v", err)
	}
	return string(data), nil
}

// findEntitlements lists *.entitlements files under root, at most depth
// levels down (root/a/b/c/X.entitlements is depth 4), skipping build and
// dependency folders.
func findEntitlements(root string, depth int) []string {
	var out []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path == root {
				return nil
			}
			switch d.Name() {
			case ".git", "node_modules", ".build", "DerivedData", "Pods", "build", "Carthage":
				return filepath.SkipDir
			}
			// Like find -maxdepth: a file at depth N has N path elements.
			if strings.Count(filepath.ToSlash(filepath.Clean(path)), "/")+1 >= depth {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".entitlements") && d.Type().IsRegular() && len(out) < 200 {
			out = append(out, path)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// JSON output of `why`, version 1. Fields are only ever added.
type whyReport struct {
	Version      int              `json:"version"`
	Recognised   bool             `json:"recognised"`
	Messages     []whyMessageJSON `json:"messages"`
	Unrecognised []string         `json:"unrecognised"`
	Files        []string         `json:"files"` // the entitlements files searched
}

type whyMessageJSON struct {
	*errdecode.Decoded
	Locations []errdecode.Location `json:"locations"`
}

const whyWidth = 100

func writeWhyText(w io.Writer, r *whyReport) {
	var b strings.Builder
	for i, m := range r.Messages {
		d := m.Decoded
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d. %s: %s [%s]\n", i+1, d.Source, d.Title, d.Kind)
		wrap(&b, "   > ", "     ", d.Message)
		b.WriteString("\n")
		wrap(&b, "   ", "   ", d.Meaning)
		for _, k := range d.Keys {
			b.WriteString("\n")
			wrap(&b, "   ", "   ", k.Advice)
		}
		if len(d.Actions) > 0 {
			b.WriteString("\n   What to do:\n")
			for _, a := range d.Actions {
				wrap(&b, "   - ", "     ", a)
			}
		}
		if len(m.Locations) > 0 {
			b.WriteString("\n   In your files:\n")
			for _, l := range m.Locations {
				b.WriteString("   " + l.String() + "\n") // one line: editors jump to file:line:col
			}
		}
	}
	if len(r.Unrecognised) > 0 {
		if len(r.Messages) > 0 {
			b.WriteString("\nAlso pasted, not recognised (not an entitlements problem I recognise):\n")
		} else {
			b.WriteString("Not an entitlements problem I recognise:\n")
		}
		for _, u := range r.Unrecognised {
			wrap(&b, "   > ", "     ", u)
		}
	} else if len(r.Messages) == 0 {
		b.WriteString("Not an entitlements problem I recognise.\n")
	}
	if len(r.Messages) == 0 {
		b.WriteString("\nentitlint knows the Xcode, App Store Connect, device-install, taskgated-helper, kernel and codesign\nmessages about entitlements (see docs/why.md); certificate, keychain and notarization errors are\nnot among them.\n")
	}
	io.WriteString(w, b.String())
}

// wrap writes text word-wrapped at whyWidth, the first line after first and
// the others after rest.
func wrap(b *strings.Builder, first, rest, text string) {
	prefix := first
	line := 0
	for i, word := range strings.Fields(text) {
		if i == 0 {
			b.WriteString(prefix + word)
			line = len(prefix) + len(word)
			continue
		}
		if line+1+len(word) > whyWidth {
			b.WriteString("\n" + rest + word)
			line = len(rest) + len(word)
			continue
		}
		b.WriteString(" " + word)
		line += 1 + len(word)
	}
	b.WriteString("\n")
}
