package plistxml

import (
	"reflect"
	"strings"
	"testing"
)

// From 128 KB the character check runs on another goroutine while the
// document is parsed. The problems must be exactly those of a sequential
// parse, in the same order, and so must the tree unless the problems
// reached MaxProblems (then unknown elements are dropped a little later).
func TestParallelCharCheckMatchesSequential(t *testing.T) {
	block := "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>k\x00ey</key>\n\t<string>caf\xe9 \x01 ok</string>\n" +
		"\t<key>dup</key>\n\t<string>x</string>\n\t<key>dup</key>\n\t<strin>y</string>\n"
	body := strings.Repeat(block, (parallelChars/len(block))+10)
	cases := []struct {
		name      string
		src       string
		sameTrees bool
	}{
		{"bad characters and parser problems", "<plist version=\"1.0\">\n<dict>\n" + body + "</dict>\n</plist>\n", true},
		{"after a BOM", "\xEF\xBB\xBF<plist>\n<dict>\n" + body + "</dict>\n</plist>\n", true},
		{"no character problems", "<plist><dict>" + strings.Repeat("<key>a</key><true/>", parallelChars/16) + "</dict></plist>", true},
		{"only whitespace and NULs", strings.Repeat(" \x00 ", parallelChars), true},
		{"past MaxProblems", "<plist><array>" + strings.Repeat("<a/>\x00", parallelChars/4) + "</array></plist>", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(c.src) < parallelChars {
				t.Fatalf("%d bytes: too small for the parallel path", len(c.src))
			}
			seq, par := parse([]byte(c.src), false, nil), parse([]byte(c.src), true, nil)
			if len(seq.Problems) == 0 {
				t.Fatal("no problems: the case checks nothing")
			}
			if !reflect.DeepEqual(par.Problems, seq.Problems) {
				t.Fatalf("problems differ: %d in parallel, %d sequentially\nfirst parallel: %v\nfirst sequential: %v",
					len(par.Problems), len(seq.Problems), par.Problems[:min(3, len(par.Problems))], seq.Problems[:min(3, len(seq.Problems))])
			}
			if c.sameTrees && !sameDocument(par, seq) {
				t.Error("the trees differ")
			}
		})
	}
}
