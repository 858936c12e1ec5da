package rules

// The corpus tests run every rule over realistic entitlements files, the way
// Xcode writes them, in testdata/corpus/:
//
//   - valid/*.entitlements are correct real-world files: they must produce no
//     error and no warning (an info is fine where it is justified, e.g.
//     needs-approval for a managed capability).
//   - broken/*.entitlements each hold one or a few realistic mistakes. Their
//     findings, rendered as text with every fix and the lines it changes, must
//     equal broken/<name>.golden. Regenerate with
//     go test ./rules -run TestCorpus -update
//     and review every changed golden by hand: a golden states what a careful
//     iOS/macOS developer expects, nothing missing and no false alarm.
//
// Each file names its targets with a comment such as
// <!-- entitlint: platform=macos distribution=app-store team=ABCDE12345 -->.
// A sidecar <name>.Info.plist, when present, is the target's Info.plist
// (Options.InfoPlist), which the infoplist-* rules need.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/lineindex"
	"github.com/entitlint/entitlint/plistxml"
)

// corpusKnownIssues lists corpus files on which entitlint is known to be
// wrong today. Their output is NOT encoded as expected: the tests skip them
// with the reason below until the rule or catalog is fixed (then delete the
// entry, regenerate the golden with -update and review it).
var corpusKnownIssues = map[string]string{}

// corpusFixKnownIssues are the known-issue files whose safe fixes do not
// work; the other known-issue files still go through TestCorpusSafeFixes.
var corpusFixKnownIssues = map[string]bool{}

const corpusDir = "../testdata/corpus"

func corpusFiles(t testing.TB, kind string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(corpusDir, kind, "*.entitlements"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no corpus files in %s/%s", corpusDir, kind)
	}
	sort.Strings(paths)
	return paths
}

// corpusName is the key used in corpusKnownIssues: "valid/x.entitlements".
func corpusName(path string) string {
	return filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
}

// corpusOptions returns the options a corpus file is checked with: the
// targets come from the file's own comment; a sidecar <name>.Info.plist
// becomes Options.InfoPlist.
func corpusOptions(t testing.TB, path string) Options {
	t.Helper()
	var opts Options
	info := strings.TrimSuffix(path, ".entitlements") + ".Info.plist"
	src, err := os.ReadFile(info)
	switch {
	case err == nil:
		opts.InfoPlist = plistxml.Parse(src)
		opts.InfoPlistPath = filepath.Base(info)
	case !os.IsNotExist(err):
		t.Fatal(err)
	}
	return opts
}

func skipKnownIssue(t *testing.T, path string) {
	t.Helper()
	if why, ok := corpusKnownIssues[corpusName(path)]; ok {
		t.Skip("known issue: " + why)
	}
}

func TestCorpusKnownIssuesExist(t *testing.T) {
	for name := range corpusKnownIssues {
		if _, err := os.Stat(filepath.Join(corpusDir, name)); err != nil {
			t.Errorf("known issue for a missing file: %v", err)
		}
	}
	for name := range corpusFixKnownIssues {
		if _, ok := corpusKnownIssues[name]; !ok {
			t.Errorf("%s: a fix known issue must also be listed, with its reason, in corpusKnownIssues", name)
		}
	}
}

func TestCorpusValid(t *testing.T) {
	for _, path := range corpusFiles(t, "valid") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".entitlements"), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := Check(src, corpusOptions(t, path))
			bad := false
			for _, f := range res.Findings {
				if f.Severity == Error || f.Severity == Warning {
					bad = true
				}
			}
			if _, known := corpusKnownIssues[corpusName(path)]; known && !bad {
				t.Fatalf("the known false alarm is gone: remove %s from corpusKnownIssues", corpusName(path))
			}
			skipKnownIssue(t, path)
			if bad {
				t.Errorf("a valid file must produce no error or warning; all findings:\n%s", renderFindings(src, res.Findings))
			}
		})
	}
}

