// Package textsync applies an editor's content changes to a document's
// text: the edits of LSP's incremental sync, whose positions are lines and
// UTF-16 columns. It knows nothing of the protocol's types or wire format.
package textsync

import (
	"strings"
	"unicode/utf8"

	"github.com/entitlint/entitlint/lineindex"
)

// Position is a 0-based line and a 0-based column in UTF-16 code units.
type Position struct{ Line, Character int }

// Range is a start and an end position.
type Range struct{ Start, End Position }

// Change replaces Range with Text, or the whole document when Range is nil.
type Change struct {
	Range *Range
	Text  string
}

// Apply returns text with the changes applied in order, each one's
// positions relative to the text the previous ones left. index is text's
// line index, or nil: with a single change, the common case, the index the
// previous version already has is all that is needed. text is not
// modified.
//
// Positions clamp as lineindex.OffsetOfUTF16 does: a line past the end
// means the end of the document, a column past the end of a line the end
// of that line (before its "\r\n", "\r" or "\n"), a column inside a
// surrogate pair the start of that character. A range whose end comes
// before its start is taken the other way round.
//
// Two common sequences are applied in one pass over the document, with
// the one line index of text: changes that come from the end of the
// document towards its start, as editors send a multi-cursor edit or a
// replace-all (each one's positions mean the same in the text before the
// others), and changes on the line of the one before, as an editor that
// batches keystrokes sends typing (each is merged into that edit, reading
// only the line). Any other change is applied to the text the previous ones
// left, with an index of that text: k such changes cost k passes.
//
// The result never shares memory with text.
func Apply(text []byte, index *lineindex.Index, changes []Change) []byte {
	return ApplyInto(nil, text, index, changes)
}

// ApplyInto is Apply building the new text in dst's memory when it is
// large enough (dst's contents are overwritten; dst must not overlap text).
// The language server passes the text of a version nothing uses any more,
// so a keystroke in a large document does not allocate a copy of it.
func ApplyInto(dst, text []byte, index *lineindex.Index, changes []Change) []byte {
	if len(changes) == 0 {
		return append(dst[:0], text...)
	}
	var pending []edit // in text's offsets, each before the previous one
	for _, ch := range changes {
		if ch.Range == nil {
			text, index, pending = []byte(ch.Text), nil, pending[:0]
			continue
		}
		if index == nil {
			index = lineindex.New(text)
		}
		if len(pending) == 1 {
			if merged, ok := mergeOnLine(text, index, pending[0], ch); ok {
				pending[0] = merged
				continue
			}
		}
		e := resolve(index, ch)
		if len(pending) > 0 && !before(e, pending[len(pending)-1]) {
			text, index, pending = splice(nil, text, pending), nil, pending[:0]
			index = lineindex.New(text)
			e = resolve(index, ch)
		}
		pending = append(pending, e)
	}
	if len(pending) > 0 {
		return splice(dst, text, pending)
	}
	return text // the last change replaced the whole text: a new slice
}

// edit is a change resolved to byte offsets.
type edit struct {
	start, end int
	text       string
}

func resolve(index *lineindex.Index, ch Change) edit {
	start := index.OffsetOfUTF16(ch.Range.Start.Line, ch.Range.Start.Character)
	end := index.OffsetOfUTF16(ch.Range.End.Line, ch.Range.End.Character)
	if end < start {
		start, end = end, start
	}
	return edit{start, end, ch.Text}
}

// mergeOnLine merges ch into p, an edit not yet applied to text, when p
// stays within one line (it neither removes nor inserts a line end) and ch
// is on that line: ch's columns are counted on the line as p leaves it,
// and the two become one edit of text. Otherwise it reports false.
func mergeOnLine(text []byte, index *lineindex.Index, p edit, ch Change) (edit, bool) {
	line := index.Line(p.start)
	if ch.Range.Start.Line != line || ch.Range.End.Line != line || index.Line(p.end) != line ||
		hasLineEnd(p.text) || hasLineEnd(ch.Text) {
		return edit{}, false
	}
	ls, le := index.LineStart(line), index.LineEnd(line)
	if p.end > le { // p ends inside the line's "\r\n"
		return edit{}, false
	}
	// The line as p leaves it: a, then p's text, then b.
	v := make([]byte, 0, le-ls-(p.end-p.start)+len(p.text))
	v = append(v, text[ls:p.start]...)
	v = append(v, p.text...)
	v = append(v, text[p.end:le]...)
	lenA, lenAT := p.start-ls, p.start-ls+len(p.text)
	a, b := columnOffset(v, ch.Range.Start.Character), columnOffset(v, ch.Range.End.Character)
	if b < a {
		a, b = b, a
	}
	vs, ve := min(a, lenA), max(b, lenAT)
	merged := make([]byte, 0, (a-vs)+len(ch.Text)+(ve-b))
	merged = append(merged, v[vs:a]...)
	merged = append(merged, ch.Text...)
	merged = append(merged, v[b:ve]...)
	return edit{start: ls + vs, end: p.end + (ve - lenAT), text: string(merged)}, true
}

func hasLineEnd(s string) bool { return strings.ContainsAny(s, "\r\n") }

// columnOffset is lineindex.OffsetOfUTF16 within one line's content: the
// offset of UTF-16 column col, clamped to the end, at the start of a
// character whose units col falls inside.
func columnOffset(line []byte, col int) int {
	i, n := 0, 0
	for i < len(line) {
		r, size := utf8.DecodeRune(line[i:])
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > col {
			break
		}
		n += w
		i += size
	}
	return i
}

// before reports whether e, resolved in the text before the pending edits,
// resolves the same in the text after them: everything it read lies before
// the pending edit closest to the start. Resolving a position decodes up to
// 4 bytes past where it stops (a character, or the start of an invalid
// one), hence the margin.
func before(e, next edit) bool { return e.end+utf8Max <= next.start }

const utf8Max = 4

// splice applies edits given from the end of the text towards its start,
// in one pass, into dst's memory if it is large enough.
func splice(dst, text []byte, edits []edit) []byte {
	n := len(text)
	for _, e := range edits {
		n += len(e.text) - (e.end - e.start)
	}
	out := dst[:0]
	if cap(out) < n {
		out = make([]byte, 0, n)
	}
	at := 0
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		out = append(out, text[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, text[at:]...)
}
