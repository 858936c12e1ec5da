package lsp

import (
	"testing"

	"github.com/entitlint/entitlint/internal/testgen"
	"github.com/entitlint/entitlint/rules"
)

// BenchmarkStageConvert times the last stage alone: findings (byte spans)
// to protocol diagnostics (UTF-16 ranges, code descriptions, related
// information), on the sizes every stage benchmark shares.
func BenchmarkStageConvert(b *testing.B) {
	for _, sz := range testgen.Sizes {
		src := testgen.Entitlements(sz.Bytes)
		findings := rules.Check(src, rules.Options{}).Findings
		b.Run(sz.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				snap := &snapshot{uri: "file:///tmp/x.entitlements", text: src}
				for i := range findings {
					_ = snap.diagnostic(&findings[i])
				}
			}
		})
	}
}

// BenchmarkStageServer is everything the server does per change, without
// the wire: parse, rules and conversion. As in the server, each version's
// tree is built in the memory of the previous one.
func BenchmarkStageServer(b *testing.B) {
	benchServer(b, testgen.Entitlements)
}

func benchServer(b *testing.B, gen func(int) []byte) {
	s := &server{configs: newConfigStore(nil)}
	for _, sz := range testgen.Sizes {
		text := gen(sz.Bytes)
		b.Run(sz.Name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			d := &document{}
			for b.Loop() {
				snap := s.newSnapshot("file:///tmp/x.entitlements", 1, text)
				snap.owner = d
				snap.refs.Store(1)
				_ = s.diagnostics(snap, nil)
				snap.release() // the next version replaces it
			}
		})
	}
}

// BenchmarkStageServerLSPBench is BenchmarkStageServer on the document shape
// lspcheck's lspbench generates (testgen.LSPBench), the one its latency
// figures in BENCHMARKS.md are measured on.
func BenchmarkStageServerLSPBench(b *testing.B) {
	benchServer(b, testgen.LSPBench)
}
