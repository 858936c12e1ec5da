package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/internal/testgen"
	"github.com/entitlint/entitlint/plistxml"
)

// BenchmarkRules measures the rules alone, on an already parsed document.
func BenchmarkRules(b *testing.B) {
	catalog.Builtin() // parsed once per process; not part of a run
	for _, sz := range testgen.Sizes {
		src := testgen.Entitlements(sz.Bytes)
		doc := plistxml.Parse(src)
		b.Run(sz.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Run(doc, Options{})
			}
		})
	}
}

// BenchmarkCheck measures parse + rules, what the CLI and the server do per file.
func BenchmarkCheck(b *testing.B) {
	for _, sz := range testgen.Sizes {
		src := testgen.Entitlements(sz.Bytes)
		b.Run(sz.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Check(src, Options{})
			}
		})
	}
}

// TestGeneratedFilesCheckCleanly guards the benchmark input: it parses
// without syntax errors and the rules find what the generator planted.
func TestGeneratedFilesCheckCleanly(t *testing.T) {
	src := testgen.Entitlements(20 << 10)
	res := Check(src, Options{})
	seen := map[string]bool{}
	for _, f := range res.Findings {
		if f.Rule == "syntax" {
			t.Fatalf("generated file has a syntax finding: %s", f.Message)
		}
		seen[f.Rule] = true
	}
	for _, r := range []string{"duplicate-key", "hallucinated-key", "unknown-key", "wrong-type"} {
		if !seen[r] {
			t.Errorf("generated file triggers no %s", r)
		}
	}
}

// A rule stops after maxFindingsPerRule findings and says so once.
func TestFindingsPerRuleAreCapped(t *testing.T) {
	var b strings.Builder
	for i := 0; i < maxFindingsPerRule+100; i++ {
		fmt.Fprintf(&b, "\t<key>com.example.flag-%d</key>\n\t<true/>\n", i)
	}
	res := Check([]byte(plist(b.String())), Options{})
	n, summary := 0, ""
	for _, f := range res.Findings {
		if f.Rule == "unknown-key" {
			n++
			if strings.Contains(f.Message, "stopped after") {
				summary = f.Message
			}
		}
	}
	if n != maxFindingsPerRule+1 || !strings.Contains(summary, "the rest are not shown") {
		t.Errorf("%d unknown-key findings, summary %q", n, summary)
	}
}

// BenchmarkCheckLSPBench is BenchmarkCheck on the document shape the
// lspcheck latency benchmark sends (mostly unknown synthetic keys).
func BenchmarkCheckLSPBench(b *testing.B) {
	catalog.Builtin()
	for _, sz := range testgen.Sizes {
		src := testgen.LSPBench(sz.Bytes)
		b.Run(sz.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Check(src, Options{})
			}
		})
	}
}
