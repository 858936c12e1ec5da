// Package lineindex converts between byte offsets and line/column positions.
//
// Two column conventions are supported because the two front ends need
// different ones: LSP positions count UTF-16 code units from 0, humans (the
// CLI's file:line:col and its JSON output) count Unicode code points from 1.
// Invalid UTF-8 bytes count as one code point (U+FFFD) and one UTF-16 unit
// each, the way editors display them.
package lineindex

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// Index holds the start offset of every line of a source. Build it once per
// document version; lookups are O(log lines + line length).
type Index struct {
	src   []byte
	lines []int // lines[i] is the byte offset where line i starts; lines[0] == 0
}

// New indexes src. Lines end at "\n", "\r\n" or a lone "\r", as in LSP.
func New(src []byte) *Index {
	lines := make([]int, 1, 1+len(src)/32)
	if bytes.IndexByte(src, '\r') < 0 {
		// The common case: only "\n". IndexByte is vectorised.
		for off := 0; ; {
			i := bytes.IndexByte(src[off:], '\n')
			if i < 0 {
				return &Index{src: src, lines: lines}
			}
			off += i + 1
			lines = append(lines, off)
		}
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			lines = append(lines, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			lines = append(lines, i+1)
		}
	}
	return &Index{src: src, lines: lines}
}

// LineCount is the number of lines (an empty source has one line).
func (x *Index) LineCount() int { return len(x.lines) }

// Line returns the 0-based line that contains offset (clamped to the source).
func (x *Index) Line(offset int) int {
	offset = x.clamp(offset)
	return sort.SearchInts(x.lines, offset+1) - 1
}

// LineStart returns the byte offset at which 0-based line starts (clamped).
func (x *Index) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(x.lines) {
		return len(x.src)
	}
	return x.lines[line]
}

// LineEnd returns the offset of the end of the line's content, before its
// line terminator.
func (x *Index) LineEnd(line int) int {
	end := len(x.src)
	if line+1 < len(x.lines) {
		end = x.lines[line+1]
	}
	start := x.LineStart(line)
	for end > start && (x.src[end-1] == '\n' || x.src[end-1] == '\r') {
		end--
	}
	return end
}

func (x *Index) clamp(offset int) int {
	if offset < 0 {
		return 0
	}
	if offset > len(x.src) {
		return len(x.src)
	}
	return offset
}

// UTF16Position returns the 0-based line and UTF-16 column of offset.
// An offset inside a multi-byte character maps to that character's start.
func (x *Index) UTF16Position(offset int) (line, col int) {
	offset = x.clamp(offset)
	line = x.Line(offset)
	for i := x.lines[line]; i < offset; {
		r, size := utf8.DecodeRune(x.src[i:])
		if i+size > offset {
			break
		}
		if r >= 0x10000 && r != utf8.RuneError {
			col += 2
		} else {
			col++
		}
		i += size
	}
	return line, col
}

// OffsetOfUTF16 returns the byte offset of a 0-based line and UTF-16 column.
// Out-of-range lines clamp to the start or end of the source and columns past
// the end of a line clamp to its end, as LSP requires. A column that falls
// inside a surrogate pair maps to the start of that character.
func (x *Index) OffsetOfUTF16(line, col int) int {
	if line < 0 {
		return 0
	}
	if line >= len(x.lines) {
		return len(x.src)
	}
	i, end := x.lines[line], x.LineEnd(line)
	for n := 0; i < end; {
		r, size := utf8.DecodeRune(x.src[i:])
		w := 1
		if r >= 0x10000 && r != utf8.RuneError {
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

// Position returns the 1-based line and 1-based code-point column of offset,
// the convention of file:line:col messages and the CLI's JSON output.
func (x *Index) Position(offset int) (line, col int) {
	offset = x.clamp(offset)
	l := x.Line(offset)
	col = 1
	for i := x.lines[l]; i < offset; {
		_, size := utf8.DecodeRune(x.src[i:])
		if i+size > offset {
			break
		}
		col++
		i += size
	}
	return l + 1, col
}

// OffsetOf returns the byte offset of a 1-based line and code-point column
// (the inverse of Position), clamped like OffsetOfUTF16.
func (x *Index) OffsetOf(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(x.lines) {
		return len(x.src)
	}
	i, end := x.lines[line-1], x.LineEnd(line-1)
	for n := 1; i < end && n < col; n++ {
		_, size := utf8.DecodeRune(x.src[i:])
		i += size
	}
	return i
}
