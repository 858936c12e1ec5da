package lsp

import (
	"math"
	"os"
	"runtime/debug"
	"sync"
)

// gcTuner adapts the garbage collector to the size of the open documents.
//
// Go's default (GOGC=100, no memory limit) suits small documents, where the
// heap is a few MB. With large documents the heap is allowed to double past
// what a change keeps alive (the text, its compact parse tree, the line
// index, the findings): a 5 MB document took 70 MiB.
//
// So with more than smallDocuments open, the collector also works under a
// memory limit proportional to the text open, which keeps a 5 MB document
// near 45 MiB. The limit is soft (the runtime never spends more than half
// the CPU honouring it) and above what the documents need, so it cannot
// make the server thrash; it costs CPU at 5 MB (37-39 ms per change against
// 29-31 without it), because the collector then runs on most changes.
//
// The tuner used to set GOGC=200 as well: when a 1 MB change allocated
// 11 MB, that cut the CPU per change by a fifth. Now that versions are
// built in the memory of dead ones (1 MB: 0.8 MB allocated per change), it
// bought nothing measurable and cost 8 MiB at 1 MB, so GOGC stays at 100.
//
// GOGC or GOMEMLIMIT in the environment win: the tuner is then off.
type gcTuner struct {
	mu      sync.Mutex
	sizes   map[string]int
	total   int
	applied gcPolicy
}

// gcPolicy is what the tuner asks of the runtime.
type gcPolicy struct {
	percent int
	limit   int64
}

var defaultGC = gcPolicy{percent: 100, limit: math.MaxInt64}

const (
	// smallDocuments is the total size of open text below which the
	// runtime's defaults stay: the heap is then small anyway.
	smallDocuments = 256 << 10
	// The memory limit: a floor, plus a multiple of the open text that is
	// above the peak of a change (the text, its parse tree, the previous
	// version's and the rules' scratch: about 5 times the text).
	limitFloor    = 32 << 20
	limitPerByte  = 8
	limitRounding = 2 << 20 // change the limit in steps: each change stops the world
)

// policyFor returns the collector settings for total bytes of open text.
func policyFor(total int) gcPolicy {
	if total < smallDocuments {
		return defaultGC
	}
	limit := max(int64(limitFloor), int64(total)*limitPerByte)
	limit = (limit + limitRounding - 1) / limitRounding * limitRounding
	return gcPolicy{percent: defaultGC.percent, limit: limit}
}

// newGCTuner returns a tuner, or nil when the environment sets the
// collector's parameters itself.
func newGCTuner() *gcTuner {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	return &gcTuner{sizes: map[string]int{}, applied: defaultGC}
}

// set records the size of an open document (size < 0: it was closed) and
// applies the policy if it changed.
func (t *gcTuner) set(uri string, size int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total -= t.sizes[uri]
	if size < 0 {
		delete(t.sizes, uri)
	} else {
		t.sizes[uri] = size
		t.total += size
	}
	p := policyFor(t.total)
	if p == t.applied {
		return
	}
	debug.SetGCPercent(p.percent)
	debug.SetMemoryLimit(p.limit)
	t.applied = p
}

// reset restores the runtime's defaults (when the server stops).
func (t *gcTuner) reset() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.applied != defaultGC {
		debug.SetGCPercent(defaultGC.percent)
		debug.SetMemoryLimit(defaultGC.limit)
		t.applied = defaultGC
	}
}
