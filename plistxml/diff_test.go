package plistxml

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"howett.net/plist"
)

// howett decodes src with howett.net/plist into interface{}, turning its
// re-panicked runtime errors into errors.
func howett(src []byte) (v any, format int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	format, err = plist.Unmarshal(src, &v)
	return v, format, err
}

// howettStricter lists the inputs howett rejects although we only warn.
// Each is a deliberate choice; see the table in TestHowettStricter.
func howettStricter(d *Document) bool {
	for _, p := range d.Problems {
		if p.Code == CodeEncoding && p.Severity == SevWarning && strings.Contains(p.Message, "not the standard name") {
			return true // encoding="UTF8": encoding/xml rejects it, CoreFoundation does not
		}
	}
	return false
}

// differential checks our parse of src against howett's: if we report no
// error, howett must accept the document (as XML, or binary for bplists) and
// decode the same value. Equivalently, whatever howett rejects we reject.
func differential(src []byte) string {
	d := Parse(src)
	if d.HasErrors() {
		return ""
	}
	v, format, err := howett(src)
	if err != nil {
		if howettStricter(d) {
			return ""
		}
		return fmt.Sprintf("we report no error, howett fails: %v", err)
	}
	wantFormat := plist.XMLFormat
	if d.Format == FormatBinary {
		wantFormat = plist.BinaryFormat
	}
	if format != wantFormat {
		return fmt.Sprintf("we report no error, howett reads it as %s", plist.FormatNames[format])
	}
	if got := d.Root.ToValue(); !valuesEqual(got, v) {
		return fmt.Sprintf("values differ:\n ours   %s\n howett %s", formatValue(got), formatValue(v))
	}
	return ""
}

func TestDifferentialGolden(t *testing.T) {
	for _, in := range goldenInputs(t) {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		if msg := differential(src); msg != "" {
			t.Errorf("%s: %s", in, msg)
		}
	}
}

func TestDifferentialGenerated(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	g := newGen(1)
	var accepted, mutatedRejected int
	for i := 0; i < n; i++ {
		src, want := g.document()
		d := Parse([]byte(src))
		if d.HasErrors() {
			t.Fatalf("generated document rejected: %s\n%s", d.Problems[0].Message, src)
		}
		if got := d.Root.ToValue(); !valuesEqual(got, want) {
			t.Fatalf("value differs from the generator's:\n ours %s\n want %s\n%s", formatValue(got), formatValue(want), src)
		}
		if msg := differential([]byte(src)); msg != "" {
			t.Fatalf("%s\n%s", msg, src)
		}
		accepted++
		for j := 0; j < 5; j++ {
			m := g.mutate(src)
			if msg := differential([]byte(m)); msg != "" {
				t.Fatalf("mutant: %s\n%q", msg, m)
			}
			if Parse([]byte(m)).HasErrors() {
				mutatedRejected++
			}
		}
	}
	t.Logf("%d generated documents agree with howett; %d of %d mutants rejected", accepted, mutatedRejected, 5*n)
}

