package textsync_test

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/lineindex"
	"github.com/entitlint/entitlint/textsync"
	"github.com/entitlint/entitlint/textsync/synctest"
)

func edit(l1, c1, l2, c2 int, text string) textsync.Change {
	return textsync.Change{Range: &textsync.Range{Start: textsync.Position{Line: l1, Character: c1}, End: textsync.Position{Line: l2, Character: c2}}, Text: text}
}

func whole(text string) textsync.Change { return textsync.Change{Text: text} }

func TestApply(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		changes []textsync.Change
		want    string
	}{
		{"insert", "<key>a</key>\n", []textsync.Change{edit(0, 5, 0, 5, "b")}, "<key>ba</key>\n"},
		{"delete", "<key>ab</key>\n", []textsync.Change{edit(0, 5, 0, 6, "")}, "<key>b</key>\n"},
		{"replace across lines", "a\nb\nc\n", []textsync.Change{edit(0, 1, 2, 0, "-")}, "a-c\n"},
		{"an insertion at 0:0 is not a whole text", "abc", []textsync.Change{edit(0, 0, 0, 0, "x")}, "xabc"},
		{"whole text", "abc", []textsync.Change{whole("new")}, "new"},
		{"whole text, then an edit to it", "abc", []textsync.Change{whole("new\ntext"), edit(1, 0, 1, 4, "line")}, "new\nline"},
		{"changes apply in order", "abc", []textsync.Change{edit(0, 3, 0, 3, "d"), edit(0, 0, 0, 1, "")}, "bcd"},
		{"typing, one change per key", "<string></string>", []textsync.Change{
			edit(0, 8, 0, 8, "a"), edit(0, 9, 0, 9, "p"), edit(0, 10, 0, 10, "s")}, "<string>aps</string>"},
		{"columns count UTF-16 units", "é😀x", []textsync.Change{edit(0, 3, 0, 4, "y")}, "é😀y"},
		{"a column inside a surrogate pair is the start of the character", "a😀b", []textsync.Change{edit(0, 2, 0, 2, "|")}, "a|😀b"},
		{"an invalid byte is one unit", "a\xffb", []textsync.Change{edit(0, 2, 0, 3, "c")}, "a\xffc"},
		{"CRLF is one line end", "a\r\nb\r\n", []textsync.Change{edit(1, 0, 1, 1, "c")}, "a\r\nc\r\n"},
		{"a lone CR ends a line", "a\rb", []textsync.Change{edit(1, 0, 1, 1, "c")}, "a\rc"},
		{"an LF inserted after a CR joins the line ends", "a\rb", []textsync.Change{edit(1, 0, 1, 0, "\n"), edit(1, 0, 1, 1, "c")}, "a\r\nc"},
		{"a column past the end of a line is its end", "ab\r\ncd", []textsync.Change{edit(0, 99, 0, 99, "!")}, "ab!\r\ncd"},
		{"a line past the end is the end of the document", "ab", []textsync.Change{edit(7, 0, 9, 3, "!")}, "ab!"},
		{"a reversed range", "abcd", []textsync.Change{edit(0, 3, 0, 1, "")}, "ad"},
		{"no changes", "abc", nil, "abc"},
		{"a replace-all, from the end to the start", "<key>a</key>\n<key>a</key>\n<key>a</key>\n", []textsync.Change{
			edit(2, 5, 2, 6, "bb"), edit(1, 5, 1, 6, "bb"), edit(0, 5, 0, 6, "bb")}, "<key>bb</key>\n<key>bb</key>\n<key>bb</key>\n"},
		{"multi-cursor typing at the start of lines", "a\nb\nc", []textsync.Change{
			edit(2, 0, 2, 0, "-"), edit(1, 0, 1, 0, "-"), edit(0, 0, 0, 0, "-")}, "-a\n-b\n-c"},
		{"from the end to the start, next to each other", "abcdef", []textsync.Change{
			edit(0, 4, 0, 6, "X"), edit(0, 2, 0, 4, "Y"), edit(0, 0, 0, 2, "Z")}, "ZYX"},
		{"from the end to the start, then a later position", "abcdef", []textsync.Change{
			edit(0, 5, 0, 6, "F"), edit(0, 0, 0, 1, "A"), edit(0, 3, 0, 4, "D")}, "AbcDeF"},
		{"typing and backspacing on a line", "<string>x</string>\r\n<true/>", []textsync.Change{
			edit(0, 9, 0, 9, "yz"), edit(0, 11, 0, 10, ""), edit(0, 8, 0, 9, "é😀"), edit(0, 11, 0, 11, "!")}, "<string>é😀!y</string>\r\n<true/>"},
		{"typing past the end of a CRLF line, then on the next line", "ab\r\ncd", []textsync.Change{
			edit(0, 9, 0, 9, "X"), edit(0, 9, 0, 9, "Y"), edit(1, 1, 1, 1, "Z")}, "abXY\r\ncZd"},
		{"an edit over what was just typed and beyond", "0123456789", []textsync.Change{
			edit(0, 5, 0, 5, "abc"), edit(0, 3, 0, 10, "-")}, "012-789"},
		{"typing a line end ends the merging", "ab\ncd", []textsync.Change{
			edit(0, 1, 0, 1, "x"), edit(0, 2, 0, 2, "\n"), edit(1, 0, 1, 1, "B")}, "ax\nB\ncd"},
		{"a lone CR before an edit that adds an LF", "x\ry\rz", []textsync.Change{
			edit(2, 0, 2, 0, "\n"), edit(0, 0, 0, 1, "X")}, "X\ry\r\nz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ref := synctest.Apply(tt.text, tt.changes); ref != tt.want {
				t.Fatalf("the reference gives %q, the table says %q", ref, tt.want)
			}
			for _, index := range []*lineindex.Index{nil, lineindex.New([]byte(tt.text))} {
				base := []byte(tt.text)
				got := textsync.Apply(base, index, tt.changes)
				if string(got) != tt.want {
					t.Errorf("Apply (index given: %v) = %q, want %q", index != nil, got, tt.want)
				}
				if string(base) != tt.text {
					t.Errorf("the previous text was modified: %q", base)
				}
				// Into a dead version's memory: too small, or large and full
				// of another text.
				for _, dst := range [][]byte{make([]byte, 1), bytes.Repeat([]byte("#"), 2*len(tt.want)+8)} {
					got := textsync.ApplyInto(dst, base, index, tt.changes)
					if string(got) != tt.want {
						t.Errorf("ApplyInto (dst of %d bytes, index given: %v) = %q, want %q", len(dst), index != nil, got, tt.want)
					}
					if string(base) != tt.text {
						t.Errorf("ApplyInto modified the previous text: %q", base)
					}
				}
			}
		})
	}
}

