package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes n realistic entitlements files into dir, 100 per
// folder, every tenth one with a mistake.
func writeTree(tb testing.TB, dir string, n int) {
	tb.Helper()
	valid, _ := os.ReadFile("../testdata/examples/iOSApp.entitlements")
	broken, _ := os.ReadFile("../testdata/examples/Broken.entitlements")
	for i := 0; i < n; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("target%03d", i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				tb.Fatal(err)
			}
		}
		data := valid
		if i%10 == 0 {
			data = broken
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("App%d.entitlements", i)), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkCheckTree runs `entitlint check` over 10,000 files, as CI would
// on a large monorepo; files/s is reported.
func BenchmarkCheckTree(b *testing.B) {
	dir := b.TempDir()
	const n = 10000
	writeTree(b, dir, n)
	b.ResetTimer()
	for b.Loop() {
		code := Main([]string{"check", "--format", "json", dir}, &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
		if code != ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "files/s")
}

// The parallel run reports every file exactly once, in a stable order.
func TestCheckTreeIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 300)
	first, _, _ := run(t, "", "check", "--format", "json", "--jobs", "8", dir)
	second, _, _ := run(t, "", "check", "--format", "json", "--jobs", "1", dir)
	if first != second {
		t.Error("output depends on parallelism")
	}
	if got := strings.Count(first, `"rule":"hallucinated-key"`); got != 30*4 {
		t.Errorf("%d hallucinated-key findings, want %d", got, 30*4)
	}
}
