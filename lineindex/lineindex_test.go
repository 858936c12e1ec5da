package lineindex

import (
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestPositions(t *testing.T) {
	// "é" is 2 bytes / 1 unit, "😀" 4 bytes / 2 units, "中" 3 bytes / 1 unit,
	// "e\u0301" is two code points (combining accent).
	src := []byte("ab\n<!-- é😀中 -->x\r\ne\u0301y\rlast")
	tests := []struct {
		name           string
		offset         int
		line, utf16Col int
		hLine, hCol    int
	}{
		{"start", 0, 0, 0, 1, 1},
		{"end of first line", 2, 0, 2, 1, 3},
		{"second line start", 3, 1, 0, 2, 1},
		{"after é", 3 + 5 + 2, 1, 6, 2, 7},
		{"after emoji", 3 + 5 + 2 + 4, 1, 8, 2, 8},
		{"after CJK", 3 + 5 + 2 + 4 + 3, 1, 9, 2, 9},
		{"inside emoji maps to its start", 3 + 5 + 2 + 1, 1, 6, 2, 7},
		{"crlf line", 3 + 5 + 2 + 4 + 3 + 4 + 1 + 2, 2, 0, 3, 1},
		{"after combining", 3 + 5 + 2 + 4 + 3 + 4 + 1 + 2 + 3, 2, 2, 3, 3},
		{"lone cr starts a line", len(src) - 4, 3, 0, 4, 1},
		{"end of source", len(src), 3, 4, 4, 5},
		{"past the end clamps", len(src) + 10, 3, 4, 4, 5},
		{"negative clamps", -5, 0, 0, 1, 1},
	}
	x := New(src)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, c := x.UTF16Position(tt.offset)
			if l != tt.line || c != tt.utf16Col {
				t.Errorf("UTF16Position(%d) = %d:%d, want %d:%d", tt.offset, l, c, tt.line, tt.utf16Col)
			}
			hl, hc := x.Position(tt.offset)
			if hl != tt.hLine || hc != tt.hCol {
				t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.offset, hl, hc, tt.hLine, tt.hCol)
			}
		})
	}
}

func TestOffsetOfClamps(t *testing.T) {
	x := New([]byte("a😀b\nxy"))
	tests := []struct{ line, col, want int }{
		{0, 0, 0},
		{0, 1, 1},
		{0, 2, 1}, // inside the surrogate pair: start of the emoji
		{0, 3, 5},
		{0, 4, 6},
		{0, 99, 6}, // past the end of the line: end of line, not the next line
		{1, 1, 8},
		{5, 0, 9}, // past the last line: end of source
		{-1, 3, 0},
	}
	for _, tt := range tests {
		if got := x.OffsetOfUTF16(tt.line, tt.col); got != tt.want {
			t.Errorf("OffsetOfUTF16(%d,%d) = %d, want %d", tt.line, tt.col, got, tt.want)
		}
	}
	if got := x.OffsetOf(1, 3); got != 5 {
		t.Errorf("OffsetOf(1,3) = %d, want 5", got)
	}
}

// FuzzRoundTrip checks that every character boundary survives
// offset -> position -> offset in both conventions, and that UTF-16 columns
// agree with the standard library's encoding.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a\nb", "é😀中\r\n\rx", "\xff\xfe<key>\x00</key>", "e\u0301\n\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		x := New(src)
		for off := 0; off <= len(src); {
			l, c := x.UTF16Position(off)
			if back := x.OffsetOfUTF16(l, c); back != off {
				t.Fatalf("utf16 round trip of %d: %d:%d -> %d", off, l, c, back)
			}
			hl, hc := x.Position(off)
			if back := x.OffsetOf(hl, hc); back != off {
				t.Fatalf("human round trip of %d: %d:%d -> %d", off, hl, hc, back)
			}
			ls := x.LineStart(l)
			var units int
			for _, r := range string(src[ls:off]) {
				units += len(utf16.Encode([]rune{r}))
			}
			if units != c {
				t.Fatalf("utf16 col of %d = %d, want %d", off, c, units)
			}
			if off == len(src) {
				break
			}
			_, size := utf8.DecodeRune(src[off:])
			// Line terminators are positions of their own; step byte-wise over them.
			if src[off] == '\r' || src[off] == '\n' {
				size = 1
				if src[off] == '\r' && off+1 < len(src) && src[off+1] == '\n' {
					size = 2
				}
			}
			off += size
		}
	})
}

func BenchmarkNew(b *testing.B) {
	src := make([]byte, 0, 1<<20)
	for len(src) < 1<<20 {
		src = append(src, "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n"...)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		New(src)
	}
}
