package plistxml

// RootDict returns the root value if it is a <dict>, else nil.
// Entitlements files always have a dict root.
func (d *Document) RootDict() *Node {
	if d.Root != nil && d.Root.Kind == Dict {
		return d.Root
	}
	return nil
}

// Lookup returns the last entry of a dict with the given key that has a
// value, like Apple's tools (the last duplicate wins, a key without a value
// is ignored). If no such entry has a value it returns the last entry with
// the key, so that rules can still point at it; nil if there is none or n is
// not a dict.
func (n *Node) Lookup(key string) *Entry {
	if n == nil || n.Kind != Dict {
		return nil
	}
	var bare *Entry
	for i := len(n.Entries()) - 1; i >= 0; i-- {
		e := n.Entries()[i]
		if e.Key != key {
			continue
		}
		if e.Value != nil {
			return e
		}
		if bare == nil {
			bare = e
		}
	}
	return bare
}

// Walk calls fn for n and every node below it, in source order (depth
// first, parents before children). If fn returns false the node's children
// are skipped. It uses an explicit stack, not recursion.
func Walk(n *Node, fn func(*Node) bool) {
	if n == nil {
		return
	}
	stack := []*Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(n) {
			continue
		}
		switch n.Kind {
		case Dict:
			for i := len(n.Entries()) - 1; i >= 0; i-- {
				if v := n.Entries()[i].Value; v != nil {
					stack = append(stack, v)
				}
			}
		case Array:
			for i := len(n.Items()) - 1; i >= 0; i-- {
				stack = append(stack, n.Items()[i])
			}
		}
	}
}

// NodeAt finds what is at byte offset off, for hovers and completion:
// node is the innermost node whose Span contains off, entry the innermost
// dict entry whose Span contains off (its key or its value). Either may be
// nil. When off is on a key, node is the dict holding the entry; test
// entry.KeySpan.Contains(off) to tell a key from a value.
// Span.Contains treats the end as inside, so a cursor just after a token
// still finds it; where two spans touch, the later one wins.
func (d *Document) NodeAt(off int) (entry *Entry, node *Node) {
	n := d.Root
	if n == nil || !n.Span().Contains(off) {
		return nil, nil
	}
	for n != nil {
		node = n
		next := (*Node)(nil)
		switch n.Kind {
		case Dict:
			e := findEntry(n.Entries(), off)
			if e == nil {
				return entry, node
			}
			entry = e
			if v := e.Value; v != nil && v.Span().Contains(off) && !e.KeySpan.Contains(off) {
				next = v
			}
		case Array:
			next = findItem(n.Items(), off)
		}
		n = next
	}
	return entry, node
}

// findEntry binary-searches entries (in source order) for the last one
// whose span contains off.
func findEntry(es []*Entry, off int) *Entry {
	lo, hi := 0, len(es)
	for lo < hi { // first entry starting after off
		m := int(uint(lo+hi) >> 1)
		if es[m].Span.Start <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo > 0 && es[lo-1].Span.Contains(off) {
		return es[lo-1]
	}
	return nil
}

func findItem(items []*Node, off int) *Node {
	lo, hi := 0, len(items)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if items[m].Span().Start <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo > 0 && items[lo-1].Span().Contains(off) {
		return items[lo-1]
	}
	return nil
}

// WalkPaths is Walk with each node's key path from n, e.g.
// "com.apple.security.application-groups[0]". The tree does not store
// paths: a path per node cost more memory than the rest of the tree. fn
// must not keep path past its call without copying it.
func WalkPaths(n *Node, fn func(n *Node, path Path) bool) {
	if n == nil {
		return
	}
	type item struct {
		n    *Node
		path Path
	}
	stack := []item{{n, nil}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(it.n, it.path) {
			continue
		}
		child := func(e PathElem) Path { return append(it.path[:len(it.path):len(it.path)], e) }
		switch it.n.Kind {
		case Dict:
			for i := len(it.n.Entries()) - 1; i >= 0; i-- {
				if e := it.n.Entries()[i]; e.Value != nil {
					stack = append(stack, item{e.Value, child(PathElem{Key: e.Key, IsKey: true})})
				}
			}
		case Array:
			for i := len(it.n.Items()) - 1; i >= 0; i-- {
				stack = append(stack, item{it.n.Items()[i], child(PathElem{Index: i})})
			}
		}
	}
}
