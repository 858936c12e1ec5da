package plistxml

import (
	"strings"
	"testing"
)

// tok is a compact expectation: kind and the exact source text of the token,
// optionally of its Name and Body.
type tok struct {
	kind TokenKind
	text string
	name string // "" = not checked
	body string // "" = not checked
}

func TestScanTokens(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []tok
	}{
		{"decl and doctype",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`,
			[]tok{
				{TokXMLDecl, `<?xml version="1.0" encoding="UTF-8"?>`, "xml", `version="1.0" encoding="UTF-8"`},
				{TokText, "\n", "", ""},
				{TokDoctype, `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`, "plist", ""},
			}},
		{"tags", `<plist version="1.0"><dict/></plist>`,
			[]tok{
				{TokStartTag, `<plist version="1.0">`, "plist", ""},
				{TokEmptyTag, `<dict/>`, "dict", ""},
				{TokEndTag, `</plist>`, "plist", ""},
			}},
		{"spaces in tags", "<key >a</key >", []tok{
			{TokStartTag, "<key >", "key", ""}, {TokText, "a", "", ""}, {TokEndTag, "</key >", "key", ""}}},
		{"refs", "a&amp;b&#65;&#x1F600;&lt;", []tok{
			{TokText, "a", "", ""},
			{TokEntityRef, "&amp;", "amp", ""},
			{TokText, "b", "", ""},
			{TokCharRef, "&#65;", "65", ""},
			{TokCharRef, "&#x1F600;", "1F600", ""},
			{TokEntityRef, "&lt;", "lt", ""},
		}},
		{"comment cdata pi", "<!-- c --><![CDATA[<x>]]><?target data?>", []tok{
			{TokComment, "<!-- c -->", "", " c "},
			{TokCDATA, "<![CDATA[<x>]]>", "", "<x>"},
			{TokPI, "<?target data?>", "target", "data"},
		}},
		{"doctype subset", `<!DOCTYPE plist [<!ENTITY a "x>y"> <!-- ] > -->]><plist/>`, []tok{
			{TokDoctype, `<!DOCTYPE plist [<!ENTITY a "x>y"> <!-- ] > -->]>`, "plist", `[<!ENTITY a "x>y"> <!-- ] > -->]`},
			{TokEmptyTag, "<plist/>", "plist", ""},
		}},
		{"stray lt", "a < b", []tok{{TokText, "a ", "", ""}, {TokBad, "<", "", ""}, {TokText, " b", "", ""}}},
		{"stray amp", "a & b", []tok{{TokText, "a ", "", ""}, {TokBad, "&", "", ""}, {TokText, " b", "", ""}}},
		{"unterminated tag stops at <", "<string\n<key>", []tok{{TokStartTag, "<string\n", "string", ""}, {TokStartTag, "<key>", "key", ""}}},
		{"unterminated comment", "<!-- x", []tok{{TokComment, "<!-- x", "", " x"}}},
		{"unterminated cdata", "<![CDATA[x", []tok{{TokCDATA, "<![CDATA[x", "", "x"}}},
		{"unterminated pi", "<?pi x", []tok{{TokPI, "<?pi x", "pi", "x"}}},
		{"unterminated doctype", "<!DOCTYPE plist [ <!ENTITY", []tok{{TokDoctype, "<!DOCTYPE plist [ <!ENTITY", "plist", "[ <!ENTITY"}}},
		{"unknown decl", "<!ELEMENT x><a/>", []tok{{TokBad, "<!ELEMENT x>", "", ""}, {TokEmptyTag, "<a/>", "a", ""}}},
		{"lt at eof", "<", []tok{{TokBad, "<", "", ""}}},
		{"unterminated end tag", "</dict", []tok{{TokEndTag, "</dict", "dict", ""}}},
		{"end tag junk", "</dict x>", []tok{{TokEndTag, "</dict x>", "dict", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			toks := Scan(src)
			if len(toks) != len(tt.want) {
				t.Fatalf("got %d tokens %v, want %d", len(toks), describe(src, toks), len(tt.want))
			}
			for i, w := range tt.want {
				g := toks[i]
				if g.Kind != w.kind || at(src, g.Span) != w.text {
					t.Errorf("token %d = %v %q, want %v %q", i, g.Kind, at(src, g.Span), w.kind, w.text)
				}
				if w.name != "" && at(src, g.Name) != w.name {
					t.Errorf("token %d name = %q, want %q", i, at(src, g.Name), w.name)
				}
				if w.body != "" && at(src, g.Body) != w.body {
					t.Errorf("token %d body = %q, want %q", i, at(src, g.Body), w.body)
				}
			}
			checkTokens(t, src, toks)
		})
	}
}

func TestScanDetails(t *testing.T) {
	src := []byte(`<plist version="1.0" a='x'>&amp;&#xD800;&nope;</plist>`)
	s := NewScanner(src)
	var toks []Token
	for tk := s.Next(); tk.Kind != TokEOF; tk = s.Next() {
		toks = append(toks, tk)
	}
	if len(toks[0].Attrs) != 2 {
		t.Fatalf("attrs = %d", len(toks[0].Attrs))
	}
	a := toks[0].Attrs[0]
	if at(src, a.Name) != "version" || at(src, a.Value) != "1.0" || at(src, a.Span) != `version="1.0"` {
		t.Errorf("attr = %q %q %q", at(src, a.Name), at(src, a.Value), at(src, a.Span))
	}
	if at(src, toks[0].Attrs[1].Value) != "x" {
		t.Errorf("single-quoted attr = %q", at(src, toks[0].Attrs[1].Value))
	}
	if toks[1].Rune != '&' || toks[2].Rune != -1 || toks[3].Rune != -1 {
		t.Errorf("runes = %q %d %d", toks[1].Rune, toks[2].Rune, toks[3].Rune)
	}
	probs := s.Problems()
	if len(probs) != 2 || at(src, probs[0].Span) != "&#xD800;" || at(src, probs[1].Span) != "&nope;" {
		t.Errorf("problems = %+v", probs)
	}
}

