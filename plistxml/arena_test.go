package plistxml

import (
	"os"
	"runtime"
	"testing"
	"unsafe"
)

// checkReuse parses before, gives its memory to the parse of after, and
// checks that the tree is the one a fresh parse builds (and that before's
// Document no longer shows a tree).
func checkReuse(t *testing.T, before, after []byte) {
	t.Helper()
	old := Parse(before)
	a := old.TakeArena()
	if old.Root != nil || old.TakeArena() != nil {
		t.Fatal("a Document whose arena was taken still has a tree or an arena")
	}
	got, want := ParseReusing(after, a), Parse(after)
	if !sameDocument(got, want) {
		t.Logf("the tree built in a reused arena:\n%s\na fresh one:\n%s", dump(got), dump(want))
		t.Fatalf("the tree built in a reused arena differs from a fresh one\nbefore: %q\nafter: %q", clip(before), clip(after))
	}
	if err := validateDocument(got); err != "" {
		t.Fatal(err)
	}
}

func clip(b []byte) []byte { return b[:min(len(b), 300)] }

// TestParseReusing: every pair of parser test inputs and generated
// documents, small into large and large into small.
func TestParseReusing(t *testing.T) {
	var inputs [][]byte
	for _, in := range goldenInputs(t) {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, src)
	}
	g := newGen(7)
	for i := 0; i < 10; i++ {
		src, _ := g.document()
		inputs = append(inputs, []byte(src))
	}
	inputs = append(inputs, entitlements(2<<10), entitlements(300<<10), []byte("bplist00"), nil)
	for _, before := range inputs {
		for _, after := range inputs {
			checkReuse(t, before, after)
		}
	}
}

// TestParseReusingReusesMemory: the next version of a document is built in
// the memory of the previous one, which a second parse of the same text
// finds whole (no chunk allocated).
func TestParseReusingReusesMemory(t *testing.T) {
	src := entitlements(100 << 10)
	first := Parse(src)
	node := unsafe.Pointer(first.Root)
	second := ParseReusing(src, first.TakeArena())
	if unsafe.Pointer(second.Root) != node {
		t.Error("the root of the second parse is not where the first one's was")
	}
	bytesPerParse := func(parse func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i := 0; i < 10; i++ {
			parse()
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 10
	}
	reused := bytesPerParse(func() { second = ParseReusing(src, second.TakeArena()) })
	fresh := bytesPerParse(func() { _ = Parse(src) })
	// What is left is the Document, its problems and comments, and the
	// rare values (dates, reals, data).
	if reused > fresh/5 {
		t.Errorf("parsing into a reused arena allocates %d bytes, a fresh parse %d", reused, fresh)
	}
	t.Logf("%d bytes allocated with a reused arena, %d without", reused, fresh)
}

// FuzzParseReusing: any document built in the memory of any other is the
// tree a fresh parse builds.
func FuzzParseReusing(f *testing.F) {
	g := newGen(11)
	for i := 0; i < 10; i++ {
		a, _ := g.document()
		b, _ := g.document()
		f.Add([]byte(a), []byte(b))
	}
	f.Add(entitlements(4096), []byte("<plist><array><string>x</string></array></plist>"))
	f.Fuzz(func(t *testing.T, before, after []byte) {
		checkReuse(t, before, after)
	})
}

// TestSlabSkipsOversizedSpares: a chunk left by a much larger document is
// not cleared and reused for a small one (the clearing would cost more
// than a new chunk); a chunk of about the right size is.
func TestSlabSkipsOversizedSpares(t *testing.T) {
	big, fit := make([]Node, 4096), make([]Node, 16)
	s := slab[Node]{next: 8, spare: [][]Node{big, fit}}
	got := s.take(1)
	if &got[0] != &fit[0] {
		t.Errorf("the first node was not taken from the chunk of the right size")
	}
	if len(s.spare) != 1 || &s.spare[0][0] != &big[0] {
		t.Errorf("the oversized chunk should stay spare (and be dropped with the arena)")
	}
	s.free = nil
	if got := s.take(1); &got[0] == &big[0] {
		t.Errorf("an oversized chunk was reused for a one-node request")
	}
}
