package lsp

import (
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// Conversions between the rules' byte offsets and LSP positions (0-based
// line, UTF-16 code units), through the snapshot's line index.

func (s *snapshot) position(off int) protocol.Position {
	if off <= 0 {
		// No line index needed: the too-large finding of a 100 MB
		// document sits at 0:0.
		return protocol.Position{}
	}
	line, col := s.index().UTF16Position(off)
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// rangeOf converts a span; spans that do not point into the source
// (NoSpan, binary plists) become the empty range at 0:0.
func (s *snapshot) rangeOf(sp plistxml.Span) protocol.Range {
	if !sp.IsValid() {
		return protocol.Range{}
	}
	return protocol.Range{Start: s.position(sp.Start), End: s.position(sp.End)}
}

func (s *snapshot) offset(p protocol.Position) int {
	return s.index().OffsetOfUTF16(int(p.Line), int(p.Character))
}

// spanOf converts an LSP range to byte offsets (start <= end).
func (s *snapshot) spanOf(r protocol.Range) plistxml.Span {
	a, b := s.offset(r.Start), s.offset(r.End)
	if b < a {
		a, b = b, a
	}
	return plistxml.Span{Start: a, End: b}
}

// textEdits converts a fix's edits, trimmed to the bytes that really change
// so the client's cursor and undo history are disturbed as little as
// possible.
func (s *snapshot) textEdits(edits []rules.Edit) []protocol.TextEdit {
	out := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		sp, text := minimalEdit(s.text, e)
		if sp.Start == sp.End && text == "" {
			continue
		}
		out = append(out, protocol.TextEdit{Range: s.rangeOf(sp), NewText: text})
	}
	return out
}

// minimalEdit drops the prefix and suffix that an edit's replacement shares
// with the text it replaces, staying on UTF-8 character boundaries so the
// UTF-16 conversion of both ends is exact.
func minimalEdit(src []byte, e rules.Edit) (plistxml.Span, string) {
	sp := e.Span
	if !sp.IsValid() || sp.End > len(src) {
		return sp, e.NewText
	}
	old, repl := src[sp.Start:sp.End], e.NewText
	pre := 0
	for pre < len(old) && pre < len(repl) && old[pre] == repl[pre] {
		pre++
	}
	for pre > 0 && (pre < len(old) && !utf8.RuneStart(old[pre]) || pre < len(repl) && !utf8.RuneStart(repl[pre])) {
		pre--
	}
	suf := 0
	for suf < len(old)-pre && suf < len(repl)-pre && old[len(old)-1-suf] == repl[len(repl)-1-suf] {
		suf++
	}
	for suf > 0 && !utf8.RuneStart(old[len(old)-suf]) {
		suf--
	}
	// Nor between "\r" and "\n": no LSP position points there (an editor
	// would move the edit before the "\r").
	if pre > 0 && betweenCRLF(src, sp.Start+pre) {
		pre--
	}
	if suf > 0 && betweenCRLF(src, sp.End-suf) {
		suf--
	}
	return plistxml.Span{Start: sp.Start + pre, End: sp.End - suf}, repl[pre : len(repl)-suf]
}

func betweenCRLF(src []byte, off int) bool {
	return off > 0 && off < len(src) && src[off-1] == '\r' && src[off] == '\n'
}
