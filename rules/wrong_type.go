package rules

import (
	"fmt"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "wrong-type",
		Title:   "A value of the wrong type",
		Default: Error,
		Why: "Entitlement checks compare types exactly: `<string>true</string>` is not the boolean true, so a " +
			"sandbox or runtime exception written that way is simply not granted, and a single `<string>` " +
			"where the key wants an array fails profile matching or App Store validation. The fix rewrites the " +
			"value in the type the key is documented with.",
		Bad:   "<key>com.apple.security.app-sandbox</key>\n<string>YES</string>",
		Good:  "<key>com.apple.security.app-sandbox</key>\n<true/>",
		Facts: "catalog value types",
		Fixes: "converts string booleans and numbers, wraps a single string in an array",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				k, ok := p.ctx.keyAt(i)
				if !ok || e.Value == nil || valueFits(k.Type, e.Value) {
					continue
				}
				switch e.Value.Kind {
				case plistxml.Invalid, plistxml.Real, plistxml.Data, plistxml.Date:
					// syntax and unsupported-value-type already report these
					continue
				}
				checkType(p, e, k)
			}
		},
	})
}

// typePhrase names a catalog type in messages.
func typePhrase(t catalog.ValueType) string {
	switch t {
	case catalog.TypeBoolean:
		return "a boolean (<true/> or <false/>)"
	case catalog.TypeString:
		return "a <string>"
	case catalog.TypeInteger:
		return "an <integer>"
	case catalog.TypeArrayOfStrings:
		return "an <array> of <string>"
	case catalog.TypeStringOrArray:
		return "a <string> or an <array> of <string>"
	case catalog.TypeDictionary:
		return "a <dict>"
	case catalog.TypeArrayOfDictionaries:
		return "an <array> of <dict>"
	}
	return string(t)
}

func kindPhrase(n *plistxml.Node) string {
	if n.Kind.IsBool() {
		return "<" + n.Kind.String() + "/>"
	}
	return "<" + n.Kind.String() + ">"
}

func checkType(p *Pass, e *plistxml.Entry, k *catalog.Key) {
	v := e.Value
	c := p.ctx
	f := Finding{Span: v.Span(), Key: e.Key,
		Message: fmt.Sprintf("%s must be %s, found %s", e.Key, typePhrase(k.Type), kindPhrase(v))}
	if k.TypeAssumed {
		// Apple does not document this key's type: say it, softly.
		f.Severity = Warning
		f.Message = fmt.Sprintf("%s is expected to be %s, found %s (Apple does not document the type)", e.Key, typePhrase(k.Type), kindPhrase(v))
	}
	switch k.Type {
	case catalog.TypeBoolean:
		if v.Kind == plistxml.String || v.Kind == plistxml.Integer {
			switch strings.ToLower(strings.TrimSpace(v.Text)) {
			case "true", "yes", "1":
				f.Message += " (" + kindWord(v) + " is not a boolean: it is not granted)"
				f.Fixes = []Fix{{Title: "Replace with <true/>", Edits: []Edit{{Span: v.Span(), NewText: "<true/>"}}, Safe: true, Preferred: true}}
			case "false", "no", "0":
				f.Message += " (" + kindWord(v) + " is not a boolean)"
				f.Fixes = []Fix{{Title: "Replace with <false/>", Edits: []Edit{{Span: v.Span(), NewText: "<false/>"}}, Safe: true, Preferred: true}}
			}
		}
	case catalog.TypeInteger:
		if v.Kind == plistxml.String {
			t := strings.TrimSpace(v.Text)
			if isDecimal(t) {
				f.Fixes = []Fix{{Title: "Replace with <integer>" + t + "</integer>", Edits: []Edit{{Span: v.Span(), NewText: "<integer>" + t + "</integer>"}}, Safe: true, Preferred: true}}
			}
		}
	case catalog.TypeArrayOfStrings:
		if v.Kind == plistxml.String {
			if e.Key == appGroupsKey {
				// App Store Connect accepts "a string or an array of strings"
				// here (seed fact V1); Xcode writes an array.
				f.Severity = Warning
				f.Message = fmt.Sprintf("%s should be an <array> of <string> (a single string is accepted, but Xcode and most tools expect an array)", e.Key)
			}
			indent := c.indentOf(e.Span.Start)
			f.Fixes = []Fix{{Title: "Wrap the string in an <array>", Safe: true, Preferred: true, Edits: []Edit{{Span: v.Span(),
				NewText: "<array>\n" + indent + "\t" + c.text(v.Span()) + "\n" + indent + "</array>"}}}}
		}
		if v.Kind == plistxml.Array {
			for _, it := range v.Items() {
				if it.Kind != plistxml.String {
					p.Report(Finding{Span: it.Span(), Key: e.Key,
						Message: fmt.Sprintf("every item of %s must be a <string>, found %s", e.Key, kindPhrase(it))})
				}
			}
			return
		}
	case catalog.TypeString:
		if v.Kind == plistxml.Array && len(v.Items()) == 1 && v.Items()[0].Kind == plistxml.String {
			f.Fixes = []Fix{{Title: "Use the single string instead of an array", Safe: true, Preferred: true,
				Edits: []Edit{{Span: v.Span(), NewText: c.text(v.Items()[0].Span())}}}}
		}
	}
	p.Report(f)
}

func kindWord(v *plistxml.Node) string {
	if v.Kind == plistxml.Integer {
		return "a number"
	}
	return "a string"
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	if s == "" || len(s) > 18 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