func TestScanFlags(t *testing.T) {
	toks := Scan([]byte(" \t\n<a>x\r\n</a><![CDATA[ ]]>"))
	if toks[0].Flags&FlagNonSpace != 0 {
		t.Error("whitespace text flagged non-space")
	}
	if toks[2].Flags&(FlagNonSpace|FlagCR) != FlagNonSpace|FlagCR {
		t.Errorf("text flags = %b", toks[2].Flags)
	}
	if toks[4].Flags&FlagNonSpace != 0 {
		t.Error("whitespace CDATA flagged non-space")
	}
	toks = Scan([]byte("<!-- x"))
	if toks[0].Flags&FlagUnterminated == 0 {
		t.Error("unterminated comment not flagged")
	}
}

func TestScanCommentHyphens(t *testing.T) {
	tests := []struct {
		src   string
		spans []int // start offsets of the reported "--"
	}{
		{"<!-- ok -->", nil},
		{"<!---->", nil},
		{"<!-- a -- b -->", []int{7}},
		{"<!-- a --->", []int{7}},
		{"<!-- a ---->", []int{7}},
		{"<!-- -- -- --->", []int{5, 8, 11}},
		{"<!--a-->", nil},
		{"<!-- a -", nil}, // unterminated: the missing "-->" is the problem
	}
	for _, tt := range tests {
		s := NewScanner([]byte(tt.src))
		for s.Next().Kind != TokEOF {
		}
		var got []int
		for _, p := range s.Problems() {
			if p.Code != CodeCommentDoubleHyphen {
				continue
			}
			if tt.src[p.Span.Start:p.Span.End] != "--" {
				t.Errorf("%q: span %v is %q, want \"--\"", tt.src, p.Span, tt.src[p.Span.Start:p.Span.End])
			}
			got = append(got, p.Span.Start)
		}
		if !equalInts(got, tt.spans) {
			t.Errorf("%q: -- at %v, want %v", tt.src, got, tt.spans)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func at(src []byte, s Span) string {
	if !s.IsValid() || s.End > len(src) {
		return "<nospan>"
	}
	return string(src[s.Start:s.End])
}

func describe(src []byte, toks []Token) string {
	var parts []string
	for _, t := range toks {
		parts = append(parts, t.Kind.String()+" "+strings.ReplaceAll(at(src, t.Span), "\n", `\n`))
	}
	return "[" + strings.Join(parts, " | ") + "]"
}

// checkTokens asserts the scanner invariants: tokens are non-empty, adjacent,
// cover src exactly, and their sub-spans lie inside them.
func checkTokens(t testing.TB, src []byte, toks []Token) {
	t.Helper()
	pos := 0
	var sb strings.Builder
	for i, tk := range toks {
		if tk.Span.Start != pos || tk.Span.End <= tk.Span.Start || tk.Span.End > len(src) {
			t.Fatalf("token %d %v span %v, expected to start at %d", i, tk.Kind, tk.Span, pos)
		}
		for _, sub := range []Span{tk.Name, tk.Body} {
			if sub != NoSpan && (sub.Start < tk.Span.Start || sub.End > tk.Span.End || sub.Start > sub.End) {
				t.Fatalf("token %d %v: sub-span %v outside %v", i, tk.Kind, sub, tk.Span)
			}
		}
		for _, a := range tk.Attrs {
			for _, sub := range []Span{a.Span, a.Name, a.Value} {
				if sub != NoSpan && (sub.Start < tk.Span.Start || sub.End > tk.Span.End || sub.Start > sub.End) {
					t.Fatalf("token %d attr span %v outside %v", i, sub, tk.Span)
				}
			}
		}
		sb.Write(src[tk.Span.Start:tk.Span.End])
		pos = tk.Span.End
	}
	if pos != len(src) || sb.String() != string(src) {
		t.Fatalf("tokens cover %d of %d bytes", pos, len(src))
	}
}
