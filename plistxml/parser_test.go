package plistxml

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const head = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
`

// wrap puts a dict body into a complete Xcode-style document.
func wrap(body string) string { return head + "<dict>\n" + body + "\n</dict>\n</plist>\n" }

// want describes one expected problem: its code, severity, the exact source
// text under its span, and a substring of its message.
type want struct {
	code Code
	sev  Severity
	at   string
	msg  string
}

func checkProblems(t *testing.T, src string, d *Document, wants []want) {
	t.Helper()
	got := d.Problems
	if len(got) != len(wants) {
		var b strings.Builder
		for _, p := range got {
			b.WriteString("\n  " + p.Severity.String() + " " + string(p.Code) + " " + at([]byte(src), p.Span) + ": " + p.Message)
		}
		t.Fatalf("got %d problems, want %d:%s", len(got), len(wants), b.String())
	}
	for i, w := range wants {
		p := got[i]
		if p.Code != w.code || p.Severity != w.sev || at([]byte(src), p.Span) != w.at || !strings.Contains(p.Message, w.msg) {
			t.Errorf("problem %d = %s %s %q %q\nwant %s %s %q containing %q", i, p.Severity, p.Code, at([]byte(src), p.Span), p.Message, w.sev, w.code, w.at, w.msg)
		}
	}
}

func TestParseRecovery(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []want
		check func(t *testing.T, d *Document)
	}{
		{name: "valid", src: wrap("\t<key>a</key>\n\t<true/>"),
			check: func(t *testing.T, d *Document) {
				if e := d.RootDict().Lookup("a"); e == nil || e.Value.Kind != True {
					t.Errorf("a = %+v", e)
				}
			}},
		{name: "missing close tag closed by parent", src: wrap("\t<key>a</key>\n\t<string>x"),
			want: []want{{CodeSyntax, SevError, "<string>", "expected </string> to close <string> opened on this tag, found </dict>"}},
			check: func(t *testing.T, d *Document) {
				v := d.RootDict().Lookup("a").Value
				if v.Text != "x" || v.CloseTag() != NoSpan || at(d.Src, v.Span()) != "<string>x" {
					t.Errorf("value %q close %v span %q", v.Text, v.CloseTag(), at(d.Src, v.Span()))
				}
			}},
		{name: "missing close tag before next key", src: wrap("\t<key>a</key>\n\t<string>x\n\t<key>b</key>\n\t<false/>"),
			want: []want{{CodeSyntax, SevError, "<string>", "found <key>"}},
			check: func(t *testing.T, d *Document) {
				if d.RootDict().Lookup("b").Value.Kind != False {
					t.Error("b lost")
				}
			}},
		{name: "missing </array> before next key", src: wrap("\t<key>a</key>\n\t<array>\n\t\t<string>x</string>\n\t<key>b</key>\n\t<true/>"),
			want: []want{{CodeSyntax, SevError, "<array>", "expected </array> to close <array> opened on this tag, found <key>"}},
			check: func(t *testing.T, d *Document) {
				if len(d.RootDict().Entries()) != 2 || len(d.RootDict().Lookup("a").Value.Items()) != 1 {
					t.Error("bad recovery")
				}
			}},
		{name: "mismatched close tag typo", src: wrap("\t<key>a</key>\n\t<string>x</strin>"),
			want: []want{{CodeSyntax, SevError, "</strin>", "expected </string> to close <string>, found </strin>"}},
			check: func(t *testing.T, d *Document) {
				if v := d.RootDict().Lookup("a").Value; v.Text != "x" || at(d.Src, v.CloseTag()) != "</strin>" {
					t.Errorf("value %q close %q", v.Text, at(d.Src, v.CloseTag()))
				}
			}},
		{name: "stray end tag in dict", src: wrap("\t</array>\n\t<key>a</key>\n\t<true/>"),
			want: []want{{CodeSyntax, SevError, "</array>", "unexpected </array>: no <array> is open (expected </dict>)"}}},
		{name: "unknown element", src: wrap("\t<key>a</key>\n\t<bool>true</bool>\n\t<key>b</key>\n\t<true/>"),
			want: []want{{CodeSyntax, SevError, "<bool>", "unknown element <bool>"}},
			check: func(t *testing.T, d *Document) {
				v := d.RootDict().Lookup("a").Value
				if v.Kind != Invalid || v.Name() != "bool" || at(d.Src, v.Span()) != "<bool>true</bool>" || v.ToValue() != nil {
					t.Errorf("invalid node %+v", v)
				}
				if d.RootDict().Lookup("b").Value.Kind != True {
					t.Error("b lost")
				}
			}},
		{name: "unknown element with nested content", src: wrap("\t<key>a</key>\n\t<foo><dict><key>x</key></dict></foo>\n\t<key>b</key>\n\t<true/>"),
			want: []want{{CodeSyntax, SevError, "<foo>", "unknown element <foo>"}}},
		{name: "unknown element never closed", src: wrap("\t<key>a</key>\n\t<foo>"),
			want: []want{
				{CodeSyntax, SevError, "<foo>", "unknown element <foo>"},
				{CodeSyntax, SevError, "<foo>", "expected </foo> to close <foo> opened on this tag, found </dict>"},
			}},
		{name: "element inside string", src: wrap("\t<key>a</key>\n\t<string>x<b>y</b>z</string>"),
			want: []want{{CodeSyntax, SevError, "<b>", "unexpected element <b> inside <string>"}},
			check: func(t *testing.T, d *Document) {
				if v := d.RootDict().Lookup("a").Value; v.Text != "xz" {
					t.Errorf("text %q", v.Text)
				}
			}},
		{name: "stray text in dict", src: wrap("\tstray &amp; text\n\t<key>a</key>\n\t<true/>"),
			want: []want{{CodeSyntax, SevError, "stray &amp; text", `unexpected text "stray &amp; text" in <dict>: expected <key> or </dict>`}}},
		{name: "stray text in array", src: wrap("\t<key>a</key>\n\t<array>x<true/></array>"),
			want: []want{{CodeSyntax, SevError, "x", "in <array>"}}},
		{name: "key followed by key", src: wrap("\t<key>aps-environment</key>\n\t<key>b</key>\n\t<true/>"),
			want: []want{{CodeSyntax, SevError, "<key>aps-environment</key>", `key "aps-environment" has no value`}},
			check: func(t *testing.T, d *Document) {
				e := d.RootDict().Entries()[0]
				if e.Value != nil || at(d.Src, e.Span) != "<key>aps-environment</key>" {
					t.Errorf("entry %+v", e)
				}
				if d.RootDict().Lookup("aps-environment") != e {
					t.Error("Lookup should still find a key without value")
				}
			}},
		{name: "key at end of dict", src: wrap("\t<key>a</key>"),
			want: []want{{CodeSyntax, SevError, "<key>a</key>", `key "a" has no value: expected a value such as <string> or <true/> after it, found </dict>`}}},
		{name: "value without key", src: wrap("\t<string>orphan</string>\n\t<key>a</key>\n\t<true/>"),
			want: []want{{CodeSyntax, SevError, "<string>", "<string> has no key"}},
			check: func(t *testing.T, d *Document) {
				if len(d.RootDict().Entries()) != 1 {
					t.Error("orphan attached")
				}
			}},
		{name: "truncated", src: head + "<dict>\n\t<key>a</key>\n\t<str",
			want: []want{
				{CodeSyntax, SevError, `<plist version="1.0">`, "found end of file"},
				{CodeSyntax, SevError, "<dict>", "expected </dict> to close <dict> opened on this tag, found end of file"},
				{CodeSyntax, SevError, "<str", `tag <str is not closed`},
			}},
		{name: "half-typed end tag", src: wrap("\t<key>a</key>\n\t<string>x</str\n\t<key>b</key><true/>"),
			want: []want{{CodeSyntax, SevError, "</str", "end tag </str is not closed"}},
			check: func(t *testing.T, d *Document) {
				if v := d.RootDict().Lookup("a").Value; v.Text != "x" || at(d.Src, v.CloseTag()) != "</str" {
					t.Errorf("value %q close %q", v.Text, at(d.Src, v.CloseTag()))
				}
			}},
		{name: "lone end tag opener", src: wrap("\t<key>a</key>\n\t<string>x</"),
			want: []want{
				{CodeSyntax, SevError, "</", `expected an element name after "</"`},
			}},
		{name: "truncated in string", src: head + "<dict>\n\t<key>a</key>\n\t<string>abc",
			want: []want{
				{CodeSyntax, SevError, `<plist version="1.0">`, "found end of file"},
				{CodeSyntax, SevError, "<dict>", "found end of file"},
				{CodeSyntax, SevError, "<string>", "found end of file"},
			},
			check: func(t *testing.T, d *Document) {
				if v := d.RootDict().Lookup("a").Value; v.Text != "abc" || !v.Valid {
					t.Errorf("partial value %+v", v)
				}
			}},
		{name: "second root in plist", src: head + "<dict/>\n<array/>\n</plist>",
			want: []want{{CodeTrailing, SevError, "<array/>", "unexpected <array> after the root value"}}},
		{name: "text after root in plist", src: head + "<dict/>\nxyz\n</plist>",
			want: []want{{CodeTrailing, SevError, "xyz", "after the root value"}}},
		{name: "junk after plist", src: head + "<dict/>\n</plist>\n<!-- ok -->\njunk <x/> more\n",
			want: []want{{CodeTrailing, SevError, "junk <x/> more", "unexpected content after </plist>"}}},
		{name: "bare dict root", src: "<dict>\n\t<key>a</key>\n\t<true/>\n</dict>\n",
			want: []want{{CodeSyntax, SevInfo, "<dict>", "missing <plist> wrapper"}},
			check: func(t *testing.T, d *Document) {
				if d.RootDict() == nil || d.Plist != NoSpan {
					t.Error("bare dict not accepted")
				}
			}},
		{name: "empty file", src: "", want: []want{{CodeSyntax, SevError, "", "empty file, expected a property list"}}},
		{name: "whitespace only", src: " \n\t ", want: []want{{CodeSyntax, SevError, " \n\t ", "empty file, expected a property list"}}},
		{name: "prolog only", src: `<?xml version="1.0" encoding="UTF-8"?>` + "\n",
			want: []want{{CodeSyntax, SevError, "", "no property list found"}}},
		{name: "empty plist", src: head + "</plist>",
			want: []want{{CodeSyntax, SevWarning, `<plist version="1.0">`, "empty <plist>"}}},
		{name: "empty key and string", src: wrap("\t<key/>\n\t<string/>\n\t<key></key>\n\t<string></string>"),
			want: []want{{CodeDuplicateKey, SevError, "<key></key>", `duplicate key ""`}},
			check: func(t *testing.T, d *Document) {
				for _, e := range d.RootDict().Entries() {
					if e.Key != "" || e.Value.Kind != String || e.Value.Text != "" || !e.Value.Valid {
						t.Errorf("entry %+v", e)
					}
				}
				if e := d.RootDict().Entries()[0]; e.KeyText != (Span{e.KeySpan.End, e.KeySpan.End}) {
					t.Errorf("KeyText of <key/> = %v", e.KeyText)
				}
			}},
		{name: "duplicate keys", src: wrap("\t<key>a</key>\n\t<false/>\n\t<key>a</key>\n\t<true/>"),
			want: []want{{CodeDuplicateKey, SevError, "<key>a</key>", `duplicate key "a"`}},
			check: func(t *testing.T, d *Document) {
				if len(d.RootDict().Entries()) != 2 || d.RootDict().Lookup("a").Value.Kind != True {
					t.Error("duplicates not kept or Lookup not last-wins")
				}
				if d.Problems[0].Span != d.RootDict().Entries()[1].KeySpan {
					t.Error("duplicate reported on the first key")
				}
			}},
		{name: "key inside array", src: wrap("\t<key>a</key>\n\t<array><key>x</key></array>"),
			want: []want{
				{CodeSyntax, SevError, "<array>", "found <key>"},
				{CodeSyntax, SevError, "<key>x</key>", `key "x" has no value`},
				{CodeSyntax, SevError, "</array>", "unexpected </array>"},
			}},
		{name: "plist inside dict", src: wrap("\t<key>a</key>\n\t<plist/>"),
			want: []want{{CodeSyntax, SevError, "<plist/>", "<plist> is only allowed once"}}},
		{name: "case-sensitive names", src: wrap("\t<key>a</key>\n\t<True/>"),
			want: []want{{CodeSyntax, SevError, "<True/>", "write <true>"}}},
		{name: "root is unknown", src: "<foo/>",
			want: []want{{CodeSyntax, SevError, "<foo/>", "expected <plist>, found <foo>"}}},
		{name: "text before plist", src: "hello <plist><dict/></plist>",
			want: []want{{CodeSyntax, SevError, "hello", "before the property list"}}},
		{name: "xml decl not first", src: "\n" + head + "<dict/></plist>",
			want: []want{{CodeSyntax, SevError, `<?xml version="1.0" encoding="UTF-8"?>`, "must be at the very start"}}},
		{name: "doctype after root", src: "<plist><dict/></plist>",
			check: func(t *testing.T, d *Document) {
				if d.Doctype != NoSpan || d.XMLDecl != NoSpan {
					t.Error("spans without prolog")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			checkProblems(t, tt.src, d, tt.want)
			checkDocument(t, d)
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func TestParseStrictness(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"comment double hyphen", head + "<!-- a -- b --><dict/></plist>",
			[]want{{CodeCommentDoubleHyphen, SevError, "--", `"--" is not allowed inside a comment: codesign rejects the file (AMFIUnserializeXML)`}}},
		{"comment dash before end", head + "<!-- a ---><dict/></plist>",
			[]want{{CodeCommentDoubleHyphen, SevError, "--", `"--" is not allowed inside a comment`}}},
		{"doctype internal subset", "<!DOCTYPE plist [<!ENTITY x \"y\">]>\n<plist><dict><key>a</key><string>&x;</string></dict></plist>",
			[]want{
				{CodeDoctypeSubset, SevError, `[<!ENTITY x "y">]`, "internal subset"},
				{CodeSyntax, SevError, "&x;", "unknown entity &x;"},
			}},
		{"latin1 declared", `<?xml version="1.0" encoding="ISO-8859-1"?><plist><dict/></plist>`,
			[]want{{CodeEncoding, SevError, "ISO-8859-1", `encoding "ISO-8859-1" is declared`}}},
		{"utf8 lower case", `<?xml version="1.0" encoding="utf-8"?><plist><dict/></plist>`, nil},
		{"UTF8 spelling", `<?xml version="1.0" encoding="UTF8"?><plist><dict/></plist>`,
			[]want{{CodeEncoding, SevWarning, "UTF8", "not the standard name"}}},
		{"xml version", `<?xml version="1.1"?><plist><dict/></plist>`,
			[]want{{CodeSyntax, SevError, "1.1", "unsupported XML version"}}},
		{"bom", "\xEF\xBB\xBF<plist><dict/></plist>",
			[]want{{CodeBOM, SevError, "\xEF\xBB\xBF", "byte-order mark"}}},
		{"invalid utf-8", "<plist><dict><key>caf\xe9</key><true/></dict></plist>",
			[]want{{CodeEncoding, SevError, "\xe9", "invalid UTF-8 (0xE9)"}}},
		{"nul byte", "<plist><dict><key>a\x00</key><true/></dict></plist>",
			[]want{{CodeSyntax, SevError, "\x00", "NUL byte"}}},
		{"trailing after plist", "<plist><dict/></plist>x",
			[]want{{CodeTrailing, SevError, "x", "after </plist>"}}},
		{"unknown entity", "<plist><string>&foo;</string></plist>",
			[]want{{CodeSyntax, SevError, "&foo;", "unknown entity &foo;"}}},
		{"cdata end in text", "<plist><string>a]]>b</string></plist>",
			[]want{{CodeSyntax, SevError, "]]>", `"]]>" is not allowed in text`}}},
		{"unquoted attribute", "<plist version=1.0><dict/></plist>",
			[]want{{CodeSyntax, SevError, "1.0", "must be quoted"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			checkProblems(t, tt.src, d, tt.want)
			checkDocument(t, d)
		})
	}
}

func TestParseWideEncodings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-16"?><plist><dict><key>a</key><true/></dict></plist>`
	le := []byte{0xFF, 0xFE}
	be := []byte{0xFE, 0xFF}
	var leNoBOM, beNoBOM []byte
	for _, c := range []byte(doc) {
		le = append(le, c, 0)
		be = append(be, 0, c)
		leNoBOM = append(leNoBOM, c, 0)
		beNoBOM = append(beNoBOM, 0, c)
	}
	for name, src := range map[string][]byte{"le": le, "be": be, "le-nobom": leNoBOM, "be-nobom": beNoBOM} {
		d := Parse(src)
		if len(d.Problems) != 1 || d.Problems[0].Code != CodeEncoding || d.Problems[0].Span.Start != 0 || d.Root != nil {
			t.Errorf("%s: problems %+v", name, d.Problems)
		}
		if !strings.Contains(d.Problems[0].Message, "UTF-16") {
			t.Errorf("%s: message %q", name, d.Problems[0].Message)
		}
	}
}

