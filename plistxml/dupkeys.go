package plistxml

import (
	"hash/maphash"
)

// checkDuplicates reports keys given more than once (at each repeat):
// codesign rejects them while howett and most tools keep the last value.
// Small dicts compare pairwise; larger ones use an open-addressing table of
// entry indexes reused across dicts, so the check allocates nothing.
func (p *parser) checkDuplicates(n *Node) {
	es := n.Entries()
	if len(es) < 2 {
		return
	}
	report := func(e *Entry) {
		if !p.k.full() {
			p.k.errorf(CodeDuplicateKey, e.KeySpan, "duplicate key %s: codesign rejects repeated keys, other tools keep only the last value", quote(e.Key))
		}
	}
	if len(es) <= 8 {
		for i, e := range es {
			if e.Value == nil {
				continue
			}
			for _, prev := range es[:i] {
				if prev.Value != nil && prev.Key == e.Key {
					report(e)
					break
				}
			}
		}
		return
	}
	size := 32
	for size < 2*len(es) {
		size <<= 1
	}
	if cap(p.dup) < size {
		p.dup = make([]int32, size)
	}
	tab := p.dup[:size]
	clear(tab)
	if p.seed == (maphash.Seed{}) {
		p.seed = maphash.MakeSeed()
	}
	for i, e := range es {
		if e.Value == nil {
			continue
		}
		for h := int(maphash.String(p.seed, e.Key)) & (size - 1); ; h = (h + 1) & (size - 1) {
			j := tab[h]
			if j == 0 {
				tab[h] = int32(i + 1)
				break
			}
			if es[j-1].Key == e.Key {
				report(e)
				break
			}
		}
	}
}