// TestHowettLeniency documents where howett.net/plist accepts a document
// that we report, and checks both halves of each claim.
//
//	input                              howett                      us
//	duplicate keys                     last value wins             CodeDuplicateKey
//	<key> followed by <key>            first key silently dropped  CodeSyntax "has no value"
//	content after </plist>             never read                  CodeTrailing
//	second root value inside <plist>   ignored                     CodeTrailing
//	missing </plist> after the root    never read                  CodeSyntax
//	text inside <dict> or <array>      ignored                     CodeSyntax
//	text before <plist>                ignored                     CodeSyntax
//	<true>x</true>                     true                        CodeValue
//	<key>a<b/>c</key>                  "ac"                        CodeSyntax
//	<string>a<b/>c</string>            "ac"                        CodeSyntax
//	<x:dict> (namespace prefix)        read as <dict>              CodeSyntax (unknown element)
//	NUL or bad UTF-8 inside a comment  comments are not checked    CodeSyntax / CodeEncoding
//	UTF-8 byte-order mark              accepted                    CodeBOM
//	&#xD800; (a surrogate)             U+FFFD                      CodeSyntax
//	<?xml?> not at the start           accepted                    CodeSyntax
//	DOCTYPE internal subset            accepted (not expanded)     CodeDoctypeSubset
//	empty file                         OpenStep, empty dict        CodeSyntax
//	a = b; (OpenStep text)             OpenStep dict               CodeSyntax
func TestHowettLeniency(t *testing.T) {
	tests := []struct {
		src  string
		code Code
	}{
		{"<plist><dict><key>a</key><true/><key>a</key><false/></dict></plist>", CodeDuplicateKey},
		{"<plist><dict><key>a</key><key>b</key><true/></dict></plist>", CodeSyntax},
		{"<plist><dict/></plist>junk", CodeTrailing},
		{"<plist><dict/><array/></plist>", CodeTrailing},
		{"<plist><dict/>", CodeSyntax},
		{"<plist><dict>text<key>a</key><true/></dict></plist>", CodeSyntax},
		{"<plist><array>text</array></plist>", CodeSyntax},
		{"text<plist><dict/></plist>", CodeSyntax},
		{"<plist><true>x</true></plist>", CodeValue},
		{"<plist><dict><key>a<b/>c</key><true/></dict></plist>", CodeSyntax},
		{"<plist><string>a<b/>c</string></plist>", CodeSyntax},
		{"<plist><x:dict></x:dict></plist>", CodeSyntax},
		{"<plist><!-- \x00 --><dict/></plist>", CodeSyntax},
		{"<plist><!-- \xff --><dict/></plist>", CodeEncoding},
		{"\xEF\xBB\xBF<plist><dict/></plist>", CodeBOM},
		{"<plist><string>&#xD800;</string></plist>", CodeSyntax},
		{"<plist><?xml version=\"1.0\"?><dict/></plist>", CodeSyntax},
		{"<!DOCTYPE plist [<!ENTITY a \"b\">]><plist><dict/></plist>", CodeDoctypeSubset},
		{"", CodeSyntax},
		{"a = b;", CodeSyntax},
	}
	for _, tt := range tests {
		if _, _, err := howett([]byte(tt.src)); err != nil {
			t.Errorf("%q: howett is not lenient here any more: %v", tt.src, err)
		}
		d := Parse([]byte(tt.src))
		found := false
		for _, p := range d.Problems {
			found = found || p.Code == tt.code && p.Severity == SevError
		}
		if !found {
			t.Errorf("%q: no %s error in %+v", tt.src, tt.code, d.Problems)
		}
	}
}

// TestHowettStricter documents the inputs howett rejects but we accept with
// a warning, because CoreFoundation (and so codesign) accepts them.
//
//	input                  howett (encoding/xml)          us
//	encoding="UTF8"        "CharsetReader is nil" error   CodeEncoding warning
func TestHowettStricter(t *testing.T) {
	src := []byte(`<?xml version="1.0" encoding="UTF8"?><plist><dict/></plist>`)
	if _, _, err := howett(src); err == nil {
		t.Error("howett accepts encoding=\"UTF8\" now: drop the exception")
	}
	d := Parse(src)
	if d.HasErrors() || !howettStricter(d) {
		t.Errorf("problems %+v", d.Problems)
	}
}

func TestDifferentialBinary(t *testing.T) {
	g := newGen(7)
	for i := 0; i < 300; i++ {
		_, v := g.document()
		b, err := plist.Marshal(v, plist.BinaryFormat)
		if err != nil {
			continue // howett cannot write NaN to a bplist (its object map misses it)
		}
		if msg := differential(b); msg != "" {
			t.Fatal(msg)
		}
		d := Parse(b)
		if d.Format != FormatBinary || d.HasErrors() {
			t.Fatalf("binary: %+v", d.Problems)
		}
		if err := validateDocument(d); err != "" {
			t.Fatal(err)
		}
	}
}