func TestParseCharCaps(t *testing.T) {
	src := "<plist><string>" + strings.Repeat("\xe9x", 100) + strings.Repeat("\x01x", 100) + "</string></plist>"
	d := Parse([]byte(src))
	var enc, ctl int
	for _, p := range d.Problems {
		switch p.Code {
		case CodeEncoding:
			enc++
		case CodeSyntax:
			ctl++
		}
	}
	if enc != maxCharProblems+1 || ctl != maxCharProblems+1 {
		t.Errorf("encoding problems %d, control problems %d, want %d each", enc, ctl, maxCharProblems+1)
	}
}

func TestParseValues(t *testing.T) {
	tests := []struct {
		elem  string
		text  string
		value any    // nil: invalid
		msg   string // problem message substring ("" = none)
		at    string // text under the problem span ("" = the text itself)
	}{
		{"integer", "42", uint64(42), "", ""},
		{"integer", "-42", int64(-42), "", ""},
		{"integer", "-0", int64(0), "", ""},
		{"integer", "0x1F", uint64(31), "", ""},
		{"integer", "0X1f", uint64(31), "", ""},
		{"integer", "-0x1F", int64(-31), "", ""},
		{"integer", "007", uint64(7), "", ""},
		{"integer", "9223372036854775807", uint64(9223372036854775807), "", ""},
		{"integer", "9223372036854775808", uint64(9223372036854775808), "", ""},
		{"integer", "18446744073709551615", uint64(18446744073709551615), "", ""},
		{"integer", "-9223372036854775808", int64(-9223372036854775808), "", ""},
		{"integer", "18446744073709551616", nil, "out of range", ""},
		{"integer", "-9223372036854775809", nil, "out of range", ""},
		{"integer", "+5", nil, `without the "+"`, ""},
		{"integer", " 5", nil, "whitespace", "5"},
		{"integer", "1_000", nil, "invalid integer", ""},
		{"integer", "0x", nil, "invalid integer", ""},
		{"integer", "1.5", nil, "invalid integer", ""},
		{"integer", "", nil, "empty <integer>", "<integer></integer>"},
		{"real", "1.5", 1.5, "", ""},
		{"real", "-2e3", -2e3, "", ""},
		{"real", "inf", posInf, "", ""},
		{"real", "+infinity", posInf, "", ""},
		{"real", "-Inf", negInf, "", ""},
		{"real", "x", nil, "invalid real", ""},
		{"real", "1e999", nil, "out of range", ""},
		{"date", "2024-01-31T12:00:00Z", time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC), "", ""},
		{"date", "2024-01-31", nil, "invalid date", ""},
		{"date", "2024-01-31T12:00:00.5Z", time.Date(2024, 1, 31, 12, 0, 0, 5e8, time.UTC), "accept only YYYY-MM-DDTHH:MM:SSZ", ""},
		{"data", "AAEC", []byte{0, 1, 2}, "", ""},
		{"data", " AA\n EC\t", []byte{0, 1, 2}, "", ""},
		{"data", "", []byte{}, "", ""},
		{"data", "AA!C", nil, "unexpected '!'", "!"},
		{"data", "AAE", nil, "truncated or badly padded", ""},
		{"string", "a &lt; b", "a < b", "", ""},
		{"true", "", true, "", ""},
		{"true", " \n ", true, "", ""},
		{"true", "x", true, "takes no content", ""},
		{"false", "no", false, "takes no content", ""},
	}
	for _, tt := range tests {
		src := "<plist><" + tt.elem + ">" + tt.text + "</" + tt.elem + "></plist>"
		d := Parse([]byte(src))
		n := d.Root
		if n == nil || n.Kind.String() != tt.elem {
			t.Errorf("%s: root %+v", src, n)
			continue
		}
		if got := n.ToValue(); !valuesEqual(got, tt.value) {
			t.Errorf("%s: value %#v, want %#v", src, got, tt.value)
		}
		if tt.msg == "" {
			if len(d.Problems) != 0 {
				t.Errorf("%s: unexpected problems %+v", src, d.Problems)
			}
			continue
		}
		if len(d.Problems) != 1 || !strings.Contains(d.Problems[0].Message, tt.msg) {
			t.Errorf("%s: problems %+v, want %q", src, d.Problems, tt.msg)
			continue
		}
		wantAt := tt.at
		if wantAt == "" {
			wantAt = tt.text
		}
		if p := d.Problems[0]; p.Code != CodeValue || at(d.Src, p.Span) != wantAt {
			t.Errorf("%s: problem %s at %q, want value at %q", src, p.Code, at(d.Src, p.Span), wantAt)
		}
	}
}

