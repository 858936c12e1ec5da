package plistxml

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// MaxDepth is the deepest container nesting the parser builds (<plist>
// counts as one level; keys and scalars may sit one level below the deepest
// container). A deeper element gets one CodeLimit problem, an Invalid node,
// and its subtree is skipped, so hostile input cannot exhaust memory or time.
const MaxDepth = 512

// elemID identifies the element names the parser knows.
type elemID uint8

const (
	eOther elemID = iota
	ePlist
	eDict
	eArray
	eKey
	eString
	eInteger
	eReal
	eTrue
	eFalse
	eDate
	eData
	numElems
)

// lookupElem maps an element name to its id (eOther if it is unknown).
func lookupElem(name string) elemID {
	switch name {
	case "key":
		return eKey
	case "string":
		return eString
	case "dict":
		return eDict
	case "array":
		return eArray
	case "true":
		return eTrue
	case "false":
		return eFalse
	case "integer":
		return eInteger
	case "real":
		return eReal
	case "date":
		return eDate
	case "data":
		return eData
	case "plist":
		return ePlist
	}
	return eOther
}

var elemKinds = [numElems]Kind{eDict: Dict, eArray: Array, eString: String, eInteger: Integer,
	eReal: Real, eTrue: True, eFalse: False, eDate: Date, eData: Data}

// frameKind is what an open element is to the parser.
type frameKind uint8

const (
	fDoc     frameKind = iota // bottom of the stack: the document itself
	fPlist                    // <plist>
	fDict                     // <dict>
	fArray                    // <array>
	fScalar                   // <string>, <integer>, …, <true>
	fKey                      // <key>
	fInvalid                  // an unknown element: its content is skipped
	fSkip                     // an element inside skipped content (no node)
)

type frame struct {
	kind     frameKind
	id       elemID
	name     Span // element name
	open     Span // open tag
	node     *Node
	owner    *Entry // the entry whose value node is
	pending  *Entry // fDict: the key waiting for its value; fKey: the entry being keyed
	rootDone bool   // fDoc, fPlist: the root value has been seen
	kids     int    // fDict, fArray: where its children start in parser.ents / parser.kids
}

