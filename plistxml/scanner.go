package plistxml

import (
	"bytes"
	"fmt"
	"strings"
)

// TokenKind is the kind of a lexical token.
type TokenKind uint8

const (
	TokEOF       TokenKind = iota // end of input (Span is empty at len(src))
	TokText                       // character data without '<' or '&'
	TokEntityRef                  // &name; (Name: the name; Rune: the character, -1 if unknown)
	TokCharRef                    // &#NN; or &#xHH; (Name: the digits; Rune: the character, -1 if invalid)
	TokCDATA                      // <![CDATA[…]]> (Body: the content)
	TokComment                    // <!--…--> (Body: the text)
	TokXMLDecl                    // <?xml …?> (Attrs: version, encoding, …)
	TokPI                         // <?target …?> (Name: target, Body: data)
	TokDoctype                    // <!DOCTYPE …> (Name: root element, Body: internal subset "[…]" or NoSpan)
	TokStartTag                   // <name attr="v"> (Name, Attrs)
	TokEndTag                     // </name>
	TokEmptyTag                   // <name/> (Name, Attrs)
	TokBad                        // bytes that start no construct: a stray '<' or '&', an unknown <!…>
)

var tokenKindNames = [...]string{"EOF", "Text", "EntityRef", "CharRef", "CDATA", "Comment", "XMLDecl", "PI", "Doctype", "StartTag", "EndTag", "EmptyTag", "Bad"}

func (k TokenKind) String() string {
	if int(k) < len(tokenKindNames) {
		return tokenKindNames[k]
	}
	return fmt.Sprintf("TokenKind(%d)", uint8(k))
}

// TokenFlags carry facts the scanner learns for free and the parser needs.
type TokenFlags uint8

const (
	// FlagUnterminated: the construct was not closed; the token runs to EOF
	// or to the '<' where recovery stopped it.
	FlagUnterminated TokenFlags = 1 << iota
	// FlagNonSpace: a Text or CDATA token holds something other than XML whitespace.
	FlagNonSpace
	// FlagCR: a Text or CDATA token holds '\r' (XML reads "\r\n" and "\r" as "\n").
	FlagCR
)

// Token is one lexical unit. Tokens cover the input exactly: the spans of
// consecutive tokens are adjacent, from 0 to len(src).
type Token struct {
	Kind  TokenKind
	Flags TokenFlags
	Span  Span
	Name  Span   // see TokenKind; NoSpan when the kind has none
	Body  Span   // see TokenKind; NoSpan when the kind has none
	Rune  rune   // TokEntityRef, TokCharRef: the character referred to, or -1
	Attrs []Attr // TokStartTag, TokEmptyTag, TokXMLDecl; nil when there are none
}

// Attr is one name="value" attribute.
type Attr struct {
	Span  Span // name through closing quote
	Name  Span
	Value Span // between the quotes (NoSpan when the value is missing)
}

// Scanner splits XML into tokens without ever failing. Lexical problems
// (unterminated constructs, "--" in comments, bad references…) are collected
// and returned by Problems.
type Scanner struct {
	src  []byte
	pos  int
	sink *sink
}

// NewScanner returns a scanner over src.
func NewScanner(src []byte) *Scanner { return &Scanner{src: src, sink: &sink{}} }

// Problems returns the lexical problems found so far, in scan order.
func (s *Scanner) Problems() []Problem { return s.sink.probs }

// Scan returns all tokens of src (without the final TokEOF).
func Scan(src []byte) []Token {
	s := NewScanner(src)
	var toks []Token
	for {
		t := s.Next()
		if t.Kind == TokEOF {
			return toks
		}
		toks = append(toks, t)
	}
}

// character classes for the text loop
const (
	ccText   = iota // anything that is not special below
	ccSpace         // ' ', '\t', '\n'
	ccCR            // '\r'
	ccStop          // '<', '&': end of a text token
	ccRBrack        // ']': may start a forbidden "]]>"
)

var textClass = func() (t [256]uint8) {
	t[' '], t['\t'], t['\n'] = ccSpace, ccSpace, ccSpace
	t['\r'] = ccCR
	t['<'], t['&'] = ccStop, ccStop
	t[']'] = ccRBrack
	return
}()