func TestDuplicateKeysLargeDict(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "<key>k%d</key><integer>%d</integer>", i%100, i)
	}
	b.WriteString("<key>lone</key>")
	d := Parse([]byte("<plist><dict>" + b.String() + "</dict></plist>"))
	dups := 0
	for _, p := range d.Problems {
		if p.Code == CodeDuplicateKey {
			dups++
		}
	}
	if dups != 200 {
		t.Errorf("%d duplicate problems, want 200", dups)
	}
	if v := d.RootDict().Lookup("k5").Value; v.Int != 205 {
		t.Errorf("Lookup(k5) = %d, want the last (205)", v.Int)
	}
	if got := d.Root.ToValue().(map[string]any)["k99"]; got != uint64(299) {
		t.Errorf("ToValue k99 = %v", got)
	}
}

func TestParseTextDecoding(t *testing.T) {
	src := "<plist><dict><key>a&amp;b</key><string>x&#65;&#x42;<![CDATA[<&>]]><!-- c -->y\r\nz\rw</string></dict></plist>"
	d := Parse([]byte(src))
	checkProblems(t, src, d, nil)
	e := d.RootDict().Entries()[0]
	if e.Key != "a&b" || at(d.Src, e.KeyText) != "a&amp;b" || at(d.Src, e.KeySpan) != "<key>a&amp;b</key>" {
		t.Errorf("key %q text %q span %q", e.Key, at(d.Src, e.KeyText), at(d.Src, e.KeySpan))
	}
	if e.Value.Text != "xAB<&>y\nz\nw" {
		t.Errorf("text %q", e.Value.Text)
	}
	if at(d.Src, e.Span) != "<key>a&amp;b</key><string>x&#65;&#x42;<![CDATA[<&>]]><!-- c -->y\r\nz\rw</string>" {
		t.Errorf("entry span %q", at(d.Src, e.Span))
	}
	if at(d.Src, e.Value.Content()) != "x&#65;&#x42;<![CDATA[<&>]]><!-- c -->y\r\nz\rw" {
		t.Errorf("content %q", at(d.Src, e.Value.Content()))
	}
	if len(d.Comments) != 1 || at(d.Src, d.Comments[0].Text) != " c " {
		t.Errorf("comments %+v", d.Comments)
	}
}