func TestCorpusBroken(t *testing.T) {
	for _, path := range corpusFiles(t, "broken") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".entitlements"), func(t *testing.T) {
			skipKnownIssue(t, path)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := Check(src, corpusOptions(t, path))
			serious := 0
			for _, f := range res.Findings {
				if f.Severity == Error || f.Severity == Warning {
					serious++
				}
			}
			if serious == 0 {
				t.Errorf("a broken file must produce at least one error or warning")
			}
			header := "# " + filepath.Base(path)
			if opts := corpusOptions(t, path); opts.InfoPlist != nil {
				header += " with " + opts.InfoPlistPath
			}
			got := header + " (go test ./rules -run TestCorpus -update; review by hand)\n" +
				renderFindings(src, res.Findings)
			golden := strings.TrimSuffix(path, ".entitlements") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run: go test ./rules -run TestCorpus -update, then review the golden)", err)
			}
			if string(want) != got {
				t.Errorf("findings differ from %s (run with -update and review the diff):\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// TestCorpusGoldensHaveFiles catches a golden left behind by a removed file.
func TestCorpusGoldensHaveFiles(t *testing.T) {
	goldens, err := filepath.Glob(filepath.Join(corpusDir, "broken", "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		src := strings.TrimSuffix(g, ".golden") + ".entitlements"
		if _, err := os.Stat(src); err != nil {
			t.Errorf("%s has no entitlements file", g)
		}
		if _, known := corpusKnownIssues[corpusName(src)]; known {
			t.Errorf("%s belongs to a known-issue file: delete it (wrong output must not be encoded as expected)", g)
		}
	}
}

// TestCorpusSafeFixes applies every safe fix of each broken file at once,
// as `entitlint fix` and the editor's fix-all do in one pass, and checks the
// result: it must not break the document, and the fixed findings must be gone
// from the places the fixes rewrote.
func TestCorpusSafeFixes(t *testing.T) {
	for _, path := range corpusFiles(t, "broken") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".entitlements"), func(t *testing.T) {
			if corpusFixKnownIssues[corpusName(path)] {
				skipKnownIssue(t, path)
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			opts := corpusOptions(t, path)
			before := Check(src, opts)
			fixes := SafeFixes(before.Findings)
			if len(fixes) == 0 {
				return
			}
			var edits []Edit
			for _, fx := range fixes {
				edits = append(edits, fx.Edits...)
			}
			out, skipped := ApplyEdits(src, edits)
			if len(skipped) > 0 {
				t.Fatalf("SafeFixes returned overlapping edits: %v", skipped)
			}
			after := Check(out, opts)
			if syntaxErrors(after.Findings) > syntaxErrors(before.Findings) {
				t.Errorf("the safe fixes broke the document:\n%s\n%s", out, renderFindings(out, after.Findings))
			}
			for _, f := range before.Findings {
				for _, fx := range fixes {
					if !hasFix(f, fx) {
						continue
					}
					for _, e := range fx.Edits {
						region := mappedRegion(edits, e)
						for _, g := range after.Findings {
							if g.Rule == f.Rule && overlaps(g.Span.Start, g.Span.End, region[0], region[1]) {
								t.Errorf("fix %q did not resolve %s: after fixing, %s still reports %q at the rewritten text\n%s",
									fx.Title, f.Rule, g.Rule, g.Message, out)
							}
						}
					}
				}
			}
		})
	}
}

func syntaxErrors(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Rule == "syntax" && f.Severity == Error {
			n++
		}
	}
	return n
}

func hasFix(f Finding, fx Fix) bool {
	for _, x := range f.Fixes {
		if reflect.DeepEqual(x, fx) {
			return true
		}
	}
	return false
}

// mappedRegion returns where edit e's new text lies in the document after
// all edits (sorted, non-overlapping) were applied.
func mappedRegion(all []Edit, e Edit) [2]int {
	shift := 0
	for _, x := range all {
		if x.Span.End <= e.Span.Start && x != e {
			shift += len(x.NewText) - x.Span.Len()
		}
	}
	start := e.Span.Start + shift
	return [2]int{start, start + len(e.NewText)}
}

// overlaps reports whether [a,b) and the region [s,e) share text; an empty
// region (a deletion) only counts when it falls strictly inside [a,b).
func overlaps(a, b, s, e int) bool {
	if s == e {
		return a < s && s < b
	}
	return a < e && s < b
}

// renderFindings renders findings as stable text: one line per finding
// (line:col-line:col severity rule: message, 1-based code-point columns),
// then its related locations, and each fix with its markers and the lines
// it changes.
func renderFindings(src []byte, findings []Finding) string {
	idx := lineindex.New(src)
	pos := func(off int) string {
		l, c := idx.Position(off)
		return fmt.Sprintf("%d:%d", l, c)
	}
	var b strings.Builder
	if len(findings) == 0 {
		b.WriteString("(no findings)\n")
	}
	for _, f := range findings {
		where := "-"
		if f.Span.IsValid() {
			where = pos(f.Span.Start) + "-" + pos(f.Span.End)
		}
		fmt.Fprintf(&b, "%s %s %s: %s\n", where, f.Severity, f.Rule, f.Message)
		for _, r := range f.Related {
			fmt.Fprintf(&b, "    related: %s-%s %s\n", pos(r.Span.Start), pos(r.Span.End), r.Message)
		}
		for _, fx := range f.Fixes {
			marks := ""
			if fx.Safe {
				marks += " [safe]"
			}
			if fx.Preferred {
				marks += " [preferred]"
			}
			fmt.Fprintf(&b, "    fix: %s%s\n", fx.Title, marks)
			out, skipped := ApplyEdits(src, fx.Edits)
			if len(skipped) > 0 {
				b.WriteString("        (overlapping edits)\n")
				continue
			}
			b.WriteString(lineDiff(src, out))
		}
	}
	return b.String()
}

// lineDiff shows the lines that differ between a and b (one changed block:
// a fix's edits are local), prefixed with the first changed line number.
func lineDiff(a, b []byte) string {
	if bytes.Equal(a, b) {
		return "        (no change)\n"
	}
	al := strings.SplitAfter(string(a), "\n")
	bl := strings.SplitAfter(string(b), "\n")
	p := 0
	for p < len(al) && p < len(bl) && al[p] == bl[p] {
		p++
	}
	s := 0
	for s < len(al)-p && s < len(bl)-p && al[len(al)-1-s] == bl[len(bl)-1-s] {
		s++
	}
	var out strings.Builder
	fmt.Fprintf(&out, "        @@ line %d\n", p+1)
	for _, l := range al[p : len(al)-s] {
		fmt.Fprintf(&out, "        -%s\n", strings.TrimRight(l, "\r\n"))
	}
	for _, l := range bl[p : len(bl)-s] {
		fmt.Fprintf(&out, "        +%s\n", strings.TrimRight(l, "\r\n"))
	}
	return out.String()
}

// BenchmarkCheckCorpus checks every corpus file (valid and broken) per
// operation and reports the throughput in files per second.
func BenchmarkCheckCorpus(b *testing.B) {
	type file struct {
		src  []byte
		opts Options
	}
	var files []file
	for _, kind := range []string{"valid", "broken"} {
		for _, path := range corpusFiles(b, kind) {
			src, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, file{src, corpusOptions(b, path)})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			Check(f.src, f.opts)
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
}
