package plistxml

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Character data: stray text in containers, and the text of scalars and keys.

func (p *parser) resetText() {
	p.tbActive, p.tbSpan, p.tb = false, NoSpan, p.tb[:0]
}

// text handles character data: scalars and keys collect it, skipped
// elements ignore it, and anywhere else non-whitespace text is stray.
func (p *parser) text(t *Token) {
	f := p.top()
	switch f.kind {
	case fScalar, fKey:
		p.addText(t)
		return
	case fInvalid, fSkip:
		return
	}
	sp := t.Span
	switch t.Kind {
	case TokText:
		if t.Flags&FlagNonSpace == 0 {
			return
		}
		sp = trimSpan(p.src, sp)
	case TokCDATA:
		if t.Flags&FlagNonSpace == 0 {
			return
		}
	}
	if f.kind == fDoc && f.rootDone {
		p.addTrailing(sp)
		return
	}
	if !p.junk.IsValid() {
		p.junk = sp
	} else {
		p.junk.End = sp.End
	}
}

func trimSpan(src []byte, s Span) Span {
	for s.Start < s.End && isSpace(src[s.Start]) {
		s.Start++
	}
	for s.End > s.Start && isSpace(src[s.End-1]) {
		s.End--
	}
	return s
}

// flushJunk reports the pending run of stray text, once per run.
func (p *parser) flushJunk() {
	if !p.junk.IsValid() {
		return
	}
	sp := p.junk
	p.junk = NoSpan
	if p.k.full() {
		return
	}
	q := quote(p.text1(sp))
	switch f := p.top(); f.kind {
	case fDict:
		p.k.errorf(CodeSyntax, sp, "unexpected text %s in <dict>: expected <key> or </dict>", q)
	case fArray:
		p.k.errorf(CodeSyntax, sp, "unexpected text %s in <array>: expected a value such as <string>, or </array>", q)
	case fPlist:
		if f.rootDone {
			p.k.errorf(CodeTrailing, sp, "unexpected text %s after the root value: a property list holds exactly one root value", q)
		} else {
			p.k.errorf(CodeSyntax, sp, "unexpected text %s in <plist>: expected a value such as <dict>", q)
		}
	default:
		p.k.errorf(CodeSyntax, sp, "unexpected text %s before the property list: expected <plist>", q)
	}
}

func (p *parser) addTrailing(sp Span) {
	if !p.trailing.IsValid() {
		p.trailing = sp
	} else {
		p.trailing.End = sp.End
	}
}

// addText appends a piece of character data to the scalar being read.
func (p *parser) addText(t *Token) {
	if t.Kind == TokText && t.Flags&FlagCR == 0 && !p.tbActive && !p.tbSpan.IsValid() {
		p.tbSpan = t.Span
		return
	}
	if !p.tbActive {
		p.tbActive = true
		if p.tbSpan.IsValid() {
			p.tb = append(p.tb, p.src[p.tbSpan.Start:p.tbSpan.End]...)
		}
	}
	switch t.Kind {
	case TokText:
		p.tb = appendNormalized(p.tb, p.src[t.Span.Start:t.Span.End])
	case TokCDATA:
		p.tb = appendNormalized(p.tb, p.src[t.Body.Start:t.Body.End])
	case TokEntityRef, TokCharRef:
		if t.Rune >= 0 {
			p.tb = utf8.AppendRune(p.tb, t.Rune)
			break
		}
		fallthrough
	default: // keep what cannot be decoded as written
		p.tb = append(p.tb, p.src[t.Span.Start:t.Span.End]...)
	}
}

// appendNormalized applies XML end-of-line handling: "\r\n" and "\r" become "\n".
func appendNormalized(dst, s []byte) []byte {
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\r')
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		dst = append(dst, '\n')
		s = s[i+1:]
		if len(s) > 0 && s[0] == '\n' {
			s = s[1:]
		}
	}
	return dst
}

// takeText returns the text collected for the scalar being closed.
func (p *parser) takeText() string {
	switch {
	case p.tbActive:
		p.lastRaw = -1
		return string(p.tb)
	case p.tbSpan.IsValid():
		p.lastRaw = p.tbSpan.Start
		return p.text1(p.tbSpan)
	}
	p.lastRaw = -1
	return ""
}

// finishScalar decodes the text of a closed scalar and reports bad values.
func (p *parser) finishScalar(n *Node, closed bool) {
	n.Text = p.takeText()
	if !closed {
		// recovered: drop the indentation that preceded whatever cut it off
		n.Text = strings.TrimRight(n.Text, " \t\r\n")
	}
	var vp *valueProblem
	switch n.Kind {
	case String:
		n.Valid = true
	case Integer:
		vp = decodeInteger(n)
	case Real:
		vp = decodeReal(n)
	case Date:
		vp = decodeDate(n)
	case Data:
		vp = decodeData(n)
	case True, False:
		vp = decodeBool(n)
	}
	if vp == nil || p.k.full() {
		return
	}
	span := trimSpan(p.src, n.Content())
	switch {
	case vp.start >= 0 && p.lastRaw >= 0:
		span = Span{p.lastRaw + vp.start, p.lastRaw + vp.end}
	case span.Len() == 0:
		span = n.Span()
	}
	p.k.report(CodeValue, vp.sev, span, "%s", vp.msg)
}
