package plistxml

import (
	"testing"
)

func BenchmarkParse(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"2KB", 2 << 10}, {"100KB", 100 << 10}, {"5MB", 5 << 20}} {
		src := entitlements(size.n)
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if d := Parse(src); len(d.Problems) != 0 {
					b.Fatal(d.Problems[0].Message)
				}
			}
		})
	}
}

func BenchmarkScan(b *testing.B) {
	src := entitlements(100 << 10)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		s := NewScanner(src)
		for s.Next().Kind != TokEOF {
		}
	}
}

func BenchmarkCheckChars(b *testing.B) {
	src := entitlements(100 << 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		checkChars(src, &sink{})
	}
}
