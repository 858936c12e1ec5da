package lineindex

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// naive are the conversions counted from the start of the line, as before
// marks: the reference the marks must agree with.
type naive struct{ x *Index }

func (n naive) utf16Position(offset int) (int, int) {
	offset = n.x.clamp(offset)
	line, col := n.x.Line(offset), 0
	for i := n.x.LineStart(line); i < offset; {
		r, size := utf8.DecodeRune(n.x.src[i:])
		if i+size > offset {
			break
		}
		col += utf16Len(r)
		i += size
	}
	return line, col
}

func (n naive) offsetOfUTF16(line, col int) int {
	i, end := n.x.LineStart(line), n.x.LineEnd(line)
	for u := 0; i < end; {
		r, size := utf8.DecodeRune(n.x.src[i:])
		if u+utf16Len(r) > col {
			break
		}
		u += utf16Len(r)
		i += size
	}
	return i
}

func (n naive) position(offset int) (int, int) {
	offset = n.x.clamp(offset)
	l, col := n.x.Line(offset), 1
	for i := n.x.LineStart(l); i < offset; {
		_, size := utf8.DecodeRune(n.x.src[i:])
		if i+size > offset {
			break
		}
		col++
		i += size
	}
	return l + 1, col
}

func (n naive) offsetOf(line, col int) int {
	i, end := n.x.LineStart(line-1), n.x.LineEnd(line-1)
	for k := 1; i < end && k < col; k++ {
		_, size := utf8.DecodeRune(n.x.src[i:])
		i += size
	}
	return i
}

// TestLongLines checks every offset and every column of sources with lines
// much longer than markEvery, made of every kind of character (and broken
// ones), against the conversions counted from the start of the line.
func TestLongLines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "<key>", "é", "日本", "😀", "\xff", "\xe6\x97", "\t", "\r\n", "\r", "\n", "𝄞x"}
	for round := 0; round < 8; round++ {
		var b strings.Builder
		for b.Len() < 3*markEvery+r.IntN(2*markEvery) {
			p := pieces[r.IntN(len(pieces))]
			if strings.ContainsAny(p, "\r\n") && r.IntN(50) != 0 {
				continue // mostly long lines
			}
			b.WriteString(p)
		}
		src := []byte(b.String())
		x := New(src)
		ref := naive{x}
		if round == 0 && len(x.marks) == 0 {
			t.Fatal("no marks: the test does not test them")
		}
		for off := -1; off <= len(src)+1; off++ {
			if l, c := x.UTF16Position(off); true {
				if rl, rc := ref.utf16Position(off); l != rl || c != rc {
					t.Fatalf("UTF16Position(%d) = %d:%d, want %d:%d", off, l, c, rl, rc)
				}
			}
			if l, c := x.Position(off); true {
				if rl, rc := ref.position(off); l != rl || c != rc {
					t.Fatalf("Position(%d) = %d:%d, want %d:%d", off, l, c, rl, rc)
				}
			}
		}
		for l := 0; l < x.LineCount(); l++ {
			n := x.LineEnd(l) - x.LineStart(l)
			for col := 0; col <= 2*n+2; col++ {
				if got, want := x.OffsetOfUTF16(l, col), ref.offsetOfUTF16(l, col); got != want {
					t.Fatalf("OffsetOfUTF16(%d, %d) = %d, want %d", l, col, got, want)
				}
				if got, want := x.OffsetOf(l+1, col), ref.offsetOf(l+1, col); got != want {
					t.Fatalf("OffsetOf(%d, %d) = %d, want %d", l+1, col, got, want)
				}
			}
		}
	}
}

// TestLongLineSpeed: conversions on one 9 MB line (a million-element array
// written on one line) cost O(markEvery), not O(line): 200,000 of them took
// over ten minutes when columns were counted from the start of the line,
// and take ~0.2 s.
func TestLongLineSpeed(t *testing.T) {
	src := []byte(strings.Repeat("<string>😀</string>", 9<<20/22))
	start := time.Now()
	x := New(src)
	n := 0
	for off := 0; off < len(src); off += 99 {
		_, c := x.UTF16Position(off)
		_, p := x.Position(off)
		n += x.OffsetOfUTF16(0, c) + x.OffsetOf(1, p)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("%d conversions on a 9 MB line took %v", 4*len(src)/99, took)
	}
	_ = n
}