// Names are ASCII letters, digits, '_', ':', '.', '-'. Bytes >= 0x80 are
// accepted so that a non-ASCII name stays one token; plist element names
// are ASCII, so the parser reports such names as unknown elements.
const (
	nameStart = 1
	nameCont  = 2
)

var nameClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_', c == ':', c >= 0x80:
			t[c] = nameStart | nameCont
		case '0' <= c && c <= '9', c == '.', c == '-':
			t[c] = nameCont
		}
	}
	return
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// scanName returns the end of the name starting at j (j itself if there is none).
func scanName(src []byte, j int) int {
	if j >= len(src) || nameClass[src[j]]&nameStart == 0 {
		return j
	}
	j++
	for j < len(src) && nameClass[src[j]]&nameCont != 0 {
		j++
	}
	return j
}

func skipSpace(src []byte, j int) int {
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	return j
}

// Next returns the next token, or TokEOF at the end of the input.
func (s *Scanner) Next() Token {
	var t Token
	s.next(&t)
	return t
}

// next fills t in place: tokens are large, and the parser reads millions.
func (s *Scanner) next(t *Token) {
	start := s.pos
	if start >= len(s.src) {
		*t = Token{Kind: TokEOF, Span: Span{len(s.src), len(s.src)}, Name: NoSpan, Body: NoSpan}
		return
	}
	switch s.src[start] {
	case '<':
		s.markup(t)
	case '&':
		s.ref(t)
	default:
		s.text(t)
	}
	if t.Span.End <= start { // cannot happen; guarantees progress whatever the bug
		*t = Token{Kind: TokBad, Span: Span{start, start + 1}, Name: NoSpan, Body: NoSpan}
	}
	s.pos = t.Span.End
}

func (s *Scanner) errorf(code Code, span Span, format string, args ...any) {
	s.sink.errorf(code, span, format, args...)
}

func (s *Scanner) bad(start, end int, msg string) Token {
	s.errorf(CodeSyntax, Span{start, end}, "%s", msg)
	return Token{Kind: TokBad, Span: Span{start, end}, Name: NoSpan, Body: NoSpan}
}

func (s *Scanner) text(t *Token) {
	src := s.src
	i := s.pos
	var fl TokenFlags
loop:
	for i < len(src) {
		switch textClass[src[i]] {
		case ccText:
			fl |= FlagNonSpace
			i++
			for i < len(src) && textClass[src[i]] == ccText {
				i++
			}
			continue
		case ccSpace:
		case ccCR:
			fl |= FlagCR
		case ccStop:
			break loop
		case ccRBrack:
			fl |= FlagNonSpace
			if i+2 < len(src) && src[i+1] == ']' && src[i+2] == '>' {
				s.errorf(CodeSyntax, Span{i, i + 3}, `"]]>" is not allowed in text: write "]]&gt;"`)
			}
		}
		i++
	}
	*t = Token{Kind: TokText, Flags: fl, Span: Span{s.pos, i}, Name: NoSpan, Body: NoSpan}
}

func (s *Scanner) markup(t *Token) {
	src, i := s.src, s.pos
	if i+1 >= len(src) {
		*t = s.bad(i, i+1, `unexpected end of file after "<"`)
		return
	}
	switch c := src[i+1]; {
	case c == '/':
		s.endTag(t)
	case c == '?':
		s.pi(t)
	case c == '!':
		switch rest := src[i:]; {
		case bytes.HasPrefix(rest, []byte("<!--")):
			s.comment(t)
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			s.cdata(t)
		case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
			s.doctype(t)
		default:
			s.badDecl(t)
		}
	case nameClass[c]&nameStart != 0:
		s.tag(t)
	default:
		*t = s.bad(i, i+1, `"<" does not start a tag: write "&lt;" for a literal "<"`)
	}
}

