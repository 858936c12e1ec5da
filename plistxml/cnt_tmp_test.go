package plistxml

import "testing"

func TestCountTmp(t *testing.T) {
	for _, sz := range []int{2 << 10, 100 << 10} {
		src := entitlements(sz)
		d := Parse(src)
		nodes, entries, pe := 0, 0, 0
		Walk(d.Root, func(n *Node) bool {
			nodes++
			pe += len(n.Path)
			entries += len(n.Entries)
			return true
		})
		t.Logf("%d bytes: nodes %d (1 per %d B), entries %d (1 per %d B), path elems %d", len(src), nodes, len(src)/nodes, entries, len(src)/entries, pe)
	}
}
