// Package synctest is the slow, obviously right model of textsync that
// tests compare it with, and the edits an editor would send for a change:
// positions are counted from the start of the text, with no line index.
// Lines end at "\r\n", "\r" or "\n"; columns count UTF-16 units; an invalid
// byte is one unit (U+FFFD), as in lineindex.
package synctest

import (
	"unicode/utf8"

	"github.com/entitlint/entitlint/textsync"
)

// lines returns the start and the content end of every line.
func lines(text string) (starts, ends []int) {
	starts = []int{0}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\r':
			ends = append(ends, i)
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		case '\n':
			ends = append(ends, i)
			starts = append(starts, i+1)
		}
	}
	return starts, append(ends, len(text))
}

func units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// Offset is the byte offset of a position, clamped as LSP asks.
func Offset(text string, p textsync.Position) int {
	starts, ends := lines(text)
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(starts) {
		return len(text)
	}
	i, n := starts[p.Line], 0
	for i < ends[p.Line] {
		r, size := utf8.DecodeRuneInString(text[i:])
		if n+units(r) > p.Character {
			break
		}
		n += units(r)
		i += size
	}
	return i
}

// Position is the position of a byte offset at a character boundary (and
// not between the "\r" and the "\n" of a line end).
func Position(text string, offset int) textsync.Position {
	starts, _ := lines(text)
	line := 0
	for line+1 < len(starts) && starts[line+1] <= offset {
		line++
	}
	n := 0
	for i := starts[line]; i < offset; {
		r, size := utf8.DecodeRuneInString(text[i:])
		n += units(r)
		i += size
	}
	return textsync.Position{Line: line, Character: n}
}

// Apply applies changes the slow way.
func Apply(text string, changes []textsync.Change) string {
	for _, ch := range changes {
		if ch.Range == nil {
			text = ch.Text
			continue
		}
		start, end := Offset(text, ch.Range.Start), Offset(text, ch.Range.End)
		if end < start {
			start, end = end, start
		}
		text = text[:start] + ch.Text + text[end:]
	}
	return text
}

// Edit is the ranged change an editor would send to turn before into
// after: the differing middle, widened so that it never splits a character
// or a "\r\n".
func Edit(before, after string) textsync.Change {
	p := 0
	for p < len(before) && p < len(after) && before[p] == after[p] {
		p++
	}
	s := 0
	for s < len(before)-p && s < len(after)-p && before[len(before)-1-s] == after[len(after)-1-s] {
		s++
	}
	splits := func(t string, i int) bool {
		return i > 0 && i < len(t) && (!utf8.RuneStart(t[i]) || t[i-1] == '\r' && t[i] == '\n')
	}
	for p > 0 && (splits(before, p) || splits(after, p)) {
		p--
	}
	for s > 0 && (splits(before, len(before)-s) || splits(after, len(after)-s)) {
		s--
	}
	return textsync.Change{
		Range: &textsync.Range{Start: Position(before, p), End: Position(before, len(before)-s)},
		Text:  after[p : len(after)-s],
	}
}