// badDecl swallows an unknown "<!…" up to '>' (or before the next '<').
func (s *Scanner) badDecl(t *Token) {
	src, i := s.src, s.pos
	j := i + 2
	for j < len(src) && src[j] != '>' && src[j] != '<' {
		j++
	}
	if j < len(src) && src[j] == '>' {
		j++
	}
	*t = s.bad(i, j, `unknown markup declaration: expected "<!--" (comment), "<![CDATA[" or "<!DOCTYPE"`)
}

// tag scans a start or empty-element tag. It stops early at a '<' so that a
// half-typed "<string" does not swallow the next line.
func (s *Scanner) tag(t *Token) {
	src, start := s.src, s.pos
	n := len(src)
	nameEnd := scanName(src, start+1)
	*t = Token{Kind: TokStartTag, Name: Span{start + 1, nameEnd}, Body: NoSpan}
	j := nameEnd
	for {
		ws := j
		j = skipSpace(src, j)
		if j >= n || src[j] == '<' {
			t.Flags |= FlagUnterminated
			t.Span = Span{start, j}
			s.errorf(CodeSyntax, Span{start, nameEnd}, `tag <%s is not closed: expected ">"`, src[start+1:nameEnd])
			return
		}
		switch c := src[j]; {
		case c == '>':
			t.Span = Span{start, j + 1}
			return
		case c == '/':
			if j+1 < n && src[j+1] == '>' {
				t.Kind = TokEmptyTag
				t.Span = Span{start, j + 2}
				return
			}
			s.errorf(CodeSyntax, Span{j, j + 1}, `unexpected "/" in tag <%s: expected "/>"`, src[start+1:nameEnd])
			j++
		case nameClass[c]&nameStart != 0:
			var a Attr
			a, j = s.attr(j, n, false)
			if ws == a.Name.Start {
				s.errorf(CodeSyntax, a.Name, "missing whitespace before attribute %s", src[a.Name.Start:a.Name.End])
			}
			t.Attrs = append(t.Attrs, a)
		default:
			e := j + 1
			for e < n && !isSpace(src[e]) && src[e] != '>' && src[e] != '<' && src[e] != '/' && nameClass[src[e]]&nameStart == 0 {
				e++
			}
			s.errorf(CodeSyntax, Span{j, e}, "unexpected %q in tag <%s: expected an attribute or \">\"", src[j:e], src[start+1:nameEnd])
			j = e
		}
	}
}

// attr scans name="value" starting at j, bounded by limit. In a tag
// (decl=false) an unterminated value stops at the first '>' so that the tag
// still ends sensibly.
func (s *Scanner) attr(j, limit int, decl bool) (Attr, int) {
	src := s.src
	a := Attr{Name: Span{j, scanName(src[:limit], j)}, Value: NoSpan}
	for _, c := range src[a.Name.Start:a.Name.End] {
		if c >= 0x80 {
			s.errorf(CodeSyntax, a.Name, "attribute name %q is not ASCII", src[a.Name.Start:a.Name.End])
			break
		}
	}
	j = a.Name.End
	k := skipSpace(src[:limit], j)
	if k >= limit || src[k] != '=' {
		s.errorf(CodeSyntax, a.Name, `attribute %s has no value: expected %s="…"`, src[a.Name.Start:a.Name.End], src[a.Name.Start:a.Name.End])
		a.Span = a.Name
		return a, j
	}
	k = skipSpace(src[:limit], k+1)
	if k < limit && (src[k] == '"' || src[k] == '\'') {
		q := src[k]
		vs := k + 1
		e := vs
		for e < limit && src[e] != q && src[e] != '<' {
			e++
		}
		if e < limit && src[e] == q {
			a.Value = Span{vs, e}
			a.Span = Span{a.Name.Start, e + 1}
			s.checkRefs(a.Value)
			return a, e + 1
		}
		if !decl {
			if gt := bytes.IndexByte(src[vs:e], '>'); gt >= 0 {
				e = vs + gt
			}
		}
		a.Value = Span{vs, e}
		a.Span = Span{a.Name.Start, e}
		s.errorf(CodeSyntax, Span{k, e}, "value of attribute %s is not closed: expected %c", src[a.Name.Start:a.Name.End], q)
		return a, e
	}
	e := k
	for e < limit && !isSpace(src[e]) && src[e] != '>' && src[e] != '<' && !(src[e] == '/' && e+1 < limit && src[e+1] == '>') && !(decl && src[e] == '?') {
		e++
	}
	a.Value = Span{k, e}
	a.Span = Span{a.Name.Start, e}
	sp := a.Value
	if e == k {
		sp = Span{a.Name.Start, k}
	}
	s.errorf(CodeSyntax, sp, `value of attribute %s must be quoted: %s="…"`, src[a.Name.Start:a.Name.End], src[a.Name.Start:a.Name.End])
	return a, e
}