func TestParseSpansAndPaths(t *testing.T) {
	src := wrap("\t<key>groups</key>\n\t<array>\n\t\t<string>g1</string>\n\t\t<dict><key>k</key><integer>1</integer></dict>\n\t</array>")
	d := Parse([]byte(src))
	checkProblems(t, src, d, nil)
	root := d.RootDict()
	if at(d.Src, root.OpenTag()) != "<dict>" || at(d.Src, root.CloseTag()) != "</dict>" || !strings.HasPrefix(at(d.Src, root.Span()), "<dict>") {
		t.Errorf("root tags %q %q", at(d.Src, root.OpenTag()), at(d.Src, root.CloseTag()))
	}
	if at(d.Src, d.Plist) != src[strings.Index(src, "<plist"):len(src)-1] {
		t.Errorf("plist span %q", at(d.Src, d.Plist))
	}
	arr := root.Lookup("groups").Value
	inner := arr.Items()[1].Lookup("k")
	paths := map[*Node]string{}
	WalkPaths(d.Root, func(n *Node, p Path) bool {
		paths[n] = p.String()
		if n == inner.Value && p.TopKey() != "groups" {
			t.Errorf("top key %q", p.TopKey())
		}
		return true
	})
	if got := paths[inner.Value]; got != "groups[1]/k" {
		t.Errorf("path %q", got)
	}
	if paths[arr.Items()[0]] != "groups[0]" || paths[arr] != "groups" || paths[d.Root] != "" {
		t.Errorf("bad paths %v", paths)
	}
	if at(d.Src, arr.Items()[0].Content()) != "g1" {
		t.Errorf("content %q", at(d.Src, arr.Items()[0].Content()))
	}
}

