// Package plistxml parses property lists into a tree that keeps the exact
// byte span of every element, key and value.
//
// It is built for editors and linters: Parse never fails and never panics.
// Whatever the input (half-typed XML, truncated files, binary garbage), it
// returns a Document holding as much of the tree as could be recovered plus a
// Problem for each thing that is wrong, each with a precise byte range.
//
// XML property lists are parsed by a lossless scanner (scanner.go) and a
// recursive-descent parser with error recovery (parser.go). Binary property
// lists ("bplist00") are decoded with howett.net/plist; their nodes carry no
// positions (see Document.Format).
package plistxml

import (
	"strconv"
	"time"
	"unsafe"
)

// Span is a half-open byte range [Start, End) into Document.Src.
type Span struct {
	Start, End int
}

// NoSpan marks a span that does not exist in the source, such as the close
// tag of an element that was never closed, or any span of a binary plist.
var NoSpan = Span{-1, -1}

// IsValid reports whether the span points into the source.
func (s Span) IsValid() bool { return s.Start >= 0 && s.End >= s.Start }

// Len is the number of bytes covered by the span (0 for an invalid span).
func (s Span) Len() int {
	if !s.IsValid() {
		return 0
	}
	return s.End - s.Start
}

// Contains reports whether byte offset off lies in [Start, End].
// The end is inclusive so that a cursor just after a token still counts as
// being on it, which is what hovers and completions want.
func (s Span) Contains(off int) bool { return s.IsValid() && off >= s.Start && off <= s.End }

// Kind is the type of a plist value.
type Kind uint8

const (
	Invalid Kind = iota // an element that is not a plist value (kept for recovery)
	Dict
	Array
	String
	Integer
	Real
	True
	False
	Date
	Data
)

var kindNames = [...]string{"invalid", "dict", "array", "string", "integer", "real", "true", "false", "date", "data"}

// String returns the element name of the kind ("dict", "true", …).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// IsBool reports whether the kind is <true/> or <false/>.
func (k Kind) IsBool() bool { return k == True || k == False }

// Node is one plist value.
//
// The tree is most of a parse's memory (a 5 MB file has about 100,000
// nodes), so a node is stored compactly: spans as 32-bit offsets, what can
// be derived (the element name, the start of Span and Content) is not
// stored, and the children of a dict or an array share one field. The
// accessors give the usual Span values.
type Node struct {
	Kind Kind
	// Valid: the scalar's text decoded without error (always true for dict,
	// array, string, true, false). The decoded value is meaningful only then.
	Valid bool
	// IsUint: an Integer that is positive and only fits in uint64 (see Uint).
	IsUint bool
	bits   nodeBits
	nkids  int32 // number of children (kids)

	open, close span32 // OpenTag, CloseTag
	end         int32  // Span.End (Span starts with OpenTag)
	contentEnd  int32  // Content.End (Content starts where OpenTag ends)

	// Text is the decoded character data of a scalar (entities and CDATA
	// resolved), before any type conversion.
	Text string

	// Int is an Integer's value when it fits in int64.
	Int int64
	// rare holds the values few nodes have (see Uint, Real, Date, Data), so
	// that the common node, a string or a boolean, stays small.
	rare *rareValues

	// kids points to the first of nkids children: *Entry for a dict, *Node
	// for an array (see Entries and Items).
	kids unsafe.Pointer
}

type nodeBits uint8

const (
	// signed records that an integer was written with a leading '-' (or
	// decoded as a signed binary integer): howett.net/plist then returns
	// int64, even for "-0", and uint64 otherwise. Only ToValue needs it.
	bitSigned nodeBits = 1 << iota
	// bitSingle marks a 32-bit real from a binary plist (howett returns float32).
	bitSingle
	// bitEntries: kids are dict entries (otherwise array items).
	bitEntries
)

// span32 is a Span stored in 32 bits per offset (Parse refuses inputs of
// 2 GiB and more).
type span32 struct{ start, end int32 }

func pack(s Span) span32    { return span32{int32(s.Start), int32(s.End)} }
func (s span32) span() Span { return Span{int(s.start), int(s.end)} }

// Span covers the whole element, from the '<' of the open tag to the '>' of
// the close tag, or to where recovery closed it.
func (n *Node) Span() Span { return Span{int(n.open.start), int(n.end)} }

// OpenTag is the start tag ("<string>") or the whole empty-element tag ("<true/>").
func (n *Node) OpenTag() Span { return n.open.span() }

// CloseTag is the end tag, or NoSpan if the element is empty or was never closed.
func (n *Node) CloseTag() Span { return n.close.span() }

// Content is the range between the open and close tags (empty-at-OpenTag.End
// for an empty element). For scalars this is the raw value text.
func (n *Node) Content() Span { return Span{int(n.open.end), int(n.contentEnd)} }

// Name is the element name as written (useful for Invalid nodes, e.g. "bool").
func (n *Node) Name() string {
	if n.Kind != Invalid {
		return kindNames[n.Kind]
	}
	if n.rare != nil {
		return n.rare.name
	}
	return ""
}

// Entries are a dict's entries in source order, duplicates kept.
func (n *Node) Entries() []*Entry {
	if n.bits&bitEntries == 0 || n.nkids == 0 {
		return nil
	}
	return unsafe.Slice((**Entry)(n.kids), n.nkids)
}

// Items are an array's items in source order.
func (n *Node) Items() []*Node {
	if n.bits&bitEntries != 0 || n.nkids == 0 {
		return nil
	}
	return unsafe.Slice((**Node)(n.kids), n.nkids)
}

func (n *Node) setEntries(es []*Entry) {
	n.bits |= bitEntries
	n.kids, n.nkids = nil, int32(len(es))
	if len(es) > 0 {
		n.kids = unsafe.Pointer(&es[0])
	}
}

