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
	"math"
	"slices"
	"sort"
	"unicode/utf8"
)

// Index holds the start offset of every line of a source. Build it once per
// document version; lookups are O(log lines + min(line length, markEvery)).
// An Index is immutable: it is safe for concurrent use.
type Index struct {
	src []byte
	// lines[i] is the byte offset where line i starts; lines[0] == 0. 32
	// bits halve the biggest allocation of a large document's index (a
	// 5 MB file has 190,000 lines); lines starting past 4 GiB are not
	// indexed (LSP frames stop at 512 MB, parsing at 2 GiB).
	lines []uint32
	// marks are checkpoints inside long lines, in offset order, so that
	// columns are counted from the nearest mark rather than from the start
	// of the line: converting every position of a 9 MB single-line file
	// was quadratic (a million positions took hours).
	marks []mark
}

// mark is a character boundary inside a long line with its columns
// (0-based UTF-16 units and code points from the start of the line).
type mark struct {
	off, u16, cp int
}

// markEvery is the distance in bytes between marks.
const markEvery = 1024

// New indexes src. Lines end at "\n", "\r\n" or a lone "\r", as in LSP.
func New(src []byte) *Index {
	x := &Index{src: src, lines: newLines(src)}
	x.addMarks()
	return x
}

func newLines(src []byte) []uint32 {
	// Exact capacity: counting is vectorised, and growing the slice by
	// doubling cost twice the memory on big documents.
	n := bytes.Count(src, []byte{'\n'})
	hasCR := bytes.IndexByte(src, '\r') >= 0
	if hasCR {
		n += bytes.Count(src, []byte{'\r'})
	}
	lines := make([]uint32, 1, 1+n)
	src = src[:min(len(src), math.MaxUint32)]
	if !hasCR {
		// The common case: only "\n". IndexByte is vectorised.
		for off := 0; ; {
			i := bytes.IndexByte(src[off:], '\n')
			if i < 0 {
				return lines
			}
			off += i + 1
			lines = append(lines, uint32(off))
		}
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			lines = append(lines, uint32(i+1))
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			lines = append(lines, uint32(i+1))
		}
	}
	return lines
}

// addMarks puts a mark about every markEvery bytes in the lines longer
// than that, stepping through characters exactly as the lookups do.
func (x *Index) addMarks() {
	for l := range x.lines {
		start, next := x.LineStart(l), len(x.src)
		if l+1 < len(x.lines) {
			next = int(x.lines[l+1])
		}
		if next-start <= markEvery {
			continue // short, the common case
		}
		end := x.LineEnd(l)
		u16, cp, at := 0, 0, start+markEvery
		for i := start; i < end; {
			if i >= at {
				x.marks = append(x.marks, mark{off: i, u16: u16, cp: cp})
				at = i + markEvery
			}
			r, size := utf8.DecodeRune(x.src[i:])
			u16 += utf16Len(r)
			cp++
			i += size
		}
	}
}

func utf16Len(r rune) int {
	if r >= 0x10000 && r != utf8.RuneError {
		return 2
	}
	return 1
}

// lineMarks returns the marks of line l.
func (x *Index) lineMarks(l int) []mark {
	if len(x.marks) == 0 {
		return nil
	}
	start, end := x.LineStart(l), x.LineEnd(l)
	lo := sort.Search(len(x.marks), func(i int) bool { return x.marks[i].off >= start })
	hi := lo + sort.Search(len(x.marks)-lo, func(i int) bool { return x.marks[lo+i].off >= end })
	return x.marks[lo:hi]
}

// fromOffset returns where to start counting columns for offset on line l:
// the last mark at or before offset, or the start of the line.
func (x *Index) fromOffset(l, offset int) mark {
	ms := x.lineMarks(l)
	i := sort.Search(len(ms), func(i int) bool { return ms[i].off > offset }) - 1
	if i < 0 {
		return mark{off: x.LineStart(l)}
	}
	return ms[i]
}

// fromColumn returns the last mark of line l whose column (UTF-16 or code
// points) is at most col, or the start of the line.
func (x *Index) fromColumn(l, col int, utf16 bool) mark {
	ms := x.lineMarks(l)
	i := sort.Search(len(ms), func(i int) bool {
		if utf16 {
			return ms[i].u16 > col
		}
		return ms[i].cp > col
	}) - 1
	if i < 0 {
		return mark{off: x.LineStart(l)}
	}
	return ms[i]
}

// LineCount is the number of lines (an empty source has one line).
func (x *Index) LineCount() int { return len(x.lines) }

// Line returns the 0-based line that contains offset (clamped to the source).
func (x *Index) Line(offset int) int {
	offset = x.clamp(offset)
	i, _ := slices.BinarySearch(x.lines, uint32(min(offset+1, math.MaxUint32)))
	return i - 1
}

// LineStart returns the byte offset at which 0-based line starts (clamped).
func (x *Index) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(x.lines) {
		return len(x.src)
	}
	return int(x.lines[line])
}

// LineEnd returns the offset of the end of the line's content, before its
// line terminator.
func (x *Index) LineEnd(line int) int {
	end := len(x.src)
	if line+1 < len(x.lines) {
		end = int(x.lines[line+1])
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
	m := x.fromOffset(line, offset)
	col = m.u16
	for i := m.off; i < offset; {
		r, size := utf8.DecodeRune(x.src[i:])
		if i+size > offset {
			break
		}
		col += utf16Len(r)
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
	m, end := x.fromColumn(line, col, true), x.LineEnd(line)
	i := m.off
	for n := m.u16; i < end; {
		r, size := utf8.DecodeRune(x.src[i:])
		w := utf16Len(r)
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
	m := x.fromOffset(l, offset)
	col = 1 + m.cp
	for i := m.off; i < offset; {
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
	// A mark at code point cp is on the way to column col when cp < col.
	m, end := x.fromColumn(line-1, col-1, false), x.LineEnd(line-1)
	i := m.off
	for n := 1 + m.cp; i < end && n < col; n++ {
		_, size := utf8.DecodeRune(x.src[i:])
		i += size
	}
	return i
}
