package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// A check run collects garbage only near batchHeap, falls back to GOGC=400
// once the live heap passes half of it, and leaves the settings as it found
// them; GOGC or GOMEMLIMIT in the environment turn the policy off.
func TestBatchGC(t *testing.T) {
	before, beforeLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	defer func() { debug.SetGCPercent(before); debug.SetMemoryLimit(beforeLimit) }()
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")

	g := startBatchGC()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("during a run GOGC is %d, want off (-1)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != batchHeap {
		t.Errorf("during a run the memory limit is %d, want %d", got, batchHeap)
	}
	live := uint64(10 << 20)
	g.live = func() uint64 { return live }
	g.poll()
	if g.fellBack.Load() {
		t.Fatal("fell back with a 10 MB live heap")
	}
	live = batchHeap/2 + 1
	g.poll()
	if got := debug.SetGCPercent(-1); !g.fellBack.Load() || got != 400 {
		t.Errorf("after the live heap passed %d bytes: fell back %v, GOGC %d; want GOGC 400", batchHeap/2, g.fellBack.Load(), got)
	}
	debug.SetGCPercent(400)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("after falling back the memory limit is %d, want none", got)
	}
	g.stop()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("after the run GOGC is %d, want 100 as before", got)
	}
	debug.SetGCPercent(100)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("after the run the memory limit is %d, want none as before", got)
	}

	t.Setenv("GOGC", "150")
	g = startBatchGC()
	if g.active || debug.SetGCPercent(-1) != 100 {
		t.Error("GOGC in the environment must turn the policy off")
	}
	debug.SetGCPercent(100)
	g.stop()
}
