package plistxml

// Allocation for the parser: the tree is carved from slabs so that parsing
// costs a few dozen allocations whatever the file size.

// slab hands out elements carved from chunks: one allocation per chunk
// instead of one per node, which is most of the parser's speed.
type slab[T any] struct {
	free []T
	next int // size of the next chunk
}

func (s *slab[T]) take(n int) []T {
	if len(s.free) < n {
		s.free = make([]T, max(n, s.next))
		s.next = min(2*s.next, 4096)
	}
	out := s.free[:n:n] // clipped: appending to one never overwrites another
	s.free = s.free[n:]
	return out
}

// sizeSlabs sizes the first chunks from the input: Xcode-style files have
// about one node per 50 bytes.
func (p *parser) sizeSlabs(n int) {
	size := func(per int) int { return min(max(n/per, 8), 4096) }
	p.nodes.next = size(50)
	p.entries.next = size(80)
	p.nodePtrs.next = size(100)
	p.entPtrs.next = size(100)
}

func (p *parser) newNode(kind Kind, name string, open Span) *Node {
	n := &p.nodes.take(1)[0]
	n.Kind = kind
	if kind == Invalid {
		n.rareValues().name = name
	}
	n.setSpans(open, NoSpan, open.End, open.End)
	n.Valid = kind == Dict || kind == Array
	return n
}

func (p *parser) newEntry() *Entry { return &p.entries.take(1)[0] }
