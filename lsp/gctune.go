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
// heap is a few MB and the whole of it is cheap to collect. With large
// documents it did badly on both counts when this was written: every
// change of a 1 MB document allocated about 11 MB (1.7 MB since trees are
// built in the previous version's memory), so the collector ran on every
// keystroke (a fifth of the CPU per change went to marking and to
// returning memory to the OS only to fault it back in), while at 5 MB the
// heap was allowed to double past the two trees alive during a change, to
// 110 MiB and more.
//
// So with more than smallDocuments open, the collector runs half as often
// (GOGC=200) under a memory limit proportional to the text open: the CPU
// per change at 1 MB drops by about a fifth, and the heap of a 5 MB
// document stays near 40 MiB. The limit is soft (the runtime never spends
// more than half the CPU honouring it) and above what the documents need
// (the text, its compact parse tree, the previous version's, about 5 times
// the text), so it cannot make the server thrash.
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
	return gcPolicy{percent: 200, limit: limit}
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
