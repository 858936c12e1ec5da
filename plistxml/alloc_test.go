package plistxml

import (
	"reflect"
	"strings"
	"testing"
)

// TestTreeSizes guards the size of the tree's structs: nodes and entries are
// most of the memory a parse takes (a 5 MB file has about 90,000 nodes), and
// a field added in passing grows every one of them.
func TestTreeSizes(t *testing.T) {
	for _, c := range []struct {
		v   any
		max uintptr
	}{
		{Node{}, 72},
		{Entry{}, 72},
	} {
		if got := reflect.TypeOf(c.v).Size(); got > c.max {
			t.Errorf("%T is %d bytes, more than %d: keep rare fields behind a pointer (see rareValues)", c.v, got, c.max)
		}
	}
}

// TestParseRefusesOversizedInput: offsets are stored in 32 bits, so Parse
// refuses what they cannot address, with one positioned problem and no tree.
func TestParseRefusesOversizedInput(t *testing.T) {
	defer func(old int) { maxSize = old }(maxSize)
	maxSize = 64
	small := []byte("<plist><true/></plist>")
	if d := Parse(small); d.Root == nil || len(d.Problems) != 0 {
		t.Fatalf("under the limit: root %v, problems %v", d.Root, d.Problems)
	}
	big := []byte("<plist><string>" + strings.Repeat("x", 64) + "</string></plist>")
	d := Parse(big)
	if d.Root != nil || len(d.Problems) != 1 || d.Problems[0].Code != CodeLimit || d.Problems[0].Span != (Span{0, 0}) {
		t.Fatalf("over the limit: root %v, problems %+v", d.Root, d.Problems)
	}
	if !strings.Contains(d.Problems[0].Message, "2 GiB") {
		t.Errorf("message %q does not say what the limit is", d.Problems[0].Message)
	}
}