// checkRefs validates the entity references inside an attribute value.
func (s *Scanner) checkRefs(v Span) {
	src := s.src
	for i := v.Start; i < v.End; {
		k := bytes.IndexByte(src[i:v.End], '&')
		if k < 0 {
			return
		}
		i += k
		_, end := s.parseRef(i, v.End)
		i = end
	}
}

func (s *Scanner) endTag(t *Token) {
	src, start := s.src, s.pos
	n := len(src)
	nameEnd := scanName(src, start+2)
	*t = Token{Kind: TokEndTag, Name: Span{start + 2, nameEnd}, Body: NoSpan}
	noName := nameEnd == start+2
	if noName {
		s.errorf(CodeSyntax, Span{start, start + 2}, `expected an element name after "</"`)
	}
	k := skipSpace(src, nameEnd)
	if k < n && src[k] == '>' {
		t.Span = Span{start, k + 1}
		return
	}
	e := k
	for e < n && src[e] != '>' && src[e] != '<' {
		e++
	}
	if e < n && src[e] == '>' {
		s.errorf(CodeSyntax, Span{k, e}, `unexpected %s in end tag </%s: expected ">"`, quote(string(src[k:e])), src[start+2:nameEnd])
		t.Span = Span{start, e + 1}
		return
	}
	t.Flags |= FlagUnterminated
	t.Span = Span{start, e}
	if !noName { // one problem is enough for a lone "</"
		s.errorf(CodeSyntax, Span{start, nameEnd}, `end tag </%s is not closed: expected ">"`, src[start+2:nameEnd])
	}
}

func (s *Scanner) pi(t *Token) {
	src, start := s.src, s.pos
	n := len(src)
	nameEnd := scanName(src, start+2)
	*t = Token{Kind: TokPI, Name: Span{start + 2, nameEnd}, Body: NoSpan}
	target := src[start+2 : nameEnd]
	if nameEnd == start+2 {
		s.errorf(CodeSyntax, Span{start, start + 2}, `expected a target name after "<?"`)
	}
	bs := skipSpace(src, nameEnd)
	end := bytes.Index(src[nameEnd:], []byte("?>"))
	if end < 0 {
		t.Flags |= FlagUnterminated
		t.Span = Span{start, n}
		t.Body = Span{min(bs, n), n}
		s.errorf(CodeSyntax, Span{start, nameEnd}, `processing instruction <?%s is not closed: expected "?>"`, target)
	} else {
		end += nameEnd
		t.Span = Span{start, end + 2}
		t.Body = Span{min(bs, end), end}
		if nameEnd < end && !isSpace(src[nameEnd]) {
			s.errorf(CodeSyntax, Span{nameEnd, nameEnd + 1}, "expected whitespace after <?%s", target)
		}
	}
	switch {
	case string(target) == "xml":
		t.Kind = TokXMLDecl
		t.Attrs = s.declAttrs(t.Body)
	case strings.EqualFold(string(target), "xml"):
		s.errorf(CodeSyntax, t.Name, "processing instruction target %q is reserved: the XML declaration is written <?xml", target)
	}
}

