package plistxml

import (
	"strings"
)

// The prolog: XML declaration and DOCTYPE.

// xmlDecl checks the placement and pseudo-attributes of <?xml …?>; the
// encoding matters most: codesign reads entitlements as UTF-8.
func (p *parser) xmlDecl(t *Token) {
	f := p.top()
	switch {
	case f.kind == fDoc && f.rootDone:
		p.addTrailing(t.Span)
		return
	case p.sawDecl:
		p.k.errorf(CodeSyntax, t.Span, "duplicate XML declaration")
	case t.Span.Start != p.bom:
		p.k.errorf(CodeSyntax, t.Span, "the XML declaration <?xml …?> must be at the very start of the file")
	default:
		p.sawDecl, p.d.XMLDecl = true, t.Span
	}
	hasVersion := false
	for _, a := range t.Attrs {
		if !a.Value.IsValid() {
			continue // the scanner reported it
		}
		val := p.text1(a.Value)
		switch p.text1(a.Name) {
		case "version":
			hasVersion = true
			if val != "1.0" {
				p.k.errorf(CodeSyntax, a.Value, "unsupported XML version %q: expected \"1.0\"", val)
			}
		case "encoding":
			switch {
			case strings.EqualFold(val, "utf-8"):
			case strings.EqualFold(val, "utf8"):
				p.k.report(CodeEncoding, SevWarning, a.Value, "encoding %q is not the standard name: write encoding=\"UTF-8\" (Go's encoding/xml rejects %q)", val, val)
			default:
				p.k.errorf(CodeEncoding, a.Value, "encoding %q is declared: entitlements must be UTF-8; save the file as UTF-8 and declare encoding=\"UTF-8\"", val)
			}
		case "standalone":
			if val != "yes" && val != "no" {
				p.k.errorf(CodeSyntax, a.Value, "standalone must be \"yes\" or \"no\", found %q", val)
			}
		default:
			p.k.errorf(CodeSyntax, a.Name, "unknown attribute %s in the XML declaration: expected version, encoding or standalone", p.text1(a.Name))
		}
	}
	if !hasVersion {
		p.k.report(CodeSyntax, SevWarning, t.Span, "the XML declaration has no version: write <?xml version=\"1.0\" encoding=\"UTF-8\"?>")
	}
}

// doctype records the DOCTYPE and rejects an internal subset, whose entity
// declarations could change what other parsers read.
func (p *parser) doctype(t *Token) {
	f := p.top()
	switch {
	case f.kind == fDoc && f.rootDone:
		p.addTrailing(t.Span)
		return
	case f.kind != fDoc || p.sawPlist:
		p.k.errorf(CodeSyntax, t.Span, "<!DOCTYPE> must come before the root element")
	case p.d.Doctype.IsValid():
		p.k.errorf(CodeSyntax, t.Span, "duplicate <!DOCTYPE>")
	default:
		p.d.Doctype = t.Span
	}
	if t.Body.IsValid() {
		p.k.errorf(CodeDoctypeSubset, t.Body, "the DOCTYPE has an internal subset [...]: codesign rejects it (AMFIUnserializeXML), and entities declared there are never expanded; use the standard Apple DOCTYPE")
	}
}
