package plistxml

import (
	"reflect"
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