// declAttrs scans the pseudo-attributes of an XML declaration.
func (s *Scanner) declAttrs(body Span) []Attr {
	var attrs []Attr
	src := s.src
	j := body.Start
	for {
		j = skipSpace(src[:body.End], j)
		if j >= body.End {
			return attrs
		}
		if nameClass[src[j]]&nameStart == 0 {
			s.errorf(CodeSyntax, Span{j, body.End}, "malformed XML declaration: expected version=\"1.0\" encoding=\"UTF-8\"")
			return attrs
		}
		var a Attr
		a, j = s.attr(j, body.End, true)
		attrs = append(attrs, a)
	}
}

func (s *Scanner) comment(t *Token) {
	src, start := s.src, s.pos
	bs := start + 4
	*t = Token{Kind: TokComment, Name: NoSpan}
	k := bytes.Index(src[bs:], []byte("-->"))
	be := len(src)
	if k < 0 {
		t.Flags |= FlagUnterminated
		t.Span = Span{start, be}
		s.errorf(CodeSyntax, Span{start, bs}, `comment is not closed: expected "-->"`)
	} else {
		be = bs + k
		t.Span = Span{start, be + 3}
	}
	t.Body = Span{bs, be}
	// AMFI (and the XML spec) reject "--" inside a comment. Report each pair
	// exactly, plus "--->", where the '-' before "-->" forms a pair with it.
	lastEnd := -1
	for i := bs; i < be && !s.sink.full(); {
		m := bytes.Index(src[i:be], []byte("--"))
		if m < 0 {
			break
		}
		p := i + m
		s.sink.errorf(CodeCommentDoubleHyphen, Span{p, p + 2}, `"--" is not allowed inside a comment: codesign rejects the file (AMFIUnserializeXML)`)
		lastEnd = p + 2
		i = p + 2
	}
	if k >= 0 && be > bs && src[be-1] == '-' && lastEnd != be {
		s.sink.errorf(CodeCommentDoubleHyphen, Span{be - 1, be + 1}, `"--" is not allowed inside a comment (a "-" right before "-->"): codesign rejects the file (AMFIUnserializeXML)`)
	}
}

func (s *Scanner) cdata(t *Token) {
	src, start := s.src, s.pos
	bs := start + len("<![CDATA[")
	*t = Token{Kind: TokCDATA, Name: NoSpan}
	k := bytes.Index(src[bs:], []byte("]]>"))
	be := len(src)
	if k < 0 {
		t.Flags |= FlagUnterminated
		t.Span = Span{start, be}
		s.errorf(CodeSyntax, Span{start, bs}, `CDATA section is not closed: expected "]]>"`)
	} else {
		be = bs + k
		t.Span = Span{start, be + 3}
	}
	t.Body = Span{bs, be}
	for _, c := range src[bs:be] {
		switch textClass[c] {
		case ccSpace:
		case ccCR:
			t.Flags |= FlagCR
		default:
			t.Flags |= FlagNonSpace
		}
	}
}

// doctype scans <!DOCTYPE name ExternalID? [subset]? >. Quoted literals and
// the internal subset may contain '>', so they are skipped as units.
func (s *Scanner) doctype(t *Token) {
	src, start := s.src, s.pos
	n := len(src)
	j := start + len("<!DOCTYPE")
	*t = Token{Kind: TokDoctype, Name: NoSpan, Body: NoSpan}
	if j < n && !isSpace(src[j]) && src[j] != '>' {
		s.errorf(CodeSyntax, Span{start, j}, "expected whitespace after <!DOCTYPE")
	}
	j = skipSpace(src, j)
	if e := scanName(src, j); e > j {
		t.Name = Span{j, e}
		j = e
	}
	unterminated := func(end int) {
		t.Flags |= FlagUnterminated
		t.Span = Span{start, end}
		s.errorf(CodeSyntax, Span{start, start + len("<!DOCTYPE")}, `DOCTYPE is not closed: expected ">"`)
	}
	for j < n {
		switch c := src[j]; c {
		case '"', '\'':
			k := bytes.IndexByte(src[j+1:], c)
			if k < 0 {
				unterminated(n)
				return
			}
			j += k + 2
		case '[':
			end, ok := s.subsetEnd(j + 1)
			if !ok {
				t.Body = Span{j, n}
				unterminated(n)
				return
			}
			t.Body = Span{j, end}
			j = end
		case '>':
			t.Span = Span{start, j + 1}
			return
		case '<':
			unterminated(j)
			return
		default:
			j++
		}
	}
	unterminated(n)
}