func TestNodeAtWalkLookup(t *testing.T) {
	src := wrap("\t<key>a</key>\n\t<array>\n\t\t<string>one</string>\n\t\t<string>two</string>\n\t</array>\n\t<key>b</key>\n\t<true/>")
	d := Parse([]byte(src))
	off := strings.Index(src, "two")
	e, n := d.NodeAt(off)
	if e == nil || e.Key != "a" || n == nil || n.Text != "two" {
		t.Fatalf("NodeAt(two) = %+v, %+v", e, n)
	}
	e, n = d.NodeAt(strings.Index(src, ">b<") + 1)
	if e == nil || e.Key != "b" || n != d.RootDict() || !e.KeySpan.Contains(strings.Index(src, ">b<")+1) {
		t.Errorf("NodeAt(key b) = %+v, %+v", e, n)
	}
	if e, n := d.NodeAt(0); e != nil || n != nil {
		t.Error("NodeAt(0) should find nothing")
	}
	var kinds []string
	Walk(d.Root, func(n *Node) bool {
		kinds = append(kinds, n.Kind.String())
		return n.Kind != Array
	})
	if strings.Join(kinds, ",") != "dict,array,true" {
		t.Errorf("walk = %v", kinds)
	}
	if d.RootDict().Lookup("zzz") != nil || (*Node)(nil).Lookup("a") != nil || d.Root.Lookup("a").Value.Lookup("x") != nil {
		t.Error("Lookup on missing")
	}
	arr := Parse([]byte("<plist><array/></plist>"))
	if arr.RootDict() != nil {
		t.Error("RootDict of array")
	}
}

// checkDocument asserts invariants every parse must keep: valid, ordered
// spans inside the source, children inside parents, at most MaxProblems.
func checkDocument(t testing.TB, d *Document) {
	t.Helper()
	if err := validateDocument(d); err != "" {
		t.Fatal(err)
	}
}
