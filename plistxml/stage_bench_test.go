package plistxml

import (
	"testing"

	"github.com/entitlint/entitlint/internal/testgen"
)

// BenchmarkStageScan and BenchmarkStageParse time the first two stages on
// the generated sizes every stage benchmark shares (2 KB to 5 MB), so the
// figures line up in BENCHMARKS.md and its plot.
func BenchmarkStageScan(b *testing.B) {
	for _, sz := range testgen.Sizes {
		src := testgen.Entitlements(sz.Bytes)
		b.Run(sz.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				s := NewScanner(src)
				for s.Next().Kind != TokEOF {
				}
			}
		})
	}
}

func BenchmarkStageParse(b *testing.B) {
	for _, sz := range testgen.Sizes {
		src := testgen.Entitlements(sz.Bytes)
		b.Run(sz.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Parse(src)
			}
		})
	}
}