// subsetEnd finds the end of an internal subset (just past its ']').
func (s *Scanner) subsetEnd(j int) (int, bool) {
	src := s.src
	for j < len(src) {
		switch c := src[j]; {
		case c == ']':
			return j + 1, true
		case c == '"' || c == '\'':
			k := bytes.IndexByte(src[j+1:], c)
			if k < 0 {
				return 0, false
			}
			j += k + 2
		case bytes.HasPrefix(src[j:], []byte("<!--")):
			k := bytes.Index(src[j+4:], []byte("-->"))
			if k < 0 {
				return 0, false
			}
			j += 4 + k + 3
		case bytes.HasPrefix(src[j:], []byte("<?")):
			k := bytes.Index(src[j+2:], []byte("?>"))
			if k < 0 {
				return 0, false
			}
			j += 2 + k + 2
		default:
			j++
		}
	}
	return 0, false
}

func (s *Scanner) ref(t *Token) {
	*t, _ = s.parseRef(s.pos, len(s.src))
}

// predefined are the only entities an XML plist may use: entities declared
// in a DOCTYPE internal subset are never expanded.
func predefined(name []byte) rune {
	switch string(name) {
	case "amp":
		return '&'
	case "lt":
		return '<'
	case "gt":
		return '>'
	case "quot":
		return '"'
	case "apos":
		return '\''
	}
	return -1
}

// isXMLChar reports whether r may appear in an XML 1.0 document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// parseRef scans the reference starting with '&' at i (bounded by limit)
// and reports what is wrong with it.
func (s *Scanner) parseRef(i, limit int) (Token, int) {
	src := s.src
	j := i + 1
	if j < limit && src[j] == '#' {
		j++
		hex := j < limit && src[j] == 'x'
		if hex {
			j++
		}
		ds := j
		var v uint64
		for j < limit {
			c := src[j]
			var d uint64
			switch {
			case '0' <= c && c <= '9':
				d = uint64(c - '0')
			case hex && 'a' <= c && c <= 'f':
				d = uint64(c-'a') + 10
			case hex && 'A' <= c && c <= 'F':
				d = uint64(c-'A') + 10
			default:
				goto done
			}
			if v <= 0x10FFFF {
				if hex {
					v = v*16 + d
				} else {
					v = v*10 + d
				}
			}
			j++
		}
	done:
		if j == ds || j >= limit || src[j] != ';' {
			msg := `malformed character reference: expected "&#NNN;" or "&#xHHH;"`
			if j == i+2 && j < limit && src[j] == 'X' {
				msg = `malformed character reference: the hexadecimal form is "&#x…;" with a lowercase x`
			}
			return s.bad(i, j, msg), j
		}
		t := Token{Kind: TokCharRef, Span: Span{i, j + 1}, Name: Span{ds, j}, Body: NoSpan, Rune: rune(v)}
		if v > 0x10FFFF || !isXMLChar(rune(v)) {
			t.Rune = -1
			s.errorf(CodeSyntax, t.Span, "character reference %s is not a valid XML character", src[i:j+1])
		}
		return t, j + 1
	}
	e := scanName(src[:limit], j)
	if e == j {
		return s.bad(i, j, `unescaped "&": write "&amp;" for a literal "&"`), j
	}
	if e >= limit || src[e] != ';' {
		return s.bad(i, e, fmt.Sprintf(`"&%s" is not an entity reference (missing ";"?): write "&amp;" for a literal "&"`, src[j:e])), e
	}
	t := Token{Kind: TokEntityRef, Span: Span{i, e + 1}, Name: Span{j, e}, Body: NoSpan, Rune: predefined(src[j:e])}
	if t.Rune < 0 {
		s.errorf(CodeSyntax, t.Span, "unknown entity &%s;: only &amp; &lt; &gt; &quot; &apos; and character references are allowed (DOCTYPE entities are never expanded)", src[j:e])
	}
	return t, e + 1
}