func (n *Node) setItems(items []*Node) {
	n.bits &^= bitEntries
	n.kids, n.nkids = nil, int32(len(items))
	if len(items) > 0 {
		n.kids = unsafe.Pointer(&items[0])
	}
}

// setSpans sets all the spans of a node: Span must start with OpenTag and
// Content where OpenTag ends (or all be NoSpan).
func (n *Node) setSpans(open, close Span, end, contentEnd int) {
	n.open, n.close, n.end, n.contentEnd = pack(open), pack(close), int32(end), int32(contentEnd)
}

func (n *Node) signed() bool { return n.bits&bitSigned != 0 }
func (n *Node) single() bool { return n.bits&bitSingle != 0 }

type rareValues struct {
	name string // an Invalid node's element name
	uint uint64
	real float64
	date time.Time
	data []byte
}

func (n *Node) rareValues() *rareValues {
	if n.rare == nil {
		n.rare = new(rareValues)
	}
	return n.rare
}

// Uint is an Integer's value when IsUint (positive, beyond int64).
func (n *Node) Uint() uint64 {
	if n.rare == nil {
		return 0
	}
	return n.rare.uint
}

// Real is a Real's value.
func (n *Node) Real() float64 {
	if n.rare == nil {
		return 0
	}
	return n.rare.real
}

// Date is a Date's value.
func (n *Node) Date() time.Time {
	if n.rare == nil {
		return time.Time{}
	}
	return n.rare.date
}

// Data is a Data node's decoded bytes.
func (n *Node) Data() []byte {
	if n.rare == nil {
		return nil
	}
	return n.rare.data
}

// Entry is one <key>…</key> and the value after it in a dict.
type Entry struct {
	Key string // decoded key text
	// KeySpan covers "<key>…</key>" (or "<key/>").
	KeySpan Span
	// KeyText covers the raw text inside the key element (empty span at the
	// end of the open tag for "<key></key>").
	KeyText Span
	// Value is nil when the key has no value (the parser reports a problem).
	Value *Node
	// Span covers the key and its value.
	Span Span
}

// Format says how the document was encoded.
type Format uint8

const (
	FormatXML Format = iota
	// FormatBinary is a "bplist00" document decoded through howett.net/plist.
	// Its nodes have NoSpan everywhere: problems found in it can only be
	// reported on the whole file.
	FormatBinary
)

// Severity of a parse problem.
type Severity uint8

const (
	SevError Severity = iota
	SevWarning
	SevInfo
)

// Code classifies parse problems so that rules can pick theirs.
type Code string

const (
	// CodeSyntax: the XML is not well-formed or is not a property list
	// (bad tags, missing close tags, stray text, key without value, …).
	CodeSyntax Code = "syntax"
	// CodeValue: a scalar whose text does not decode (bad integer, date, base64, real).
	CodeValue Code = "value"
	// CodeCommentDoubleHyphen: "--" inside a comment; codesign's AMFI parser rejects it.
	CodeCommentDoubleHyphen Code = "comment-double-hyphen"
	// CodeDoctypeSubset: a DOCTYPE with an internal subset ([...]).
	CodeDoctypeSubset Code = "doctype-internal-subset"
	// CodeEncoding: an encoding other than UTF-8 declared or detected (UTF-16, …), or invalid UTF-8.
	CodeEncoding Code = "encoding"
	// CodeBOM: a byte-order mark before the XML declaration.
	CodeBOM Code = "bom"
	// CodeTrailing: content after the root element or after </plist>.
	CodeTrailing Code = "trailing-content"
	// CodeDuplicateKey: a key repeated in one dict (codesign rejects it;
	// other tools keep the last). The rules report it with fixes.
	CodeDuplicateKey Code = "duplicate-key"
	// CodeLimit: a resource limit was hit (nesting depth, size); the rest was skipped.
	CodeLimit Code = "limit"
)

// Problem is something wrong with the document, at a precise range.
type Problem struct {
	Code     Code
	Severity Severity
	Span     Span // NoSpan for binary plists
	Message  string
}

// Comment is one <!-- … --> in the source.
type Comment struct {
	Span Span // the whole comment including "<!--" and "-->"
	Text Span // the text between "<!--" and "-->"
}

// Document is the result of parsing.
type Document struct {
	Src    []byte
	Format Format

	// Root is the top-level value inside <plist>, or nil if there is none.
	Root *Node
	// Plist is the span of the <plist> element (NoSpan if missing).
	Plist Span
	// XMLDecl is the span of the <?xml …?> declaration (NoSpan if missing).
	XMLDecl Span
	// Doctype is the span of the <!DOCTYPE …> declaration (NoSpan if missing).
	Doctype Span

	// Comments in source order (used for suppression comments and inline config).
	Comments []Comment

	// Problems in source order.
	Problems []Problem

	arena *Arena // the memory of the tree (see TakeArena)
}

// Path is a key path from the root: a list of dict keys (string) and array
// indexes (int).
type Path []PathElem

// PathElem is a dict key or an array index.
type PathElem struct {
	Key   string
	Index int
	IsKey bool
}

// String renders the path as `key/sub[2]`. Keys are joined with '/' rather
// than '.' because entitlement keys are full of dots.
func (p Path) String() string {
	var b []byte
	for i, e := range p {
		if e.IsKey {
			if i > 0 {
				b = append(b, '/')
			}
			b = append(b, e.Key...)
		} else {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(e.Index), 10)
			b = append(b, ']')
		}
	}
	return string(b)
}

// TopKey returns the top-level dict key the path starts with ("" if none).
func (p Path) TopKey() string {
	if len(p) > 0 && p[0].IsKey {
		return p[0].Key
	}
	return ""
}