// TestEdit checks the test helper: the edit it makes turns one text into
// the other, and is as small as the characters and line ends allow.
func TestEdit(t *testing.T) {
	for _, tt := range []struct{ before, after, text string }{
		{"<key>a</key>", "<key>ab</key>", "b"},
		{"é", "è", "è"},          // same first byte: the character is replaced whole
		{"a\r\nb", "a\rb", "\r"}, // never between "\r" and "\n"
		{"x😀y", "x😁y", "😁"},
		{"same", "same", ""},
	} {
		e := synctest.Edit(tt.before, tt.after)
		if got := synctest.Apply(tt.before, []textsync.Change{e}); got != tt.after {
			t.Errorf("Edit(%q, %q) gives %q", tt.before, tt.after, got)
		}
		if e.Text != tt.text {
			t.Errorf("Edit(%q, %q) inserts %q, want %q", tt.before, tt.after, e.Text, tt.text)
		}
	}
}

// FuzzApply: any sequence of changes, at any positions (past the end of
// lines and of the text, inside surrogate pairs, between "\r" and "\n"),
// gives what the reference gives.
func FuzzApply(f *testing.F) {
	f.Add("<dict>\r\n\t<key>é😀</key>\r<true/>\n</dict>", []byte{0, 2, 1, 3, 1, 'x', 1, 1, 0, 0, 9, 9, 0})
	f.Add("a\n\nb", []byte{2, 0, 0, 0, 0, 0})
	f.Add("\xff\xfe😀\r\n", []byte{0, 1, 0, 3, 2, 0xf0, 0x9f})
	f.Fuzz(func(t *testing.T, text string, script []byte) {
		// Each change takes 6 bytes of the script: start line and column,
		// end line and column, how many bytes of the text's end to insert,
		// and whether it replaces the whole document.
		var changes []textsync.Change
		for len(script) >= 6 {
			b := script[:6]
			script = script[6:]
			insert := text[len(text)-min(int(b[4]), len(text)):]
			if b[5]%16 == 15 {
				changes = append(changes, whole(insert))
				continue
			}
			changes = append(changes, edit(int(b[0]%8), int(b[1]), int(b[2]%8), int(b[3]), insert))
		}
		var index *lineindex.Index
		if len(script) > 0 { // a spare byte: start from an index, and
			if script[0]&1 != 0 {
				index = lineindex.New([]byte(text))
			}
			if script[0]&2 != 0 { // edits from the end towards the start, as a replace-all sends them
				slices.SortStableFunc(changes, func(a, b textsync.Change) int {
					if a.Range == nil || b.Range == nil {
						return 0
					}
					return cmp.Or(cmp.Compare(b.Range.Start.Line, a.Range.Start.Line), cmp.Compare(b.Range.Start.Character, a.Range.Start.Character))
				})
			}
		}
		want := synctest.Apply(text, changes)
		base := []byte(text)
		got := textsync.Apply(base, index, changes)
		if string(got) != want {
			t.Fatalf("Apply(%q, %+v) = %q, want %q", text, changes, got, want)
		}
		// The same into a dead version's memory, as the server does; the
		// result must not share memory with the text it came from.
		dst := bytes.Repeat([]byte{0xff}, len(want)+len(script))
		gotInto := textsync.ApplyInto(dst, base, index, changes)
		if string(gotInto) != want {
			t.Fatalf("ApplyInto(%q, %+v) = %q, want %q", text, changes, gotInto, want)
		}
		if len(base) > 0 && len(gotInto) > 0 {
			gotInto[0] ^= 0xff
			if string(base) != text {
				t.Fatalf("ApplyInto's result shares memory with the text it came from")
			}
		}
	})
}

// BenchmarkApply: a replace-all of 1,000 occurrences in a 1 MB document
// (the edits come from the end towards the start, one pass), and 100
// characters typed one after the other in one notification (a pass each).
func BenchmarkApply(b *testing.B) {
	var doc strings.Builder
	for doc.Len() < 1<<20 {
		fmt.Fprintf(&doc, "\t<key>com.example.key.%06d</key>\n\t<true/>\n", doc.Len())
	}
	text := []byte(doc.String())
	lines := strings.Count(doc.String(), "\n")
	var replaceAll, typing []textsync.Change
	for i := 0; i < 1000; i++ {
		line := (1000 - i) * (lines / 1001) // from the end towards the start, on key lines
		line -= line % 2
		replaceAll = append(replaceAll, edit(line, 6, line, 9, "org"))
	}
	for i := 0; i < 100; i++ {
		typing = append(typing, edit(lines/2, 6+i, lines/2, 6+i, "x"))
	}
	for _, bc := range []struct {
		name    string
		changes []textsync.Change
	}{{"replace-all-1000", replaceAll}, {"typing-100", typing}} {
		b.Run(bc.name, func(b *testing.B) {
			index := lineindex.New(text)
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				textsync.Apply(text, index, bc.changes)
			}
		})
	}
}