type parser struct {
	d   *Document
	src []byte
	str string // src as a string (shared, not copied): node texts and names are substrings of it
	sc  *Scanner
	k   *sink
	bom int // length of a UTF-8 byte-order mark (0 or 3)

	stack     []frame
	openKnown [numElems]int32 // open frames per known element name
	openOther map[string]int32

	// Text of the scalar or key being read. While it is one plain text token
	// it stays a span of str (no copy); otherwise it is decoded into tb.
	tb       []byte
	tbActive bool
	tbSpan   Span
	lastRaw  int // offset of the text just taken in src, or -1 if it was decoded

	junk     Span // a run of stray text in the current container
	trailing Span // content after the root element
	sawDecl  bool
	sawPlist bool
	rootMsg  bool    // a problem about the missing root was already reported
	cutKey   *Entry  // a key whose end tag is missing
	dup      []int32 // duplicate-key hash table, reused across dicts
	seed     maphash.Seed

	// skipping a subtree deeper than MaxDepth: nesting counter and its node
	skipDepth int
	skipNode  *Node
	skipOwner *Entry

	// slabs: one allocation per chunk of nodes, entries and child lists
	nodes    slab[Node]
	entries  slab[Entry]
	nodePtrs slab[*Node]
	entPtrs  slab[*Entry]

	// children of the open containers, stacked; a container takes its own
	// when it closes, in one exactly sized slice
	kids []*Node
	ents []*Entry

	// the stacks and table of an earlier tree's Arena, if any
	spareKids []*Node
	spareEnts []*Entry
	spareDup  []int32

	// first backing arrays of the stacks above: most files never outgrow them
	stackBuf [32]frame
	kidsBuf  [32]*Node
	entsBuf  [32]*Entry
	dupBuf   [64]int32
	sinkBuf  sink
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// MaxSize is the largest input Parse reads: the tree stores offsets in 32
// bits (it halves its memory). The CLI and the server refuse files far
// smaller by default (rules.DefaultMaxFileSize).
const MaxSize = math.MaxInt32

// maxSize is MaxSize, lowered by a test (2 GiB is too much to allocate there).
var maxSize = MaxSize

// Parse parses a property list. It never fails and never panics: whatever
// the input, it returns the tree it could recover and the problems it found
// (in source order, at most MaxProblems). Binary plists ("bplist00") are
// decoded with howett.net/plist and have no positions.
//
// The Document shares src: Src is src, and the strings in the tree (keys,
// values, names) are views of it, not copies (a 5 MB document kept a 5 MB
// copy). src must not change while the Document is in use.
//
// Inputs over MaxSize get one CodeLimit problem and no tree.
func Parse(src []byte) *Document {
	return ParseReusing(src, nil)
}

// ParseReusing is Parse, building the tree in the memory of an earlier one
// (see Arena; a nil arena means new memory). The tree is the same either
// way.
func ParseReusing(src []byte, a *Arena) *Document {
	return parse(src, len(src) >= parallelChars && runtime.GOMAXPROCS(0) > 1, a)
}

// parallelChars is the size from which the character check runs on
// another core while the document is parsed: it is a pass over every byte.
const parallelChars = 128 << 10

func parse(src []byte, parallel bool, a *Arena) *Document {
	d := &Document{Src: src, Plist: NoSpan, XMLDecl: NoSpan, Doctype: NoSpan}
	if len(src) > maxSize {
		d.Problems = []Problem{{Code: CodeLimit, Severity: SevError, Span: Span{0, 0},
			Message: fmt.Sprintf("the file is %d bytes: files over 2 GiB are not parsed", len(src))}}
		return d
	}
	if bytes.HasPrefix(src, bplistMagic) {
		parseBinary(d)
		return d
	}
	if span, msg, ok := detectWide(src); ok {
		d.Problems = []Problem{{Code: CodeEncoding, Severity: SevError, Span: span, Message: msg}}
		return d
	}
	p := parsers.Get().(*parser)
	defer p.release()
	*p = parser{d: d, src: src, str: unsafe.String(unsafe.SliceData(src), len(src)), junk: NoSpan, trailing: NoSpan, tbSpan: NoSpan, seed: p.seed}
	k := &p.sinkBuf
	p.k = k
	p.sizeSlabs(len(src))
	p.useArena(a)
	if bytes.HasPrefix(src, utf8BOM) {
		p.bom = len(utf8BOM)
		k.errorf(CodeBOM, Span{0, p.bom}, "the file starts with a UTF-8 byte-order mark (BOM): codesign's XML parser does not accept it; save the file as UTF-8 without BOM")
	}
	// The character problems come right after the BOM's, whichever
	// goroutine finds them (see withChars).
	chars := func() *sink { return k }
	if parallel {
		found := make(chan *sink, 1)
		go func() {
			var ck sink
			checkChars(src, &ck)
			found <- &ck
		}()
		chars = func() *sink { return k.withChars(<-found, p.bom > 0) }
	} else {
		checkChars(src, k)
	}
	if len(bytes.TrimLeft(src[p.bom:], " \t\r\n")) == 0 {
		k.errorf(CodeSyntax, Span{0, len(src)}, "empty file, expected a property list")
		d.Problems = chars().sorted()
		return d
	}
	p.sc = &Scanner{src: src, pos: p.bom, sink: k}
	p.run()
	d.arena = p.arena()
	d.Problems = chars().sorted()
	return d
}

// parsers keeps parsers between documents: a parser is almost 4 KB of
// stacks kept inline, which a 10,000-file check or a keystroke's reparse
// would otherwise allocate and collect every time.
var parsers = sync.Pool{New: func() any { return new(parser) }}

// release returns p to the pool, zeroed so that it keeps nothing of the
// document alive (the hash seed is kept: it is not about the document).
func (p *parser) release() {
	*p = parser{seed: p.seed}
	parsers.Put(p)
}

// run drives the parser: one token at a time, with an explicit stack of
// open elements instead of recursion.
func (p *parser) run() {
	p.stack = append(p.stackBuf[:0], frame{kind: fDoc, name: Span{0, 0}, open: NoSpan})
	p.kids, p.ents, p.dup = p.kidsBuf[:0], p.entsBuf[:0], p.dupBuf[:]
	if p.spareKids != nil {
		p.kids = p.spareKids
	}
	if p.spareEnts != nil {
		p.ents = p.spareEnts
	}
	if p.spareDup != nil {
		p.dup = p.spareDup[:cap(p.spareDup)]
	}
	t := new(Token)
	for {
		p.sc.next(t)
		if p.skipDepth > 0 && p.skipToken(t) {
			continue
		}
		switch t.Kind {
		case TokEOF:
			p.eof()
			return
		case TokText, TokCDATA, TokEntityRef, TokCharRef, TokBad:
			p.text(t)
		case TokComment:
			p.flushJunk()
			p.comment(t)
		case TokStartTag, TokEmptyTag:
			p.flushJunk()
			cutTag(p.src, t)
			p.startTag(t)
		case TokEndTag:
			p.flushJunk()
			cutTag(p.src, t)
			p.endTag(t)
		case TokXMLDecl:
			p.flushJunk()
			p.xmlDecl(t)
		case TokDoctype:
			p.flushJunk()
			p.doctype(t)
		case TokPI:
			p.flushJunk() // processing instructions are legal anywhere and mean nothing to a plist
		}
	}
}

// cutTag drops the whitespace an unterminated tag token swallowed, so that
// elements never end on the indentation of the following line.
func cutTag(src []byte, t *Token) {
	if t.Flags&FlagUnterminated != 0 {
		t.Span = trimSpan(src, t.Span)
	}
}

func (p *parser) top() *frame            { return &p.stack[len(p.stack)-1] }
func (p *parser) text1(s Span) string    { return p.str[s.Start:s.End] }
func (p *parser) nameOf(f *frame) string { return p.str[f.name.Start:f.name.End] }

// comment records a comment for suppression comments and inline config.
func (p *parser) comment(t *Token) {
	p.d.Comments = append(p.d.Comments, Comment{Span: t.Span, Text: t.Body})
}

// ---- the stack ----

// push opens an element, counting open elements per name so that an end
// tag can be matched against the stack in O(1).
func (p *parser) push(f frame) {
	switch f.kind {
	case fDict:
		f.kids = len(p.ents)
	case fArray:
		f.kids = len(p.kids)
	}
	if f.id != eOther {
		p.openKnown[f.id]++
	} else {
		if p.openOther == nil {
			p.openOther = make(map[string]int32)
		}
		p.openOther[p.nameOf(&f)]++
	}
	p.stack = append(p.stack, f)
}

func (p *parser) isOpen(id elemID, name string) bool {
	if id != eOther {
		return p.openKnown[id] > 0
	}
	return p.openOther[name] > 0
}

// pop closes the top frame. end is where its span ends, closeTag its end tag
// (NoSpan if missing or empty), contentEnd where its content ends, and by
// is what closed it, for messages.
func (p *parser) pop(end int, closeTag Span, contentEnd int, by found) {
	// an unclosed element ends before the whitespace that followed it, and
	// so does its content
	contentEnd = min(contentEnd, end)
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if f.id != eOther {
		p.openKnown[f.id]--
	} else if name := p.nameOf(&f); p.openOther[name] <= 1 {
		delete(p.openOther, name)
	} else {
		p.openOther[name]--
	}
	switch f.kind {
	case fPlist:
		p.d.Plist = Span{f.open.Start, end}
		p.top().rootDone = true
		if !f.rootDone {
			p.k.report(CodeSyntax, SevWarning, f.open, "empty <plist>: expected a root value such as <dict>")
		}
		return
	case fKey:
		e := f.pending
		e.Key = p.takeText()
		if !closeTag.IsValid() {
			e.Key = strings.TrimRight(e.Key, " \t\r\n")
		}
		e.KeyText = Span{f.open.End, contentEnd}
		e.KeySpan = Span{f.open.Start, end}
		e.Span = e.KeySpan
		dict := p.top()
		dict.pending = e
		return
	case fSkip:
		return
	}
	n := f.node
	n.setSpans(f.open, closeTag, end, contentEnd)
	switch f.kind {
	case fDict:
		if k := len(p.ents) - f.kids; k > 0 {
			entries := p.entPtrs.take(k)
			copy(entries, p.ents[f.kids:])
			n.setEntries(entries)
			clear(p.ents[f.kids:]) // do not keep the tree alive from the scratch stack
			p.ents = p.ents[:f.kids]
		}
		if f.pending != nil {
			p.noValue(f.pending, by)
		}
		p.checkDuplicates(n)
	case fArray:
		if k := len(p.kids) - f.kids; k > 0 {
			items := p.nodePtrs.take(k)
			copy(items, p.kids[f.kids:])
			n.setItems(items)
			clear(p.kids[f.kids:])
			p.kids = p.kids[:f.kids]
		}
	case fScalar:
		p.finishScalar(n, closeTag.IsValid())
	}
	if f.owner != nil {
		f.owner.Span.End = end
	}
}

// found is what ended an element, for messages: a start or end tag (by
// name), or the end of the file. Formatting is deferred until a message
// needs it.
type found struct {
	name Span // NoSpan: end of file
	end  bool
}

var atEOF = found{name: NoSpan}

func (p *parser) what(f found) string {
	switch {
	case !f.name.IsValid():
		return "end of file"
	case f.end:
		return "</" + p.text1(f.name) + ">"
	}
	return "<" + p.text1(f.name) + ">"
}

// unclosed closes the top frame, whose end tag is missing, at pos.
func (p *parser) unclosed(by found, pos int) {
	f := p.top()
	name := p.nameOf(f)
	if f.kind == fKey {
		p.cutKey = f.pending // still being typed: "has no value" would be noise
	}
	if !p.k.full() {
		p.k.errorf(CodeSyntax, f.open, "expected </%s> to close <%s> opened on this tag, found %s", name, name, p.what(by))
	}
	p.pop(p.trimBack(pos, f.open.End), NoSpan, pos, by)
}

// trimBack moves pos back over whitespace, not before floor: a recovered
// element should not end on the indentation of the next line.
func (p *parser) trimBack(pos, floor int) int {
	for pos > floor && isSpace(p.src[pos-1]) {
		pos--
	}
	return pos
}

func (p *parser) noValue(e *Entry, by found) {
	if e != p.cutKey && !p.k.full() {
		p.k.errorf(CodeSyntax, e.KeySpan, "key %s has no value: expected a value such as <string> or <true/> after it, found %s", quote(e.Key), p.what(by))
	}
}

// ---- elements ----

// startTag dispatches a start or empty-element tag on what is open.
func (p *parser) startTag(t *Token) {
	name := p.text1(t.Name)
	id := lookupElem(name)
	if t.Flags&FlagUnterminated != 0 && id != ePlist && id != eDict && id != eArray {
		// "<string" followed by the next line while typing: a text element
		// cannot have content yet, so take it as empty rather than let it
		// swallow what follows. Containers still open so their keys land inside.
		t.Kind = TokEmptyTag
	}
	empty := t.Kind == TokEmptyTag
	// A plist element inside a scalar means the scalar's end tag is missing
	// (a half-typed "<string>foo" followed by the next "<key>").
	for f := p.top(); f.kind == fScalar || f.kind == fKey; f = p.top() {
		if id == eOther {
			p.k.errorf(CodeSyntax, t.Span, "unexpected element <%s> inside <%s>: it holds only text", name, p.nameOf(f))
			p.skipElement(t, id, empty)
			return
		}
		p.unclosed(found{t.Name, false}, t.Span.Start)
	}
	f := p.top()
	switch {
	case f.kind == fInvalid || f.kind == fSkip:
		p.skipElement(t, id, empty)
	case f.kind == fDoc && f.rootDone:
		p.addTrailing(t.Span)
	case !empty && len(p.stack) > MaxDepth && (id == eDict || id == eArray || id == eOther):
		// only containers are capped: a key or scalar below the deepest
		// container is a leaf, and anything inside it is capped in turn
		p.tooDeep(t, name)
	case id == ePlist && f.kind == fDoc && !p.sawPlist:
		p.sawPlist = true
		if empty {
			p.d.Plist = t.Span
			f.rootDone = true
			p.k.report(CodeSyntax, SevWarning, t.Span, "empty <plist/>: expected a root value such as <dict>")
			return
		}
		p.push(frame{kind: fPlist, id: ePlist, name: t.Name, open: t.Span})
	case id == eKey && f.kind == fArray && p.openKnown[eDict] > 0:
		// a <key> after array items: the </array> is missing
		for p.top().kind == fArray {
			p.unclosed(found{t.Name, false}, t.Span.Start)
		}
		p.startTag(t)
	case id == eKey && f.kind == fDict:
		p.openKey(t, f)
	case id == eOther || id == eKey || id == ePlist:
		p.openInvalid(t, name, id)
	default:
		p.openValue(t, name, id)
	}
}

// skipElement enters an element whose content is ignored.
func (p *parser) skipElement(t *Token, id elemID, empty bool) {
	if empty {
		return
	}
	if len(p.stack) > MaxDepth {
		p.tooDeep(t, p.text1(t.Name))
		return
	}
	p.push(frame{kind: fSkip, id: id, name: t.Name, open: t.Span})
}

// openKey starts an entry; the entry is in the dict from here on, so that
// source order is kept even if the key is never closed.
func (p *parser) openKey(t *Token, dict *frame) {
	if dict.pending != nil {
		p.noValue(dict.pending, found{t.Name, false})
		dict.pending = nil
	}
	e := p.newEntry()
	e.KeySpan, e.KeyText, e.Span = t.Span, Span{t.Span.End, t.Span.End}, t.Span
	p.ents = append(p.ents, e)
	p.resetText()
	p.push(frame{kind: fKey, id: eKey, name: t.Name, open: t.Span, pending: e})
	if t.Kind == TokEmptyTag {
		p.pop(t.Span.End, NoSpan, t.Span.End, atEOF)
	}
}

// openValue opens a dict, array or scalar and links it into its container.
func (p *parser) openValue(t *Token, name string, id elemID) {
	kind := elemKinds[id]
	n := p.newNode(kind, kind.String(), t.Span)
	owner, ok := p.attach(n, t, name, false)
	if !ok {
		p.skipElement(t, id, t.Kind == TokEmptyTag)
		return
	}
	fk := fScalar
	switch kind {
	case Dict:
		fk = fDict
	case Array:
		fk = fArray
	default:
		p.resetText()
	}
	p.push(frame{kind: fk, id: id, name: t.Name, open: t.Span, node: n, owner: owner})
	if t.Kind == TokEmptyTag {
		p.pop(t.Span.End, NoSpan, t.Span.End, atEOF)
	}
}

// attach links a new node into the open container. It returns false when
// the container cannot take it (a value without a key, a second root); the
// caller skips the element. quiet suppresses the problem when the caller
// already reported one for this element.
func (p *parser) attach(n *Node, t *Token, name string, quiet bool) (*Entry, bool) {
	f := p.top()
	switch f.kind {
	case fDict:
		e := f.pending
		if e == nil {
			if !quiet {
				p.k.errorf(CodeSyntax, t.Span, "<%s> has no key: expected <key>…</key> before each value in a <dict>", name)
			}
			return nil, false
		}
		f.pending = nil
		e.Value = n
		return e, true
	case fArray:
		p.kids = append(p.kids, n)
		return nil, true
	case fPlist:
		if f.rootDone {
			if !quiet {
				p.k.errorf(CodeTrailing, t.Span, "unexpected <%s> after the root value: a property list holds exactly one root value", name)
			}
			return nil, false
		}
		f.rootDone, p.d.Root = true, n
		return nil, true
	case fDoc:
		f.rootDone, p.d.Root = true, n
		if !quiet {
			p.k.report(CodeSyntax, SevInfo, t.Span, "missing <plist> wrapper: a bare root <%s> is accepted, but Xcode writes <plist version=\"1.0\"> around it", name)
		}
		return nil, true
	}
	return nil, false
}

// openInvalid handles an element that is not a plist value here: it becomes
// an Invalid node (kept so that a key still has a value) and its content is
// skipped up to its end tag.
func (p *parser) openInvalid(t *Token, name string, id elemID) {
	if p.k.full() {
		// Past MaxProblems the input is garbage: an unknown element gets
		// no node, so that it costs no memory (2M <a/> took 1 GB).
		p.skipElement(t, id, t.Kind == TokEmptyTag)
		return
	}
	f := p.top()
	if t.Flags&FlagUnterminated == 0 || !isElemPrefix(name) {
		// a half-typed "<str" is reported once, by the scanner
		p.k.errorf(CodeSyntax, t.Span, "%s", unknownMessage(name, id, f.kind))
	}
	n := p.newNode(Invalid, name, t.Span)
	var owner *Entry
	if f.kind == fDoc {
		p.rootMsg = true // not a root: a <plist> may still follow
	} else {
		owner, _ = p.attach(n, t, name, true)
	}
	p.push(frame{kind: fInvalid, id: id, name: t.Name, open: t.Span, node: n, owner: owner})
	if t.Kind == TokEmptyTag {
		p.pop(t.Span.End, NoSpan, t.Span.End, atEOF)
	}
}

// isElemPrefix reports whether name starts the name of a plist element.
func isElemPrefix(name string) bool {
	for _, e := range [...]string{"plist", "dict", "array", "key", "string", "integer", "real", "true", "false", "date", "data"} {
		if strings.HasPrefix(e, name) {
			return true
		}
	}
	return false
}

func unknownMessage(name string, id elemID, ctx frameKind) string {
	switch id {
	case eKey:
		return "<key> is only allowed directly inside <dict>"
	case ePlist:
		return "<plist> is only allowed once, around the root value"
	}
	hint := ""
	lower := strings.ToLower(name)
	switch {
	case lower != name && lookupElem(lower) != eOther:
		hint = fmt.Sprintf(" (element names are case-sensitive: write <%s>)", lower)
	case lower == "bool" || lower == "boolean" || lower == "yes" || lower == "no":
		hint = " (for a boolean write <true/> or <false/>)"
	case lower == "int" || lower == "number" || lower == "long":
		hint = " (for a whole number write <integer>)"
	case lower == "float" || lower == "double":
		hint = " (for a floating-point number write <real>)"
	case lower == "str" || lower == "text":
		hint = " (for text write <string>)"
	case lower == "dictionary" || lower == "map" || lower == "object":
		hint = " (for a dictionary write <dict>)"
	case lower == "list":
		hint = " (for a list write <array>)"
	}
	if ctx == fDoc {
		return fmt.Sprintf("expected <plist>, found <%s>%s", name, hint)
	}
	return fmt.Sprintf("unknown element <%s>: expected <dict>, <array>, <string>, <integer>, <real>, <true/>, <false/>, <date> or <data>%s", name, hint)
}

// tooDeep starts skipping an element nested deeper than MaxDepth. The skip
// only counts tags, so it costs no memory however deep the input goes.
func (p *parser) tooDeep(t *Token, name string) {
	p.k.errorf(CodeLimit, t.Span, "nesting deeper than %d levels: this element and everything inside it are skipped", MaxDepth)
	p.skipDepth, p.skipNode, p.skipOwner = 1, nil, nil
	switch p.top().kind {
	case fDict, fArray, fPlist:
		n := p.newNode(Invalid, name, t.Span)
		if owner, ok := p.attach(n, t, name, true); ok {
			p.skipNode, p.skipOwner = n, owner
		}
	}
}

// skipToken consumes a token while skipping a too-deep subtree. It returns
// false for the token that must still be processed normally (EOF).
func (p *parser) skipToken(t *Token) bool {
	switch t.Kind {
	case TokStartTag:
		p.skipDepth++
	case TokEndTag:
		p.skipDepth--
		if p.skipDepth == 0 {
			p.endSkip(t.Span.End, t.Span, t.Span.Start)
		}
	case TokComment:
		p.comment(t)
	case TokEOF:
		p.skipDepth = 0
		p.endSkip(len(p.src), NoSpan, len(p.src))
		return false
	}
	return true
}

// endSkip finishes the Invalid node of a skipped too-deep subtree.
func (p *parser) endSkip(end int, closeTag Span, contentEnd int) {
	if n := p.skipNode; n != nil {
		n.setSpans(n.OpenTag(), closeTag, end, contentEnd)
		if p.skipOwner != nil {
			p.skipOwner.Span.End = end
		}
	}
	p.skipNode, p.skipOwner = nil, nil
}

// endTag closes the matching open element. Elements opened after it are
// reported as unclosed; an end tag that matches nothing is reported and
// ignored, except that it closes a text element (most likely a typo).
func (p *parser) endTag(t *Token) {
	name := p.text1(t.Name)
	f := p.top()
	if f.kind == fDoc {
		if f.rootDone {
			p.addTrailing(t.Span)
		} else {
			p.k.errorf(CodeSyntax, t.Span, "unexpected </%s>: no element is open", name)
		}
		return
	}
	found := found{t.Name, true}
	if p.nameOf(f) == name {
		p.pop(t.Span.End, t.Span, t.Span.Start, found)
		return
	}
	if p.isOpen(lookupElem(name), name) {
		// the elements opened after the matching one were never closed
		for len(p.stack) > 1 && p.nameOf(p.top()) != name {
			p.unclosed(found, t.Span.Start)
		}
		if len(p.stack) > 1 {
			p.pop(t.Span.End, t.Span, t.Span.Start, found)
		}
		return
	}
	if f.kind == fScalar || f.kind == fKey {
		// most likely a typo in the end tag of a text element: take it as its
		// end; a half-typed "</str" was already reported by the scanner
		fn := p.nameOf(f)
		if t.Flags&FlagUnterminated == 0 || !strings.HasPrefix(fn, name) {
			p.k.errorf(CodeSyntax, t.Span, "expected </%s> to close <%s>, found %s", fn, fn, p.what(found))
		}
		p.pop(t.Span.End, t.Span, t.Span.Start, found)
		return
	}
	if name == "" {
		return // a lone "</", reported by the scanner
	}
	p.k.errorf(CodeSyntax, t.Span, "unexpected %s: no <%s> is open (expected </%s>)", p.what(found), name, p.nameOf(f))
}

// eof closes whatever is still open and reports what is missing.
func (p *parser) eof() {
	p.flushJunk()
	n := len(p.src)
	for len(p.stack) > 1 {
		p.unclosed(atEOF, n)
	}
	if p.trailing.IsValid() {
		after := "the root value"
		if p.d.Plist.IsValid() {
			after = "</plist>"
		}
		p.k.errorf(CodeTrailing, p.trailing, "unexpected content after %s: only comments and whitespace may follow the property list", after)
	}
	if p.d.Root == nil && !p.sawPlist && !p.rootMsg {
		p.k.errorf(CodeSyntax, Span{n, n}, "no property list found: expected <plist> with a root value such as <dict>")
	}
}
