package plistxml

// Allocation for the parser: the tree is carved from slabs so that parsing
// costs a few dozen allocations whatever the file size.

// slab hands out elements carved from chunks: one allocation per chunk
// instead of one per node, which is most of the parser's speed. Chunks of
// an earlier tree (spare, from an Arena) are cleared and used before new
// ones are allocated.
type slab[T any] struct {
	free   []T
	next   int   // size of the next chunk
	chunks [][]T // every chunk this parse used: the tree's Arena
	spare  [][]T
}

func (s *slab[T]) take(n int) []T {
	if len(s.free) < n {
		s.refill(n)
	}
	out := s.free[:n:n] // clipped: appending to one never overwrites another
	s.free = s.free[n:]
	return out
}

func (s *slab[T]) refill(n int) {
	var c []T
	want := max(n, s.next)
	for i, sp := range s.spare {
		// A chunk much larger than a new one would be is not worth
		// clearing: after a large document, each small one would clear
		// the large one's chunks (a check of many small files after a
		// big one would spend its time in memclr).
		if len(sp) >= n && len(sp) <= 4*want {
			c = sp
			clear(c)
			s.spare = append(s.spare[:i], s.spare[i+1:]...)
			break
		}
	}
	if c == nil {
		c = make([]T, want)
	}
	s.next = min(2*s.next, 4096) // a spare chunk counts as one: the sizes follow the same course
	s.free = c
	s.chunks = append(s.chunks, c)
}

// Arena is the memory a parse tree was built in. Once nothing uses a
// Document any more, its Arena (TakeArena) lets the next parse
// (ParseReusing) build its tree there instead of allocating: the language
// server parses every version of a document, and the trees were most of
// what it allocated per keystroke.
type Arena struct {
	nodes    [][]Node
	entries  [][]Entry
	nodePtrs [][]*Node
	entPtrs  [][]*Entry
	// The parser's scratch stacks and duplicate-key table, as large as the
	// last document needed (a 5 MB document's root dict has 55,000
	// entries: growing them again was a quarter of what a change
	// allocated). Nil while they fit the parser's own buffers.
	kids []*Node
	ents []*Entry
	dup  []int32
}

// TakeArena returns the memory of d's tree for ParseReusing, or nil (a
// binary plist, or a document whose arena was taken). d must not be used
// afterwards: its tree will be overwritten. (Root is set to nil, so that a
// use that breaks the rule finds no tree rather than another one.)
func (d *Document) TakeArena() *Arena {
	a := d.arena
	d.arena, d.Root = nil, nil
	return a
}

func (p *parser) useArena(a *Arena) {
	if a == nil {
		return
	}
	p.nodes.spare, p.entries.spare = a.nodes, a.entries
	p.nodePtrs.spare, p.entPtrs.spare = a.nodePtrs, a.entPtrs
	p.spareKids, p.spareEnts, p.spareDup = a.kids, a.ents, a.dup
}

func (p *parser) arena() *Arena {
	a := &Arena{nodes: p.nodes.chunks, entries: p.entries.chunks, nodePtrs: p.nodePtrs.chunks, entPtrs: p.entPtrs.chunks}
	// Only stacks that outgrew the parser's inline buffers: the inline
	// ones belong to the pooled parser. Containers clear their part of a stack when
	// they close, so only [:len] can still point into the tree.
	if cap(p.kids) > len(p.kidsBuf) {
		clear(p.kids)
		a.kids = p.kids[:0]
	}
	if cap(p.ents) > len(p.entsBuf) {
		clear(p.ents)
		a.ents = p.ents[:0]
	}
	if cap(p.dup) > len(p.dupBuf) {
		a.dup = p.dup[:0]
	}
	return a
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
