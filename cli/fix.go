package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// maxFixPasses bounds the fix loop: a fix can reveal another finding (a
// replaced key that is then a duplicate), so fixing repeats until nothing
// safe is left, but never forever.
const maxFixPasses = 5

func runFix(args []string, env *Env) int {
	f := newCheckFlags("fix", env.Stderr)
	dryRun := f.fs.Bool("dry-run", false, "print a unified diff of the changes instead of writing files")
	f.fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: entitlint fix [--dry-run] [flags] PATH...\n\nApplies the fixes marked safe and writes each file atomically (temporary file\nand rename, mode kept). Files that do not parse, binary plists and files whose\nfixes would not parse are left untouched. Remaining findings are printed.\n\nFlags:\n")
		f.fs.PrintDefaults()
	}
	if err := f.fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return ExitOK
		}
		return ExitUsage
	}
	if f.fs.NArg() == 0 {
		fmt.Fprintln(env.Stderr, "entitlint fix: no paths given")
		return ExitUsage
	}
	for _, p := range f.fs.Args() {
		if p == "-" {
			fmt.Fprintln(env.Stderr, "entitlint fix: cannot fix standard input; use check --format json to get the edits")
			return ExitUsage
		}
	}
	run, err := newRunner(f, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "entitlint fix: %v\n", err)
		return ExitUsage
	}
	results := run.checkAll(f.fs.Args())
	code := ExitOK
	var remaining []*fileResult
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(env.Stderr, "entitlint: %s: %v\n", r.Path, r.Err)
			code = ExitUsage
			continue
		}
		fixed, n, why := fixSource(r)
		switch {
		case why != "":
			fmt.Fprintf(env.Stderr, "entitlint: %s: not fixed: %s\n", r.Path, why)
		case n == 0:
		case *dryRun:
			env.Stdout.Write(unifiedDiff(r.Path, r.Src, fixed))
		default:
			if err := writeAtomic(r.Path, r.Src, fixed); err != nil {
				fmt.Fprintf(env.Stderr, "entitlint: %s: %v\n", r.Path, err)
				code = ExitUsage
				continue
			}
			fmt.Fprintf(env.Stderr, "%s: applied %s\n", r.Path, plural(n, "fix"))
		}
		if n > 0 {
			// Re-check what was (or would be) written.
			r.Src = fixed
			r.Result = rules.Check(fixed, r.Opts)
			r.idx = nil
		}
		remaining = append(remaining, r)
	}
	if !*dryRun {
		formatText(env.Stdout, remaining, style{Color: env.Color && !f.noColor, Terminal: env.Color})
	}
	for _, r := range remaining {
		for _, fd := range r.Result.Findings {
			if fd.Severity == rules.Error && code == ExitOK {
				code = ExitFindings
			}
		}
	}
	return code
}

// fixSource applies safe fixes repeatedly. It returns the new bytes, the
// number of fixes applied, and a reason when the file must not be touched.
func fixSource(r *fileResult) ([]byte, int, string) {
	doc := r.Result.Doc
	if doc == nil {
		return nil, 0, "not checked"
	}
	if r.Src == nil {
		return nil, 0, "the file is over the size limit and was not read"
	}
	if doc.Format == plistxml.FormatBinary {
		return nil, 0, "binary property lists are never rewritten"
	}
	if hasSyntaxError(r.Result.Findings) {
		return nil, 0, "the file does not parse; fix the syntax errors first"
	}
	src := r.Src
	opts := r.Opts
	findings := r.Result.Findings
	total := 0
	for pass := 0; pass < maxFixPasses; pass++ {
		fixes := rules.SafeFixes(findings)
		if len(fixes) == 0 {
			break
		}
		var edits []rules.Edit
		for _, fx := range fixes {
			edits = append(edits, fx.Edits...)
		}
		next, _ := rules.ApplyEdits(src, edits)
		res := rules.Check(next, opts)
		if hasSyntaxError(res.Findings) {
			// A fix must never break the file; keep what we had.
			break
		}
		src, findings = next, res.Findings
		total += len(fixes)
	}
	return src, total, ""
}

func hasSyntaxError(findings []rules.Finding) bool {
	for _, f := range findings {
		if f.Rule == "syntax" && f.Severity == rules.Error {
			return true
		}
	}
	return false
}

// writeFaults inject failures into writeAtomic; tests only (every field is
// nil in production).
var writeFaults struct {
	createTemp    func(dir, pattern string) (*os.File, error) // replaces os.CreateTemp
	write         func(f *os.File, data []byte) (int, error)  // replaces f.Write
	beforeReplace func(target string)                         // after the temporary file is complete
	rename        func(oldpath, newpath string) error         // replaces os.Rename
}

// writeAtomic replaces path with data without ever leaving a half-written
// file: it writes a temporary file in the same directory, syncs it, keeps
// the original's mode, and renames it over the original. A symlink is
// resolved so that the link stays a link and its target is updated. If the
// file no longer holds orig (someone saved it meanwhile), nothing is written.
// On any error the original is untouched and the temporary file removed.
func writeAtomic(path string, orig, data []byte) error {
	unchanged := func(what string, err error) error {
		return fmt.Errorf("%s: %v; the file was not changed", what, cleanErr(err))
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return unchanged("cannot resolve the path", err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return unchanged("cannot read the file's mode", err)
	}
	createTemp, write, rename := os.CreateTemp, (*os.File).Write, os.Rename
	if writeFaults.createTemp != nil {
		createTemp = writeFaults.createTemp
	}
	if writeFaults.write != nil {
		write = writeFaults.write
	}
	if writeFaults.rename != nil {
		rename = writeFaults.rename
	}
	dir := filepath.Dir(target)
	// The temporary name must be legal wherever the file's is: a 240-byte
	// name (80 CJK characters) is, but not with ".entitlint-123456789".
	base := filepath.Base(target)
	for len(base) > 100 {
		_, size := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-size]
	}
	tmp, err := createTemp(dir, "."+base+".entitlint-*")
	if err != nil {
		return unchanged("cannot create a temporary file in "+dir, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmpName)
		}
	}()
	if _, err := write(tmp, data); err != nil {
		tmp.Close()
		return unchanged("cannot write the fixed file", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return unchanged("cannot write the fixed file", err)
	}
	if err := tmp.Close(); err != nil {
		return unchanged("cannot write the fixed file", err)
	}
	if err := os.Chmod(tmpName, st.Mode().Perm()); err != nil {
		return unchanged("cannot set the fixed file's mode", err)
	}
	if writeFaults.beforeReplace != nil {
		writeFaults.beforeReplace(target)
	}
	// The file changed since it was read: do not overwrite someone's edit.
	if cur, err := os.ReadFile(target); err != nil || !bytes.Equal(cur, orig) {
		return errors.New("the file changed while it was being fixed; nothing written, run fix again")
	}
	if err := rename(tmpName, target); err != nil {
		return unchanged("cannot replace the file", err)
	}
	ok = true
	return nil
}
