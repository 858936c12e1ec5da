package lsp

import (
	"math"
	"runtime/metrics"
	"testing"
)

func TestGCPolicy(t *testing.T) {
	for _, c := range []struct {
		total   int
		percent int
		limit   int64
	}{
		{0, 100, math.MaxInt64},
		{2 << 10, 100, math.MaxInt64},         // a typical session: the defaults
		{200 * (1 << 10), 100, math.MaxInt64}, // 100 documents of 2 KB
		{1 << 20, 100, 32 << 20},              // 1 MB: the floor
		{5 << 20, 100, 40 << 20},              // 5 MB: 8 times the text
		{5<<20 + 1, 100, 42 << 20},            // rounded up to 2 MiB steps
		{10 << 20, 100, 80 << 20},             // the default size limit
		{100 << 20, 100, 800 << 20},           // above what the rules analyse: still proportional
	} {
		p := policyFor(c.total)
		if p.percent != c.percent || p.limit != c.limit {
			t.Errorf("policyFor(%d) = %+v, want percent %d limit %d", c.total, p, c.percent, c.limit)
		}
	}
}

func readGC(t *testing.T) (percent, limit uint64) {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// TestGCTuner: opening a large document tunes the collector, closing it
// (or stopping the server) restores the runtime's defaults.
func TestGCTuner(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	g := newGCTuner()
	defer g.reset()
	g.set("file:///a.entitlements", 2<<10)
	if p, l := readGC(t); p != 100 || l != math.MaxInt64 {
		t.Fatalf("small document: GOGC %d, limit %d", p, l)
	}
	g.set("file:///big.entitlements", 5<<20)
	if p, l := readGC(t); p != 100 || l != 42<<20 { // 5 MB + 2 KB: 8 times, rounded up
		t.Errorf("5 MB open: GOGC %d, limit %d MiB", p, l>>20)
	}
	g.set("file:///big.entitlements", -1)
	if p, l := readGC(t); p != 100 || l != math.MaxInt64 {
		t.Errorf("after close: GOGC %d, limit %d", p, l)
	}
	g.set("file:///big.entitlements", 1<<20)
	g.reset()
	if p, l := readGC(t); p != 100 || l != math.MaxInt64 {
		t.Errorf("after reset: GOGC %d, limit %d", p, l)
	}

	t.Setenv("GOGC", "50")
	if newGCTuner() != nil {
		t.Error("GOGC in the environment: the tuner must stay off")
	}
}
