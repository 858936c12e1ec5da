// Package textsync applies an editor's content changes to a document's
// text: the edits of LSP's incremental sync, whose positions are lines and
// UTF-16 columns. It knows nothing of the protocol's types or wire format.
package textsync

import "github.com/entitlint/entitlint/lineindex"

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
// modified; the result is a new slice (or text itself, with no changes).
//
// Positions clamp as lineindex.OffsetOfUTF16 does: a line past the end
// means the end of the document, a column past the end of a line the end
// of that line (before its "\r\n", "\r" or "\n"), a column inside a
// surrogate pair the start of that character. A range whose end comes
// before its start is taken the other way round.
func Apply(text []byte, index *lineindex.Index, changes []Change) []byte {
	for _, ch := range changes {
		if ch.Range == nil {
			text, index = []byte(ch.Text), nil
			continue
		}
		if index == nil {
			index = lineindex.New(text)
		}
		start := index.OffsetOfUTF16(ch.Range.Start.Line, ch.Range.Start.Character)
		end := index.OffsetOfUTF16(ch.Range.End.Line, ch.Range.End.Character)
		if end < start {
			start, end = end, start
		}
		out := make([]byte, 0, len(text)-(end-start)+len(ch.Text))
		out = append(out, text[:start]...)
		out = append(out, ch.Text...)
		out = append(out, text[end:]...)
		text, index = out, nil
	}
	return text
}
