package plistxml

import (
	"os"
	"testing"
)

// addSeeds seeds a fuzz target with every parser test input and a few
// generated documents.
func addSeeds(f *testing.F) {
	for _, in := range goldenInputs(f) {
		src, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	g := newGen(42)
	for i := 0; i < 20; i++ {
		src, _ := g.document()
		f.Add([]byte(src))
	}
	f.Add(entitlements(2048))
}

func FuzzScan(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		s := NewScanner(src)
		var toks []Token
		for tk := s.Next(); tk.Kind != TokEOF; tk = s.Next() {
			toks = append(toks, tk)
			if len(toks) > len(src) {
				t.Fatal("more tokens than bytes")
			}
		}
		checkTokens(t, src, toks)
		for _, p := range s.Problems() {
			if !p.Span.IsValid() || p.Span.End > len(src) {
				t.Fatalf("problem span %v outside the input", p.Span)
			}
		}
		if len(s.Problems()) > MaxProblems {
			t.Fatalf("%d problems", len(s.Problems()))
		}
	})
}

func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		d := Parse(src)
		if err := validateDocument(d); err != "" {
			t.Fatal(err)
		}
		if len(src) > 0 && len(d.Problems) == 0 && d.Root == nil && d.Format == FormatXML {
			t.Fatal("no root and no problem")
		}
		// the helpers must cope with whatever tree came out
		_ = d.Root.ToValue()
		Walk(d.Root, func(*Node) bool { return true })
		for _, off := range []int{0, len(src) / 3, len(src) / 2, len(src)} {
			e, n := d.NodeAt(off)
			if n != nil && !n.Span().Contains(off) || e != nil && !e.Span.Contains(off) {
				t.Fatalf("NodeAt(%d) returned something that does not contain it", off)
			}
		}
	})
}

func FuzzDifferential(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if msg := differential(src); msg != "" {
			t.Fatal(msg)
		}
	})
}
