package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/entitlint/entitlint/plistxml"
)

// addSeeds feeds the fuzzers every example and corpus file plus the bodies
// of the rule tests, so mutation starts from realistic entitlements.
func addSeeds(f *testing.F) {
	for _, pattern := range []string{"../testdata/examples/*.entitlements", "../testdata/corpus/*/*.entitlements"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(plist("\t<key>com.apple.developer.app-groups</key>\n\t<string>x</string>\n\t<!-- a -- b -->\n")))
	f.Add([]byte(plist("\t<key>aps-environment</key>\n\t<string>Development</string>\n\t<key>aps-environment</key>\n\t<true/>\n")))
}

func hasSyntaxErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Rule == "syntax" && f.Severity == Error {
			return true
		}
	}
	return false
}

// FuzzRules: no input makes a rule panic (a recovered panic shows up as an
// "internal error" finding, which fails here), and every finding's span
// lies inside the document.
func FuzzRules(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, targets := range []Targets{{}, {Platforms: []string{"macos"}, Distribution: "app-store", TeamID: "ABCDE12345"}, {Platforms: []string{"ios"}}} {
			res := Check(src, Options{Targets: targets})
			for _, fd := range res.Findings {
				if bytes.Contains([]byte(fd.Message), []byte("internal error")) {
					t.Fatalf("rule panicked: %s", fd.Message)
				}
				if fd.Span.IsValid() && fd.Span.End > len(src) {
					t.Fatalf("%s: span %v outside a %d-byte document", fd.Rule, fd.Span, len(src))
				}
			}
		}
	})
}

// FuzzFixes: applying any offered fix to a document that parses gives a
// document that still parses, changes only the bytes inside its edits, and
// no longer has the finding it fixed.
func FuzzFixes(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		res := Check(src, Options{})
		if res.Doc.Format != plistxml.FormatXML || hasSyntaxErrors(res.Findings) {
			return // fix refuses such files
		}
		for _, fd := range res.Findings {
			for _, fx := range fd.Fixes {
				out, skipped := ApplyEdits(src, fx.Edits)
				if len(skipped) > 0 {
					t.Fatalf("%s fix %q has overlapping or invalid edits", fd.Rule, fx.Title)
				}
				checkOutside(t, src, out, fx.Edits)
				after := Check(out, Options{})
				if hasSyntaxErrors(after.Findings) {
					t.Fatalf("%s fix %q broke the document:\n%s", fd.Rule, fx.Title, out)
				}
				// Identical entries make identical findings that move into
				// each other's place, and a fix for one pair of three copies
				// leaves the other pair; a fix may also leave a different
				// problem of the same rule ("applinks:0" is still no domain).
				// Gone means: fewer of this message, or fewer of this rule.
				if countSame(after.Findings, fd, true) >= countSame(res.Findings, fd, true) &&
					countSame(after.Findings, fd, false) >= countSame(res.Findings, fd, false) {
					t.Fatalf("%s fix %q did not remove the finding %q", fd.Rule, fx.Title, fd.Message)
				}
			}
		}
	})
}

// checkOutside verifies that the bytes before the first edit and after the
// last edit are unchanged.
func checkOutside(t *testing.T, src, out []byte, edits []Edit) {
	t.Helper()
	lo, hi := len(src), 0
	for _, e := range edits {
		lo = min(lo, e.Span.Start)
		hi = max(hi, e.Span.End)
	}
	if !bytes.Equal(src[:lo], out[:lo]) {
		t.Fatal("a fix changed bytes before its first edit")
	}
	if !bytes.HasSuffix(out, src[hi:]) {
		t.Fatal("a fix changed bytes after its last edit")
	}
}

// countSame counts the findings of f's rule (with f's message, if byMessage).
func countSame(fs []Finding, f Finding, byMessage bool) int {
	n := 0
	for _, g := range fs {
		if g.Rule == f.Rule && (!byMessage || g.Message == f.Message) {
			n++
		}
	}
	return n
}
